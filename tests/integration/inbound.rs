//! Replies by email, on SQLite and PostgreSQL: customer mail carries a signed
//! per-ticket Reply-To (staff alerts do not); a raw reply piped through the
//! real `tellus ingest-mail` lands in the right ticket without its quoted
//! history and signature, reopens a resolved ticket, alerts staff and keeps
//! its images and PDFs for staff to download with safe headers; forged
//! addresses are rejected with nothing attached anywhere; the same mail
//! twice is stored once, and a Message-ID stored for one ticket does not
//! make a mail to another ticket a duplicate; auto-replies are kept but ignored; a reply to a
//! merged ticket stays on its own thread and wakes the ticket it was merged into; and the IMAP path
//! against a real Dovecot.

use std::time::{Duration, Instant};

use data_encoding::BASE64_MIME;
use tellus::config::DatabaseUrl;
use tellus::mail::inbound::ReplyAddresses;

use crate::both;
use crate::support::cli::{Output, Tellus};
use crate::support::imap::ImapServer;
use crate::support::{Backend, Complaint, SmtpServer, TestApp};

/// The secret key the test harness configures.
const SECRET: &str = "test-secret-key-0123456789abcdef-0123456789";
/// The customer in these tests.
const CUSTOMER: &str = "jan@customer.example";
/// Longest wait for something the server does in the background.
const WAIT: Duration = Duration::from_secs(30);

/// A complaint with an address and consent.
fn jans_complaint<'a>(app: &'a TestApp, message: &str) -> Complaint<'a> {
    app.complain(1).message(message).contact("Jan", CUSTOMER)
}

/// A small but real PNG header and body (the content decides the type).
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
/// A PDF, as far as its magic bytes go.
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
/// An SVG, which must never be kept (it can carry script).
const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

fn start(backend: Backend, env: &[(&str, &str)]) -> TestApp {
    let mut builder = TestApp::builder(backend);
    for (name, value) in env {
        builder = builder.env(name, value);
    }
    builder.with_shop()
}

fn replies(app: &TestApp) -> ReplyAddresses {
    ReplyAddresses::new(app.state.signer.clone(), "shop.example")
}

/// The `tellus` binary on the app's database with the app's key.
fn cli(app: &TestApp, dir: &tempfile::TempDir) -> Tellus {
    let url = match &app.state.config.database_url {
        DatabaseUrl::Sqlite(path) => path.to_string_lossy().into_owned(),
        DatabaseUrl::Postgres(url) => url.clone(),
    };
    Tellus::new(dir.path(), Some(url))
}

/// Pipes a raw mail through `tellus ingest-mail`.
fn ingest(app: &TestApp, raw: &str) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    cli(app, &dir).run_with(
        &["ingest-mail"],
        raw,
        &[
            ("TELLUS_SECRET_KEY", SECRET),
            ("TELLUS_MAIL_FROM", "Tellus <tellus@shop.example>"),
            ("TELLUS_BASE_URL", &app.base),
        ],
    )
}

fn count(app: &TestApp, sql: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) AS n FROM {sql}"))
}

fn status(app: &TestApp, ticket_id: i64) -> String {
    app.read(move |c| {
        use diesel::prelude::*;
        use tellus::db::schema::tickets;
        Ok(tickets::table
            .find(ticket_id)
            .select(tickets::status)
            .first::<String>(c)?)
    })
}

/// The customer messages of a ticket, oldest first.
fn customer_messages(app: &TestApp, ticket_id: i64) -> Vec<String> {
    app.read(move |c| {
        use diesel::prelude::*;
        use tellus::db::schema::ticket_messages as m;
        Ok(m::table
            .filter(m::ticket_id.eq(ticket_id))
            .filter(m::author.eq("customer"))
            .order(m::id.asc())
            .select(m::body)
            .load::<String>(c)?)
    })
}

fn set_status(app: &TestApp, ticket_id: i64, to: &str) {
    let sql = format!("UPDATE tickets SET status = '{to}' WHERE id = {ticket_id}");
    app.write(move |c| {
        use diesel::RunQueryDsl;
        diesel::sql_query(sql).execute(c)?;
        Ok(())
    });
}

