//! Gift pages: the catalogue and budgets (owners), the send form, the gift
//! list, one gift, the approvals list, the till, and the customer's gift page.

use super::components::{
    active_badge, active_toggle, brand_header, column_heads, error_summary, field_error,
    missing_languages, moment, post_button, written_fields, FormDraft, WrittenFields,
};
use super::layout::{public_page, staff_page, StaffNav};
use crate::domain::gift::{
    Budget, CatalogueInput, CatalogueItem, GiftLine, Kind, Redemption, State, DESCRIPTION_FIELDS,
    MAX_TITLE, REDEEM_FIELDS, TITLE_FIELDS,
};
use crate::domain::local_time::{format_date, format_moment};
use crate::domain::location::Location;
use crate::domain::money::{amount_input, format_money};
use crate::domain::profile::Brand;
use crate::domain::FieldError;
use crate::i18n::{Lang, Written};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
// Only the QR code's SVG, which we draw ourselves from a code of our own
// alphabet, is pre-escaped; no user text ever is.
use maud::{html, Markup, PreEscaped};

/// Which catalogue form shows what was typed (with the errors), if any.
#[derive(Clone, Copy)]
pub enum CatalogueDraft<'a> {
    /// Every form shows the stored values.
    None,
    /// The new-entry form.
    New(&'a CatalogueInput),
    /// The form of an existing entry.
    Existing(i64, &'a CatalogueInput),
    /// A location's budget form: (location, budget, approval amount).
    Budget(i64, &'a str, &'a str),
}

impl<'a> CatalogueDraft<'a> {
    /// The draft of the catalogue entries' forms (none for a budget form).
    fn entries(self) -> FormDraft<'a, CatalogueInput> {
        match self {
            CatalogueDraft::New(input) => FormDraft::New(input),
            CatalogueDraft::Existing(id, input) => FormDraft::Existing(id, input),
            CatalogueDraft::None | CatalogueDraft::Budget(..) => FormDraft::None,
        }
    }
}

fn badge(lang: Lang, state: State) -> Markup {
    let class = match state {
        State::Valid | State::Redeemed => "badge ok",
        State::Awaiting => "badge",
        State::Declined | State::Expired | State::Void => "badge bad",
    };
    html! { span class=(class) { (lang.t(&format!("gift-state-{}", state.as_str()))) } }
}

/// A gift page: the staff frame, and the gift pages' own links (the
/// owner's too for owners) above `content`.
fn gift_page(lang: Lang, nav: StaffNav<'_>, title: &str, content: Markup) -> Markup {
    let is_owner = nav.is_owner;
    staff_page(
        lang,
        nav,
        title,
        html! {
            nav.subnav aria-label=(lang.t("gift-nav")) {
                a href="/staff/gifts" { (lang.t("gift-list-title")) }
                " · " a href="/staff/gifts/new" { (lang.t("gift-send-new")) }
                " · " a href="/staff/redeem" { (lang.t("gift-till-nav")) }
                @if is_owner {
                    " · " a href="/staff/gifts/catalogue" { (lang.t("gift-catalogue-title")) }
                    " · " a href="/staff/gifts/approvals" { (lang.t("gift-approvals-title")) }
                }
            }
            (content)
        },
    )
}

/// A labelled one-line field with its error; `prefix` keeps the id unique
/// per form.
fn text_field(
    lang: Lang,
    prefix: &str,
    errors: &[FieldError],
    name: &str,
    label: &str,
    value: &str,
) -> Markup {
    let id = format!("{prefix}{name}");
    html! {
        label for=(id) { (lang.t(label)) }
        input type="text" id=(id) name=(name) value=(value);
        (field_error(lang, errors, name))
    }
}

