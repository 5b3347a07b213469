//! Statuses and workflows over HTTP: what a query may move to and what each move asks for,
//! refusals that name the allowed moves, bulk moves checked the same way, a new version that
//! earlier queries keep out of until moved, and administrators managing statuses.

use crate::{both_backends, helpers::TestApp};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(moves_follow_the_query_s_workflow_version, administrators_manage_statuses);

fn ids(statuses: &Value) -> Vec<Value> {
    statuses["items"].as_array().unwrap().iter().map(|s| s["id"].clone()).collect()
}

async fn moves_follow_the_query_s_workflow_version(app: TestApp) {
    let officer = app.officer_a("flow-officer@example.org").await;
    let admin = app.admin_a().await;
    let statuses = ids(&app.get("/api/v1/query-statuses", &officer).await.body);
    let [new, open, waiting, resolved, closed] = [0, 1, 2, 3, 4].map(|i| statuses[i].clone());
    let logged = app.post_json("/api/v1/queries", &officer, json!({"channel": "post", "subject": "Flow"})).await;
    let path = logged.header("location").unwrap().to_owned();
    let moves = app.get(&format!("{path}/transitions"), &officer).await;
    assert_eq!(moves.status.as_u16(), 200, "{moves:?}");
    assert_eq!((moves.body["workflow_version"].clone(), moves.body["current_version"].clone()), (json!(1), json!(1)));
    assert_eq!(moves.body["status_id"], new);
    assert_eq!(
        moves.body["transitions"],
        json!([
            {"to_status_id": open, "requires": []},
            {"to_status_id": waiting, "requires": []},
            {"to_status_id": resolved, "requires": ["resolution_summary"]}
        ])
    );

    let status = |to: &Value, extra: Value| {
        let mut body = json!({"status_id": to});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let post = |etag: &'static str, body: Value| {
        let path = format!("{path}/status");
        let app = &app;
        let officer = &officer;
        async move { app.send_if_match(Method::POST, &path, officer, Some(etag), body).await }
    };
    let refused = post("\"1\"", status(&closed, json!({}))).await;
    refused.assert_problem(422, "transition_not_allowed");
    assert_eq!(refused.body["allowed_status_ids"], json!([open, waiting, resolved]));
    assert_eq!(refused.fields(), ["status_id"]);
    assert_eq!(
        refused.body["detail"],
        "A query in New cannot move to Closed; it can move to In progress, Waiting for customer, Resolved"
    );
    let unexplained = post("\"1\"", status(&resolved, json!({"resolution_summary": "   "}))).await;
    unexplained.assert_problem(422, "validation_failed");
    assert_eq!(unexplained.fields(), ["resolution_summary"]);
    let done = post("\"1\"", status(&resolved, json!({"resolution_summary": "Form sent", "reason": "ignored"}))).await;
    assert_eq!(done.status.as_u16(), 200, "{done:?}");
    let closed_now = post("\"2\"", status(&closed, json!({}))).await;
    assert_eq!(closed_now.status.as_u16(), 200, "{closed_now:?}");
    let history = app.get(&format!("{path}/status-history"), &officer).await.body;
    assert_eq!(history["items"][1]["resolution_summary"], "Form sent");
    assert_eq!(history["items"][1]["reason"], Value::Null, "only what the move asks for is kept");

    // Bulk moves are checked query by query, with the same refusals.
    let second = app.post_json("/api/v1/queries", &officer, json!({"channel": "post", "subject": "Second"})).await;
    let second_id = second.body["id"].clone();
    let bulk = |summary: Option<&str>| {
        json!({"items": [{"id": second_id, "version": 1}],
               "change": {"action": "status", "status_id": resolved, "resolution_summary": summary}})
    };
    let failed = app.post_json("/api/v1/queries/bulk", &officer, bulk(None)).await;
    assert_eq!(failed.body["failed"], 1, "{failed:?}");
    assert_eq!(failed.body["results"][0]["problem"]["errors"][0]["field"], "resolution_summary");
    let moved = app.post_json("/api/v1/queries/bulk", &officer, bulk(Some("All answered"))).await;
    assert_eq!(moved.body["succeeded"], 1, "{moved:?}");

    // Version 2: only those with full access to queries may reopen a closed query.
    let workflows = app.get("/api/v1/workflows", &officer).await;
    assert_eq!(workflows.status.as_u16(), 200, "officers may read workflows");
    let default = workflows.body["items"][0].clone();
    let mut stricter = default["definition"].clone();
    for t in stricter["transitions"].as_array_mut().unwrap() {
        if t["from_status_id"] == closed {
            t["level"] = json!("full");
        }
    }
    let wf_path = format!("/api/v1/workflows/{}", default["id"].as_str().unwrap());
    let denied = app.send_if_match(Method::PUT, &wf_path, &officer, Some("\"1\""), stricter.clone()).await;
    denied.assert_problem(403, "forbidden");
    let published = app.send_if_match(Method::PUT, &wf_path, &admin, Some("\"1\""), stricter).await;
    assert_eq!((published.status.as_u16(), published.body["current_version"].clone()), (200, json!(2)));
    let first = app.get(&format!("{wf_path}/versions/1"), &officer).await;
    assert_eq!(first.body["definition"], default["definition"], "version 1 is kept as published");

    // The closed query still follows version 1: the officer may reopen it, with a reason.
    let moves = app.get(&format!("{path}/transitions"), &officer).await.body;
    assert_eq!((moves["workflow_version"].clone(), moves["current_version"].clone()), (json!(1), json!(2)));
    assert_eq!(moves["applies_workflow_id"], moves["workflow_id"], "the same workflow, a newer version");
    assert_eq!(moves["transitions"], json!([{"to_status_id": open, "requires": ["reason"]}]));
    // Moved on purpose to version 2, it may not.
    let moved = app.send_if_match(Method::POST, &format!("{path}/workflow"), &officer, Some("\"3\""), json!({})).await;
    assert_eq!(moved.status.as_u16(), 200, "{moved:?}");
    let moves = app.get(&format!("{path}/transitions"), &officer).await.body;
    assert_eq!((moves["workflow_version"].clone(), moves["transitions"].clone()), (json!(2), json!([])));
    let reopen = status(&open, json!({"reason": "The customer wrote again"}));
    let refused = post("\"4\"", reopen.clone()).await;
    refused.assert_problem(403, "forbidden");
    assert_eq!(refused.body["detail"], "Moving a query from Closed to In progress needs the queries area at full");
    let reopened = app.send_if_match(Method::POST, &format!("{path}/status"), &admin, Some("\"4\""), reopen).await;
    assert_eq!(reopened.status.as_u16(), 200, "{reopened:?}");
    let history = app.get(&format!("{path}/status-history"), &officer).await.body;
    let last = history["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["reason"].clone(), last["workflow_version"].clone()),
        (json!("The customer wrote again"), json!(2))
    );

    // Another organisation sees none of it.
    let other = app.admin_b().await;
    app.get(&format!("{path}/transitions"), &other).await.assert_problem(404, "not_found");
    app.get(&format!("{wf_path}/versions/1"), &other).await.assert_problem(404, "not_found");
}

