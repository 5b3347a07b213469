//! Service-level policies as administrators define them: which queries a policy covers
//! (conditions on type, channel, priority and customer), and how long it allows for a first
//! response and for resolution, each counted on a business calendar. Policies are tried in
//! the administrator's order and the first that matches applies.

use crate::{
    CalendarId, QueryTypeId, SlaPolicyId, TeamId,
    calendar::Target,
    query::{Channel, Priority},
    validation::{FieldError, ValidationErrors},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most a target may allow: a year of minutes, or 260 working days.
pub const MAX_MINUTES: u32 = 525_600;
pub const MAX_WORKING_DAYS: u32 = 260;

/// A customer attribute a policy can select on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerCondition {
    /// The customer has recorded contact needs (large print, an interpreter, a vulnerability).
    HasContactNeeds,
    /// Nobody is named: an anonymous contact.
    Anonymous,
}

/// Which queries a policy covers. An empty list places no condition; every non-empty one must
/// match. A query type matches its sub-types too (they inherit unless a policy names them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditions {
    #[serde(default)]
    pub query_type_ids: Vec<QueryTypeId>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub priorities: Vec<Priority>,
    #[serde(default)]
    pub customer: Option<CustomerCondition>,
}

/// What a policy is matched against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryFacts {
    /// The query's type and its ancestors, nearest first; empty for an untyped query.
    pub type_lineage: Vec<QueryTypeId>,
    pub channel: Channel,
    pub priority: Priority,
    /// None for an anonymous contact; otherwise whether the customer has contact needs.
    pub customer_has_contact_needs: Option<bool>,
}

impl Conditions {
    pub fn matches(&self, facts: &QueryFacts) -> bool {
        let type_ok =
            self.query_type_ids.is_empty() || facts.type_lineage.iter().any(|t| self.query_type_ids.contains(t));
        let channel_ok = self.channels.is_empty() || self.channels.contains(&facts.channel);
        let priority_ok = self.priorities.is_empty() || self.priorities.contains(&facts.priority);
        let customer_ok = match self.customer {
            None => true,
            Some(CustomerCondition::Anonymous) => facts.customer_has_contact_needs.is_none(),
            Some(CustomerCondition::HasContactNeeds) => facts.customer_has_contact_needs == Some(true),
        };
        type_ok && channel_ok && priority_ok && customer_ok
    }
}

/// The unit a target is given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetUnit {
    /// Working minutes on the calendar.
    BusinessMinutes,
    /// Working hours on the calendar.
    BusinessHours,
    /// By the close of the n-th working day after the day the clock starts.
    WorkingDays,
    /// Minutes on the clock, whatever the calendar says.
    CalendarMinutes,
    /// Hours on the clock.
    CalendarHours,
}

/// How long a policy allows, on which calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetSpec {
    pub calendar_id: CalendarId,
    pub unit: TargetUnit,
    pub amount: u32,
}

impl TargetSpec {
    /// The calendar arithmetic's target (hours as minutes).
    pub fn target(&self) -> Target {
        match self.unit {
            TargetUnit::BusinessMinutes => Target::BusinessMinutes(self.amount),
            TargetUnit::BusinessHours => Target::BusinessMinutes(self.amount.saturating_mul(60)),
            TargetUnit::WorkingDays => Target::WorkingDays(self.amount),
            TargetUnit::CalendarMinutes => Target::CalendarMinutes(self.amount),
            TargetUnit::CalendarHours => Target::CalendarMinutes(self.amount.saturating_mul(60)),
        }
    }

    fn check(&self, field: &str, errors: &mut ValidationErrors) {
        let (most, unit) = match self.unit {
            TargetUnit::BusinessMinutes | TargetUnit::CalendarMinutes => (MAX_MINUTES, "minutes"),
            TargetUnit::BusinessHours | TargetUnit::CalendarHours => (MAX_MINUTES / 60, "hours"),
            TargetUnit::WorkingDays => (MAX_WORKING_DAYS, "working days"),
        };
        if self.amount == 0 || self.amount > most {
            let message = format!("Enter a whole number of {unit} from 1 to {most}");
            errors.push(FieldError::new(format!("{field}.amount"), "out_of_range", message));
        }
    }
}

/// When a running clock counts as "due soon".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueSoon {
    /// Once this percentage of the allowed time has gone (1 to 99).
    Percent(u8),
    /// This many working minutes on the target's calendar before the due time.
    MinutesBefore(u32),
}

impl Default for DueSoon {
    fn default() -> Self {
        Self::Percent(75)
    }
}

/// What happens when a clock of the policy is breached, besides the overdue alert (issue 15,
/// item 6): the query handed to another team (its officer released), another team told, or
/// both. Recorded on the query's timeline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reassign_team_id: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_team_id: Option<TeamId>,
}

