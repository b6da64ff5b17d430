//! Owner settings over HTTP on both backends: locations (add, edit,
//! deactivate and reactivate, mistakes kept on a 422, a taken slug refused),
//! categories (add, rename, reorder, deactivate, as the public form shows
//! them), the business profile and its logo (checked by content, size-limited,
//! served at `/logo`), and the guards: staff get 404, a POST without the CSRF
//! token gets 403.

use crate::both;
use crate::support::{Client, Response, TestApp};

const OWNER: &str = "owner@shop.example";
const STAFF: &str = "staff@shop.example";

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x62, 0x60, 0x01, 0x00, 0x00,
    0x00, 0xff, 0xff, 0x03, 0x00, 0x00, 0x06, 0x00, 0x05, 0x57, 0xbf, 0xab, 0xd4, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A full location form with `changes` applied.
fn location_fields<'a>(csrf: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("csrf", csrf),
        ("name", "Bakkerij Noord"),
        ("slug", "noord"),
        ("address", "Noordstraat 1, Groningen"),
        ("time_zone", "Europe/Amsterdam"),
        ("default_language", "nl"),
        ("hours_mon", "09:00-17:30"),
        ("hours_tue", "9:00-17:30"),
        ("hours_wed", ""),
        ("hours_thu", ""),
        ("hours_fri", ""),
        ("hours_sat", "10:00-16:00"),
        ("hours_sun", ""),
    ];
    for (k, v) in changes {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(field) => field.1 = v,
            None => fields.push((k, v)),
        }
    }
    fields
}

/// The stored location with `slug`.
fn stored(app: &TestApp, slug: &str) -> tellus::domain::location::Location {
    let slug = slug.to_owned();
    app.read(move |c| tellus::domain::location::find_by_slug(c, &slug))
        .expect("location stored")
}

/// A multipart body with text fields and an optional file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--XYZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((filename, content_type, data)) = file {
        body.extend_from_slice(
            format!(
                "--XYZ\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{filename}\"\r\n\
                 Content-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--XYZ--\r\n");
    body
}

fn post_profile(client: &Client, body: &[u8]) -> Response {
    client.post_raw(
        "/staff/profile",
        "multipart/form-data; boundary=XYZ",
        body,
        &[],
    )
}

/// `GET /logo` as raw bytes: (status, content type, cache control, nosniff, bytes).
fn get_logo(app: &TestApp) -> (u16, String, String, String, Vec<u8>) {
    let res = match ureq::get(&format!("{}/logo", app.base)).call() {
        Ok(res) => res,
        Err(ureq::Error::Status(_, res)) => res,
        Err(e) => panic!("GET /logo: {e}"),
    };
    let status = res.status();
    let header = |name: &str| res.header(name).unwrap_or_default().to_owned();
    let (kind, cache, nosniff) = (
        header("content-type"),
        header("cache-control"),
        header("x-content-type-options"),
    );
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut res.into_reader(), &mut bytes).expect("logo body");
    (status, kind, cache, nosniff, bytes)
}

