//! The first hour: the warning about a public address customers cannot
//! reach (posters, the printed poster's small print, kiosk pairing, setup),
//! mail that is only saved as files saying so (invitations, reply badges),
//! the Mail page's test mail against a real SMTP listener, a closed port and
//! a server that never answers, the owner's checklist step by step through
//! the pages, its landing after login, the server's check of its own
//! address, and setup logging the owner in.

use crate::both;
use crate::support::{smtp, Client, SmtpServer, TestApp};
use std::time::{Duration, Instant};

const OWNER: &str = "owner@shop.example";

/// A server with the location `shop` and only its owner.
fn owner_only(app: &TestApp) {
    app.add_location("shop", "Bakkerij De Zon");
    app.add_user(OWNER, "Olga Owner", tellus::domain::user::Role::Owner);
}

/// The checklist page in English.
fn checklist(owner: &Client) -> String {
    let page = owner.get("/staff/start?lang=en");
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
}

/// The progress line of the checklist.
fn progress(owner: &Client) -> String {
    let body = checklist(owner);
    let at = body.find(" of 8 done").expect("progress shown");
    body[at - 1..at + " of 8 done".len()].to_owned()
}

/// Whether the step `id` shows as done.
fn step_done(owner: &Client, id: &str) -> bool {
    let body = checklist(owner);
    let marker = format!("id=\"{id}\"");
    let at = body.find(&marker).unwrap_or_else(|| panic!("step {id}"));
    let open = body[..at].rfind("<li").expect("step item");
    body[open..at].contains("done")
}

