//! Input an attacker or a careless client sends (issue 12, items 6 to 8): slow and oversized
//! bodies, over-long URLs, bad credentials with bad bodies, text that must not be stored, and
//! cursors reused with another sort or filter.

use crate::{
    both_backends,
    helpers::{As, Backend, RawBody, TestApp, spawn_app_with},
};
use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

both_backends!(
    oversized_bodies_and_urls_are_refused_as_problems,
    invalid_credentials_are_refused_before_the_body_is_judged,
    control_characters_and_direction_overrides_are_refused_by_field,
    a_cursor_is_refused_by_another_sort_or_filter,
);

#[actix_web::test]
async fn a_body_that_trickles_in_is_cut_off_on_sqlite() {
    a_body_that_trickles_in_is_cut_off(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_body_that_trickles_in_is_cut_off_on_postgres() {
    a_body_that_trickles_in_is_cut_off(Backend::Postgres).await;
}

/// Headers, then a few bytes of a promised body, then nothing: the server answers 408 and
/// closes once the body timeout (1 s here) has passed, rather than waiting for ever.
async fn a_body_that_trickles_in_is_cut_off(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.body_timeout_secs = 1).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         X-Casedesk-CSRF: 1\r\nContent-Length: 200\r\n\r\n{{\"email\""
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = vec![];
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server kept the connection open for 20 s");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json") && answer.contains("request_timeout"), "{answer}");
    assert!(started.elapsed() >= std::time::Duration::from_millis(900), "not before the timeout");
}

async fn oversized_bodies_and_urls_are_refused_as_problems(app: TestApp) {
    let admin = app.admin_a().await;
    let big = json!({"given_name": "x".repeat(300 * 1024), "family_name": "Big"});
    app.post_json("/api/v1/customers", &admin, big).await.assert_problem(413, "payload_too_large");
    let long = format!("/api/v1/queries?q={}", "a".repeat(9 * 1024));
    app.get(&long, &admin).await.assert_problem(414, "uri_too_long");
    let fine = format!("/api/v1/queries?q={}", "a".repeat(1024));
    assert_eq!(app.get(&fine, &admin).await.status, 200);
}

async fn invalid_credentials_are_refused_before_the_body_is_judged(app: TestApp) {
    let stale = As { cookie: Some("__Host-casedesk_session=not-a-session".into()), csrf: true };
    let bad_body = RawBody::raw("application/json", "{\"given_name\": 5}");
    app.request(Method::POST, "/api/v1/customers", &stale, Some(bad_body)).await.assert_problem(401, "unauthenticated");
    let not_json = RawBody::raw("application/json", "{");
    app.request(Method::POST, "/api/v1/customers", &stale, Some(not_json)).await.assert_problem(401, "unauthenticated");
    let token = app
        .client
        .post(format!("{}/api/v1/customers", app.address))
        .header("Authorization", "Bearer cdk_not-a-token")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 401);
    // With good credentials the body is judged as before.
    let admin = app.admin_a().await;
    let judged = app.request(Method::POST, "/api/v1/customers", &admin, Some(RawBody::raw("application/json", "{")));
    judged.await.assert_problem(400, "malformed_json");
    // Signing in with a stale cookie still shows the form's own errors.
    let empty = RawBody::json(json!({"organisation": "tenant-a", "email": "", "password": ""}));
    app.request(Method::POST, "/api/v1/auth/sign-in", &stale, Some(empty))
        .await
        .assert_problem(422, "validation_failed");
}

async fn control_characters_and_direction_overrides_are_refused_by_field(app: TestApp) {
    let admin = app.admin_a().await;
    let before = app.snapshot().await;
    let customer = json!({
        "given_name": "Eve\u{202e}gnp.exe",
        "family_name": "\u{0000}",
        "address": {"lines": ["1 High St", "\u{feff}Flat 2"], "postcode": "BS1 6PN"},
    });
    let refused = app.post_json("/api/v1/customers", &admin, customer).await;
    refused.assert_problem(422, "validation_failed");
    let mut fields = refused.fields();
    fields.sort();
    assert_eq!(fields, ["address.lines[1]", "family_name", "given_name"]);
    assert!(refused.body["errors"].as_array().unwrap().iter().all(|e| e["code"] == "invalid_characters"));
    assert_eq!(app.snapshot().await, before, "nothing stored");
    let fine =
        json!({"given_name": "Zoë", "family_name": "O’Brien-日本", "notes": "Prefers letters.\nDeaf: use text relay."});
    let created = app.post_json("/api/v1/customers", &admin, fine).await;
    assert_eq!(created.status, 201, "{created:?}");
    let newline_in_a_name = json!({"given_name": "Two\nlines", "family_name": "Name"});
    let refused = app.post_json("/api/v1/customers", &admin, newline_in_a_name).await;
    assert_eq!(refused.fields(), ["given_name"]);
}

async fn a_cursor_is_refused_by_another_sort_or_filter(app: TestApp) {
    let admin = app.admin_a().await;
    for subject in ["First", "Second", "Third"] {
        let query = json!({"channel": "phone", "subject": subject});
        assert_eq!(app.post_json("/api/v1/queries", &admin, query).await.status, 201);
    }
    let first = app.get("/api/v1/queries?limit=1&sort=received_at&channel=phone", &admin).await;
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let same =
        app.get(&format!("/api/v1/queries?limit=1&sort=received_at&channel=phone&cursor={cursor}"), &admin).await;
    assert_eq!(same.status, 200, "{same:?}");
    assert_ne!(same.body["items"][0]["id"], first.body["items"][0]["id"]);
    for other in ["sort=-received_at&channel=phone", "sort=received_at", "sort=received_at&channel=phone&open=true"] {
        let reused = app.get(&format!("/api/v1/queries?limit=1&{other}&cursor={cursor}"), &admin).await;
        reused.assert_problem(422, "validation_failed");
        assert_eq!(reused.body["errors"][0]["code"], "cursor_mismatch", "{other}");
    }
    let across = app.get(&format!("/api/v1/customers?cursor={cursor}"), &admin).await;
    across.assert_problem(422, "validation_failed");
    assert_eq!(across.fields(), ["cursor"], "a queries cursor is not a customers one");
}
