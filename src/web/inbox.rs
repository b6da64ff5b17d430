//! `GET /staff/inbox`: reads the filter, sort, search and cursor from the
//! query string (anything unknown is simply not applied), asks the domain for
//! one page and the counts per status, and renders it.

use super::extract::CurrentUser;
use super::html;
use crate::domain::inbox::{self, Assignee, Cursor, Filter, Sort, StatusChoice};
use crate::domain::{category, feedback, location};
use crate::error::AppResult;
use crate::views;
use crate::views::inbox::{InboxPage, Params};
use crate::AppState;
use actix_web::{web, HttpResponse};

/// Rows per inbox page.
const PAGE: i64 = 50;
/// Longest search taken, in characters.
const MAX_SEARCH: usize = 200;

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
    let mut params = query.into_inner();
    params.q = params.q.trim().chars().take(MAX_SEARCH).collect();
    let q = (!params.q.is_empty()).then(|| params.q.clone());
    // A search looks through every status unless one is chosen.
    let status = StatusChoice::parse(&params.status).unwrap_or(if q.is_some() {
        StatusChoice::All
    } else {
        StatusChoice::Active
    });
    let sort = if params.sort == "newest" {
        Sort::Newest
    } else {
        Sort::Due
    };
    let after = Cursor::decode(&params.before);
    let now = app.clock.now();
    let me = user.session.user.id;
    let p = params.clone();
    let (locations, categories, staff, page, counts) = app
        .db
        .read(move |c| {
            let locations = location::list(c)?;
            let categories = category::list_all(c)?;
            let staff = inbox::assignees(c)?;
            let filter = Filter {
                status,
                location_id: locations
                    .iter()
                    .find(|l| l.slug == p.location)
                    .map(|l| l.id),
                spot: feedback::clean_tag(&p.spot),
                category_id: categories
                    .iter()
                    .find(|k| k.slug == p.category)
                    .map(|k| k.id),
                face: p.face.parse().ok().filter(|f| (1..=4).contains(f)),
                assignee: match p.assignee.as_str() {
                    "me" => Assignee::User(me),
                    "nobody" => Assignee::Nobody,
                    other => other
                        .parse()
                        .ok()
                        .filter(|id| staff.iter().any(|(s, _)| s == id))
                        .map_or(Assignee::Anyone, Assignee::User),
                },
                overdue: p.overdue == "1",
            };
            let page = inbox::page(c, &filter, sort, q.as_deref(), after, PAGE, now)?;
            let counts = if q.is_some() {
                Vec::new()
            } else {
                inbox::counts(c, &filter, now)?
            };
            Ok((locations, categories, staff, page, counts))
        })
        .await?;
    let next = page.next.map(Cursor::encode);
    Ok(html(views::inbox::inbox(
        user.lang,
        user.nav(),
        &InboxPage {
            params: &params,
            status: status.as_str(),
            sort: match sort {
                Sort::Due => "due",
                Sort::Newest => "newest",
            },
            locations: &locations,
            categories: &categories,
            staff: &staff,
            counts: &counts,
            rows: &page.rows,
            next: next.as_deref(),
            now,
        },
    )))
}
