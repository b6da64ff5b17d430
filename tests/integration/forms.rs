//! One way to check a form: the login form bound to its browser's pre-login
//! cookie, `Origin`/`Referer` against `TELLUS_BASE_URL`, the CSRF token on
//! every staff form, and the maximum age of the kiosk pairing and setup
//! pages, on both databases.

use crate::both;
use crate::support::{Client, TestApp, PASSWORD};

const FORM: &str = "application/x-www-form-urlencoded";
const DAY: i64 = 24 * 3600;

/// The login form's fields for the owner with `token`.
fn login_body(token: &str) -> String {
    serde_urlencoded::to_string([
        ("email", "owner@shop.example"),
        ("password", PASSWORD),
        ("token", token),
    ])
    .expect("form")
}

/// Whether `client` is signed in (its inbox answers).
fn signed_in(client: &Client) -> bool {
    client.get("/staff/inbox").status == 200
}

both!(
    login_works_only_in_the_browser_it_was_served_to,
    |backend| {
        let app = TestApp::with_shop(backend);
        let victim = app.client();
        let attacker = app.client();
        // The attacker's own login page gives a token for the attacker's browser.
        let token = attacker
            .get("/staff/login")
            .hidden("token")
            .expect("login token");
        let res = victim.post_raw("/staff/login", FORM, login_body(&token).as_bytes(), &[]);
        assert_eq!(res.status, 403, "{}", res.body);
        assert!(
            res.body.contains("kwam van een andere site"),
            "{}",
            res.body
        );
        assert!(!signed_in(&victim));
        // The same token in the browser it was served to signs in.
        let res = attacker.post_raw("/staff/login", FORM, login_body(&token).as_bytes(), &[]);
        assert_eq!(res.status, 303, "{}", res.body);
        assert!(signed_in(&attacker));
        // A wrong password shows the form again, still good for this browser.
        let other = app.client();
        let token = other.get("/staff/login").hidden("token").expect("token");
        let wrong = serde_urlencoded::to_string([
            ("email", "owner@shop.example"),
            ("password", "not the password"),
            ("token", token.as_str()),
        ])
        .expect("form");
        let again = other.post_raw("/staff/login", FORM, wrong.as_bytes(), &[]);
        assert_eq!(again.status, 401);
        let token = again.hidden("token").expect("a new token");
        let res = other.post_raw("/staff/login", FORM, login_body(&token).as_bytes(), &[]);
        assert_eq!(res.status, 303, "{}", res.body);
    }
);

both!(a_login_page_older_than_four_hours_is_refused, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let token = client.get("/staff/login").hidden("token").expect("token");
    app.advance(4 * 3600 + 1);
    let res = client.post_raw("/staff/login", FORM, login_body(&token).as_bytes(), &[]);
    assert_eq!(res.status, 403);
    assert!(!signed_in(&client));
});

both!(posts_from_another_origin_are_refused, |backend| {
    let app = TestApp::builder(backend)
        .env("TELLUS_BASE_URL", "http://localhost:8080")
        .start();
    app.seed_shop();
    let cases: [(&[(&str, &str)], u16); 6] = [
        (&[("Origin", "https://evil.example")], 403),
        (&[("Origin", "http://localhost:8081")], 403),
        (&[("Referer", "https://evil.example/login.html")], 403),
        (&[("Origin", "not a url")], 403),
        (&[("Origin", "http://localhost:8080")], 303),
        // `Origin: null` is what our no-referrer pages make browsers send.
        (&[("Origin", "null")], 303),
    ];
    for (headers, status) in cases {
        let client = app.client();
        let token = client.get("/staff/login").hidden("token").expect("token");
        let res = client.post_raw("/staff/login", FORM, login_body(&token).as_bytes(), headers);
        assert_eq!(res.status, status, "{headers:?}: {}", res.body);
        assert_eq!(signed_in(&client), status == 303, "{headers:?}");
    }
    // A staff form and a customer's form too.
    let owner = app.login("owner@shop.example");
    let csrf = owner.get("/staff/account").hidden("csrf").expect("csrf");
    let body = format!("csrf={csrf}&language=en");
    let evil = [("Origin", "https://evil.example")];
    let res = owner.post_raw("/staff/account/language", FORM, body.as_bytes(), &evil);
    assert_eq!(res.status, 403);
    let res = owner.post_raw("/staff/account/language", FORM, body.as_bytes(), &[]);
    assert_eq!(res.status, 303, "{}", res.body);
    let customer = app.client();
    let res = customer.post_raw("/f/shop", FORM, b"face=1&message=Hallo", &evil);
    assert_eq!(res.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 0);
});

