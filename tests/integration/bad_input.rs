//! What the app does with input it must not trust: messages and addresses
//! over their limits (kept in the form, in the user's language), bodies that
//! are not valid UTF-8, malformed, of the wrong type or too large (an error
//! page, never a 500, nothing stored or changed), markup in every free-text
//! field (escaped on every page and in the HTML mail), stale or forged
//! tokens and unknown ids (403/404 pages), cross-site posts, and an unknown
//! location in the user's language.

use crate::both;
use crate::support::html::{input_value, is_checked, textarea};
use crate::support::{is_reference, private_path, Backend, Response, TestApp};

/// A message of exactly `len` characters, some of them more than one byte.
fn message_of(len: usize) -> String {
    let mut message: String = "Crème brûlée was koud. "
        .chars()
        .cycle()
        .take(len - 1)
        .collect();
    message.push('!');
    message
}

/// An error page: a 4xx status (never a 500) with an HTML body.
fn assert_error_page(res: &Response, what: &str) {
    assert!(
        (400..500).contains(&res.status),
        "{what}: status {} body {}",
        res.status,
        res.body
    );
    assert!(
        res.body.contains("<html"),
        "{what}: not an HTML page: {}",
        res.body
    );
    assert!(
        res.header("content-type")
            .is_some_and(|v| v.starts_with("text/html")),
        "{what}: {:?}",
        res.header("content-type")
    );
}

both!(message_too_long_is_kept_in_the_form, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let long = message_of(5001);
    let cases = [
        (
            "nl",
            "Je bericht is te lang: hoogstens 5000 tekens (nu 5001).",
        ),
        (
            "en",
            "Your message is too long: at most 5000 characters (now 5001).",
        ),
    ];
    for (lang, expected) in cases {
        let res = app
            .complain(1)
            .by(&client)
            .message(&long)
            .contact("Anna de Vries", "anna@example.com")
            .lang(lang)
            .send();
        assert_eq!(res.status, 422, "{lang}");
        assert!(res.body.contains(&format!("lang=\"{lang}\"")), "{lang}");
        assert!(res.body.contains(expected), "{lang}: no '{expected}'");
        assert_eq!(
            textarea(&res.body, "message").as_deref(),
            Some(long.as_str()),
            "{lang}: the whole message"
        );
        assert_eq!(
            input_value(&res.body, "name").as_deref(),
            Some("Anna de Vries")
        );
        assert_eq!(
            input_value(&res.body, "email").as_deref(),
            Some("anna@example.com")
        );
        assert!(is_checked(&res.body, "face", "1") && is_checked(&res.body, "consent", "yes"));
    }
    assert_eq!(app.feedback_rows(), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM outbox"), 0);
});

both!(message_of_exactly_the_limit_is_accepted, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let message = message_of(5000);
    let thanks = app.complain(2).by(&client).message(&message).send();
    assert_eq!(thanks.status, 200);
    assert!(is_reference(&thanks.reference().expect("reference")));
    assert_eq!(
        app.texts("SELECT message AS v FROM feedback"),
        [message.as_str()]
    );
    let page = client.get(&private_path(&thanks));
    assert!(
        page.body.contains(&message),
        "the customer reads it back whole"
    );
});

both!(email_too_long_is_refused, |backend| {
    let app = TestApp::with_shop(backend);
    let email = format!("{}@example.com", "a".repeat(243));
    assert_eq!(email.len(), 255);
    let res = app
        .complain(1)
        .message("Te lang adres.")
        .email(&email)
        .consent()
        .send();
    assert_eq!(res.status, 422);
    assert!(res
        .body
        .contains("Dat e-mailadres is te lang: hoogstens 254 tekens."));
    assert_eq!(
        input_value(&res.body, "email").as_deref(),
        Some(email.as_str())
    );
    assert_eq!(
        textarea(&res.body, "message").as_deref(),
        Some("Te lang adres.")
    );
    assert_eq!(app.feedback_rows(), 0);
});

