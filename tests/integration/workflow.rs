//! The ticket workflow on the staff ticket page: the timeline, internal notes
//! that never reach the customer, the statuses (waiting, resolved, closed, and
//! a customer reply reopening), assignment with its email, priority, canned
//! responses in the customer's language, merging duplicates, the audit trail,
//! and ids that do not exist.

use crate::both;
use crate::support::smtp::SmtpServer;
use crate::support::{html_unescape, Client, Complaint, Response, TestApp};
use std::time::Duration;

const STAFF: &str = "staff@shop.example";
const OWNER: &str = "owner@shop.example";
const CUSTOMER: &str = "klant@example.net";
const EN: &[(&str, &str)] = &[("Accept-Language", "en")];

/// A complaint from Noor with her address and consent.
fn noors_complaint<'a>(app: &'a TestApp, message: &str, lang: &str) -> Complaint<'a> {
    app.complain(1)
        .message(message)
        .contact("Noor", CUSTOMER)
        .lang(lang)
}

/// Posts a staff form with the page's CSRF token; expects the redirect back.
fn act(staff: &Client, ticket: &str, action: &str, fields: &[(&str, &str)]) -> Response {
    staff.ticket_action(ticket, action, fields)
}

fn status_of(app: &TestApp, ticket: &str) -> String {
    let id: i64 = ticket.rsplit('/').next().unwrap().parse().unwrap();
    app.read(move |c| {
        use diesel::prelude::*;
        use tellus::db::schema::tickets;
        Ok(tickets::table
            .find(id)
            .select(tickets::status)
            .first::<String>(c)?)
    })
}

/// The status badge on the staff ticket page, in English.
fn shown_status(staff: &Client, ticket: &str) -> String {
    let page = staff.get_with(ticket, EN);
    let marker = "<span class=\"badge status\">";
    let start = page.body.find(marker).expect("status badge") + marker.len();
    let end = page.body[start..].find('<').expect("end of badge") + start;
    page.body[start..end].to_owned()
}

both!(
    notes_stay_internal_and_the_timeline_tells_the_story,
    |backend| {
        let app = TestApp::with_shop(backend);
        let noor = noors_complaint(&app, "Koude koffie.", "nl").submit();
        let (ticket, customer_page) = (noor.ticket_path(), noor.private_link());
        let staff = app.login(STAFF);

        let note = "Leverancier <b>bellen</b> over de machine";
        let res = act(&staff, &ticket, "note", &[("note", note)]);
        assert_eq!(res.status, 303, "{}", res.body);
        let empty = act(&staff, &ticket, "note", &[("note", "   ")]);
        assert_eq!(empty.status, 422, "an empty note is refused");
        assert!(empty.body.contains("Schrijf de notitie."));

        let res = act(
            &staff,
            &ticket,
            "reply",
            &[("body", "Wat voor koffie was het?"), ("then", "waiting")],
        );
        assert_eq!(res.status, 303, "{}", res.body);

        let page = staff.get_with(&ticket, EN);
        let body = html_unescape(&page.body);
        assert!(body.contains(note), "the note is on the staff timeline");
        assert!(
            page.body.contains("&lt;b&gt;bellen&lt;/b&gt;"),
            "note text is escaped"
        );
        assert!(body.contains("Wat voor koffie was het?"));
        assert!(
            body.contains("Status: New → Waiting on customer"),
            "status change on the timeline"
        );
        assert_eq!(shown_status(&staff, &ticket), "Waiting on customer");

        // The customer's page shows the reply, never the note.
        let customer = app.client().get(&customer_page);
        assert_eq!(customer.status, 200);
        assert!(html_unescape(&customer.body).contains("Wat voor koffie was het?"));
        assert!(!html_unescape(&customer.body).contains("Leverancier"));
        assert!(!customer.body.contains("bellen"));
        // And no mail carries it.
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM outbox WHERE body_text LIKE '%Leverancier%'"),
            0
        );
    }
);

