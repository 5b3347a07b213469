//! Storage in domain terms: the repository traits every backend implements.
//!
//! Every call on tenant-owned data takes a [`TenantScope`], which only an authenticated
//! principal (or the application itself, for first start and the CLI) can produce, so there
//! is no unscoped query path. Every write records its audit entry in the same transaction.

mod error;
mod model;
pub mod records;
mod scope;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use error::StorageError;
pub use model::*;
pub use scope::TenantScope;

use async_trait::async_trait;
use domain::{
    CustomerId, Grant, GroupId, QueryId, StatusId, TenantId, UserId,
    audit::{AuditEvent, StoredAuditEntry},
    customer::{Customer, CustomerDetails},
    event::Event,
    query::{NewQuery, Query, QueryFilter, QueryStatus, StatusTransition},
    tenant::{Tenant, TenantSlug},
    user::User,
};

pub type StorageResult<T> = Result<T, StorageError>;

/// Tenants are the one thing looked up before anyone is signed in.
#[async_trait]
pub trait TenantRepo: Send + Sync {
    /// Creates a tenant with its built-in groups and first administrator, in one transaction.
    async fn create_tenant(&self, new: NewTenant) -> StorageResult<(Tenant, User)>;
    async fn tenant_by_slug(&self, slug: &TenantSlug) -> StorageResult<Option<Tenant>>;
    async fn tenant_by_id(&self, id: TenantId) -> StorageResult<Option<Tenant>>;
    async fn list_tenants(&self) -> StorageResult<Vec<Tenant>>;
}

#[async_trait]
pub trait UserRepo: Send + Sync {
    async fn create_user(&self, scope: &TenantScope, new: NewUser) -> StorageResult<User>;
    async fn get_user(&self, scope: &TenantScope, id: UserId) -> StorageResult<Option<User>>;
    /// Users in id (creation) order, after the cursor.
    async fn list_users(&self, scope: &TenantScope, after: Option<UserId>, limit: u32) -> StorageResult<Vec<User>>;
    /// The active user holding a local identity for this email, with its password hash.
    async fn local_credential(&self, tenant_id: TenantId, email: &str) -> StorageResult<Option<LocalCredential>>;
    /// Grants that reach the user directly or through their groups.
    async fn grants_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Vec<Grant>>;
    async fn list_groups(&self, scope: &TenantScope) -> StorageResult<Vec<Group>>;
    async fn group_ids_exist(&self, scope: &TenantScope, ids: &[GroupId]) -> StorageResult<Vec<GroupId>>;
}

#[async_trait]
pub trait SessionRepo: Send + Sync {
    /// Starts a session and ends every other session of the same user (SEC-14).
    async fn start_session(&self, scope: &TenantScope, new: NewSession) -> StorageResult<Session>;
    /// The live session for this token hash, touching its last-seen time. A session past its
    /// absolute expiry, or idle for longer than `idle_timeout_secs`, is not returned. This is how a request becomes authenticated, so it has no tenant scope yet.
    async fn session_by_token(
        &self,
        token_hash: &[u8; 32],
        now: domain::Timestamp,
        idle_timeout_secs: i64,
    ) -> StorageResult<Option<Session>>;
    async fn end_session(&self, scope: &TenantScope, token_hash: &[u8; 32]) -> StorageResult<()>;
}

#[async_trait]
pub trait AuditRepo: Send + Sync {
    /// Records an event that is not part of another write (e.g. a failed sign-in).
    async fn record(&self, scope: &TenantScope, event: AuditEvent) -> StorageResult<()>;
    /// The tenant's whole chain in sequence order.
    async fn audit_chain(&self, scope: &TenantScope) -> StorageResult<Vec<StoredAuditEntry>>;
}

