//! The work queue over HTTP: a page names what its rows show (one request per page), and bulk
//! changes act on each query exactly as its own request would.

use crate::{both_backends, helpers::TestApp};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(
    a_page_of_queries_names_customers_officers_and_teams,
    bulk_changes_act_on_each_query_as_its_own_request_would,
    bulk_changes_refuse_bad_requests_whole,
);

async fn a_page_of_queries_names_customers_officers_and_teams(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let officer_id = app.user_id(&officer).await;
    let team = app.post_json("/api/v1/teams", &admin, json!({"name": "Planning", "member_ids": [officer_id]})).await;
    let customer =
        app.post_json("/api/v1/customers", &admin, json!({"given_name": "Nora", "family_name": "Oates"})).await;
    let body = json!({"customer_id": customer.body["id"], "channel": "post", "subject": "Letter",
                      "assignee_id": officer_id, "team_id": team.body["id"]});
    let query = app.post_json("/api/v1/queries", &admin, body).await;
    assert_eq!(query.status, 201, "{query:?}");
    let bare = app.post_json("/api/v1/queries", &admin, json!({"channel": "phone", "subject": "Call"})).await;

    let names = |q: &Value| (q["customer_name"].clone(), q["assignee_name"].clone(), q["team_name"].clone());
    let named = (json!("Nora Oates"), json!("Olive Officer"), json!("Planning"));
    assert_eq!(names(&query.body), named, "a create answers with names");
    let page = app.get("/api/v1/queries?sort=reference", &admin).await;
    let items = page.body["items"].as_array().unwrap();
    assert_eq!(names(&items[0]), named, "{page:?}");
    assert_eq!(names(&items[1]), (Value::Null, Value::Null, Value::Null), "nothing to name");
    assert_eq!(items[1]["id"], bare.body["id"]);
    let one = app.get(&format!("/api/v1/queries/{}", query.body["id"].as_str().unwrap()), &admin).await;
    assert_eq!(names(&one.body), named);

    // Someone who may read queries but not customers learns there is a customer, not who.
    let email = "reader@example.org";
    let created = app
        .post_json(
            "/api/v1/users",
            &admin,
            json!({"email": email, "display_name": "Rita Reader", "password": crate::helpers::PASSWORD}),
        )
        .await;
    let grants = json!({"name": "Query readers", "grants": [{"area": "queries", "level": "read"}],
                        "member_ids": [created.body["id"]]});
    assert_eq!(app.post_json("/api/v1/groups", &admin, grants).await.status, 201);
    let reader = app.sign_in("tenant-a", email, crate::helpers::PASSWORD).await;
    let seen = app.get("/api/v1/queries?sort=reference", &reader).await;
    let first = &seen.body["items"][0];
    assert_eq!(first["customer_id"], customer.body["id"], "{seen:?}");
    assert_eq!(names(first), (Value::Null, json!("Olive Officer"), json!("Planning")));
}

