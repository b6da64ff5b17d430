//! Burst alerts and team chat from the outside: a burst of unhappy answers
//! raises exactly one alert (with its answers, a staff mail and an inbox
//! banner) until someone acknowledges it or the window stays clear; a mixed
//! hour raises none; parallel answers raise one; the owner's rule form
//! checks its numbers; and a location's Slack and Teams channels get one
//! queued message each for unhappy feedback, without the customer's address,
//! while other locations' channels get nothing. The clock moves instead of
//! the test sleeping.

use std::sync::{Arc, Barrier};

use crate::both;
use crate::support::{Backend, Client, TestApp};

const OWNER: &str = "owner@shop.example";
const STAFF: &str = "staff@shop.example";
const CUSTOMER: &str = "noor@customer.example";
const EN: &[(&str, &str)] = &[("Accept-Language", "en")];

/// A shop whose public form takes many answers a minute from one address.
fn shop(backend: Backend) -> TestApp {
    TestApp::builder(backend)
        .env("TELLUS_PUBLIC_RATE_LIMIT", 10_000)
        .with_shop()
}

fn alerts(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM alerts")
}

fn newest_alert(app: &TestApp) -> i64 {
    app.count("SELECT MAX(id) AS n FROM alerts")
}

fn location_id(app: &TestApp, slug: &str) -> i64 {
    app.count(&format!(
        "SELECT id AS n FROM locations WHERE slug = '{slug}'"
    ))
}

/// `n` answers with `face` at `slug`, one after another (each takes the
/// few seconds a person needs).
fn answer(app: &TestApp, slug: &str, face: u8, n: usize) {
    for _ in 0..n {
        app.complain(face).at(slug).message("Lang gewacht").submit();
    }
}

fn acknowledge(client: &Client, alert: i64, comment: &str) {
    let res = client.post_with_csrf(
        "/staff/alerts",
        &format!("/staff/alerts/{alert}/acknowledge"),
        &[("comment", comment)],
    );
    assert_eq!(res.status, 303, "{}", res.body);
}

both!(a_burst_raises_one_alert_until_acknowledged, |backend| {
    let app = shop(backend);
    answer(&app, "shop", 4, 2);
    answer(&app, "shop", 1, 1);
    assert_eq!(
        alerts(&app),
        0,
        "3 answers are fewer than the 4 the rule asks"
    );
    answer(&app, "shop", 2, 1);
    assert_eq!(alerts(&app), 1, "2 unhappy of 4 is 50 %");
    let first = newest_alert(&app);
    assert_eq!(
        app.texts(&format!(
            "SELECT kind || ' ' || answers || ' ' || matching || ' ' || minutes AS v FROM alerts WHERE id = {first}"
        )),
        ["unhappy 4 2 15"]
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM alert_answers WHERE alert_id = {first}"
        )),
        4,
        "the answers that caused it are linked"
    );
    answer(&app, "shop", 1, 2);
    assert_eq!(
        alerts(&app),
        1,
        "the 5th and 6th answers raise no second alert"
    );

    // Every staff member and owner is mailed once.
    assert_eq!(
        app.texts(
            "SELECT recipient AS v FROM outbox WHERE kind = 'burst_alert' ORDER BY recipient"
        ),
        [OWNER, STAFF]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbound WHERE event = 'alert.raised' AND target <> 'webhook'"),
        0,
        "no chat channel, no chat message"
    );

    // The inbox shows a banner to staff; the page shows the answers.
    let staff = app.login(STAFF);
    let inbox = staff.get_with("/staff/inbox", EN);
    assert!(
        inbox.body.contains("Alerts waiting to be acknowledged: 1."),
        "{}",
        inbox.body
    );
    assert!(inbox.body.contains("href=\"/staff/alerts\""));
    let page = staff.get_with("/staff/alerts", EN);
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Bakkerij De Zon: 2 of 4 answers unhappy within 15 minutes"),
        "{}",
        page.body
    );
    assert_eq!(
        page.body.matches("Lang gewacht").count(),
        4,
        "{}",
        page.body
    );
    assert!(page.body.contains("/staff/tickets/"));

    // An over-long comment is refused with the form kept.
    let long = "x".repeat(1001);
    let res = staff.post_with_csrf(
        "/staff/alerts",
        &format!("/staff/alerts/{first}/acknowledge"),
        &[("comment", &long)],
    );
    assert_eq!(res.status, 422);
    acknowledge(&staff, first, "Koffiemachine stuk, gerepareerd");
    let inbox = staff.get_with("/staff/inbox", EN);
    assert!(
        !inbox.body.contains("Alerts waiting to be acknowledged"),
        "banner gone"
    );
    let page = staff.get_with("/staff/alerts", EN);
    assert!(
        page.body.contains("Acknowledged by Sam Staff"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Koffiemachine stuk, gerepareerd"));
    assert_eq!(
        app.texts("SELECT action || ' ' || detail AS v FROM audit_log ORDER BY id DESC LIMIT 1"),
        [format!("alert.acknowledge {first}")]
    );

    // Acknowledged: the next unhappy answer while the rule holds raises a new one.
    app.advance(60);
    answer(&app, "shop", 1, 1);
    assert_eq!(alerts(&app), 2, "a new burst after acknowledging");
    // A happy answer never raises an unhappy alert, even while the rule holds.
    let second = newest_alert(&app);
    acknowledge(&staff, second, "");
    answer(&app, "shop", 4, 1);
    assert_eq!(alerts(&app), 2);
});

