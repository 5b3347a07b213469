//! Customer queries (cases) and their statuses.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How the query reached the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueryChannel {
    Email,
    Phone,
    Post,
    DespatchBox,
    InPerson,
    WebForm,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueryPriority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

/// What a status means, whatever the tenant calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatusCategory {
    New,
    Open,
    Waiting,
    Resolved,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryStatus {
    pub id: Uuid,
    pub name: String,
    pub category: StatusCategory,
    /// New queries start here.
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryStatusList {
    pub items: Vec<QueryStatus>,
}

/// A query to log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateQueryRequest {
    /// Absent for an anonymous contact.
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    pub channel: QueryChannel,
    #[serde(default)]
    pub priority: QueryPriority,
    /// A one-line summary, up to 200 characters.
    pub subject: String,
    #[serde(default)]
    pub description: String,
    /// When it reached us (e.g. the date on a letter); never in the future; default now.
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    /// An active query type or sub-type.
    #[serde(default)]
    pub type_id: Option<Uuid>,
    /// Assign it at once to this officer.
    #[serde(default)]
    pub assignee_id: Option<Uuid>,
    /// Assign it at once to this team.
    #[serde(default)]
    pub team_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Query {
    pub id: Uuid,
    /// The human reference, e.g. `Q-000123`: unique and increasing per tenant.
    pub reference: String,
    pub customer_id: Option<Uuid>,
    pub channel: QueryChannel,
    pub priority: QueryPriority,
    pub status: QueryStatus,
    pub subject: String,
    pub description: String,
    pub received_at: DateTime<Utc>,
    pub type_id: Option<Uuid>,
    /// The officer working it, if any.
    pub assignee_id: Option<Uuid>,
    /// The team it is with, if any.
    pub team_id: Option<Uuid>,
    /// Not yet resolved or closed.
    pub is_open: bool,
    /// Sent as the `ETag`; send it back in `If-Match` to change the query.
    pub version: i64,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeStatusRequest {
    pub status_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub seq: i32,
    /// Absent for the status the query was logged in.
    pub from_status_id: Option<Uuid>,
    pub to_status_id: Uuid,
    pub at: DateTime<Utc>,
    /// Absent when the application itself made the change.
    pub actor_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusHistory {
    pub items: Vec<StatusChange>,
}

/// Who works a query: an officer, a team, both, or neither (unassigned).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignRequest {
    #[serde(default)]
    pub assignee_id: Option<Uuid>,
    #[serde(default)]
    pub team_id: Option<Uuid>,
}

/// One page of queries in the list's sort order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryPage {
    pub items: Vec<Query>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Who may see a query: nobody but members of these groups, when there are any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryRestriction {
    /// Empty: not restricted.
    pub group_ids: Vec<Uuid>,
    /// The same groups with their names, by name.
    pub groups: Vec<GroupRef>,
    /// Groups the caller could restrict the query to: those they belong to, by name.
    pub choices: Vec<GroupRef>,
    /// The query's version (also the `ETag`): restricting changes the query.
    pub version: i64,
}

/// A group by id and name, for people who may not list groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRef {
    pub id: Uuid,
    pub name: String,
}

/// Restricts a query to these groups; an empty list lifts the restriction. Replace with
/// `If-Match` (the query's ETag).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestrictionRequest {
    pub group_ids: Vec<Uuid>,
}
