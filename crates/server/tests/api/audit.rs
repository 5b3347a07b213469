//! Every write leaves an audit entry in the same transaction, and the chain detects tampering.

use crate::{
    both_backends,
    helpers::{Db, TestApp},
};
use reqwest::Method;
use serde_json::json;

both_backends!(
    every_write_is_audited_and_tampering_is_detected,
    an_unlinked_entry_that_does_not_match_its_hash_is_reported,
    every_access_event_is_audited_with_who_when_and_where
);

async fn every_write_is_audited_and_tampering_is_detected(app: TestApp) {
    let (_, audit_start, _) = app.counts().await;
    let admin = app.admin_a().await; // session.started
    let body = json!({"email": "audited@example.org", "display_name": "Audited", "password": "long-enough-password"});
    assert_eq!(app.post_json("/api/v1/users", &admin, body).await.status, 201); // user.created
    let verification = app.get("/api/v1/audit/verification", &admin).await;
    assert_eq!(verification.body["valid"], true, "{verification:?}");
    // tenant, two groups, the default workflow, administrator, session, new user
    assert_eq!(verification.body["entries"], 7);
    assert_eq!(app.request(Method::POST, "/api/v1/auth/sign-out", &admin, None).await.status, 204); // session.ended
    let (_, audit_end, _) = app.counts().await;
    assert_eq!(audit_end, audit_start + 3);

    // Rewrite history behind the application's back: the chain no longer verifies.
    let admin = app.admin_a().await;
    app.execute(
        "UPDATE audit_entries SET action = 'user.disabled' WHERE action = 'user.created' AND payload LIKE '%audited@%'",
    )
    .await;
    let verification = app.get("/api/v1/audit/verification", &admin).await;
    assert_eq!(verification.body["valid"], false, "{verification:?}");
    assert!(verification.body["problem"].as_str().unwrap().contains("envelope"));
    // Tenant B's chain is untouched.
    let admin_b = app.admin_b().await;
    assert_eq!(app.get("/api/v1/audit/verification", &admin_b).await.body["valid"], true);
}

/// Issue 13, item 4: an entry waiting to be linked that was written or changed behind the
/// application's back (its hash does not match) is never linked and verification says so.
async fn an_unlinked_entry_that_does_not_match_its_hash_is_reported(app: TestApp) {
    let admin = app.admin_a().await;
    assert_eq!(app.get("/api/v1/audit/verification", &admin).await.body["valid"], true);
    app.execute(match app.db {
        Db::Sqlite(_) => {
            "INSERT INTO audit_pending (tenant_id, id, at, actor_kind, actor_id, action, subject_kind, subject_id,
                 payload, payload_hash, entry_hash)
             SELECT id, randomblob(16), 0, 'system', NULL, 'user.deleted', 'user', randomblob(16), '{}',
                 zeroblob(32), zeroblob(32)
             FROM tenants WHERE slug = 'tenant-a'"
        }
        Db::Postgres(_) => {
            "INSERT INTO audit_pending (tenant_id, id, at, actor_kind, actor_id, action, subject_kind, subject_id,
                 payload, payload_hash, entry_hash)
             SELECT id, gen_random_uuid(), now(), 'system', NULL, 'user.deleted', 'user', gen_random_uuid(), '{}',
                 decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex')
             FROM tenants WHERE slug = 'tenant-a'"
        }
    })
    .await;
    let verification = app.get("/api/v1/audit/verification", &admin).await;
    assert_eq!(verification.body["valid"], false, "{verification:?}");
    assert!(verification.body["problem"].as_str().unwrap().contains("unlinked entry"), "{verification:?}");
    // Tenant B's trail is untouched.
    let admin_b = app.admin_b().await;
    assert_eq!(app.get("/api/v1/audit/verification", &admin_b).await.body["valid"], true);
}

/// Issue 4, item 8: sign-in success and failure, a session ended and why, permission and
/// restriction changes, tokens created and revoked each leave an entry saying who, when and
/// (for sign-ins, sessions and tokens) from which address; the chain still verifies.
async fn every_access_event_is_audited_with_who_when_and_where(app: TestApp) {
    let officer = app.officer_a("audited@example.org").await;
    let admin = app.admin_a().await;
    let wrong = json!({"organisation": "tenant-a", "email": "audited@example.org", "password": "not-the-password"});
    app.post_json("/api/v1/auth/sign-in", &crate::helpers::As::anonymous(), wrong)
        .await
        .assert_problem(401, "invalid_credentials");
    let group = app
        .post_json(
            "/api/v1/groups",
            &admin,
            json!({"name": "Auditors", "grants": [{"area": "reports", "level": "read"}]}),
        )
        .await;
    let (group_id, etag) = (group.body["id"].as_str().unwrap().to_owned(), group.header("etag").unwrap().to_owned());
    let change = json!({"name": "Auditors", "grants": [{"area": "reports", "level": "read_write"}]});
    let changed =
        app.send_if_match(Method::PUT, &format!("/api/v1/groups/{group_id}"), &admin, Some(&etag), change).await;
    assert_eq!(changed.status, 200);
    let query = app.post_json("/api/v1/queries", &admin, json!({"subject": "Audit me", "channel": "phone"})).await;
    let (query_id, etag) = (query.body["id"].as_str().unwrap().to_owned(), query.header("etag").unwrap().to_owned());
    let restrict = json!({"group_ids": []});
    let path = format!("/api/v1/queries/{query_id}/restriction");
    assert_eq!(app.send_if_match(Method::PUT, &path, &admin, Some(&etag), restrict).await.status, 200);
    let token = app.post_json("/api/v1/me/api-tokens", &admin, json!({"name": "Audit", "scopes": []})).await;
    let token_id = token.body["token"]["id"].as_str().unwrap().to_owned();
    let revoked = app.request(Method::DELETE, &format!("/api/v1/me/api-tokens/{token_id}"), &admin, None).await;
    assert_eq!(revoked.status, 204);
    app.officer_sign_in_again("audited@example.org").await;
    assert_eq!(app.get("/api/v1/me", &officer).await.status, 401);

    let entries = app.audit_entries().await;
    let find = |action: &str| {
        entries.iter().rfind(|(a, _, _)| a == action).unwrap_or_else(|| panic!("{action} is not audited: {entries:?}"))
    };
    for action in [
        "session.started",
        "sign_in.failed",
        "session.ended",
        "group.created",
        "group.updated",
        "query.restriction_changed",
        "api_token.created",
        "api_token.revoked",
    ] {
        let (_, actor, payload) = find(action);
        assert!(actor.is_some() || action == "sign_in.failed", "{action} names who: {payload}");
    }
    let from = |action: &str| serde_json::from_str::<serde_json::Value>(&find(action).2).unwrap()["from"].clone();
    for action in ["session.started", "sign_in.failed", "api_token.created"] {
        assert_eq!(from(action), "127.0.0.1", "{action} says from where");
    }
    let ended: serde_json::Value = serde_json::from_str(&find("session.ended").2).unwrap();
    assert_eq!(ended["after"]["reason"], "signed_in_elsewhere", "and why the session ended");
    assert_eq!(app.get("/api/v1/audit/verification", &admin).await.body["valid"], true);
}