both!(a_clear_window_lets_a_new_burst_fire, |backend| {
    let app = shop(backend);
    answer(&app, "shop", 1, 4);
    assert_eq!(alerts(&app), 1);
    // Ten minutes on, the old answers still hold the rule: no new alert.
    app.advance(10 * 60);
    answer(&app, "shop", 1, 4);
    assert_eq!(alerts(&app), 1, "still the same bad stretch");
    // Then the window stays clear for longer than 15 minutes.
    app.advance(16 * 60);
    answer(&app, "shop", 4, 1);
    assert_eq!(alerts(&app), 1);
    app.advance(16 * 60);
    answer(&app, "shop", 1, 4);
    assert_eq!(alerts(&app), 2, "a new burst without acknowledging");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM alerts WHERE acknowledged_at IS NULL"),
        2
    );
});

both!(a_mixed_hour_raises_none, |backend| {
    let app = shop(backend);
    // 10 answers over an hour, 2 of them unhappy, a few minutes apart.
    for face in [4, 3, 1, 4, 4, 3, 2, 4, 3, 4] {
        answer(&app, "shop", face, 1);
        app.advance(6 * 60);
    }
    assert_eq!(alerts(&app), 0);
    // Counted per minute in small rows, not by reading the feedback.
    assert!(app.count("SELECT COUNT(*) AS n FROM alert_counts") <= 10);
    assert_eq!(
        app.count("SELECT COALESCE(SUM(answers), 0) AS n FROM alert_counts"),
        10
    );
});

both!(parallel_answers_raise_exactly_one_alert, |backend| {
    let app = shop(backend);
    let clients: Vec<(Client, String, String)> = (0..8)
        .map(|_| {
            let client = app.client();
            let form = client.get("/f/shop");
            let token = form.hidden("token").expect("form token");
            let key = form.hidden("key").expect("form key");
            (client, token, key)
        })
        .collect();
    app.advance(3);
    let barrier = Arc::new(Barrier::new(clients.len()));
    let handles: Vec<_> = clients
        .into_iter()
        .map(|(client, token, key)| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                client.post_form(
                    "/f/shop",
                    &[("token", &token), ("key", &key), ("face", "1")],
                )
            })
        })
        .collect();
    for handle in handles {
        let res = handle.join().expect("submission thread");
        assert_eq!(res.status, 200, "{}", res.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 8);
    assert_eq!(alerts(&app), 1, "eight answers at once raise one alert");
    assert_eq!(
        app.count("SELECT COALESCE(SUM(answers), 0) AS n FROM alert_counts"),
        8,
        "every answer counted"
    );
});

