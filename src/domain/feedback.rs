//! Feedback: what a customer sends from the public form or a kiosk. Every
//! submission is stored and counted; one that needs follow-up (an unhappy face,
//! or any message) also becomes a ticket, with mails to the customer (only with
//! their address and consent) and to staff, all in one transaction.
//! Suspected spam is kept in quarantine: stored, never mailed, until released.
//! Each answer that is not held back counts towards its location's burst
//! rule ([`super::alert`]).

use super::category::Category;
use super::events::{self, Event};
use super::location::Location;
use super::{optional_text, ticket, FieldError};
use crate::db::schema::feedback;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mail::MailContext;
use crate::tokens::new_reference;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Longest message we keep, in characters.
pub const MAX_MESSAGE: usize = 5000;
/// Longest name, in characters.
pub const MAX_NAME: usize = 100;
/// Longest email address, in characters (RFC 5321).
pub const MAX_EMAIL: usize = 254;
/// Longest spot label or idempotency key.
const MAX_TAG: usize = 64;

/// How a customer got to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// A QR poster.
    Qr,
    /// A plain link.
    Web,
    /// A shop tablet.
    Kiosk,
    /// Another system, through the API (a till, an app).
    Api,
}

impl Channel {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Qr => "qr",
            Channel::Web => "web",
            Channel::Kiosk => "kiosk",
            Channel::Api => "api",
        }
    }
}

/// The form as the customer filled it in, untrusted.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// "1"–"4".
    pub face: String,
    /// A category slug, or empty.
    pub category: String,
    /// Free text.
    pub message: String,
    /// Optional name.
    pub name: String,
    /// Optional address.
    pub email: String,
    /// The "email me about this complaint" box.
    pub consent: bool,
}

/// A submission that passed validation.
#[derive(Debug, Clone)]
pub struct Valid {
    /// 1 (very unhappy) – 4 (very happy).
    pub face: i16,
    /// Chosen category.
    pub category_id: Option<i64>,
    /// Trimmed message.
    pub message: Option<String>,
    /// Trimmed name.
    pub name: Option<String>,
    /// Address, only when the customer asked to be emailed.
    pub email: Option<String>,
}

impl Valid {
    /// Whether staff should follow this up: an unhappy face or any message.
    pub fn needs_follow_up(&self) -> bool {
        self.face <= 2 || self.message.is_some()
    }
}

/// Checks a draft against the rules, reporting every problem at once.
pub fn validate(draft: &Draft, categories: &[Category]) -> Result<Valid, Vec<FieldError>> {
    let mut errors = Vec::new();
    let face = match draft.face.trim().parse::<i16>() {
        Ok(f @ 1..=4) => f,
        _ => {
            errors.push(FieldError::new("face", "error-face-required"));
            0
        }
    };
    let category_id = match draft.category.trim() {
        "" => None,
        slug => match categories.iter().find(|c| c.slug == slug) {
            Some(c) => Some(c.id),
            None => {
                errors.push(FieldError::new("category", "error-category-invalid"));
                None
            }
        },
    };
    let message = optional_text(&draft.message);
    if let Some(len) = message
        .as_ref()
        .map(|m| m.chars().count())
        .filter(|&n| n > MAX_MESSAGE)
    {
        errors.push(
            FieldError::new("message", "error-message-too-long")
                .arg("max", MAX_MESSAGE)
                .arg("len", len),
        );
    }
    let name = optional_text(&draft.name);
    if name.as_ref().is_some_and(|n| n.chars().count() > MAX_NAME) {
        errors.push(FieldError::new("name", "error-name-too-long").arg("max", MAX_NAME));
    }
    let email = optional_text(&draft.email);
    match &email {
        Some(e) if e.chars().count() > MAX_EMAIL => {
            errors.push(FieldError::new("email", "error-email-too-long").arg("max", MAX_EMAIL))
        }
        Some(e) if !super::valid_email(e) => {
            errors.push(FieldError::new("email", "error-email-invalid"))
        }
        Some(_) if !draft.consent => {
            errors.push(FieldError::new("consent", "error-consent-missing"))
        }
        None if draft.consent => errors.push(FieldError::new("email", "error-consent-needs-email")),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Valid {
        face,
        category_id,
        message,
        name,
        email: email.filter(|_| draft.consent),
    })
}

/// Checks a kiosk submission, keeping whatever can be kept. The customer has
/// usually left the tablet by the time the server answers (it may be sending a
/// queue after a Wi-Fi outage), so a problem they can no longer fix must not
/// cost the complaint: an unknown category (switched off meanwhile) or an
/// unusable address is dropped, and an over-long message is cut at the limit.
/// Only a missing face still refuses.
pub fn validate_kiosk(draft: &Draft, categories: &[Category]) -> Result<Valid, Vec<FieldError>> {
    let errors = match validate(draft, categories) {
        Ok(valid) => return Ok(valid),
        Err(errors) => errors,
    };
    let mut kept = draft.clone();
    for error in &errors {
        match error.field {
            "category" => kept.category.clear(),
            "email" | "consent" => {
                kept.email.clear();
                kept.consent = false;
            }
            "name" => kept.name.clear(),
            "message" => kept.message = kept.message.trim().chars().take(MAX_MESSAGE).collect(),
            _ => {}
        }
    }
    validate(&kept, categories)
}

