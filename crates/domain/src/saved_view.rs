//! Saved work-queue views (FR-008): a named filter, columns and sort, personal or shared with a
//! team. The filter is kept as the list's own query string, so a view is exactly the link it
//! opens, and is checked by the same parser when saved and when counted.

use crate::{TeamId, Timestamp, UserId, ViewId, query_list::QuerySort, validation::FieldError};

/// The columns a work queue can show, in the order offered.
pub const COLUMNS: [&str; 12] = [
    "reference",
    "subject",
    "customer",
    "channel",
    "status",
    "priority",
    "type",
    "assignee",
    "team",
    "received_at",
    "updated_at",
    "due_at",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewDetails {
    pub name: String,
    /// The query string of `/api/v1/queries` (without sort, cursor or limit).
    pub filter: String,
    pub columns: Vec<String>,
    pub sort: QuerySort,
    /// Shared with this team's members; personal when absent.
    pub team: Option<TeamId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    pub id: ViewId,
    pub owner: UserId,
    pub details: ViewDetails,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A view name: 1 to 100 characters.
pub fn name(field: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, "required", "Enter a name for the view"));
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new(field, "too_long", "Name must be 100 characters or fewer"));
    }
    Ok(name.to_owned())
}

/// Columns from the allowlist, each once, in the order given; at least one.
pub fn columns(field: &str, raw: &[String]) -> Result<Vec<String>, FieldError> {
    let mut chosen: Vec<String> = Vec::new();
    for (i, column) in raw.iter().enumerate() {
        if !COLUMNS.contains(&column.as_str()) {
            return Err(FieldError::new(format!("{field}[{i}]"), "unknown_column", "Choose columns from the list"));
        }
        if !chosen.contains(column) {
            chosen.push(column.clone());
        }
    }
    if chosen.is_empty() {
        return Err(FieldError::new(field, "required", "Choose at least one column"));
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_come_from_the_allowlist_once_each() {
        let raw = ["subject".to_owned(), "status".to_owned(), "subject".to_owned()];
        assert_eq!(columns("columns", &raw), Ok(vec!["subject".to_owned(), "status".to_owned()]));
        assert_eq!(columns("columns", &["password".to_owned()]).map_err(|e| e.field), Err("columns[0]".to_owned()));
        assert_eq!(columns("columns", &[]).map_err(|e| e.code), Err("required"));
        assert_eq!(name("name", " Mine ").as_deref(), Ok("Mine"));
    }
}
