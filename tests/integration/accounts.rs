//! Accounts: invitations by email (one use, 72 hours), roles and disabling
//! (a disabled user's cookie stops at once), password reset (same answer for
//! every address, one use, 30 minutes, throttled), password change (other
//! sessions end), TOTP two-factor (login step, no code twice, mandatory for
//! owners), session idle timeout and lifetime, and the owner-only audit log
//! on an append-only table.

use std::time::Duration;

use crate::both;
use crate::support::account::{
    code_now, queued_link, queued_text, set_password, user_id, TotpSetup, NEW_PASSWORD,
};
use crate::support::{link_in, Client, Response, SmtpServer, TestApp, PASSWORD};

const STAFF: &str = "staff@shop.example";
const OWNER: &str = "owner@shop.example";

/// Whether a client's session still opens the inbox.
fn logged_in(client: &Client) -> bool {
    let res = client.get("/staff/inbox");
    match res.status {
        200 => true,
        303 => {
            assert_eq!(res.header("location"), Some("/staff/login"));
            false
        }
        other => panic!("inbox answered {other}: {}", res.body),
    }
}

/// The owner invites `email`; returns the path of the link in the invitation.
fn invitation(app: &TestApp, owner: &Client, email: &str, name: &str, role: &str) -> String {
    let res = invite(owner, email, name, role);
    assert_eq!(res.status, 303, "invitation sent: {}", res.body);
    queued_link(app, "invite", email, "/invite/")
}

const EN: &[(&str, &str)] = &[("Accept-Language", "en")];

/// The owner invites `email` as `role`; returns the response.
fn invite(owner: &Client, email: &str, name: &str, role: &str) -> Response {
    let token = owner.csrf("/staff/users");
    owner.post_form(
        "/staff/users",
        &[
            ("csrf", &token),
            ("email", email),
            ("name", name),
            ("role", role),
            ("language", "en"),
        ],
    )
}

/// Turns two-factor on for a logged-in client, after checking the set-up
/// page shows a QR code and refuses a wrong code; returns the secret.
fn enrol(app: &TestApp, client: &Client) -> String {
    let setup = TotpSetup::open(client);
    assert!(
        setup.page.body.contains("data:image/svg+xml;base64,"),
        "QR code shown"
    );
    let wrong = setup.confirm(client, "000000");
    assert_eq!(wrong.status, 422, "a wrong code does not turn it on");
    let res = setup.confirm(client, &code_now(app, &setup.secret));
    assert_eq!(res.status, 303, "confirm: {}", res.body);
    setup.secret
}

both!(invite_arrives_by_mail_and_works_once, |backend| {
    let smtp = SmtpServer::start();
    let app = TestApp::builder(backend)
        .smtp(&smtp.url())
        .reachable()
        .with_shop();
    let owner = app.login(OWNER);
    let res = invite(&owner, "Nina@Shop.example", "Nina New", "staff");
    assert_eq!(res.status, 303, "invite sent: {}", res.body);
    let mails = smtp.wait_for(1, Duration::from_secs(20));
    let mail = mails
        .iter()
        .find(|m| m.to() == "nina@shop.example")
        .expect("invitation delivered over SMTP");
    assert!(mail.subject().contains("invited"), "{}", mail.subject());
    let link = link_in(&mail.text_body(), &format!("{}/invite/", app.base));
    assert!(
        mail.html_body().contains(&link),
        "link in the HTML part too"
    );

    let nina = app.client();
    let res = set_password(&nina, &link, Some("Nina N."));
    assert_eq!(res.status, 303, "accepted: {}", res.body);
    assert_eq!(res.header("location"), Some("/staff/inbox"));
    assert!(logged_in(&nina), "logged in after choosing a password");

    let again = app.client().get_with(&link, EN);
    assert_eq!(again.status, 410);
    assert!(again.body.contains("already been used"), "{}", again.body);
    assert!(
        app.client()
            .log_in("nina@shop.example", NEW_PASSWORD)
            .status
            == 303
    );

    let refused = invite(&owner, "nina@shop.example", "Nina", "staff");
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("id=\"email-error\""),
        "said at the address"
    );
    let unknown = app.client().get_with("/invite/not-a-real-token", EN);
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("do not know this link"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('account.invite', 'account.accept')"),
        2
    );
});

