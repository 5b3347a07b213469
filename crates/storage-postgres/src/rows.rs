//! Mapping between PostgreSQL rows and domain values.

use domain::{
    TenantId, Timestamp, UserId,
    tenant::{Tenant, TenantName, TenantSlug},
    user::{DisplayName, EmailAddress, User, UserStatus},
};
use sqlx::types::chrono::{DateTime, Utc};
use storage::StorageError;
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

/// A stored value no longer parses: the database was changed behind our back.
pub fn corrupt(what: &str) -> StorageError {
    StorageError::Backend(format!("stored {what} is not valid").into())
}

pub fn ts(at: DateTime<Utc>) -> Timestamp {
    Timestamp::from_datetime(at)
}

#[derive(Debug, sqlx::FromRow)]
pub struct TenantRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<TenantRow> for Tenant {
    type Error = StorageError;
    fn try_from(row: TenantRow) -> Result<Self, StorageError> {
        Ok(Tenant {
            id: TenantId::from_uuid(row.id),
            slug: TenantSlug::parse("slug", &row.slug).map_err(|_| corrupt("tenant slug"))?,
            name: TenantName::parse("name", &row.name).map_err(|_| corrupt("tenant name"))?,
            created_at: ts(row.created_at),
        })
    }
}

pub const USER_COLUMNS: &str = "tenant_id, id, email, display_name, status, version, created_at, updated_at";

#[derive(Debug, sqlx::FromRow)]
pub struct UserRow {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub status: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;
    fn try_from(row: UserRow) -> Result<Self, StorageError> {
        Ok(User {
            tenant_id: TenantId::from_uuid(row.tenant_id),
            id: UserId::from_uuid(row.id),
            email: EmailAddress::parse("email", &row.email).map_err(|_| corrupt("email"))?,
            display_name: DisplayName::parse("display_name", &row.display_name).map_err(|_| corrupt("name"))?,
            status: UserStatus::parse(&row.status).ok_or_else(|| corrupt("user status"))?,
            version: row.version,
            created_at: ts(row.created_at),
            updated_at: ts(row.updated_at),
        })
    }
}
