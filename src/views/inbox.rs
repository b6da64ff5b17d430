//! The staff inbox page: a GET filter form, status tabs with counts, the sort
//! switch, one row per ticket and a link to the next page. Works without
//! JavaScript and on a phone (the table becomes stacked cards in the CSS).

use super::components::{age, column_heads, face_img};
use super::layout::{staff_page_own_heading, StaffNav};
use crate::domain::category::{self, Category};
use crate::domain::inbox::{Count, InboxRow, Params};
use crate::domain::local_time;
use crate::domain::location::Location;
use crate::domain::ticket::Status;
use crate::i18n::Lang;
use chrono::NaiveDateTime;
use maud::{html, Markup};

/// Links that keep the filters.
impl Params {
    /// The filters as query pairs (no cursor), without empty ones.
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("q", self.q.as_str()),
            ("status", &self.status),
            ("location", &self.location),
            ("spot", &self.spot),
            ("category", &self.category),
            ("face", &self.face),
            ("assignee", &self.assignee),
            ("overdue", &self.overdue),
            ("sort", &self.sort),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }

    /// `/staff/inbox?…` with these filters and `key` set to `value` (empty removes it).
    fn href_with(&self, key: &str, value: &str) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .pairs()
            .into_iter()
            .filter(|(k, _)| *k != key)
            .collect();
        if !value.is_empty() {
            pairs.push((key, value));
        }
        href(&pairs)
    }
}

fn href(pairs: &[(&str, &str)]) -> String {
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    if query.is_empty() {
        "/staff/inbox".to_owned()
    } else {
        format!("/staff/inbox?{query}")
    }
}

/// Everything the inbox page shows.
pub struct InboxPage<'a> {
    /// The query as sent.
    pub params: &'a Params,
    /// The status choice in effect (`active`, `all` or a status).
    pub status: &'a str,
    /// The sort in effect (`due` or `newest`; search is always newest).
    pub sort: &'a str,
    /// Every location, for the choice.
    pub locations: &'a [Location],
    /// Every category, for the choice.
    pub categories: &'a [Category],
    /// Staff members (id, name), for the assignee choice.
    pub staff: &'a [(i64, String)],
    /// Tickets per status under the other filters; empty while searching.
    pub counts: &'a [(&'static str, Count)],
    /// This page's rows.
    pub rows: &'a [InboxRow],
    /// The next page's cursor, if any.
    pub next: Option<&'a str>,
    /// Now, for ages and time left.
    pub now: NaiveDateTime,
    /// The business's time zone, for the exact due moments.
    pub zone: chrono_tz::Tz,
    /// Burst alerts nobody acknowledged yet (a banner links to them).
    pub open_alerts: i64,
}

fn count_text(count: Count) -> String {
    if count.capped {
        format!("{}+", count.n)
    } else {
        count.n.to_string()
    }
}

