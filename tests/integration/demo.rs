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
        assert!(staff.get("/staff/inbox").body.contains(&reference));
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
