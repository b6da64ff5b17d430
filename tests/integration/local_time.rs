//! Moments as people read them: on the customer's ticket page in the zone of
//! the shop they visited, on staff pages (the ticket, the till) in the
//! business's zone, each in the reader's language, with the exact moment and
//! its offset in `<time datetime>`. The database keeps UTC.

use crate::both;
use crate::support::gift::{add_item, code_on};
use crate::support::{private_path, Client, TestApp};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use tellus::db::schema::{feedback, gifts, locations, tickets};

const OWNER: &str = "owner@shop.example";

/// A UTC moment, a zone, how it reads there in Dutch and English, and its
/// ISO 8601 form with the offset.
struct Moment {
    utc: &'static str,
    zone: &'static str,
    nl: &'static str,
    en: &'static str,
    iso: &'static str,
}

const MOMENTS: [Moment; 5] = [
    // Winter: UTC+1.
    Moment {
        utc: "2027-01-15 19:51:00",
        zone: "Europe/Amsterdam",
        nl: "15 jan. 2027 20:51",
        en: "15 Jan 2027, 20:51",
        iso: "2027-01-15T20:51:00+01:00",
    },
    // Summer: UTC+2, already the next day.
    Moment {
        utc: "2027-07-06 22:05:00",
        zone: "Europe/Amsterdam",
        nl: "7 jul. 2027 00:05",
        en: "7 Jul 2027, 00:05",
        iso: "2027-07-07T00:05:00+02:00",
    },
    Moment {
        utc: "2027-01-15 19:51:00",
        zone: "Europe/Brussels",
        nl: "15 jan. 2027 20:51",
        en: "15 Jan 2027, 20:51",
        iso: "2027-01-15T20:51:00+01:00",
    },
    Moment {
        utc: "2027-07-06 22:05:00",
        zone: "Europe/Brussels",
        nl: "7 jul. 2027 00:05",
        en: "7 Jul 2027, 00:05",
        iso: "2027-07-07T00:05:00+02:00",
    },
    // Another zone reads the same moment differently: it is the setting
    // that counts, not the server's clock.
    Moment {
        utc: "2027-01-15 19:51:00",
        zone: "Europe/London",
        nl: "15 jan. 2027 19:51",
        en: "15 Jan 2027, 19:51",
        iso: "2027-01-15T19:51:00Z",
    },
];

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("moment")
}

/// The owner sets the business's time zone on the workflow page.
fn set_business_zone(owner: &Client, zone: &str) {
    let res = owner.post_with_csrf(
        "/staff/settings/workflow",
        "/staff/settings/workflow",
        &[
            ("auto_close_days", "7"),
            ("reminder_days", "3"),
            ("csat_delay_hours", "4"),
            ("digest_hour", "8"),
            ("time_zone", zone),
        ],
    );
    assert_eq!(res.status, 303, "workflow saved: {}", res.body);
}

/// Whether `body` shows the moment as `text` in a `<time>` with `iso`.
fn shows(body: &str, iso: &str, text: &str) -> bool {
    body.contains(&format!("<time datetime=\"{iso}\">{text}</time>"))
}

