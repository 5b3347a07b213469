//! Sign-in and the signed-in principal.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    permissions::{Permission, PermissionArea, PermissionLevel},
    users::User,
};

/// What the sign-in page needs to know before anyone is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthOptions {
    /// True when the deployment has more than one tenant, so the organisation must be given.
    pub organisation_required: bool,
    /// Whether local (password) sign-in is offered.
    pub local_sign_in: bool,
    /// Whether "Sign in with Microsoft" is offered (an organisation here has Entra ID set up).
    #[serde(default)]
    pub entra_sign_in: bool,
}

/// A local (password) sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    /// The organisation's short name (tenant slug); needed only when there are several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
}

/// The signed-in user, their tenant and their effective permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: User,
    pub tenant: TenantSummary,
    /// One entry per area, `none` included.
    pub permissions: Vec<Permission>,
    /// The level held over every query; above it, the queries level covers only queries
    /// assigned to one of `team_ids` or to the user (team-limited grants).
    #[serde(default = "no_level")]
    pub queries_everywhere: PermissionLevel,
    /// The teams the user is in.
    #[serde(default)]
    pub team_ids: Vec<Uuid>,
}

fn no_level() -> PermissionLevel {
    PermissionLevel::None
}

impl Me {
    /// Whether the user may act at `needed` on a query with this team and assignee: what the
    /// SPA shows; the API decides regardless.
    pub fn may_act_on_query(&self, needed: PermissionLevel, team_id: Option<Uuid>, assignee_id: Option<Uuid>) -> bool {
        self.level(PermissionArea::Queries) >= needed
            && (self.queries_everywhere >= needed
                || assignee_id == Some(self.user.id)
                || team_id.is_some_and(|team| self.team_ids.contains(&team)))
    }

    /// The user's level in an area (`none` when absent).
    pub fn level(&self, area: PermissionArea) -> PermissionLevel {
        self.permissions.iter().find(|p| p.area == area).map_or(PermissionLevel::None, |p| p.level)
    }
}

/// Where to go after signing in: `raw` if it is a path in this app, else `/`. Never another site
/// (`//evil`, `/\evil`) and never the API. The server applies it to Entra ID's `return_to` and the
/// web app to its sign-in page's, so both follow one rule.
pub fn safe_return_path(raw: Option<&str>) -> String {
    match raw {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.starts_with("/api/")
                && path.len() <= 500
                // Visible ASCII only, so it is always a valid Location header.
                && path.chars().all(|c| c.is_ascii_graphic()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn return_paths_stay_in_the_app() {
        assert_eq!(safe_return_path(Some("/queries/123?x=1")), "/queries/123?x=1");
        for bad in ["//evil.example", "/\\evil.example", "https://evil.example", "/api/v1/me", "queries", "/é", "/a b"]
        {
            assert_eq!(safe_return_path(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_return_path(None), "/");
    }
}
