//! When to try a request again, and how long to wait first.
//!
//! [`decide`] is a pure function: it sees the attempt number, the method, what happened (a
//! status or a kind of transport failure), the server's wait hints and a random number, and it
//! answers [`RetryDecision::Retry`] with a delay or [`RetryDecision::Stop`] with a reason. The
//! executor in `client.rs` is a short loop around it, so every rule here is table-tested with no
//! HTTP and no clock.
//!
//! The rules:
//! - 429, any method: wait `Retry-After`, else until `X-RateLimit-Reset`, else back off; plus a
//!   little jitter so that clones woken by one reset do not all fire at once.
//! - 5xx (other than 501 and 505), timeouts and failed connections: exponential backoff with
//!   full jitter, for idempotent methods only (GET, HEAD, OPTIONS, PUT, DELETE, PATCH). A POST
//!   is retried only when it certainly never reached the server (the connection failed), unless
//!   the policy opts in with [`RetryPolicy::retry_non_idempotent`]: Harvest has no idempotency
//!   keys, so a repeated POST can create a record twice.
//! - Anything else (other 4xx, decode errors) is never retried. A 401 is handled by the auth
//!   layer, which refreshes the token once, before this function is asked.
//! - A server asking for a longer wait than [`RetryPolicy::max_wait`] is not obeyed by sleeping:
//!   the error goes back to the caller with `retry_after` set.

use std::time::Duration;

use reqwest::{Method, StatusCode};

/// How a client retries failed requests. One plain struct, set per client and overridable per
/// request; [`RetryPolicy::none`] turns retries off (useful in tests).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use greenhouse_harvest::RetryPolicy;
///
/// let policy = RetryPolicy { max_attempts: 6, ..RetryPolicy::default() }
///     .with_max_wait(Duration::from_secs(45));
/// assert_eq!(policy.max_attempts, 6);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included. 1 means no retry.
    pub max_attempts: u32,
    /// The backoff before the second attempt; doubled for each further attempt.
    pub base_delay: Duration,
    /// The longest backoff between two attempts.
    pub max_delay: Duration,
    /// The longest wait the client accepts from `Retry-After` or `X-RateLimit-Reset`; a longer
    /// wait is not slept, the error is returned with `retry_after` set.
    pub max_wait: Duration,
    /// The most jitter added to a server-requested wait.
    pub rate_limit_jitter: Duration,
    /// Overall budget of one call, retries included: no retry starts a wait that would end
    /// after it. `None` for no deadline.
    pub deadline: Option<Duration>,
    /// Also retry POST after a timeout or a 5xx. Off by default: Harvest has no idempotency
    /// keys, so a POST that reached the server may have taken effect.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, 500 ms base, 30 s backoff cap, 60 s longest server wait, up to 1 s of jitter
    /// on server waits, a 5 minute deadline, POST not retried.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_wait: Duration::from_mins(1),
            rate_limit_jitter: Duration::from_secs(1),
            deadline: Some(Duration::from_mins(5)),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every failure comes back at once.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The same policy with another longest accepted server wait.
    #[must_use]
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// The same policy with every duration divided by `factor`: how tests keep the shape of the
    /// production policy without sleeping for real seconds.
    #[must_use]
    pub fn scaled_down(mut self, factor: u32) -> Self {
        let factor = factor.max(1);
        self.base_delay /= factor;
        self.max_delay /= factor;
        self.max_wait /= factor;
        self.rate_limit_jitter /= factor;
        self.deadline = self.deadline.map(|d| d / factor);
        self
    }
}

/// What one attempt ended with, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with this status.
    Status(StatusCode),
    /// The connection could not be made: the request never reached the server.
    ConnectFailed,
    /// The request timed out: it may have reached the server.
    TimedOut,
    /// Another transport failure after the request may have been sent (a reset connection, a
    /// broken body).
    Interrupted,
}

/// Everything [`decide`] looks at.
#[derive(Debug, Clone, Copy)]
pub struct RetryInput<'a> {
    /// The attempt that just ended, starting at 1.
    pub attempt: u32,
    /// The request method.
    pub method: &'a Method,
    /// What the attempt ended with.
    pub outcome: Outcome,
    /// The `Retry-After` header, as a duration.
    pub retry_after: Option<Duration>,
    /// The time left until `X-RateLimit-Reset`, as a duration.
    pub until_reset: Option<Duration>,
    /// Time spent on this call so far, every attempt and wait included.
    pub elapsed: Duration,
}