/// A plain reply from `from` to `to`.
fn simple_mail(from: &str, to: &str, message_id: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "From: Jan <{from}>\r\nTo: {to}\r\nSubject: Re: your complaint\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 30 Nov 2026 10:00:00 +0100\r\n{extra_headers}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

fn base64(data: &[u8]) -> String {
    BASE64_MIME.encode(data).replace('\n', "\r\n")
}

/// A reply as a mail program writes it: text and HTML, the quoted history,
/// a signature, a photo (declared as a JPEG, really a PNG), a PDF and an SVG.
fn rich_reply(to: &str, message_id: &str) -> String {
    let text = "Thank you, the replacement cake was lovely.\r\n\
                I attach the receipt and a photo.\r\n\r\n\
                On Mon, 30 Nov 2026 at 09:00, Bakkerij De Zon <tellus@shop.example> wrote:\r\n\
                > We are sorry about the SECRET-QUOTED-CAKE.\r\n\
                > Kind regards\r\n\r\n\
                -- \r\nJan Jansen\r\nSIGNATURE-LINE\r\n";
    let html = "<html><body><p>Thank you, the replacement cake was lovely.</p>\
                <blockquote>We are sorry about the SECRET-QUOTED-CAKE.</blockquote></body></html>";
    format!(
        "From: Jan <{CUSTOMER}>\r\n\
         To: \"Bakkerij De Zon\" <{to}>\r\n\
         Subject: Re: We received your feedback\r\n\
         Message-ID: <{message_id}>\r\n\
         Date: Mon, 30 Nov 2026 10:00:00 +0100\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n\
         --outer\r\n\
         Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n\
         --inner\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n\
         {text}\r\n\
         --inner\r\n\
         Content-Type: text/html; charset=utf-8\r\n\r\n\
         {html}\r\n\
         --inner--\r\n\
         --outer\r\n\
         Content-Type: image/jpeg; name=\"../../taart foto.jpg\"\r\n\
         Content-Disposition: attachment; filename=\"../../taart foto.jpg\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n\
         {png}\r\n\
         --outer\r\n\
         Content-Type: application/pdf; name=\"bon.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"bon.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n\
         {pdf}\r\n\
         --outer\r\n\
         Content-Type: image/png; name=\"logo.png\"\r\n\
         Content-Disposition: attachment; filename=\"logo.png\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n\
         {svg}\r\n\
         --outer--\r\n",
        png = base64(PNG),
        pdf = base64(PDF),
        svg = base64(SVG),
    )
}

/// (id, file name, content type) of a ticket's attachments.
fn attachments(app: &TestApp, ticket_id: i64) -> Vec<(i64, String, String)> {
    app.read(move |c| tellus::domain::attachment::metas_for_tickets(c, &[ticket_id]))
        .into_iter()
        .map(|a| (a.id, a.file_name, a.content_type))
        .collect()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

both!(forged_reply_addresses_are_rejected, |backend| {
    let app = start(backend, &[]);
    let a = jans_complaint(&app, "Cold coffee").submit().ticket_id();
    let b = jans_complaint(&app, "Stale bread").submit().ticket_id();
    let replies = replies(&app);
    let genuine_a = replies.address(a);
    let signature_a = genuine_a
        .strip_prefix(&format!("reply+{a}."))
        .and_then(|s| s.split('@').next())
        .expect("signature")
        .to_owned();

    let forged = [
        // Another ticket's id with a genuine-looking (ticket A's) signature.
        format!("reply+{b}.{signature_a}@shop.example"),
        // A made-up signature.
        format!("reply+{a}.abcdefghijklmnopqrstuvwx@shop.example"),
        // No signature at all.
        format!("reply+{a}@shop.example"),
        // Not a reply address.
        "tellus@shop.example".to_owned(),
    ];
    for (n, to) in forged.iter().enumerate() {
        let out = ingest(
            &app,
            &simple_mail(CUSTOMER, to, &format!("forged-{n}@x"), "", "Take this!"),
        );
        assert_eq!(out.status.code(), Some(67), "{to} rejected: {out:?}");
        assert!(
            out.stderr.contains("rejected"),
            "says why on stderr: {out:?}"
        );
    }
    let garbage = ingest(&app, "this is not a mail message at all");
    assert_eq!(garbage.status.code(), Some(65), "{garbage:?}");

    assert_eq!(count(&app, "ticket_messages"), 0, "nothing on any ticket");
    assert_eq!(count(&app, "inbound_mails"), 0, "nothing stored");
    assert_eq!(
        count(&app, "outbox WHERE kind = 'customer_reply'"),
        0,
        "no alert"
    );

    // The genuine address of ticket A works, and only for A.
    let out = ingest(
        &app,
        &simple_mail(CUSTOMER, &genuine_a, "real@x", "", "Still cold."),
    );
    out.assert_success();
    assert_eq!(customer_messages(&app, a), ["Still cold."]);
    assert!(customer_messages(&app, b).is_empty());
});

both!(
    a_message_id_stored_for_one_ticket_does_not_silence_another,
    |backend| {
        let app = start(backend, &[]);
        let a = jans_complaint(&app, "Cold coffee").submit().ticket_id();
        let b = jans_complaint(&app, "Stale bread").submit().ticket_id();
        let replies = replies(&app);
        // A reply to A carries the Message-ID that B's customer will use.
        let to_a = simple_mail(CUSTOMER, &replies.address(a), "shared@x", "", "About A.");
        ingest(&app, &to_a).assert_success();
        assert_eq!(customer_messages(&app, a), ["About A."]);

        // B's reply with that Message-ID is another mail: stored on B.
        let to_b = simple_mail(CUSTOMER, &replies.address(b), "shared@x", "", "About B.");
        let out = ingest(&app, &to_b);
        out.assert_success();
        assert_eq!(customer_messages(&app, b), ["About B."], "{out:?}");
        assert_eq!(customer_messages(&app, a), ["About A."], "A unchanged");
        assert_eq!(
            count(&app, &format!("inbound_mails WHERE ticket_id = {b}")),
            1
        );

        // The very same mail to B again is stored once.
        ingest(&app, &to_b).assert_success();
        assert_eq!(customer_messages(&app, b), ["About B."]);
        assert_eq!(
            count(&app, &format!("inbound_mails WHERE ticket_id = {b}")),
            1
        );
        assert_eq!(count(&app, "inbound_mails"), 2);

        // Without a Message-ID, the digest of the raw mail decides: the
        // same bytes twice are one mail, other bytes another.
        let bare = |text: &str| {
            format!(
                "From: Jan <{CUSTOMER}>\r\nTo: {}\r\nSubject: Re: x\r\n\r\n{text}\r\n",
                replies.address(b)
            )
        };
        ingest(&app, &bare("No id.")).assert_success();
        ingest(&app, &bare("No id.")).assert_success();
        ingest(&app, &bare("No id, again.")).assert_success();
        assert_eq!(
            customer_messages(&app, b),
            ["About B.", "No id.", "No id, again."]
        );
    }
);

both!(a_real_reply_lands_in_its_ticket, |backend| {
    let app = start(backend, &[]);
    let other = jans_complaint(&app, "Other ticket").submit().ticket_id();
    let ticket = jans_complaint(&app, "The cake was squashed")
        .submit()
        .ticket_id();
    set_status(&app, ticket, "resolved");
    let staff_alerts_before = count(&app, "outbox WHERE kind = 'customer_reply'");

    let raw = rich_reply(&replies(&app).address(ticket), "rich-1@customer.example");
    let out = ingest(&app, &raw);
    out.assert_success();

    let messages = customer_messages(&app, ticket);
    assert_eq!(
        messages,
        ["Thank you, the replacement cake was lovely.\nI attach the receipt and a photo."],
        "the reply without quote or signature"
    );
    assert!(
        customer_messages(&app, other).is_empty(),
        "other ticket untouched"
    );
    assert_eq!(status(&app, ticket), "open", "a resolved ticket reopens");
    assert_eq!(
        count(&app, "outbox WHERE kind = 'customer_reply'") - staff_alerts_before,
        2,
        "both staff members are alerted"
    );

    // The raw message is kept; the SVG was dropped and noted.
    let (stored_raw, reason) = app.read(|c| {
        use diesel::prelude::*;
        use tellus::db::schema::inbound_mails as i;
        Ok(i::table
            .select((i::raw, i::reason))
            .first::<(Vec<u8>, String)>(c)?)
    });
    assert_eq!(stored_raw, raw.as_bytes(), "raw message kept byte for byte");
    assert!(
        reason.contains("logo.png"),
        "dropped attachment noted: {reason}"
    );

    // Images and PDFs, typed by their content.
    let files = attachments(&app, ticket);
    assert_eq!(files.len(), 2, "{files:?}");
    let (photo_id, photo_name, photo_type) = files[0].clone();
    let (pdf_id, pdf_name, pdf_type) = files[1].clone();
    assert_eq!(photo_type, "image/png", "sniffed, not the declared JPEG");
    assert_eq!(photo_name, "taart foto.jpg.png");
    assert_eq!(
        (pdf_name.as_str(), pdf_type.as_str()),
        ("bon.pdf", "application/pdf")
    );

    // Staff download them with safe headers.
    let staff = app.login("staff@shop.example");
    let photo_path = format!("/staff/tickets/{ticket}/attachments/{photo_id}");
    let res = staff.get(&photo_path);
    assert_eq!(res.status, 200);
    let disposition = res.header("content-disposition").unwrap_or("");
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(disposition.contains("taart"), "{disposition}");
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(res.header("cache-control"), Some("no-store"));
    let page = staff.get(&format!("/staff/tickets/{ticket}"));
    assert!(page.body.contains(&photo_path), "listed on the ticket page");
    assert!(page.body.contains("bon.pdf"), "listed on the ticket page");
    let inline = staff.get(&format!("{photo_path}?inline=1"));
    assert_eq!(inline.status, 200);
    assert!(inline
        .header("content-disposition")
        .unwrap_or("")
        .starts_with("inline"));
    assert_eq!(inline.header("content-type"), Some("image/png"));
    let pdf_path = format!("/staff/tickets/{ticket}/attachments/{pdf_id}");
    let pdf = staff.get(&format!("{pdf_path}?inline=1"));
    assert_eq!(pdf.status, 200);
    assert!(
        pdf.header("content-disposition")
            .unwrap_or("")
            .starts_with("attachment"),
        "a PDF is never inline"
    );
    assert_eq!(pdf.body.as_bytes(), PDF, "the PDF as sent");

    // Through another ticket's address, or without a login: nothing.
    let wrong = staff.get(&format!("/staff/tickets/{other}/attachments/{photo_id}"));
    assert_eq!(wrong.status, 404);
    let anonymous = app.client().get(&photo_path);
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), Some("/staff/login"));

    // The same mail delivered twice is stored once.
    let again = ingest(&app, &raw);
    again.assert_success();
    assert_eq!(customer_messages(&app, ticket).len(), 1);
    assert_eq!(count(&app, "inbound_mails"), 1);
    assert_eq!(count(&app, "attachments"), 2);
});

