//! Operations on the database as a whole.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt};
use crate::{Maintenance, Readiness, StorageResult};
use async_trait::async_trait;

#[async_trait]
impl<S: SqlBackend> Maintenance for S {
    fn backend_name(&self) -> &'static str {
        S::NAME
    }

    async fn readiness(&self) -> StorageResult<Readiness> {
        let mut tx = self.read_unscoped().await?;
        let applied = tx.fetch_one(Stmt::new("SELECT count(*) AS applied FROM _sqlx_migrations WHERE success")).await?;
        tx.commit().await?;
        let known = i64::try_from(self.known_migrations()).unwrap_or(i64::MAX);
        Ok(Readiness { applied_migrations: applied.int("applied")?, known_migrations: known })
    }

    async fn close(&self) {
        SqlBackend::close(self).await;
    }
}
