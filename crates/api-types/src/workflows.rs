//! Statuses and workflows as administrators manage them, and the moves a query can make.

use crate::{PermissionLevel, StatusCategory};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A status to add, at the end of the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewQueryStatus {
    pub name: String,
    pub category: StatusCategory,
}

/// A status as changed: its name, its place in the order and whether it is retired. Its
/// category never changes, because reports and clocks rely on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryStatusChange {
    pub name: String,
    /// 1-based place in the order; the others move up or down.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    #[serde(deserialize_with = "crate::numbers::whole_u32")]
    pub position: u32,
    pub retired: bool,
}

/// A field a move asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransitionRequirement {
    ResolutionSummary,
    Reason,
}

/// One move a workflow allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowTransition {
    pub from_status_id: Uuid,
    pub to_status_id: Uuid,
    #[serde(default)]
    pub requires: Vec<TransitionRequirement>,
    /// The least level of the queries area that may make it: `read_write` or `full`.
    pub level: PermissionLevel,
}

/// What a version of a workflow says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowDefinition {
    /// Where new queries start.
    pub initial_status_id: Uuid,
    /// The statuses that apply, in the order they are offered.
    pub status_ids: Vec<Uuid>,
    pub transitions: Vec<WorkflowTransition>,
}

/// A workflow at its current version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workflow {
    pub id: Uuid,
    /// Absent for the organisation's default; otherwise the query type it applies to (and
    /// that type's sub-types unless they have their own).
    pub query_type_id: Option<Uuid>,
    /// The version new queries start under.
    pub current_version: i32,
    pub definition: WorkflowDefinition,
    /// The record's version; also its ETag.
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowList {
    pub items: Vec<Workflow>,
}

/// A query type's own workflow, to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewWorkflow {
    pub query_type_id: Uuid,
    pub definition: WorkflowDefinition,
}

/// A version of a workflow as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowVersion {
    pub workflow_id: Uuid,
    pub number: i32,
    pub definition: WorkflowDefinition,
}

/// A move the query can make from where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailableTransition {
    pub to_status_id: Uuid,
    pub requires: Vec<TransitionRequirement>,
}

/// The workflow a query follows and the moves the caller may make from its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryTransitions {
    pub workflow_id: Uuid,
    /// The version the query follows.
    pub workflow_version: i32,
    /// The workflow that applies to the query's type now: another one when its type changed
    /// to one with its own workflow.
    pub applies_workflow_id: Uuid,
    /// That workflow's current version. When the workflow or the version differs from the
    /// one followed, the query can be moved to it (`POST /queries/{id}/workflow`).
    pub current_version: i32,
    pub status_id: Uuid,
    pub transitions: Vec<AvailableTransition>,
}

/// Moves a query to the current version of the workflow that applies to its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoveWorkflowRequest {
    /// The status it takes in the new version; needed when its status is not in it.
    #[serde(default)]
    pub status_id: Option<Uuid>,
}
