//! The client: configuration, and the one loop every request goes through.
//!
//! [`Client`] is an `Arc` around its configuration, so clones are cheap and share the token, the
//! rate-limit budget and the connection pool. Every request, typed or raw, goes through one private
//! loop, `Client::execute`: take a rate-limit slot, attach the bearer token, send, read the body
//! (bounded), then on failure ask [`crate::retry::decide`] whether to wait and try again. A 401
//! renews the token once and tries once more before it is returned.
//!
//! Each request runs in a `harvest.request` tracing span with the method, the path, the status,
//! the attempt and the elapsed time. The query string is never recorded: filters can hold
//! e-mail addresses.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::auth::{Credentials, REFRESH_AHEAD, TokenEndpoint, TokenManager};
use crate::error::{Error, Result};
use crate::filters::{MAX_PER_PAGE, Query};
use crate::pagination::{Cursor, Page, Pages, Paginator, next_link};
use crate::rate_limit::{Governor, RateLimit};
use crate::retry::{Outcome, RetryDecision, RetryInput, RetryPolicy, StopReason, decide};

/// The default API base URL.
pub const DEFAULT_BASE_URL: &str = "https://harvest.greenhouse.io/v3";
/// The default total timeout of one attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_mins(1);
/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default largest response body accepted (a 500-record page is a few megabytes).
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// The default `per_page` of list requests: Harvest's maximum, fewest requests.
pub const DEFAULT_PER_PAGE: u32 = MAX_PER_PAGE;

pub(crate) fn parse_url(text: &str, what: &str) -> Result<Url> {
    let url =
        Url::parse(text).map_err(|err| Error::Config(format!("the {what} `{text}`: {err}")))?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!("the {what} `{text}` is not an http(s) URL")));
    }
    Ok(url)
}

/// Configures a [`Client`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use greenhouse_harvest::{Client, Credentials, RetryPolicy};
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080/v3")
///     .token_url("http://127.0.0.1:8080/token")
///     .credentials(Credentials::client_credentials("id", "secret", 42u64))
///     .timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::default())
///     .build()?;
/// # Ok::<(), greenhouse_harvest::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    token_url: String,
    credentials: Option<Credentials>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    max_body_bytes: usize,
    rate_limit_margin: Duration,
    refresh_ahead: Duration,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token_url", &self.token_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token_url: crate::auth::DEFAULT_TOKEN_URL.to_owned(),
            credentials: None,
            http: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            rate_limit_margin: Duration::from_secs(1),
            refresh_ahead: REFRESH_AHEAD,
        }
    }
}

impl ClientBuilder {
    /// The API base URL, `https://harvest.greenhouse.io/v3` by default (how tests reach a mock
    /// server or the simulator).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The OAuth token endpoint, `https://auth.greenhouse.io/token` by default.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// How to obtain access tokens (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Use this HTTP client (its proxies, TLS roots, pool...). The connect timeout and user
    /// agent of the builder then do not apply; the total timeout still does, per request.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The total timeout of one attempt, 60 s by default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connect timeout, 10 s by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed requests are retried ([`RetryPolicy::default`] unless set).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent`, `greenhouse-harvest/<version>` by default.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body accepted, 64 MiB by default.
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.max_body_bytes = max;
        self
    }

    /// Extra wait added when the rate-limit budget is spent and the client waits for the
    /// window to reset (1 s by default: the reset has a one-second resolution and the server's
    /// clock is not ours).
    pub fn rate_limit_margin(mut self, margin: Duration) -> Self {
        self.rate_limit_margin = margin;
        self
    }

    /// How long before expiry a token is renewed (60 s by default).
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.refresh_ahead = ahead;
        self
    }

    /// Build the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a URL is not an absolute http(s) URL, no credentials were given,
    /// or the HTTP client cannot be built (no TLS backend).
    pub fn build(self) -> Result<Client> {
        let mut base = parse_url(&self.base_url, "base URL")?;
        // `Url::join` replaces the last segment unless the path ends with a slash.
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        base.set_query(None);
        base.set_fragment(None);
        let token_url = parse_url(&self.token_url, "token URL")?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config("no credentials: call ClientBuilder::credentials".to_owned())
        })?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent)
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .build()
                .map_err(|err| Error::Config(format!("cannot build the HTTP client: {err}")))?,
        };
        let tokens = TokenManager::new(
            credentials,
            TokenEndpoint { url: token_url, http: http.clone() },
            self.refresh_ahead,
        );
        Ok(Client {
            inner: Arc::new(Inner {
                base,
                http,
                tokens,
                retry: self.retry,
                timeout: self.timeout,
                governor: Governor::new(self.rate_limit_margin),
                max_body_bytes: self.max_body_bytes,
            }),
        })
    }
}

