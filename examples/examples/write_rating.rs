//! Find the Rocketmat custom field and write a match rating on one application.
//!
//! Usage: `cargo run -p examples --example write_rating -- <application id> <rating 0-100>
//! [field name or name_key, default "Rocketmat"]`.
//!
//! Credentials come from the environment. A partner integration (Authorization Code) sets
//! `GREENHOUSE_TOKEN_FILE`, the file holding the customer's refresh token (written by the
//! authorization step with `FileTokenStore`, rotated at each refresh); a custom integration sets
//! `GREENHOUSE_USER_ID` for Client Credentials instead. Both need `GREENHOUSE_CLIENT_ID` and
//! `GREENHOUSE_CLIENT_SECRET`. `HARVEST_BASE_URL` and `GREENHOUSE_TOKEN_URL` point at a
//! simulator when set.
//!
//! The steps follow the reference: find the field and check that it is an active Number field,
//! write the value, then read the application back and compare.

use std::sync::Arc;

use anyhow::{Context as _, bail};
use greenhouse_harvest::api::UpdateCustomFields;
use greenhouse_harvest::ids::ApplicationId;
use greenhouse_harvest::{Client, Credentials, FileTokenStore};

fn env(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| format!("set {name} in the environment"))
}

fn credentials() -> anyhow::Result<Credentials> {
    let (id, secret) = (env("GREENHOUSE_CLIENT_ID")?, env("GREENHOUSE_CLIENT_SECRET")?);
    if let Ok(path) = std::env::var("GREENHOUSE_TOKEN_FILE") {
        let store = Arc::new(FileTokenStore::new(path));
        return Ok(Credentials::refresh_token(id, secret, store));
    }
    let user_id: u64 =
        env("GREENHOUSE_USER_ID")?.parse().context("GREENHOUSE_USER_ID must be a number")?;
    Ok(Credentials::client_credentials(id, secret, user_id))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();

    let mut args = std::env::args().skip(1);
    let usage = "usage: write_rating <application id> <rating 0-100> [field name or name_key]";
    let application_id: u64 =
        args.next().context(usage)?.parse().context("the application id must be a number")?;
    let rating: u8 = args.next().context(usage)?.parse().context("the rating must be 0 to 100")?;
    if rating > 100 {
        bail!("the rating must be 0 to 100, got {rating}");
    }
    let field_name = args.next().unwrap_or_else(|| "Rocketmat".to_owned());

    let mut builder = Client::builder().credentials(credentials()?);
    if let Ok(url) = std::env::var("HARVEST_BASE_URL") {
        builder = builder.base_url(url);
    }
    if let Ok(url) = std::env::var("GREENHOUSE_TOKEN_URL") {
        builder = builder.token_url(url);
    }
    let client = builder.build()?;

    let field = client
        .custom_fields()
        .find_application_number_field(&field_name)
        .await
        .with_context(|| format!("looking up the `{field_name}` application field"))?;
    let update = match &field.name_key {
        Some(key) => UpdateCustomFields::new().set_by_name_key(key.clone(), rating),
        None => UpdateCustomFields::new().set_by_id(field.id, rating),
    };
    let id = ApplicationId(application_id);
    client
        .applications()
        .update_custom_fields(id, &update)
        .await
        .with_context(|| format!("writing the rating on application {application_id}"))?;

    // Read it back: the write's answer is not documented, the record is.
    let written =
        client.applications().get(id).await?.with_context(|| {
            format!("application {application_id} is not visible after the write")
        })?;
    let key = field.name_key.clone().unwrap_or_default();
    let stored = written.custom_fields.get(&key).map(|entry| entry.value.clone());
    match stored {
        Some(value)
            if value.as_f64() == Some(f64::from(rating))
                || value.as_str() == Some(&rating.to_string()) =>
        {
            println!("application {application_id}: {key} = {rating}");
        }
        other => bail!("application {application_id} reads back {other:?} for {key}, not {rating}"),
    }
    Ok(())
}
