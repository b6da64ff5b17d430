//! Privacy on SQLite and PostgreSQL: the retention job (short period, fixed
//! clock) leaves nothing personal on old tickets and submissions while recent
//! ones and every count stay; the owner's export holds everything about one
//! address and nothing about anyone else; erasure leaves the address in no
//! text or binary column of any table (full-text index and its shadow
//! tables included) while another customer keeps everything; the CLI
//! commands; and the consent wording stored with each submission.

use data_encoding::BASE64_MIME;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use tellus::config::DatabaseUrl;
use tellus::db::schema::outbox;
use tellus::mail::inbound::{Inbox, Ingested};

use crate::both;
use crate::support::cli::Tellus;
use crate::support::gift::StoredGift;
use crate::support::{Backend, Client, TestApp};

const OWNER: &str = "owner@shop.example";
const STAFF: &str = "staff@shop.example";
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Posts a staff form on a ticket with the page's CSRF token.
fn act(staff: &Client, ticket_id: i64, action: &str, fields: &[(&str, &str)]) {
    let res = staff.ticket_action(&format!("/staff/tickets/{ticket_id}"), action, fields);
    assert_eq!(res.status, 303, "{action}: {}", res.body);
}

/// A staff reply and an internal note on a ticket.
fn work_on(app: &TestApp, ticket_id: i64, reply: &str, note: &str) {
    let staff = app.login(STAFF);
    act(
        &staff,
        ticket_id,
        "reply",
        &[("body", reply), ("then", "waiting")],
    );
    act(&staff, ticket_id, "note", &[("note", note)]);
}

/// The customer answers by mail, with a PDF attached.
fn mail_in(app: &TestApp, ticket_id: i64, from: &str, text: &str) {
    let inbox = Inbox::new(&app.state.config, app.state.mail.clone(), app.clock.clone());
    let to = inbox.replies.address(ticket_id);
    let raw = format!(
        "From: Customer <{from}>\r\nTo: <{to}>\r\nSubject: Re: your complaint\r\n\
         Message-ID: <m{ticket_id}-{n}@mail.example>\r\nDate: Mon, 30 Nov 2026 10:00:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\
         --b\r\nContent-Type: application/pdf; name=\"bon.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"bon.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--b--\r\n",
        n = text.len(),
        pdf = BASE64_MIME.encode(PDF).replace('\n', "\r\n"),
    );
    let db = app.state.db.clone();
    let out = actix_web::rt::System::new()
        .block_on(async move { tellus::mail::inbound::ingest(&db, &inbox, raw.into_bytes()).await })
        .expect("ingest");
    assert!(
        matches!(
            out,
            Ingested::Stored(tellus::domain::customer_reply::Outcome::Accepted {
                attachments: 1,
                ..
            })
        ),
        "mail accepted with its attachment: {out:?}"
    );
}

/// Closes a ticket now (as auto-close would).
fn close(app: &TestApp, ticket_id: i64) {
    let now = app.clock.now();
    app.write(move |c| {
        use tellus::db::schema::tickets;
        diesel::update(tickets::table.find(ticket_id))
            .set((tickets::status.eq("closed"), tickets::closed_at.eq(now)))
            .execute(c)?;
        Ok(())
    });
}

/// A gift (as the gifts pages would store it), on a ticket or not.
fn add_gift(app: &TestApp, ticket_id: Option<i64>, email: &str, message: &str, redeemed: bool) {
    let now = app.clock.now();
    app.store_gift(StoredGift {
        location_id: app.count("SELECT id AS n FROM locations"),
        ticket_id,
        title: "Flowers",
        description: "A bunch of tulips",
        redeem_how: "Show the code at the till",
        language: "en",
        value_cents: 2000,
        cost_cents: 1500,
        recipient_email: Some(email.to_owned()),
        recipient_name: Some("Gift Receiver"),
        message: message.to_owned(),
        status: if redeemed { "redeemed" } else { "sent" },
        created_at: now,
        sent_at: Some(now),
        expires_at: Some(now + chrono::Duration::days(30)),
        redeemed_at: redeemed.then_some(now),
    });
}

