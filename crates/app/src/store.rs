//! Chooses the storage backend from the database URL, and opens the embedded SQLite database
//! under its key (SEC-02): made with a new database, required for an existing one.

use crate::config::DatabaseArgs;
use app::key_files;
use std::{
    path::{Path, PathBuf},
    sync::Arc,
};
use storage::Database;
use storage_sqlite::DatabaseKey;

pub async fn connect_and_migrate(args: &DatabaseArgs) -> anyhow::Result<Arc<dyn Database>> {
    let url = args.resolved_url()?;
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = storage_postgres::PgStore::connect_and_migrate(&url).await?;
        if store.bypasses_row_security().await? {
            tracing::warn!(
                "connected to PostgreSQL as a superuser or BYPASSRLS role: row-level security does not apply; \
                 connect as an ordinary role that owns the database"
            );
        }
        Ok(Arc::new(store))
    } else if url.starts_with("sqlite:") {
        let key = sqlite_key(args, &url)?;
        Ok(Arc::new(storage_sqlite::SqliteStore::connect_and_migrate_encrypted(&url, key.as_ref()).await?))
    } else {
        anyhow::bail!("CASEDESK_DATABASE_URL must start with postgres:// or sqlite:")
    }
}

/// The database file a `sqlite:` URL names; none for an in-memory database.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

fn holds_data(file: &Path) -> bool {
    file.metadata().is_ok_and(|meta| meta.len() > 0)
}

/// The key to open the database at `url` with: read from its file, or made (in the default
/// place only) for a database not yet created. An unencrypted database is refused with the
/// command that encrypts it.
fn sqlite_key(args: &DatabaseArgs, url: &str) -> anyhow::Result<Option<DatabaseKey>> {
    let Some(file) = sqlite_file(url) else { return Ok(None) };
    let (key_file, may_make) = args.database_key_file();
    if holds_data(&file) && storage_sqlite::is_unencrypted(&file)? {
        anyhow::bail!(
            "the database {} is not encrypted: stop Casedesk and run `casedesk database encrypt` once",
            file.display()
        );
    }
    if key_file.exists() || !may_make || holds_data(&file) {
        // An encrypted database without its key cannot be opened: say where the key was looked for.
        return Ok(Some(DatabaseKey::from_bytes(key_files::read(&key_file, "database key")?)));
    }
    Ok(Some(DatabaseKey::from_bytes(key_files::make(&key_file, "database key")?)))
}

/// The key for encrypting an existing database: its file's, or a new one in the default place.
pub fn key_for_encrypting(args: &DatabaseArgs) -> anyhow::Result<(DatabaseKey, PathBuf)> {
    let (key_file, may_make) = args.database_key_file();
    let key = if key_file.exists() || !may_make {
        key_files::read(&key_file, "database key")?
    } else {
        key_files::make(&key_file, "database key")?
    };
    Ok((DatabaseKey::from_bytes(key), key_file))
}
