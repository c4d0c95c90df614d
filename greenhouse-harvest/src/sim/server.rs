//! The HTTP side of the simulator: routes, the `/v3` gate (rate limit, authentication, faults,
//! statistics) and the life cycle of a running instance.
//!
//! Connections are served by hyper directly rather than through `axum::serve`, because a
//! dropped-connection fault must close the socket before any response byte is written, which
//! needs a handle on each connection.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Extension, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use futures::StreamExt as _;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tracing::{debug, info};

use super::auth::{AccessDenied, Authority, AuthorityConfig, OAuthError, Principal};
use super::config::{FaultConfig, SimConfig};
use super::dataset::Dataset;
use super::error::{SimError, SimResult};
use super::faults::{Fault, FaultInjector};
use super::limit::{Decision, FixedWindow};
use super::query::{self, ApiError, CursorCodec};
use super::stats::Stats;
use super::store::Store;
use super::synthetic::{SyntheticCompany, Truth};
use super::writes::{self, CustomFieldWrite};

/// Locks a mutex, carrying on with the data if another thread panicked while holding it (the
/// simulator's state stays consistent between statements, so a poisoned lock is still usable).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn epoch_now() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// State shared by every connection.
#[derive(Debug)]
struct Shared {
    store: RwLock<Store>,
    limiter: Mutex<FixedWindow>,
    faults: Mutex<FaultInjector>,
    authority: Mutex<Authority>,
    stats: Mutex<Stats>,
    writes: Mutex<Vec<CustomFieldWrite>>,
    codec: CursorCodec,
    truth: Option<Arc<Truth>>,
    public_base: String,
    admin_user_id: u64,
    client_id: String,
    client_secret: String,
}

impl Shared {
    fn site_admin(&self, user_id: u64) -> Option<bool> {
        let store = self.store.read().unwrap_or_else(PoisonError::into_inner);
        let record = store.table("users")?.get(user_id)?;
        let user: Value = serde_json::from_slice(&record.json).ok()?;
        Some(user.get("site_admin").and_then(Value::as_bool).unwrap_or(false))
    }

    fn count_fault(&self, fault: Fault) {
        let mut stats = lock(&self.stats);
        *stats.faults_injected.entry(fault.name().to_owned()).or_default() += 1;
        stats.faults_total += 1;
    }
}

/// Per-connection handle a handler uses to drop its connection.
#[derive(Debug, Clone)]
struct ConnectionKill(Arc<Notify>);

/// Entry point of the simulator.
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// Starts a simulator serving `dataset` on `config.bind` (an ephemeral loopback port by
    /// default) and returns once it accepts connections.
    ///
    /// # Errors
    ///
    /// [`SimError::Config`] for an unusable configuration, [`SimError::Encode`] or
    /// [`SimError::DuplicateId`] for data that cannot be served, [`SimError::Bind`] when the
    /// address cannot be bound.
    ///
    /// # Examples
    ///
    /// ```
    /// use greenhouse_harvest::sim::{Dataset, SimConfig, Simulator};
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let sim = Simulator::start(Dataset::default(), SimConfig::default()).await?;
    /// assert!(sim.base_url().ends_with("/v3"));
    /// sim.shutdown().await?;
    /// # Ok::<(), greenhouse_harvest::sim::SimError>(())
    /// # }).unwrap();
    /// ```
    pub async fn start(dataset: Dataset, config: SimConfig) -> SimResult<RunningSimulator> {
        let store = dataset.into_store()?;
        Self::start_store(store, None, config).await
    }

    /// Starts a simulator serving a synthetic company; its planted truth is served at
    /// `GET /_sim/truth` and by [`RunningSimulator::truth`].
    ///
    /// # Errors
    ///
    /// As [`Simulator::start`].
    pub async fn start_synthetic(
        company: SyntheticCompany,
        config: SimConfig,
    ) -> SimResult<RunningSimulator> {
        let store = company.dataset.into_store()?;
        Self::start_store(store, Some(Arc::new(company.truth)), config).await
    }

    async fn start_store(
        store: Store,
        truth: Option<Arc<Truth>>,
        config: SimConfig,
    ) -> SimResult<RunningSimulator> {
        config.faults.validate()?;
        if config.rate_window.is_zero() {
            return Err(SimError::Config("rate_window must be longer than zero".into()));
        }
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| SimError::Bind { addr: config.bind, source })?;
        let addr =
            listener.local_addr().map_err(|source| SimError::Bind { addr: config.bind, source })?;
        let admin_user_id = config.authorize_user_id.unwrap_or_else(|| first_site_admin(&store));
        let shared = Arc::new(Shared {
            store: RwLock::new(store),
            limiter: Mutex::new(FixedWindow::new(config.rate_limit, config.rate_window)),
            faults: Mutex::new(FaultInjector::new(config.faults.clone(), config.seed)),
            authority: Mutex::new(Authority::new(
                AuthorityConfig {
                    client_id: config.client_id.clone(),
                    client_secret: config.client_secret.clone(),
                    access_lifetime: config.token_lifetime,
                    refresh_lifetime: config.refresh_token_lifetime,
                    code_lifetime: config.authorization_code_lifetime,
                },
                config.seed,
            )),
            stats: Mutex::new(Stats::default()),
            writes: Mutex::new(Vec::new()),
            codec: CursorCodec::new(config.seed, config.cursor_lifetime),
            truth,
            public_base: format!("http://{addr}"),
            admin_user_id,
            client_id: config.client_id.clone(),
            client_secret: config.client_secret.clone(),
        });
        let router = router(Arc::clone(&shared), config.max_body_bytes);
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, router, shutdown_rx));
        info!(%addr, "harvest simulator listening");
        Ok(RunningSimulator { shared, addr, shutdown: shutdown_tx, task: Some(task) })
    }
}

