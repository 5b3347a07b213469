//! In-app notifications (FR-007, FR-009, FR-010): an officer learns that a query was assigned
//! to them, that a colleague shared a customer or query with them, or that a query of theirs is
//! due soon, overdue or escalated; a team leader gets a daily digest of the team's overdue work;
//! administrators learn that a rescan quarantined a document.

use crate::{CustomerId, NotificationId, QueryId, TeamId, Timestamp, UserId, audit::Actor, validation::FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    Assigned,
    Shared,
    /// A service-level clock of the query reached its due-soon point.
    DueSoon,
    /// A service-level clock of the query passed its due time.
    Overdue,
    /// A breach escalated the query to the recipient's team.
    Escalated,
    /// The day's overdue work of a team the recipient leads.
    Digest,
    /// A rescan found a virus in a stored document and quarantined it (administrators).
    DocumentQuarantined,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 7] = [
        Self::Assigned,
        Self::Shared,
        Self::DueSoon,
        Self::Overdue,
        Self::Escalated,
        Self::Digest,
        Self::DocumentQuarantined,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Assigned => "assigned",
            Self::Shared => "shared",
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
            Self::Escalated => "escalated",
            Self::Digest => "digest",
            Self::DocumentQuarantined => "document_quarantined",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// What a notification is about: the stable deep link is built from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Query(QueryId),
    Customer(CustomerId),
    /// A team's work (a leader's digest).
    Team(TeamId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub recipient: UserId,
    pub kind: NotificationKind,
    pub subject: Subject,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub notification: NewNotification,
    pub sender: Actor,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

/// An optional message with a share: up to 1,000 characters, blank meaning none.
pub fn message(field: &str, raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > 1_000 {
        return Err(FieldError::new(field, "too_long", "Message must be 1,000 characters or fewer"));
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_optional_and_bounded() {
        assert_eq!(message("message", None), Ok(None));
        assert_eq!(message("message", Some("  ")), Ok(None));
        assert_eq!(message("message", Some(" Can you look? ")), Ok(Some("Can you look?".into())));
        assert_eq!(message("message", Some(&"x".repeat(1_001))).map_err(|e| e.code), Err("too_long"));
        assert_eq!(NotificationKind::parse("shared"), Some(NotificationKind::Shared));
    }
}
