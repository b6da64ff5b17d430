//! The staff side: login (cookie flags, one answer for unknown address and
//! wrong password, a new session id each time), login throttling, the inbox
//! and its paging, a ticket's status through replies, CSRF on every change,
//! logout, disabled users, owner-only pages and the stored password hashes.

use std::collections::HashSet;

use crate::both;
use crate::support::{Client, Response, TestApp, PASSWORD};

const STAFF: &str = "staff@shop.example";
const OWNER: &str = "owner@shop.example";
const EN: &[(&str, &str)] = &[("Accept-Language", "en")];

/// The session cookie's value from a login response.
fn session_cookie(res: &Response) -> String {
    let cookie = res.header("set-cookie").expect("Set-Cookie on login");
    let value = cookie
        .strip_prefix("tellus_session=")
        .expect("the tellus_session cookie");
    value.split(';').next().unwrap_or_default().to_owned()
}

/// Asserts a redirect to the login page.
fn assert_to_login(res: &Response, what: &str) {
    assert_eq!(res.status, 303, "{what}: {}", res.body);
    assert_eq!(res.header("location"), Some("/staff/login"), "{what}");
}

/// The ticket's current status as stored.
fn stored_status(app: &TestApp) -> String {
    app.read(|c| {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            status: String,
        }
        let row: Row = diesel::sql_query("SELECT status FROM tickets").get_result(c)?;
        Ok(row.status)
    })
}

/// The status shown on a staff ticket page in English.
fn shown_status(staff: &Client, ticket: &str) -> String {
    let page = staff.get_with(ticket, EN);
    assert_eq!(page.status, 200);
    let marker = "<span class=\"badge status\">";
    let start = page.body.find(marker).expect("status on the ticket page") + marker.len();
    let end = page.body[start..].find('<').expect("end of status") + start;
    page.body[start..end].to_owned()
}

/// The path of the newest ticket in a staff member's inbox.
fn newest_ticket(staff: &Client) -> String {
    staff
        .get("/staff/inbox")
        .link("/staff/tickets/")
        .expect("a ticket in the inbox")
}

both!(login_logs_in_with_a_safe_cookie, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();

    // Not logged in: the inbox sends you to the login page.
    assert_to_login(&client.get("/staff/inbox"), "inbox without a session");

    // A wrong password and an unknown address look exactly alike.
    let wrong = client.log_in(STAFF, "not the password");
    let unknown = client.log_in("nobody@shop.example", PASSWORD);
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert!(wrong.header("set-cookie").is_none() && unknown.header("set-cookie").is_none());
    let failed = tellus::i18n::Lang::Nl.t("staff-login-failed");
    assert!(
        wrong.body.contains(failed.as_ref()),
        "the failure is explained"
    );
    let normalize = |res: &Response, email: &str| {
        let token = res.hidden("token").expect("a new login token");
        res.body.replace(&token, "TOKEN").replace(email, "EMAIL")
    };
    assert_eq!(
        normalize(&wrong, STAFF),
        normalize(&unknown, "nobody@shop.example"),
        "no hint whether the address has an account"
    );
    assert_to_login(&client.get("/staff/inbox"), "inbox after failed logins");

    // The right password: a session cookie and the inbox.
    let ok = client.log_in(STAFF, PASSWORD);
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.header("location"), Some("/staff/inbox"));
    let cookie = ok.header("set-cookie").expect("session cookie");
    assert!(cookie.starts_with("tellus_session="), "cookie: {cookie}");
    let flags: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(flags.contains(&"HttpOnly"), "HttpOnly: {cookie}");
    assert!(flags.contains(&"SameSite=Lax"), "SameSite=Lax: {cookie}");
    assert!(flags.contains(&"Path=/"), "Path=/: {cookie}");
    assert!(
        !flags.iter().any(|f| f.eq_ignore_ascii_case("Secure")),
        "not Secure on http://127.0.0.1: {cookie}"
    );
    let first = session_cookie(&ok);
    assert!(first.len() >= 32, "a long random session id");
    let inbox = client.get("/staff/inbox");
    assert_eq!(inbox.status, 200);
    assert!(inbox.body.contains("Sam Staff"), "logged in as Sam");

    // Logging in again, even from the same browser, gives a new session id.
    let again = client.log_in(STAFF, PASSWORD);
    assert_eq!(again.status, 303);
    let second = session_cookie(&again);
    assert_ne!(first, second, "a new session id at every login");
    let other = app.client().log_in(STAFF, PASSWORD);
    let third = session_cookie(&other);
    assert!(third != first && third != second);
});