fn first_site_admin(store: &Store) -> u64 {
    store
        .table("users")
        .and_then(|users| {
            users.records.iter().rev().find(|r| {
                serde_json::from_slice::<Value>(&r.json)
                    .ok()
                    .and_then(|u| u.get("site_admin").and_then(Value::as_bool))
                    .unwrap_or(false)
            })
        })
        .map_or(1, |r| r.id)
}

async fn accept_loop(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        // Accept errors (too many open files, a reset handshake) are transient.
                        debug!(%error, "accept failed");
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        continue;
                    }
                };
                let kill = Arc::new(Notify::new());
                let service = router.clone().layer(Extension(ConnectionKill(Arc::clone(&kill))));
                let mut stop = shutdown.clone();
                connections.spawn(async move {
                    let connection = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                    tokio::pin!(connection);
                    tokio::select! {
                        result = connection.as_mut() => {
                            if let Err(error) = result {
                                debug!(%error, "connection ended with an error");
                            }
                        }
                        () = kill.notified() => debug!("connection dropped by fault injection"),
                        () = stopped(&mut stop) => {
                            connection.as_mut().graceful_shutdown();
                            let _ = tokio::time::timeout(Duration::from_secs(5), connection).await;
                        }
                    }
                });
            }
            () = stopped(&mut shutdown) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

/// Resolves once shutdown was asked for (or the sender is gone).
async fn stopped(signal: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is dropped at once: it must not live across an await.
    let _ = signal.wait_for(|stop| *stop).await;
}

fn router(shared: Arc<Shared>, max_body: usize) -> Router {
    let v3 = Router::new()
        .route("/v3/{resource}", get(list))
        .route("/v3/applications/{id}", patch(update_application))
        .fallback(not_found)
        .layer(from_fn_with_state(Arc::clone(&shared), gate));
    Router::new()
        .route("/token", post(token))
        .route("/authorize", get(authorize))
        .route("/_sim/stats", get(stats))
        .route("/_sim/writes", get(list_writes))
        .route("/_sim/truth", get(truth))
        .merge(v3)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(shared)
}

fn json_response(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body)
    }
}

fn oauth_error(error: &OAuthError) -> Response {
    let mut response = json_response(
        error.status,
        &json!({"error": error.code, "error_description": error.description}),
    );
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The statistics key of a request: method and route, never ids or query values.
fn endpoint_key(method: &Method, path: &str) -> String {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let route = match segments.as_slice() {
        ["v3", resource] if query_resource_known(resource) => format!("/v3/{resource}"),
        ["v3", "applications", id] if id.parse::<u64>().is_ok() => "/v3/applications/{id}".into(),
        _ => "/v3/{unknown}".into(),
    };
    format!("{method} {route}")
}

fn query_resource_known(resource: &str) -> bool {
    super::spec::spec_for(resource).is_some()
}

/// Rate limit, authentication, fault injection and statistics for every `/v3` request.
async fn gate(State(shared): State<Arc<Shared>>, mut request: Request, next: Next) -> Response {
    let now = epoch_now();
    let key = endpoint_key(request.method(), request.uri().path());
    {
        let mut stats = lock(&shared.stats);
        stats.requests_total += 1;
        *stats.requests_by_endpoint.entry(key.clone()).or_default() += 1;
    }
    let decision = lock(&shared.limiter).check(now);
    let response = if decision.allowed {
        admitted(&shared, &mut request, now, next).await
    } else {
        lock(&shared.stats).rate_limited += 1;
        let mut response = json_response(429, &json!({"message": "Too Many Requests"}));
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(decision.retry_after_secs));
        Some(response)
    };
    let Some(mut response) = response else {
        // A dropped connection: the connection task closes the socket, this never completes.
        return std::future::pending().await;
    };
    rate_limit_headers(response.headers_mut(), &decision);
    let status = response.status().as_u16();
    *lock(&shared.stats).responses_by_status.entry(status).or_default() += 1;
    debug!(endpoint = %key, status, "served");
    response
}

