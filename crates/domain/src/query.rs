//! Customer queries (FR-002, FR-003, FR-006, FR-011): the vocabulary the query records, the
//! work queue and the SLA clocks will share. Statuses are tenant data; each belongs to one of a
//! fixed set of categories, which is what workflows and clocks reason about.

use crate::{
    CustomerId, QueryId, QueryTypeId, StatusId, TeamId, TenantId, Timestamp, UserId,
    audit::Actor,
    validation::{FieldError, ValidationErrors},
};
use serde::{Deserialize, Serialize};

pub use crate::query_list::QueryFilter;

/// How a query reached the service (FR-002, FR-004).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Phone,
    Post,
    DespatchBox,
    InPerson,
    WebForm,
}

impl Channel {
    pub const ALL: [Channel; 6] =
        [Channel::Email, Channel::Phone, Channel::Post, Channel::DespatchBox, Channel::InPerson, Channel::WebForm];

    pub fn as_str(&self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Post => "post",
            Channel::DespatchBox => "despatch_box",
            Channel::InPerson => "in_person",
            Channel::WebForm => "web_form",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// What a status means, whatever a tenant calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusCategory {
    New,
    Open,
    /// Waiting on the customer or a third party: SLA clocks may pause here.
    Waiting,
    Resolved,
    Closed,
}

impl StatusCategory {
    pub const ALL: [StatusCategory; 5] = [Self::New, Self::Open, Self::Waiting, Self::Resolved, Self::Closed];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Open => "open",
            Self::Waiting => "waiting",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// Work is finished: the query leaves the open work queues.
    pub fn is_done(&self) -> bool {
        matches!(self, Self::Resolved | Self::Closed)
    }
}

/// The statuses a new tenant starts with, in display order; the first is the default.
pub const DEFAULT_STATUSES: [(&str, StatusCategory); 5] = [
    ("New", StatusCategory::New),
    ("In progress", StatusCategory::Open),
    ("Waiting for customer", StatusCategory::Waiting),
    ("Resolved", StatusCategory::Resolved),
    ("Closed", StatusCategory::Closed),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Self::Low, Self::Normal, Self::High, Self::Urgent];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }
}

/// One of a tenant's statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryStatus {
    pub id: StatusId,
    pub name: String,
    pub category: StatusCategory,
    pub position: i32,
    /// The status new queries start in under the default workflow.
    pub is_default: bool,
    /// Retired statuses stay on the queries and history that used them but cannot be added
    /// to a workflow again until restored.
    pub retired: bool,
    /// The record's version, for If-Match.
    pub version: i64,
}

/// A query as first logged, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuery {
    /// None for an anonymous contact.
    pub customer_id: Option<CustomerId>,
    pub channel: Channel,
    pub priority: Priority,
    pub subject: String,
    pub description: String,
    pub received_at: Timestamp,
    pub type_id: Option<QueryTypeId>,
    pub assignment: Assignment,
}

/// The details of a query that can be corrected after it was logged (assignment and status
/// have their own operations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryEdit {
    pub customer_id: Option<CustomerId>,
    pub channel: Channel,
    pub priority: Priority,
    pub subject: String,
    pub description: String,
    pub received_at: Timestamp,
    pub type_id: Option<QueryTypeId>,
}

/// Who is working a query: an officer, a team, both or (unassigned) neither (FR-007).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Assignment {
    pub officer: Option<UserId>,
    pub team: Option<TeamId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub tenant_id: TenantId,
    pub id: QueryId,
    pub reference: QueryReference,
    pub customer_id: Option<CustomerId>,
    pub channel: Channel,
    pub priority: Priority,
    pub status_id: StatusId,
    pub subject: String,
    pub description: String,
    /// When it reached us; `created_at` is when it was logged.
    pub received_at: Timestamp,
    pub type_id: Option<QueryTypeId>,
    pub assignment: Assignment,
    /// Whether its status is in a category that is not done (resolved or closed).
    pub is_open: bool,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Where its service-level clocks stand, kept with the clocks.
    pub due: crate::query_list::QueryDue,
}

/// One entry of a query's status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusTransition {
    pub seq: i32,
    /// None for the first status a query was logged in.
    pub from: Option<StatusId>,
    pub to: StatusId,
    pub at: Timestamp,
    pub actor: Actor,
    /// The workflow version the move was checked against (None for moves made before
    /// workflows existed).
    pub workflow: Option<crate::workflow::WorkflowRef>,
    /// The fields the move asked for.
    pub resolution_summary: Option<String>,
    pub reason: Option<String>,
}

/// A query's human reference, unique and increasing per tenant (gaps allowed): `Q-000123`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QueryReference(u64);

impl QueryReference {
    pub fn new(number: u64) -> Self {
        Self(number)
    }

    pub fn number(&self) -> u64 {
        self.0
    }

    /// Accepts what people type: `Q-000123`, `q-123`, `Q123`.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let digits = raw.strip_prefix(['Q', 'q'])?.trim_start_matches('-');
        if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().filter(|n| *n > 0).map(Self)
    }
}

impl std::fmt::Display for QueryReference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Q-{:06}", self.0)
    }
}

/// A clock allowance for "now" on the client's side of the wire.
const CLOCK_SKEW_SECS: i64 = 300;

