//! Working queries over HTTP: teams and types, assignment with notifications and views,
//! notes and contacts on the timeline, search, sorting and shares.

use crate::{both_backends, helpers::TestApp};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(
    assignment_notifies_the_officer_who_finds_it_in_my_queries,
    notes_and_contacts_are_validated_and_join_the_timeline,
    search_sort_and_paging_over_http,
    query_types_are_managed_by_administrators,
    sharing_sends_a_link_to_a_colleague,
    a_share_reaches_the_recipients_open_stream,
    a_team_leader_sees_how_the_teams_open_work_is_spread,
);

fn ids(reply: &Value) -> Vec<Value> {
    reply["items"].as_array().unwrap().iter().map(|q| q["id"].clone()).collect()
}

async fn assignment_notifies_the_officer_who_finds_it_in_my_queries(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let officer_id = app.user_id(&officer).await;
    let team = app.post_json("/api/v1/teams", &admin, json!({"name": "Planning", "member_ids": [officer_id]})).await;
    assert_eq!(team.status, 201, "{team:?}");
    let refused = app.post_json("/api/v1/teams", &officer, json!({"name": "Mine"})).await;
    refused.assert_problem(403, "forbidden");
    let clash = app.post_json("/api/v1/teams", &admin, json!({"name": "PLANNING"})).await;
    clash.assert_problem(409, "conflict");
    assert_eq!(clash.fields(), ["name"]);

    let query = app.post_json("/api/v1/queries", &admin, json!({"channel": "phone", "subject": "Appeal"})).await;
    let path = format!("/api/v1/queries/{}/assignment", query.body["id"].as_str().unwrap());
    let to_officer = json!({"assignee_id": officer_id, "team_id": team.body["id"]});
    let before = app.counts().await;
    let missing = app.send_if_match(Method::POST, &path, &admin, None, to_officer.clone()).await;
    missing.assert_problem(428, "precondition_required");
    let ghost = json!({"assignee_id": uuid::Uuid::now_v7()});
    let unknown = app.send_if_match(Method::POST, &path, &admin, Some("\"1\""), ghost).await;
    unknown.assert_problem(422, "validation_failed");
    assert_eq!(unknown.fields(), ["assignee_id"]);
    assert_eq!(app.counts().await, before, "failed assignments store nothing");
    let assigned = app.send_if_match(Method::POST, &path, &admin, Some("\"1\""), to_officer.clone()).await;
    assert_eq!(assigned.status, 200, "{assigned:?}");
    assert_eq!((&assigned.body["assignee_id"], assigned.header("etag")), (&officer_id, Some("\"2\"")));
    let stale = app.send_if_match(Method::POST, &path, &admin, Some("\"1\""), json!({})).await;
    stale.assert_problem(412, "precondition_failed");

    // The officer is told, and finds it in "My queries".
    let inbox = app.get("/api/v1/notifications", &officer).await;
    assert_eq!(inbox.body["unread"], 1, "{inbox:?}");
    assert_eq!(inbox.body["items"][0]["kind"], "assigned");
    assert_eq!(inbox.body["items"][0]["link"], format!("/queries/{}", query.body["id"].as_str().unwrap()));
    let mine = app.get("/api/v1/queries?assignee=me&open=true", &officer).await;
    assert_eq!(ids(&mine.body), [query.body["id"].clone()]);
    let views = app.get("/api/v1/views", &officer).await;
    let count =
        |id: &str| views.body["items"].as_array().unwrap().iter().find(|v| v["id"] == id).map(|v| v["count"].clone());
    assert_eq!(count("my-queries"), Some(json!(1)));
    assert_eq!(count("unassigned"), Some(json!(0)));
    assert_eq!(count("received-today"), Some(json!(1)));
    assert_eq!(count(&format!("my-team-{}", team.body["id"].as_str().unwrap())), Some(json!(1)));
    let read = format!("/api/v1/notifications/{}/read", inbox.body["items"][0]["id"].as_str().unwrap());
    assert_eq!(app.post_json(&read, &officer, json!({})).await.status, 204);
    assert_eq!(app.get("/api/v1/notifications", &officer).await.body["unread"], 0);
    assert_eq!(app.post_json(&read, &admin, json!({})).await.status, 404, "not the admin's notification");

    // Another tenant can neither assign it nor see the notification.
    let stranger = app.admin_b().await;
    let foreign = app.send_if_match(Method::POST, &path, &stranger, Some("\"2\""), json!({})).await;
    foreign.assert_problem(404, "not_found");
    assert_eq!(app.get("/api/v1/notifications", &stranger).await.body["items"], json!([]));
    let timeline = app.get(&format!("/api/v1/queries/{}/timeline", query.body["id"].as_str().unwrap()), &admin).await;
    let kinds: Vec<&str> =
        timeline.body["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["query.received", "query.logged", "query.assigned"]);
}

async fn notes_and_contacts_are_validated_and_join_the_timeline(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let customer =
        app.post_json("/api/v1/customers", &officer, json!({"given_name": "Nora", "family_name": "Oates"})).await;
    let query = app
        .post_json(
            "/api/v1/queries",
            &officer,
            json!({"customer_id": customer.body["id"], "channel": "post", "subject": "Letter"}),
        )
        .await;
    let notes = format!("/api/v1/queries/{}/notes", query.body["id"].as_str().unwrap());
    let before = app.counts().await;
    let half = app.post_json(&notes, &officer, json!({"kind": "contact", "body": "Rang"})).await;
    half.assert_problem(422, "validation_failed");
    assert_eq!(half.fields(), ["direction", "channel"]);
    let odd = app.post_json(&notes, &officer, json!({"kind": "note", "body": "x", "direction": "inbound"})).await;
    assert_eq!(odd.fields(), ["kind"]);
    let future = json!({"kind": "note", "body": "x", "occurred_at": "2999-01-01T00:00:00Z"});
    assert_eq!(app.post_json(&notes, &officer, future).await.fields(), ["occurred_at"]);
    assert_eq!(app.post_json(&notes, &officer, json!({"kind": "note", "body": "  "})).await.fields(), ["body"]);
    assert_eq!(app.counts().await, before);
    let call = json!({"kind": "contact", "body": "Explained the delay", "direction": "outbound", "channel": "phone",
                      "occurred_at": "2026-01-02T09:00:00Z"});
    let added = app.post_json(&notes, &officer, call).await;
    assert_eq!(added.status, 201, "{added:?}");
    assert_eq!((added.body["direction"].as_str(), added.body["channel"].as_str()), (Some("outbound"), Some("phone")));
    let listed = app.get(&notes, &officer).await;
    assert_eq!(listed.body["items"], json!([added.body]));
    let timeline =
        app.get(&format!("/api/v1/customers/{}/timeline", customer.body["id"].as_str().unwrap()), &officer).await;
    let contact =
        timeline.body["items"].as_array().unwrap().iter().find(|e| e["kind"] == "query.contact_recorded").cloned();
    assert_eq!(contact.map(|e| e["details"]["body"].clone()), Some(json!("Explained the delay")));
    let stranger = app.admin_b().await;
    assert_eq!(app.get(&notes, &stranger).await.status, 404);
}

async fn search_sort_and_paging_over_http(app: TestApp) {
    let admin = app.admin_a().await;
    let john = json!({"given_name": "John", "family_name": "Thompson", "emails": ["john@example.org"],
                      "address": {"lines": ["1 High St"], "postcode": "bs16pn"}});
    let john = app.post_json("/api/v1/customers", &admin, john).await;
    let mut logged = vec![];
    for (i, received) in ["2026-01-05T09:00:00Z", "2026-01-01T09:00:00Z", "2026-01-03T09:00:00Z"].iter().enumerate() {
        let body = json!({"customer_id": (i == 0).then(|| john.body["id"].clone()), "channel": "email",
                          "subject": format!("Query {i}"), "description": "Recycling lorry", "received_at": received});
        logged.push(app.post_json("/api/v1/queries", &admin, body).await.body["id"].clone());
    }
    for (q, expected) in [
        ("thom", vec![logged[0].clone()]),
        ("BS1 6PN", vec![logged[0].clone()]),
        ("john@example.org", vec![logged[0].clone()]),
        ("Q-000002", vec![logged[1].clone()]),
    ] {
        let found = app.get(&format!("/api/v1/queries?q={}", urlencode(q)), &admin).await;
        assert_eq!(ids(&found.body), expected, "q={q}");
    }
    // Nothing to search for finds nothing (no schema can say which characters are letters).
    let empty = app.get("/api/v1/queries?q=--", &admin).await;
    assert_eq!((empty.status.as_u16(), &empty.body["items"]), (200, &json!([])));
    let bad_sort = app.get("/api/v1/queries?sort=subject", &admin).await;
    assert_eq!(bad_sort.fields(), ["sort"]);
    let oldest = app.get("/api/v1/queries", &admin).await;
    assert_eq!(ids(&oldest.body), [logged[1].clone(), logged[2].clone(), logged[0].clone()], "received_at by default");
    // Newest reference first, one per page, to the end.
    let mut seen = vec![];
    let mut next = Some(String::new());
    while let Some(cursor) = next {
        let page = app.get(&format!("/api/v1/queries?sort=-reference&limit=1&cursor={cursor}"), &admin).await;
        assert_eq!(page.status, 200, "cursor {cursor:?}: {page:?}");
        seen.extend(ids(&page.body));
        next = page.body["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, [logged[2].clone(), logged[1].clone(), logged[0].clone()]);
    assert_eq!(app.get("/api/v1/queries?cursor=nonsense", &admin).await.fields(), ["cursor"]);
    let customers = app.get("/api/v1/customers?q=thom", &admin).await;
    assert_eq!(ids(&customers.body), [john.body["id"].clone()]);
    let stranger = app.admin_b().await;
    assert_eq!(app.get("/api/v1/queries?q=thom", &stranger).await.body["items"], json!([]));
}

fn urlencode(text: &str) -> String {
    text.replace('@', "%40").replace(' ', "%20")
}

async fn query_types_are_managed_by_administrators(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let waste = app.post_json("/api/v1/query-types", &admin, json!({"name": "Waste"})).await;
    assert_eq!(waste.status, 201, "{waste:?}");
    let bins = app
        .post_json("/api/v1/query-types", &admin, json!({"name": "Missed bin", "parent_id": waste.body["id"]}))
        .await;
    assert_eq!(bins.body["parent_id"], waste.body["id"]);
    app.post_json("/api/v1/query-types", &officer, json!({"name": "Mine"})).await.assert_problem(403, "forbidden");
    let twin = app
        .post_json("/api/v1/query-types", &admin, json!({"name": "missed bin", "parent_id": waste.body["id"]}))
        .await;
    twin.assert_problem(409, "conflict");
    let deep =
        app.post_json("/api/v1/query-types", &admin, json!({"name": "Deeper", "parent_id": bins.body["id"]})).await;
    assert_eq!(deep.fields(), ["parent_id"]);
    let typed = json!({"channel": "web_form", "subject": "Bin", "type_id": bins.body["id"]});
    let query = app.post_json("/api/v1/queries", &officer, typed.clone()).await;
    assert_eq!(query.body["type_id"], bins.body["id"]);
    let by_type = app.get(&format!("/api/v1/queries?type={}", bins.body["id"].as_str().unwrap()), &officer).await;
    assert_eq!(ids(&by_type.body), [query.body["id"].clone()]);
    let path = format!("/api/v1/query-types/{}", bins.body["id"].as_str().unwrap());
    let retired = app
        .send_if_match(Method::PUT, &path, &admin, Some("\"1\""), json!({"name": "Missed bin", "active": false}))
        .await;
    assert_eq!((retired.status.as_u16(), &retired.body["active"]), (200, &json!(false)), "{retired:?}");
    let refused = app.post_json("/api/v1/queries", &officer, typed).await;
    assert_eq!(refused.fields(), ["type_id"]);
    let listed = app.get("/api/v1/query-types", &officer).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
}

async fn sharing_sends_a_link_to_a_colleague(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let officer_id = app.user_id(&officer).await;
    let customer =
        app.post_json("/api/v1/customers", &admin, json!({"given_name": "Sam", "family_name": "Hare"})).await;
    let share = json!({"recipient_id": officer_id, "subject_kind": "customer", "subject_id": customer.body["id"],
                       "message": " Could you call her back? "});
    let sent = app.post_json("/api/v1/shares", &admin, share.clone()).await;
    assert_eq!(sent.status, 201, "{sent:?}");
    let inbox = app.get("/api/v1/notifications", &officer).await;
    assert_eq!(inbox.body["items"][0]["link"], format!("/customers/{}", customer.body["id"].as_str().unwrap()));
    assert_eq!(inbox.body["items"][0]["message"], "Could you call her back?");
    assert_eq!(inbox.body["items"][0]["sender_id"], app.user_id(&admin).await);
    let mut long = share.clone();
    long["message"] = json!("x".repeat(1_001));
    assert_eq!(app.post_json("/api/v1/shares", &admin, long).await.fields(), ["message"]);
    let stranger = app.admin_b().await;
    let foreign = app.post_json("/api/v1/shares", &stranger, share).await;
    foreign.assert_problem(404, "not_found");
    let mut to_nobody =
        json!({"recipient_id": uuid::Uuid::now_v7(), "subject_kind": "customer", "subject_id": customer.body["id"]});
    assert_eq!(app.post_json("/api/v1/shares", &admin, to_nobody.take()).await.fields(), ["recipient_id"]);
}

/// Reads the stream until a chunk containing `wanted` arrives, for at most five seconds.
async fn until_event(response: &mut reqwest::Response, wanted: &str) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while !seen.contains(wanted) {
        let chunk = tokio::time::timeout_at(deadline, response.chunk()).await;
        match chunk {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            other => panic!("no {wanted:?} on the stream (seen {seen:?}): {other:?}"),
        }
    }
    seen
}

async fn a_share_reaches_the_recipients_open_stream(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let officer_id = app.user_id(&officer).await;
    let anonymous = app.client.get(format!("{}/api/v1/notifications/stream", app.address)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let mut stream = app.event_stream(&officer).await;
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    until_event(&mut stream, "retry:").await;
    // A share with someone else (the admin themself here) is not this officer's news.
    let customer =
        app.post_json("/api/v1/customers", &admin, json!({"given_name": "Sam", "family_name": "Hare"})).await;
    let admin_id = app.user_id(&admin).await;
    let to_admin = json!({"recipient_id": admin_id, "subject_kind": "customer", "subject_id": customer.body["id"]});
    assert_eq!(app.post_json("/api/v1/shares", &officer, to_admin).await.status, 201);
    // The nudge is sent before the share's response, so half a second is plenty to see one.
    let quiet = tokio::time::timeout(std::time::Duration::from_millis(500), stream.chunk()).await;
    assert!(quiet.is_err(), "the officer's stream stays quiet: {quiet:?}");
    let to_officer = json!({"recipient_id": officer_id, "subject_kind": "customer", "subject_id": customer.body["id"]});
    assert_eq!(app.post_json("/api/v1/shares", &admin, to_officer).await.status, 201);
    until_event(&mut stream, "event: notification").await;
}

/// Leaders are members marked as such (a leader outside the team is refused, field by field);
/// the workload counts the team's open queries per officer, members holding none included.
async fn a_team_leader_sees_how_the_teams_open_work_is_spread(app: TestApp) {
    let officer = app.officer_a("lead@example.org").await;
    let admin = app.admin_a().await;
    let (lead, me) = (app.user_id(&officer).await, app.user_id(&admin).await);
    let outside = app
        .post_json("/api/v1/teams", &admin, json!({"name": "Lettings", "member_ids": [me], "leader_ids": [lead]}))
        .await;
    outside.assert_problem(422, "validation_failed");
    assert_eq!(outside.fields(), ["leader_ids[0]"]);
    let team = json!({"name": "Lettings", "member_ids": [lead, me], "leader_ids": [lead]});
    let team = app.post_json("/api/v1/teams", &admin, team).await;
    assert_eq!(team.status, 201, "{team:?}");
    assert_eq!(team.body["leader_ids"], json!([lead]));
    let team_id = team.body["id"].as_str().unwrap().to_owned();
    for assignee in [Value::Null, me.clone(), me.clone()] {
        let body = json!({"channel": "phone", "subject": "Damp", "team_id": team_id, "assignee_id": assignee});
        assert_eq!(app.post_json("/api/v1/queries", &admin, body).await.status, 201);
    }

    let workload = app.get(&format!("/api/v1/teams/{team_id}/workload"), &officer).await;
    assert_eq!(workload.status, 200, "{workload:?}");
    assert_eq!((workload.body["open"].clone(), workload.body["unassigned"].clone()), (json!(3), json!(1)));
    let officers = workload.body["officers"].as_array().unwrap();
    let loads: Vec<(Value, Value)> = officers.iter().map(|o| (o["user_id"].clone(), o["open"].clone())).collect();
    assert_eq!(loads, [(me, json!(2)), (lead, json!(0))], "most loaded first, members holding none too");
    let unknown = app.get(&format!("/api/v1/teams/{}/workload", uuid::Uuid::now_v7()), &officer).await;
    unknown.assert_problem(404, "not_found");
}
