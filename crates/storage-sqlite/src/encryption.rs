//! The embedded database encrypted at rest (SEC-02) with SQLCipher: every page of the file,
//! the write-ahead log included, is AES-256 encrypted under a 32-byte key kept outside it.

use sqlx::{Connection, SqliteConnection, sqlite::SqliteConnectOptions};
use std::{fmt, io::Read, path::Path};
use storage::{StorageError, StorageResult};

/// The key that opens an encrypted database. It is used raw, not as a passphrase, so SQLCipher
/// skips its key derivation and every connection opens at once.
#[derive(Clone)]
pub struct DatabaseKey([u8; 32]);

impl DatabaseKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// SQLCipher's form for a raw key: `x'<64 hex digits>'`.
    fn raw(&self) -> String {
        let hex: String = self.0.iter().map(|b| format!("{b:02X}")).collect();
        format!("x'{hex}'")
    }

    /// The value of `PRAGMA key`, which must be the first statement on every connection.
    pub(crate) fn pragma(&self) -> String {
        format!("\"{}\"", self.raw())
    }
}

impl fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DatabaseKey(redacted)")
    }
}

/// Whether the file at `path` is an SQLite database stored in the clear (its pages readable by
/// anyone with the file). An encrypted file starts with random bytes instead.
pub fn is_unencrypted(path: &Path) -> std::io::Result<bool> {
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path)?;
    Ok(file.read_exact(&mut header).is_ok() && &header == b"SQLite format 3\0")
}

/// Writes an encrypted copy of the unencrypted database at `plain` to `encrypted` (which must
/// not exist), with SQLCipher's `sqlcipher_export`, and checks the copy opens under `key`.
pub async fn encrypt_copy(plain: &Path, encrypted: &Path, key: &DatabaseKey) -> StorageResult<()> {
    // Attached files open with the main file's flags: "create" lets ATTACH make the copy (the
    // caller has checked `plain` exists).
    let options = SqliteConnectOptions::new().filename(plain).create_if_missing(true);
    let mut conn = SqliteConnection::connect_with(&options).await.map_err(StorageError::backend)?;
    sqlx::query("ATTACH DATABASE ?1 AS encrypted KEY ?2")
        .bind(encrypted.to_string_lossy().into_owned())
        .bind(key.raw())
        .execute(&mut conn)
        .await
        .map_err(StorageError::backend)?;
    sqlx::query("SELECT sqlcipher_export('encrypted')").execute(&mut conn).await.map_err(StorageError::backend)?;
    sqlx::query("DETACH DATABASE encrypted").execute(&mut conn).await.map_err(StorageError::backend)?;
    conn.close().await.map_err(StorageError::backend)?;

    let options = SqliteConnectOptions::new().filename(encrypted).create_if_missing(false).pragma("key", key.pragma());
    let mut check = SqliteConnection::connect_with(&options).await.map_err(StorageError::backend)?;
    let verdict: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut check).await.map_err(StorageError::backend)?;
    check.close().await.map_err(StorageError::backend)?;
    if verdict != "ok" {
        return Err(StorageError::Backend(format!("the encrypted copy failed its integrity check: {verdict}").into()));
    }
    Ok(())
}
