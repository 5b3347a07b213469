//! Teams of officers and the query-type taxonomy (FR-007, FR-006): tenant data that
//! administrators manage and that queries refer to.

use crate::{QueryTypeId, TeamId, Timestamp, UserId, validation::FieldError};

/// A team name: 1 to 100 characters, unique per tenant.
pub fn team_name(field: &str, raw: &str) -> Result<String, FieldError> {
    bounded_name(field, raw, "Enter a team name")
}

/// A query type or sub-type name: 1 to 100 characters, unique among its siblings.
pub fn type_name(field: &str, raw: &str) -> Result<String, FieldError> {
    bounded_name(field, raw, "Enter a name for the query type")
}

fn bounded_name(field: &str, raw: &str, missing: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, "required", missing));
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new(field, "too_long", "Name must be 100 characters or fewer"));
    }
    Ok(name.to_owned())
}

/// A team as administrators set it up: a name, its members and which of them lead it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamDetails {
    pub name: String,
    /// Distinct, in the order given.
    pub members: Vec<UserId>,
    /// Members who lead the team (they see its workload); each one is also in `members`.
    pub leaders: Vec<UserId>,
}

impl TeamDetails {
    /// A team of `members`, none of them leading it.
    pub fn new(name: impl Into<String>, members: Vec<UserId>) -> Self {
        Self { name: name.into(), members, leaders: Vec::new() }
    }

    pub fn leads(&self, user: UserId) -> bool {
        self.leaders.contains(&user)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    pub details: TeamDetails,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A type (no parent) or a sub-type (under a type). Retired types stay on old queries but are
/// not offered for new ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryType {
    pub id: QueryTypeId,
    pub parent_id: Option<QueryTypeId>,
    pub name: String,
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQueryType {
    pub parent_id: Option<QueryTypeId>,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(team_name("name", " Planning "), Ok("Planning".into()));
        assert_eq!(team_name("name", "  ").map_err(|e| e.code), Err("required"));
        assert_eq!(type_name("name", &"x".repeat(101)).map_err(|e| e.code), Err("too_long"));
    }
}