both!(
    auto_replies_are_ignored_and_other_senders_recorded,
    |backend| {
        let app = start(backend, &[]);
        let ticket = jans_complaint(&app, "Too salty").submit().ticket_id();
        let to = replies(&app).address(ticket);
        let robots = [
            "Auto-Submitted: auto-replied\r\n",
            "Precedence: bulk\r\n",
            "X-Autoreply: yes\r\n",
        ];
        for (n, header) in robots.iter().enumerate() {
            let out = ingest(
                &app,
                &simple_mail(CUSTOMER, &to, &format!("robot-{n}@x"), header, "I am away."),
            );
            out.assert_success();
        }
        let out_of_office = simple_mail(CUSTOMER, &to, "ooo@x", "", "Back on Monday.").replace(
            "Subject: Re: your complaint",
            "Subject: Automatic reply: your complaint",
        );
        ingest(&app, &out_of_office).assert_success();
        assert!(
            customer_messages(&app, ticket).is_empty(),
            "no auto-reply in the thread"
        );
        assert_eq!(count(&app, "inbound_mails WHERE status = 'ignored'"), 4);
        assert_eq!(
            count(&app, "outbox WHERE kind = 'customer_reply'"),
            0,
            "no alert"
        );

        // Auto-Submitted: no is a person.
        let person = simple_mail(
            "jan.at.work@office.example",
            &to,
            "person@x",
            "Auto-Submitted: no\r\n",
            "Writing from work: it was far too salty.",
        );
        ingest(&app, &person).assert_success();
        assert_eq!(
            customer_messages(&app, ticket),
            ["Writing from work: it was far too salty."]
        );
        let (sender, other) = app.read(|c| {
            use diesel::prelude::*;
            use tellus::db::schema::inbound_mails as i;
            Ok(i::table
                .filter(i::status.eq("accepted"))
                .select((i::sender, i::other_sender))
                .first::<(String, bool)>(c)?)
        });
        assert_eq!(sender, "jan.at.work@office.example");
        assert!(
            other,
            "recorded as another sender than the customer's address"
        );
    }
);

