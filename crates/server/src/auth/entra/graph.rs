//! Microsoft Graph, asked for a person's groups when their token had too many to carry (group
//! overage). The app signs in as itself (client credentials) and calls `getMemberObjects`, so
//! the same path serves browser sign-ins and integrators' bearer tokens.

use super::{EntraError, directory::Directories};
use domain::entra::{EntraObjectId, EntraSettings};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct AppToken {
    access_token: String,
}

#[derive(Deserialize)]
struct MemberObjects {
    value: Vec<String>,
}

impl Directories {
    /// The ids of every group the person is a member of (directly or through other groups).
    pub async fn member_groups(
        &self,
        settings: &EntraSettings,
        token_endpoint: &str,
        person: &EntraObjectId,
    ) -> Result<Vec<String>, EntraError> {
        let graph = self.endpoints.graph.trim_end_matches('/');
        let scope = format!("{graph}/.default");
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", settings.client_id.as_str()),
            ("client_secret", settings.client_secret.as_str()),
            ("scope", scope.as_str()),
        ];
        let token: AppToken = self.call(self.http.post(token_endpoint).form(&form)).await?;
        let url = format!("{graph}/v1.0/users/{}/getMemberObjects", person.as_str());
        let request = self.http.post(url).bearer_auth(token.access_token).json(&json!({"securityEnabledOnly": false}));
        let groups: MemberObjects = self.call(request).await?;
        Ok(groups.value)
    }

    async fn call<T: for<'de> Deserialize<'de>>(&self, request: reqwest::RequestBuilder) -> Result<T, EntraError> {
        let response = request.send().await.map_err(|error| {
            tracing::warn!(%error, "Microsoft Graph could not be reached");
            EntraError::Unavailable
        })?;
        if !response.status().is_success() {
            tracing::warn!(status = %response.status(), "Microsoft Graph refused a request");
            return Err(EntraError::Unavailable);
        }
        response.json().await.map_err(|_| EntraError::Unavailable)
    }
}