both!(invite_expires_after_72_hours, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let link = invitation(&app, &owner, "late@shop.example", "Late", "owner");
    app.advance(72 * 3600 - 60);
    let invitee = app.client();
    let open = invitee.get(&link);
    assert_eq!(open.status, 200, "still valid just before");
    let token = open.hidden("token").expect("form token");
    app.advance(120);
    let late = app.client().get_with(&link, EN);
    assert_eq!(late.status, 410);
    assert!(late.body.contains("expired"), "{}", late.body);
    // The page was opened in time, but sent after the link expired.
    let accepted = invitee.post_form(
        &link,
        &[
            ("token", token.as_str()),
            ("name", "Late"),
            ("password", NEW_PASSWORD),
            ("password2", NEW_PASSWORD),
        ],
    );
    assert_eq!(accepted.status, 410, "an expired link makes no account");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM users WHERE email = 'late@shop.example'"),
        0,
        "no account was made"
    );
});

both!(disabling_ends_the_users_sessions_at_once, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let staff = app.login(STAFF);
    assert!(logged_in(&staff));
    let staff_id = user_id(&app, STAFF);
    let token = owner.csrf("/staff/users");
    let res = owner.post_form(
        &format!("/staff/users/{staff_id}/active"),
        &[("csrf", &token), ("active", "false")],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(!logged_in(&staff), "the very next request is refused");
    assert_eq!(app.client().log_in(STAFF, PASSWORD).status, 401);
    let page = owner.get("/staff/users");
    // The owner's page is in Dutch: the request names no language.
    assert!(page.body.contains("Uitgeschakeld"), "{}", page.body);

    // Enabled again, they can log in; their old cookie stays dead.
    owner.post_form(
        &format!("/staff/users/{staff_id}/active"),
        &[("csrf", &token), ("active", "true")],
    );
    assert!(!logged_in(&staff));
    assert!(logged_in(&app.login(STAFF)));

    // The owner cannot disable themselves or leave the shop without an owner.
    let owner_id = user_id(&app, OWNER);
    let own = owner.post_form(
        &format!("/staff/users/{owner_id}/active"),
        &[("csrf", &token), ("active", "false")],
    );
    assert_eq!(own.status, 422);
    let demote = owner.post_form(
        &format!("/staff/users/{owner_id}/role"),
        &[("csrf", &token), ("role", "staff")],
    );
    assert_eq!(demote.status, 422, "last active owner stays owner");
    assert!(logged_in(&owner));
    // With a second owner, the role can change.
    let promote = owner.post_form(
        &format!("/staff/users/{staff_id}/role"),
        &[("csrf", &token), ("role", "owner")],
    );
    assert_eq!(promote.status, 303);
    assert_eq!(app.login(STAFF).get("/staff/users").status, 200);
});

both!(
    staff_cannot_act_on_another_session_or_owner_pages,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        let staff = app.login(STAFF);
        for page in ["/staff/users", "/staff/audit"] {
            assert_eq!(staff.get(page).status, 404, "{page} for staff");
            assert_eq!(owner.get(page).status, 200, "{page} for the owner");
        }
        let staff_csrf = staff.csrf("/staff/account");
        let owner_csrf = owner.csrf("/staff/account");
        let owner_id = user_id(&app, OWNER);
        let res = staff.post_form(
            &format!("/staff/users/{owner_id}/active"),
            &[("csrf", &staff_csrf), ("active", "false")],
        );
        assert_eq!(res.status, 404, "staff cannot disable anyone");
        // The owner's CSRF token does not work in the staff member's session.
        let res = staff.post_form(
            "/staff/account/language",
            &[("csrf", &owner_csrf), ("language", "en")],
        );
        assert_eq!(res.status, 403);
        let res = staff.post_form(
            "/staff/account/password",
            &[
                ("csrf", &owner_csrf),
                ("current", PASSWORD),
                ("password", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
            ],
        );
        assert_eq!(res.status, 403);
        assert_eq!(app.client().log_in(STAFF, PASSWORD).status, 303);
        assert!(logged_in(&owner));
    }
);

