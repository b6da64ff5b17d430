//! Follow-ups before a complaint goes public: the SLA clock counted in
//! opening hours and paused while waiting on the customer, one escalation per
//! breach, one reminder to a waiting customer, auto-close, the satisfaction
//! survey (a GET never votes, the confirmation does; an unhappy answer
//! reopens and tells the assignee), the daily digest once a day at its hour,
//! and the owner's settings for all of it. Time moves with the injectable
//! clock; the jobs run when the test says so.

use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDateTime, Timelike};
use diesel::prelude::*;
use tellus::db::schema::{locations, tickets, users};

use crate::both;
use crate::support::{Client, Complaint, Response, SmtpServer, TestApp};

const OWNER: &str = "owner@shop.example";
const STAFF: &str = "staff@shop.example";
const CUSTOMER: &str = "anna@customer.example";
const EN: &[(&str, &str)] = &[("Accept-Language", "en")];

/// The complaint these tests start from, before any contact details.
fn stale_bread(app: &TestApp) -> Complaint<'_> {
    app.complain(1).message("The bread was stale")
}

/// The clocks of a ticket as stored.
#[derive(Debug, Queryable)]
struct Clocks {
    status: String,
    first_response_due_at: Option<NaiveDateTime>,
    resolution_due_at: Option<NaiveDateTime>,
    due_at: Option<NaiveDateTime>,
    first_response_at: Option<NaiveDateTime>,
    waiting_since: Option<NaiveDateTime>,
    resolved_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    csat_due_at: Option<NaiveDateTime>,
    csat_score: Option<i16>,
}

fn clocks(app: &TestApp, id: i64) -> Clocks {
    app.read(move |c| {
        Ok(tickets::table
            .find(id)
            .select((
                tickets::status,
                tickets::first_response_due_at,
                tickets::resolution_due_at,
                tickets::due_at,
                tickets::first_response_at,
                tickets::waiting_since,
                tickets::resolved_at,
                tickets::closed_at,
                tickets::csat_due_at,
                tickets::csat_score,
            ))
            .first(c)?)
    })
}

/// Moves a ticket to `to` as the workflow does (status, clocks, timeline).
fn move_to(app: &TestApp, id: i64, to: &'static str) {
    let now = app.clock.now();
    app.write(move |c| {
        use tellus::domain::ticket::{self, Status};
        let from: String = tickets::table.find(id).select(tickets::status).first(c)?;
        let (from, to) = (Status::parse(&from).unwrap(), Status::parse(to).unwrap());
        ticket::move_status(c, id, from, to, None, now)
    });
}

/// Staff set a status through the ticket page's form.
fn set_status(staff: &Client, id: i64, status: &str) {
    let res = staff.ticket_action(
        &format!("/staff/tickets/{id}"),
        "status",
        &[("status", status)],
    );
    assert_eq!(res.status, 303, "status {status}: {}", res.body);
}

/// Runs the background jobs now, as the loop would.
fn run_jobs(app: &TestApp) {
    tellus::jobs::run_now(&app.state).expect("jobs run");
}

/// Queued mails of a kind, as (recipient, ticket).
fn mails(app: &TestApp, kind: &'static str) -> Vec<(String, Option<i64>)> {
    use tellus::db::schema::outbox;
    app.read(move |c| {
        Ok(outbox::table
            .filter(outbox::kind.eq(kind))
            .order(outbox::id.asc())
            .select((outbox::recipient, outbox::ticket_id))
            .load(c)?)
    })
}

fn events(app: &TestApp, id: i64, kind: &str) -> Vec<String> {
    use tellus::db::schema::ticket_events;
    let kind = kind.to_owned();
    app.read(move |c| {
        Ok(ticket_events::table
            .filter(ticket_events::ticket_id.eq(id))
            .filter(ticket_events::kind.eq(kind))
            .order(ticket_events::id.asc())
            .select(ticket_events::detail)
            .load(c)?)
    })
}

/// Moves the clock to the next day at `hour:minute` UTC.
fn advance_to_tomorrow_at(app: &TestApp, hour: u32, minute: u32) -> NaiveDateTime {
    let now = app.clock.now();
    let target = (now.date() + Duration::days(1))
        .and_hms_opt(hour, minute, 0)
        .expect("valid time");
    app.advance((target - now).num_seconds());
    target
}

