//! Each location's monthly gift budget and the amount above which a staff
//! member's gift waits for an owner, this calendar month's spend (in the
//! business time zone), and the lock that makes two sends take turns.

use super::{touched, Status};
use crate::db::schema::{gifts, locations};
use crate::db::DbConnection;
use crate::domain::audit::{self, Actor};
use crate::domain::money::{parse_amount, MAX_CENTS};
use crate::domain::{local_time, workflow, FieldError};
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A location's gift budget and this month's spend.
#[derive(Debug, Clone)]
pub struct Budget {
    /// Location id.
    pub location_id: i64,
    /// Location name.
    pub name: String,
    /// Monthly budget in cents; None: no budget.
    pub budget_cents: Option<i64>,
    /// A staff member's gift above this waits for an owner; None: never.
    pub approval_above_cents: Option<i64>,
    /// Spent this calendar month (sent, redeemed and waiting gifts).
    pub spent_cents: i64,
}

impl Budget {
    /// Whether a gift costing `cost` would pass the budget.
    pub fn would_exceed(&self, cost: i64) -> bool {
        self.budget_cents
            .is_some_and(|budget| self.spent_cents.saturating_add(cost) > budget)
    }

    /// Whether a staff member's gift costing `cost` waits for an owner.
    pub fn needs_approval(&self, cost: i64) -> bool {
        self.approval_above_cents.is_some_and(|above| cost > above) || self.would_exceed(cost)
    }
}

/// This month's spend of a location: gifts sent or redeemed (by when they
/// were sent) and gifts waiting for approval (by when they were asked for).
pub fn month_spend(
    conn: &mut DbConnection,
    location_id: i64,
    now: NaiveDateTime,
) -> AppResult<i64> {
    let tz = workflow::get(conn)?.tz();
    let (start, end) = local_time::month_window(tz, now);
    let sent: Vec<i64> = gifts::table
        .filter(gifts::location_id.eq(location_id))
        .filter(gifts::status.eq_any([Status::Sent.as_str(), Status::Redeemed.as_str()]))
        .filter(gifts::sent_at.ge(start).and(gifts::sent_at.lt(end)))
        .select(gifts::cost_cents)
        .load(conn)?;
    let waiting: Vec<i64> = gifts::table
        .filter(gifts::location_id.eq(location_id))
        .filter(gifts::status.eq(Status::AwaitingApproval.as_str()))
        .filter(gifts::created_at.ge(start).and(gifts::created_at.lt(end)))
        .select(gifts::cost_cents)
        .load(conn)?;
    Ok(sent.iter().chain(&waiting).sum())
}

/// A location's row as a budget: id, name, budget and approval amount.
type BudgetRow = (i64, String, Option<i64>, Option<i64>);

/// The columns of a [`BudgetRow`].
const BUDGET_COLUMNS: (
    locations::id,
    locations::name,
    locations::gift_budget_cents,
    locations::gift_approval_above_cents,
) = (
    locations::id,
    locations::name,
    locations::gift_budget_cents,
    locations::gift_approval_above_cents,
);

/// A location's budget with this month's spend.
fn with_spend(conn: &mut DbConnection, row: BudgetRow, now: NaiveDateTime) -> AppResult<Budget> {
    let (location_id, name, budget_cents, approval_above_cents) = row;
    Ok(Budget {
        location_id,
        name,
        budget_cents,
        approval_above_cents,
        spent_cents: month_spend(conn, location_id, now)?,
    })
}

/// The budget of every active location, with this month's spend.
pub fn budgets(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Vec<Budget>> {
    let rows: Vec<BudgetRow> = locations::table
        .filter(locations::active.eq(true))
        .order(locations::name.asc())
        .select(BUDGET_COLUMNS)
        .load(conn)?;
    rows.into_iter()
        .map(|row| with_spend(conn, row, now))
        .collect()
}

/// The budget of one active location, with this month's spend.
pub(super) fn budget_of(
    conn: &mut DbConnection,
    location_id: i64,
    now: NaiveDateTime,
) -> AppResult<Option<Budget>> {
    let row: Option<BudgetRow> = locations::table
        .find(location_id)
        .filter(locations::active.eq(true))
        .select(BUDGET_COLUMNS)
        .first(conn)
        .optional()?;
    row.map(|row| with_spend(conn, row, now)).transpose()
}

/// Sets a location's monthly budget and approval amount (empty: none).
pub fn set_budget(
    conn: &mut DbConnection,
    location_id: i64,
    budget: &str,
    approval_above: &str,
    actor: Actor,
    now: NaiveDateTime,
) -> AppResult<Result<(), Vec<FieldError>>> {
    let mut errors = Vec::new();
    let mut optional = |field: &'static str, text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = parse_amount(text);
        if parsed.is_none() {
            errors.push(FieldError::new(field, "gift-error-amount").arg("max", MAX_CENTS / 100));
        }
        parsed
    };
    let budget_cents = optional("budget", budget);
    let approval_above_cents = optional("approval_above", approval_above);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let changed = diesel::update(locations::table.find(location_id))
        .set((
            locations::gift_budget_cents.eq(budget_cents),
            locations::gift_approval_above_cents.eq(approval_above_cents),
        ))
        .execute(conn)?;
    touched(changed)?;
    let or_none = |typed: &str| match typed.trim() {
        "" => "none".to_owned(),
        typed => typed.to_owned(),
    };
    let detail = format!(
        "location {location_id}: budget {}, approval above {}",
        or_none(budget),
        or_none(approval_above)
    );
    audit::record(conn, actor, "gift.budget", None, &detail, now)?;
    Ok(Ok(()))
}

/// Locks the location's row for the rest of the transaction, so two sends
/// against one budget take turns: the second sees the first one's gift.
pub(super) fn lock_location(conn: &mut DbConnection, location_id: i64) -> AppResult<()> {
    match conn {
        // backend specific: SQLite has one writer at a time; its transaction
        // already excludes every other.
        DbConnection::Sqlite(_) => Ok(()),
        DbConnection::Pg(pg) => {
            locations::table
                .find(location_id)
                .select(locations::id)
                .for_update()
                .first::<i64>(pg)
                .optional()?;
            Ok(())
        }
    }
}
