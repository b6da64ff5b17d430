//! Mail as people receive it: the acknowledgement to the customer and the
//! alerts to staff over a real SMTP listener, threading of staff replies,
//! delivery after the SMTP server comes back (no mail lost, none twice), a
//! permanent failure shown on the staff ticket page, `.eml` files when no SMTP
//! server is set, customer text escaped in the HTML part, and stopping the
//! server in the middle of a send (the mail is kept, the process exits cleanly).

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::both;
use crate::support::cli::Tellus;
use crate::support::{link_in, smtp, Backend, Client, ReceivedMail, Response, SmtpServer, TestApp};

/// Longest wait for anything asynchronous.
const WAIT: Duration = Duration::from_secs(20);
/// The customer's address.
const CUSTOMER: &str = "anna@customer.example";
/// Every active account gets an alert.
const STAFF: [&str; 2] = ["owner@shop.example", "staff@shop.example"];
/// The From address the test harness configures.
const FROM: &str = "tellus@shop.example";

/// A server with the shop that sends mail to `smtp_url`. It listens on a port
/// chosen up front so that `TELLUS_BASE_URL` is the address it really serves:
/// links in mail can then be followed as a customer would.
fn start_app(backend: Backend, smtp_url: &str) -> TestApp {
    start_app_with(backend, smtp_url, &[])
}

fn start_app_with(backend: Backend, smtp_url: &str, env: &[(&str, &str)]) -> TestApp {
    let mut builder = TestApp::builder(backend).smtp(smtp_url).reachable();
    for (name, value) in env {
        builder = builder.env(name, value);
    }
    builder.with_shop()
}

/// Polls `done` every 50 ms for up to [`WAIT`].
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until the outbox records `n` mails as sent. Besides checking the
/// bookkeeping, this lets the worker finish its SMTP conversation before the
/// test server is stopped: stopping it mid-send currently aborts the whole
/// test process (see `stop_mid_send_keeps_mail`).
fn wait_all_sent(app: &TestApp, n: i64) {
    wait_until(&format!("the outbox records {n} mails as sent"), || {
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'") == n
    });
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox"),
        n,
        "nothing else queued"
    );
}

/// The mails whose only envelope recipient is `address`, oldest first.
fn mails_to<'a>(mails: &'a [ReceivedMail], address: &str) -> Vec<&'a ReceivedMail> {
    mails.iter().filter(|m| m.rcpt_to == [address]).collect()
}

/// The one mail to `address`.
fn only_mail_to<'a>(mails: &'a [ReceivedMail], address: &str) -> &'a ReceivedMail {
    let found = mails_to(mails, address);
    assert_eq!(
        found.len(),
        1,
        "exactly one mail to {address}, got {}",
        found.len()
    );
    found[0]
}

/// The Message-ID, checked to be a well-formed `<…@shop.example>`.
fn message_id(mail: &ReceivedMail) -> String {
    let id = mail.header("Message-ID").expect("Message-ID header");
    assert!(
        id.starts_with('<') && id.ends_with("@shop.example>") && id.len() > "<@shop.example>".len(),
        "Message-ID in the From domain: {id}"
    );
    id
}

/// Sent by the configured From address, as header and as envelope sender.
fn assert_from_tellus(mail: &ReceivedMail) {
    assert_eq!(mail.mail_from, FROM, "envelope sender");
    let from = mail.header("From").expect("From header");
    assert!(from.contains(FROM), "From header: {from}");
}

/// Both a text/plain and a text/html part.
fn assert_two_parts(mail: &ReceivedMail) {
    let raw = String::from_utf8_lossy(&mail.raw).to_lowercase();
    assert!(
        raw.contains("multipart/alternative"),
        "multipart/alternative mail"
    );
    assert!(!mail.text_body().trim().is_empty(), "text/plain part");
    assert!(mail.html_body().contains("<html"), "text/html part");
}

