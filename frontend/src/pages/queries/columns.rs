//! The work queue's columns: which a saved view shows (FR-008), as the API names them. The
//! reference is always first (it is the row's header and its link); the rest come in the order
//! chosen from this list.

/// Every column, by the API's name, with its heading.
pub const ALL: [(&str, &str); 11] = [
    ("reference", "Reference"),
    ("subject", "Subject"),
    ("customer", "Customer"),
    ("channel", "Channel"),
    ("status", "Status"),
    ("priority", "Priority"),
    ("type", "Type"),
    ("assignee", "Assigned to"),
    ("team", "Team"),
    ("received_at", "Received"),
    ("updated_at", "Last updated"),
];

/// What the queue shows when no view says otherwise.
pub const DEFAULT: [&str; 7] = ["reference", "subject", "customer", "channel", "status", "assignee", "received_at"];

/// The heading of a known column.
pub fn heading(key: &str) -> &'static str {
    ALL.iter().find(|(k, _)| *k == key).map_or("", |(_, heading)| heading)
}

/// Known columns from a comma-separated list, reference first, each once, in the list's
/// order; the default set when none are known.
pub fn parse(raw: &str) -> Vec<String> {
    let mut chosen = vec!["reference".to_owned()];
    for key in raw.split(',').map(str::trim) {
        if ALL.iter().any(|(k, _)| *k == key) && !chosen.iter().any(|c| c == key) {
            chosen.push(key.to_owned());
        }
    }
    if chosen.len() == 1 { default() } else { chosen }
}

pub fn default() -> Vec<String> {
    DEFAULT.iter().map(|c| (*c).to_owned()).collect()
}

/// Whether these are the default columns (then the address does not mention them).
pub fn is_default(columns: &[String]) -> bool {
    columns.iter().map(String::as_str).eq(DEFAULT)
}
