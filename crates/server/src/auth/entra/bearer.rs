//! Entra access tokens sent as `Authorization: Bearer` by integrators. Checked like an ID token:
//! RS256 only, signature against the directory's published keys, `iss` of the directory, `aud`
//! of this tenant's API registration, `exp` and `nbf` (a minute's leeway for clock skew). The
//! `tid` chooses the tenant; a directory no tenant has configured is refused.

use super::{
    EntraError,
    claims::{AccessClaims, person_from},
    directory::{Directories, Freshness},
};
use domain::entra::{EntraObjectId, EntraPerson, EntraSettings};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header, errors::ErrorKind};
use serde::Deserialize;

/// Only what is needed to find the tenant, read before the signature is checked (and trusted
/// only once it has been).
#[derive(Deserialize)]
struct Directory {
    tid: String,
}

/// The directory a token claims to come from, before anything about it is trusted.
pub fn claimed_directory(token: &str) -> Result<EntraObjectId, EntraError> {
    let claimed: Directory =
        jsonwebtoken::dangerous::insecure_decode_claims(token).map_err(|_| EntraError::Refused("not a JWT"))?;
    EntraObjectId::parse("tid", &claimed.tid).map_err(|_| EntraError::Refused("tid is not a GUID"))
}

impl Directories {
    /// Checks the token against the tenant's configuration and returns the person it names,
    /// with their groups (through Graph on overage).
    pub async fn validate_access_token(
        &self,
        token: &str,
        settings: &EntraSettings,
    ) -> Result<EntraPerson, EntraError> {
        let header = decode_header(token).map_err(|_| EntraError::Refused("malformed or unsupported header"))?;
        // Entra signs with RS256. Anything else, `none` and HS256 made with our public key
        // included, is refused before a key is even chosen.
        if header.alg != Algorithm::RS256 {
            return Err(EntraError::Refused("algorithm not allowed"));
        }
        let kid = header.kid.ok_or(EntraError::Refused("no key id"))?;
        let mut directory = self.get(&settings.directory_id, Freshness::Cached).await?;
        if directory.keys.find(&kid).is_none() {
            directory = self.get(&settings.directory_id, Freshness::KeyMissing).await?;
        }
        let jwk = directory.keys.find(&kid).ok_or(EntraError::Refused("unknown signing key"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|_| EntraError::Refused("unusable signing key"))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[self.issuer(&settings.directory_id)]);
        validation.set_audience(&audiences(&settings.api_audience));
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.validate_nbf = true;
        validation.leeway = 60;
        let claims = decode::<AccessClaims>(token, &key, &validation).map_err(|error| {
            EntraError::Refused(match error.kind() {
                ErrorKind::InvalidSignature => "bad signature",
                ErrorKind::ExpiredSignature => "expired",
                ErrorKind::ImmatureSignature => "not yet valid",
                ErrorKind::InvalidAudience => "wrong audience",
                ErrorKind::InvalidIssuer => "wrong issuer",
                ErrorKind::InvalidAlgorithm => "algorithm not allowed",
                _ => "invalid claims",
            })
        })?;
        let claims = claims.claims;
        if !claims.entra.tid.eq_ignore_ascii_case(settings.directory_id.as_str()) {
            return Err(EntraError::Refused("wrong directory"));
        }
        // An ID token is not an access token, even where its audience (the client id) is also the
        // API's: it carries the nonce of a sign-in.
        if claims.nonce.is_some() {
            return Err(EntraError::Refused("an ID token, not an access token"));
        }
        // An access token for this API carries what it may do: delegated scopes or app roles.
        if claims.scp.as_deref().is_none_or(str::is_empty) && claims.entra.roles.is_empty() {
            return Err(EntraError::Refused("no scp or roles"));
        }
        let object_id =
            EntraObjectId::parse("oid", &claims.entra.oid).map_err(|_| EntraError::Refused("oid is not a GUID"))?;
        let groups = if claims.entra.group_overage() {
            let token_endpoint = directory.metadata.token_endpoint().ok_or(EntraError::Unavailable)?.to_string();
            self.member_groups(settings, &token_endpoint, &object_id).await?
        } else {
            claims.entra.groups.clone().unwrap_or_default()
        };
        // An app-only token (client credentials) names no person: it acts as the application.
        let name = claims.name.clone().or_else(|| claims.azp.as_ref().map(|app| format!("Application {app}")));
        person_from(&claims.entra, name.as_deref(), claims.email.as_deref(), groups)
    }
}

/// An API registered in Entra is addressed by its application id or its `api://` URI; tokens
/// carry whichever the client asked for.
fn audiences(configured: &str) -> Vec<String> {
    let bare = configured.strip_prefix("api://").unwrap_or(configured);
    let mut accepted = vec![configured.to_owned()];
    if uuid::Uuid::try_parse(bare).is_ok() {
        accepted.push(bare.to_owned());
        accepted.push(format!("api://{bare}"));
    }
    accepted.sort();
    accepted.dedup();
    accepted
}