fn item_fields(
    lang: Lang,
    prefix: &str,
    input: &CatalogueInput,
    offered: &[Lang],
    errors: &[FieldError],
) -> Markup {
    fn written<'a>(
        (prefix, offered): (&'a str, &'a [Lang]),
        group: &'static str,
        fields: [&'static str; 4],
        legend: &'static str,
        texts: &'a Written,
        rows: Option<u8>,
    ) -> WrittenFields<'a> {
        WrittenFields {
            prefix,
            group,
            fields,
            legend,
            texts: texts.borrowed(),
            offered,
            rows,
            max_line: MAX_TITLE,
        }
    }
    let at = (prefix, offered);
    let kind_id = format!("{prefix}kind");
    html! {
        label for=(kind_id) { (lang.t("gift-kind")) }
        select id=(kind_id) name="kind" {
            @for kind in Kind::ALL {
                option value=(kind.as_str()) selected[input.kind == kind.as_str()] {
                    (lang.t(&format!("gift-kind-{}", kind.as_str())))
                }
            }
        }
        (field_error(lang, errors, "kind"))
        (written_fields(lang, errors, &written(at, "title", TITLE_FIELDS, "gift-title", &input.titles, None)))
        (written_fields(lang, errors, &written(at, "description", DESCRIPTION_FIELDS, "gift-description", &input.descriptions, Some(3))))
        (written_fields(lang, errors, &written(at, "redeem", REDEEM_FIELDS, "gift-redeem", &input.redeem, Some(3))))
        p.hint { (lang.t("gift-value-hint")) }
        (text_field(lang, prefix, errors, "value", "gift-value", &input.value))
        (text_field(lang, prefix, errors, "percent", "gift-percent", &input.percent))
        (text_field(lang, prefix, errors, "currency", "gift-currency", if input.currency.is_empty() { "EUR" } else { &input.currency }))
        (text_field(lang, prefix, errors, "cost", "gift-cost", &input.cost))
        (text_field(lang, prefix, errors, "validity_days", "gift-validity-days", &input.validity_days))
    }
}

/// This month's spending at a location, against its budget if it has one.
fn spend_text(lang: Lang, spent_cents: i64, budget_cents: Option<i64>) -> String {
    let spent = format_money(spent_cents, "EUR", lang);
    match budget_cents {
        Some(budget) => lang.t_with(
            "gift-spend",
            &[
                ("spent", &spent),
                ("budget", &format_money(budget, "EUR", lang)),
            ],
        ),
        None => lang.t_with("gift-spend-unlimited", &[("spent", &spent)]),
    }
    .into_owned()
}