both!(locations_add_edit_and_deactivate, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let token = owner.csrf("/staff/locations");

    let res = owner.post_form("/staff/locations", &location_fields(&token, &[]));
    assert_eq!(res.status, 303, "added: {}", res.body);
    let noord = stored(&app, "noord");
    assert_eq!(
        res.header("location"),
        Some(format!("/staff/locations/{}/edit", noord.id).as_str())
    );
    assert_eq!(noord.address, "Noordstraat 1, Groningen");
    assert_eq!(
        noord.opening_hours,
        "mon 09:00-17:30\ntue 09:00-17:30\nsat 10:00-16:00"
    );
    assert!(noord.active);
    assert_eq!(app.client().get("/f/noord").status, 200);
    let list = owner.get("/staff/locations");
    assert!(list.body.contains("Bakkerij Noord") && list.body.contains("Bakkerij De Zon"));

    // Edit: new name, slug, language, hours; the edit page shows what is stored.
    let edit = format!("/staff/locations/{}", noord.id);
    let res = owner.post_form(
        &edit,
        &location_fields(
            &token,
            &[
                ("name", "Bakkerij Noorderzon"),
                ("slug", "noorderzon"),
                ("default_language", "en"),
                ("hours_sun", "11:00-15:00"),
            ],
        ),
    );
    assert_eq!(res.status, 303, "edited: {}", res.body);
    let renamed = stored(&app, "noorderzon");
    assert_eq!(renamed.id, noord.id);
    assert_eq!(renamed.name, "Bakkerij Noorderzon");
    assert_eq!(renamed.default_language, "en");
    assert!(renamed.opening_hours.ends_with("sun 11:00-15:00"));
    assert_eq!(app.client().get("/f/noord").status, 404, "old slug gone");
    assert_eq!(app.client().get("/f/noorderzon").status, 200);
    let page = owner.get(&format!("{edit}/edit"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("value=\"11:00-15:00\""));
    assert!(page.body.contains("value=\"Bakkerij Noorderzon\""));

    // All days empty = always open.
    let empty: Vec<(&str, &str)> = ["hours_mon", "hours_tue", "hours_sat", "hours_sun"]
        .iter()
        .map(|d| (*d, ""))
        .collect();
    let mut changes = vec![("slug", "noorderzon")];
    changes.extend(empty);
    let res = owner.post_form(&edit, &location_fields(&token, &changes));
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(stored(&app, "noorderzon").opening_hours, "");

    // Deactivate: the public form is gone; reactivate: back.
    let active = format!("{edit}/active");
    let res = owner.post_form(&active, &[("csrf", &token), ("active", "false")]);
    assert_eq!(res.status, 303);
    assert!(!stored(&app, "noorderzon").active);
    assert_eq!(app.client().get("/f/noorderzon").status, 404);
    let res = owner.post_form(&active, &[("csrf", &token), ("active", "true")]);
    assert_eq!(res.status, 303);
    assert_eq!(app.client().get("/f/noorderzon").status, 200);

    assert_eq!(owner.get("/staff/locations/999999/edit").status, 404);
});

both!(
    location_mistakes_are_kept_and_taken_slugs_refused,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        let token = owner.csrf("/staff/locations");
        let before = app.count("SELECT COUNT(*) AS n FROM locations");

        let res = owner.post_form(
            "/staff/locations",
            &location_fields(
                &token,
                &[
                    ("slug", "Bad Slug!"),
                    ("time_zone", "Mars/Olympus"),
                    ("hours_mon", "17:00-09:00"),
                    ("hours_fri", "9 to 5"),
                ],
            ),
        );
        assert_eq!(res.status, 422, "{}", res.body);
        for id in [
            "slug-error",
            "time_zone-error",
            "hours_mon-error",
            "hours_fri-error",
        ] {
            assert!(res.body.contains(&format!("id=\"{id}\"")), "error for {id}");
        }
        assert!(!res.body.contains("hours_sat-error"));
        for kept in [
            "Bad Slug!",
            "Mars/Olympus",
            "17:00-09:00",
            "9 to 5",
            "Noordstraat 1, Groningen",
            "10:00-16:00",
        ] {
            assert!(
                res.body.contains(&format!("value=\"{kept}\"")),
                "kept {kept}"
            );
        }
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM locations"), before);

        // A taken slug: refused on add and on edit.
        let res = owner.post_form(
            "/staff/locations",
            &location_fields(&token, &[("slug", "shop")]),
        );
        assert_eq!(res.status, 422);
        assert!(res.body.contains("id=\"slug-error\""));
        let res = owner.post_form("/staff/locations", &location_fields(&token, &[]));
        assert_eq!(res.status, 303);
        let noord = stored(&app, "noord");
        let res = owner.post_form(
            &format!("/staff/locations/{}", noord.id),
            &location_fields(&token, &[("slug", "shop"), ("name", "Typed name")]),
        );
        assert_eq!(res.status, 422);
        assert!(res.body.contains("id=\"slug-error\""));
        assert!(res.body.contains("value=\"Typed name\""));
        assert_eq!(stored(&app, "noord").name, "Bakkerij Noord");
        assert_eq!(stored(&app, "shop").name, "Bakkerij De Zon");
    }
);

/// The category labels on the public form, in order.
fn public_categories(app: &TestApp) -> Vec<String> {
    let page = app
        .client()
        .get_with("/f/shop", &[("Accept-Language", "en")]);
    assert_eq!(page.status, 200);
    page.body
        .split("<label for=\"category-")
        .skip(1)
        .filter(|rest| !rest.starts_with("none\""))
        .map(|rest| {
            let start = rest.find('>').expect("label text") + 1;
            let end = rest.find("</label>").expect("label end");
            rest[start..end].to_owned()
        })
        .collect()
}

