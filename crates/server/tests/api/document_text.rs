//! Searchable letters over HTTP (issue 16, item 6): a scanned letter, a picture of typed text
//! with no text layer, is read by OCR in the background after its upload, and found by a phrase
//! in it; not by someone without documents read, nor when its query is hidden from them, nor in
//! another tenant; and once deleted its terms are gone with its key.

use crate::{
    both_backends,
    documents::{new_query, pdf, upload},
    helpers::{As, PASSWORD, TestApp},
};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

both_backends!(a_scanned_letter_is_found_by_a_phrase_in_it_by_those_who_may_read_it);

const PHRASE: &str = "Complaint about the bins on Acacia Avenue";

fn search_path(words: &str) -> String {
    format!("/api/v1/documents?q={}", url_escape(words))
}

fn url_escape(words: &str) -> String {
    words.replace(' ', "+").replace(',', "%2C").replace('!', "%21")
}

/// The documents found for `words`, once the background reading has had time: OCR of a page
/// takes a few seconds on a busy machine.
async fn found_after_reading(app: &TestApp, who: &As, words: &str) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let reply = app.get(&search_path(words), who).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        let items = reply.body["items"].as_array().cloned().unwrap_or_default();
        if !items.is_empty() || started.elapsed() > Duration::from_secs(120) {
            return items;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn term_rows(app: &TestApp) -> i64 {
    let sql = sqlx::AssertSqlSafe("SELECT count(*) FROM document_terms".to_owned());
    match &app.db {
        crate::helpers::Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        crate::helpers::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

async fn member_of_new_group(app: &TestApp, admin: &As, email: &str, grants: Value) -> As {
    let user = json!({"email": email, "display_name": "Rea Der", "password": PASSWORD});
    let created = app.post_json("/api/v1/users", admin, user).await;
    let group = json!({"name": format!("Group of {email}"), "grants": grants, "member_ids": [created.body["id"]]});
    assert_eq!(app.post_json("/api/v1/groups", admin, group).await.status, 201);
    app.sign_in("tenant-a", email, PASSWORD).await
}

async fn a_scanned_letter_is_found_by_a_phrase_in_it_by_those_who_may_read_it(app: TestApp) {
    let admin = app.admin_a().await;
    let query = new_query(&app, &admin).await;
    let letter = files::samples::scanned_letter(PHRASE);
    let path = format!("/api/v1/queries/{query}/documents");
    let other = pdf("Nothing about refuse here");
    let added = upload(&app, &path, &admin, &[("scan-0042.pdf", &letter), ("other.pdf", &other)]).await;
    assert_eq!(added.status, 201, "{added:?}");
    let id = added.body["items"][0]["id"].as_str().unwrap().to_owned();

    // Found by the phrase, whatever its case and punctuation, with its query.
    let found = found_after_reading(&app, &admin, "bins on ACACIA avenue!").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((&found[0]["document"]["id"], &found[0]["document"]["name"]), (&json!(id), &json!("scan-0042.pdf")));
    assert_eq!(found[0]["document"]["query_id"], json!(query));
    let reference = app.get(&format!("/api/v1/queries/{query}"), &admin).await.body["reference"].clone();
    assert_eq!((&found[0]["query_reference"], &found[0]["owner_title"]), (&reference, &json!("Letter")));
    // Every word must be there; common words are ignored.
    assert_eq!(app.get(&search_path("bins Acacia Crescent"), &admin).await.body["items"], json!([]));
    let typed = found_after_reading(&app, &admin, "the refuse").await;
    assert_eq!(typed[0]["document"]["name"], "other.pdf", "a typed PDF's text layer is read too");
    assert!(term_rows(&app).await >= 8, "terms are kept");

    // Queries without documents: refused. Documents read: found, until the query is restricted.
    let reader =
        member_of_new_group(&app, &admin, "rea@example.org", json!([{"area": "queries", "level": "read"}])).await;
    app.get(&search_path("Acacia"), &reader).await.assert_problem(403, "forbidden");
    let grants = json!([{"area": "queries", "level": "read"}, {"area": "documents", "level": "read"}]);
    let dora = member_of_new_group(&app, &admin, "dora@example.org", grants).await;
    assert_eq!(app.get(&search_path("Acacia bins"), &dora).await.body["items"].as_array().unwrap().len(), 1);
    let restriction = format!("/api/v1/queries/{query}/restriction");
    let etag = app.get(&restriction, &admin).await.header("etag").unwrap().to_owned();
    let groups = app.get("/api/v1/groups", &admin).await;
    let admins = groups.body["items"].as_array().unwrap().iter().find(|g| g["name"] == "Administrators").unwrap();
    let only_admins = json!({"group_ids": [admins["id"]]});
    assert_eq!(app.send_if_match(Method::PUT, &restriction, &admin, Some(&etag), only_admins).await.status, 200);
    assert_eq!(app.get(&search_path("Acacia bins"), &dora).await.body["items"], json!([]));
    assert_eq!(app.get(&search_path("Acacia bins"), &admin).await.body["items"].as_array().unwrap().len(), 1);
    // Another tenant finds nothing.
    let stranger = app.admin_b().await;
    assert_eq!(app.get(&search_path("Acacia bins"), &stranger).await.body["items"], json!([]));

    // Pages, newest first; without words nothing is found; bad searches are told apart.
    let first = app.get("/api/v1/documents?q=Acacia+bins&limit=1", &admin).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 1);
    assert!(first.body.get("next_cursor").is_none(), "one document matches: {first:?}");
    assert_eq!(app.get("/api/v1/documents?q=+the+,", &admin).await.body["items"], json!([]));
    let long = app.get(&format!("/api/v1/documents?q={}", "a".repeat(201)), &admin).await;
    long.assert_problem(422, "validation_failed");
    assert_eq!(long.fields(), ["q"]);
    assert_eq!(app.get("/api/v1/documents?q=Acacia&limit=0", &admin).await.fields(), ["limit"]);

    // Deleted: its terms go with its key.
    let before = term_rows(&app).await;
    let document = format!("/api/v1/documents/{id}");
    let reason = json!({"reason": "Sent in error"});
    assert_eq!(app.send_if_match(Method::DELETE, &document, &admin, Some("\"1\""), reason).await.status, 204);
    assert_eq!(app.get(&search_path("Acacia bins"), &admin).await.body["items"], json!([]));
    let after = term_rows(&app).await;
    assert!(after > 0 && after < before - 4, "the letter's terms are gone, the other's kept: {before} then {after}");
}