/// The owner's catalogue page: every entry with its form, a new-entry form,
/// and each location's budget.
pub fn catalogue(
    lang: Lang,
    nav: StaffNav<'_>,
    items: &[CatalogueItem],
    offered: &[Lang],
    budgets: &[Budget],
    draft: CatalogueDraft<'_>,
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("gift-catalogue-title");
    let empty = CatalogueInput {
        validity_days: "90".into(),
        currency: "EUR".into(),
        ..CatalogueInput::default()
    };
    gift_page(
        lang,
        nav,
        &title,
        html! {
            p { (lang.t("gift-catalogue-lead")) }
            (error_summary(lang, errors))
            @for item in items {
                @let (input, row_errors) = draft.entries().row(item.id, errors, || CatalogueInput::from_item(item));
                section.card id=(format!("item-{}", item.id)) {
                    h2 { (item.title(lang, lang)) " · " (item.value_text(lang)) " " (active_badge(lang, item.active)) }
                    (missing_languages(lang, &[item.titles(), item.descriptions(), item.redeem_texts()], offered))
                    details {
                        summary { (lang.t("gift-edit")) }
                        form method="post" action=(format!("/staff/gifts/catalogue/{}", item.id)) {
                            input type="hidden" name="csrf" value=(csrf);
                            (item_fields(lang, &format!("c{}-", item.id), &input, offered, row_errors))
                            button type="submit" { (lang.t("owner-save")) }
                        }
                    }
                    (active_toggle(
                        &format!("/staff/gifts/catalogue/{}/active", item.id),
                        &csrf,
                        item.active,
                        &if item.active { lang.t("gift-withdraw") } else { lang.t("gift-offer") },
                        Some("link"),
                    ))
                    " "
                    (post_button(&format!("/staff/gifts/catalogue/{}/remove", item.id), &csrf, &lang.t("gift-remove")))
                }
            }
            section.card {
                h2 { (lang.t("gift-catalogue-new")) }
                @let (input, new_errors) = draft.entries().new_row(&empty, errors);
                form method="post" action="/staff/gifts/catalogue" {
                    input type="hidden" name="csrf" value=(csrf);
                    (item_fields(lang, "", input, offered, new_errors))
                    button.primary type="submit" { (lang.t("gift-catalogue-add")) }
                }
            }
            h2 { (lang.t("gift-budgets")) }
            p { (lang.t("gift-budgets-lead")) }
            @for b in budgets {
                @let (budget, above, row_errors) = match draft {
                    CatalogueDraft::Budget(id, budget, above) if id == b.location_id => (budget.to_owned(), above.to_owned(), errors),
                    _ => (
                        b.budget_cents.map(amount_input).unwrap_or_default(),
                        b.approval_above_cents.map(amount_input).unwrap_or_default(),
                        &[][..],
                    ),
                };
                section.card id=(format!("budget-{}", b.location_id)) {
                    h3 { (b.name) }
                    p.spend { (spend_text(lang, b.spent_cents, b.budget_cents)) }
                    form method="post" action=(format!("/staff/gifts/budget/{}", b.location_id)) {
                        input type="hidden" name="csrf" value=(csrf);
                        (text_field(lang, &format!("b{}-", b.location_id), row_errors, "budget", "gift-budget", &budget))
                        (text_field(lang, &format!("b{}-", b.location_id), row_errors, "approval_above", "gift-approval-above", &above))
                        button type="submit" { (lang.t("owner-save")) }
                    }
                }
            }
        },
    )
}

fn gift_table(lang: Lang, tz: Tz, lines: &[GiftLine], now: NaiveDateTime) -> Markup {
    html! {
        @if lines.is_empty() {
            p.muted { (lang.t("gift-none")) }
        } @else {
            table.gifts {
                (column_heads(&[
                    lang.t("gift-col-gift"),
                    lang.t("gift-col-status"),
                    lang.t("gift-col-recipient"),
                    lang.t("gift-col-location"),
                    lang.t("gift-col-by"),
                    lang.t("gift-col-when"),
                ]))
                tbody {
                    @for line in lines {
                        tr {
                            td { a href=(format!("/staff/gifts/{}", line.gift.id)) { (line.gift.title) } " · " (line.gift.value_text(lang)) }
                            td { (badge(lang, line.gift.state(now))) }
                            td { (line.gift.recipient_name.as_deref().or(line.gift.recipient_email.as_deref()).unwrap_or("—")) }
                            td { (line.location) }
                            td { (line.created_by) }
                            td { (moment(lang, tz, line.gift.created_at)) }
                        }
                    }
                }
            }
        }
    }
}

/// The latest gifts.
pub fn list(
    lang: Lang,
    nav: StaffNav<'_>,
    tz: Tz,
    lines: &[GiftLine],
    now: NaiveDateTime,
) -> Markup {
    gift_page(
        lang,
        nav,
        &lang.t("gift-list-title"),
        html! {
            (gift_table(lang, tz, lines, now))
        },
    )
}

/// The gifts waiting for an owner, each with approve and decline.
pub fn approvals(
    lang: Lang,
    nav: StaffNav<'_>,
    tz: Tz,
    lines: &[GiftLine],
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    gift_page(
        lang,
        nav,
        &lang.t("gift-approvals-title"),
        html! {
            (error_summary(lang, errors))
            @if lines.is_empty() { p.muted { (lang.t("gift-approvals-none")) } }
            @for line in lines {
                section.card.approval {
                    h2 { a href=(format!("/staff/gifts/{}", line.gift.id)) { (line.gift.title) } }
                    p { (lang.t_with("gift-asked", &[
                        ("name", &line.created_by),
                        ("location", &line.location),
                        ("cost", &format_money(line.gift.cost_cents, &line.gift.currency, lang)),
                    ])) " · " (moment(lang, tz, line.gift.created_at)) }
                    (decision_forms(lang, &csrf, line.gift.id, errors))
                }
            }
        },
    )
}

