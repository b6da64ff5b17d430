//! The public feedback form as a customer meets it: the form without
//! JavaScript in Dutch and English, what each kind of submission stores and
//! mails, consent, the private ticket page and its thread with staff, review
//! links, quarantine instead of dropping suspected spam, double submits,
//! spots from QR codes, and the security headers of the public pages.

use crate::both;
use crate::support::html::{input_value, inputs_named, is_checked, tags, textarea};
use crate::support::{is_reference, private_path, Response, TestApp};

/// Number of outbox rows of `kind` to `recipient`.
fn mails(app: &TestApp, kind: &str, recipient: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = '{kind}' AND recipient = '{recipient}'"
    ))
}

/// Why each submission is held, oldest first (`-` for none).
fn quarantine_reasons(app: &TestApp) -> Vec<String> {
    app.texts("SELECT COALESCE(quarantine_reason, '-') AS v FROM feedback ORDER BY id")
}

both!(form_works_without_js, |backend| {
    let app = TestApp::with_shop(backend);
    let page = app.client().get("/f/shop");
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("lang=\"nl\""), "Dutch by default");
    assert!(body.contains("Hoe was je bezoek aan Bakkerij De Zon?"));
    assert!(!body.contains("<script"), "no script needed");
    let forms = tags(body, "form");
    assert!(
        forms
            .iter()
            .any(|f| f.get("method").map(String::as_str) == Some("post")
                && f.get("action").map(String::as_str) == Some("/f/shop")),
        "a plain form posting back to /f/shop: {forms:?}"
    );
    assert!(tags(body, "button")
        .iter()
        .any(|b| b.get("type").map(String::as_str) == Some("submit")));

    // Four faces, no neutral one, none preselected.
    let faces = inputs_named(body, "face");
    let values: Vec<&str> = faces.iter().map(|a| a["value"].as_str()).collect();
    assert_eq!(values, ["1", "2", "3", "4"]);
    assert!(faces
        .iter()
        .all(|a| a["type"] == "radio" && !a.contains_key("checked")));
    for label in ["Heel ontevreden", "Ontevreden", "Tevreden", "Heel tevreden"] {
        assert!(body.contains(label), "face label {label}");
    }

    // The default categories, with "rather not say" chosen.
    let categories: Vec<String> = inputs_named(body, "category")
        .iter()
        .map(|a| a["value"].clone())
        .collect();
    assert_eq!(
        categories,
        [
            "",
            "service",
            "product",
            "waiting",
            "cleanliness",
            "price",
            "other"
        ]
    );
    assert!(is_checked(body, "category", ""));
    for name in ["Bediening", "Wachttijd", "Netheid", "Iets anders"] {
        assert!(body.contains(name), "category {name}");
    }

    assert_eq!(textarea(body, "message").as_deref(), Some(""));
    assert_eq!(inputs_named(body, "name")[0]["type"], "text");
    assert_eq!(inputs_named(body, "email")[0]["type"], "email");
    let consent = inputs_named(body, "consent");
    assert_eq!(consent.len(), 1);
    assert_eq!(consent[0]["type"], "checkbox");
    assert!(
        !consent[0].contains_key("checked"),
        "consent is never pre-ticked"
    );

    assert!(
        page.hidden("token").is_some_and(|t| !t.is_empty()),
        "time token"
    );
    assert!(
        page.hidden("key").is_some_and(|k| !k.is_empty()),
        "idempotency key"
    );
    let honeypot = inputs_named(body, "website");
    assert_eq!(honeypot.len(), 1, "honeypot field");
    assert_eq!(honeypot[0].get("value"), None, "honeypot starts empty");
    assert_eq!(honeypot[0]["tabindex"], "-1");
});

