//! The permission matrix (FR-014, SEC-08): `docs/permissions.md` lists every operation with
//! the area and least level it needs (or `public` / `signed-in`). This test fails when the
//! table and `openapi/openapi.json` disagree about which operations exist, and calls every
//! operation as users holding each level, checking that each is allowed exactly when the
//! table says: a user who lacks the level gets 403 `forbidden`, one who holds it gets an answer
//! the operation documents other than 401, 403 or a server error (it may still be 404 or 412:
//! what matters is that the gate opened, and that nothing broke behind it).

use crate::{
    both_backends,
    every_operation::{World, case, concrete, world},
    helpers::{As, PASSWORD, TestApp},
};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

both_backends!(every_operation_is_allowed_exactly_at_its_level);

const AREAS: [&str; 7] =
    ["customers", "queries", "documents", "correspondence", "reports", "feedback", "administration"];
const LEVELS: [&str; 4] = ["none", "read", "read_write", "full"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    Public,
    SignedIn,
    /// An area and the least level (an index into `LEVELS`).
    Needs(String, usize),
}

#[derive(Debug)]
struct Row {
    operation: String,
    method: String,
    path: String,
    rule: Rule,
}

fn table() -> Vec<Row> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/permissions.md")).unwrap();
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| Operation")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [operation, method, path, area, level] = cells[..] else { panic!("a row needs five cells: {line}") };
        let rule = match (area, level) {
            ("public", "") => Rule::Public,
            ("signed-in", "") => Rule::SignedIn,
            (area, level) => {
                assert!(AREAS.contains(&area), "unknown area in {line}");
                let level = LEVELS.iter().position(|l| *l == level).unwrap_or_else(|| panic!("bad level in {line}"));
                assert!(level > 0, "an operation that needs `none` is public: {line}");
                Rule::Needs(area.to_owned(), level)
            }
        };
        rows.push(Row { operation: operation.into(), method: method.to_lowercase(), path: path.into(), rule });
    }
    rows
}

fn document() -> Value {
    let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json")).unwrap();
    serde_json::from_str(&file).unwrap()
}

/// The statuses the document lists for one operation.
fn documented(doc: &Value, method: &str, path: &str) -> BTreeSet<u16> {
    let responses = doc["paths"][path][method]["responses"].as_object();
    responses.into_iter().flatten().filter_map(|(status, _)| status.parse().ok()).collect()
}

fn operations() -> BTreeSet<(String, String, String)> {
    let doc = document();
    let mut found = BTreeSet::new();
    for (path, methods) in doc["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap().to_owned();
            found.insert((id, method.clone(), path.clone()));
        }
    }
    found
}

#[test]
fn the_table_lists_exactly_the_documented_operations() {
    let listed: BTreeSet<_> = table().into_iter().map(|r| (r.operation, r.method, r.path)).collect();
    let documented = operations();
    let missing: Vec<_> = documented.difference(&listed).collect();
    assert!(missing.is_empty(), "operations missing from docs/permissions.md: {missing:?}");
    let stale: Vec<_> = listed.difference(&documented).collect();
    assert!(stale.is_empty(), "docs/permissions.md lists operations the API does not have: {stale:?}");
}

/// A signed-in user and their level in each area.
struct Holder {
    who: As,
    levels: [usize; 7],
    name: String,
}

impl Holder {
    fn may(&self, rule: &Rule) -> bool {
        match rule {
            Rule::Public | Rule::SignedIn => true,
            Rule::Needs(area, least) => {
                let index = AREAS.iter().position(|a| a == area).unwrap();
                self.levels[index] >= *least
            }
        }
    }
}

