//! Restricted queries over HTTP: hidden from everyone outside the named groups; restricting
//! needs `queries: full` and membership of one of the groups.

use crate::{both_backends, helpers::TestApp};
use reqwest::Method;
use serde_json::json;

both_backends!(a_restricted_query_is_hidden_from_everyone_outside_its_groups);

async fn a_restricted_query_is_hidden_from_everyone_outside_its_groups(app: TestApp) {
    let officer = app.officer_a("outsider@example.org").await;
    let admin = app.admin_a().await;
    let me = app.user_id(&admin).await;
    let panel = app.post_json("/api/v1/groups", &admin, json!({"name": "Complaints panel", "member_ids": [me]})).await;
    let panel = panel.body["id"].clone();
    let other = app.post_json("/api/v1/groups", &admin, json!({"name": "Somebody else"})).await.body["id"].clone();
    let customer = json!({"given_name": "Rae", "family_name": "Stricted", "address": {"lines": ["1 High St"], "postcode": "BS1 6PN"}});
    let customer = app.post_json("/api/v1/customers", &admin, customer).await.body["id"].as_str().unwrap().to_owned();
    let body = json!({"customer_id": customer, "channel": "phone", "subject": "Complaint quagga about an officer"});
    let query = app.post_json("/api/v1/queries", &admin, body).await;
    let (id, etag) = (query.body["id"].as_str().unwrap().to_owned(), query.header("etag").unwrap().to_owned());
    let path = format!("/api/v1/queries/{id}/restriction");

    let officers_try =
        app.send_if_match(Method::PUT, &path, &officer, Some(&etag), json!({"group_ids": [panel]})).await;
    officers_try.assert_problem(403, "forbidden");
    let not_mine = app.send_if_match(Method::PUT, &path, &admin, Some(&etag), json!({"group_ids": [other]})).await;
    not_mine.assert_problem(422, "validation_failed");
    assert_eq!(not_mine.fields(), ["group_ids"]);
    let restricted = app.send_if_match(Method::PUT, &path, &admin, Some(&etag), json!({"group_ids": [panel]})).await;
    assert_eq!(restricted.status, 200, "{restricted:?}");
    assert_eq!(restricted.body["group_ids"], json!([panel]));

    for (who, sees) in [(&admin, true), (&officer, false)] {
        let get = app.get(&format!("/api/v1/queries/{id}"), who).await;
        assert_eq!(get.status == 200, sees, "by id: {get:?}");
        let listed = app.get(&format!("/api/v1/queries?customer_id={customer}"), who).await;
        assert_eq!(listed.body["items"].as_array().unwrap().len(), usize::from(sees), "list");
        let found = app.get("/api/v1/queries?q=quagga", who).await;
        assert_eq!(found.body["items"].as_array().unwrap().len(), usize::from(sees), "search");
        let timeline = app.get(&format!("/api/v1/customers/{customer}/timeline"), who).await;
        let mentions = timeline.body["items"].as_array().unwrap().iter().any(|e| e["query_id"] == id.as_str());
        assert_eq!(mentions, sees, "customer timeline: {timeline:?}");
        let notes = app.get(&format!("/api/v1/queries/{id}/notes"), who).await;
        assert_eq!(notes.status == 200, sees, "notes");
    }
    let note =
        app.post_json(&format!("/api/v1/queries/{id}/notes"), &officer, json!({"kind": "note", "body": "Peek"})).await;
    assert_eq!(note.status, 404, "an outsider cannot write to it either");
    assert!(app.audit_actions().await.contains(&"query.restriction_changed".to_owned()));
}