both!(form_in_english_on_request, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let english = |page: &Response| {
        assert_eq!(page.status, 200);
        assert!(page.body.contains("lang=\"en\""));
        assert!(page.body.contains("How was your visit to Bakkerij De Zon?"));
        assert!(page.body.contains("Very unhappy"));
        assert!(page.body.contains("Email me about this complaint"));
        assert_eq!(
            input_value(&page.body, "lang").as_deref(),
            Some("en"),
            "the answer page follows"
        );
    };
    english(&client.get_with("/f/shop", &[("Accept-Language", "en-GB,en;q=0.9")]));
    english(&client.get("/f/shop?lang=en"));

    // The switch link is there both ways.
    let dutch = client.get("/f/shop");
    assert!(dutch.body.contains(">English</a>"));
    let to_english = dutch.link("/f/shop?lang=en").expect("switch to English");
    let switched = client.get(&to_english);
    english(&switched);
    assert!(switched.body.contains(">Nederlands</a>"));
    let back = switched
        .link("/f/shop?lang=nl")
        .expect("switch back to Dutch");
    assert!(client.get(&back).body.contains("Hoe was je bezoek"));

    // An explicit choice beats the browser's.
    let chosen = client.get_with("/f/shop?lang=nl", &[("Accept-Language", "en")]);
    assert!(chosen.body.contains("lang=\"nl\"") && chosen.body.contains("Hoe was je bezoek"));

    // And the thank-you page comes in the language of the form.
    let thanks = app.fill_in(&client, "/f/shop?lang=en", &[("face", "1")]);
    assert_eq!(thanks.status, 200);
    assert!(thanks.body.contains("Thank you!"), "{}", thanks.body);
});

both!(unhappy_face_alone_opens_a_ticket, |backend| {
    let app = TestApp::with_shop(backend);
    let thanks = app.complain(1).send();
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert!(thanks.body.contains("Bedankt!"));
    let reference = thanks.reference().expect("reference");
    assert!(is_reference(&reference), "reference {reference}");
    assert_eq!(app.ticket_rows(), 1);
    app.ticket_id(&reference);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM feedback WHERE quarantine_reason IS NOT NULL"),
        0
    );
    assert!(thanks.link("/t/").is_some(), "private link");
    // No address given: no acknowledgement, and the page does not promise one.
    assert!(!thanks.body.contains("bevestiging"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'acknowledgement'"),
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'staff_alert'"),
        2
    );
});

both!(happy_tap_is_counted_without_a_ticket, |backend| {
    let app = TestApp::with_shop(backend);
    let thanks = app.complain(4).send();
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let reference = thanks.reference().expect("reference");
    assert!(is_reference(&reference));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM feedback WHERE face = 4 AND reference = '{reference}' AND quarantine_reason IS NULL"
        )),
        1
    );
    assert_eq!(app.ticket_rows(), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox"),
        0,
        "nobody is alerted about praise without words"
    );
    assert!(thanks.link("/t/").is_none(), "nothing to follow");
});

both!(happy_face_with_a_message_opens_a_ticket, |backend| {
    let app = TestApp::with_shop(backend);
    let thanks = app
        .complain(3)
        .message("Lekker, maar de wc was vies.")
        .send();
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let reference = thanks.reference().expect("reference");
    assert_eq!(app.ticket_rows(), 1);
    let staff = app.login("staff@shop.example");
    let page = staff.get(&format!("/staff/tickets/{}", app.ticket_id(&reference)));
    assert!(page.body.contains("Lekker, maar de wc was vies."));
});

both!(email_with_consent_is_acknowledged, |backend| {
    let app = TestApp::with_shop(backend);
    let thanks = app
        .complain(2)
        .message("De koffie was koud.")
        .contact("Ann", "ann@example.com")
        .send();
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert!(thanks
        .body
        .contains("We hebben een bevestiging naar je e-mailadres gestuurd."));
    assert_eq!(mails(&app, "acknowledgement", "ann@example.com"), 1);
    assert_eq!(mails(&app, "staff_alert", "owner@shop.example"), 1);
    assert_eq!(mails(&app, "staff_alert", "staff@shop.example"), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM feedback WHERE customer_email = 'ann@example.com' AND contact_consent"),
        1
    );
});