/// One user per uniform level (every area at that level), and one per area holding `full`
/// everywhere except that area: so a handler that checks the wrong level or the wrong area
/// fails.
async fn holders(app: &TestApp, admin: &As) -> Vec<Holder> {
    let mut specs: Vec<(String, [usize; 7])> =
        LEVELS.iter().enumerate().map(|(i, l)| (format!("all {l}"), [i; 7])).collect();
    for (index, area) in AREAS.iter().enumerate() {
        let mut levels = [3; 7];
        levels[index] = 0;
        specs.push((format!("no {area}"), levels));
    }
    let mut holders = Vec::new();
    for (n, (name, levels)) in specs.into_iter().enumerate() {
        let grants: Vec<Value> = AREAS
            .iter()
            .zip(levels)
            .filter(|(_, level)| *level > 0)
            .map(|(area, level)| json!({"area": area, "level": LEVELS[level]}))
            .collect();
        let group =
            app.post_json("/api/v1/groups", admin, json!({"name": format!("Matrix {name}"), "grants": grants})).await;
        assert_eq!(group.status, 201, "{group:?}");
        let email = format!("holder{n}@example.org");
        let user = json!({"email": email, "display_name": name, "password": PASSWORD, "group_ids": [group.body["id"]]});
        assert_eq!(app.post_json("/api/v1/users", admin, user).await.status, 201);
        holders.push(Holder { who: app.sign_in("tenant-a", &email, PASSWORD).await, levels, name });
    }
    holders
}

/// Refusals that come from `domain::authority` after the permission gate has opened.
const OUTRANKED: [&str; 3] = ["outranks_you", "group_outranks_you", "break_glass_needs_full_administration"];
/// Stands for a 403 from one of `OUTRANKED`: the gate opened, a rule about the target refused.
const OPENED_THEN_OUTRANKED: u16 = 299;

/// The status of one call; a stream's body is not read (it stays open).
async fn status_of(app: &TestApp, row: &Row, w: &World, who: &As) -> u16 {
    let method = Method::from_bytes(row.method.to_uppercase().as_bytes()).unwrap();
    let body = case(&row.method, &row.path, w).and_then(|c| c.body).unwrap_or(json!({}));
    let path = concrete(&row.path, w);
    if row.operation == "notification_stream" {
        let mut request = app.client.get(format!("{}{path}", app.address));
        if let Some(cookie) = &who.cookie {
            request = request.header("Cookie", cookie);
        }
        return request.send().await.unwrap().status().as_u16();
    }
    let reply = app.send_if_match(method, &path, who, Some("\"1\""), body).await;
    // Past the gate, a rule about the target (it outranks the caller) may still refuse: the
    // level was enough, so this counts as the gate opening, like a 404 or 412 would.
    if reply.status == 403 && OUTRANKED.contains(&reply.body["code"].as_str().unwrap_or_default()) {
        return OPENED_THEN_OUTRANKED;
    }
    if reply.status == 403 {
        reply.assert_problem(403, "forbidden");
    }
    reply.status.as_u16()
}

async fn every_operation_is_allowed_exactly_at_its_level(app: TestApp) {
    let officer = app.officer_a("colleague@example.org").await;
    let admin = app.admin_a().await;
    let w = world(&app, &admin, &officer).await;
    let holders = holders(&app, &admin).await;
    let rows = table();
    assert!(rows.len() >= 50, "the table lists only {} operations", rows.len());
    let doc = document();
    let mut checked = 0;
    // Signing out ends the caller's session, so it goes last.
    let (last, first): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.operation == "sign_out");
    for row in first.into_iter().chain(last) {
        let what = format!("{} ({} {})", row.operation, row.method, row.path);
        for holder in &holders {
            let status = status_of(&app, row, &w, &holder.who).await;
            if holder.may(&row.rule) {
                let refused = status == 403 || (status == 401 && row.operation != "sign_in");
                assert!(!refused, "{what}: a user with {} was refused with {status}", holder.name);
                let answers = documented(&doc, &row.method, &row.path);
                let expected = status == OPENED_THEN_OUTRANKED || (status < 500 && answers.contains(&status));
                assert!(expected, "{what}: a user with {} got {status}, not one of {answers:?}", holder.name);
            } else {
                assert_eq!(status, 403, "{what}: a user with {} was let through", holder.name);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, rows.len() * holders.len(), "every operation at every level");
}
