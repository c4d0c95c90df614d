//! Building the Harvest client from the settings.

use std::sync::Arc;

use anyhow::Context as _;
use greenhouse_harvest::{Client, Credentials, FileTokenStore, RetryPolicy};
use secrecy::ExposeSecret as _;

use crate::cli::Settings;

/// The retry policy of the command: the library default, with PATCH retried too. The only
/// write rocketmat makes is a PATCH that sets a field to an absolute value, so repeating it
/// after a timeout or a 5xx cannot do anything twice.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy { retry_non_idempotent: true, ..RetryPolicy::default() }
}

/// Builds the client: client credentials when a user id is given, else the stored
/// authorization (rotating refresh token, file mode 0600).
///
/// # Errors
/// Missing credentials, or an invalid URL.
pub fn client(settings: &Settings) -> anyhow::Result<Client> {
    let (Some(id), Some(secret)) = (&settings.client_id, &settings.client_secret) else {
        anyhow::bail!(
            "no Greenhouse credentials: set GREENHOUSE_CLIENT_ID and GREENHOUSE_CLIENT_SECRET, \
             plus GREENHOUSE_USER_ID for the client-credentials grant (or keep a stored \
             authorization at {})",
            settings.auth_file.display()
        );
    };
    let credentials = match settings.user_id {
        Some(user) => Credentials::client_credentials(id, secret.expose_secret(), user),
        None if settings.auth_file.exists() => Credentials::refresh_token(
            id,
            secret.clone(),
            Arc::new(FileTokenStore::new(settings.auth_file.clone())),
        ),
        None => anyhow::bail!(
            "GREENHOUSE_USER_ID is not set and no stored authorization exists at {}: set the \
             user id (a Site Admin) for the client-credentials grant",
            settings.auth_file.display()
        ),
    };
    Client::builder()
        .base_url(settings.base_url.as_str().trim_end_matches('/'))
        .token_url(settings.token_url.as_str())
        .credentials(credentials)
        .retry_policy(retry_policy())
        .build()
        .context("cannot configure the Harvest client")
}

/// Exchanges an authorization code for tokens and stores them in the auth file (mode 0600).
///
/// # Errors
/// Missing client id or secret, or a refused exchange.
pub async fn authorize(settings: &Settings, code: &str, redirect_uri: &str) -> anyhow::Result<()> {
    let (Some(id), Some(secret)) = (&settings.client_id, &settings.client_secret) else {
        anyhow::bail!("set GREENHOUSE_CLIENT_ID and GREENHOUSE_CLIENT_SECRET to authorize");
    };
    if let Some(dir) = settings.auth_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let store = FileTokenStore::new(settings.auth_file.clone());
    greenhouse_harvest::auth::AuthorizationCode::new(id, secret.expose_secret())
        .token_url(settings.token_url.as_str())
        .exchange_code(code, redirect_uri, &store)
        .await
        .context("the authorization code was refused")?;
    tracing::info!(path = %settings.auth_file.display(), "authorization stored");
    Ok(())
}
