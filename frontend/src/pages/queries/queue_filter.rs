//! What the work queue shows: its filters, search and sort, how they live in the address bar
//! (so a filtered list is a link someone can bookmark or send, and a ready-made view is just
//! such a link) and how they become an API request.

use api_types::QueryChannel;
use leptos_router::params::ParamsMap;
use uuid::Uuid;

use crate::api::Params;
use crate::dom;
use crate::forms::FormErrors;
use crate::pages::queries::columns;
use crate::pages::queries::words::{channel_from_key, channel_key};
use crate::time::{self, LondonTime};

/// The sorts the API allows, as offered in the "Sort by" select; the first is the API's default.
pub const SORTS: [(&str, &str); 8] = [
    ("received_at", "Received (oldest first)"),
    ("-received_at", "Received (newest first)"),
    ("-updated_at", "Updated (most recent first)"),
    ("updated_at", "Updated (least recent first)"),
    ("reference", "Reference (lowest first)"),
    ("-reference", "Reference (highest first)"),
    ("due_at", "Due (soonest first)"),
    ("-due_at", "Due (latest first)"),
];

/// Where a query's service level stands, as the filter offers it (API key, words).
pub const DUE_STATES: [(&str, &str); 4] =
    [("overdue", "Overdue"), ("due_soon", "Due soon"), ("on_time", "On time"), ("breached", "Breached earlier")];

/// Who a query is assigned to, as the address bar and the API spell it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Assignee {
    #[default]
    Anyone,
    Me,
    Nobody,
    Officer(Uuid),
}

impl Assignee {
    fn parse(raw: &str) -> Self {
        match raw.trim() {
            "me" => Self::Me,
            "none" => Self::Nobody,
            other => Uuid::parse_str(other).map_or(Self::Anyone, Self::Officer),
        }
    }

    pub fn key(&self) -> Option<String> {
        match self {
            Self::Anyone => None,
            Self::Me => Some("me".to_owned()),
            Self::Nobody => Some("none".to_owned()),
            Self::Officer(id) => Some(id.to_string()),
        }
    }
}

/// What the list is filtered by. Dates are London days as `YYYY-MM-DD`, both inclusive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Full-text search: reference, subject, description, customer name, email or postcode.
    pub q: String,
    pub statuses: Vec<Uuid>,
    pub channels: Vec<QueryChannel>,
    /// Query types; each includes its sub-types.
    pub types: Vec<Uuid>,
    pub assignee: Assignee,
    pub team_id: Option<Uuid>,
    /// `Some(true)`: open only; `Some(false)`: resolved or closed only.
    pub open: Option<bool>,
    /// Keys of [`DUE_STATES`]: any of them.
    pub due: Vec<String>,
    pub received_from: String,
    pub received_to: String,
    /// One of [`SORTS`]; empty for the API's default.
    pub sort: String,
    /// The table's columns (a saved view's); empty for the default set.
    pub columns: Vec<String>,
}

/// The address bar's parameter names; the same as the API's where the meaning is the same.
/// `received_to` is the SPA's own: people think of a last day, the API of an end instant.
pub const Q: &str = "q";
const STATUS: &str = "status";
const CHANNEL: &str = "channel";
const TYPE: &str = "type";
const ASSIGNEE: &str = "assignee";
const TEAM: &str = "team_id";
const OPEN: &str = "open";
const DUE: &str = "due";
pub const FROM: &str = "received_from";
pub const TO: &str = "received_to";
pub const SORT: &str = "sort";
const COLUMNS: &str = "columns";
pub const CURSOR: &str = "cursor";