both!(reset_same_answer_one_use_30_minutes_throttled, |backend| {
    let app = TestApp::with_shop(backend);
    let ask = |email: &str| {
        let client = app.client();
        let token = client
            .get("/staff/reset")
            .hidden("token")
            .expect("reset form token");
        client.post_form("/staff/reset", &[("token", &token), ("email", email)])
    };
    let known = ask(STAFF);
    let unknown = ask("nobody@shop.example");
    assert_eq!(known.status, 200);
    assert_eq!(unknown.status, known.status);
    assert_eq!(unknown.body, known.body, "the same page for both");
    assert!(queued_text(&app, "password_reset", "nobody@shop.example").is_none());

    let staff = app.login(STAFF);
    let link = queued_link(&app, "password_reset", STAFF, "/staff/reset/");
    let res = set_password(&app.client(), &link, None);
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(
        !logged_in(&staff),
        "setting the password ended the sessions"
    );
    assert_eq!(app.client().log_in(STAFF, PASSWORD).status, 401);
    assert_eq!(app.client().log_in(STAFF, NEW_PASSWORD).status, 303);
    let reused = app.client().get(&link);
    assert_eq!(reused.status, 410, "one use");

    // A second link expires after 30 minutes.
    assert_eq!(ask(STAFF).status, 200);
    let second = queued_link(&app, "password_reset", STAFF, "/staff/reset/");
    assert_ne!(second, link);
    app.advance(29 * 60);
    assert_eq!(app.client().get(&second).status, 200);
    app.advance(2 * 60);
    let late = app.client().get_with(&second, EN);
    assert_eq!(late.status, 410);
    assert!(late.body.contains("expired"));

    // Three requests per address per quarter of an hour; then the same refusal
    // for known and unknown addresses.
    assert_eq!(ask(STAFF).status, 200);
    assert_eq!(ask(STAFF).status, 429);
    assert_eq!(ask("nobody@shop.example").status, 200);
    assert_eq!(ask("nobody@shop.example").status, 200);
    assert_eq!(
        ask("nobody@shop.example").status,
        429,
        "unknown addresses too"
    );
});

both!(changing_the_password_ends_the_other_sessions, |backend| {
    let app = TestApp::with_shop(backend);
    let here = app.login(STAFF);
    let elsewhere = app.login(STAFF);
    let token = here.csrf("/staff/account");
    let wrong = here.post_form(
        "/staff/account/password",
        &[
            ("csrf", &token),
            ("current", "not my password"),
            ("password", NEW_PASSWORD),
            ("password2", NEW_PASSWORD),
        ],
    );
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.body.contains("id=\"current-error\""),
        "said at the field"
    );
    assert!(logged_in(&elsewhere), "nothing changed");

    let res = here.post_form(
        "/staff/account/password",
        &[
            ("csrf", &token),
            ("current", PASSWORD),
            ("password", NEW_PASSWORD),
            ("password2", NEW_PASSWORD),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(
        res.header("set-cookie").is_some(),
        "this session gets a new id"
    );
    assert!(logged_in(&here), "this session continues");
    assert!(!logged_in(&elsewhere), "the other one ended");
    assert_eq!(app.client().log_in(STAFF, NEW_PASSWORD).status, 303);
    assert_eq!(app.client().log_in(STAFF, PASSWORD).status, 401);
});

both!(totp_login_needs_a_fresh_code, |backend| {
    let app = TestApp::with_shop(backend);
    let staff = app.login(STAFF);
    let secret = enrol(&app, &staff);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM totp_credentials WHERE secret LIKE '%{secret}%'"
        )),
        0,
        "the secret is not stored in the clear"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM totp_credentials"), 1);
    assert!(staff
        .get("/staff/account")
        .body
        .contains("/staff/account/totp/disable"));

    let client = app.client();
    let res = client.log_in(STAFF, PASSWORD);
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/staff/login/code"));
    assert!(!logged_in(&client), "half logged in grants nothing");
    assert_eq!(client.get("/staff/account").status, 303);
    let page = client.get("/staff/login/code");
    assert_eq!(page.status, 200);
    let token = page.hidden("token").expect("code form token");
    // The code used to turn it on does not work again.
    let used = code_now(&app, &secret);
    let res = client.post_form("/staff/login/code", &[("token", &token), ("code", &used)]);
    assert_eq!(res.status, 401, "a code works once");
    app.advance(30);
    let code = code_now(&app, &secret);
    let res = client.post_form("/staff/login/code", &[("token", &token), ("code", &code)]);
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(logged_in(&client));

    // Someone who knows the password but not the code is throttled.
    let thief = app.client();
    assert_eq!(thief.log_in(STAFF, PASSWORD).status, 303);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let res = thief.post_form(
            "/staff/login/code",
            &[("token", &token), ("code", "123456")],
        );
        statuses.push(res.status);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert!(!logged_in(&thief));

    // Turning it off needs the password and a current code.
    app.advance(30);
    let token = staff.csrf("/staff/account");
    let code = code_now(&app, &secret);
    let res = staff.post_form(
        "/staff/account/totp/disable",
        &[("csrf", &token), ("password", PASSWORD), ("code", &code)],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    let res = app.client().log_in(STAFF, PASSWORD);
    assert_eq!(res.header("location"), Some("/staff/inbox"));
});

