//! The rate-limit governor: one request budget shared by every clone of a client.
//!
//! Harvest limits requests per account in fixed windows and says where it stands on each
//! response: `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`. The governor
//! hard-codes neither the window nor the ceiling. Before each request it takes one slot from
//! the remaining budget; when the budget is spent it waits until the window resets (plus the
//! client's margin, for the server's clock).
//!
//! Each response can only lower the budget of its window, to the server's figure minus the
//! requests still in flight (the server has not counted those yet). Responses of concurrent
//! requests are processed in any order, and one sent earlier reports more remaining than one
//! sent later: letting it raise the budget back would overshoot the limit. The budget rises
//! only when a new window starts: when the known reset has passed, or when a response reports
//! a reset later than the known one. A response whose window is already over, or older than
//! the known one, says nothing about the current window and leaves the budget alone. When the
//! server sends no reset the windows cannot be told apart, and the latest figure wins.
//!
//! A 429 empties the budget until the time the server gave, so every clone pauses, not just
//! the one that was refused.
//!
//! `X-RateLimit-Reset` is documented neither as seconds-from-now nor as a Unix time; both are
//! accepted, a value above [`EPOCH_THRESHOLD`] being read as a Unix time.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// A reset value above this many seconds is a Unix time, below it a number of seconds from
/// now (a billion seconds is 2001-09-09, and no window lasts 31 years).
pub const EPOCH_THRESHOLD: f64 = 1_000_000_000.0;

