//! Customers over HTTP: validation, optimistic concurrency, isolation and duplicate checks.

use crate::{
    both_backends,
    helpers::{As, RawBody, TestApp},
};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(
    a_customer_is_created_normalised_and_read_back,
    updates_need_the_current_etag,
    invalid_details_are_422_and_store_nothing,
    another_tenants_customer_is_not_found,
    duplicate_check_finds_the_same_person_however_typed,
    customers_need_the_customers_permission,
    the_customer_page_timeline_spans_all_their_queries,
);

fn john() -> Value {
    json!({"given_name": "John", "family_name": "Smith", "emails": ["John.Smith@Example.org"],
           "phones": ["07400 123456"], "address": {"lines": ["1 High Street"], "town": "Bristol", "postcode": "BS1 6PN"},
           "preferred_channel": "email", "contact_needs": "Large print"})
}

async fn put(app: &TestApp, path: &str, who: &As, if_match: Option<&str>, body: Value) -> crate::helpers::Reply {
    let mut request = app
        .client
        .put(format!("{}{path}", app.address))
        .header("Cookie", who.cookie.clone().unwrap())
        .header("X-Casedesk-CSRF", "1");
    if let Some(etag) = if_match {
        request = request.header("If-Match", etag);
    }
    let response = request.json(&body).send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    crate::helpers::Reply { status, headers, body }
}

async fn a_customer_is_created_normalised_and_read_back(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let created = app.post_json("/api/v1/customers", &officer, john()).await;
    assert_eq!(created.status, 201, "{created:?}");
    assert_eq!(created.body["emails"], json!(["john.smith@example.org"]));
    assert_eq!(created.body["phones"], json!(["+447400123456"]));
    assert_eq!(created.body["address"]["postcode"], "BS1 6PN");
    assert_eq!(created.body["display_name"], "John Smith");
    assert_eq!(created.header("etag"), Some("\"1\""));
    let fetched = app.get(created.header("location").unwrap(), &officer).await;
    assert_eq!((fetched.status.as_u16(), &fetched.body), (200, &created.body));
    let listed = app.get("/api/v1/customers", &officer).await;
    assert_eq!(listed.body["items"][0]["id"], created.body["id"]);
}

async fn updates_need_the_current_etag(app: TestApp) {
    let admin = app.admin_a().await;
    let created = app.post_json("/api/v1/customers", &admin, john()).await;
    let path = created.header("location").unwrap().to_owned();
    let mut changed = john();
    changed["family_name"] = json!("Smyth");
    let updated = put(&app, &path, &admin, Some("\"1\""), changed.clone()).await;
    assert_eq!(updated.status, 200, "{updated:?}");
    assert_eq!((updated.body["family_name"].as_str(), updated.header("etag")), (Some("Smyth"), Some("\"2\"")));

    let before = app.counts().await;
    changed["family_name"] = json!("Stale");
    let stale = put(&app, &path, &admin, Some("\"1\""), changed.clone()).await;
    stale.assert_problem(412, "precondition_failed");
    assert_eq!(stale.header("etag"), Some("\"2\""));
    put(&app, &path, &admin, None, changed).await.assert_problem(428, "precondition_required");
    assert_eq!(app.counts().await, before);
    let now = app.get(&path, &admin).await;
    assert_eq!((now.body["family_name"].as_str(), now.body["version"].as_i64()), (Some("Smyth"), Some(2)));
}

async fn invalid_details_are_422_and_store_nothing(app: TestApp) {
    let admin = app.admin_a().await;
    let before = app.counts().await;
    let mut bad = john();
    bad["address"]["postcode"] = json!("BS1 6P");
    bad["phones"] = json!(["12"]);
    bad["emails"] = json!(["nope"]);
    let reply = app.post_json("/api/v1/customers", &admin, bad).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["emails[0]", "phones[0]", "address.postcode"]);
    let reply = app.post_json("/api/v1/customers", &admin, json!({"given_name": ""})).await;
    assert_eq!(reply.fields(), ["family_name"]);
    let reply =
        app.post_json("/api/v1/customers", &admin, json!({"family_name": "X", "preferred_channel": "pigeon"})).await;
    assert_eq!(reply.fields(), ["preferred_channel"]);
    assert_eq!(app.counts().await, before);
    assert_eq!(app.get("/api/v1/customers", &admin).await.body["items"], json!([]));
}

async fn another_tenants_customer_is_not_found(app: TestApp) {
    let admin_a = app.admin_a().await;
    let admin_b = app.admin_b().await;
    let b_customer = app.post_json("/api/v1/customers", &admin_b, john()).await;
    let path = b_customer.header("location").unwrap().to_owned();
    assert_eq!(app.get(&path, &admin_b).await.status, 200);
    app.get(&path, &admin_a).await.assert_problem(404, "not_found");
    put(&app, &path, &admin_a, Some("\"1\""), john()).await.assert_problem(404, "not_found");
    assert_eq!(app.get(&path, &admin_b).await.body["version"], 1);
    let check = app.post_json("/api/v1/customers/duplicate-check", &admin_a, john()).await;
    assert_eq!(check.body["items"], json!([]));
}

