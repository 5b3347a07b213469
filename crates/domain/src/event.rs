//! Timeline events (FR-013): everything that happened to a customer or a query, in time order,
//! from one table, so the single customer view needs one read.

use crate::{CustomerId, QueryId, Timestamp, audit::Actor};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: Uuid,
    /// When it happened (for a query received by post, the date it arrived, not when logged).
    pub at: Timestamp,
    /// `customer.created`, `customer.updated`, `query.received`, `query.logged`,
    /// `query.status_changed`, and later notes, calls, letters, emails, documents, feedback.
    pub kind: String,
    pub customer_id: Option<CustomerId>,
    pub query_id: Option<QueryId>,
    pub actor: Actor,
    /// What to show, as JSON (e.g. the status moved to, the fields changed).
    pub details: serde_json::Value,
}