both!(login_is_throttled_per_address, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    for attempt in 1..=10 {
        let res = client.log_in(STAFF, "guess-guess-guess");
        assert_eq!(res.status, 401, "wrong password, attempt {attempt}");
    }
    // Now even the right password is refused for this address.
    let blocked = client.log_in(STAFF, PASSWORD);
    assert_eq!(blocked.status, 429, "{}", blocked.body);
    assert!(
        blocked.header("set-cookie").is_none(),
        "no session while throttled"
    );
    assert_to_login(&client.get("/staff/inbox"), "inbox while throttled");

    // Another account is not affected.
    let owner = app.client().log_in(OWNER, PASSWORD);
    assert_eq!(
        owner.status, 303,
        "another address still logs in: {}",
        owner.body
    );
});

both!(inbox_lists_tickets_newest_first, |backend| {
    let app = TestApp::with_shop(backend);
    let submissions = [
        (1, "service", "De bediening was onvriendelijk."),
        (2, "product", "Het brood was oud."),
        (1, "waiting", "Twintig minuten gewacht."),
    ];
    let references: Vec<String> = submissions
        .iter()
        .map(|(face, category, message)| {
            app.complain(*face)
                .category(category)
                .message(message)
                .submit()
                .reference
        })
        .collect();

    // Answer the oldest, so the inbox shows two statuses.
    let staff = app.login(STAFF);
    let oldest = staff
        .get("/staff/inbox")
        .body
        .split("href=\"")
        .find_map(|rest| {
            let (href, text) = rest.split_once("\">")?;
            (href.starts_with("/staff/tickets/") && text.starts_with(&references[0]))
                .then(|| href.to_owned())
        })
        .expect("link to the oldest ticket");
    let token = staff.csrf(&oldest);
    let res = staff.post_form(
        &format!("{oldest}/reply"),
        &[("csrf", &token), ("body", "We kijken ernaar.")],
    );
    assert_eq!(res.status, 303);

    let inbox = staff.get_with("/staff/inbox?sort=newest", EN);
    assert_eq!(inbox.status, 200);
    let shown = inbox.ticket_references();
    let newest_first: Vec<String> = references.iter().rev().cloned().collect();
    assert_eq!(shown, newest_first, "newest first");

    let rows: Vec<&str> = inbox.body.split("<tr").skip(2).collect();
    assert_eq!(rows.len(), 3, "one row per ticket");
    let expected = [
        (&references[2], "New", "1", "Very unhappy", "Waiting time"),
        (&references[1], "New", "2", "Unhappy", "Product"),
        (
            &references[0],
            "Being handled",
            "1",
            "Very unhappy",
            "Service",
        ),
    ];
    for (row, (reference, status, face, face_alt, category)) in rows.iter().zip(expected) {
        assert!(
            row.contains(reference.as_str()),
            "reference {reference} in {row}"
        );
        assert!(
            row.contains(&format!("<td class=\"status\">{status}</td>")),
            "status {status} in {row}"
        );
        assert!(
            row.contains("<td class=\"where\">Bakkerij De Zon</td>"),
            "location in {row}"
        );
        assert!(
            row.contains(&format!("face-{face}.svg"))
                && row.contains(&format!("alt=\"{face_alt}\"")),
            "face in {row}"
        );
        assert!(
            row.contains(&format!("<td class=\"topic\">{category}</td>")),
            "category {category} in {row}"
        );
    }
});

both!(inbox_pages_past_fifty_tickets, |backend| {
    let app = TestApp::builder(backend)
        .env("TELLUS_PUBLIC_RATE_LIMIT", 1000)
        .with_shop();
    let mut references = Vec::new();
    for n in 0..55 {
        let message = format!("Klacht nummer {n}");
        references.push(app.complain(2).message(&message).submit().reference);
    }
    references.reverse();

    let staff = app.login(STAFF);
    let first = staff.get("/staff/inbox?sort=newest");
    assert_eq!(first.status, 200);
    let page_one = first.ticket_references();
    assert_eq!(
        page_one,
        references[..50],
        "the 50 newest on the first page"
    );
    let next = first
        .link("/staff/inbox?before=")
        .expect("a link to the next page");

    let second = staff.get(&next);
    assert_eq!(second.status, 200);
    let page_two = second.ticket_references();
    assert_eq!(
        page_two,
        references[50..],
        "the 5 oldest on the second page"
    );
    assert!(
        second.link("/staff/inbox?before=").is_none(),
        "no further page"
    );

    let all: HashSet<&String> = page_one.iter().chain(&page_two).collect();
    assert_eq!(all.len(), 55, "every ticket once, none twice");
});

