//! The owner's dashboard against a hand-computed fixture: every figure by
//! value, the same before and after the daily rollup, a local day boundary
//! in the business's time zone, the location filter, a changed answer on a
//! rolled-up day, CSV contents and neutralisation, who may see it, and bad
//! dates; the key-figure cards against the previous range of the same
//! length, the locations side by side, and the hour-of-week heat map in
//! local hours (winter and summer time).

use crate::both;
use crate::support::gift::StoredGift;
use crate::support::{Client, TestApp};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use diesel::prelude::*;
use tellus::db::schema::{business_profile, categories, feedback, locations, tickets};

const OWNER: &str = "owner@shop.example";
const STAFF: &str = "staff@shop.example";
const EN: &[(&str, &str)] = &[("Accept-Language", "en")];
/// Far from UTC, so a late local evening is the next day in UTC.
const ZONE: &str = "America/New_York";

/// A submission (and maybe its ticket) of the fixture.
struct Sub {
    location: i64,
    face: i16,
    channel: &'static str,
    category: Option<i64>,
    at: NaiveDateTime,
    quarantined: bool,
}

/// A ticket's moments.
#[derive(Default)]
struct Flow {
    first_response: Option<NaiveDateTime>,
    first_due: Option<NaiveDateTime>,
    resolved: Option<NaiveDateTime>,
    resolution_due: Option<NaiveDateTime>,
    answer: Option<(i16, NaiveDateTime)>,
}

fn add(app: &TestApp, sub: Sub, flow: Option<Flow>) -> Option<i64> {
    app.write(move |c| {
        let reference = format!("TL-{}", tellus::tokens::random_token()[..8].to_uppercase());
        let feedback_id: i64 = diesel::insert_into(feedback::table)
            .values((
                feedback::reference.eq(reference),
                feedback::location_id.eq(sub.location),
                feedback::face.eq(sub.face),
                feedback::category_id.eq(sub.category),
                feedback::contact_consent.eq(false),
                feedback::language.eq("nl"),
                feedback::channel.eq(sub.channel),
                feedback::quarantine_reason.eq(sub.quarantined.then_some("honeypot")),
                feedback::created_at.eq(sub.at),
            ))
            .returning(feedback::id)
            .get_result(c)?;
        let Some(flow) = flow else { return Ok(None) };
        let status = if flow.resolved.is_some() {
            "closed"
        } else {
            "open"
        };
        let token = tellus::tokens::random_token();
        let id: i64 = diesel::insert_into(tickets::table)
            .values((
                (
                    tickets::feedback_id.eq(feedback_id),
                    tickets::location_id.eq(sub.location),
                    tickets::status.eq(status),
                    tickets::access_nonce.eq(tellus::tokens::random_token()),
                    tickets::access_token_hash.eq(tellus::tokens::hash_token(&token)),
                    tickets::created_at.eq(sub.at),
                    tickets::updated_at.eq(sub.at),
                    tickets::priority.eq("normal"),
                    tickets::face.eq(Some(sub.face)),
                    tickets::category_id.eq(sub.category),
                ),
                (
                    tickets::first_response_at.eq(flow.first_response),
                    tickets::first_response_due_at.eq(flow.first_due),
                    tickets::resolved_at.eq(flow.resolved),
                    tickets::closed_at.eq(flow.resolved),
                    tickets::resolution_due_at.eq(flow.resolution_due),
                    tickets::csat_score.eq(flow.answer.map(|a| a.0)),
                    tickets::csat_at.eq(flow.answer.map(|a| a.1)),
                ),
            ))
            .returning(tickets::id)
            .get_result(c)?;
        Ok(Some(id))
    })
}

fn add_gift(
    app: &TestApp,
    location: i64,
    cost: i64,
    status: &'static str,
    sent: Option<NaiveDateTime>,
    redeemed: Option<NaiveDateTime>,
) {
    app.store_gift(StoredGift {
        location_id: location,
        ticket_id: None,
        title: "Bloemen",
        description: "",
        redeem_how: "",
        language: "nl",
        value_cents: cost,
        cost_cents: cost,
        recipient_email: None,
        recipient_name: None,
        message: String::new(),
        status,
        created_at: sent.unwrap_or_default(),
        sent_at: sent,
        expires_at: None,
        redeemed_at: redeemed,
    });
}