/// The first `{base}/t/…` link in a text body.
fn ticket_link(app: &TestApp, text: &str) -> String {
    link_in(text, &format!("{}/t/", app.base))
}

/// Opens a link from a staff alert as a logged-in staff member, following
/// one redirect; returns the page it ends on.
fn open_as_staff(staff: &Client, link: &str) -> Response {
    let res = staff.get(link);
    if res.status != 303 {
        return res;
    }
    let location = res.header("location").expect("redirect target");
    assert!(
        location.starts_with("/staff/tickets/"),
        "to the ticket: {location}"
    );
    staff.get(location)
}

/// A staff member's path to the newest ticket, from the inbox.
fn newest_ticket(staff: &Client) -> String {
    let inbox = staff.get("/staff/inbox");
    assert_eq!(inbox.status, 200);
    inbox
        .link("/staff/tickets/")
        .expect("a ticket in the inbox")
}

/// Replies on a ticket as a logged-in staff member.
fn staff_reply(staff: &Client, ticket: &str, body: &str) {
    let res = staff.ticket_action(ticket, "reply", &[("body", body)]);
    assert_eq!(res.status, 303, "reply accepted: {}", res.body);
}

both!(acknowledgement_and_staff_alerts, |backend| {
    let smtp = SmtpServer::start();
    let app = start_app(backend, &smtp.url());
    let reference = app
        .complain(1)
        .message("De croissants waren oud.")
        .contact("Anna", CUSTOMER)
        .submit()
        .reference;

    let mails = smtp.wait_for(3, WAIT);
    assert_eq!(mails.len(), 3, "one acknowledgement and two alerts");

    // The customer's acknowledgement.
    let ack = only_mail_to(&mails, CUSTOMER);
    assert_eq!(ack.to(), CUSTOMER);
    assert!(
        ack.subject().contains(&reference),
        "subject: {}",
        ack.subject()
    );
    assert_from_tellus(ack);
    assert_two_parts(ack);
    message_id(ack);
    let text = ack.text_body();
    assert!(text.contains(&reference), "reference in the text:\n{text}");
    assert!(
        text.contains("De croissants waren oud."),
        "their message quoted:\n{text}"
    );
    let link = ticket_link(&app, &text);
    assert!(
        ack.html_body().contains(&format!("href=\"{link}\"")),
        "same link in the HTML part"
    );

    // The link opens the customer's page.
    let page = app.client().get(&link);
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&reference) && page.body.contains("De croissants waren oud."));

    // One alert per staff account.
    let staff = app.login("staff@shop.example");
    let mut ids = HashSet::from([message_id(ack)]);
    for address in STAFF {
        let alert = only_mail_to(&mails, address);
        assert_eq!(alert.to(), address);
        let subject = alert.subject();
        assert!(
            subject.contains(&reference) && subject.contains("Bakkerij De Zon"),
            "alert subject: {subject}"
        );
        assert_from_tellus(alert);
        assert_two_parts(alert);
        // Its link opens the ticket for staff.
        let link = link_in(&alert.text_body(), &format!("{}/staff/", app.base));
        assert!(
            alert.html_body().contains(&format!("href=\"{link}\"")),
            "same link in the HTML part"
        );
        let page = open_as_staff(&staff, &link);
        assert_eq!(page.status, 200, "{link} opens for staff");
        assert!(
            page.body.contains(&reference) && page.body.contains("De croissants waren oud."),
            "{link} shows the ticket"
        );
        assert!(
            ids.insert(message_id(alert)),
            "every mail has its own Message-ID"
        );
    }

    // Nothing more arrives, and the outbox knows all three were sent.
    assert_eq!(
        smtp.wait_for(4, Duration::from_millis(500)).len(),
        3,
        "no extra mail"
    );
    wait_all_sent(&app, 3);
});

