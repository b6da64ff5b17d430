//! The audit log from the outside: one walk through the staff and public
//! pages triggers every action in `audit::ACTIONS` and checks each entry as
//! it is written (action, who, which ticket, detail), then that the log holds
//! exactly those actions and the owner's page shows them; and the command
//! line's export and erasure write the same entries as the owner's page,
//! with "the system" as the actor.

use std::collections::BTreeSet;
use std::time::Duration;

use tellus::config::DatabaseUrl;
use tellus::domain::audit::ACTIONS;
use tellus::domain::privacy::Counts;

use crate::both;
use crate::support::account::{code_now, enrol, queued_link, set_password, user_id, NEW_PASSWORD};
use crate::support::cli::Tellus;
use crate::support::gift::offered_location;
use crate::support::{html_unescape, Client, Response, SmtpServer, TestApp, PASSWORD};

const OWNER: &str = "owner@shop.example";
const STAFF: &str = "staff@shop.example";
const CUSTOMER: &str = "klant@example.net";
const OTHER_PASSWORD: &str = "yet another long secret";
const EN: &[(&str, &str)] = &[("Accept-Language", "en")];
const WAIT: Duration = Duration::from_secs(20);

/// One line of the audit log, with the actor's name.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
struct Entry {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    actor_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    actor: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    action: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    ticket_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

/// The newest `n` audit entries, newest first.
fn newest(app: &TestApp, n: i64) -> Vec<Entry> {
    let sql = format!(
        "SELECT a.id, a.actor_id, u.name AS actor, a.action, a.ticket_id, a.detail \
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
         ORDER BY a.id DESC LIMIT {n}"
    );
    app.read(move |c| {
        use diesel::RunQueryDsl;
        Ok(diesel::sql_query(sql).load::<Entry>(c)?)
    })
}

/// Asserts the newest audit entry: its action, its actor's name (None: the
/// system, no user id at all), its ticket and its detail.
fn expect(app: &TestApp, action: &str, actor: Option<&str>, ticket: Option<i64>, detail: &str) {
    let entry = newest(app, 1).pop().expect("an audit entry");
    assert_eq!(
        (
            entry.action.as_str(),
            entry.actor.as_deref(),
            entry.ticket_id,
            entry.detail.as_str()
        ),
        (action, actor, ticket, detail),
        "newest audit entry: {entry:?}"
    );
    assert_eq!(
        entry.actor_id.is_none(),
        actor.is_none(),
        "a user id exactly when a person did it: {entry:?}"
    );
}

/// Posts a staff form with the CSRF token of `page`; expects a redirect.
fn post(client: &Client, page: &str, path: &str, fields: &[(&str, &str)]) -> Response {
    let res = client.post_with_csrf(page, path, fields);
    assert!(
        res.status == 303 || res.status == 200,
        "POST {path}: {} {}",
        res.status,
        res.body
    );
    res
}

/// Posts a form on a staff ticket page.
fn act(client: &Client, ticket: i64, action: &str, fields: &[(&str, &str)]) -> Response {
    let page = format!("/staff/tickets/{ticket}");
    post(client, &page, &format!("{page}/{action}"), fields)
}

/// Asks for a password reset for `email`, as someone who is not signed in.
fn ask_reset(app: &TestApp, email: &str) {
    let client = app.client();
    let token = client
        .get("/staff/reset")
        .hidden("token")
        .expect("reset form token");
    let res = client.post_form("/staff/reset", &[("token", &token), ("email", email)]);
    assert_eq!(res.status, 200, "{}", res.body);
}

/// A complaint with a name, an address and consent; returns (ticket id, reference).
fn complain_as(app: &TestApp, name: &str, email: &str, message: &str) -> (i64, String) {
    let thanks = app.submit(
        &app.client(),
        "shop",
        &[
            ("face", "1"),
            ("message", message),
            ("name", name),
            ("email", email),
            ("consent", "yes"),
            ("lang", "en"),
        ],
    );
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let reference = thanks.reference().expect("reference");
    let r = reference.clone();
    let id = app
        .read(move |c| tellus::domain::ticket::id_for_reference(c, &r))
        .expect("a ticket");
    (id, reference)
}

/// The owner adds a catalogue entry; returns its id.
fn add_item(app: &TestApp, owner: &Client, title: &str, value: &str, cost: &str) -> i64 {
    post(
        owner,
        "/staff/gifts/catalogue",
        "/staff/gifts/catalogue",
        &item_fields(title, value, cost),
    );
    app.count(&format!(
        "SELECT id AS n FROM gift_catalogue WHERE title_en = '{title}'"
    ))
}

/// The catalogue form's fields for an entry.
fn item_fields<'a>(title: &'a str, value: &'a str, cost: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "cinema"),
        ("title_nl", title),
        ("title_en", title),
        ("description_en", "For you"),
        ("value", value),
        ("percent", ""),
        ("currency", "EUR"),
        ("cost", cost),
        ("validity_days", "30"),
    ]
}