both!(
    moments_read_in_local_time_for_customers_staff_and_the_till,
    |backend| {
        let app = TestApp::with_shop(backend);
        let customer = app.client();
        let thanks = app
            .complain(1)
            .by(&customer)
            .message("Het brood was oud.")
            .send();
        let reference = thanks.reference().expect("reference");
        let private = private_path(&thanks);
        let ticket = app.count(&format!(
            "SELECT t.id AS n FROM tickets t JOIN feedback f ON f.id = t.feedback_id \
             WHERE f.reference = '{reference}'"
        ));

        // A gift to look up at the till.
        let owner = app.login(OWNER);
        let item = add_item(&app, &owner, "Cinema", "20", "15");
        let form = owner.get("/staff/gifts/new");
        assert_eq!(form.status, 200, "send form: {}", form.body);
        let location = app.count("SELECT id AS n FROM locations WHERE slug = 'shop'");
        let sent = owner.post_form(
            "/staff/gifts/new",
            &[
                ("csrf", &form.hidden("csrf").expect("csrf")),
                ("key", &form.hidden("key").expect("key")),
                ("catalogue_id", &item.to_string()),
                ("location_id", &location.to_string()),
                ("email", "klant@example.com"),
                ("language", "en"),
                ("message", "Sorry!"),
            ],
        );
        assert_eq!(sent.status, 303, "gift sent: {}", sent.body);
        let mail = app
            .texts("SELECT body_text AS v FROM outbox WHERE body_text LIKE '%/v/%'")
            .pop()
            .expect("gift mail");
        let start = mail.find("/v/").expect("gift link");
        let link: String = mail[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        let code = code_on(&app.client().get(&link));
        let staff = app.login("staff@shop.example");

        for m in &MOMENTS {
            let (moment, zone, reference) = (at(m.utc), m.zone.to_owned(), reference.clone());
            app.write(move |c| {
                diesel::update(feedback::table.filter(feedback::reference.eq(reference)))
                    .set(feedback::created_at.eq(moment))
                    .execute(c)?;
                diesel::update(locations::table)
                    .set(locations::time_zone.eq(&zone))
                    .execute(c)?;
                diesel::update(gifts::table)
                    .set(gifts::expires_at.eq(moment + chrono::Duration::days(3650)))
                    .execute(c)?;
                Ok(())
            });
            set_business_zone(&owner, m.zone);
            for (lang, text) in [("nl", m.nl), ("en", m.en)] {
                let header = [("Accept-Language", lang)];
                let what = format!("{} {} {lang}", m.utc, m.zone);

                // The customer's page, in the location's zone.
                let page = customer.get(&format!("{private}?lang={lang}"));
                assert_eq!(page.status, 200, "{what}");
                assert!(
                    shows(&page.body, m.iso, text),
                    "{what}: customer page shows {text}: {}",
                    page.body
                );
                assert!(!page.body.contains("UTC"), "{what}: no UTC for customers");

                // The staff ticket page, in the business's zone.
                let page = staff.get_with(&format!("/staff/tickets/{ticket}"), &header);
                assert_eq!(page.status, 200, "{what}");
                assert!(
                    shows(&page.body, m.iso, text),
                    "{what}: ticket page shows {text}: {}",
                    page.body
                );
            }
        }

        // The till: the gift's end date in the business's zone, each language.
        for (zone, expiry, nl, en, iso) in [
            (
                "Europe/Amsterdam",
                "2037-01-15 19:51:00",
                "15 jan. 2037 20:51",
                "15 Jan 2037, 20:51",
                "2037-01-15T20:51:00+01:00",
            ),
            (
                "Europe/Brussels",
                "2037-07-06 22:05:00",
                "7 jul. 2037 00:05",
                "7 Jul 2037, 00:05",
                "2037-07-07T00:05:00+02:00",
            ),
        ] {
            let expiry = at(expiry);
            app.write(move |c| {
                diesel::update(gifts::table)
                    .set(gifts::expires_at.eq(expiry))
                    .execute(c)?;
                Ok(())
            });
            set_business_zone(&owner, zone);
            for (lang, text) in [("nl", nl), ("en", en)] {
                let token = staff.csrf("/staff/redeem");
                let page = staff.post_raw(
                    "/staff/redeem",
                    "application/x-www-form-urlencoded",
                    format!("csrf={token}&code={code}&location_id=").as_bytes(),
                    &[("Accept-Language", lang)],
                );
                assert_eq!(page.status, 200, "till {zone} {lang}: {}", page.body);
                assert!(
                    shows(&page.body, iso, text),
                    "till {zone} {lang} shows {text}: {}",
                    page.body
                );
            }
        }

        // The database keeps UTC.
        let stored = app.read(move |c| {
            Ok(tickets::table
                .inner_join(feedback::table)
                .filter(tickets::id.eq(ticket))
                .select(feedback::created_at)
                .first::<NaiveDateTime>(c)?)
        });
        assert_eq!(stored, at(MOMENTS[4].utc));
    }
);
