//! The owner's dashboard page, read top to bottom in ten seconds: the range
//! form; the key figures as cards, each with its change against the
//! previous range of the same length (arrow, words and colour, and whether
//! that is better or worse); the locations side by side; the hour-of-week
//! heat map of unhappy feedback; the SVG charts in a grid, each with its
//! numbers as a table and a CSV download; and every figure as a table. Dates
//! read in the reader's language; the CSV files keep ISO 8601.

use super::chart::{self, Bar, BLUE};
use super::csv;
use super::layout::{staff_page, StaffNav};
use crate::domain::category::Category;
use crate::domain::dashboard::{Figures, LocationFigures, Range, Times};
use crate::domain::local_time::{format_day, format_day_month};
use crate::domain::money::format_money;
use crate::i18n::Lang;
use maud::{html, Markup};
use std::collections::BTreeMap;

/// Face colours, very unhappy to very happy (each ≥ 4.5:1 against white).
const FACE_COLOURS: [&str; 4] = ["#b3261e", "#a14a00", "#4d6b0f", "#1e6b34"];

/// The charts, each with a CSV download at `/staff/dashboard/<name>.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// The figures block.
    Figures,
    /// Submissions per day.
    Volume,
    /// Submissions per category.
    Categories,
    /// Submissions per face.
    Faces,
    /// Submissions per channel.
    Channels,
    /// Satisfaction answers per face.
    Satisfaction,
    /// Unhappy submissions per weekday and hour.
    Hours,
    /// The locations side by side.
    Locations,
}

impl Chart {
    /// Every chart.
    pub const ALL: [Chart; 8] = [
        Chart::Figures,
        Chart::Volume,
        Chart::Categories,
        Chart::Faces,
        Chart::Channels,
        Chart::Satisfaction,
        Chart::Hours,
        Chart::Locations,
    ];

    /// The charts drawn as bars, in the order of the page's grid.
    const BARS: [Chart; 5] = [
        Chart::Volume,
        Chart::Faces,
        Chart::Categories,
        Chart::Channels,
        Chart::Satisfaction,
    ];

    /// The name in its CSV address.
    pub fn name(self) -> &'static str {
        match self {
            Chart::Figures => "figures",
            Chart::Volume => "volume",
            Chart::Categories => "categories",
            Chart::Faces => "faces",
            Chart::Channels => "channels",
            Chart::Satisfaction => "satisfaction",
            Chart::Hours => "hours",
            Chart::Locations => "locations",
        }
    }

    /// The chart with that name.
    pub fn parse(name: &str) -> Option<Chart> {
        Chart::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// What the page shows.
pub struct DashboardPage<'a> {
    /// Every location (id, name), for the choice.
    pub locations: &'a [(i64, String)],
    /// The chosen location; `None`: all.
    pub location: Option<i64>,
    /// The dates in the form, as typed (or as shown).
    pub from: &'a str,
    /// See `from`.
    pub to: &'a str,
    /// Catalogue key of what is wrong with the dates, if anything.
    pub error: Option<&'static str>,
    /// Whether the range was shortened (future days, more than two years).
    pub shortened: bool,
    /// The figures, when the dates could be understood.
    pub figures: Option<&'a Figures>,
    /// The figures of the range of the same length just before.
    pub previous: Option<&'a Figures>,
    /// The business's time zone, named in the heat map.
    pub zone: &'a str,
    /// Category names by id.
    pub categories: &'a BTreeMap<i64, Category>,
}

/// A category's name in `lang` (0: none chosen).
fn category_label(lang: Lang, categories: &BTreeMap<i64, Category>, id: i64) -> String {
    match categories.get(&id) {
        Some(c) => c.name(lang, lang).to_owned(),
        None if id == 0 => lang.t("dashboard-no-category").into_owned(),
        None => format!("#{id}"),
    }
}

/// A channel's name in `lang`.
fn channel_label(lang: Lang, channel: &str) -> String {
    match channel {
        "kiosk" => lang.t("dashboard-channel-kiosk").into_owned(),
        "qr" => lang.t("dashboard-channel-qr").into_owned(),
        "web" => lang.t("dashboard-channel-web").into_owned(),
        "api" => lang.t("dashboard-channel-api").into_owned(),
        other => other.to_owned(),
    }
}

