//! Thank-you gifts: the owner's catalogue and its validation, sending from a
//! ticket and to a bare address (the mail, the customer's page, the code and
//! its stored hash), approval thresholds and the monthly budget, code format
//! and uniqueness, 20 simultaneous redemptions of one code, throttling of
//! unknown codes, expiry, void, the ticket timeline, ids that are not the
//! caller's, and the gift mail's body emptied once delivered.

use crate::both;
use crate::support::gift::{add_item, code_on, offered_location};
use crate::support::smtp::SmtpServer;
use crate::support::{html_unescape, Client, Complaint, ReceivedMail, Response, TestApp};
use diesel::prelude::*;
use std::time::Duration;
use tellus::db::schema::{gifts, outbox};
use tellus::domain::gift::{code_hash, CODE_ALPHABET};

const STAFF: &str = "staff@shop.example";
const OWNER: &str = "owner@shop.example";
const CUSTOMER: &str = "klant@example.net";
const EN: &[(&str, &str)] = &[("Accept-Language", "en")];
const WAIT: Duration = Duration::from_secs(20);

/// A complaint with the customer's address, in English.
fn noors_complaint(app: &TestApp) -> Complaint<'_> {
    app.complain(1)
        .message("Het brood was oud")
        .contact("Noor", CUSTOMER)
        .lang("en")
}

/// A server that mails through a real SMTP listener, with the shop seeded.
fn app_with_mail(backend: crate::support::Backend) -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start();
    let app = TestApp::builder(backend).smtp(&smtp.url()).with_shop();
    (app, smtp)
}

fn location_id(app: &TestApp) -> i64 {
    app.read(|c| {
        Ok(tellus::domain::location::find_by_slug(c, "shop")?
            .expect("shop")
            .id)
    })
}

/// Fills in the send form at `path` (`/staff/gifts/new` or a ticket's) and
/// posts it with `fields` (defaults: the shop, the customer, English).
fn send(client: &Client, path: &str, item: i64, fields: &[(&str, &str)]) -> Response {
    let form = client.get(path);
    assert_eq!(form.status, 200, "{path}: {}", form.body);
    let token = form.hidden("csrf").expect("csrf");
    let key = form.hidden("key").expect("request key");
    let item = item.to_string();
    let mut all: Vec<(&str, &str)> = vec![
        ("csrf", &token),
        ("key", &key),
        ("catalogue_id", &item),
        ("email", CUSTOMER),
        ("language", "en"),
        ("message", "Sorry about the bread!"),
    ];
    let location = offered_location(&form.body);
    if !fields.iter().any(|(k, _)| *k == "location_id") {
        all.push(("location_id", &location));
    }
    for (k, v) in fields {
        all.retain(|(name, _)| name != k);
        all.push((k, v));
    }
    client.post_form(path, &all)
}