/// Sends catalogue entry `item` to the customer from a ticket; returns the gift id.
fn send_gift(client: &Client, ticket: i64, item: i64) -> i64 {
    let path = format!("/staff/tickets/{ticket}/gift");
    let form = client.get(&path);
    assert_eq!(form.status, 200, "{path}: {}", form.body);
    let token = form.hidden("csrf").expect("csrf");
    let key = form.hidden("key").expect("request key");
    let location = offered_location(&form.body);
    let item = item.to_string();
    let res = client.post_form(
        &path,
        &[
            ("csrf", &token),
            ("key", &key),
            ("catalogue_id", &item),
            ("location_id", &location),
            ("email", CUSTOMER),
            ("language", "en"),
            ("message", "Sorry!"),
        ],
    );
    assert_eq!(res.status, 303, "gift sent: {}", res.body);
    res.header("location")
        .expect("redirect")
        .trim_start_matches("/staff/gifts/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("gift id in the redirect")
}

/// The code of the gift titled `title`, read from the customer's gift mail.
fn gift_code(app: &TestApp, smtp: &SmtpServer, title: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        for mail in smtp.messages() {
            let text = mail.text_body();
            let Some(start) = text.find("/v/") else {
                continue;
            };
            let token: String = text[start + 3..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            let page = app.client().get(&format!("/v/{token}"));
            let marker = "class=\"gift-code\">";
            if let (true, Some(at)) = (page.body.contains(title), page.body.find(marker)) {
                let start = at + marker.len();
                let end = page.body[start..].find('<').expect("end of code") + start;
                return html_unescape(&page.body[start..end]);
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "a gift mail for {title}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What is held about an address, as the audit log would count it.
fn held(app: &TestApp, address: &str) -> String {
    let (address, now) = (address.to_owned(), app.clock.now());
    app.read(move |c| tellus::domain::privacy::held(c, &address, now))
        .summary()
}

both!(every_audited_action_is_written_from_the_pages, |backend| {
    let smtp = SmtpServer::start();
    let app = TestApp::builder(backend)
        .smtp(&smtp.url())
        .env("TELLUS_WEBHOOK_ALLOW_PRIVATE", "127.0.0.0/8")
        .start();
    app.seed_shop();
    let olga = Some("Olga Owner");
    let sam = Some("Sam Staff");
    let nina = Some("Nina New");

    // Accounts.
    let owner = app.login(OWNER);
    expect(&app, "account.login", olga, None, "");
    post(
        &owner,
        "/staff/users",
        "/staff/users",
        &[
            ("email", "nina@shop.example"),
            ("name", "Nina"),
            ("role", "staff"),
            ("language", "en"),
        ],
    );
    expect(
        &app,
        "account.invite",
        olga,
        None,
        "nina@shop.example (staff)",
    );
    post(
        &owner,
        "/staff/users",
        "/staff/users",
        &[
            ("email", "typo@shop.exmaple"),
            ("name", "Typo"),
            ("role", "owner"),
            ("language", "en"),
        ],
    );
    let typo = app.count("SELECT id AS n FROM invites WHERE email = 'typo@shop.exmaple'");
    post(
        &owner,
        "/staff/users",
        &format!("/staff/users/invites/{typo}/revoke"),
        &[],
    );
    expect(
        &app,
        "account.invite_revoke",
        olga,
        None,
        "typo@shop.exmaple",
    );

    let link = queued_link(&app, "invite", "nina@shop.example", "/invite/");
    let newcomer = app.client();
    let res = set_password(&newcomer, &link, Some("Nina New"));
    assert_eq!(res.status, 303, "accepted: {}", res.body);
    expect(
        &app,
        "account.accept",
        nina,
        None,
        "nina@shop.example (staff)",
    );
    post(
        &newcomer,
        "/staff/account",
        "/staff/account/password",
        &[
            ("current", NEW_PASSWORD),
            ("password", OTHER_PASSWORD),
            ("password2", OTHER_PASSWORD),
        ],
    );
    expect(&app, "account.password_change", nina, None, "");

    let nina_id = user_id(&app, "nina@shop.example");
    post(
        &owner,
        "/staff/users",
        &format!("/staff/users/{nina_id}/role"),
        &[("role", "owner")],
    );
    expect(
        &app,
        "account.role",
        olga,
        None,
        "nina@shop.example: staff>owner",
    );
    let active = format!("/staff/users/{nina_id}/active");
    post(&owner, "/staff/users", &active, &[("active", "false")]);
    expect(&app, "account.disable", olga, None, "nina@shop.example");
    post(&owner, "/staff/users", &active, &[("active", "true")]);
    expect(&app, "account.enable", olga, None, "nina@shop.example");

    ask_reset(&app, "nina@shop.example");
    expect(&app, "account.reset_requested", nina, None, "");
    ask_reset(&app, "nobody@shop.example");
    expect(&app, "account.reset_unknown", None, None, "");
    let link = queued_link(&app, "password_reset", "nina@shop.example", "/staff/reset/");
    let res = set_password(&app.client(), &link, None);
    assert_eq!(res.status, 200, "{}", res.body);
    expect(&app, "account.password_reset", nina, None, "");

    // Two-step login: on, the login with a code, the rule for owners, off.
    let secret = enrol(&app, &owner);
    expect(&app, "account.totp_on", olga, None, "");
    app.advance(30);
    let second = app.client();
    let res = second.log_in(OWNER, PASSWORD);
    assert_eq!(res.header("location"), Some("/staff/login/code"));
    let token = second
        .get("/staff/login/code")
        .hidden("token")
        .expect("code form token");
    let code = code_now(&app, &secret);
    let res = second.post_form("/staff/login/code", &[("token", &token), ("code", &code)]);
    assert_eq!(res.status, 303, "{}", res.body);
    expect(&app, "account.login", olga, None, "totp");
    let rule = "/staff/users/totp-required";
    post(&owner, "/staff/users", rule, &[("required", "yes")]);
    expect(&app, "account.totp_policy", olga, None, "required");
    post(&owner, "/staff/users", rule, &[("required", "no")]);
    expect(&app, "account.totp_policy", olga, None, "optional");
    app.advance(30);
    let code = code_now(&app, &secret);
    post(
        &owner,
        "/staff/account",
        "/staff/account/totp/disable",
        &[("password", PASSWORD), ("code", &code)],
    );
    expect(&app, "account.totp_off", olga, None, "");

    // Tickets.
    let (ticket, reference) = complain_as(&app, "Noor", CUSTOMER, "Het brood was oud");
    let (duplicate, duplicate_ref) = complain_as(&app, "Noor", CUSTOMER, "Oud brood!");
    let staff = app.login(STAFF);
    expect(&app, "account.login", sam, None, "");
    act(&staff, ticket, "reply", &[("body", "Sorry, we bellen je.")]);
    let [reply, opened] = <[Entry; 2]>::try_from(newest(&app, 2)).expect("two entries");
    assert_eq!(
        (opened.action.as_str(), opened.detail.as_str()),
        ("ticket.status", "new>open"),
        "the reply opened the ticket first"
    );
    assert_eq!(opened.ticket_id, Some(ticket));
    assert_eq!(reply.action, "ticket.reply");
    expect(&app, "ticket.reply", sam, Some(ticket), "");
    act(&staff, ticket, "note", &[("note", "Bakker bellen")]);
    expect(&app, "ticket.note", sam, Some(ticket), "");
    act(&staff, ticket, "status", &[("status", "resolved")]);
    expect(&app, "ticket.status", sam, Some(ticket), "open>resolved");
    act(&staff, ticket, "assign", &[("assignee", "me")]);
    expect(&app, "ticket.assign", sam, Some(ticket), "Sam Staff");
    act(&staff, ticket, "priority", &[("priority", "high")]);
    expect(&app, "ticket.priority", sam, Some(ticket), "normal>high");
    act(&staff, duplicate, "merge", &[("reference", &reference)]);
    expect(
        &app,
        "ticket.merge",
        sam,
        Some(duplicate),
        &format!("{duplicate_ref}>{reference}"),
    );

    // Canned responses and the workflow settings.
    post(
        &owner,
        "/staff/canned",
        "/staff/canned",
        &[
            ("title", "Excuses"),
            ("body_nl", "Sorry, {name}."),
            ("body_en", "Sorry, {name}."),
        ],
    );
    let canned = app.count("SELECT id AS n FROM canned_responses");
    let canned_s = canned.to_string();
    expect(&app, "canned.add", olga, None, &canned_s);
    post(
        &owner,
        "/staff/canned",
        &format!("/staff/canned/{canned}"),
        &[
            ("title", "Excuses"),
            ("body_nl", "Het spijt ons, {name}."),
            ("body_en", "We are sorry, {name}."),
        ],
    );
    expect(&app, "canned.update", olga, None, &canned_s);
    let active = format!("/staff/canned/{canned}/active");
    post(&owner, "/staff/canned", &active, &[("active", "false")]);
    expect(&app, "canned.withdraw", olga, None, &canned_s);
    post(&owner, "/staff/canned", &active, &[("active", "true")]);
    expect(&app, "canned.offer", olga, None, &canned_s);

    // Webhook endpoints (nothing listens there: the deliveries just fail).
    let webhooks = "/staff/settings/webhooks";
    let added = post(
        &owner,
        webhooks,
        webhooks,
        &[
            ("url", "http://127.0.0.1:9/hook"),
            ("events", "ticket.created"),
        ],
    );
    assert_eq!(added.status, 200, "{}", added.body);
    let hook = app.count("SELECT MAX(id) AS n FROM webhooks");
    let hook_s = format!("#{hook}");
    expect(
        &app,
        "webhook.add",
        olga,
        None,
        &format!("{hook_s} 127.0.0.1"),
    );
    let hook_page = format!("{webhooks}/{hook}");
    post(&owner, &hook_page, &format!("{hook_page}/test"), &[]);
    expect(&app, "webhook.test", olga, None, &hook_s);
    let hook_active = format!("{hook_page}/active");
    post(&owner, &hook_page, &hook_active, &[("active", "false")]);
    expect(&app, "webhook.pause", olga, None, &hook_s);
    post(&owner, &hook_page, &hook_active, &[("active", "true")]);
    expect(&app, "webhook.resume", olga, None, &hook_s);
    post(&owner, &hook_page, &format!("{hook_page}/delete"), &[]);
    expect(
        &app,
        "webhook.delete",
        olga,
        None,
        &format!("{hook_s} 127.0.0.1"),
    );
    post(
        &owner,
        "/staff/settings/workflow",
        "/staff/settings/workflow",
        &[
            ("auto_close_days", "7"),
            ("reminder_days", "3"),
            ("csat_delay_hours", "4"),
            ("digest_hour", "3"),
            ("time_zone", "UTC"),
        ],
    );
    expect(&app, "settings.workflow", olga, None, "");

    // A location's burst rule, an alert acknowledged, a team-chat channel.
    let shop_id = app.count("SELECT id AS n FROM locations WHERE slug = 'shop'");
    let shop_s = shop_id.to_string();
    let alerts_page = format!("/staff/locations/{shop_id}/alerts");
    let rule =
        |on: &'static str, percent: &'static str, minutes: &'static str, answers: &'static str| {
            [
                ("unhappy_on", on),
                ("unhappy_percent", percent),
                ("happy_percent", "80"),
                ("minutes", minutes),
                ("min_answers", answers),
            ]
        };
    post(
        &owner,
        &alerts_page,
        &alerts_page,
        &rule("yes", "1", "1", "1"),
    );
    expect(&app, "alert.rule", olga, None, &shop_s);
    complain_as(&app, "Alma Alarm", "alarm@example.org", "Alweer mis");
    let alert = app.count("SELECT MAX(id) AS n FROM alerts");
    post(
        &staff,
        "/staff/alerts",
        &format!("/staff/alerts/{alert}/acknowledge"),
        &[("comment", "Gezien")],
    );
    expect(&app, "alert.acknowledge", sam, None, &alert.to_string());
    // Off for the rest of the walk.
    post(
        &owner,
        &alerts_page,
        &alerts_page,
        &rule("", "50", "15", "4"),
    );
    expect(&app, "alert.rule", olga, None, &shop_s);
    post(
        &owner,
        &alerts_page,
        &format!("/staff/locations/{shop_id}/chat"),
        &[
            ("kind", "slack"),
            ("url", "https://hooks.slack.example/services/T/B/x"),
        ],
    );
    let target = app.count("SELECT MAX(id) AS n FROM chat_targets");
    expect(&app, "chat.add", olga, None, &format!("{target} slack"));
    post(
        &owner,
        &alerts_page,
        &format!("/staff/locations/{shop_id}/chat/{target}/remove"),
        &[],
    );
    expect(&app, "chat.remove", olga, None, &target.to_string());

    // The gift catalogue and the budget.
    let catalogue = "/staff/gifts/catalogue";
    let dinner = add_item(&app, &owner, "Dinner", "40", "25");
    expect(&app, "gift.catalogue.add", olga, None, &dinner.to_string());
    let coffee = add_item(&app, &owner, "Coffee", "5", "4");
    let coffee_s = coffee.to_string();
    post(
        &owner,
        catalogue,
        &format!("{catalogue}/{coffee}"),
        &item_fields("Coffee", "6", "4"),
    );
    expect(&app, "gift.catalogue.update", olga, None, &coffee_s);
    let active = format!("{catalogue}/{coffee}/active");
    post(&owner, catalogue, &active, &[("active", "false")]);
    expect(&app, "gift.catalogue.withdraw", olga, None, &coffee_s);
    post(&owner, catalogue, &active, &[("active", "true")]);
    expect(&app, "gift.catalogue.offer", olga, None, &coffee_s);
    let unused = add_item(&app, &owner, "Flowers", "20", "15");
    post(
        &owner,
        catalogue,
        &format!("{catalogue}/{unused}/remove"),
        &[],
    );
    expect(
        &app,
        "gift.catalogue.delete",
        olga,
        None,
        &unused.to_string(),
    );
    let location = app.count("SELECT id AS n FROM locations WHERE slug = 'shop'");
    post(
        &owner,
        catalogue,
        &format!("/staff/gifts/budget/{location}"),
        &[("budget", "30"), ("approval_above", "10")],
    );
    expect(
        &app,
        "gift.budget",
        olga,
        None,
        &format!("location {location}: budget 30, approval above 10"),
    );

    // Gifts: asked for, approved, declined, sent, voided, redeemed.
    let approvals = "/staff/gifts/approvals";
    let approved = send_gift(&staff, ticket, dinner);
    expect(
        &app,
        "gift.request",
        sam,
        Some(ticket),
        &approved.to_string(),
    );
    post(
        &owner,
        approvals,
        &format!("/staff/gifts/{approved}/approve"),
        &[],
    );
    expect(
        &app,
        "gift.approve",
        olga,
        Some(ticket),
        &approved.to_string(),
    );
    let declined = send_gift(&staff, ticket, dinner);
    expect(
        &app,
        "gift.request",
        sam,
        Some(ticket),
        &declined.to_string(),
    );
    post(
        &owner,
        approvals,
        &format!("/staff/gifts/{declined}/decline"),
        &[("reason", "Eén is genoeg")],
    );
    expect(
        &app,
        "gift.decline",
        olga,
        Some(ticket),
        &declined.to_string(),
    );
    let sent = send_gift(&owner, ticket, coffee);
    expect(&app, "gift.send", olga, Some(ticket), &sent.to_string());
    post(
        &owner,
        &format!("/staff/gifts/{approved}"),
        &format!("/staff/gifts/{approved}/void"),
        &[("confirm", "yes")],
    );
    expect(&app, "gift.void", olga, Some(ticket), &approved.to_string());
    let code = gift_code(&app, &smtp, "Coffee");
    let res = post(
        &staff,
        "/staff/redeem",
        "/staff/redeem/confirm",
        &[("code", &code), ("location_id", "")],
    );
    assert_eq!(res.status, 200, "{}", res.body);
    expect(&app, "gift.redeem", sam, Some(ticket), &sent.to_string());

    // Privacy: the retention period, an export, an erasure, the retention job.
    let privacy = "/staff/privacy";
    post(
        &owner,
        privacy,
        "/staff/privacy/retention",
        &[("months", "1")],
    );
    expect(&app, "privacy.retention_months", olga, None, "1");
    let counts = held(&app, CUSTOMER);
    assert!(counts.starts_with("submissions=2 tickets=2 "), "{counts}");
    let res = post(
        &owner,
        privacy,
        "/staff/privacy/export",
        &[("email", " Klant@Example.net ")],
    );
    assert_eq!(res.status, 200, "the export itself");
    expect(&app, "privacy.export", olga, None, &counts);
    complain_as(&app, "Gina Gone", "gone@example.org", "Verwijder mij");
    let before = Counts::parse(&held(&app, "gone@example.org"));
    post(
        &owner,
        privacy,
        "/staff/privacy/erase/confirm",
        &[("email", "gone@example.org"), ("confirm", "yes")],
    );
    let erased = newest(&app, 1).pop().expect("an audit entry");
    expect(&app, "privacy.erase", olga, None, &erased.detail);
    let counts = Counts::parse(&erased.detail);
    assert_eq!(counts.summary(), erased.detail, "only counts");
    // The mails about the ticket to staff are blanked too, so the outbox
    // count can be larger than what was held for the address.
    assert!(counts.outbox >= before.outbox, "{erased:?}");
    assert_eq!(
        Counts {
            outbox: before.outbox,
            ..counts
        },
        before,
        "everything held about the address: {erased:?}"
    );
    assert_eq!((counts.submissions, counts.tickets), (1, 1), "{erased:?}");
    let thanks = app.submit(
        &app.client(),
        "shop",
        &[("face", "4"), ("name", "Hanna Happyface")],
    );
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    app.advance(40 * 24 * 3600);
    tellus::jobs::run_now(&app.state).expect("jobs run");
    let retention = newest(&app, 1).pop().expect("an audit entry");
    expect(&app, "privacy.retention", None, None, &retention.detail);
    let counts = Counts::parse(&retention.detail);
    assert!(counts.submissions >= 1, "{retention:?}");
    assert_eq!(counts.summary(), retention.detail, "only counts");

    // The owner's API page: a key made and revoked, browser access listed.
    let owner = app.login(OWNER);
    let api = "/staff/settings/api";
    post(
        &owner,
        api,
        "/staff/settings/api/keys",
        &[("name", "Till"), ("scope", "tickets:read")],
    );
    expect(&app, "api.key_add", olga, None, "Till (tickets:read)");
    let key_id = app.count("SELECT MAX(id) AS n FROM api_keys");
    post(
        &owner,
        api,
        &format!("/staff/settings/api/keys/{key_id}/revoke"),
        &[],
    );
    expect(&app, "api.key_revoke", olga, None, "Till");
    post(
        &owner,
        api,
        "/staff/settings/api/cors",
        &[("origins", "https://intranet.example")],
    );
    expect(&app, "api.cors", olga, None, "https://intranet.example");

    // Never an address in the log; every action written, and no other.
    for address in [CUSTOMER, "gone@example.org"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM audit_log WHERE LOWER(detail) LIKE '%{address}%'"
            )),
            0,
            "{address} is not in the log"
        );
    }
    let written: BTreeSet<String> = app
        .read(|c| {
            use diesel::prelude::*;
            use tellus::db::schema::audit_log;
            Ok(audit_log::table
                .select(audit_log::action)
                .distinct()
                .load::<String>(c)?)
        })
        .into_iter()
        .collect();
    let listed: BTreeSet<String> = ACTIONS.iter().map(|a| (*a).to_owned()).collect();
    assert_eq!(
        written, listed,
        "the walk writes every action in audit::ACTIONS, and only those"
    );

    // The owner's page shows them all, the system's entries as "System".
    let owner = app.login(OWNER);
    let mut shown = BTreeSet::new();
    let mut system = false;
    let mut path = Some("/staff/audit".to_owned());
    while let Some(at) = path {
        let page = owner.get_with(&at, EN);
        assert_eq!(page.status, 200, "{at}: {}", page.body);
        for part in page.body.split("<code>").skip(1) {
            shown.insert(part[..part.find("</code>").expect("end of action")].to_owned());
        }
        system |= page.body.contains("<td>System</td>");
        path = page.link("/staff/audit?before=");
    }
    assert_eq!(shown, listed, "every action on the owner's audit pages");
    assert!(system, "the system's entries say so");
});

/// The `tellus` binary on the app's database.
fn cli(app: &TestApp, dir: &tempfile::TempDir) -> Tellus {
    let url = match &app.state.config.database_url {
        DatabaseUrl::Sqlite(path) => path.to_string_lossy().into_owned(),
        DatabaseUrl::Postgres(url) => url.clone(),
    };
    Tellus::new(dir.path(), Some(url))
}

/// A customer with a complaint the staff answered.
fn answered_customer(app: &TestApp, staff: &Client, name: &str, email: &str) {
    let (ticket, _) = complain_as(app, name, email, "Het brood was oud");
    act(staff, ticket, "reply", &[("body", "Sorry!")]);
}

/// Asserts a web entry and a command-line entry are the same but for the actor.
fn same_but_actor(web: &Entry, cli: &Entry, owner_id: i64) {
    assert_eq!(web.actor_id, Some(owner_id), "the owner did it: {web:?}");
    assert_eq!(cli.actor_id, None, "the command line is no user: {cli:?}");
    assert_eq!(cli.actor, None);
    assert_eq!(
        (&web.action, web.ticket_id, &web.detail),
        (&cli.action, cli.ticket_id, &cli.detail),
        "the same entry from the web and the command line"
    );
    assert!(
        web.detail.starts_with("submissions=1 tickets=1 ") && !web.detail.contains('@'),
        "counts, never the address: {web:?}"
    );
}

both!(
    the_command_line_writes_the_same_entries_as_the_web,
    |backend| {
        let app = TestApp::with_shop(backend);
        let staff = app.login(STAFF);
        // Two customers with the same history.
        answered_customer(&app, &staff, "Erin", "erin@example.net");
        answered_customer(&app, &staff, "Olaf", "olaf@example.net");
        let owner = app.login(OWNER);
        let owner_id = user_id(&app, OWNER);
        let dir = tempfile::tempdir().expect("temp dir");

        // The same data: one address twice for the export (it changes
        // nothing), the two look-alike customers for the erasure.
        for (action, path, web_fields, command, cli_address) in [
            (
                "privacy.export",
                "/staff/privacy/export",
                vec![("email", "erin@example.net")],
                "export-customer",
                "erin@example.net",
            ),
            (
                "privacy.erase",
                "/staff/privacy/erase/confirm",
                vec![("email", "erin@example.net"), ("confirm", "yes")],
                "erase-customer",
                "olaf@example.net",
            ),
        ] {
            let res = post(&owner, "/staff/privacy", path, &web_fields);
            assert_eq!(res.status, 200, "{path}");
            let web = newest(&app, 1).pop().expect("web entry");
            assert_eq!(web.action, action);
            cli(&app, &dir)
                .run(&[command, cli_address], "")
                .assert_success();
            let line = newest(&app, 1).pop().expect("command-line entry");
            assert!(line.id > web.id, "{command} wrote a new entry");
            same_but_actor(&web, &line, owner_id);
        }
        assert_eq!(
            app.count(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'privacy.%' AND actor_id IS NULL"
            ),
            2,
            "one export and one erasure by the command line"
        );
    }
);