/// A duration in whole minutes, as a person reads it.
pub fn duration(lang: Lang, minutes: Option<i64>) -> String {
    let Some(m) = minutes else {
        return "—".into();
    };
    let (d, h, m) = (m / 1440, m % 1440 / 60, m % 60);
    let (d, h, mm) = (d.to_string(), h.to_string(), format!("{m:02}"));
    if d != "0" {
        lang.t_with("dashboard-days-hours", &[("d", &d), ("h", &h)])
    } else if h != "0" {
        lang.t_with("dashboard-hours-minutes", &[("h", &h), ("m", &mm)])
    } else {
        lang.t_with("dashboard-minutes", &[("m", &m.to_string())])
    }
    .into_owned()
}

/// Money in cents, in euros, the way `lang` writes it.
pub fn money(lang: Lang, cents: Option<i64>) -> String {
    cents.map_or_else(|| "—".into(), |cents| format_money(cents, "EUR", lang))
}

/// A whole percentage, or a dash.
fn percent(value: Option<i64>) -> String {
    value.map_or_else(|| "—".into(), |p| format!("{p}%"))
}

/// The figures block: (label, shown value, CSV key, CSV value).
fn figure_rows(lang: Lang, f: &Figures) -> Vec<(String, String, &'static str, String)> {
    let num = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
    let times = |prefix: &'static str, t: &Times| {
        let (median_key, p90_key, sla_key) = match prefix {
            "first" => (
                "first_response_median_minutes",
                "first_response_p90_minutes",
                "first_response_on_time_percent",
            ),
            _ => (
                "resolution_median_minutes",
                "resolution_p90_minutes",
                "resolution_on_time_percent",
            ),
        };
        vec![
            (
                lang.t(&format!("dashboard-{prefix}-median")).into_owned(),
                duration(lang, t.median),
                median_key,
                num(t.median),
            ),
            (
                lang.t(&format!("dashboard-{prefix}-p90")).into_owned(),
                duration(lang, t.p90),
                p90_key,
                num(t.p90),
            ),
            (
                lang.t(&format!("dashboard-{prefix}-sla")).into_owned(),
                format!(
                    "{} ({} / {})",
                    percent(t.on_time_percent()),
                    t.on_time,
                    t.count
                ),
                sla_key,
                num(t.on_time_percent()),
            ),
        ]
    };
    let g = &f.gifts;
    let mut rows = vec![(
        lang.t("dashboard-total").into_owned(),
        f.total().to_string(),
        "submissions",
        f.total().to_string(),
    )];
    rows.extend(times("first", &f.first_response));
    rows.extend(times("resolution", &f.resolution));
    rows.extend([
        (
            lang.t("dashboard-answers").into_owned(),
            f.answered().to_string(),
            "satisfaction_answers",
            f.answered().to_string(),
        ),
        (
            lang.t("dashboard-happy").into_owned(),
            percent(f.happy_percent()),
            "satisfaction_happy_percent",
            num(f.happy_percent()),
        ),
        (
            lang.t("dashboard-recovered").into_owned(),
            lang.t_with(
                "dashboard-recovered-of",
                &[
                    ("n", &f.recovered.to_string()),
                    ("of", &f.unhappy_answered.to_string()),
                ],
            )
            .into_owned(),
            "recovered_customers",
            f.recovered.to_string(),
        ),
        (
            lang.t("dashboard-gifts-sent").into_owned(),
            g.sent.to_string(),
            "gifts_sent",
            g.sent.to_string(),
        ),
        (
            lang.t("dashboard-gifts-redeemed").into_owned(),
            g.redeemed.to_string(),
            "gifts_redeemed",
            g.redeemed.to_string(),
        ),
        (
            lang.t("dashboard-gift-spend").into_owned(),
            money(lang, Some(g.spend_cents)),
            "gift_spend_cents",
            g.spend_cents.to_string(),
        ),
        (
            lang.t_with(
                "dashboard-gift-budget",
                &[("months", &g.months.to_string())],
            )
            .into_owned(),
            match g.budget_cents {
                Some(_) => money(lang, g.budget_cents),
                None => lang.t("dashboard-no-budget").into_owned(),
            },
            "gift_budget_cents",
            num(g.budget_cents),
        ),
        (
            lang.t("dashboard-cost-per-recovered").into_owned(),
            money(lang, f.cost_per_recovered_cents()),
            "gift_cost_per_recovered_cents",
            num(f.cost_per_recovered_cents()),
        ),
    ]);
    rows
}

