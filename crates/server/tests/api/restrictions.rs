//! Restricted queries over HTTP: hidden from everyone outside the named groups; restricting
//! needs `queries: full` and membership of one of the groups.

use crate::{both_backends, helpers::TestApp};
use reqwest::Method;
use serde_json::json;

both_backends!(
    a_restricted_query_is_hidden_from_everyone_outside_its_groups,
    recently_viewed_lists_only_what_the_user_may_still_see,
    a_team_limited_grant_changes_only_the_holders_teams_queries
);

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

/// "Read every query, change only your team's": one unlimited read grant, one team-limited
/// read-write grant. Reads reach every query; changes reach only the team's (others are 404).
async fn a_team_limited_grant_changes_only_the_holders_teams_queries(app: TestApp) {
    let admin = app.admin_a().await;
    let email = "teamed@example.org";
    let created = app
        .post_json(
            "/api/v1/users",
            &admin,
            json!({"email": email, "display_name": "Tess Teamed", "password": crate::helpers::PASSWORD}),
        )
        .await;
    let user_id = created.body["id"].clone();
    let readers = json!({"name": "All readers", "grants": [{"area": "queries", "level": "read"}, {"area": "customers", "level": "read"}], "member_ids": [user_id]});
    assert_eq!(app.post_json("/api/v1/groups", &admin, readers).await.status, 201);
    let workers = json!({"name": "Team workers", "grants": [{"area": "queries", "level": "read_write", "own_teams": true}], "member_ids": [user_id]});
    let workers = app.post_json("/api/v1/groups", &admin, workers).await;
    assert_eq!(workers.status, 201, "{workers:?}");
    assert_eq!(workers.body["grants"][0]["own_teams"], true);
    let north =
        app.post_json("/api/v1/teams", &admin, json!({"name": "North", "member_ids": [user_id]})).await.body["id"]
            .clone();
    let south = app.post_json("/api/v1/teams", &admin, json!({"name": "South"})).await.body["id"].clone();
    let mut ids = vec![];
    for team in [&north, &south] {
        let query = app.post_json("/api/v1/queries", &admin, json!({"channel": "phone", "subject": "Bins"})).await;
        let id = query.body["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/queries/{id}/assignment");
        assert_eq!(
            app.send_if_match(Method::POST, &path, &admin, Some("\"1\""), json!({"team_id": team})).await.status,
            200
        );
        ids.push(id);
    }

    let tess = app.sign_in("tenant-a", email, crate::helpers::PASSWORD).await;
    let me = app.get("/api/v1/me", &tess).await.body;
    let queries = me["permissions"].as_array().unwrap().iter().find(|p| p["area"] == "queries").unwrap().clone();
    assert_eq!((queries["level"].as_str(), queries["own_teams"].as_bool()), (Some("read_write"), Some(true)));
    assert_eq!((me["queries_everywhere"].as_str(), &me["team_ids"]), (Some("read"), &json!([north])), "{me}");
    for (id, ours) in [(&ids[0], true), (&ids[1], false)] {
        assert_eq!(app.get(&format!("/api/v1/queries/{id}"), &tess).await.status, 200, "every query can be read");
        let note = json!({"kind": "note", "body": "Checked"});
        let added = app.post_json(&format!("/api/v1/queries/{id}/notes"), &tess, note).await;
        assert_eq!(added.status == 201, ours, "notes only on the team's query: {added:?}");
        if !ours {
            added.assert_problem(404, "not_found");
        }
    }
    let listed = app.get("/api/v1/queries", &tess).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2, "the list shows both: {listed:?}");

    // Only queries can be team-limited, and a token's scope cannot be.
    let bad = json!({"name": "Odd", "grants": [{"area": "customers", "level": "read", "own_teams": true}]});
    let refused = app.post_json("/api/v1/groups", &admin, bad).await;
    refused.assert_problem(422, "validation_failed");
    assert_eq!(refused.fields(), ["grants[0].own_teams"]);
    let token = json!({"name": "T", "scopes": [{"area": "queries", "level": "read", "own_teams": true}]});
    let refused = app.post_json("/api/v1/me/api-tokens", &tess, token).await;
    assert_eq!(refused.fields(), ["scopes[0].own_teams"], "{refused:?}");
}

/// Home's "Recently viewed": what the user opened, newest first, named; a query restricted
/// since drops out of the list, and one they may not see cannot be noted at all.
async fn recently_viewed_lists_only_what_the_user_may_still_see(app: TestApp) {
    let officer = app.officer_a("visitor@example.org").await;
    let admin = app.admin_a().await;
    let me = app.user_id(&admin).await;
    let customer = json!({"given_name": "Vera", "family_name": "Visited", "address": {"lines": ["2 High St"], "postcode": "BS1 6PN"}});
    let customer = app.post_json("/api/v1/customers", &admin, customer).await.body["id"].as_str().unwrap().to_owned();
    let body = json!({"customer_id": customer, "channel": "phone", "subject": "Broken boiler"});
    let query = app.post_json("/api/v1/queries", &admin, body).await;
    let (id, etag) = (query.body["id"].as_str().unwrap().to_owned(), query.header("etag").unwrap().to_owned());
    let reference = query.body["reference"].as_str().unwrap().to_owned();

    for who in [&officer, &admin] {
        assert_eq!(visit(&app, format!("/api/v1/me/recently-viewed/customers/{customer}"), who).await.status, 204);
        assert_eq!(visit(&app, format!("/api/v1/me/recently-viewed/queries/{id}"), who).await.status, 204);
    }
    let listed = app.get("/api/v1/me/recently-viewed", &officer).await;
    assert_eq!(listed.status, 200, "{listed:?}");
    let titles: Vec<&str> =
        listed.body["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, [format!("{reference} Broken boiler").as_str(), "Vera Visited"], "newest first, named");
    assert_eq!(listed.body["items"][0]["link"], format!("/queries/{id}"));

    // Restricted to a group the officer is not in: gone from their list, and not notable again.
    let panel = app.post_json("/api/v1/groups", &admin, json!({"name": "Boiler panel", "member_ids": [me]})).await;
    let restriction = json!({"group_ids": [panel.body["id"]]});
    let path = format!("/api/v1/queries/{id}/restriction");
    assert_eq!(app.send_if_match(Method::PUT, &path, &admin, Some(&etag), restriction).await.status, 200);
    let listed = app.get("/api/v1/me/recently-viewed", &officer).await;
    let kinds: Vec<&str> =
        listed.body["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["customer"], "{listed:?}");
    visit(&app, format!("/api/v1/me/recently-viewed/queries/{id}"), &officer).await.assert_problem(404, "not_found");
    let admins = app.get("/api/v1/me/recently-viewed", &admin).await;
    assert_eq!(admins.body["items"].as_array().unwrap().len(), 2, "the panel's member still sees both");
}

async fn visit(app: &TestApp, path: String, who: &crate::helpers::As) -> crate::helpers::Reply {
    app.request(Method::PUT, &path, who, None).await
}
