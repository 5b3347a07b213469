//! Users and groups of a tenant.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::permissions::{Permission, PermissionArea, PermissionLevel};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Disabled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub status: UserStatus,
    /// Changes with every update; the same value is sent as the `ETag`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One page of users, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPage {
    pub items: Vec<User>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A new user with a local password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateUserRequest {
    pub email: String,
    pub display_name: String,
    /// At least 12 characters.
    pub password: String,
    /// Groups to add the user to; they give the user's permissions.
    #[serde(default)]
    pub group_ids: Vec<Uuid>,
}

/// A unit of permission: its grants reach every member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// Built-in groups keep their grants and cannot be deleted.
    pub builtin: bool,
    /// One per area at most, in area order; an area not listed is `none`.
    pub grants: Vec<Permission>,
    pub member_ids: Vec<Uuid>,
    /// Changes with every update; the same value is sent as the `ETag`.
    pub version: i64,
}

/// A group as an administrator sets it up (create, or replace with `If-Match`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRequest {
    /// 1 to 100 characters, unique in the organisation.
    pub name: String,
    /// At most 500 characters.
    #[serde(default)]
    pub description: String,
    /// At most one per area.
    #[serde(default)]
    pub grants: Vec<Permission>,
    #[serde(default)]
    pub member_ids: Vec<Uuid>,
}

/// An administrator's change to a user (replace with `If-Match`). A disabled user cannot sign
/// in, and their sessions end at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserUpdateRequest {
    pub display_name: String,
    pub status: UserStatus,
    /// Every group the user should belong to; the user's permissions come from them.
    pub group_ids: Vec<Uuid>,
    /// Marks (or unmarks) the user's password sign-in as break-glass: allowed even when the
    /// organisation limits password sign-in. Absent: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_glass: Option<bool>,
}

/// The groups a user belongs to and what they may do, for the administrator's user page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserAccess {
    pub group_ids: Vec<Uuid>,
    /// Whether the user's password sign-in is break-glass; absent when they have no password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_glass: Option<bool>,
    /// The user's effective level in every area and the groups that give it.
    pub permissions: Vec<EffectivePermission>,
}

/// The effective level in one area and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffectivePermission {
    pub area: PermissionArea,
    pub level: PermissionLevel,
    /// The groups whose grant gives this level (empty when the level is `none`).
    pub given_by: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupList {
    pub items: Vec<Group>,
}

/// A colleague, as anyone who works queries may see them: to assign or share with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Officer {
    pub id: Uuid,
    pub display_name: String,
}

/// One page of active colleagues, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficerPage {
    pub items: Vec<Officer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