both!(email_without_consent_is_refused_and_kept, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let typed = [
        ("face", "2"),
        ("category", "waiting"),
        ("message", "Twintig minuten gewacht op een broodje."),
        ("name", "Bram"),
        ("email", "bram@example.com"),
    ];
    let res = app.submit(&client, "shop", &typed);
    assert_eq!(res.status, 422, "{}", res.body);
    let body = &res.body;
    assert!(body.contains(
        "Vink het vakje aan als je wilt dat we je mailen, of maak het e-mailadres leeg."
    ));
    assert!(is_checked(body, "face", "2"));
    assert!(is_checked(body, "category", "waiting"));
    assert_eq!(
        textarea(body, "message").as_deref(),
        Some("Twintig minuten gewacht op een broodje.")
    );
    assert_eq!(input_value(body, "name").as_deref(), Some("Bram"));
    assert_eq!(
        input_value(body, "email").as_deref(),
        Some("bram@example.com")
    );
    assert!(!is_checked(body, "consent", "yes"));
    assert_eq!(app.feedback_rows(), 0);

    // Ticking the box and sending again works with the same form.
    let (token, key) = (
        res.hidden("token").expect("token kept"),
        res.hidden("key").expect("key kept"),
    );
    let mut again: Vec<(&str, &str)> = vec![("token", &token), ("key", &key), ("consent", "yes")];
    again.extend_from_slice(&typed);
    let thanks = client.post_form("/f/shop", &again);
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert!(thanks.body.contains("We hebben een bevestiging"));
    assert_eq!(app.feedback_rows(), 1);
    assert_eq!(mails(&app, "acknowledgement", "bram@example.com"), 1);
});

both!(consent_without_email_is_refused, |backend| {
    let app = TestApp::with_shop(backend);
    let res = app.complain(1).message("Mail me maar.").consent().send();
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res
        .body
        .contains("Vul je e-mailadres in, dan kunnen we je mailen."));
    assert_eq!(
        textarea(&res.body, "message").as_deref(),
        Some("Mail me maar.")
    );
    assert!(is_checked(&res.body, "consent", "yes"));
    assert_eq!(app.feedback_rows(), 0);
});

both!(private_page_carries_the_conversation, |backend| {
    let app = TestApp::with_shop(backend);
    let customer = app.client();
    let thanks = app
        .complain(1)
        .by(&customer)
        .message("Het brood was oud.")
        .send();
    let reference = thanks.reference().expect("reference");
    let href = thanks.link("/t/").expect("private link");
    let path = private_path(&thanks);

    let page = customer.get(&href);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Het brood was oud."));
    assert!(page.body.contains(&reference));
    assert!(page.body.contains("Nieuw"));

    // Staff find it in the inbox and answer.
    let staff = app.login("staff@shop.example");
    let inbox = staff.get("/staff/inbox");
    assert!(inbox.body.contains(&reference));
    let ticket_href = inbox.link("/staff/tickets/").expect("inbox link");
    assert_eq!(
        ticket_href,
        format!("/staff/tickets/{}", app.ticket_id(&reference))
    );
    let ticket = staff.get(&ticket_href);
    assert_eq!(ticket.status, 200);
    assert!(ticket.body.contains("Het brood was oud."));
    let csrf = ticket.hidden("csrf").expect("csrf");
    let reply = "Sorry! Morgen ligt er een vers brood voor u klaar.";
    let res = staff.post_form(
        &format!("{ticket_href}/reply"),
        &[("csrf", &csrf), ("body", reply)],
    );
    assert_eq!(res.status, 303, "{}", res.body);

    let page = customer.get(&href);
    assert!(page.body.contains(reply), "customer sees the staff reply");
    assert!(page.body.contains("In behandeling"));

    // Staff resolve it; the customer answers and it reopens.
    let res = staff.post_form(
        &format!("{ticket_href}/status"),
        &[("csrf", &csrf), ("status", "resolved")],
    );
    assert_eq!(res.status, 303);
    let page = customer.get(&path);
    assert!(page.body.contains("Opgelost"));
    let answer = "Dank je, tot morgen.";
    let res = customer.reply_as_customer(&page, &path, answer, "nl");
    assert_eq!(res.status, 303, "{}", res.body);
    let location = res.header("location").expect("redirect").to_owned();
    assert!(location.starts_with(&path), "{location}");
    let page = customer.get(&location);
    assert!(page.body.contains(answer));
    assert!(page.body.contains("Je antwoord is verstuurd."));
    assert!(page.body.contains("In behandeling"));
    assert_eq!(app.texts("SELECT status AS v FROM tickets"), ["open"]);
    assert!(
        staff.get(&ticket_href).body.contains(answer),
        "staff see the answer"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'customer_reply'"),
        2
    );
});