fn near(actual: Option<NaiveDateTime>, expected: NaiveDateTime, what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what}: not set"));
    assert!(
        (actual - expected).num_seconds().abs() < 60,
        "{what}: {actual} is not {expected}"
    );
}

both!(
    sla_clock_counts_opening_hours_and_pauses_while_waiting,
    |backend| {
        let app = TestApp::with_shop(backend);
        // Open every day 09:00–17:00 UTC.
        let week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .map(|d| format!("{d} 09:00-17:00"))
            .join("\n");
        app.write(move |c| {
            diesel::update(locations::table)
                .set((
                    locations::opening_hours.eq(week),
                    locations::time_zone.eq("UTC"),
                ))
                .execute(c)?;
            Ok(())
        });
        let start = advance_to_tomorrow_at(&app, 7, 59);
        let day = start.date();
        let at = |d: i64, h: u32| (day + Duration::days(d)).and_hms_opt(h, 0, 0).unwrap();

        // Before opening: the two hours start at 09:00; 16 hours are two days.
        let id = stale_bread(&app)
            .contact("Anna", CUSTOMER)
            .submit()
            .ticket_id();
        let t = clocks(&app, id);
        assert_eq!(t.first_response_due_at, Some(at(0, 11)));
        assert_eq!(t.resolution_due_at, Some(at(1, 17)));
        assert_eq!(
            t.due_at, t.first_response_due_at,
            "the inbox sorts by the first answer"
        );

        // 10:00: staff answer; now the resolution is what is due.
        app.advance(2 * 3600);
        let staff = app.login(STAFF);
        let res = staff.ticket_action(
            &format!("/staff/tickets/{id}"),
            "reply",
            &[("body", "Which loaf was it?")],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let t = clocks(&app, id);
        near(t.first_response_at, at(0, 10), "first response");
        assert_eq!(t.due_at, Some(at(1, 17)));

        // Waiting on the customer: no due moment, the clock stands still.
        move_to(&app, id, "waiting");
        let t = clocks(&app, id);
        assert_eq!(t.due_at, None);
        near(t.waiting_since, at(0, 10), "waiting since");

        // Back at 18:00: seven open hours were spent waiting (10:00–17:00).
        app.advance(8 * 3600);
        move_to(&app, id, "open");
        let t = clocks(&app, id);
        assert_eq!(t.waiting_since, None);
        near(t.resolution_due_at, at(2, 16), "resolution due, moved");
        assert_eq!(t.due_at, t.resolution_due_at);

        // Resolved: nothing due; the customer writes back: due again, the
        // resolved moment and the pending survey gone.
        // Eight hours later the morning's session has timed out: log in again.
        set_status(&app.login(STAFF), id, "resolved");
        let t = clocks(&app, id);
        assert_eq!(t.due_at, None);
        assert!(t.resolved_at.is_some());
        assert!(t.csat_due_at.is_some(), "a survey is planned");
        let customer = app.client();
        let page_link = customer_page(&app, id);
        let page = customer.get(&page_link);
        let res = customer.reply_as_customer(&page, &page_link, "It was the rye.", "en");
        assert_eq!(res.status, 303, "{}", res.body);
        let t = clocks(&app, id);
        assert_eq!(t.status, "open");
        assert_eq!(t.resolved_at, None);
        assert_eq!(t.csat_due_at, None);
        assert_eq!(t.due_at, t.resolution_due_at);
    }
);

both!(one_escalation_per_breach, |backend| {
    let app = TestApp::with_shop(backend);
    let id = stale_bread(&app).submit().ticket_id();
    run_jobs(&app);
    assert!(mails(&app, "escalation").is_empty(), "nothing is late yet");

    // Two hours without an answer (always open): one mail to the owner.
    app.advance(2 * 3600 + 60);
    run_jobs(&app);
    run_jobs(&app);
    assert_eq!(mails(&app, "escalation"), [(OWNER.to_owned(), Some(id))]);
    assert_eq!(events(&app, id, "escalation"), ["first_response"]);

    // Sixteen hours: the resolution target is missed too, once.
    app.advance(14 * 3600);
    run_jobs(&app);
    run_jobs(&app);
    assert_eq!(mails(&app, "escalation").len(), 2);
    assert_eq!(
        events(&app, id, "escalation"),
        ["first_response", "resolution"]
    );

    // Still overdue after a pause on the customer: the same breach, not told again.
    move_to(&app, id, "waiting");
    app.advance(86400);
    move_to(&app, id, "open");
    app.advance(86400);
    run_jobs(&app);
    assert_eq!(mails(&app, "escalation").len(), 2);
});

both!(a_waiting_customer_gets_one_reminder, |backend| {
    let app = TestApp::with_shop(backend);
    let with_email = stale_bread(&app)
        .contact("Anna", CUSTOMER)
        .submit()
        .ticket_id();
    let without = stale_bread(&app).submit().ticket_id();
    move_to(&app, with_email, "waiting");
    move_to(&app, without, "waiting");
    app.advance(2 * 86400);
    run_jobs(&app);
    assert!(mails(&app, "waiting_reminder").is_empty(), "not yet");

    app.advance(86400 + 60);
    run_jobs(&app);
    run_jobs(&app);
    assert_eq!(
        mails(&app, "waiting_reminder"),
        [(CUSTOMER.to_owned(), Some(with_email))],
        "one reminder, only to the customer who asked for mail"
    );
    assert_eq!(events(&app, with_email, "reminder").len(), 1);
    assert!(events(&app, without, "reminder").is_empty());

    // Answered and waiting again: the reminder can come once more.
    move_to(&app, with_email, "open");
    move_to(&app, with_email, "waiting");
    app.advance(3 * 86400 + 60);
    run_jobs(&app);
    assert_eq!(mails(&app, "waiting_reminder").len(), 2);
});

both!(resolved_tickets_close_by_themselves, |backend| {
    let app = TestApp::with_shop(backend);
    let id = stale_bread(&app).submit().ticket_id();
    let staff = app.login(STAFF);
    set_status(&staff, id, "resolved");
    app.advance(6 * 86400);
    run_jobs(&app);
    assert_eq!(clocks(&app, id).status, "resolved");

    app.advance(86400 + 60);
    run_jobs(&app);
    run_jobs(&app);
    let t = clocks(&app, id);
    assert_eq!(t.status, "closed");
    assert!(t.closed_at.is_some());
    let moves = events(&app, id, "status");
    assert_eq!(moves.last().map(String::as_str), Some("resolved>closed"));
});

/// The link in a mail's text part that contains `part`.
fn link_in(text: &str, part: &str) -> String {
    text.lines()
        .find(|l| l.starts_with("http") && l.contains(part))
        .unwrap_or_else(|| panic!("a link with {part} in:\n{text}"))
        .trim()
        .to_owned()
}

both!(survey_link_asks_before_it_records, |backend| {
    let smtp = SmtpServer::start();
    let app = TestApp::builder(backend)
        .smtp(&smtp.url())
        .reachable()
        .with_shop();
    app.write(|c| {
        tellus::domain::review_link::add(c, "Google", "https://g.example/review")?
            .expect("valid link");
        Ok(())
    });
    let id = stale_bread(&app)
        .contact("Anna", CUSTOMER)
        .submit()
        .ticket_id();
    let staff = app.login(STAFF);
    set_status(&staff, id, "resolved");
    let t = clocks(&app, id);
    let resolved = t.resolved_at.expect("resolved");
    assert_eq!(t.csat_due_at, Some(resolved + Duration::hours(4)));
    run_jobs(&app);
    assert!(mails(&app, "satisfaction_survey").is_empty(), "not yet");

    app.advance(4 * 3600 + 60);
    run_jobs(&app);
    run_jobs(&app);
    assert_eq!(mails(&app, "satisfaction_survey").len(), 1, "one survey");
    let survey = smtp
        .wait_for(4, StdDuration::from_secs(20))
        .into_iter()
        .find(|m| m.to() == CUSTOMER && m.subject().contains("opgelost"))
        .expect("the survey arrives");
    let happy = link_in(&survey.text_body(), "/rate/4");
    assert!(survey.html_body().contains("/rate/1"));

    // Opening the link (or a prefetch of it) records nothing.
    let customer = app.client();
    let page = customer.get(&happy);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("value=\"4\" checked"),
        "face 4 preselected"
    );
    let prefetch = customer.get_with(&happy, &[("Sec-Purpose", "prefetch")]);
    assert_eq!(prefetch.status, 200);
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(clocks(&app, id).csat_score, None, "a GET never votes");
    assert!(events(&app, id, "csat").is_empty());

    // Confirming records it, thanks, and invites a review like everyone.
    let action = happy.rsplit_once('/').expect("face").0.to_owned();
    let token = page.hidden("token").expect("form token");
    let thanks = customer.post_form(&action, &[("token", &token), ("face", "4"), ("lang", "en")]);
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert!(thanks.body.contains("Thank you for your answer"));
    assert!(thanks.body.contains("https://g.example/review"));
    let t = clocks(&app, id);
    assert_eq!(t.csat_score, Some(4));
    assert_eq!(t.status, "resolved", "a happy answer leaves it resolved");
    assert_eq!(events(&app, id, "csat"), ["4"]);

    // A later answer replaces the earlier one.
    customer.post_form(&action, &[("token", &token), ("face", "3")]);
    assert_eq!(clocks(&app, id).csat_score, Some(3));

    // Without the form token, a face outside 1–4, or a wrong ticket: refused.
    let forged = customer.post_form(&action, &[("token", "x.y"), ("face", "1")]);
    assert_eq!(forged.status, 403);
    assert_eq!(customer.get(&format!("{action}/5")).status, 404);
    assert_eq!(customer.get("/t/not-a-ticket/rate/1").status, 404);
    assert_eq!(clocks(&app, id).csat_score, Some(3));
    run_jobs(&app);
    assert_eq!(
        mails(&app, "satisfaction_survey").len(),
        1,
        "still one survey"
    );
});

