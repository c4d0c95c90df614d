//! Access tokens: where they come from, how long they are kept, when they are renewed.
//!
//! Harvest v3 takes an OAuth 2.0 bearer token. [`Credentials`] says how to get one:
//! - [`Credentials::client_credentials`]: a custom integration's client id and secret, acting
//!   as one Greenhouse user (`sub`);
//! - [`Credentials::refresh_token`]: a partner integration (Authorization Code grant, see
//!   [`AuthorizationCode`]) whose single-use, rotating refresh tokens live in a [`TokenStore`];
//! - [`Credentials::static_token`]: a fixed token, for tests and the simulator.
//!
//! The client keeps one token per client (clones share it). However many tasks need a token at
//! once, only one token request is in flight (single-flight); the others wait for its result.
//! A token is renewed 60 seconds before it expires, and once when Harvest answers 401. A rotated
//! refresh token is saved in the store before the new access token is used.
//!
//! Secrets are held in [`secrecy::SecretString`] and every `Debug` here is written by hand, so
//! no secret or token ends up in a log line or an error message.

mod oauth;
mod store;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};

pub(crate) use self::oauth::TokenEndpoint;
use self::oauth::TokenGrant;
pub use self::oauth::{
    AuthorizationCode, CodeExchange, DEFAULT_AUTHORIZE_URL, DEFAULT_TOKEN_LIFETIME,
    DEFAULT_TOKEN_URL,
};
pub use self::store::{FileTokenStore, MemoryTokenStore, StoreError, StoredTokens, TokenStore};

/// How long before its expiry a token is renewed.
pub const REFRESH_AHEAD: Duration = Duration::from_mins(1);

/// Why a token could not be obtained.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint answered with an RFC 6749 error body.
    #[error("token endpoint answered {status} {error}{}{}",
        description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default(),
        if error == "invalid_grant" {
            ": the grant is spent or revoked, the customer must authorize the integration again"
        } else { "" })]
    OAuth {
        /// The HTTP status.
        status: StatusCode,
        /// The `error` code: `invalid_grant`, `invalid_client`, `unauthorized_client`...
        error: String,
        /// The `error_description`, when given.
        description: Option<String>,
    },
    /// The token endpoint failed without an RFC 6749 body (an HTML 502, a 429...).
    #[error("token endpoint answered {status}")]
    Http {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body.
        body: String,
        /// `Retry-After`, when given.
        retry_after: Option<Duration>,
    },
    /// A success answer without a usable `access_token`.
    #[error("token endpoint answered {status} with a malformed body")]
    MalformedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// Why it did not parse.
        #[source]
        source: serde_json::Error,
    },
    /// The token request got no answer.
    #[error("token request failed before a response arrived")]
    Transport(#[source] reqwest::Error),
    /// The store holds no refresh token, or the code exchange returned none.
    #[error("no refresh token: the customer must authorize the integration first")]
    NoRefreshToken,
    /// The token store failed to load or save.
    #[error("token store failed")]
    Store(#[source] StoreError),
}

impl AuthError {
    /// Whether the customer must go through the authorize step again (`invalid_grant`, or no
    /// refresh token at all).
    pub fn requires_reauthorization(&self) -> bool {
        match self {
            AuthError::OAuth { error, .. } => error == "invalid_grant",
            AuthError::NoRefreshToken => true,
            _ => false,
        }
    }

    /// The HTTP status of the token endpoint's answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            AuthError::OAuth { status, .. }
            | AuthError::Http { status, .. }
            | AuthError::MalformedResponse { status, .. } => Some(*status),
            AuthError::Transport(err) => err.status(),
            AuthError::NoRefreshToken | AuthError::Store(_) => None,
        }
    }

    /// Whether asking again later may work (429, 5xx, no answer).
    pub fn is_retryable(&self) -> bool {
        match self {
            AuthError::Http { status, .. } => {
                *status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
            }
            AuthError::Transport(err) => err.is_timeout() || err.is_connect(),
            _ => false,
        }
    }
}

/// How the client obtains its access tokens. `Debug` never shows a secret.
#[derive(Clone)]
pub struct Credentials {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Static(SecretString),
    ClientCredentials { client_id: String, client_secret: SecretString, user_id: u64 },
    RefreshToken { client_id: String, client_secret: SecretString, store: Arc<dyn TokenStore> },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Static(_) => f.debug_struct("StaticToken").finish_non_exhaustive(),
            Kind::ClientCredentials { client_id, user_id, .. } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", &"[redacted]")
                .field("user_id", user_id)
                .finish(),
            Kind::RefreshToken { client_id, store, .. } => f
                .debug_struct("RefreshToken")
                .field("client_id", client_id)
                .field("client_secret", &"[redacted]")
                .field("store", store)
                .finish(),
        }
    }
}

impl Credentials {
    /// Client Credentials grant (custom integrations): the token acts as Greenhouse user
    /// `user_id`, who must be a Site Admin for list endpoints.
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        user_id: impl Into<u64>,
    ) -> Self {
        Credentials {
            kind: Kind::ClientCredentials {
                client_id: client_id.into(),
                client_secret: SecretString::from(client_secret.into()),
                user_id: user_id.into(),
            },
        }
    }

    /// Refresh-token grant (partner integrations, after [`AuthorizationCode::exchange_code`]):
    /// the refresh token is read from `store`, and each rotated one is saved there before use.
    pub fn refresh_token(
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
        store: Arc<dyn TokenStore>,
    ) -> Self {
        Credentials {
            kind: Kind::RefreshToken {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                store,
            },
        }
    }

    /// A fixed bearer token that never expires on our side (tests, the simulator). A 401 is
    /// returned as an error since there is nothing to refresh.
    pub fn static_token(token: impl Into<String>) -> Self {
        Credentials { kind: Kind::Static(SecretString::from(token.into())) }
    }
}

