//! Workflows between the wire and the domain.

use crate::routes::shared::wire;
use api_types as out;
use domain::{
    Level, StatusId,
    query::StatusCategory,
    workflow::{Definition, Requirement, Transition, Workflow},
};

fn requirement_out(requirement: Requirement) -> out::TransitionRequirement {
    match requirement {
        Requirement::ResolutionSummary => out::TransitionRequirement::ResolutionSummary,
        Requirement::Reason => out::TransitionRequirement::Reason,
    }
}

fn requirement_in(requirement: out::TransitionRequirement) -> Requirement {
    match requirement {
        out::TransitionRequirement::ResolutionSummary => Requirement::ResolutionSummary,
        out::TransitionRequirement::Reason => Requirement::Reason,
    }
}

pub fn requirements_out(requires: &[Requirement]) -> Vec<out::TransitionRequirement> {
    requires.iter().copied().map(requirement_out).collect()
}

pub fn definition_out(definition: &Definition) -> out::WorkflowDefinition {
    out::WorkflowDefinition {
        initial_status_id: definition.initial.as_uuid(),
        status_ids: definition.statuses.iter().map(StatusId::as_uuid).collect(),
        transitions: definition
            .transitions
            .iter()
            .map(|t| out::WorkflowTransition {
                from_status_id: t.from.as_uuid(),
                to_status_id: t.to.as_uuid(),
                requires: requirements_out(&t.requires),
                level: wire::level(t.level),
            })
            .collect(),
    }
}

/// The definition as given; whether it makes sense is the domain's to say.
pub fn definition_in(input: &out::WorkflowDefinition) -> Definition {
    Definition {
        initial: StatusId::from_uuid(input.initial_status_id),
        statuses: input.status_ids.iter().copied().map(StatusId::from_uuid).collect(),
        transitions: input
            .transitions
            .iter()
            .map(|t| {
                let mut requires: Vec<Requirement> = t.requires.iter().copied().map(requirement_in).collect();
                requires.sort();
                requires.dedup();
                Transition {
                    from: StatusId::from_uuid(t.from_status_id),
                    to: StatusId::from_uuid(t.to_status_id),
                    requires,
                    level: match t.level {
                        out::PermissionLevel::None => Level::None,
                        out::PermissionLevel::Read => Level::Read,
                        out::PermissionLevel::ReadWrite => Level::ReadWrite,
                        out::PermissionLevel::Full => Level::Full,
                    },
                }
            })
            .collect(),
    }
}

pub fn workflow_out(workflow: &Workflow) -> out::Workflow {
    out::Workflow {
        id: workflow.id.as_uuid(),
        query_type_id: workflow.type_id.map(|t| t.as_uuid()),
        current_version: workflow.current,
        definition: definition_out(&workflow.definition),
        version: workflow.version,
        updated_at: workflow.updated_at.as_datetime(),
    }
}

/// A move as asked for (one query's, or each query's in a bulk change).
pub fn status_change(
    to: uuid::Uuid,
    resolution_summary: &Option<String>,
    reason: &Option<String>,
) -> domain::workflow::StatusChange {
    domain::workflow::StatusChange {
        to: StatusId::from_uuid(to),
        resolution_summary: resolution_summary.clone(),
        reason: reason.clone(),
    }
}

pub fn category_in(category: out::StatusCategory) -> StatusCategory {
    match category {
        out::StatusCategory::New => StatusCategory::New,
        out::StatusCategory::Open => StatusCategory::Open,
        out::StatusCategory::Waiting => StatusCategory::Waiting,
        out::StatusCategory::Resolved => StatusCategory::Resolved,
        out::StatusCategory::Closed => StatusCategory::Closed,
    }
}