/// The customer's private page of ticket `id`.
fn customer_page(app: &TestApp, id: i64) -> String {
    let nonce: String = app.read(move |c| {
        Ok(tickets::table
            .find(id)
            .select(tickets::access_nonce)
            .first(c)?)
    });
    let token = tellus::domain::ticket::page_token(&app.state.mail, &nonce);
    format!("/t/{token}")
}

/// Answers the survey of ticket `id` with `face`, as the customer would.
fn answer(app: &TestApp, id: i64, face: &str) -> Response {
    let page = customer_page(app, id);
    let customer = app.client();
    let form = customer.get(&format!("{page}/rate/{face}"));
    assert_eq!(form.status, 200);
    let form_token = form.hidden("token").expect("form token");
    customer.post_form(
        &format!("{page}/rate"),
        &[("token", &form_token), ("face", face), ("lang", "en")],
    )
}

both!(unhappy_answer_reopens_and_tells_the_assignee, |backend| {
    let app = TestApp::with_shop(backend);
    let assigned = stale_bread(&app)
        .contact("Anna", CUSTOMER)
        .submit()
        .ticket_id();
    let nobody = stale_bread(&app)
        .contact("Anna", CUSTOMER)
        .submit()
        .ticket_id();
    app.write(move |c| {
        let staff: i64 = users::table
            .filter(users::email.eq(STAFF))
            .select(users::id)
            .first(c)?;
        diesel::update(tickets::table.find(assigned))
            .set(tickets::assignee_id.eq(staff))
            .execute(c)?;
        Ok(())
    });
    let staff = app.login(STAFF);
    set_status(&staff, assigned, "resolved");
    set_status(&staff, nobody, "resolved");

    let res = answer(&app, assigned, "1");
    assert_eq!(res.status, 200);
    assert!(res.body.contains("open again"), "{}", res.body);
    let t = clocks(&app, assigned);
    assert_eq!((t.status.as_str(), t.csat_score), ("open", Some(1)));
    assert_eq!(t.resolved_at, None);
    assert!(t.due_at.is_some(), "the clock runs again");
    assert!(events(&app, assigned, "status").contains(&"resolved>open".to_owned()));
    assert_eq!(
        mails(&app, "unhappy_answer"),
        [(STAFF.to_owned(), Some(assigned))],
        "only the assignee"
    );

    // Nobody assigned: everyone hears it.
    answer(&app, nobody, "2");
    let alerted: Vec<String> = mails(&app, "unhappy_answer")
        .into_iter()
        .filter(|(_, t)| *t == Some(nobody))
        .map(|(to, _)| to)
        .collect();
    assert_eq!(alerted, [OWNER, STAFF]);
    assert_eq!(clocks(&app, nobody).status, "open");

    // Changing one's mind back and forth on the reopened ticket records each
    // answer but tells staff nothing new.
    let before = mails(&app, "unhappy_answer").len();
    for face in ["4", "1", "4", "2"] {
        assert_eq!(answer(&app, assigned, face).status, 200);
    }
    assert_eq!(clocks(&app, assigned).csat_score, Some(2));
    assert_eq!(
        mails(&app, "unhappy_answer").len(),
        before,
        "no alert flood"
    );
});