/// The fixture's places and days.
struct Fixture {
    shop: i64,
    d1: NaiveDate,
    today: NaiveDate,
    /// The ticket answered unhappy (face 2).
    unhappy_answer: i64,
}

fn fixture(app: &TestApp) -> Fixture {
    app.add_location("other", "Bakkerij De Maan");
    let (shop, other, cat_a, cat_b) = app.write(|c| {
        diesel::update(business_profile::table)
            .set(business_profile::time_zone.eq(ZONE))
            .execute(c)?;
        diesel::update(locations::table.filter(locations::slug.eq("shop")))
            .set(locations::gift_budget_cents.eq(Some(10_000_i64)))
            .execute(c)?;
        let id = |c: &mut tellus::db::DbConnection, slug: &str| -> tellus::error::AppResult<i64> {
            Ok(locations::table
                .filter(locations::slug.eq(slug))
                .select(locations::id)
                .first(c)?)
        };
        let (shop, other) = (id(c, "shop")?, id(c, "other")?);
        let mut cats = Vec::new();
        for (slug, name) in [
            ("dash-a", "Wachttijd"),
            ("dash-b", "=HYPERLINK(\"http://evil.example\",\"x\")"),
        ] {
            cats.push(
                diesel::insert_into(categories::table)
                    .values((
                        categories::slug.eq(slug),
                        categories::name_nl.eq(name),
                        categories::name_en.eq(name),
                        categories::position.eq(90),
                        categories::active.eq(true),
                    ))
                    .returning(categories::id)
                    .get_result::<i64>(c)?,
            );
        }
        Ok((shop, other, cats[0], cats[1]))
    });
    let tz: Tz = ZONE.parse().expect("zone");
    let today = tz.from_utc_datetime(&app.clock.now()).date_naive();
    let d1 = today - Duration::days(5);
    let d2 = today - Duration::days(4);
    let at = |day: NaiveDate, hm: &str| {
        let local = day.and_time(NaiveTime::parse_from_str(hm, "%H:%M").expect("time"));
        tellus::domain::local_time::to_utc(tz, local)
    };
    let sub = |location, face, channel, category, at| Sub {
        location,
        face,
        channel,
        category,
        at,
        quarantined: false,
    };
    // Day 1. T1: answered in 30 min (on time), resolved in 3 h (late), answered happy.
    add(
        app,
        sub(shop, 1, "kiosk", Some(cat_a), at(d1, "09:00")),
        Some(Flow {
            first_response: Some(at(d1, "09:30")),
            first_due: Some(at(d1, "10:00")),
            resolved: Some(at(d1, "12:00")),
            resolution_due: Some(at(d1, "11:00")),
            answer: Some((4, at(d2, "10:00"))),
        }),
    );
    // T2: answered in 2 h (late), resolved after a day (on time), answered unhappy.
    let unhappy_answer = add(
        app,
        sub(shop, 2, "qr", Some(cat_b), at(d1, "10:00")),
        Some(Flow {
            first_response: Some(at(d1, "12:00")),
            first_due: Some(at(d1, "11:00")),
            resolved: Some(at(d2, "10:00")),
            resolution_due: Some(at(d2, "12:00")),
            answer: Some((2, at(d2, "11:00"))),
        }),
    )
    .expect("ticket");
    // Late in the evening: still day 1 locally (the next day in UTC).
    add(app, sub(shop, 4, "web", None, at(d1, "23:30")), None);
    // The other location: answered in 10 min without a target.
    add(
        app,
        sub(other, 1, "kiosk", Some(cat_a), at(d1, "08:00")),
        Some(Flow {
            first_response: Some(at(d1, "08:10")),
            ..Flow::default()
        }),
    );
    // Quarantined: not counted.
    add(
        app,
        Sub {
            quarantined: true,
            ..sub(shop, 3, "kiosk", Some(cat_a), at(d1, "11:00"))
        },
        None,
    );
    // Day 2. T6: answered in 5 min, resolved in 1 h without a target, answered happy.
    add(
        app,
        sub(shop, 2, "web", Some(cat_a), at(d2, "09:00")),
        Some(Flow {
            first_response: Some(at(d2, "09:05")),
            first_due: Some(at(d2, "11:00")),
            resolved: Some(at(d2, "10:00")),
            answer: Some((3, at(d2, "15:00"))),
            ..Flow::default()
        }),
    );
    add(
        app,
        sub(shop, 4, "kiosk", Some(cat_b), at(d2, "14:00")),
        None,
    );
    // Today (counted live): answered in 15 min.
    add(
        app,
        sub(shop, 1, "qr", Some(cat_b), at(today, "00:30")),
        Some(Flow {
            first_response: Some(at(today, "00:45")),
            ..Flow::default()
        }),
    );
    // Gifts: two sent at the shop (one redeemed), one at the other location;
    // one waiting for approval and one voided do not count.
    add_gift(
        app,
        shop,
        1500,
        "redeemed",
        Some(at(d1, "13:00")),
        Some(at(d2, "12:00")),
    );
    add_gift(app, shop, 500, "sent", Some(at(d2, "09:00")), None);
    add_gift(app, other, 700, "sent", Some(at(d1, "10:00")), None);
    add_gift(app, shop, 9999, "awaiting_approval", None, None);
    add_gift(app, shop, 800, "void", Some(at(d1, "14:00")), None);
    Fixture {
        shop,
        d1,
        today,
        unhappy_answer,
    }
}