both!(invalid_email_is_refused_and_kept, |backend| {
    let app = TestApp::with_shop(backend);
    let res = app
        .complain(2)
        .category("service")
        .message("Onvriendelijk geholpen.")
        .contact("Piet", "not-an-email")
        .lang("en")
        .send();
    assert_eq!(res.status, 422);
    assert!(res
        .body
        .contains("That does not look like an email address. Please check it, or leave it empty."));
    assert_eq!(
        input_value(&res.body, "email").as_deref(),
        Some("not-an-email")
    );
    assert_eq!(input_value(&res.body, "name").as_deref(), Some("Piet"));
    assert_eq!(
        textarea(&res.body, "message").as_deref(),
        Some("Onvriendelijk geholpen.")
    );
    assert!(is_checked(&res.body, "face", "2") && is_checked(&res.body, "category", "service"));
    assert!(is_checked(&res.body, "consent", "yes"));
    assert_eq!(app.feedback_rows(), 0);
});

/// The complaint stored before each bad request.
const EARLIER: &str = "Eerdere klacht: de taart was droog.";

/// Stores one complaint, then posts the body `make(token, key)` (with a fresh
/// form's token and key, after a person's wait) as `content_type`: expects an
/// error page, never a 500, nothing new stored and the earlier complaint unchanged.
fn assert_refused(
    backend: Backend,
    content_type: &str,
    make: fn(&str, &str) -> Vec<u8>,
) -> Response {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let earlier = app.complain(1).by(&client).message(EARLIER).send();
    assert_eq!(earlier.status, 200);
    let form = client.get("/f/shop");
    let (token, key) = (
        form.hidden("token").expect("token"),
        form.hidden("key").expect("key"),
    );
    app.advance(3);
    let res = client.post_raw("/f/shop", content_type, &make(&token, &key), &[]);
    let stored = app.texts("SELECT COALESCE(message, '-') AS v FROM feedback ORDER BY id");
    assert_error_page(
        &res,
        &format!("{content_type} (messages stored now: {stored:?})"),
    );
    assert_eq!(app.feedback_rows(), 1, "nothing new stored");
    assert_eq!(app.ticket_rows(), 1);
    assert_eq!(app.texts("SELECT message AS v FROM feedback"), [EARLIER]);
    // The form still works afterwards.
    assert_eq!(app.complain(4).by(&client).send().status, 200);
    res
}

const FORM: &str = "application/x-www-form-urlencoded";

both!(percent_encoded_invalid_utf8_is_refused, |backend| {
    let res = assert_refused(backend, FORM, |token, key| {
        format!("token={token}&key={key}&face=1&message=%FF%FE").into_bytes()
    });
    assert_eq!(res.status, 400);
});

both!(raw_invalid_utf8_is_refused, |backend| {
    let res = assert_refused(backend, FORM, |token, key| {
        let mut body = format!("token={token}&key={key}&face=1&message=").into_bytes();
        body.extend_from_slice(&[0xff, 0xfe, b'k', 0xc3, 0x28]);
        body
    });
    assert_eq!(res.status, 400);
});

both!(malformed_body_is_refused, |backend| {
    assert_refused(backend, FORM, |token, key| {
        format!("token={token}&key={key}&face=1&&&=%%%").into_bytes()
    });
});

