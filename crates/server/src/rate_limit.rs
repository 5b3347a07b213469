//! Rate limits (SEC-11), kept in memory per server process by `governor` (GCRA: each key may
//! burst up to its per-minute allowance, then earns requests back evenly). Over a limit the
//! answer is 429 problem+json `rate_limited` with `Retry-After`. Four allowances:
//!
//! - sign-in attempts per source address, across accounts (password spraying);
//! - API requests per credential (a session cookie or a bearer token, keyed by its hash);
//! - API requests per source address, all credentials together (generous: an office may sit
//!   behind one address);
//! - requests per source address that carry no credential (public pages, anonymous calls).
//!
//! An address is keyed as the sign-in defences key it: IPv4 by address, IPv6 by its /64.

use crate::{auth::session::token_hash, problem::ApiError};
use actix_web::{dev::ServiceRequest, http::Method};
use api_types::SESSION_COOKIE;
use domain::sign_in::SignInSource;
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};
use std::{
    net::IpAddr,
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
};

/// Requests per minute allowed for each key; 0 turns that limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSettings {
    pub sign_in_per_address: u32,
    pub api_per_credential: u32,
    pub api_per_address: u32,
    pub public_per_address: u32,
}

impl Default for RateLimitSettings {
    /// An officer's busiest page makes a dozen calls, and a Power BI refresh pages through a feed
    /// one request at a time: neither comes near 1,200 a minute per credential. 30 sign-ins a
    /// minute from one address stops a spray without stopping an office's morning.
    fn default() -> Self {
        Self { sign_in_per_address: 30, api_per_credential: 1200, api_per_address: 6000, public_per_address: 300 }
    }
}

impl RateLimitSettings {
    /// No limits at all (the load benchmark drives thousands of requests a second from one address).
    pub fn off() -> Self {
        Self { sign_in_per_address: 0, api_per_credential: 0, api_per_address: 0, public_per_address: 0 }
    }
}

/// One keyed limiter per allowance.
pub struct RateLimits {
    sign_in_per_address: Option<DefaultKeyedRateLimiter<String>>,
    api_per_credential: Option<DefaultKeyedRateLimiter<String>>,
    api_per_address: Option<DefaultKeyedRateLimiter<String>>,
    public_per_address: Option<DefaultKeyedRateLimiter<String>>,
    checks: AtomicU64,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").finish_non_exhaustive()
    }
}

/// How often (in checks) keys that have earned back their whole allowance are forgotten, so
/// that memory follows recent callers rather than every caller ever seen.
const FORGET_EVERY: u64 = 4096;

impl RateLimits {
    pub fn new(settings: RateLimitSettings) -> Self {
        let limiter = |per_minute: u32| NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)));
        Self {
            sign_in_per_address: limiter(settings.sign_in_per_address),
            api_per_credential: limiter(settings.api_per_credential),
            api_per_address: limiter(settings.api_per_address),
            public_per_address: limiter(settings.public_per_address),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts the request against its allowances; `Err` when one of them is used up.
    pub fn check(&self, req: &ServiceRequest, client: Option<IpAddr>) -> Result<(), ApiError> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.forget_idle_keys();
        }
        let path = req.path();
        if !path.starts_with("/api/") {
            return Ok(());
        }
        let address = SignInSource::of(client).key;
        if is_sign_in(req.method(), path) {
            return take(self.sign_in_per_address.as_ref(), &address);
        }
        match credential_key(req) {
            Some(credential) => {
                take(self.api_per_credential.as_ref(), &credential)?;
                take(self.api_per_address.as_ref(), &address)
            }
            None => take(self.public_per_address.as_ref(), &address),
        }
    }

    fn forget_idle_keys(&self) {
        for limiter in
            [&self.sign_in_per_address, &self.api_per_credential, &self.api_per_address, &self.public_per_address]
                .into_iter()
                .flatten()
        {
            limiter.retain_recent();
        }
    }
}

