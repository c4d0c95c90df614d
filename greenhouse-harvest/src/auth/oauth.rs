//! The OAuth 2.0 token endpoint and the Authorization Code flow.
//!
//! Every grant is a form POST to the token endpoint with the client authenticated by HTTP
//! Basic. The response body is not documented by Greenhouse: `expires_in` (seconds) and
//! `expires_at` (RFC 3339) are both accepted, the earlier winning when both come, and one hour
//! (the documented access-token lifetime) is assumed when neither does. Errors follow RFC 6749
//! (`{"error": "...", "error_description": "..."}`), not Harvest's `{"message": ...}` shape.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use super::store::{StoredTokens, TokenStore};
use super::{AuthError, Credentials};
use crate::error::truncate_body;

/// The default token endpoint.
pub const DEFAULT_TOKEN_URL: &str = "https://auth.greenhouse.io/token";
/// The default authorize endpoint (a browser redirect).
pub const DEFAULT_AUTHORIZE_URL: &str = "https://auth.greenhouse.io/authorize";
/// The access-token lifetime assumed when the token response gives none.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_hours(1);

/// A token endpoint answer, as far as the client needs it.
#[derive(Clone)]
pub(crate) struct TokenGrant {
    pub(crate) access_token: SecretString,
    pub(crate) expires_at: DateTime<Utc>,
    pub(crate) refresh_token: Option<SecretString>,
}

impl fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGrant")
            .field("expires_at", &self.expires_at)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
    #[serde(default)]
    expires_at: Option<serde_json::Value>,
    #[serde(default)]
    refresh_token: Option<String>,
}

#[derive(Deserialize)]
struct OAuthErrorBody {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// Seconds as a JSON number or a numeric string.
fn seconds(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|s| s.is_finite() && *s >= 0.0)
}

fn expiry(body: &TokenBody, now: DateTime<Utc>) -> DateTime<Utc> {
    let from_in = body
        .expires_in
        .as_ref()
        .and_then(seconds)
        .and_then(|s| chrono::Duration::from_std(Duration::try_from_secs_f64(s).ok()?).ok())
        .and_then(|d| now.checked_add_signed(d));
    let from_at = body.expires_at.as_ref().and_then(|value| match value {
        serde_json::Value::String(text) => {
            DateTime::parse_from_rfc3339(text.trim()).ok().map(|d| d.to_utc())
        }
        // Some servers send a Unix time here.
        other => seconds(other).and_then(|s| {
            let whole = Duration::try_from_secs_f64(s).ok()?.as_secs();
            DateTime::from_timestamp(i64::try_from(whole).ok()?, 0)
        }),
    });
    match (from_in, from_at) {
        (Some(a), Some(b)) => a.min(b),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => now + chrono::Duration::seconds(3600),
    }
}

/// A token-endpoint client: URL, HTTP client and client authentication.
#[derive(Clone)]
pub(crate) struct TokenEndpoint {
    pub(crate) url: Url,
    pub(crate) http: reqwest::Client,
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint").field("url", &self.url.as_str()).finish_non_exhaustive()
    }
}

impl TokenEndpoint {
    /// POST a grant. `in_query` puts the parameters in the query string instead of the body
    /// (the variant one third party reports for the code exchange).
    pub(crate) async fn request(
        &self,
        client_id: &str,
        client_secret: &SecretString,
        params: &[(&str, &str)],
        in_query: bool,
    ) -> Result<TokenGrant, AuthError> {
        let grant = params.first().map_or("", |(_, value)| *value);
        let span = tracing::debug_span!("harvest.token", grant, status = tracing::field::Empty);
        let mut request = self
            .http
            .post(self.url.clone())
            .basic_auth(client_id, Some(client_secret.expose_secret()));
        request = if in_query { request.query(params) } else { request.form(params) };
        let response = request.send().await.map_err(|mut err| {
            if let Some(url) = err.url_mut() {
                url.set_query(None);
            }
            AuthError::Transport(err)
        })?;
        let status = response.status();
        span.record("status", status.as_u16());
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| crate::rate_limit::parse_retry_after(v, std::time::SystemTime::now()));
        let body = response.bytes().await.map_err(AuthError::Transport)?;
        if !status.is_success() {
            return Err(error_from(status, &body, retry_after));
        }
        let parsed: TokenBody = serde_json::from_slice(&body)
            .map_err(|source| AuthError::MalformedResponse { status, source })?;
        let expires_at = expiry(&parsed, Utc::now());
        tracing::debug!(parent: &span, expires_at = %expires_at, rotated = parsed.refresh_token.is_some(), "token granted");
        Ok(TokenGrant {
            access_token: SecretString::from(parsed.access_token),
            expires_at,
            refresh_token: parsed.refresh_token.map(SecretString::from),
        })
    }
}

fn error_from(status: StatusCode, body: &[u8], retry_after: Option<Duration>) -> AuthError {
    match serde_json::from_slice::<OAuthErrorBody>(body) {
        Ok(parsed) => {
            AuthError::OAuth { status, error: parsed.error, description: parsed.error_description }
        }
        Err(_) => AuthError::Http { status, body: truncate_body(body), retry_after },
    }
}

/// How the authorization code is sent to the token endpoint. Greenhouse's partner guide is
/// reported to put it in the query string; RFC 6749 says form body. The default is the RFC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodeExchange {
    /// `application/x-www-form-urlencoded` body (RFC 6749 §4.1.3).
    #[default]
    FormBody,
    /// Parameters in the query string of the POST.
    QueryString,
}