/// The answer of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then try again.
    Retry {
        /// The wait.
        after: Duration,
    },
    /// Give the error back.
    Stop(StopReason),
}

/// Why [`decide`] said stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Success, or a failure that repeating cannot fix (4xx, non-idempotent after sending).
    NotRetryable,
    /// `max_attempts` is spent.
    AttemptsExhausted,
    /// The server asked for a longer wait than `max_wait`.
    WaitTooLong {
        /// The requested wait.
        requested: Duration,
    },
    /// The wait would end after the overall deadline.
    DeadlineExceeded,
}

/// Whether repeating `method` has the same effect as sending it once.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::PATCH
    )
}

/// The full-jitter exponential backoff after `attempt` (1-based): a uniform draw in
/// `[0, min(max_delay, base_delay * 2^(attempt-1))]`, with `unit` the draw in `[0, 1)`.
pub fn backoff(policy: &RetryPolicy, attempt: u32, unit: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(30);
    let ceiling = policy.base_delay.saturating_mul(1u32 << exponent).min(policy.max_delay);
    ceiling.mul_f64(unit.clamp(0.0, 1.0))
}

/// Decide whether to retry after one attempt. `unit` is a random draw in `[0, 1)`, passed in so
/// that the function stays pure.
pub fn decide(policy: &RetryPolicy, input: &RetryInput<'_>, unit: f64) -> RetryDecision {
    let unit = if unit.is_finite() { unit.clamp(0.0, 1.0) } else { 0.0 };
    let wait = match input.outcome {
        Outcome::Status(StatusCode::TOO_MANY_REQUESTS) => {
            match input.retry_after.or(input.until_reset) {
                Some(requested) if requested > policy.max_wait => {
                    return RetryDecision::Stop(StopReason::WaitTooLong { requested });
                }
                Some(requested) => requested + policy.rate_limit_jitter.mul_f64(unit),
                None => backoff(policy, input.attempt, unit),
            }
        }
        Outcome::Status(status) if is_retryable_server_error(status) => {
            if !(is_idempotent(input.method) || policy.retry_non_idempotent) {
                return RetryDecision::Stop(StopReason::NotRetryable);
            }
            match input.retry_after {
                Some(requested) if requested > policy.max_wait => {
                    return RetryDecision::Stop(StopReason::WaitTooLong { requested });
                }
                // A 503 with Retry-After: the server knows best, but never less than backoff.
                Some(requested) => requested.max(backoff(policy, input.attempt, unit)),
                None => backoff(policy, input.attempt, unit),
            }
        }
        Outcome::Status(_) => return RetryDecision::Stop(StopReason::NotRetryable),
        // Nothing reached the server: safe for every method.
        Outcome::ConnectFailed => backoff(policy, input.attempt, unit),
        Outcome::TimedOut | Outcome::Interrupted => {
            if !(is_idempotent(input.method) || policy.retry_non_idempotent) {
                return RetryDecision::Stop(StopReason::NotRetryable);
            }
            backoff(policy, input.attempt, unit)
        }
    };
    if input.attempt >= policy.max_attempts {
        return RetryDecision::Stop(StopReason::AttemptsExhausted);
    }
    if let Some(deadline) = policy.deadline
        && input.elapsed.saturating_add(wait) > deadline
    {
        return RetryDecision::Stop(StopReason::DeadlineExceeded);
    }
    RetryDecision::Retry { after: wait }
}