/// Waits until every queued mail has been handled by the worker.
fn wait_for_outbox(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while app.count("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'") > 0 {
        assert!(Instant::now() < deadline, "the outbox drains");
        app.kick_mail();
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The owner sends a test mail to `to` and reads the Mail page after it.
fn test_mail(owner: &Client, to: &str) -> String {
    let res = owner.post_with_csrf(
        "/staff/settings/mail",
        "/staff/settings/mail/test",
        &[("to", to)],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        res.header("location"),
        Some("/staff/settings/mail?tested=1")
    );
    let page = owner.get("/staff/settings/mail?tested=1&lang=en");
    assert_eq!(page.status, 200);
    page.body
}

both!(
    a_loopback_address_is_called_out_where_it_matters,
    |backend| {
        let app = TestApp::builder(backend).reachable().with_shop();
        let owner = app.login(OWNER);
        let warning = "Customers cannot reach this address";
        for path in [
            "/staff/posters?lang=en",
            "/staff/kiosks?lang=en",
            "/staff/start?lang=en",
        ] {
            let page = owner.get(path);
            assert_eq!(page.status, 200, "{path}");
            assert!(page.body.contains(warning), "{path}: {}", page.body);
            assert!(page.body.contains("role=\"status\""), "{path}");
            assert!(
                page.body
                    .contains("TELLUS_BASE_URL=https://feedback.your-shop.example")
                    && page.body.contains("TELLUS_BIND=0.0.0.0:8080"),
                "{path} says what to set"
            );
            assert!(page.body.contains(&app.base), "{path} names the address");
        }
        // A poster printed anyway says so in its small print.
        let poster = owner.get("/staff/locations/shop/poster?size=a4&lang=en");
        assert_eq!(poster.status, 200);
        assert!(
            poster.body.contains(&format!(
                "This address only works on this computer: {}/f/shop",
                app.base
            )),
            "{}",
            poster.body
        );
        assert!(poster.body.contains("class=\"footnote\""));
        // Staff never see owner pages, warning or not.
        assert_eq!(
            app.login("staff@shop.example").get("/staff/posters").status,
            404
        );
    }
);

#[test]
fn a_public_https_address_gets_no_warning() {
    let app = TestApp::builder(crate::support::Backend::Sqlite)
        .env("TELLUS_BASE_URL", "https://feedback.shop.example")
        .with_shop();
    let owner = app.login(OWNER);
    let page = owner.get("/staff/posters?lang=en");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("card warning"), "{}", page.body);
    let poster = owner.get("/staff/locations/shop/poster?lang=en");
    assert!(!poster.body.contains("class=\"footnote\""));
    assert!(poster.body.contains("feedback.shop.example/f/shop"));
}

both!(mail_saved_as_files_says_so, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let token = owner.csrf("/staff/users");
    let res = owner.post_form(
        "/staff/users",
        &[
            ("csrf", &token),
            ("email", "new@shop.example"),
            ("name", "Nina New"),
            ("role", "staff"),
            ("language", "en"),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    let to = res.header("location").expect("redirect").to_owned();
    let page = owner.get(&format!("{to}&lang=en"));
    assert!(
        page.body.contains("The invitation was saved as a file in")
            && page.body.contains("not sent"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("on its way"));

    // A staff reply's badge says where the mail went.
    let ticket = app
        .complain(1)
        .contact("Carla Klant", "carla@example.org")
        .message("Het brood was oud.")
        .submit()
        .ticket_path();
    let staff = app.login("staff@shop.example");
    let res = staff.post_with_csrf(
        &ticket,
        &format!("{ticket}/reply"),
        &[("body", "Sorry, we bellen je.")],
    );
    assert_eq!(res.status, 303);
    wait_for_outbox(&app);
    let page = staff.get(&format!("{ticket}?lang=en"));
    assert!(
        page.body.contains("Saved as a file, not sent"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(">Sent<"), "{}", page.body);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE sent_via = 'file'"),
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'")
    );

    // The Mail page names the folder, and a test mail lands in it.
    let body = test_mail(&owner, OWNER);
    assert!(body.contains("Mail is saved as files, not sent"), "{body}");
    assert!(body.contains("Not sent: saved as a file at"), "{body}");
    let name = body
        .split("saved as a file at ")
        .nth(1)
        .and_then(|rest| rest.split(".eml").next())
        .expect("file name");
    let file = std::path::PathBuf::from(format!("{name}.eml"));
    assert!(file.exists(), "{} exists", file.display());
    // A test into a file is no delivery: the step stays open.
    assert!(!step_done(&owner, "mail"));
});

both!(a_test_mail_over_smtp_is_delivered, |backend| {
    let server = SmtpServer::start();
    let app = TestApp::builder(backend).smtp(&server.url()).with_shop();
    let owner = app.login(OWNER);
    let page = owner.get("/staff/settings/mail?lang=en");
    assert!(
        page.body.contains(&format!("127.0.0.1:{}", server.port())),
        "names the server: {}",
        page.body
    );
    assert!(
        page.body.contains("value=\"owner@shop.example\""),
        "defaults to the owner"
    );
    let body = test_mail(&owner, "");
    assert!(body.contains("It works."), "{body}");
    assert!(body.contains("Delivered to owner@shop.example"), "{body}");
    assert!(
        body.contains("250 OK: queued"),
        "the server's answer: {body}"
    );
    let got = server.wait_for(1, Duration::from_secs(5));
    assert_eq!(got.len(), 1);
    // In the owner's language (Dutch unless the browser asks otherwise).
    assert_eq!(got[0].subject(), "Testmail van Tellus");
    assert!(step_done(&owner, "mail"));
    // Nothing went through the outbox.
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM outbox"), 0);
});

both!(
    a_test_mail_to_a_closed_port_says_it_could_not_connect,
    |backend| {
        let port = smtp::free_port();
        let app = TestApp::builder(backend)
            .smtp(&format!("smtp://127.0.0.1:{port}"))
            .with_shop();
        let owner = app.login(OWNER);
        let body = test_mail(&owner, OWNER);
        assert!(body.contains("It did not arrive."), "{body}");
        assert!(body.contains("Could not reach the mail server"), "{body}");
        assert!(!step_done(&owner, "mail"));
    }
);

both!(a_silent_mail_server_times_out_within_the_bound, |backend| {
    // Accepts connections and never says a word.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let app = TestApp::builder(backend)
        .smtp(&format!("smtp://127.0.0.1:{port}"))
        .with_shop();
    let owner = app.login(OWNER);
    let started = Instant::now();
    let body = test_mail(&owner, OWNER);
    let took = started.elapsed();
    assert!(body.contains("did not answer within 10 seconds"), "{body}");
    assert!(took < Duration::from_secs(14), "bounded: {took:?}");
});

both!(the_checklist_fills_as_the_owner_sets_up, |backend| {
    let server = SmtpServer::start();
    let app = TestApp::builder(backend)
        .smtp(&server.url())
        .reachable()
        .start();
    owner_only(&app);
    let owner = app.login(OWNER);
    // Fresh: nothing done; the owner lands here.
    assert_eq!(progress(&owner), "0 of 8 done");
    let again = app.client().log_in(OWNER, crate::support::PASSWORD);
    assert_eq!(again.header("location"), Some("/staff/start"));

    // Opening hours for the location.
    let id = app.count("SELECT id AS n FROM locations WHERE slug = 'shop'");
    let edit = format!("/staff/locations/{id}/edit");
    let res = owner.post_with_csrf(
        &edit,
        &format!("/staff/locations/{id}"),
        &[
            ("name", "Bakkerij De Zon"),
            ("slug", "shop"),
            ("address", ""),
            ("time_zone", "Europe/Amsterdam"),
            ("default_language", "nl"),
            ("hours_mon", "09:00-17:30"),
            ("hours_tue", ""),
            ("hours_wed", ""),
            ("hours_thu", ""),
            ("hours_fri", ""),
            ("hours_sat", ""),
            ("hours_sun", ""),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(step_done(&owner, "location"));
    assert_eq!(progress(&owner), "1 of 8 done");

    // A tablet.
    app.paired_tablet(&owner, "nl");
    assert!(step_done(&owner, "tablet"));

    // A poster: the first download counts.
    assert!(!step_done(&owner, "poster"));
    assert_eq!(owner.get_bytes("/staff/locations/shop/qr.svg").status, 200);
    assert!(step_done(&owner, "poster"));

    // Review links.
    let res = owner.post_with_csrf(
        "/staff/settings",
        "/staff/settings/review-links",
        &[
            ("label", "Google"),
            ("url", "https://g.page/r/de-zon/review"),
        ],
    );
    assert_eq!(res.status, 303);
    assert!(step_done(&owner, "review-links"));

    // A staff member.
    let res = owner.post_with_csrf(
        "/staff/users",
        "/staff/users",
        &[
            ("email", "sam@shop.example"),
            ("name", "Sam Staff"),
            ("role", "staff"),
            ("language", "en"),
        ],
    );
    assert_eq!(res.status, 303);
    assert!(step_done(&owner, "staff"));

    // A gift.
    let res = owner.post_with_csrf(
        "/staff/gifts/catalogue",
        "/staff/gifts/catalogue",
        &[
            ("kind", "cinema"),
            ("title_nl", "Bioscoop"),
            ("title_en", "Cinema"),
            ("description_en", "Two tickets"),
            ("redeem_en", "Show the code."),
            ("redeem_nl", "Laat de code zien."),
            ("value", "12,50"),
            ("percent", ""),
            ("currency", "EUR"),
            ("cost", "10"),
            ("validity_days", "30"),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(step_done(&owner, "gift"));

    // Mail: a test mail delivered over SMTP.
    test_mail(&owner, OWNER);
    assert!(step_done(&owner, "mail"));
    assert_eq!(progress(&owner), "7 of 8 done");

    // The address: reached from the server, but 127.0.0.1 is no public
    // address, so the step stays open until it is dismissed.
    let res = owner.post_with_csrf("/staff/start", "/staff/start/check-address", &[]);
    assert_eq!(res.status, 303);
    let body = checklist(&owner);
    assert!(body.contains("reached, answered ok"), "{body}");
    assert!(!step_done(&owner, "address"));
    let again = app.client().log_in(OWNER, crate::support::PASSWORD);
    assert_eq!(
        again.header("location"),
        Some("/staff/start"),
        "not finished yet"
    );
    let res = owner.post_with_csrf(
        "/staff/start",
        "/staff/start/dismiss",
        &[("step", "address")],
    );
    assert_eq!(res.status, 303);
    let body = checklist(&owner);
    assert!(body.contains("Dismissed"), "{body}");
    assert!(body.contains("Every step is done or dismissed"), "{body}");
    assert_eq!(progress(&owner), "7 of 8 done");

    // Finished: the owner lands on the inbox again.
    let again = app.client().log_in(OWNER, crate::support::PASSWORD);
    assert_eq!(again.header("location"), Some("/staff/inbox"));
});

both!(hiding_the_checklist_and_who_lands_where, |backend| {
    let app = TestApp::with_shop(backend);
    let res = app
        .client()
        .log_in("staff@shop.example", crate::support::PASSWORD);
    assert_eq!(res.header("location"), Some("/staff/inbox"), "staff: inbox");
    assert_eq!(
        app.login("staff@shop.example").get("/staff/start").status,
        404
    );
    let res = app.client().log_in(OWNER, crate::support::PASSWORD);
    assert_eq!(
        res.header("location"),
        Some("/staff/start"),
        "owner: checklist"
    );
    let owner = app.login(OWNER);
    assert!(checklist(&owner).contains("Hide the checklist"));
    let res = owner.post_with_csrf("/staff/start", "/staff/start/hide", &[]);
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/staff/inbox"));
    let res = app.client().log_in(OWNER, crate::support::PASSWORD);
    assert_eq!(
        res.header("location"),
        Some("/staff/inbox"),
        "hidden: inbox"
    );
    // Still there for whoever looks, without the hide button.
    assert!(!checklist(&owner).contains("Hide the checklist"));
    // A step that does not exist is a bad request; without the token, refused.
    let res = owner.post_with_csrf("/staff/start", "/staff/start/dismiss", &[("step", "nope")]);
    assert_eq!(res.status, 400);
    let res = owner.post_form("/staff/start/dismiss", &[("step", "mail")]);
    assert_eq!(res.status, 403);
});

both!(the_address_check_says_what_it_found, |backend| {
    // The running test server, asked at its own address.
    let app = TestApp::builder(backend).reachable().with_shop();
    let owner = app.login(OWNER);
    assert!(checklist(&owner).contains("Not checked yet."));
    let res = owner.post_with_csrf("/staff/start", "/staff/start/check-address", &[]);
    assert_eq!(res.header("location"), Some("/staff/start#address"));
    let body = checklist(&owner);
    assert!(
        body.contains(&format!(
            "Checked {}/healthz: reached, answered ok.",
            app.base
        )),
        "{body}"
    );
    drop(owner);
    drop(app);

    // A port where nothing listens.
    let port = smtp::free_port();
    let app = TestApp::builder(backend)
        .env("TELLUS_BASE_URL", format!("http://127.0.0.1:{port}"))
        .with_shop();
    let owner = app.login(OWNER);
    let res = owner.post_with_csrf("/staff/start", "/staff/start/check-address", &[]);
    assert_eq!(res.status, 303);
    let body = checklist(&owner);
    assert!(body.contains("could not connect"), "{body}");
    assert!(!step_done(&owner, "address"));
});

both!(setup_logs_the_owner_in_and_a_used_link_says_so, |backend| {
    let app = TestApp::start(backend);
    let link = app.setup_link.clone().expect("setup link");
    let path = link[link.find("/setup/").expect("path")..].to_owned();
    let client = app.client();
    // A made-up link is not valid, and says so.
    let made_up = client.get("/setup/not-a-link?lang=en");
    assert_eq!(made_up.status, 404);
    assert!(
        made_up.body.contains("This setup link is not valid"),
        "{}",
        made_up.body
    );
    assert!(made_up.body.contains("href=\"/staff/login\""));

    let page = client.get(&format!("{path}?lang=en"));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Customers cannot reach this address"),
        "{}",
        page.body
    );
    let token = page.hidden("form_token").expect("form token");
    let res = client.post_form(
        &path,
        &[
            ("form_token", token.as_str()),
            ("name", "Olga Owner"),
            ("email", "olga@shop.example"),
            ("password", "a long enough password"),
            ("location_name", "Bakkerij De Zon"),
            ("slug", "de-zon"),
            ("lang", "en"),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.header("location"), Some("/staff/start"));
    // Logged in: the checklist opens without a login.
    let start = client.get("/staff/start?lang=en");
    assert_eq!(start.status, 200, "{}", start.body);
    assert!(start.body.contains("Getting started"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'account.login'"),
        1
    );

    // The link again: used, with the way to the login.
    let again = app.client().get(&format!("{path}?lang=en"));
    assert_eq!(again.status, 410);
    assert!(
        again.body.contains("This setup link was already used"),
        "{}",
        again.body
    );
    assert!(again.body.contains("href=\"/staff/login\""));
    assert!(!again.body.contains("Something went wrong"));
});
