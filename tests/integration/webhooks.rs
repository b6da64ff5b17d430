//! Outgoing webhooks end to end: a real receiver on 127.0.0.1 (a node script
//! verifying every signature with the Standard Webhooks reference library)
//! gets a submitted complaint signed; 500 three times then 200 is delivered
//! once with one webhook-id; a server killed with SIGKILL between the event
//! and its delivery delivers after restart, once; the guard refuses private
//! addresses at save and at send time, and redirects are not followed; a
//! Slack row is posted as JSON without signature headers; a day of failures
//! pauses the endpoint and mails the owners once; the owner pages (secret
//! shown once, field errors, test event, log) and staff getting 404.
//!
//! The receiver needs node and `npm ci` in tests/e2e: required under
//! `CI=true`, skipped with a message elsewhere.

use crate::both;
use crate::support::cli::{Http, Tellus};
use crate::support::html::hidden;
use crate::support::{Client, TestApp, PASSWORD};
use diesel::prelude::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tellus::db::schema::{outbound, webhooks};
use tellus::domain::audit::Actor;
use tellus::domain::outbound::{NewMessage, Target};

const OWNER: &str = "owner@shop.example";
const STAFF: &str = "staff@shop.example";
const EN: &[(&str, &str)] = &[("Accept-Language", "en")];
const LOOPBACK: &str = "127.0.0.0/8,::1/128";
const WAIT: Duration = Duration::from_secs(20);

/// The node receiver, killed when dropped.
struct Receiver {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<Value>,
    port: u16,
    seen: Vec<Value>,
}

