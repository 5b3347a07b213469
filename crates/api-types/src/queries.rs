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
    /// New queries start here under the default workflow.
    pub is_default: bool,
    /// 1-based place in the organisation's order.
    pub position: i32,
    /// Kept on the queries and history that used it, but not offered in workflows.
    pub retired: bool,
    /// The record's version; also its ETag.
    pub version: i64,
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
    /// The customer's name, when there is one and the caller may read customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// The assigned officer's name, when assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_name: Option<String>,
    /// The team's name, when it is with a team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_name: Option<String>,
    /// Not yet resolved or closed.
    pub is_open: bool,
    /// Sent as the `ETag`; send it back in `If-Match` to change the query.
    pub version: i64,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The soonest due time of its counting service-level clocks; absent when none counts.
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
    /// Where its service level stands as the response is made; absent when no clock times it.
    #[serde(default)]
    pub due_state: Option<DueState>,
}

/// Where a query's service level stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// Counting, not yet due soon.
    OnTime,
    DueSoon,
    /// Counting past its due time.
    Overdue,
    /// Not counting now, but a clock was breached (resolved late, say).
    Breached,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeStatusRequest {
    pub status_id: Uuid,
    /// What was done, when the move asks for it (resolving, by default).
    #[serde(default)]
    pub resolution_summary: Option<String>,
    /// Why, when the move asks for it (reopening, by default).
    #[serde(default)]
    pub reason: Option<String>,
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
    /// The workflow version the move was checked against (absent for moves made before
    /// workflows existed).
    #[serde(default)]
    pub workflow_id: Option<Uuid>,
    #[serde(default)]
    pub workflow_version: Option<i32>,
    #[serde(default)]
    pub resolution_summary: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
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

/// The most queries one bulk change may name.
pub const BULK_LIMIT: usize = 100;

/// One change made to several queries at once from the work queue: each query is changed, versioned
/// and audited exactly as by its own request, and each has its own outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkChangeRequest {
    /// The queries (1 to 100, each once) with the version last read: a query changed since then
    /// is left alone (its outcome is a 412 problem).
    pub items: Vec<BulkItem>,
    pub change: BulkChange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkItem {
    pub id: Uuid,
    /// The version (ETag) last read.
    #[serde(deserialize_with = "crate::numbers::whole_i64")]
    pub version: i64,
}

/// What to do to every query named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BulkChange {
    /// Assign to an officer and/or team (neither: unassign), as `POST /queries/{id}/assignment`.
    Assign {
        #[serde(default)]
        assignee_id: Option<Uuid>,
        #[serde(default)]
        team_id: Option<Uuid>,
        /// Leave each query with the team it is with (then give no `team_id`): to hand a batch
        /// to an officer without moving it between teams.
        #[serde(default)]
        keep_team: bool,
    },
    /// Move to a status, as `POST /queries/{id}/status`: each query's workflow must allow it,
    /// and the summary or reason it asks for is kept with each.
    Status {
        status_id: Uuid,
        #[serde(default)]
        resolution_summary: Option<String>,
        #[serde(default)]
        reason: Option<String>,
    },
}

/// Each query's outcome, in the order asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkChangeResult {
    pub results: Vec<BulkOutcome>,
    /// How many were changed (or already as asked).
    pub succeeded: u32,
    pub failed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkOutcome {
    pub id: Uuid,
    /// The query's version after the change; absent when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Why this query was not changed (the problem its own request would have had).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<crate::Problem>,
}

/// The number of a query reference as someone types it (`Q-001234`, `q1234`, `Q 1234`), if the
/// text is one: the header search opens that query instead of listing matches.
pub fn reference_number(text: &str) -> Option<u64> {
    let rest = text.trim().strip_prefix(['Q', 'q'])?;
    let digits = rest.trim_start_matches(['-', ' ']);
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::reference_number;

    #[test]
    fn references_are_read_as_typed() {
        for typed in ["Q-001234", "q-1234", "Q1234", " q 001234 "] {
            assert_eq!(reference_number(typed), Some(1234), "{typed}");
        }
        for other in ["1234", "Queen", "Q-", "Q-12a", "Q-1234567890123", "Q--"] {
            assert_eq!(reference_number(other), None, "{other}");
        }
    }
}

#[cfg(test)]
mod whole_number_tests {
    use super::*;

    #[test]
    fn a_version_may_be_written_as_a_whole_float() {
        let version = |raw: &str| {
            serde_json::from_str::<BulkItem>(&format!(r#"{{"id": "{}", "version": {raw}}}"#, Uuid::nil()))
                .map(|i| i.version)
        };
        assert_eq!(version("3").ok(), Some(3));
        assert_eq!(version("3.0").ok(), Some(3));
        assert_eq!(version("-649548598.0").ok(), Some(-649_548_598));
        assert_eq!(version("9223372036854775807").ok(), Some(i64::MAX));
        for refused in ["3.5", "1e300", "\"3\"", "true", "null"] {
            assert!(version(refused).is_err(), "{refused}");
        }
    }
}
