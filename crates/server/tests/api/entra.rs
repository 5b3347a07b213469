//! Entra ID against a real OpenID provider on loopback (scripts/entra-mock.mjs, started by the
//! test command): the browser sign-in (code + PKCE) end to end, mapped groups refreshed at each
//! sign-in, group overage through the Graph stand-in, bearer access tokens and every refusal,
//! and a signing-key rotation picked up without a restart. Each test uses a directory id of its
//! own, so the provider's keys and users never leak between tests.

use crate::{
    both_backends,
    helpers::{As, PASSWORD, TestApp, entra_mock},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

both_backends!(
    microsoft_sign_in_links_by_email_once_then_follows_the_object_id,
    mapped_groups_and_roles_follow_the_directory_at_every_sign_in,
    group_overage_is_resolved_through_graph,
    browser_sign_in_refusals_come_back_to_the_sign_in_page,
    bearer_access_tokens_act_as_the_person_with_their_mapped_groups,
    bearer_tokens_failing_any_check_are_refused_with_401,
    a_rotated_signing_key_is_picked_up_without_restart,
    entra_settings_are_validated_and_never_show_the_secret,
    a_secret_stored_as_given_is_sealed_at_start_and_still_signs_in,
);

/// A directory for this test, configured for tenant A; returns its id and the API audience.
async fn configure(app: &TestApp, admin: &As) -> (String, String) {
    let tid = Uuid::new_v4().to_string();
    let client_id = Uuid::new_v4().to_string();
    let body = json!({
        "directory_id": tid, "client_id": client_id, "client_secret": "a-client-secret",
        "redirect_url": format!("{}/api/v1/auth/entra/callback", app.address), "api_audience": client_id,
    });
    let saved = app.send_if_match(Method::PUT, "/api/v1/settings/entra", admin, Some("\"0\""), body).await;
    assert_eq!(saved.status, 200, "{saved:?}");
    (tid, client_id)
}

/// A person in the stand-in directory; returns their object id.
async fn person(login: &str, email: &str, groups: &[&str], roles: &[&str], overage: bool) -> String {
    let body = json!({"login": login, "name": format!("{login} Person"), "email": email,
                      "groups": groups, "roles": roles, "overage": overage});
    let reply = reqwest::Client::new().post(format!("{}/test/users", entra_mock())).json(&body).send().await;
    let reply: Value = reply.expect("the Entra stand-in is running (scripts/entra-mock.mjs)").json().await.unwrap();
    reply["oid"].as_str().unwrap().to_owned()
}

/// A unique login for the stand-in.
fn login(prefix: &str) -> String {
    format!("{prefix}-{}", &Uuid::new_v4().simple().to_string()[..8])
}

/// Follows "Sign in with Microsoft" as a browser would: our start, Entra's authorise, our
/// callback. Ok with the session, or Err with the error code the sign-in page is sent.
async fn browser_sign_in(app: &TestApp, hint: &str) -> Result<As, String> {
    let start =
        app.get(&format!("/api/v1/auth/entra/start?organisation=tenant-a&login_hint={hint}"), &As::default()).await;
    assert_eq!(start.status, 303, "{start:?}");
    let to_entra = start.header("location").unwrap().to_owned();
    if to_entra.starts_with("/sign-in") {
        return Err(to_entra);
    }
    let state_cookie = start.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let back = app.client.get(&to_entra).send().await.unwrap();
    assert_eq!(back.status(), 302, "Entra redirects back");
    let callback = back.headers()["location"].to_str().unwrap().to_owned();
    assert!(callback.starts_with(&app.address), "{callback}");
    let done = app.client.get(&callback).header("Cookie", &state_cookie).send().await.unwrap();
    assert_eq!(done.status(), 303);
    let location = done.headers()["location"].to_str().unwrap().to_owned();
    if location != "/" {
        return Err(location);
    }
    let session = done
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .find(|c| c.starts_with("__Host-casedesk_session="))
        .expect("a session cookie");
    Ok(As { cookie: Some(session.split(';').next().unwrap().to_owned()), csrf: true })
}

async fn mint(tid: &str, user: &str, aud: &str, expires_in: i64, claims: Value) -> String {
    let body = json!({"tid": tid, "user": user, "aud": aud, "expires_in": expires_in, "claims": claims});
    let reply = reqwest::Client::new().post(format!("{}/test/mint", entra_mock())).json(&body).send().await.unwrap();
    reply.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
}

async fn with_bearer(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.client.request(method, format!("{}{path}", app.address)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn group(app: &TestApp, admin: &As, name: &str, grants: Value) -> Value {
    let created = app.post_json("/api/v1/groups", admin, json!({"name": name, "grants": grants})).await;
    assert_eq!(created.status, 201, "{created:?}");
    created.body["id"].clone()
}

async fn map(app: &TestApp, admin: &As, claim: &str, value: &str, group_id: &Value) -> Value {
    let body = json!({"claim": claim, "value": value, "group_id": group_id});
    let created = app.post_json("/api/v1/settings/entra/mappings", admin, body).await;
    assert_eq!(created.status, 201, "{created:?}");
    created.body["id"].clone()
}

fn level(me: &Value, area: &str) -> String {
    let permissions = me["permissions"].as_array().unwrap();
    permissions.iter().find(|p| p["area"] == area).unwrap()["level"].as_str().unwrap().to_owned()
}

async fn microsoft_sign_in_links_by_email_once_then_follows_the_object_id(app: TestApp) {
    let admin = app.admin_a().await;
    configure(&app, &admin).await;
    let name = login("linda");
    let email = format!("{name}@contoso.test");
    let local = app
        .post_json(
            "/api/v1/users",
            &admin,
            json!({"email": email, "display_name": "Linda Local", "password": PASSWORD}),
        )
        .await;
    assert_eq!(local.status, 201, "{local:?}");
    person(&name, &email, &[], &[], false).await;

    let linda = browser_sign_in(&app, &name).await.expect("signed in");
    let me = app.get("/api/v1/me", &linda).await;
    assert_eq!(me.body["user"]["id"], local.body["id"], "linked to the existing user by email");
    assert_eq!(me.body["user"]["display_name"], format!("{name} Person"), "name kept current");

    // The directory changes her address: still the same user (found by object id); the email
    // stays, as it is also her password sign-in's name.
    let moved = format!("{name}.moved@contoso.test");
    person(&name, &moved, &[], &[], false).await;
    let again = browser_sign_in(&app, &name).await.expect("signed in again");
    let me = app.get("/api/v1/me", &again).await;
    assert_eq!(me.body["user"]["id"], local.body["id"]);
    assert_eq!(me.body["user"]["email"], email);

    // Someone the directory brought (no password here): their email follows the directory.
    let nora = login("nora");
    person(&nora, &format!("{nora}@contoso.test"), &[], &[], false).await;
    let first = app.get("/api/v1/me", &browser_sign_in(&app, &nora).await.expect("signed in")).await;
    let nora_moved = format!("{nora}.moved@contoso.test");
    person(&nora, &nora_moved, &[], &[], false).await;
    let later = app.get("/api/v1/me", &browser_sign_in(&app, &nora).await.expect("signed in")).await;
    assert_eq!(later.body["user"]["id"], first.body["user"]["id"]);
    assert_eq!(later.body["user"]["email"], nora_moved);

    // Someone else in the directory claiming Linda's address gets a user of their own.
    let other = login("mallory");
    person(&other, &email, &[], &[], false).await;
    let mallory = browser_sign_in(&app, &other).await.expect("signed in");
    let theirs = app.get("/api/v1/me", &mallory).await;
    assert_ne!(theirs.body["user"]["id"], local.body["id"], "never linked by email a second time");
    assert_eq!(level(&theirs.body, "queries"), "none", "a new user with no mapping holds nothing");

    // An address the directory does not vouch for (no xms_edov) links nobody.
    let uma = login("uma");
    let uma_email = format!("{uma}@contoso.test");
    let uma_local = app
        .post_json(
            "/api/v1/users",
            &admin,
            json!({"email": uma_email, "display_name": "Uma Local", "password": PASSWORD}),
        )
        .await;
    let body = json!({"login": uma, "name": "Uma", "email": uma_email, "email_verified": false});
    reqwest::Client::new().post(format!("{}/test/users", entra_mock())).json(&body).send().await.unwrap();
    let unvouched = app.get("/api/v1/me", &browser_sign_in(&app, &uma).await.expect("signed in")).await;
    assert_ne!(unvouched.body["user"]["id"], uma_local.body["id"]);

    let actions = app.audit_actions().await;
    for action in ["entra.settings_updated", "user.entra_linked", "user.entra_profile_updated", "session.started"] {
        assert!(actions.contains(&action.to_owned()), "{action} audited: {actions:?}");
    }
}

async fn mapped_groups_and_roles_follow_the_directory_at_every_sign_in(app: TestApp) {
    let admin = app.admin_a().await;
    configure(&app, &admin).await;
    let readers = group(
        &app,
        &admin,
        "Readers",
        json!([{"area": "queries", "level": "read"}, {"area": "customers", "level": "read"}]),
    )
    .await;
    let writers = group(
        &app,
        &admin,
        "Writers",
        json!([{"area": "queries", "level": "read_write"}, {"area": "customers", "level": "read_write"}]),
    )
    .await;
    let hand_given = group(&app, &admin, "Hand-given", json!([{"area": "reports", "level": "read"}])).await;
    let directory_group = Uuid::new_v4().to_string();
    map(&app, &admin, "group", &directory_group, &readers).await;

    let name = login("rita");
    let email = format!("{name}@contoso.test");
    person(&name, &email, &[&directory_group], &[], false).await;
    let rita = browser_sign_in(&app, &name).await.expect("signed in");
    let me = app.get("/api/v1/me", &rita).await.body;
    assert_eq!(level(&me, "queries"), "read");
    let customer = json!({"given_name": "Cy", "family_name": "Stomer", "address": {"lines": ["1 High St"], "postcode": "BS1 6PN"}});
    app.post_json("/api/v1/customers", &rita, customer.clone()).await.assert_problem(403, "forbidden");

    // An administrator also gives her a group by hand (keeping the mapped one ticked, as the user
    // page does); sign-ins must leave the hand-given one alone.
    let user = me["user"].clone();
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let current = app.get(&path, &admin).await;
    let etag = current.header("etag").unwrap().to_owned();
    let change = json!({"display_name": user["display_name"], "status": "active", "group_ids": [readers, hand_given]});
    let changed = app.send_if_match(Method::PUT, &path, &admin, Some(&etag), change).await;
    assert_eq!(changed.status, 200, "{changed:?}");

    // The mapping changes: the role she has now confers Writers. At her next sign-in she can edit.
    map(&app, &admin, "role", "Case.Write", &writers).await;
    person(&name, &email, &[&directory_group], &["Case.Write"], false).await;
    let rita = browser_sign_in(&app, &name).await.expect("signed in");
    let me = app.get("/api/v1/me", &rita).await.body;
    assert_eq!(level(&me, "queries"), "read_write");
    assert_eq!(app.post_json("/api/v1/customers", &rita, customer).await.status, 201);

    // Out of the directory group and the role: both mapped memberships go, the hand-given stays.
    person(&name, &email, &[], &[], false).await;
    let rita = browser_sign_in(&app, &name).await.expect("signed in");
    let me = app.get("/api/v1/me", &rita).await.body;
    assert_eq!(level(&me, "queries"), "none", "Readers and Writers came from the directory");
    let access = app.get(&format!("{path}/access"), &admin).await;
    assert_eq!(level(&me, "reports"), "read", "the hand-given group stays: {access:?}");
    let access = app.get(&format!("{path}/access"), &admin).await;
    assert_eq!(access.status, 200, "{access:?}");
    let groups = access.body["group_ids"].as_array().unwrap().clone();
    assert_eq!(groups, [hand_given], "only the hand-given group is left");
    let _ = readers;

    let actions = app.audit_actions().await;
    for action in ["entra.mapping_added", "user.entra_groups_refreshed"] {
        assert!(actions.contains(&action.to_owned()), "{action} audited: {actions:?}");
    }
}

async fn group_overage_is_resolved_through_graph(app: TestApp) {
    let admin = app.admin_a().await;
    configure(&app, &admin).await;
    let readers = group(&app, &admin, "Readers", json!([{"area": "queries", "level": "read"}])).await;
    let directory_group = Uuid::new_v4().to_string();
    map(&app, &admin, "group", &directory_group, &readers).await;
    let name = login("olga");
    person(&name, &format!("{name}@contoso.test"), &[&directory_group], &[], true).await;

    let olga = browser_sign_in(&app, &name).await.expect("signed in");
    assert_eq!(level(&app.get("/api/v1/me", &olga).await.body, "queries"), "read", "groups came from Graph");
}

async fn browser_sign_in_refusals_come_back_to_the_sign_in_page(app: TestApp) {
    // Tenant B has no Entra configuration.
    let start = app.get("/api/v1/auth/entra/start?organisation=tenant-b", &As::default()).await;
    assert_eq!(start.header("location"), Some("/sign-in?error=entra_not_configured"));

    let admin = app.admin_a().await;
    configure(&app, &admin).await;
    let name = login("dora");
    person(&name, &format!("{name}@contoso.test"), &[], &[], false).await;
    let start =
        app.get(&format!("/api/v1/auth/entra/start?organisation=tenant-a&login_hint={name}"), &As::default()).await;
    let state_cookie = start.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let back = app.client.get(start.header("location").unwrap()).send().await.unwrap();
    let callback = back.headers()["location"].to_str().unwrap().to_owned();

    // Without the browser's state cookie (someone else's browser): refused.
    let planted = app.client.get(&callback).send().await.unwrap();
    assert_eq!(planted.headers()["location"], "/sign-in?error=sign_in_expired");
    // With it: signed in. The same code and state a second time: refused.
    let done = app.client.get(&callback).header("Cookie", &state_cookie).send().await.unwrap();
    assert_eq!(done.headers()["location"], "/");
    let replay = app.client.get(&callback).header("Cookie", &state_cookie).send().await.unwrap();
    assert_eq!(replay.headers()["location"], "/sign-in?error=sign_in_expired");
    // Entra said no (the person cancelled, say).
    let start = app.get("/api/v1/auth/entra/start?organisation=tenant-a", &As::default()).await;
    let state_cookie = start.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let state = state_cookie.split_once('=').unwrap().1;
    let denied = app
        .client
        .get(format!("{}/api/v1/auth/entra/callback?error=access_denied&state={state}", app.address))
        .header("Cookie", &state_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(denied.headers()["location"], "/sign-in?error=entra_refused");

    // A disabled user is refused.
    let me = app.get("/api/v1/users", &admin).await;
    let dora = me.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == format!("{name}@contoso.test"))
        .unwrap()
        .clone();
    let path = format!("/api/v1/users/{}", dora["id"].as_str().unwrap());
    let etag = app.get(&path, &admin).await.header("etag").unwrap().to_owned();
    let disable = json!({"display_name": dora["display_name"], "status": "disabled", "group_ids": []});
    assert_eq!(app.send_if_match(Method::PUT, &path, &admin, Some(&etag), disable).await.status, 200);
    assert_eq!(browser_sign_in(&app, &name).await.unwrap_err(), "/sign-in?error=account_disabled");
    assert!(app.audit_actions().await.contains(&"sign_in.failed".to_owned()));
}

async fn bearer_access_tokens_act_as_the_person_with_their_mapped_groups(app: TestApp) {
    let admin = app.admin_a().await;
    let (tid, audience) = configure(&app, &admin).await;
    let readers = group(
        &app,
        &admin,
        "Readers",
        json!([{"area": "queries", "level": "read"}, {"area": "customers", "level": "read"}]),
    )
    .await;
    map(&app, &admin, "role", "Case.Read", &readers).await;
    let name = login("ivan");
    person(&name, &format!("{name}@contoso.test"), &[], &["Case.Read"], false).await;

    let token = mint(&tid, &name, &audience, 600, json!({})).await;
    // An integrator's first requests arrive together: one user is made, and every request is let in.
    let first =
        futures_util::future::join_all((0..4).map(|_| with_bearer(&app, Method::GET, "/api/v1/me", &token, None)))
            .await;
    assert!(first.iter().all(|(status, _)| *status == 200), "{first:?}");
    assert!(first.iter().all(|(_, me)| me["user"]["id"] == first[0].1["user"]["id"]), "one user: {first:?}");
    let (status, me) = with_bearer(&app, Method::GET, "/api/v1/me", &token, None).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(level(&me, "queries"), "read");
    assert_eq!(with_bearer(&app, Method::GET, "/api/v1/queries", &token, None).await.0, 200);
    // `api://{app id}` is the same audience.
    let token_uri = mint(&tid, &name, &format!("api://{audience}"), 600, json!({})).await;
    assert_eq!(with_bearer(&app, Method::GET, "/api/v1/me", &token_uri, None).await.0, 200);
    // Read-only mapping: a write is refused, with no CSRF header needed to get that far.
    let customer = json!({"given_name": "Cy", "family_name": "Stomer", "address": {"lines": ["1 High St"], "postcode": "BS1 6PN"}});
    let (status, problem) = with_bearer(&app, Method::POST, "/api/v1/customers", &token, Some(customer)).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("forbidden")));
    // A bearer token is not a session: it cannot mint API tokens.
    let body = json!({"name": "x", "scopes": [], "expires_in_days": 1});
    assert_eq!(with_bearer(&app, Method::POST, "/api/v1/me/api-tokens", &token, Some(body)).await.0, 403);
}

async fn bearer_tokens_failing_any_check_are_refused_with_401(app: TestApp) {
    let admin = app.admin_a().await;
    let (tid, audience) = configure(&app, &admin).await;
    let name = login("eve");
    person(&name, &format!("{name}@contoso.test"), &[], &[], false).await;
    let good = mint(&tid, &name, &audience, 600, json!({})).await;
    assert_eq!(with_bearer(&app, Method::GET, "/api/v1/me", &good, None).await.0, 200);
    let parts: Vec<&str> = good.split('.').collect();

    // A claim changed after signing.
    let mut payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["roles"] = json!(["Case.Admin"]);
    let tampered = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(payload.to_string()), parts[2]);
    // `alg: none`, no signature.
    let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#), parts[1]);
    // HS256 with the directory's public key as the HMAC secret (the classic confusion attack).
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let jwks: Value =
        reqwest::get(format!("{}/{tid}/discovery/v2.0/keys", entra_mock())).await.unwrap().json().await.unwrap();
    let public_key = jwks["keys"][0].to_string();
    let mut hs_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs_header.kid = header["kid"].as_str().map(str::to_owned);
    let hs256 = jsonwebtoken::encode(
        &hs_header,
        &payload,
        &jsonwebtoken::EncodingKey::from_secret(public_key.as_bytes()).unwrap(),
    )
    .unwrap();

    let now = chrono::Utc::now().timestamp();
    let refusals = [
        ("bad signature", tampered),
        ("alg none", none),
        ("HS256 with the public key", hs256),
        ("wrong audience", mint(&tid, &name, &Uuid::new_v4().to_string(), 600, json!({})).await),
        ("wrong issuer", mint(&tid, &name, &audience, 600, json!({"iss": "https://evil.example/v2.0"})).await),
        ("expired", mint(&tid, &name, &audience, -600, json!({})).await),
        ("not yet valid", mint(&tid, &name, &audience, 3600, json!({"nbf": now + 900})).await),
        ("unknown tenant", mint(&Uuid::new_v4().to_string(), &name, &audience, 600, json!({})).await),
        ("an ID token", mint(&tid, &name, &audience, 600, json!({"nonce": "from-a-sign-in"})).await),
        ("no scp or roles", mint(&tid, &name, &audience, 600, json!({"scp": "", "roles": []})).await),
        ("not a JWT", "garbage".to_owned()),
    ];
    for (case, token) in refusals {
        let (status, problem) = with_bearer(&app, Method::GET, "/api/v1/me", &token, None).await;
        assert_eq!(status, 401, "{case}: {problem}");
        assert_eq!(problem["code"], "invalid_token", "{case}: {problem}");
    }
}

