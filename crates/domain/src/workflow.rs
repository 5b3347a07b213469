//! Workflows (FR-005): which statuses a query may pass through, the moves allowed between them,
//! what each move requires (a resolution summary to resolve, a reason to reopen) and the level
//! of the queries area needed to make it. A definition is published as a numbered version and
//! never changed after; a query keeps the version it was logged under until moved on purpose,
//! so a workflow changed mid-case never strands it.

use crate::{
    FieldError, Level, StatusId, ValidationErrors,
    query::{QueryStatus, StatusCategory},
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// A field a transition asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// What was done to resolve the query, kept with the history and shown on the query.
    ResolutionSummary,
    /// Why, for example why a resolved query is being reopened.
    Reason,
}

impl Requirement {
    pub const ALL: [Requirement; 2] = [Self::ResolutionSummary, Self::Reason];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ResolutionSummary => "resolution_summary",
            Self::Reason => "reason",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::ResolutionSummary => "a resolution summary",
            Self::Reason => "a reason",
        }
    }
}

/// One move a workflow allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub from: StatusId,
    pub to: StatusId,
    #[serde(default)]
    pub requires: Vec<Requirement>,
    /// The least level of the queries area that may make it (read-write or full).
    pub level: Level,
}

/// A workflow as published: the statuses that apply, where a new query starts and the moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub initial: StatusId,
    /// In the order they are offered.
    pub statuses: Vec<StatusId>,
    pub transitions: Vec<Transition>,
}

/// Which published version of which workflow a query follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkflowRef {
    pub id: crate::WorkflowId,
    pub version: i32,
}

/// Where a query stands in its workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWorkflow {
    /// The query's status now.
    pub status: StatusId,
    /// The version it follows, and that version's definition.
    pub follows: WorkflowRef,
    pub definition: Definition,
    /// The current version of the workflow that applies to its type now (where moving the
    /// query would take it: another workflow if its type changed, or a newer version).
    pub applies: WorkflowRef,
}

/// A workflow with its current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    pub id: crate::WorkflowId,
    /// None for the tenant's default; otherwise it applies to this type and its sub-types
    /// unless one of them has its own.
    pub type_id: Option<crate::QueryTypeId>,
    /// The number of the version new queries start under.
    pub current: i32,
    pub definition: Definition,
    /// The record's version, for If-Match.
    pub version: i64,
    pub updated_at: crate::Timestamp,
}

/// A move someone asks for, with the fields they gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusChange {
    pub to: StatusId,
    pub resolution_summary: Option<String>,
    pub reason: Option<String>,
}

/// A status as an administrator changes it: all of it at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEdit {
    pub name: String,
    /// 1-based place in the tenant's order.
    pub position: i32,
    pub retired: bool,
}

/// The longest status name.
pub const STATUS_NAME_LIMIT: usize = 60;

impl StatusEdit {
    /// A status name: 1 to 60 characters once trimmed.
    pub fn check_name(raw: &str) -> Result<String, FieldError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(FieldError::new("name", "required", "Enter a name for the status"));
        }
        if name.chars().count() > STATUS_NAME_LIMIT {
            return Err(FieldError::new("name", "too_long", format!("Use at most {STATUS_NAME_LIMIT} characters")));
        }
        Ok(name.to_owned())
    }
}

/// The longest resolution summary or reason kept.
pub const TEXT_LIMIT: usize = 4000;

/// Why a move was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The workflow has no such move; `allowed` are the moves from here this user may make.
    NotAllowed { from: String, to: String, allowed: Vec<(StatusId, String)> },
    /// The move exists but needs more than the user holds.
    NeedsLevel { from: String, to: String, level: Level },
    /// The move needs fields that were not given (or are too long).
    Fields(ValidationErrors),
}

