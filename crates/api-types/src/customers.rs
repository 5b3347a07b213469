//! Customers (FR-001) and duplicate checks (FR-020).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Email,
    Phone,
    Post,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    /// Up to four lines.
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub town: Option<String>,
    /// UK postcodes are validated and normalised (`bs16pn` becomes `BS1 6PN`); others are kept as typed.
    #[serde(default)]
    pub postcode: Option<String>,
    /// ISO 3166-1 alpha-2 code; `GB` when absent.
    #[serde(default)]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    #[serde(default)]
    pub feedback_surveys: bool,
    #[serde(default)]
    pub updates_by_email: bool,
}

/// A customer as entered: used to create, to replace, and to check for duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerInput {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub given_name: String,
    /// A family name or an organisation is required.
    #[serde(default)]
    pub family_name: String,
    /// Lower-cased; duplicates dropped.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Normalised to E.164; numbers without a country code are read as UK numbers.
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub preferred_channel: Option<ContactChannel>,
    /// Accessibility or contact needs, e.g. "large print", "calls after 5pm".
    #[serde(default)]
    pub contact_needs: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub consent: Consent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: Uuid,
    /// Title, given and family name; the organisation when there is no name.
    pub display_name: String,
    pub title: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub emails: Vec<String>,
    /// E.164, as stored and as the API takes them.
    pub phones: Vec<String>,
    /// The same numbers, in order, as people write them: UK numbers in national format
    /// (`0117 925 0000`), others in international format (`+1 202-456-1111`).
    #[serde(default)]
    pub phones_display: Vec<String>,
    pub address: Option<Address>,
    pub organisation: Option<String>,
    pub preferred_channel: Option<ContactChannel>,
    pub contact_needs: Option<String>,
    pub notes: Option<String>,
    pub consent: Consent,
    /// Sent as the `ETag`; send it back in `If-Match` to update.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerPage {
    pub items: Vec<Customer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Why an existing customer may be the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    SameEmail,
    SamePhone,
    SimilarNameSamePostcode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateMatch {
    pub customer: Customer,
    pub reasons: Vec<DuplicateReason>,
}

/// Likely duplicates of a customer about to be created, best matches first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateCheck {
    pub items: Vec<DuplicateMatch>,
}

/// One thing that happened to a customer or one of their queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    pub id: Uuid,
    /// When it happened; a query received by post shows the day it arrived.
    pub at: DateTime<Utc>,
    /// e.g. `customer.created`, `query.received`, `query.logged`, `query.status_changed`.
    pub kind: String,
    pub query_id: Option<Uuid>,
    /// Absent when the application itself acted.
    pub actor_id: Option<Uuid>,
    /// What to show: depends on the kind (a reference, the fields changed, the statuses).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

/// A customer's single timeline across all their queries, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Timeline {
    pub items: Vec<TimelineEvent>,
    /// The people and teams the events mention (who acted, who was assigned), by id.
    #[serde(default)]
    pub names: std::collections::BTreeMap<Uuid, String>,
}

/// The single customer view (FR-013) in one answer: the customer, the first page of their
/// queries in received order (when the caller may see queries; later pages from
/// `GET /queries?customer_id=…&cursor=…`) and their timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerOverview {
    pub customer: Customer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queries: Option<crate::queries::QueryPage>,
    pub timeline: Timeline,
}
