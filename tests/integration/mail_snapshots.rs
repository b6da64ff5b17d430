//! Snapshots of the mails as they leave: each kind the workflow writes to the
//! outbox, put into the business's frame (name and logo) exactly as the mail
//! worker does, in Dutch and English, and the customer's mails in French and
//! German. Tokens, references and the server's
//! address are redacted, so a snapshot changes only when the wording or the
//! layout does.

use crate::support::{Backend, Client, TestApp};
use tellus::mail::templates::{frame, MailBrand};

fn act(staff: &Client, ticket: &str, action: &str, fields: &[(&str, &str)]) {
    let res = staff.ticket_action(ticket, action, fields);
    assert_eq!(res.status, 303, "{action}: {}", res.body);
}

/// Replaces what differs between runs.
fn redact(text: &str, app: &TestApp, references: &[(&str, &str)]) -> String {
    let mut out = text
        .replace(&app.base, "https://tellus.example")
        .replace(&app.state.config.base_url, "https://tellus.example");
    for (reference, label) in references {
        out = out.replace(reference, label);
    }
    // Ticket page tokens: everything after /t/ up to the end of the link.
    let mut redacted = String::new();
    let mut rest = out.as_str();
    while let Some(at) = rest.find("/t/") {
        redacted.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        redacted.push_str("[token]");
        rest = &rest[end..];
    }
    redacted.push_str(rest);
    redacted
}

#[test]
fn outgoing_mails() {
    let app = TestApp::with_shop(Backend::Sqlite);
    app.write(|c| {
        use diesel::prelude::*;
        use tellus::db::schema::business_profile;
        diesel::update(business_profile::table.find(1_i64))
            .set(business_profile::name.eq("De Zon Bakkers"))
            .execute(c)?;
        // The shop speaks all four languages.
        diesel::update(tellus::db::schema::locations::table)
            .set(tellus::db::schema::locations::languages.eq("nl,en,fr,de"))
            .execute(c)?;
        Ok(())
    });
    let nl = app
        .complain(1)
        .message("Het brood was <oud>.")
        .contact("Noor", "noor@example.net")
        .lang("nl")
        .submit();
    let en = app
        .complain(1)
        .message("The bread was stale.")
        .contact("Alex", "alex@example.net")
        .lang("en")
        .submit();
    let dup = app
        .complain(1)
        .message("Nog steeds oud brood.")
        .contact("Noor", "noor@example.net")
        .lang("nl")
        .submit();
    let owner = app.login("owner@shop.example");
    let staff_id = app.count("SELECT id AS n FROM users WHERE email = 'staff@shop.example'");
    act(
        &owner,
        &nl.ticket_path(),
        "reply",
        &[("body", "Sorry Noor, morgen vers brood.")],
    );
    act(
        &owner,
        &en.ticket_path(),
        "reply",
        &[("body", "Sorry Alex, fresh bread tomorrow.")],
    );
    act(
        &owner,
        &en.ticket_path(),
        "assign",
        &[("assignee", &staff_id.to_string())],
    );
    act(
        &owner,
        &dup.ticket_path(),
        "merge",
        &[("reference", &nl.reference)],
    );

    // The customer's mails in French and German, after the others, so the
    // snapshots above keep their names.
    let fr = app
        .complain(2)
        .message("Le pain était rassis.")
        .contact("Camille", "camille@example.net")
        .lang("fr")
        .submit();
    let de = app
        .complain(2)
        .message("Das Brot war alt.")
        .contact("Lukas", "lukas@example.net")
        .lang("de")
        .submit();
    act(
        &owner,
        &fr.ticket_path(),
        "reply",
        &[("body", "Désolés, Camille : du pain frais demain.")],
    );
    act(
        &owner,
        &de.ticket_path(),
        "reply",
        &[("body", "Entschuldigung, Lukas: morgen frisches Brot.")],
    );
    let references = [
        (nl.reference.as_str(), "[ref-nl]"),
        (en.reference.as_str(), "[ref-en]"),
        (dup.reference.as_str(), "[ref-dup]"),
        (fr.reference.as_str(), "[ref-fr]"),
        (de.reference.as_str(), "[ref-de]"),
    ];
    let rows: Vec<(String, String, String, String, String)> = app.read(|c| {
        use diesel::prelude::*;
        use tellus::db::schema::outbox;
        Ok(outbox::table
            .order(outbox::id.asc())
            .select((
                outbox::kind,
                outbox::recipient,
                outbox::subject,
                outbox::body_text,
                outbox::body_html,
            ))
            .load(c)?)
    });
    let brand = MailBrand {
        name: "De Zon Bakkers".into(),
        logo_url: Some("https://tellus.example/logo?v=1".into()),
    };
    let mut seen = std::collections::BTreeSet::new();
    for (kind, recipient, subject, text, html) in rows {
        // One snapshot per kind and recipient: staff alerts go to two people alike.
        if !seen.insert((kind.clone(), recipient.clone()))
            || recipient == "staff@shop.example" && kind == "staff_alert"
        {
            continue;
        }
        let (text, html) = frame(&brand, &subject, &text, &html);
        let who = recipient.split('@').next().unwrap_or("someone").to_owned();
        let name = format!("{kind}-{who}-{}", seen.len());
        let shown = format!(
            "To: {recipient}\nSubject: {}\n\n{}\n---- html ----\n{}",
            redact(&subject, &app, &references),
            redact(&text, &app, &references),
            redact(&html, &app, &references).replace("><", ">\n<"),
        );
        insta::assert_snapshot!(name, shown);
    }
    assert!(seen.len() >= 7, "every kind was written: {seen:?}");
}
