//! Sign-in, sessions, CSRF defence and deny-by-default.

use crate::{
    both_backends,
    helpers::{As, Backend, PASSWORD, RawBody, TestApp, spawn_app_with},
};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(
    sign_in_returns_me_and_a_hardened_cookie,
    a_wrong_password_is_401_and_audited,
    organisation_is_required_with_several_tenants,
    sign_out_ends_the_session,
    a_second_sign_in_ends_the_first_session,
    writes_without_the_csrf_header_are_refused,
    every_operation_denies_anonymous_callers_unless_public,
    officers_cannot_administer,
    refuse_mode_and_administrators_ending_sessions,
    password_sign_in_can_be_limited_to_break_glass_accounts,
);

async fn sign_in_returns_me_and_a_hardened_cookie(app: TestApp) {
    let body = json!({"organisation": "tenant-a", "email": "  ADMIN@a.example.org ", "password": PASSWORD});
    let reply = app.post_json("/api/v1/auth/sign-in", &As::anonymous(), body).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.body["user"]["email"], "admin@a.example.org");
    assert_eq!(reply.body["tenant"]["slug"], "tenant-a");
    let cookie = reply.header("set-cookie").unwrap();
    for attribute in ["__Host-casedesk_session=", "HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing from {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    let admin = app.admin_a().await;
    let me = app.get("/api/v1/me", &admin).await;
    assert_eq!(me.status, 200);
    let levels: Vec<&Value> = me.body["permissions"].as_array().unwrap().iter().map(|p| &p["level"]).collect();
    assert_eq!(levels.len(), 7);
    assert!(levels.iter().all(|l| *l == "full"));
}

async fn a_wrong_password_is_401_and_audited(app: TestApp) {
    let (_, audit_before, _) = app.counts().await;
    for (org, email, password) in [
        ("tenant-a", "admin@a.example.org", "wrong-password-here"),
        ("tenant-a", "nobody@a.example.org", PASSWORD),
        ("zz", "admin@a.example.org", PASSWORD),
        ("tenant-b", "admin@a.example.org", PASSWORD),
    ] {
        let body = json!({"organisation": org, "email": email, "password": password});
        let reply = app.post_json("/api/v1/auth/sign-in", &As::anonymous(), body).await;
        reply.assert_problem(401, "invalid_credentials");
        assert!(reply.header("set-cookie").is_none());
    }
    let (_, audit_after, _) = app.counts().await;
    assert_eq!(audit_after, audit_before + 1, "the failure against a known user is audited");
    let reply = app
        .post_json(
            "/api/v1/auth/sign-in",
            &As::anonymous(),
            json!({"organisation": "tenant-a", "email": "", "password": ""}),
        )
        .await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["email", "password"]);
}

async fn organisation_is_required_with_several_tenants(app: TestApp) {
    let options = app.get("/api/v1/auth/options", &As::anonymous()).await;
    assert_eq!(options.body["organisation_required"], true);
    let body = json!({"email": "admin@a.example.org", "password": PASSWORD});
    let reply = app.post_json("/api/v1/auth/sign-in", &As::anonymous(), body).await;
    reply.assert_problem(422, "validation_failed");
    assert_eq!(reply.fields(), ["organisation"]);
}

async fn sign_out_ends_the_session(app: TestApp) {
    let admin = app.admin_a().await;
    let reply = app.request(Method::POST, "/api/v1/auth/sign-out", &admin, None).await;
    assert_eq!(reply.status, 204);
    assert!(reply.header("set-cookie").unwrap().contains("Max-Age=0"));
    app.get("/api/v1/me", &admin).await.assert_problem(401, "unauthenticated");
}

async fn a_second_sign_in_ends_the_first_session(app: TestApp) {
    let first = app.admin_a().await;
    let second = app.admin_a().await;
    // The first browser is told why, so it can say "signed in elsewhere".
    app.get("/api/v1/me", &first).await.assert_problem(401, "signed_in_elsewhere");
    assert_eq!(app.get("/api/v1/me", &second).await.status, 200);
    let signed_out = app.request(Method::POST, "/api/v1/auth/sign-out", &second, None).await;
    assert_eq!(signed_out.status, 204);
    app.get("/api/v1/me", &second).await.assert_problem(401, "unauthenticated");
    app.get("/api/v1/me", &As { cookie: Some("__Host-casedesk_session=nonsense".into()), csrf: true })
        .await
        .assert_problem(401, "unauthenticated");
}

