//! Corrections, deletions, merges and change histories over HTTP.

use crate::{both_backends, helpers::TestApp};
use reqwest::Method;
use serde_json::json;

both_backends!(
    corrections_need_if_match_and_show_in_the_history,
    deletion_needs_full_access_and_leaves_nothing_visible,
    merging_leads_old_links_to_the_survivor,
);

async fn corrections_need_if_match_and_show_in_the_history(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let logged = json!({"channel": "phone", "subject": "Wrong", "received_at": "2026-01-10T09:00:00Z"});
    let query = app.post_json("/api/v1/queries", &officer, logged).await;
    let path = format!("/api/v1/queries/{}", query.body["id"].as_str().unwrap());
    let fixed =
        json!({"channel": "post", "priority": "high", "subject": "Right", "received_at": "2026-01-09T09:00:00Z"});
    let before = app.counts().await;
    let missing = app.send_if_match(Method::PUT, &path, &officer, None, fixed.clone()).await;
    missing.assert_problem(428, "precondition_required");
    let stale = app.send_if_match(Method::PUT, &path, &officer, Some("\"9\""), fixed.clone()).await;
    stale.assert_problem(412, "precondition_failed");
    let mut future = fixed.clone();
    future["received_at"] = json!("2999-01-01T00:00:00Z");
    let bad = app.send_if_match(Method::PUT, &path, &officer, Some("\"1\""), future).await;
    assert_eq!(bad.fields(), ["received_at"]);
    assert_eq!(app.counts().await, before, "nothing stored by refused changes");
    let done = app.send_if_match(Method::PUT, &path, &officer, Some("\"1\""), fixed).await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!((done.body["subject"].as_str(), done.header("etag")), (Some("Right"), Some("\"2\"")));
    let history = app.get(&format!("{path}/history"), &officer).await;
    let last = &history.body["items"][1];
    assert_eq!(last["action"], "query.updated");
    assert_eq!((last["before"]["subject"].as_str(), last["after"]["subject"].as_str()), (Some("Wrong"), Some("Right")));
    assert_eq!(last["after"]["channel"], "post");
    let stranger = app.admin_b().await;
    assert_eq!(app.get(&format!("{path}/history"), &stranger).await.status, 404);
}

async fn deletion_needs_full_access_and_leaves_nothing_visible(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let query = app.post_json("/api/v1/queries", &officer, json!({"channel": "email", "subject": "Spam"})).await;
    let path = format!("/api/v1/queries/{}", query.body["id"].as_str().unwrap());
    let refused = app.send_if_match(Method::DELETE, &path, &officer, Some("\"1\""), json!(null)).await;
    refused.assert_problem(403, "forbidden");
    let stranger = app.admin_b().await;
    let foreign = app.send_if_match(Method::DELETE, &path, &stranger, Some("\"1\""), json!(null)).await;
    foreign.assert_problem(404, "not_found");
    let deleted = app.send_if_match(Method::DELETE, &path, &admin, Some("\"1\""), json!(null)).await;
    assert_eq!(deleted.status, 204, "{deleted:?}");
    assert_eq!(app.get(&path, &officer).await.status, 404);
    assert_eq!(app.get("/api/v1/queries?q=spam", &officer).await.body["items"], json!([]));
}

async fn merging_leads_old_links_to_the_survivor(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let person = |given: &str, postcode: &str| json!({"given_name": given, "family_name": "Smith", "address": {"lines": ["1 High St"], "postcode": postcode}});
    let john = app.post_json("/api/v1/customers", &officer, person("John", "BS1 6PN")).await;
    let jon = app.post_json("/api/v1/customers", &officer, person("Jon", "bs16pn")).await;
    app.post_json(
        "/api/v1/queries",
        &officer,
        json!({"customer_id": jon.body["id"], "channel": "phone", "subject": "Second"}),
    )
    .await;
    let path = format!("/api/v1/customers/{}/merge", jon.body["id"].as_str().unwrap());
    let into_john = json!({"survivor_id": john.body["id"]});
    let refused = app.send_if_match(Method::POST, &path, &officer, Some("\"1\""), into_john.clone()).await;
    refused.assert_problem(403, "forbidden");
    let itself =
        app.send_if_match(Method::POST, &path, &admin, Some("\"1\""), json!({"survivor_id": jon.body["id"]})).await;
    assert_eq!(itself.fields(), ["survivor_id"]);
    let merged = app.send_if_match(Method::POST, &path, &admin, Some("\"1\""), into_john).await;
    assert_eq!(merged.status, 200, "{merged:?}");
    assert_eq!((&merged.body["survivor"]["id"], &merged.body["moved_queries"]), (&john.body["id"], &json!(1)));
    let old_link = app.get(&format!("/api/v1/customers/{}", jon.body["id"].as_str().unwrap()), &officer).await;
    assert_eq!(old_link.status, 308);
    assert_eq!(
        old_link.header("location"),
        Some(format!("/api/v1/customers/{}", john.body["id"].as_str().unwrap()).as_str())
    );
    let old_overview =
        app.get(&format!("/api/v1/customers/{}/overview", jon.body["id"].as_str().unwrap()), &officer).await;
    assert_eq!(old_overview.status, 308);
    assert_eq!(
        old_overview.header("location"),
        Some(format!("/api/v1/customers/{}/overview", john.body["id"].as_str().unwrap()).as_str())
    );
    let theirs = app.get(&format!("/api/v1/queries?customer_id={}", john.body["id"].as_str().unwrap()), &officer).await;
    assert_eq!(theirs.body["items"].as_array().unwrap().len(), 1);
    let stranger = app.admin_b().await;
    assert_eq!(
        app.get(&format!("/api/v1/customers/{}", jon.body["id"].as_str().unwrap()), &stranger).await.status,
        404
    );
}