both!(review_links_for_every_customer, |backend| {
    let app = TestApp::with_shop(backend);
    let customer = app.client();
    let before = app.complain(1).by(&customer).send();
    assert_eq!(before.status, 200);
    assert!(
        !before.body.contains("Vertel anderen over je bezoek"),
        "hidden while none are set"
    );

    let owner = app.login("owner@shop.example");
    let settings = owner.get("/staff/settings");
    assert_eq!(settings.status, 200);
    let csrf = settings.hidden("csrf").expect("csrf");
    let url = "https://g.page/r/bakkerij-de-zon/review";
    let res = owner.post_form(
        "/staff/settings/review-links",
        &[("csrf", &csrf), ("label", "Google"), ("url", url)],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(owner.get("/staff/settings").body.contains(url));

    for face in [1, 4] {
        let thanks = app.complain(face).by(&customer).send();
        assert_eq!(thanks.status, 200);
        assert!(
            thanks.body.contains("Vertel anderen over je bezoek"),
            "face {face}"
        );
        assert!(
            tags(&thanks.body, "a")
                .iter()
                .any(|a| a.get("href").map(String::as_str) == Some(url)),
            "face {face}: review link"
        );
        assert!(thanks.body.contains(">Google</a>"), "face {face}");
    }
});

both!(review_link_must_be_a_web_address, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login("owner@shop.example");
    let csrf = owner.get("/staff/settings").hidden("csrf").expect("csrf");
    for url in ["javascript:alert(1)", "JaVaScRiPt:alert(1)"] {
        let res = owner.post_form(
            "/staff/settings/review-links",
            &[("csrf", &csrf), ("label", "Google"), ("url", url)],
        );
        assert_eq!(res.status, 422, "{url}: {}", res.body);
        assert!(res
            .body
            .contains("Het adres moet beginnen met http:// of https://."));
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM review_links"), 0);
    let thanks = app.complain(1).send();
    assert!(!thanks.body.to_lowercase().contains("javascript:"));
});

both!(honeypot_is_quarantined_quietly, |backend| {
    let app = TestApp::with_shop(backend);
    let thanks = app
        .complain(1)
        .message("Koop goedkope horloges")
        .email("bot@example.com")
        .consent()
        .field("website", "http://spam.example")
        .send();
    assert_eq!(thanks.status, 200, "looks like any thank-you page");
    assert!(thanks.body.contains("Bedankt!"));
    assert!(is_reference(&thanks.reference().expect("reference")));
    assert_eq!(quarantine_reasons(&app), ["honeypot"]);
    assert_eq!(app.ticket_rows(), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox"),
        0,
        "no mail for spam"
    );
});

both!(post_without_token_is_quarantined, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let res = client.post_form("/f/shop", &[("face", "1"), ("message", "Zonder formulier")]);
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(is_reference(&res.reference().expect("reference")));
    let forged = client.post_form(
        "/f/shop",
        &[
            ("token", "1700000000.AAAAAAAAAAAAAAAAAAAAAA"),
            ("face", "1"),
        ],
    );
    assert_eq!(forged.status, 200);
    assert_eq!(
        quarantine_reasons(&app),
        ["no-valid-token", "no-valid-token"]
    );
    assert_eq!(app.ticket_rows(), 0);
});

both!(post_too_soon_is_quarantined, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let form = client.get("/f/shop");
    let (token, key) = (
        form.hidden("token").expect("token"),
        form.hidden("key").expect("key"),
    );
    let res = client.post_form(
        "/f/shop",
        &[("token", &token), ("key", &key), ("face", "1")],
    );
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Bedankt!"));
    assert_eq!(quarantine_reasons(&app), ["too-fast"]);
    assert_eq!(app.ticket_rows(), 0);
});

