//! The rate-limit governor: one request budget shared by every clone of a client.
//!
//! Harvest limits requests per account in fixed windows and says where it stands on each
//! response: `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`. The governor
//! hard-codes neither the window nor the ceiling. Before each request it takes one slot from
//! the remaining budget; when the budget is spent it waits until the window resets. Each
//! response re-bases the budget on the server's figure minus the requests still in flight (the
//! server has not counted those yet), so concurrent tasks cannot overshoot. A 429 empties the
//! budget until the time the server gave, so every clone pauses, not just the one that was
//! refused.
//!
//! `X-RateLimit-Reset` is documented neither as seconds-from-now nor as a Unix time; both are
//! accepted, a value above [`EPOCH_THRESHOLD`] being read as a Unix time.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// A reset value above this many seconds is a Unix time, below it a number of seconds from
/// now (a billion seconds is 2001-09-09, and no window lasts 31 years).
pub const EPOCH_THRESHOLD: f64 = 1_000_000_000.0;

/// The rate-limit headers of the last response, as seen by the client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<u32>,
    /// `X-RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u32>,
    /// `X-RateLimit-Reset`, as the time left until the window resets when the response
    /// arrived.
    pub reset_after: Option<Duration>,
    /// `Retry-After`, when the response had one.
    pub retry_after: Option<Duration>,
}

impl RateLimit {
    /// Read the headers of a response. Malformed values count as absent.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self::from_headers_at(headers, SystemTime::now())
    }

    /// Read the headers as if the response arrived at `now` (for tests).
    pub fn from_headers_at(headers: &HeaderMap, now: SystemTime) -> Self {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
        let number = |name: &str| text(name).and_then(|v| v.parse::<u32>().ok());
        RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset_after: text("x-ratelimit-reset").and_then(|v| parse_reset(v, now)),
            retry_after: headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, now)),
        }
    }

    /// Whether the response carried any rate-limit header.
    pub fn is_known(&self) -> bool {
        self.limit.is_some() || self.remaining.is_some() || self.reset_after.is_some()
    }
}

/// Parse `X-RateLimit-Reset`: seconds from now, or a Unix time when large.
pub fn parse_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let seconds: f64 = value.trim().parse().ok()?;
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    if seconds > EPOCH_THRESHOLD {
        let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
        return Some(Duration::from_secs_f64((seconds - now).max(0.0)));
    }
    Duration::try_from_secs_f64(seconds).ok()
}

/// Parse `Retry-After`: delay seconds, or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::try_from_secs_f64(seconds).ok())
            .flatten();
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now: chrono::DateTime<chrono::Utc> = now.into();
    (date.to_utc() - now).to_std().ok().or(Some(Duration::ZERO))
}

/// Shared budget bookkeeping. Cloning shares the budget.
#[derive(Debug, Clone)]
pub(crate) struct Governor {
    inner: Arc<Mutex<State>>,
    /// Added to every wait for a reset: the reset time has a one-second resolution and the
    /// server's clock is not ours.
    margin: Duration,
}

#[derive(Debug, Default)]
struct State {
    limit: Option<u32>,
    /// Slots left in the current window, as far as we know; `None` before any response.
    available: Option<u32>,
    reset_at: Option<Instant>,
    in_flight: u32,
    last: RateLimit,
}

/// A slot taken from the budget; hand it back with [`Governor::finish`].
#[derive(Debug)]
#[must_use]
pub(crate) struct Permit {
    finished: bool,
    governor: Governor,
}

impl Drop for Permit {
    fn drop(&mut self) {
        // A request dropped mid-flight (its future cancelled) still leaves the in-flight count.
        if !self.finished {
            let mut state = self.governor.state();
            state.in_flight = state.in_flight.saturating_sub(1);
        }
    }
}