/// A partner integration's OAuth application: builds the authorize URL, exchanges the code
/// the customer comes back with, and hands out [`Credentials`] for the client.
///
/// # Examples
///
/// ```
/// use greenhouse_harvest::auth::AuthorizationCode;
///
/// let app = AuthorizationCode::new("client-id", "client-secret");
/// let url = app.authorize_url(
///     "https://rocketmat.example/callback",
///     &["harvest:applications:list", "harvest:applications:update"],
///     "opaque-state",
/// )?;
/// assert!(url.as_str().contains("scope=harvest%3Aapplications%3Alist+harvest"));
/// # Ok::<(), greenhouse_harvest::Error>(())
/// ```
#[derive(Clone)]
pub struct AuthorizationCode {
    client_id: String,
    client_secret: SecretString,
    authorize_url: String,
    token_url: String,
    http: reqwest::Client,
    exchange: CodeExchange,
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCode")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("authorize_url", &self.authorize_url)
            .field("token_url", &self.token_url)
            .field("exchange", &self.exchange)
            .finish_non_exhaustive()
    }
}

impl AuthorizationCode {
    /// An application with Greenhouse's default endpoints.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        AuthorizationCode {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            authorize_url: DEFAULT_AUTHORIZE_URL.to_owned(),
            token_url: DEFAULT_TOKEN_URL.to_owned(),
            http: reqwest::Client::new(),
            exchange: CodeExchange::default(),
        }
    }

    /// Use another token endpoint (a simulator, a mock). Checked when first used.
    #[must_use]
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Use another authorize endpoint. Checked when first used.
    #[must_use]
    pub fn authorize_endpoint(mut self, url: impl Into<String>) -> Self {
        self.authorize_url = url.into();
        self
    }

    /// Use this HTTP client for token requests.
    #[must_use]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Send the code in the query string or the form body.
    #[must_use]
    pub fn code_exchange(mut self, exchange: CodeExchange) -> Self {
        self.exchange = exchange;
        self
    }

    /// The URL to send the customer's browser to. `scopes` are joined with spaces; `state` is
    /// an unguessable value to check when the customer comes back.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Config`] when the authorize endpoint is not an absolute URL.
    pub fn authorize_url(
        &self,
        redirect_uri: &str,
        scopes: &[&str],
        state: &str,
    ) -> crate::Result<Url> {
        let mut url = crate::client::parse_url(&self.authorize_url, "authorize URL")?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", state);
        Ok(url)
    }

    /// Exchange the code from the redirect (valid for one minute) for tokens, and save them
    /// in `store` before returning.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Auth`] when the token endpoint refuses the code, answers garbage, cannot
    /// be reached, returns no refresh token, or the store fails; [`crate::Error::Config`] when
    /// the token URL is not an absolute URL.
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
        store: &dyn TokenStore,
    ) -> crate::Result<()> {
        let params =
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect_uri)];
        let endpoint = TokenEndpoint {
            url: crate::client::parse_url(&self.token_url, "token URL")?,
            http: self.http.clone(),
        };
        let grant = endpoint
            .request(
                &self.client_id,
                &self.client_secret,
                &params,
                self.exchange == CodeExchange::QueryString,
            )
            .await
            .map_err(crate::Error::Auth)?;
        let refresh_token =
            grant.refresh_token.ok_or(crate::Error::Auth(AuthError::NoRefreshToken))?;
        let tokens = StoredTokens {
            refresh_token,
            access_token: Some(grant.access_token),
            access_expires_at: Some(grant.expires_at),
        };
        store.save(&tokens).await.map_err(|e| crate::Error::Auth(AuthError::Store(e)))
    }

    /// Credentials for a client acting for the customer whose tokens are in `store`.
    pub fn credentials(&self, store: std::sync::Arc<dyn TokenStore>) -> Credentials {
        Credentials::refresh_token(self.client_id.clone(), self.client_secret.clone(), store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> TokenBody {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn expiry_accepts_both_forms_and_defaults_to_an_hour() {
        let now: DateTime<Utc> = "2026-12-03T16:00:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            expiry(&body(r#"{"access_token":"a","expires_in":120}"#), now),
            at("2026-12-03T16:02:00Z")
        );
        assert_eq!(
            expiry(&body(r#"{"access_token":"a","expires_in":"60"}"#), now),
            at("2026-12-03T16:01:00Z")
        );
        assert_eq!(
            expiry(
                &body(r#"{"access_token":"a","expires_at":"2026-12-03T17:30:00.000+01:00"}"#),
                now
            ),
            at("2026-12-03T16:30:00Z")
        );
        assert_eq!(
            expiry(
                &body(
                    r#"{"access_token":"a","expires_in":600,"expires_at":"2026-12-03T16:05:00Z"}"#
                ),
                now
            ),
            at("2026-12-03T16:05:00Z")
        );
        assert_eq!(expiry(&body(r#"{"access_token":"a"}"#), now), at("2026-12-03T17:00:00Z"));
        assert_eq!(
            expiry(&body(r#"{"access_token":"a","expires_in":"soon"}"#), now),
            at("2026-12-03T17:00:00Z")
        );
    }

    #[test]
    fn oauth_errors_are_typed() {
        let err = error_from(StatusCode::BAD_REQUEST, br#"{"error":"invalid_grant"}"#, None);
        assert!(err.requires_reauthorization());
        assert!(err.to_string().contains("authorize"));
        let err = error_from(StatusCode::BAD_GATEWAY, b"<html>", None);
        assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
        assert!(!err.requires_reauthorization());
    }
}