fn decision_forms(lang: Lang, csrf: &str, id: i64, errors: &[FieldError]) -> Markup {
    html! {
        form.inline method="post" action=(format!("/staff/gifts/{id}/approve")) {
            input type="hidden" name="csrf" value=(csrf);
            button.primary type="submit" { (lang.t("gift-approve")) }
        }
        form method="post" action=(format!("/staff/gifts/{id}/decline")) {
            input type="hidden" name="csrf" value=(csrf);
            label for=(format!("reason-{id}")) { (lang.t("gift-decline-reason")) }
            input type="text" id=(format!("reason-{id}")) name="reason" maxlength="500";
            (field_error(lang, errors, "reason"))
            button type="submit" { (lang.t("gift-decline")) }
        }
    }
}

/// One gift for staff: what, to whom, its state and history; approve or
/// decline while it waits and void once sent (owners).
#[expect(
    clippy::too_many_arguments,
    reason = "the page's parts come from separate reads and the request"
)]
pub fn detail(
    lang: Lang,
    nav: StaffNav<'_>,
    tz: Tz,
    line: &GiftLine,
    ticket: Option<(i64, &str)>,
    now: NaiveDateTime,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let is_owner = nav.is_owner;
    let g = &line.gift;
    let state = g.state(now);
    gift_page(
        lang,
        nav,
        &g.title,
        html! {
            @if let Some(key) = notice { p.notice role="status" { (lang.t(key)) } }
            (error_summary(lang, errors))
            section.card {
                p { (badge(lang, state)) " " (g.value_text(lang)) " · " (lang.t_with("gift-cost-is", &[("cost", &format_money(g.cost_cents, &g.currency, lang))])) }
                dl {
                    dt { (lang.t("gift-col-recipient")) }
                    dd { (g.recipient_name.as_deref().unwrap_or("")) " " (g.recipient_email.as_deref().unwrap_or("—")) }
                    dt { (lang.t("gift-col-location")) } dd { (line.location) }
                    @if let Some((id, reference)) = ticket {
                        dt { (lang.t("gift-ticket")) } dd { a href=(format!("/staff/tickets/{id}")) { (reference) } }
                    }
                    dt { (lang.t("gift-col-by")) } dd { (line.created_by) " · " (moment(lang, tz, g.created_at)) }
                    @if !g.message.is_empty() { dt { (lang.t("gift-message")) } dd.body { (g.message) } }
                    @if let (Some(by), Some(at)) = (&line.decided_by, g.decided_at) {
                        dt { (lang.t("gift-decided")) } dd { (by) " · " (moment(lang, tz, at)) }
                    }
                    @if let Some(reason) = &g.decline_reason { dt { (lang.t("gift-decline-reason")) } dd.body { (reason) } }
                    @if let Some(at) = g.sent_at { dt { (lang.t("gift-sent-at")) } dd { (moment(lang, tz, at)) } }
                    @if let Some(at) = g.expires_at { dt { (lang.t("gift-expires-at")) } dd { (moment(lang, tz, at)) } }
                    @if let Some(at) = g.redeemed_at {
                        dt { (lang.t("gift-redeemed-at")) }
                        dd { (moment(lang, tz, at)) " · " (line.redeemed_at_location.as_deref().unwrap_or("")) " · " (line.redeemed_by.as_deref().unwrap_or("")) }
                    }
                    @if let Some(at) = g.voided_at {
                        dt { (lang.t("gift-voided-at")) } dd { (moment(lang, tz, at)) " · " (line.voided_by.as_deref().unwrap_or("")) }
                    }
                }
            }
            @if is_owner && state == State::Awaiting {
                section.card { (decision_forms(lang, &csrf, g.id, errors)) }
            }
            @if is_owner && state == State::Valid {
                form.card method="post" action=(format!("/staff/gifts/{}/void", g.id)) {
                    input type="hidden" name="csrf" value=(csrf);
                    p { (lang.t("gift-void-lead")) }
                    label { input type="checkbox" id="confirm" name="confirm" value="yes"; " " (lang.t("gift-void-confirm")) }
                    (field_error(lang, errors, "confirm"))
                    button type="submit" { (lang.t("gift-void")) }
                }
            }
        },
    )
}