both!(digest_once_a_day_at_its_hour, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let page = owner.get_with("/staff/settings/workflow", EN);
    assert_eq!(page.status, 200);
    let csrf = page.hidden("csrf").expect("csrf");
    let settings = |digest_hour: &str| {
        owner.post_form(
            "/staff/settings/workflow",
            &[
                ("csrf", &csrf),
                ("auto_close_days", "7"),
                ("reminder_days", "3"),
                ("csat_delay_hours", "4"),
                ("digest_hour", digest_hour),
                ("time_zone", "UTC"),
            ],
        )
    };
    let wrong = settings("25");
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("value=\"25\""), "what was typed stays");
    assert_eq!(settings("3").status, 303);
    let staff_page = app.login(STAFF).get("/staff/settings/workflow");
    assert_eq!(staff_page.status, 404, "owners only");

    advance_to_tomorrow_at(&app, 0, 30);
    stale_bread(&app).submit();
    run_jobs(&app);
    assert!(mails(&app, "digest").is_empty(), "not before 03:00");

    app.advance(3 * 3600);
    assert_eq!(app.clock.now().hour(), 3);
    run_jobs(&app);
    run_jobs(&app);
    let sent: Vec<String> = mails(&app, "digest")
        .into_iter()
        .map(|(to, _)| to)
        .collect();
    assert_eq!(sent, [OWNER, STAFF], "each staff member and owner, once");

    app.advance(20 * 3600);
    run_jobs(&app);
    assert_eq!(mails(&app, "digest").len(), 2, "not twice the same day");
    app.advance(4 * 3600);
    run_jobs(&app);
    assert_eq!(mails(&app, "digest").len(), 4, "the next day again");
});

