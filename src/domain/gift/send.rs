//! Sending a gift: checking the form, the budget and whether it waits for an
//! owner; giving it its code and mailing it; telling owners what waits and
//! askers what was decided; approving, declining and voiding.

use super::budget::{budget_of, lock_location};
use super::code::{code_for, code_hash, new_page_token};
use super::{
    check_text, find, in_status, note, on_timeline, CatalogueItem, Gift, Status, MAX_NAME,
    MAX_REASON, MAX_TEXT,
};
use crate::db::schema::{gift_api_keys, gift_catalogue, gift_requests, gifts, locations, users};
use crate::db::DbConnection;
use crate::domain::audit::{self, Actor};
use crate::domain::events::{self, Event};
use crate::domain::money::format_money;
use crate::domain::{local_time, valid_email, workflow, FieldError};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::gift_mail::{GiftDecided, GiftForCustomer, GiftWaiting};
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::templates::Rendered;
use crate::mail::MailContext;
use crate::tokens::hash_token;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Who is sending: a staff member or an API key (which sends as staff do:
/// above the approval amount or the budget, its gift waits for an owner).
#[derive(Debug, Clone, Copy)]
pub struct Sender {
    /// Who, for the gift, its timeline and the audit log.
    pub actor: Actor,
    /// Whether they are an owner (their gifts never wait).
    pub is_owner: bool,
}

/// What the send form carries.
#[derive(Debug, Clone)]
pub struct SendInput {
    /// Catalogue entry (a number as typed).
    pub catalogue_id: String,
    /// The location whose budget pays (a number as typed).
    pub location_id: String,
    /// The ticket it thanks for, if any (already checked to exist).
    pub ticket_id: Option<i64>,
    /// Where to mail it.
    pub email: String,
    /// The customer's name, optional.
    pub name: String,
    /// A personal message, optional.
    pub message: String,
    /// The customer's language.
    pub language: Lang,
    /// The form's signed request key (already checked).
    pub request_key: String,
    /// An owner's explicit choice to pass the budget.
    pub send_anyway: bool,
}

/// What a send did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Mailed to the customer.
    Sent(i64),
    /// Waiting for an owner's approval.
    Awaiting(i64),
    /// This form was already sent: nothing new was made.
    Repeated(i64),
}