impl Definition {
    /// The workflow a tenant starts with, drawn from its statuses by category: new work is
    /// taken up, may wait on the customer, is resolved with a summary and then closed; a
    /// resolved or closed query is reopened with a reason. None when a category is missing.
    pub fn default_for(statuses: &[QueryStatus]) -> Option<Definition> {
        let first = |category: StatusCategory| statuses.iter().find(|s| s.category == category).map(|s| s.id);
        let (new, open, waiting, resolved, closed) = (
            first(StatusCategory::New)?,
            first(StatusCategory::Open)?,
            first(StatusCategory::Waiting)?,
            first(StatusCategory::Resolved)?,
            first(StatusCategory::Closed)?,
        );
        let step = |from, to, requires: &[Requirement]| Transition {
            from,
            to,
            requires: requires.to_vec(),
            level: Level::ReadWrite,
        };
        let summary = [Requirement::ResolutionSummary];
        let reason = [Requirement::Reason];
        Some(Definition {
            initial: new,
            statuses: vec![new, open, waiting, resolved, closed],
            transitions: vec![
                step(new, open, &[]),
                step(new, waiting, &[]),
                step(new, resolved, &summary),
                step(open, waiting, &[]),
                step(open, resolved, &summary),
                step(waiting, open, &[]),
                step(waiting, resolved, &summary),
                step(resolved, closed, &[]),
                step(resolved, open, &reason),
                step(closed, open, &reason),
            ],
        })
    }

    pub fn transition(&self, from: StatusId, to: StatusId) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.from == from && t.to == to)
    }

    /// The moves out of `from` in the order of the workflow's statuses.
    pub fn from(&self, from: StatusId) -> Vec<&Transition> {
        let mut out: Vec<&Transition> = self.transitions.iter().filter(|t| t.from == from).collect();
        out.sort_by_key(|t| self.statuses.iter().position(|s| *s == t.to));
        out
    }

    /// Checks a definition against the tenant's statuses: every status exists and is in use,
    /// the start is not a finished status, moves join statuses of the workflow, each once, and
    /// every status can be reached from the start.
    pub fn validate(
        &self,
        tenant_statuses: &[QueryStatus],
        retired: &BTreeSet<StatusId>,
    ) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let known: HashMap<StatusId, &QueryStatus> = tenant_statuses.iter().map(|s| (s.id, s)).collect();
        let mut listed = BTreeSet::new();
        if self.statuses.is_empty() {
            errors.push(FieldError::new("definition.status_ids", "required", "Choose the statuses that apply"));
        }
        for (index, id) in self.statuses.iter().enumerate() {
            let field = format!("definition.status_ids[{index}]");
            if !known.contains_key(id) {
                errors.push(FieldError::new(field, "unknown_reference", "Choose one of the organisation's statuses"));
            } else if retired.contains(id) {
                errors.push(FieldError::new(field, "retired", "This status is retired: restore it or choose another"));
            } else if !listed.insert(*id) {
                errors.push(FieldError::new(field, "duplicate", "List each status once"));
            }
        }
        if !listed.contains(&self.initial) {
            errors.push(FieldError::new(
                "definition.initial_status_id",
                "not_in_workflow",
                "New queries must start in one of the workflow's statuses",
            ));
        } else if known.get(&self.initial).is_some_and(|s| s.category.is_done()) {
            errors.push(FieldError::new(
                "definition.initial_status_id",
                "finished_status",
                "New queries cannot start resolved or closed",
            ));
        }
        let mut moves = BTreeSet::new();
        for (index, t) in self.transitions.iter().enumerate() {
            let field = |name: &str| format!("definition.transitions[{index}].{name}");
            if !listed.contains(&t.from) {
                errors.push(FieldError::new(
                    field("from_status_id"),
                    "not_in_workflow",
                    "Choose a status of this workflow",
                ));
            }
            if !listed.contains(&t.to) {
                errors.push(FieldError::new(
                    field("to_status_id"),
                    "not_in_workflow",
                    "Choose a status of this workflow",
                ));
            }
            if t.from == t.to {
                errors.push(FieldError::new(field("to_status_id"), "same_status", "A move must go to another status"));
            }
            if !matches!(t.level, Level::ReadWrite | Level::Full) {
                errors.push(FieldError::new(field("level"), "invalid_level", "Choose read-write or full"));
            }
            if !moves.insert((t.from, t.to)) {
                errors.push(FieldError::new(field("to_status_id"), "duplicate", "This move is listed already"));
            }
        }
        if errors.is_empty() {
            let reached = self.reachable();
            for (index, id) in self.statuses.iter().enumerate() {
                if !reached.contains(id) {
                    errors.push(FieldError::new(
                        format!("definition.status_ids[{index}]"),
                        "unreachable",
                        "No move leads to this status from where new queries start",
                    ));
                }
            }
        }
        errors.into_result()
    }

    fn reachable(&self) -> BTreeSet<StatusId> {
        let mut reached = BTreeSet::from([self.initial]);
        let mut frontier = vec![self.initial];
        while let Some(at) = frontier.pop() {
            for t in self.transitions.iter().filter(|t| t.from == at) {
                if reached.insert(t.to) {
                    frontier.push(t.to);
                }
            }
        }
        reached
    }

    /// Whether someone holding `level` may make `change` from `from`, with the fields it needs.
    pub fn check(
        &self,
        from: StatusId,
        change: &StatusChange,
        level: Level,
        name_of: impl Fn(StatusId) -> String,
    ) -> Result<&Transition, Refusal> {
        let Some(transition) = self.transition(from, change.to) else {
            let allowed =
                self.from(from).into_iter().filter(|t| level >= t.level).map(|t| (t.to, name_of(t.to))).collect();
            return Err(Refusal::NotAllowed { from: name_of(from), to: name_of(change.to), allowed });
        };
        if level < transition.level {
            return Err(Refusal::NeedsLevel { from: name_of(from), to: name_of(change.to), level: transition.level });
        }
        let mut errors = ValidationErrors::default();
        for requirement in &transition.requires {
            let given = match requirement {
                Requirement::ResolutionSummary => &change.resolution_summary,
                Requirement::Reason => &change.reason,
            };
            if given.as_deref().is_none_or(|text| text.trim().is_empty()) {
                errors.push(FieldError::new(
                    requirement.as_str(),
                    "required",
                    format!("Moving to {} needs {}", name_of(change.to), requirement.label()),
                ));
            }
        }
        for (field, given) in [("resolution_summary", &change.resolution_summary), ("reason", &change.reason)] {
            if given.as_ref().is_some_and(|text| text.chars().count() > TEXT_LIMIT) {
                errors.push(FieldError::new(field, "too_long", format!("Use at most {TEXT_LIMIT} characters")));
            }
        }
        errors.into_result().map_err(Refusal::Fields)?;
        Ok(transition)
    }
}