async fn a_rotated_signing_key_is_picked_up_without_restart(app: TestApp) {
    let admin = app.admin_a().await;
    let (tid, audience) = configure(&app, &admin).await;
    let name = login("kim");
    person(&name, &format!("{name}@contoso.test"), &[], &[], false).await;
    let before = mint(&tid, &name, &audience, 600, json!({})).await;
    assert_eq!(with_bearer(&app, Method::GET, "/api/v1/me", &before, None).await.0, 200, "keys now cached");

    let rotated = reqwest::Client::new()
        .post(format!("{}/test/rotate", entra_mock()))
        .json(&json!({"tid": tid}))
        .send()
        .await
        .unwrap();
    assert_eq!(rotated.status(), 200);
    // Refreshes on an unknown key are at most once a second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = mint(&tid, &name, &audience, 600, json!({})).await;
    let kid = |t: &str| jsonwebtoken::decode_header(t).unwrap().kid;
    assert_ne!(kid(&before), kid(&after), "signed with the new key");
    assert_eq!(with_bearer(&app, Method::GET, "/api/v1/me", &after, None).await.0, 200, "new key fetched");
    assert_eq!(with_bearer(&app, Method::GET, "/api/v1/me", &before, None).await.0, 200, "old key still published");
}

async fn entra_settings_are_validated_and_never_show_the_secret(app: TestApp) {
    let admin = app.admin_a().await;
    let empty = app.get("/api/v1/settings/entra", &admin).await;
    assert_eq!((empty.body["configured"].clone(), empty.header("etag")), (json!(false), Some("\"0\"")));
    let bad =
        json!({"directory_id": "not-a-guid", "client_id": "also not", "redirect_url": "ftp://x", "api_audience": ""});
    let refused = app.send_if_match(Method::PUT, "/api/v1/settings/entra", &admin, Some("\"0\""), bad).await;
    refused.assert_problem(422, "validation_failed");
    let mut fields = refused.fields();
    fields.sort();
    assert_eq!(fields, ["api_audience", "client_id", "client_secret", "directory_id", "redirect_url"]);

    let (tid, _) = configure(&app, &admin).await;
    let shown = app.get("/api/v1/settings/entra", &admin).await;
    assert_eq!(shown.body["client_secret_set"], true);
    // A first save sent after someone else's: the secret is not missing, the version is stale.
    let stale = json!({"directory_id": tid, "client_id": shown.body["client_id"], "api_audience": "api://x",
        "redirect_url": "https://casedesk.example/api/v1/auth/entra/callback"});
    let refused = app.send_if_match(Method::PUT, "/api/v1/settings/entra", &admin, Some("\"0\""), stale).await;
    refused.assert_problem(412, "precondition_failed");
    assert!(!shown.body.to_string().contains("a-client-secret"), "the secret never leaves");
    let audited = app.audit_entries().await;
    assert!(!format!("{audited:?}").contains("a-client-secret"), "nor goes in the audit trail");
    // Stored sealed under the tenant's key (and opened to sign in: the stand-in refuses a
    // sealed one, so every sign-in test shows it is opened).
    let sql = sqlx::AssertSqlSafe("SELECT client_secret FROM entra_settings".to_owned());
    let stored: Vec<String> = match &app.db {
        crate::helpers::Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        crate::helpers::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    };
    assert_eq!(stored.len(), 1);
    assert!(stored[0].starts_with("sealed:v1:1:") && !stored[0].contains("a-client-secret"), "{stored:?}");

    // Tenant B may not claim tenant A's directory.
    let admin_b = app.admin_b().await;
    let body = json!({"directory_id": tid, "client_id": Uuid::new_v4(), "client_secret": "s",
                      "redirect_url": "https://b.example/api/v1/auth/entra/callback", "api_audience": "api://b"});
    let taken = app.send_if_match(Method::PUT, "/api/v1/settings/entra", &admin_b, Some("\"0\""), body).await;
    taken.assert_problem(409, "conflict");
    assert_eq!(taken.fields(), ["directory_id"]);

    // A mapping to a group that does not exist, or a malformed group id.
    let body = json!({"claim": "group", "value": "nope", "group_id": Uuid::new_v4()});
    let bad_mapping = app.post_json("/api/v1/settings/entra/mappings", &admin, body).await;
    bad_mapping.assert_problem(422, "validation_failed");
    let mut fields = bad_mapping.fields();
    fields.sort();
    assert_eq!(fields, ["group_id", "value"]);
    let officer = app.officer_a("not-an-admin@example.org").await;
    app.get("/api/v1/settings/entra", &officer).await.assert_problem(403, "forbidden");
}

