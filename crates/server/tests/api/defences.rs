//! Defences against a caller from outside (issue 12): wrong passwords counted per account and
//! source, rate limits, and client addresses believed only from trusted proxies.

use crate::{
    both_backends,
    helpers::{Backend, PASSWORD, Reply, TestApp, spawn_app_with},
};
use serde_json::{Value, json};

both_backends!(forwarding_headers_are_ignored_from_an_untrusted_peer);

/// The tests below configure their own server (trusted proxies, limits), one per backend.
macro_rules! both_backends_with {
    ($($case:ident),+ $(,)?) => {
        mod configured {
            $(
                #[actix_web::test]
                async fn $case() {
                    for backend in [crate::helpers::Backend::Sqlite, crate::helpers::Backend::Postgres] {
                        super::$case(backend).await;
                    }
                }
            )+
        }
    };
}

both_backends_with!(
    wrong_passwords_from_one_place_never_lock_out_the_right_password_from_another,
    a_lock_ends_and_the_count_starts_again,
    the_break_glass_administrator_is_never_locked_from_outside,
    sign_ins_from_one_address_are_rate_limited_across_accounts,
    api_calls_are_rate_limited_per_credential,
);

/// A server that believes `X-Forwarded-For` from loopback (the tests play the proxy), locking at
/// the fifth wrong password from a source for `lockout_secs`.
async fn behind_a_proxy(backend: Backend, lockout_secs: i64) -> TestApp {
    spawn_app_with(backend, |settings| {
        settings.trusted_proxies = server::TrustedProxies::parse("127.0.0.1, ::1").unwrap();
        settings.lockout.lockout_secs = lockout_secs;
    })
    .await
}

/// A password sign-in to tenant A from `from` (as forwarded by the trusted proxy).
async fn sign_in_from(app: &TestApp, from: &str, email: &str, password: &str) -> Reply {
    let body = json!({"organisation": "tenant-a", "email": email, "password": password});
    let response = app
        .client
        .post(format!("{}/api/v1/auth/sign-in", app.address))
        .header("X-Casedesk-CSRF", "1")
        .header("X-Forwarded-For", from)
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.json().await.unwrap_or(Value::Null);
    Reply { status, headers, body }
}

/// The `from` of each audited `sign_in.failed`, oldest first.
async fn failed_sign_ins_from(app: &TestApp) -> Vec<String> {
    let entries = app.audit_entries().await.into_iter().filter(|(action, _, _)| action == "sign_in.failed");
    entries
        .map(|(_, _, payload)| serde_json::from_str::<Value>(&payload).unwrap()["from"].as_str().unwrap().to_owned())
        .collect()
}

async fn forwarding_headers_are_ignored_from_an_untrusted_peer(app: TestApp) {
    for forged in ["203.0.113.9", "203.0.113.10"] {
        sign_in_from(&app, forged, "admin@a.example.org", "not-the-password")
            .await
            .assert_problem(401, "invalid_credentials");
    }
    assert_eq!(failed_sign_ins_from(&app).await, ["127.0.0.1", "127.0.0.1"], "the peer, not the header");
}