fn split(raw: Option<String>) -> Vec<String> {
    raw.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// A day as `YYYY-MM-DD`: as given, or the London day of an instant (the "Received today"
/// view's filter names the instant the UK day started).
fn london_day(raw: &str) -> Option<String> {
    if time::london_day_start(raw, 0).is_some() {
        return Some(raw.to_owned());
    }
    let millis = js_sys::Date::parse(raw);
    (!millis.is_nan()).then(|| {
        let day = LondonTime::at(millis as i64);
        format!("{:04}-{:02}-{:02}", day.year, day.month, day.day)
    })
}

impl QueueFilter {
    /// The filter in the address bar; anything not understood is ignored, as a hand-edited
    /// link should still show a list.
    pub fn from_params(params: &ParamsMap) -> Self {
        let date = |key| params.get(key).and_then(|d| london_day(&d)).unwrap_or_default();
        Self {
            q: params.get(Q).map(|q| q.trim().to_owned()).unwrap_or_default(),
            statuses: split(params.get(STATUS)).iter().filter_map(|s| Uuid::parse_str(s).ok()).collect(),
            channels: split(params.get(CHANNEL)).iter().filter_map(|c| channel_from_key(c)).collect(),
            types: split(params.get(TYPE)).iter().filter_map(|t| Uuid::parse_str(t).ok()).collect(),
            assignee: params.get(ASSIGNEE).map(|a| Assignee::parse(&a)).unwrap_or_default(),
            team_id: params.get(TEAM).and_then(|t| Uuid::parse_str(t.trim()).ok()),
            open: params.get(OPEN).and_then(|o| o.trim().parse().ok()),
            due: split(params.get(DUE)).into_iter().filter(|d| DUE_STATES.iter().any(|(key, _)| key == d)).collect(),
            received_from: date(FROM),
            received_to: date(TO),
            sort: params.get(SORT).filter(|s| SORTS.iter().any(|(key, _)| key == s)).unwrap_or_default(),
            columns: params.get(COLUMNS).map(|c| columns::chosen(c.split(','))).unwrap_or_default(),
        }
    }

    /// A view's filter (`assignee=me&open=true`), read the way the address bar is.
    pub fn from_query_string(raw: &str) -> Self {
        let mut params = ParamsMap::new();
        for pair in raw.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                js_sys::decode_uri_component(&s.replace('+', " ")).map(String::from).unwrap_or_else(|_| s.to_owned())
            };
            params.insert(decode(key), decode(value));
        }
        Self::from_params(&params)
    }

    /// No filter or search (the sort and columns do not count).
    pub fn is_empty(&self) -> bool {
        self.unsorted() == Self::default()
    }

    /// The same filter, without a sort or columns: what a view is matched and saved by.
    pub fn unsorted(&self) -> Self {
        Self { sort: String::new(), columns: Vec::new(), ..self.clone() }
    }

    /// The columns to show.
    pub fn shown_columns(&self) -> Vec<String> {
        if self.columns.is_empty() { columns::default() } else { self.columns.clone() }
    }

    /// The address bar's and the API's shared parameters; `received_to` and the dates are
    /// the SPA's own (see [`Self::api_params`]).
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push((Q, self.q.clone()));
        }
        if !self.statuses.is_empty() {
            pairs.push((STATUS, self.statuses.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",")));
        }
        if !self.channels.is_empty() {
            pairs.push((CHANNEL, self.channels.iter().map(|c| channel_key(*c)).collect::<Vec<_>>().join(",")));
        }
        if !self.types.is_empty() {
            pairs.push((TYPE, self.types.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",")));
        }
        if let Some(key) = self.assignee.key() {
            pairs.push((ASSIGNEE, key));
        }
        if let Some(team) = self.team_id {
            pairs.push((TEAM, team.to_string()));
        }
        if let Some(open) = self.open {
            pairs.push((OPEN, open.to_string()));
        }
        if !self.due.is_empty() {
            pairs.push((DUE, self.due.join(",")));
        }
        pairs
    }

    /// `?q=…&status=…` for the work queue's own address (with a page cursor if given).
    pub fn to_search(&self, cursor: Option<&str>) -> String {
        let mut pairs = self.pairs();
        if !self.received_from.is_empty() {
            pairs.push((FROM, self.received_from.clone()));
        }
        if !self.received_to.is_empty() {
            pairs.push((TO, self.received_to.clone()));
        }
        if !self.sort.is_empty() {
            pairs.push((SORT, self.sort.clone()));
        }
        if !self.columns.is_empty() {
            pairs.push((COLUMNS, self.columns.join(",")));
        }
        if let Some(cursor) = cursor {
            pairs.push((CURSOR, cursor.to_owned()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        let joined: Vec<String> =
            pairs.into_iter().map(|(key, value)| format!("{key}={}", dom::url_encode(&value))).collect();
        format!("?{}", joined.join("&"))
    }

    /// The work queue's address for this filter.
    pub fn href(&self, cursor: Option<&str>) -> String {
        format!("/queries{}", self.to_search(cursor))
    }

    /// The API's parameters for this filter. Dates become the instants London days start, the
    /// last day inclusive.
    pub fn api_params(&self) -> Params {
        let mut params = self.pairs().into_iter().fold(Params::none(), |params, (key, value)| params.with(key, value));
        if let Some(from) = time::london_day_start(&self.received_from, 0) {
            params = params.with("received_from", from);
        }
        if let Some(before) = time::london_day_start(&self.received_to, 1) {
            params = params.with("received_before", before);
        }
        if !self.sort.is_empty() {
            params = params.with("sort", &self.sort);
        }
        params
    }

    /// How the list is ordered, in words ("oldest first").
    pub fn sort_text(&self) -> &'static str {
        SORTS.iter().find(|(key, _)| *key == self.sort).map_or(SORTS[0].1, |(_, text)| text)
    }

    /// Problems a person can fix before the filter is applied.
    pub fn check(&self) -> FormErrors {
        let both = !self.received_from.is_empty() && !self.received_to.is_empty();
        // ISO dates compare correctly as text.
        if both && self.received_to < self.received_from {
            return FormErrors::field(TO, "The ‘to’ date must be the same as or after the ‘from’ date");
        }
        FormErrors::default()
    }
}

/// Where the officer's work queue opens when they come to it from the menu: the filters and
/// sort they last used, without search text (which may name a customer, and is kept out of the
/// browser's storage); the first time, their own open queries, oldest (most urgent) first.
pub fn last_view_href(user: Uuid) -> String {
    crate::dom::recall(&last_view_key(user)).unwrap_or_else(|| "/queries?assignee=me&open=true".to_owned())
}

/// Remembers a list the officer has opened, as [`last_view_href`] gives it back.
pub fn remember_view(user: Uuid, filter: &QueueFilter) {
    let kept = QueueFilter { q: String::new(), ..filter.clone() };
    crate::dom::remember(&last_view_key(user), &kept.href(None));
}

fn last_view_key(user: Uuid) -> String {
    format!("casedesk.queue.{user}")
}