/// The client secret as stored.
async fn stored_secret(app: &TestApp) -> String {
    let sql = sqlx::AssertSqlSafe("SELECT client_secret FROM entra_settings".to_owned());
    match &app.db {
        crate::helpers::Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        crate::helpers::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

/// A client secret saved before sealing began (stored as given) is sealed when the server
/// starts, and signing in still opens it.
async fn a_secret_stored_as_given_is_sealed_at_start_and_still_signs_in(app: TestApp) {
    let admin = app.admin_a().await;
    configure(&app, &admin).await;
    app.execute("UPDATE entra_settings SET client_secret = 'a-client-secret'").await;
    assert_eq!(stored_secret(&app).await, "a-client-secret", "as an older release kept it");

    assert_eq!(server::secrets::seal_stored(app.store.as_ref(), &app.master_key).await.unwrap(), 1);
    let sealed = stored_secret(&app).await;
    assert!(sealed.starts_with("sealed:v1:1:") && !sealed.contains("a-client-secret"), "{sealed}");
    assert_eq!(server::secrets::seal_stored(app.store.as_ref(), &app.master_key).await.unwrap(), 0, "once");
    // The stand-in refuses a sealed secret: a sign-in shows it is opened again.
    let who = login("sealed");
    person(&who, &format!("{who}@example.org"), &[], &[], false).await;
    assert!(browser_sign_in(&app, &who).await.is_ok());
}