both!(totp_can_be_mandatory_for_owners, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let staff = app.login(STAFF);
    let token = owner.csrf("/staff/users");
    let res = owner.post_form(
        "/staff/users/totp-required",
        &[("csrf", &token), ("required", "yes")],
    );
    assert_eq!(res.status, 303);
    for page in ["/staff/inbox", "/staff/users", "/staff/settings"] {
        let res = owner.get(page);
        assert_eq!(res.status, 303, "{page}");
        assert_eq!(res.header("location"), Some("/staff/account/totp"));
    }
    assert!(logged_in(&staff), "staff are not affected");
    let page = owner.get("/staff/account/totp");
    // In Dutch: the request names no language.
    let notice = "Eigenaren moeten tweestapsaanmelding gebruiken.";
    assert!(page.body.contains(notice), "{}", page.body);
    // Another session of the owner can still log out from the set-up page.
    let other = app.login(OWNER);
    let token = other
        .get("/staff/account/totp")
        .hidden("csrf")
        .expect("csrf on the set-up page");
    let out = other.post_form("/staff/logout", &[("csrf", &token)]);
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/staff/login"));
    enrol(&app, &owner);
    assert!(logged_in(&owner), "after set-up every page works again");
});

both!(sessions_idle_out_and_have_a_lifetime, |backend| {
    let app = TestApp::builder(backend)
        .env("TELLUS_SESSION_IDLE_MINUTES", 30)
        .env("TELLUS_SESSION_HOURS", 2)
        .with_shop();
    let idle = app.login(STAFF);
    app.advance(29 * 60);
    assert!(logged_in(&idle), "used within the idle time");
    app.advance(29 * 60);
    assert!(logged_in(&idle), "each use restarts the idle time");
    app.advance(31 * 60);
    assert!(!logged_in(&idle), "unused for longer than the idle time");

    let busy = app.login(STAFF);
    for _ in 0..4 {
        app.advance(25 * 60);
        assert!(logged_in(&busy), "busy within the lifetime");
    }
    app.advance(25 * 60);
    assert!(!logged_in(&busy), "ends at its lifetime however busy");
});

both!(audit_log_for_owners_only_and_append_only, |backend| {
    let app = TestApp::with_shop(backend);
    let res = app.complain(1).message("Koud").send();
    assert_eq!(res.status, 200);
    let ticket_id = app.count("SELECT MAX(id) AS n FROM tickets");
    let (actor, now) = (user_id(&app, STAFF), app.clock.now());
    app.write(move |c| {
        tellus::domain::audit::record(
            c,
            tellus::domain::audit::Actor::User(actor),
            "ticket.status",
            Some(ticket_id),
            "new>open",
            now,
        )
    });
    let owner = app.login(OWNER);
    assert_eq!(
        invite(&owner, "new@shop.example", "New", "staff").status,
        303
    );
    let page = owner.get("/staff/audit");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("account.invite"));
    assert!(page.body.contains("new@shop.example"));
    assert!(page
        .body
        .contains(&format!("href=\"/staff/tickets/{ticket_id}\"")));
    assert!(page.body.contains("Sam Staff"), "who did it");
    let newest = page.body.find("account.invite").unwrap();
    let older = page.body.find("ticket.status").unwrap();
    assert!(newest < older, "newest first");
    assert_eq!(app.login(STAFF).get("/staff/audit").status, 404);

    for sql in [
        "UPDATE audit_log SET detail = 'changed'",
        "DELETE FROM audit_log",
    ] {
        let outcome = app.state.db.write_blocking(move |c| {
            use diesel::RunQueryDsl;
            Ok(diesel::sql_query(sql).execute(c)?)
        });
        assert!(outcome.is_err(), "{sql} is refused");
    }
    assert!(app.count("SELECT COUNT(*) AS n FROM audit_log WHERE detail = 'changed'") == 0);
    assert!(app.count("SELECT COUNT(*) AS n FROM audit_log") >= 3);
});

