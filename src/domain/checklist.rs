//! The owner's first-run checklist: eight steps from "customers can reach
//! this server" to "a gift in the catalogue", each done when the shop's data
//! says so (a location with opening hours, a paired tablet…) or when a check
//! the owner ran says so (a test mail delivered over SMTP, the server
//! reaching its own public address), each dismissable, the whole list
//! hideable. An owner whose list is neither finished nor hidden lands on it
//! after logging in. The checks' latest results live in `self_checks`, the
//! dismissals and the first poster download in `checklist_steps`.

use crate::config::Config;
use crate::db::schema::{
    checklist_steps, gift_catalogue, invites, kiosk_devices, locations, review_links, self_checks,
    users,
};
use crate::db::DbConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// One step of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Customers' phones and the tablets reach `TELLUS_BASE_URL`.
    Address,
    /// A test mail was delivered by an SMTP server.
    Mail,
    /// A location has opening hours.
    Location,
    /// A tablet was paired.
    Tablet,
    /// A poster or QR code was downloaded.
    Poster,
    /// Review links are set.
    ReviewLinks,
    /// A staff member was invited.
    Staff,
    /// A gift is in the catalogue.
    Gift,
}

impl Step {
    /// Every step, in the order the owner does them.
    pub const ALL: [Step; 8] = [
        Step::Address,
        Step::Mail,
        Step::Location,
        Step::Tablet,
        Step::Poster,
        Step::ReviewLinks,
        Step::Staff,
        Step::Gift,
    ];

    /// Stored and catalogue form (`checklist-step-{name}`).
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Address => "address",
            Step::Mail => "mail",
            Step::Location => "location",
            Step::Tablet => "tablet",
            Step::Poster => "poster",
            Step::ReviewLinks => "review-links",
            Step::Staff => "staff",
            Step::Gift => "gift",
        }
    }

    /// The step with this stored name.
    pub fn parse(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The page where the owner does it.
    pub fn link(self) -> &'static str {
        match self {
            Step::Address => "/staff/posters",
            Step::Mail => "/staff/settings/mail",
            Step::Location => "/staff/locations",
            Step::Tablet => "/staff/kiosks",
            Step::Poster => "/staff/posters",
            Step::ReviewLinks => "/staff/settings",
            Step::Staff => "/staff/users",
            Step::Gift => "/staff/gifts/catalogue",
        }
    }
}

/// The name under which hiding the whole list is stored.
const WHOLE_LIST: &str = "checklist";

/// Names of the checks in `self_checks`.
pub mod check {
    /// The test mail.
    pub const MAIL: &str = "mail";
    /// The server fetching its own public address.
    pub const ADDRESS: &str = "address";
}

/// The latest result of a check the owner ran.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = self_checks)]
pub struct SelfCheck {
    /// [`check::MAIL`] or [`check::ADDRESS`].
    pub name: String,
    /// When it ran.
    pub checked_at: NaiveDateTime,
    /// The address mailed, or the URL fetched.
    pub target: String,
    /// The SMTP server (`host:port`) or `file`; for the address, empty.
    pub via: String,
    /// What happened, e.g. `delivered`, `timed_out`, `ok`.
    pub outcome: String,
    /// The server's answer, the reason or the file name.
    pub detail: String,
}

