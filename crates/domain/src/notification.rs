//! In-app notifications (FR-007, FR-010): an officer learns that a query was assigned to them,
//! or that a colleague shared a customer or query with them, with a link to it.

use crate::{CustomerId, NotificationId, QueryId, Timestamp, UserId, audit::Actor, validation::FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    Assigned,
    Shared,
}

impl NotificationKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Assigned => "assigned",
            Self::Shared => "shared",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Assigned, Self::Shared].into_iter().find(|k| k.as_str() == raw)
    }
}

/// What a notification is about: the stable deep link is built from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Query(QueryId),
    Customer(CustomerId),
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