/// Cleans an optional short tag (a spot such as `table-4`, an idempotency key):
/// letters, digits, `-` and `_`, at most 64; anything else is dropped.
pub fn clean_tag(raw: &str) -> Option<String> {
    let tag = raw.trim();
    let ok = !tag.is_empty()
        && tag.len() <= MAX_TAG
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| tag.to_owned())
}

/// Where and how a submission arrived.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Customer's language.
    pub lang: Lang,
    /// QR, web or kiosk.
    pub channel: Channel,
    /// Spot within the location, e.g. `table-4`.
    pub spot: Option<String>,
    /// Made by the form or tablet; the same key twice stores one submission.
    pub idempotency_key: Option<String>,
    /// Why it is held back as possible spam, if it is.
    pub quarantine: Option<&'static str>,
    /// The kiosk it came from, for kiosk submissions.
    pub device_id: Option<i64>,
    /// The consent wording shown with the email box ([`super::consent`]);
    /// stored only when the customer gave consent.
    pub consent_wording_id: Option<i64>,
}

/// What the customer is told after submitting.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// The reference to quote.
    pub reference: String,
    /// Token for `/t/{token}`, when a ticket was made just now.
    pub ticket_token: Option<String>,
    /// Whether an acknowledgement mail is on its way.
    pub emailed: bool,
    /// Whether this was a repeat of a submission already stored.
    pub duplicate: bool,
}

