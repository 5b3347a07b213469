//! Personal API tokens: for integrators and Power BI, created by their owner in the SPA.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::permissions::Permission;

/// A token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub owner_id: Uuid,
    /// The most the token may do; it also never exceeds its owner's current permissions.
    pub scopes: Vec<Permission>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// Neither revoked nor expired.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenList {
    /// Newest first.
    pub items: Vec<ApiToken>,
}

/// A new token for the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiTokenRequest {
    /// What the token is for, 1 to 100 characters.
    pub name: String,
    /// At most one per area, none above the owner's own level.
    pub scopes: Vec<Permission>,
    /// From 1 to 366; 90 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::numbers::optional_whole_u32")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 366))]
    pub expires_in_days: Option<u32>,
}

/// The new token and its secret. The secret is shown this once: only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiToken {
    pub token: ApiToken,
    /// Send as `Authorization: Bearer <secret>`.
    pub secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_number_of_days_may_be_written_as_a_float() {
        let days = |json: &str| serde_json::from_str::<CreateApiTokenRequest>(json).map(|r| r.expires_in_days);
        assert_eq!(days(r#"{"name": "a", "scopes": [], "expires_in_days": 30.0}"#).ok(), Some(Some(30)));
        assert_eq!(days(r#"{"name": "a", "scopes": [], "expires_in_days": 30}"#).ok(), Some(Some(30)));
        assert_eq!(days(r#"{"name": "a", "scopes": []}"#).ok(), Some(None));
        for refused in ["30.5", "-1", "1e12", "\"30\""] {
            let json = format!(r#"{{"name": "a", "scopes": [], "expires_in_days": {refused}}}"#);
            assert!(days(&json).is_err(), "{refused}");
        }
    }
}
