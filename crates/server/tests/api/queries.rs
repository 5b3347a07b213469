//! Queries over HTTP: logging, references, received dates, status changes and history.

use crate::{
    both_backends,
    helpers::{Reply, TestApp},
};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(
    a_phone_query_for_a_customer_is_logged_with_a_reference,
    bad_queries_are_422_and_store_nothing,
    status_changes_need_if_match_and_are_kept_in_history,
    another_tenants_query_is_not_found,
    the_list_filters_and_pages_to_the_end,
);

async fn change_status(
    app: &TestApp,
    path: &str,
    who: &crate::helpers::As,
    etag: Option<&str>,
    status: &Value,
) -> Reply {
    let mut request = app
        .client
        .post(format!("{}{path}/status", app.address))
        .header("Cookie", who.cookie.clone().unwrap())
        .header("X-Casedesk-CSRF", "1");
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    let response = request.json(&json!({"status_id": status})).send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    Reply { status, headers, body: response.json().await.unwrap_or(Value::Null) }
}

async fn a_phone_query_for_a_customer_is_logged_with_a_reference(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let customer =
        app.post_json("/api/v1/customers", &officer, json!({"given_name": "John", "family_name": "Smith"})).await;
    let body = json!({"customer_id": customer.body["id"], "channel": "phone", "subject": "  Appeal deadline  ",
                      "description": "Asked when the appeal closes", "received_at": "2026-01-15T10:30:00Z"});
    let first = app.post_json("/api/v1/queries", &officer, body).await;
    assert_eq!(first.status, 201, "{first:?}");
    assert_eq!(first.body["reference"], "Q-000001");
    assert_eq!(first.body["subject"], "Appeal deadline");
    assert_eq!(first.body["status"]["name"], "New");
    assert_eq!(first.body["status"]["category"], "new");
    assert_eq!(first.body["priority"], "normal");
    assert_eq!(first.body["received_at"], "2026-01-15T10:30:00Z");
    assert_eq!(first.header("etag"), Some("\"1\""));
    let anonymous =
        app.post_json("/api/v1/queries", &officer, json!({"channel": "in_person", "subject": "Walk-in"})).await;
    assert_eq!(
        (anonymous.body["reference"].as_str(), &anonymous.body["customer_id"]),
        (Some("Q-000002"), &Value::Null)
    );
    let fetched = app.get(first.header("location").unwrap(), &officer).await;
    assert_eq!(fetched.body, first.body);
}

async fn bad_queries_are_422_and_store_nothing(app: TestApp) {
    let admin = app.admin_a().await;
    let before = app.counts().await;
    let future = json!({"channel": "post", "subject": "x", "received_at": "2999-01-01T00:00:00Z"});
    let reply = app.post_json("/api/v1/queries", &admin, future).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["received_at"]);
    let reply = app.post_json("/api/v1/queries", &admin, json!({"channel": "fax", "subject": "x"})).await;
    assert_eq!(reply.fields(), ["channel"]);
    let reply = app.post_json("/api/v1/queries", &admin, json!({"channel": "post", "subject": " "})).await;
    assert_eq!(reply.fields(), ["subject"]);
    let ghost = json!({"channel": "post", "subject": "x", "customer_id": uuid::Uuid::now_v7()});
    let reply = app.post_json("/api/v1/queries", &admin, ghost).await;
    assert_eq!(reply.fields(), ["customer_id"]);
    assert_eq!(app.counts().await, before);
    // The failed attempts used no reference.
    let ok = app.post_json("/api/v1/queries", &admin, json!({"channel": "post", "subject": "Letter"})).await;
    assert_eq!(ok.body["reference"], "Q-000001");
}