async fn duplicate_check_finds_the_same_person_however_typed(app: TestApp) {
    let admin = app.admin_a().await;
    let existing = app.post_json("/api/v1/customers", &admin, john()).await;
    let probe = json!({"given_name": "Jon", "family_name": "Smith", "address": {"postcode": "bs16pn"}});
    let check = app.post_json("/api/v1/customers/duplicate-check", &admin, probe).await;
    assert_eq!(check.status, 200, "{check:?}");
    assert_eq!(check.body["items"][0]["customer"]["id"], existing.body["id"]);
    assert_eq!(check.body["items"][0]["reasons"], json!(["similar_name_same_postcode"]));
    let probe = json!({"given_name": "Someone", "family_name": "Else", "phones": ["+44 7400 123456"]});
    let check = app.post_json("/api/v1/customers/duplicate-check", &admin, probe).await;
    assert_eq!(check.body["items"][0]["reasons"], json!(["same_phone"]));
    let probe = json!({"given_name": "Mary", "family_name": "Jones", "address": {"postcode": "BS1 6PN"}});
    let check = app.post_json("/api/v1/customers/duplicate-check", &admin, probe).await;
    assert_eq!(check.body["items"], json!([]), "same postcode, different person");
}

async fn customers_need_the_customers_permission(app: TestApp) {
    let admin = app.admin_a().await;
    let body = json!({"email": "nobody@example.org", "display_name": "No Groups", "password": "long-enough-password"});
    assert_eq!(app.post_json("/api/v1/users", &admin, body).await.status, 201);
    let nobody = app.sign_in("tenant-a", "nobody@example.org", "long-enough-password").await;
    app.get("/api/v1/customers", &nobody).await.assert_problem(403, "forbidden");
    app.post_json("/api/v1/customers", &nobody, john()).await.assert_problem(403, "forbidden");
    let reply =
        app.request(Method::POST, "/api/v1/customers/duplicate-check", &nobody, Some(RawBody::json(john()))).await;
    reply.assert_problem(403, "forbidden");
}

/// A timeline less its service-level breaches: the letter below was received long ago, so the
/// server's alert sweep may mark it breached at any moment between two reads.
fn without_breaches(mut timeline: Value) -> Value {
    if let Some(items) = timeline["items"].as_array_mut() {
        items.retain(|event| event["kind"] != "query.sla_breached");
    }
    timeline
}

async fn the_customer_page_timeline_spans_all_their_queries(app: TestApp) {
    let admin = app.admin_a().await;
    let customer = app.post_json("/api/v1/customers", &admin, john()).await;
    let id = customer.body["id"].clone();
    let letter =
        json!({"customer_id": id, "channel": "post", "subject": "Letter", "received_at": "2026-01-02T09:00:00Z"});
    let query = app.post_json("/api/v1/queries", &admin, letter).await;
    let call = json!({"customer_id": id, "channel": "phone", "subject": "Follow-up call"});
    app.post_json("/api/v1/queries", &admin, call).await;
    let path = format!("/api/v1/customers/{}/timeline", id.as_str().unwrap());
    let mut timeline = app.get(&path, &admin).await;
    assert_eq!(timeline.status, 200, "{timeline:?}");
    timeline.body = without_breaches(timeline.body);
    let kinds: Vec<&str> =
        timeline.body["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["query.received", "customer.created", "query.logged", "query.received", "query.logged"]);
    assert_eq!(timeline.body["items"][0]["at"], "2026-01-02T09:00:00Z");
    assert_eq!(timeline.body["items"][0]["query_id"], query.body["id"]);
    assert_eq!(timeline.body["items"][0]["details"]["reference"], "Q-000001");
    let admin_b = app.admin_b().await;
    app.get(&path, &admin_b).await.assert_problem(404, "not_found");

    // The overview: the same customer, timeline and first page of queries, in one answer.
    let overview_path = format!("/api/v1/customers/{}/overview", id.as_str().unwrap());
    let overview = app.get(&overview_path, &admin).await;
    assert_eq!(overview.status, 200, "{overview:?}");
    assert_eq!(overview.header("etag"), Some("\"1\""));
    assert_eq!(overview.body["customer"], customer.body);
    assert_eq!(without_breaches(overview.body["timeline"].clone()), timeline.body);
    let listed = app.get(&format!("/api/v1/queries?customer_id={}", id.as_str().unwrap()), &admin).await;
    assert_eq!(overview.body["queries"], listed.body);
    app.get(&overview_path, &admin_b).await.assert_problem(404, "not_found");
}
