//! The Entra-specific claims of ID and access tokens, and the person they describe.

use super::EntraError;
use domain::entra::{EntraObjectId, EntraPerson};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The claims Entra adds to a v2.0 token beyond the OpenID standard ones. Where the person is in
/// more groups than fit (over 200), `groups` is absent and `_claim_names` points at Graph.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EntraClaims {
    pub tid: String,
    pub oid: String,
    #[serde(default)]
    pub groups: Option<Vec<String>>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default, rename = "_claim_names")]
    pub claim_names: Option<HashMap<String, String>>,
    /// Not checked by the ID-token verifier, so checked by us.
    #[serde(default)]
    pub nbf: Option<i64>,
    /// "Email domain owner verified" (an optional claim the app registration adds): whether the
    /// directory vouches for the email. Entra sends `true`/`false`, or "1"/"0" in some tokens.
    #[serde(default)]
    pub xms_edov: Option<serde_json::Value>,
}

impl openidconnect::AdditionalClaims for EntraClaims {}

impl EntraClaims {
    pub fn email_verified(&self) -> bool {
        match &self.xms_edov {
            Some(serde_json::Value::Bool(verified)) => *verified,
            Some(serde_json::Value::String(raw)) => raw == "1" || raw.eq_ignore_ascii_case("true"),
            Some(serde_json::Value::Number(n)) => n.as_i64() == Some(1),
            _ => false,
        }
    }

    /// Whether the token says "too many groups: ask Graph".
    pub fn group_overage(&self) -> bool {
        self.groups.is_none() && self.claim_names.as_ref().is_some_and(|names| names.contains_key("groups"))
    }
}

/// The claims of an access token sent as `Authorization: Bearer`.
#[derive(Debug, Clone, Deserialize)]
pub struct AccessClaims {
    #[serde(flatten)]
    pub entra: EntraClaims,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// The client application, named when there is no person (an app-only token).
    #[serde(default)]
    pub azp: Option<String>,
    /// Delegated permissions (a person using an app); app-only tokens carry `roles` instead.
    #[serde(default)]
    pub scp: Option<String>,
    /// Present in ID tokens (our sign-in sends one), never in access tokens.
    #[serde(default)]
    pub nonce: Option<String>,
}

/// The person a validated token describes, once their groups are known.
pub fn person_from(
    claims: &EntraClaims,
    name: Option<&str>,
    email: Option<&str>,
    groups: Vec<String>,
) -> Result<EntraPerson, EntraError> {
    let directory_id =
        EntraObjectId::parse("tid", &claims.tid).map_err(|_| EntraError::Refused("tid is not a GUID"))?;
    let object_id = EntraObjectId::parse("oid", &claims.oid).map_err(|_| EntraError::Refused("oid is not a GUID"))?;
    Ok(EntraPerson {
        directory_id,
        object_id,
        display_name: name.unwrap_or_default().to_owned(),
        email: email.map(str::to_owned),
        email_verified: claims.email_verified(),
        groups,
        roles: claims.roles.clone(),
    })
}
