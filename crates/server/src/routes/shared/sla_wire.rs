//! Service-level policies and clocks between their wire form and the domain's.

use crate::{
    problem::{ApiError, ApiResult},
    routes::shared::query_wire::{channel_in, channel_out, priority_in, priority_out},
};
use api_types as wire;
use domain::{
    CalendarId, QueryTypeId, TeamId, Timestamp,
    calendar::Calendar,
    sla::{
        self, Clock, ClockKind, ClockState, Conditions, CustomerCondition, DueSoon, Escalation, PolicyDefinition,
        TargetSpec, TargetUnit,
    },
};

fn unit_in(unit: wire::SlaTargetUnit) -> TargetUnit {
    match unit {
        wire::SlaTargetUnit::BusinessMinutes => TargetUnit::BusinessMinutes,
        wire::SlaTargetUnit::BusinessHours => TargetUnit::BusinessHours,
        wire::SlaTargetUnit::WorkingDays => TargetUnit::WorkingDays,
        wire::SlaTargetUnit::CalendarMinutes => TargetUnit::CalendarMinutes,
        wire::SlaTargetUnit::CalendarHours => TargetUnit::CalendarHours,
    }
}

fn unit_out(unit: TargetUnit) -> wire::SlaTargetUnit {
    match unit {
        TargetUnit::BusinessMinutes => wire::SlaTargetUnit::BusinessMinutes,
        TargetUnit::BusinessHours => wire::SlaTargetUnit::BusinessHours,
        TargetUnit::WorkingDays => wire::SlaTargetUnit::WorkingDays,
        TargetUnit::CalendarMinutes => wire::SlaTargetUnit::CalendarMinutes,
        TargetUnit::CalendarHours => wire::SlaTargetUnit::CalendarHours,
    }
}

fn target_in(target: wire::SlaTarget) -> TargetSpec {
    TargetSpec {
        calendar_id: CalendarId::from_uuid(target.calendar_id),
        unit: unit_in(target.unit),
        amount: target.amount,
    }
}

fn target_out(target: TargetSpec) -> wire::SlaTarget {
    wire::SlaTarget { calendar_id: target.calendar_id.as_uuid(), unit: unit_out(target.unit), amount: target.amount }
}

fn due_soon_in(due_soon: wire::DueSoon) -> DueSoon {
    match due_soon.rule {
        // Out of range is refused by the definition's check; saturate rather than wrap.
        wire::DueSoonRule::Percent => DueSoon::Percent(u8::try_from(due_soon.value).unwrap_or(u8::MAX)),
        wire::DueSoonRule::MinutesBefore => DueSoon::MinutesBefore(due_soon.value),
    }
}

fn due_soon_out(due_soon: DueSoon) -> wire::DueSoon {
    match due_soon {
        DueSoon::Percent(value) => wire::DueSoon { rule: wire::DueSoonRule::Percent, value: u32::from(value) },
        DueSoon::MinutesBefore(value) => wire::DueSoon { rule: wire::DueSoonRule::MinutesBefore, value },
    }
}

/// The definition a request gives, checked.
pub fn definition_of(input: &wire::SlaPolicyInput) -> ApiResult<PolicyDefinition> {
    let conditions = &input.conditions;
    let definition = PolicyDefinition {
        name: input.name.trim().to_owned(),
        conditions: Conditions {
            query_type_ids: conditions.query_type_ids.iter().copied().map(QueryTypeId::from_uuid).collect(),
            channels: conditions.channels.iter().copied().map(channel_in).collect(),
            priorities: conditions.priorities.iter().copied().map(priority_in).collect(),
            customer: conditions.customer.map(|c| match c {
                wire::SlaCustomerCondition::HasContactNeeds => CustomerCondition::HasContactNeeds,
                wire::SlaCustomerCondition::Anonymous => CustomerCondition::Anonymous,
            }),
        },
        first_response: input.first_response.map(target_in),
        resolution: input.resolution.map(target_in),
        due_soon: due_soon_in(input.due_soon),
        on_breach: Escalation {
            reassign_team_id: input.on_breach.reassign_team_id.map(TeamId::from_uuid),
            notify_team_id: input.on_breach.notify_team_id.map(TeamId::from_uuid),
        },
    };
    definition.check().map_err(|errors| ApiError::Validation(errors.0))?;
    Ok(definition)
}

pub fn policy_out(policy: &sla::SlaPolicy) -> wire::SlaPolicy {
    let definition = &policy.definition;
    let conditions = &definition.conditions;
    wire::SlaPolicy {
        id: policy.id.as_uuid(),
        name: definition.name.clone(),
        conditions: wire::SlaConditions {
            query_type_ids: conditions.query_type_ids.iter().map(|t| t.as_uuid()).collect(),
            channels: conditions.channels.iter().copied().map(channel_out).collect(),
            priorities: conditions.priorities.iter().copied().map(priority_out).collect(),
            customer: conditions.customer.map(|c| match c {
                CustomerCondition::HasContactNeeds => wire::SlaCustomerCondition::HasContactNeeds,
                CustomerCondition::Anonymous => wire::SlaCustomerCondition::Anonymous,
            }),
        },
        first_response: definition.first_response.map(target_out),
        resolution: definition.resolution.map(target_out),
        due_soon: due_soon_out(definition.due_soon),
        on_breach: wire::SlaEscalation {
            reassign_team_id: definition.on_breach.reassign_team_id.map(|t| t.as_uuid()),
            notify_team_id: definition.on_breach.notify_team_id.map(|t| t.as_uuid()),
        },
        position: policy.position,
        version: policy.version,
    }
}

pub fn clock_out(
    clock: &Clock,
    now: Timestamp,
    calendar: Option<&Calendar>,
    policy_name: Option<String>,
) -> wire::QueryClock {
    let state = match clock.state(now) {
        ClockState::Running => wire::ClockState::Running,
        ClockState::DueSoon => wire::ClockState::DueSoon,
        ClockState::Overdue => wire::ClockState::Overdue,
        ClockState::Paused => wire::ClockState::Paused,
        ClockState::Met => wire::ClockState::Met,
        ClockState::Missed => wire::ClockState::Missed,
    };
    wire::QueryClock {
        kind: match clock.kind {
            ClockKind::FirstResponse => wire::ClockKind::FirstResponse,
            ClockKind::Resolution => wire::ClockKind::Resolution,
        },
        state,
        policy_id: clock.policy_id.as_uuid(),
        policy_name,
        started_at: clock.started_at.as_datetime(),
        due_soon_at: clock.due_soon_at.as_datetime(),
        due_at: clock.due_at.as_datetime(),
        paused_at: clock.paused_at.map(|at| at.as_datetime()),
        stopped_at: clock.stopped_at.map(|at| at.as_datetime()),
        breached_at: clock.breached_at(now).map(|at| at.as_datetime()),
        remaining_minutes: calendar.map_or(0, |calendar| clock.remaining(now, calendar).num_minutes()),
    }
}