/// The id of the gift a send redirected to.
fn gift_id_of(res: &Response) -> i64 {
    assert_eq!(res.status, 303, "gift sent: {}", res.body);
    let location = res.header("location").expect("redirect");
    location
        .trim_start_matches("/staff/gifts/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("gift id in the redirect")
}

fn status_of(app: &TestApp, id: i64) -> String {
    app.read(move |c| {
        Ok(gifts::table
            .find(id)
            .select(gifts::status)
            .first::<String>(c)?)
    })
}

/// The `/v/…` link in a customer's gift mail.
fn gift_link(mail: &ReceivedMail) -> String {
    let text = mail.text_body();
    let start = text.find("/v/").expect("gift link in the mail");
    let token: String = text[start + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("/v/{token}")
}

fn gift_mails(smtp: &SmtpServer, n: usize) -> Vec<ReceivedMail> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let mails: Vec<ReceivedMail> = smtp
            .wait_for(1, WAIT)
            .into_iter()
            .filter(|m| m.text_body().contains("/v/"))
            .collect();
        if mails.len() >= n || std::time::Instant::now() > deadline {
            return mails;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Redeems `code` at the till; returns the answer.
fn redeem(client: &Client, code: &str) -> Response {
    let token = client.csrf("/staff/redeem");
    client.post_form(
        "/staff/redeem/confirm",
        &[("csrf", &token), ("code", code), ("location_id", "")],
    )
}

/// The English staff timeline of a ticket.
fn timeline(client: &Client, ticket: i64) -> String {
    let page = client.get_with(&format!("/staff/tickets/{ticket}"), EN);
    assert_eq!(page.status, 200);
    page.body
}

both!(
    catalogue_is_managed_by_owners_with_clear_errors,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        let staff = app.login(STAFF);
        assert_eq!(
            staff.get("/staff/gifts/catalogue").status,
            404,
            "owners only"
        );
        let id = add_item(&app, &owner, "Cinema for two", "12,50", "10");
        let page = owner.get_with("/staff/gifts/catalogue", EN);
        assert!(
            page.body.contains("Cinema for two · €12.50"),
            "{}",
            page.body
        );
        let nl = owner.get_with("/staff/gifts/catalogue", &[("Accept-Language", "nl")]);
        assert!(nl.body.contains("€ 12,50"));

        // Bad input: each gets its own message, nothing is stored.
        let token = owner.csrf("/staff/gifts/catalogue");
        let bad = |fields: &[(&str, &str)]| {
            let mut all = vec![
                ("csrf", token.as_str()),
                ("kind", "flowers"),
                ("title_nl", "Bloemen"),
                ("title_en", "Flowers"),
                ("value", "20"),
                ("cost", "15"),
                ("validity_days", "30"),
            ];
            for (k, v) in fields {
                all.retain(|(name, _)| name != k);
                all.push((k, v));
            }
            owner.post_raw(
                "/staff/gifts/catalogue",
                "application/x-www-form-urlencoded",
                serde_urlencoded::to_string(&all).unwrap().as_bytes(),
                EN,
            )
        };
        let long = "x".repeat(81);
        for (fields, message) in [
            (
                vec![("title_nl", ""), ("title_en", "  ")],
                "Please fill this in.",
            ),
            (vec![("percent", "15")], "either a value or a percentage"),
            (vec![("value", "-5")], "Type an amount such as 12.50"),
            (vec![("value", "99999999")], "Type an amount such as 12.50"),
            (vec![("cost", "twelve")], "Type an amount such as 12.50"),
            (
                vec![("value", ""), ("percent", "150")],
                "percentage from 1 to 100",
            ),
            (vec![("validity_days", "0")], "number of days from 1 to"),
            (vec![("kind", "car")], "Choose a kind of gift"),
            (vec![("title_en", long.as_str())], "At most 80 characters"),
        ] {
            let res = bad(&fields);
            assert_eq!(res.status, 422, "{fields:?}");
            assert!(res.body.contains(message), "{fields:?}: {}", res.body);
        }
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM gift_catalogue"), 1);

        // HTML in a title is shown as text.
        let token = owner.csrf("/staff/gifts/catalogue");
        let res = owner.post_form(
            "/staff/gifts/catalogue",
            &[
                ("csrf", &token),
                ("kind", "discount"),
                ("title_nl", "<script>alert(1)</script>"),
                ("title_en", "<b>Discount</b>"),
                ("percent", "15"),
                ("cost", "0"),
                ("validity_days", "60"),
            ],
        );
        assert_eq!(res.status, 303);
        let page = owner.get_with("/staff/gifts/catalogue", EN);
        assert!(page.body.contains("&lt;b&gt;Discount&lt;/b&gt; · 15%"));
        assert!(!page.body.contains("<script>alert(1)"));

        // Edit, withdraw (no longer offered when sending), remove.
        let token = owner.csrf("/staff/gifts/catalogue");
        let res = owner.post_form(
            &format!("/staff/gifts/catalogue/{id}"),
            &[
                ("csrf", &token),
                ("kind", "cinema"),
                ("title_nl", "Bioscoop voor twee"),
                ("title_en", "Cinema for two"),
                ("value", "15"),
                ("cost", "12"),
                ("validity_days", "30"),
            ],
        );
        assert_eq!(res.status, 303);
        let form = staff.get_with("/staff/gifts/new", EN);
        assert!(form.body.contains("Cinema for two · €15.00"));
        let res = owner.post_form(
            &format!("/staff/gifts/catalogue/{id}/active"),
            &[("csrf", &token), ("active", "false")],
        );
        assert_eq!(res.status, 303);
        let form = staff.get_with("/staff/gifts/new", EN);
        assert!(!form.body.contains("Cinema for two"));
        let res = owner.post_form(
            &format!("/staff/gifts/catalogue/{id}/remove"),
            &[("csrf", &token)],
        );
        assert_eq!(res.status, 303);
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM gift_catalogue"), 1);
        let res = owner.post_form(
            &format!("/staff/gifts/catalogue/{id}/remove"),
            &[("csrf", &token)],
        );
        assert_eq!(res.status, 404, "gone");
        assert!(
            app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'gift.catalogue.%'")
                >= 4
        );
    }
);

both!(
    a_gift_from_a_ticket_reaches_the_customer_with_its_code,
    |backend| {
        let (app, smtp) = app_with_mail(backend);
        let owner = app.login(OWNER);
        let item = add_item(&app, &owner, "Cinema for two", "12.50", "10");
        let ticket = noors_complaint(&app).submit().ticket_id();
        smtp.wait_for(3, WAIT);
        smtp.clear();
        let path = format!("/staff/tickets/{ticket}/gift");
        let form = owner.get_with(&path, EN);
        assert!(
            form.body.contains(CUSTOMER),
            "the ticket's address is filled in"
        );
        assert!(form
            .body
            .contains("Spent this month: €0.00 (no monthly limit)"));
        let res = send(&owner, &path, item, &[]);
        let id = gift_id_of(&res);
        assert_eq!(status_of(&app, id), "sent");

        let mails = gift_mails(&smtp, 1);
        assert_eq!(mails.len(), 1, "one gift mail");
        let mail = &mails[0];
        assert_eq!(mail.to(), CUSTOMER);
        assert_eq!(mail.subject(), "A thank-you from Bakkerij De Zon");
        let text = mail.text_body();
        assert!(text.contains("Cinema for two (€12.50)"), "{text}");
        assert!(text.contains("Sorry about the bread!"));
        assert!(
            !text.to_lowercase().contains("review"),
            "never with a review request"
        );
        let link = gift_link(mail);

        // The customer's page: code as text and QR, no referrer, not stored.
        let page = app.client().get(&link);
        assert_eq!(page.status, 200);
        assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(page.header("cache-control"), Some("no-store"));
        assert!(page.body.contains("Cinema for two"));
        assert!(page.body.contains("Show the code at the counter."));
        assert!(page.body.contains("<svg"), "QR code inline");
        assert!(!page.body.to_lowercase().contains("review"));
        let code = code_on(&page);
        assert_eq!(code.len(), 12, "grouped: {code}");
        let plain = code.replace('-', "");
        let stored: Option<String> =
            app.read(move |c| Ok(gifts::table.find(id).select(gifts::code_hash).first(c)?));
        assert_eq!(
            stored,
            Some(code_hash(&app.state.signer, &plain)),
            "the code hashes to the stored hash"
        );
        let everything = app.count(&format!(
        "SELECT COUNT(*) AS n FROM gifts WHERE code_hash = '{plain}' OR access_token_hash = '{}'",
        &link[3..]
    ));
        assert_eq!(everything, 0, "neither the code nor the token is stored");

        // Once delivered, the outbox keeps no link.
        let mut emptied = false;
        for _ in 0..100 {
            let rows: Vec<(String, String)> = app.read(|c| {
                Ok(outbox::table
                    .filter(outbox::kind.eq("gift"))
                    .select((outbox::status, outbox::body_text))
                    .load(c)?)
            });
            if rows.len() == 1 && rows[0].0 == "sent" {
                emptied = rows[0].1.is_empty();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(emptied, "the gift mail's body is emptied after delivery");
        assert!(app.count("SELECT COUNT(*) AS n FROM outbox WHERE body_html LIKE '%/v/%'") == 0);

        // The timeline and the audit log; the audit never holds the address.
        let body = timeline(&owner, ticket);
        assert!(body.contains("Gift sent: Cinema for two"), "{body}");
        assert!(
            body.contains(&format!("/staff/tickets/{ticket}/gift")),
            "send link on the ticket"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'gift.send'"),
            1
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM audit_log WHERE detail LIKE '%{CUSTOMER}%'"
            )),
            0
        );

        // Redeemed: the page says so, the timeline shows it.
        let res = redeem(&owner, &code.to_lowercase());
        assert_eq!(res.status, 200, "{}", res.body);
        let page = app.client().get(&link);
        assert!(page.body.contains("This gift was redeemed on"));
        assert!(
            !page.body.contains("class=\"gift-code\""),
            "no code once redeemed"
        );
        assert!(timeline(&owner, ticket).contains("Gift redeemed: Cinema for two"));
    }
);

both!(
    a_doubled_send_makes_one_gift_and_bad_input_is_refused,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        let item = add_item(&app, &owner, "Flowers", "20", "18");
        let form = owner.get("/staff/gifts/new");
        let token = form.hidden("csrf").unwrap();
        let key = form.hidden("key").unwrap();
        let location = location_id(&app).to_string();
        let item_s = item.to_string();
        let fields = [
            ("csrf", token.as_str()),
            ("key", key.as_str()),
            ("catalogue_id", item_s.as_str()),
            ("location_id", location.as_str()),
            ("email", "bare@example.org"),
            ("language", "nl"),
            ("message", ""),
        ];
        let first = owner.post_form("/staff/gifts/new", &fields);
        let second = owner.post_form("/staff/gifts/new", &fields);
        assert_eq!(gift_id_of(&first), gift_id_of(&second));
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM gifts"), 1, "one gift");
        let id = gift_id_of(&first);
        let title: String =
            app.read(move |c| Ok(gifts::table.find(id).select(gifts::title).first(c)?));
        assert_eq!(title, "Flowers NL", "the customer's language");

        // Forged key: refused; stale form: asked again.
        let mut forged = fields.to_vec();
        forged[1] = ("key", "made-up.key");
        assert_eq!(owner.post_form("/staff/gifts/new", &forged).status, 403);
        let fresh = owner.get("/staff/gifts/new").hidden("key").unwrap();
        app.advance(25 * 3600);
        let owner = app.login(OWNER);
        let token = owner.csrf("/staff/gifts/new");
        let mut stale = fields.to_vec();
        stale[0] = ("csrf", &token);
        stale[1] = ("key", &fresh);
        let res = owner.post_raw(
            "/staff/gifts/new",
            "application/x-www-form-urlencoded",
            serde_urlencoded::to_string(&stale).unwrap().as_bytes(),
            EN,
        );
        assert_eq!(res.status, 422);
        assert!(res.body.contains("This form is too old"));

        // Bad fields get their messages; another user's key is forged for this one.
        for (field, value, message) in [
            (
                "email",
                "not an address",
                "Type the customer's email address",
            ),
            ("catalogue_id", "99999", "Choose a gift from the catalogue"),
            ("catalogue_id", "abc", "Choose a gift from the catalogue"),
            ("location_id", "99999", "Choose a location"),
            ("language", "es", "Choose the customer's language"),
        ] {
            let form = owner.get("/staff/gifts/new");
            let mut all = vec![
                ("csrf".to_owned(), form.hidden("csrf").unwrap()),
                ("key".to_owned(), form.hidden("key").unwrap()),
                ("catalogue_id".to_owned(), item_s.clone()),
                ("location_id".to_owned(), location.clone()),
                ("email".to_owned(), CUSTOMER.to_owned()),
                ("language".to_owned(), "en".to_owned()),
            ];
            all.retain(|(k, _)| k != field);
            all.push((field.to_owned(), value.to_owned()));
            let res = owner.post_raw(
                "/staff/gifts/new",
                "application/x-www-form-urlencoded",
                serde_urlencoded::to_string(&all).unwrap().as_bytes(),
                EN,
            );
            assert_eq!(res.status, 422, "{field}={value}");
            assert!(res.body.contains(message), "{field}: {}", res.body);
        }
        let before = app.count("SELECT COUNT(*) AS n FROM gifts");
        let staff = app.login(STAFF);
        let res = send(
            &staff,
            "/staff/gifts/new",
            item,
            &[("key", &owner.get("/staff/gifts/new").hidden("key").unwrap())],
        );
        assert_eq!(res.status, 403, "a key is bound to its user");
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM gifts"), before);
    }
);

both!(
    staff_gifts_over_the_threshold_or_budget_wait_for_an_owner,
    |backend| {
        let (app, smtp) = app_with_mail(backend);
        let owner = app.login(OWNER);
        let staff = app.login(STAFF);
        let big = add_item(&app, &owner, "Dinner", "40", "25");
        let small = add_item(&app, &owner, "Coffee", "5", "4");
        let location = location_id(&app);
        let token = owner.csrf("/staff/gifts/catalogue");
        let res = owner.post_form(
            &format!("/staff/gifts/budget/{location}"),
            &[("csrf", &token), ("budget", "30"), ("approval_above", "10")],
        );
        assert_eq!(res.status, 303);
        let res = owner.post_form(
            &format!("/staff/gifts/budget/{location}"),
            &[("csrf", &token), ("budget", "lots"), ("approval_above", "")],
        );
        assert_eq!(res.status, 422, "a budget must be an amount");
        let ticket = noors_complaint(&app).submit().ticket_id();
        smtp.wait_for(3, WAIT);
        smtp.clear();

        // Above the approval amount: waits; owners are mailed; the ticket says so.
        let path = format!("/staff/tickets/{ticket}/gift");
        let form = staff.get_with(&path, EN);
        assert!(
            form.body.contains("Spent this month: €0.00 of €30.00"),
            "{}",
            form.body
        );
        let waiting = gift_id_of(&send(&staff, &path, big, &[]));
        assert_eq!(status_of(&app, waiting), "awaiting_approval");
        let mails = smtp.wait_for(1, WAIT);
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to(), OWNER);
        assert!(mails[0].subject().contains("Dinner"));
        assert!(mails[0].text_body().contains("Sam Staff"));
        assert!(timeline(&staff, ticket).contains("Gift awaiting approval: Dinner"));
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM gifts WHERE code_hash IS NOT NULL"),
            0,
            "no code while it waits"
        );
        // It counts against the budget while it waits: spend shows it.
        let form = staff.get_with(&path, EN);
        assert!(form.body.contains("Spent this month: €25.00 of €30.00"));

        // Staff cannot approve; the owner sees it in the list and approves.
        let token = staff.csrf("/staff/gifts");
        let res = staff.post_form(
            &format!("/staff/gifts/{waiting}/approve"),
            &[("csrf", &token)],
        );
        assert_eq!(res.status, 404);
        assert_eq!(staff.get("/staff/gifts/approvals").status, 404);
        let list = owner.get_with("/staff/gifts/approvals", EN);
        assert!(list
            .body
            .contains("Sam Staff asks to send this at Bakkerij De Zon, cost €25.00"));
        smtp.clear();
        let token = owner.csrf("/staff/gifts/approvals");
        let res = owner.post_form(
            &format!("/staff/gifts/{waiting}/approve"),
            &[("csrf", &token)],
        );
        assert_eq!(res.status, 303);
        assert_eq!(status_of(&app, waiting), "sent");
        let mails = smtp.wait_for(2, WAIT);
        assert_eq!(mails.len(), 2, "the customer and the staff member");
        assert!(mails
            .iter()
            .any(|m| m.to() == CUSTOMER && m.text_body().contains("/v/")));
        assert!(mails
            .iter()
            .any(|m| m.to() == STAFF && m.subject() == "Cadeau goedgekeurd: Dinner"));
        assert!(timeline(&staff, ticket).contains("Gift approved and sent: Dinner"));
        let mine = staff.get_with(&format!("/staff/gifts/{waiting}"), EN);
        assert!(mine.body.contains("Sent") && mine.body.contains("Olga Owner"));

        // Under the threshold but past the budget (25 + 4 ≤ 30, 29 + 4 > 30).
        let fits = gift_id_of(&send(&staff, &path, small, &[]));
        assert_eq!(status_of(&app, fits), "sent", "4 more fits the budget");
        let over = gift_id_of(&send(&staff, &path, small, &[]));
        assert_eq!(
            status_of(&app, over),
            "awaiting_approval",
            "past the budget"
        );

        // Declined with a reason: the staff member is told, the gift is not sent.
        smtp.clear();
        let token = owner.csrf("/staff/gifts/approvals");
        let res = owner.post_form(
            &format!("/staff/gifts/{over}/decline"),
            &[("csrf", &token), ("reason", "Budget is op")],
        );
        assert_eq!(res.status, 303);
        assert_eq!(status_of(&app, over), "declined");
        let told = (0..200)
            .find_map(|_| {
                let mail = smtp.messages().into_iter().find(|m| m.to() == STAFF);
                if mail.is_none() {
                    std::thread::sleep(Duration::from_millis(100));
                }
                mail
            })
            .expect("the staff member is told");
        assert!(told.text_body().contains("Budget is op"));
        assert!(timeline(&staff, ticket).contains("Gift declined: Coffee"));
        let list = staff.get_with("/staff/gifts", EN);
        assert!(list.body.contains("Declined"));
        // Deciding twice changes nothing.
        let res = owner.post_form(&format!("/staff/gifts/{over}/approve"), &[("csrf", &token)]);
        assert_eq!(res.status, 303);
        assert_eq!(status_of(&app, over), "declined");

        // An owner past the budget must say "send anyway".
        let res = send(&owner, &path, big, &[]);
        assert_eq!(res.status, 422);
        // In Dutch: the request names no language.
        let over = "Dit cadeau komt boven het budget van deze vestiging voor deze maand.";
        assert!(res.body.contains(over), "{}", res.body);
        let anyway = gift_id_of(&send(&owner, &path, big, &[("send_anyway", "yes")]));
        assert_eq!(status_of(&app, anyway), "sent");
        assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('gift.request', 'gift.approve', 'gift.decline', 'gift.send', 'gift.budget')"),
        7
    );
    }
);

