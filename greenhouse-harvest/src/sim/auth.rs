//! The simulated OAuth 2.0 authority behind `POST /token` and `GET /authorize`.
//!
//! It follows reference §2: HTTP Basic client authentication; the `client_credentials` grant
//! with a numeric `sub`; the `authorization_code` grant (codes live one minute by default and
//! are single-use); and `refresh_token` grants whose tokens are single-use and rotate, so a
//! reused refresh token gets `invalid_grant`. Errors use RFC 6749 bodies. Time is passed in, so
//! the rules are tested without a clock. Scopes are accepted and ignored: the simulator grants
//! every list and update scope.

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// An RFC 6749 error from the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    /// The `error` code, e.g. `invalid_grant`.
    pub(crate) code: &'static str,
    /// The `error_description`.
    pub(crate) description: String,
    /// HTTP status: 401 for client authentication failures, 400 otherwise.
    pub(crate) status: u16,
}

impl OAuthError {
    fn new(code: &'static str, description: impl Into<String>) -> Self {
        let status = if code == "invalid_client" { 401 } else { 400 };
        Self { code, description: description.into(), status }
    }
}

/// The JSON body of a successful token response.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TokenResponse {
    pub(crate) access_token: String,
    pub(crate) token_type: &'static str,
    pub(crate) expires_in: u64,
    pub(crate) expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) refresh_token: Option<String>,
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccessDenied {
    /// No `Authorization: Bearer` header.
    Missing,
    /// Not a token this authority issued.
    Unknown,
    /// Past its lifetime.
    Expired,
    /// Revoked (by an injected fault).
    Revoked,
}

impl AccessDenied {
    /// Text for the 401 body.
    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::Missing => "Missing bearer token",
            Self::Unknown => "Invalid access token",
            Self::Expired => "Access token expired",
            Self::Revoked => "Access token revoked",
        }
    }
}

/// Who a valid access token acts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Principal {
    /// The acting user.
    pub(crate) user_id: u64,
    /// Whether that user may call list endpoints.
    pub(crate) site_admin: bool,
}

#[derive(Debug, Clone)]
struct AccessEntry {
    principal: Principal,
    expires: Duration,
    revoked: bool,
}

#[derive(Debug, Clone)]
struct RefreshEntry {
    principal: Principal,
    expires: Duration,
    used: bool,
}

#[derive(Debug, Clone)]
struct CodeEntry {
    principal: Principal,
    redirect_uri: Option<String>,
    expires: Duration,
    used: bool,
}

/// Lifetimes and credentials of the authority.
#[derive(Debug, Clone)]
pub(crate) struct AuthorityConfig {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) access_lifetime: Duration,
    pub(crate) refresh_lifetime: Duration,
    pub(crate) code_lifetime: Duration,
}

/// Issues and checks tokens. `now` arguments are durations since the Unix epoch.
#[derive(Debug)]
pub(crate) struct Authority {
    config: AuthorityConfig,
    rng: ChaCha8Rng,
    access: HashMap<String, AccessEntry>,
    refresh: HashMap<String, RefreshEntry>,
    codes: HashMap<String, CodeEntry>,
    tokens_issued: u64,
}