fn rate_limit_headers(headers: &mut HeaderMap, decision: &Decision) {
    headers.insert("x-ratelimit-limit", HeaderValue::from(decision.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(decision.remaining));
    headers.insert("x-ratelimit-reset", HeaderValue::from(decision.reset_epoch_secs));
}

/// Handles a request that passed the rate limiter; `None` means "drop the connection".
async fn admitted(
    shared: &Arc<Shared>,
    request: &mut Request,
    now: Duration,
    next: Next,
) -> Option<Response> {
    let authorization = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let checked = lock(&shared.authority).check_bearer(authorization, now);
    let (token, principal) = match checked {
        Ok(found) => found,
        Err(denied) => return Some(unauthorized(denied)),
    };
    let has_cursor = request
        .uri()
        .query()
        .is_some_and(|q| url::form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "cursor"));
    let (plan, latency) = {
        let mut faults = lock(&shared.faults);
        (faults.draw(has_cursor), faults.config().latency)
    };
    if plan.delay {
        tokio::time::sleep(latency).await;
    }
    if let Some(fault) = plan.fault {
        shared.count_fault(fault);
        debug!(fault = fault.name(), "injecting fault");
    }
    match plan.fault {
        Some(Fault::ServerError(502)) => Some(
            (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            )
                .into_response(),
        ),
        Some(Fault::ServerError(status)) => {
            Some(json_response(status, &json!({"message": "Internal Server Error"})))
        }
        Some(Fault::RevokeToken) => {
            lock(&shared.authority).revoke(&token);
            Some(unauthorized(AccessDenied::Revoked))
        }
        Some(Fault::ExpireCursor) => Some(query::expired_cursor().into_response()),
        Some(Fault::Drop) => {
            if let Some(ConnectionKill(kill)) = request.extensions().get::<ConnectionKill>() {
                kill.notify_one();
            }
            None
        }
        Some(Fault::Truncate) => {
            request.extensions_mut().insert(principal);
            let full = next.run(take(request)).await;
            Some(truncate(full).await)
        }
        None => {
            request.extensions_mut().insert(principal);
            Some(next.run(take(request)).await)
        }
    }
}

fn take(request: &mut Request) -> Request {
    std::mem::take(request)
}

fn unauthorized(denied: AccessDenied) -> Response {
    let mut response = json_response(401, &json!({"message": denied.message()}));
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

/// Sends the first half of the body under the full `Content-Length`, then fails the stream,
/// which makes hyper close the connection mid-body.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    // The pause lets hyper flush the head and the first half before the stream fails;
    // failing at once would abort before anything was written, which is a dropped connection.
    let first = futures::stream::iter([Ok::<Bytes, std::io::Error>(half)]);
    let failure = futures::stream::once(async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Err(std::io::Error::other("truncated by fault injection"))
    });
    Response::from_parts(parts, Body::from_stream(first.chain(failure)))
}

async fn not_found() -> Response {
    ApiError::not_found().into_response()
}

async fn list(
    State(shared): State<Arc<Shared>>,
    Path(resource): Path<String>,
    RawQuery(raw): RawQuery,
    Extension(principal): Extension<Principal>,
) -> Response {
    if !principal.site_admin {
        return json_response(
            403,
            &json!({"message": "Forbidden: list endpoints need a Site Admin as the token's user"}),
        );
    }
    let now = epoch_now();
    let store = shared.store.read().unwrap_or_else(PoisonError::into_inner);
    let Some(table) = store.table(&resource) else {
        return ApiError::not_found().into_response();
    };
    let request = match query::parse(&store, table, raw.as_deref(), &shared.codec, now) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    let page = request.page(table, &shared.codec, now);
    drop(store);
    debug!(resource, count = page.count, continuation = request.is_continuation(), "page");
    let mut response =
        (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], page.body).into_response();
    if let Some(cursor) = page.next_cursor {
        let link = format!("<{}/v3/{resource}?cursor={cursor}>; rel=\"next\"", shared.public_base);
        if let Ok(value) = HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    response
}