/// What the send form holds.
#[derive(Debug, Clone, Default)]
pub struct SendDraft {
    /// Chosen catalogue entry.
    pub catalogue_id: String,
    /// Chosen location.
    pub location_id: String,
    /// Recipient address.
    pub email: String,
    /// Recipient name.
    pub name: String,
    /// Personal message.
    pub message: String,
    /// The customer's language.
    pub language: String,
}

/// The send page's data.
pub struct SendPage<'a> {
    /// Staff member's language.
    pub lang: Lang,
    /// Navigation.
    pub nav: StaffNav<'a>,
    /// The ticket (id, reference) when sending from one.
    pub ticket: Option<(i64, &'a str)>,
    /// Active catalogue entries.
    pub items: &'a [CatalogueItem],
    /// Each location's budget and spend.
    pub budgets: &'a [Budget],
    /// The form's values.
    pub draft: &'a SendDraft,
    /// The signed request key of this form.
    pub key: &'a str,
    /// Whether the sender is an owner (who may send past the budget).
    pub is_owner: bool,
    /// Errors.
    pub errors: &'a [FieldError],
}

/// The send form: catalogue pick, recipient, personal message, and each
/// location's spend this month against its budget.
pub fn send(p: SendPage<'_>) -> Markup {
    let lang = p.lang;
    let csrf = p.nav.csrf.to_owned();
    let d = p.draft;
    let (title, action) = match p.ticket {
        Some((id, reference)) => (
            lang.t_with("gift-send-for", &[("reference", reference)])
                .into_owned(),
            format!("/staff/tickets/{id}/gift"),
        ),
        None => (
            lang.t("gift-send-new").into_owned(),
            "/staff/gifts/new".to_owned(),
        ),
    };
    gift_page(
        lang,
        p.nav,
        &title,
        html! {
            (error_summary(lang, p.errors))
            @if p.items.is_empty() {
                p.notice { (lang.t("gift-catalogue-empty")) }
            }
            form.card method="post" action=(action) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="key" value=(p.key);
                fieldset {
                    legend { (lang.t("gift-pick")) }
                    @for item in p.items {
                        @let id = format!("catalogue-{}", item.id);
                        div.choice {
                            input type="radio" id=(id) name="catalogue_id" value=(item.id) checked[d.catalogue_id == item.id.to_string()];
                            label for=(id) {
                                (item.title(lang, lang)) " · " (item.value_text(lang)) " · "
                                (lang.t_with("gift-cost-is", &[("cost", &format_money(item.cost_cents, &item.currency, lang))]))
                            }
                        }
                    }
                }
                span id="catalogue_id" {}
                (field_error(lang, p.errors, "catalogue_id"))
                label for="location_id" { (lang.t("gift-location")) }
                select id="location_id" name="location_id" {
                    @for b in p.budgets {
                        option value=(b.location_id) selected[d.location_id == b.location_id.to_string()] { (b.name) }
                    }
                }
                (field_error(lang, p.errors, "location_id"))
                ul.spend {
                    @for b in p.budgets {
                        li { (b.name) ": " (spend_text(lang, b.spent_cents, b.budget_cents))
                        @if let Some(above) = b.approval_above_cents {
                            " · " (lang.t_with("gift-approval-from", &[("amount", &format_money(above, "EUR", lang))]))
                        } }
                    }
                }
                label for="email" { (lang.t("gift-email")) }
                input type="email" id="email" name="email" value=(d.email) autocomplete="off";
                (field_error(lang, p.errors, "email"))
                label for="name" { (lang.t("gift-name")) }
                input type="text" id="name" name="name" value=(d.name) autocomplete="off";
                (field_error(lang, p.errors, "name"))
                label for="language" { (lang.t("gift-language")) }
                select id="language" name="language" {
                    @for l in Lang::ALL {
                        option value=(l.code()) selected[d.language == l.code()] { (lang.t(&format!("lang-name-{}", l.code()))) }
                    }
                }
                (field_error(lang, p.errors, "language"))
                label for="message" { (lang.t("gift-message")) }
                textarea id="message" name="message" rows="4" { (d.message) }
                (field_error(lang, p.errors, "message"))
                @if p.is_owner {
                    div.check {
                        input type="checkbox" id="send_anyway" name="send_anyway" value="yes";
                        label for="send_anyway" { (lang.t("gift-send-anyway")) }
                    }
                    (field_error(lang, p.errors, "send_anyway"))
                }
                (field_error(lang, p.errors, "key"))
                p.hint { (lang.t("gift-send-hint")) }
                button.primary type="submit" { (lang.t("gift-send")) }
            }
        },
    )
}