async fn administrators_manage_statuses(app: TestApp) {
    let officer = app.officer_a("status-officer@example.org").await;
    let admin = app.admin_a().await;
    let body = json!({"name": "Awaiting third party", "category": "waiting"});
    app.post_json("/api/v1/query-statuses", &officer, body.clone()).await.assert_problem(403, "forbidden");
    let created = app.post_json("/api/v1/query-statuses", &admin, body.clone()).await;
    assert_eq!((created.status.as_u16(), created.body["position"].clone()), (201, json!(6)), "{created:?}");
    let taken = app.post_json("/api/v1/query-statuses", &admin, body).await;
    taken.assert_problem(409, "conflict");
    assert_eq!(taken.fields(), ["name"]);
    let path = created.header("location").unwrap().to_owned();
    let change =
        |position: i32, retired: bool| json!({"name": "With a third party", "position": position, "retired": retired});
    let moved = app.send_if_match(Method::PUT, &path, &admin, Some("\"1\""), change(2, false)).await;
    assert_eq!((moved.status.as_u16(), moved.header("etag")), (200, Some("\"2\"")), "{moved:?}");
    let listed = app.get("/api/v1/query-statuses", &officer).await.body;
    let names: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["New", "With a third party", "In progress", "Waiting for customer", "Resolved", "Closed"]);
    let in_progress = listed["items"][2].clone();
    let in_use = app
        .send_if_match(
            Method::PUT,
            &format!("/api/v1/query-statuses/{}", in_progress["id"].as_str().unwrap()),
            &admin,
            Some("\"1\""),
            json!({"name": "In progress", "position": 3, "retired": true}),
        )
        .await;
    in_use.assert_problem(409, "conflict");
    let retired = app.send_if_match(Method::PUT, &path, &admin, Some("\"2\""), change(2, true)).await;
    assert_eq!(retired.body["retired"], true, "{retired:?}");
}
