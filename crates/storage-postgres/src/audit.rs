//! The audit chain (`storage::sql::audit`) for the flows of this crate not yet written once.

use crate::glue::Conn;
use domain::audit::AuditEvent;
use sqlx::PgConnection;
use storage::{StorageResult, TenantScope, sql};

pub async fn append(conn: &mut PgConnection, scope: &TenantScope, event: &AuditEvent) -> StorageResult<()> {
    sql::audit::append(&mut Conn(conn), scope, event).await
}