impl Authority {
    pub(crate) fn new(config: AuthorityConfig, seed: u64) -> Self {
        Self {
            config,
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_0a07),
            access: HashMap::new(),
            refresh: HashMap::new(),
            codes: HashMap::new(),
            tokens_issued: 0,
        }
    }

    /// How many access tokens were issued so far.
    pub(crate) fn tokens_issued(&self) -> u64 {
        self.tokens_issued
    }

    fn random_token(&mut self, prefix: &str) -> String {
        let mut bytes = [0_u8; 24];
        self.rng.fill_bytes(&mut bytes);
        format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Checks an `Authorization: Basic` header value against the configured credentials.
    pub(crate) fn authenticate_client(&self, header: Option<&str>) -> Result<(), OAuthError> {
        let refuse = || OAuthError::new("invalid_client", "Client authentication failed");
        let encoded = header
            .and_then(|h| h.strip_prefix("Basic ").or_else(|| h.strip_prefix("basic ")))
            .ok_or_else(refuse)?;
        let decoded = STANDARD.decode(encoded.trim()).map_err(|_| refuse())?;
        let text = String::from_utf8(decoded).map_err(|_| refuse())?;
        let (id, secret) = text.split_once(':').ok_or_else(refuse)?;
        if id == self.config.client_id && secret == self.config.client_secret {
            Ok(())
        } else {
            Err(refuse())
        }
    }

    /// Handles one grant request whose client was already authenticated. `params` merges the
    /// form body and the query string (the body wins); `site_admin` tells whether a user id is
    /// a site admin, `None` for a user the data set does not know (treated as an admin, so
    /// tests need not look one up).
    pub(crate) fn grant(
        &mut self,
        params: &HashMap<String, String>,
        now: Duration,
        site_admin: &dyn Fn(u64) -> Option<bool>,
    ) -> Result<TokenResponse, OAuthError> {
        let grant_type = params
            .get("grant_type")
            .ok_or_else(|| OAuthError::new("invalid_request", "grant_type is required"))?;
        match grant_type.as_str() {
            "client_credentials" => {
                let sub = params
                    .get("sub")
                    .ok_or_else(|| OAuthError::new("invalid_request", "sub is required"))?;
                let user_id: u64 = sub.parse().map_err(|_| {
                    OAuthError::new("invalid_request", "sub must be a numeric user id")
                })?;
                let principal =
                    Principal { user_id, site_admin: site_admin(user_id) != Some(false) };
                Ok(self.issue(principal, false, now))
            }
            "authorization_code" => {
                let code = params
                    .get("code")
                    .ok_or_else(|| OAuthError::new("invalid_request", "code is required"))?;
                let entry = self.codes.get_mut(code).ok_or_else(|| {
                    OAuthError::new("invalid_grant", "Unknown authorization code")
                })?;
                if entry.used {
                    return Err(OAuthError::new(
                        "invalid_grant",
                        "Authorization code already used",
                    ));
                }
                entry.used = true;
                if now >= entry.expires {
                    return Err(OAuthError::new("invalid_grant", "Authorization code expired"));
                }
                if let Some(expected) = &entry.redirect_uri
                    && params.get("redirect_uri") != Some(expected)
                {
                    return Err(OAuthError::new("invalid_grant", "redirect_uri does not match"));
                }
                let principal = entry.principal;
                Ok(self.issue(principal, true, now))
            }
            "refresh_token" => {
                let token = params.get("refresh_token").ok_or_else(|| {
                    OAuthError::new("invalid_request", "refresh_token is required")
                })?;
                let entry = self
                    .refresh
                    .get_mut(token)
                    .ok_or_else(|| OAuthError::new("invalid_grant", "Unknown refresh token"))?;
                if entry.used {
                    return Err(OAuthError::new("invalid_grant", "Refresh token already used"));
                }
                entry.used = true;
                if now >= entry.expires {
                    return Err(OAuthError::new("invalid_grant", "Refresh token expired"));
                }
                let principal = entry.principal;
                Ok(self.issue(principal, true, now))
            }
            other => Err(OAuthError::new(
                "unsupported_grant_type",
                format!("grant_type {other:?} is not supported"),
            )),
        }
    }

    fn issue(&mut self, principal: Principal, with_refresh: bool, now: Duration) -> TokenResponse {
        let access_token = self.random_token("sim_at");
        let expires = now + self.config.access_lifetime;
        self.access
            .insert(access_token.clone(), AccessEntry { principal, expires, revoked: false });
        self.tokens_issued += 1;
        let refresh_token = with_refresh.then(|| {
            let token = self.random_token("sim_rt");
            let entry = RefreshEntry {
                principal,
                expires: now + self.config.refresh_lifetime,
                used: false,
            };
            self.refresh.insert(token.clone(), entry);
            token
        });
        TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: self.config.access_lifetime.as_secs(),
            expires_at: rfc3339(expires),
            refresh_token,
        }
    }

    /// Issues an authorization code for `user_id`, as if that user had consented.
    pub(crate) fn issue_code(
        &mut self,
        principal: Principal,
        redirect_uri: Option<String>,
        now: Duration,
    ) -> String {
        let code = self.random_token("sim_code");
        let expires = now + self.config.code_lifetime;
        self.codes
            .insert(code.clone(), CodeEntry { principal, redirect_uri, expires, used: false });
        code
    }

    /// Checks an `Authorization` header value carrying a bearer token.
    pub(crate) fn check_bearer(
        &self,
        header: Option<&str>,
        now: Duration,
    ) -> Result<(String, Principal), AccessDenied> {
        let token = header
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or(AccessDenied::Missing)?;
        let entry = self.access.get(token).ok_or(AccessDenied::Unknown)?;
        if entry.revoked {
            Err(AccessDenied::Revoked)
        } else if now >= entry.expires {
            Err(AccessDenied::Expired)
        } else {
            Ok((token.to_owned(), entry.principal))
        }
    }

    /// Revokes an access token.
    pub(crate) fn revoke(&mut self, token: &str) {
        if let Some(entry) = self.access.get_mut(token) {
            entry.revoked = true;
        }
    }
}