both!(posts_over_the_rate_are_quarantined, |backend| {
    let app = TestApp::builder(backend)
        .env("TELLUS_PUBLIC_RATE_LIMIT", 3)
        .with_shop();
    let client = app.client();
    for i in 1..=5 {
        let res = app
            .complain(1)
            .by(&client)
            .message(&format!("Bericht {i}"))
            .send();
        assert_eq!(res.status, 200, "submission {i}");
        assert!(is_reference(&res.reference().expect("reference")));
    }
    assert_eq!(
        quarantine_reasons(&app),
        ["-", "-", "-", "rate-limit", "rate-limit"]
    );
    assert_eq!(app.ticket_rows(), 3);
});

both!(staff_release_from_quarantine, |backend| {
    let app = TestApp::with_shop(backend);
    let thanks = app
        .complain(1)
        .message("Mijn autofill vulde een verborgen veld in.")
        .email("echt@example.com")
        .consent()
        .field("website", "https://mijn-site.example")
        .send();
    let reference = thanks.reference().expect("reference");
    assert_eq!(app.ticket_rows(), 0);

    let staff = app.login("staff@shop.example");
    let list = staff.get("/staff/quarantine");
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&reference));
    assert!(list
        .body
        .contains("Mijn autofill vulde een verborgen veld in."));
    assert!(list.body.contains("honeypot"));
    let action = tags(&list.body, "form")
        .into_iter()
        .find_map(|f| {
            f.get("action")
                .filter(|a| a.starts_with("/staff/quarantine/"))
                .cloned()
        })
        .expect("release form");
    let csrf = list.hidden("csrf").expect("csrf");
    let res = staff.post_form(&action, &[("csrf", &csrf)]);
    assert_eq!(res.status, 303, "{}", res.body);
    let id = app.ticket_id(&reference);
    assert_eq!(
        res.header("location"),
        Some(format!("/staff/tickets/{id}").as_str())
    );

    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM feedback WHERE quarantine_reason IS NOT NULL"),
        0
    );
    assert_eq!(mails(&app, "acknowledgement", "echt@example.com"), 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'staff_alert' AND ticket_id = {id}"
        )),
        2
    );
    assert!(staff
        .get(&format!("/staff/tickets/{id}"))
        .body
        .contains("Mijn autofill"));
    let list = staff.get("/staff/quarantine");
    assert!(
        !list.body.contains(&reference),
        "released ones leave the list"
    );
});

both!(double_submit_stores_once, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let form = client.get("/f/shop");
    let (token, key) = (
        form.hidden("token").expect("token"),
        form.hidden("key").expect("key"),
    );
    app.advance(3);
    let fields = [
        ("token", token.as_str()),
        ("key", key.as_str()),
        ("face", "1"),
        ("message", "Twee keer op verzenden gedrukt"),
    ];
    let first = client.post_form("/f/shop", &fields);
    let second = client.post_form("/f/shop", &fields);
    assert_eq!((first.status, second.status), (200, 200));
    let reference = first.reference().expect("reference");
    assert_eq!(
        second.reference().as_deref(),
        Some(reference.as_str()),
        "same reference both times"
    );
    assert_eq!(app.feedback_rows(), 1);
    assert_eq!(app.ticket_rows(), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'staff_alert'"),
        2,
        "staff alerted once"
    );
});

both!(spot_from_the_qr_code_is_kept, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let page = client.get("/f/shop?spot=table-4");
    assert_eq!(page.hidden("spot").as_deref(), Some("table-4"));
    assert!(
        tags(&page.body, "a")
            .iter()
            .any(|a| a.get("href").map(String::as_str) == Some("/f/shop?spot=table-4&lang=en")),
        "the language switch keeps the spot"
    );
    let thanks = app.fill_in(
        &client,
        "/f/shop?spot=table-4",
        &[("face", "2"), ("message", "Tafel plakte.")],
    );
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert_eq!(app.texts("SELECT spot AS v FROM feedback"), ["table-4"]);
    let reference = thanks.reference().expect("reference");
    let staff = app.login("staff@shop.example");
    let ticket = staff.get(&format!("/staff/tickets/{}", app.ticket_id(&reference)));
    assert!(ticket.body.contains("Bakkerij De Zon · table-4"));
});

