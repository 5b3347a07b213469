//! Storage in domain terms: the repository traits every backend implements.
//!
//! Every call on tenant-owned data takes a [`TenantScope`], which only an authenticated
//! principal (or the application itself, for first start and the CLI) can produce, so there
//! is no unscoped query path. Every write records its audit entry in the same transaction.

mod error;
mod model;
pub mod records;
mod scope;
pub mod seed;
pub mod sql;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use error::{StorageError, conflict_on};
pub use model::*;
pub use scope::TenantScope;
pub use seed::Seeder;
pub mod visibility;

use async_trait::async_trait;
use domain::Level;
use domain::{
    CalendarId, CustomerId, DocumentId, EntraMappingId, Grant, GroupId, JobId, NotificationId, QueryId, QueryTypeId,
    SlaPolicyId, StatusId, TeamId, TenantId, Timestamp, UserId, ViewId, WorkflowId,
    access::{AccessSettings, SessionEndReason},
    audit::{AuditEvent, PendingAuditEntry, StoredAuditEntry},
    calendar::{CalendarDefinition, NamedCalendar},
    customer::{Customer, CustomerDetails},
    document::{Document, NewDocument, Owner, TextMatch, TextSearch},
    entra::{ClaimKind, EntraMapping, EntraObjectId, EntraPerson, EntraSettings, EntraSettingsChange},
    event::Event,
    group::{Group, GroupDetails},
    job::{Job, JobOutcome, JobState, NewJob},
    note::{NewNote, Note},
    notification::{NewNotification, Notification, Subject},
    party::{Party, PartyRole},
    query::{Assignment, NewQuery, Query, QueryEdit, QueryFilter, QueryStatus, StatusCategory, StatusTransition},
    query_list::{QueryCursor, QuerySort},
    saved_view::{SavedView, ViewDetails},
    search::SearchTerms,
    sign_in::{AfterFailure, LockoutPolicy, SignInSource},
    sla::{Clock, PolicyDefinition, SlaPolicy},
    team::{NewQueryType, QueryType, Team, TeamDetails},
    tenant::{Tenant, TenantSlug},
    user::User,
    workflow::{Definition, QueryWorkflow, StatusChange, StatusEdit, Workflow, WorkflowRef},
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
    /// The active user holding a local identity for this email, with its password hash and
    /// until when passwords from `source` (a `SignInSource::key`) are held off.
    async fn local_credential(
        &self,
        tenant_id: TenantId,
        email: &str,
        source: &str,
    ) -> StorageResult<Option<LocalCredential>>;
    /// Counts a wrong password against the user's local identity from `source` and, by
    /// `policy`, throttles or locks it for that source (never locking a break-glass identity);
    /// audits `sign_in.failed` (and `user.locked_out` when it locks) in the same transaction. A
    /// session started with `clears_failures_from` set to the source clears its count.
    async fn record_failed_sign_in(
        &self,
        tenant_id: TenantId,
        user_id: UserId,
        now: domain::Timestamp,
        policy: LockoutPolicy,
        source: &SignInSource,
    ) -> StorageResult<AfterFailure>;
    /// Grants that reach the user directly or through their groups.
    async fn grants_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Vec<Grant>>;
    /// Changes a user if `expected_version` is current. Disabling a user ends their sessions in
    /// the same transaction.
    async fn update_user(
        &self,
        scope: &TenantScope,
        id: UserId,
        expected_version: i64,
        changes: UserChanges,
    ) -> StorageResult<User>;
    /// Whether the user's local identity is break-glass (`None`: no local identity).
    async fn break_glass_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Option<bool>>;
    /// The ids of the groups the user belongs to, in name order.
    async fn group_ids_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Vec<GroupId>>;
}

/// Personal API tokens (machine access).
#[async_trait]
pub trait ApiTokenRepo: Send + Sync {
    /// Stores a new token (its hash only) and audits it with the caller's address.
    async fn create_api_token(
        &self,
        scope: &TenantScope,
        new: NewApiToken,
        from: Option<&str>,
    ) -> StorageResult<domain::api_token::ApiToken>;
    /// The tenant's tokens, or one owner's, newest first, revoked and expired ones included.
    async fn api_tokens(
        &self,
        scope: &TenantScope,
        owner: Option<UserId>,
    ) -> StorageResult<Vec<domain::api_token::ApiToken>>;
    /// Revokes a token at once (`NotFound` if it is not the tenant's, or not `owner`'s when
    /// given); revoking a revoked token changes nothing. Audited.
    async fn revoke_api_token(
        &self,
        scope: &TenantScope,
        id: domain::ApiTokenId,
        owner: Option<UserId>,
        now: domain::Timestamp,
    ) -> StorageResult<domain::api_token::ApiToken>;
    /// The live (unrevoked, unexpired) token with this hash, with what a request needs;
    /// refreshes its last-used time at most once a minute.
    async fn api_token_principal(
        &self,
        token_hash: &[u8; 32],
        now: domain::Timestamp,
    ) -> StorageResult<Option<ApiTokenPrincipal>>;
}