both!(a_location_offers_the_languages_its_owner_picks, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let shop = stored(&app, "shop");
    assert_eq!(shop.languages, "nl,en", "what a location offered before");
    let token = owner.csrf("/staff/locations");
    let edit = format!("/staff/locations/{}", shop.id);
    // Brussels: French first, and Dutch.
    let res = owner.post_form(
        &edit,
        &location_fields(
            &token,
            &[
                ("name", "Bakkerij De Zon"),
                ("slug", "shop"),
                ("default_language", "fr"),
                ("lang_nl", "on"),
            ],
        ),
    );
    assert_eq!(res.status, 303, "edited: {}", res.body);
    assert_eq!(stored(&app, "shop").languages, "fr,nl");
    let page = owner.get(&format!("{edit}/edit"));
    for (code, checked) in [("fr", true), ("nl", true), ("en", false), ("de", false)] {
        let tag = page
            .body
            .split(&format!("id=\"lang_{code}\""))
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(tag.contains("checked"), checked, "{code}: {tag}");
    }

    // The form follows the browser among the offered languages, else French.
    let visitor = app.client();
    let html_lang = |res: &Response| {
        res.body
            .split("<html lang=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_owned()
    };
    for (accept, expected) in [
        ("de-DE,de;q=0.9", "fr"),
        ("nl-BE,nl;q=0.9,fr;q=0.5", "nl"),
        ("en-GB", "fr"),
        ("fr-BE", "fr"),
    ] {
        let res = visitor.get_with("/f/shop", &[("Accept-Language", accept)]);
        assert_eq!(res.status, 200);
        assert_eq!(html_lang(&res), expected, "Accept-Language: {accept}");
    }
    let french = visitor.get("/f/shop?lang=de");
    assert_eq!(
        html_lang(&french),
        "fr",
        "a language not offered is not shown"
    );
    assert!(french.body.contains("Comment s"), "French: {}", french.body);
    // The switch names the other offered language in itself, and only it.
    assert!(french.body.contains("hreflang=\"nl\""));
    assert!(french.body.contains(">Nederlands<"));
    assert!(!french.body.contains("hreflang=\"en\"") && !french.body.contains("hreflang=\"de\""));
    let dutch = visitor.get("/f/shop?lang=nl");
    assert_eq!(html_lang(&dutch), "nl");
    assert!(dutch.body.contains(">Français<"));

    // A submission keeps its language; one asked in a language the
    // location does not offer is kept in the default.
    let nl = app.complain(1).message("Oud brood").lang("nl").submit();
    let de = app.complain(1).message("Altes Brot").lang("de").submit();
    let language = |reference: &str| {
        let reference = reference.to_owned();
        app.read(move |c| {
            use diesel::prelude::*;
            use tellus::db::schema::feedback;
            Ok(feedback::table
                .filter(feedback::reference.eq(reference))
                .select(feedback::language)
                .first::<String>(c)?)
        })
    };
    assert_eq!(language(&nl.reference), "nl");
    assert_eq!(language(&de.reference), "fr");

    // Unknown languages are refused with the field named.
    let res = owner.post_form(
        &edit,
        &location_fields(
            &token,
            &[
                ("name", "Bakkerij De Zon"),
                ("slug", "shop"),
                ("default_language", "xx"),
            ],
        ),
    );
    assert_eq!(res.status, 422);
    assert_eq!(
        stored(&app, "shop").default_language,
        "fr",
        "nothing changed"
    );
});

