//! Inputs and records that belong to storage rather than to the domain.

use domain::{
    GroupId, Timestamp, UserId,
    tenant::{TenantName, TenantSlug},
    user::{DisplayName, EmailAddress},
};

/// A new tenant and its first administrator.
#[derive(Debug, Clone)]
pub struct NewTenant {
    pub slug: TenantSlug,
    pub name: TenantName,
    pub admin_email: EmailAddress,
    pub admin_name: DisplayName,
    /// An argon2id PHC string; never the password itself.
    pub admin_password_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: EmailAddress,
    pub display_name: DisplayName,
    /// An argon2id PHC string for a local identity, if the user may sign in with a password.
    pub password_hash: Option<String>,
    pub group_ids: Vec<GroupId>,
    /// May sign in with the password even when the tenant limits password sign-in.
    pub break_glass: bool,
}

/// A local identity as needed to check a password.
#[derive(Debug, Clone)]
pub struct LocalCredential {
    pub user_id: UserId,
    pub password_hash: String,
    /// While in the future, passwords from the source asked about are not even checked
    /// (throttled or locked out for that source).
    pub locked_until: Option<Timestamp>,
    pub break_glass: bool,
}

/// An administrator's change to a user: what they are called, whether they may sign in, and
/// the groups they belong to (their permissions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserChanges {
    pub display_name: DisplayName,
    pub status: domain::user::UserStatus,
    pub group_ids: Vec<GroupId>,
    /// Marks or unmarks the user's local identity as break-glass; `None` leaves it.
    pub break_glass: Option<bool>,
}

/// The names of the groups every tenant starts with.
pub mod builtin_groups {
    /// Full access to every area.
    pub const ADMINISTRATORS: &str = "Administrators";
    /// Day-to-day case work: read-write on case data, read on reports.
    pub const OFFICERS: &str = "Customer officers";

    use domain::{Area, Grant, Level};

    /// Every built-in group with its description and grants.
    pub fn all() -> Vec<(&'static str, &'static str, Vec<Grant>)> {
        let grant = |area, level| Grant { area, level, own_teams: false };
        vec![
            (
                ADMINISTRATORS,
                "Full access to every area, including administration",
                Area::ALL.map(|area| grant(area, Level::Full)).to_vec(),
            ),
            (
                OFFICERS,
                "Record and work customer queries; read reports",
                vec![
                    grant(Area::Customers, Level::ReadWrite),
                    grant(Area::Queries, Level::ReadWrite),
                    grant(Area::Documents, Level::ReadWrite),
                    grant(Area::Correspondence, Level::ReadWrite),
                    grant(Area::Feedback, Level::ReadWrite),
                    grant(Area::Reports, Level::Read),
                ],
            ),
        ]
    }
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub user_id: UserId,
    /// SHA-256 of the random token in the cookie; the token itself is never stored.
    pub token_hash: [u8; 32],
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// Where the sign-in came from, for administrators and the audit trail.
    pub from_address: Option<String>,
    /// Under the `refuse` one-session policy, another session idle for longer than this no
    /// longer counts as live.
    pub idle_timeout_secs: i64,
    /// The sign-in source (`SignInSource::key`) whose count of wrong passwords this sign-in
    /// clears, for a sign-in with a password.
    pub clears_failures_from: Option<String>,
}

/// How stale a session's last-seen time may get before a request refreshes it. Writing it on
/// every request would make concurrent requests of one user queue on the same row; idle
/// expiry is accurate to this many seconds instead.
pub const SESSION_TOUCH_SECS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: domain::SessionId,
    pub tenant_id: domain::TenantId,
    pub user_id: UserId,
    pub from_address: Option<String>,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Whether a request counts as the user's activity, keeping their session from idling out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    Active,
    Passive,
}

/// A live session with everything a request needs to act on it: found in one step because it
/// is the first question of every authenticated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPrincipal {
    pub session: Session,
    pub tenant: domain::tenant::Tenant,
    /// The user whatever their status: whether a disabled user may act is the caller's rule.
    pub user: domain::user::User,
    pub grants: Vec<domain::permission::Grant>,
}

/// A token about to be stored: only the hash of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiToken {
    pub user_id: UserId,
    pub name: String,
    pub scopes: Vec<domain::Grant>,
    pub token_hash: [u8; 32],
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A live API token with its tenant, owner and the owner's grants: what a bearer request asks
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenPrincipal {
    pub token: domain::api_token::ApiToken,
    pub tenant: domain::tenant::Tenant,
    /// The owner whatever their status: a disabled owner's token is refused by the caller.
    pub user: domain::user::User,
    pub grants: Vec<domain::permission::Grant>,
}

/// The single customer view read at once: the customer, the first of their queries in
/// received order, and the start of their timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerOverview {
    pub customer: domain::customer::Customer,
    /// `None` when the caller did not ask for queries (they may not see them).
    pub queries: Option<Vec<domain::query::Query>>,
    pub events: Vec<domain::event::Event>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub applied_migrations: i64,
    pub known_migrations: i64,
}

impl Readiness {
    pub fn is_current(&self) -> bool {
        self.applied_migrations == self.known_migrations
    }
}

/// A finished response, kept so that a retried create can be answered identically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub etag: Option<String>,
}

/// What to do with a create that carries an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyStart {
    /// The key is new and now reserved: do the work, then complete or abandon it.
    Proceed,
    /// The same request finished before: answer with its response.
    Replay(StoredResponse),
    /// The key was used for a different request (or by someone else).
    Mismatch,
    /// The same key is being processed right now.
    InProgress,
}

/// How long an unfinished reservation blocks its key; after that a retry may take it over
/// (the first attempt is presumed dead).
pub const IDEMPOTENCY_RESERVATION_SECS: i64 = 60;

/// An Entra sign-in sent to the directory, kept until the browser comes back with its `state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEntraSignIn {
    /// SHA-256 of the `state` (the state itself is in the browser's cookie and Entra's redirect).
    pub state_hash: [u8; 32],
    pub tenant_id: domain::TenantId,
    pub nonce: String,
    pub pkce_verifier: String,
    /// A path in this app to open after signing in.
    pub return_to: String,
    pub created_at: Timestamp,
}

/// The records a page names instead of showing their ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamesWanted {
    /// Queries by reference and subject, those the scope's viewer may see.
    pub queries: Vec<domain::QueryId>,
    pub customers: Vec<domain::CustomerId>,
    pub users: Vec<UserId>,
    pub teams: Vec<domain::TeamId>,
}

impl NamesWanted {
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty() && self.customers.is_empty() && self.users.is_empty() && self.teams.is_empty()
    }

    /// Each id once, so a page of fifty queries with one team asks for one team.
    pub fn dedup(mut self) -> Self {
        self.queries.sort();
        self.queries.dedup();
        self.customers.sort();
        self.customers.dedup();
        self.users.sort();
        self.users.dedup();
        self.teams.sort();
        self.teams.dedup();
        self
    }
}

/// Names found for [`NamesWanted`]: live customers by display name, users and teams by name.
/// An id missing from its map has no name to show (a deleted or merged customer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub queries: std::collections::HashMap<domain::QueryId, QueryTitle>,
    pub customers: std::collections::HashMap<domain::CustomerId, String>,
    pub users: std::collections::HashMap<UserId, String>,
    pub teams: std::collections::HashMap<domain::TeamId, String>,
}

/// What a query is called where it is named: its reference and subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTitle {
    pub reference: domain::query::QueryReference,
    pub subject: String,
}
