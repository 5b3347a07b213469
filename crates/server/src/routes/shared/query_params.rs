//! The work queue's parameters, parsed once for every place that takes them: the list itself,
//! saved views (which keep them as a query string) and the customer overview (whose first page
//! of queries pages on through the list).

use super::paging;
use actix_web::web;
use chrono::{DateTime, NaiveDate, Utc};
use domain::{
    CustomerId, FieldError, QueryId, QueryTypeId, StatusId, TeamId, Timestamp, UserId, ValidationErrors,
    query::{Channel, QueryFilter},
    query_list::{AssigneeFilter, DueState, QueryCursor, QuerySort},
    search::SearchTerms,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueryListParams {
    /// Status ids, comma-separated: any of them.
    status: Option<String>,
    /// Channels, comma-separated (`email,phone,post,despatch_box,in_person,web_form`): any of them.
    channel: Option<String>,
    /// Only this customer's queries.
    customer_id: Option<String>,
    /// Received on or after: a date (`2026-01-31`, from midnight UTC) or an RFC 3339 time.
    received_from: Option<String>,
    /// Received before: a date (midnight UTC starting it) or an RFC 3339 time.
    received_before: Option<String>,
    /// Query type ids, comma-separated: any of them (a type includes its sub-types).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    type_ids: Option<String>,
    /// `me`, `none` (unassigned) or an officer's user id.
    assignee: Option<String>,
    /// Only this team's queries.
    team_id: Option<String>,
    /// `true`: not resolved or closed; `false`: resolved or closed.
    open: Option<bool>,
    /// Where the service level stands now, comma-separated (`on_time`, `due_soon`, `overdue`,
    /// `breached`: no longer counting, but a clock was breached): any of them.
    due: Option<String>,
    /// Due before: a date (midnight UTC starting it) or an RFC 3339 time (only queries a
    /// counting clock times).
    due_before: Option<String>,
    /// Full-text search across reference, subject, description and the customer's name, email
    /// and postcode. Every word must match; the last word of each is a prefix.
    pub q: Option<String>,
    /// One of `received_at`, `updated_at`, `reference`, `due_at` (soonest due first; queries no
    /// clock times last), each optionally prefixed with `-` for descending. Default
    /// `received_at` (oldest first).
    sort: Option<String>,
}

fn list<T>(errors: &mut ValidationErrors, field: &str, raw: Option<&str>, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    let mut parsed = vec![];
    for (i, part) in raw.unwrap_or_default().split(',').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        match parse(part) {
            Some(value) => parsed.push(value),
            None => {
                errors.push(FieldError::new(format!("{field}[{i}]"), "invalid_value", "This value is not recognised"))
            }
        }
    }
    parsed
}

fn instant(errors: &mut ValidationErrors, field: &str, raw: Option<&str>) -> Option<Timestamp> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc)).ok().or_else(|| {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
    });
    let parsed = parsed.map(Timestamp::from_datetime);
    if parsed.is_none() {
        errors.push(FieldError::new(field, "invalid_date", "Enter a date like 2026-01-31"));
    }
    parsed
}

fn one_id<T>(errors: &mut ValidationErrors, field: &str, raw: Option<&str>, make: impl Fn(Uuid) -> T) -> Option<T> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = Uuid::parse_str(raw).ok().map(make);
    errors.check(parsed.ok_or_else(|| FieldError::new(field, "invalid_value", "This value is not recognised")))
}