both!(
    a_reply_to_a_merged_ticket_stays_with_its_customer_and_wakes_the_surviving_one,
    |backend| {
        let app = start(backend, &[]);
        let duplicate = jans_complaint(&app, "Same thing twice")
            .submit()
            .ticket_id();
        let surviving = jans_complaint(&app, "Same thing").submit().ticket_id();
        let sql = format!("UPDATE tickets SET merged_into_id = {surviving} WHERE id = {duplicate}");
        app.write(move |c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(sql).execute(c)?;
            Ok(())
        });
        let to = replies(&app).address(duplicate);
        ingest(
            &app,
            &simple_mail(CUSTOMER, &to, "merged@x", "", "Any news?"),
        )
        .assert_success();
        // On the duplicate's own thread (its customer's page shows only their
        // own ticket), and the surviving ticket is the one that wakes up.
        assert_eq!(customer_messages(&app, duplicate), ["Any news?"]);
        assert!(customer_messages(&app, surviving).is_empty());
        let alerts = app.count(&format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE ticket_id = {surviving} AND kind = 'customer_reply'"
        ));
        assert!(alerts > 0, "staff are told on the surviving ticket");
    }
);

both!(customer_mail_carries_the_signed_reply_to, |backend| {
    let smtp = SmtpServer::start();
    let app = start(backend, &[("TELLUS_SMTP_URL", &smtp.url())]);
    let ticket = jans_complaint(&app, "Wrong order").submit().ticket_id();
    // The acknowledgement and two staff alerts.
    let mails = smtp.wait_for(3, WAIT);
    let ack = mails
        .iter()
        .find(|m| m.rcpt_to == [CUSTOMER])
        .expect("acknowledgement");
    let reply_to = ack
        .header("Reply-To")
        .expect("Reply-To on the acknowledgement");
    let address = reply_to
        .rsplit_once('<')
        .map_or(reply_to.as_str(), |(_, a)| a.trim_end_matches('>'))
        .to_owned();
    assert_eq!(replies(&app).verify(&address), Some(ticket), "{reply_to}");
    assert!(address.ends_with("@shop.example"), "{address}");
    for alert in mails.iter().filter(|m| m.rcpt_to != [CUSTOMER]) {
        assert_eq!(
            alert.header("Reply-To"),
            None,
            "no Reply-To on staff alerts"
        );
    }

    // A staff reply carries it too.
    let staff = app.login("staff@shop.example");
    let res = staff.ticket_action(
        &format!("/staff/tickets/{ticket}"),
        "reply",
        &[("body", "Sorry, a new one is on its way.")],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    let mails = smtp.wait_for(4, WAIT);
    let staff_reply = mails
        .iter()
        .filter(|m| m.rcpt_to == [CUSTOMER])
        .nth(1)
        .expect("staff reply mail");
    assert_eq!(staff_reply.header("Reply-To"), Some(reply_to.clone()));

    // Answering to that address lands in the ticket and alerts staff by mail.
    ingest(
        &app,
        &simple_mail(CUSTOMER, &address, "answer@x", "", "Thanks!"),
    )
    .assert_success();
    assert_eq!(customer_messages(&app, ticket), ["Thanks!"]);
    app.kick_mail();
    let mails = smtp.wait_for(6, WAIT);
    let alerts: Vec<_> = mails.iter().skip(4).collect();
    assert_eq!(alerts.len(), 2);
    for alert in alerts {
        assert_ne!(alert.rcpt_to, [CUSTOMER]);
        assert_eq!(
            alert.header("Reply-To"),
            None,
            "no Reply-To on the reply alert"
        );
        assert!(
            alert.text_body().contains("Thanks!"),
            "{}",
            alert.text_body()
        );
    }
});

both!(imap_polling_ingests_and_marks_seen, |backend| {
    let Some(imap) = ImapServer::start() else {
        return;
    };
    let app = start(
        backend,
        &[
            ("TELLUS_IMAP_URL", &imap.url()),
            ("TELLUS_IMAP_POLL_SECONDS", "1"),
        ],
    );
    let ticket = jans_complaint(&app, "Burnt toast").submit().ticket_id();
    let to = replies(&app).address(ticket);
    imap.append(rich_reply(&to, "imap-1@customer.example").as_bytes());
    imap.append(
        simple_mail(
            CUSTOMER,
            "reply+1.aaaaaaaaaaaaaaaaaaaaaaaa@shop.example",
            "imap-forged@x",
            "",
            "Forged",
        )
        .as_bytes(),
    );

    wait_until("the reply is in the ticket", || {
        !customer_messages(&app, ticket).is_empty()
    });
    wait_until("both messages are marked seen", || {
        imap.search("UNSEEN").is_empty()
    });
    assert_eq!(
        customer_messages(&app, ticket),
        ["Thank you, the replacement cake was lovely.\nI attach the receipt and a photo."]
    );
    assert_eq!(attachments(&app, ticket).len(), 2);
    assert_eq!(imap.search("ALL").len(), 2, "{}", imap.log());
    assert_eq!(
        imap.search("FLAGGED").len(),
        1,
        "the forged mail is flagged"
    );
    assert_eq!(
        count(&app, "ticket_messages"),
        1,
        "the forged mail attached nowhere"
    );

    // Read again (as after a crash before \Seen): stored once.
    imap.append(rich_reply(&to, "imap-1@customer.example").as_bytes());
    wait_until("the copy is marked seen", || {
        imap.search("UNSEEN").is_empty()
    });
    assert_eq!(customer_messages(&app, ticket).len(), 1);
    assert_eq!(count(&app, "inbound_mails"), 1);
});