both!(
    statuses_follow_the_work_and_a_customer_reply_reopens,
    |backend| {
        let app = TestApp::with_shop(backend);
        let noor = noors_complaint(&app, "Brood was op.", "nl").submit();
        let (ticket, customer_page) = (noor.ticket_path(), noor.private_link());
        let staff = app.login(STAFF);
        let customer = app.client();
        let reply_as_customer = |text: &str| {
            let page = customer.get(&customer_page);
            let path = customer_page.split('?').next().unwrap().to_owned();
            let res = customer.reply_as_customer(&page, &path, text, "nl");
            assert_eq!(res.status, 303, "customer reply: {}", res.body);
        };

        assert_eq!(status_of(&app, &ticket), "new");
        act(&staff, &ticket, "reply", &[("body", "Sorry! Morgen meer.")]);
        assert_eq!(
            status_of(&app, &ticket),
            "open",
            "a reply opens a new ticket"
        );

        act(&staff, &ticket, "status", &[("status", "waiting")]);
        assert_eq!(status_of(&app, &ticket), "waiting");
        let page = customer.get(&customer_page);
        assert!(
            page.body.contains("Wacht op je antwoord"),
            "the customer sees it is their turn"
        );
        reply_as_customer("Om 9 uur was het al op.");
        assert_eq!(status_of(&app, &ticket), "open", "their answer reopens");

        act(
            &staff,
            &ticket,
            "reply",
            &[("body", "Opgelost: we bakken meer."), ("then", "resolved")],
        );
        assert_eq!(status_of(&app, &ticket), "resolved");
        reply_as_customer("Nog steeds op!");
        assert_eq!(status_of(&app, &ticket), "open");

        act(&staff, &ticket, "status", &[("status", "closed")]);
        assert_eq!(status_of(&app, &ticket), "closed");
        reply_as_customer("Vandaag weer.");
        assert_eq!(
            status_of(&app, &ticket),
            "open",
            "even a closed ticket reopens"
        );

        // Staff cannot set a ticket back to new, or to nonsense.
        assert_eq!(
            act(&staff, &ticket, "status", &[("status", "new")]).status,
            400
        );
        assert_eq!(
            act(&staff, &ticket, "status", &[("status", "gone")]).status,
            400
        );
        assert_eq!(status_of(&app, &ticket), "open");

        let events = app.count("SELECT COUNT(*) AS n FROM ticket_events WHERE kind = 'status'");
        assert_eq!(events, 7, "every change is on the timeline");
        let audited =
            app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'ticket.status'");
        assert_eq!(
            audited, 4,
            "staff changes are audited (customer reopenings are not staff actions)"
        );
    }
);

both!(assigning_mails_the_assignee_once, |backend| {
    let smtp = SmtpServer::start();
    let app = TestApp::builder(backend).smtp(&smtp.url()).with_shop();
    let ticket = noors_complaint(&app, "Lange rij.", "nl")
        .submit()
        .ticket_path();
    smtp.wait_for(3, Duration::from_secs(20));
    smtp.clear();
    let owner = app.login(OWNER);
    let staff_id = app.count("SELECT id AS n FROM users WHERE email = 'staff@shop.example'");

    let res = act(
        &owner,
        &ticket,
        "assign",
        &[("assignee", &staff_id.to_string())],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    let mails = smtp.wait_for(1, Duration::from_secs(20));
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to(), STAFF);
    assert!(
        mails[0].text_body().contains("Olga Owner"),
        "{}",
        mails[0].text_body()
    );
    let page = owner.get_with(&ticket, EN);
    assert!(
        page.body.contains("Assigned to Sam Staff"),
        "on the timeline"
    );

    // The same assignment again changes nothing and mails nobody.
    act(
        &owner,
        &ticket,
        "assign",
        &[("assignee", &staff_id.to_string())],
    );
    // Taking it yourself needs no mail either.
    let staff = app.login(STAFF);
    act(&staff, &ticket, "assign", &[("assignee", "")]);
    act(&staff, &ticket, "assign", &[("assignee", "me")]);
    // What was queued is what gets sent: one assignment mail, no more.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'assigned'"),
        1,
        "only the first assignment mailed"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM ticket_events WHERE kind = 'assign'"),
        3
    );

    // Unknown users are refused with a message, nothing changes.
    let res = act(&owner, &ticket, "assign", &[("assignee", "999999")]);
    assert_eq!(res.status, 422);
    let res = act(&owner, &ticket, "assign", &[("assignee", "x")]);
    assert_eq!(res.status, 400);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM tickets WHERE assignee_id IS NOT NULL"),
        1
    );
    smtp.stop();
});

both!(priority_is_set_by_staff_and_audited, |backend| {
    let app = TestApp::with_shop(backend);
    let ticket = noors_complaint(&app, "Vieze tafel.", "nl")
        .submit()
        .ticket_path();
    let staff = app.login(STAFF);
    assert!(!staff
        .get_with(&ticket, EN)
        .body
        .contains("High priority</span>"));
    assert_eq!(
        act(&staff, &ticket, "priority", &[("priority", "high")]).status,
        303
    );
    assert!(staff
        .get_with(&ticket, EN)
        .body
        .contains("High priority</span>"));
    assert_eq!(
        act(&staff, &ticket, "priority", &[("priority", "vip")]).status,
        400
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM tickets WHERE priority = 'high'"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'ticket.priority'"),
        1
    );
});