/// When a query reached us (FR-011): for post it may be days before it was logged, but never
/// in the future. Defaults to now.
pub fn received_at(field: &str, raw: Option<Timestamp>, now: Timestamp) -> Result<Timestamp, FieldError> {
    let Some(at) = raw else { return Ok(now) };
    if at > now.plus_seconds(CLOCK_SKEW_SECS) {
        return Err(FieldError::new(field, "in_future", "The date received must be today or in the past"));
    }
    Ok(at)
}

/// A one-line summary, 1 to 200 characters.
pub fn subject(field: &str, raw: &str) -> Result<String, FieldError> {
    let subject = raw.trim();
    if subject.is_empty() {
        return Err(FieldError::new(field, "required", "Enter a summary of the query"));
    }
    if subject.chars().count() > 200 {
        return Err(FieldError::new(field, "too_long", "Summary must be 200 characters or fewer"));
    }
    Ok(subject.to_owned())
}

/// The most a description holds: a long letter, typed in or pasted.
pub const DESCRIPTION_MAX_CHARS: usize = 20_000;

/// The full account of the query, trimmed; may be empty, at most 20,000 characters.
pub fn description(field: &str, raw: &str) -> Result<String, FieldError> {
    let description = raw.trim();
    if description.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", "Description must be 20,000 characters or fewer"));
    }
    Ok(description.to_owned())
}

/// What every query says of itself, checked together when it is logged and when it is
/// corrected, so that every field at fault is reported at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub subject: String,
    pub description: String,
    pub received_at: Timestamp,
}

impl Account {
    /// `received_at` defaults to `now`.
    pub fn check(
        subject: &str,
        description: &str,
        received_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let subject = errors.check(self::subject("subject", subject));
        let description = errors.check(self::description("description", description));
        let received_at = errors.check(self::received_at("received_at", received_at, now));
        match (subject, description, received_at) {
            (Some(subject), Some(description), Some(received_at)) => Ok(Self { subject, description, received_at }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_reports_every_field_at_fault() {
        let now = Timestamp::now();
        let account = Account::check(" Bins ", "", None, now).expect("valid");
        assert_eq!((account.subject.as_str(), account.received_at), ("Bins", now));
        let refused =
            Account::check("", &"x".repeat(20_001), Some(now.plus_seconds(3_600)), now).expect_err("three faults");
        let fields: Vec<&str> = refused.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["subject", "description", "received_at"]);
    }

    #[test]
    fn a_description_is_trimmed_and_at_most_20000_characters() {
        assert_eq!(description("description", "  letter  ").as_deref(), Ok("letter"));
        assert_eq!(description("description", "").as_deref(), Ok(""));
        let longest = "é".repeat(DESCRIPTION_MAX_CHARS);
        assert!(description("description", &longest).is_ok(), "counted in characters, not bytes");
        let refused = description("description", &format!("{longest}x")).expect_err("one too many");
        assert_eq!((refused.field.as_str(), refused.code), ("description", "too_long"));
    }

    #[test]
    fn channels_and_categories_round_trip() {
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
        }
        for category in StatusCategory::ALL {
            assert_eq!(StatusCategory::parse(category.as_str()), Some(category));
        }
        assert_eq!(Channel::parse("fax"), None);
        assert!(StatusCategory::Resolved.is_done() && !StatusCategory::Waiting.is_done());
        assert_eq!(DEFAULT_STATUSES[0].1, StatusCategory::New);
    }

    #[test]
    fn references_format_and_parse_as_typed() {
        assert_eq!(QueryReference::new(123).to_string(), "Q-000123");
        assert_eq!(QueryReference::new(1_234_567).to_string(), "Q-1234567");
        for raw in ["Q-000123", "q-123", "Q123", " Q-123 "] {
            assert_eq!(QueryReference::parse(raw), Some(QueryReference::new(123)), "{raw}");
        }
        for raw in ["", "Q-", "123", "Q-12a", "Q-0", "X-123"] {
            assert_eq!(QueryReference::parse(raw), None, "{raw}");
        }
    }

    #[test]
    fn received_at_is_never_in_the_future() {
        let now = Timestamp::from_micros(1_800_000_000_000_000);
        assert_eq!(received_at("received_at", None, now), Ok(now));
        let last_week = now.plus_seconds(-7 * 86_400);
        assert_eq!(received_at("received_at", Some(last_week), now), Ok(last_week));
        assert_eq!(
            received_at("received_at", Some(now.plus_seconds(60)), now).map(|t| t.as_micros()),
            Ok(now.plus_seconds(60).as_micros()),
            "clock skew allowed"
        );
        let tomorrow = received_at("received_at", Some(now.plus_seconds(86_400)), now).expect_err("future");
        assert_eq!((tomorrow.field.as_str(), tomorrow.code), ("received_at", "in_future"));
    }

    #[test]
    fn subjects_are_trimmed_and_bounded() {
        assert_eq!(subject("subject", "  Planning appeal  "), Ok("Planning appeal".into()));
        assert_eq!(subject("subject", " ").map_err(|e| e.code), Err("required"));
        assert_eq!(subject("subject", &"x".repeat(201)).map_err(|e| e.code), Err("too_long"));
    }
}