both!(the_owner_sets_the_rule, |backend| {
    let app = shop(backend);
    let id = location_id(&app, "shop");
    let page = format!("/staff/locations/{id}/alerts");
    let staff = app.login(STAFF);
    assert_eq!(staff.get(&page).status, 404, "owners only");
    let owner = app.login(OWNER);
    let form = owner.get_with(&page, EN);
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"50\"") && form.body.contains("value=\"15\""));
    let edit = owner.get_with(&format!("/staff/locations/{id}/edit"), EN);
    assert!(
        edit.body.contains(&format!("href=\"{page}\"")),
        "linked from the location"
    );

    let res = owner.post_with_csrf(
        &page,
        &format!("{page}?lang=en"),
        &[
            ("unhappy_on", "yes"),
            ("unhappy_percent", "0"),
            ("happy_percent", "101"),
            ("minutes", "241"),
            ("min_answers", "zero"),
        ],
    );
    assert_eq!(res.status, 422);
    for text in [
        "Enter a percentage from 1 to 100.",
        "Enter a number of minutes from 1 to 240.",
        "Enter a number of answers from 1 to 1000.",
    ] {
        assert!(res.body.contains(text), "{text}: {}", res.body);
    }
    assert!(res.body.contains("value=\"241\""), "the form as typed");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM alert_rules"), 0);

    // Happy alerts only, over 5 minutes, from 2 answers.
    let res = owner.post_with_csrf(
        &page,
        &page,
        &[
            ("happy_on", "yes"),
            ("unhappy_percent", "50"),
            ("happy_percent", "100"),
            ("minutes", "5"),
            ("min_answers", "2"),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    let saved = owner.get_with(res.header("location").expect("redirect"), EN);
    assert!(saved.body.contains("The alert rule is saved."));
    assert_eq!(
        app.texts("SELECT action || ' ' || detail AS v FROM audit_log ORDER BY id DESC LIMIT 1"),
        [format!("alert.rule {id}")]
    );
    answer(&app, "shop", 1, 4);
    assert_eq!(alerts(&app), 0, "unhappy alerts are off");
    app.advance(6 * 60);
    answer(&app, "shop", 4, 2);
    assert_eq!(
        app.texts("SELECT kind AS v FROM alerts"),
        ["happy"],
        "two happy answers in five minutes"
    );
});

