//! Entra ID configuration and group/role mappings, as administrators see them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::queries::GroupRef;

/// The organisation's Entra ID configuration. The client secret is never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntraSettings {
    /// False until first saved; the other fields are then empty.
    pub configured: bool,
    /// The Entra tenant id (`tid`), a GUID.
    pub directory_id: String,
    /// The app registration's application (client) id, a GUID.
    pub client_id: String,
    /// Whether a client secret is stored (it is never shown again).
    pub client_secret_set: bool,
    /// This server's sign-in callback, as registered in Entra: `https://…/api/v1/auth/entra/callback`.
    pub redirect_url: String,
    /// The audience integrators' access tokens carry (the API's application id or `api://…` URI).
    pub api_audience: String,
    /// 0 until first saved; also the ETag.
    pub version: i64,
}

/// Replaces the configuration (`If-Match`: the ETag, `"0"` before the first save).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntraSettingsRequest {
    pub directory_id: String,
    pub client_id: String,
    /// Required the first time; leave out to keep the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    pub redirect_url: String,
    pub api_audience: String,
}

/// Which token claim a mapping matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntraClaim {
    /// An Entra security group's object id (the `groups` claim, or Graph on overage).
    Group,
    /// An app role's value (the `roles` claim).
    Role,
}

/// People with this group or role are members of this Casedesk group, refreshed at each sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntraMapping {
    pub id: Uuid,
    pub claim: EntraClaim,
    pub value: String,
    pub group: GroupRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntraMappingList {
    pub items: Vec<EntraMapping>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEntraMapping {
    pub claim: EntraClaim,
    /// A group object id (GUID) or an app role value.
    pub value: String,
    pub group_id: Uuid,
}