/// A bearer value and the generation it belongs to, so that a 401 invalidates only the token
/// that was refused and not a newer one another task already fetched.
pub(crate) struct Bearer {
    pub(crate) value: SecretString,
    generation: u64,
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bearer").field("generation", &self.generation).finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Cache {
    token: Option<(SecretString, DateTime<Utc>)>,
    generation: u64,
    /// Set on a 401: a stored access token must not be reused, a refresh is due.
    force_refresh: bool,
    /// Rotated tokens whose save failed; saved again before anything else.
    unsaved: Option<StoredTokens>,
}

/// The token owner of one client and its clones.
pub(crate) struct TokenManager {
    credentials: Credentials,
    endpoint: TokenEndpoint,
    refresh_ahead: Duration,
    cache: Mutex<Cache>,
    /// Held while a token request is in flight: this is the single-flight.
    flight: tokio::sync::Mutex<()>,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("credentials", &self.credentials)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl TokenManager {
    pub(crate) fn new(
        credentials: Credentials,
        endpoint: TokenEndpoint,
        refresh_ahead: Duration,
    ) -> Self {
        TokenManager {
            credentials,
            endpoint,
            refresh_ahead,
            cache: Mutex::new(Cache::default()),
            flight: tokio::sync::Mutex::new(()),
        }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a 401 is worth one refresh (not for a static token).
    pub(crate) fn can_refresh(&self) -> bool {
        !matches!(self.credentials.kind, Kind::Static(_))
    }

    fn fresh(&self, expires_at: DateTime<Utc>) -> bool {
        let ahead = chrono::Duration::from_std(self.refresh_ahead).unwrap_or(chrono::Duration::MAX);
        Utc::now().checked_add_signed(ahead).is_some_and(|t| t < expires_at)
    }

    fn cached(&self) -> Option<Bearer> {
        let cache = self.cache();
        let (value, expires_at) = cache.token.as_ref()?;
        self.fresh(*expires_at)
            .then(|| Bearer { value: value.clone(), generation: cache.generation })
    }

    /// A valid bearer token, fetching one if needed (one fetch at a time).
    pub(crate) async fn bearer(&self) -> Result<Bearer, AuthError> {
        if let Kind::Static(token) = &self.credentials.kind {
            return Ok(Bearer { value: token.clone(), generation: 0 });
        }
        if let Some(bearer) = self.cached() {
            return Ok(bearer);
        }
        let _flight = self.flight.lock().await;
        // Another task may have fetched a token while this one waited for the flight.
        if let Some(bearer) = self.cached() {
            return Ok(bearer);
        }
        let (value, expires_at) = self.fetch().await?;
        let mut cache = self.cache();
        cache.generation += 1;
        cache.force_refresh = false;
        cache.token = Some((value.clone(), expires_at));
        Ok(Bearer { value, generation: cache.generation })
    }

    /// Forget the token Harvest refused with a 401, unless a newer one replaced it already.
    pub(crate) fn invalidate(&self, refused: &Bearer) {
        let mut cache = self.cache();
        if cache.generation == refused.generation && cache.token.is_some() {
            cache.token = None;
            cache.force_refresh = true;
        }
    }

    async fn fetch(&self) -> Result<(SecretString, DateTime<Utc>), AuthError> {
        match &self.credentials.kind {
            Kind::Static(token) => Ok((token.clone(), DateTime::<Utc>::MAX_UTC)),
            Kind::ClientCredentials { client_id, client_secret, user_id } => {
                let user = user_id.to_string();
                let params = [("grant_type", "client_credentials"), ("sub", user.as_str())];
                let grant = self.endpoint.request(client_id, client_secret, &params, false).await?;
                Ok((grant.access_token, grant.expires_at))
            }
            Kind::RefreshToken { client_id, client_secret, store } => {
                self.refresh(client_id, client_secret, store.as_ref()).await
            }
        }
    }

    async fn refresh(
        &self,
        client_id: &str,
        client_secret: &SecretString,
        store: &dyn TokenStore,
    ) -> Result<(SecretString, DateTime<Utc>), AuthError> {
        let (unsaved, force) = {
            let cache = self.cache();
            (cache.unsaved.clone(), cache.force_refresh)
        };
        let stored = match unsaved {
            Some(tokens) => {
                store.save(&tokens).await.map_err(AuthError::Store)?;
                self.cache().unsaved = None;
                Some(tokens)
            }
            None => store.load().await.map_err(AuthError::Store)?,
        };
        let stored = stored.ok_or(AuthError::NoRefreshToken)?;
        // A restart within the access token's lifetime needs no refresh.
        if let (false, Some(access), Some(expires_at)) =
            (force, &stored.access_token, stored.access_expires_at)
            && self.fresh(expires_at)
        {
            return Ok((access.clone(), expires_at));
        }
        let params = [
            ("grant_type", "refresh_token"),
            ("refresh_token", stored.refresh_token.expose_secret()),
        ];
        let grant: TokenGrant =
            self.endpoint.request(client_id, client_secret, &params, false).await?;
        let rotated = StoredTokens {
            refresh_token: grant.refresh_token.unwrap_or(stored.refresh_token),
            access_token: Some(grant.access_token.clone()),
            access_expires_at: Some(grant.expires_at),
        };
        // The old refresh token is spent now: the new one must be durable before the access
        // token that came with it is used. On failure, keep it to save again next time.
        if let Err(err) = store.save(&rotated).await {
            self.cache().unsaved = Some(rotated);
            return Err(AuthError::Store(err));
        }
        tracing::debug!("refresh token rotated and saved");
        Ok((grant.access_token, grant.expires_at))
    }
}