both!(
    invitations_can_be_withdrawn_and_end_with_their_sender,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        let link = invitation(&app, &owner, "typo@shop.exmaple", "Typo", "owner");
        let page = owner.get_with("/staff/users", EN);
        assert!(page.body.contains("typo@shop.exmaple"), "listed while open");
        let id = app.count("SELECT id AS n FROM invites WHERE email = 'typo@shop.exmaple'");
        let token = owner.csrf("/staff/users");
        let res = owner.post_form(
            &format!("/staff/users/invites/{id}/revoke"),
            &[("csrf", &token)],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(
            app.client().get(&link).status,
            410,
            "the link stops working"
        );
        assert!(!owner.get("/staff/users").body.contains("typo@shop.exmaple"));
        let again = owner.post_form(
            &format!("/staff/users/invites/{id}/revoke"),
            &[("csrf", &token)],
        );
        assert_eq!(
            again.status, 303,
            "a second click changes nothing and says nothing"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'account.invite_revoke'"),
            1
        );

        // A second owner invites someone, then is disabled: that link ends too.
        app.add_user(
            "second@shop.example",
            "Second Owner",
            tellus::domain::user::Role::Owner,
        );
        let second = app.login("second@shop.example");
        assert_eq!(
            invite(&second, "friend@shop.example", "Friend", "owner").status,
            303
        );
        let link = queued_link(&app, "invite", "friend@shop.example", "/invite/");
        let second_id = app.count("SELECT id AS n FROM users WHERE email = 'second@shop.example'");
        let token = owner.csrf("/staff/users");
        let res = owner.post_form(
            &format!("/staff/users/{second_id}/active"),
            &[("csrf", &token), ("active", "false")],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(app.client().get(&link).status, 410);

        // Staff cannot withdraw anything.
        let staff = app.login(STAFF);
        let token = staff.csrf("/staff/account");
        let res = staff.post_form(
            &format!("/staff/users/invites/{id}/revoke"),
            &[("csrf", &token)],
        );
        assert_eq!(res.status, 404);
    }
);

both!(
    two_factor_cannot_be_set_up_over_an_existing_one,
    |backend| {
        let app = TestApp::with_shop(backend);
        let staff = app.login(STAFF);
        // A set-up page served before two-factor was on (as a stolen session
        // could have kept): its signed secret and a valid code for it.
        let early = TotpSetup::open(&staff);

        enrol(&app, &staff);
        let sealed = || {
            app.read(|c| {
                use diesel::prelude::*;
                use tellus::db::schema::totp_credentials;
                Ok(totp_credentials::table
                    .select(totp_credentials::secret)
                    .load::<String>(c)?)
            })
        };
        let before = sealed();
        let res = early.confirm(&staff, &code_now(&app, &early.secret));
        assert_eq!(res.status, 422, "not replaced: {}", res.body);
        assert_eq!(sealed(), before, "the first authenticator stays");
    }
);

both!(
    an_invitation_page_left_open_for_hours_keeps_the_name,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        let link = invitation(&app, &owner, "slow@shop.example", "Slow", "staff");
        let invitee = app.client();
        let page = invitee.get_with(&link, EN);
        let token = page.hidden("token").expect("form token");
        app.advance(5 * 3600);
        let fields = [
            ("token", token.as_str()),
            ("name", "Sam Slow"),
            ("password", NEW_PASSWORD),
            ("password2", NEW_PASSWORD),
        ];
        let res = invitee.post_form(&link, &fields);
        assert_eq!(res.status, 422, "shown again, not refused");
        assert!(res.body.contains("Sam Slow"), "the name is kept");
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM users WHERE email = 'slow@shop.example'"),
            0
        );
        // Sent again from the page it got back, it works.
        let token = res.hidden("token").expect("a fresh token");
        let mut fields = fields;
        fields[0] = ("token", token.as_str());
        assert_eq!(invitee.post_form(&link, &fields).status, 303);
        // A made-up token is still refused outright.
        let forged = app
            .client()
            .post_form(&link, &[("token", "1.AAAA"), ("name", "X")]);
        assert_eq!(forged.status, 403);
    }
);
