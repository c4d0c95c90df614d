//! A fixed-window rate limiter counting every `/v3` request of the one simulated account.
//!
//! Windows are aligned on multiples of the window length since the Unix epoch, as fixed-window
//! limiters usually are, so `X-RateLimit-Reset` (the window's end as Unix seconds) is exact for
//! whole-second windows. The limiter is a pure function of the time it is given, so its rules
//! are tested without a clock.

use std::time::Duration;

/// What the limiter decided for one request, with the values of the rate-limit headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decision {
    /// Whether the request may proceed.
    pub(crate) allowed: bool,
    /// `X-RateLimit-Limit`.
    pub(crate) limit: u32,
    /// `X-RateLimit-Remaining`, after this request.
    pub(crate) remaining: u32,
    /// `X-RateLimit-Reset`: the end of the current window, Unix seconds rounded up.
    pub(crate) reset_epoch_secs: u64,
    /// `Retry-After` for a refused request: whole seconds until the window ends, at least 1.
    pub(crate) retry_after_secs: u64,
}

/// Fixed-window counter.
#[derive(Debug, Clone)]
pub(crate) struct FixedWindow {
    limit: u32,
    window_ms: u128,
    current_window: u128,
    used: u32,
}

impl FixedWindow {
    /// A limiter allowing `limit` requests per `window` (a zero limit allows everything).
    pub(crate) fn new(limit: u32, window: Duration) -> Self {
        Self { limit, window_ms: window.as_millis().max(1), current_window: 0, used: 0 }
    }

    /// Counts one request at `now` (time since the Unix epoch) and decides on it. A refused
    /// request does not use up budget.
    pub(crate) fn check(&mut self, now: Duration) -> Decision {
        let now_ms = now.as_millis();
        let window = now_ms / self.window_ms;
        if window != self.current_window {
            self.current_window = window;
            self.used = 0;
        }
        let end_ms = (window + 1) * self.window_ms;
        let reset_epoch_secs = u64::try_from(end_ms.div_ceil(1000)).unwrap_or(u64::MAX);
        let retry_after_secs =
            u64::try_from((end_ms - now_ms).div_ceil(1000)).unwrap_or(u64::MAX).max(1);
        if self.limit == 0 {
            return Decision {
                allowed: true,
                limit: 0,
                remaining: 0,
                reset_epoch_secs,
                retry_after_secs,
            };
        }
        let allowed = self.used < self.limit;
        if allowed {
            self.used += 1;
        }
        Decision {
            allowed,
            limit: self.limit,
            remaining: self.limit - self.used,
            reset_epoch_secs,
            retry_after_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_then_refuses_until_the_next_window() {
        let mut limiter = FixedWindow::new(3, Duration::from_secs(30));
        let t0 = Duration::from_secs(1_800_000_010);
        let first = limiter.check(t0);
        assert!(first.allowed);
        assert_eq!(first.remaining, 2);
        assert_eq!(first.reset_epoch_secs, 1_800_000_030);
        assert!(limiter.check(t0).allowed);
        let third = limiter.check(t0);
        assert!(third.allowed);
        assert_eq!(third.remaining, 0);
        let refused = limiter.check(t0 + Duration::from_millis(500));
        assert!(!refused.allowed);
        assert_eq!(refused.remaining, 0);
        assert_eq!(refused.retry_after_secs, 20);
        let next = limiter.check(Duration::from_secs(1_800_000_030));
        assert!(next.allowed);
        assert_eq!(next.remaining, 2);
        assert_eq!(next.reset_epoch_secs, 1_800_000_060);
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        let mut limiter = FixedWindow::new(1, Duration::from_millis(250));
        let t0 = Duration::from_millis(1_000_000_100);
        assert!(limiter.check(t0).allowed);
        let refused = limiter.check(t0);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after_secs, 1);
    }

    #[test]
    fn zero_limit_allows_everything() {
        let mut limiter = FixedWindow::new(0, Duration::from_secs(1));
        for _ in 0..1000 {
            assert!(limiter.check(Duration::from_secs(5)).allowed);
        }
    }
}
