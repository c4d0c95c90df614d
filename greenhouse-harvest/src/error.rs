//! The one error type of the client.
//!
//! Every fallible call returns [`Result<T>`], whose error keeps what a caller needs to decide
//! what to do next: the HTTP status (even when the body is HTML), the method and path (never the
//! query string, which can hold e-mail addresses), the raw body truncated to a few kilobytes, the
//! parsed Harvest error body when it parses, and how long the server asked us to wait. The
//! transport error from reqwest stays a `source()`, so `is_timeout()` and friends keep working.

use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Deserialize;

/// Shorthand for `std::result::Result<T, greenhouse_harvest::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many bytes of a response body an error keeps. Harvest error bodies are small; an HTML
/// error page from a proxy is cut here so that errors stay cheap to log and to carry around.
pub const MAX_ERROR_BODY_BYTES: usize = 4096;

/// Everything that can go wrong when talking to Harvest.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Harvest answered with a non-success status other than 429.
    #[error("{} {} answered {}{}", .0.method, .0.path, .0.status, ApiErrorSuffix(.0))]
    Api(Box<ApiError>),

    /// Harvest answered 429 and the client gave up waiting (attempts exhausted or the requested
    /// wait is longer than the retry policy allows).
    #[error("{method} {path} was rate limited{}", WaitSuffix(*.retry_after))]
    RateLimited {
        /// Method of the request.
        method: Method,
        /// Path of the request, without the query string.
        path: String,
        /// How long the server asked to wait, when it said so.
        retry_after: Option<Duration>,
    },

    /// Getting or refreshing an access token failed.
    #[error("authentication failed")]
    Auth(#[source] crate::auth::AuthError),

    /// A success response whose body does not match the expected type.
    #[error("cannot decode the {endpoint} response (status {status}) at `{path}`")]
    Decode {
        /// Method and path of the request, e.g. `GET /v3/applications`.
        endpoint: String,
        /// The JSON path that failed, e.g. `[3].custom_fields.rating.value`.
        path: String,
        /// The HTTP status of the response.
        status: StatusCode,
        /// The start of the body, for diagnosis.
        body: String,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },

    /// The request never got a response: connection refused, DNS, TLS, timeout, broken body.
    #[error("{method} {path} failed before a response arrived")]
    Transport {
        /// Method of the request.
        method: Method,
        /// Path of the request, without the query string.
        path: String,
        /// The reqwest error, with the query string stripped from its URL.
        #[source]
        source: reqwest::Error,
    },

    /// The response body was larger than the client accepts (`ClientBuilder::max_body_bytes`).
    #[error("{method} {path} answered a body larger than {limit} bytes")]
    BodyTooLarge {
        /// Method of the request.
        method: Method,
        /// Path of the request, without the query string.
        path: String,
        /// The limit in bytes.
        limit: usize,
    },

    /// The request was refused before sending because it cannot succeed, or a response
    /// asked for something the client refuses (a next link to another host, a repeated one).
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// The client was configured wrongly (bad URL, missing credentials...).
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// The details of an [`Error::Api`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The request method.
    pub method: Method,
    /// The request path, without the query string.
    pub path: String,
    /// The start of the response body as text (at most [`MAX_ERROR_BODY_BYTES`]).
    pub raw_body: String,
    /// The body parsed as a Harvest error, when it is one.
    pub body: Option<ApiErrorBody>,
    /// How long the server asked to wait (`Retry-After`), when it said so.
    pub retry_after: Option<Duration>,
}

/// A Harvest v3 error body: `{"message": "...", "errors": [...]}`.
///
/// Harvest mixes strings and `{field: message}` objects in `errors`, sometimes on one page, so
/// the items stay [`serde_json::Value`]s; [`ApiErrorBody::error_messages`] flattens them.
/// Some validation errors come as a bare object such as `{"per_page": "..."}`; those keys are
/// kept in `fields`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ApiErrorBody {
    /// The top-level message, e.g. `Unprocessable Content`.
    #[serde(default)]
    pub message: Option<String>,
    /// The `errors` array, each item a string or an object.
    #[serde(default)]
    pub errors: Vec<serde_json::Value>,
    /// Any other top-level key, e.g. `{"per_page": "... greater than: 500"}`.
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl ApiErrorBody {
    /// Parse a body, returning `None` when it is not a JSON object.
    pub(crate) fn parse(body: &[u8]) -> Option<Self> {
        match serde_json::from_slice::<serde_json::Value>(body).ok()? {
            value @ serde_json::Value::Object(_) => serde_json::from_value(value).ok(),
            _ => None,
        }
    }

    /// Every error as one line of text: the strings of `errors` as they are, objects as
    /// `field: message`, then the other top-level keys the same way.
    pub fn error_messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for item in &self.errors {
            push_messages(&mut out, None, item);
        }
        for (key, value) in &self.fields {
            push_messages(&mut out, Some(key), value);
        }
        out
    }
}

fn push_messages(out: &mut Vec<String>, key: Option<&str>, value: &serde_json::Value) {
    let prefix = key.map(|k| format!("{k}: ")).unwrap_or_default();
    match value {
        serde_json::Value::String(text) => out.push(format!("{prefix}{text}")),
        serde_json::Value::Object(map) => {
            for (field, inner) in map {
                let field = match key {
                    Some(k) => format!("{k}.{field}"),
                    None => field.clone(),
                };
                push_messages(out, Some(&field), inner);
            }
        }
        serde_json::Value::Array(items) => {
            for inner in items {
                push_messages(out, key, inner);
            }
        }
        other => out.push(format!("{prefix}{other}")),
    }
}