both!(staff_replies_are_threaded, |backend| {
    let smtp = SmtpServer::start();
    let app = start_app(backend, &smtp.url());
    let reference = app
        .complain(1)
        .message("Het brood was niet gesneden.")
        .contact("Anna", CUSTOMER)
        .submit()
        .reference;
    let mails = smtp.wait_for(3, WAIT);
    assert_eq!(mails.len(), 3);
    let ack = only_mail_to(&mails, CUSTOMER);
    let ack_id = message_id(ack);
    let link = ticket_link(&app, &ack.text_body());

    let staff = app.login("staff@shop.example");
    let ticket = newest_ticket(&staff);

    staff_reply(&staff, &ticket, "Sorry Anna, we bellen je morgen.");
    let mails = smtp.wait_for(4, WAIT);
    assert_eq!(mails.len(), 4, "the first reply arrives");
    let to_customer = mails_to(&mails, CUSTOMER);
    assert_eq!(to_customer.len(), 2);
    let first = to_customer[1];
    let first_id = message_id(first);
    assert_ne!(first_id, ack_id);
    assert!(
        first.subject().contains(&reference),
        "reply subject: {}",
        first.subject()
    );
    assert_from_tellus(first);
    assert_two_parts(first);
    assert!(first
        .text_body()
        .contains("Sorry Anna, we bellen je morgen."));
    assert_eq!(
        first.header("In-Reply-To").as_deref(),
        Some(ack_id.as_str())
    );
    let references = first
        .header("References")
        .expect("References on the first reply");
    assert!(references.contains(&ack_id), "References: {references}");

    staff_reply(
        &staff,
        &ticket,
        "Het is geregeld: je krijgt een nieuw brood.",
    );
    let mails = smtp.wait_for(5, WAIT);
    assert_eq!(mails.len(), 5, "the second reply arrives");
    let to_customer = mails_to(&mails, CUSTOMER);
    assert_eq!(to_customer.len(), 3);
    let second = to_customer[2];
    let second_id = message_id(second);
    assert!(second
        .text_body()
        .contains("Het is geregeld: je krijgt een nieuw brood."));
    assert_eq!(
        second.header("In-Reply-To").as_deref(),
        Some(first_id.as_str())
    );
    let references = second
        .header("References")
        .expect("References on the second reply");
    assert!(
        references.contains(&ack_id) && references.contains(&first_id),
        "References hold the whole thread: {references}"
    );
    assert!(
        !references.contains(&second_id),
        "a mail does not reference itself"
    );

    // Staff got no copy of their own replies.
    for address in STAFF {
        assert_eq!(
            mails_to(&mails, address).len(),
            1,
            "only the alert to {address}"
        );
    }

    // The customer reads both replies on the page linked from the acknowledgement.
    let page = app.client().get(&link);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Sorry Anna, we bellen je morgen."),
        "first reply on the page"
    );
    assert!(
        page.body
            .contains("Het is geregeld: je krijgt een nieuw brood."),
        "second reply on the page"
    );
    wait_all_sent(&app, 5);
});

both!(mail_waits_for_smtp_to_come_back, |backend| {
    let port = smtp::free_port();
    let app = start_app(backend, &format!("smtp://127.0.0.1:{port}"));
    let customers = ["anna@customer.example", "bram@customer.example"];
    let mut references = Vec::new();
    for customer in customers {
        // The complaint is accepted although no mail can go out.
        references.push(
            app.complain(1)
                .message("Koffie was koud.")
                .contact("Klant", customer)
                .submit()
                .reference,
        );
    }

    wait_until("every mail has been tried and kept for later", || {
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND attempts >= 1")
            == 6
    });
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox"),
        6,
        "2 acknowledgements and 4 alerts queued"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE status <> 'pending'"),
        0
    );

    let smtp = SmtpServer::start_on(port);
    app.advance(60);
    app.kick_mail();
    let mails = smtp.wait_for(6, WAIT);
    assert_eq!(
        mails.len(),
        6,
        "every queued mail arrives once the server is back"
    );
    // Give a duplicate time to show up.
    let mails = smtp.wait_for(7, Duration::from_secs(2));
    assert_eq!(mails.len(), 6, "no mail arrives twice");
    let ids: HashSet<String> = mails.iter().map(message_id).collect();
    assert_eq!(ids.len(), 6, "six different Message-IDs");

    for (customer, reference) in customers.iter().zip(&references) {
        let ack = only_mail_to(&mails, customer);
        assert!(
            ack.subject().contains(reference.as_str()),
            "acknowledgement for {customer}"
        );
    }
    for address in STAFF {
        let alerts = mails_to(&mails, address);
        assert_eq!(alerts.len(), 2, "two alerts to {address}");
        for reference in &references {
            assert!(
                alerts
                    .iter()
                    .any(|m| m.subject().contains(reference.as_str())),
                "alert for {reference}"
            );
        }
    }
    wait_all_sent(&app, 6);
});

