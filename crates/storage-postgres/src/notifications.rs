//! Notifications (`storage::sql::notifications`) for the flows of this crate not yet written once.

use crate::glue::Conn;
use domain::notification::{NewNotification, Notification};
use sqlx::PgConnection;
use storage::{StorageResult, TenantScope, sql};

pub async fn insert_notification(
    conn: &mut PgConnection,
    scope: &TenantScope,
    new: NewNotification,
) -> StorageResult<Notification> {
    sql::notifications::insert_notification(&mut Conn(conn), scope, new).await
}
