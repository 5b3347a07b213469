//! Local passwords: argon2id hashes (OWASP-recommended parameters, the crate's defaults),
//! computed off the async workers because each takes tens of milliseconds.

use crate::problem::ApiError;
use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};

/// Hashes a password into a PHC string.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

pub async fn hash_password_async(password: String) -> Result<String, ApiError> {
    actix_web::web::block(move || hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::Internal(e.to_string().into()))
}

/// Checks a password against a stored hash. With no stored hash (unknown user) it still does
/// the same work against a fixed hash, so response time does not reveal which emails exist.
pub async fn verify_password_async(password: String, stored: Option<String>) -> Result<bool, ApiError> {
    actix_web::web::block(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&stored)
            .map(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
            .unwrap_or(false);
        known && matches
    })
    .await
    .map_err(ApiError::internal)
}

/// A hash of a random string nobody knows, with the same parameters as real ones. A constant
/// computed once, not configuration.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let secret = SaltString::generate(&mut OsRng);
    hash_password(secret.as_str()).unwrap_or_default()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn hashes_verify_and_differ_per_salt() {
        let a = hash_password("correct horse battery").expect("hash");
        let b = hash_password("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify_password_async("correct horse battery".into(), Some(a.clone())).await.expect("verify"));
        assert!(!verify_password_async("wrong horse battery".into(), Some(a)).await.expect("verify"));
        assert!(!verify_password_async("anything".into(), None).await.expect("verify"));
    }
}
