//! Each Entra directory's OpenID metadata and signing keys, fetched on first use and kept:
//! refreshed when older than an hour, and at once when a token names a key we do not have
//! (Entra rolls its keys over), at most once a second per directory so a stream of made-up key
//! ids cannot turn us into a load generator against Entra. Fetches happen one at a time, and a
//! failed one counts too, so concurrent requests wait for one fetch instead of each making one.

use super::EntraError;
use domain::entra::EntraObjectId;
use jsonwebtoken::jwk::JwkSet;
use openidconnect::{IssuerUrl, core::CoreProviderMetadata};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

const MAX_AGE: Duration = Duration::from_secs(3600);
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(1);

/// Where Entra ID and Microsoft Graph live. Microsoft's by default; the tests point both at a
/// stand-in on loopback, and a sovereign cloud would point them at its own hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntraEndpoints {
    /// e.g. `https://login.microsoftonline.com`; a directory's issuer is `{authority}/{tid}/v2.0`.
    pub authority: String,
    /// e.g. `https://graph.microsoft.com`.
    pub graph: String,
}

impl Default for EntraEndpoints {
    fn default() -> Self {
        Self { authority: "https://login.microsoftonline.com".into(), graph: "https://graph.microsoft.com".into() }
    }
}

/// One directory's metadata and keys as last fetched.
#[derive(Debug)]
pub struct Directory {
    pub metadata: CoreProviderMetadata,
    pub keys: JwkSet,
    fetched_at: Instant,
}

/// Whether a cached directory will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Anything younger than an hour.
    Cached,
    /// A key was missing: fetch again unless we just did.
    KeyMissing,
}

pub struct Directories {
    pub endpoints: EntraEndpoints,
    pub http: reqwest::Client,
    cache: Mutex<HashMap<String, Arc<Directory>>>,
    /// When each directory was last fetched (or tried), behind the lock fetches take turns on.
    attempts: tokio::sync::Mutex<HashMap<String, Instant>>,
}

impl std::fmt::Debug for Directories {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directories").field("endpoints", &self.endpoints).finish_non_exhaustive()
    }
}

impl Directories {
    pub fn new(endpoints: EntraEndpoints) -> Self {
        // No redirects: a directory URL that redirects elsewhere is not followed (SSRF).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Self { endpoints, http, cache: Mutex::default(), attempts: tokio::sync::Mutex::default() }
    }

    /// `{authority}/{tid}/v2.0`: the `iss` of the directory's v2.0 tokens.
    pub fn issuer(&self, directory_id: &EntraObjectId) -> String {
        format!("{}/{}/v2.0", self.endpoints.authority.trim_end_matches('/'), directory_id.as_str())
    }

    pub async fn get(&self, directory_id: &EntraObjectId, freshness: Freshness) -> Result<Arc<Directory>, EntraError> {
        if let Some(found) = self.cached(directory_id, freshness)? {
            return Ok(found);
        }
        let mut attempts = self.attempts.lock().await;
        // Another request may have fetched it while this one waited its turn.
        if let Some(found) = self.cached(directory_id, freshness)? {
            return Ok(found);
        }
        if attempts.get(directory_id.as_str()).is_some_and(|at| at.elapsed() < MIN_REFRESH_INTERVAL) {
            // Tried a moment ago: make do with what we have.
            let stale = self.cache.lock().map_err(|_| EntraError::Unavailable)?.get(directory_id.as_str()).cloned();
            return stale.ok_or(EntraError::Unavailable);
        }
        attempts.insert(directory_id.as_str().to_owned(), Instant::now());
        let fetched = Arc::new(self.fetch(directory_id).await?);
        self.cache
            .lock()
            .map_err(|_| EntraError::Unavailable)?
            .insert(directory_id.as_str().to_owned(), fetched.clone());
        Ok(fetched)
    }

    fn cached(&self, directory_id: &EntraObjectId, freshness: Freshness) -> Result<Option<Arc<Directory>>, EntraError> {
        let cache = self.cache.lock().map_err(|_| EntraError::Unavailable)?;
        Ok(cache
            .get(directory_id.as_str())
            .filter(|found| {
                let age = found.fetched_at.elapsed();
                match freshness {
                    Freshness::Cached => age < MAX_AGE,
                    Freshness::KeyMissing => age < MIN_REFRESH_INTERVAL,
                }
            })
            .cloned())
    }

    async fn fetch(&self, directory_id: &EntraObjectId) -> Result<Directory, EntraError> {
        let issuer = IssuerUrl::new(self.issuer(directory_id)).map_err(|_| EntraError::Unavailable)?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http).await.map_err(|error| {
            tracing::warn!(%error, "Entra ID metadata could not be fetched");
            EntraError::Unavailable
        })?;
        // The same keys, in the form the bearer-token checks use.
        let keys = serde_json::to_value(metadata.jwks())
            .and_then(serde_json::from_value::<JwkSet>)
            .map_err(|_| EntraError::Unavailable)?;
        Ok(Directory { metadata, keys, fetched_at: Instant::now() })
    }
}
