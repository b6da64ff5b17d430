//! The staff ticket page and its actions: reply (optionally starting from a
//! canned response, then waiting or resolving), internal note, status,
//! assignment, priority and merge. Every POST checks the session's CSRF token
//! and answers with a redirect back to the ticket, or the page with the
//! errors and what was typed.

use super::extract::CurrentUser;
use super::form::CsrfForm;
use super::{html, see_other, unprocessable};
use crate::domain::attachment;
use crate::domain::audit::Actor;
use crate::domain::canned::{self, Placeholders};
use crate::domain::ticket::{self, AfterReply, Priority, Status};
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::mail::outbox;
use crate::views;
use crate::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// Registers the ticket routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/r/{reference}", web::get().to(by_reference))
        .route("/staff/tickets/{id}", web::get().to(page))
        .route("/staff/tickets/{id}/reply", web::post().to(reply))
        .route("/staff/tickets/{id}/note", web::post().to(note))
        .route("/staff/tickets/{id}/status", web::post().to(set_status))
        .route("/staff/tickets/{id}/assign", web::post().to(assign))
        .route("/staff/tickets/{id}/priority", web::post().to(set_priority))
        .route("/staff/tickets/{id}/merge", web::post().to(merge));
}

/// What the forms on the page hold when it is shown again after an error.
#[derive(Default)]
struct Drafts<'a> {
    reply: &'a str,
    note: &'a str,
    merge: &'a str,
}

async fn render(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    drafts: &Drafts<'_>,
    errors: &[FieldError],
) -> AppResult<maud::Markup> {
    let (detail, timeline, deliveries, attachments, staff, canned) = app
        .db
        .read(move |c| {
            let detail = ticket::detail(c, id)?;
            let timeline = ticket::timeline(c, id)?;
            let mut family: Vec<i64> = timeline
                .iter()
                .filter_map(|e| match e {
                    ticket::TimelineEntry::Submitted { ticket_id, .. } => Some(*ticket_id),
                    _ => None,
                })
                .collect();
            family.push(id);
            Ok((
                detail,
                timeline,
                outbox::deliveries_for_tickets(c, &family)?,
                attachment::metas_for_tickets(c, &family)?,
                ticket::assignable(c)?,
                canned::list(c, true)?,
            ))
        })
        .await?;
    Ok(views::ticket::page(views::ticket::TicketPage {
        lang: user.lang,
        nav: user.nav(),
        detail: &detail,
        timeline: &timeline,
        deliveries: &deliveries,
        attachments: &attachments,
        staff: &staff,
        canned: &canned,
        reply_draft: drafts.reply,
        note_draft: drafts.note,
        merge_draft: drafts.merge,
        errors,
        now: app.clock.now(),
        tz: user.zone,
    }))
}

/// `GET /staff/r/{reference}`: the ticket a reference names (links in staff alerts).
pub async fn by_reference(
    app: web::Data<AppState>,
    _user: CurrentUser,
    reference: web::Path<String>,
) -> AppResult<HttpResponse> {
    let reference = reference.into_inner();
    let id = app
        .db
        .read(move |c| ticket::id_for_reference(c, &reference))
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(see_other(&format!("/staff/tickets/{id}")))
}

/// The ticket page's query: a canned response to start the reply from.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    canned: Option<i64>,
}

/// `GET /staff/tickets/{id}` (`?canned=N` fills the reply box with that canned
/// response in the customer's language, placeholders filled in).
pub async fn page(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let draft = match query.canned {
        Some(canned_id) => {
            let staff_name = user.session.user.name.clone();
            app.db
                .read(move |c| {
                    let detail = ticket::detail(c, id)?;
                    let Some(canned) = canned::find(c, canned_id)?.filter(|r| r.active) else {
                        return Ok(String::new());
                    };
                    let lang = detail.lang();
                    let body = canned.bodies().pick(lang, detail.location.default_lang());
                    Ok(canned::fill(
                        body,
                        lang,
                        &Placeholders {
                            name: detail.feedback.customer_name.as_deref(),
                            reference: &detail.feedback.reference,
                            shop: &detail.location.name,
                            staff: &staff_name,
                        },
                    ))
                })
                .await?
        }
        None => String::new(),
    };
    let drafts = Drafts {
        reply: &draft,
        ..Drafts::default()
    };
    Ok(html(render(&app, &user, id, &drafts, &[]).await?))
}

fn back(id: i64) -> HttpResponse {
    see_other(&format!("/staff/tickets/{id}"))
}

/// A change's answer: back to the ticket staff continue on (after a merge,
/// the survivor), or this ticket's page again with the error and what was
/// typed, as 422.
async fn after_change(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    outcome: Result<i64, FieldError>,
    drafts: &Drafts<'_>,
) -> AppResult<HttpResponse> {
    match outcome {
        Ok(continue_on) => Ok(back(continue_on)),
        Err(error) => {
            let page = render(app, user, id, drafts, &[error]).await?;
            Ok(unprocessable(page))
        }
    }
}

