//! Several Tellus instances on one PostgreSQL: every mail is sent once,
//! however many senders look at the outbox at the same moment; and mail an
//! instance claimed and never sent (it died) goes out after its lease.

use crate::support::smtp::SmtpServer;
use crate::support::{postgres_available, Backend, TestApp};
use std::collections::HashMap;
use std::time::Duration;
use tellus::config::DatabaseUrl;
use tellus::mail::outbox::{self, MailKind, NewMail};
use tellus::mail::templates::Rendered;

/// An instance on the same database and SMTP server as `first`.
fn another(first: &TestApp, smtp: &SmtpServer) -> TestApp {
    let DatabaseUrl::Postgres(url) = &first.state.config.database_url else {
        panic!("PostgreSQL only");
    };
    TestApp::builder(Backend::Postgres)
        .env("DATABASE_URL", url)
        .smtp(&smtp.url())
        .start()
}

/// Queues `n` mails in one transaction, claimed by the instance `claimed_by`
/// if given; returns their Message-IDs.
fn backlog(app: &TestApp, n: usize, claimed_by: Option<&'static str>) -> Vec<String> {
    let ids: Vec<String> = (0..n)
        .map(|i| format!("<backlog-{i}@shop.example>"))
        .collect();
    let (queued, now) = (ids.clone(), app.clock.now());
    app.write(move |c| {
        let rendered = Rendered {
            subject: "Backlog".into(),
            text: "One of many.".into(),
            html: "<p>One of many.</p>".into(),
        };
        for id in &queued {
            outbox::enqueue(
                c,
                &NewMail {
                    kind: MailKind::StaffAlert,
                    ticket_id: None,
                    ticket_message_id: None,
                    recipient: "staff@shop.example",
                    rendered: &rendered,
                    message_id: id,
                    in_reply_to: None,
                    references: None,
                },
                now,
            )?;
        }
        if let Some(by) = claimed_by {
            let lease = now + chrono::Duration::seconds(120);
            outbox::claim(c, now, lease, 1000, by)?;
        }
        Ok(())
    });
    ids
}

/// How often each Message-ID arrived.
fn arrivals(smtp: &SmtpServer) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for mail in smtp.messages() {
        if let Some(id) = mail.header("Message-ID") {
            *seen.entry(id).or_insert(0) += 1;
        }
    }
    seen
}

#[test]
fn three_instances_send_a_backlog_each_mail_once() {
    if !postgres_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let first = TestApp::builder(Backend::Postgres)
        .smtp(&smtp.url())
        .start();
    let (second, third) = (another(&first, &smtp), another(&first, &smtp));
    let ids = backlog(&first, 300, None);
    for app in [&first, &second, &third] {
        app.kick_mail();
    }
    smtp.wait_for(ids.len(), Duration::from_secs(90));
    // Anything sent twice would arrive just after the rest.
    std::thread::sleep(Duration::from_millis(500));
    let seen = arrivals(&smtp);
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    let missing: Vec<_> = ids.iter().filter(|id| !seen.contains_key(*id)).collect();
    assert!(missing.is_empty(), "never sent: {missing:?}");
    assert_eq!(
        first.count(
            "SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent' AND claimed_until IS NULL"
        ),
        300,
        "every outcome recorded, no claim left"
    );
}

#[test]
fn mail_an_instance_claimed_and_never_sent_goes_out_after_the_lease() {
    if !postgres_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = TestApp::builder(Backend::Postgres)
        .smtp(&smtp.url())
        .start();
    // Another instance claimed them (in the same transaction, so this
    // one never sees them free) and died before sending.
    let ids = backlog(&app, 3, Some("i-gone"));
    app.kick_mail();
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        arrivals(&smtp).is_empty(),
        "claimed mail waits for its lease"
    );
    app.advance(121);
    app.kick_mail();
    smtp.wait_for(3, Duration::from_secs(20));
    let seen = arrivals(&smtp);
    for id in &ids {
        assert_eq!(seen.get(id), Some(&1), "{id} sent once after the lease");
    }
}