impl Receiver {
    /// Starts the receiver (on `port`, or a free one); `None` when node or the
    /// npm packages are missing outside CI.
    fn start(port: Option<u16>) -> Option<Receiver> {
        let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
        let ready = e2e.join("node_modules/standardwebhooks").is_dir()
            && Command::new("node").arg("--version").output().is_ok();
        if !ready {
            let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
            assert!(
                !ci,
                "CI needs node and `npm ci` in tests/e2e for the webhook receiver"
            );
            eprintln!("webhook receiver tests skipped: install node and run `npm ci` in tests/e2e");
            return None;
        }
        let mut command = Command::new("node");
        command
            .arg("webhook-receiver.mjs")
            .current_dir(&e2e)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(port) = port {
            command.env("PORT", port.to_string());
        }
        let mut child = command.spawn().expect("node starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let Ok(value) = serde_json::from_str::<Value>(&line) else {
                    continue;
                };
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let first = lines.recv_timeout(WAIT).expect("the receiver listens");
        let port = first["listening"]
            .as_u64()
            .and_then(|p| u16::try_from(p).ok())
            .expect("its port");
        Some(Receiver {
            child,
            stdin,
            lines,
            port,
            seen: Vec::new(),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Sends a command and waits until it is taken.
    fn command(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").expect("receiver stdin");
        self.stdin.flush().expect("flush");
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(100)) {
                Ok(value) if value.get("ok").is_some() => return,
                Ok(value) => self.seen.push(value),
                Err(_) => {}
            }
        }
        panic!("the receiver did not take {line}");
    }

    /// Every request so far, waiting up to `within` for at least `n`.
    fn requests(&mut self, n: usize, within: Duration) -> Vec<Value> {
        let deadline = Instant::now() + within;
        while self.seen.len() < n && Instant::now() < deadline {
            if let Ok(value) = self.lines.recv_timeout(Duration::from_millis(100)) {
                if value.get("method").is_some() {
                    self.seen.push(value);
                }
            }
        }
        self.seen.clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn body(request: &Value) -> Value {
    serde_json::from_str(request["body"].as_str().expect("a body")).expect("a JSON body")
}

/// A server that may post to loopback receivers, with the shop seeded.
fn app(backend: crate::support::Backend) -> TestApp {
    TestApp::builder(backend)
        .env("TELLUS_WEBHOOK_ALLOW_PRIVATE", LOOPBACK)
        .env("TELLUS_WEBHOOK_RETRY_SECONDS", "1")
        .with_shop()
}

/// Posts the Add form; returns the answer.
fn add_form(owner: &Client, url: &str, events: &[&str]) -> crate::support::Response {
    let csrf = owner.csrf("/staff/settings/webhooks");
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("url", url),
        ("description", "Till"),
    ];
    for event in events {
        fields.push(("events", event));
    }
    owner.post_form("/staff/settings/webhooks?lang=en", &fields)
}

/// The secret on the page shown after adding.
fn secret_on(page: &str) -> String {
    let start = page.find("whsec_").expect("the secret is shown");
    let end = page[start..].find('<').expect("its end") + start;
    page[start..end].to_owned()
}

/// Adds an endpoint through the owner's page; returns its id and secret.
fn add_endpoint(app: &TestApp, owner: &Client, url: &str, events: &[&str]) -> (i64, String) {
    let page = add_form(owner, url, events);
    assert_eq!(page.status, 200, "{}", page.body);
    let secret = secret_on(&page.body);
    let id = app.read(|c| {
        Ok(webhooks::table
            .select(diesel::dsl::max(webhooks::id))
            .first::<Option<i64>>(c)?
            .expect("an endpoint"))
    });
    (id, secret)
}

fn send_test(app: &TestApp, id: i64) -> String {
    let now = app.clock.now();
    let delivery = app
        .write(move |c| tellus::domain::webhook::send_test(c, Actor::Cli, id, now))
        .expect("the endpoint exists");
    app.state.http_wake.notify_one();
    delivery
}

/// The row of a delivery: status, attempts, last status, last error.
fn row(app: &TestApp, delivery: &str) -> (String, i32, Option<i32>, Option<String>) {
    let delivery = delivery.to_owned();
    app.read(move |c| {
        Ok(outbound::table
            .filter(outbound::delivery_id.eq(delivery))
            .select((
                outbound::status,
                outbound::attempts,
                outbound::last_status,
                outbound::last_error,
            ))
            .first(c)?)
    })
}

/// Waits until the delivery's row has had `attempts` attempts.
fn wait_attempts(
    app: &TestApp,
    delivery: &str,
    attempts: i32,
) -> (String, i32, Option<i32>, Option<String>) {
    let deadline = Instant::now() + WAIT;
    loop {
        let now = row(app, delivery);
        if now.1 >= attempts || Instant::now() > deadline {
            return now;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

both!(
    a_submitted_complaint_arrives_signed_and_verified,
    |backend| {
        let Some(mut receiver) = Receiver::start(None) else {
            return;
        };
        let app = app(backend);
        let owner = app.login(OWNER);
        let (id, secret) = add_endpoint(
            &app,
            &owner,
            &receiver.url("/hook"),
            &["feedback.created", "ticket.created"],
        );
        receiver.command(&format!("secret {secret}"));
        let nonce: String = app.read(move |c| {
            Ok(webhooks::table
                .find(id)
                .select(webhooks::secret_nonce)
                .first(c)?)
        });
        assert!(
            !secret.contains(&nonce),
            "the database does not hold the secret"
        );

        let submitted = app
            .complain(1)
            .message("Het brood was oud")
            .contact("Noor Klant", "noor@example.net")
            .submit();
        let requests = receiver.requests(2, WAIT);
        assert_eq!(requests.len(), 2, "{requests:?}");
        for request in &requests {
            assert_eq!(request["verified"], Value::Bool(true), "{request}");
            assert_eq!(request["headers"]["content-type"], "application/json");
            assert!(request["headers"]["user-agent"]
                .as_str()
                .is_some_and(|ua| ua.starts_with("Tellus/")));
            assert!(request["headers"]["webhook-id"]
                .as_str()
                .is_some_and(|id| id.starts_with("msg_")));
            let text = request["body"].as_str().expect("body");
            assert!(
                !text.contains("noor@example.net"),
                "no customer address: {text}"
            );
            assert!(!text.contains("Noor Klant"), "no customer name: {text}");
        }
        let mut types: Vec<String> = requests
            .iter()
            .map(|r| body(r)["type"].as_str().expect("type").to_owned())
            .collect();
        types.sort();
        assert_eq!(types, ["feedback.created", "ticket.created"]);
        let feedback = requests
            .iter()
            .map(body)
            .find(|b| b["type"] == "feedback.created")
            .expect("feedback.created");
        let data = &feedback["data"]["feedback"];
        assert_eq!(data["reference"], submitted.reference.as_str());
        assert_eq!(data["message"], "Het brood was oud");
        assert_eq!(data["face"], 1);
        assert_eq!(data["has_email"], true);
        assert_eq!(data["location"]["slug"], "shop");
        assert!(feedback["timestamp"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')));
        let ticket = requests
            .iter()
            .map(body)
            .find(|b| b["type"] == "ticket.created")
            .expect("ticket.created");
        assert_eq!(
            ticket["data"]["ticket"]["staff_path"],
            format!("/staff/tickets/{}", submitted.ticket_id())
        );
        assert_eq!(ticket["data"]["ticket"]["status"], "new");

        // The page shows the endpoint and its log, never the secret again.
        let page = owner.get_with(&format!("/staff/settings/webhooks/{id}"), EN);
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            !page.body.contains("whsec_"),
            "the secret is shown only once"
        );
        assert!(page.body.contains("feedback.created"), "{}", page.body);
        let list = owner.get_with("/staff/settings/webhooks", EN);
        assert!(list.body.contains(&receiver.url("/hook")), "{}", list.body);
        assert!(!list.body.contains("whsec_"));

        // Send test event from the page: only this endpoint, in the log.
        let csrf = owner.csrf(&format!("/staff/settings/webhooks/{id}"));
        let res = owner.post_form(
            &format!("/staff/settings/webhooks/{id}/test"),
            &[("csrf", csrf.as_str())],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let requests = receiver.requests(3, WAIT);
        assert_eq!(requests.len(), 3, "{requests:?}");
        assert_eq!(body(&requests[2])["type"], "webhook.test");
        assert_eq!(requests[2]["verified"], true);
        let deadline = Instant::now() + WAIT;
        let page = loop {
            let page = owner.get_with(&format!("/staff/settings/webhooks/{id}"), EN);
            if page.body.contains("webhook.test") || Instant::now() > deadline {
                break page;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert!(page.body.contains("webhook.test"), "{}", page.body);
        assert!(
            page.body.contains("<td>200 </td>"),
            "the status in the log: {}",
            page.body
        );

        // Staff get 404 on every webhook page.
        let staff = app.login(STAFF);
        for path in [
            "/staff/settings/webhooks".to_owned(),
            format!("/staff/settings/webhooks/{id}"),
            format!("/staff/settings/webhooks/{id}/delete"),
        ] {
            assert_eq!(staff.get(&path).status, 404, "{path}");
        }
        let csrf = staff.csrf("/staff/inbox");
        let res = staff.post_form(
            &format!("/staff/settings/webhooks/{id}/delete"),
            &[("csrf", csrf.as_str())],
        );
        assert_eq!(res.status, 404);

        // Pause, resume and delete (after confirming).
        let csrf = owner.csrf(&format!("/staff/settings/webhooks/{id}"));
        let active = |active: &str| {
            owner.post_form(
                &format!("/staff/settings/webhooks/{id}/active"),
                &[("csrf", csrf.as_str()), ("active", active)],
            )
        };
        assert_eq!(active("false").status, 303);
        assert!(owner
            .get_with(&format!("/staff/settings/webhooks/{id}"), EN)
            .body
            .contains("Paused"));
        assert_eq!(active("true").status, 303);
        let confirm = owner.get_with(&format!("/staff/settings/webhooks/{id}/delete"), EN);
        assert!(
            confirm.body.contains("Delete this endpoint?"),
            "{}",
            confirm.body
        );
        let res = owner.post_form(
            &format!("/staff/settings/webhooks/{id}/delete"),
            &[("csrf", csrf.as_str())],
        );
        assert_eq!(res.status, 303);
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM webhooks"), 0);
        assert_eq!(
            owner.get(&format!("/staff/settings/webhooks/{id}")).status,
            404
        );
    }
);

both!(three_failures_then_success_is_one_delivery_id, |backend| {
    let Some(mut receiver) = Receiver::start(None) else {
        return;
    };
    let app = app(backend);
    let owner = app.login(OWNER);
    let (id, secret) = add_endpoint(&app, &owner, &receiver.url("/hook"), &["ticket.created"]);
    receiver.command(&format!("secret {secret}"));
    receiver.command("script 500,500,500,200");
    let delivery = send_test(&app, id);
    for attempt in 1..=3 {
        let state = wait_attempts(&app, &delivery, attempt);
        assert_eq!(state.0, "queued", "attempt {attempt}: {state:?}");
        assert_eq!(state.2, Some(500));
        // Past the backoff without waiting for it.
        app.advance(3600);
        app.state.http_wake.notify_one();
    }
    let state = wait_attempts(&app, &delivery, 4);
    assert_eq!(
        (state.0.as_str(), state.1, state.2),
        ("sent", 4, Some(200)),
        "{state:?}"
    );
    let requests = receiver.requests(4, WAIT);
    assert_eq!(requests.len(), 4, "{requests:?}");
    let statuses: Vec<u64> = requests
        .iter()
        .map(|r| r["status"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(statuses, [500, 500, 500, 200]);
    for request in &requests {
        assert_eq!(request["verified"], true, "{request}");
        assert_eq!(request["headers"]["webhook-id"], delivery.as_str());
    }
    // Nothing more comes.
    app.advance(3600);
    app.state.http_wake.notify_one();
    assert_eq!(receiver.requests(5, Duration::from_secs(3)).len(), 4);
    let attempts = app.count(&format!(
        "SELECT COUNT(*) AS n FROM webhook_attempts WHERE webhook_id = {id}"
    ));
    assert_eq!(attempts, 4, "every attempt in the log");
    // The clock moved hours on: a fresh session.
    let owner = app.login(OWNER);
    let log = owner.get_with(&format!("/staff/settings/webhooks/{id}"), EN);
    assert_eq!(
        log.body.matches(delivery.as_str()).count(),
        4,
        "{}",
        log.body
    );
});

both!(
    a_day_of_failures_pauses_the_endpoint_and_mails_once,
    |backend| {
        let Some(mut receiver) = Receiver::start(None) else {
            return;
        };
        let app = app(backend);
        let owner = app.login(OWNER);
        let (id, secret) = add_endpoint(&app, &owner, &receiver.url("/hook"), &["ticket.created"]);
        receiver.command(&format!("secret {secret}"));
        receiver.command("script 503");
        let first = send_test(&app, id);
        wait_attempts(&app, &first, 1);
        let second = send_test(&app, id);
        wait_attempts(&app, &second, 1);
        app.advance(25 * 3600);
        app.state.http_wake.notify_one();
        let state = wait_attempts(&app, &first, 2);
        assert_eq!(state.0, "failed", "given up after a day: {state:?}");
        let deadline = Instant::now() + WAIT;
        while app.count(&format!(
            "SELECT COUNT(*) AS n FROM webhooks WHERE id = {id} AND active = FALSE"
        )) == 0
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        let (active, reason): (bool, Option<String>) = app.read(move |c| {
            Ok(webhooks::table
                .find(id)
                .select((webhooks::active, webhooks::paused_reason))
                .first(c)?)
        });
        assert!(!active);
        assert_eq!(reason.as_deref(), Some("failing"));
        // Both messages are done: one given up, the other dropped with the pause.
        assert_eq!(row(&app, &second).0, "failed");
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'webhook_paused'"),
            1,
            "the one owner is mailed once"
        );
        // A paused endpoint hears no events.
        app.complain(1).message("Weer oud brood").submit();
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM outbound WHERE webhook_id = {id} AND event = 'ticket.created'"
        )),
        0
    );
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'webhook_paused'"),
            1
        );
        let owner = app.login(OWNER);
        let page = owner.get_with(&format!("/staff/settings/webhooks/{id}"), EN);
        assert!(
            page.body.contains("Paused: failed for a day"),
            "{}",
            page.body
        );
    }
);

both!(private_addresses_are_refused_when_saved, |backend| {
    let app = TestApp::builder(backend).with_shop();
    let owner = app.login(OWNER);
    let cases = [
        ("http://localhost:9/hook", "points at this server itself"),
        ("http://127.0.0.1:9/hook", "points at this server itself"),
        ("http://[::1]:9/hook", "points at this server itself"),
        ("http://2130706433/hook", "points at this server itself"),
        ("http://0x7f000001/hook", "points at this server itself"),
        ("http://127.1/hook", "points at this server itself"),
        (
            "http://[::ffff:127.0.0.1]/hook",
            "points at this server itself",
        ),
        ("https://10.1.2.3/hook", "inside a private network"),
        ("https://192.168.0.10/hook", "inside a private network"),
        ("https://100.64.0.1/hook", "inside a private network"),
        ("https://[fd00::1]/hook", "inside a private network"),
        ("https://169.254.169.254/latest/meta-data", "cloud metadata"),
        ("https://[fd00:ec2::254]/", "cloud metadata"),
        ("https://0.0.0.0/", "reserved"),
        ("http://example.com/hook", "starting with https://"),
        ("ftp://example.com/hook", "starting with https://"),
        ("not a url", "not a web address"),
        ("https://name.invalid/hook", "does not exist"),
    ];
    for (url, why) in cases {
        let res = add_form(&owner, url, &["ticket.created"]);
        assert_eq!(res.status, 422, "{url}: {}", res.body);
        assert!(
            res.body.contains(why),
            "{url}: expected “{why}” in {}",
            res.body
        );
    }
    let res = add_form(&owner, "https://hooks.example.com/in", &[]);
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("Choose at least one event"),
        "{}",
        res.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM webhooks"),
        0,
        "nothing stored"
    );
});

/// Inserts an endpoint as if it had been saved when its address was allowed.
fn stored_endpoint(app: &TestApp, url: &str) -> i64 {
    let (url, now) = (url.to_owned(), app.clock.now());
    app.write(move |c| {
        Ok(diesel::insert_into(webhooks::table)
            .values((
                webhooks::url.eq(url),
                webhooks::events.eq("ticket.created"),
                webhooks::secret_nonce.eq("nonce"),
                webhooks::public_id.eq(tellus::domain::webhook::new_public_id()),
                webhooks::active.eq(true),
                webhooks::created_at.eq(now),
            ))
            .returning(webhooks::id)
            .get_result::<i64>(c)?)
    })
}

both!(private_addresses_are_refused_when_sent, |backend| {
    let Some(mut receiver) = Receiver::start(None) else {
        return;
    };
    // No private ranges allowed: the receiver on loopback is off limits.
    let app = TestApp::builder(backend).with_shop();
    let by_address = stored_endpoint(&app, &receiver.url("/hook"));
    let by_name = stored_endpoint(&app, &format!("http://localhost:{}/hook", receiver.port));
    let deliveries: Vec<String> = [by_address, by_name]
        .into_iter()
        .map(|id| send_test(&app, id))
        .collect();
    let url = receiver.url("/slack");
    let now = app.clock.now();
    let slack = app.write(move |c| {
        tellus::domain::outbound::enqueue(
            c,
            &NewMessage {
                event: "feedback.created",
                target: Target::Slack(1),
                url: &url,
                body: r#"{"text":"hi"}"#,
            },
            now,
        )
    });
    for delivery in deliveries.iter().chain([&slack]) {
        let state = wait_attempts(&app, delivery, 1);
        assert_eq!(state.0, "queued", "retried later: {state:?}");
        assert!(
            state.3.as_deref().is_some_and(|e| e.contains("refused")),
            "{state:?}"
        );
    }
    assert!(
        receiver.requests(1, Duration::from_secs(2)).is_empty(),
        "nothing reached the loopback receiver"
    );
});

both!(redirects_are_not_followed, |backend| {
    let Some(mut target) = Receiver::start(None) else {
        return;
    };
    let Some(mut first) = Receiver::start(None) else {
        return;
    };
    let app = app(backend);
    let owner = app.login(OWNER);
    let (id, secret) = add_endpoint(&app, &owner, &first.url("/hook"), &["ticket.created"]);
    first.command(&format!("secret {secret}"));
    first.command(&format!("script 302={}", target.url("/elsewhere")));
    let delivery = send_test(&app, id);
    let state = wait_attempts(&app, &delivery, 1);
    assert_eq!(
        (state.0.as_str(), state.2),
        ("queued", Some(302)),
        "{state:?}"
    );
    assert!(
        state.3.as_deref().is_some_and(|e| e.contains("redirect")),
        "{state:?}"
    );
    assert_eq!(first.requests(1, WAIT).len(), 1);
    assert!(
        target.requests(1, Duration::from_secs(2)).is_empty(),
        "not followed"
    );
});

both!(a_slack_message_is_posted_without_signature, |backend| {
    let Some(mut receiver) = Receiver::start(None) else {
        return;
    };
    let app = app(backend);
    let url = receiver.url("/slack");
    let now = app.clock.now();
    let stored = r#"{"text":"Unhappy customer at Bakkerij De Zon"}"#;
    let delivery = app.write(move |c| {
        tellus::domain::outbound::enqueue(
            c,
            &NewMessage {
                event: "feedback.created",
                target: Target::Slack(7),
                url: &url,
                body: stored,
            },
            now,
        )
    });
    app.state.http_wake.notify_one();
    let requests = receiver.requests(1, WAIT);
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = &requests[0];
    assert_eq!(request["path"], "/slack");
    assert_eq!(request["headers"]["content-type"], "application/json");
    assert!(request["headers"].get("webhook-signature").is_none());
    assert!(request["headers"].get("webhook-id").is_none());
    let expected =
        tellus::domain::chat::render("slack", stored, &app.state.config.base_url).expect("render");
    assert_eq!(request["body"], expected.as_str());
    assert_eq!(wait_attempts(&app, &delivery, 1).0, "sent");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM webhook_attempts"),
        0,
        "chat attempts are not in a webhook's log"
    );
});

/// Submits one complaint to a `tellus serve` process; its reference.
fn submit(http: &Http) -> String {
    let (status, form) = http.get("/f/shop");
    assert_eq!(status, 200, "{form}");
    let token = hidden(&form, "token").expect("form token");
    let fields = [
        ("token", token.as_str()),
        ("key", "kill-test-1"),
        ("face", "1"),
        ("message", "Koud brood"),
        ("lang", "en"),
    ];
    let (status, page) = http.try_post("/f/shop", &fields).expect("submitted");
    assert_eq!(status, 200, "{page}");
    page
}

#[test]
fn a_server_killed_before_delivery_delivers_after_restart_once() {
    let port = crate::support::smtp::free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    if Receiver::start(None).is_none() {
        return;
    }
    cli.add_location("shop", "Bakkerij De Zon").assert_success();
    cli.add_user(OWNER, "Olga Owner", "owner", &format!("{PASSWORD}\n"))
        .assert_success();
    let key = "kill-test-secret-key-0123456789abcdef-0123";
    let settings = [
        ("TELLUS_PUBLIC_RATE_LIMIT", "1000"),
        ("TELLUS_FORM_MIN_SECONDS", "0"),
        ("TELLUS_SECRET_KEY", key),
        ("TELLUS_WEBHOOK_ALLOW_PRIVATE", LOOPBACK),
        ("TELLUS_WEBHOOK_RETRY_SECONDS", "1"),
    ];
    let mut server = cli.serve(&settings);
    server.wait_healthy(Duration::from_secs(20));
    let http = Http::new(&server.base);
    assert_eq!(http.login(OWNER, PASSWORD), 303);
    let (status, page) = http.get("/staff/settings/webhooks");
    assert_eq!(status, 200, "{page}");
    let csrf = hidden(&page, "csrf").expect("csrf");
    let url = format!("http://127.0.0.1:{port}/hook");
    let (status, page) = http
        .try_post(
            "/staff/settings/webhooks",
            &[
                ("csrf", csrf.as_str()),
                ("url", url.as_str()),
                ("events", "feedback.created"),
            ],
        )
        .expect("added");
    assert_eq!(status, 200, "{page}");
    let secret = secret_on(&page);

    // The event is stored and acknowledged; the receiver is not up yet, so
    // it cannot have been delivered when the server dies.
    submit(&Http::new(&server.base));
    let pid = libc::pid_t::try_from(server.pid()).expect("pid fits");
    // SAFETY: signals the server this test started; it has not been reaped yet.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    server.reap();
    drop(server);

    let mut receiver = Receiver::start(Some(port)).expect("the receiver starts");
    receiver.command(&format!("secret {secret}"));
    let mut server = cli.serve(&settings);
    server.wait_healthy(Duration::from_secs(20));
    // A claim left by the killed server runs out after its lease.
    let requests = receiver.requests(1, Duration::from_secs(90));
    assert_eq!(requests.len(), 1, "delivered after the restart");
    assert_eq!(requests[0]["verified"], true, "{}", requests[0]);
    assert_eq!(body(&requests[0])["type"], "feedback.created");
    assert_eq!(
        body(&requests[0])["data"]["feedback"]["message"],
        "Koud brood"
    );
    // And only once.
    assert_eq!(
        receiver.requests(2, Duration::from_secs(4)).len(),
        1,
        "never twice"
    );
    drop(server);
}