both!(permanent_failure_shows_on_ticket, |backend| {
    // Nothing listens on this port, and one attempt is all a mail gets.
    let port = smtp::free_port();
    let app = start_app_with(
        backend,
        &format!("smtp://127.0.0.1:{port}"),
        &[("TELLUS_MAIL_MAX_ATTEMPTS", "1")],
    );
    let reference = app
        .complain(1)
        .message("Geen bonnetje gekregen.")
        .contact("Anna", CUSTOMER)
        .submit()
        .reference;
    wait_until("the acknowledgement is given up on", || {
        app.count(
            "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'acknowledgement' AND status = 'failed'",
        ) == 1
    });
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'acknowledgement' AND attempts = 1"
        ),
        1,
        "one attempt only"
    );
    let error = app.read(|c| {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            last_error: Option<String>,
        }
        let row: Row =
            diesel::sql_query("SELECT last_error FROM outbox WHERE kind = 'acknowledgement'")
                .get_result(c)?;
        Ok(row.last_error)
    });
    let error = error.expect("the reason is kept");
    assert!(!error.trim().is_empty());

    let staff = app.login("staff@shop.example");
    let ticket = newest_ticket(&staff);
    let page = staff.get_with(&ticket, &[("Accept-Language", "en")]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&reference));
    let expected = tellus::i18n::Lang::En.t_with(
        "staff-mail-failed-detail",
        &[("recipient", CUSTOMER), ("error", &error)],
    );
    assert!(
        page.body.contains(&html_escape(&expected)),
        "staff see that the mail to the customer failed, and why: {expected}\n{}",
        page.body
    );
    assert!(page
        .body
        .contains(&format!("The email to {CUSTOMER} could not be delivered")));

    // Given up means given up: a server coming back later gets nothing.
    let smtp = SmtpServer::start_on(port);
    app.advance(3600);
    app.kick_mail();
    assert!(
        smtp.wait_for(1, Duration::from_secs(2)).is_empty(),
        "failed mail is not resent"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed'"),
        3
    );
});

both!(without_smtp_mail_goes_to_eml_files, |backend| {
    let app = TestApp::with_shop(backend);
    let dir = app.state.config.mail_dir();
    let reference = app
        .complain(1)
        .message("De taart was droog.")
        .contact("Anna", CUSTOMER)
        .submit()
        .reference;

    let mut mails = Vec::new();
    wait_until("three complete .eml files are written", || {
        mails = read_eml(&dir);
        mails.len() == 3 && mails.iter().all(|m| m.subject().contains(&reference))
    });
    let recipients: HashSet<String> = mails.iter().map(ReceivedMail::to).collect();
    let expected: HashSet<String> = [CUSTOMER, STAFF[0], STAFF[1]].map(str::to_owned).into();
    assert_eq!(recipients, expected, "one file per mail");
    for mail in &mails {
        assert!(
            String::from_utf8_lossy(&mail.raw).contains(&reference),
            "reference in the file"
        );
        assert_two_parts(mail);
    }
    let ack = mails
        .iter()
        .find(|m| m.to() == CUSTOMER)
        .expect("acknowledgement file");
    assert!(ack
        .text_body()
        .contains(&format!("{}/t/", app.state.config.base_url)));
    wait_all_sent(&app, 3);
});

