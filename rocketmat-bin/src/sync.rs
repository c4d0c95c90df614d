//! Incremental, resumable sync of what the model needs from Harvest into the store.
//!
//! Harvest returns list results by id descending, whatever the filter, so each resource is
//! pulled in an `updated_at` window bounded on both sides: from the end of the last finished
//! window minus a lookback (records whose `updated_at` lagged) up to the instant the window
//! opened. The window is saved before its first request and its next-page URL after every
//! page, in the page's own transaction. A sync stopped anywhere resumes at the first page
//! not committed; re-reading a page is harmless because every write is an upsert.

use std::io::IsTerminal as _;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use futures::StreamExt as _;
use greenhouse_harvest::api::{Handler, ListResource};
use greenhouse_harvest::{Client, Cursor, DateFilter, DateOp, Pages};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::records::{EducationOption, Minimise};
use crate::store::{Checkpoint, RecordKind, Store, StoredRecord, SyncPage, SyncWindow};

/// Records per page: Harvest's maximum, so the fewest requests.
pub const PER_PAGE: u32 = 500;

/// How a sync runs.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// How far each window reaches back before the previous window's end.
    pub lookback: chrono::Duration,
    /// Show progress bars (only when stderr is a terminal).
    pub progress: bool,
    /// Stop after this many pages in total (tests use it to simulate an interrupted sync).
    pub max_pages: Option<u64>,
    /// Records per page, 1 to 500 (fewer only to exercise paging in tests).
    pub per_page: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            lookback: chrono::Duration::hours(1),
            progress: true,
            max_pages: None,
            per_page: PER_PAGE,
        }
    }
}

/// What one resource's sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResourceReport {
    /// The resource.
    pub resource: String,
    /// Pages (requests) committed.
    pub pages: u64,
    /// Records received.
    pub records: u64,
    /// Records new or changed.
    pub changed: u64,
    /// Records skipped because their candidate was erased.
    pub tombstoned: u64,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Per resource, in sync order.
    pub resources: Vec<ResourceReport>,
    /// Whether the sync stopped early because of `max_pages`.
    pub interrupted: bool,
}

impl SyncReport {
    /// Pages over all resources.
    pub fn pages(&self) -> u64 {
        self.resources.iter().map(|r| r.pages).sum()
    }

    /// Records over all resources.
    pub fn records(&self) -> u64 {
        self.resources.iter().map(|r| r.records).sum()
    }

    /// Changed records over all resources.
    pub fn changed(&self) -> u64 {
        self.resources.iter().map(|r| r.changed).sum()
    }
}

/// Progress output: a spinner on a terminal, log lines otherwise.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new(resource: &str, enabled: bool) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix:>24} {msg}") {
                bar.set_style(style);
            }
            bar.set_prefix(resource.to_owned());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self { bar }
    }

    fn page(&self, report: &ResourceReport) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{} pages, {} records, {} changed",
                report.pages, report.records, report.changed
            ));
        } else {
            tracing::debug!(
                resource = %report.resource,
                pages = report.pages,
                records = report.records,
                "page committed"
            );
        }
    }

    fn finish(&self, report: &ResourceReport) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
        tracing::info!(
            resource = %report.resource,
            pages = report.pages,
            records = report.records,
            changed = report.changed,
            tombstoned = report.tombstoned,
            "resource synced"
        );
    }
}

/// One listing to sync into one table.
struct Listing<'a, T> {
    handler: Handler<T>,
    kind: RecordKind,
    resource: String,
    params: Vec<(&'static str, String)>,
    map: &'a (dyn Fn(&T) -> StoredRecord + Sync),
}

struct Run<'s> {
    store: &'s mut dyn Store,
    options: SyncOptions,
    now: DateTime<Utc>,
    pages_left: Option<u64>,
    report: SyncReport,
}

fn is_expired_cursor(err: &greenhouse_harvest::Error) -> bool {
    err.status().is_some_and(|s| s.as_u16() == 422)
}

