//! Every operation in `openapi/openapi.json`, enumerated from the file, gets bad input: a
//! malformed body, each field of the wrong type, each required field missing, domain-invalid
//! values (a future date, an invalid UK postcode), a missing and a stale `If-Match`, a foreign
//! tenant's id, a path id that is not an id, bad paging, and every `Idempotency-Key` case. Each
//! answer is the documented problem+json, and nothing stored changes. An operation added to the
//! API without a case here fails the test.

use crate::{
    both_backends,
    helpers::{As, RawBody, TestApp},
};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(every_operation_refuses_bad_input_and_changes_nothing);

/// Records in tenant A that path ids point at.
pub struct World {
    pub user: String,
    pub customer: String,
    pub other_customer: String,
    pub query: String,
    pub team: String,
    pub query_type: String,
    pub notification: String,
    pub status: String,
    pub view: String,
    pub group: String,
    pub token: String,
    pub session: String,
    pub mapping: String,
    pub calendar: String,
    pub job: String,
    pub sla_policy: String,
    pub workflow: String,
    pub document: String,
    /// The default workflow's current definition.
    pub definition: Value,
}

/// What the test needs to know of one operation beyond the document.
pub struct Case {
    /// A body the operation accepts (never sent with everything else right).
    pub body: Option<Value>,
    /// Bodies that parse but break a domain rule, with the field at fault.
    invalid: Vec<(Value, &'static str)>,
}

impl Case {
    fn none() -> Self {
        Self { body: None, invalid: vec![] }
    }
    fn body(body: Value) -> Self {
        Self { body: Some(body), invalid: vec![] }
    }
    fn with_invalid(mut self, invalid: Vec<(Value, &'static str)>) -> Self {
        self.invalid = invalid;
        self
    }
}

fn customer_body(postcode: &str) -> Value {
    json!({"given_name": "Val", "family_name": "Idation", "address": {"lines": ["1 High St"], "postcode": postcode}})
}

pub fn case(method: &str, path: &str, w: &World) -> Option<Case> {
    let future = "2999-01-01T00:00:00Z";
    let edit =
        json!({"channel": "phone", "priority": "normal", "subject": "Valid", "received_at": "2026-01-01T00:00:00Z"});
    let mut future_edit = edit.clone();
    future_edit["received_at"] = json!(future);
    let case = match (method, path) {
        ("post", "/api/v1/auth/sign-in") => Case::body(
            json!({"organisation": "tenant-a", "email": "admin@a.example.org", "password": "wrong-password"}),
        ),
        ("post", "/api/v1/customers")
        | ("post", "/api/v1/customers/duplicate-check")
        | ("put", "/api/v1/customers/{id}") => {
            Case::body(customer_body("BS1 6PN")).with_invalid(vec![(customer_body("ZZ99 9ZZZ"), "address.postcode")])
        }
        ("post", "/api/v1/customers/{id}/merge") => Case::body(json!({"survivor_id": w.other_customer})),
        ("post", "/api/v1/queries") => {
            Case::body(json!({"channel": "phone", "subject": "Valid"})).with_invalid(vec![(
                json!({"channel": "post", "subject": "Letter", "received_at": future}),
                "received_at",
            )])
        }
        ("put", "/api/v1/queries/{id}") => Case::body(edit).with_invalid(vec![(future_edit, "received_at")]),
        ("post", "/api/v1/queries/{id}/assignment") => Case::body(json!({"assignee_id": w.user})),
        ("post", "/api/v1/queries/{id}/notes") => Case::body(json!({"kind": "note", "body": "Valid"}))
            .with_invalid(vec![(json!({"kind": "note", "body": "Later", "occurred_at": future}), "occurred_at")]),
        ("post", "/api/v1/queries/{id}/status") => Case::body(json!({"status_id": w.status})),
        ("post", "/api/v1/queries/bulk") => Case::body(
            json!({"items": [{"id": w.query, "version": 1}], "change": {"action": "assign", "assignee_id": w.user}}),
        )
        .with_invalid(vec![(json!({"items": [], "change": {"action": "status", "status_id": w.status}}), "items")]),
        ("post", "/api/v1/query-types") => Case::body(json!({"name": "Valid type"})),
        ("put", "/api/v1/query-types/{id}") => Case::body(json!({"name": "Valid type", "active": true})),
        ("post", "/api/v1/shares") => {
            Case::body(json!({"recipient_id": w.user, "subject_kind": "query", "subject_id": w.query}))
        }
        ("post", "/api/v1/teams") | ("put", "/api/v1/teams/{id}") => {
            Case::body(json!({"name": "Valid team", "member_ids": [w.user]}))
        }
        ("post", "/api/v1/users") => Case::body(
            json!({"email": "valid@example.org", "display_name": "Valid", "password": "long-enough-password"}),
        ),
        ("post", "/api/v1/views") | ("put", "/api/v1/views/{id}") => {
            let view = |filter: &str| json!({"name": "Valid view", "filter": filter, "columns": ["reference"], "sort": "received_at"});
            Case::body(view("open=true")).with_invalid(vec![(view("open=maybe"), "filter")])
        }
        ("post", "/api/v1/queries/{id}/parties") => Case::body(json!({"customer_id": w.other_customer, "role": "mp"})),
        ("post", "/api/v1/groups") | ("put", "/api/v1/groups/{id}") => {
            let grant = |level: &str| json!({"area": "queries", "level": level});
            Case::body(
                json!({"name": "Valid group", "description": "", "grants": [grant("read")], "member_ids": [w.user]}),
            )
            .with_invalid(vec![
                (json!({"name": " "}), "name"),
                (json!({"name": "Twice", "grants": [grant("read"), grant("full")]}), "grants[1].area"),
            ])
        }
        ("put", "/api/v1/users/{id}") => {
            Case::body(json!({"display_name": "Valid", "status": "active", "group_ids": [w.group]})).with_invalid(vec![
                (
                    json!({"display_name": "Valid", "status": "active", "group_ids": [uuid::Uuid::now_v7()]}),
                    "group_ids[0]",
                ),
            ])
        }
        ("post", "/api/v1/me/api-tokens") => {
            let token = |days: u32| json!({"name": "Valid token", "scopes": [{"area": "queries", "level": "read"}], "expires_in_days": days});
            Case::body(token(30)).with_invalid(vec![(token(0), "expires_in_days")])
        }
        ("put", "/api/v1/queries/{id}/restriction") => Case::body(json!({"group_ids": [w.group]})),
        ("put", "/api/v1/settings/access") => {
            Case::body(json!({"one_session": "refuse", "local_sign_in": "break_glass_only"}))
        }
        ("put", "/api/v1/settings/entra") => {
            let settings = |directory: &str| {
                json!({"directory_id": directory, "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e",
                       "client_secret": "secret", "redirect_url": "https://casedesk.example/api/v1/auth/entra/callback",
                       "api_audience": "api://casedesk"})
            };
            Case::body(settings("72f988bf-86f1-41af-91ab-2d7cd011db47"))
                .with_invalid(vec![(settings("not-a-guid"), "directory_id")])
        }
        ("post", "/api/v1/settings/entra/mappings") => {
            let mapping = |claim: &str, value: &str| json!({"claim": claim, "value": value, "group_id": w.group});
            Case::body(mapping("role", "Case.Read")).with_invalid(vec![(mapping("group", "not-a-guid"), "value")])
        }
        ("put", "/api/v1/me/recently-viewed/queries/{id}") | ("put", "/api/v1/me/recently-viewed/customers/{id}") => {
            Case::none()
        }
        ("post", "/api/v1/calendars") | ("put", "/api/v1/calendars/{id}") => {
            let bad_shift = json!({"name": "Valid calendar", "week": [{"day": "monday", "shifts": [{"start": "17:00", "end": "09:00"}]}]});
            Case::body(calendar_body("Valid calendar"))
                .with_invalid(vec![(json!({"name": " ", "week": []}), "name"), (bad_shift, "week[0].shifts[0]")])
        }
        ("post", "/api/v1/calendars/{id}/due") => {
            let due =
                |amount: u32| json!({"start": "2026-04-02T15:30:00Z", "unit": "business_minutes", "amount": amount});
            Case::body(due(480)).with_invalid(vec![(due(0), "amount")])
        }
        ("put", "/api/v1/bank-holidays") => {
            let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/src/calendar/bank-holidays.json");
            Case::body(serde_json::from_str(&std::fs::read_to_string(shipped).unwrap()).unwrap())
        }
        ("post", "/api/v1/jobs/{id}/retry") | ("post", "/api/v1/sla-policies/{id}/retime") => Case::none(),
        ("post", "/api/v1/sla-policies") | ("put", "/api/v1/sla-policies/{id}") => {
            let mut zero = crate::sla::policy_body("Valid policy");
            zero["first_response"]["amount"] = json!(0);
            Case::body(crate::sla::policy_body("Valid policy"))
                .with_invalid(vec![(crate::sla::policy_body(" "), "name"), (zero, "first_response.amount")])
        }
        ("put", "/api/v1/sla-policies/order") => {
            Case::body(json!({"ids": [w.sla_policy]})).with_invalid(vec![(json!({"ids": []}), "ids")])
        }
        ("post", "/api/v1/sla-policies/preview") => {
            let preview = |percent: u32| {
                let mut policy = crate::sla::policy_body("Preview");
                policy["due_soon"]["value"] = json!(percent);
                json!({"policy": policy, "received_at": "2026-04-02T15:30:00Z"})
            };
            Case::body(preview(75)).with_invalid(vec![(preview(100), "due_soon.percent")])
        }
        ("post", "/api/v1/query-statuses") => Case::body(json!({"name": "Valid status", "category": "waiting"}))
            .with_invalid(vec![(json!({"name": " ", "category": "waiting"}), "name")]),
        ("put", "/api/v1/query-statuses/{id}") => {
            let status = |position: i32| json!({"name": "Valid status", "position": position, "retired": false});
            Case::body(status(2)).with_invalid(vec![(status(0), "position")])
        }
        ("post", "/api/v1/workflows") | ("put", "/api/v1/workflows/{id}") => {
            let mut finished = w.definition.clone();
            finished["initial_status_id"] = w.definition["status_ids"][4].clone();
            let wrap = |definition: &Value| {
                if path.ends_with("{id}") {
                    definition.clone()
                } else {
                    json!({"query_type_id": w.query_type, "definition": definition})
                }
            };
            Case::body(wrap(&w.definition)).with_invalid(vec![(wrap(&finished), "definition.initial_status_id")])
        }
        ("post", "/api/v1/queries/{id}/workflow") => {
            Case::body(json!({})).with_invalid(vec![(json!({"status_id": uuid::Uuid::now_v7()}), "status_id")])
        }
        // Multipart forms: their bad input is tested in documents.rs.
        ("post", "/api/v1/queries/{id}/documents") | ("post", "/api/v1/customers/{id}/documents") => Case::none(),
        ("put", "/api/v1/documents/{id}") => Case::body(json!({"name": "Valid name.pdf"}))
            .with_invalid(vec![(json!({"name": " "}), "name"), (json!({"name": "a\u{7}b"}), "name")]),
        ("delete", "/api/v1/documents/{id}") => {
            Case::body(json!({"reason": "Valid reason"})).with_invalid(vec![(json!({"reason": " "}), "reason")])
        }
        ("post", "/api/v1/auth/sign-out") => return None,
        // A stream that stays open: tested on its own in work.rs.
        ("get", "/api/v1/notifications/stream") => return None,
        (_, _) if method == "get" || method == "delete" || path.ends_with("/read") || path.ends_with("/read-all") => {
            Case::none()
        }
        _ => panic!("no case for {method} {path}: add one to every_operation.rs"),
    };
    Some(case)
}

/// The concrete path: `{id}` becomes the id of tenant A's record of that kind.
pub fn concrete(path: &str, w: &World) -> String {
    let id = [
        ("/api/v1/me/recently-viewed/queries/", &w.query),
        ("/api/v1/me/recently-viewed/customers/", &w.customer),
        ("/api/v1/calendars/", &w.calendar),
        ("/api/v1/jobs/", &w.job),
        ("/api/v1/sla-policies/", &w.sla_policy),
        ("/api/v1/workflows/", &w.workflow),
        ("/api/v1/documents/", &w.document),
        ("/api/v1/query-statuses/", &w.status),
        ("/api/v1/users/", &w.user),
        ("/api/v1/customers/", &w.customer),
        ("/api/v1/queries/", &w.query),
        ("/api/v1/teams/", &w.team),
        ("/api/v1/query-types/", &w.query_type),
        ("/api/v1/notifications/", &w.notification),
        ("/api/v1/views/", &w.view),
        ("/api/v1/groups/", &w.group),
        ("/api/v1/me/api-tokens/", &w.token),
        ("/api/v1/api-tokens/", &w.token),
        ("/api/v1/sessions/", &w.session),
        ("/api/v1/settings/entra/mappings/", &w.mapping),
    ]
    .into_iter()
    .find(|(prefix, _)| path.starts_with(prefix))
    .map(|(_, id)| id.as_str());
    let path = match id {
        Some(id) => path.replace("{id}", id),
        None => path.to_owned(),
    };
    path.replace("{customer_id}", &w.other_customer).replace("{role}", "representative").replace("{number}", "1")
}

pub async fn world(app: &TestApp, admin: &As, officer: &As) -> World {
    let id = |reply: crate::helpers::Reply| reply.body["id"].as_str().unwrap().to_owned();
    let user = app.user_id(officer).await.as_str().unwrap().to_owned();
    let customer = id(app.post_json("/api/v1/customers", admin, customer_body("BS1 6PN")).await);
    let other_customer = id(app.post_json("/api/v1/customers", admin, customer_body("SW1A 1AA")).await);
    let query = id(app
        .post_json("/api/v1/queries", admin, json!({"customer_id": customer, "channel": "phone", "subject": "Q"}))
        .await);
    let team = id(app.post_json("/api/v1/teams", admin, json!({"name": "World team"})).await);
    let query_type = id(app.post_json("/api/v1/query-types", admin, json!({"name": "World type"})).await);
    let me = app.user_id(admin).await;
    let share = json!({"recipient_id": me, "subject_kind": "customer", "subject_id": customer});
    let notification = id(app.post_json("/api/v1/shares", officer, share).await);
    let statuses = app.get("/api/v1/query-statuses", admin).await;
    let status = statuses.body["items"][1]["id"].as_str().unwrap().to_owned();
    let saved = json!({"name": "World view", "filter": "open=true", "columns": ["reference"], "sort": "received_at"});
    let view = id(app.post_json("/api/v1/views", admin, saved).await);
    let party = json!({"customer_id": other_customer, "role": "representative"});
    assert_eq!(app.post_json(&format!("/api/v1/queries/{query}/parties"), admin, party).await.status, 201);
    let group = id(app.post_json("/api/v1/groups", admin, json!({"name": "World group", "member_ids": [me]})).await);
    let token = json!({"name": "World token", "scopes": [{"area": "queries", "level": "read"}]});
    let token =
        app.post_json("/api/v1/me/api-tokens", admin, token).await.body["token"]["id"].as_str().unwrap().to_owned();
    let sessions = app.get("/api/v1/sessions", admin).await;
    let officers = sessions.body["items"].as_array().unwrap().iter().find(|s| s["user_id"] == user.as_str());
    let session = officers.expect("the officer's session")["id"].as_str().unwrap().to_owned();
    let mapping = json!({"claim": "role", "value": "World.Role", "group_id": group});
    let mapping = id(app.post_json("/api/v1/settings/entra/mappings", admin, mapping).await);
    let calendar = id(app.post_json("/api/v1/calendars", admin, calendar_body("World calendar")).await);
    let job = crate::jobs::failed_job(app).await.to_string();
    let sla_policy = id(app.post_json("/api/v1/sla-policies", admin, crate::sla::policy_body("World policy")).await);
    let workflows = app.get("/api/v1/workflows", admin).await;
    let workflow = workflows.body["items"][0]["id"].as_str().unwrap().to_owned();
    let definition = workflows.body["items"][0]["definition"].clone();
    let letter = crate::documents::pdf("World letter");
    let uploaded =
        crate::documents::upload(app, &format!("/api/v1/queries/{query}/documents"), admin, &[("w.pdf", &letter)])
            .await;
    let document = uploaded.body["items"][0]["id"].as_str().unwrap().to_owned();
    World {
        user,
        customer,
        other_customer,
        query,
        team,
        query_type,
        notification,
        status,
        view,
        group,
        token,
        session,
        mapping,
        calendar,
        job,
        sla_policy,
        workflow,
        document,
        definition,
    }
}

/// A calendar as an administrator gives it: weekdays 09:00 to 17:00 less England's bank holidays.
pub fn calendar_body(name: &str) -> Value {
    let weekday = |day: &str| json!({"day": day, "shifts": [{"start": "09:00", "end": "17:00"}]});
    let week: Vec<Value> = ["monday", "tuesday", "wednesday", "thursday", "friday"].into_iter().map(weekday).collect();
    json!({"name": name, "week": week, "bank_holidays": "england-and-wales", "closures": []})
}

fn schema_of<'a>(doc: &'a Value, operation: &Value) -> Option<&'a Value> {
    let reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str()?;
    doc["components"]["schemas"].get(reference.rsplit('/').next()?)
}

