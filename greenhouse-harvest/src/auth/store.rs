//! Where refresh tokens live between runs.
//!
//! Greenhouse refresh tokens are single-use and rotate: every refresh returns a new one and
//! spends the old one. A rotated token must therefore be saved durably before the access token
//! that came with it is used; losing it means asking the customer to authorize again. The
//! client calls [`TokenStore::save`] and waits for it before using a new access token.
//!
//! Two stores ship here: [`FileTokenStore`] (a JSON file replaced atomically, readable by its
//! owner only) and [`MemoryTokenStore`] (tests, or a caller that persists tokens itself).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The error type of a [`TokenStore`]: anything that can fail (a file, a database...).
pub type StoreError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The tokens of one authorization (one customer account).
#[derive(Clone)]
pub struct StoredTokens {
    /// The current refresh token (single use).
    pub refresh_token: SecretString,
    /// The last access token, so that a restart within its lifetime needs no refresh.
    pub access_token: Option<SecretString>,
    /// When `access_token` expires.
    pub access_expires_at: Option<DateTime<Utc>>,
}

impl StoredTokens {
    /// Tokens holding only a refresh token, e.g. one obtained out of band.
    pub fn from_refresh_token(refresh_token: impl Into<String>) -> Self {
        StoredTokens {
            refresh_token: SecretString::from(refresh_token.into()),
            access_token: None,
            access_expires_at: None,
        }
    }
}

impl fmt::Debug for StoredTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredTokens")
            .field("refresh_token", &"[redacted]")
            .field("access_token", &self.access_token.as_ref().map(|_| "[redacted]"))
            .field("access_expires_at", &self.access_expires_at)
            .finish()
    }
}

/// The on-disk form; secrets are exposed only while serializing.
#[derive(Serialize, Deserialize)]
struct TokenFile {
    refresh_token: String,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    access_expires_at: Option<DateTime<Utc>>,
}

impl From<&StoredTokens> for TokenFile {
    fn from(tokens: &StoredTokens) -> Self {
        TokenFile {
            refresh_token: tokens.refresh_token.expose_secret().to_owned(),
            access_token: tokens.access_token.as_ref().map(|t| t.expose_secret().to_owned()),
            access_expires_at: tokens.access_expires_at,
        }
    }
}

impl From<TokenFile> for StoredTokens {
    fn from(file: TokenFile) -> Self {
        StoredTokens {
            refresh_token: SecretString::from(file.refresh_token),
            access_token: file.access_token.map(SecretString::from),
            access_expires_at: file.access_expires_at,
        }
    }
}

/// Durable storage for the tokens of one authorization.
///
/// `save` must not return before the tokens are durable: the client uses a rotated access
/// token only after `save` succeeded.
#[async_trait::async_trait]
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The saved tokens, or `None` when the customer has not authorized yet.
    ///
    /// # Errors
    ///
    /// When the storage cannot be read or holds garbage.
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError>;

    /// Replace the saved tokens.
    ///
    /// # Errors
    ///
    /// When the tokens could not be made durable.
    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError>;
}

/// Tokens kept in memory only: for tests, or for a caller that persists them elsewhere.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<Option<StoredTokens>>,
}

impl MemoryTokenStore {
    /// An empty store (no authorization yet).
    pub fn new() -> Self {
        MemoryTokenStore::default()
    }

    /// A store holding `tokens`.
    pub fn with_tokens(tokens: StoredTokens) -> Self {
        MemoryTokenStore { tokens: Mutex::new(Some(tokens)) }
    }

    /// What the store holds now.
    pub fn current(&self) -> Option<StoredTokens> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

#[async_trait::async_trait]
impl TokenStore for MemoryTokenStore {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        Ok(self.current())
    }

    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        *self.tokens.lock().unwrap_or_else(PoisonError::into_inner) = Some(tokens.clone());
        Ok(())
    }
}

/// Tokens in a JSON file, replaced atomically and readable by its owner only.
///
/// `save` writes a temporary file in the same directory (mode 0600 on Unix), flushes it to disk,
/// renames it over the old file and flushes the directory, so a crash leaves either the old
/// tokens or the new ones, never a torn file.
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store at `path`. The file need not exist yet; its directory must.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileTokenStore { path: path.into() }
    }

    /// The file this store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new().prefix(".tokens-").tempfile_in(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file().set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|err| err.error)?;
    // The rename is durable only once the directory entry is.
    #[cfg(unix)]
    std::fs::File::open(&dir)?.sync_all()?;
    Ok(())
}

#[async_trait::async_trait]
impl TokenStore for FileTokenStore {
    async fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        let path = self.path.clone();
        let bytes = match tokio::fs::read(&path).await {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(err.into()),
        };
        let file: TokenFile = serde_json::from_slice(&bytes)?;
        Ok(Some(file.into()))
    }

    async fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        let contents = serde_json::to_vec(&TokenFile::from(tokens))?;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || write_atomically(&path, &contents)).await??;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn file_store_round_trips_with_owner_only_mode() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::new(dir.path().join("tokens.json"));
        assert!(store.load().await.unwrap().is_none());
        let mut tokens = StoredTokens::from_refresh_token("r1");
        tokens.access_token = Some(SecretString::from("a1"));
        tokens.access_expires_at = Some("2026-12-03T17:00:00Z".parse().unwrap());
        store.save(&tokens).await.unwrap();
        store.save(&StoredTokens::from_refresh_token("r2")).await.unwrap();
        let loaded = store.load().await.unwrap().unwrap();
        assert_eq!(loaded.refresh_token.expose_secret(), "r2");
        assert!(loaded.access_token.is_none());
        // Only the final file remains: the temporary file was renamed, not left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!format!("{loaded:?}").contains("r2"));
    }

    #[tokio::test]
    async fn garbage_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        std::fs::write(&path, b"{not json").unwrap();
        assert!(FileTokenStore::new(path).load().await.is_err());
    }
}
