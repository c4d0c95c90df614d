//! Pages, cursors and the paginator that walks them.
//!
//! Harvest v3 pages with an opaque cursor: the first request carries the filters and
//! `per_page`, every later one is the `Link: <...>; rel="next"` URL of the previous response,
//! followed exactly as given (Harvest answers 422 to a cursor combined with any other
//! parameter). The listing ends when a response has no next link.
//!
//! Invariants kept here:
//! - a next URL that was already requested in this listing is an error, never a loop;
//! - an empty page with a next link is not the end;
//! - a next URL on another origin than the API base is refused, so the bearer token never
//!   leaves for a host the caller did not configure;
//! - [`Paginator`] holds at most one page of items: it drops a drained page before asking for
//!   the next one.
//!
//! Results come by id, descending, whatever the filter. An incremental sync therefore needs an
//! `updated_at` window bounded on both sides (`DateFilter::between`), or records updated while
//! the listing runs can move behind the cursor and be missed.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::task::{Context, Poll};

use futures::Stream;
use serde::de::DeserializeOwned;
use url::Url;

use crate::client::{Client, RequestOptions};
use crate::error::{Error, Result};
use crate::rate_limit::RateLimit;

/// One link of a `Link` header: the target and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The URI between the angle brackets, as written.
    pub uri: String,
    /// The parameters, names lower-cased, values unquoted.
    pub params: Vec<(String, String)>,
}

impl Link {
    /// Whether one of the space-separated `rel` values is `rel` (case-insensitive).
    pub fn has_rel(&self, rel: &str) -> bool {
        self.params.iter().filter(|(name, _)| name == "rel").any(|(_, value)| {
            value.split_ascii_whitespace().any(|one| one.eq_ignore_ascii_case(rel))
        })
    }
}

/// Parse a `Link` header value (RFC 8288) into its links.
///
/// Lenient on spacing, order, case and quoting; a malformed link is skipped, never a panic.
///
/// # Examples
///
/// ```
/// use greenhouse_harvest::pagination::parse_link_header;
///
/// let links = parse_link_header(r#"<https://h.example/v3/jobs?cursor=abc>; rel="next""#);
/// assert_eq!(links[0].uri, "https://h.example/v3/jobs?cursor=abc");
/// assert!(links[0].has_rel("next"));
/// ```
pub fn parse_link_header(value: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            return links;
        }
        let Some(after_open) = rest.strip_prefix('<') else {
            rest = skip_link(rest);
            continue;
        };
        let Some(close) = after_open.find('>') else { return links };
        let uri = after_open[..close].trim().to_owned();
        let (params, remaining) = parse_params(&after_open[close + 1..]);
        rest = remaining;
        links.push(Link { uri, params });
    }
}

/// Skip to just after the next top-level comma (outside quotes and angle brackets).
fn skip_link(text: &str) -> &str {
    let mut in_quotes = false;
    let mut in_angle = false;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' if !in_angle => in_quotes = !in_quotes,
            '<' if !in_quotes => in_angle = true,
            '>' if !in_quotes => in_angle = false,
            ',' if !in_quotes && !in_angle => return &text[index + 1..],
            _ => {}
        }
    }
    ""
}

/// Parse `; name=value; name="value"` up to the comma ending the link.
fn parse_params(mut text: &str) -> (Vec<(String, String)>, &str) {
    let mut params = Vec::new();
    loop {
        text = text.trim_start();
        let Some(after_semicolon) = text.strip_prefix(';') else {
            // A comma ends the link; anything else is garbage up to the next link.
            return (params, if text.starts_with(',') { text } else { skip_link(text) });
        };
        let after_semicolon = after_semicolon.trim_start();
        let name_end = after_semicolon
            .find(|c: char| c == '=' || c == ';' || c == ',' || c.is_whitespace())
            .unwrap_or(after_semicolon.len());
        let name = after_semicolon[..name_end].to_ascii_lowercase();
        let mut rest = after_semicolon[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after_equals) = rest.strip_prefix('=') {
            let after_equals = after_equals.trim_start();
            if let Some(quoted) = after_equals.strip_prefix('"') {
                let mut escaped = false;
                let mut end = quoted.len();
                for (index, c) in quoted.char_indices() {
                    if escaped {
                        value.push(c);
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        end = index + 1;
                        break;
                    } else {
                        value.push(c);
                    }
                }
                rest = &quoted[end.min(quoted.len())..];
            } else {
                let end = after_equals.find([';', ',']).unwrap_or(after_equals.len());
                after_equals[..end].trim().clone_into(&mut value);
                rest = &after_equals[end..];
            }
        }
        if !name.is_empty() {
            params.push((name, value));
        }
        text = rest;
    }
}