/// With the "refuse" setting a second sign-in is refused while the first session is live; an
/// administrator can list sessions and end one, and that browser is told so.
async fn refuse_mode_and_administrators_ending_sessions(app: TestApp) {
    let officer = app.officer_a("busy@example.org").await;
    let admin = app.admin_a().await;
    let settings = app.get("/api/v1/settings/access", &admin).await;
    assert_eq!((settings.body["one_session"].as_str(), settings.header("etag")), (Some("end_others"), Some("\"0\"")));
    let refuse = json!({"one_session": "refuse", "local_sign_in": "everyone"});
    let changed =
        app.send_if_match(Method::PUT, "/api/v1/settings/access", &admin, Some("\"0\""), refuse.clone()).await;
    assert_eq!((changed.status.as_u16(), changed.body["version"].as_i64()), (200, Some(1)));
    let stale = app.send_if_match(Method::PUT, "/api/v1/settings/access", &admin, Some("\"0\""), refuse).await;
    stale.assert_problem(412, "precondition_failed");

    let body = json!({"organisation": "tenant-a", "email": "busy@example.org", "password": PASSWORD});
    let refused = app.post_json("/api/v1/auth/sign-in", &As::anonymous(), body.clone()).await;
    refused.assert_problem(409, "session_active_elsewhere");
    assert!(refused.header("set-cookie").is_none());
    assert_eq!(app.get("/api/v1/me", &officer).await.status, 200, "the first session goes on");

    let sessions = app.get("/api/v1/sessions", &admin).await;
    assert_eq!(sessions.status, 200);
    let officer_id = app.user_id(&officer).await;
    let items = sessions.body["items"].as_array().unwrap();
    let theirs = items.iter().find(|s| s["user_id"] == officer_id).expect("the officer's session is listed");
    assert_eq!(theirs["current"], false);
    assert_eq!(theirs["from_address"], "127.0.0.1");
    assert!(items.iter().any(|s| s["current"] == true), "the administrator's own session is marked");
    let ended = app
        .request(Method::DELETE, &format!("/api/v1/sessions/{}", theirs["id"].as_str().unwrap()), &admin, None)
        .await;
    assert_eq!(ended.status, 204);
    app.get("/api/v1/me", &officer).await.assert_problem(401, "session_ended_by_administrator");
    let again = app
        .request(Method::DELETE, &format!("/api/v1/sessions/{}", theirs["id"].as_str().unwrap()), &admin, None)
        .await;
    assert_eq!(again.status, 404, "already ended");
    let reply = app.post_json("/api/v1/auth/sign-in", &As::anonymous(), body).await;
    assert_eq!(reply.status, 200, "with the other session ended, signing in works: {reply:?}");

    let actions = app.audit_actions().await;
    for action in ["settings.access_updated", "sign_in.refused", "session.ended", "session.started"] {
        assert!(actions.iter().any(|a| a == action), "{action} audited: {actions:?}");
    }
}

/// Idle expiry, configured short: a session unused for longer than the idle timeout ends.
async fn an_idle_session_ends(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.session_idle_secs = 2).await;
    let admin = app.admin_a().await;
    assert_eq!(app.get("/api/v1/me", &admin).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(3_100)).await;
    app.get("/api/v1/me", &admin).await.assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn an_idle_session_ends_on_sqlite() {
    an_idle_session_ends(Backend::Sqlite).await;
}

#[actix_web::test]
async fn an_idle_session_ends_on_postgres() {
    an_idle_session_ends(Backend::Postgres).await;
}

async fn writes_without_the_csrf_header_are_refused(app: TestApp) {
    let admin = app.admin_a().await;
    let no_header = As { csrf: false, ..admin.clone() };
    let before = app.counts().await;
    let body = json!({"email": "csrf@example.org", "display_name": "C", "password": "long-enough-password"});
    app.post_json("/api/v1/users", &no_header, body).await.assert_problem(403, "csrf_header_missing");
    app.request(Method::POST, "/api/v1/auth/sign-out", &no_header, None)
        .await
        .assert_problem(403, "csrf_header_missing");
    let sign_in = json!({"organisation": "tenant-a", "email": "admin@a.example.org", "password": PASSWORD});
    let anonymous_no_header = As { cookie: None, csrf: false };
    let reply = app.post_json("/api/v1/auth/sign-in", &anonymous_no_header, sign_in).await;
    reply.assert_problem(403, "csrf_header_missing");
    assert_eq!(app.counts().await, before);
    // Reads need no header, and the session survived.
    assert_eq!(app.get("/api/v1/me", &no_header).await.status, 200);
}