both!(
    what_owners_write_is_read_in_each_language_or_the_location_default,
    |backend| {
        let app = TestApp::with_shop(backend);
        let owner = app.login(OWNER);
        let shop = stored(&app, "shop");
        let token = owner.csrf("/staff/locations");
        // Brussels with German visitors: French first, Dutch and German.
        let res = owner.post_form(
            &format!("/staff/locations/{}", shop.id),
            &location_fields(
                &token,
                &[
                    ("name", "Bakkerij De Zon"),
                    ("slug", "shop"),
                    ("default_language", "fr"),
                    ("lang_nl", "on"),
                    ("lang_de", "on"),
                    ("hours_mon", ""),
                    ("hours_tue", ""),
                    ("hours_sat", ""),
                ],
            ),
        );
        assert_eq!(res.status, 303, "{}", res.body);

        // A topic written in French and Dutch only.
        let res = owner.post_form(
            "/staff/categories",
            &[
                ("csrf", &token),
                ("name_nl", "Parkeren"),
                ("name_fr", "Stationnement"),
                ("position", ""),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let page = owner.get_with("/staff/categories", &[("Accept-Language", "en")]);
        let row = page
            .body
            .split("<form")
            .find(|f| f.contains("value=\"Stationnement\""))
            .expect("the new topic's form")
            .to_owned();
        assert!(
            row.contains("Missing in: Deutsch"),
            "the owner sees what is missing: {row}"
        );
        assert!(row.contains("Not written yet"), "{row}");
        assert!(
            row.contains("lang=\"de\""),
            "each field says its language: {row}"
        );
        // English is not offered: folded away, not marked.
        assert!(!row.contains("Missing in: Deutsch, English"));

        // Each reader gets their language, else the location's default.
        let visitor = app.client();
        let topics = |lang: &str| {
            visitor
                .get(&format!("/f/shop?lang={lang}"))
                .body
                .split("<label for=\"category-")
                .skip(1)
                .map(|r| r[r.find('>').unwrap() + 1..r.find("</label>").unwrap()].to_owned())
                .collect::<Vec<_>>()
        };
        let german = topics("de");
        assert!(german.contains(&"Wartezeit".to_owned()), "{german:?}");
        assert!(
            german.contains(&"Stationnement".to_owned()),
            "French, the default, stands in: {german:?}"
        );
        assert!(topics("nl").contains(&"Parkeren".to_owned()));
        let french = topics("fr");
        assert!(
            french.iter().any(|t| t.starts_with("Temps d")),
            "{french:?}"
        );
        let tablet = app.paired_tablet(&owner, "fr");
        let kiosk = tablet.get("/kiosk");
        assert!(
            kiosk.body.contains("data-de=\"Stationnement\""),
            "the kiosk carries the stand-in too: {}",
            kiosk.body
        );

        // A canned answer in Dutch only: staff see, before they pick it for
        // a French customer, that it is not in the customer's language.
        let res = owner.post_form(
            "/staff/canned",
            &[
                ("csrf", &token),
                ("title", "Excuses"),
                ("body_nl", "Beste {name}, het spijt ons."),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let canned = app.count("SELECT id AS n FROM canned_responses WHERE title = 'Excuses'");
        let ticket = app
            .complain(1)
            .message("Pain rassis")
            .contact("Camille", "camille@example.net")
            .lang("fr")
            .submit()
            .ticket_id();
        let page = owner.get_with(
            &format!("/staff/tickets/{ticket}"),
            &[("Accept-Language", "en")],
        );
        assert!(
            page.body
                .contains("Excuses · not in the customer&#x27;s language: Nederlands")
                || page
                    .body
                    .contains("Excuses · not in the customer's language: Nederlands"),
            "{}",
            page.body
        );
        let filled = owner.get(&format!("/staff/tickets/{ticket}?canned={canned}"));
        assert!(filled.body.contains("Beste Camille, het spijt ons."));

        // Nothing written in any language is refused, naming the group.
        let res = owner.post_form(
            "/staff/canned",
            &[("csrf", &token), ("title", "Leeg"), ("body_fr", "  ")],
        );
        assert_eq!(res.status, 422);
        assert!(res.body.contains("body-error"), "{}", res.body);
    }
);

both!(categories_add_rename_reorder_deactivate, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let token = owner.csrf("/staff/locations");
    let before = public_categories(&app);
    assert!(!before.is_empty());

    let res = owner.post_form(
        "/staff/categories",
        &[
            ("csrf", &token),
            ("name_nl", "Wachttijd"),
            ("name_en", "Waiting time"),
            ("position", ""),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    let after = public_categories(&app);
    assert_eq!(
        after.last().map(String::as_str),
        Some("Waiting time"),
        "added last"
    );
    let nl = app
        .client()
        .get_with("/f/shop", &[("Accept-Language", "nl")]);
    assert!(nl.body.contains("Wachttijd"));
    let id = app.count("SELECT id AS n FROM categories WHERE slug = 'waiting-time'");

    // A second one with the same English name gets its own slug.
    let res = owner.post_form(
        "/staff/categories",
        &[
            ("csrf", &token),
            ("name_nl", "Wachten"),
            ("name_en", "Waiting time"),
            ("position", "50"),
        ],
    );
    assert_eq!(res.status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM categories WHERE slug = 'waiting-time-2'"),
        1
    );

    // Rename and move to the front.
    let edit = format!("/staff/categories/{id}");
    // The renamed category's form, active or with the checkbox left out.
    let save_renamed = |active: bool| {
        let mut fields = vec![
            ("csrf", token.as_str()),
            ("name_nl", "Wachten in de rij"),
            ("name_en", "Queueing"),
            ("position", "0"),
        ];
        if active {
            fields.push(("active", "on"));
        }
        owner.post_form(&edit, &fields)
    };
    let res = save_renamed(true);
    assert_eq!(res.status, 303, "{}", res.body);
    let now = public_categories(&app);
    assert_eq!(now.first().map(String::as_str), Some("Queueing"));
    assert_eq!(
        now.iter().filter(|c| *c == "Waiting time").count(),
        before.iter().filter(|c| *c == "Waiting time").count() + 1,
        "the seeded one and the second added one: {now:?}"
    );

    // Deactivate (checkbox left out): gone from the form, still on the owner page.
    let res = save_renamed(false);
    assert_eq!(res.status, 303);
    assert!(!public_categories(&app).iter().any(|c| c == "Queueing"));
    assert!(owner.get("/staff/categories").body.contains("Queueing"));

    // Mistakes: 422, typed values kept, nothing changed.
    let res = owner.post_form(
        "/staff/categories",
        &[
            ("csrf", &token),
            ("name_nl", ""),
            ("name_en", "Parking"),
            ("position", "x"),
        ],
    );
    assert_eq!(res.status, 422);
    assert!(res.body.contains("value=\"Parking\"") && res.body.contains("value=\"x\""));
    assert!(res.body.contains("position-error") && !res.body.contains("name_nl-error"));
    // No name in any language: one error on the group.
    let res = owner.post_form(
        "/staff/categories",
        &[
            ("csrf", &token),
            ("name_nl", " "),
            ("name_en", ""),
            ("name_fr", ""),
            ("name_de", ""),
        ],
    );
    assert_eq!(res.status, 422);
    assert!(res.body.contains("name-error"), "{}", res.body);
    let res = owner.post_form(
        &edit,
        &[
            ("csrf", &token),
            ("name_nl", "Wachten"),
            ("name_en", &"x".repeat(61)),
            ("position", "0"),
        ],
    );
    assert_eq!(res.status, 422);
    assert!(res.body.contains("name_en-error"));
    assert!(owner.get("/staff/categories").body.contains("Queueing"));
    assert_eq!(
        owner
            .post_form(
                "/staff/categories/999999",
                &[("csrf", &token), ("name_nl", "a"), ("name_en", "b")]
            )
            .status,
        404
    );
});

both!(profile_and_logo, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login(OWNER);
    let token = owner.csrf("/staff/locations");
    assert_eq!(get_logo(&app).0, 404, "no logo yet");

    let body = multipart(
        &[
            ("csrf", &token),
            ("name", "Bakkerij De Zon BV"),
            ("accent_colour", "#AA3300"),
        ],
        None,
    );
    let res = post_profile(&owner, &body);
    assert_eq!(res.status, 303, "{}", res.body);
    let page = owner.get("/staff/profile");
    assert!(page.body.contains("value=\"Bakkerij De Zon BV\""));
    assert!(page.body.contains("value=\"#aa3300\""));

    // A PNG (named anything, declared as anything): stored and served as image/png.
    let body = multipart(
        &[
            ("csrf", &token),
            ("name", "Bakkerij De Zon BV"),
            ("accent_colour", "#aa3300"),
        ],
        Some(("logo.bin", "application/octet-stream", PNG)),
    );
    let res = post_profile(&owner, &body);
    assert_eq!(res.status, 303, "{}", res.body);
    let (status, kind, cache, nosniff, bytes) = get_logo(&app);
    assert_eq!(status, 200);
    assert_eq!(kind, "image/png");
    assert_eq!(cache, "public, max-age=300");
    assert_eq!(nosniff, "nosniff");
    assert_eq!(bytes, PNG);
    assert!(owner.get("/staff/profile").body.contains("src=\"/logo\""));

    // HTML named x.png and declared image/png: refused, the PNG stays.
    let body = multipart(
        &[
            ("csrf", &token),
            ("name", "Changed"),
            ("accent_colour", "#aa3300"),
        ],
        Some((
            "x.png",
            "image/png",
            b"<html><script>alert(1)</script></html>",
        )),
    );
    let res = post_profile(&owner, &body);
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("logo-error"));
    assert!(res.body.contains("value=\"Changed\""), "typed name kept");
    assert_eq!(get_logo(&app).4, PNG);
    assert!(owner
        .get("/staff/profile")
        .body
        .contains("value=\"Bakkerij De Zon BV\""));

    // 600 KiB (a real PNG header): too large, nothing stored.
    let mut big = PNG.to_vec();
    big.resize(600 * 1024, 0);
    let body = multipart(
        &[
            ("csrf", &token),
            ("name", "Big"),
            ("accent_colour", "#aa3300"),
        ],
        Some(("big.png", "image/png", &big)),
    );
    let res = post_profile(&owner, &body);
    assert!(res.status == 422 || res.status == 413, "{}", res.status);
    assert!(res.body.contains("512 KiB"), "clear message");
    assert_eq!(get_logo(&app).4, PNG);

    // A bad colour: 422.
    let body = multipart(
        &[("csrf", &token), ("name", "X"), ("accent_colour", "red; x")],
        None,
    );
    let res = post_profile(&owner, &body);
    assert_eq!(res.status, 422);
    assert!(res.body.contains("accent_colour-error"));

    // Remove the logo.
    let body = multipart(
        &[
            ("csrf", &token),
            ("name", "Bakkerij De Zon BV"),
            ("accent_colour", "#aa3300"),
            ("remove_logo", "on"),
        ],
        None,
    );
    assert_eq!(post_profile(&owner, &body).status, 303);
    assert_eq!(get_logo(&app).0, 404);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM business_profile WHERE logo_base64 IS NULL"),
        1
    );
});

both!(owner_pages_are_guarded, |backend| {
    let app = TestApp::with_shop(backend);
    let staff = app.login(STAFF);
    let staff_csrf = staff.get("/staff/inbox").hidden("csrf").expect("csrf");
    let id = stored(&app, "shop").id;
    for path in [
        "/staff/locations",
        &format!("/staff/locations/{id}/edit"),
        "/staff/categories",
        "/staff/profile",
    ] {
        assert_eq!(staff.get(path).status, 404, "GET {path} as staff");
    }
    let posts = [
        "/staff/locations".to_owned(),
        format!("/staff/locations/{id}"),
        format!("/staff/locations/{id}/active"),
        "/staff/categories".to_owned(),
        "/staff/categories/1".to_owned(),
    ];
    for path in &posts {
        let res = staff.post_form(path, &[("csrf", &staff_csrf), ("active", "false")]);
        assert_eq!(res.status, 404, "POST {path} as staff");
    }
    let body = multipart(
        &[
            ("csrf", &staff_csrf),
            ("name", "Hijack"),
            ("accent_colour", "#000000"),
        ],
        None,
    );
    assert_eq!(post_profile(&staff, &body).status, 404);
    assert!(stored(&app, "shop").active);

    // An owner without the CSRF token: 403, nothing changed.
    let owner = app.login(OWNER);
    for path in &posts {
        let res = owner.post_form(
            path,
            &[("active", "false"), ("name_nl", "a"), ("name_en", "b")],
        );
        assert_eq!(res.status, 403, "POST {path} without csrf");
        let res = owner.post_form(path, &[("csrf", "wrong"), ("active", "false")]);
        assert_eq!(res.status, 403, "POST {path} with a wrong csrf");
    }
    let body = multipart(&[("name", "Hijack"), ("accent_colour", "#000000")], None);
    assert_eq!(post_profile(&owner, &body).status, 403);
    assert!(stored(&app, "shop").active);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM business_profile WHERE name = 'Hijack' OR accent_colour = '#000000'"),
        0,
        "nothing of the forged profile is stored"
    );
    // Anonymous visitors are sent to the login page.
    assert_eq!(app.client().get("/staff/locations").status, 303);
});

both!(
    accent_colour_reaches_every_page_through_a_stylesheet,
    |backend| {
        let app = TestApp::with_shop(backend);
        let css = app.client().get("/brand.css");
        assert_eq!(css.status, 200);
        assert!(css
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/css"));
        assert!(
            css.body.contains("--accent: #1f5f8b;"),
            "the default colour"
        );
        let now = app.clock.now();
        app.write(move |c| {
        use diesel::RunQueryDsl;
        diesel::sql_query(
            "UPDATE business_profile SET name = 'De Zon', accent_colour = '#ffd400', updated_at = $1 WHERE id = 1",
        )
        .bind::<diesel::sql_types::Timestamp, _>(now)
        .execute(c)?;
        Ok(())
    });
        app.state.cache.clear();
        let css = app.client().get("/brand.css");
        assert!(css.body.contains("--accent: #ffd400;"));
        assert!(
            css.body.contains("--accent-ink: #1d2a33;"),
            "dark text on a light accent"
        );
        let form = app.client().get("/f/shop");
        assert!(form.body.contains("href=\"/brand.css\""));
        assert!(!form.body.contains("style="), "no inline style anywhere");
    }
);
