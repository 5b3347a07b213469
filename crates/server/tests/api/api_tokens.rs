//! Personal API tokens: shown once, stored as a hash, scoped, and refused at once when revoked,
//! expired or when their owner is disabled.

use crate::{
    both_backends,
    helpers::{As, Db, TestApp},
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

both_backends!(
    a_token_is_shown_once_and_only_its_hash_is_kept,
    a_token_acts_within_its_scope_and_its_owners_permissions,
    revoked_expired_and_disabled_owners_tokens_are_refused_at_once,
);

/// A request with `Authorization: Bearer` and nothing else: no cookie, no CSRF header.
async fn bearer(app: &TestApp, method: Method, path: &str, secret: &str, body: Option<Value>) -> StatusCode {
    let mut request = app.client.request(method, format!("{}{path}", app.address)).bearer_auth(secret);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap().status()
}

async fn create(app: &TestApp, who: &As, scopes: Value) -> (String, String) {
    let body = json!({"name": "Power BI", "scopes": scopes, "expires_in_days": 30});
    let reply = app.post_json("/api/v1/me/api-tokens", who, body).await;
    assert_eq!(reply.status, 201, "{reply:?}");
    (reply.body["token"]["id"].as_str().unwrap().to_owned(), reply.body["secret"].as_str().unwrap().to_owned())
}

async fn stored_hashes(app: &TestApp) -> Vec<Vec<u8>> {
    let sql = "SELECT token_hash FROM api_tokens";
    match &app.db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}

async fn a_token_is_shown_once_and_only_its_hash_is_kept(app: TestApp) {
    let admin = app.admin_a().await;
    let (id, secret) = create(&app, &admin, json!([{"area": "queries", "level": "read"}])).await;
    assert!(secret.starts_with("cdk_") && secret.len() > 40, "{secret}");
    let listed = app.get("/api/v1/me/api-tokens", &admin).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body["items"][0]["id"], id.as_str());
    assert_eq!(listed.body["items"][0]["active"], true);
    assert!(!listed.body.to_string().contains(&secret), "the secret is never shown again");
    let hash: Vec<u8> = Sha256::digest(secret.as_bytes()).to_vec();
    assert_eq!(stored_hashes(&app).await, [hash], "only the SHA-256 of the secret is stored");
    let everything = app.get("/api/v1/api-tokens", &admin).await;
    assert_eq!(everything.body["items"].as_array().unwrap().len(), 1);
    assert!(app.audit_actions().await.contains(&"api_token.created".to_owned()));

    // A token cannot manage tokens, and is not a session.
    let minted = app
        .client
        .post(format!("{}/api/v1/me/api-tokens", app.address))
        .bearer_auth(&secret)
        .json(&json!({"name": "Another", "scopes": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(minted.status(), 403);
    assert_eq!(bearer(&app, Method::POST, "/api/v1/auth/sign-out", &secret, None).await, 204);
    assert_eq!(app.get("/api/v1/me", &admin).await.status, 200, "signing out with a token ends no session");
    assert_eq!(bearer(&app, Method::GET, "/api/v1/me", &secret, None).await, 200);
    assert_eq!(bearer(&app, Method::GET, "/api/v1/me", "cdk_not-a-token", None).await, 401);
    assert_eq!(bearer(&app, Method::GET, "/api/v1/me", &secret.replace("cdk_", "xyz_"), None).await, 401);
}

async fn a_token_acts_within_its_scope_and_its_owners_permissions(app: TestApp) {
    let officer = app.officer_a("integrator@example.org").await;
    let admin = app.admin_a().await;
    let query = app.post_json("/api/v1/queries", &admin, json!({"subject": "Bins", "channel": "phone"})).await;
    let query_id = query.body["id"].as_str().unwrap().to_owned();
    let (_, reader) = create(&app, &officer, json!([{"area": "queries", "level": "read"}])).await;
    let new_query = json!({"subject": "From a script", "channel": "email"});
    assert_eq!(bearer(&app, Method::GET, "/api/v1/queries", &reader, None).await, 200);
    assert_eq!(bearer(&app, Method::GET, &format!("/api/v1/queries/{query_id}"), &reader, None).await, 200);
    assert_eq!(
        bearer(&app, Method::POST, "/api/v1/queries", &reader, Some(new_query.clone())).await,
        403,
        "read scope"
    );
    assert_eq!(bearer(&app, Method::GET, "/api/v1/customers", &reader, None).await, 403, "outside its scope");

    let too_much = json!({"name": "Greedy", "scopes": [{"area": "queries", "level": "full"}]});
    let refused = app.post_json("/api/v1/me/api-tokens", &officer, too_much).await;
    refused.assert_problem(422, "validation_failed");
    assert_eq!(refused.fields(), ["scopes[0].level"]);

    let (_, writer) = create(&app, &officer, json!([{"area": "queries", "level": "read_write"}])).await;
    assert_eq!(
        bearer(&app, Method::POST, "/api/v1/queries", &writer, Some(new_query.clone())).await,
        201,
        "no CSRF header needed"
    );
    // The owner loses read-write: so does the token, at once.
    let readers = json!({"name": "Readers", "grants": [{"area": "queries", "level": "read"}]});
    let readers = app.post_json("/api/v1/groups", &admin, readers).await.body["id"].clone();
    let user_id = app.user_id(&officer).await;
    let user = app.get(&format!("/api/v1/users/{}", user_id.as_str().unwrap()), &admin).await;
    let etag = user.header("etag").unwrap().to_owned();
    let change = json!({"display_name": "Olive Officer", "status": "active", "group_ids": [readers]});
    let changed = app
        .send_if_match(
            Method::PUT,
            &format!("/api/v1/users/{}", user_id.as_str().unwrap()),
            &admin,
            Some(&etag),
            change,
        )
        .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    assert_eq!(bearer(&app, Method::POST, "/api/v1/queries", &writer, Some(new_query)).await, 403);
    assert_eq!(bearer(&app, Method::GET, "/api/v1/queries", &writer, None).await, 200);
}

async fn revoked_expired_and_disabled_owners_tokens_are_refused_at_once(app: TestApp) {
    let officer = app.officer_a("leaver@example.org").await;
    let admin = app.admin_a().await;
    let scopes = json!([{"area": "queries", "level": "read"}]);
    let (mine, secret) = create(&app, &officer, scopes.clone()).await;
    assert_eq!(bearer(&app, Method::GET, "/api/v1/queries", &secret, None).await, 200);
    let revoked = app.request(Method::DELETE, &format!("/api/v1/me/api-tokens/{mine}"), &officer, None).await;
    assert_eq!(revoked.status, 204);
    assert_eq!(bearer(&app, Method::GET, "/api/v1/queries", &secret, None).await, 401, "revoked");
    let listed = app.get("/api/v1/me/api-tokens", &officer).await;
    assert_eq!(listed.body["items"][0]["active"], false);
    assert!(app.audit_actions().await.contains(&"api_token.revoked".to_owned()));

    let (theirs, secret) = create(&app, &officer, scopes.clone()).await;
    let not_mine = app.request(Method::DELETE, &format!("/api/v1/me/api-tokens/{theirs}"), &admin, None).await;
    assert_eq!(not_mine.status, 404, "one's own tokens only");
    let by_admin = app.request(Method::DELETE, &format!("/api/v1/api-tokens/{theirs}"), &admin, None).await;
    assert_eq!(by_admin.status, 204);
    assert_eq!(bearer(&app, Method::GET, "/api/v1/queries", &secret, None).await, 401, "revoked by an administrator");

    let (_, secret) = create(&app, &officer, scopes.clone()).await;
    app.execute("UPDATE api_tokens SET expires_at = created_at WHERE revoked_at IS NULL").await;
    assert_eq!(bearer(&app, Method::GET, "/api/v1/queries", &secret, None).await, 401, "expired");

    let (_, secret) = create(&app, &officer, scopes).await;
    assert_eq!(bearer(&app, Method::GET, "/api/v1/queries", &secret, None).await, 200);
    let user_id = app.user_id(&officer).await;
    let path = format!("/api/v1/users/{}", user_id.as_str().unwrap());
    let etag = app.get(&path, &admin).await.header("etag").unwrap().to_owned();
    let disable = json!({"display_name": "Lee Aver", "status": "disabled", "group_ids": []});
    assert_eq!(app.send_if_match(Method::PUT, &path, &admin, Some(&etag), disable).await.status, 200);
    assert_eq!(bearer(&app, Method::GET, "/api/v1/queries", &secret, None).await, 401, "owner disabled");
    assert_eq!(app.get("/api/v1/me", &officer).await.status, 401, "and their session ended");
}
