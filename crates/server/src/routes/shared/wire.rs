//! Domain values to their wire form (api-types).

use api_types as wire;
use domain::{Area, EffectivePermissions, Level, tenant::Tenant, user::User};

pub fn user(user: &User) -> wire::User {
    wire::User {
        id: user.id.as_uuid(),
        email: user.email.as_str().to_owned(),
        display_name: user.display_name.as_str().to_owned(),
        status: match user.status {
            domain::user::UserStatus::Active => wire::UserStatus::Active,
            domain::user::UserStatus::Disabled => wire::UserStatus::Disabled,
        },
        version: user.version,
        created_at: user.created_at.as_datetime(),
        updated_at: user.updated_at.as_datetime(),
    }
}

pub fn tenant(tenant: &Tenant) -> wire::TenantSummary {
    wire::TenantSummary {
        id: tenant.id.as_uuid(),
        slug: tenant.slug.as_str().to_owned(),
        name: tenant.name.as_str().to_owned(),
    }
}

fn area(area: Area) -> wire::PermissionArea {
    match area {
        Area::Customers => wire::PermissionArea::Customers,
        Area::Queries => wire::PermissionArea::Queries,
        Area::Documents => wire::PermissionArea::Documents,
        Area::Correspondence => wire::PermissionArea::Correspondence,
        Area::Reports => wire::PermissionArea::Reports,
        Area::Feedback => wire::PermissionArea::Feedback,
        Area::Administration => wire::PermissionArea::Administration,
    }
}

pub fn level(level: Level) -> wire::PermissionLevel {
    match level {
        Level::None => wire::PermissionLevel::None,
        Level::Read => wire::PermissionLevel::Read,
        Level::ReadWrite => wire::PermissionLevel::ReadWrite,
        Level::Full => wire::PermissionLevel::Full,
    }
}

/// A grant as the API shows it.
pub fn grant(grant: &domain::Grant) -> wire::Permission {
    wire::Permission { area: area(grant.area), level: level(grant.level), own_teams: grant.own_teams }
}

/// A grant as the API received it.
pub fn grant_in(permission: &wire::Permission) -> domain::Grant {
    let area = match permission.area {
        wire::PermissionArea::Customers => Area::Customers,
        wire::PermissionArea::Queries => Area::Queries,
        wire::PermissionArea::Documents => Area::Documents,
        wire::PermissionArea::Correspondence => Area::Correspondence,
        wire::PermissionArea::Reports => Area::Reports,
        wire::PermissionArea::Feedback => Area::Feedback,
        wire::PermissionArea::Administration => Area::Administration,
    };
    let level = match permission.level {
        wire::PermissionLevel::None => Level::None,
        wire::PermissionLevel::Read => Level::Read,
        wire::PermissionLevel::ReadWrite => Level::ReadWrite,
        wire::PermissionLevel::Full => Level::Full,
    };
    domain::Grant { area, level, own_teams: permission.own_teams }
}

pub fn permissions(permissions: &EffectivePermissions) -> Vec<wire::Permission> {
    permissions
        .all()
        .map(|(a, l)| wire::Permission { area: area(a), level: level(l), own_teams: permissions.own_teams_only(a, l) })
        .collect()
}

/// The ids as given, each once, in first-seen order (a repeated id in a list of members or
/// groups is not an error, just redundant).
pub fn distinct<T: PartialEq>(ids: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen
}
