//! Users (`storage::sql::users`) for the flows of this crate not yet written once.

use crate::glue::Conn;
use domain::user::User;
use sqlx::SqliteConnection;
use storage::{NewUser, StorageResult, TenantScope, sql};

pub async fn insert_user(conn: &mut SqliteConnection, scope: &TenantScope, new: NewUser) -> StorageResult<User> {
    sql::users::insert_user(&mut Conn(conn), scope, new).await
}
