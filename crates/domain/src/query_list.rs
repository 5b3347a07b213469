//! Finding work (FR-003, FR-008): which queries a list shows and in what order. Every sort key
//! is a 64-bit number (a time in microseconds or a reference number), so one keyset cursor
//! shape — the key's value and the id — pages any sort to its end without a row cap.

use crate::{
    CustomerId, QueryId, QueryTypeId, StatusId, TeamId, Timestamp, UserId,
    query::{Channel, Query},
    search::SearchTerms,
};

/// Where a query's service-level clocks stand, kept on the query (with its clocks, in the same
/// transaction) so that lists sort and filter on it without reading the clocks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct QueryDue {
    /// The soonest due time of its counting clocks; None when none counts (no policy applied,
    /// waiting on the customer, or done).
    pub due_at: Option<Timestamp>,
    /// The soonest "due soon" time of its counting clocks.
    pub due_soon_at: Option<Timestamp>,
    /// When a clock of it was first breached, once the breach is recorded (by the alerts, or by
    /// the clock stopping or pausing late).
    pub breached_at: Option<Timestamp>,
}

/// What a list shows of a query's service level, at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DueState {
    /// Counting, not yet due soon.
    OnTime,
    DueSoon,
    /// Counting past its due time.
    Overdue,
    /// Not counting now, but a clock was breached (resolved late, say).
    Breached,
}

impl DueState {
    pub const ALL: [DueState; 4] = [Self::OnTime, Self::DueSoon, Self::Overdue, Self::Breached];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
            Self::Breached => "breached",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

impl QueryDue {
    /// A query's due times and first breach, from its clocks at `now`.
    pub fn of_clocks(clocks: &[crate::sla::Clock], now: Timestamp) -> Self {
        let running = || clocks.iter().filter(|c| c.is_running());
        QueryDue {
            due_at: running().map(|c| c.due_at).min(),
            due_soon_at: running().map(|c| c.due_soon_at).min(),
            breached_at: clocks.iter().filter_map(|c| c.breached_at(now)).min(),
        }
    }

    /// None for a query no clock times now and none ever breached.
    pub fn state(&self, now: Timestamp) -> Option<DueState> {
        match (self.due_at, self.due_soon_at, self.breached_at) {
            (Some(due), _, _) if due <= now => Some(DueState::Overdue),
            (Some(_), Some(soon), _) if soon <= now => Some(DueState::DueSoon),
            (Some(_), _, _) => Some(DueState::OnTime),
            (None, _, Some(_)) => Some(DueState::Breached),
            (None, _, None) => None,
        }
    }
}

/// What a query with no counting clock sorts by in a due-time order: after every due time (the
/// end of 9999, UTC). The stored `due_order` column is the same (migration 0030).
pub const UNTIMED_MICROS: i64 = 253_402_214_400_000_000;

/// What a list can be sorted by: the allowlist (no free-form ORDER BY reaches the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuerySortKey {
    ReceivedAt,
    UpdatedAt,
    Reference,
    /// The soonest due time of its counting clocks; queries no clock times come last.
    DueAt,
}

impl QuerySortKey {
    pub const ALL: [QuerySortKey; 4] = [Self::ReceivedAt, Self::UpdatedAt, Self::Reference, Self::DueAt];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ReceivedAt => "received_at",
            Self::UpdatedAt => "updated_at",
            Self::Reference => "reference",
            Self::DueAt => "due_at",
        }
    }

    /// The query's value for this key, as stored in a cursor.
    pub fn value_of(&self, query: &Query) -> i64 {
        match self {
            Self::ReceivedAt => query.received_at.as_micros(),
            Self::UpdatedAt => query.updated_at.as_micros(),
            Self::Reference => i64::try_from(query.reference.number()).unwrap_or(i64::MAX),
            Self::DueAt => query.due.due_at.map_or(UNTIMED_MICROS, |due| due.as_micros()),
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
    /// Where its service level stands when the list is read (any of these).
    pub due_states: Vec<DueState>,
    /// Due (a counting clock) before.
    pub due_before: Option<Timestamp>,
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
        assert_eq!(QuerySort::allowed().len(), 8);
        assert_eq!(QuerySort::parse("-due_at").map(|s| s.key), Some(QuerySortKey::DueAt));
    }

    #[test]
    fn a_query_due_state_follows_its_times() {
        let at = |minutes: i64| Timestamp::from_micros(1_800_000_000_000_000 + minutes * 60_000_000);
        let due = QueryDue { due_at: Some(at(60)), due_soon_at: Some(at(30)), breached_at: None };
        assert_eq!(due.state(at(0)), Some(DueState::OnTime));
        assert_eq!(due.state(at(30)), Some(DueState::DueSoon));
        assert_eq!(due.state(at(59)), Some(DueState::DueSoon));
        assert_eq!(due.state(at(60)), Some(DueState::Overdue));
        let resolved_late = QueryDue { breached_at: Some(at(60)), ..QueryDue::default() };
        assert_eq!(resolved_late.state(at(90)), Some(DueState::Breached));
        assert_eq!(QueryDue::default().state(at(0)), None);
        assert!(
            Timestamp::from_micros(UNTIMED_MICROS).as_datetime().format("%Y-%m-%dT%H:%M:%S").to_string()
                == "9999-12-31T00:00:00"
        );
        for state in DueState::ALL {
            assert_eq!(DueState::parse(state.as_str()), Some(state));
        }
    }
}