fn is_retryable_server_error(status: StatusCode) -> bool {
    status.is_server_error()
        && status != StatusCode::NOT_IMPLEMENTED
        && status != StatusCode::HTTP_VERSION_NOT_SUPPORTED
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(attempt: u32, method: &Method, outcome: Outcome) -> RetryInput<'_> {
        RetryInput {
            attempt,
            method,
            outcome,
            retry_after: None,
            until_reset: None,
            elapsed: Duration::ZERO,
        }
    }

    const S: fn(u16) -> Outcome = |code| Outcome::Status(StatusCode::from_u16(code).unwrap());

    #[test]
    fn table() {
        let policy = RetryPolicy::default();
        let (get, post, patch) = (Method::GET, Method::POST, Method::PATCH);
        let secs = Duration::from_secs;
        let retry = |after| RetryDecision::Retry { after };
        let stop = RetryDecision::Stop;
        // (input, draw, expected)
        let cases: Vec<(RetryInput<'_>, f64, RetryDecision)> = vec![
            (input(1, &get, S(200)), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &get, S(204)), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &get, S(400)), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &get, S(401)), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &get, S(403)), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &get, S(404)), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &get, S(422)), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &get, S(501)), 0.5, stop(StopReason::NotRetryable)),
            // 5xx on GET and PATCH: backoff 500 ms * 2^(n-1), full jitter.
            (input(1, &get, S(500)), 0.5, retry(Duration::from_millis(250))),
            (input(1, &get, S(503)), 1.0, retry(Duration::from_millis(500))),
            (input(2, &get, S(502)), 1.0, retry(secs(1))),
            (input(3, &patch, S(504)), 1.0, retry(secs(2))),
            (input(3, &patch, S(504)), 0.0, retry(Duration::ZERO)),
            (input(4, &get, S(503)), 0.5, stop(StopReason::AttemptsExhausted)),
            // POST: not after it may have reached the server, yes when it never did.
            (input(1, &post, S(503)), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &post, Outcome::TimedOut), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &post, Outcome::Interrupted), 0.5, stop(StopReason::NotRetryable)),
            (input(1, &post, Outcome::ConnectFailed), 1.0, retry(Duration::from_millis(500))),
            (input(1, &get, Outcome::TimedOut), 1.0, retry(Duration::from_millis(500))),
            // 429 without hints: backoff, any method.
            (input(1, &post, S(429)), 1.0, retry(Duration::from_millis(500))),
            (
                RetryInput { retry_after: Some(secs(7)), ..input(1, &get, S(429)) },
                0.0,
                retry(secs(7)),
            ),
            (
                RetryInput { retry_after: Some(secs(7)), ..input(1, &post, S(429)) },
                0.5,
                retry(Duration::from_millis(7500)),
            ),
            // Retry-After wins over the reset time.
            (
                RetryInput {
                    retry_after: Some(secs(2)),
                    until_reset: Some(secs(20)),
                    ..input(1, &get, S(429))
                },
                0.0,
                retry(secs(2)),
            ),
            (
                RetryInput { until_reset: Some(secs(20)), ..input(1, &get, S(429)) },
                0.0,
                retry(secs(20)),
            ),
            (
                RetryInput { retry_after: Some(secs(61)), ..input(1, &get, S(429)) },
                0.0,
                stop(StopReason::WaitTooLong { requested: secs(61) }),
            ),
            (
                RetryInput { retry_after: Some(secs(120)), ..input(1, &get, S(503)) },
                0.0,
                stop(StopReason::WaitTooLong { requested: secs(120) }),
            ),
            (
                RetryInput { retry_after: Some(secs(3)), ..input(1, &get, S(503)) },
                0.0,
                retry(secs(3)),
            ),
            (
                RetryInput { elapsed: Duration::from_millis(299_700), ..input(1, &get, S(503)) },
                1.0,
                stop(StopReason::DeadlineExceeded),
            ),
            (input(4, &get, S(429)), 0.0, stop(StopReason::AttemptsExhausted)),
        ];
        for (index, (case, draw, expected)) in cases.iter().enumerate() {
            assert_eq!(decide(&policy, case, *draw), *expected, "case {index}: {case:?}");
        }
    }

    #[test]
    fn opt_in_retries_post() {
        let policy = RetryPolicy { retry_non_idempotent: true, ..RetryPolicy::default() };
        let post = Method::POST;
        assert!(matches!(
            decide(&policy, &input(1, &post, S(503)), 0.5),
            RetryDecision::Retry { .. }
        ));
    }

    #[test]
    fn none_never_retries() {
        let policy = RetryPolicy::none();
        let get = Method::GET;
        assert_eq!(
            decide(&policy, &input(1, &get, S(503)), 0.5),
            RetryDecision::Stop(StopReason::AttemptsExhausted)
        );
    }

    #[test]
    fn backoff_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(backoff(&policy, 40, 1.0), policy.max_delay);
        assert_eq!(backoff(&policy, u32::MAX, 1.0), policy.max_delay);
        assert_eq!(
            decide(&policy, &input(1, &Method::GET, S(503)), f64::NAN),
            RetryDecision::Retry { after: Duration::ZERO }
        );
    }
}