/// What the till page answers.
pub enum TillAnswer<'a> {
    /// Nothing typed yet.
    None,
    /// No gift has this code.
    Unknown,
    /// Step 1: the gift and its state.
    Found(&'a GiftLine, NaiveDateTime),
    /// Step 2: the outcome of redeeming it.
    Outcome(&'a GiftLine, &'a Redemption, NaiveDateTime),
}

fn gift_summary(lang: Lang, tz: Tz, line: &GiftLine, now: NaiveDateTime) -> Markup {
    let g = &line.gift;
    html! {
        h2 { (g.title) " · " (g.value_text(lang)) " " (badge(lang, g.state(now))) }
        @if !g.description.is_empty() { p { (g.description) } }
        p { (lang.t("gift-col-location")) ": " (line.location) }
        @if let Some(at) = g.expires_at { p { (lang.t("gift-expires-at")) ": " (moment(lang, tz, at)) } }
    }
}

fn refusal(lang: Lang, tz: Tz, line: &GiftLine, now: NaiveDateTime) -> Option<String> {
    let g = &line.gift;
    let time = |t: Option<NaiveDateTime>| t.map(|t| format_moment(tz, t, lang)).unwrap_or_default();
    match g.state(now) {
        State::Redeemed => Some(
            lang.t_with(
                "gift-till-already",
                &[
                    ("when", &time(g.redeemed_at)),
                    (
                        "location",
                        line.redeemed_at_location.as_deref().unwrap_or(""),
                    ),
                    ("name", line.redeemed_by.as_deref().unwrap_or("")),
                ],
            )
            .into_owned(),
        ),
        State::Expired => Some(
            lang.t_with("gift-till-expired", &[("when", &time(g.expires_at))])
                .into_owned(),
        ),
        State::Void => Some(
            lang.t_with("gift-till-void", &[("when", &time(g.voided_at))])
                .into_owned(),
        ),
        State::Awaiting | State::Declined => Some(lang.t("gift-till-not-sent").into_owned()),
        State::Valid => None,
    }
}