/// Groups with their grants and members (FR-014): what administrators manage.
#[async_trait]
pub trait GroupRepo: Send + Sync {
    /// Every group by name.
    async fn list_groups(&self, scope: &TenantScope) -> StorageResult<Vec<Group>>;
    async fn get_group(&self, scope: &TenantScope, id: GroupId) -> StorageResult<Option<Group>>;
    /// Members must be users of the tenant (`UnknownReference` on `member_ids` if not).
    async fn create_group(&self, scope: &TenantScope, details: GroupDetails) -> StorageResult<Group>;
    /// Replaces name, description, grants and members if `expected_version` is current.
    async fn update_group(
        &self,
        scope: &TenantScope,
        id: GroupId,
        expected_version: i64,
        details: GroupDetails,
    ) -> StorageResult<Group>;
    /// Deletes the group with its grants and memberships if `expected_version` is current.
    async fn delete_group(&self, scope: &TenantScope, id: GroupId, expected_version: i64) -> StorageResult<()>;
}

#[async_trait]
pub trait SessionRepo: Send + Sync {
    /// Starts a session (SEC-14). By the tenant's one-session policy it either ends every
    /// other live session of the user (reason `signed_in_elsewhere`) or, while one is live,
    /// refuses with `Conflict::SessionActiveElsewhere`.
    async fn start_session(&self, scope: &TenantScope, new: NewSession) -> StorageResult<Session>;
    /// Why the session with this token ended, if it did and is not yet past its expiry: what a
    /// browser holding an ended session is told.
    async fn session_end_reason(&self, token_hash: &[u8; 32]) -> StorageResult<Option<SessionEndReason>>;
    /// The tenant's live sessions (not ended, expired or idle), most recently active first.
    async fn live_sessions(
        &self,
        scope: &TenantScope,
        now: domain::Timestamp,
        idle_timeout_secs: i64,
    ) -> StorageResult<Vec<Session>>;
    /// Ends a live session of the tenant by id (`NotFound` if there is none). Audited.
    async fn end_session_by_id(
        &self,
        scope: &TenantScope,
        id: domain::SessionId,
        now: domain::Timestamp,
        reason: SessionEndReason,
    ) -> StorageResult<()>;
    /// The live session for this token hash, touching its last-seen time. A session past its
    /// absolute expiry, or idle for longer than `idle_timeout_secs`, is not returned. This is how a request becomes authenticated, so it has no tenant scope yet.
    async fn session_by_token(
        &self,
        token_hash: &[u8; 32],
        now: domain::Timestamp,
        idle_timeout_secs: i64,
    ) -> StorageResult<Option<Session>>;
    /// As `session_by_token`, with the session's tenant, user and the user's grants: what
    /// every authenticated request asks first, so a backend answers it in one round trip.
    /// `Activity::Passive` (a live-update stream reconnecting) does not count as use: the
    /// session still ends when the officer has been idle.
    async fn session_principal(
        &self,
        token_hash: &[u8; 32],
        now: domain::Timestamp,
        idle_timeout_secs: i64,
        activity: Activity,
    ) -> StorageResult<Option<SessionPrincipal>>;
    /// Ends this session (signed out). Audited.
    async fn end_session(&self, scope: &TenantScope, token_hash: &[u8; 32]) -> StorageResult<()>;
}

/// Per-tenant access settings.
#[async_trait]
pub trait AccessSettingsRepo: Send + Sync {
    /// The settings, or the defaults (version 0) if never changed.
    async fn access_settings(&self, scope: &TenantScope) -> StorageResult<AccessSettings>;
    /// Replaces the settings if `expected_version` is current. Audited.
    /// (`settings.version` is ignored: the stored one moves on by one.)
    async fn update_access_settings(
        &self,
        scope: &TenantScope,
        expected_version: i64,
        settings: AccessSettings,
    ) -> StorageResult<AccessSettings>;
}

#[async_trait]
pub trait AuditRepo: Send + Sync {
    /// Records an event that is not part of another write (e.g. a failed sign-in).
    async fn record(&self, scope: &TenantScope, event: AuditEvent) -> StorageResult<()>;
    /// The tenant's whole chain in sequence order, after linking every entry recorded so far.
    async fn audit_chain(&self, scope: &TenantScope) -> StorageResult<Vec<StoredAuditEntry>>;
    /// Entries recorded but not linked into the chain: only those changed behind the
    /// application's back (linking refuses them) or written since the chain was last read.
    async fn audit_unlinked(&self, scope: &TenantScope) -> StorageResult<Vec<PendingAuditEntry>>;
    /// Links every tenant's recorded entries into its chain (the sequencer's tick); how many.
    async fn link_audit(&self) -> StorageResult<u64>;
    /// Every entry about one record (e.g. `query`, its id), oldest first: its change history.
    async fn audit_of(
        &self,
        scope: &TenantScope,
        subject_kind: &str,
        subject_id: uuid::Uuid,
    ) -> StorageResult<Vec<StoredAuditEntry>>;
}

