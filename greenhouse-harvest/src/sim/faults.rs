//! Seeded fault decisions.
//!
//! One uniform draw per request picks at most one fault, in the order server error, dropped
//! connection, truncated body, expired cursor, revoked token; a second draw decides on added
//! latency, which can come on top of any answer. The generator is seeded, so a single-threaded
//! request sequence meets the same faults on every run.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::config::FaultConfig;

/// A fault to inject into one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Fault {
    /// Answer with this 5xx status.
    ServerError(u16),
    /// Close the connection without a complete response.
    Drop,
    /// Send half of the body, then close the connection.
    Truncate,
    /// Refuse the cursor as expired (422).
    ExpireCursor,
    /// Revoke the bearer token and answer 401.
    RevokeToken,
}

impl Fault {
    /// Stable name used in the statistics.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::ServerError(500) => "http_500",
            Self::ServerError(502) => "http_502",
            Self::ServerError(_) => "http_503",
            Self::Drop => "dropped_connection",
            Self::Truncate => "truncated_body",
            Self::ExpireCursor => "expired_cursor",
            Self::RevokeToken => "revoked_token",
        }
    }
}

/// The fault plan for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plan {
    /// The fault, if any.
    pub(crate) fault: Option<Fault>,
    /// Whether to add the configured latency.
    pub(crate) delay: bool,
}

/// Draws fault plans from a seeded generator.
#[derive(Debug)]
pub(crate) struct FaultInjector {
    config: FaultConfig,
    rng: ChaCha8Rng,
}

impl FaultInjector {
    /// An injector with `config`, seeded with `seed`.
    pub(crate) fn new(config: FaultConfig, seed: u64) -> Self {
        Self { config, rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// The current configuration.
    pub(crate) fn config(&self) -> &FaultConfig {
        &self.config
    }

    /// Replaces the configuration; the random sequence continues.
    pub(crate) fn set_config(&mut self, config: FaultConfig) {
        self.config = config;
    }

    /// Draws the plan for one request. `has_cursor` says whether an expired cursor is possible.
    pub(crate) fn draw(&mut self, has_cursor: bool) -> Plan {
        let c = &self.config;
        let u: f64 = self.rng.random();
        let delay = c.latency_rate > 0.0 && self.rng.random::<f64>() < c.latency_rate;
        let status = [500, 502, 503][self.rng.random_range(0..3)];
        let bands = [
            (c.error_rate, Fault::ServerError(status)),
            (c.drop_rate, Fault::Drop),
            (c.truncate_rate, Fault::Truncate),
            (if has_cursor { c.expire_cursor_rate } else { 0.0 }, Fault::ExpireCursor),
            (c.revoke_token_rate, Fault::RevokeToken),
        ];
        let mut edge = 0.0;
        let mut fault = None;
        for (rate, candidate) in bands {
            edge += rate;
            if u < edge {
                fault = Some(candidate);
                break;
            }
        }
        Plan { fault, delay }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_faults_by_default() {
        let mut injector = FaultInjector::new(FaultConfig::default(), 1);
        for _ in 0..10_000 {
            assert_eq!(injector.draw(true), Plan { fault: None, delay: false });
        }
    }

    #[test]
    fn rates_are_respected_roughly_and_reproducibly() {
        let config = FaultConfig { error_rate: 0.05, drop_rate: 0.05, ..FaultConfig::default() };
        let run = |seed| {
            let mut injector = FaultInjector::new(config.clone(), seed);
            (0..20_000).map(|_| injector.draw(false).fault).collect::<Vec<_>>()
        };
        let a = run(9);
        assert_eq!(a, run(9));
        let errors = a.iter().filter(|f| matches!(f, Some(Fault::ServerError(_)))).count();
        let drops = a.iter().filter(|f| matches!(f, Some(Fault::Drop))).count();
        assert!((800..1200).contains(&errors), "{errors}");
        assert!((800..1200).contains(&drops), "{drops}");
        assert!(a.iter().all(|f| !matches!(f, Some(Fault::Truncate | Fault::ExpireCursor))));
    }

    #[test]
    fn expired_cursor_only_when_a_cursor_was_sent() {
        let config = FaultConfig { expire_cursor_rate: 1.0, ..FaultConfig::default() };
        let mut injector = FaultInjector::new(config, 3);
        assert_eq!(injector.draw(false).fault, None);
        assert_eq!(injector.draw(true).fault, Some(Fault::ExpireCursor));
    }
}
