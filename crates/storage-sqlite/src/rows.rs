//! Mapping between SQLite rows and domain values.

use domain::{
    TenantId, Timestamp, UserId,
    tenant::{Tenant, TenantName, TenantSlug},
    user::{DisplayName, EmailAddress, User, UserStatus},
};
use storage::StorageError;
use uuid::Uuid;

/// Maps unique violations to `Conflict` (naming the constraint) and anything else to `Backend`.
pub fn db_error(error: sqlx::Error) -> StorageError {
    if let sqlx::Error::Database(db) = &error
        && db.is_unique_violation()
    {
        return StorageError::Conflict { constraint: constraint_name(db.message()).to_owned() };
    }
    StorageError::backend(error)
}

/// SQLite names the columns of a failed unique constraint, not the constraint; map them to the
/// names PostgreSQL reports, so both backends' conflicts read alike.
fn constraint_name(message: &str) -> &'static str {
    const KNOWN: [(&str, &str); 4] = [
        ("users.tenant_id, users.email", "users_email_unique"),
        ("groups.tenant_id, groups.name", "groups_name_unique"),
        ("tenants.slug", "tenants_slug_key"),
        ("identities.tenant_id, identities.provider, identities.subject", "identities_pkey"),
    ];
    KNOWN.iter().find(|(columns, _)| message.ends_with(columns)).map_or("unique", |(_, name)| name)
}

/// A stored value no longer parses: the database was changed behind our back.
pub fn corrupt(what: &str) -> StorageError {
    StorageError::Backend(format!("stored {what} is not valid").into())
}

pub fn ts(micros: i64) -> Timestamp {
    Timestamp::from_micros(micros)
}

#[derive(Debug, sqlx::FromRow)]
pub struct TenantRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub created_at_us: i64,
}

impl TryFrom<TenantRow> for Tenant {
    type Error = StorageError;
    fn try_from(row: TenantRow) -> Result<Self, StorageError> {
        Ok(Tenant {
            id: TenantId::from_uuid(row.id),
            slug: TenantSlug::parse("slug", &row.slug).map_err(|_| corrupt("tenant slug"))?,
            name: TenantName::parse("name", &row.name).map_err(|_| corrupt("tenant name"))?,
            created_at: ts(row.created_at_us),
        })
    }
}

pub const USER_COLUMNS: &str = "tenant_id, id, email, display_name, status, version, created_at_us, updated_at_us";

#[derive(Debug, sqlx::FromRow)]
pub struct UserRow {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub status: String,
    pub version: i64,
    pub created_at_us: i64,
    pub updated_at_us: i64,
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
            created_at: ts(row.created_at_us),
            updated_at: ts(row.updated_at_us),
        })
    }
}