/// A Harvest v3 client. Cheap to clone: clones share the token, the rate-limit budget and the
/// connection pool.
///
/// # Examples
///
/// ```no_run
/// use greenhouse_harvest::{Client, Credentials};
///
/// # async fn run() -> greenhouse_harvest::Result<()> {
/// let client = Client::builder()
///     .credentials(Credentials::client_credentials("client-id", "client-secret", 42u64))
///     .build()?;
/// let page = client.jobs().list().per_page(100).send().await?;
/// println!("{} jobs on the first page", page.items.len());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base: Url,
    http: reqwest::Client,
    tokens: TokenManager,
    retry: RetryPolicy,
    timeout: Duration,
    governor: Governor,
    max_body_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("tokens", &self.inner.tokens)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Per-request settings that override the client's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Another retry policy for this request.
    pub retry: Option<RetryPolicy>,
    /// Another total timeout per attempt for this request.
    pub timeout: Option<Duration>,
}

/// One request to execute.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) json_body: Option<Vec<u8>>,
    pub(crate) options: RequestOptions,
}

/// A response with a success status.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) rate_limit: RateLimit,
}

/// What one attempt produced before the retry decision.
enum Attempt {
    Response { status: StatusCode, headers: HeaderMap, body: Vec<u8>, rate_limit: RateLimit },
    Failed(reqwest::Error),
    TooLarge(usize),
}

fn classify(err: &reqwest::Error) -> Outcome {
    if err.is_connect() {
        Outcome::ConnectFailed
    } else if err.is_timeout() {
        Outcome::TimedOut
    } else {
        Outcome::Interrupted
    }
}

impl Client {
    /// Start configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The rate-limit headers of the last response any clone of this client received.
    pub fn rate_limit(&self) -> RateLimit {
        self.inner.governor.last()
    }

    /// The API base URL, always ending with a slash.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// Resolve a path such as `applications` or `/applications/12` under the base URL,
    /// refusing anything that would leave it.
    pub(crate) fn endpoint(&self, path: &str) -> Result<Url> {
        let relative = path.trim_start_matches('/');
        if relative.contains("://") || relative.starts_with('/') || relative.contains("..") {
            return Err(Error::InvalidRequest(format!(
                "`{path}` is not a path under the base URL"
            )));
        }
        let url = self
            .inner
            .base
            .join(relative)
            .map_err(|err| Error::InvalidRequest(format!("bad path `{path}`: {err}")))?;
        self.check_origin(&url)?;
        Ok(url)
    }

    /// Refuse URLs on another origin, so that the bearer token goes nowhere else.
    pub(crate) fn check_origin(&self, url: &Url) -> Result<()> {
        if url.origin() == self.inner.base.origin() {
            Ok(())
        } else {
            Err(Error::InvalidRequest(
                "a URL on another host than the base URL was refused (the token stays home)"
                    .to_owned(),
            ))
        }
    }

    /// The URL of `path` with `query` encoded in it.
    pub(crate) fn url_with_query<Q: Serialize + ?Sized>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<Url> {
        let url = self.endpoint(path)?;
        // reqwest's own encoder (serde_urlencoded) turns the query into the URL.
        let request = self
            .inner
            .http
            .get(url)
            .query(query)
            .build()
            .map_err(|err| Error::InvalidRequest(format!("cannot encode the query: {err}")))?;
        Ok(request.url().clone())
    }