/// Formats a time since the Unix epoch as RFC 3339 with milliseconds, as v3 writes datetimes.
pub(crate) fn rfc3339(since_epoch: Duration) -> String {
    let millis = i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX);
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authority() -> Authority {
        Authority::new(
            AuthorityConfig {
                client_id: "id".into(),
                client_secret: "secret".into(),
                access_lifetime: Duration::from_hours(1),
                refresh_lifetime: Duration::from_hours(24),
                code_lifetime: Duration::from_mins(1),
            },
            1,
        )
    }

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[allow(clippy::duration_suboptimal_units)] // A Unix time reads best in seconds.
    const T0: Duration = Duration::from_secs(1_800_000_000);
    const ADMIN: Principal = Principal { user_id: 1, site_admin: true };

    #[test]
    fn basic_client_authentication() {
        let auth = authority();
        let good = format!("Basic {}", STANDARD.encode("id:secret"));
        let bad = format!("Basic {}", STANDARD.encode("id:nope"));
        assert!(auth.authenticate_client(Some(&good)).is_ok());
        assert_eq!(auth.authenticate_client(Some(&bad)).unwrap_err().code, "invalid_client");
        assert_eq!(auth.authenticate_client(None).unwrap_err().status, 401);
        assert!(auth.authenticate_client(Some("Basic !!!")).is_err());
    }

    #[test]
    fn client_credentials_need_a_numeric_sub_and_expire() {
        let mut auth = authority();
        let err = auth.grant(&params(&[("grant_type", "client_credentials")]), T0, &|_| None);
        assert_eq!(err.unwrap_err().code, "invalid_request");
        let p = params(&[("grant_type", "client_credentials"), ("sub", "abc")]);
        assert_eq!(auth.grant(&p, T0, &|_| None).unwrap_err().code, "invalid_request");
        let p = params(&[("grant_type", "client_credentials"), ("sub", "42")]);
        let token = auth.grant(&p, T0, &|_| Some(false)).unwrap();
        assert!(token.refresh_token.is_none());
        assert_eq!(token.expires_in, 3600);
        let bearer = format!("Bearer {}", token.access_token);
        let (_, who) = auth.check_bearer(Some(&bearer), T0).unwrap();
        assert_eq!(who, Principal { user_id: 42, site_admin: false });
        let later = T0 + Duration::from_hours(1);
        assert_eq!(auth.check_bearer(Some(&bearer), later), Err(AccessDenied::Expired));
        assert_eq!(auth.check_bearer(Some("Bearer other"), T0), Err(AccessDenied::Unknown));
        assert_eq!(auth.check_bearer(None, T0), Err(AccessDenied::Missing));
    }

    #[test]
    fn refresh_tokens_rotate_and_reuse_is_invalid_grant() {
        let mut auth = authority();
        let code = auth.issue_code(ADMIN, Some("https://app/cb".into()), T0);
        let exchange = params(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://app/cb"),
        ]);
        let first = auth.grant(&exchange, T0, &|_| None).unwrap();
        assert_eq!(auth.grant(&exchange, T0, &|_| None).unwrap_err().code, "invalid_grant");
        let r1 = first.refresh_token.unwrap();
        let refresh = params(&[("grant_type", "refresh_token"), ("refresh_token", &r1)]);
        let second = auth.grant(&refresh, T0, &|_| None).unwrap();
        let r2 = second.refresh_token.unwrap();
        assert_ne!(r1, r2);
        let reuse = auth.grant(&refresh, T0, &|_| None).unwrap_err();
        assert_eq!((reuse.code, reuse.status), ("invalid_grant", 400));
        let refresh2 = params(&[("grant_type", "refresh_token"), ("refresh_token", &r2)]);
        assert!(auth.grant(&refresh2, T0, &|_| None).is_ok());
    }

    #[test]
    fn codes_expire_and_check_the_redirect_uri() {
        let mut auth = authority();
        let code = auth.issue_code(ADMIN, Some("https://app/cb".into()), T0);
        let wrong = params(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://evil/cb"),
        ]);
        assert_eq!(auth.grant(&wrong, T0, &|_| None).unwrap_err().code, "invalid_grant");
        let code = auth.issue_code(ADMIN, None, T0);
        let late = params(&[("grant_type", "authorization_code"), ("code", &code)]);
        let err = auth.grant(&late, T0 + Duration::from_secs(61), &|_| None).unwrap_err();
        assert_eq!(err.description, "Authorization code expired");
        let other = params(&[("grant_type", "password")]);
        assert_eq!(auth.grant(&other, T0, &|_| None).unwrap_err().code, "unsupported_grant_type");
    }

    #[test]
    fn revoked_tokens_are_refused() {
        let mut auth = authority();
        let p = params(&[("grant_type", "client_credentials"), ("sub", "1")]);
        let token = auth.grant(&p, T0, &|_| None).unwrap().access_token;
        auth.revoke(&token);
        let header = format!("Bearer {token}");
        assert_eq!(auth.check_bearer(Some(&header), T0), Err(AccessDenied::Revoked));
    }
}