impl StatusChange {
    pub fn to(status: StatusId) -> Self {
        Self { to: status, ..Self::default() }
    }

    /// The fields kept with the history: only those the move asks for, trimmed.
    pub fn kept(&self, transition: &Transition) -> (Option<String>, Option<String>) {
        let keep = |requirement, text: &Option<String>| {
            transition
                .requires
                .contains(&requirement)
                .then(|| text.as_deref().map(str::trim).map(str::to_owned))
                .flatten()
        };
        (keep(Requirement::ResolutionSummary, &self.resolution_summary), keep(Requirement::Reason, &self.reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::DEFAULT_STATUSES;

    fn statuses() -> Vec<QueryStatus> {
        DEFAULT_STATUSES
            .iter()
            .enumerate()
            .map(|(i, (name, category))| QueryStatus {
                id: StatusId::new(),
                name: (*name).to_owned(),
                category: *category,
                position: i32::try_from(i).unwrap_or_default(),
                is_default: i == 0,
                retired: false,
                version: 1,
            })
            .collect()
    }

    fn name_of(statuses: &[QueryStatus]) -> impl Fn(StatusId) -> String + '_ {
        |id| statuses.iter().find(|s| s.id == id).map(|s| s.name.clone()).unwrap_or_default()
    }

    #[test]
    fn the_default_workflow_is_valid_and_resolving_needs_a_summary() {
        let all = statuses();
        let definition = Definition::default_for(&all).expect("every category present");
        definition.validate(&all, &BTreeSet::new()).expect("valid");
        let (new, open, resolved, closed) = (all[0].id, all[1].id, all[3].id, all[4].id);
        let refused = definition.check(open, &StatusChange::to(resolved), Level::ReadWrite, name_of(&all));
        let Err(Refusal::Fields(errors)) = refused else { panic!("expected missing fields, got {refused:?}") };
        assert_eq!(errors.0[0].field, "resolution_summary");
        let change = StatusChange { resolution_summary: Some("  Refund sent ".into()), ..StatusChange::to(resolved) };
        let transition = definition.check(open, &change, Level::ReadWrite, name_of(&all)).expect("allowed");
        assert_eq!(change.kept(transition), (Some("Refund sent".into()), None));
        let reopen = StatusChange { reason: Some(" ".into()), ..StatusChange::to(open) };
        assert!(matches!(definition.check(closed, &reopen, Level::ReadWrite, name_of(&all)), Err(Refusal::Fields(_))));
        let refused = definition.check(closed, &StatusChange::to(new), Level::Full, name_of(&all));
        let Err(Refusal::NotAllowed { allowed, from, .. }) = refused else { panic!("expected not allowed") };
        assert_eq!((from.as_str(), allowed), ("Closed", vec![(open, "In progress".to_owned())]));
    }

    #[test]
    fn a_move_may_need_full_access_and_read_write_users_are_not_offered_it() {
        let all = statuses();
        let mut definition = Definition::default_for(&all).expect("every category present");
        let (open, closed) = (all[1].id, all[4].id);
        for t in definition.transitions.iter_mut().filter(|t| t.from == closed) {
            t.level = Level::Full;
        }
        let change = StatusChange { reason: Some("Customer wrote again".into()), ..StatusChange::to(open) };
        let refused = definition.check(closed, &change, Level::ReadWrite, name_of(&all));
        assert_eq!(
            refused.err(),
            Some(Refusal::NeedsLevel { from: "Closed".into(), to: "In progress".into(), level: Level::Full })
        );
        assert!(definition.check(closed, &change, Level::Full, name_of(&all)).is_ok());
        let refused = definition.check(closed, &StatusChange::to(all[0].id), Level::ReadWrite, name_of(&all));
        assert!(matches!(refused, Err(Refusal::NotAllowed { allowed, .. }) if allowed.is_empty()));
    }

    #[test]
    fn validation_names_each_fault() {
        let all = statuses();
        let retired = BTreeSet::from([all[2].id]);
        let mut definition = Definition::default_for(&all).expect("every category present");
        definition.initial = all[3].id;
        definition.transitions.push(definition.transitions[0].clone());
        definition.transitions.push(Transition {
            from: all[1].id,
            to: all[1].id,
            requires: vec![],
            level: Level::Read,
        });
        let errors = definition.validate(&all, &retired).expect_err("invalid");
        let faults: Vec<(&str, &str)> = errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            faults,
            vec![
                ("definition.status_ids[2]", "retired"),
                ("definition.initial_status_id", "finished_status"),
                ("definition.transitions[1].to_status_id", "not_in_workflow"),
                ("definition.transitions[3].to_status_id", "not_in_workflow"),
                ("definition.transitions[5].from_status_id", "not_in_workflow"),
                ("definition.transitions[6].from_status_id", "not_in_workflow"),
                ("definition.transitions[10].to_status_id", "duplicate"),
                ("definition.transitions[11].to_status_id", "same_status"),
                ("definition.transitions[11].level", "invalid_level"),
            ]
        );
        let mut unreachable = Definition::default_for(&all).expect("every category present");
        unreachable.transitions.retain(|t| t.to != all[4].id);
        let errors = unreachable.validate(&all, &BTreeSet::new()).expect_err("closed cannot be reached");
        assert_eq!((errors.0[0].field.as_str(), errors.0[0].code), ("definition.status_ids[4]", "unreachable"));
    }
}