async fn update_application(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<u64>,
    body: Bytes,
) -> Response {
    let now = chrono::Utc::now();
    let mut store = shared.store.write().unwrap_or_else(PoisonError::into_inner);
    let Some(current) = store.table("applications").and_then(|t| t.get(id)).map(|r| r.json.clone())
    else {
        return ApiError::not_found().into_response();
    };
    let changes = match writes::validate(&store, &body) {
        Ok(changes) => changes,
        Err(error) => return error.into_response(),
    };
    let updated = match writes::apply(&current, &changes, now) {
        Ok(updated) => updated,
        Err(error) => return error.into_response(),
    };
    let stored = store.tables.get_mut("applications").map(|t| t.replace(id, updated.clone()));
    drop(store);
    if !matches!(stored, Some(Ok(()))) {
        return json_response(500, &json!({"message": "could not store the application"}));
    }
    {
        let mut log = lock(&shared.writes);
        for change in changes {
            let sequence = log.len() as u64 + 1;
            log.push(CustomFieldWrite {
                sequence,
                application_id: id,
                custom_field_id: change.custom_field_id,
                name_key: change.name_key,
                value: change.value,
                received_at: now,
            });
        }
        lock(&shared.stats).writes = log.len() as u64;
    }
    debug!(application_id = id, "custom fields written");
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], updated).into_response()
}

async fn token(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    {
        let mut stats = lock(&shared.stats);
        stats.token_requests += 1;
        *stats.requests_by_endpoint.entry("POST /token".into()).or_default() += 1;
    }
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if let Err(error) = lock(&shared.authority).authenticate_client(authorization) {
        return oauth_error(&error);
    }
    // Parameters may come in the query string (as the partner guide's examples send the code
    // exchange) or in the form body (as RFC 6749 says); the body wins.
    let mut params: HashMap<String, String> = HashMap::new();
    for source in [raw.as_deref().unwrap_or("").as_bytes(), &body[..]] {
        params.extend(url::form_urlencoded::parse(source).into_owned());
    }
    let site_admin = |user_id| shared.site_admin(user_id);
    let granted = lock(&shared.authority).grant(&params, epoch_now(), &site_admin);
    match granted {
        Ok(token) => {
            lock(&shared.stats).tokens_issued += 1;
            let mut response = json_response(200, &json!(token));
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => oauth_error(&error),
    }
}

/// `GET /authorize`: consents at once as the configured user and redirects back with a code.
async fn authorize(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let params: HashMap<String, String> =
        url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes()).into_owned().collect();
    let bad = |message: &str| {
        json_response(400, &json!({"error": "invalid_request", "error_description": message}))
    };
    if params.get("response_type").map(String::as_str) != Some("code") {
        return bad("response_type must be code");
    }
    if params.get("client_id") != Some(&shared.client_id) {
        return bad("unknown client_id");
    }
    let Some(redirect) = params.get("redirect_uri").and_then(|r| url::Url::parse(r).ok()) else {
        return bad("redirect_uri must be an absolute URL");
    };
    let user_id = shared.admin_user_id;
    let principal = Principal { user_id, site_admin: shared.site_admin(user_id) != Some(false) };
    let code = lock(&shared.authority).issue_code(
        principal,
        Some(redirect.as_str().to_owned()),
        epoch_now(),
    );
    let mut target = redirect;
    target.query_pairs_mut().append_pair("code", &code);
    if let Some(state) = params.get("state") {
        target.query_pairs_mut().append_pair("state", state);
    }
    match HeaderValue::from_str(target.as_str()) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => bad("redirect_uri cannot be used"),
    }
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let mut snapshot = lock(&shared.stats).clone();
    snapshot.tokens_issued = lock(&shared.authority).tokens_issued();
    json_response(200, &json!(snapshot))
}

async fn list_writes(State(shared): State<Arc<Shared>>) -> Response {
    json_response(200, &json!(*lock(&shared.writes)))
}

