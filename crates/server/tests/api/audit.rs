//! Every write leaves an audit entry in the same transaction, and the chain detects tampering.

use crate::{both_backends, helpers::TestApp};
use reqwest::Method;
use serde_json::json;

both_backends!(every_write_is_audited_and_tampering_is_detected);

async fn every_write_is_audited_and_tampering_is_detected(app: TestApp) {
    let (_, audit_start, _) = app.counts().await;
    let admin = app.admin_a().await; // session.started
    let body = json!({"email": "audited@example.org", "display_name": "Audited", "password": "long-enough-password"});
    assert_eq!(app.post_json("/api/v1/users", &admin, body).await.status, 201); // user.created
    let verification = app.get("/api/v1/audit/verification", &admin).await;
    assert_eq!(verification.body["valid"], true, "{verification:?}");
    // tenant, two groups, administrator, session, new user
    assert_eq!(verification.body["entries"], 6);
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
