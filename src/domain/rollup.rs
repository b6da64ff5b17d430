//! Forgetting the dashboard's rolled-up days: what a stored day counted
//! changed, so that day ([`forget`]) or every day ([`clear`]) is counted live
//! again until the jobs roll it up anew (see [`super::dashboard`]).
//!
//! Apart from the dashboard's reading and rolling so that the rules that
//! change what it counts (service levels, feedback, satisfaction, the
//! business time zone) can call it without depending on the dashboard.

use crate::db::schema::{daily_durations, daily_feedback, daily_satisfaction, dashboard_days};
use crate::db::DbConnection;
use crate::domain::{local_time, workflow};
use crate::error::AppResult;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// Removes a day's rollup.
pub(crate) fn drop_day(conn: &mut DbConnection, day: NaiveDate) -> AppResult<()> {
    diesel::delete(dashboard_days::table.filter(dashboard_days::day.eq(day))).execute(conn)?;
    diesel::delete(daily_feedback::table.filter(daily_feedback::day.eq(day))).execute(conn)?;
    diesel::delete(daily_durations::table.filter(daily_durations::day.eq(day))).execute(conn)?;
    diesel::delete(daily_satisfaction::table.filter(daily_satisfaction::day.eq(day)))
        .execute(conn)?;
    Ok(())
}

/// Something that counted on the local day of `at` changed (a resolution
/// moved or was undone, an answer replaced, a submission released): that
/// day is counted live again until the jobs roll it up anew.
pub fn forget(conn: &mut DbConnection, at: NaiveDateTime) -> AppResult<()> {
    let tz = workflow::get(conn)?.tz();
    drop_day(conn, local_time::day_of(tz, at))
}

/// Drops the whole rollup (the business's time zone changed, so every day's
/// edges moved); the jobs roll it up again.
pub fn clear(conn: &mut DbConnection) -> AppResult<()> {
    diesel::delete(dashboard_days::table).execute(conn)?;
    diesel::delete(daily_feedback::table).execute(conn)?;
    diesel::delete(daily_durations::table).execute(conn)?;
    diesel::delete(daily_satisfaction::table).execute(conn)?;
    Ok(())
}