/// The rows of one chart: (label, value).
fn chart_rows(
    lang: Lang,
    chart: Chart,
    f: &Figures,
    categories: &BTreeMap<i64, Category>,
) -> Vec<(String, i64)> {
    match chart {
        Chart::Figures | Chart::Hours | Chart::Locations => Vec::new(),
        Chart::Volume => f
            .volume
            .iter()
            .map(|(day, n)| (day.format("%Y-%m-%d").to_string(), *n))
            .collect(),
        Chart::Categories => f
            .categories
            .iter()
            .map(|(id, n)| (category_label(lang, categories, *id), *n))
            .collect(),
        Chart::Faces => (1..=4)
            .zip(f.faces)
            .map(|(face, n)| (lang.t(&format!("face-{face}")).into_owned(), n))
            .collect(),
        Chart::Channels => f
            .channels
            .iter()
            .map(|(c, n)| (channel_label(lang, c), *n))
            .collect(),
        Chart::Satisfaction => (1..=4)
            .zip(f.answers)
            .map(|(face, n)| (lang.t(&format!("face-{face}")).into_owned(), n))
            .collect(),
    }
}

/// The CSV file of one chart.
pub fn csv_file(
    lang: Lang,
    chart: Chart,
    f: &Figures,
    categories: &BTreeMap<i64, Category>,
    locations: &[(i64, String)],
) -> String {
    let num = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
    if chart == Chart::Hours {
        let mut rows = Vec::new();
        for (day, hours) in f.hours.iter().enumerate() {
            for (hour, n) in hours.iter().enumerate() {
                rows.push(vec![weekday(lang, day), hour.to_string(), n.to_string()]);
            }
        }
        return csv::file(&["weekday", "hour", "unhappy_submissions"], &rows);
    }
    if chart == Chart::Locations {
        let rows: Vec<Vec<String>> = f
            .locations
            .iter()
            .map(|l| {
                vec![
                    location_name(locations, l.location_id),
                    l.complaints.to_string(),
                    l.submissions.to_string(),
                    num(l.first_response.median),
                    num(l.first_response.on_time_percent()),
                    num(l.happy_percent()),
                    l.recovered.to_string(),
                ]
            })
            .collect();
        return csv::file(
            &[
                "location",
                "complaints",
                "submissions",
                "first_response_median_minutes",
                "first_response_on_time_percent",
                "satisfaction_happy_percent",
                "recovered_customers",
            ],
            &rows,
        );
    }
    if chart == Chart::Figures {
        let rows: Vec<Vec<String>> = figure_rows(lang, f)
            .into_iter()
            .map(|(_, _, key, value)| vec![key.to_owned(), value])
            .collect();
        return csv::file(&["figure", "value"], &rows);
    }
    let first = match chart {
        Chart::Volume => "date",
        Chart::Categories => "category",
        Chart::Faces => "face",
        Chart::Channels => "channel",
        _ => "answer",
    };
    let count = if chart == Chart::Satisfaction {
        "answers"
    } else {
        "submissions"
    };
    let rows: Vec<Vec<String>> = chart_rows(lang, chart, f, categories)
        .into_iter()
        .map(|(label, n)| vec![label, n.to_string()])
        .collect();
    csv::file(&[first, count], &rows)
}

/// The query string that shows `f`'s range again (for the CSV links).
pub fn query_of(f: &Figures) -> String {
    let location = f
        .range
        .location
        .map_or_else(|| "all".to_owned(), |id| id.to_string());
    format!(
        "location={location}&from={}&to={}",
        f.range.from.format("%Y-%m-%d"),
        f.range.to.format("%Y-%m-%d")
    )
}