impl Escalation {
    pub fn is_none(&self) -> bool {
        self.reassign_team_id.is_none() && self.notify_team_id.is_none()
    }
}

/// What is stored for a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDefinition {
    pub name: String,
    #[serde(default)]
    pub conditions: Conditions,
    pub first_response: Option<TargetSpec>,
    pub resolution: Option<TargetSpec>,
    #[serde(default)]
    pub due_soon: DueSoon,
    #[serde(default, skip_serializing_if = "Escalation::is_none")]
    pub on_breach: Escalation,
}

impl PolicyDefinition {
    /// Checks a definition as given, naming the fields at fault (`resolution.amount`). Whether
    /// its calendars and query types exist is the caller's to check (they are stored data).
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "required", "Enter a name for the policy"));
        } else if name.chars().count() > 100 {
            errors.push(FieldError::new("name", "too_long", "Name must be 100 characters or fewer"));
        }
        if self.first_response.is_none() && self.resolution.is_none() {
            let message = "Give a first-response target, a resolution target or both";
            errors.push(FieldError::new("resolution", "required", message));
        }
        if let Some(target) = &self.first_response {
            target.check("first_response", &mut errors);
        }
        if let Some(target) = &self.resolution {
            target.check("resolution", &mut errors);
        }
        match self.due_soon {
            DueSoon::Percent(percent) if percent == 0 || percent > 99 => {
                errors.push(FieldError::new("due_soon.percent", "out_of_range", "Enter a percentage from 1 to 99"));
            }
            DueSoon::MinutesBefore(minutes) if minutes == 0 || minutes > MAX_MINUTES => {
                let message = format!("Enter a whole number of minutes from 1 to {MAX_MINUTES}");
                errors.push(FieldError::new("due_soon.minutes_before", "out_of_range", message));
            }
            _ => {}
        }
        if self.conditions.query_type_ids.len() > 50 {
            let message = "Name at most 50 query types";
            errors.push(FieldError::new("conditions.query_type_ids", "too_many", message));
        }
        errors.into_result()
    }

    /// The target of one kind of clock, if it sets one.
    pub fn target(&self, kind: super::ClockKind) -> Option<TargetSpec> {
        match kind {
            super::ClockKind::FirstResponse => self.first_response,
            super::ClockKind::Resolution => self.resolution,
        }
    }
}

/// A stored policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaPolicy {
    pub id: SlaPolicyId,
    pub definition: PolicyDefinition,
    /// Where it stands in the order policies are tried (0 first).
    pub position: i32,
    pub version: i64,
}

/// The first policy, in order, whose conditions the query meets.
pub fn select<'a>(policies: &'a [SlaPolicy], facts: &QueryFacts) -> Option<&'a SlaPolicy> {
    let mut ordered: Vec<&SlaPolicy> = policies.iter().collect();
    ordered.sort_by_key(|p| (p.position, p.id));
    ordered.into_iter().find(|p| p.definition.conditions.matches(facts))
}

/// The policies every organisation starts with, as the buyer's AFS-01 and AFS-02 put them:
/// severity 1 (urgent: the system is unavailable) is answered within 30 minutes around the
/// clock; everything else is worked Monday to Friday 09:00-17:00 UK time less bank holidays.
/// Fixed ids (per tenant), so the migration that added them to existing organisations and a new
/// organisation's start agree.
pub fn examples() -> Vec<(SlaPolicyId, PolicyDefinition)> {
    let always = CalendarId::from_uuid(Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001));
    let office = CalendarId::from_uuid(Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0002));
    let id = |n: u128| SlaPolicyId::from_uuid(Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0010 + n));
    vec![
        (
            id(1),
            PolicyDefinition {
                name: "Severity 1: system unavailable (24x7)".into(),
                conditions: Conditions { priorities: vec![Priority::Urgent], ..Conditions::default() },
                first_response: Some(TargetSpec { calendar_id: always, unit: TargetUnit::CalendarMinutes, amount: 30 }),
                resolution: Some(TargetSpec { calendar_id: always, unit: TargetUnit::CalendarHours, amount: 4 }),
                due_soon: DueSoon::Percent(50),
                on_breach: Escalation::default(),
            },
        ),
        (
            id(2),
            PolicyDefinition {
                name: "Other severities: office hours".into(),
                conditions: Conditions::default(),
                first_response: Some(TargetSpec { calendar_id: office, unit: TargetUnit::WorkingDays, amount: 1 }),
                resolution: Some(TargetSpec { calendar_id: office, unit: TargetUnit::WorkingDays, amount: 20 }),
                due_soon: DueSoon::Percent(75),
                on_breach: Escalation::default(),
            },
        ),
    ]
}