fn get_csv(owner: &Client, chart: &str, query: &str) -> String {
    let res = owner.get_with(&format!("/staff/dashboard/{chart}.csv?{query}"), EN);
    assert_eq!(res.status, 200, "{chart}.csv: {}", res.body);
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(
        res.header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment; filename=\"tellus-")),
        "{:?}",
        res.header("content-disposition")
    );
    res.body
}

/// Every chart's CSV for a query, in one string.
fn all_csv(owner: &Client, query: &str) -> String {
    [
        "figures",
        "volume",
        "categories",
        "faces",
        "channels",
        "satisfaction",
    ]
    .map(|chart| format!("# {chart}\r\n{}", get_csv(owner, chart, query)))
    .join("")
}

fn months_touched(from: NaiveDate, to: NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from((to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1)
}

both!(figures_match_the_hand_computed_fixture, |backend| {
    let app = TestApp::with_shop(backend);
    let fx = fixture(&app);
    let owner = app.login(OWNER);
    let (d1, today) = (fx.d1, fx.today);
    let query = format!("location=all&from={d1}&to={today}");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM dashboard_days"), 0);

    let figures = get_csv(&owner, "figures", &query);
    let budget = 10_000 * months_touched(d1, today);
    let expected = format!(
        "figure,value\r\n\
         submissions,7\r\n\
         first_response_median_minutes,15\r\n\
         first_response_p90_minutes,120\r\n\
         first_response_on_time_percent,80\r\n\
         resolution_median_minutes,180\r\n\
         resolution_p90_minutes,1440\r\n\
         resolution_on_time_percent,67\r\n\
         satisfaction_answers,3\r\n\
         satisfaction_happy_percent,67\r\n\
         recovered_customers,2\r\n\
         gifts_sent,3\r\n\
         gifts_redeemed,1\r\n\
         gift_spend_cents,2700\r\n\
         gift_budget_cents,{budget}\r\n\
         gift_cost_per_recovered_cents,1350\r\n"
    );
    assert_eq!(figures, expected);
    // Per day: the 23:30 submission counts on its local day 1, today live.
    let volume = get_csv(&owner, "volume", &query);
    let days: Vec<String> = (0..6)
        .map(|i| {
            let n = [4, 2, 0, 0, 0, 1][i];
            format!("{},{n}\r\n", d1 + Duration::days(i as i64))
        })
        .collect();
    assert_eq!(volume, format!("date,submissions\r\n{}", days.join("")));
    assert_eq!(
        get_csv(&owner, "faces", &query),
        "face,submissions\r\nVery unhappy,3\r\nUnhappy,2\r\nHappy,0\r\nVery happy,2\r\n"
    );
    assert_eq!(
        get_csv(&owner, "channels", &query),
        "channel,submissions\r\nKiosk,3\r\nQR code,2\r\nWeb,2\r\n"
    );
    assert_eq!(
        get_csv(&owner, "satisfaction", &query),
        "answer,answers\r\nVery unhappy,0\r\nUnhappy,1\r\nHappy,1\r\nVery happy,1\r\n"
    );
    // The owner-entered formula comes out neutralised, quoted per RFC 4180.
    let categories = get_csv(&owner, "categories", &query);
    assert!(
        categories.contains("Wachttijd,3\r\n")
            && categories.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",3\r\n")
            && categories.contains("No category,1\r\n"),
        "{categories}"
    );

    // The page shows the same, readably, with charts and tables.
    let page = owner.get_with(&format!("/staff/dashboard?{query}"), EN);
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        "80% (4 / 5)",
        "2 h 00 min",
        "1 d 0 h",
        "2 of 3 who started unhappy",
        "€27.00",
        "€13.50",
        "role=\"img\"",
        "/staff/dashboard/volume.csv?",
    ] {
        assert!(page.body.contains(shown), "page shows {shown}");
    }
    assert!(!page.body.contains("<script"), "no script on the page");
    assert!(!page.body.contains("style="), "no inline style (CSP)");

    // Rolled up: the finished days are stored, the figures stay the same.
    let before = all_csv(&owner, &query);
    tellus::jobs::run_now(&app.state).expect("jobs");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM dashboard_days"),
        5,
        "day 1 up to yesterday rolled up"
    );
    assert_eq!(
        all_csv(&owner, &query),
        before,
        "rolled figures equal live ones"
    );

    // A changed answer on a rolled-up day: that day is counted again.
    let ticket = fx.unhappy_answer;
    let mail = app.state.mail.clone();
    let now = app.clock.now();
    app.write(move |c| {
        tellus::domain::satisfaction::record_answer(c, ticket, 4, &mail, now).map(|_| ())
    });
    let figures = get_csv(&owner, "figures", &query);
    assert!(figures.contains("recovered_customers,3\r\n"), "{figures}");
    assert!(
        figures.contains("satisfaction_happy_percent,100\r\n"),
        "{figures}"
    );
    tellus::jobs::run_now(&app.state).expect("jobs");
    assert_eq!(
        get_csv(&owner, "figures", &query),
        figures,
        "after rolling again"
    );

    // One location: its own submissions, times and gifts.
    let shop_query = format!("location={}&from={d1}&to={today}", fx.shop);
    let shop = get_csv(&owner, "figures", &shop_query);
    for line in [
        "submissions,6\r\n",
        "first_response_median_minutes,15\r\n",
        "first_response_p90_minutes,120\r\n",
        "first_response_on_time_percent,75\r\n",
        "gifts_sent,2\r\n",
        "gift_spend_cents,2000\r\n",
    ] {
        assert!(shop.contains(line), "{line} in {shop}");
    }
    // A range of day 2 alone.
    let d2 = d1 + Duration::days(1);
    let one_day = get_csv(&owner, "figures", &format!("from={d2}&to={d2}"));
    assert!(
        one_day.starts_with("figure,value\r\nsubmissions,2\r\n"),
        "{one_day}"
    );
    assert!(
        one_day.contains("resolution_median_minutes,60\r\n"),
        "{one_day}"
    );
    // Saving the settings unchanged keeps the rollup; a new time zone moves
    // every day's edges, so it is counted again.
    let save = |zone: &'static str| {
        let app_now = app.clock.now();
        app.write(move |c| {
            let mut input = tellus::domain::workflow::WorkflowInput::from_settings(
                &tellus::domain::workflow::get(c)?,
            );
            input.time_zone = zone.into();
            tellus::domain::workflow::save(c, tellus::domain::audit::Actor::Cli, &input, app_now)
                .map(|r| assert!(r.is_ok()))
        })
    };
    save(ZONE);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM dashboard_days"), 5);
    save("Asia/Tokyo");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM dashboard_days"), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM daily_feedback"), 0);
});