both!(customer_html_is_escaped_in_mail, |backend| {
    const PAYLOAD: &str = "\"><img src=x onerror=alert(1)>";
    let smtp = SmtpServer::start();
    let app = start_app(backend, &smtp.url());
    app.complain(1)
        .message(PAYLOAD)
        .contact(PAYLOAD, CUSTOMER)
        .submit();
    let mails = smtp.wait_for(3, WAIT);
    assert_eq!(mails.len(), 3);

    let ack = only_mail_to(&mails, CUSTOMER);
    let text = ack.text_body();
    assert!(
        text.contains(&format!("> {PAYLOAD}")),
        "message verbatim in the text part:\n{text}"
    );
    assert!(
        text.matches(PAYLOAD).count() >= 2,
        "name and message verbatim in the text part:\n{text}"
    );
    for mail in &mails {
        let html = mail.html_body();
        assert!(
            !html.contains("<img src=x"),
            "no raw markup from the customer in HTML mail:\n{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "the text is shown, escaped:\n{html}"
        );
    }
    assert!(
        ack.html_body()
            .matches("&lt;img src=x onerror=alert(1)&gt;")
            .count()
            >= 2,
        "name and message both escaped in the acknowledgement"
    );
    for address in STAFF {
        let alert = only_mail_to(&mails, address);
        assert!(
            alert.text_body().contains(PAYLOAD),
            "message verbatim in the alert text"
        );
    }
    wait_all_sent(&app, 3);
});

/// Every `.eml` file in `dir`, parsed.
fn read_eml(dir: &Path) -> Vec<ReceivedMail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .filter_map(|p| std::fs::read(p).ok())
        .map(|raw| ReceivedMail {
            mail_from: String::new(),
            rcpt_to: Vec::new(),
            raw,
        })
        .collect()
}

/// Escapes text as maud does in HTML content and attributes.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SMTP server that takes a message but never confirms it: the sender
/// stays inside its send until it gives up. Reports each message it holds.
fn stalling_smtp() -> (u16, std::sync::mpsc::Receiver<()>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let tx = tx.clone();
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
                let mut out = stream.try_clone().expect("clone");
                let mut lines = BufReader::new(stream).lines();
                let _ = out.write_all(b"220 stall ESMTP\r\n");
                let mut in_data = false;
                while let Some(Ok(line)) = lines.next() {
                    let reply: &[u8] = if in_data {
                        if line == "." {
                            // Hold the message without answering.
                            let _ = tx.send(());
                            in_data = false;
                        }
                        continue;
                    } else {
                        match line.get(..4).map(str::to_ascii_uppercase).as_deref() {
                            Some("EHLO") => b"250-stall\r\n250 8BITMIME\r\n",
                            Some("DATA") => {
                                in_data = true;
                                b"354 go on\r\n"
                            }
                            Some("QUIT") => b"221 bye\r\n",
                            _ => b"250 OK\r\n",
                        }
                    };
                    let _ = out.write_all(reply);
                }
            });
        }
    });
    (port, rx)
}

/// Stops a `tellus serve` child with SIGTERM; returns how it exited and what it
/// wrote to stderr.
fn terminate(mut child: std::process::Child) -> (std::process::ExitStatus, String) {
    // SAFETY: kill(2) on the pid of our own, not yet reaped, child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for tellus") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tellus did not stop within {WAIT:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        use std::io::Read;
        let _ = pipe.read_to_string(&mut stderr);
    }
    (status, stderr)
}

/// Counts outbox rows with `status` in a database the test opened itself.
fn outbox_rows(db: &tellus::db::Db, status: &'static str) -> i64 {
    db.read_blocking(move |c| {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let sql = format!("SELECT COUNT(*) AS n FROM outbox WHERE status = '{status}'");
        Ok(diesel::sql_query(sql).get_result::<Count>(c)?.n)
    })
    .expect("count outbox rows")
}