/// Records the latest result of a check, replacing the one before.
pub fn record_check(conn: &mut DbConnection, result: &SelfCheck) -> AppResult<()> {
    diesel::delete(self_checks::table.filter(self_checks::name.eq(&result.name))).execute(conn)?;
    diesel::insert_into(self_checks::table)
        .values((
            self_checks::name.eq(&result.name),
            self_checks::checked_at.eq(result.checked_at),
            self_checks::target.eq(&result.target),
            self_checks::via.eq(&result.via),
            self_checks::outcome.eq(&result.outcome),
            self_checks::detail.eq(&result.detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// The latest result of one check, if it ever ran.
pub fn latest_check(conn: &mut DbConnection, name: &str) -> AppResult<Option<SelfCheck>> {
    Ok(self_checks::table
        .filter(self_checks::name.eq(name))
        .select(SelfCheck::as_select())
        .first(conn)
        .optional()?)
}

/// What the configuration says about the two steps it decides.
#[derive(Debug, Clone)]
pub struct Facts {
    /// `TELLUS_BASE_URL`.
    pub base_url: String,
    /// The address is one customers can reach (no [`Config::public_address_problem`]).
    pub public_address: bool,
    /// Mail goes to an SMTP server, not into files.
    pub smtp: bool,
}

impl Facts {
    /// The facts of this configuration.
    pub fn from_config(config: &Config) -> Facts {
        Facts {
            base_url: config.base_url.clone(),
            public_address: config.public_address_problem().is_none(),
            smtp: !config.mail_saved_as_files(),
        }
    }
}

/// One step as the owner sees it.
#[derive(Debug, Clone)]
pub struct StepState {
    /// Which.
    pub step: Step,
    /// Done.
    pub done: bool,
    /// Dismissed by the owner (done or not).
    pub dismissed: bool,
}

/// The whole checklist.
#[derive(Debug, Clone)]
pub struct Checklist {
    /// Every step, in order.
    pub steps: Vec<StepState>,
    /// The owner hid the whole list.
    pub hidden: bool,
    /// The latest self-check of the public address.
    pub address_check: Option<SelfCheck>,
    /// The latest test mail.
    pub mail_check: Option<SelfCheck>,
}

impl Checklist {
    /// How many steps are done.
    pub fn done(&self) -> usize {
        self.steps.iter().filter(|s| s.done).count()
    }

    /// Every step is done or dismissed.
    pub fn finished(&self) -> bool {
        self.steps.iter().all(|s| s.done || s.dismissed)
    }

    /// Whether the owner should land on it after logging in.
    pub fn wanted(&self) -> bool {
        !self.hidden && !self.finished()
    }
}

/// Whether a query finds any row.
macro_rules! any {
    ($conn:expr, $query:expr) => {
        diesel::select(diesel::dsl::exists($query)).get_result::<bool>($conn)?
    };
}

/// The checklist now, read in one transaction.
pub fn read(conn: &mut DbConnection, facts: &Facts) -> AppResult<Checklist> {
    conn.transaction(|c| {
        let marks: Vec<(String, Option<NaiveDateTime>, Option<NaiveDateTime>)> =
            checklist_steps::table
                .select((
                    checklist_steps::step,
                    checklist_steps::dismissed_at,
                    checklist_steps::done_at,
                ))
                .load(c)?;
        let checks: Vec<SelfCheck> = self_checks::table.select(SelfCheck::as_select()).load(c)?;
        let with_hours = any!(
            c,
            locations::table
                .filter(locations::active.eq(true))
                .filter(locations::opening_hours.ne(""))
        );
        let tablet = any!(c, kiosk_devices::table.select(kiosk_devices::id));
        let reviews = any!(c, review_links::table.select(review_links::id));
        let invited = any!(c, invites::table.select(invites::id));
        let people: i64 = users::table.count().get_result(c)?;
        let gift = any!(
            c,
            gift_catalogue::table.filter(gift_catalogue::active.eq(true))
        );
        let find = |name: &str| checks.iter().find(|x| x.name == name).cloned();
        let address_check = find(check::ADDRESS);
        let mail_check = find(check::MAIL);
        let mark = |name: &str| marks.iter().find(|(n, _, _)| n == name);
        let address_done = facts.public_address
            && address_check
                .as_ref()
                .is_some_and(|x| x.outcome == "ok" && x.target.starts_with(&facts.base_url));
        let mail_done = facts.smtp
            && mail_check
                .as_ref()
                .is_some_and(|x| x.outcome == "delivered");
        let steps = Step::ALL
            .into_iter()
            .map(|step| {
                let marked = mark(step.as_str());
                let done = match step {
                    Step::Address => address_done,
                    Step::Mail => mail_done,
                    Step::Location => with_hours,
                    Step::Tablet => tablet,
                    Step::Poster => marked.is_some_and(|(_, _, done)| done.is_some()),
                    Step::ReviewLinks => reviews,
                    Step::Staff => invited || people > 1,
                    Step::Gift => gift,
                };
                StepState {
                    step,
                    done,
                    dismissed: marked.is_some_and(|(_, dismissed, _)| dismissed.is_some()),
                }
            })
            .collect();
        Ok(Checklist {
            steps,
            hidden: mark(WHOLE_LIST).is_some_and(|(_, dismissed, _)| dismissed.is_some()),
            address_check,
            mail_check,
        })
    })
}

/// Where a user goes after logging in: an owner with an unfinished,
/// unhidden checklist to it, everyone else to the inbox.
pub fn landing(conn: &mut DbConnection, is_owner: bool, facts: &Facts) -> AppResult<&'static str> {
    if is_owner && read(conn, facts)?.wanted() {
        Ok("/staff/start")
    } else {
        Ok("/staff/inbox")
    }
}

/// Sets when a step was dismissed (`dismissed`) or done, making its row
/// when it is missing; an earlier time stays as it is.
fn mark(conn: &mut DbConnection, name: &str, dismissed: bool, now: NaiveDateTime) -> AppResult<()> {
    let row = checklist_steps::table.filter(checklist_steps::step.eq(name));
    let updated = if dismissed {
        diesel::update(row.filter(checklist_steps::dismissed_at.is_null()))
            .set(checklist_steps::dismissed_at.eq(now))
            .execute(conn)?
    } else {
        diesel::update(row.filter(checklist_steps::done_at.is_null()))
            .set(checklist_steps::done_at.eq(now))
            .execute(conn)?
    };
    if updated == 0 {
        let exists: bool = diesel::select(diesel::dsl::exists(
            checklist_steps::table.filter(checklist_steps::step.eq(name)),
        ))
        .get_result(conn)?;
        if !exists {
            diesel::insert_into(checklist_steps::table)
                .values((
                    checklist_steps::step.eq(name),
                    checklist_steps::dismissed_at.eq(dismissed.then_some(now)),
                    checklist_steps::done_at.eq((!dismissed).then_some(now)),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The owner dismissed one step.
pub fn dismiss(conn: &mut DbConnection, step: Step, now: NaiveDateTime) -> AppResult<()> {
    mark(conn, step.as_str(), true, now)
}

/// The owner hid the whole checklist.
pub fn hide(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<()> {
    mark(conn, WHOLE_LIST, true, now)
}

/// A poster or QR code was downloaded (the first time counts).
pub fn poster_downloaded_now(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<()> {
    mark(conn, Step::Poster.as_str(), false, now)
}