impl Run<'_> {
    async fn listing<T>(&mut self, l: Listing<'_, T>) -> anyhow::Result<()>
    where
        T: ListResource + DeserializeOwned + Send + 'static,
    {
        let mut report = ResourceReport { resource: l.resource.clone(), ..Default::default() };
        let progress = Progress::new(&l.resource, self.options.progress);
        let result = self.listing_inner(&l, &mut report, &progress).await;
        progress.finish(&report);
        self.report.resources.push(report);
        result
    }

    fn first_request<T>(&self, l: &Listing<'_, T>, window: &SyncWindow) -> Pages<T>
    where
        T: ListResource + DeserializeOwned + Send + 'static,
    {
        let filter = match window.start {
            Some(start) => DateFilter::between(start, window.end),
            None => DateFilter::new(DateOp::Lte, window.end),
        };
        let mut req = l.handler.list().updated_at(filter).per_page(self.options.per_page);
        for (name, value) in &l.params {
            req = req.param(name, value.clone());
        }
        req.pages()
    }

    async fn listing_inner<T>(
        &mut self,
        l: &Listing<'_, T>,
        report: &mut ResourceReport,
        progress: &Progress,
    ) -> anyhow::Result<()>
    where
        T: ListResource + DeserializeOwned + Send + 'static,
    {
        let cp = self.store.checkpoint(&l.resource)?;
        let (mut window, resumed) = if let Some(w) = cp.window.clone() {
            (w, true)
        } else {
            let w = SyncWindow {
                start: cp.synced_through.map(|t| t - self.options.lookback),
                end: self.now,
                next_url: None,
                pages: 0,
            };
            let opened = Checkpoint { synced_through: cp.synced_through, window: Some(w.clone()) };
            self.store.set_checkpoint(&l.resource, &opened)?;
            (w, false)
        };
        let mut pages = match (&window.next_url, window.pages) {
            (Some(next), _) => {
                tracing::info!(resource = %l.resource, pages = window.pages, "resuming sync");
                let url = url::Url::parse(next).context("stored sync cursor is not a URL")?;
                l.handler.resume(Cursor::new(url))
            }
            // A window whose every page was committed but which was never closed.
            (None, p) if p > 0 => {
                self.close(&l.resource, &window)?;
                return Ok(());
            }
            (None, _) => self.first_request(l, &window),
        };
        let mut on_resumed_cursor = resumed && window.next_url.is_some();
        loop {
            if self.pages_left == Some(0) {
                self.report.interrupted = true;
                return Ok(());
            }
            let Some(page) = pages.next().await else {
                // The stream ended without a last page (it should not): close the window.
                self.close(&l.resource, &window)?;
                return Ok(());
            };
            let page = match page {
                Ok(page) => page,
                Err(e) if on_resumed_cursor && is_expired_cursor(&e) => {
                    // The saved cursor expired: the window starts over. Records already
                    // committed are upserted again, which changes nothing.
                    tracing::warn!(resource = %l.resource, "saved cursor refused; restarting window");
                    on_resumed_cursor = false;
                    window.next_url = None;
                    window.pages = 0;
                    pages = self.first_request(l, &window);
                    continue;
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("syncing {} failed", l.resource));
                }
            };
            on_resumed_cursor = false;
            let records: Vec<StoredRecord> = page.items.iter().map(|t| (l.map)(t)).collect();
            window.pages += 1;
            window.next_url = page.next.as_ref().map(|c| c.as_str().to_owned());
            let checkpoint = if window.next_url.is_some() {
                Checkpoint { synced_through: cp.synced_through, window: Some(window.clone()) }
            } else {
                Checkpoint { synced_through: Some(window.end), window: None }
            };
            let outcome = self.store.commit_page(&SyncPage {
                kind: l.kind,
                resource: l.resource.clone(),
                records,
                checkpoint,
            })?;
            report.pages += 1;
            report.records += page.items.len() as u64;
            report.changed += outcome.changed as u64;
            report.tombstoned += outcome.tombstoned as u64;
            if let Some(left) = &mut self.pages_left {
                *left = left.saturating_sub(1);
            }
            progress.page(report);
            if window.next_url.is_none() {
                return Ok(());
            }
        }
    }

    fn close(&mut self, resource: &str, window: &SyncWindow) -> anyhow::Result<()> {
        self.store.set_checkpoint(
            resource,
            &Checkpoint { synced_through: Some(window.end), window: None },
        )?;
        Ok(())
    }
}

fn minimise<T: Minimise>(t: &T) -> StoredRecord {
    t.minimise()
}

fn listing<'a, T: Minimise>(handler: Handler<T>) -> Listing<'a, T> {
    Listing {
        handler,
        kind: T::KIND,
        resource: T::KIND.table().to_owned(),
        params: Vec::new(),
        map: &minimise::<T>,
    }
}

fn degree(o: &greenhouse_harvest::models::CustomFieldOption) -> StoredRecord {
    EducationOption { field: "degree", option: o }.minimise()
}

fn discipline(o: &greenhouse_harvest::models::CustomFieldOption) -> StoredRecord {
    EducationOption { field: "discipline", option: o }.minimise()
}

// FIXME: a record deleted in Greenhouse (not just updated) never shows up in an `updated_at`
// window, so it stays in the store until erased by hand. It stays because v3 offers no
// deletion feed to poll; subscribing to the `delete_candidate`/`candidate_anonymized` webhooks
// (or a periodic sweep comparing stored ids with `ids=` lookups) would propagate deletions.

/// Pulls every resource the model needs, resuming an interrupted sync where it stopped.
///
/// # Errors
/// A Harvest error that retries did not cure, or a store failure. Everything committed before
/// the error stays, and the next sync resumes from there.
pub async fn sync(
    client: &Client,
    store: &mut dyn Store,
    options: SyncOptions,
) -> anyhow::Result<SyncReport> {
    let mut run = Run {
        store,
        pages_left: options.max_pages,
        options,
        now: Utc::now(),
        report: SyncReport::default(),
    };
    run.listing(listing(client.jobs())).await?;
    run.listing(listing(client.job_posts())).await?;
    run.listing(listing(client.job_interview_stages())).await?;
    run.listing(listing(client.sources())).await?;
    run.listing(listing(client.rejection_reasons())).await?;
    run.listing(listing(client.candidate_tags())).await?;
    for (key, map) in
        [("degree", &degree as &(dyn Fn(&_) -> StoredRecord + Sync)), ("discipline", &discipline)]
    {
        run.listing(Listing {
            handler: client.custom_field_options(),
            kind: RecordKind::EducationOption,
            resource: format!("education_options:{key}"),
            params: vec![("custom_field_key", key.to_owned())],
            map,
        })
        .await?;
    }
    run.listing(listing(client.applications())).await?;
    run.listing(listing(client.application_stages())).await?;
    run.listing(listing(client.rejection_details())).await?;
    run.listing(listing(client.candidate_educations())).await?;
    run.listing(listing(client.candidate_employments())).await?;
    run.listing(listing(client.applied_candidate_tags())).await?;
    let report = std::mem::take(&mut run.report);
    if !report.interrupted {
        let orphans = run.store.finish_sync(report.changed() > 0)?;
        if orphans > 0 {
            tracing::info!(orphans, "child records of unknown applications dropped");
        }
    }
    Ok(report)
}
