//! Kiosk mode: pairing (one-time, expiring), the device binding (a location
//! in the request is ignored), idempotent submissions, the tap interval, and
//! revocation, on both databases.

use crate::both;
use crate::support::TestApp;

both!(pairing_binds_a_tablet_once, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login("owner@shop.example");
    let tablet = app.client();
    let res = tablet.get("/kiosk");
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/kiosk/pair"));

    let code = app.pairing_code(&owner, "Counter tablet");
    assert_eq!(
        tablet.pair_kiosk(&code.to_lowercase().replace('-', " "), "en"),
        303,
        "codes are forgiving about case and spaces"
    );
    let kiosk = tablet.get("/kiosk");
    assert_eq!(kiosk.status, 200);
    assert!(kiosk.body.contains("data-face=\"1\"") && kiosk.body.contains("/static/js/kiosk.js"));
    assert!(!kiosk.body.contains("/staff/"), "no staff link on a kiosk");
    assert!(kiosk.body.contains("autocomplete=\"off\""));

    // Pairing a browser where staff were logged in ends that staff session there.
    let shared = app.login("staff@shop.example");
    assert_eq!(shared.get("/staff/inbox").status, 200);
    assert_eq!(
        shared.pair_kiosk(&app.pairing_code(&owner, "Shared tablet"), "en"),
        303
    );
    assert_eq!(
        shared.get("/staff/inbox").status,
        303,
        "no staff session on a kiosk"
    );

    // One use only: a second tablet with the same code is refused.
    let other = app.client();
    assert_eq!(other.pair_kiosk(&code, "en"), 422);
    assert_eq!(other.get("/kiosk").status, 303);

    let list = owner.get("/staff/kiosks");
    assert!(list.body.contains("Counter tablet") && list.body.contains("Bakkerij De Zon"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM kiosk_devices"), 2);
    let hash_len =
        app.count("SELECT CAST(MIN(LENGTH(token_hash)) AS BIGINT) AS n FROM kiosk_devices");
    assert_eq!(hash_len, 64, "only the token's SHA-256 is stored");
});

both!(pairing_codes_expire_and_forged_tokens_fail, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login("owner@shop.example");
    let code = app.pairing_code(&owner, "Late tablet");
    app.advance(11 * 60);
    let tablet = app.client();
    assert_eq!(tablet.pair_kiosk(&code, "en"), 422);
    assert_eq!(tablet.pair_kiosk("AAAA-AAAA", "en"), 422);

    // A forged device cookie is not a kiosk.
    let forged = app.client();
    let res = forged.get_with("/kiosk", &[("Cookie", "tellus_kiosk=forged-token-value")]);
    assert_eq!(res.status, 303);
    let res = forged.post_raw(
        "/kiosk/submit",
        "application/x-www-form-urlencoded",
        b"face=1&key=k1",
        &[
            ("X-Tellus-Kiosk", "1"),
            ("Cookie", "tellus_kiosk=forged-token-value"),
        ],
    );
    assert_eq!(res.status, 401);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 0);

    // Staff who are not owners cannot make codes.
    let staff = app.login("staff@shop.example");
    assert_eq!(staff.get("/staff/kiosks").status, 404);
});

both!(submissions_follow_the_device_not_the_request, |backend| {
    let app = TestApp::with_shop(backend);
    app.add_location("other", "Andere Winkel");
    let owner = app.login("owner@shop.example");
    let tablet = app.paired_tablet(&owner, "en");

    let res = tablet.kiosk_post(&[
        ("face", "1"),
        ("message", "Koude koffie"),
        ("key", "abc123"),
        ("lang", "nl"),
        ("location", "other"),
        ("slug", "other"),
    ]);
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("\"reference\":\"TL-"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM feedback f JOIN locations l ON l.id = f.location_id WHERE l.slug = 'shop' AND f.channel = 'kiosk'"),
        1,
        "stored for the device's location, whatever the request says"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM kiosk_submissions"), 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM tickets"), 1);

    // The same idempotency key again (a retry after a lost answer) is one complaint.
    let again = tablet.kiosk_post(&[
        ("face", "1"),
        ("message", "Koude koffie"),
        ("key", "abc123"),
        ("lang", "nl"),
    ]);
    assert_eq!(again.status, 200);
    assert!(again.body.contains("\"duplicate\":true"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 1);

    // Without the kiosk header (a cross-site form could not add it): refused.
    let body = b"face=2&key=zzz";
    let res = tablet.post_raw(
        "/kiosk/submit",
        "application/x-www-form-urlencoded",
        body,
        &[],
    );
    assert_eq!(res.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 1);
});

both!(
    taps_faster_than_a_person_are_quarantined_not_dropped,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login("owner@shop.example");
        let tablet = app.paired_tablet(&owner, "en");
        for n in 0..22 {
            let key = format!("k{n}");
            assert_eq!(
                tablet.kiosk_post(&[("face", "1"), ("key", &key)]).status,
                200
            );
        }
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 22);
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM feedback WHERE quarantine_reason = 'kiosk-rate'"),
            2,
            "20 a minute pass (an offline queue), the rest wait in quarantine"
        );
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM tickets"), 20);
    }
);