/// A mail to an address that belongs to no ticket (a gift's mail).
fn add_untied_mail(app: &TestApp, to: &str, subject: &str) {
    let (to, subject, now) = (to.to_owned(), subject.to_owned(), app.clock.now());
    app.write(move |c| {
        diesel::insert_into(outbox::table)
            .values((
                outbox::kind.eq("gift"),
                outbox::recipient.eq(&to),
                outbox::subject.eq(&subject),
                outbox::body_text.eq(format!("Dear {to}, {subject}")),
                outbox::body_html.eq(format!("<p>Dear {to}, {subject}</p>")),
                outbox::message_id.eq(format!("<gift-{}@shop.example>", subject.len())),
                outbox::status.eq("sent"),
                outbox::attempts.eq(1),
                outbox::next_attempt_at.eq(now),
                outbox::created_at.eq(now),
                outbox::sent_at.eq(Some(now)),
            ))
            .execute(c)?;
        Ok(())
    });
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Nullable<Text>)]
    t: Option<String>,
}

/// The first column (aliased `t`) of every row of `sql`, as text.
fn texts(app: &TestApp, sql: &str) -> Vec<Option<String>> {
    let sql = sql.to_owned();
    app.read(move |c| {
        Ok(diesel::sql_query(sql)
            .load::<Line>(c)?
            .into_iter()
            .map(|l| l.t)
            .collect())
    })
}

fn count(app: &TestApp, sql: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) AS n FROM {sql}"))
}

/// How many tickets the full-text index finds for one word.
fn search_hits(app: &TestApp, word: &str) -> i64 {
    match app.backend {
        Backend::Sqlite => count(
            app,
            &format!("ticket_search WHERE ticket_search MATCH '\"{word}\"'"),
        ),
        Backend::Postgres => count(
            app,
            &format!("ticket_search WHERE document @@ plainto_tsquery('simple', '{word}')"),
        ),
    }
}

