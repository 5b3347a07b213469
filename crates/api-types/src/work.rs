//! Working queries: teams, query types, notes and contacts, notifications, shares and views.

use crate::queries::QueryChannel;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: Uuid,
    pub name: String,
    /// User ids, in the order given.
    pub member_ids: Vec<Uuid>,
    /// The members who lead the team (their Home shows its workload).
    pub leader_ids: Vec<Uuid>,
    /// Sent as the `ETag`; send it back in `If-Match` to change the team.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamList {
    pub items: Vec<Team>,
}

/// A team's name and members, to create it or replace them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamInput {
    /// 1 to 100 characters, unique in the tenant whatever the case.
    pub name: String,
    #[serde(default)]
    pub member_ids: Vec<Uuid>,
    /// Members who lead the team; each must also be in `member_ids`.
    #[serde(default)]
    pub leader_ids: Vec<Uuid>,
}

/// A type (no parent) or sub-type of query, from the tenant's taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryType {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    /// Retired types stay on old queries but cannot be chosen for new ones.
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryTypeList {
    /// Types first, then sub-types, each by name.
    pub items: Vec<QueryType>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateQueryTypeRequest {
    pub name: String,
    /// A top-level type, to make a sub-type of it.
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateQueryTypeRequest {
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// For colleagues only.
    Note,
    /// A record of a call, letter, visit or email with the customer.
    Contact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactDirection {
    Inbound,
    Outbound,
}

/// A note, or a contact (which also needs `direction` and `channel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateNoteRequest {
    pub kind: NoteKind,
    pub body: String,
    #[serde(default)]
    pub direction: Option<ContactDirection>,
    #[serde(default)]
    pub channel: Option<QueryChannel>,
    /// When the contact happened; never in the future; default now.
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    pub id: Uuid,
    pub query_id: Uuid,
    pub kind: NoteKind,
    pub body: String,
    pub direction: Option<ContactDirection>,
    pub channel: Option<QueryChannel>,
    pub occurred_at: DateTime<Utc>,
    pub author_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteList {
    /// Oldest first.
    pub items: Vec<Note>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    Assigned,
    Shared,
    /// A service-level clock of the query reached its due-soon point (`message` says which
    /// and when it is due).
    DueSoon,
    /// A service-level clock of the query passed its due time.
    Overdue,
    /// A breach escalated the query to the recipient's team.
    Escalated,
    /// The day's count of overdue queries of a team the recipient leads (`subject_kind` team).
    Digest,
    /// For administrators: a rescan against newer virus signatures found one in a document of
    /// the subject, which is now quarantined (`message` names the signature and the document).
    DocumentQuarantined,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Query,
    Customer,
    /// A team's work (a leader's digest); never shared or recently viewed.
    Team,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    /// The stable deep link in the app, e.g. `/queries/{id}`.
    pub link: String,
    pub message: Option<String>,
    pub sender_id: Option<Uuid>,
    /// What it is about, in words: "Q-000123 Missed bin collection" or the customer's name.
    /// Absent when the recipient may no longer see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_title: Option<String>,
    /// Who sent it, by name (absent when the application did).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    /// Newest first.
    pub items: Vec<Notification>,
    pub unread: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// What can be shared: a record a colleague can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SharedKind {
    Query,
    Customer,
}

/// Tells a colleague about a customer or query, with an optional message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareRequest {
    pub recipient_id: Uuid,
    pub subject_kind: SharedKind,
    pub subject_id: Uuid,
    #[serde(default)]
    pub message: Option<String>,
}

/// A work-queue view — built in, or saved by an officer — and how many queries it holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct View {
    /// Built-in views have stable names (`my-queries`, `unassigned`, `my-team-{team id}`,
    /// `received-today`); saved views their uuid.
    pub id: String,
    pub name: String,
    /// The `/api/v1/queries` (and work-queue page) query string that shows it.
    pub filter: String,
    pub count: u64,
    /// Present for saved views.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<SavedViewDetails>,
}

/// What an officer saved with a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedViewDetails {
    pub owner_id: Uuid,
    /// Shared with this team's members; personal when absent.
    pub team_id: Option<Uuid>,
    pub columns: Vec<String>,
    pub sort: String,
    /// Sent as the `ETag`; send it back in `If-Match` to change or delete the view.
    pub version: i64,
}

/// A view to save: a name, the list's query string, columns and sort, and optionally a team
/// to share it with. `assignee=me` in a shared view means each member's own queries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ViewInput {
    pub name: String,
    /// e.g. `open=true&channel=post&assignee=me`.
    pub filter: String,
    /// From: reference, subject, customer, channel, status, priority, type, assignee, team,
    /// received_at, updated_at.
    pub columns: Vec<String>,
    /// One of the list's sorts, e.g. `-updated_at`.
    pub sort: String,
    #[serde(default)]
    pub team_id: Option<Uuid>,
}

/// A further party to a query: a customer acting in a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Representative,
    Mp,
    Councillor,
    Solicitor,
    Advocate,
    Family,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyInput {
    pub customer_id: Uuid,
    pub role: PartyRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Party {
    pub customer_id: Uuid,
    pub role: PartyRole,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyList {
    pub items: Vec<Party>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ViewList {
    pub items: Vec<View>,
}

/// A query's corrected details (a full replacement; assignment and status have their own
/// operations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateQueryRequest {
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    pub channel: QueryChannel,
    pub priority: crate::queries::QueryPriority,
    pub subject: String,
    #[serde(default)]
    pub description: String,
    /// Never in the future.
    pub received_at: DateTime<Utc>,
    #[serde(default)]
    pub type_id: Option<Uuid>,
}

/// Merges the customer in the path into the survivor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeRequest {
    pub survivor_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeResult {
    pub survivor: crate::customers::Customer,
    /// How many queries moved to the survivor.
    pub moved_queries: u64,
}

/// One change to a record, from the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// e.g. `query.created`, `query.updated`, `query.assigned`, `customer.merged`.
    pub action: String,
    /// Absent when the application itself acted.
    pub actor_id: Option<Uuid>,
    /// The fields as they were, for changes (absent once erased).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    /// The fields as they became.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct History {
    /// Oldest first.
    pub items: Vec<HistoryEntry>,
    /// The people, teams and customers the entries mention (actors, and ids in the fields
    /// before and after), by id: those the caller may see.
    #[serde(default)]
    pub names: std::collections::BTreeMap<Uuid, String>,
}

/// A record the signed-in user opened lately (Home's "Recently viewed").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentRecord {
    pub kind: SubjectKind,
    pub id: Uuid,
    /// The stable deep link in the app, e.g. `/queries/{id}`.
    pub link: String,
    /// What it is, in words: "Q-000123 Missed bin collection" or the customer's name.
    pub title: String,
    pub viewed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentList {
    /// Newest first; records the user may no longer see are left out.
    pub items: Vec<RecentRecord>,
}

/// How a team's open queries are spread among officers (a team leader's Home).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamWorkload {
    pub team_id: Uuid,
    /// Open queries of the team the caller may see.
    pub open: u64,
    /// Of those, the ones no officer holds.
    pub unassigned: u64,
    /// Every member (holding none too), and anyone else holding the team's queries; most
    /// loaded first.
    pub officers: Vec<OfficerLoad>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficerLoad {
    pub user_id: Uuid,
    pub name: String,
    /// Whether they are a member of the team.
    pub member: bool,
    pub open: u64,
}
