//! The time, injectable: the app asks its `Clock`, never the system directly, so
//! tests can move time forward without sleeping.

use chrono::{DateTime, Duration, NaiveDateTime, Timelike, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Current UTC time plus an adjustable offset (zero outside tests).
#[derive(Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Now, in UTC, to the microsecond (both databases keep microseconds).
    pub fn now(&self) -> NaiveDateTime {
        let now = Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed));
        truncate(now)
    }

    /// Moves this clock (and its clones) forward.
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

fn truncate(t: DateTime<Utc>) -> NaiveDateTime {
    let naive = t.naive_utc();
    naive
        .with_nanosecond(naive.nanosecond() / 1000 * 1000)
        .unwrap_or(naive)
}

/// A moment from microseconds since 1970, as cursors in page links carry it;
/// `None` outside years 1970–9999, which no stored row has (and which
/// PostgreSQL would refuse to compare with, answering an edited link with an
/// error instead of a page).
pub fn from_unix_micros(micros: i64) -> Option<NaiveDateTime> {
    const LAST: i64 = 253_402_300_799_999_999; // 9999-12-31 23:59:59.999999
    if !(0..=LAST).contains(&micros) {
        return None;
    }
    DateTime::from_timestamp_micros(micros).map(|t| t.naive_utc())
}
