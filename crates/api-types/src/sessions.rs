//! Interactive sessions and the organisation's access settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A live browser session, as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    /// To the minute.
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The address the sign-in came from, as the server saw it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_address: Option<String>,
    /// The session making this request.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    /// Most recently active first.
    pub items: Vec<SessionInfo>,
}

/// What a second sign-in does while the same person is signed in elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OneSessionPolicy {
    /// The new sign-in ends the other session (the default).
    EndOthers,
    /// The new sign-in is refused while the other session is live.
    Refuse,
}

/// Who may sign in with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocalSignIn {
    /// Everyone with a password (the default).
    Everyone,
    /// Only break-glass accounts; everyone else signs in with Entra ID.
    BreakGlassOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessSettings {
    pub one_session: OneSessionPolicy,
    pub local_sign_in: LocalSignIn,
    /// Changes with every update; the same value is sent as the `ETag` (0: never changed).
    pub version: i64,
}

/// New access settings (replace with `If-Match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessSettingsRequest {
    pub one_session: OneSessionPolicy,
    pub local_sign_in: LocalSignIn,
}