#[async_trait]
pub trait CustomerRepo: Send + Sync {
    async fn create_customer(&self, scope: &TenantScope, details: CustomerDetails) -> StorageResult<Customer>;
    /// A live (not deleted or merged) customer.
    async fn get_customer(&self, scope: &TenantScope, id: CustomerId) -> StorageResult<Option<Customer>>;
    /// Replaces the details if `expected_version` is current; `VersionMismatch` otherwise.
    async fn update_customer(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        expected_version: i64,
        details: CustomerDetails,
    ) -> StorageResult<Customer>;
    /// Live customers in id (creation) order, after the cursor.
    async fn list_customers(
        &self,
        scope: &TenantScope,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StorageResult<Vec<Customer>>;
    /// Live customers sharing an email address or phone number with `details`, or at the same
    /// postcode: candidates that `domain::customer` then judges by name.
    async fn duplicate_candidates(
        &self,
        scope: &TenantScope,
        details: &CustomerDetails,
    ) -> StorageResult<Vec<Customer>>;
}

#[async_trait]
pub trait QueryRepo: Send + Sync {
    /// The tenant's statuses in display order.
    async fn query_statuses(&self, scope: &TenantScope) -> StorageResult<Vec<QueryStatus>>;
    /// Logs a query in the tenant's default status, with the next reference.
    async fn create_query(&self, scope: &TenantScope, new: NewQuery) -> StorageResult<Query>;
    async fn get_query(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Option<Query>>;
    /// Live queries matching the filter, in id (logging) order, after the cursor. No cap: any
    /// filter can be paged to its end.
    async fn list_queries(
        &self,
        scope: &TenantScope,
        filter: &QueryFilter,
        after: Option<QueryId>,
        limit: u32,
    ) -> StorageResult<Vec<Query>>;
    /// Moves a query to another of the tenant's statuses if `expected_version` is current,
    /// recording the transition.
    async fn change_query_status(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        status: StatusId,
    ) -> StorageResult<Query>;
    /// Every status the query has been in, oldest first.
    async fn status_history(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Vec<StatusTransition>>;
}

/// Timelines (FR-013), read from the one event table.
#[async_trait]
pub trait TimelineRepo: Send + Sync {
    /// Everything about the customer and their queries, oldest first, up to `limit` events.
    async fn customer_timeline(
        &self,
        scope: &TenantScope,
        customer: CustomerId,
        limit: u32,
    ) -> StorageResult<Vec<Event>>;
}

/// Idempotency keys of creates, per tenant.
#[async_trait]
pub trait IdempotencyRepo: Send + Sync {
    /// Looks the key up and, if it is free (or its reservation has lapsed), reserves it for
    /// this request, in one transaction.
    async fn begin_idempotent(
        &self,
        scope: &TenantScope,
        key: &str,
        request_hash: &[u8; 32],
    ) -> StorageResult<IdempotencyStart>;
    /// Stores the response of the finished request under its key.
    async fn complete_idempotent(&self, scope: &TenantScope, key: &str, response: &StoredResponse)
    -> StorageResult<()>;
    /// Releases a reservation whose request failed, so the key can be used again.
    async fn abandon_idempotent(&self, scope: &TenantScope, key: &str) -> StorageResult<()>;
}

/// Operations on the database as a whole.
#[async_trait]
pub trait Maintenance: Send + Sync {
    /// Which backend this is, for logs.
    fn backend_name(&self) -> &'static str;
    /// Reachable, and every migration this build knows has been applied.
    async fn readiness(&self) -> StorageResult<Readiness>;
}

/// Everything the server needs from storage, as one object.
pub trait Store:
    TenantRepo
    + UserRepo
    + SessionRepo
    + AuditRepo
    + CustomerRepo
    + QueryRepo
    + TimelineRepo
    + IdempotencyRepo
    + Maintenance
{
}

impl<T> Store for T where
    T: TenantRepo
        + UserRepo
        + SessionRepo
        + AuditRepo
        + CustomerRepo
        + QueryRepo
        + TimelineRepo
        + IdempotencyRepo
        + Maintenance
{
}
