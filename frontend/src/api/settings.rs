//! The organisation's settings: sign-in and sessions, Entra ID and its group mappings.

use super::{at, http, segment};
use api_types::{
    AccessSettings, AccessSettingsRequest, EntraMapping, EntraMappingList, EntraSettings, EntraSettingsRequest,
    NewEntraMapping, Problem, SessionList,
};

/// `GET /sessions`: everyone's live sessions.
pub async fn sessions() -> Result<SessionList, Problem> {
    http::get(&at("sessions")).await
}

/// `DELETE /sessions/{id}`: signs that browser out.
pub async fn end_session(id: impl ToString) -> Result<(), Problem> {
    http::delete(&at(&format!("sessions/{}", segment(id)))).await
}

/// `GET /settings/access`.
pub async fn access() -> Result<AccessSettings, Problem> {
    http::get(&at("settings/access")).await
}

/// `PUT /settings/access` if still at `version`.
pub async fn set_access(version: i64, request: &AccessSettingsRequest) -> Result<AccessSettings, Problem> {
    http::put_if_match(&at("settings/access"), version, request).await
}

/// `GET /settings/entra`.
pub async fn entra() -> Result<EntraSettings, Problem> {
    http::get(&at("settings/entra")).await
}

/// `PUT /settings/entra` if still at `version`.
pub async fn set_entra(version: i64, request: &EntraSettingsRequest) -> Result<EntraSettings, Problem> {
    http::put_if_match(&at("settings/entra"), version, request).await
}

/// `GET /settings/entra/mappings`: which Entra groups grant which Casedesk groups.
pub async fn entra_mappings() -> Result<EntraMappingList, Problem> {
    http::get(&at("settings/entra/mappings")).await
}

/// `POST /settings/entra/mappings`.
pub async fn add_entra_mapping(request: &NewEntraMapping) -> Result<EntraMapping, Problem> {
    http::post(&at("settings/entra/mappings"), request).await
}

/// `DELETE /settings/entra/mappings/{id}`.
pub async fn remove_entra_mapping(id: impl ToString) -> Result<(), Problem> {
    http::delete(&at(&format!("settings/entra/mappings/{}", segment(id)))).await
}