    /// The first-request URLs of a listing: one per chunk of more than 50 ids.
    pub(crate) fn list_urls(
        &self,
        path: &str,
        query: &Query,
        per_page: u32,
    ) -> Result<VecDeque<Url>> {
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(Error::InvalidRequest(format!(
                "per_page must be between 1 and {MAX_PER_PAGE}, got {per_page}"
            )));
        }
        let per_page = per_page.to_string();
        query
            .split()
            .into_iter()
            .map(|mut pairs| {
                pairs.push(("per_page".to_owned(), per_page.clone()));
                self.url_with_query(path, &pairs)
            })
            .collect()
    }

    /// Fetch one page at `url` (a first-request URL or a cursor).
    pub(crate) async fn fetch_page<T: DeserializeOwned>(
        &self,
        url: Url,
        options: RequestOptions,
    ) -> Result<Page<T>> {
        self.check_origin(&url)?;
        let path = url.path().to_owned();
        let fetched = url.clone();
        let reply =
            self.execute(Call { method: Method::GET, url, json_body: None, options }).await?;
        let items: Vec<T> = Error::decode_json(&Method::GET, &path, reply.status, &reply.body)?;
        let next = match next_link(&reply.headers) {
            Some(link) => {
                // A relative link resolves against the page it came with.
                let url = fetched.join(&link).map_err(|err| {
                    Error::InvalidRequest(format!("the server's next link is not a URL: {err}"))
                })?;
                self.check_origin(&url)?;
                Some(Cursor::new(url))
            }
            None => None,
        };
        Ok(Page { items, next, rate_limit: reply.rate_limit })
    }

    /// Walk every page of a list endpoint not typed by this crate, decoding its records as
    /// `T` (for example `serde_json::Value`).
    ///
    /// `query` is encoded on the first request with `per_page` (500); later requests follow
    /// the server's next links exactly.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the path leaves the base URL or the query cannot be
    /// encoded; the stream then yields the errors of each page.
    pub fn paginate_json<T, Q>(&self, path: &str, query: &Q) -> Result<Paginator<T>>
    where
        T: DeserializeOwned + Send + 'static,
        Q: Serialize + ?Sized,
    {
        let first = self.url_with_query(path, query)?;
        let first = {
            let mut url = first;
            if !url.query_pairs().any(|(name, _)| name == "per_page") {
                url.query_pairs_mut().append_pair("per_page", &DEFAULT_PER_PAGE.to_string());
            }
            url
        };
        Ok(Pages::new(self.clone(), VecDeque::from([first])).items())
    }

    /// Resume any listing from a saved cursor, page by page.
    pub fn resume_pages<T: DeserializeOwned + Send + 'static>(&self, cursor: Cursor) -> Pages<T> {
        Pages::from_cursor(self.clone(), cursor)
    }

    /// Send one request through auth, the rate-limit governor and the retry loop.
    pub(crate) async fn execute(&self, call: Call) -> Result<Reply> {
        let path = call.url.path().to_owned();
        let span = tracing::info_span!(
            "harvest.request",
            method = %call.method,
            path = %path,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        self.execute_in_span(call, path, span.clone()).instrument(span).await
    }

    async fn execute_in_span(
        &self,
        call: Call,
        path: String,
        span: tracing::Span,
    ) -> Result<Reply> {
        let inner = &self.inner;
        let policy = call.options.retry.as_ref().unwrap_or(&inner.retry);
        let timeout = call.options.timeout.unwrap_or(inner.timeout);
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut refreshed = false;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let bearer = inner.tokens.bearer().await.map_err(Error::Auth)?;
            let permit = match inner.governor.acquire(policy.max_wait).await {
                Ok(permit) => permit,
                // The budget is spent until later than this call may wait (after a 429 with a
                // long Retry-After, say): say so instead of sleeping.
                Err(wait) => {
                    return Err(Error::RateLimited {
                        method: call.method.clone(),
                        path,
                        retry_after: Some(wait),
                    });
                }
            };
            tracing::debug!(attempt, "sending");
            let result = self.send_once(&call, &bearer, timeout, permit, &span).await;
            let elapsed = started.elapsed();
            span.record("elapsed_ms", u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX));
            let result = match result {
                Attempt::Response { status, headers, body, rate_limit } if status.is_success() => {
                    return Ok(Reply { status, headers, body, rate_limit });
                }
                Attempt::Response { status: StatusCode::UNAUTHORIZED, .. }
                    if !refreshed && inner.tokens.can_refresh() =>
                {
                    // Once per call: the token may have been revoked or expired early.
                    refreshed = true;
                    inner.tokens.invalidate(&bearer);
                    attempt -= 1;
                    tracing::debug!("401: renewing the token and trying once more");
                    continue;
                }
                Attempt::TooLarge(limit) => {
                    return Err(Error::BodyTooLarge { method: call.method.clone(), path, limit });
                }
                other => other,
            };
            let (outcome, retry_after, until_reset) = match &result {
                Attempt::Response { status, rate_limit, .. } => {
                    let until_reset = (*status == StatusCode::TOO_MANY_REQUESTS)
                        .then_some(rate_limit.reset_after)
                        .flatten();
                    (Outcome::Status(*status), rate_limit.retry_after, until_reset)
                }
                Attempt::Failed(err) => (classify(err), None, None),
                Attempt::TooLarge(_) => (Outcome::Interrupted, None, None),
            };
            let input = RetryInput {
                attempt,
                method: &call.method,
                outcome,
                retry_after,
                until_reset,
                elapsed,
            };
            match decide(policy, &input, rand::random::<f64>()) {
                RetryDecision::Retry { after } => {
                    let wait_ms = u64::try_from(after.as_millis()).unwrap_or(u64::MAX);
                    tracing::warn!(attempt, wait_ms, outcome = ?outcome, "retrying");
                    tokio::time::sleep(after).await;
                }
                RetryDecision::Stop(reason) => {
                    let requested = match reason {
                        StopReason::WaitTooLong { requested } => Some(requested),
                        _ => retry_after.or(until_reset),
                    };
                    return Err(final_error(result, call.method.clone(), &path, requested));
                }
            }
        }
    }
}