both!(only_owners_and_clear_errors, |backend| {
    let app = TestApp::with_shop(backend);
    let staff = app.login(STAFF);
    assert_eq!(staff.get("/staff/dashboard").status, 404);
    assert_eq!(staff.get("/staff/dashboard/volume.csv").status, 404);
    assert_eq!(
        app.client().get("/staff/dashboard").status,
        303,
        "login first"
    );

    let owner = app.login(OWNER);
    let page = owner.get_with("/staff/dashboard", EN);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("href=\"/staff/dashboard\""), "nav link");
    assert!(
        !page.body.contains("9 in 10 within"),
        "no answer time under an empty card"
    );
    assert!(page.body.contains("Submissions per day"));
    // Thirty days by default, today included.
    let volume = get_csv(&owner, "volume", "");
    assert_eq!(volume.lines().count(), 31, "{volume}");

    let bad = owner.get_with("/staff/dashboard?from=30-11-2026", EN);
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("Enter the dates as year-month-day"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("value=\"30-11-2026\""),
        "what was typed stays"
    );
    let reversed = owner.get("/staff/dashboard?from=2026-03-02&to=2026-03-01");
    assert_eq!(reversed.status, 400);
    assert!(reversed.body.contains("De begindatum ligt na de einddatum"));
    assert_eq!(owner.get("/staff/dashboard/volume.csv?from=x").status, 400);
    assert_eq!(owner.get("/staff/dashboard?location=999999").status, 404);
    assert_eq!(owner.get("/staff/dashboard?location=abc").status, 404);
    assert_eq!(owner.get("/staff/dashboard/secrets.csv").status, 404);

    // Absurd ranges are shortened, with a note.
    let long = owner.get_with("/staff/dashboard?from=1900-01-01&to=9999-12-31", EN);
    assert_eq!(long.status, 200);
    assert!(long.body.contains("The range was shortened"));
});

