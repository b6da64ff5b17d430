//! In-memory rate limits: a fixed window per key (an IP address, an email
//! address, a location). Kept in memory on purpose: they protect this process,
//! and a restart forgetting them is harmless.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Allows `limit` hits per key per `window`.
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    hits: Mutex<Hits>,
}

/// The counts, and when expired ones were last swept out.
struct Hits {
    counts: HashMap<String, (Instant, u32)>,
    swept: Instant,
}

/// Keys above which expired windows are swept out.
const SWEEP_AT: usize = 10_000;

impl RateLimiter {
    /// A limiter of `limit` hits per `window`.
    pub fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            hits: Mutex::new(Hits {
                counts: HashMap::new(),
                swept: Instant::now(),
            }),
        }
    }

    /// Counts a hit for `key`; false when the key is over its limit.
    pub fn hit(&self, key: &str) -> bool {
        let now = Instant::now();
        let Ok(mut hits) = self.hits.lock() else {
            // A poisoned lock means a panic elsewhere; fail open rather than lock everyone out.
            return true;
        };
        // At most one sweep per window, so a flood of keys cannot make every hit scan them all.
        if hits.counts.len() >= SWEEP_AT && now.duration_since(hits.swept) >= self.window {
            let window = self.window;
            hits.counts
                .retain(|_, (start, _)| now.duration_since(*start) < window);
            hits.swept = now;
        }
        let entry = hits.counts.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= self.limit
    }

    /// Whether `key` is over its limit, without counting a hit.
    pub fn is_blocked(&self, key: &str) -> bool {
        let now = Instant::now();
        self.hits.lock().is_ok_and(|hits| {
            hits.counts.get(key).is_some_and(|(start, n)| {
                now.duration_since(*start) < self.window && *n >= self.limit
            })
        })
    }

    /// Forgets a key (after a successful login).
    pub fn clear(&self, key: &str) {
        if let Ok(mut hits) = self.hits.lock() {
            hits.counts.remove(key);
        }
    }
}

/// Every limit the web layer applies.
pub struct Limits {
    /// Public submissions per IP address.
    pub public_per_ip: RateLimiter,
    /// Failed logins per IP address.
    pub login_per_ip: RateLimiter,
    /// Failed logins per email address.
    pub login_per_email: RateLimiter,
    /// Public submissions per location (a shop's Wi-Fi puts many customers behind one address).
    pub public_per_location: RateLimiter,
    /// Submissions per kiosk per minute.
    pub kiosk_per_device: RateLimiter,
    /// Pairing attempts per IP address.
    pub pairing_per_ip: RateLimiter,
    /// Password reset requests per IP address.
    pub reset_per_ip: RateLimiter,
    /// Password reset requests per email address.
    pub reset_per_email: RateLimiter,
    /// Two-factor codes tried per user (at login and when turning it off).
    pub codes_per_user: RateLimiter,
    /// Unknown gift codes typed at the till, per staff member.
    pub unknown_codes_per_user: RateLimiter,
    /// Unknown gift codes typed at the till, per IP address.
    pub unknown_codes_per_ip: RateLimiter,
}

impl Limits {
    /// Limits with the public rate from the settings.
    pub fn new(public_per_minute: u32) -> Limits {
        let quarter = Duration::from_secs(15 * 60);
        Limits {
            public_per_ip: RateLimiter::new(public_per_minute, Duration::from_secs(60)),
            // Successful logins count too (they clear the address's count), so
            // the IP limit leaves room for a shop's staff sharing one address.
            login_per_ip: RateLimiter::new(60, quarter),
            login_per_email: RateLimiter::new(10, quarter),
            public_per_location: RateLimiter::new(
                public_per_minute.saturating_mul(30),
                Duration::from_secs(60),
            ),
            kiosk_per_device: RateLimiter::new(
                crate::domain::kiosk::MAX_TAPS_PER_MINUTE,
                Duration::from_secs(60),
            ),
            pairing_per_ip: RateLimiter::new(20, quarter),
            reset_per_ip: RateLimiter::new(10, quarter),
            reset_per_email: RateLimiter::new(3, quarter),
            codes_per_user: RateLimiter::new(5, quarter),
            unknown_codes_per_user: RateLimiter::new(10, Duration::from_secs(10 * 60)),
            unknown_codes_per_ip: RateLimiter::new(10, Duration::from_secs(10 * 60)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_and_window() {
        let limiter = RateLimiter::new(2, Duration::from_millis(50));
        assert!(limiter.hit("a") && limiter.hit("a"));
        assert!(!limiter.hit("a"));
        assert!(limiter.is_blocked("a"));
        assert!(limiter.hit("b"));
        std::thread::sleep(Duration::from_millis(60));
        assert!(limiter.hit("a"));
    }
}