both!(ticket_status_follows_the_conversation, |backend| {
    let app = TestApp::with_shop(backend);
    let thanks = app
        .complain(1)
        .message("Mijn taart was ingedeukt.")
        .submit()
        .page;
    let customer_page = thanks.link("/t/").expect("link to the customer's page");
    let customer_path = customer_page
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();

    let staff = app.login(STAFF);
    let ticket = newest_ticket(&staff);
    assert_eq!(shown_status(&staff, &ticket), "New");
    assert_eq!(stored_status(&app), "new");

    // A reply opens it.
    let token = staff.csrf(&ticket);
    let res = staff.post_form(
        &format!("{ticket}/reply"),
        &[
            ("csrf", &token),
            ("body", "We maken een nieuwe taart voor je."),
        ],
    );
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some(ticket.as_str()));
    assert_eq!(shown_status(&staff, &ticket), "Being handled");
    assert_eq!(stored_status(&app), "open");

    // Staff resolve it.
    let res = staff.post_form(
        &format!("{ticket}/status"),
        &[("csrf", &token), ("status", "resolved")],
    );
    assert_eq!(res.status, 303);
    assert_eq!(shown_status(&staff, &ticket), "Resolved");
    assert_eq!(stored_status(&app), "resolved");

    // The customer sees the answer, then replies: it reopens.
    let customer = app.client();
    let page = customer.get(&format!("{customer_path}?lang=en"));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("We maken een nieuwe taart voor je."),
        "staff reply on the customer's page"
    );
    assert!(
        page.body.contains("<strong>Resolved</strong>"),
        "customer sees it resolved"
    );
    let res = customer.reply_as_customer(&page, &customer_path, "Hij was weer ingedeukt!", "en");
    assert_eq!(res.status, 303, "{}", res.body);
    let after = customer.get(res.header("location").expect("back to the page"));
    assert!(after.body.contains("Hij was weer ingedeukt!"));
    assert!(
        after.body.contains("<strong>Being handled</strong>"),
        "reopened for the customer"
    );
    assert_eq!(shown_status(&staff, &ticket), "Being handled");
    assert_eq!(stored_status(&app), "open");
    let page = staff.get(&ticket);
    assert!(
        page.body.contains("Hij was weer ingedeukt!"),
        "staff see the customer's reply"
    );
});

both!(changes_need_the_sessions_csrf_token, |backend| {
    let app = TestApp::with_shop(backend);
    app.complain(1).message("Te weinig wisselgeld.").submit();
    let staff = app.login(STAFF);
    let owner = app.login(OWNER);
    let ticket = newest_ticket(&staff);
    let staff_csrf = staff.csrf(&ticket);
    let owner_csrf = owner.csrf(&ticket);
    assert_ne!(staff_csrf, owner_csrf, "each session has its own token");

    let reply = format!("{ticket}/reply");
    let status = format!("{ticket}/status");
    let (reply, status) = (reply.as_str(), status.as_str());
    let (staff_csrf, owner_csrf) = (staff_csrf.as_str(), owner_csrf.as_str());
    let attempts = [
        (&staff, reply, vec![("body", "Zonder token")]),
        (
            &staff,
            reply,
            vec![("csrf", owner_csrf), ("body", "Met andermans token")],
        ),
        (
            &owner,
            reply,
            vec![("csrf", staff_csrf), ("body", "Met andermans token")],
        ),
        (&staff, status, vec![("status", "resolved")]),
        (
            &staff,
            status,
            vec![("csrf", owner_csrf), ("status", "resolved")],
        ),
        (
            &owner,
            status,
            vec![("csrf", staff_csrf), ("status", "resolved")],
        ),
    ];
    for (client, path, fields) in &attempts {
        let res = client.post_form(path, fields);
        assert_eq!(res.status, 403, "POST {path} with {fields:?}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM ticket_messages"),
        0,
        "no reply stored"
    );
    assert_eq!(stored_status(&app), "new", "status unchanged");
    assert_eq!(shown_status(&staff, &ticket), "New");
    let page = staff.get(&ticket);
    assert!(
        !page.body.contains("andermans token") && !page.body.contains("Zonder token"),
        "no refused reply shown"
    );

    // Logout needs it too.
    let res = staff.post_form("/staff/logout", &[]);
    assert_eq!(res.status, 403);
    assert_eq!(staff.get("/staff/inbox").status, 200, "still logged in");

    // With the right token it works.
    let res = staff.post_form(
        reply,
        &[("csrf", staff_csrf), ("body", "Met het goede token")],
    );
    assert_eq!(res.status, 303);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM ticket_messages"), 1);
});

