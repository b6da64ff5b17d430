//! Gifts written straight to the database, as the gifts pages would store
//! them, for tests that need gifts in a given state (sent, redeemed, void)
//! without walking through the pages first.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use tellus::db::schema::{gift_catalogue, gifts, users};

use super::{html_unescape, Client, Response, TestApp};

/// One gift with its own catalogue entry (flowers), made by the shop's owner.
pub struct StoredGift {
    /// Whose budget it counts against.
    pub location_id: i64,
    /// The complaint it thanks for.
    pub ticket_id: Option<i64>,
    /// What was promised, in the gift's language.
    pub title: &'static str,
    pub description: &'static str,
    pub redeem_how: &'static str,
    pub language: &'static str,
    /// What it is worth to the customer and what it costs the shop.
    pub value_cents: i64,
    pub cost_cents: i64,
    /// Who it went to, and the note with it.
    pub recipient_email: Option<String>,
    pub recipient_name: Option<&'static str>,
    pub message: String,
    /// `sent`, `redeemed`, `void`, `awaiting_approval`, ...
    pub status: &'static str,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub redeemed_at: Option<NaiveDateTime>,
}

impl TestApp {
    /// Stores `gift` and a catalogue entry for it.
    pub fn store_gift(&self, gift: StoredGift) {
        self.write(move |c| {
            let catalogue: i64 = diesel::insert_into(gift_catalogue::table)
                .values((
                    gift_catalogue::kind.eq("flowers"),
                    gift_catalogue::title_nl.eq("Bloemen"),
                    gift_catalogue::title_en.eq("Flowers"),
                    gift_catalogue::value_cents.eq(Some(gift.value_cents)),
                    gift_catalogue::cost_cents.eq(gift.cost_cents),
                    gift_catalogue::validity_days.eq(30),
                    gift_catalogue::created_at.eq(gift.created_at),
                    gift_catalogue::updated_at.eq(gift.created_at),
                ))
                .returning(gift_catalogue::id)
                .get_result(c)?;
            let owner: i64 = users::table
                .filter(users::email.eq("owner@shop.example"))
                .select(users::id)
                .first(c)?;
            diesel::insert_into(gifts::table)
                .values((
                    (
                        gifts::catalogue_id.eq(catalogue),
                        gifts::ticket_id.eq(gift.ticket_id),
                        gifts::location_id.eq(gift.location_id),
                        gifts::kind.eq("flowers"),
                        gifts::title.eq(gift.title),
                        gifts::description.eq(gift.description),
                        gifts::redeem_how.eq(gift.redeem_how),
                        gifts::value_cents.eq(Some(gift.value_cents)),
                        gifts::currency.eq("EUR"),
                        gifts::cost_cents.eq(gift.cost_cents),
                        gifts::validity_days.eq(30),
                        gifts::language.eq(gift.language),
                    ),
                    (
                        gifts::recipient_email.eq(gift.recipient_email),
                        gifts::recipient_name.eq(gift.recipient_name),
                        gifts::message.eq(gift.message),
                        gifts::status.eq(gift.status),
                        gifts::created_by.eq(owner),
                        gifts::created_at.eq(gift.created_at),
                        gifts::sent_at.eq(gift.sent_at),
                        gifts::expires_at.eq(gift.expires_at),
                        gifts::redeemed_at.eq(gift.redeemed_at),
                    ),
                ))
                .execute(c)?;
            Ok(())
        });
    }
}

/// The location a gift form offers first (the first `value` after the
/// `location_id` field), or "" when it asks for none.
pub fn offered_location(form: &str) -> String {
    form.find("name=\"location_id\"")
        .and_then(|at| {
            let rest = &form[at..];
            let start = rest.find("value=\"")? + 7;
            let end = rest[start..].find('"')? + start;
            Some(rest[start..end].to_owned())
        })
        .unwrap_or_default()
}

/// The owner adds a catalogue entry; returns its id.
pub fn add_item(app: &TestApp, owner: &Client, title: &str, value: &str, cost: &str) -> i64 {
    let token = owner.csrf("/staff/gifts/catalogue");
    let res = owner.post_form(
        "/staff/gifts/catalogue",
        &[
            ("csrf", &token),
            ("kind", "cinema"),
            ("title_nl", &format!("{title} NL")),
            ("title_en", title),
            ("description_en", "Two tickets for any film"),
            ("redeem_en", "Show the code at the counter."),
            ("redeem_nl", "Laat de code zien aan de balie."),
            ("value", value),
            ("percent", ""),
            ("currency", "EUR"),
            ("cost", cost),
            ("validity_days", "30"),
        ],
    );
    assert_eq!(res.status, 303, "catalogue entry added: {}", res.body);
    let title = title.to_owned();
    app.read(move |c| {
        Ok(gift_catalogue::table
            .filter(gift_catalogue::title_en.eq(title))
            .select(gift_catalogue::id)
            .first::<i64>(c)?)
    })
}

/// The code shown on a customer's gift page.
pub fn code_on(page: &Response) -> String {
    let marker = "class=\"gift-code\">";
    let start = page.body.find(marker).expect("code on the page") + marker.len();
    let end = page.body[start..].find('<').expect("end of the code") + start;
    html_unescape(&page.body[start..end])
}