both!(without_a_base_url_the_origin_is_not_compared, |backend| {
    // The address derived from TELLUS_BIND may be reached by another name
    // (localhost, the LAN address): only Sec-Fetch-Site and the tokens guard.
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let token = client.get("/staff/login").hidden("token").expect("token");
    let res = client.post_raw(
        "/staff/login",
        FORM,
        login_body(&token).as_bytes(),
        &[("Origin", "http://192.168.1.20:8080")],
    );
    assert_eq!(res.status, 303, "{}", res.body);
});

both!(every_staff_form_needs_the_sessions_csrf_token, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login("owner@shop.example");
    let csrf = owner.get("/staff/account").hidden("csrf").expect("csrf");
    let posts: [(&str, &str); 6] = [
        ("/staff/account/language", "language=en"),
        ("/staff/logout", ""),
        ("/staff/canned", "title=Sorry&body_nl=Sorry&body_en=Sorry"),
        ("/staff/settings/workflow", "auto_close_days=3"),
        ("/staff/privacy/retention", "months=6"),
        ("/staff/gifts/budget/1", "budget=100"),
    ];
    for (path, fields) in posts {
        for bad in ["", "csrf=wrong&", "csrf=&"] {
            let body = format!("{bad}{fields}");
            let res = owner.post_raw(path, FORM, body.as_bytes(), &[]);
            assert_eq!(res.status, 403, "{path} with {bad:?}: {}", res.body);
        }
    }
    // Still signed in (the logout without a token did nothing), nothing audited.
    assert!(signed_in(&owner));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action <> 'account.login'"),
        0
    );
    let body = format!("csrf={csrf}&language=en");
    let res = owner.post_raw("/staff/account/language", FORM, body.as_bytes(), &[]);
    assert_eq!(res.status, 303, "{}", res.body);
});

both!(a_pairing_page_stays_good_for_thirty_days, |backend| {
    let app = TestApp::with_shop(backend);
    let tablet = app.client();
    let token = tablet.get("/kiosk/pair").hidden("token").expect("token");
    // Left on overnight, over a weekend, a holiday: a wrong code is still
    // answered as a wrong code, not as a stale page.
    app.advance(29 * DAY);
    let body = format!("token={token}&code=AAAA-BBBB&lang=en");
    let res = tablet.post_raw("/kiosk/pair", FORM, body.as_bytes(), &[]);
    assert_eq!(res.status, 422, "{}", res.body);
    app.advance(2 * DAY);
    let res = tablet.post_raw("/kiosk/pair", FORM, body.as_bytes(), &[]);
    assert_eq!(res.status, 403, "{}", res.body);
    let forged = "token=1.AAAA&code=AAAA-BBBB&lang=en";
    let res = tablet.post_raw("/kiosk/pair", FORM, forged.as_bytes(), &[]);
    assert_eq!(res.status, 403);
});

both!(
    a_setup_page_open_over_a_day_is_shown_again_with_what_was_typed,
    |backend| {
        let app = TestApp::start(backend);
        let link = app.setup_link.clone().expect("setup link");
        let path = &link[link.find("/setup/").expect("setup path")..];
        let client = app.client();
        let token = client
            .get(&format!("{path}?lang=en"))
            .hidden("form_token")
            .expect("form token");
        app.advance(DAY + 1);
        let fields = [
            ("form_token", token.as_str()),
            ("name", "Olga Owner"),
            ("email", "olga@shop.example"),
            ("password", "a long enough password"),
            ("location_name", "Bakkerij De Zon"),
            ("slug", "de-zon"),
            ("lang", "en"),
        ];
        let res = client.post_form(path, &fields);
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(
            res.body.contains("value=\"olga@shop.example\""),
            "{}",
            res.body
        );
        assert!(
            res.body.contains("This page was open for a long time"),
            "{}",
            res.body
        );
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM users"), 0);
        // A forged token is refused outright.
        let forged = client.post_form(path, &[("form_token", "1.AAAA"), ("name", "x")]);
        assert_eq!(forged.status, 403);
        // The page it shows carries a fresh token: sending it again works.
        let fresh = res.hidden("form_token").expect("fresh token");
        assert_ne!(fresh, token);
        let mut fields = fields;
        fields[0].1 = &fresh;
        let res = client.post_form(path, &fields);
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM users"), 1);
    }
);