both!(logout_ends_the_session, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let login = client.log_in(STAFF, PASSWORD);
    assert_eq!(login.status, 303);
    let old = session_cookie(&login);
    let token = client.csrf("/staff/inbox");

    let res = client.post_form("/staff/logout", &[("csrf", &token)]);
    assert_to_login(&res, "logout");
    assert_to_login(&client.get("/staff/inbox"), "inbox after logout");

    // The old cookie is dead on the server, not just removed from the browser.
    let replay = app.client().get_with(
        "/staff/inbox",
        &[("Cookie", &format!("tellus_session={old}"))],
    );
    assert_to_login(&replay, "inbox with the old cookie");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM sessions"),
        0,
        "session deleted"
    );
});

both!(disabled_user_is_logged_out, |backend| {
    let app = TestApp::with_shop(backend);
    let staff = app.login(STAFF);
    let owner = app.login(OWNER);
    assert_eq!(staff.get("/staff/inbox").status, 200);

    app.write(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE users SET active = false WHERE email = 'staff@shop.example'")
            .execute(c)?;
        Ok(())
    });
    assert_to_login(&staff.get("/staff/inbox"), "disabled user's next request");
    assert_eq!(
        app.client().log_in(STAFF, PASSWORD).status,
        401,
        "cannot log in again"
    );
    assert_eq!(
        owner.get("/staff/inbox").status,
        200,
        "others stay logged in"
    );
});

both!(settings_are_for_owners_only, |backend| {
    let app = TestApp::with_shop(backend);
    let staff = app.login(STAFF);
    assert_eq!(staff.get("/staff/settings").status, 404);
    let owner = app.login(OWNER);
    let page = owner.get("/staff/settings");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("/staff/settings/review-links"),
        "the settings form"
    );
});

