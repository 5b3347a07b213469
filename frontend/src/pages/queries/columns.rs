//! The work queue's columns: which a saved view shows (FR-008), as the API names them. The
//! reference is always first (it is the row's header and its link); the rest come in the order
//! chosen from this list.

/// Every column, by the API's name, with its heading.
pub const ALL: [(&str, &str); 12] = [
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
    ("due_at", "Due"),
];

/// What the queue shows when no view says otherwise.
pub const DEFAULT: [&str; 8] =
    ["reference", "subject", "customer", "channel", "status", "assignee", "received_at", "due_at"];

/// The heading of a known column.
pub fn heading(key: &str) -> &'static str {
    ALL.iter().find(|(k, _)| *k == key).map_or("", |(_, heading)| heading)
}

/// A filter's columns as the address keeps them: known ones, reference first, each once, in
/// the given order; empty when that is the default set (or none is known), so the default
/// never shows in the address and filters compare equal.
pub fn chosen<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut chosen = vec!["reference".to_owned()];
    for key in keys.into_iter().map(str::trim) {
        if ALL.iter().any(|(k, _)| *k == key) && !chosen.iter().any(|c| c == key) {
            chosen.push(key.to_owned());
        }
    }
    let default = chosen.len() == 1 || chosen.iter().map(String::as_str).eq(DEFAULT);
    if default { Vec::new() } else { chosen }
}

pub fn default() -> Vec<String> {
    DEFAULT.iter().map(|c| (*c).to_owned()).collect()
}