#[async_trait]
pub trait CustomerRepo: Send + Sync {
    async fn create_customer(&self, scope: &TenantScope, details: CustomerDetails) -> StorageResult<Customer>;
    /// A live (not deleted or merged) customer.
    async fn get_customer(&self, scope: &TenantScope, id: CustomerId) -> StorageResult<Option<Customer>>;
    /// The single customer view in one read (one transaction, one snapshot): the live customer,
    /// up to `queries` of their queries in received order (none asked when `None`) and up to
    /// `events` of their timeline. `None` when the customer is not live.
    async fn customer_overview(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        queries: Option<u32>,
        events: u32,
    ) -> StorageResult<Option<CustomerOverview>>;
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
    /// Merges `merged` into `survivor` if `expected_version` is `merged`'s current version: its
    /// queries (with their notes) and timeline move to the survivor, and it becomes a tombstone
    /// whose id leads to the survivor. Returns the survivor and how many queries moved.
    async fn merge_customer(
        &self,
        scope: &TenantScope,
        merged: CustomerId,
        expected_version: i64,
        survivor: CustomerId,
    ) -> StorageResult<(Customer, u64)>;
    /// Where a merged customer's id now leads (the record it was merged into), if it was merged.
    async fn merged_into(&self, scope: &TenantScope, id: CustomerId) -> StorageResult<Option<CustomerId>>;
    /// Live customers whose names, emails or postcode match every term, in id order.
    async fn search_customers(
        &self,
        scope: &TenantScope,
        terms: &SearchTerms,
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
    /// Logs a query with the next reference, in the start status of the current version of
    /// the workflow that applies to its type (its own, its nearest parent's, or the default).
    async fn create_query(&self, scope: &TenantScope, new: NewQuery) -> StorageResult<Query>;
    /// The query if it exists, is live and the scope's user may see it (restricted queries are
    /// visible only to members of their groups).
    async fn get_query(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Option<Query>>;
    /// The groups a visible query is restricted to (empty: not restricted), with the query.
    async fn query_restriction(&self, scope: &TenantScope, id: QueryId)
    -> StorageResult<Option<(Query, Vec<GroupId>)>>;
    /// Restricts the query to these groups (none: lifts the restriction) if `expected_version`
    /// is current; the query's version moves on. Groups must exist (`UnknownReference` on
    /// `group_ids`). Audited.
    async fn restrict_query(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        groups: Vec<GroupId>,
    ) -> StorageResult<(Query, Vec<GroupId>)>;
    /// Live queries matching the filter, in the sort's order (ties broken by id), after the
    /// cursor. No cap: any filter can be paged to its end.
    async fn list_queries(
        &self,
        scope: &TenantScope,
        filter: &QueryFilter,
        sort: QuerySort,
        after: Option<QueryCursor>,
        limit: u32,
    ) -> StorageResult<Vec<Query>>;
    /// Names for the customers, officers and teams a page of queries shows, in one read.
    async fn names(&self, scope: &TenantScope, wanted: &NamesWanted) -> StorageResult<Names>;
    /// How many live queries match the filter (for view counts).
    async fn count_queries(&self, scope: &TenantScope, filter: &QueryFilter) -> StorageResult<u64>;
    /// How many open queries of the team the scope may see each officer holds (`None`:
    /// unassigned); officers holding none are left out.
    async fn team_workload(&self, scope: &TenantScope, team: TeamId) -> StorageResult<Vec<(Option<UserId>, u64)>>;
    /// Corrects a query's details if `expected_version` is current (field-level audit).
    async fn update_query(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        edit: QueryEdit,
    ) -> StorageResult<Query>;
    /// Deletes a query if `expected_version` is current, leaving a tombstone (`deleted_at`) so
    /// incremental exports see the deletion.
    async fn delete_query(&self, scope: &TenantScope, id: QueryId, expected_version: i64) -> StorageResult<()>;
    /// Assigns the query to an officer and/or a team if `expected_version` is current; the
    /// officer (when it is not the actor) gets an in-app notification.
    async fn assign_query(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        assignment: Assignment,
    ) -> StorageResult<Query>;
    /// Adds a note or contact record to a live query, with its timeline event.
    async fn add_note(&self, scope: &TenantScope, query: QueryId, note: NewNote) -> StorageResult<Note>;
    /// The query's notes and contacts, oldest first.
    async fn list_notes(&self, scope: &TenantScope, query: QueryId) -> StorageResult<Vec<Note>>;
    /// Adds a live customer as a party to a live query in a role (`Conflict` if already so).
    async fn add_party(
        &self,
        scope: &TenantScope,
        query: QueryId,
        customer: CustomerId,
        role: PartyRole,
    ) -> StorageResult<Party>;
    /// Removes a party (NotFound if the query has no such party).
    async fn remove_party(
        &self,
        scope: &TenantScope,
        query: QueryId,
        customer: CustomerId,
        role: PartyRole,
    ) -> StorageResult<()>;
    /// The query's parties, in the order added.
    async fn list_parties(&self, scope: &TenantScope, query: QueryId) -> StorageResult<Vec<Party>>;
    /// Moves a query to another status if `expected_version` is current and the version of the
    /// workflow the query follows allows the move to someone holding `level` of the queries
    /// area, with the fields it requires (`Transition` otherwise). The history records the
    /// version and the fields. Moving to the status it is in changes nothing.
    async fn change_query_status(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        change: &StatusChange,
        level: Level,
    ) -> StorageResult<Query>;
    /// Every status the query has been in, oldest first.
    async fn status_history(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Vec<StatusTransition>>;
}

/// Statuses and workflows as administrators manage them (issue 15, item 1).
#[async_trait]
pub trait WorkflowRepo: Send + Sync {
    /// Adds a status at the end of the order (audited); `Conflict::StatusNameTaken`.
    async fn create_query_status(
        &self,
        scope: &TenantScope,
        name: &str,
        category: StatusCategory,
    ) -> StorageResult<QueryStatus>;
    /// Renames, moves in the order (`position`, 1-based; the others shift) or retires and
    /// restores a status at `expected_version` (audited). A status the current version of any
    /// workflow lists cannot be retired (`Conflict::StatusInUse`).
    async fn update_query_status(
        &self,
        scope: &TenantScope,
        id: StatusId,
        expected_version: i64,
        edit: StatusEdit,
    ) -> StorageResult<QueryStatus>;
    /// The default workflow first, then those of query types, each at its current version.
    async fn list_workflows(&self, scope: &TenantScope) -> StorageResult<Vec<Workflow>>;
    async fn get_workflow(&self, scope: &TenantScope, id: WorkflowId) -> StorageResult<Option<Workflow>>;
    /// A published version's definition.
    async fn workflow_version(&self, scope: &TenantScope, at: WorkflowRef) -> StorageResult<Option<Definition>>;
    /// Gives a query type a workflow of its own, at version 1 (audited);
    /// `Conflict::WorkflowTypeTaken` when it has one. The definition must be valid for the
    /// tenant's statuses (`Transition(Fields)` otherwise).
    async fn create_workflow(
        &self,
        scope: &TenantScope,
        type_id: QueryTypeId,
        definition: Definition,
    ) -> StorageResult<Workflow>;
    /// Publishes a new version of a workflow at `expected_version` (audited). Queries already
    /// logged keep the version they follow until moved with [`Self::move_query_workflow`].
    async fn publish_workflow(
        &self,
        scope: &TenantScope,
        id: WorkflowId,
        expected_version: i64,
        definition: Definition,
    ) -> StorageResult<Workflow>;
    /// Where a visible query stands in its workflow (see [`QueryWorkflow`]).
    async fn query_workflow(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Option<QueryWorkflow>>;
    /// Moves a query on purpose to the current version of the workflow that now applies to
    /// its type, if `expected_version` is current; its status stays unless `status` names one
    /// of the new version's (required when the old status is not in it). Recorded in the
    /// history and audited.
    async fn move_query_workflow(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        status: Option<StatusId>,
    ) -> StorageResult<Query>;
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
    /// Everything about one query, oldest first, up to `limit` events.
    async fn query_timeline(&self, scope: &TenantScope, query: QueryId, limit: u32) -> StorageResult<Vec<Event>>;
}

/// Documents against customers and queries (FR-012), and the tenant keys that wrap their keys.
/// Every call on a document first checks the caller sees the record it belongs to
/// (`NotFound` if not), so query restrictions and team limits reach documents too.
#[async_trait]
pub trait DocumentRepo: Send + Sync {
    /// The tenant's key of `version`, or its newest when `None`: (version, wrapped by the master key).
    async fn tenant_key(&self, scope: &TenantScope, version: Option<u32>) -> StorageResult<Option<(u32, Vec<u8>)>>;
    /// Adds the tenant's next key version (1 for the first) and returns it; when another process
    /// added that version first, returns the newest instead. Audited.
    async fn add_tenant_key(
        &self,
        scope: &TenantScope,
        version: u32,
        wrapped: Vec<u8>,
    ) -> StorageResult<(u32, Vec<u8>)>;
    /// Records documents already sealed, scanned and stored, all or none. Audited, and on the
    /// timelines of the record they belong to.
    async fn add_documents(
        &self,
        scope: &TenantScope,
        owner: Owner,
        new: Vec<NewDocument>,
    ) -> StorageResult<Vec<Document>>;
    /// The record's documents, oldest first, deleted ones left out.
    async fn documents_of(&self, scope: &TenantScope, owner: Owner) -> StorageResult<Vec<Document>>;
    async fn get_document(&self, scope: &TenantScope, id: DocumentId) -> StorageResult<Option<Document>>;
    async fn rename_document(
        &self,
        scope: &TenantScope,
        id: DocumentId,
        expected_version: i64,
        name: String,
    ) -> StorageResult<Document>;
    /// Destroys the document's key and marks it deleted with the reason; returns it as it was,
    /// so the caller can remove the blob. Audited, and on the timelines.
    async fn delete_document(
        &self,
        scope: &TenantScope,
        id: DocumentId,
        expected_version: i64,
        reason: String,
    ) -> StorageResult<Document>;
    /// Up to `limit` live documents whose keys are wrapped under a tenant key older than
    /// `version`: (id, the version that wraps it, the wrapped key), for rotation.
    async fn keys_older_than(
        &self,
        scope: &TenantScope,
        version: u32,
        limit: u32,
    ) -> StorageResult<Vec<(DocumentId, u32, Vec<u8>)>>;
    /// Replaces documents' wrapped keys with the same keys wrapped under tenant key `version`:
    /// (id, the version it was read under, the new wrapped key). A document changed meanwhile
    /// (deleted, or rewrapped by another rotation) is left alone. How many were rewrapped;
    /// audited once for them all.
    async fn rewrap_keys(
        &self,
        scope: &TenantScope,
        version: u32,
        keys: Vec<(DocumentId, u32, Vec<u8>)>,
    ) -> StorageResult<u64>;
    /// Up to `limit` stored, clean documents last checked before `scanned_before`, oldest check
    /// first, from after `after` (the last one a run has seen). For the scheduled rescan.
    async fn documents_to_rescan(
        &self,
        scope: &TenantScope,
        scanned_before: Timestamp,
        after: Option<(Timestamp, DocumentId)>,
        limit: u32,
    ) -> StorageResult<Vec<Document>>;
    /// Records a rescan of a document: clean, its check time moves on; infected (`found` is the
    /// signature), it is quarantined, audited, put on its record's timelines and the tenant's
    /// administrators notified, all at once. Returns who was notified. A document deleted or
    /// quarantined meanwhile is left alone.
    async fn record_rescan(
        &self,
        scope: &TenantScope,
        id: DocumentId,
        scanned_at: Timestamp,
        found: Option<String>,
    ) -> StorageResult<Vec<UserId>>;
    /// Audits an upload the virus scanner rejected (nothing else is kept).
    async fn record_rejected_upload(
        &self,
        scope: &TenantScope,
        owner: Owner,
        name: &str,
        signature: &str,
    ) -> StorageResult<()>;
}

/// Searchable letters (issue 16, item 6): documents' words, kept only as keyed terms.
#[async_trait]
pub trait DocumentTextRepo: Send + Sync {
    /// Replaces the document's terms with `terms`, made under tenant key `key_version`, when it
    /// is still stored and clean; false, keeping nothing, when it was deleted or quarantined
    /// meanwhile (its text must not outlive its key).
    async fn record_document_terms(
        &self,
        scope: &TenantScope,
        id: DocumentId,
        key_version: u32,
        terms: Vec<Vec<u8>>,
    ) -> StorageResult<bool>;
    /// Stored, clean documents holding every word searched for, that the scope's viewer may
    /// see (a query's restrictions and team limits apply; merged and deleted records' are left
    /// out), newest first (by id, which is time-ordered).
    async fn find_in_documents(&self, scope: &TenantScope, search: &TextSearch) -> StorageResult<Vec<TextMatch>>;
}

/// Teams and the query-type taxonomy: tenant data administrators manage.
#[async_trait]
pub trait TeamRepo: Send + Sync {
    /// Every team by name, with members.
    async fn list_teams(&self, scope: &TenantScope) -> StorageResult<Vec<Team>>;
    async fn get_team(&self, scope: &TenantScope, id: TeamId) -> StorageResult<Option<Team>>;
    /// Members must be users of the tenant (`UnknownReference { field: "member_ids" }`).
    async fn create_team(&self, scope: &TenantScope, details: TeamDetails) -> StorageResult<Team>;
    async fn update_team(
        &self,
        scope: &TenantScope,
        id: TeamId,
        expected_version: i64,
        details: TeamDetails,
    ) -> StorageResult<Team>;
    /// Types then their sub-types, by name.
    async fn list_query_types(&self, scope: &TenantScope) -> StorageResult<Vec<QueryType>>;
    /// A parent must be an existing top-level type (two levels only).
    async fn create_query_type(&self, scope: &TenantScope, new: NewQueryType) -> StorageResult<QueryType>;
    async fn update_query_type(
        &self,
        scope: &TenantScope,
        id: QueryTypeId,
        expected_version: i64,
        name: String,
        active: bool,
    ) -> StorageResult<QueryType>;
}

/// Saved work-queue views (FR-008).
#[async_trait]
pub trait ViewRepo: Send + Sync {
    /// Saves a view owned by the scope's user; a shared view's team must exist.
    async fn create_view(&self, scope: &TenantScope, owner: UserId, details: ViewDetails) -> StorageResult<SavedView>;
    /// Views the user owns and views shared with their teams, by name.
    async fn views_for(&self, scope: &TenantScope, user: UserId) -> StorageResult<Vec<SavedView>>;
    /// Replaces the owner's view if `expected_version` is current (NotFound for anyone else).
    async fn update_view(
        &self,
        scope: &TenantScope,
        owner: UserId,
        id: ViewId,
        expected_version: i64,
        details: ViewDetails,
    ) -> StorageResult<SavedView>;
    /// Deletes the owner's view if `expected_version` is current.
    async fn delete_view(
        &self,
        scope: &TenantScope,
        owner: UserId,
        id: ViewId,
        expected_version: i64,
    ) -> StorageResult<()>;
    /// Notes that `user` opened `subject` now; only their [`RECENTLY_VIEWED_KEPT`] latest are kept.
    async fn record_visit(&self, scope: &TenantScope, user: UserId, subject: Subject) -> StorageResult<()>;
    /// The records `user` opened last, newest first, at most `limit`.
    async fn recent_visits(
        &self,
        scope: &TenantScope,
        user: UserId,
        limit: u32,
    ) -> StorageResult<Vec<(Subject, Timestamp)>>;
}

/// How many recently opened records are kept per user.
pub const RECENTLY_VIEWED_KEPT: u32 = 20;

/// Business calendars and the tenant's bank holidays (issue 15). Built-in calendars are not
/// stored: callers add `domain::calendar::NamedCalendar::built_in()`.
#[async_trait]
pub trait CalendarRepo: Send + Sync {
    /// The calendars named (built in or the tenant's), built with the bank holidays in force,
    /// for counting business time; an id the tenant has no calendar by is left out.
    async fn calendars_in_force(
        &self,
        scope: &TenantScope,
        ids: &[CalendarId],
    ) -> StorageResult<std::collections::HashMap<CalendarId, domain::calendar::Calendar>>;
    /// The tenant's own calendars, by name.
    async fn list_calendars(&self, scope: &TenantScope) -> StorageResult<Vec<NamedCalendar>>;
    async fn get_calendar(&self, scope: &TenantScope, id: CalendarId) -> StorageResult<Option<NamedCalendar>>;
    /// Keeps a checked definition; the name must be unique in the tenant.
    async fn create_calendar(
        &self,
        scope: &TenantScope,
        definition: CalendarDefinition,
    ) -> StorageResult<NamedCalendar>;
    /// Replaces it if `expected_version` is current.
    async fn update_calendar(
        &self,
        scope: &TenantScope,
        id: CalendarId,
        expected_version: i64,
        definition: CalendarDefinition,
    ) -> StorageResult<NamedCalendar>;
    /// The tenant's uploaded bank-holidays file and its version, if there is one.
    async fn bank_holiday_file(&self, scope: &TenantScope) -> StorageResult<Option<(String, i64, Timestamp)>>;
    /// Keeps an uploaded file (already parsed and checked), replacing the one at
    /// `expected_version` (`None`: there is none yet).
    async fn set_bank_holiday_file(
        &self,
        scope: &TenantScope,
        content: String,
        expected_version: Option<i64>,
    ) -> StorageResult<i64>;
}

/// In-app notifications (FR-007, FR-010).
#[async_trait]
pub trait NotificationRepo: Send + Sync {
    /// Sends a notification from the scope's actor; the recipient must be a user of the tenant.
    async fn notify(&self, scope: &TenantScope, new: NewNotification) -> StorageResult<Notification>;
    /// The recipient's notifications, newest first, before the cursor.
    async fn notifications_of(
        &self,
        scope: &TenantScope,
        recipient: UserId,
        before: Option<NotificationId>,
        limit: u32,
    ) -> StorageResult<Vec<Notification>>;
    async fn unread_count(&self, scope: &TenantScope, recipient: UserId) -> StorageResult<u64>;
    /// Marks one of the recipient's notifications read (NotFound if it is not theirs).
    async fn mark_read(&self, scope: &TenantScope, recipient: UserId, id: NotificationId) -> StorageResult<()>;
    /// Marks every unread notification of the recipient read; how many there were.
    async fn mark_all_read(&self, scope: &TenantScope, recipient: UserId) -> StorageResult<u64>;
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
    /// Forgets the tenant's keys reserved before `before` (housekeeping); how many.
    async fn purge_idempotency_keys(&self, scope: &TenantScope, before: Timestamp) -> StorageResult<u64>;
}

/// Operations on the database as a whole.
#[async_trait]
pub trait Maintenance: Send + Sync {
    /// Which backend this is, for logs.
    fn backend_name(&self) -> &'static str;
    /// Reachable, and every migration this build knows has been applied.
    async fn readiness(&self) -> StorageResult<Readiness>;
    /// Closes every connection and waits until each is closed; nothing can be read or written
    /// afterwards. Called before the process exits, so that no connection is still closing
    /// while the process tears down: SQLCipher frees its OpenSSL state as a connection
    /// closes, and a close racing OpenSSL's own clean-up at exit crashed the process.
    async fn close(&self);
}

/// Entra ID: configuration, mappings, sign-ins under way and the users they sign in.
#[async_trait]
pub trait EntraRepo: Send + Sync {
    /// The tenant an Entra directory (`tid`) belongs to, looked up before anyone is signed in.
    async fn tenant_by_entra_directory(&self, directory_id: &EntraObjectId) -> StorageResult<Option<Tenant>>;
    /// The tenant's configuration, if it has one.
    async fn entra_settings(&self, scope: &TenantScope) -> StorageResult<Option<EntraSettings>>;
    /// Replaces the configuration if `expected_version` is current (0 for the first). A directory
    /// another tenant uses is a conflict (`entra_directory_taken`); a first configuration
    /// without a client secret is invalid. Audited without the secret.
    async fn update_entra_settings(
        &self,
        scope: &TenantScope,
        expected_version: i64,
        change: EntraSettingsChange,
    ) -> StorageResult<EntraSettings>;
    async fn entra_mappings(&self, scope: &TenantScope) -> StorageResult<Vec<EntraMapping>>;
    /// Adds a mapping to an existing group; the same mapping twice is a conflict. Audited.
    async fn add_entra_mapping(
        &self,
        scope: &TenantScope,
        claim: ClaimKind,
        value: String,
        group_id: GroupId,
    ) -> StorageResult<EntraMapping>;
    /// Removes a mapping (memberships it gave go at each person's next sign-in). Audited.
    async fn remove_entra_mapping(&self, scope: &TenantScope, id: EntraMappingId) -> StorageResult<()>;
    /// Finds the person's user by `(tid, oid)`; failing that links the user with their email
    /// (once) or creates one; keeps name and email current; and replaces the memberships that
    /// came from mappings with the ones the person's groups and roles now confer. One
    /// transaction; each change audited. A disabled user is returned as such, unchanged.
    async fn entra_sign_in(&self, scope: &TenantScope, person: &EntraPerson) -> StorageResult<User>;
    /// Records a sign-in sent to Entra ID, until the browser comes back.
    async fn begin_entra_sign_in(&self, pending: PendingEntraSignIn) -> StorageResult<()>;
    /// Takes (and deletes) the sign-in with this state, if it started after `not_before`; older
    /// ones are purged on the way.
    async fn take_entra_sign_in(
        &self,
        state_hash: &[u8; 32],
        not_before: Timestamp,
    ) -> StorageResult<Option<PendingEntraSignIn>>;
}

/// What request handlers are given: every repository, and nothing that acts on the database as
/// a whole (bulk seeding, migrations and readiness stay with the commands that need them).
pub trait Store:
    TenantRepo
    + UserRepo
    + EntraRepo
    + GroupRepo
    + AccessSettingsRepo
    + ApiTokenRepo
    + SessionRepo
    + AuditRepo
    + CustomerRepo
    + QueryRepo
    + WorkflowRepo
    + DocumentRepo
    + DocumentTextRepo
    + TimelineRepo
    + TeamRepo
    + NotificationRepo
    + ViewRepo
    + CalendarRepo
    + SlaRepo
    + SlaAlertRepo
    + JobRepo
    + IdempotencyRepo
{
}

impl<T> Store for T where
    T: TenantRepo
        + UserRepo
        + EntraRepo
        + GroupRepo
        + AccessSettingsRepo
        + ApiTokenRepo
        + SessionRepo
        + AuditRepo
        + CustomerRepo
        + QueryRepo
        + WorkflowRepo
        + DocumentRepo
        + DocumentTextRepo
        + TimelineRepo
        + TeamRepo
        + NotificationRepo
        + ViewRepo
        + CalendarRepo
        + SlaRepo
        + SlaAlertRepo
        + JobRepo
        + IdempotencyRepo
{
}

/// Service-level policies and the clocks they keep on queries (issue 15).
#[async_trait]
pub trait SlaRepo: Send + Sync {
    /// The tenant's policies in the order they are tried.
    async fn list_sla_policies(&self, scope: &TenantScope) -> StorageResult<Vec<SlaPolicy>>;
    async fn get_sla_policy(&self, scope: &TenantScope, id: SlaPolicyId) -> StorageResult<Option<SlaPolicy>>;
    /// Adds a policy, tried after the others (audited). The calendars and query types it names
    /// must be the tenant's (`UnknownReference`); a name in use is `Conflict::SlaPolicyNameTaken`.
    async fn create_sla_policy(&self, scope: &TenantScope, definition: PolicyDefinition) -> StorageResult<SlaPolicy>;
    /// Replaces a policy at `expected_version`. Queries already timed by it keep their clocks.
    async fn update_sla_policy(
        &self,
        scope: &TenantScope,
        id: SlaPolicyId,
        expected_version: i64,
        definition: PolicyDefinition,
    ) -> StorageResult<SlaPolicy>;
    /// Sets the order policies are tried in: those `ids` names first, in that order, then the
    /// rest as they were. Each id once, and the tenant's (`UnknownReference { field: "ids" }`).
    async fn order_sla_policies(&self, scope: &TenantScope, ids: &[SlaPolicyId]) -> StorageResult<Vec<SlaPolicy>>;
    /// A query's clocks, first response first.
    async fn query_clocks(&self, scope: &TenantScope, query: QueryId) -> StorageResult<Vec<Clock>>;
    /// Times again, from their history under the policy that applies now, up to `limit` open
    /// queries whose clocks were started by an earlier version of `policy`, each in its own
    /// transaction; how many. Re-timed queries carry the current version (or another policy),
    /// so repeating the call goes on where the last stopped and ends at 0.
    async fn retime_open_queries(&self, scope: &TenantScope, policy: SlaPolicyId, limit: u32) -> StorageResult<u32>;
    /// An administrator's request to re-time the open queries of `policy`'s earlier versions:
    /// audited, and queued as a job of kind [`RETIME_JOB`] keyed by the policy's version (so
    /// asking twice queues it once). The policy, and whether a job was added.
    async fn request_retime(&self, scope: &TenantScope, policy: SlaPolicyId) -> StorageResult<(SlaPolicy, bool)>;
}

/// The job that re-times a policy's open queries; its payload names the policy.
pub const RETIME_JOB: &str = "sla.retime";

/// What one sweep of due alerts did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AlertsSent {
    /// Alerts delivered (each once, to however many people).
    pub alerts: u64,
    /// Who was notified, each once: their open pages are told.
    pub recipients: Vec<UserId>,
    /// Whether the sweep stopped at its limit (more may be due).
    pub more: bool,
}

/// Service-level alerts and digests (issue 15, item 5), each delivered exactly once.
#[async_trait]
pub trait SlaAlertRepo: Send + Sync {
    /// Sends the alerts due by `now` for up to `limit` clocks, soonest first: "due soon" and
    /// "overdue" to the query's officer (its team's members when it has none), a breach
    /// recorded on the clock and the timeline. Clocks a request holds are left for next time.
    async fn send_due_alerts(&self, scope: &TenantScope, now: Timestamp, limit: u32) -> StorageResult<AlertsSent>;
    /// Tells each team's leaders how many of the team's open queries are overdue, once per
    /// team and `day` (teams with none are not told); who was told.
    async fn send_overdue_digests(&self, scope: &TenantScope, day: &str, now: Timestamp) -> StorageResult<Vec<UserId>>;
}

/// The scheduler's table (issue 15, item 9). Claims are made by a process for itself (its
/// `owner` name) before any tenant is known; what an administrator sees is their tenant's.
#[async_trait]
pub trait JobRepo: Send + Sync {
    /// Adds a job unless one of the same kind and key exists (in any state); whether it did.
    async fn enqueue_job(&self, new: NewJob) -> StorageResult<bool>;

    /// Claims up to `limit` jobs of `kinds` due by `now`, soonest first: pending ones, and
    /// running ones whose lease has lapsed (their process stopped mid-job). Each attempt is
    /// counted; a job whose lapsed attempt was its last is marked failed instead of claimed.
    /// Rows another process is claiming are skipped, not waited for. Only the kinds the
    /// process can run, so that during a rolling upgrade an older process leaves a newer
    /// kind to the processes that know it.
    async fn claim_jobs(
        &self,
        owner: &str,
        kinds: &[&str],
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StorageResult<Vec<Job>>;

    /// Records how `owner`'s run of a job ended. False, changing nothing, when `owner` no
    /// longer holds the lease (it lapsed and another process took the job over).
    async fn finish_job(&self, id: JobId, owner: &str, outcome: JobOutcome, now: Timestamp) -> StorageResult<bool>;

    /// The tenant's jobs, most recently changed first, in one state or all.
    async fn tenant_jobs(&self, scope: &TenantScope, state: Option<JobState>, limit: u32) -> StorageResult<Vec<Job>>;

    /// Puts one of the tenant's failed jobs back to pending, due now, with its attempts reset
    /// (audited). `Conflict::JobNotFailed` for a job in any other state.
    async fn retry_job(&self, scope: &TenantScope, id: JobId) -> StorageResult<Job>;

    /// Deletes jobs that finished (done) before `before` (housekeeping); how many.
    async fn purge_finished_jobs(&self, before: Timestamp) -> StorageResult<u64>;
}

/// A whole database: the repositories, bulk seeding and maintenance. The application's
/// commands hold one; the server is handed it as a [`Store`] for its handlers and as
/// [`Maintenance`] for its readiness check.
pub trait Database: Store + Seeder + Maintenance {}

impl<T> Database for T where T: Store + Seeder + Maintenance {}