async fn truth(State(shared): State<Arc<Shared>>) -> Response {
    match &shared.truth {
        Some(truth) => json_response(200, &json!(**truth)),
        None => {
            json_response(404, &json!({"message": "no planted truth: not a synthetic company"}))
        }
    }
}

/// A simulator serving in the background; dropping it stops the server too.
pub struct RunningSimulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for RunningSimulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSimulator").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl RunningSimulator {
    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL, `http://127.0.0.1:PORT/v3`.
    pub fn base_url(&self) -> String {
        format!("{}/v3", self.shared.public_base)
    }

    /// The token endpoint, `http://127.0.0.1:PORT/token`.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.shared.public_base)
    }

    /// The authorize endpoint, `http://127.0.0.1:PORT/authorize`.
    pub fn authorize_url(&self) -> String {
        format!("{}/authorize", self.shared.public_base)
    }

    /// The client id the token endpoint accepts.
    pub fn client_id(&self) -> &str {
        &self.shared.client_id
    }

    /// The client secret the token endpoint accepts.
    pub fn client_secret(&self) -> &str {
        &self.shared.client_secret
    }

    /// A site admin's user id, good as the `sub` of a client-credentials grant.
    pub fn admin_user_id(&self) -> u64 {
        self.shared.admin_user_id
    }

    /// Issues an authorization code as if `user_id` had consented (what `GET /authorize`
    /// does), for tests of the authorization-code grant. Pass the same `redirect_uri` to the
    /// exchange when one is given here.
    pub fn authorization_code(&self, user_id: u64, redirect_uri: Option<&str>) -> String {
        let principal =
            Principal { user_id, site_admin: self.shared.site_admin(user_id) != Some(false) };
        lock(&self.shared.authority).issue_code(
            principal,
            redirect_uri.map(str::to_owned),
            epoch_now(),
        )
    }

    /// A snapshot of the traffic counters.
    pub fn stats(&self) -> Stats {
        let mut snapshot = lock(&self.shared.stats).clone();
        snapshot.tokens_issued = lock(&self.shared.authority).tokens_issued();
        snapshot
    }

    /// Every custom field write received, in order.
    pub fn writes(&self) -> Vec<CustomFieldWrite> {
        lock(&self.shared.writes).clone()
    }

    /// The planted truth, when serving a synthetic company.
    pub fn truth(&self) -> Option<&Truth> {
        self.shared.truth.as_deref()
    }

    /// Replaces the fault configuration while running.
    ///
    /// # Errors
    ///
    /// [`SimError::Config`] when a rate lies outside `0.0..=1.0`.
    pub fn set_faults(&self, faults: FaultConfig) -> SimResult<()> {
        faults.validate()?;
        lock(&self.shared.faults).set_config(faults);
        Ok(())
    }

    /// Replaces the rate limit while running: `limit` requests per fixed `window` (a zero
    /// limit turns it off). The new window starts counting from zero.
    ///
    /// # Errors
    ///
    /// [`SimError::Config`] for a zero-length window.
    pub fn set_rate_limit(&self, limit: u32, window: Duration) -> SimResult<()> {
        if window.is_zero() {
            return Err(SimError::Config("rate window must be longer than zero".into()));
        }
        *lock(&self.shared.limiter) = FixedWindow::new(limit, window);
        Ok(())
    }

    /// A typed snapshot of the current data, writes included.
    ///
    /// # Errors
    ///
    /// [`SimError::Decode`] if a stored record no longer decodes into its model.
    pub fn dataset(&self) -> SimResult<Dataset> {
        let store = self.shared.store.read().unwrap_or_else(PoisonError::into_inner);
        Dataset::from_store(&store)
    }

    /// Writes the current data, writes included, as one JSON array file per resource.
    ///
    /// # Errors
    ///
    /// [`SimError::Io`] when a file cannot be written.
    pub fn dump_dir(&self, dir: &std::path::Path) -> SimResult<()> {
        let store = self.shared.store.read().unwrap_or_else(PoisonError::into_inner);
        super::dataset::dump_store(&store, dir)
    }

    /// Stops accepting, lets open requests finish (up to five seconds), and waits for the
    /// server to end.
    ///
    /// # Errors
    ///
    /// [`SimError::Server`] when the server task panicked.
    pub async fn shutdown(mut self) -> SimResult<()> {
        let _ = self.shutdown.send(true);
        match self.task.take() {
            Some(task) => task.await.map_err(|e| SimError::Server(std::io::Error::other(e))),
            None => Ok(()),
        }
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