/// One chart's section: heading, SVG, the numbers as a table, CSV link.
fn section(lang: Lang, chart: Chart, svg: Markup, rows: &[(String, i64)], query: &str) -> Markup {
    let title = lang.t(&format!("dashboard-chart-{}", chart.name()));
    html! {
        section.dashboard-chart.dash-panel id=(chart.name()) {
            h2 { (title) }
            (svg)
            details {
                summary { (lang.t("dashboard-numbers")) }
                table {
                    caption { (title) }
                    thead { tr { th scope="col" { (lang.t(&format!("dashboard-col-{}", chart.name()))) } th scope="col" { (lang.t("dashboard-col-count")) } } }
                    tbody {
                        @for (label, n) in rows {
                            tr { th scope="row" { (label) } td { (n) } }
                        }
                    }
                }
            }
            (csv_link(lang, chart, query))
        }
    }
}

/// The CSV download of one chart.
fn csv_link(lang: Lang, chart: Chart, query: &str) -> Markup {
    html! {
        p.dash-csv { a href=(format!("/staff/dashboard/{}.csv?{query}", chart.name())) download { (lang.t("dashboard-csv")) } }
    }
}

/// A weekday's short name, Monday 0.
fn weekday(lang: Lang, day: usize) -> String {
    lang.t(&format!("dashboard-weekday-{}", day + 1))
        .into_owned()
}

/// A location's name by id (a deleted one by its number).
fn location_name(locations: &[(i64, String)], id: i64) -> String {
    locations
        .iter()
        .find(|(l, _)| *l == id)
        .map_or_else(|| format!("#{id}"), |(_, name)| name.clone())
}

/// A range as the reader writes it: "1 Nov 2026 to 30 Nov 2026".
fn range_text(lang: Lang, range: &Range) -> String {
    lang.t_with(
        "dashboard-range",
        &[
            ("from", &format_day(range.from, lang)),
            ("to", &format_day(range.to, lang)),
        ],
    )
    .into_owned()
}

/// Which way a figure should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Better {
    /// Fewer or quicker is better.
    Lower,
    /// More or a larger share is better.
    Higher,
}

/// How a change is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// In percent of the previous value (counts, times, money).
    Relative,
    /// In percentage points (shares that already are percentages).
    Points,
}

/// A figure's change against the previous range: `None` when there is
/// nothing to compare with, else the signed amount (percent or points).
fn change(now: Option<i64>, before: Option<i64>, measure: Measure) -> Option<i64> {
    let (now, before) = (now?, before?);
    match measure {
        Measure::Points => Some(now - before),
        Measure::Relative if before == 0 => (now == 0).then_some(0),
        Measure::Relative => {
            // Rounded half away from zero, in whole percent.
            let diff = (now - before) * 100;
            Some((diff + diff.signum() * before / 2) / before)
        }
    }
}

/// One key figure.
struct Card {
    /// Its catalogue key (also the element id).
    key: &'static str,
    value: String,
    detail: String,
    now: Option<i64>,
    before: Option<i64>,
    measure: Measure,
    better: Better,
}