/// Two resets closer than this belong to the same window, or closer than half the longest
/// reset seen when windows are shorter than a second. An epoch reset reads the same on every
/// response of a window and has a one-second resolution, so the ends of two windows read at
/// least a second apart; sub-second windows must be given with a finer reset, and their ends
/// are a window apart.
///
/// Known limit: a reset in seconds from now is rounded to the second, so responses of one
/// window can read up to a second apart, and a late one may pass for a new window and raise
/// the budget. It stays because Harvest and the simulator send epoch resets; telling windows
/// apart by the `Remaining` count going up again would fix it for relative resets.
const SAME_WINDOW: Duration = Duration::from_millis(500);

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
    /// When `available` refills: the end of the current window, or later after a 429; `None`
    /// before any response and once the budget was refilled for a window not yet reported.
    reset_at: Option<Instant>,
    /// The end of the latest window a response reported, kept after the budget is refilled so
    /// that late responses of that window are recognised.
    window_end: Option<Instant>,
    /// The longest reset seen: about the window's length, which bounds [`SAME_WINDOW`].
    longest_reset: Duration,
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
            && now >= reset_at + self.margin
        {
            // A new window: the full limit is ours until a response says otherwise. The
            // requests in flight may be counted in it.
            state.available = state.limit.map(|limit| limit.saturating_sub(state.in_flight));
            state.reset_at = None;
        }
        match (state.available, state.reset_at) {
            (Some(0), Some(reset_at)) => {
                Some((reset_at + self.margin).saturating_duration_since(now))
            }
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
    pub(crate) fn finish(&self, permit: Permit, seen: &RateLimit, too_many: bool) {
        self.finish_at(permit, seen, too_many, Instant::now());
    }

    /// [`Governor::finish`] for a response processed at `now`.
    fn finish_at(&self, mut permit: Permit, seen: &RateLimit, too_many: bool, now: Instant) {
        permit.finished = true;
        let mut state = self.state();
        state.in_flight = state.in_flight.saturating_sub(1);
        if seen.is_known() || seen.retry_after.is_some() {
            state.last = *seen;
        }
        if let Some(limit) = seen.limit {
            state.limit = Some(limit);
        }
        let seen_end = seen.reset_after.map(|after| now + after);
        if let Some(after) = seen.reset_after {
            state.longest_reset = state.longest_reset.max(after);
        }
        let slack = SAME_WINDOW.min(state.longest_reset / 2);
        if let Some(remaining) = seen.remaining {
            // The server has not counted the requests still in flight.
            let counted = remaining.saturating_sub(state.in_flight);
            match seen_end {
                // Without a reset the windows cannot be told apart: the latest figure wins.
                None => state.available = Some(counted),
                // That window is over (the response was processed late): its figure says
                // nothing about the current one.
                Some(end) if end <= now => {}
                Some(end) => match state.window_end {
                    // A window older than the latest one reported.
                    Some(known) if end + slack < known => {}
                    // A window later than the latest one reported: it starts a new budget.
                    Some(known) if end > known + slack => {
                        state.available = match (state.reset_at, state.available) {
                            // Refilled already when the known reset passed: the slots taken
                            // since then count in this window too.
                            (None, Some(available)) => Some(available.min(counted)),
                            // The server rolled over before our clock said so: the old
                            // window's budget is void.
                            _ => Some(counted),
                        };
                        state.window_end = Some(end);
                        state.reset_at = Some(end);
                    }
                    // The first response, or the same window: the budget only goes down.
                    known => {
                        state.available = Some(
                            state.available.map_or(counted, |available| available.min(counted)),
                        );
                        if known.is_none() {
                            state.window_end = Some(end);
                            // Not earlier than a 429 without a count asked to wait.
                            state.reset_at =
                                Some(state.reset_at.map_or(end, |reset_at| reset_at.max(end)));
                        }
                    }
                },
            }
        }
        if too_many {
            state.available = Some(0);
            let wait = seen.retry_after.or(seen.reset_after).unwrap_or(Duration::ZERO);
            // Never earlier than a reset already known: another clone may wait for it.
            let until = now + wait;
            state.reset_at = Some(state.reset_at.map_or(until, |reset_at| reset_at.max(until)));
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

    fn window(remaining: u32, reset_after: Duration) -> RateLimit {
        RateLimit {
            limit: Some(75),
            remaining: Some(remaining),
            reset_after: Some(reset_after),
            retry_after: None,
        }
    }

    fn take(governor: &Governor, now: Instant) -> Permit {
        assert_eq!(governor.try_take(now), None, "a slot is free");
        Permit { finished: false, governor: governor.clone() }
    }

    fn available(governor: &Governor) -> Option<u32> {
        governor.state().available
    }

    #[test]
    fn late_responses_never_raise_the_budget_within_a_window() {
        let governor = Governor::new(Duration::from_millis(50));
        let start = Instant::now();
        // Eight requests of one window, sent in order: the server counted them 74, 73, ... 67.
        let permits: Vec<Permit> = (0..8).map(|_| take(&governor, start)).collect();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let end = at(1_000);
        // Their responses are processed in a scrambled order, later ones first.
        let order = [7_u32, 2, 5, 0, 6, 1, 4, 3];
        let mut lowest = u32::MAX;
        for (step, (index, permit)) in order.iter().zip(permits).enumerate() {
            let now = at(10 + 10 * step as u64);
            let remaining = 74 - index;
            governor.finish_at(permit, &window(remaining, end - now), false, now);
            let budget = available(&governor).unwrap();
            assert!(budget <= lowest, "step {step}: the budget rose from {lowest} to {budget}");
            lowest = budget;
        }
        // The server has 67 left: never more, whatever the order. The first response processed
        // (the last sent) still counted seven in flight that the server had already counted.
        assert_eq!(lowest, 60);
        // A response of a window already over, processed after the reset, changes nothing.
        let late = take(&governor, at(500));
        let before = available(&governor);
        governor.finish_at(late, &window(74, Duration::ZERO), false, at(1_060));
        assert_eq!(available(&governor), before);
        // The next window raises the budget again, to what its first response says.
        let next = take(&governor, at(1_060));
        governor.finish_at(next, &window(74, Duration::from_millis(930)), false, at(1_070));
        assert_eq!(available(&governor), Some(74));
        // Responses of the new window processed out of order cannot raise it back either.
        let old = take(&governor, at(1_080));
        assert_eq!(available(&governor), Some(73));
        governor.finish_at(old, &window(70, Duration::from_millis(900)), false, at(1_090));
        assert_eq!(available(&governor), Some(70));
        let stale = take(&governor, at(1_100));
        governor.finish_at(stale, &window(74, Duration::from_millis(500)), false, at(1_100));
        assert_eq!(available(&governor), Some(69));
    }

    #[test]
    fn a_refilled_budget_keeps_the_slots_taken_since() {
        let governor = Governor::new(Duration::from_millis(50));
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let first = take(&governor, start);
        governor.finish_at(first, &window(10, Duration::from_secs(1)), false, at(10));
        // Our clock says the window is over: the full limit, less what is in flight.
        let in_flight = take(&governor, at(900));
        let _slow = take(&governor, at(1_060));
        assert_eq!(available(&governor), Some(73));
        for _ in 0..3 {
            governor.abandon(take(&governor, at(1_070)));
        }
        assert_eq!(available(&governor), Some(70));
        // The first response of the new window counts fewer in flight than we took: the
        // budget keeps the lower figure.
        governor.finish_at(in_flight, &window(74, Duration::from_millis(900)), false, at(1_100));
        assert_eq!(available(&governor), Some(70));
    }

    #[test]
    fn a_429_empties_the_budget_until_the_later_reset() {
        let governor = Governor::new(Duration::from_millis(50));
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let first = take(&governor, start);
        let refused = take(&governor, start);
        governor.finish_at(first, &window(40, Duration::from_millis(990)), false, at(10));
        let mut seen = window(0, Duration::from_millis(980));
        seen.retry_after = Some(Duration::from_secs(1));
        governor.finish_at(refused, &seen, true, at(20));
        assert_eq!(available(&governor), Some(0));
        // Waits for Retry-After (later than the reset) plus the margin.
        assert_eq!(governor.try_take(at(500)), Some(Duration::from_millis(570)));
        assert_eq!(governor.try_take(at(1_070)), None);
        assert_eq!(available(&governor), Some(74));
    }

    #[test]
    fn without_a_reset_the_latest_figure_wins() {
        let governor = Governor::new(Duration::from_millis(50));
        let now = Instant::now();
        let first = take(&governor, now);
        let second = take(&governor, now);
        let seen = |remaining| RateLimit { remaining: Some(remaining), ..RateLimit::default() };
        governor.finish_at(first, &seen(5), false, now);
        assert_eq!(available(&governor), Some(4));
        governor.finish_at(second, &seen(9), false, now);
        assert_eq!(available(&governor), Some(9));
    }

    #[test]
    fn sub_second_windows_refill_one_after_another() {
        let governor = Governor::new(Duration::from_millis(10));
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let limit = |remaining, after_ms| RateLimit {
            limit: Some(3),
            ..window(remaining, Duration::from_millis(after_ms))
        };
        // A 300 ms window, spent by three requests.
        for (step, remaining) in [2, 1, 0].into_iter().enumerate() {
            let now = at(10 * step as u64);
            governor.finish_at(
                take(&governor, now),
                &limit(remaining, 300 - 10 * step as u64),
                false,
                now,
            );
        }
        assert_eq!(available(&governor), Some(0));
        assert_eq!(governor.try_take(at(100)), Some(Duration::from_millis(210)));
        // The next window ends 300 ms after its first request: a new window, not the same one
        // read twice, so its reset is learned and the budget refills again after it.
        let next = take(&governor, at(310));
        governor.finish_at(next, &limit(2, 300), false, at(320));
        assert_eq!(available(&governor), Some(2));
        governor.finish_at(take(&governor, at(330)), &limit(0, 280), false, at(340));
        assert_eq!(available(&governor), Some(0));
        assert_eq!(governor.try_take(at(600)), Some(Duration::from_millis(30)));
        assert_eq!(governor.try_take(at(630)), None);
    }
}
