//! Finding work (FR-003, FR-008): which queries a list shows and in what order. Every sort key
//! is a 64-bit number (a time in microseconds or a reference number), so one keyset cursor
//! shape — the key's value and the id — pages any sort to its end without a row cap.

use crate::{
    CustomerId, QueryId, QueryTypeId, StatusId, TeamId, Timestamp, UserId,
    query::{Channel, Query},
    search::SearchTerms,
};

/// What a list can be sorted by: the allowlist (no free-form ORDER BY reaches the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuerySortKey {
    ReceivedAt,
    UpdatedAt,
    Reference,
}

impl QuerySortKey {
    pub const ALL: [QuerySortKey; 3] = [Self::ReceivedAt, Self::UpdatedAt, Self::Reference];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ReceivedAt => "received_at",
            Self::UpdatedAt => "updated_at",
            Self::Reference => "reference",
        }
    }

    /// The query's value for this key, as stored in a cursor.
    pub fn value_of(&self, query: &Query) -> i64 {
        match self {
            Self::ReceivedAt => query.received_at.as_micros(),
            Self::UpdatedAt => query.updated_at.as_micros(),
            Self::Reference => i64::try_from(query.reference.number()).unwrap_or(i64::MAX),
        }
    }
}

/// A sort key and direction, written `received_at` (ascending) or `-received_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuerySort {
    pub key: QuerySortKey,
    pub descending: bool,
}

impl Default for QuerySort {
    /// Oldest received first: the order a work queue is worked in.
    fn default() -> Self {
        Self { key: QuerySortKey::ReceivedAt, descending: false }
    }
}

impl QuerySort {
    pub fn parse(raw: &str) -> Option<Self> {
        let (descending, name) = match raw.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, raw),
        };
        QuerySortKey::ALL.into_iter().find(|k| k.as_str() == name).map(|key| Self { key, descending })
    }

    pub fn allowed() -> Vec<String> {
        QuerySortKey::ALL.iter().flat_map(|k| [k.as_str().to_owned(), format!("-{}", k.as_str())]).collect()
    }
}

impl std::fmt::Display for QuerySort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", if self.descending { "-" } else { "" }, self.key.as_str())
    }
}

/// Where the next page starts: after the last query of the previous page, in the list's sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryCursor {
    pub value: i64,
    pub id: QueryId,
}

impl QueryCursor {
    pub fn after(query: &Query, sort: QuerySort) -> Self {
        Self { value: sort.key.value_of(query), id: query.id }
    }
}

/// Who a list's queries are assigned to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    /// Assigned to no officer.
    Nobody,
    Officer(UserId),
}

/// Which queries a list shows; every part narrows it, and an empty part does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryFilter {
    pub statuses: Vec<StatusId>,
    pub channels: Vec<Channel>,
    pub types: Vec<QueryTypeId>,
    pub customer_id: Option<CustomerId>,
    pub assignee: AssigneeFilter,
    pub team_id: Option<TeamId>,
    /// Some(true): only queries whose status is not resolved or closed; Some(false): only those.
    pub open: Option<bool>,
    /// Received at or after.
    pub received_from: Option<Timestamp>,
    /// Received before.
    pub received_before: Option<Timestamp>,
    pub search: Option<SearchTerms>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_parse_from_the_allowlist_only() {
        assert_eq!(QuerySort::parse("received_at"), Some(QuerySort::default()));
        let newest = QuerySort::parse("-updated_at").expect("allowed");
        assert!(newest.descending && newest.key == QuerySortKey::UpdatedAt);
        assert_eq!(newest.to_string(), "-updated_at");
        for bad in ["", "-", "subject", "received_at;drop", "--reference"] {
            assert_eq!(QuerySort::parse(bad), None, "{bad}");
        }
        assert_eq!(QuerySort::allowed().len(), 6);
    }
}