both!(json_body_is_refused, |backend| {
    assert_refused(backend, "application/json", |token, key| {
        format!(r#"{{"token":"{token}","key":"{key}","face":"1","message":"JSON"}}"#).into_bytes()
    });
});

both!(body_over_the_limit_is_refused, |backend| {
    let res = assert_refused(backend, FORM, |token, key| {
        format!(
            "token={token}&key={key}&face=1&message={}",
            "a".repeat(300 * 1024)
        )
        .into_bytes()
    });
    assert_eq!(res.status, 413);
    assert!(res.body.contains("Wat er werd verstuurd is te groot."));
});

/// Markup a customer might type.
const XSS: &str = "\"><img src=x onerror=alert(1)>";
/// How it must look inside a page or an HTML mail.
const XSS_ESCAPED: &str = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";

fn assert_no_markup(body: &str, what: &str) {
    assert!(
        !body.contains("<img src=x"),
        "{what} contains the raw markup"
    );
}

both!(markup_is_escaped_everywhere, |backend| {
    let app = TestApp::with_shop(backend);
    let customer = app.client();

    // Sent back in the form when something else is wrong.
    let refused = app
        .complain(1)
        .by(&customer)
        .message(XSS)
        .contact(XSS, "not-an-email")
        .send();
    assert_eq!(refused.status, 422);
    assert_no_markup(&refused.body, "form with errors");
    assert!(refused.body.contains(XSS_ESCAPED));
    assert_eq!(
        textarea(&refused.body, "message").as_deref(),
        Some(XSS),
        "kept as typed"
    );
    assert_eq!(
        input_value(&refused.body, "name").as_deref(),
        Some(XSS),
        "kept as typed"
    );

    let thanks = app
        .complain(1)
        .by(&customer)
        .message(XSS)
        .contact(XSS, "xss@example.com")
        .send();
    assert_eq!(thanks.status, 200);
    assert_no_markup(&thanks.body, "thank-you page");
    let reference = thanks.reference().expect("reference");
    let path = private_path(&thanks);
    let private = customer.get(&path);
    assert_no_markup(&private.body, "private page");
    assert!(
        private.body.contains(XSS_ESCAPED),
        "the customer still reads what they typed"
    );

    let staff = app.login("staff@shop.example");
    assert_no_markup(&staff.get("/staff/inbox").body, "inbox");
    let ticket_href = format!("/staff/tickets/{}", app.ticket_id(&reference));
    let ticket = staff.get(&ticket_href);
    assert_no_markup(&ticket.body, "staff ticket page");
    assert_eq!(
        ticket.body.matches(XSS_ESCAPED).count(),
        2,
        "name and message, escaped"
    );

    // Markup in replies, both ways.
    let csrf = ticket.hidden("csrf").expect("csrf");
    let res = staff.post_form(
        &format!("{ticket_href}/reply"),
        &[("csrf", &csrf), ("body", XSS)],
    );
    assert_eq!(res.status, 303);
    let token = customer.get(&path).hidden("token").expect("reply token");
    let res = customer.post_form(&path, &[("token", &token), ("body", XSS)]);
    assert_eq!(res.status, 303);
    let private = customer.get(&path);
    assert_no_markup(&private.body, "private page with replies");
    assert_eq!(private.body.matches(XSS_ESCAPED).count(), 3);
    let ticket = staff.get(&ticket_href);
    assert_no_markup(&ticket.body, "staff ticket page with replies");
    assert_eq!(ticket.body.matches(XSS_ESCAPED).count(), 4);

    // Every queued mail: escaped in HTML, verbatim in plain text.
    let kinds = app.texts("SELECT kind AS v FROM outbox ORDER BY id");
    for kind in [
        "acknowledgement",
        "staff_alert",
        "staff_reply",
        "customer_reply",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "a {kind} mail: {kinds:?}");
    }
    let htmls = app.texts("SELECT body_html AS v FROM outbox ORDER BY id");
    let plain = app.texts("SELECT body_text AS v FROM outbox ORDER BY id");
    for ((kind, html), text) in kinds.iter().zip(&htmls).zip(&plain) {
        assert_no_markup(html, kind);
        assert!(html.contains("&lt;img src=x"), "{kind}: escaped in HTML");
        assert!(text.contains(XSS), "{kind}: verbatim in plain text");
    }
});

both!(script_address_as_message_stays_text, |backend| {
    let app = TestApp::with_shop(backend);
    let customer = app.client();
    let thanks = app
        .complain(1)
        .by(&customer)
        .message("javascript:alert(1)")
        .send();
    assert_eq!(thanks.status, 200);
    let reference = thanks.reference().expect("reference");
    let private = customer.get(&private_path(&thanks));
    assert!(
        private.body.contains("javascript:alert(1)"),
        "shown as text"
    );
    let staff = app.login("staff@shop.example");
    let ticket = staff.get(&format!("/staff/tickets/{}", app.ticket_id(&reference)));
    assert!(ticket.body.contains("javascript:alert(1)"));
    for (what, body) in [
        ("thank-you", &thanks.body),
        ("private", &private.body),
        ("staff", &ticket.body),
    ] {
        assert!(!body.contains("href=\"javascript:"), "{what}: never a link");
    }
});