impl Client {
    /// One attempt: send, record the rate-limit headers, read the body (bounded).
    async fn send_once(
        &self,
        call: &Call,
        bearer: &crate::auth::Bearer,
        timeout: Duration,
        permit: crate::rate_limit::Permit,
        span: &tracing::Span,
    ) -> Attempt {
        let inner = &self.inner;
        let mut request = inner
            .http
            .request(call.method.clone(), call.url.clone())
            .bearer_auth(bearer.value.expose_secret())
            .header(ACCEPT, "application/json")
            .timeout(timeout);
        if let Some(body) = &call.json_body {
            request = request.header(CONTENT_TYPE, "application/json").body(body.clone());
        }
        match request.send().await {
            Err(err) => {
                inner.governor.abandon(permit);
                Attempt::Failed(err)
            }
            Ok(response) => {
                let status = response.status();
                let rate_limit = RateLimit::from_headers(response.headers());
                let too_many = status == StatusCode::TOO_MANY_REQUESTS;
                inner.governor.finish(permit, &rate_limit, too_many);
                span.record("status", status.as_u16());
                let headers = response.headers().clone();
                match read_body(response, inner.max_body_bytes).await {
                    Ok(Some(body)) => Attempt::Response { status, headers, body, rate_limit },
                    Ok(None) => Attempt::TooLarge(inner.max_body_bytes),
                    Err(err) => Attempt::Failed(err),
                }
            }
        }
    }
}

fn final_error(result: Attempt, method: Method, path: &str, wait: Option<Duration>) -> Error {
    match result {
        Attempt::Failed(err) => Error::transport(method, path, err),
        Attempt::Response { status: StatusCode::TOO_MANY_REQUESTS, .. } => {
            Error::RateLimited { method, path: path.to_owned(), retry_after: wait }
        }
        Attempt::Response { status, body, .. } => Error::api(status, method, path, &body, wait),
        // Returned before the retry decision already; kept so the match stays total.
        Attempt::TooLarge(limit) => Error::BodyTooLarge { method, path: path.to_owned(), limit },
    }
}

/// Read a body of at most `max` bytes; `Ok(None)` when it is larger.
async fn read_body(
    mut response: reqwest::Response,
    max: usize,
) -> std::result::Result<Option<Vec<u8>>, reqwest::Error> {
    if response.content_length().is_some_and(|len| len > max as u64) {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > max {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}
