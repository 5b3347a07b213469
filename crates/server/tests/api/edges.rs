//! Privilege edges (issue 12, items 4 and 5): nobody acts on a user or group that holds more
//! than they do, marking break-glass needs administration at full, and sharing answers exactly
//! as reading would.

use crate::{
    both_backends,
    helpers::{As, PASSWORD, TestApp},
};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(
    a_read_write_administrator_cannot_touch_a_full_one_or_mark_break_glass,
    full_administration_alone_cannot_strip_or_delete_a_group_granting_more,
    sharing_a_record_the_caller_cannot_see_answers_as_reading_would,
    a_view_is_shared_only_with_a_team_the_caller_is_in,
);

/// A group granting `grants`, with `email` (created with password `PASSWORD`) its only member;
/// returns the member signed in and their user id.
async fn member_of(app: &TestApp, admin: &As, email: &str, grants: Value) -> (As, Value) {
    let created = app
        .post_json("/api/v1/users", admin, json!({"email": email, "display_name": "Ada Min", "password": PASSWORD}))
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    let id = created.body["id"].clone();
    let name = format!("Group of {email}");
    let group =
        app.post_json("/api/v1/groups", admin, json!({"name": name, "grants": grants, "member_ids": [id]})).await;
    assert_eq!(group.status, 201, "{group:?}");
    (app.sign_in("tenant-a", email, PASSWORD).await, id)
}

async fn etag(app: &TestApp, path: &str, who: &As) -> String {
    app.get(path, who).await.header("etag").unwrap().to_owned()
}

async fn a_read_write_administrator_cannot_touch_a_full_one_or_mark_break_glass(app: TestApp) {
    let admin = app.admin_a().await;
    let admin_id = app.user_id(&admin).await;
    let grants = json!([{"area": "administration", "level": "read_write"}]);
    let (deputy, deputy_id) = member_of(&app, &admin, "deputy@example.org", grants).await;
    let admin_path = format!("/api/v1/users/{}", admin_id.as_str().unwrap());
    let tag = etag(&app, &admin_path, &deputy).await;
    let before = app.snapshot().await;

    let strip = json!({"display_name": "Administrator", "status": "active", "group_ids": []});
    app.send_if_match(Method::PUT, &admin_path, &deputy, Some(&tag), strip).await.assert_problem(403, "outranks_you");
    let disable = json!({"display_name": "Administrator", "status": "disabled", "group_ids": []});
    app.send_if_match(Method::PUT, &admin_path, &deputy, Some(&tag), disable).await.assert_problem(403, "outranks_you");
    let sessions = app.get("/api/v1/sessions", &deputy).await;
    let admins_session = sessions.body["items"].as_array().unwrap().iter().find(|s| s["user_id"] == admin_id).unwrap();
    let end = format!("/api/v1/sessions/{}", admins_session["id"].as_str().unwrap());
    app.request(Method::DELETE, &end, &deputy, None).await.assert_problem(403, "outranks_you");
    assert_eq!(app.snapshot().await, before, "nothing changed");
    assert_eq!(app.get("/api/v1/me", &admin).await.status, 200, "the administrator is still signed in");

    // Marking themselves break-glass would get round "Microsoft sign-in only".
    let deputy_path = format!("/api/v1/users/{}", deputy_id.as_str().unwrap());
    let groups = app.get(&format!("{deputy_path}/access"), &deputy).await.body["group_ids"].clone();
    let mark = json!({"display_name": "Ada Min", "status": "active", "group_ids": groups, "break_glass": true});
    let tag = etag(&app, &deputy_path, &deputy).await;
    let marked = app.send_if_match(Method::PUT, &deputy_path, &deputy, Some(&tag), mark.clone()).await;
    marked.assert_problem(403, "break_glass_needs_full_administration");
    // The same change by someone with administration at full goes through; so does the
    // deputy's own change that leaves the mark alone.
    let by_admin = app.send_if_match(Method::PUT, &deputy_path, &admin, Some(&tag), mark).await;
    assert_eq!(by_admin.status, 200, "{by_admin:?}");
    let rename = json!({"display_name": "Ada Minister", "status": "active", "group_ids": groups, "break_glass": true});
    let tag = by_admin.header("etag").unwrap().to_owned();
    assert_eq!(app.send_if_match(Method::PUT, &deputy_path, &deputy, Some(&tag), rename).await.status, 200);
    // And the full administrator may still end the deputy's session.
    let sessions = app.get("/api/v1/sessions", &admin).await;
    let deputys = sessions.body["items"].as_array().unwrap().iter().find(|s| s["user_id"] == deputy_id).unwrap();
    let end = format!("/api/v1/sessions/{}", deputys["id"].as_str().unwrap());
    assert_eq!(app.request(Method::DELETE, &end, &admin, None).await.status, 204);
}