impl Governor {
    pub(crate) fn new(margin: Duration) -> Self {
        Governor { inner: Arc::new(Mutex::new(State::default())), margin }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is plain counters: a panic elsewhere cannot leave it inconsistent.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The headers last seen by any clone.
    pub(crate) fn last(&self) -> RateLimit {
        self.state().last
    }

    /// How long to wait before a slot is free, taking it when none is needed.
    fn try_take(&self, now: Instant) -> Option<Duration> {
        let mut state = self.state();
        if let Some(reset_at) = state.reset_at
            && now >= reset_at
        {
            // A new window: the full limit is ours until a response says otherwise.
            state.available = state.limit.map(|limit| limit.saturating_sub(state.in_flight));
            state.reset_at = None;
        }
        match (state.available, state.reset_at) {
            (Some(0), Some(reset_at)) => Some(reset_at - now + self.margin),
            // Spent but with no known reset: let one request through to learn the reset.
            (Some(0), None) if state.in_flight > 0 => {
                Some(self.margin.max(Duration::from_millis(10)))
            }
            (Some(available), _) => {
                state.available = Some(available.saturating_sub(1));
                state.in_flight += 1;
                None
            }
            (None, _) => {
                state.in_flight += 1;
                None
            }
        }
    }

    /// Wait for a slot in the current window and take it; give up without sleeping, with the
    /// wait, when the window resets later than `max_wait` from now.
    pub(crate) async fn acquire(&self, max_wait: Duration) -> Result<Permit, Duration> {
        loop {
            match self.try_take(Instant::now()) {
                None => return Ok(Permit { finished: false, governor: self.clone() }),
                Some(wait) if wait > max_wait => return Err(wait),
                Some(wait) => {
                    tracing::debug!(wait_ms = wait.as_millis(), "rate-limit budget spent, waiting");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// Record a response's headers and give the slot back.
    pub(crate) fn finish(&self, mut permit: Permit, seen: &RateLimit, too_many: bool) {
        permit.finished = true;
        let now = Instant::now();
        let mut state = self.state();
        state.in_flight = state.in_flight.saturating_sub(1);
        if seen.is_known() || seen.retry_after.is_some() {
            state.last = *seen;
        }
        if let Some(limit) = seen.limit {
            state.limit = Some(limit);
        }
        if let Some(remaining) = seen.remaining {
            // The server has not counted the requests still in flight.
            state.available = Some(remaining.saturating_sub(state.in_flight));
        }
        if let Some(reset_after) = seen.reset_after {
            state.reset_at = Some(now + reset_after);
        }
        if too_many {
            state.available = Some(0);
            let wait = seen.retry_after.or(seen.reset_after);
            state.reset_at = Some(now + wait.unwrap_or(Duration::ZERO));
        }
    }

    /// Give the slot back after a request that got no response.
    pub(crate) fn abandon(&self, mut permit: Permit) {
        permit.finished = true;
        let mut state = self.state();
        state.in_flight = state.in_flight.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn reset_accepts_relative_and_epoch() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_005);
        assert_eq!(parse_reset("30", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_reset("1800000017", now), Some(Duration::from_secs(12)));
        assert_eq!(parse_reset("1799999990", now), Some(Duration::ZERO));
        assert_eq!(parse_reset("-1", now), None);
        assert_eq!(parse_reset("soon", now), None);
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("1e400", now), None);
        let limits = RateLimit::from_headers_at(
            &headers(&[
                ("x-ratelimit-limit", "75"),
                ("x-ratelimit-remaining", "3"),
                ("x-ratelimit-reset", "1800000035"),
                ("retry-after", "5"),
            ]),
            now,
        );
        assert_eq!(limits.limit, Some(75));
        assert_eq!(limits.remaining, Some(3));
        assert_eq!(limits.reset_after, Some(Duration::from_secs(30)));
        assert_eq!(limits.retry_after, Some(Duration::from_secs(5)));
    }

    #[test]
    fn spent_budget_waits_for_the_reset() {
        let governor = Governor::new(Duration::from_millis(5));
        let now = Instant::now();
        assert_eq!(governor.try_take(now), None);
        let permit = Permit { finished: false, governor: governor.clone() };
        let seen = RateLimit {
            limit: Some(2),
            remaining: Some(1),
            reset_after: Some(Duration::from_secs(10)),
            retry_after: None,
        };
        governor.finish(permit, &seen, false);
        assert_eq!(governor.try_take(Instant::now()), None);
        let wait = governor.try_take(Instant::now()).unwrap();
        assert!(wait > Duration::from_secs(9) && wait <= Duration::from_secs(10) + governor.margin);
        // After the reset, the whole limit is available again.
        assert_eq!(governor.try_take(Instant::now() + Duration::from_secs(11)), None);
    }
}