/// The cards: complaints, first answer (median, on time), resolution on
/// time, satisfaction, recovered customers, gift cost per recovered.
fn cards(lang: Lang, f: &Figures, b: &Figures) -> Vec<Card> {
    let n = |v: i64| v.to_string();
    let on_time = |t: &Times| {
        lang.t_with(
            "dashboard-card-on-time-of",
            &[("n", &n(t.on_time)), ("of", &n(t.count))],
        )
        .into_owned()
    };
    vec![
        Card {
            key: "dashboard-card-complaints",
            value: n(f.complaints()),
            detail: lang
                .t_with("dashboard-card-complaints-of", &[("n", &n(f.total()))])
                .into_owned(),
            now: Some(f.complaints()),
            before: Some(b.complaints()),
            measure: Measure::Relative,
            better: Better::Lower,
        },
        Card {
            key: "dashboard-card-first-median",
            value: duration(lang, f.first_response.median),
            // No answers yet: no "9 in 10 within —" under the dash.
            detail: f
                .first_response
                .p90
                .map(|p90| {
                    lang.t_with(
                        "dashboard-card-p90",
                        &[("time", &duration(lang, Some(p90)))],
                    )
                    .into_owned()
                })
                .unwrap_or_default(),
            now: f.first_response.median,
            before: b.first_response.median,
            measure: Measure::Relative,
            better: Better::Lower,
        },
        Card {
            key: "dashboard-card-first-on-time",
            value: percent(f.first_response.on_time_percent()),
            detail: on_time(&f.first_response),
            now: f.first_response.on_time_percent(),
            before: b.first_response.on_time_percent(),
            measure: Measure::Points,
            better: Better::Higher,
        },
        Card {
            key: "dashboard-card-resolution-on-time",
            value: percent(f.resolution.on_time_percent()),
            detail: on_time(&f.resolution),
            now: f.resolution.on_time_percent(),
            before: b.resolution.on_time_percent(),
            measure: Measure::Points,
            better: Better::Higher,
        },
        Card {
            key: "dashboard-card-satisfaction",
            value: percent(f.happy_percent()),
            detail: lang
                .t_with("dashboard-card-answers", &[("n", &n(f.answered()))])
                .into_owned(),
            now: f.happy_percent(),
            before: b.happy_percent(),
            measure: Measure::Points,
            better: Better::Higher,
        },
        Card {
            key: "dashboard-card-recovered",
            value: n(f.recovered),
            detail: lang
                .t_with(
                    "dashboard-card-recovered-of",
                    &[("of", &n(f.unhappy_answered))],
                )
                .into_owned(),
            now: Some(f.recovered),
            before: Some(b.recovered),
            measure: Measure::Relative,
            better: Better::Higher,
        },
        Card {
            key: "dashboard-card-cost-per-recovered",
            value: money(lang, f.cost_per_recovered_cents()),
            detail: lang
                .t_with(
                    "dashboard-card-spend",
                    &[
                        ("spend", &money(lang, Some(f.gifts.spend_cents))),
                        ("n", &n(f.gifts.sent)),
                    ],
                )
                .into_owned(),
            now: f.cost_per_recovered_cents(),
            before: b.cost_per_recovered_cents(),
            measure: Measure::Relative,
            better: Better::Lower,
        },
    ]
}

/// A card's change line: arrow, amount and period in words, and whether
/// that is better or worse, in colour too.
fn change_line(lang: Lang, card: &Card, days: i64) -> Markup {
    let vs = if days == 1 {
        lang.t("dashboard-vs-previous-day").into_owned()
    } else {
        lang.t_with("dashboard-vs-previous", &[("days", &days.to_string())])
            .into_owned()
    };
    let Some(amount) = change(card.now, card.before, card.measure) else {
        return html! { p.dash-change.dash-same { (lang.t("dashboard-no-previous")) } };
    };
    if amount == 0 {
        return html! { p.dash-change.dash-same { span aria-hidden="true" { "■ " } (lang.t("dashboard-no-change")) " " (vs) } };
    }
    let up = amount > 0;
    let good = up == (card.better == Better::Higher);
    let size = amount.abs().to_string();
    let amount_text = match card.measure {
        Measure::Relative => lang.t_with("dashboard-change-percent", &[("n", &size)]),
        Measure::Points => lang.t_with("dashboard-change-points", &[("n", &size)]),
    };
    html! {
        p.dash-change.dash-good[good].dash-bad[!good] {
            span aria-hidden="true" { (if up { "▲ " } else { "▼ " }) }
            span.dash-sr { (lang.t(if up { "dashboard-up" } else { "dashboard-down" })) " " }
            (amount_text) " " (vs)
            " · " strong { (lang.t(if good { "dashboard-better" } else { "dashboard-worse" })) }
        }
    }
}

/// The locations side by side.
fn locations_table(
    lang: Lang,
    rows: &[LocationFigures],
    names: &[(i64, String)],
    query: &str,
) -> Markup {
    let title = lang.t("dashboard-chart-locations");
    html! {
        section.dash-panel id="locations" {
            h2 { (title) }
            div.dash-scroll role="region" aria-labelledby="locations-caption" tabindex="0" {
                table.dash-table {
                    caption.dash-sr id="locations-caption" { (title) }
                    thead { tr {
                        th scope="col" { (lang.t("dashboard-location")) }
                        th scope="col" { (lang.t("dashboard-card-complaints")) }
                        th scope="col" { (lang.t("dashboard-first-median")) }
                        th scope="col" { (lang.t("dashboard-first-sla")) }
                        th scope="col" { (lang.t("dashboard-happy")) }
                        th scope="col" { (lang.t("dashboard-recovered")) }
                    } }
                    tbody {
                        @for l in rows {
                            tr {
                                th scope="row" { (location_name(names, l.location_id)) }
                                td { (l.complaints) }
                                td { (duration(lang, l.first_response.median)) }
                                td { (percent(l.first_response.on_time_percent())) }
                                td { (percent(l.happy_percent())) }
                                td { (l.recovered) }
                            }
                        }
                    }
                }
            }
            (csv_link(lang, Chart::Locations, query))
        }
    }
}