async fn wrong_passwords_from_one_place_never_lock_out_the_right_password_from_another(backend: Backend) {
    let app = behind_a_proxy(backend, 900).await;
    app.officer_a("guessed@example.org").await;
    let guesser = "203.0.113.5";
    for _ in 0..4 {
        sign_in_from(&app, guesser, "guessed@example.org", "not-the-password")
            .await
            .assert_problem(401, "invalid_credentials");
    }
    let fifth = sign_in_from(&app, guesser, "guessed@example.org", "not-the-password").await;
    fifth.assert_problem(429, "sign_in_locked");
    let retry: i64 = fifth.header("retry-after").unwrap().parse().unwrap();
    assert!((800..=900).contains(&retry), "locked for the configured 15 minutes: {retry}");
    let right_from_guesser = sign_in_from(&app, guesser, "guessed@example.org", PASSWORD).await;
    right_from_guesser.assert_problem(429, "sign_in_locked");
    assert!(right_from_guesser.header("set-cookie").is_none());

    let officer = sign_in_from(&app, "198.51.100.7", "guessed@example.org", PASSWORD).await;
    assert_eq!(officer.status, 200, "the right password from elsewhere: {officer:?}");
    // An IPv6 guesser counts by its /64: moving within it does not start a new count.
    for host in 1..=4 {
        let from = format!("2001:db8:5:6::{host}");
        let reply = sign_in_from(&app, &from, "guessed@example.org", "not-the-password").await;
        reply.assert_problem(401, "invalid_credentials");
    }
    sign_in_from(&app, "2001:db8:5:6::5", "guessed@example.org", "not-the-password")
        .await
        .assert_problem(429, "sign_in_locked");
    sign_in_from(&app, "2001:db8:5:6::99", "guessed@example.org", PASSWORD).await.assert_problem(429, "sign_in_locked");

    let from = failed_sign_ins_from(&app).await;
    assert_eq!(from[..5], [guesser; 5], "audited with the forwarded address");
    assert_eq!(from[5], "2001:db8:5:6::1");
    let actions = app.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "user.locked_out").count(), 2);
}

async fn a_lock_ends_and_the_count_starts_again(backend: Backend) {
    let app = behind_a_proxy(backend, 1).await;
    app.officer_a("guessed@example.org").await;
    let guesser = "203.0.113.5";
    for _ in 0..4 {
        sign_in_from(&app, guesser, "guessed@example.org", "wrong-password").await;
    }
    sign_in_from(&app, guesser, "guessed@example.org", "wrong-password").await.assert_problem(429, "sign_in_locked");
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1_200)).await;
    // One wrong password after the lock is the first of a new count, not a new lock.
    for _ in 0..4 {
        sign_in_from(&app, guesser, "guessed@example.org", "wrong-password")
            .await
            .assert_problem(401, "invalid_credentials");
    }
    assert_eq!(sign_in_from(&app, guesser, "guessed@example.org", PASSWORD).await.status, 200);
}

async fn the_break_glass_administrator_is_never_locked_from_outside(backend: Backend) {
    let app = behind_a_proxy(backend, 900).await;
    for _ in 0..12 {
        sign_in_from(&app, "203.0.113.5", "admin@a.example.org", "not-the-password")
            .await
            .assert_problem(401, "invalid_credentials");
    }
    let reply = sign_in_from(&app, "203.0.113.5", "admin@a.example.org", PASSWORD).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(!app.audit_actions().await.contains(&"user.locked_out".to_owned()));
}

async fn sign_ins_from_one_address_are_rate_limited_across_accounts(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.trusted_proxies = server::TrustedProxies::parse("127.0.0.1").unwrap();
        settings.rate_limits.sign_in_per_address = 5;
    })
    .await;
    // A spray: one password tried against many accounts from one address.
    for n in 0..5 {
        let reply = sign_in_from(&app, "203.0.113.5", &format!("user{n}@a.example.org"), "Summer2026!").await;
        reply.assert_problem(401, "invalid_credentials");
    }
    let refused = sign_in_from(&app, "203.0.113.5", "admin@a.example.org", PASSWORD).await;
    refused.assert_problem(429, "rate_limited");
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=12).contains(&retry), "one attempt is earned back every 12 s: {retry}");
    let elsewhere = sign_in_from(&app, "198.51.100.7", "admin@a.example.org", PASSWORD).await;
    assert_eq!(elsewhere.status, 200, "another address has its own allowance: {elsewhere:?}");
}

async fn api_calls_are_rate_limited_per_credential(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.rate_limits.api_per_credential = 10;
    })
    .await;
    let admin = app.admin_a().await;
    for _ in 0..10 {
        assert_eq!(app.get("/api/v1/me", &admin).await.status, 200);
    }
    let refused = app.get("/api/v1/me", &admin).await;
    refused.assert_problem(429, "rate_limited");
    assert!(refused.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    let other = app.sign_in("tenant-b", "admin@b.example.org", PASSWORD).await;
    assert_eq!(app.get("/api/v1/me", &other).await.status, 200, "another credential has its own allowance");
}
