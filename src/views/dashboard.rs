//! The owner's dashboard page: the range form, the figures block, and one
//! SVG chart per breakdown, each with its numbers as a table for screen
//! readers and a CSV download; and the CSV files themselves.

use super::chart::{self, Bar, BLUE};
use super::csv;
use super::layout::{staff_page, StaffNav};
use crate::domain::category::Category;
use crate::domain::dashboard::{Figures, Times};
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
}

impl Chart {
    /// Every chart.
    pub const ALL: [Chart; 6] = [
        Chart::Figures,
        Chart::Volume,
        Chart::Categories,
        Chart::Faces,
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
    /// Category names by id.
    pub categories: &'a BTreeMap<i64, Category>,
}

/// A category's name in `lang` (0: none chosen).
fn category_label(lang: Lang, categories: &BTreeMap<i64, Category>, id: i64) -> String {
    match categories.get(&id) {
        Some(c) => c.name(lang).to_owned(),
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
        Chart::Figures => Vec::new(),
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
) -> String {
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
        section.dashboard-chart id=(chart.name()) {
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
            p { a href=(format!("/staff/dashboard/{}.csv?{query}", chart.name())) download { (lang.t("dashboard-csv")) } }
        }
    }
}

/// The dashboard page.
pub fn page(lang: Lang, nav: StaffNav<'_>, p: &DashboardPage<'_>) -> Markup {
    let title = lang.t("dashboard-title");
    let content = html! {
        form.dashboard-range method="get" action="/staff/dashboard" {
            label for="location" { (lang.t("dashboard-location")) }
            select id="location" name="location" {
                option value="all" selected[p.location.is_none()] { (lang.t("dashboard-all-locations")) }
                @for (id, name) in p.locations {
                    option value=(id) selected[p.location == Some(*id)] { (name) }
                }
            }
            label for="from" { (lang.t("dashboard-from")) }
            input type="date" id="from" name="from" value=(p.from)
                aria-describedby=[p.error.map(|_| "range-error")];
            label for="to" { (lang.t("dashboard-to")) }
            input type="date" id="to" name="to" value=(p.to);
            button type="submit" { (lang.t("dashboard-show")) }
        }
        @if let Some(key) = p.error {
            p.field-error id="range-error" role="alert" { (lang.t(key)) }
        }
        @if p.shortened {
            p.note { (lang.t_with("dashboard-shortened", &[("days", &crate::domain::dashboard::MAX_DAYS.to_string())])) }
        }
        @if let Some(f) = p.figures {
            @let query = query_of(f);
            section.dashboard-figures id="figures" {
                h2 { (lang.t("dashboard-chart-figures")) }
                table {
                    caption { (lang.t_with("dashboard-range", &[("from", &f.range.from.format("%Y-%m-%d").to_string()), ("to", &f.range.to.format("%Y-%m-%d").to_string())])) }
                    tbody {
                        @for (label, shown, _, _) in figure_rows(lang, f) {
                            tr { th scope="row" { (label) } td { (shown) } }
                        }
                    }
                }
                p.note { (lang.t("dashboard-times-note")) }
                p { a href=(format!("/staff/dashboard/figures.csv?{query}")) download { (lang.t("dashboard-csv")) } }
            }
            @for chart in Chart::ALL.into_iter().skip(1) {
                @let rows = chart_rows(lang, chart, f, p.categories);
                @let title = lang.t(&format!("dashboard-chart-{}", chart.name()));
                @let id = format!("chart-{}-title", chart.name());
                @let svg = match chart {
                    Chart::Volume => {
                        let bars: Vec<Bar> = f.volume.iter().map(|(day, n)| Bar {
                            label: day.format("%d-%m").to_string(),
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
                (section(lang, chart, svg, &rows, &query))
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
}
