//! Idempotency-Key on creates: replay, reuse with another body, in-flight duplicates.

use crate::{both_backends, helpers::TestApp};
use domain::{TenantId, audit::Actor};
use serde_json::{Value, json};
use storage::{IdempotencyStart, TenantScope};

both_backends!(
    a_retried_create_replays_the_first_response,
    a_key_reused_with_another_body_is_422,
    a_duplicate_while_the_first_is_running_is_409,
    a_failed_create_releases_its_key,
);

fn customer(family: &str) -> Value {
    json!({"given_name": "Ida", "family_name": family, "address": {"postcode": "BS1 6PN"}})
}

async fn customers(app: &TestApp, who: &crate::helpers::As) -> usize {
    app.get("/api/v1/customers", who).await.body["items"].as_array().unwrap().len()
}

async fn a_retried_create_replays_the_first_response(app: TestApp) {
    let admin = app.admin_a().await;
    let first = app.post_with_key("/api/v1/customers", &admin, "key-1", &customer("Once")).await;
    assert_eq!(first.status, 201, "{first:?}");
    assert!(first.header("idempotent-replayed").is_none());
    let before = app.counts().await;
    let again = app.post_with_key("/api/v1/customers", &admin, "key-1", &customer("Once")).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("etag"), Some("\"1\""));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.counts().await, before, "nothing written by the replay");
    assert_eq!(customers(&app, &admin).await, 1);
    // Keys are per tenant: tenant B may use the same one.
    let admin_b = app.admin_b().await;
    assert_eq!(app.post_with_key("/api/v1/customers", &admin_b, "key-1", &customer("Once")).await.status, 201);
}

async fn a_key_reused_with_another_body_is_422(app: TestApp) {
    let admin = app.admin_a().await;
    assert_eq!(app.post_with_key("/api/v1/customers", &admin, "key-2", &customer("First")).await.status, 201);
    let before = app.counts().await;
    let reused = app.post_with_key("/api/v1/customers", &admin, "key-2", &customer("Second")).await;
    reused.assert_problem(422, "idempotency_key_reused");
    assert_eq!(reused.fields(), ["Idempotency-Key"]);
    let bad_key = app.post_with_key("/api/v1/customers", &admin, &"k".repeat(256), &customer("Third")).await;
    bad_key.assert_problem(422, "validation_failed");
    assert_eq!(app.counts().await, before);
    assert_eq!(customers(&app, &admin).await, 1);
}

async fn a_duplicate_while_the_first_is_running_is_409(app: TestApp) {
    let admin = app.admin_a().await;
    let me = app.get("/api/v1/me", &admin).await;
    let tenant = TenantId::from_uuid(me.body["tenant"]["id"].as_str().unwrap().parse().unwrap());
    let user = me.body["user"]["id"].as_str().unwrap().parse().unwrap();
    let scope = TenantScope::new(tenant, Actor::User(user));
    // The first attempt has reserved the key and not finished.
    let input: api_types::CustomerInput = serde_json::from_value(customer("Racing")).unwrap();
    let hash = server::idempotency::request_hash("POST", "/api/v1/customers", &input);
    assert_eq!(app.store.begin_idempotent(&scope, "key-3", &hash).await.unwrap(), IdempotencyStart::Proceed);
    let duplicate = app.post_with_key("/api/v1/customers", &admin, "key-3", &customer("Racing")).await;
    duplicate.assert_problem(409, "idempotency_key_in_use");
    assert_eq!(customers(&app, &admin).await, 0);
}

async fn a_failed_create_releases_its_key(app: TestApp) {
    let admin = app.admin_a().await;
    let invalid = json!({"family_name": "Bad", "address": {"postcode": "nope"}});
    app.post_with_key("/api/v1/customers", &admin, "key-4", &invalid).await.assert_problem(422, "validation_failed");
    let fixed = app.post_with_key("/api/v1/customers", &admin, "key-4", &customer("Fixed")).await;
    assert_eq!(fixed.status, 201, "{fixed:?}");
}