both!(a_revoked_kiosk_stops_at_once, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login("owner@shop.example");
    let tablet = app.paired_tablet(&owner, "en");
    assert_eq!(tablet.get("/kiosk").status, 200);

    let list = owner.get("/staff/kiosks");
    let csrf = list.hidden("csrf").expect("csrf");
    let id = app.count("SELECT id AS n FROM kiosk_devices");
    let res = owner.post_form(&format!("/staff/kiosks/{id}/revoke"), &[("csrf", &csrf)]);
    assert_eq!(res.status, 303);

    let page = tablet.get_with("/kiosk", &[("Accept-Language", "en")]);
    assert_eq!(page.status, 403);
    assert!(page.body.contains("This kiosk is not active"));
    let res = tablet.kiosk_post(&[("face", "1"), ("key", "after")]);
    assert_eq!(res.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 0);
    // Revoking needs the owner's CSRF token.
    assert_eq!(
        owner
            .post_form(&format!("/staff/kiosks/{id}/revoke"), &[("csrf", "nope")])
            .status,
        403
    );
});

both!(service_worker_may_control_the_kiosk, |backend| {
    let app = TestApp::start(backend);
    let res = app.client().get("/kiosk/sw.js");
    assert_eq!(res.status, 200);
    assert_eq!(res.header("service-worker-allowed"), Some("/kiosk"));
    assert!(res.body.contains("/static/js/kiosk.js"));
    let js = app.client().get("/static/js/kiosk.js");
    assert_eq!(js.status, 200);
    assert!(js
        .header("content-type")
        .unwrap_or("")
        .contains("javascript"));
});

both!(
    the_kiosk_invites_everyone_to_tell_others_on_their_own_phone,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login("owner@shop.example");
        let tablet = app.paired_tablet(&owner, "en");
        assert!(
            !tablet.get("/kiosk").body.contains("/tell-others.svg"),
            "hidden while no review links are set"
        );

        let settings = owner.get("/staff/settings");
        let csrf = settings.hidden("csrf").expect("csrf");
        let res = owner.post_form(
            "/staff/settings/review-links",
            &[
                ("csrf", &csrf),
                ("label", "Google"),
                ("url", "https://g.page/r/bakkerij"),
            ],
        );
        assert_eq!(res.status, 303);
        assert!(tablet
            .get("/kiosk")
            .body
            .contains("src=\"/tell-others.svg\""));
        let svg = app.client().get("/tell-others.svg");
        assert_eq!(svg.status, 200);
        let url = crate::posters::decode_svg(&svg.body);
        assert_eq!(url, format!("{}/tell-others", app.state.config.base_url));
        let page = app.client().get("/tell-others");
        assert!(page.body.contains("https://g.page/r/bakkerij"));
    }
);

both!(outside_opening_hours_the_kiosk_shows_closed, |backend| {
    use chrono::Datelike;
    let app = TestApp::with_shop(backend);
    let owner = app.login("owner@shop.example");
    let tablet = app.paired_tablet(&owner, "en");
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let today = app.clock.now().weekday().num_days_from_monday() as usize;
    let set_hours = |hours: String| {
        app.write(move |c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(
                "UPDATE locations SET time_zone = 'UTC', opening_hours = $1 WHERE slug = 'shop'",
            )
            .bind::<diesel::sql_types::Text, _>(hours)
            .execute(c)?;
            Ok(())
        });
        // What the owner pages do after a change.
        app.state.cache.clear();
    };
    // Open only tomorrow: closed now.
    set_hours(format!("{} 00:00-24:00", DAYS[(today + 1) % 7]));
    let page = tablet.get("/kiosk");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("We zijn gesloten") && page.body.contains("data-refresh-seconds"));
    assert!(!page.body.contains("data-face"));
    // A complaint queued on the tablet before closing is still taken.
    assert_eq!(
        tablet.kiosk_post(&[("face", "1"), ("key", "late")]).status,
        200
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 1);
    // Open all day today: the faces are back.
    set_hours(format!("{} 00:00-24:00", DAYS[today]));
    assert!(tablet.get("/kiosk").body.contains("data-face=\"1\""));
});

both!(
    a_kiosk_complaint_is_kept_even_when_a_detail_is_unusable,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login("owner@shop.example");
        let tablet = app.paired_tablet(&owner, "en");
        // An address the server cannot use and a category switched off meanwhile:
        // the customer has left, so the complaint is kept without them.
        let res = tablet.kiosk_post(&[
            ("face", "1"),
            ("message", "Koud"),
            ("email", "jan@gmail"),
            ("consent", "yes"),
            ("category", "no-longer-offered"),
            ("key", "q1"),
        ]);
        assert_eq!(res.status, 200, "{}", res.body);
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM tickets"), 1);
        assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM feedback WHERE customer_email IS NULL AND category_id IS NULL"),
        1
    );
        // Only a missing face is refused, with a JSON answer the kiosk script can read.
        let res = tablet.kiosk_post(&[("message", "no face"), ("key", "q2")]);
        assert_eq!(res.status, 422);
        assert!(res
            .header("content-type")
            .unwrap_or("")
            .starts_with("application/json"));
        assert!(res.body.contains("\"errors\""));
    }
);
