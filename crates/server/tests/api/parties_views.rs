//! Parties to queries and saved views over HTTP.

use crate::{both_backends, helpers::TestApp};
use reqwest::Method;
use serde_json::json;

both_backends!(an_mp_acts_for_the_customer_on_a_query, saved_views_count_and_are_shared_with_a_team);

async fn an_mp_acts_for_the_customer_on_a_query(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let customer =
        app.post_json("/api/v1/customers", &officer, json!({"given_name": "Cara", "family_name": "Client"})).await;
    let mp =
        app.post_json("/api/v1/customers", &officer, json!({"given_name": "Maria", "family_name": "Member"})).await;
    let query = app
        .post_json(
            "/api/v1/queries",
            &officer,
            json!({"customer_id": customer.body["id"], "channel": "post", "subject": "MP letter"}),
        )
        .await;
    let parties = format!("/api/v1/queries/{}/parties", query.body["id"].as_str().unwrap());
    let added = app.post_json(&parties, &officer, json!({"customer_id": mp.body["id"], "role": "mp"})).await;
    assert_eq!((added.status.as_u16(), &added.body["role"]), (201, &json!("mp")), "{added:?}");
    let twice = app.post_json(&parties, &officer, json!({"customer_id": mp.body["id"], "role": "mp"})).await;
    twice.assert_problem(409, "conflict");
    assert_eq!(twice.fields(), ["role"]);
    let listed = app.get(&parties, &officer).await;
    assert_eq!(listed.body["items"][0]["customer_id"], mp.body["id"]);
    let mp_timeline =
        app.get(&format!("/api/v1/customers/{}/timeline", mp.body["id"].as_str().unwrap()), &officer).await;
    assert!(mp_timeline.body["items"].as_array().unwrap().iter().any(|e| e["kind"] == "query.party_added"));
    let one = format!("{parties}/{}/mp", mp.body["id"].as_str().unwrap());
    assert_eq!(app.request(Method::DELETE, &one, &officer, None).await.status, 204);
    assert_eq!(app.request(Method::DELETE, &one, &officer, None).await.status, 404);
    assert_eq!(app.get(&parties, &officer).await.body["items"], json!([]));
}

async fn saved_views_count_and_are_shared_with_a_team(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let officer_id = app.user_id(&officer).await;
    let team = app.post_json("/api/v1/teams", &admin, json!({"name": "Post room", "member_ids": [officer_id]})).await;
    for channel in ["post", "post", "email"] {
        app.post_json("/api/v1/queries", &admin, json!({"channel": channel, "subject": "Letter"})).await;
    }
    let view = json!({"name": "Open post", "filter": "open=true&channel=post", "columns": ["reference", "subject"],
                      "sort": "-received_at", "team_id": team.body["id"]});
    let saved = app.post_json("/api/v1/views", &admin, view.clone()).await;
    assert_eq!(saved.status, 201, "{saved:?}");
    assert_eq!((&saved.body["count"], &saved.body["saved"]["sort"]), (&json!(2), &json!("-received_at")));
    let mut bad = view.clone();
    bad["filter"] = json!("channel=fax");
    bad["columns"] = json!(["password"]);
    let refused = app.post_json("/api/v1/views", &admin, bad).await;
    assert_eq!(refused.fields(), ["filter", "columns[0]"]);
    // A filter is checked as it is kept: a leading `?` goes, so what follows must be right.
    let mut prefixed = view.clone();
    prefixed["filter"] = json!("?channel=fax");
    let refused = app.post_json("/api/v1/views", &admin, prefixed).await;
    assert_eq!(refused.fields(), ["filter"]);
    // The officer's team sees it, with its count.
    let theirs = app.get("/api/v1/views", &officer).await;
    let shared = theirs.body["items"].as_array().unwrap().iter().find(|v| v["name"] == "Open post").cloned().unwrap();
    assert_eq!(shared["count"], 2);
    // Only the owner changes it.
    let path = format!("/api/v1/views/{}", saved.body["id"].as_str().unwrap());
    let not_theirs = app.send_if_match(Method::PUT, &path, &officer, Some("\"1\""), view.clone()).await;
    not_theirs.assert_problem(404, "not_found");
    let mut renamed = view;
    renamed["name"] = json!("All post");
    renamed["filter"] = json!("channel=post");
    let changed = app.send_if_match(Method::PUT, &path, &admin, Some("\"1\""), renamed).await;
    assert_eq!((changed.status.as_u16(), &changed.body["name"]), (200, &json!("All post")));
    let gone = app.send_if_match(Method::DELETE, &path, &admin, Some("\"2\""), json!(null)).await;
    assert_eq!(gone.status, 204);
    let after = app.get("/api/v1/views", &officer).await;
    assert!(after.body["items"].as_array().unwrap().iter().all(|v| v["saved"].is_null()));
}