/// The till: type or scan a code; the gift and its state; the outcome.
pub fn till(
    lang: Lang,
    nav: StaffNav<'_>,
    tz: Tz,
    locations: &[Location],
    typed: &str,
    answer: TillAnswer<'_>,
) -> Markup {
    let csrf = nav.csrf.to_owned();
    gift_page(
        lang,
        nav,
        &lang.t("gift-till-title"),
        html! {
            @match answer {
                TillAnswer::None => {},
                TillAnswer::Unknown => { p.till-answer.bad role="alert" { (lang.t("gift-till-unknown")) } },
                TillAnswer::Found(line, now) => {
                    section.card {
                        (gift_summary(lang, tz, line, now))
                        @if let Some(reason) = refusal(lang, tz, line, now) {
                            p.till-answer.bad role="alert" { (reason) }
                        } @else {
                            form method="post" action="/staff/redeem/confirm" {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="code" value=(typed);
                                label for="location_id" { (lang.t("gift-till-location")) }
                                select id="location_id" name="location_id" {
                                    @for l in locations.iter().filter(|l| l.active) {
                                        option value=(l.id) selected[l.id == line.gift.location_id] { (l.name) }
                                    }
                                }
                                button.primary type="submit" { (lang.t("gift-till-redeem")) }
                            }
                        }
                    }
                },
                TillAnswer::Outcome(line, outcome, now) => {
                    section.card {
                        @if *outcome == Redemption::Redeemed {
                            p.till-answer.ok role="status" { (lang.t("gift-till-done")) }
                        } @else if let Some(reason) = refusal(lang, tz, line, now) {
                            p.till-answer.bad role="alert" { (reason) }
                        }
                        (gift_summary(lang, tz, line, now))
                    }
                },
            }
            form.card method="post" action="/staff/redeem" {
                input type="hidden" name="csrf" value=(csrf);
                label for="code" { (lang.t("gift-till-code")) }
                input.code type="text" id="code" name="code" value=(typed) autocomplete="off" autocapitalize="characters" spellcheck="false" inputmode="text" maxlength="20" required;
                button.primary type="submit" { (lang.t("gift-till-look-up")) }
                div.scanner hidden {
                    button type="button" id="scan" { (lang.t("gift-till-scan")) }
                    video id="scan-video" muted playsinline hidden {}
                }
            }
            script src="/static/js/redeem.js" defer {}
        },
    )
}

/// The customer's gift page, in the gift's language.
pub fn customer_page(
    line: &GiftLine,
    code: &str,
    qr_svg: &str,
    brand: &Brand,
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
) -> Markup {
    let g = &line.gift;
    let lang = g.lang();
    let state = g.state(now);
    let title = lang.t_with("gift-page-title", &[("shop", &line.location)]);
    let svg = qr_svg.find("<svg").map_or("", |at| &qr_svg[at..]);
    public_page(
        lang,
        &title,
        None,
        html! {
            section.card.gift-page {
                (brand_header(brand))
                h1 { (title) }
                @if let Some(name) = &g.recipient_name { p { (lang.t_with("mail-ack-greeting", &[("name", name)])) } }
                h2 { (g.title) }
                p.gift-value { (g.value_text(lang)) }
                @if !g.description.is_empty() { p { (g.description) } }
                @if !g.message.is_empty() { blockquote.body { (g.message) } }
                @match state {
                    State::Valid => {
                        p { (lang.t("gift-page-code")) }
                        p.gift-code { (code) }
                        div.qr role="img" aria-label=(lang.t_with("gift-page-qr", &[("code", code)])) {
                            (PreEscaped(svg))
                        }
                        @if let Some(at) = g.expires_at {
                            p { (lang.t_with("gift-page-valid-until", &[("date", &format_date(tz, at, lang))])) }
                        }
                    },
                    State::Redeemed => {
                        p.notice { (lang.t_with("gift-page-redeemed", &[("date", &g.redeemed_at.map(|t| format_date(tz, t, lang)).unwrap_or_default())])) }
                    },
                    State::Expired => {
                        p.notice { (lang.t_with("gift-page-expired", &[("date", &g.expires_at.map(|t| format_date(tz, t, lang)).unwrap_or_default())])) }
                    },
                    _ => { p.notice { (lang.t("gift-page-void")) } },
                }
                @if !g.redeem_how.is_empty() {
                    h2 { (lang.t("gift-page-how")) }
                    p.body { (g.redeem_how) }
                }
                p { (lang.t_with("gift-page-where", &[("shop", &line.location)])) }
            }
        },
    )
}
