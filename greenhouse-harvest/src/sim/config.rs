//! Configuration of a simulator run: credentials, token lifetimes, the rate limit and faults.
//!
//! Every knob has a default matching what Harvest v3 is reported to do (75 requests per fixed
//! 30-second window, one-hour access tokens, 24-hour single-use refresh tokens), so a test only
//! sets what it wants to scale down.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

/// How the simulator behaves: address, credentials, token lifetimes, rate limit and faults.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use greenhouse_harvest::sim::{FaultConfig, SimConfig};
///
/// // A test-sized limit: 75 requests per 1-second window, and 5% server errors.
/// let config = SimConfig::default()
///     .with_rate_limit(75, Duration::from_secs(1))
///     .with_faults(FaultConfig { error_rate: 0.05, ..FaultConfig::default() });
/// assert_eq!(config.rate_limit, 75);
/// ```
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; the default `127.0.0.1:0` picks an ephemeral loopback port.
    pub bind: SocketAddr,
    /// The OAuth client id the token endpoint accepts.
    pub client_id: String,
    /// The OAuth client secret the token endpoint accepts.
    pub client_secret: String,
    /// Requests allowed per rate-limit window (0 disables the limit).
    pub rate_limit: u32,
    /// Length of one fixed rate-limit window. Windows are aligned on multiples of this length
    /// since the Unix epoch, so with whole seconds `X-RateLimit-Reset` is exact.
    pub rate_window: Duration,
    /// Lifetime of an access token.
    pub token_lifetime: Duration,
    /// Lifetime of a refresh token.
    pub refresh_token_lifetime: Duration,
    /// Lifetime of an authorization code.
    pub authorization_code_lifetime: Duration,
    /// Lifetime of a pagination cursor; `None` means cursors never expire on their own (the
    /// `expire_cursor_rate` fault still expires some).
    pub cursor_lifetime: Option<Duration>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The user an authorization through `GET /authorize` acts as; `None` picks the first site
    /// admin in the data set (or user id 1 when there are no users).
    pub authorize_user_id: Option<u64>,
    /// Fault injection.
    pub faults: FaultConfig,
    /// Seed of the simulator's own randomness (tokens, cursors' signing key, faults).
    pub seed: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            client_id: "sim-client".to_owned(),
            client_secret: "sim-secret".to_owned(),
            rate_limit: 75,
            rate_window: Duration::from_secs(30),
            token_lifetime: Duration::from_hours(1),
            refresh_token_lifetime: Duration::from_hours(24),
            authorization_code_lifetime: Duration::from_mins(1),
            cursor_lifetime: None,
            max_body_bytes: 1024 * 1024,
            authorize_user_id: None,
            faults: FaultConfig::default(),
            seed: 0,
        }
    }
}

impl SimConfig {
    /// Sets the rate limit: `limit` requests per fixed `window`.
    #[must_use]
    pub fn with_rate_limit(mut self, limit: u32, window: Duration) -> Self {
        self.rate_limit = limit;
        self.rate_window = window;
        self
    }

    /// Sets the credentials the token endpoint accepts.
    #[must_use]
    pub fn with_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.client_id = client_id.into();
        self.client_secret = client_secret.into();
        self
    }

    /// Sets the fault injection.
    #[must_use]
    pub fn with_faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// Sets the seed of the simulator's randomness.
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// Seeded fault injection on `/v3` requests. Each rate is a share in `0.0..=1.0` of the requests
/// that passed the rate limiter and authentication; at most one fault hits one request.
///
/// Faults are drawn before the request is handled, so a faulted `PATCH` is never applied.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Share of requests answered with 500, 502 or 503 (chosen evenly).
    pub error_rate: f64,
    /// Share of requests whose connection is dropped before a response is completed.
    pub drop_rate: f64,
    /// Share of responses whose body is cut off halfway (the connection closes early).
    pub truncate_rate: f64,
    /// Share of cursor requests answered with 422 as if the cursor had expired.
    pub expire_cursor_rate: f64,
    /// Share of requests whose bearer token is revoked on the spot (401).
    pub revoke_token_rate: f64,
    /// Share of requests delayed by `latency`.
    pub latency_rate: f64,
    /// Delay added to the delayed share of requests.
    pub latency: Duration,
}

impl Default for FaultConfig {
    fn default() -> Self {
        Self {
            error_rate: 0.0,
            drop_rate: 0.0,
            truncate_rate: 0.0,
            expire_cursor_rate: 0.0,
            revoke_token_rate: 0.0,
            latency_rate: 0.0,
            latency: Duration::ZERO,
        }
    }
}

impl FaultConfig {
    /// No faults at all (the default).
    pub fn none() -> Self {
        Self::default()
    }

    /// Checks that every rate lies in `0.0..=1.0`.
    ///
    /// # Errors
    ///
    /// [`SimError::Config`](super::SimError::Config) naming the first rate out of range.
    pub fn validate(&self) -> Result<(), super::SimError> {
        let rates = [
            ("error_rate", self.error_rate),
            ("drop_rate", self.drop_rate),
            ("truncate_rate", self.truncate_rate),
            ("expire_cursor_rate", self.expire_cursor_rate),
            ("revoke_token_rate", self.revoke_token_rate),
            ("latency_rate", self.latency_rate),
        ];
        for (name, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(super::SimError::Config(format!(
                    "fault {name} must lie in 0.0..=1.0, got {rate}"
                )));
            }
        }
        Ok(())
    }
}