async fn bulk_changes_act_on_each_query_as_its_own_request_would(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let officer_id = app.user_id(&officer).await;
    let mut ids = vec![];
    for subject in ["First", "Second", "Third"] {
        let made = app.post_json("/api/v1/queries", &admin, json!({"channel": "phone", "subject": subject})).await;
        ids.push(made.body["id"].clone());
    }
    let stranger = app.admin_b().await;
    let foreign = app.post_json("/api/v1/queries", &stranger, json!({"channel": "phone", "subject": "Theirs"})).await;
    let audited = app.audit_actions().await.len();

    let items = json!([
        {"id": ids[0], "version": 1},
        {"id": ids[1], "version": 1},
        {"id": ids[2], "version": 7},
        {"id": foreign.body["id"], "version": 1},
    ]);
    let assign = json!({"items": items, "change": {"action": "assign", "assignee_id": officer_id}});
    let reply = app.post_json("/api/v1/queries/bulk", &admin, assign).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!((&reply.body["succeeded"], &reply.body["failed"]), (&json!(2), &json!(2)));
    let results = reply.body["results"].as_array().unwrap();
    let outcome = |i: usize| (results[i]["version"].clone(), results[i]["problem"]["code"].clone());
    assert_eq!(outcome(0), (json!(2), Value::Null));
    assert_eq!(outcome(1), (json!(2), Value::Null));
    assert_eq!(outcome(2), (Value::Null, json!("precondition_failed")), "a query changed since it was read");
    assert_eq!(outcome(3), (Value::Null, json!("not_found")), "another tenant's query");
    assert_eq!(results[3]["id"], foreign.body["id"]);

    // Each change is the single one: on the timeline, audited, notified, in the officer's list.
    for id in &ids[..2] {
        let timeline = app.get(&format!("/api/v1/queries/{}/timeline", id.as_str().unwrap()), &admin).await;
        let kinds: Vec<&str> =
            timeline.body["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.last(), Some(&"query.assigned"), "{id}");
    }
    // The timeline and history name who acted and whom they assigned.
    let path = format!("/api/v1/queries/{}", ids[0].as_str().unwrap());
    let admin_id = app.user_id(&admin).await;
    for part in ["timeline", "history"] {
        let reply = app.get(&format!("{path}/{part}"), &admin).await;
        let names = &reply.body["names"];
        assert_eq!(names[officer_id.as_str().unwrap()], "Olive Officer", "{part}: {reply:?}");
        assert!(names[admin_id.as_str().unwrap()].is_string(), "{part}: {reply:?}");
    }
    let actions = app.audit_actions().await;
    // Two assignments, each with the notification it sent, and nothing for the refused items.
    assert_eq!(
        actions[audited..],
        ["query.assigned", "notification.sent", "query.assigned", "notification.sent"],
        "{actions:?}"
    );
    // Each notification names its query and who sent it; "mark all read" clears them.
    let inbox = app.get("/api/v1/notifications", &officer).await;
    assert_eq!(inbox.body["unread"], 2);
    let title = inbox.body["items"][0]["subject_title"].as_str().unwrap_or_default().to_owned();
    assert!(title.starts_with("Q-") && title.ends_with(" Second"), "{inbox:?}");
    assert!(inbox.body["items"][0]["sender_name"].is_string(), "{inbox:?}");
    let marked = app.post_json("/api/v1/notifications/read-all", &officer, json!({})).await;
    assert_eq!(marked.status, 204, "{marked:?}");
    assert_eq!(app.get("/api/v1/notifications", &officer).await.body["unread"], 0);
    let mine = app.get("/api/v1/queries?assignee=me", &officer).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 2);
    let untouched = app.get(&format!("/api/v1/queries/{}", ids[2].as_str().unwrap()), &admin).await;
    assert_eq!((&untouched.body["version"], &untouched.body["assignee_id"]), (&json!(1), &Value::Null));

    // Handing queries to an officer can leave each with its team.
    let team = app.post_json("/api/v1/teams", &admin, json!({"name": "Planning", "member_ids": [officer_id]})).await;
    let to_team =
        json!({"items": [{"id": ids[2], "version": 1}], "change": {"action": "assign", "team_id": team.body["id"]}});
    assert_eq!(app.post_json("/api/v1/queries/bulk", &admin, to_team).await.body["succeeded"], 1);
    let keep = json!({"items": [{"id": ids[2], "version": 2}], "change": {"action": "assign", "assignee_id": officer_id, "keep_team": true}});
    let kept = app.post_json("/api/v1/queries/bulk", &admin, keep).await;
    assert_eq!(kept.body["results"][0]["version"], 3, "{kept:?}");
    let handed = app.get(&format!("/api/v1/queries/{}", ids[2].as_str().unwrap()), &admin).await;
    assert_eq!((&handed.body["assignee_id"], &handed.body["team_id"]), (&officer_id, &team.body["id"]));

    // A status change in bulk keeps history as a single one does.
    let statuses = app.get("/api/v1/query-statuses", &admin).await;
    let in_progress = statuses.body["items"].as_array().unwrap().iter().find(|s| s["category"] == "open").unwrap();
    let change = json!({"items": [{"id": ids[0], "version": 2}], "change": {"action": "status", "status_id": in_progress["id"]}});
    let moved = app.post_json("/api/v1/queries/bulk", &admin, change).await;
    assert_eq!(moved.body["results"][0]["version"], 3, "{moved:?}");
    let history = app.get(&format!("/api/v1/queries/{}/status-history", ids[0].as_str().unwrap()), &admin).await;
    assert_eq!(history.body["items"].as_array().unwrap().last().unwrap()["to_status_id"], in_progress["id"]);

    // An unknown officer fails each query as its own request would, and stores nothing.
    let before = app.snapshot().await;
    let ghost = json!({"items": [{"id": ids[1], "version": 2}], "change": {"action": "assign", "assignee_id": uuid::Uuid::now_v7()}});
    let refused = app.post_json("/api/v1/queries/bulk", &admin, ghost).await;
    let problem = &refused.body["results"][0]["problem"];
    assert_eq!((&problem["status"], &problem["code"]), (&json!(422), &json!("validation_failed")), "{refused:?}");
    assert_eq!(problem["errors"][0]["field"], "assignee_id");
    assert_eq!(app.snapshot().await, before);
}

async fn bulk_changes_refuse_bad_requests_whole(app: TestApp) {
    let admin = app.admin_a().await;
    let made = app.post_json("/api/v1/queries", &admin, json!({"channel": "phone", "subject": "One"})).await;
    let id = made.body["id"].clone();
    let unassign = json!({"action": "assign"});
    let before = app.snapshot().await;
    let twice = json!({"items": [{"id": id, "version": 1}, {"id": id, "version": 1}], "change": unassign});
    let reply = app.post_json("/api/v1/queries/bulk", &admin, twice).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["items[1].id"]);
    let many: Vec<Value> = (0..101).map(|_| json!({"id": uuid::Uuid::now_v7(), "version": 1})).collect();
    let reply = app.post_json("/api/v1/queries/bulk", &admin, json!({"items": many, "change": unassign})).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["items"]);
    let both = json!({"items": [{"id": id, "version": 1}], "change": {"action": "assign", "team_id": uuid::Uuid::now_v7(), "keep_team": true}});
    let reply = app.post_json("/api/v1/queries/bulk", &admin, both).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["change.team_id"]);
    let unknown = json!({"items": [{"id": id, "version": 1}], "change": {"action": "close"}});
    let reply = app.post_json("/api/v1/queries/bulk", &admin, unknown).await;
    assert_eq!(reply.status, 422, "{reply:?}");
    assert_eq!(app.snapshot().await, before);
    // Another tenant's administrator finds nothing to change.
    let stranger = app.admin_b().await;
    let foreign = json!({"items": [{"id": id, "version": 1}], "change": unassign});
    let reply = app.send_if_match(Method::POST, "/api/v1/queries/bulk", &stranger, None, foreign).await;
    assert_eq!(reply.body["results"][0]["problem"]["code"], "not_found", "{reply:?}");
}