both!(stop_mid_send_keeps_mail, |backend| {
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("temp dir");
    let port = smtp::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(crate::support::pg::database_url().expect("PostgreSQL")),
    };
    // The release binary with only the settings given here.
    let cli = Tellus::new(dir.path(), database_url.clone());
    let bind = format!("127.0.0.1:{port}");
    let tellus = |args: &[&str], smtp_url: &str| {
        let mut cmd = cli.command(
            args,
            &[
                ("TELLUS_BIND", &bind),
                (
                    "TELLUS_SECRET_KEY",
                    "test-secret-key-0123456789abcdef-0123456789",
                ),
                ("TELLUS_SMTP_URL", smtp_url),
                ("TELLUS_MAIL_FROM", "Tellus <tellus@shop.example>"),
                ("TELLUS_MAIL_RETRY_SECONDS", "1"),
                ("TELLUS_FORM_MIN_SECONDS", "0"),
                ("TELLUS_WORKERS", "1"),
            ],
        );
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    };
    let (stall_port, held) = stalling_smtp();
    let stalling = format!("smtp://127.0.0.1:{stall_port}");
    cli.add_location("shop", "Bakkerij De Zon").assert_success();

    // First run: a complaint comes in; its acknowledgement hangs on the wire.
    let server = tellus(&["serve"], &stalling).spawn().expect("tellus serve");
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(10))
        .build();
    wait_until("the server answers", || {
        agent.get(&format!("{base}/healthz")).call().is_ok()
    });
    let form = agent
        .get(&format!("{base}/f/shop"))
        .call()
        .expect("form page")
        .into_string()
        .expect("form body");
    let form = Response {
        status: 200,
        headers: Default::default(),
        body: form,
    };
    let (token, key) = (
        form.hidden("token").expect("token"),
        form.hidden("key").expect("key"),
    );
    let thanks = agent
        .post(&format!("{base}/f/shop"))
        .send_form(&[
            ("token", &token),
            ("key", &key),
            ("face", "1"),
            ("message", "Verkeerde taart."),
            ("email", CUSTOMER),
            ("consent", "yes"),
        ])
        .expect("complaint accepted");
    assert_eq!(thanks.status(), 200);
    let thanks = Response {
        status: 200,
        headers: Default::default(),
        body: thanks.into_string().expect("thank-you page"),
    };
    let reference = thanks.reference().expect("reference");
    drop(agent);
    held.recv_timeout(WAIT)
        .expect("the worker is sending the acknowledgement");
    let (first_exit, first_stderr) = terminate(server);

    // The unconfirmed mail is still queued.
    let url = match &database_url {
        Some(url) => tellus::config::DatabaseUrl::parse(url),
        None => tellus::config::DatabaseUrl::Sqlite(dir.path().join("tellus.db")),
    };
    let db = tellus::db::Db::open(&url).expect("open the database");
    assert_eq!(
        outbox_rows(&db, "pending"),
        1,
        "the acknowledgement is kept for later"
    );

    // Second run, with a working SMTP server: it is delivered, and stopping an
    // idle Tellus is clean too.
    let smtp = SmtpServer::start();
    let server = tellus(&["serve"], &smtp.url())
        .spawn()
        .expect("tellus serve again");
    let mails = smtp.wait_for(1, WAIT);
    assert_eq!(mails.len(), 1, "delivered after the restart");
    assert!(mails[0].subject().contains(&reference));
    wait_until("the delivery is recorded", || outbox_rows(&db, "sent") == 1);
    let (second_exit, second_stderr) = terminate(server);

    for (run, exit, stderr) in [
        ("mid-send", first_exit, &first_stderr),
        ("idle", second_exit, &second_stderr),
    ] {
        assert!(
            exit.success(),
            "stopping an {run} Tellus exits cleanly, got {exit}:\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "no panic stopping an {run} Tellus:\n{stderr}"
        );
    }
});
