//! `GET /staff/inbox`: reads the filter, sort, search and cursor from the
//! query string (anything unknown is simply not applied), asks the domain for
//! one page and the counts per status, and renders it.

use super::extract::CurrentUser;
use super::html;
use crate::domain::inbox::{self, Cursor, Params, Sort};
use crate::error::AppResult;
use crate::views;
use crate::views::inbox::InboxPage;
use crate::AppState;
use actix_web::{web, HttpResponse};

/// Rows per inbox page.
const PAGE: i64 = 50;

/// The inbox's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/inbox", web::get().to(inbox));
}

/// `GET /staff/inbox`
pub async fn inbox(
    app: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let params = query.into_inner();
    let now = app.clock.now();
    let me = user.session.user.id;
    let p = params.clone();
    let (request, choices, page, counts, open_alerts) = app
        .db
        .read(move |c| {
            let choices = inbox::Choices::load(c)?;
            let request = inbox::resolve(&p, me, &choices);
            let page = inbox::page(
                c,
                &request.filter,
                request.sort,
                request.q.as_deref(),
                request.after,
                PAGE,
                now,
            )?;
            // No counts for a search: the tabs then only switch.
            let counts = if request.q.is_some() {
                Vec::new()
            } else {
                inbox::counts(c, &request.filter, now)?
            };
            let open_alerts = crate::domain::alert::unacknowledged(c)?;
            Ok((request, choices, page, counts, open_alerts))
        })
        .await?;
    let next = page.next.map(Cursor::encode);
    Ok(html(views::inbox::inbox(
        user.lang,
        user.nav(),
        &InboxPage {
            params: &params,
            status: request.filter.status.as_str(),
            sort: match request.sort {
                Sort::Due => "due",
                Sort::Newest => "newest",
            },
            locations: &choices.locations,
            categories: &choices.categories,
            staff: &choices.staff,
            counts: &counts,
            rows: &page.rows,
            next: next.as_deref(),
            now,
            zone: user.zone,
            open_alerts,
        },
    )))
}
