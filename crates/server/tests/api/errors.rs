//! Routing and error shapes: problem+json everywhere, and nothing stored on bad input.

use crate::{
    both_backends,
    helpers::{As, RawBody, TestApp},
};
use reqwest::Method;
use serde_json::json;

both_backends!(
    unknown_api_routes_are_404_for_anyone,
    known_routes_need_authentication,
    wrong_method_is_405_with_allow,
    malformed_json_is_400_and_stores_nothing,
    missing_fields_are_422_named_and_store_nothing,
    invalid_values_are_422_for_every_field,
    non_json_body_is_415,
    a_duplicate_email_is_409_on_the_field,
);

async fn unknown_api_routes_are_404_for_anyone(app: TestApp) {
    let admin = app.admin_a().await;
    for who in [As::anonymous(), admin] {
        app.get("/api/v1/no-such-thing", &who).await.assert_problem(404, "not_found");
        app.get("/api/nope", &who).await.assert_problem(404, "not_found");
        app.post_json("/api/v1/no/such/thing", &who, json!({})).await.assert_problem(404, "not_found");
    }
}

async fn known_routes_need_authentication(app: TestApp) {
    let reply = app.get("/api/v1/me", &As::anonymous()).await;
    reply.assert_problem(401, "unauthenticated");
    assert!(reply.header("location").is_none(), "never a redirect");
    let forged = As { cookie: Some("__Host-casedesk_session=forged".into()), csrf: true };
    app.get("/api/v1/me", &forged).await.assert_problem(401, "unauthenticated");
}

async fn wrong_method_is_405_with_allow(app: TestApp) {
    let reply = app.request(Method::DELETE, "/api/v1/users", &As::anonymous(), None).await;
    reply.assert_problem(405, "method_not_allowed");
    assert_eq!(reply.header("allow"), Some("GET, POST"));
    let reply = app.request(Method::PUT, "/api/v1/me", &As::anonymous(), None).await;
    reply.assert_problem(405, "method_not_allowed");
    // A literal path beside a templated one (`/customers/{id}` takes PUT) is still that path.
    let admin = app.admin_a().await;
    let reply = app.request(Method::PUT, "/api/v1/customers/duplicate-check", &admin, None).await;
    reply.assert_problem(405, "method_not_allowed");
    assert_eq!(reply.header("allow"), Some("POST"));
    let reply = app.request(Method::PUT, "/api/v1/customers/not-an-id", &admin, None).await;
    reply.assert_problem(404, "not_found");
}

async fn malformed_json_is_400_and_stores_nothing(app: TestApp) {
    let admin = app.admin_a().await;
    let before = app.counts().await;
    for text in ["{", "{\"email\": }", "", "[1,2"] {
        let reply =
            app.request(Method::POST, "/api/v1/users", &admin, Some(RawBody::raw("application/json", text))).await;
        reply.assert_problem(400, "malformed_json");
    }
    assert_eq!(app.counts().await, before);
}

async fn missing_fields_are_422_named_and_store_nothing(app: TestApp) {
    let admin = app.admin_a().await;
    let before = app.counts().await;
    let reply = app.post_json("/api/v1/users", &admin, json!({"display_name": "No Email"})).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["email"]);
    assert_eq!(reply.body["errors"][0]["code"], "required");
    let reply = app.post_json("/api/v1/users", &admin, json!({"email": 7, "display_name": "x", "password": "p"})).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["email"]);
    assert_eq!(app.counts().await, before);
}

async fn invalid_values_are_422_for_every_field(app: TestApp) {
    let admin = app.admin_a().await;
    let before = app.counts().await;
    let body = json!({"email": "not-an-email", "display_name": "  ", "password": "short",
                      "group_ids": [uuid::Uuid::now_v7()]});
    let reply = app.post_json("/api/v1/users", &admin, body).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["email", "display_name", "password", "group_ids[0]"]);
    assert_eq!(app.counts().await, before);
}

async fn non_json_body_is_415(app: TestApp) {
    let admin = app.admin_a().await;
    let reply = app
        .request(Method::POST, "/api/v1/users", &admin, Some(RawBody::raw("text/plain", "{\"email\": \"x\"}")))
        .await;
    reply.assert_problem(415, "unsupported_media_type");
}

async fn a_duplicate_email_is_409_on_the_field(app: TestApp) {
    let admin = app.admin_a().await;
    let body = json!({"email": "twice@example.org", "display_name": "Twice", "password": "long-enough-password"});
    assert_eq!(app.post_json("/api/v1/users", &admin, body.clone()).await.status, 201);
    let before = app.counts().await;
    let mut again = body;
    again["email"] = json!("TWICE@example.org");
    let reply = app.post_json("/api/v1/users", &admin, again).await;
    reply.assert_problem(409, "conflict");
    assert_eq!(reply.fields(), ["email"]);
    assert_eq!(app.counts().await, before);
}
