//! Internal notes and contact records on a query: each phone call, letter or visit, with its
//! direction and when it happened, so the timeline shows every interaction.

use crate::{NoteId, QueryId, Timestamp, audit::Actor, query::Channel, validation::FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteKind {
    /// For colleagues only.
    Note,
    /// A record of a contact with the customer or someone acting for them.
    Contact,
}

impl NoteKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Contact => "contact",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Note, Self::Contact].into_iter().find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Inbound, Self::Outbound].into_iter().find(|d| d.as_str() == raw)
    }
}

/// How a contact happened and which way it went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactDetails {
    pub direction: Direction,
    pub channel: Channel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub kind: NoteKind,
    /// Present exactly when `kind` is `Contact`.
    pub contact: Option<ContactDetails>,
    /// When the contact happened (or, for a note, when it was written); never in the future.
    pub occurred_at: Timestamp,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: NoteId,
    pub query_id: QueryId,
    pub note: NewNote,
    pub author: Actor,
    pub created_at: Timestamp,
}

/// A note's text: 1 to 10,000 characters.
pub fn body(field: &str, raw: &str) -> Result<String, FieldError> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(FieldError::new(field, "required", "Enter the note"));
    }
    if body.chars().count() > 10_000 {
        return Err(FieldError::new(field, "too_long", "Note must be 10,000 characters or fewer"));
    }
    Ok(body.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_directions_round_trip() {
        for kind in [NoteKind::Note, NoteKind::Contact] {
            assert_eq!(NoteKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Direction::parse("outbound"), Some(Direction::Outbound));
        assert_eq!(Direction::parse("sideways"), None);
    }

    #[test]
    fn bodies_are_required_and_bounded() {
        assert_eq!(body("body", " Rang back "), Ok("Rang back".into()));
        assert_eq!(body("body", "").map_err(|e| e.code), Err("required"));
        assert_eq!(body("body", &"x".repeat(10_001)).map_err(|e| e.code), Err("too_long"));
    }
}
