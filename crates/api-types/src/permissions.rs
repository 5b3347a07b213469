//! Permissions as the API shows them: an area and a level (FR-014, SEC-08).

use serde::{Deserialize, Serialize};

/// An area of data that permissions are granted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PermissionArea {
    Customers,
    Queries,
    Documents,
    Correspondence,
    Reports,
    Feedback,
    Administration,
}

/// How much a principal may do in an area; each level includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PermissionLevel {
    None,
    Read,
    ReadWrite,
    Full,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Permission {
    pub area: PermissionArea,
    pub level: PermissionLevel,
    /// Queries only: the level holds only over the queries of the holder's teams (and those
    /// assigned to them). In `Me`, true when that is the only way the level is held.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_teams: bool,
}
