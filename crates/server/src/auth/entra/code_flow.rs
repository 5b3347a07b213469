//! The authorisation-code sign-in with PKCE, done by the server: the browser is sent to Entra
//! with a `state`, a `nonce` and a PKCE challenge, and comes back with a code that only this
//! server (with the client secret and the PKCE verifier) can redeem. The ID token is checked for
//! signature (RS256, the directory's keys), `iss`, `aud`, `exp`, `nbf` and `nonce`.

use super::{
    EntraError,
    claims::{EntraClaims, person_from},
    directory::{Directories, Directory, Freshness},
};
use domain::entra::{EntraPerson, EntraSettings};
use openidconnect::{
    AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdToken, IdTokenClaims, IdTokenFields, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse,
    core::{
        CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType, CoreGenderClaim,
        CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken,
        CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
    },
};
use openidconnect::{ClaimsVerificationError, SignatureVerificationError};

type EntraIdToken = IdToken<EntraClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;
type EntraTokenResponse = StandardTokenResponse<
    IdTokenFields<
        EntraClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;
type EntraClient = Client<
    EntraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    EntraTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Where to send the browser, and what to keep until it comes back. (No Debug: it holds the
/// PKCE verifier.)
#[allow(missing_debug_implementations)]
pub struct Authorisation {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

impl Directories {
    fn client(&self, directory: &Directory, settings: &EntraSettings) -> Result<EntraClient, EntraError> {
        let redirect = RedirectUrl::new(settings.redirect_url.clone()).map_err(|_| EntraError::Unavailable)?;
        let client_id = ClientId::new(settings.client_id.as_str().to_owned());
        let secret = ClientSecret::new(settings.client_secret.clone());
        Ok(EntraClient::from_provider_metadata(directory.metadata.clone(), client_id, Some(secret))
            .set_redirect_uri(redirect))
    }

    /// The authorisation request for this tenant's directory. `login_hint` pre-fills the
    /// account at Entra (the address typed on our sign-in page).
    pub async fn authorisation(
        &self,
        settings: &EntraSettings,
        login_hint: Option<&str>,
    ) -> Result<Authorisation, EntraError> {
        let directory = self.get(&settings.directory_id, Freshness::Cached).await?;
        let client = self.client(&directory, settings)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("email".into()))
            .set_pkce_challenge(challenge);
        if let Some(hint) = login_hint {
            request = request.add_extra_param("login_hint", hint.to_owned());
        }
        let (url, state, nonce) = request.url();
        Ok(Authorisation {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Redeems the code and checks the ID token; returns the person with their groups.
    pub async fn redeem(
        &self,
        settings: &EntraSettings,
        code: String,
        pkce_verifier: String,
        nonce: String,
    ) -> Result<EntraPerson, EntraError> {
        let directory = self.get(&settings.directory_id, Freshness::Cached).await?;
        let client = self.client(&directory, settings)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|_| EntraError::Unavailable)?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|error| {
                tracing::info!(%error, "Entra ID did not accept the authorisation code");
                EntraError::Refused("code not accepted")
            })?;
        let id_token = response.extra_fields().id_token().ok_or(EntraError::Refused("no ID token"))?;
        let nonce = Nonce::new(nonce);
        let (directory, claims) = match verified(&client, id_token, &nonce) {
            Err(EntraError::Refused("bad signature")) => {
                // Perhaps signed with a key Entra has just rolled over to.
                let directory = self.get(&settings.directory_id, Freshness::KeyMissing).await?;
                let client = self.client(&directory, settings)?;
                let claims = verified(&client, id_token, &nonce)?.clone();
                (directory, claims)
            }
            other => (directory, other?.clone()),
        };
        let entra = claims.additional_claims();
        let now = chrono::Utc::now().timestamp();
        if entra.nbf.is_some_and(|nbf| nbf > now + 60) {
            return Err(EntraError::Refused("not yet valid"));
        }
        if !entra.tid.eq_ignore_ascii_case(settings.directory_id.as_str()) {
            return Err(EntraError::Refused("wrong directory"));
        }
        let name = claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned());
        let email = claims.email().map(|e| e.as_str().to_owned());
        let mut person =
            person_from(entra, name.as_deref(), email.as_deref(), entra.groups.clone().unwrap_or_default())?;
        if entra.group_overage() {
            let token_endpoint = directory.metadata.token_endpoint().ok_or(EntraError::Unavailable)?.to_string();
            person.groups = self.member_groups(settings, &token_endpoint, &person.object_id).await?;
        }
        Ok(person)
    }
}

type EntraIdTokenClaims = IdTokenClaims<EntraClaims, CoreGenderClaim>;

fn verified<'t>(
    client: &EntraClient,
    id_token: &'t EntraIdToken,
    nonce: &Nonce,
) -> Result<&'t EntraIdTokenClaims, EntraError> {
    let verifier = client.id_token_verifier().set_allowed_algs(vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256]);
    id_token.claims(&verifier, nonce).map_err(|error| {
        EntraError::Refused(match error {
            ClaimsVerificationError::Expired(_) => "expired",
            ClaimsVerificationError::InvalidAudience(_) => "wrong audience",
            ClaimsVerificationError::InvalidIssuer(_) => "wrong issuer",
            ClaimsVerificationError::InvalidNonce(_) => "wrong nonce",
            ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)
            | ClaimsVerificationError::SignatureVerification(SignatureVerificationError::CryptoError(_)) => {
                "bad signature"
            }
            _ => "invalid ID token",
        })
    })
}