/// The reply form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReplyForm {
    body: String,
    /// `keep` (default), `waiting` or `resolved`.
    then: String,
}

/// `POST /staff/tickets/{id}/reply`: the customer gets it by email, threaded.
pub async fn reply(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    form: CsrfForm<ReplyForm>,
) -> AppResult<HttpResponse> {
    let then = AfterReply::parse(&form.then)
        .ok_or_else(|| AppError::bad_request("unknown follow-up status"))?;
    let (id, staff, body, mail, now) = (
        *id,
        user.session.user.clone(),
        form.body.clone(),
        app.mail.clone(),
        app.clock.now(),
    );
    let outcome = app
        .db
        .write(move |c| ticket::staff_reply(c, id, &(&staff).into(), &body, then, &mail, now))
        .await?;
    if outcome.is_ok() {
        app.wake_senders();
    }
    let drafts = Drafts {
        reply: &form.body,
        ..Drafts::default()
    };
    after_change(&app, &user, id, outcome.map(|()| id), &drafts).await
}

/// The note form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteForm {
    note: String,
}

/// `POST /staff/tickets/{id}/note`: an internal note, for staff eyes only.
pub async fn note(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    form: CsrfForm<NoteForm>,
) -> AppResult<HttpResponse> {
    let (id, staff, body, now) = (
        *id,
        user.session.user.clone(),
        form.note.clone(),
        app.clock.now(),
    );
    let outcome = app
        .db
        .write(move |c| ticket::add_note(c, id, &(&staff).into(), &body, now))
        .await?;
    let outcome = outcome.map(|()| id).map_err(|error| FieldError {
        field: "note",
        ..error
    });
    let drafts = Drafts {
        note: &form.note,
        ..Drafts::default()
    };
    after_change(&app, &user, id, outcome, &drafts).await
}

/// The status form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

/// `POST /staff/tickets/{id}/status`
pub async fn set_status(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    form: CsrfForm<StatusForm>,
) -> AppResult<HttpResponse> {
    let status = Status::parse(&form.status)
        .filter(|s| Status::CHOSEN_BY_STAFF.contains(s))
        .ok_or_else(|| AppError::bad_request("unknown status"))?;
    let (id, actor, now) = (*id, user.session.user.id, app.clock.now());
    app.db
        .write(move |c| ticket::set_status(c, id, status, Some(Actor::User(actor)), now))
        .await?;
    Ok(back(id))
}

/// The assignment form: a user id, or empty for nobody.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    assignee: String,
}

/// `POST /staff/tickets/{id}/assign`: the new assignee gets an email.
pub async fn assign(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    form: CsrfForm<AssignForm>,
) -> AppResult<HttpResponse> {
    let assignee = match form.assignee.trim() {
        "" => None,
        "me" => Some(user.session.user.id),
        other => Some(
            other
                .parse::<i64>()
                .map_err(|_| AppError::bad_request("assignee is not a user id"))?,
        ),
    };
    let (id, actor, mail, now) = (
        *id,
        user.session.user.clone(),
        app.mail.clone(),
        app.clock.now(),
    );
    let outcome = app
        .db
        .write(move |c| ticket::assign(c, id, &(&actor).into(), assignee, &mail, now))
        .await?;
    if outcome.is_ok() {
        app.wake_senders();
    }
    after_change(&app, &user, id, outcome.map(|()| id), &Drafts::default()).await
}

/// The priority form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PriorityForm {
    priority: String,
}

/// `POST /staff/tickets/{id}/priority`
pub async fn set_priority(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    form: CsrfForm<PriorityForm>,
) -> AppResult<HttpResponse> {
    let priority =
        Priority::parse(&form.priority).ok_or_else(|| AppError::bad_request("unknown priority"))?;
    let (id, actor, now) = (*id, user.session.user.clone(), app.clock.now());
    app.db
        .write(move |c| ticket::set_priority(c, id, &(&actor).into(), priority, now))
        .await?;
    Ok(back(id))
}

/// The merge form: the reference of the ticket this one duplicates.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    reference: String,
}

/// `POST /staff/tickets/{id}/merge`: this ticket is a duplicate of another;
/// staff continue on the survivor.
pub async fn merge(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    form: CsrfForm<MergeForm>,
) -> AppResult<HttpResponse> {
    let (id, actor, reference, mail, now) = (
        *id,
        user.session.user.clone(),
        form.reference.clone(),
        app.mail.clone(),
        app.clock.now(),
    );
    let outcome = app
        .db
        .write(move |c| ticket::merge(c, id, &reference, &actor, &mail, now))
        .await?;
    if outcome.is_ok() {
        app.wake_senders();
    }
    let drafts = Drafts {
        merge: &form.reference,
        ..Drafts::default()
    };
    after_change(&app, &user, id, outcome, &drafts).await
}