async fn full_administration_alone_cannot_strip_or_delete_a_group_granting_more(app: TestApp) {
    let admin = app.admin_a().await;
    let grants = json!([{"area": "administration", "level": "full"}]);
    let (keeper, _) = member_of(&app, &admin, "keeper@example.org", grants).await;
    let rich = json!({"name": "Case leads", "grants": [{"area": "queries", "level": "full"}]});
    let rich = app.post_json("/api/v1/groups", &admin, rich).await;
    let path = format!("/api/v1/groups/{}", rich.body["id"].as_str().unwrap());
    let tag = rich.header("etag").unwrap().to_owned();
    let before = app.snapshot().await;

    let strip = json!({"name": "Case leads", "grants": []});
    app.send_if_match(Method::PUT, &path, &keeper, Some(&tag), strip).await.assert_problem(403, "group_outranks_you");
    let delete = app.client.delete(format!("{}{path}", app.address));
    let delete = delete.header("Cookie", keeper.cookie.clone().unwrap()).header("X-Casedesk-CSRF", "1");
    let reply = delete.header("If-Match", &tag).send().await.unwrap();
    assert_eq!(reply.status(), 403);
    assert_eq!(reply.json::<Value>().await.unwrap()["code"], "group_outranks_you");
    assert_eq!(app.snapshot().await, before, "nothing changed");

    // A group the keeper does hold all of can be changed, but not to drop a member who
    // outranks them.
    let admin_id = app.user_id(&admin).await;
    let small =
        json!({"name": "Rota", "grants": [{"area": "administration", "level": "read"}], "member_ids": [admin_id]});
    let small = app.post_json("/api/v1/groups", &admin, small).await;
    let small_path = format!("/api/v1/groups/{}", small.body["id"].as_str().unwrap());
    let tag = small.header("etag").unwrap().to_owned();
    let drop_admin = json!({"name": "Rota", "grants": [{"area": "administration", "level": "read"}], "member_ids": []});
    let dropped = app.send_if_match(Method::PUT, &small_path, &keeper, Some(&tag), drop_admin).await;
    dropped.assert_problem(403, "outranks_you");
    let renamed =
        json!({"name": "Rota 2", "grants": [{"area": "administration", "level": "read"}], "member_ids": [admin_id]});
    assert_eq!(app.send_if_match(Method::PUT, &small_path, &keeper, Some(&tag), renamed).await.status, 200);
}

async fn sharing_a_record_the_caller_cannot_see_answers_as_reading_would(app: TestApp) {
    // officer_a signs the administrator in to create the officer: sign in as admin after it.
    let officer = app.officer_a("sharer@example.org").await;
    let admin = app.admin_a().await;
    let officer_id = app.user_id(&officer).await;
    let admin_id = app.user_id(&admin).await;
    let panel = app.post_json("/api/v1/groups", &admin, json!({"name": "Panel", "member_ids": [admin_id]})).await;
    let customer =
        json!({"given_name": "Sha", "family_name": "Rer", "address": {"lines": ["1 High St"], "postcode": "BS1 6PN"}});
    let customer = app.post_json("/api/v1/customers", &admin, customer).await.body["id"].clone();
    let query = json!({"customer_id": customer, "channel": "phone", "subject": "About a member of staff"});
    let query = app.post_json("/api/v1/queries", &admin, query).await;
    assert_eq!(query.status, 201, "{query:?}");
    let id = query.body["id"].as_str().unwrap().to_owned();
    let restriction = json!({"group_ids": [panel.body["id"]]});
    let path = format!("/api/v1/queries/{id}/restriction");
    let tag = query.header("etag").unwrap().to_owned();
    assert_eq!(app.send_if_match(Method::PUT, &path, &admin, Some(&tag), restriction).await.status, 200);

    let before = app.snapshot().await;
    let share = |to: &Value| json!({"subject_kind": "query", "subject_id": id, "recipient_id": to});
    let read = app.get(&format!("/api/v1/queries/{id}"), &officer).await;
    read.assert_problem(404, "not_found");
    app.post_json("/api/v1/shares", &officer, share(&admin_id)).await.assert_problem(404, "not_found");
    // The administrator sees it, but the officer they would tell cannot open it.
    let told = app.post_json("/api/v1/shares", &admin, share(&officer_id)).await;
    told.assert_problem(422, "validation_failed");
    assert_eq!(told.fields(), ["recipient_id"]);
    assert_eq!(told.body["errors"][0]["code"], "cannot_open");
    assert_eq!(app.get("/api/v1/notifications", &officer).await.body["items"], json!([]), "nobody was told");
    assert_eq!(app.snapshot().await, before, "nothing stored, nobody notified");
    // An unrestricted record is shared as before.
    let open = json!({"customer_id": customer, "channel": "phone", "subject": "Opening hours"});
    let open = app.post_json("/api/v1/queries", &admin, open).await.body["id"].clone();
    let shared = json!({"subject_kind": "query", "subject_id": open, "recipient_id": officer_id, "message": "FYI"});
    assert_eq!(app.post_json("/api/v1/shares", &admin, shared).await.status, 201);
}

async fn a_view_is_shared_only_with_a_team_the_caller_is_in(app: TestApp) {
    let officer = app.officer_a("viewer@example.org").await;
    let admin = app.admin_a().await;
    let officer_id = app.user_id(&officer).await;
    let theirs = app.post_json("/api/v1/teams", &admin, json!({"name": "Theirs"})).await;
    assert_eq!(theirs.status, 201, "{theirs:?}");
    let theirs = theirs.body["id"].clone();
    let mine = app.post_json("/api/v1/teams", &admin, json!({"name": "Mine", "member_ids": [officer_id]})).await;
    let mine = mine.body["id"].clone();
    let view = |team: &Value| json!({"name": "Open", "filter": "open=true", "columns": ["reference"], "sort": "received_at", "team_id": team});
    let refused = app.post_json("/api/v1/views", &officer, view(&theirs)).await;
    refused.assert_problem(422, "validation_failed");
    assert_eq!(refused.fields(), ["team_id"]);
    assert_eq!(refused.body["errors"][0]["code"], "not_a_member");
    assert_eq!(app.post_json("/api/v1/views", &officer, view(&mine)).await.status, 201);
    assert_eq!(app.post_json("/api/v1/views", &admin, view(&theirs)).await.status, 201, "administrators may");
}