both!(
    chat_channels_hear_unhappy_feedback_of_their_location,
    |backend| {
        let app = shop(backend);
        app.add_location("other", "Bakkerij Om De Hoek");
        let shop_id = location_id(&app, "shop");
        let other_id = location_id(&app, "other");
        let owner = app.login(OWNER);
        let add = |location: i64, kind: &str, url: &str| {
            let page = format!("/staff/locations/{location}/alerts");
            owner.post_with_csrf(
                &page,
                &format!("/staff/locations/{location}/chat"),
                &[("kind", kind), ("url", url)],
            )
        };
        // Refused addresses, with the reason.
        let page = format!("/staff/locations/{shop_id}/alerts");
        for (url, text) in [
            (
                "http://hooks.slack.example/x",
                "The address must start with https://.",
            ),
            ("https://127.0.0.1/hook", "points into a private network"),
            ("https://[::1]/hook", "points into a private network"),
            ("https://2130706433/hook", "points into a private network"),
            ("https://10.0.0.7/hook", "points into a private network"),
            ("not an address", "not a web address"),
        ] {
            let res = owner.post_with_csrf(
                &page,
                &format!("/staff/locations/{shop_id}/chat?lang=en"),
                &[("kind", "slack"), ("url", url)],
            );
            assert_eq!(res.status, 422, "{url}");
            assert!(res.body.contains(text), "{url}: {}", res.body);
        }
        assert_eq!(
            add(
                shop_id,
                "slack",
                "https://hooks.slack.example/services/T1/B1/abc"
            )
            .status,
            303
        );
        assert_eq!(
            add(
                shop_id,
                "teams",
                "https://prod-1.teams.example/workflows/1?sig=x"
            )
            .status,
            303
        );
        assert_eq!(
            add(
                other_id,
                "slack",
                "https://hooks.slack.example/services/T2/B2/def"
            )
            .status,
            303
        );
        let listed = owner.get_with(&page, EN);
        assert!(listed
            .body
            .contains("https://hooks.slack.example/services/T1/B1/abc"));
        assert!(
            !listed.body.contains("T2/B2"),
            "another location's channel is not listed here"
        );

        // A happy submission queues nothing.
        app.complain(4)
            .message("Heerlijk")
            .contact("Noor", CUSTOMER)
            .submit();
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM outbound WHERE target <> 'webhook'"),
            0
        );

        // An unhappy one: one row for each channel of its location.
        let sent = app
            .complain(1)
            .message("Het brood was <oud> & hard")
            .contact("Noor", CUSTOMER)
            .lang("en")
            .submit();
        let ticket = sent.ticket_id();
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            event: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            target: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            url: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            body: String,
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
            chat_target_id: Option<i64>,
        }
        let rows: Vec<Row> = app.read(|c| {
        use diesel::RunQueryDsl;
        Ok(diesel::sql_query(
            "SELECT event, target, url, body, chat_target_id FROM outbound WHERE target <> 'webhook' ORDER BY target",
        )
        .load(c)?)
    });
        let kinds: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.event.as_str(), r.target.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [("feedback.created", "slack"), ("feedback.created", "teams")]
        );
        assert!(rows[0].url.contains("T1/B1") && rows[0].chat_target_id.is_some());
        for row in &rows {
            assert!(
                !row.body.contains(CUSTOMER) && !row.body.contains("Noor"),
                "{}",
                row.body
            );
            assert!(
                row.body.contains(&format!("/staff/tickets/{ticket}")),
                "{}",
                row.body
            );
            let rendered =
                tellus::domain::chat::render(&row.target, &row.body, "https://shop.example")
                    .expect("renders");
            assert!(
                !rendered.contains(CUSTOMER) && !rendered.contains("Noor"),
                "{rendered}"
            );
            assert!(
                rendered.contains(&format!("https://shop.example/staff/tickets/{ticket}")),
                "{rendered}"
            );
            // The location's language (nl), not the customer's.
            assert!(
                rendered.contains("Ontevreden feedback bij Bakkerij De Zon"),
                "{rendered}"
            );
            let value: serde_json::Value = serde_json::from_str(&rendered).expect("json");
            match row.target.as_str() {
                "slack" => {
                    assert!(value["text"]
                        .as_str()
                        .unwrap()
                        .contains("&lt;oud&gt; &amp; hard"));
                    assert_eq!(value["blocks"][2]["elements"][0]["type"], "button");
                }
                _ => {
                    assert_eq!(value["type"], "message");
                    assert_eq!(value["attachments"][0]["content"]["type"], "AdaptiveCard");
                    assert!(rendered.contains("Het brood was <oud> & hard"));
                }
            }
        }

        // The test button queues one message to that channel; removing stops it.
        let slack_id = rows[0].chat_target_id.expect("a chat target");
        let res = owner.post_with_csrf(
            &page,
            &format!("/staff/locations/{shop_id}/chat/{slack_id}/test"),
            &[],
        );
        assert_eq!(res.status, 303);
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM outbound WHERE event = 'chat.test'"),
            1
        );
        let wrong = owner.post_with_csrf(
            &page,
            &format!("/staff/locations/{other_id}/chat/{slack_id}/remove"),
            &[],
        );
        assert_eq!(
            wrong.status, 404,
            "a channel is removed only from its own location"
        );
        let res = owner.post_with_csrf(
            &page,
            &format!("/staff/locations/{shop_id}/chat/{slack_id}/remove"),
            &[],
        );
        assert_eq!(res.status, 303);
        app.complain(2).message("Weer koud").submit();
        assert_eq!(
            app.texts(
                "SELECT target AS v FROM outbound WHERE event = 'feedback.created' ORDER BY id"
            ),
            ["slack", "teams", "teams"]
        );
        // A fourth answer, three of them unhappy: the burst alert reaches the
        // channel that is left, linking to the alert.
        app.complain(1).message("Nog steeds koud").submit();
        let alert = newest_alert(&app);
        let bodies = app.texts(
            "SELECT body AS v FROM outbound WHERE event = 'alert.raised' AND target <> 'webhook'",
        );
        assert_eq!(bodies.len(), 1, "{bodies:?}");
        let rendered = tellus::domain::chat::render("teams", &bodies[0], "https://shop.example")
            .expect("renders");
        assert!(
            rendered.contains("Piekalarm bij Bakkerij De Zon: 3 van 4"),
            "{rendered}"
        );
        assert!(rendered.contains(&format!("https://shop.example/staff/alerts#alert-{alert}")));
        // Nothing ever went to the other location's channel.
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM outbound WHERE url LIKE '%T2/B2%'"),
            0
        );
    }
);