/// The first words of a customer's message, for the list.
fn excerpt(text: &str) -> String {
    const MAX: usize = 90;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The inbox page.
pub fn inbox(lang: Lang, nav: StaffNav<'_>, view: &InboxPage<'_>) -> Markup {
    let title = lang.t("staff-inbox");
    let p = view.params;
    let searching = !p.q.trim().is_empty();
    // The cursor first, then the filters: they carry over to the next page.
    let next = view.next.map(|cursor| {
        let mut pairs = vec![("before", cursor)];
        pairs.extend(p.pairs());
        href(&pairs)
    });
    let count_of = |status: &str| {
        view.counts
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, c)| *c)
    };
    let active_count = {
        let parts: Vec<Count> = Status::ACTIVE
            .iter()
            .filter_map(|s| count_of(s.as_str()))
            .collect();
        (parts.len() == 3).then(|| Count {
            n: parts.iter().map(|c| c.n).sum(),
            capped: parts.iter().any(|c| c.capped),
        })
    };
    let tabs: Vec<(&str, String, Option<Count>)> = std::iter::once((
        "active",
        lang.t("inbox-status-active").into_owned(),
        active_count,
    ))
    .chain(Status::ALL.into_iter().map(|s| {
        (
            s.as_str(),
            super::ticket::status_label(lang, s.as_str()),
            count_of(s.as_str()),
        )
    }))
    .chain(std::iter::once((
        "all",
        lang.t("inbox-status-all").into_owned(),
        None,
    )))
    .collect();
    // The narrowing filters (the status has its tabs, the search its box).
    let active_filters = [
        &p.location,
        &p.spot,
        &p.category,
        &p.face,
        &p.assignee,
        &p.overdue,
    ]
    .iter()
    .filter(|v| !v.is_empty())
    .count();
    staff_page_own_heading(
        lang,
        nav,
        &title,
        html! {
            @if view.open_alerts > 0 {
                (super::alert::banner(lang, view.open_alerts))
            }
            div.inbox-top {
            h1 { (title) }
            form.filters method="get" action="/staff/inbox" role="search" {
                div.search-row {
                    label.visually-hidden for="q" { (lang.t("inbox-search")) }
                    input type="search" id="q" name="q" value=(p.q) maxlength="200"
                        placeholder=(lang.t("inbox-search-hint"));
                    button type="submit" { (lang.t("inbox-search")) }
                }
                details.more-filters {
                    summary {
                        (lang.t("inbox-filters"))
                        @if active_filters > 0 {
                            " " span.count-badge { (lang.t_with("inbox-filters-active", &[("n", &active_filters.to_string())])) }
                        }
                    }
                    div.filter-grid {
                    div {
                        label for="filter-status" { (lang.t("staff-col-status")) }
                        select id="filter-status" name="status" {
                            @for (value, label, _) in &tabs {
                                option value=(value) selected[*value == view.status] { (label) }
                            }
                        }
                    }
                    div {
                        label for="filter-location" { (lang.t("staff-col-location")) }
                        select id="filter-location" name="location" {
                            option value="" { (lang.t("staff-filter-all")) }
                            @for l in view.locations {
                                option value=(l.slug) selected[l.slug == p.location] { (l.name) }
                            }
                        }
                    }
                    div {
                        label for="filter-spot" { (lang.t("staff-filter-spot")) }
                        input type="text" id="filter-spot" name="spot" value=(p.spot) maxlength="64";
                    }
                    div {
                        label for="filter-category" { (lang.t("staff-col-category")) }
                        select id="filter-category" name="category" {
                            option value="" { (lang.t("inbox-any")) }
                            @for c in view.categories {
                                option value=(c.slug) selected[c.slug == p.category] { (c.name(lang, lang)) }
                            }
                        }
                    }
                    div {
                        label for="filter-face" { (lang.t("staff-col-face")) }
                        select id="filter-face" name="face" {
                            option value="" { (lang.t("inbox-any")) }
                            @for face in 1..=4 {
                                @let value = face.to_string();
                                option value=(value) selected[value == p.face] { (lang.t(&format!("face-{face}"))) }
                            }
                        }
                    }
                    div {
                        label for="filter-assignee" { (lang.t("inbox-col-assignee")) }
                        select id="filter-assignee" name="assignee" {
                            option value="" { (lang.t("inbox-assignee-anyone")) }
                            option value="me" selected[p.assignee == "me"] { (lang.t("inbox-assignee-me")) }
                            option value="nobody" selected[p.assignee == "nobody"] { (lang.t("inbox-assignee-nobody")) }
                            @for (id, name) in view.staff {
                                @let value = id.to_string();
                                option value=(value) selected[value == p.assignee] { (name) }
                            }
                        }
                    }
                    div {
                        label for="filter-sort" { (lang.t("inbox-sort")) }
                        select id="filter-sort" name="sort" {
                            option value="due" selected[view.sort == "due"] { (lang.t("inbox-sort-due")) }
                            option value="newest" selected[view.sort == "newest"] { (lang.t("inbox-sort-newest")) }
                        }
                    }
                    div.check {
                        input type="checkbox" id="filter-overdue" name="overdue" value="1" checked[p.overdue == "1"];
                        label for="filter-overdue" { (lang.t("inbox-overdue-only")) }
                    }
                    }
                    div.filter-actions {
                        button type="submit" { (lang.t("staff-filter-apply")) }
                        a href="/staff/inbox" { (lang.t("inbox-clear")) }
                    }
                }
            }
            }
            div.inbox-bar {
                nav.tabs aria-label=(lang.t("staff-col-status")) {
                    ul {
                        @for (value, label, count) in &tabs {
                            li {
                                a.current[*value == view.status] href=(p.href_with("status", value))
                                    aria-current=[(*value == view.status).then_some("page")] {
                                    (label)
                                    @if let Some(count) = count { " " span.count { (count_text(*count)) } }
                                }
                            }
                        }
                    }
                }
                div.bar-end {
                @if !searching {
                    p.sort-switch {
                        (lang.t("inbox-sort")) ": "
                        @if view.sort == "newest" {
                            a href=(p.href_with("sort", "due")) { (lang.t("inbox-sort-due")) }
                            " · " strong { (lang.t("inbox-sort-newest")) }
                        } @else {
                            strong { (lang.t("inbox-sort-due")) }
                            " · " a href=(p.href_with("sort", "newest")) { (lang.t("inbox-sort-newest")) }
                        }
                    }
                }
                a.quarantine-link href="/staff/quarantine" { (lang.t("staff-quarantine")) }
                }
            }
            @if view.rows.is_empty() {
                @if searching {
                    p.empty role="status" { (lang.t_with("inbox-search-nothing", &[("q", p.q.trim())])) }
                } @else {
                    p.empty { (lang.t("staff-inbox-empty")) }
                }
            } @else {
                table.inbox.tickets {
                    (column_heads(&[
                        lang.t("staff-col-reference"),
                        lang.t("staff-col-status"),
                        lang.t("staff-col-location"),
                        lang.t("staff-col-face"),
                        lang.t("staff-col-category"),
                        lang.t("inbox-col-assignee"),
                        lang.t("inbox-col-due"),
                        lang.t("staff-col-age"),
                    ]))
                    tbody {
                        @for row in view.rows {
                            @let high = row.priority == "high";
                            tr.status-new[row.status == "new"].high[high] {
                                td.ref {
                                    a href=(format!("/staff/tickets/{}", row.id)) { (row.reference) }
                                    @if high { " " strong.badge.bad { (lang.t("inbox-priority-high")) } }
                                    @if let Some(message) = &row.message { span.excerpt { (excerpt(message)) } }
                                }
                                td.status { (super::ticket::status_label(lang, &row.status)) }
                                td.where { (row.location) @if let Some(spot) = &row.spot { " · " (spot) } }
                                td.face { (face_img(row.face, lang)) }
                                td.topic { @if let Some(names) = &row.category { (category::name_in(names, lang)) } }
                                td.who { @if let Some(name) = &row.assignee { (name) } @else { span.muted { (lang.t("inbox-assignee-nobody")) } } }
                                td.due { (super::sla::due_badge(lang, view.zone, row.due_at, view.now)) }
                                td.age { time datetime=(local_time::iso_utc(row.created_at)) { (age(lang, row.created_at, view.now)) } }
                            }
                        }
                    }
                }
                @if let Some(next) = &next {
                    p { a href=(next) rel="next" { (lang.t("staff-next-page")) " →" } }
                }
            }
        },
    )
}
