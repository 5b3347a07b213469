//! Chooses the storage backend from the database URL.

use std::sync::Arc;
use storage::Database;

pub async fn connect_and_migrate(url: &str) -> anyhow::Result<Arc<dyn Database>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = storage_postgres::PgStore::connect_and_migrate(url).await?;
        if store.bypasses_row_security().await? {
            tracing::warn!(
                "connected to PostgreSQL as a superuser or BYPASSRLS role: row-level security does not apply; \
                 connect as an ordinary role that owns the database"
            );
        }
        Ok(Arc::new(store))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(storage_sqlite::SqliteStore::connect_and_migrate(url).await?))
    } else {
        anyhow::bail!("CASEDESK_DATABASE_URL must start with postgres:// or sqlite:")
    }
}