/// Writes `: <message>` after an API error when the body had one.
struct ApiErrorSuffix<'a>(&'a ApiError);

impl fmt::Display for ApiErrorSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(body) = &self.0.body else { return Ok(()) };
        let mut parts: Vec<String> = body.message.iter().cloned().collect();
        parts.extend(body.error_messages());
        if parts.is_empty() { Ok(()) } else { write!(f, ": {}", parts.join("; ")) }
    }
}

struct WaitSuffix(Option<Duration>);

impl fmt::Display for WaitSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(f, " (retry after {} ms)", wait.as_millis()),
            None => Ok(()),
        }
    }
}

impl Error {
    /// The HTTP status behind this error, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Decode { status, .. } => Some(*status),
            Error::Auth(auth) => auth.status(),
            Error::Transport { source, .. } => source.status(),
            Error::BodyTooLarge { .. } | Error::InvalidRequest(_) | Error::Config(_) => None,
        }
    }

    /// Whether trying the same request again later may succeed: 429, 5xx other than 501,
    /// timeouts and connection failures. A 4xx other than 429, a decode error or an invalid
    /// request will fail the same way again.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } => true,
            Error::Api(api) => {
                api.status == StatusCode::TOO_MANY_REQUESTS
                    || (api.status.is_server_error() && api.status != StatusCode::NOT_IMPLEMENTED)
            }
            Error::Transport { source, .. } => {
                source.is_timeout() || source.is_connect() || source.is_request()
            }
            Error::Auth(auth) => auth.is_retryable(),
            Error::Decode { .. }
            | Error::BodyTooLarge { .. }
            | Error::InvalidRequest(_)
            | Error::Config(_) => false,
        }
    }

    /// How long the server asked to wait before trying again, when it said so.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(api) => api.retry_after,
            Error::RateLimited { retry_after, .. }
            | Error::Auth(crate::auth::AuthError::Http { retry_after, .. }) => *retry_after,
            _ => None,
        }
    }

    /// The parsed Harvest error body of an [`Error::Api`], when it parsed.
    pub fn api_body(&self) -> Option<&ApiErrorBody> {
        match self {
            Error::Api(api) => api.body.as_ref(),
            _ => None,
        }
    }

    /// Whether this error means the customer must authorize the integration again
    /// (the token endpoint answered `invalid_grant`).
    pub fn requires_reauthorization(&self) -> bool {
        matches!(self, Error::Auth(auth) if auth.requires_reauthorization())
    }

    pub(crate) fn transport(method: Method, path: &str, mut source: reqwest::Error) -> Self {
        // The URL inside a reqwest error carries the query string, and filters can hold
        // e-mail addresses: keep the path only.
        if let Some(url) = source.url_mut() {
            url.set_query(None);
        }
        Error::Transport { method, path: path.to_owned(), source }
    }

    pub(crate) fn api(
        status: StatusCode,
        method: Method,
        path: &str,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Self {
        Error::Api(Box::new(ApiError {
            status,
            method,
            path: path.to_owned(),
            raw_body: truncate_body(body),
            body: ApiErrorBody::parse(body),
            retry_after,
        }))
    }

    /// Decode `body` as `T`, turning a failure into [`Error::Decode`] naming the JSON path.
    pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
        method: &Method,
        path: &str,
        status: StatusCode,
        body: &[u8],
    ) -> Result<T> {
        let fail = |json_path: String, source: serde_json::Error| Error::Decode {
            endpoint: format!("{method} {path}"),
            path: json_path,
            status,
            body: truncate_body(body),
            source,
        };
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let value = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|err| fail(err.path().to_string(), err.into_inner()))?;
        // Trailing bytes after the JSON value are an error too, reported at the root.
        deserializer.end().map_err(|err| fail(".".to_owned(), err))?;
        Ok(value)
    }
}

/// Keep the first [`MAX_ERROR_BODY_BYTES`] of a body as text, cut on a character boundary.
pub(crate) fn truncate_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= MAX_ERROR_BODY_BYTES {
        return text.into_owned();
    }
    let mut end = MAX_ERROR_BODY_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_error_shapes_flatten() {
        let body = ApiErrorBody::parse(
            br#"{"message":"Unprocessable Content","errors":["bad cursor",{"per_page":"too big"}]}"#,
        )
        .unwrap();
        assert_eq!(body.message.as_deref(), Some("Unprocessable Content"));
        assert_eq!(body.error_messages(), vec!["bad cursor", "per_page: too big"]);
        let bare =
            ApiErrorBody::parse(br#"{"per_page":"`600` number is greater than: 500"}"#).unwrap();
        assert_eq!(bare.error_messages(), vec!["per_page: `600` number is greater than: 500"]);
        assert!(ApiErrorBody::parse(b"<html>bad gateway</html>").is_none());
        assert!(ApiErrorBody::parse(b"[1,2]").is_none());
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let long = "é".repeat(MAX_ERROR_BODY_BYTES);
        let cut = truncate_body(long.as_bytes());
        assert!(cut.len() <= MAX_ERROR_BODY_BYTES + 3);
        assert!(cut.ends_with("..."));
    }

    #[test]
    fn decode_error_names_the_path() {
        #[derive(Debug, Deserialize)]
        struct Item {
            #[allow(dead_code)]
            id: u64,
        }
        let err = Error::decode_json::<Vec<Item>>(
            &Method::GET,
            "/v3/x",
            StatusCode::OK,
            br#"[{"id":1},{"id":"two"}]"#,
        )
        .unwrap_err();
        match err {
            Error::Decode { path, .. } => assert_eq!(path, "[1].id"),
            other => panic!("unexpected {other:?}"),
        }
    }
}