both!(codes_are_readable_and_unique, |backend| {
    let (app, smtp) = app_with_mail(backend);
    let owner = app.login(OWNER);
    let item = add_item(&app, &owner, "Coffee", "3", "2");
    for i in 0..25 {
        let email = format!("c{i}@example.org");
        gift_id_of(&send(
            &owner,
            "/staff/gifts/new",
            item,
            &[("email", &email)],
        ));
    }
    let mails = gift_mails(&smtp, 25);
    assert_eq!(mails.len(), 25);
    let mut codes = Vec::new();
    for mail in &mails {
        let page = app.client().get(&gift_link(mail));
        let code = code_on(&page);
        let groups: Vec<&str> = code.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [4, 4, 2],
            "{code}"
        );
        assert!(
            code.replace('-', "")
                .bytes()
                .all(|b| CODE_ALPHABET.contains(&b)),
            "{code}"
        );
        codes.push(code);
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 25, "every code differs");
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT code_hash) AS n FROM gifts"),
        25
    );
});

both!(twenty_tills_redeem_one_code_once, |backend| {
    let (app, smtp) = app_with_mail(backend);
    let owner = app.login(OWNER);
    let item = add_item(&app, &owner, "Cake", "8", "5");
    let id = gift_id_of(&send(&owner, "/staff/gifts/new", item, &[]));
    let code = code_on(&app.client().get(&gift_link(&gift_mails(&smtp, 1)[0])));
    let staff = app.login(STAFF);
    let token = staff.csrf("/staff/redeem");
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(20));
    let answers: Vec<Response> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|_| {
                let (staff, token, code, barrier) =
                    (staff.clone(), token.clone(), code.clone(), barrier.clone());
                s.spawn(move || {
                    barrier.wait();
                    staff.post_raw(
                        "/staff/redeem/confirm",
                        "application/x-www-form-urlencoded",
                        format!("csrf={token}&code={code}&location_id=").as_bytes(),
                        EN,
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let won: Vec<_> = answers.iter().filter(|r| r.status == 200).collect();
    let lost: Vec<_> = answers.iter().filter(|r| r.status == 409).collect();
    assert_eq!(won.len(), 1, "one success");
    assert!(won[0].body.contains("Redeemed. Hand over the gift."));
    assert_eq!(lost.len(), 19, "19 clear refusals");
    for r in lost {
        assert!(
            r.body.contains("Already redeemed on")
                && r.body.contains("at Bakkerij De Zon by Sam Staff"),
            "{}",
            r.body
        );
    }
    assert_eq!(status_of(&app, id), "redeemed");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'gift.redeem'"),
        1
    );
});

both!(unknown_codes_are_throttled, |backend| {
    let (app, smtp) = app_with_mail(backend);
    let owner = app.login(OWNER);
    let item = add_item(&app, &owner, "Cake", "8", "5");
    gift_id_of(&send(&owner, "/staff/gifts/new", item, &[]));
    let code = code_on(&app.client().get(&gift_link(&gift_mails(&smtp, 1)[0])));
    let staff = app.login(STAFF);
    let token = staff.csrf("/staff/redeem");
    // Step 1 shows a valid code's gift without using it up.
    let res = staff.post_form("/staff/redeem", &[("csrf", &token), ("code", &code)]);
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Cake"));
    for i in 0..10 {
        let res = staff.post_raw(
            "/staff/redeem",
            "application/x-www-form-urlencoded",
            format!(
                "csrf={token}&code=AAAA-AAAA-A{}",
                ["A", "C", "D", "E", "F", "G", "H", "J", "K", "M"][i]
            )
            .as_bytes(),
            EN,
        );
        assert_eq!(res.status, 404, "attempt {i}");
        assert!(res.body.contains("No gift has this code"));
    }
    let res = staff.post_form("/staff/redeem", &[("csrf", &token), ("code", &code)]);
    assert_eq!(
        res.status, 429,
        "the 11th lookup is refused, even a valid one"
    );
    // The same address is throttled for another user too.
    let other = owner.clone();
    let token = other.csrf("/staff/redeem");
    assert_eq!(
        other
            .post_form(
                "/staff/redeem/confirm",
                &[("csrf", &token), ("code", &code)]
            )
            .status,
        429
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM gifts WHERE status = 'redeemed'"),
        0
    );
});

both!(
    expired_and_voided_gifts_are_refused_with_the_reason,
    |backend| {
        let (app, smtp) = app_with_mail(backend);
        let owner = app.login(OWNER);
        let item = add_item(&app, &owner, "Cake", "8", "5");
        let ticket = noors_complaint(&app).submit().ticket_id();
        smtp.wait_for(3, WAIT);
        smtp.clear();
        let first = gift_id_of(&send(
            &owner,
            &format!("/staff/tickets/{ticket}/gift"),
            item,
            &[],
        ));
        let second = gift_id_of(&send(
            &owner,
            "/staff/gifts/new",
            item,
            &[("email", "two@example.org")],
        ));
        let mails = gift_mails(&smtp, 2);
        let link_of = |to: &str| gift_link(mails.iter().find(|m| m.to() == to).unwrap());
        let (first_link, second_link) = (link_of(CUSTOMER), link_of("two@example.org"));
        let first_code = code_on(&app.client().get(&first_link));
        let second_code = code_on(&app.client().get(&second_link));

        // Void needs the confirmation, and an owner.
        let staff = app.login(STAFF);
        let token = staff.csrf("/staff/gifts");
        assert_eq!(
            staff
                .post_form(
                    &format!("/staff/gifts/{first}/void"),
                    &[("csrf", &token), ("confirm", "yes")]
                )
                .status,
            404
        );
        let token = owner.csrf(&format!("/staff/gifts/{first}"));
        let res = owner.post_form(&format!("/staff/gifts/{first}/void"), &[("csrf", &token)]);
        assert_eq!(res.status, 422);
        assert_eq!(status_of(&app, first), "sent");
        let res = owner.post_form(
            &format!("/staff/gifts/{first}/void"),
            &[("csrf", &token), ("confirm", "yes")],
        );
        assert_eq!(res.status, 303);
        assert_eq!(status_of(&app, first), "void");
        let res = redeem(&staff, &first_code);
        assert_eq!(res.status, 409);
        let body = html_unescape(&res.body);
        // In Dutch: the request names no language.
        let void = body.contains("Dit cadeau is op ") && body.contains(" ongeldig gemaakt.");
        assert!(void, "{body}");
        assert!(app
            .client()
            .get(&first_link)
            .body
            .contains("no longer valid"));
        assert!(timeline(&owner, ticket).contains("Gift voided: Cake"));

        // 30 days valid: a day later still fine to look at, past it refused.
        app.advance(31 * 24 * 3600);
        let staff = app.login(STAFF);
        let res = redeem(&staff, &second_code);
        assert_eq!(res.status, 409);
        let expired = html_unescape(&res.body).contains("Dit cadeau is verlopen op ");
        assert!(
            expired,
            "in Dutch, as no language was asked for: {}",
            res.body
        );
        assert_eq!(status_of(&app, second), "sent", "nothing changed");
        assert!(app
            .client()
            .get(&second_link)
            .body
            .contains("This gift expired on"));
    }
);

both!(ids_that_are_not_there_read_as_not_found, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let staff = app.login(STAFF);
    assert_eq!(owner.get("/staff/gifts/999999").status, 404);
    assert_eq!(owner.get("/staff/tickets/999999/gift").status, 404);
    assert_eq!(owner.get("/staff/gifts/not-a-number").status, 404);
    assert_eq!(app.client().get("/v/AAAAAAAAAAAAAAAAAAAAAA").status, 404);
    assert_eq!(app.client().get("/v/short").status, 404);
    let token = owner.csrf("/staff/gifts");
    for path in [
        "/staff/gifts/999999/approve",
        "/staff/gifts/999999/decline",
        "/staff/gifts/999999/void",
        "/staff/gifts/budget/999999",
    ] {
        let res = owner.post_form(path, &[("csrf", &token), ("confirm", "yes")]);
        assert_eq!(res.status, 404, "{path}");
    }
    let res = owner.post_form(
        "/staff/gifts/catalogue/999999/active",
        &[("csrf", &token), ("active", "false")],
    );
    assert_eq!(res.status, 404);
    // Owner pages are not there for staff; nobody logged out sees anything.
    let token = staff.csrf("/staff/gifts");
    assert_eq!(
        staff
            .post_form("/staff/gifts/catalogue", &[("csrf", &token)])
            .status,
        404
    );
    assert_eq!(app.client().get("/staff/gifts").status, 303);
    assert_eq!(app.client().get("/staff/redeem").status, 303);
    // No CSRF token, no change.
    let item = add_item(&app, &owner, "Cake", "8", "5");
    let res = owner.post_form(
        &format!("/staff/gifts/catalogue/{item}/remove"),
        &[("csrf", "wrong")],
    );
    assert_eq!(res.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM gift_catalogue"), 1);
});

both!(
    two_sends_at_once_cannot_both_slip_under_the_budget,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        let item = add_item(&app, &owner, "Dinner", "25", "20");
        let location = location_id(&app);
        let token = owner.csrf("/staff/gifts/catalogue");
        let res = owner.post_form(
            &format!("/staff/gifts/budget/{location}"),
            &[("csrf", &token), ("budget", "30"), ("approval_above", "")],
        );
        assert_eq!(res.status, 303);
        let staff = app.login(STAFF);
        // Two forms, each with its own key, sent at the same moment.
        let forms: Vec<(String, String)> = (0..2)
            .map(|_| {
                let form = staff.get("/staff/gifts/new");
                (form.hidden("csrf").unwrap(), form.hidden("key").unwrap())
            })
            .collect();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let (item, location) = (item.to_string(), location.to_string());
        let answers: Vec<Response> = std::thread::scope(|s| {
            let handles: Vec<_> = forms
                .iter()
                .enumerate()
                .map(|(i, (csrf, key))| {
                    let (staff, barrier, item, location) = (
                        staff.clone(),
                        barrier.clone(),
                        item.clone(),
                        location.clone(),
                    );
                    let email = format!("c{i}@example.org");
                    s.spawn(move || {
                        barrier.wait();
                        staff.post_form(
                            "/staff/gifts/new",
                            &[
                                ("csrf", csrf),
                                ("key", key),
                                ("catalogue_id", &item),
                                ("location_id", &location),
                                ("email", &email),
                                ("language", "en"),
                            ],
                        )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ids: Vec<i64> = answers.iter().map(gift_id_of).collect();
        let mut statuses: Vec<String> = ids.iter().map(|id| status_of(&app, *id)).collect();
        statuses.sort();
        assert_eq!(
            statuses,
            ["awaiting_approval", "sent"],
            "20 + 20 > 30: one waits"
        );
    }
);

both!(
    markup_in_a_message_stays_text_and_long_ones_are_refused,
    |backend| {
        let (app, smtp) = app_with_mail(backend);
        let owner = app.login(OWNER);
        let item = add_item(&app, &owner, "Cake", "8", "5");
        let long = "a".repeat(1001);
        let res = send(&owner, "/staff/gifts/new", item, &[("message", &long)]);
        assert_eq!(res.status, 422);
        assert!(res.body.contains(&long), "what was typed is kept");
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM gifts"), 0);
        let markup = "<script>alert(1)</script> & <b>thanks</b>";
        gift_id_of(&send(
            &owner,
            "/staff/gifts/new",
            item,
            &[("message", markup), ("name", "<i>Noor</i>")],
        ));
        let mail = &gift_mails(&smtp, 1)[0];
        assert!(
            mail.text_body().contains(markup),
            "plain text part as typed"
        );
        let html = mail.html_body();
        assert!(!html.contains("<script>alert(1)"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        let page = app.client().get(&gift_link(mail));
        assert!(!page.body.contains("<script>alert(1)"));
        assert!(page
            .body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;thanks&lt;/b&gt;"));
        assert!(page.body.contains("&lt;i&gt;Noor&lt;/i&gt;"));
        let list = owner.get("/staff/gifts");
        assert!(list.body.contains("&lt;i&gt;Noor&lt;/i&gt;") && !list.body.contains("<i>Noor"));
    }
);

both!(
    a_gift_reads_in_the_customers_language_or_the_locations_default,
    |backend| {
        let (app, smtp) = app_with_mail(backend);
        let owner = app.login(OWNER);
        app.write(|c| {
            use tellus::db::schema::locations;
            Ok(diesel::update(locations::table)
                .set((
                    locations::default_language.eq("fr"),
                    locations::languages.eq("fr,nl,de"),
                ))
                .execute(c)?)
        });
        // Written in French and Dutch; German readers get the French text.
        let token = owner.csrf("/staff/gifts/catalogue");
        let res = owner.post_form(
            "/staff/gifts/catalogue",
            &[
                ("csrf", &token),
                ("kind", "flowers"),
                ("title_nl", "Bloemen"),
                ("title_fr", "Des fleurs"),
                ("description_fr", "Un bouquet de saison"),
                ("redeem_nl", "Laat de code zien."),
                ("redeem_fr", "Montrez le code."),
                ("value", "20"),
                ("cost", "15"),
                ("validity_days", "30"),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let page = owner.get_with("/staff/gifts/catalogue", EN);
        let card = page
            .body
            .split("<section")
            .find(|s| s.contains("Des fleurs"))
            .unwrap_or_default();
        assert!(card.contains("Missing in: Nederlands, Deutsch"), "{card}");
        let item = app.count("SELECT id AS n FROM gift_catalogue WHERE title_fr = 'Des fleurs'");

        let stored = |id: i64| {
            app.read(move |c| {
                Ok(gifts::table
                    .find(id)
                    .select((gifts::title, gifts::redeem_how, gifts::language))
                    .first::<(String, String, String)>(c)?)
            })
        };
        let german = gift_id_of(&send(
            &owner,
            "/staff/gifts/new",
            item,
            &[("language", "de")],
        ));
        assert_eq!(
            stored(german),
            (
                "Des fleurs".to_owned(),
                "Montrez le code.".to_owned(),
                "de".to_owned()
            ),
            "the gift's texts in the default, the mail in German"
        );
        let mails = gift_mails(&smtp, 1);
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].subject(), "Ein Dankeschön von Bakkerij De Zon");
        assert!(mails[0].text_body().contains("Des fleurs"));
        let dutch = gift_id_of(&send(
            &owner,
            "/staff/gifts/new",
            item,
            &[("language", "nl"), ("email", "ander@example.net")],
        ));
        assert_eq!(stored(dutch).0, "Bloemen");
    }
);