fn has_header(operation: &Value, name: &str) -> bool {
    operation["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == "header" && p["name"] == name))
}

fn has_query_param(operation: &Value, name: &str) -> bool {
    operation["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == "query" && p["name"] == name))
}

/// A value of the wrong JSON type for a field whose valid value is `valid`.
fn wrong_type(valid: &Value) -> Value {
    if valid.is_boolean() { json!("not-a-boolean") } else { json!(true) }
}

async fn every_operation_refuses_bad_input_and_changes_nothing(app: TestApp) {
    // Adding the officer signs the administrator in (and out of any earlier session), so first.
    let officer = app.officer_a("colleague@example.org").await;
    let admin = app.admin_a().await;
    let stranger = app.admin_b().await;
    let w = world(&app, &admin, &officer).await;
    let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json")).unwrap();
    let doc: Value = serde_json::from_str(&file).unwrap();
    let mut checked = 0;
    for (template, methods) in doc["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            let Some(case) = case(method, template, &w) else { continue };
            let what = format!("{method} {template}");
            let http = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let path = concrete(template, &w);
            let if_match = has_header(operation, "If-Match");
            let body = case.body.clone().unwrap_or(json!(null));
            let before = app.snapshot().await;

            if template.contains("{id}") {
                // Another tenant's id is not found, with everything else right.
                let etag = if_match.then_some("\"1\"");
                let foreign = app.send_if_match(http.clone(), &path, &stranger, etag, body.clone()).await;
                assert_eq!(foreign.status, 404, "{what}: a foreign tenant's id: {foreign:?}");
                let garbled = app
                    .send_if_match(http.clone(), &template.replace("{id}", "not-an-id"), &admin, etag, body.clone())
                    .await;
                assert_eq!(garbled.status, 404, "{what}: an id that is not an id");
            }
            if let Some(valid) = &case.body {
                let raw = app.request(http.clone(), &path, &admin, Some(RawBody::raw("application/json", "{"))).await;
                raw.assert_problem(400, "malformed_json");
                for (field, value) in valid.as_object().unwrap() {
                    let mut bad = valid.clone();
                    bad[field] = wrong_type(value);
                    let reply = app.send_if_match(http.clone(), &path, &admin, Some("\"1\""), bad).await;
                    assert_eq!(reply.status, 422, "{what}: {field} of the wrong type: {reply:?}");
                    assert!(reply.fields().iter().any(|f| f.starts_with(field.as_str())), "{what}: {field}: {reply:?}");
                }
                let schema = schema_of(&doc, operation).unwrap_or_else(|| panic!("{what}: no body schema"));
                for field in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                    let mut missing = valid.clone();
                    missing.as_object_mut().unwrap().remove(field);
                    let reply = app.send_if_match(http.clone(), &path, &admin, Some("\"1\""), missing).await;
                    assert_eq!(reply.status, 422, "{what}: without {field}: {reply:?}");
                    assert!(reply.fields().contains(&field.to_owned()), "{what}: without {field}: {reply:?}");
                }
                for (invalid, field) in &case.invalid {
                    let reply = app.send_if_match(http.clone(), &path, &admin, Some("\"1\""), invalid.clone()).await;
                    reply.assert_problem(422, "validation_failed");
                    assert_eq!(reply.fields(), [field.to_string()], "{what}: {invalid}");
                }
            }
            if if_match {
                let missing = app.send_if_match(http.clone(), &path, &admin, None, body.clone()).await;
                missing.assert_problem(428, "precondition_required");
                let stale = app.send_if_match(http.clone(), &path, &admin, Some("\"999\""), body.clone()).await;
                stale.assert_problem(412, "precondition_failed");
                assert!(stale.header("etag").is_some(), "{what}: a stale If-Match is told the current ETag");
            }
            if method == "get" && has_query_param(operation, "limit") {
                let reply = app.get(&format!("{path}?limit=0&cursor=!!"), &admin).await;
                reply.assert_problem(422, "validation_failed");
                assert_eq!(reply.fields(), ["limit", "cursor"], "{what}");
            }
            assert_eq!(app.snapshot().await, before, "{what}: refused requests changed what is stored");

            if has_header(operation, "Idempotency-Key") {
                let valid = case.body.clone().unwrap();
                let key = format!("key-{}", uuid::Uuid::now_v7());
                let first = app.post_with_key(&path, &admin, &key, &valid).await;
                assert_eq!(first.status, 201, "{what}: {first:?}");
                let after_first = app.snapshot().await;
                let replay = app.post_with_key(&path, &admin, &key, &valid).await;
                assert_eq!((replay.status, &replay.body), (first.status, &first.body), "{what}: a replay");
                assert_eq!(replay.header("idempotent-replayed"), Some("true"), "{what}");
                let mut other = valid.clone();
                // Another valid body: a free-text field changed.
                let field =
                    ["subject", "given_name", "display_name"].into_iter().find(|f| valid.get(*f).is_some()).unwrap();
                other[field] = json!(format!("{} again", valid[field].as_str().unwrap()));
                let reused = app.post_with_key(&path, &admin, &key, &other).await;
                reused.assert_problem(422, "idempotency_key_reused");
                assert_eq!(app.snapshot().await, after_first, "{what}: a replay or a reused key stores nothing");
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} operations checked");
}
