//! PostgreSQL rows and their mapping to domain values (via `storage::records`).

use domain::{Timestamp, tenant::Tenant, user::User};
use sqlx::types::chrono::{DateTime, Utc};
use storage::{
    StorageError,
    records::{UserColumns, tenant_from_columns},
};
use uuid::Uuid;

/// Maps unique violations to `Conflict` (naming the constraint) and anything else to `Backend`.
pub fn db_error(error: sqlx::Error) -> StorageError {
    if let sqlx::Error::Database(db) = &error
        && db.is_unique_violation()
    {
        return StorageError::Conflict { constraint: db.constraint().unwrap_or("unique").to_owned() };
    }
    StorageError::backend(error)
}

pub fn ts(at: DateTime<Utc>) -> Timestamp {
    Timestamp::from_datetime(at)
}

#[derive(Debug, sqlx::FromRow)]
pub struct TenantRow {
    id: Uuid,
    slug: String,
    name: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<TenantRow> for Tenant {
    type Error = StorageError;
    fn try_from(row: TenantRow) -> Result<Self, StorageError> {
        tenant_from_columns(row.id, &row.slug, &row.name, ts(row.created_at))
    }
}

pub const USER_COLUMNS: &str = "tenant_id, id, email, display_name, status, version, created_at, updated_at";

#[derive(Debug, sqlx::FromRow)]
pub struct UserRow {
    tenant_id: Uuid,
    id: Uuid,
    email: String,
    display_name: String,
    status: String,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;
    fn try_from(row: UserRow) -> Result<Self, StorageError> {
        User::try_from(UserColumns {
            tenant_id: row.tenant_id,
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            status: row.status,
            version: row.version,
            created_at: ts(row.created_at),
            updated_at: ts(row.updated_at),
        })
    }
}