both!(
    canned_responses_start_a_reply_in_the_customers_language,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        let staff = app.login(STAFF);
        assert_eq!(staff.get("/staff/canned").status, 404, "owners only");

        let token = owner.csrf("/staff/canned");
        let empty = owner.post_form(
            "/staff/canned",
            &[
                ("csrf", &token),
                ("title", ""),
                ("body_nl", "x"),
                ("body_en", ""),
            ],
        );
        assert_eq!(empty.status, 422);
        assert!(empty.body.contains("Geef het een titel."));
        let res = owner.post_form(
            "/staff/canned",
            &[
                ("csrf", &token),
                ("title", "Excuses"),
                (
                    "body_nl",
                    "Beste {name}, sorry voor {reference} bij {shop}. Groet, {staff}",
                ),
                (
                    "body_en",
                    "Dear {name}, sorry about {reference} at {shop}. Regards, {staff}",
                ),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let canned_id = app.count("SELECT id AS n FROM canned_responses");

        let thanks = app
            .complain(2)
            .message("Cold soup.")
            .contact("Alex", CUSTOMER)
            .lang("en")
            .submit();
        let (reference, ticket) = (thanks.reference.clone(), thanks.ticket_path());
        let page = staff.get(&format!("{ticket}?canned={canned_id}"));
        assert_eq!(page.status, 200);
        let expected =
            format!("Dear Alex, sorry about {reference} at Bakkerij De Zon. Regards, Sam Staff");
        assert!(
            html_unescape(&page.body).contains(&expected),
            "the English text, filled in: {}",
            page.body
        );

        // Withdrawn responses are no longer offered.
        let token = owner.csrf("/staff/canned");
        owner.post_form(
            &format!("/staff/canned/{canned_id}/active"),
            &[("csrf", &token), ("active", "false")],
        );
        let page = staff.get(&format!("{ticket}?canned={canned_id}"));
        assert!(!html_unescape(&page.body).contains("Dear Alex"));
        assert!(
            !page.body.contains("name=\"canned\""),
            "no picker without offers"
        );
    }
);

both!(
    merging_a_duplicate_combines_the_timeline_and_tells_the_customer_once,
    |backend| {
        let app = TestApp::with_shop(backend);
        let target_complaint = noors_complaint(&app, "De deur klemt.", "nl").submit();
        let (target, target_page) = (
            target_complaint.ticket_path(),
            target_complaint.private_link(),
        );
        let duplicate_complaint = noors_complaint(&app, "Deur gaat niet open!", "nl").submit();
        let (duplicate, duplicate_page) = (
            duplicate_complaint.ticket_path(),
            duplicate_complaint.private_link(),
        );
        let staff = app.login(STAFF);
        let target_ref = ticket_reference(&app, &target);

        let res = act(&staff, &duplicate, "merge", &[("reference", "ZZZZ-ZZZZ")]);
        assert_eq!(res.status, 422);
        let own_ref = ticket_reference(&app, &duplicate);
        let res = act(&staff, &duplicate, "merge", &[("reference", &own_ref)]);
        assert_eq!(res.status, 422, "not into itself");

        let res = act(
            &staff,
            &duplicate,
            "merge",
            &[("reference", &target_ref.to_lowercase())],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(
            res.header("location"),
            Some(target.as_str()),
            "staff go on at the survivor"
        );
        assert_eq!(status_of(&app, &duplicate), "closed");
        let page = html_unescape(&staff.get(&target).body);
        assert!(page.contains("De deur klemt."));
        assert!(
            page.contains("Deur gaat niet open!"),
            "the duplicate's message shows"
        );

        // The survivor is resolved; then the duplicate's customer writes on
        // their own page. Their text stays on their own ticket (no other
        // customer ever reads it), shows on the survivor's staff timeline and
        // reopens the survivor.
        act(&staff, &target, "status", &[("status", "resolved")]);
        let customer = app.client();
        let dup_page = customer.get(&duplicate_page);
        assert!(
            dup_page.body.contains("samen met een andere"),
            "the page says so"
        );
        let path = duplicate_page.split('?').next().unwrap().to_owned();
        customer.reply_as_customer(&dup_page, &path, "Nog steeds!", "nl");
        assert!(html_unescape(&customer.get(&duplicate_page).body).contains("Nog steeds!"));
        assert!(
            !html_unescape(&app.client().get(&target_page).body).contains("Nog steeds!"),
            "never on the other customer's page"
        );
        assert!(html_unescape(&staff.get(&target).body).contains("Nog steeds!"));
        assert_eq!(status_of(&app, &target), "open", "the survivor reopens");
        assert_eq!(
            status_of(&app, &duplicate),
            "closed",
            "the duplicate stays closed"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'merged'"),
            1,
            "the customer is told once"
        );
        // A merged ticket cannot be merged again.
        let res = act(&staff, &duplicate, "merge", &[("reference", &target_ref)]);
        assert_eq!(res.status, 422);
    }
);

fn ticket_reference(app: &TestApp, ticket: &str) -> String {
    let id: i64 = ticket.rsplit('/').next().unwrap().parse().unwrap();
    app.read(move |c| {
        use diesel::prelude::*;
        use tellus::db::schema::{feedback, tickets};
        Ok(tickets::table
            .inner_join(feedback::table)
            .filter(tickets::id.eq(id))
            .select(feedback::reference)
            .first::<String>(c)?)
    })
}

both!(unknown_tickets_read_as_not_found, |backend| {
    let app = TestApp::with_shop(backend);
    let ticket = noors_complaint(&app, "Iets.", "nl").submit().ticket_path();
    let staff = app.login(STAFF);
    let token = staff.csrf(&ticket);
    assert_eq!(staff.get("/staff/tickets/999999").status, 404);
    for action in ["reply", "note", "status", "assign", "priority", "merge"] {
        let res = staff.post_form(
            &format!("/staff/tickets/999999/{action}"),
            &[
                ("csrf", &token),
                ("body", "x"),
                ("note", "x"),
                ("status", "open"),
                ("priority", "high"),
                ("reference", "x"),
            ],
        );
        assert_eq!(res.status, 404, "{action}");
    }
    // Anonymous visitors get the login page, not the ticket.
    let res = app.client().get(&ticket);
    assert_eq!(res.status, 303);
});

both!(
    control_characters_are_refused_and_nothing_is_stored,
    |backend| {
        let app = TestApp::with_shop(backend);
        let noor = noors_complaint(&app, "Koud.", "nl").submit();
        let (ticket, customer_page) = (noor.ticket_path(), noor.private_link());
        let staff = app.login(STAFF);
        for (action, field) in [("reply", "body"), ("note", "note")] {
            let res = act(&staff, &ticket, action, &[(field, "a\u{0}b")]);
            assert_eq!(res.status, 400, "{action}");
        }
        let customer = app.client();
        let page = customer.get(&customer_page);
        let path = customer_page.split('?').next().unwrap().to_owned();
        let res = customer.reply_as_customer(&page, &path, "x\u{0}y", "nl");
        assert_eq!(res.status, 400);
        assert!(
            res.body.contains("<html"),
            "an error page, not a bare status"
        );
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM ticket_messages"), 0);
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM ticket_events WHERE kind = 'note'"),
            0
        );
    }
);

both!(
    a_staff_address_given_as_a_customers_gets_no_reply_address_on_staff_mail,
    |backend| {
        let smtp = SmtpServer::start();
        let app = TestApp::builder(backend).smtp(&smtp.url()).with_shop();
        // Someone files a complaint with a staff member's address.
        let thanks = app
            .complain(1)
            .message("Let op.")
            .email(STAFF)
            .consent()
            .submit();
        let ticket = thanks.ticket_path();
        smtp.wait_for(3, Duration::from_secs(20));
        smtp.clear();
        let owner = app.login(OWNER);
        let staff_id = app.count("SELECT id AS n FROM users WHERE email = 'staff@shop.example'");
        act(
            &owner,
            &ticket,
            "assign",
            &[("assignee", &staff_id.to_string())],
        );
        act(&owner, &ticket, "reply", &[("body", "Dank je.")]);
        let mails = smtp.wait_for(2, Duration::from_secs(20));
        let assigned = mails
            .iter()
            .find(|m| m.subject().contains("toegewezen"))
            .expect("the assignment mail");
        assert_eq!(
            assigned.header("Reply-To"),
            None,
            "a staff mail never carries the reply address"
        );
        let reply = mails
            .iter()
            .find(|m| !m.subject().contains("toegewezen"))
            .expect("the reply to the customer");
        assert!(
            reply.header("Reply-To").is_some(),
            "the customer's mail does"
        );
        smtp.stop();
    }
);
