//! Users: the tenant-owned resource the isolation tests use.

use crate::{
    both_backends,
    helpers::{As, TestApp},
};
use serde_json::json;

both_backends!(
    a_created_user_reads_back_with_etag_and_location,
    another_tenants_user_is_not_found,
    users_page_by_cursor_to_the_end,
);

async fn a_created_user_reads_back_with_etag_and_location(app: TestApp) {
    let admin = app.admin_a().await;
    let body =
        json!({"email": "New.Person@Example.org", "display_name": " New Person ", "password": "long-enough-password"});
    let created = app.post_json("/api/v1/users", &admin, body).await;
    assert_eq!(created.status, 201, "{created:?}");
    assert_eq!(created.body["email"], "new.person@example.org");
    assert_eq!(created.body["display_name"], "New Person");
    assert_eq!(created.header("etag"), Some("\"1\""));
    let location = created.header("location").unwrap().to_owned();
    let fetched = app.get(&location, &admin).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body, created.body);
    assert_eq!(fetched.header("etag"), Some("\"1\""));
    // The new user can sign in with the password they were given.
    app.sign_in("tenant-a", "new.person@example.org", "long-enough-password").await;
}

async fn another_tenants_user_is_not_found(app: TestApp) {
    let admin_a = app.admin_a().await;
    let admin_b = app.admin_b().await;
    let body = json!({"email": "b-only@example.org", "display_name": "B Only", "password": "long-enough-password"});
    let b_user = app.post_json("/api/v1/users", &admin_b, body).await;
    let path = format!("/api/v1/users/{}", b_user.body["id"].as_str().unwrap());
    assert_eq!(app.get(&path, &admin_b).await.status, 200);
    app.get(&path, &admin_a).await.assert_problem(404, "not_found");
    app.get("/api/v1/users/not-a-uuid", &admin_a).await.assert_problem(404, "not_found");
    let listed = app.get("/api/v1/users?limit=200", &admin_a).await;
    let emails: Vec<&str> =
        listed.body["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["admin@a.example.org"]);
}

async fn users_page_by_cursor_to_the_end(app: TestApp) {
    let admin = app.admin_a().await;
    for i in 0..4 {
        let body =
            json!({"email": format!("p{i}@example.org"), "display_name": "P", "password": "long-enough-password"});
        assert_eq!(app.post_json("/api/v1/users", &admin, body).await.status, 201);
    }
    let mut seen = vec![];
    let mut path = "/api/v1/users?limit=2".to_owned();
    loop {
        let page = app.get(&path, &admin).await;
        assert_eq!(page.status, 200, "{page:?}");
        seen.extend(page.body["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/users?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["admin@a.example.org", "p0@example.org", "p1@example.org", "p2@example.org", "p3@example.org"]);
    let bad = app.get("/api/v1/users?cursor=%%%&limit=0", &admin).await;
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.fields(), ["limit", "cursor"]);
    app.get("/api/v1/users?limit=abc", &As { ..admin }).await.assert_problem(422, "validation_failed");
}
