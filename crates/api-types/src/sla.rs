//! Service-level policies, their preview, and the clocks they keep on a query.

use crate::{QueryChannel, QueryPriority};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The unit a target is given in. Business units count the calendar's working time;
/// calendar units count every minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlaTargetUnit {
    BusinessMinutes,
    BusinessHours,
    /// By the close of the n-th working day after the day the clock starts.
    WorkingDays,
    CalendarMinutes,
    CalendarHours,
}

/// How long a policy allows, counted on which calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaTarget {
    pub calendar_id: Uuid,
    pub unit: SlaTargetUnit,
    /// At least 1; at most a year of minutes (525,600), 8,760 hours or 260 working days.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 525600))]
    #[serde(deserialize_with = "crate::numbers::whole_u32")]
    pub amount: u32,
}

/// A customer attribute a policy can select on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlaCustomerCondition {
    /// The customer has recorded contact needs.
    HasContactNeeds,
    /// No customer is named.
    Anonymous,
}

/// Which queries a policy covers: every list given must match (an empty list places no
/// condition). A query type covers its sub-types.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaConditions {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub query_type_ids: Vec<Uuid>,
    #[serde(default)]
    pub channels: Vec<QueryChannel>,
    #[serde(default)]
    pub priorities: Vec<QueryPriority>,
    #[serde(default)]
    pub customer: Option<SlaCustomerCondition>,
}

/// When a running clock counts as "due soon".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DueSoonRule {
    /// Once `value` per cent of the allowed time has gone (1 to 99).
    Percent,
    /// `value` working minutes before the due time.
    MinutesBefore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueSoon {
    pub rule: DueSoonRule,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 525600))]
    #[serde(deserialize_with = "crate::numbers::whole_u32")]
    pub value: u32,
}

/// What a breach does besides the overdue alert: hand the query to a team (releasing its
/// officer), tell a team, or both. Either may be absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaEscalation {
    #[serde(default)]
    pub reassign_team_id: Option<Uuid>,
    #[serde(default)]
    pub notify_team_id: Option<Uuid>,
}

/// A policy as an administrator gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPolicyInput {
    pub name: String,
    #[serde(default)]
    pub conditions: SlaConditions,
    /// At least one of the two targets.
    pub first_response: Option<SlaTarget>,
    pub resolution: Option<SlaTarget>,
    pub due_soon: DueSoon,
    #[serde(default)]
    pub on_breach: SlaEscalation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPolicy {
    pub id: Uuid,
    pub name: String,
    pub conditions: SlaConditions,
    pub first_response: Option<SlaTarget>,
    pub resolution: Option<SlaTarget>,
    pub due_soon: DueSoon,
    #[serde(default)]
    pub on_breach: SlaEscalation,
    /// Where it stands in the order policies are tried (0 first).
    pub position: i32,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPolicyList {
    /// In the order they are tried: the first whose conditions a query meets applies.
    pub items: Vec<SlaPolicy>,
}

/// The order policies are tried in: those named first, in this order, then the rest as they
/// were. Each of the organisation's policies at most once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPolicyOrder {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 200))]
    pub ids: Vec<Uuid>,
}

/// "A query received at `received_at` would be due at …", for a policy as given (saved or not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPreviewRequest {
    pub policy: SlaPolicyInput,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockPreview {
    pub due_soon_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPreview {
    /// Absent when the policy sets no such target (or its calendar cannot reach it).
    pub first_response: Option<ClockPreview>,
    pub resolution: Option<ClockPreview>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    FirstResponse,
    Resolution,
}

/// Where a clock stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    Running,
    DueSoon,
    Overdue,
    /// Waiting on the customer: not counting.
    Paused,
    /// Stopped in time.
    Met,
    /// Stopped after its due time.
    Missed,
}

/// One of a query's service-level clocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryClock {
    pub kind: ClockKind,
    pub state: ClockState,
    pub policy_id: Uuid,
    /// The policy's name now (absent if it has since been removed).
    pub policy_name: Option<String>,
    pub started_at: DateTime<Utc>,
    pub due_soon_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub paused_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub breached_at: Option<DateTime<Utc>>,
    /// Working minutes left until due on the policy's calendar (0 once overdue), counted
    /// from now, or from when the clock paused or stopped.
    pub remaining_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryClockList {
    /// First response, then resolution; empty when no policy applied.
    pub items: Vec<QueryClock>,
}

/// An administrator's request to re-time a policy's open queries, as queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaRetime {
    pub policy_id: Uuid,
    /// The version the queries will be timed under.
    pub version: i64,
    /// False when a re-timing to this version was already asked for.
    pub queued: bool,
}
