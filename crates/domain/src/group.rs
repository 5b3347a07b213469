//! Groups: the units permissions are granted to (FR-014). Administrators name them, give them
//! a level in each area and choose their members; Entra group mappings add members at sign-in.

use crate::{Grant, GroupId, Timestamp, UserId, validation::FieldError};

/// A group name: 1 to 100 characters, unique per tenant.
pub fn group_name(field: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, "required", "Enter a group name"));
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new(field, "too_long", "Name must be 100 characters or fewer"));
    }
    Ok(name.to_owned())
}

/// What the group is for, shown beside its name: at most 500 characters.
pub fn group_description(field: &str, raw: &str) -> Result<String, FieldError> {
    let description = raw.trim();
    if description.chars().count() > 500 {
        return Err(FieldError::new(field, "too_long", "Description must be 500 characters or fewer"));
    }
    Ok(description.to_owned())
}

/// A group as administrators set it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDetails {
    pub name: String,
    pub description: String,
    /// At most one per area (the API refuses a repeated area), in area order.
    pub grants: Vec<Grant>,
    /// Distinct, in the order given.
    pub members: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: GroupId,
    pub details: GroupDetails,
    /// Built-in groups (Administrators, Customer officers) keep their grants and cannot be
    /// deleted, so a tenant can never lose its way back in.
    pub builtin: bool,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