both!(customer_reply_needs_a_valid_form_token, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let thanks = app
        .complain(1)
        .by(&client)
        .message("Nog geen antwoord.")
        .send();
    let path = private_path(&thanks);
    let form_token = client.get("/f/shop").hidden("token").expect("form token");
    let attempts: [&[(&str, &str)]; 3] = [
        &[("body", "Zonder token")],
        &[
            ("body", "Vals token"),
            ("token", "1700000000.AAAAAAAAAAAAAAAAAAAAAA"),
        ],
        &[
            ("body", "Token van een ander formulier"),
            ("token", &form_token),
        ],
    ];
    for fields in attempts {
        let res = client.post_form(&path, fields);
        assert_eq!(res.status, 403, "{fields:?}");
        assert_error_page(&res, "reply without token");
        assert!(res
            .body
            .contains("Dit formulier is verlopen of kwam van een andere site."));
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM ticket_messages"), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'customer_reply'"),
        0
    );
    assert_eq!(client.get(&path).status, 200, "the page itself still opens");
});

both!(unknown_ticket_pages_are_not_found, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    assert_eq!(app.complain(1).by(&client).send().status, 200);
    let random = tellus::tokens::random_token();
    assert_eq!(random.len(), 43);
    let res = client.get(&format!("/t/{random}"));
    assert_eq!(res.status, 404);
    assert_error_page(&res, "random ticket token");
    let res = client.get(&format!("/t/{}", "A".repeat(5000)));
    assert_eq!(res.status, 404);
    assert_error_page(&res, "5,000-character ticket token");
    let token = client.get("/f/shop").hidden("token").expect("token");
    let res = client.post_form(
        &format!("/t/{random}"),
        &[("token", &token), ("body", "Hallo?")],
    );
    assert_eq!(res.status, 404);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM ticket_messages"), 0);
});

both!(unknown_staff_tickets_are_not_found, |backend| {
    let app = TestApp::with_shop(backend);
    let staff = app.login("staff@shop.example");
    for path in ["/staff/tickets/999999", "/staff/tickets/abc"] {
        let res = staff.get(path);
        assert_eq!(res.status, 404, "{path}");
        assert_error_page(&res, path);
        assert!(res
            .body
            .contains("Deze pagina bestaat niet, of je hebt er geen toegang toe."));
    }
    // A stale tab posting to a ticket that is not there.
    let csrf = staff.get("/staff/inbox").hidden("csrf").expect("csrf");
    let res = staff.post_form(
        "/staff/tickets/999999/reply",
        &[("csrf", &csrf), ("body", "Hallo")],
    );
    assert_eq!(res.status, 404);
    let res = staff.post_form(
        "/staff/tickets/999999/status",
        &[("csrf", &csrf), ("status", "resolved")],
    );
    assert_eq!(res.status, 404);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM ticket_messages"), 0);
});

both!(cross_site_post_is_refused, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let form = client.get("/f/shop");
    let (token, key) = (
        form.hidden("token").expect("token"),
        form.hidden("key").expect("key"),
    );
    app.advance(3);
    let body = format!("token={token}&key={key}&face=1&message=Van+een+andere+site");
    let res = client.post_raw(
        "/f/shop",
        FORM,
        body.as_bytes(),
        &[("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(res.status, 403);
    assert_error_page(&res, "cross-site post");
    assert!(res.body.contains("kwam van een andere site"));
    assert_eq!(app.feedback_rows(), 0);
    // The same post from the form itself goes through.
    let res = client.post_raw(
        "/f/shop",
        FORM,
        body.as_bytes(),
        &[("Sec-Fetch-Site", "same-origin")],
    );
    assert_eq!(res.status, 200);
    assert_eq!(app.feedback_rows(), 1);
});

both!(unknown_location_in_the_users_language, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let english = client.get_with("/f/nope", &[("Accept-Language", "en")]);
    assert_eq!(english.status, 404);
    assert_error_page(&english, "unknown location");
    assert!(english.body.contains("lang=\"en\""));
    assert!(english
        .body
        .contains("This page does not exist, or you have no access to it."));
    let dutch = client.get("/f/nope");
    assert_eq!(dutch.status, 404);
    assert!(dutch
        .body
        .contains("Deze pagina bestaat niet, of je hebt er geen toegang toe."));
    let posted = client.post_form("/f/nope", &[("face", "1")]);
    assert_eq!(posted.status, 404);
    assert_eq!(app.feedback_rows(), 0);
});