/// The markup of one key-figure card.
fn card<'a>(body: &'a str, key: &str) -> &'a str {
    let start = body
        .find(&format!("id=\"{key}\""))
        .unwrap_or_else(|| panic!("card {key} on the page"));
    let rest = &body[start..];
    &rest[..rest.find("</li>").expect("card ends")]
}

/// Text without tags, spaces collapsed.
fn text(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in markup.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

both!(cards_compare_with_the_previous_range, |backend| {
    let app = TestApp::with_shop(backend);
    let zone = "Europe/Amsterdam";
    let shop = app.write(move |c| {
        diesel::update(business_profile::table)
            .set(business_profile::time_zone.eq(zone))
            .execute(c)?;
        Ok(locations::table
            .filter(locations::slug.eq("shop"))
            .select(locations::id)
            .first::<i64>(c)?)
    });
    let tz: Tz = zone.parse().expect("zone");
    let today = tz.from_utc_datetime(&app.clock.now()).date_naive();
    let at = |day: NaiveDate, hm: &str| {
        let local = day.and_time(NaiveTime::parse_from_str(hm, "%H:%M").expect("time"));
        tellus::domain::local_time::to_utc(tz, local)
    };
    let sub = |face, at| Sub {
        location: shop,
        face,
        channel: "qr",
        category: None,
        at,
        quarantined: false,
    };
    // The range: the last 7 days. The previous range: the 7 days before.
    let (from, before) = (today - Duration::days(6), today - Duration::days(9));
    // Now: three complaints answered in 30 min, on time; one happy face.
    for (i, face) in [1, 2, 2].into_iter().enumerate() {
        let hm = format!("1{i}:00");
        let done = format!("1{i}:30");
        add(
            &app,
            sub(face, at(from + Duration::days(1), &hm)),
            Some(Flow {
                first_response: Some(at(from + Duration::days(1), &done)),
                first_due: Some(at(from + Duration::days(1), "18:00")),
                ..Flow::default()
            }),
        );
    }
    add(&app, sub(4, at(from + Duration::days(2), "12:00")), None);
    // Before: two complaints answered in an hour, both late.
    for hm in ["09:00", "10:00"] {
        let start = at(before, hm);
        add(
            &app,
            sub(1, start),
            Some(Flow {
                first_response: Some(start + Duration::minutes(60)),
                first_due: Some(start + Duration::minutes(30)),
                ..Flow::default()
            }),
        );
    }
    let owner = app.login(OWNER);
    let query = format!("location=all&from={from}&to={today}");
    let check = |label: &str| {
        let page = owner.get_with(&format!("/staff/dashboard?{query}"), EN);
        assert_eq!(page.status, 200, "{}", page.body);
        let complaints = text(card(&page.body, "dashboard-card-complaints"));
        assert!(
            complaints.contains("Complaints 3 unhappy faces, of 4 submissions")
                && complaints.contains("▲ up 50% vs the previous 7 days · worse"),
            "{label}: {complaints}"
        );
        let median = text(card(&page.body, "dashboard-card-first-median"));
        assert!(
            median.contains("30 min")
                && median.contains("▼ down 50% vs the previous 7 days · better"),
            "{label}: {median}"
        );
        let on_time = text(card(&page.body, "dashboard-card-first-on-time"));
        assert!(
            on_time.contains("100% 3 of 3 on time")
                && on_time.contains("▲ up 100 points vs the previous 7 days · better"),
            "{label}: {on_time}"
        );
        let recovered = text(card(&page.body, "dashboard-card-recovered"));
        assert!(recovered.contains("No change"), "{label}: {recovered}");
        let satisfied = text(card(&page.body, "dashboard-card-satisfaction"));
        assert!(
            satisfied.contains("Nothing to compare with in the previous range"),
            "{label}: {satisfied}"
        );
        // Colour follows the meaning, not the arrow.
        assert!(card(&page.body, "dashboard-card-complaints").contains("dash-bad"));
        assert!(card(&page.body, "dashboard-card-first-median").contains("dash-good"));
        // The ranges read as dates in the reader's language.
        let previous_from = from - Duration::days(7);
        let shown = format!(
            "{} to {} · compared with {} to {}",
            from.format("%-d %b %Y"),
            today.format("%-d %b %Y"),
            previous_from.format("%-d %b %Y"),
            (from - Duration::days(1)).format("%-d %b %Y"),
        );
        assert!(text(&page.body).contains(&shown), "{label}: {shown}");
        // The previous range alone has the figures the cards compared with.
        let previous = get_csv(
            &owner,
            "figures",
            &format!("from={previous_from}&to={}", from - Duration::days(1)),
        );
        assert!(
            previous.contains("submissions,2\r\nfirst_response_median_minutes,60\r\n")
                && previous.contains("first_response_on_time_percent,0\r\n"),
            "{label}: {previous}"
        );
    };
    check("counted live");
    tellus::jobs::run_now(&app.state).expect("jobs");
    assert!(app.count("SELECT COUNT(*) AS n FROM dashboard_days") >= 9);
    check("rolled up");

    // In Dutch: dates as Dutch writes them, the same words for the change.
    let nl = owner.get_with(
        &format!("/staff/dashboard?{query}"),
        &[("Accept-Language", "nl")],
    );
    let complaints = text(card(&nl.body, "dashboard-card-complaints"));
    assert!(
        complaints.contains("▲ omhoog 50% t.o.v. de vorige 7 dagen · slechter"),
        "{complaints}"
    );
    let months = [
        "jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.",
        "dec.",
    ];
    use chrono::Datelike;
    let dutch_today = format!(
        "{} {} {}",
        today.day(),
        months[today.month0() as usize],
        today.year()
    );
    assert!(text(&nl.body).contains(&dutch_today), "{dutch_today}");
    // A one-day range compares with the day before.
    let one = owner.get_with(&format!("/staff/dashboard?from={today}&to={today}"), EN);
    assert!(one.body.contains("vs the day before"));
});

both!(locations_side_by_side, |backend| {
    let app = TestApp::with_shop(backend);
    let fx = fixture(&app);
    let owner = app.login(OWNER);
    let query = format!("location=all&from={}&to={}", fx.d1, fx.today);
    let expected = "location,complaints,submissions,first_response_median_minutes,\
                    first_response_on_time_percent,satisfaction_happy_percent,recovered_customers\r\n\
                    Bakkerij De Zon,4,6,15,75,67,2\r\n\
                    Bakkerij De Maan,1,1,10,100,,0\r\n";
    assert_eq!(get_csv(&owner, "locations", &query), expected);
    let page = owner.get_with(&format!("/staff/dashboard?{query}"), EN);
    let table = text(&page.body);
    assert!(
        table.contains("Bakkerij De Zon 4 15 min 75% 67% 2")
            && table.contains("Bakkerij De Maan 1 10 min 100% — 0"),
        "{table}"
    );
    tellus::jobs::run_now(&app.state).expect("jobs");
    assert_eq!(
        get_csv(&owner, "locations", &query),
        expected,
        "the same from the rollup"
    );
    // One location chosen: no comparison table, its CSV has one row.
    let one = format!("location={}&from={}&to={}", fx.shop, fx.d1, fx.today);
    assert!(!owner
        .get_with(&format!("/staff/dashboard?{one}"), EN)
        .body
        .contains("Locations side by side"));
    assert_eq!(get_csv(&owner, "locations", &one).lines().count(), 2);
});

both!(heat_map_counts_in_local_hours, |backend| {
    use chrono::{Datelike, Weekday};
    let app = TestApp::with_shop(backend);
    let zone = "Europe/Amsterdam";
    let shop = app.write(move |c| {
        diesel::update(business_profile::table)
            .set(business_profile::time_zone.eq(zone))
            .execute(c)?;
        Ok(locations::table
            .filter(locations::slug.eq("shop"))
            .select(locations::id)
            .first::<i64>(c)?)
    });
    let tz: Tz = zone.parse().expect("zone");
    let today = tz.from_utc_datetime(&app.clock.now()).date_naive();
    // The most recent Wednesday on or after the 14th of `month` that has passed.
    let wednesday = |month: u32| {
        let mut year = today.year();
        loop {
            let mut day = NaiveDate::from_ymd_opt(year, month, 14).expect("date");
            while day.weekday() != Weekday::Wed {
                day += Duration::days(1);
            }
            if day < today {
                return day;
            }
            year -= 1;
        }
    };
    let (winter, summer) = (wednesday(1), wednesday(7));
    let utc = |day: NaiveDate, hm: &str| {
        day.and_time(NaiveTime::parse_from_str(hm, "%H:%M").expect("time"))
    };
    let sub = |face, at, quarantined| Sub {
        location: shop,
        face,
        channel: "kiosk",
        category: None,
        at,
        quarantined,
    };
    // Winter (UTC+1): 09:30 UTC is 10:30; Tuesday 23:30 UTC is Wednesday 00:30.
    add(&app, sub(1, utc(winter, "09:30"), false), None);
    add(
        &app,
        sub(2, utc(winter - Duration::days(1), "23:30"), false),
        None,
    );
    // Summer (UTC+2): 09:30 UTC is 11:30.
    add(&app, sub(2, utc(summer, "09:30"), false), None);
    // Happy faces and quarantined submissions are not on the map.
    add(&app, sub(4, utc(summer, "09:30"), false), None);
    add(&app, sub(1, utc(summer, "09:30"), true), None);
    let owner = app.login(OWNER);
    let from = winter.min(summer) - Duration::days(1);
    let query = format!("from={from}&to={today}");
    let check = |label: &str| {
        let hours = get_csv(&owner, "hours", &query);
        assert!(
            hours.starts_with("weekday,hour,unhappy_submissions\r\nMon,0,0\r\n"),
            "{hours}"
        );
        assert_eq!(hours.lines().count(), 1 + 7 * 24, "{label}");
        let counted: Vec<&str> = hours.lines().filter(|l| !l.ends_with(",0")).collect();
        assert_eq!(
            counted,
            [
                "weekday,hour,unhappy_submissions",
                "Wed,0,1",
                "Wed,10,1",
                "Wed,11,1"
            ],
            "{label}"
        );
        let page = owner.get_with(&format!("/staff/dashboard?{query}"), EN);
        assert!(
            page.body
                .contains("<caption class=\"dash-sr\" id=\"hours-caption\">"),
            "a table with a caption"
        );
        assert!(page.body.contains("title=\"Wed 10:00: 1\""), "{label}");
        assert!(page.body.contains("title=\"Wed 11:00: 1\""), "{label}");
        assert!(page.body.contains("title=\"Wed 09:00: 0\""), "{label}");
    };
    check("counted live");
    for _ in 0..4 {
        tellus::jobs::run_now(&app.state).expect("jobs");
    }
    assert!(
        app.count("SELECT COUNT(*) AS n FROM daily_feedback WHERE dimension = 'unhappy_hour'") >= 2
    );
    check("rolled up");
});