both!(junk_spot_is_dropped, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let page = client.get("/f/shop?spot=%3Cx%3E");
    assert_eq!(page.status, 200);
    assert_eq!(page.hidden("spot"), None);
    assert!(!page.body.contains("<x>"));
    assert_eq!(
        app.fill_in(&client, "/f/shop?spot=%3Cx%3E", &[("face", "1")])
            .status,
        200
    );
    assert_eq!(app.complain(1).by(&client).spot("<x>").send().status, 200);
    assert_eq!(app.feedback_rows(), 2);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM feedback WHERE spot IS NULL"),
        2
    );
});

/// The headers every public page must carry.
fn assert_security_headers(res: &Response, what: &str) {
    let csp = res
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: CSP lacks {directive}: {csp}"
        );
    }
    let script = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .or_else(|| {
            csp.split(';')
                .map(str::trim)
                .find(|d| d.starts_with("default-src"))
        })
        .unwrap_or_else(|| panic!("{what}: no script policy: {csp}"));
    assert!(
        !script.contains("unsafe-inline") && !script.contains("unsafe-eval"),
        "{what}: {script}"
    );
    assert_eq!(res.header("referrer-policy"), Some("no-referrer"), "{what}");
}

both!(security_headers_on_public_pages, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let form = client.get("/f/shop");
    assert_security_headers(&form, "form");
    let thanks = app.complain(1).by(&client).message("Koud.").send();
    assert_eq!(thanks.status, 200);
    assert_security_headers(&thanks, "thank-you page");
    assert!(
        thanks
            .header("cache-control")
            .is_some_and(|v| v.contains("no-store")),
        "thank-you page"
    );
    let private = client.get(&thanks.link("/t/").expect("private link"));
    assert_eq!(private.status, 200);
    assert_security_headers(&private, "private page");
    assert!(
        private
            .header("cache-control")
            .is_some_and(|v| v.contains("no-store")),
        "the private page must never be cached: {:?}",
        private.header("cache-control")
    );
});

both!(an_expired_reply_form_keeps_the_customers_text, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let thanks = app.complain(1).by(&client).message("Koud").send();
    let link = thanks.link("/t/").expect("private link");
    let page = client.get(&link);
    let token = page.hidden("token").expect("reply token");
    app.advance(8 * 24 * 3600);
    let path = link.split('?').next().unwrap_or(&link).to_owned();
    let res = client.post_form(
        &path,
        &[
            ("token", &token),
            ("body", "Nog steeds koud"),
            ("lang", "nl"),
        ],
    );
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("Nog steeds koud"),
        "what they typed is still there"
    );
    assert!(res.body.contains("verstuur hem opnieuw"));
    let fresh = res.hidden("token").expect("a fresh token");
    let res = client.post_form(
        &path,
        &[
            ("token", &fresh),
            ("body", "Nog steeds koud"),
            ("lang", "nl"),
        ],
    );
    assert_eq!(res.status, 303);
});

both!(
    a_flood_of_replies_is_held_back_without_losing_the_text,
    |backend| {
        let app = TestApp::with_shop(backend);
        let client = app.client();
        let thanks = app.complain(1).by(&client).message("Koud").send();
        let link = thanks.link("/t/").expect("private link");
        let path = link.split('?').next().unwrap_or(&link).to_owned();
        let token = client.get(&link).hidden("token").expect("reply token");
        for n in 0..20 {
            let body = format!("Antwoord {n}");
            let res =
                client.post_form(&path, &[("token", &token), ("body", &body), ("lang", "nl")]);
            assert_eq!(res.status, 303);
        }
        let res = client.post_form(
            &path,
            &[("token", &token), ("body", "Nog eentje"), ("lang", "nl")],
        );
        assert_eq!(res.status, 429);
        assert!(
            res.body.contains("Nog eentje"),
            "what they typed is still there"
        );
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM ticket_messages"), 20);
    }
);