/// Operations anyone may call. Everything else in openapi/openapi.json must refuse an
/// anonymous caller with 401: deny by default.
const PUBLIC: [(&str, &str); 6] = [
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/v1/auth/options"),
    ("post", "/api/v1/auth/sign-in"),
    ("get", "/api/v1/auth/entra/start"),
    ("get", "/api/v1/auth/entra/callback"),
];

async fn every_operation_denies_anonymous_callers_unless_public(app: TestApp) {
    let document: Value =
        serde_json::from_str(include_str!("../../../../openapi/openapi.json")).expect("committed openapi.json");
    let mut checked = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let public = PUBLIC.contains(&(method.as_str(), path.as_str()));
            let documented_public = item[method].get("security").is_none();
            assert_eq!(public, documented_public, "{method} {path}: the document and the public list disagree");
            if public {
                continue;
            }
            let concrete = path.replace("{id}", &uuid::Uuid::now_v7().to_string());
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (method != Method::GET).then(|| RawBody::json(json!({})));
            let reply = app.request(method.clone(), &concrete, &As::anonymous(), body).await;
            assert_eq!(reply.status, 401, "{method} {path} must need authentication: {reply:?}");
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} operations checked");
}

async fn officers_cannot_administer(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let me = app.get("/api/v1/me", &officer).await;
    assert_eq!(me.status, 200);
    let before = app.counts().await;
    let body = json!({"email": "new@example.org", "display_name": "New", "password": "long-enough-password"});
    app.post_json("/api/v1/users", &officer, body).await.assert_problem(403, "forbidden");
    app.get("/api/v1/users", &officer).await.assert_problem(403, "forbidden");
    app.get("/api/v1/audit/verification", &officer).await.assert_problem(403, "forbidden");
    assert_eq!(app.counts().await, before);
}

/// With password sign-in limited to break-glass accounts, an ordinary user's right password is
/// refused (403, audited) while the first administrator, created break-glass, still gets in;
/// marking a user break-glass lets them in too.
async fn password_sign_in_can_be_limited_to_break_glass_accounts(app: TestApp) {
    let officer = app.officer_a("ordinary@example.org").await;
    let admin = app.admin_a().await;
    let limit = json!({"one_session": "end_others", "local_sign_in": "break_glass_only"});
    let changed = app.send_if_match(Method::PUT, "/api/v1/settings/access", &admin, Some("\"0\""), limit).await;
    assert_eq!(changed.body["local_sign_in"], "break_glass_only", "{changed:?}");
    assert_eq!(app.get("/api/v1/me", &officer).await.status, 200, "a session already started goes on");

    let body = json!({"organisation": "tenant-a", "email": "ordinary@example.org", "password": PASSWORD});
    let refused = app.post_json("/api/v1/auth/sign-in", &As::anonymous(), body.clone()).await;
    refused.assert_problem(403, "local_sign_in_disabled");
    assert!(refused.header("set-cookie").is_none());
    let wrong = json!({"organisation": "tenant-a", "email": "ordinary@example.org", "password": "not-the-password"});
    let guess = app.post_json("/api/v1/auth/sign-in", &As::anonymous(), wrong).await;
    guess.assert_problem(401, "invalid_credentials");
    let admin = app.admin_a().await;

    let user_id = app.user_id(&officer).await;
    let path = format!("/api/v1/users/{}", user_id.as_str().unwrap());
    let access = app.get(&format!("{path}/access"), &admin).await;
    assert_eq!(access.body["break_glass"], false);
    let etag = app.get(&path, &admin).await.header("etag").unwrap().to_owned();
    let groups = access.body["group_ids"].clone();
    let mark = json!({"display_name": "Olive Officer", "status": "active", "group_ids": groups, "break_glass": true});
    assert_eq!(app.send_if_match(Method::PUT, &path, &admin, Some(&etag), mark).await.status, 200);
    assert_eq!(app.get(&format!("{path}/access"), &admin).await.body["break_glass"], true);
    let reply = app.post_json("/api/v1/auth/sign-in", &As::anonymous(), body).await;
    assert_eq!(reply.status, 200, "a break-glass account signs in: {reply:?}");
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"sign_in.refused".to_owned()), "{actions:?}");
}
