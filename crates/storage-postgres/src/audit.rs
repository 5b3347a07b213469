//! The audit chain (`storage::sql::audit`) for the flows of this crate not yet written once.

use crate::glue::Conn;
use domain::{TenantId, audit::AuditEvent};
use sqlx::PgConnection;
use storage::{StorageResult, TenantScope, sql};

pub async fn start_chain(conn: &mut PgConnection, tenant_id: TenantId) -> StorageResult<()> {
    sql::audit::start_chain(&mut Conn(conn), tenant_id).await
}

pub async fn append(conn: &mut PgConnection, scope: &TenantScope, event: &AuditEvent) -> StorageResult<()> {
    sql::audit::append(&mut Conn(conn), scope, event).await
}