both!(
    navigation_groups_the_daily_work_and_the_settings,
    |backend| {
        let app = TestApp::with_shop(backend);
        let nav_links = |body: &str| -> Vec<String> {
            let bar = body
                .split("<nav class=\"bar\"")
                .nth(1)
                .and_then(|rest| rest.split("</nav>").next())
                .expect("the top bar")
                .to_owned();
            bar.split("href=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_owned)
                .collect()
        };
        let staff = app.login(STAFF);
        let page = staff.get("/staff/inbox").body;
        assert_eq!(
            nav_links(&page),
            [
                "/staff/inbox",
                "/staff/redeem",
                "/staff/gifts",
                "/staff/account"
            ],
            "staff see the daily work they may do and their account"
        );
        assert!(
            !page.contains("class=\"side\""),
            "no settings menu for staff"
        );
        assert!(
            page.contains("<details class=\"menu\">"),
            "the phone menu works without JavaScript"
        );
        assert!(page.contains("href=\"/staff/inbox\" aria-current=\"page\""));

        let owner = app.login(OWNER);
        let page = owner.get("/staff/dashboard").body;
        assert_eq!(
            nav_links(&page),
            [
                "/staff/inbox",
                "/staff/redeem",
                "/staff/gifts",
                "/staff/dashboard",
                "/staff/start",
                "/staff/account"
            ]
        );
        // Every settings page shows the side menu with itself marked, and the
        // Settings link in the bar marked.
        for (path, current) in [
            ("/staff/kiosks", "/staff/kiosks"),
            ("/staff/posters", "/staff/posters"),
            ("/staff/settings", "/staff/settings"),
            ("/staff/settings/workflow", "/staff/settings/workflow"),
            ("/staff/users", "/staff/users"),
            ("/staff/audit", "/staff/audit"),
            ("/staff/privacy", "/staff/privacy"),
            ("/staff/profile", "/staff/profile"),
            ("/staff/canned", "/staff/canned"),
            ("/staff/categories", "/staff/categories"),
            ("/staff/locations", "/staff/locations"),
        ] {
            let page = owner.get(path);
            assert_eq!(page.status, 200, "{path}");
            let side = page
                .body
                .split("<nav class=\"side\"")
                .nth(1)
                .and_then(|rest| rest.split("</nav>").next())
                .unwrap_or_else(|| panic!("{path} has the settings menu"));
            assert!(
                side.contains("href=\"/staff/kiosks\""),
                "{path} links kiosks"
            );
            assert!(
                side.contains(&format!("href=\"{current}\" aria-current=\"page\"")),
                "{path} is marked in the menu"
            );
            assert_eq!(side.matches("aria-current").count(), 1, "{path}");
            assert!(
                page.body
                    .contains("href=\"/staff/start\" aria-current=\"page\""),
                "{path}: Settings is marked in the bar"
            );
        }
    }
);

both!(passwords_are_stored_as_argon2id, |backend| {
    let app = TestApp::with_shop(backend);
    let hashes = app.read(|c| {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            password_hash: String,
        }
        let rows: Vec<Row> = diesel::sql_query("SELECT password_hash FROM users").load(c)?;
        Ok(rows
            .into_iter()
            .map(|r| r.password_hash)
            .collect::<Vec<_>>())
    });
    assert_eq!(hashes.len(), 2);
    for hash in &hashes {
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "argon2id hash: {hash}"
        );
        assert!(!hash.contains(PASSWORD));
    }
    assert_ne!(hashes[0], hashes[1], "salted");
    // And the stored hash is what login checks.
    assert_eq!(app.client().log_in(OWNER, PASSWORD).status, 303);
});

both!(inbox_filters_by_location_and_spot, |backend| {
    let app = TestApp::with_shop(backend);
    app.add_location("other", "Andere Winkel");
    let customer = app.client();
    let at_table = app
        .submit(
            &customer,
            "shop?spot=table-4",
            &[("face", "1"), ("spot", "table-4")],
        )
        .reference()
        .expect("reference");
    let at_counter = app
        .submit(&customer, "shop", &[("face", "2")])
        .reference()
        .expect("reference");
    let elsewhere = app
        .submit(&customer, "other", &[("face", "1")])
        .reference()
        .expect("reference");
    let staff = app.login("staff@shop.example");

    let all = staff.get("/staff/inbox");
    assert!([&at_table, &at_counter, &elsewhere]
        .iter()
        .all(|r| all.body.contains(r.as_str())));
    assert!(
        all.body.contains("Bakkerij De Zon · table-4"),
        "the spot shows in the list"
    );

    let other = staff.get("/staff/inbox?location=other");
    assert!(other.body.contains(&elsewhere));
    assert!(!other.body.contains(&at_table) && !other.body.contains(&at_counter));

    let table = staff.get("/staff/inbox?location=shop&spot=table-4");
    assert!(table.body.contains(&at_table));
    assert!(!table.body.contains(&at_counter) && !table.body.contains(&elsewhere));

    // Junk in the filter is ignored, not an error.
    assert_eq!(
        staff.get("/staff/inbox?spot=%3Cx%3E&location=nope").status,
        200
    );
});

both!(quarantine_pages_through_a_flood, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    // 55 posts without a form token: all kept in quarantine.
    for n in 0..55 {
        let key = format!("flood{n}");
        let res = client.post_form("/f/shop", &[("face", "1"), ("key", &key)]);
        assert_eq!(res.status, 200);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM feedback WHERE quarantine_reason IS NOT NULL"),
        55
    );
    let staff = app.login("staff@shop.example");
    let first = staff.get("/staff/quarantine");
    let next = first
        .link("/staff/quarantine?before=")
        .expect("a next page");
    let second = staff.get(&next);
    let releases = |body: &str| body.matches("/release\"").count();
    assert_eq!(
        releases(&first.body) + releases(&second.body),
        55,
        "every held submission can be reached"
    );
    assert!(second.link("/staff/quarantine?before=").is_none());
});
