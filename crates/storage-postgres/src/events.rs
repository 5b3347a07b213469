//! Events (`storage::sql::events`) for the flows of this crate not yet written once.

use crate::glue::Conn;
use sqlx::PgConnection;
use storage::{StorageResult, TenantScope, records::NewEvent, sql};

pub async fn insert_event(conn: &mut PgConnection, scope: &TenantScope, event: &NewEvent) -> StorageResult<()> {
    sql::events::insert_event(&mut Conn(conn), scope, event).await
}