/// The `rel="next"` target of a response's `Link` headers, if any.
pub fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(parse_link_header)
        .find(|link| link.has_rel("next"))
        .map(|link| link.uri)
}

/// Where a listing goes on: the next URL Harvest gave, exactly as given.
///
/// Save it (as text) to resume a listing after a restart; cursors expire on Harvest's side, in
/// which case the resumed request fails with a 422 and the listing must start again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cursor(Url);

impl Cursor {
    /// Wrap a next URL.
    pub fn new(url: Url) -> Self {
        Cursor(url)
    }

    /// The URL to request.
    pub fn url(&self) -> &Url {
        &self.0
    }

    /// The URL as text, for saving.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl FromStr for Cursor {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Url::parse(text)
            .map(Cursor)
            .map_err(|err| Error::InvalidRequest(format!("a cursor must be a URL: {err}")))
    }
}

impl serde::Serialize for Cursor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Cursor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Url::parse(&text).map(Cursor).map_err(serde::de::Error::custom)
    }
}

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The records of this page, in Harvest's order (id descending).
    pub items: Vec<T>,
    /// Where the listing goes on, or `None` on the last page.
    pub next: Option<Cursor>,
    /// The rate-limit headers of this response.
    pub rate_limit: RateLimit,
}

impl<T> Page<T> {
    /// Whether this page has no records (a next link may still follow).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>>> + Send>>;

/// What a page stream asks for next.
#[derive(Debug)]
enum Next {
    /// A URL built from the filters (a first request), or a cursor.
    Url(Url),
    /// A previous page revealed an error to report before ending.
    Fail(Error),
    Done,
}

/// A listing, page by page: a named `Stream<Item = Result<Page<T>>>` that owns a client
/// clone, so it can be stored and spawned. It ends after the first error.
///
/// Use it to checkpoint: save [`Page::next`] after handling each page, and resume with the
/// handler's `resume(cursor)`.
pub struct Pages<T> {
    client: Client,
    next: Next,
    /// First requests still to make when more than 50 ids were split into several requests.
    // FIXME: a cursor saved from a page of a split listing resumes that one chunk only; the
    // chunks queued after it are not part of the cursor. It stays because Harvest's cursor is
    // opaque and one URL; a cursor type carrying the queued first-request URLs would fix it.
    queued: VecDeque<Url>,
    /// Every URL requested so far in this listing.
    seen: HashSet<Url>,
    in_flight: Option<PageFuture<T>>,
    options: RequestOptions,
}

// Nothing in a page stream is pinned structurally (the in-flight future is boxed), so it is
// `Unpin` whatever `T` is.
impl<T> Unpin for Pages<T> {}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // URLs hold filter values (possibly e-mail addresses): count them, do not print them.
        f.debug_struct("Pages")
            .field("queued_requests", &self.queued.len())
            .field("pages_requested", &self.seen.len())
            .field("in_flight", &self.in_flight.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    /// Start with these first-request URLs, made one after the other.
    pub(crate) fn new(client: Client, mut first: VecDeque<Url>) -> Self {
        let next = first.pop_front().map_or(Next::Done, Next::Url);
        Pages {
            client,
            next,
            queued: first,
            seen: HashSet::new(),
            in_flight: None,
            options: RequestOptions::default(),
        }
    }

    /// A listing that fails at once (a request refused before sending).
    pub(crate) fn failed(client: Client, error: Error) -> Self {
        let mut pages = Pages::new(client, VecDeque::new());
        pages.next = Next::Fail(error);
        pages
    }

    /// Apply per-request options to every page request.
    pub(crate) fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Start from a saved cursor.
    pub(crate) fn from_cursor(client: Client, cursor: Cursor) -> Self {
        Pages::new(client, VecDeque::from([cursor.0]))
    }

    /// A stream of the records themselves.
    pub fn items(self) -> Paginator<T> {
        Paginator { pages: self, buffer: Vec::new().into_iter() }
    }

    /// Collect every page's records into one vector.
    ///
    /// # Errors
    ///
    /// The first error of any page.
    pub async fn collect_all(self) -> Result<Vec<T>> {
        use futures::TryStreamExt;
        self.items().try_collect().await
    }

    fn after_page(&mut self, page: &Page<T>) {
        self.next = match &page.next {
            Some(cursor) if self.seen.contains(cursor.url()) => {
                Next::Fail(Error::InvalidRequest(format!(
                    "the server repeated a next URL ({} pages in): stopping instead of looping",
                    self.seen.len()
                )))
            }
            Some(cursor) => Next::Url(cursor.url().clone()),
            None => self.queued.pop_front().map_or(Next::Done, Next::Url),
        };
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(future) = this.in_flight.as_mut() {
            let result = futures::ready!(future.as_mut().poll(cx));
            this.in_flight = None;
            return Poll::Ready(Some(match result {
                Ok(page) => {
                    this.after_page(&page);
                    Ok(page)
                }
                Err(err) => {
                    this.next = Next::Done;
                    this.queued.clear();
                    Err(err)
                }
            }));
        }
        match std::mem::replace(&mut this.next, Next::Done) {
            Next::Done => Poll::Ready(None),
            Next::Fail(err) => Poll::Ready(Some(Err(err))),
            Next::Url(url) => {
                this.seen.insert(url.clone());
                let client = this.client.clone();
                let options = this.options.clone();
                this.in_flight =
                    Some(Box::pin(async move { client.fetch_page::<T>(url, options).await }));
                // Poll the new request at once so that its waker is registered.
                Pin::new(this).poll_next(cx)
            }
        }
    }
}

/// A listing, record by record: a named `Stream<Item = Result<T>>` that is `Unpin`, `Send` and
/// `'static`, owns a client clone, and ends after the first error.
///
/// It keeps at most one page in memory: a page's records are handed out one by one, and the
/// drained page is dropped before the next one is requested.
///
/// # Examples
///
/// ```no_run
/// use futures::TryStreamExt;
/// use greenhouse_harvest::{Client, Credentials, DateFilter};
///
/// # async fn run() -> greenhouse_harvest::Result<()> {
/// let client = Client::builder().credentials(Credentials::static_token("token")).build()?;
/// let start: chrono::DateTime<chrono::Utc> = "2026-12-01T00:00:00Z".parse().unwrap();
/// let end: chrono::DateTime<chrono::Utc> = "2026-12-02T00:00:00Z".parse().unwrap();
/// let mut applications = client
///     .applications()
///     .list()
///     .updated_at(DateFilter::between(start, end))
///     .stream();
/// while let Some(application) = applications.try_next().await? {
///     println!("{}", application.id);
/// }
/// # Ok(())
/// # }
/// ```
pub struct Paginator<T> {
    pages: Pages<T>,
    buffer: std::vec::IntoIter<T>,
}

// Records are moved out, never pinned, so the paginator is `Unpin` whatever `T` is.
impl<T> Unpin for Paginator<T> {}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> Paginator<T> {
    /// The page-level view of the rest of this listing (records already buffered from the
    /// current page are dropped).
    pub fn pages(self) -> Pages<T> {
        self.pages
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Paginator<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            // Free the drained page's allocation before the next page is decoded.
            this.buffer = Vec::new().into_iter();
            match futures::ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.buffer = page.items.into_iter(),
                Some(Err(err)) => return Poll::Ready(Some(Err(err))),
                None => return Poll::Ready(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_odd_headers() {
        let links = parse_link_header(
            r#" <https://a/v3/x?cursor=1> ;REL = "prev" ,<https://a/v3/x?cursor=2>;rel=next"#,
        );
        assert_eq!(links.len(), 2);
        assert!(links[1].has_rel("next"));
        assert_eq!(links[1].uri, "https://a/v3/x?cursor=2");
        let links = parse_link_header(r#"<u1>; rel="prev next"; title="a, \"b\"", <u2>"#);
        assert_eq!(links.len(), 2);
        assert!(links[0].has_rel("next"));
        assert_eq!(links[0].params[1], ("title".to_owned(), "a, \"b\"".to_owned()));
        assert_eq!(links[1].uri, "u2");
        assert!(parse_link_header("").is_empty());
        assert!(parse_link_header("garbage, <u>; rel=next")[0].has_rel("next"));
        assert!(parse_link_header("<unterminated").is_empty());
    }
}
