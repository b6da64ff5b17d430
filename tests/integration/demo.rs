//! `tellus demo`: generated tickets for trying Tellus or measuring it at scale,
//! never mixed into a database with real feedback.

use crate::both;
use crate::support::TestApp;

both!(
    demo_data_fills_an_empty_database_and_leaves_real_ones_alone,
    |backend| {
        let app = TestApp::with_shop(backend);
        let db_backend = app.state.db.backend();
        let now = app.clock.now();
        let added = app
            .state
            .db
            .bulk_blocking(|c| tellus::demo::generate(c, db_backend, 2500, now, |_| {}))
            .expect("demo data");
        assert_eq!(added, 2500);
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM tickets"), 2500);
        assert!(app.count("SELECT COUNT(*) AS n FROM feedback") >= 2500);
        // Like a shop's history: most old tickets closed, replies, staff
        // assignees, customer names, open work with a due moment.
        let closed = app.count("SELECT COUNT(*) AS n FROM tickets WHERE status = 'closed'");
        assert!(closed > 2000, "most tickets closed: {closed}");
        assert!(app.count("SELECT COUNT(*) AS n FROM ticket_messages") > 1000);
        assert!(
            app.count("SELECT COUNT(*) AS n FROM tickets WHERE assignee_id IS NOT NULL") > 1000
        );
        assert!(
            app.count("SELECT COUNT(*) AS n FROM feedback WHERE customer_name IS NOT NULL") > 500
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) AS n FROM tickets WHERE status IN ('new', 'open') AND due_at IS NULL"
            ),
            0,
            "open work has a due moment"
        );

        // Real feedback still gets fresh ids after the generated ones (PostgreSQL
        // sequences moved past them) and shows in the inbox.
        let reference = app
            .submit(&app.client(), "shop", &[("face", "1"), ("message", "Echt")])
            .reference()
            .expect("reference");
        let staff = app.login("staff@shop.example");
        assert!(staff
            .get("/staff/inbox?sort=newest")
            .body
            .contains(&reference));
        // Generated replies are searchable.
        let found = staff.get("/staff/inbox?q=team&status=closed");
        assert!(
            found.body.contains("href=\"/staff/tickets/"),
            "a reply's word finds closed tickets"
        );

        // Now the database holds real feedback: no more demo data.
        let refused = app
            .state
            .db
            .bulk_blocking(|c| tellus::demo::generate(c, db_backend, 10, now, |_| {}));
        assert!(refused.is_err());
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM tickets"), 2501);
    }
);

both!(demo_data_looks_like_a_live_shop_today, |backend| {
    let app = TestApp::with_shop(backend);
    let db_backend = app.state.db.backend();
    let now = app.clock.now();
    let added = app
        .state
        .db
        .bulk_blocking(|c| tellus::demo::generate(c, db_backend, 1500, now, |_| {}))
        .expect("demo data");
    assert_eq!(added, 1500);
    // The dashboard's rollup, as `tellus demo` leaves it.
    while tellus::jobs::roll_up_blocking(&app.state.db, now).expect("rollup") > 0 {}

    let tz: chrono_tz::Tz = "Europe/Amsterdam".parse().expect("zone");
    let today = tellus::domain::local_time::today_start(tz, now);
    let week = today - chrono::Duration::days(6);
    let since = |from: chrono::NaiveDateTime, status: Option<&'static str>| {
        app.read(move |c| {
            use diesel::prelude::*;
            use tellus::db::schema::tickets;
            let mut query = tickets::table
                .filter(tickets::created_at.ge(from))
                .filter(tickets::created_at.le(now))
                .into_boxed();
            if let Some(status) = status {
                query = query.filter(tickets::status.eq(status));
            }
            Ok(query.count().get_result::<i64>(c)?)
        })
    };
    assert!(since(today, None) > 0, "tickets came in today");
    for status in ["new", "open", "waiting", "resolved", "closed"] {
        assert!(
            since(week, Some(status)) > 0,
            "this week's tickets are {status} too"
        );
    }

    // Open work: some overdue, most not.
    let open = app.count("SELECT COUNT(*) AS n FROM tickets WHERE status IN ('new', 'open')");
    let overdue = app.read(move |c| {
        use diesel::prelude::*;
        use tellus::db::schema::tickets;
        Ok(tickets::table
            .filter(tickets::status.eq_any(["new", "open"]))
            .filter(tickets::due_at.lt(now))
            .count()
            .get_result::<i64>(c)?)
    });
    assert!(
        open > 0 && overdue * 2 < open,
        "{overdue} of {open} overdue"
    );

    // What customers wrote fits their face.
    let unhappy =
        app.texts("SELECT message AS v FROM feedback WHERE face <= 2 AND message IS NOT NULL");
    assert!(!unhappy.is_empty());
    for text in &unhappy {
        assert!(
            tellus::demo::UNHAPPY
                .iter()
                .any(|(_, t)| text.starts_with(t)),
            "an unhappy face says: {text}"
        );
    }
    let happy =
        app.texts("SELECT message AS v FROM feedback WHERE face >= 3 AND message IS NOT NULL");
    assert!(!happy.is_empty());
    for text in &happy {
        assert!(
            tellus::demo::HAPPY.iter().any(|(_, t)| text == t),
            "a happy face says: {text}"
        );
    }

    // Handled tickets have staff answers and notes; some got gifts, resolved
    // ones satisfaction answers.
    assert!(app.count("SELECT COUNT(*) AS n FROM ticket_messages WHERE author = 'staff'") > 100);
    assert!(app.count("SELECT COUNT(*) AS n FROM ticket_events WHERE kind = 'note'") > 5);
    assert!(app.count("SELECT COUNT(*) AS n FROM gifts") > 0);
    assert!(app.count("SELECT COUNT(*) AS n FROM tickets WHERE csat_score IS NOT NULL") > 5);

    // The owner's dashboard for the last seven days has something to show.
    let owner = app.login("owner@shop.example");
    let (from, to) = (
        tellus::domain::local_time::day_of(tz, week),
        tellus::domain::local_time::day_of(tz, now),
    );
    let csv = owner.get(&format!("/staff/dashboard/volume.csv?from={from}&to={to}"));
    assert_eq!(csv.status, 200, "{}", csv.body);
    let total: i64 = csv
        .body
        .lines()
        .skip(1)
        .filter_map(|line| line.rsplit(',').next()?.trim().parse::<i64>().ok())
        .sum();
    assert!(total > 0, "the last week's volume: {}", csv.body);
    // The staff ticket page of one of today's tickets opens.
    let staff = app.login("staff@shop.example");
    let newest = app.count("SELECT MAX(id) AS n FROM tickets");
    assert_eq!(staff.get(&format!("/staff/tickets/{newest}")).status, 200);
});