fn take(limiter: Option<&DefaultKeyedRateLimiter<String>>, key: &str) -> Result<(), ApiError> {
    let Some(limiter) = limiter else { return Ok(()) };
    limiter.check_key(&key.to_owned()).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::RateLimited { retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0) }
    })
}

/// The operations that try a credential: password sign-in and the steps of an Entra sign-in.
fn is_sign_in(method: &Method, path: &str) -> bool {
    (method == Method::POST && path == "/api/v1/auth/sign-in")
        || (method == Method::GET && path.starts_with("/api/v1/auth/entra/"))
}

/// The request's credential, hashed (a raw token is never kept): a bearer token, else the
/// session cookie.
fn credential_key(req: &ServiceRequest) -> Option<String> {
    let secret = crate::auth::session::bearer_secret(req.headers())
        .or_else(|| req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()));
    secret.filter(|s| !s.is_empty()).map(|s| hex::encode(&token_hash(&s)[..16]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn limits(per_minute: u32) -> RateLimits {
        RateLimits::new(RateLimitSettings {
            sign_in_per_address: per_minute,
            api_per_credential: per_minute,
            api_per_address: per_minute * 3,
            public_per_address: per_minute,
        })
    }

    fn retry_after(result: Result<(), ApiError>) -> u64 {
        match result {
            Err(ApiError::RateLimited { retry_after_secs }) => retry_after_secs,
            other => panic!("expected a rate limit, got {other:?}"),
        }
    }

    #[test]
    fn each_credential_has_its_own_allowance_within_the_address() {
        let limits = limits(2);
        let client = Some("192.0.2.1".parse().expect("an address"));
        let with = |token: &str| {
            TestRequest::get().uri("/api/v1/queries").insert_header(("Authorization", format!("Bearer {token}")))
        };
        for _ in 0..2 {
            limits.check(&with("cdk_one").to_srv_request(), client).expect("allowed");
        }
        assert_eq!(retry_after(limits.check(&with("cdk_one").to_srv_request(), client)), 30);
        for _ in 0..2 {
            limits.check(&with("cdk_two").to_srv_request(), client).expect("allowed");
        }
        // Four of the address's six are now spent (the refused request did not count).
        limits.check(&with("cdk_three").to_srv_request(), client).expect("allowed");
        limits.check(&with("cdk_three").to_srv_request(), client).expect("allowed");
        retry_after(limits.check(&with("cdk_four").to_srv_request(), client));
        let elsewhere = Some("192.0.2.2".parse().expect("an address"));
        limits.check(&with("cdk_four").to_srv_request(), elsewhere).expect("allowed");
    }

    #[test]
    fn sign_ins_are_limited_per_address_across_accounts_and_pages_are_not() {
        let limits = limits(3);
        let client = Some("2001:db8:1:2::5".parse().expect("an address"));
        let sign_in = || TestRequest::post().uri("/api/v1/auth/sign-in").to_srv_request();
        for _ in 0..3 {
            limits.check(&sign_in(), client).expect("allowed");
        }
        retry_after(limits.check(&sign_in(), Some("2001:db8:1:2::99".parse().expect("an address"))));
        limits.check(&sign_in(), Some("2001:db8:1:3::5".parse().expect("an address"))).expect("allowed");
        for _ in 0..10 {
            limits.check(&TestRequest::get().uri("/queries/Q-000001").to_srv_request(), client).expect("allowed");
        }
        for _ in 0..3 {
            limits.check(&TestRequest::get().uri("/api/v1/auth/options").to_srv_request(), client).expect("allowed");
        }
        retry_after(limits.check(&TestRequest::get().uri("/api/v1/healthz").to_srv_request(), client));
    }

    #[test]
    fn zero_turns_a_limit_off() {
        let limits = RateLimits::new(RateLimitSettings::off());
        for _ in 0..100 {
            limits.check(&TestRequest::post().uri("/api/v1/auth/sign-in").to_srv_request(), None).expect("allowed");
        }
    }
}