/// The heat map's shade of a count: 0 for none, else 1–4 by its share of
/// the busiest hour.
fn heat_level(n: i64, max: i64) -> i64 {
    if n <= 0 || max <= 0 {
        0
    } else {
        ((n * 4 + max - 1) / max).clamp(1, 4)
    }
}

/// The hour-of-week heat map of unhappy feedback: a real table, weekdays
/// down, hours across, each count as text, shaded by count.
fn heat_map(lang: Lang, f: &Figures, zone: &str, query: &str) -> Markup {
    let title = lang.t("dashboard-chart-hours");
    let max = f.hours.iter().flatten().copied().max().unwrap_or(0);
    let total: i64 = f.hours.iter().flatten().sum();
    html! {
        section.dash-panel id="hours" {
            h2 { (title) }
            p.hint { (lang.t_with("dashboard-hours-note", &[("zone", zone), ("n", &total.to_string())])) }
            div.dash-scroll role="region" aria-labelledby="hours-caption" tabindex="0" {
                table.dash-heat {
                    caption.dash-sr id="hours-caption" { (title) " (" (zone) ")" }
                    thead { tr {
                        td {}
                        @for hour in 0..24 { th scope="col" { (hour) } }
                    } }
                    tbody {
                        @for (day, hours) in f.hours.iter().enumerate() {
                            @let name = weekday(lang, day);
                            tr {
                                th scope="row" { (name) }
                                @for (hour, n) in hours.iter().enumerate() {
                                    td class=(format!("dash-heat-{}", heat_level(*n, max)))
                                        title=(lang.t_with("dashboard-hour-cell", &[("day", &name), ("hour", &format!("{hour:02}")), ("n", &n.to_string())])) {
                                        (n)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (csv_link(lang, Chart::Hours, query))
        }
    }
}

/// The dashboard page.
pub fn page(lang: Lang, nav: StaffNav<'_>, p: &DashboardPage<'_>) -> Markup {
    let title = lang.t("dashboard-title");
    let content = html! {
        // Only this page needs these rules.
        link rel="stylesheet" href="/static/css/dashboard.css";
        form.dashboard-range.dash-range method="get" action="/staff/dashboard" {
            div.dash-field {
                label for="location" { (lang.t("dashboard-location")) }
                select id="location" name="location" {
                    option value="all" selected[p.location.is_none()] { (lang.t("dashboard-all-locations")) }
                    @for (id, name) in p.locations {
                        option value=(id) selected[p.location == Some(*id)] { (name) }
                    }
                }
            }
            div.dash-field {
                label for="from" { (lang.t("dashboard-from")) }
                input type="date" id="from" name="from" value=(p.from)
                    aria-describedby=[p.error.map(|_| "range-error")];
            }
            div.dash-field {
                label for="to" { (lang.t("dashboard-to")) }
                input type="date" id="to" name="to" value=(p.to);
            }
            button type="submit" { (lang.t("dashboard-show")) }
        }
        @if let Some(key) = p.error {
            p.field-error id="range-error" role="alert" { (lang.t(key)) }
        }
        @if p.shortened {
            p.note { (lang.t_with("dashboard-shortened", &[("days", &crate::domain::dashboard::MAX_DAYS.to_string())])) }
        }
        @if let (Some(f), Some(b)) = (p.figures, p.previous) {
            @let query = query_of(f);
            @let days = (f.range.to - f.range.from).num_days() + 1;
            p.dash-period {
                strong { (range_text(lang, &f.range)) }
                " · " (lang.t_with("dashboard-compared-with", &[("range", &range_text(lang, &b.range))]))
            }
            section aria-labelledby="cards-title" {
                h2.dash-sr id="cards-title" { (lang.t("dashboard-cards")) }
                ul.dash-cards {
                    @for card in cards(lang, f, b) {
                        li.dash-card id=(card.key) {
                            h3 { (lang.t(card.key)) }
                            p.dash-value { (card.value) }
                            p.dash-detail { (card.detail) }
                            (change_line(lang, &card, days))
                        }
                    }
                }
            }
            @if f.locations.len() > 1 {
                (locations_table(lang, &f.locations, p.locations, &query))
            }
            (heat_map(lang, f, p.zone, &query))
            div.dash-grid {
                @for chart in Chart::BARS {
                    @let rows = chart_rows(lang, chart, f, p.categories);
                    @let title = lang.t(&format!("dashboard-chart-{}", chart.name()));
                    @let id = format!("chart-{}-title", chart.name());
                    @let svg = match chart {
                        Chart::Volume => {
                            let bars: Vec<Bar> = f.volume.iter().map(|(day, n)| Bar {
                                label: format_day_month(*day, lang),
                                value: *n,
                                colour: BLUE,
                            }).collect();
                            let every = bars.len().div_ceil(10);
                            chart::columns(&id, &title, &bars, every)
                        }
                        Chart::Faces | Chart::Satisfaction => {
                            let bars: Vec<Bar> = rows.iter().zip(FACE_COLOURS).map(|((label, n), colour)| Bar {
                                label: label.clone(),
                                value: *n,
                                colour,
                            }).collect();
                            chart::rows(&id, &title, &bars)
                        }
                        _ => {
                            let bars: Vec<Bar> = rows.iter().map(|(label, n)| Bar {
                                label: label.clone(),
                                value: *n,
                                colour: BLUE,
                            }).collect();
                            chart::rows(&id, &title, &bars)
                        }
                    };
                    // The page's table reads dates in the reader's language; the CSV keeps ISO.
                    @let shown: Vec<(String, i64)> = if chart == Chart::Volume {
                        f.volume.iter().map(|(day, n)| (format_day(*day, lang), *n)).collect()
                    } else {
                        rows
                    };
                    (section(lang, chart, svg, &shown, &query))
                }
            }
            section.dashboard-figures.dash-panel id="figures" {
                h2 { (lang.t("dashboard-chart-figures")) }
                details {
                    summary { (lang.t("dashboard-numbers")) }
                    table.dash-table {
                        caption { (range_text(lang, &f.range)) }
                        tbody {
                            @for (label, shown, _, _) in figure_rows(lang, f) {
                                tr { th scope="row" { (label) } td { (shown) } }
                            }
                        }
                    }
                }
                p.note { (lang.t("dashboard-times-note")) }
                (csv_link(lang, Chart::Figures, &query))
            }
        }
    };
    staff_page(lang, nav, &title, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_money_read_well() {
        assert_eq!(duration(Lang::En, Some(45)), "45 min");
        assert_eq!(duration(Lang::En, Some(125)), "2 h 05 min");
        assert_eq!(duration(Lang::Nl, Some(125)), "2 u 05 min");
        assert_eq!(duration(Lang::En, Some(3 * 1440 + 60)), "3 d 1 h");
        assert_eq!(duration(Lang::En, None), "—");
        assert_eq!(money(Lang::Nl, Some(1250)), "€ 12,50");
        assert_eq!(money(Lang::En, Some(5)), "€0.05");
    }

    #[test]
    fn changes_round_and_compare() {
        assert_eq!(change(Some(112), Some(100), Measure::Relative), Some(12));
        assert_eq!(change(Some(3), Some(2), Measure::Relative), Some(50));
        assert_eq!(change(Some(1), Some(3), Measure::Relative), Some(-67));
        assert_eq!(change(Some(0), Some(0), Measure::Relative), Some(0));
        assert_eq!(change(Some(4), Some(0), Measure::Relative), None);
        assert_eq!(change(Some(80), Some(75), Measure::Points), Some(5));
        assert_eq!(change(None, Some(75), Measure::Points), None);
        assert_eq!(heat_level(0, 9), 0);
        assert_eq!(heat_level(1, 9), 1);
        assert_eq!(heat_level(9, 9), 4);
        assert_eq!(heat_level(5, 9), 3);
    }
}
