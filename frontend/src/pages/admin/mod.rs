//! Administration: groups and permissions, teams and the query-type taxonomy (administrators only).

pub mod api_tokens;
pub mod calendars;
pub mod entra;
pub mod group_form;
pub mod groups;
pub mod home;
pub mod jobs;
pub mod permission_labels;
pub mod policy_form;
pub mod query_types;
pub mod service_levels;
pub mod sessions;
pub mod statuses;
pub mod team_form;
pub mod teams;
pub mod workflow_draft;
pub mod workflows;

use api_types::{PermissionArea, PermissionLevel};

use crate::session::Session;

/// Whether the signed-in user may change administration settings.
pub fn can_administer(session: Session) -> bool {
    session.me_untracked().is_some_and(|me| me.level(PermissionArea::Administration) >= PermissionLevel::ReadWrite)
}
