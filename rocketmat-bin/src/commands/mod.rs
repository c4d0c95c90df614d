//! The subcommands. Each writes its data to the given writer (stdout in the binary) and logs
//! progress through `tracing` (stderr in the binary).

mod local;
mod model;

use std::io::Write;

use anyhow::Context as _;

use crate::cli::{Cli, Command, Settings};
use crate::pipeline::{self, RunOptions, RunReport};
use crate::push::{self, PushOptions, PushReport};
use crate::store::SqliteStore;
use crate::sync::{self, SyncOptions, SyncReport};
use crate::{connect, demo};

pub use local::{erase, explain, verify_audit};
pub use model::{TrainOutcome, load_model, print_scores, print_train, score, train};

/// Opens the store named by the settings.
///
/// # Errors
/// A corrupt, newer or unreachable store file.
pub fn open_store(settings: &Settings) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(&settings.store)
        .with_context(|| format!("cannot open the store {}", settings.store.display()))
}

/// Runs a parsed command line.
///
/// # Errors
/// Whatever the subcommand reports; the binary prints the whole chain and exits non-zero.
pub async fn execute(cli: Cli, out: &mut dyn Write) -> anyhow::Result<()> {
    let settings = cli.global.resolve()?;
    match cli.command {
        Command::Explain { application } => {
            explain(&open_store(&settings)?, application, settings.json, out)
        }
        Command::Erase { candidate } => {
            erase(&mut open_store(&settings)?, candidate, settings.json, out)
        }
        Command::VerifyAudit => verify_audit(&open_store(&settings)?, settings.json, out),
        Command::Train(args) => {
            let outcome = train(&mut open_store(&settings)?, args)?;
            print_train(&outcome, settings.json, out)
        }
        Command::Score => {
            let rows = score(&mut open_store(&settings)?)?;
            print_scores(&rows, settings.json, out)
        }
        Command::Sync => {
            let client = connect::client(&settings)?;
            let report =
                sync::sync(&client, &mut open_store(&settings)?, sync_options(&settings)).await?;
            print_sync(&report, settings.json, out)
        }
        Command::Push(args) => {
            let client = connect::client(&settings)?;
            let options = push_options(&settings, args.dry_run, "push");
            let report = push::push(&client, &mut open_store(&settings)?, &options).await?;
            print_push(&report, settings.json, out)
        }
        Command::Run(args) => {
            let client = connect::client(&settings)?;
            let options = RunOptions {
                sync: sync_options(&settings),
                train: args.train,
                push: push_options(&settings, args.push.dry_run, "run"),
            };
            let report = pipeline::run(&client, &mut open_store(&settings)?, &options).await?;
            print_run(&report, settings.json, out)
        }
        Command::Demo(args) => demo::demo(&args, settings.json, out).await,
        Command::Authorize { code, redirect_uri } => {
            connect::authorize(&settings, &code, &redirect_uri).await?;
            writeln!(out, "authorization stored in {}", settings.auth_file.display())?;
            Ok(())
        }
    }
}

fn sync_options(settings: &Settings) -> SyncOptions {
    SyncOptions { lookback: settings.lookback, progress: !settings.json, ..SyncOptions::default() }
}

fn push_options(settings: &Settings, dry_run: bool, trigger: &str) -> PushOptions {
    PushOptions { field_name: settings.field_name.clone(), dry_run, trigger: trigger.to_owned() }
}

/// Prints a sync report.
///
/// # Errors
/// A write failure.
pub fn print_sync(report: &SyncReport, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string(report)?)?;
        return Ok(());
    }
    for r in &report.resources {
        writeln!(
            out,
            "{:<28} {:>5} pages {:>8} records {:>8} changed {:>5} erased-skipped",
            r.resource, r.pages, r.records, r.changed, r.tombstoned
        )?;
    }
    writeln!(out, "synced: {} requests, {} records", report.pages(), report.records())?;
    Ok(())
}

/// Prints a push report.
///
/// # Errors
/// A write failure.
pub fn print_push(report: &PushReport, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string(report)?)?;
    } else if report.dry_run {
        writeln!(
            out,
            "dry run: {} ratings would be written to field {}",
            report.pending, report.field_id
        )?;
        for (app, rating) in &report.ratings {
            writeln!(out, "  application {app}: {rating}")?;
        }
    } else {
        writeln!(
            out,
            "pushed {} ratings to field {} ({} refused, left pending)",
            report.written, report.field_id, report.failed
        )?;
    }
    Ok(())
}

/// Prints a run report.
///
/// # Errors
/// A write failure.
pub fn print_run(report: &RunReport, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string(report)?)?;
        return Ok(());
    }
    print_sync(&report.sync, false, out)?;
    match &report.trained {
        Some(summary) => writeln!(out, "model retrained: AUC {}", summary["auc"])?,
        None => writeln!(out, "model current: not retrained")?,
    }
    writeln!(out, "rated {} open applications", report.scored)?;
    print_push(&report.push, false, out)
}