/// Sends a gift, or queues it for an owner's approval (see the module doc).
pub fn send(
    conn: &mut DbConnection,
    input: &SendInput,
    sender: &Sender,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<Sent, Vec<FieldError>>> {
    let mut errors = Vec::new();
    let location_id = input.location_id.trim().parse::<i64>().ok();
    if let Some(location_id) = location_id {
        lock_location(conn, location_id)?;
    }
    let key_hash = hash_token(&input.request_key);
    let repeated: Option<i64> = gift_requests::table
        .find(&key_hash)
        .select(gift_requests::gift_id)
        .first(conn)
        .optional()?;
    if let Some(gift_id) = repeated {
        return Ok(Ok(Sent::Repeated(gift_id)));
    }
    let item = match input.catalogue_id.trim().parse::<i64>() {
        Ok(id) => gift_catalogue::table
            .find(id)
            .filter(gift_catalogue::active.eq(true))
            .select(CatalogueItem::as_select())
            .first(conn)
            .optional()?,
        Err(_) => None,
    };
    if item.is_none() {
        errors.push(FieldError::new("catalogue_id", "gift-error-catalogue"));
    }
    let budget = match location_id {
        Some(id) => budget_of(conn, id, now)?,
        None => None,
    };
    if budget.is_none() {
        errors.push(FieldError::new("location_id", "gift-error-location"));
    }
    let email = input.email.trim().to_owned();
    if !valid_email(&email) {
        errors.push(FieldError::new("email", "gift-error-email"));
    }
    let name = check_text(&mut errors, "name", &input.name, MAX_NAME, false);
    let message = check_text(&mut errors, "message", &input.message, MAX_TEXT, false);
    let (Some(item), Some(budget), true) = (item, budget, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let over_budget = budget.would_exceed(item.cost_cents);
    let waits = if sender.is_owner {
        if over_budget && !input.send_anyway {
            return Ok(Err(vec![FieldError::new(
                "send_anyway",
                "gift-error-over-budget",
            )]));
        }
        false
    } else {
        budget.needs_approval(item.cost_cents)
    };
    let lang = input.language;
    let place_default: String = locations::table
        .find(budget.location_id)
        .select(locations::default_language)
        .first(conn)?;
    let fallback = Lang::from_code(&place_default).unwrap_or(lang);
    let (title, description, redeem_how) = item.texts_for(lang, fallback);
    let status = if waits {
        Status::AwaitingApproval
    } else {
        Status::Sent
    };
    let gift_id: i64 = diesel::insert_into(gifts::table)
        .values((
            gifts::catalogue_id.eq(item.id),
            gifts::ticket_id.eq(input.ticket_id),
            gifts::location_id.eq(budget.location_id),
            gifts::kind.eq(&item.kind),
            gifts::title.eq(title),
            gifts::description.eq(description),
            gifts::redeem_how.eq(redeem_how),
            gifts::value_cents.eq(item.value_cents),
            gifts::currency.eq(&item.currency),
            gifts::percent.eq(item.percent),
            gifts::cost_cents.eq(item.cost_cents),
            gifts::validity_days.eq(item.validity_days),
            gifts::language.eq(lang.code()),
            gifts::recipient_email.eq(&email),
            gifts::recipient_name.eq((!name.is_empty()).then_some(&name)),
            gifts::message.eq(&message),
            gifts::status.eq(status.as_str()),
            gifts::created_by.eq(sender.actor.user_id()),
            gifts::created_at.eq(now),
        ))
        .returning(gifts::id)
        .get_result(conn)?;
    diesel::insert_into(gift_requests::table)
        .values((
            gift_requests::key_hash.eq(&key_hash),
            gift_requests::gift_id.eq(gift_id),
            gift_requests::created_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(key_id) = sender.actor.api_key_id() {
        diesel::insert_into(gift_api_keys::table)
            .values((
                gift_api_keys::gift_id.eq(gift_id),
                gift_api_keys::created_by.eq(key_id),
            ))
            .execute(conn)?;
    }
    let gift = find(conn, gift_id)?.ok_or_else(|| AppError::internal("gift just made is gone"))?;
    if waits {
        note(
            conn,
            &gift,
            sender.actor,
            "gift_awaiting",
            "gift.request",
            now,
        )?;
        events::emit(conn, Event::GiftAwaitingApproval { gift_id }, now)?;
        tell_owners(conn, &gift, &budget.name, sender.actor, mail, now)?;
        Ok(Ok(Sent::Awaiting(gift_id)))
    } else {
        let detail = if over_budget {
            format!("{gift_id} over budget")
        } else {
            gift_id.to_string()
        };
        audit::record(
            conn,
            sender.actor,
            "gift.send",
            gift.ticket_id,
            &detail,
            now,
        )?;
        deliver(conn, &gift, Some(sender.actor), "gift_sent", mail, now)?;
        Ok(Ok(Sent::Sent(gift_id)))
    }
}

/// Gives a gift its token and code, marks it sent, mails the customer and
/// notes it on the ticket's timeline.
fn deliver(
    conn: &mut DbConnection,
    gift: &Gift,
    actor: Option<Actor>,
    event: &str,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<()> {
    // A code or token clash is astronomically rare; draw again when it happens.
    let (token, code_hash_value) = loop {
        let token = new_page_token();
        let hash = code_hash(&mail.signer, &code_for(&mail.signer, &token));
        let token_hash = hash_token(&token);
        let taken: i64 = gifts::table
            .filter(
                gifts::code_hash
                    .eq(&hash)
                    .or(gifts::access_token_hash.eq(&token_hash)),
            )
            .count()
            .get_result(conn)?;
        if taken == 0 {
            break (token, hash);
        }
    };
    let expires_at = now + Duration::days(i64::from(gift.validity_days));
    diesel::update(gifts::table.find(gift.id))
        .set((
            gifts::status.eq(Status::Sent.as_str()),
            gifts::code_hash.eq(&code_hash_value),
            gifts::access_token_hash.eq(hash_token(&token)),
            gifts::sent_at.eq(now),
            gifts::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    events::emit(conn, Event::GiftSent { gift_id: gift.id }, now)?;
    let Some(recipient) = gift.recipient_email.as_deref() else {
        return Err(AppError::internal("a gift to send has no address"));
    };
    let shop = shop_name(conn, gift)?;
    // The customer reads the date on the clock of the shop the gift is for.
    let tz = locations::table
        .find(gift.location_id)
        .select(locations::time_zone)
        .first::<String>(conn)?
        .parse()
        .unwrap_or(chrono_tz::UTC);
    let lang = gift.lang();
    let expires = local_time::format_date(tz, expires_at, lang);
    let link = mail.link(&format!("/v/{token}"));
    let value = gift.value_text(lang);
    let rendered = GiftForCustomer {
        lang,
        shop: &shop,
        name: gift.recipient_name.as_deref(),
        title: &gift.title,
        value: &value,
        message: &gift.message,
        expires: &expires,
        link: &link,
    }
    .render();
    queue(conn, mail, MailKind::Gift, gift, recipient, &rendered, now)?;
    on_timeline(conn, gift, event, actor, now)
}

/// The name of the location whose budget pays for a gift.
fn shop_name(conn: &mut DbConnection, gift: &Gift) -> AppResult<String> {
    Ok(locations::table
        .find(gift.location_id)
        .select(locations::name)
        .first(conn)?)
}

/// Queues a mail about a gift to one address. The customer's mail joins the
/// thread of the ticket it thanks for; staff mails stand alone.
fn queue(
    conn: &mut DbConnection,
    mail: &MailContext,
    kind: MailKind,
    gift: &Gift,
    recipient: &str,
    rendered: &Rendered,
    now: NaiveDateTime,
) -> AppResult<()> {
    let thread = match gift.ticket_id {
        Some(ticket_id) if MailKind::TO_CUSTOMER.contains(&kind) => {
            outbox::thread(conn, ticket_id)?
        }
        _ => outbox::Thread::default(),
    };
    let message_id = mail.new_message_id(match kind {
        MailKind::GiftWaiting => "gift-waiting",
        MailKind::GiftDecided => "gift-decided",
        _ => "gift",
    });
    outbox::enqueue(
        conn,
        &NewMail {
            kind,
            ticket_id: gift.ticket_id,
            ticket_message_id: None,
            recipient,
            rendered,
            message_id: &message_id,
            in_reply_to: thread.in_reply_to.as_deref(),
            references: thread.references.as_deref(),
        },
        now,
    )
}

fn tell_owners(
    conn: &mut DbConnection,
    gift: &Gift,
    shop: &str,
    asker: Actor,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<()> {
    let asker = audit::name_of(conn, asker)?;
    let link = mail.link("/staff/gifts/approvals");
    for owner in workflow::recipients(conn, workflow::Audience::Owners)? {
        let cost = format_money(gift.cost_cents, &gift.currency, owner.lang);
        let rendered = GiftWaiting {
            lang: owner.lang,
            shop,
            title: &gift.title,
            cost: &cost,
            asked_by: &asker,
            link: &link,
        }
        .render();
        queue(
            conn,
            mail,
            MailKind::GiftWaiting,
            gift,
            &owner.email,
            &rendered,
            now,
        )?;
    }
    Ok(())
}

fn tell_asker(
    conn: &mut DbConnection,
    gift: &Gift,
    approved: bool,
    reason: Option<&str>,
    owner_id: i64,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<()> {
    // A key's gift has nobody to tell; an owner's own needs no telling.
    let Some(asker) = gift.created_by.filter(|id| *id != owner_id) else {
        return Ok(());
    };
    let (email, language, active): (String, String, bool) = users::table
        .find(asker)
        .select((users::email, users::language, users::active))
        .first(conn)?;
    if !active {
        return Ok(());
    }
    let lang = Lang::from_code(&language).unwrap_or(Lang::Nl);
    let shop = shop_name(conn, gift)?;
    let link = mail.link(&format!("/staff/gifts/{}", gift.id));
    let rendered = GiftDecided {
        lang,
        shop: &shop,
        title: &gift.title,
        approved,
        reason,
        link: &link,
    }
    .render();
    queue(
        conn,
        mail,
        MailKind::GiftDecided,
        gift,
        &email,
        &rendered,
        now,
    )
}

/// An owner approves a waiting gift: it is sent now and its asker told.
/// False when it was not waiting (already decided).
pub fn approve(
    conn: &mut DbConnection,
    gift_id: i64,
    owner_id: i64,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let changed = diesel::update(in_status(gift_id, Status::AwaitingApproval))
        .set((gifts::decided_by.eq(owner_id), gifts::decided_at.eq(now)))
        .execute(conn)?;
    let Some(gift) = moved_on(conn, gift_id, changed)? else {
        return Ok(false);
    };
    deliver(
        conn,
        &gift,
        Some(Actor::User(owner_id)),
        "gift_approved",
        mail,
        now,
    )?;
    audit::record(
        conn,
        Actor::User(owner_id),
        "gift.approve",
        gift.ticket_id,
        &gift_id.to_string(),
        now,
    )?;
    tell_asker(conn, &gift, true, None, owner_id, mail, now)?;
    Ok(true)
}

/// An owner declines a waiting gift, with an optional reason for the asker.
/// `Ok(false)` when it was not waiting.
pub fn decline(
    conn: &mut DbConnection,
    gift_id: i64,
    owner_id: i64,
    reason: &str,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<bool, Vec<FieldError>>> {
    let mut errors = Vec::new();
    let reason = check_text(&mut errors, "reason", reason, MAX_REASON, false);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let reason = (!reason.is_empty()).then_some(reason);
    let changed = diesel::update(in_status(gift_id, Status::AwaitingApproval))
        .set((
            gifts::status.eq(Status::Declined.as_str()),
            gifts::decided_by.eq(owner_id),
            gifts::decided_at.eq(now),
            gifts::decline_reason.eq(&reason),
        ))
        .execute(conn)?;
    let Some(gift) = moved_on(conn, gift_id, changed)? else {
        return Ok(Ok(false));
    };
    note(
        conn,
        &gift,
        Actor::User(owner_id),
        "gift_declined",
        "gift.decline",
        now,
    )?;
    tell_asker(conn, &gift, false, reason.as_deref(), owner_id, mail, now)?;
    Ok(Ok(true))
}

/// An owner voids a sent gift: the till refuses it from now on. False when
/// it was not in the sent state (redeemed, voided, never sent).
pub fn void(
    conn: &mut DbConnection,
    gift_id: i64,
    owner_id: i64,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let changed = diesel::update(in_status(gift_id, Status::Sent))
        .set((
            gifts::status.eq(Status::Void.as_str()),
            gifts::voided_at.eq(now),
            gifts::voided_by.eq(owner_id),
        ))
        .execute(conn)?;
    let Some(gift) = moved_on(conn, gift_id, changed)? else {
        return Ok(false);
    };
    note(
        conn,
        &gift,
        Actor::User(owner_id),
        "gift_voided",
        "gift.void",
        now,
    )?;
    Ok(true)
}

/// The gift an owner's decision just moved on, re-read; None when the update
/// changed nothing (it was no longer in the state the decision needs).
fn moved_on(conn: &mut DbConnection, gift_id: i64, changed: usize) -> AppResult<Option<Gift>> {
    if changed == 0 {
        return Ok(None);
    }
    find(conn, gift_id)?
        .ok_or_else(AppError::not_found)
        .map(Some)
}