/// Every (table, column) holding text or bytes where `needle` (lowercase)
/// occurs, in any case: every table of the database, the full-text index and
/// its shadow tables included.
fn places_holding(app: &TestApp, needle: &str) -> Vec<String> {
    let columns: Vec<(String, String, bool)> = match app.backend {
        Backend::Sqlite => {
            let tables = texts(
                app,
                "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            );
            tables
                .into_iter()
                .flatten()
                .flat_map(|table| {
                    texts(app, &format!("SELECT name AS t FROM pragma_table_info('{table}')"))
                        .into_iter()
                        .flatten()
                        .map(move |col| (table.clone(), col, false))
                        .collect::<Vec<_>>()
                })
                .collect()
        }
        Backend::Postgres => texts(
            app,
            "SELECT table_name || '|' || column_name || '|' || data_type AS t \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND data_type IN ('text', 'character varying', 'character', 'bytea', 'tsvector', 'json', 'jsonb')",
        )
        .into_iter()
        .flatten()
        .map(|line| {
            let parts: Vec<&str> = line.split('|').collect();
            (parts[0].to_owned(), parts[1].to_owned(), parts[2] == "bytea")
        })
        .collect(),
    };
    assert!(
        columns.len() > 50,
        "the scan sees the schema: {}",
        columns.len()
    );
    let find = |value: &str| match app.backend {
        Backend::Sqlite => format!("instr({value}, '{needle}')"),
        Backend::Postgres => format!("strpos({value}, '{needle}')"),
    };
    let mut found = Vec::new();
    for (table, column, bytes) in columns {
        let value = match (app.backend, bytes) {
            (Backend::Sqlite, _) => format!("lower(CAST(\"{column}\" AS TEXT))"),
            (Backend::Postgres, true) => format!("lower(encode(\"{column}\", 'escape'))"),
            (Backend::Postgres, false) => format!("lower(\"{column}\"::text)"),
        };
        let n = count(app, &format!("\"{table}\" WHERE {} > 0", find(&value)));
        if n > 0 {
            found.push(format!("{table}.{column} ({n})"));
        }
    }
    found
}

both!(
    retention_anonymises_what_is_past_the_period_and_keeps_the_numbers,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        // One month, set on the owner page; out-of-range values are refused.
        let csrf = owner.csrf("/staff/privacy");
        let bad = owner.post_form(
            "/staff/privacy/retention",
            &[("csrf", &csrf), ("months", "121")],
        );
        assert_eq!(bad.status, 422);
        assert!(
            bad.body
                .contains("Kies een heel aantal maanden van 1 tot 120."),
            "{}",
            bad.body
        );
        let res = owner.post_form(
            "/staff/privacy/retention",
            &[("csrf", &csrf), ("months", "1")],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(
            app.count("SELECT CAST(retention_months AS BIGINT) AS n FROM business_profile"),
            1
        );

        let oscar = app
            .complain(1)
            .message("OLDSECRET cake was stale")
            .contact("Oscar Oldname", "Oscar@Old.example")
            .lang("en")
            .submit();
        let (old_ref, old) = (oscar.reference.clone(), oscar.ticket_id());
        work_on(
            &app,
            old,
            "REPLYSECRET we are sorry",
            "NOTESECRET call the baker",
        );
        mail_in(&app, old, "oscar@old.example", "MAILSECRET thanks");
        add_gift(
            &app,
            Some(old),
            "oscar@old.example",
            "GIFTSECRET enjoy",
            false,
        );
        close(&app, old);
        // A happy face without a ticket, with a name.
        app.complain(4).name("Hanna Happyface").submit();
        // A ticket from the same time that is still open stays.
        let open = app
            .complain(1)
            .message("OPENSECRET")
            .contact("Olga Stillopen", "olga@open.example")
            .lang("en")
            .submit()
            .ticket_id();
        // A ticketless gift redeemed back then.
        add_gift(&app, None, "gert@gift.example", "LOOSEGIFTSECRET", true);
        add_untied_mail(&app, "gert@gift.example", "Your gift");

        app.advance(40 * 24 * 3600);
        let owner = app.login(OWNER);
        let new_ref = app
            .complain(1)
            .message("RECENTSECRET")
            .contact("Rita Recent", "rita@new.example")
            .lang("en")
            .submit()
            .reference;

        let numbers = |app: &TestApp| {
            [
                count(app, "feedback"),
                count(app, "tickets"),
                count(app, "gifts"),
                count(app, "ticket_messages"),
                count(app, "feedback WHERE face = 1"),
                count(app, "feedback WHERE face = 4"),
                count(app, "feedback WHERE channel = 'web'"),
                count(app, "tickets WHERE status = 'closed'"),
                count(app, "feedback WHERE contact_consent"),
                app.count("SELECT CAST(COALESCE(SUM(cost_cents), 0) AS BIGINT) AS n FROM gifts"),
            ]
        };
        let before = numbers(&app);
        let mails_before = count(&app, "outbox");
        assert_eq!(
            search_hits(&app, "oldname"),
            1,
            "the old ticket is searchable before"
        );
        assert_eq!(
            count(&app, &format!("attachments WHERE ticket_id = {old}")),
            1
        );

        tellus::jobs::run_now(&app.state).expect("jobs run");

        assert_eq!(numbers(&app), before, "no row gone, no number changed");
        assert!(count(&app, "outbox") >= mails_before, "no mail row deleted");
        let old_row = texts(
        &app,
        &format!(
            "SELECT COALESCE(message, '') || COALESCE(customer_name, '') || COALESCE(customer_email, '') AS t \
             FROM feedback WHERE reference = '{old_ref}' AND anonymised_at IS NOT NULL"
        ),
    );
        assert_eq!(
            old_row,
            vec![Some(String::new())],
            "the old submission is blank and marked"
        );
        assert_eq!(
            count(&app, "feedback WHERE customer_name = 'Hanna Happyface'"),
            0
        );
        assert_eq!(
            count(
                &app,
                "feedback WHERE face = 4 AND anonymised_at IS NOT NULL"
            ),
            1
        );
        assert_eq!(
            count(
                &app,
                &format!("ticket_messages WHERE ticket_id = {old} AND body <> ''")
            ),
            0
        );
        assert!(
            count(&app, &format!("ticket_messages WHERE ticket_id = {old}")) >= 2,
            "messages kept as rows"
        );
        assert_eq!(
            count(
                &app,
                &format!("ticket_events WHERE ticket_id = {old} AND body IS NOT NULL")
            ),
            0
        );
        assert!(
            count(
                &app,
                &format!("ticket_events WHERE ticket_id = {old} AND kind = 'note'")
            ) == 1
        );
        assert_eq!(
            count(&app, &format!("attachments WHERE ticket_id = {old}")),
            0,
            "attachments deleted"
        );
        assert_eq!(
            count(&app, &format!("inbound_mails WHERE ticket_id = {old}")),
            1
        );
        assert_eq!(
            count(
                &app,
                &format!(
                    "inbound_mails WHERE ticket_id = {old} AND (sender <> '' OR length(raw) > 0)"
                )
            ),
            0,
            "raw mail and sender emptied"
        );
        assert!(count(&app, &format!("outbox WHERE ticket_id = {old}")) >= 2);
        assert_eq!(
        count(&app, &format!(
            "outbox WHERE ticket_id = {old} AND (recipient <> '' OR subject <> '' OR body_text <> '' OR body_html <> '')"
        )),
        0,
        "the old ticket's mails are blank"
    );
        assert_eq!(
        count(&app, "gifts WHERE recipient_email IS NOT NULL OR recipient_name IS NOT NULL OR message <> ''"),
        0,
        "both old gifts are blank"
    );
        assert_eq!(
            count(&app, "outbox WHERE recipient = 'gert@gift.example'"),
            0
        );
        for word in ["oldname", "oscar", "oldsecret", "replysecret", "mailsecret"] {
            assert_eq!(search_hits(&app, word), 0, "search finds nothing by {word}");
        }
        for secret in [
            "oldsecret",
            "replysecret",
            "notesecret",
            "mailsecret",
            "giftsecret",
            "oscar@old.example",
            "hanna",
        ] {
            assert_eq!(
                places_holding(&app, secret),
                Vec::<String>::new(),
                "{secret} is gone"
            );
        }
        // What is recent or still open is untouched.
        assert_eq!(count(&app, &format!("feedback WHERE reference = '{new_ref}' AND customer_email = 'rita@new.example' AND message = 'RECENTSECRET'")), 1);
        assert_eq!(search_hits(&app, "rita"), 1);
        assert_eq!(
            count(
                &app,
                "feedback WHERE customer_name = 'Olga Stillopen' AND anonymised_at IS NULL"
            ),
            1
        );
        assert_eq!(search_hits(&app, "stillopen"), 1);
        assert!(
            count(
                &app,
                &format!("outbox WHERE ticket_id = {open} AND recipient = 'olga@open.example'")
            ) >= 1
        );

        // The page tells when it ran and what it did; a second run today does nothing.
        let page = owner.get_with("/staff/privacy", &[("Accept-Language", "en")]);
        assert!(
            page.body.contains("The retention job last ran at"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("<th scope=\"row\">Submissions</th><td>2</td>"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("<th scope=\"row\">Attachments</th><td>1</td>"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("<th scope=\"row\">Gifts</th><td>2</td>"),
            "{}",
            page.body
        );
        assert_eq!(
            count(&app, "audit_log WHERE action = 'privacy.retention'"),
            1
        );
        tellus::jobs::run_now(&app.state).expect("jobs run again");
        assert_eq!(
            count(&app, "audit_log WHERE action = 'privacy.retention'"),
            1
        );
        assert_eq!(count(&app, "feedback WHERE anonymised_at IS NOT NULL"), 2);
    }
);

/// Two customers with a thread each; returns the ticket ids.
fn two_customers(app: &TestApp) -> (i64, i64) {
    let erin = app
        .complain(1)
        .message("ERINSECRET the bread was burnt")
        .contact("Erin Example", "Erin@Example.NET")
        .lang("en")
        .submit()
        .ticket_id();
    work_on(
        app,
        erin,
        "REPLYTOERIN sorry",
        "NOTEABOUTERIN regular customer",
    );
    mail_in(app, erin, "erin@example.net", "ERINMAIL thanks");
    add_gift(app, Some(erin), "erin@example.net", "GIFTFORERIN", false);
    add_gift(app, None, "ERIN@example.net", "LOOSEGIFTFORERIN", false);
    add_untied_mail(app, "erin@example.net", "Your flowers");
    let olaf = app
        .complain(1)
        .message("OLAFSECRET")
        .contact("Olaf Other", "olaf@other.example")
        .lang("en")
        .submit()
        .ticket_id();
    work_on(app, olaf, "REPLYTOOLAF", "NOTEABOUTOLAF");
    mail_in(app, olaf, "olaf@other.example", "OLAFMAIL");
    (erin, olaf)
}

both!(export_holds_everything_about_one_address, |backend| {
    let app = TestApp::with_shop(backend);
    two_customers(&app);
    let owner = app.login(OWNER);
    let csrf = owner.csrf("/staff/privacy");
    let forged = owner.post_form(
        "/staff/privacy/export",
        &[("csrf", "wrong"), ("email", "erin@example.net")],
    );
    assert_ne!(forged.status, 200, "no export without the CSRF token");
    let bad = owner.post_form(
        "/staff/privacy/export",
        &[("csrf", &csrf), ("email", "not an address")],
    );
    assert_eq!(bad.status, 422);

    let res = owner.post_form(
        "/staff/privacy/export",
        &[("csrf", &csrf), ("email", "  ERIN@example.net ")],
    );
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert!(res
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment")));
    assert!(res
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/json")));
    let json: serde_json::Value = serde_json::from_str(&res.body).expect("JSON");
    assert_eq!(json["email"], "erin@example.net");
    let subs = json["submissions"].as_array().expect("submissions");
    assert_eq!(subs.len(), 1);
    let s = &subs[0];
    assert_eq!(s["name"], "Erin Example");
    assert_eq!(s["email"], "Erin@Example.NET");
    assert_eq!(s["message"], "ERINSECRET the bread was burnt");
    assert_eq!(s["face"], 1);
    assert_eq!(s["channel"], "web");
    assert_eq!(s["language"], "en");
    assert_eq!(s["location"], "Bakkerij De Zon");
    assert_eq!(
        s["consent"]["wording"],
        "Email me about this complaint\nWe use your address only for this complaint."
    );
    assert_eq!(s["consent"]["given_at"], s["created_at"]);
    let ticket = &s["ticket"];
    assert_eq!(ticket["status"], "open", "the mail reply reopened it");
    let thread: Vec<(String, String)> = ticket["thread"]
        .as_array()
        .expect("thread")
        .iter()
        .map(|m| {
            (
                m["author"].as_str().unwrap().to_owned(),
                m["body"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        thread.contains(&("staff".to_owned(), "REPLYTOERIN sorry".to_owned())),
        "{thread:?}"
    );
    assert!(
        thread
            .iter()
            .any(|(a, b)| a == "customer" && b.contains("ERINMAIL thanks")),
        "{thread:?}"
    );
    assert_eq!(ticket["internal_notes"][0]["author"], "internal_note");
    assert_eq!(
        ticket["internal_notes"][0]["body"],
        "NOTEABOUTERIN regular customer"
    );
    assert_eq!(ticket["attachments"][0]["file_name"], "bon.pdf");
    assert_eq!(ticket["attachments"][0]["content_type"], "application/pdf");
    assert_eq!(ticket["attachments"][0]["size"], PDF.len());
    assert_eq!(json["inbound_mails"].as_array().unwrap().len(), 1);
    assert_eq!(json["inbound_mails"][0]["sender"], "erin@example.net");
    let kinds: Vec<&str> = json["mails_sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"acknowledgement")
            && kinds.contains(&"staff_reply")
            && kinds.contains(&"gift"),
        "{kinds:?}"
    );
    let gifts = json["gifts"].as_array().unwrap();
    assert_eq!(gifts.len(), 2);
    assert_eq!(gifts[0]["title"], "Flowers");
    assert_eq!(gifts[0]["value_cents"], 2000);
    assert!(
        gifts[0].get("code_hash").is_none() && !res.body.contains("code"),
        "never a code"
    );
    for other in ["olaf", "OLAF"] {
        assert!(
            !res.body.contains(other),
            "nothing about the other customer"
        );
    }
    let audit = texts(
        &app,
        "SELECT detail AS t FROM audit_log WHERE action = 'privacy.export'",
    );
    assert_eq!(audit.len(), 1);
    assert!(audit[0]
        .as_deref()
        .is_some_and(|d| d.contains("submissions=1") && !d.contains('@')));
});

both!(erasure_leaves_no_trace_of_the_address, |backend| {
    let app = TestApp::with_shop(backend);
    let (erin, olaf) = two_customers(&app);
    let owner = app.login(OWNER);
    let csrf = owner.csrf("/staff/privacy");
    assert!(
        !places_holding(&app, "erin@example.net").is_empty(),
        "the scan finds the address before"
    );

    let step = owner.post_form(
        "/staff/privacy/erase",
        &[("csrf", &csrf), ("email", "Erin@Example.net")],
    );
    assert_eq!(step.status, 200, "{}", step.body);
    assert!(
        step.body.contains("erin@example.net"),
        "the confirmation names the address"
    );
    let unconfirmed = owner.post_form(
        "/staff/privacy/erase/confirm",
        &[("csrf", &csrf), ("email", "erin@example.net")],
    );
    assert_eq!(unconfirmed.status, 422, "nothing happens without the tick");
    assert_eq!(
        count(&app, "feedback WHERE customer_name = 'Erin Example'"),
        1
    );

    let done = owner.post_form(
        "/staff/privacy/erase/confirm",
        &[
            ("csrf", &csrf),
            ("email", "erin@example.net"),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    for secret in [
        "erin@example.net",
        "erinsecret",
        "replytoerin",
        "noteabouterin",
        "erinmail",
        "giftforerin",
        "erin example",
    ] {
        assert_eq!(
            places_holding(&app, secret),
            Vec::<String>::new(),
            "{secret} is gone everywhere"
        );
    }
    assert_eq!(search_hits(&app, "erin"), 0);
    assert_eq!(
        count(&app, &format!("attachments WHERE ticket_id = {erin}")),
        0
    );
    assert_eq!(count(&app, "tickets"), 2, "the ticket rows stay");
    // The other customer keeps everything.
    assert_eq!(
        count(
            &app,
            "feedback WHERE customer_email = 'olaf@other.example' AND message = 'OLAFSECRET'"
        ),
        1
    );
    assert_eq!(
        count(&app, &format!("attachments WHERE ticket_id = {olaf}")),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("ticket_events WHERE ticket_id = {olaf} AND body = 'NOTEABOUTOLAF'")
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            "inbound_mails WHERE sender = 'olaf@other.example' AND length(raw) > 0"
        ),
        1
    );
    assert!(
        count(
            &app,
            "outbox WHERE recipient = 'olaf@other.example' AND body_text <> ''"
        ) >= 2
    );
    assert_eq!(search_hits(&app, "olafsecret"), 1);
    let audit = texts(
        &app,
        "SELECT detail AS t FROM audit_log WHERE action = 'privacy.erase'",
    );
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0]
            .as_deref()
            .is_some_and(|d| d.contains("submissions=1") && d.contains("gifts=2")),
        "{audit:?}"
    );
});

/// The `tellus` binary on the app's database.
fn cli(app: &TestApp, dir: &tempfile::TempDir) -> Tellus {
    let url = match &app.state.config.database_url {
        DatabaseUrl::Sqlite(path) => path.to_string_lossy().into_owned(),
        DatabaseUrl::Postgres(url) => url.clone(),
    };
    Tellus::new(dir.path(), Some(url))
}

both!(the_command_line_exports_and_erases, |backend| {
    let app = TestApp::with_shop(backend);
    two_customers(&app);
    let dir = tempfile::tempdir().expect("temp dir");
    let out = cli(&app, &dir).run(&["export-customer", " ERIN@example.net"], "");
    out.assert_success();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["submissions"][0]["name"], "Erin Example");
    assert_eq!(json["gifts"].as_array().map(Vec::len), Some(2));

    let bad = cli(&app, &dir).run(&["erase-customer", "nobody"], "");
    assert!(!bad.status.success(), "an invalid address is refused");
    let out = cli(&app, &dir).run(&["erase-customer", "erin@example.net"], "");
    out.assert_success();
    assert!(
        out.stdout.contains("submissions=1") && out.stdout.contains("attachments=1"),
        "{}",
        out.stdout
    );
    assert_eq!(
        places_holding(&app, "erin@example.net"),
        Vec::<String>::new()
    );
    assert_eq!(
        count(&app, "feedback WHERE customer_name = 'Olaf Other'"),
        1
    );
    let again = cli(&app, &dir).run(&["export-customer", "erin@example.net"], "");
    let json: serde_json::Value = serde_json::from_str(&again.stdout).expect("JSON on stdout");
    assert_eq!(json["submissions"].as_array().map(Vec::len), Some(0));
});

both!(
    each_submission_keeps_the_consent_wording_it_agreed_to,
    |backend| {
        let app = TestApp::with_shop(backend);
        app.complain(1)
            .message("Form with consent")
            .contact("Nina", "nina@example.net")
            .lang("en")
            .submit();
        app.complain(2).message("No address").lang("nl").submit();
        // The kiosk shows the box's label alone.
        let tablet = app.paired_tablet(&app.login(OWNER), "nl");
        let kiosk = |fields: &[(&str, &str)]| {
            let res = tablet.kiosk_post(fields);
            assert_eq!(res.status, 200, "{}", res.body);
        };
        kiosk(&[
            ("face", "1"),
            ("message", "Kiosk consent"),
            ("email", "kim@example.net"),
            ("consent", "yes"),
            ("lang", "nl"),
            ("key", "kiosk-key-1"),
        ]);
        app.advance(10);
        kiosk(&[
            ("face", "1"),
            ("message", "Kiosk no address"),
            ("lang", "nl"),
            ("key", "kiosk-key-2"),
        ]);

        let wording = |message: &str| {
            texts(
            &app,
            &format!(
                "SELECT w.language || ':' || w.wording AS t FROM feedback f \
                 LEFT JOIN consent_wordings w ON w.id = f.consent_wording_id WHERE f.message = '{message}'"
            ),
        )
        };
        assert_eq!(
            wording("Form with consent"),
            vec![Some(
                "en:Email me about this complaint\nWe use your address only for this complaint."
                    .to_owned()
            )]
        );
        assert_eq!(
            wording("Kiosk consent"),
            vec![Some("nl:Mail me over deze klacht".to_owned())]
        );
        assert_eq!(wording("No address"), vec![None], "no consent, no wording");
        assert_eq!(wording("Kiosk no address"), vec![None]);
        // One row per language and text (form and kiosk, four languages),
        // however many submissions.
        assert_eq!(count(&app, "consent_wordings"), 8);
    }
);