/// Stores a submission (and its ticket and mails) in the caller's transaction.
/// A repeated idempotency key returns the first submission's receipt.
pub fn submit(
    conn: &mut DbConnection,
    location: &Location,
    valid: &Valid,
    origin: &Origin,
    prepared: Prepared,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Receipt> {
    if let Some(existing) = find_repeat(conn, location.id, origin, mail)? {
        return Ok(existing);
    }
    // A clash (a twin with the same key committed by another writer, or a
    // reference drawn twice) fails with `ErrorKind::Conflict`; the writer's
    // savepoint undoes this job and the caller tries again with a fresh `prepare`.
    store(conn, location, valid, origin, prepared, mail, now)
}

/// A submission's reference, and its ticket's secrets and rendered mails when
/// it needs one: made before the transaction, so the database writer only
/// writes.
pub struct Prepared {
    reference: String,
    ticket: Option<ticket::Prepared>,
}

/// Prepares a submission for `submit`.
pub fn prepare(
    location: &Location,
    valid: &Valid,
    origin: &Origin,
    mail: &MailContext,
) -> Prepared {
    let reference = new_reference();
    let ticket = (origin.quarantine.is_none() && valid.needs_follow_up()).then(|| {
        ticket::prepare(
            location,
            valid,
            origin.lang,
            &reference,
            origin.spot.as_deref(),
            mail,
        )
    });
    Prepared { reference, ticket }
}

/// The first submission with this form's idempotency key, if any, with the
/// same receipt the customer got the first time (link and all).
fn find_repeat(
    conn: &mut DbConnection,
    location_id: i64,
    origin: &Origin,
    mail: &MailContext,
) -> AppResult<Option<Receipt>> {
    use crate::db::schema::tickets;
    let Some(key) = &origin.idempotency_key else {
        return Ok(None);
    };
    let found = feedback::table
        .left_join(tickets::table)
        .filter(feedback::location_id.eq(location_id))
        .filter(feedback::idempotency_key.eq(key))
        .select((
            feedback::reference,
            feedback::customer_email,
            tickets::access_nonce.nullable(),
        ))
        .first::<(String, Option<String>, Option<String>)>(conn)
        .optional()?;
    Ok(found.map(|(reference, email, nonce)| Receipt {
        reference,
        emailed: email.is_some() && nonce.is_some(),
        ticket_token: nonce.map(|n| ticket::page_token(mail, &n)),
        duplicate: true,
    }))
}

fn store(
    conn: &mut DbConnection,
    location: &Location,
    valid: &Valid,
    origin: &Origin,
    prepared: Prepared,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Receipt> {
    let reference = prepared.reference.as_str();
    let feedback_id: i64 = diesel::insert_into(feedback::table)
        .values((
            feedback::reference.eq(reference),
            feedback::location_id.eq(location.id),
            feedback::face.eq(valid.face),
            feedback::category_id.eq(valid.category_id),
            feedback::message.eq(&valid.message),
            feedback::customer_name.eq(&valid.name),
            feedback::customer_email.eq(&valid.email),
            feedback::contact_consent.eq(valid.email.is_some()),
            feedback::language.eq(origin.lang.code()),
            feedback::channel.eq(origin.channel.as_str()),
            feedback::spot.eq(&origin.spot),
            feedback::idempotency_key.eq(&origin.idempotency_key),
            feedback::quarantine_reason.eq(origin.quarantine),
            feedback::created_at.eq(now),
            feedback::consent_wording_id
                .eq(origin.consent_wording_id.filter(|_| valid.email.is_some())),
        ))
        .returning(feedback::id)
        .get_result(conn)?;
    if let Some(device_id) = origin.device_id {
        super::kiosk::record_submission(conn, feedback_id, device_id)?;
        super::kiosk::seen(conn, device_id, now)?;
    }
    if origin.quarantine.is_none() {
        events::emit(conn, Event::FeedbackCreated { feedback_id }, now)?;
        super::alert::record(conn, location, valid.face, now, mail, now)?;
    }
    let Some(prepared_ticket) = prepared.ticket else {
        return Ok(Receipt {
            reference: reference.to_owned(),
            ticket_token: None,
            emailed: false,
            duplicate: false,
        });
    };
    let opened = ticket::open(conn, feedback_id, location.id, prepared_ticket, now, mail)?;
    Ok(Receipt {
        reference: reference.to_owned(),
        ticket_token: Some(opened.token),
        emailed: opened.emailed,
        duplicate: false,
    })
}

/// A quarantined submission, for staff review.
#[derive(Debug, Clone, Queryable)]
pub struct Quarantined {
    /// Row id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Location name.
    pub location: String,
    /// Face.
    pub face: i16,
    /// Message.
    pub message: Option<String>,
    /// Why it was held.
    pub reason: String,
    /// When it arrived.
    pub created_at: NaiveDateTime,
}

/// Submissions in quarantine, newest first, one page after `before`.
pub fn quarantined(
    conn: &mut DbConnection,
    before: Option<ticket::Cursor>,
    limit: i64,
) -> AppResult<Vec<Quarantined>> {
    use crate::db::schema::locations;
    let mut query = feedback::table
        .inner_join(locations::table)
        .filter(feedback::quarantine_reason.is_not_null())
        .order((feedback::created_at.desc(), feedback::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = before {
        query = query.filter(
            feedback::created_at
                .lt(at)
                .or(feedback::created_at.eq(at).and(feedback::id.lt(id))),
        );
    }
    Ok(query
        .select((
            feedback::id,
            feedback::reference,
            locations::name,
            feedback::face,
            feedback::message,
            feedback::quarantine_reason.assume_not_null(),
            feedback::created_at,
        ))
        .load(conn)?)
}

/// Lets a quarantined submission through: it becomes a ticket (if it needs one)
/// and its mails go out as if it had just arrived. Returns the ticket id.
pub fn release(
    conn: &mut DbConnection,
    feedback_id: i64,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Option<i64>> {
    use crate::db::schema::locations;
    let (row, location): (StoredFeedback, Location) = feedback::table
        .inner_join(locations::table)
        .filter(feedback::id.eq(feedback_id))
        .filter(feedback::quarantine_reason.is_not_null())
        .select((StoredFeedback::as_select(), Location::as_select()))
        .first(conn)?;
    diesel::update(feedback::table.find(feedback_id))
        .set(feedback::quarantine_reason.eq(None::<String>))
        .execute(conn)?;
    // Now it counts on the dashboard, on the day it arrived.
    super::dashboard::forget(conn, row.created_at)?;
    events::emit(conn, Event::FeedbackCreated { feedback_id }, now)?;
    super::alert::record(conn, &location, row.face, row.created_at, mail, now)?;
    let valid = Valid {
        face: row.face,
        category_id: row.category_id,
        message: row.message,
        name: row.customer_name,
        email: row.customer_email,
    };
    if !valid.needs_follow_up() {
        return Ok(None);
    }
    let lang = Lang::from_code(&row.language).unwrap_or(Lang::Nl);
    let prepared = ticket::prepare(
        &location,
        &valid,
        lang,
        &row.reference,
        row.spot.as_deref(),
        mail,
    );
    let opened = ticket::open(conn, feedback_id, location.id, prepared, now, mail)?;
    Ok(Some(opened.ticket_id))
}

/// The stored fields of a submission.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = feedback)]
pub struct StoredFeedback {
    /// Row id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Face.
    pub face: i16,
    /// Category.
    pub category_id: Option<i64>,
    /// Message.
    pub message: Option<String>,
    /// Name.
    pub customer_name: Option<String>,
    /// Address (only with consent).
    pub customer_email: Option<String>,
    /// Language code.
    pub language: String,
    /// Spot.
    pub spot: Option<String>,
    /// Channel.
    pub channel: String,
    /// When it arrived.
    pub created_at: NaiveDateTime,
}