async fn status_changes_need_if_match_and_are_kept_in_history(app: TestApp) {
    let admin = app.admin_a().await;
    let statuses = app.get("/api/v1/query-statuses", &admin).await;
    let names: Vec<&str> =
        statuses.body["items"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["New", "In progress", "Waiting for customer", "Resolved", "Closed"]);
    let in_progress = statuses.body["items"][1]["id"].clone();
    let resolved = statuses.body["items"][3]["id"].clone();
    let query = app.post_json("/api/v1/queries", &admin, json!({"channel": "email", "subject": "Status"})).await;
    let path = query.header("location").unwrap().to_owned();
    change_status(&app, &path, &admin, None, &in_progress).await.assert_problem(428, "precondition_required");
    let moved = change_status(&app, &path, &admin, Some("\"1\""), &in_progress).await;
    assert_eq!((moved.status.as_u16(), moved.body["status"]["name"].as_str()), (200, Some("In progress")));
    assert_eq!(moved.header("etag"), Some("\"2\""));
    change_status(&app, &path, &admin, Some("\"1\""), &resolved).await.assert_problem(412, "precondition_failed");
    let unknown = change_status(&app, &path, &admin, Some("\"2\""), &json!(uuid::Uuid::now_v7())).await;
    assert_eq!(unknown.fields(), ["status_id"]);
    // The default workflow asks for a resolution summary to resolve.
    let unexplained = change_status(&app, &path, &admin, Some("\"2\""), &resolved).await;
    unexplained.assert_problem(422, "validation_failed");
    assert_eq!(unexplained.fields(), ["resolution_summary"]);
    let explained = json!({"status_id": resolved, "resolution_summary": "Sent the form"});
    let done = app.send_if_match(Method::POST, &format!("{path}/status"), &admin, Some("\"2\""), explained).await;
    assert_eq!(done.status.as_u16(), 200, "{done:?}");
    let history = app.get(&format!("{path}/status-history"), &admin).await;
    assert_eq!(history.body["items"][2]["resolution_summary"], "Sent the form");
    assert_eq!(history.body["items"][2]["workflow_version"], 1);
    let steps: Vec<(Value, Value)> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["from_status_id"].clone(), c["to_status_id"].clone()))
        .collect();
    let new = statuses.body["items"][0]["id"].clone();
    assert_eq!(steps, [(Value::Null, new.clone()), (new, in_progress.clone()), (in_progress, resolved)]);
}

async fn another_tenants_query_is_not_found(app: TestApp) {
    let admin_a = app.admin_a().await;
    let admin_b = app.admin_b().await;
    let query = app.post_json("/api/v1/queries", &admin_b, json!({"channel": "email", "subject": "B's"})).await;
    let path = query.header("location").unwrap().to_owned();
    app.get(&path, &admin_a).await.assert_problem(404, "not_found");
    app.get(&format!("{path}/status-history"), &admin_a).await.assert_problem(404, "not_found");
    let a_status = app.get("/api/v1/query-statuses", &admin_a).await.body["items"][1]["id"].clone();
    let b_status = app.get("/api/v1/query-statuses", &admin_b).await.body["items"][1]["id"].clone();
    change_status(&app, &path, &admin_a, Some("\"1\""), &a_status).await.assert_problem(404, "not_found");
    // B cannot move its query into A's status either.
    let foreign = change_status(&app, &path, &admin_b, Some("\"1\""), &a_status).await;
    assert_eq!(foreign.fields(), ["status_id"]);
    assert_eq!(change_status(&app, &path, &admin_b, Some("\"1\""), &b_status).await.status, 200);
}

async fn the_list_filters_and_pages_to_the_end(app: TestApp) {
    let admin = app.admin_a().await;
    let customer = app.post_json("/api/v1/customers", &admin, json!({"family_name": "Listed"})).await;
    for (i, channel) in ["post", "email", "post", "phone", "post"].into_iter().enumerate() {
        let mut body = json!({"channel": channel, "subject": format!("Q{i}"), "received_at": format!("2026-0{}-15T09:00:00Z", i + 1)});
        if channel == "post" {
            body["customer_id"] = customer.body["id"].clone();
        }
        assert_eq!(app.post_json("/api/v1/queries", &admin, body).await.status, 201);
    }
    let subjects = |reply: &Reply| -> Vec<String> {
        reply.body["items"].as_array().unwrap().iter().map(|q| q["subject"].as_str().unwrap().to_owned()).collect()
    };
    let mut seen = vec![];
    let mut path = "/api/v1/queries?limit=2".to_owned();
    loop {
        let page = app.get(&path, &admin).await;
        assert_eq!(page.status, 200, "{page:?}");
        seen.extend(subjects(&page));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/queries?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["Q0", "Q1", "Q2", "Q3", "Q4"]);
    let customer_id = customer.body["id"].as_str().unwrap();
    let filtered = app
        .get(&format!("/api/v1/queries?channel=post&customer_id={customer_id}&received_from=2026-02-01"), &admin)
        .await;
    assert_eq!(subjects(&filtered), ["Q2", "Q4"]);
    // An empty parameter is no filter, for the customer as for the team.
    let unfiltered = app.get("/api/v1/queries?channel=post&customer_id=&team_id=", &admin).await;
    assert_eq!(unfiltered.status, 200, "{unfiltered:?}");
    // Text without letters or digits finds nothing; it is not an error.
    for path in ["/api/v1/queries?q=%C2%B7%40", "/api/v1/customers?q=%21%21"] {
        let nothing = app.get(path, &admin).await;
        assert_eq!((nothing.status.as_u16(), &nothing.body["items"]), (200, &json!([])), "{path}");
    }
    let window = app.get("/api/v1/queries?channel=email,phone&received_before=2026-04-01", &admin).await;
    assert_eq!(subjects(&window), ["Q1"]);
    let bad = app.get("/api/v1/queries?channel=post,fax&received_from=yesterday&status=nope", &admin).await;
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.fields(), ["status[0]", "channel[1]", "received_from"]);
}