impl QueryListParams {
    /// The filter these parameters describe, for `me` the signed-in officer.
    pub fn filter(&self, errors: &mut ValidationErrors, me: UserId) -> QueryFilter {
        let uuid = |raw: &str| Uuid::parse_str(raw).ok();
        let customer_id = one_id(errors, "customer_id", self.customer_id.as_deref(), CustomerId::from_uuid);
        let assignee = match self.assignee.as_deref().map(str::trim) {
            None | Some("") => AssigneeFilter::Anyone,
            Some("me") => AssigneeFilter::Officer(me),
            Some("none") => AssigneeFilter::Nobody,
            Some(raw) => one_id(errors, "assignee", Some(raw), |id| AssigneeFilter::Officer(UserId::from_uuid(id)))
                .unwrap_or_default(),
        };
        let search = self.q.as_deref().filter(|q| !q.trim().is_empty()).and_then(|q| {
            errors.check(
                SearchTerms::parse(q)
                    .ok_or_else(|| FieldError::new("q", "no_search_terms", "Enter letters or numbers to search for")),
            )
        });
        QueryFilter {
            statuses: list(errors, "status", self.status.as_deref(), |raw| uuid(raw).map(StatusId::from_uuid)),
            channels: list(errors, "channel", self.channel.as_deref(), Channel::parse),
            types: list(errors, "type", self.type_ids.as_deref(), |raw| uuid(raw).map(QueryTypeId::from_uuid)),
            customer_id,
            assignee,
            team_id: one_id(errors, "team_id", self.team_id.as_deref(), TeamId::from_uuid),
            open: self.open,
            received_from: instant(errors, "received_from", self.received_from.as_deref()),
            received_before: instant(errors, "received_before", self.received_before.as_deref()),
            due_states: list(errors, "due", self.due.as_deref(), DueState::parse),
            due_before: instant(errors, "due_before", self.due_before.as_deref()),
            search,
        }
    }

    pub fn sort(&self, errors: &mut ValidationErrors) -> QuerySort {
        let Some(raw) = self.sort.as_deref().map(str::trim).filter(|r| !r.is_empty()) else {
            return QuerySort::default();
        };
        let allowed = QuerySort::allowed().join(", ");
        errors
            .check(
                QuerySort::parse(raw)
                    .ok_or_else(|| FieldError::new("sort", "unknown_sort", format!("Sort by one of: {allowed}"))),
            )
            .unwrap_or_default()
    }
}

/// The filter a saved view keeps as a query string, checked exactly as the list checks its own
/// parameters; errors name the `filter` field.
pub fn parse_saved_filter(raw: &str, me: UserId) -> Result<QueryFilter, FieldError> {
    let params = web::Query::<QueryListParams>::from_query(raw)
        .map_err(|_| FieldError::new("filter", "invalid_filter", "Use the query string of a work-queue list"))?;
    let mut errors = ValidationErrors::default();
    let filter = params.filter(&mut errors, me);
    match errors.0.first() {
        None => Ok(filter),
        Some(first) => Err(FieldError::new("filter", "invalid_filter", format!("{}: {}", first.field, first.message))),
    }
}

/// What a page of queries belongs to, for its cursors: the sort and the filter as parsed (so
/// `status=a,b` and `status=b,a` are one list).
pub fn list_key(sort: QuerySort, filter: &QueryFilter) -> String {
    format!("queries|{sort:?}|{filter:?}")
}

/// The `next_cursor` of the list `GET /queries` gives for `filter` in `sort`, after `last`.
pub fn cursor_after(last: &domain::query::Query, sort: QuerySort, filter: &QueryFilter) -> String {
    paging::cursor_for(&list_key(sort, filter), &encode_cursor(QueryCursor::after(last, sort)))
}

/// A cursor in a sorted list: the sort key's value (8 bytes, big-endian) then the id.
pub fn encode_cursor(cursor: QueryCursor) -> Vec<u8> {
    [cursor.value.to_be_bytes().as_slice(), cursor.id.as_uuid().as_bytes()].concat()
}

pub fn decode_cursor(bytes: &[u8]) -> Option<QueryCursor> {
    let (value, id) = bytes.split_at_checked(8)?;
    Some(QueryCursor {
        value: i64::from_be_bytes(value.try_into().ok()?),
        id: QueryId::from_uuid(Uuid::from_slice(id).ok()?),
    })
}