both!(owner_sets_targets_per_location, |backend| {
    let app = TestApp::with_shop(backend);
    let id: i64 = app.read(|c| Ok(locations::table.select(locations::id).first(c)?));
    let owner = app.login(OWNER);
    let form = owner.get_with(&format!("/staff/locations/{id}/edit"), EN);
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("value=\"2:00\""),
        "targets shown as h:mm"
    );
    let csrf = form.hidden("csrf").expect("csrf");
    let post = |first: &str, resolution: &str| {
        owner.post_form(
            &format!("/staff/locations/{id}"),
            &[
                ("csrf", csrf.as_str()),
                ("name", "Bakkerij De Zon"),
                ("slug", "shop"),
                ("time_zone", "Europe/Amsterdam"),
                ("default_language", "nl"),
                ("first_response", first),
                ("resolution", resolution),
            ],
        )
    };
    let bad = post("0:00", "1:00");
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("0:01"), "the error says what fits");
    assert_eq!(
        post("3:00", "1:00").status,
        422,
        "resolution before first answer"
    );
    assert_eq!(post("1:30", "8:00").status, 303);
    let stored: (i32, i32) = app.read(move |c| {
        Ok(locations::table
            .find(id)
            .select((
                locations::first_response_minutes,
                locations::resolution_minutes,
            ))
            .first(c)?)
    });
    assert_eq!(stored, (90, 480));

    let ticket = stale_bread(&app).submit().ticket_id();
    let t = clocks(&app, ticket);
    let opened: NaiveDateTime = app.read(move |c| {
        Ok(tickets::table
            .find(ticket)
            .select(tickets::created_at)
            .first(c)?)
    });
    assert_eq!(
        t.first_response_due_at,
        Some(opened + Duration::minutes(90))
    );
    assert_eq!(t.resolution_due_at, Some(opened + Duration::hours(8)));
});
