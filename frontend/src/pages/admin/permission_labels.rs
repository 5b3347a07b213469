//! How areas and levels read on screen.

use api_types::{Permission, PermissionArea, PermissionLevel};

pub const AREAS: [PermissionArea; 7] = [
    PermissionArea::Customers,
    PermissionArea::Queries,
    PermissionArea::Documents,
    PermissionArea::Correspondence,
    PermissionArea::Reports,
    PermissionArea::Feedback,
    PermissionArea::Administration,
];

pub const LEVELS: [PermissionLevel; 4] =
    [PermissionLevel::None, PermissionLevel::Read, PermissionLevel::ReadWrite, PermissionLevel::Full];

pub fn area_label(area: PermissionArea) -> &'static str {
    match area {
        PermissionArea::Customers => "Customers",
        PermissionArea::Queries => "Queries",
        PermissionArea::Documents => "Documents",
        PermissionArea::Correspondence => "Correspondence",
        PermissionArea::Reports => "Reports",
        PermissionArea::Feedback => "Feedback",
        PermissionArea::Administration => "Administration",
    }
}

/// The field name (and radio name) of an area's level on the group form.
pub fn area_field(area: PermissionArea) -> &'static str {
    match area {
        PermissionArea::Customers => "level-customers",
        PermissionArea::Queries => "level-queries",
        PermissionArea::Documents => "level-documents",
        PermissionArea::Correspondence => "level-correspondence",
        PermissionArea::Reports => "level-reports",
        PermissionArea::Feedback => "level-feedback",
        PermissionArea::Administration => "level-administration",
    }
}

pub fn level_label(level: PermissionLevel) -> &'static str {
    match level {
        PermissionLevel::None => "No access",
        PermissionLevel::Read => "Read",
        PermissionLevel::ReadWrite => "Read and write",
        PermissionLevel::Full => "Full",
    }
}

/// "Customers: read and write; Queries: read", or "No permissions".
pub fn summary(grants: &[Permission]) -> String {
    let parts: Vec<String> = grants
        .iter()
        .filter(|g| g.level > PermissionLevel::None)
        .map(|g| {
            let limit = if g.own_teams { " (own teams’ queries)" } else { "" };
            format!("{}: {}{limit}", area_label(g.area), level_label(g.level).to_lowercase())
        })
        .collect();
    if parts.is_empty() { "No permissions".to_owned() } else { parts.join("; ") }
}
