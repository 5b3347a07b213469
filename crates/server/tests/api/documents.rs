//! Documents over HTTP (issue 16) against a real clamd on loopback and a local store: clean
//! files are kept sealed and come back byte for byte; infected ones (also inside a zip) are
//! refused, named and audited with nothing kept; a scanner that is down or silent refuses
//! every upload; a damaged blob is never sent; deleting destroys the key first.

use crate::{
    both_backends,
    helpers::{As, PASSWORD, RawBody, TestApp},
};

/// Parts of a test form are separated by this, which no test file contains.
const BOUNDARY: &str = "casedesk-test-boundary-7c1f";
const FORM: &str = "multipart/form-data; boundary=casedesk-test-boundary-7c1f";
use futures_util::TryStreamExt;
use object_store::{ObjectStoreExt, PutPayload, path::Path};
use reqwest::Method;
use serde_json::{Value, json};
use std::io::Write;

both_backends!(
    clean_files_are_kept_sealed_and_come_back_byte_for_byte,
    infected_files_are_refused_named_and_audited_with_nothing_kept,
    a_damaged_blob_is_never_sent,
    deleting_destroys_the_key_before_the_blob,
    documents_follow_the_areas_levels_and_the_records_visibility,
    renaming_needs_the_current_version_and_a_good_name,
    only_allowed_kinds_told_from_the_bytes_are_accepted,
    rotating_the_tenant_key_leaves_every_document_readable,
);
// The acceptance's store-dependent checks, with documents in Azure Blob Storage.
crate::on_azurite!(
    clean_files_are_kept_sealed_and_come_back_byte_for_byte,
    infected_files_are_refused_named_and_audited_with_nothing_kept,
    a_damaged_blob_is_never_sent,
    deleting_destroys_the_key_before_the_blob,
    rotating_the_tenant_key_leaves_every_document_readable,
);

/// The EICAR test string, which the test clamd's signatures find, put together here so that no
/// file in the repository is itself a test virus.
fn eicar() -> Vec<u8> {
    [r"X5O!P%@AP[4\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"].concat().into_bytes()
}

/// A one-page PDF whose text says a phrase.
pub use files::samples::pdf;

fn zip_of(name: &str, contents: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(name, options).unwrap();
    zip.write_all(contents).unwrap();
    zip.finish().unwrap().into_inner()
}

/// A `multipart/form-data` body with one `files` part per (name, bytes).
fn form(files: &[(&str, &[u8])]) -> RawBody {
    let mut bytes = Vec::new();
    for (name, contents) in files {
        bytes.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        bytes.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n").as_bytes(),
        );
        // What the browser claims is ignored: the kind is told from the bytes.
        bytes.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
        bytes.extend_from_slice(contents);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    RawBody { content_type: FORM, bytes }
}

/// A reply with its body as raw bytes.
pub struct Download {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
}

pub async fn upload(app: &TestApp, path: &str, who: &As, files: &[(&str, &[u8])]) -> crate::helpers::Reply {
    app.request(Method::POST, path, who, Some(form(files))).await
}

pub async fn download(app: &TestApp, path: &str, who: &As) -> Download {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header("Cookie", who.cookie.clone().unwrap_or_default())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
    Download { status, headers, bytes }
}

/// The blobs of the app's tenants in its store (Azurite is shared between tests).
async fn blobs(app: &TestApp) -> Vec<Path> {
    let mut out = Vec::new();
    for slug in ["tenant-a", "tenant-b"] {
        let tenant = app.store.tenant_by_slug(&domain::tenant::TenantSlug::parse("slug", slug).unwrap()).await;
        let prefix = Path::from(tenant.unwrap().unwrap().id.as_uuid().simple().to_string());
        let listed: Vec<Path> =
            app.blob_store.list(Some(&prefix)).map_ok(|meta| meta.location).try_collect().await.unwrap();
        out.extend(listed);
    }
    out
}

async fn read_blob(app: &TestApp, blob: &Path) -> Vec<u8> {
    app.blob_store.get(blob).await.unwrap().bytes().await.unwrap().to_vec()
}

async fn write_blob(app: &TestApp, blob: &Path, bytes: &[u8]) {
    app.blob_store.put(blob, PutPayload::from(bytes.to_vec())).await.unwrap();
}

pub async fn new_query(app: &TestApp, who: &As) -> String {
    let query = app.post_json("/api/v1/queries", who, json!({"channel": "post", "subject": "Letter"})).await;
    assert_eq!(query.status, 201, "{query:?}");
    query.body["id"].as_str().unwrap().to_owned()
}

async fn document_rows(app: &TestApp) -> i64 {
    let sql = sqlx::AssertSqlSafe("SELECT count(*) FROM documents".to_owned());
    match &app.db {
        crate::helpers::Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        crate::helpers::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

async fn clean_files_are_kept_sealed_and_come_back_byte_for_byte(app: TestApp) {
    let admin = app.admin_a().await;
    let query = new_query(&app, &admin).await;
    let letter = pdf("Complaint about the bins on Acacia Avenue");
    let note = b"Customer rang to say the letter is on its way.\n".repeat(3);
    let path = format!("/api/v1/queries/{query}/documents");
    let added = upload(&app, &path, &admin, &[("Café letter – 1.pdf", &letter), ("call notes.txt", &note)]).await;
    assert_eq!(added.status, 201, "{added:?}");
    let items = added.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (&items[0]["name"], &items[0]["content_type"], &items[0]["scan_status"], &items[0]["previewable"]),
        (&json!("Café letter – 1.pdf"), &json!("application/pdf"), &json!("clean"), &json!(true))
    );
    assert_eq!((&items[1]["content_type"], &items[1]["size_bytes"]), (&json!("text/plain"), &json!(note.len())));
    assert_eq!(items[0]["query_id"], query);

    let listed = app.get(&path, &admin).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2, "{listed:?}");

    // The bytes come back exactly, named for any browser, with their digest.
    let id = items[0]["id"].as_str().unwrap();
    let got = download(&app, &format!("/api/v1/documents/{id}/content"), &admin).await;
    assert_eq!(got.status, 200);
    assert!(got.bytes == letter, "the PDF comes back byte for byte");
    assert_eq!(got.header("content-type"), "application/pdf");
    assert_eq!(
        got.header("content-disposition"),
        "attachment; filename=\"Caf_ letter _ 1.pdf\"; filename*=UTF-8''Caf%C3%A9%20letter%20%E2%80%93%201.pdf"
    );
    use base64::Engine;
    use sha2::Digest;
    let digest = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&letter));
    assert_eq!(got.header("repr-digest"), format!("sha-256=:{digest}:"));
    let inline = download(&app, &format!("/api/v1/documents/{id}/content?disposition=inline"), &admin).await;
    assert!(inline.header("content-disposition").starts_with("inline;"), "a PDF can be shown in the page");
    let text_id = items[1]["id"].as_str().unwrap();
    let text = download(&app, &format!("/api/v1/documents/{text_id}/content?disposition=inline"), &admin).await;
    assert!(text.header("content-disposition").starts_with("attachment;"), "text is never shown inline");

    // The store holds ciphertext only, under names that say nothing of the documents.
    let stored = blobs(&app).await;
    assert_eq!(stored.len(), 2, "{stored:?}");
    for blob in &stored {
        let bytes = read_blob(&app, blob).await;
        for needle in [&b"Acacia Avenue"[..], b"%PDF", b"letter is on its way"] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{blob:?} holds plain text");
        }
        let name = blob.as_ref();
        assert!(!name.contains("letter") && !name.contains(id) && !name.contains(text_id), "{name}");
    }

    // On the query's timeline and in the audit trail.
    let timeline = app.get(&format!("/api/v1/queries/{query}/timeline"), &admin).await;
    let kinds: Vec<_> = timeline.body["items"].as_array().unwrap().iter().map(|e| e["kind"].clone()).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "document.added").count(), 2, "{kinds:?}");
    assert_eq!(app.audit_actions().await.iter().filter(|a| *a == "document.added").count(), 2);

    // A customer's documents too, on the customer's timeline.
    let customer =
        app.post_json("/api/v1/customers", &admin, json!({"given_name": "Ada", "family_name": "Lovelace"})).await;
    let customer_id = customer.body["id"].as_str().unwrap();
    let on_customer =
        upload(&app, &format!("/api/v1/customers/{customer_id}/documents"), &admin, &[("id.pdf", &letter)]).await;
    assert_eq!(on_customer.status, 201, "{on_customer:?}");
    assert_eq!(on_customer.body["items"][0]["customer_id"], customer_id);
    let timeline = app.get(&format!("/api/v1/customers/{customer_id}/timeline"), &admin).await;
    assert!(timeline.body["items"].as_array().unwrap().iter().any(|e| e["kind"] == "document.added"), "{timeline:?}");
}

async fn infected_files_are_refused_named_and_audited_with_nothing_kept(app: TestApp) {
    let admin = app.admin_a().await;
    let query = new_query(&app, &admin).await;
    let path = format!("/api/v1/queries/{query}/documents");
    let clean = pdf("A clean letter");
    type Files = Vec<(&'static str, Vec<u8>)>;
    let cases: [(&str, Files, &str); 3] = [
        ("alone", vec![("eicar.txt", eicar())], "files[0]"),
        ("inside a zip", vec![("evidence.zip", zip_of("eicar.com", &eicar()))], "files[0]"),
        ("after a clean file", vec![("clean.pdf", clean.clone()), ("eicar.txt", eicar())], "files[1]"),
    ];
    for (case, files, field) in cases {
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let refused = upload(&app, &path, &admin, &files).await;
        refused.assert_problem(422, "infected");
        assert!(refused.body["detail"].as_str().unwrap().contains("Eicar-Test-Signature"), "{case}: {refused:?}");
        assert_eq!(refused.fields(), [field], "{case}");
        assert_eq!(document_rows(&app).await, 0, "{case}: nothing recorded");
        assert_eq!(blobs(&app).await, [], "{case}: nothing left in the store");
    }
    let rejected = app.audit_actions().await.iter().filter(|a| *a == "document.rejected_infected").count();
    assert_eq!(rejected, 3, "each refusal is audited");
}

/// Uploads fail closed: a scanner that is not there, or that never answers, refuses them.
#[actix_web::test]
async fn uploads_are_refused_when_the_scanner_is_down_or_silent() {
    // Nothing listens on a port just released: a stopped clamd.
    let stopped = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    // One that accepts and never answers: a hung clamd.
    let hung = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hung_address = hung.local_addr().unwrap().to_string();
    for address in [stopped, hung_address] {
        let app = crate::helpers::spawn_app_with(crate::helpers::Backend::Sqlite, |settings| {
            settings.documents.scanner = files::Scanner::new(address.clone(), std::time::Duration::from_millis(500));
        })
        .await;
        let admin = app.admin_a().await;
        let query = new_query(&app, &admin).await;
        let path = format!("/api/v1/queries/{query}/documents");
        let refused = upload(&app, &path, &admin, &[("letter.pdf", &pdf("Unscanned"))]).await;
        refused.assert_problem(503, "scanner_unavailable");
        assert_eq!(document_rows(&app).await, 0, "{address}: nothing recorded");
        assert_eq!(blobs(&app).await, [], "{address}: nothing stored unscanned");
    }
    drop(hung);
}

async fn a_damaged_blob_is_never_sent(app: TestApp) {
    let admin = app.admin_a().await;
    let query = new_query(&app, &admin).await;
    // Three 64 KiB chunks and a bit.
    let text: Vec<u8> = (0..200_000u32).map(|i| b"abcdefghijklmnopqrstuvwxyz\n"[(i % 27) as usize]).collect();
    let added = upload(&app, &format!("/api/v1/queries/{query}/documents"), &admin, &[("long.txt", &text)]).await;
    assert_eq!(added.status, 201, "{added:?}");
    let path = format!("/api/v1/documents/{}/content", added.body["items"][0]["id"].as_str().unwrap());
    let [blob] = blobs(&app).await.try_into().unwrap();
    let original = read_blob(&app, &blob).await;
    // The header (format, chunk size, nonce prefix) is 15 bytes; each chunk 64 KiB and its tag.
    let (header, chunk) = (15, 64 * 1024 + 16);
    let mut flipped = original.clone();
    flipped[header + chunk + 100] ^= 1;
    let truncated = original[..header + 2 * chunk].to_vec();
    let mut swapped = original.clone();
    swapped[header..header + chunk].copy_from_slice(&original[header + chunk..header + 2 * chunk]);
    swapped[header + chunk..header + 2 * chunk].copy_from_slice(&original[header..header + chunk]);
    for (case, damaged) in [("a flipped byte", flipped), ("cut short", truncated), ("chunks swapped", swapped)] {
        write_blob(&app, &blob, &damaged).await;
        let got = download(&app, &path, &admin).await;
        assert_eq!(got.status, 500, "{case}");
        assert_eq!(got.json()["code"], "document_damaged", "{case}");
        assert!(!got.bytes.windows(10).any(|w| w == &text[..10]), "{case}: none of it is sent");
    }
    write_blob(&app, &blob, &original).await;
    assert!(download(&app, &path, &admin).await.bytes == text, "restored, it opens again");
    app.blob_store.delete(&blob).await.unwrap();
    let gone = download(&app, &path, &admin).await;
    assert_eq!((gone.status, gone.json()["code"].clone()), (500, json!("document_damaged")), "a missing blob");
}

async fn deleting_destroys_the_key_before_the_blob(app: TestApp) {
    let officer = app.officer_a("olive@example.org").await;
    let admin = app.admin_a().await;
    let query = new_query(&app, &admin).await;
    let added =
        upload(&app, &format!("/api/v1/queries/{query}/documents"), &officer, &[("sent in error.pdf", &pdf("x"))])
            .await;
    assert_eq!(added.status, 201, "{added:?}");
    let id = added.body["items"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/documents/{id}");
    let [blob] = blobs(&app).await.try_into().unwrap();
    let copy = read_blob(&app, &blob).await;
    let reason = json!({"reason": "Sent to us in error"});

    let refused = app.send_if_match(Method::DELETE, &path, &officer, Some("\"1\""), reason.clone()).await;
    refused.assert_problem(403, "forbidden");
    let missing = app.send_if_match(Method::DELETE, &path, &admin, None, reason.clone()).await;
    missing.assert_problem(428, "precondition_required");
    let no_reason = app.send_if_match(Method::DELETE, &path, &admin, Some("\"1\""), json!({"reason": " "})).await;
    no_reason.assert_problem(422, "validation_failed");
    assert_eq!(no_reason.fields(), ["reason"]);
    let deleted = app.send_if_match(Method::DELETE, &path, &admin, Some("\"1\""), reason).await;
    assert_eq!(deleted.status, 204, "{deleted:?}");

    // The key is gone; a copy of the blob put back cannot be opened.
    let sql = "SELECT count(*) FROM documents WHERE wrapped_key IS NOT NULL OR deleted_at IS NULL";
    let keyed: i64 = match &app.db {
        crate::helpers::Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        crate::helpers::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    };
    assert_eq!(keyed, 0, "the deleted document's key is destroyed");
    assert_eq!(blobs(&app).await, [], "its blob is removed");
    write_blob(&app, &blob, &copy).await;
    assert_eq!(download(&app, &format!("{path}/content"), &admin).await.status, 404);
    assert_eq!(app.get(&path, &admin).await.status, 404);
    let listed = app.get(&format!("/api/v1/queries/{query}/documents"), &admin).await;
    assert_eq!(listed.body["items"], json!([]));
    assert!(app.audit_actions().await.contains(&"document.deleted".to_owned()));
    let timeline = app.get(&format!("/api/v1/queries/{query}/timeline"), &admin).await;
    let last = timeline.body["items"].as_array().unwrap().last().cloned().unwrap();
    assert_eq!(
        (&last["kind"], &last["details"]["reason"]),
        (&json!("document.deleted"), &json!("Sent to us in error"))
    );
}

async fn documents_follow_the_areas_levels_and_the_records_visibility(app: TestApp) {
    let admin = app.admin_a().await;
    let query = new_query(&app, &admin).await;
    let path = format!("/api/v1/queries/{query}/documents");
    let added = upload(&app, &path, &admin, &[("letter.pdf", &pdf("Private"))]).await;
    let content = format!("/api/v1/documents/{}/content", added.body["items"][0]["id"].as_str().unwrap());

    // Queries without documents: the query, not its documents.
    let user = |email: &str| json!({"email": email, "display_name": "Rea Der", "password": PASSWORD});
    let created = app.post_json("/api/v1/users", &admin, user("rea@example.org")).await;
    let grants = json!([{"area": "queries", "level": "read"}]);
    let group = json!({"name": "Query readers", "grants": grants, "member_ids": [created.body["id"]]});
    assert_eq!(app.post_json("/api/v1/groups", &admin, group).await.status, 201);
    let reader = app.sign_in("tenant-a", "rea@example.org", PASSWORD).await;
    assert_eq!(app.get(&format!("/api/v1/queries/{query}"), &reader).await.status, 200);
    app.get(&path, &reader).await.assert_problem(403, "forbidden");
    assert_eq!(download(&app, &content, &reader).await.status, 403);

    // Documents read: may download, not upload.
    let created = app.post_json("/api/v1/users", &admin, user("dora@example.org")).await;
    let grants = json!([{"area": "queries", "level": "read"}, {"area": "documents", "level": "read"}]);
    let group = json!({"name": "Document readers", "grants": grants, "member_ids": [created.body["id"]]});
    assert_eq!(app.post_json("/api/v1/groups", &admin, group).await.status, 201);
    let dora = app.sign_in("tenant-a", "dora@example.org", PASSWORD).await;
    assert_eq!(download(&app, &content, &dora).await.status, 200);
    upload(&app, &path, &dora, &[("more.pdf", &pdf("More"))]).await.assert_problem(403, "forbidden");

    // A restricted query's documents are as hidden as the query.
    let restriction = format!("/api/v1/queries/{query}/restriction");
    let current = app.get(&restriction, &admin).await;
    let etag = current.header("etag").unwrap().to_owned();
    let groups = app.get("/api/v1/groups", &admin).await;
    let admins = groups.body["items"].as_array().unwrap().iter().find(|g| g["name"] == "Administrators").unwrap();
    let only_admins = json!({"group_ids": [admins["id"]]});
    let restricted = app.send_if_match(Method::PUT, &restriction, &admin, Some(&etag), only_admins).await;
    assert_eq!(restricted.status, 200, "{restricted:?}");
    app.get(&path, &dora).await.assert_problem(404, "not_found");
    assert_eq!(download(&app, &content, &dora).await.status, 404);

    // Another tenant sees nothing.
    let other = app.admin_b().await;
    app.get(&path, &other).await.assert_problem(404, "not_found");
    assert_eq!(download(&app, &content, &other).await.status, 404);
    upload(&app, &path, &other, &[("x.pdf", &pdf("x"))]).await.assert_problem(404, "not_found");
    assert_eq!(document_rows(&app).await, 1);
}

async fn renaming_needs_the_current_version_and_a_good_name(app: TestApp) {
    let admin = app.admin_a().await;
    let query = new_query(&app, &admin).await;
    let added =
        upload(&app, &format!("/api/v1/queries/{query}/documents"), &admin, &[("scan001.pdf", &pdf("x"))]).await;
    let path = format!("/api/v1/documents/{}", added.body["items"][0]["id"].as_str().unwrap());
    let read = app.get(&path, &admin).await;
    assert_eq!((read.status.as_u16(), read.header("etag")), (200, Some("\"1\"")));
    let bad = app.send_if_match(Method::PUT, &path, &admin, Some("\"1\""), json!({"name": "a\nb.pdf"})).await;
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.fields(), ["name"]);
    let renamed = app
        .send_if_match(Method::PUT, &path, &admin, Some("\"1\""), json!({"name": "Letter from Mrs Patel.pdf"}))
        .await;
    assert_eq!((renamed.status.as_u16(), renamed.header("etag")), (200, Some("\"2\"")), "{renamed:?}");
    assert_eq!(renamed.body["name"], "Letter from Mrs Patel.pdf");
    let stale = app.send_if_match(Method::PUT, &path, &admin, Some("\"1\""), json!({"name": "Other.pdf"})).await;
    stale.assert_problem(412, "precondition_failed");
    let got = download(&app, &format!("{path}/content"), &admin).await;
    assert!(got.header("content-disposition").contains("Letter from Mrs Patel.pdf"));
    assert!(app.audit_actions().await.contains(&"document.renamed".to_owned()));
}

async fn only_allowed_kinds_told_from_the_bytes_are_accepted(app: TestApp) {
    let admin = app.admin_a().await;
    let query = new_query(&app, &admin).await;
    let path = format!("/api/v1/queries/{query}/documents");
    let program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".repeat(8);
    let refused = upload(&app, &path, &admin, &[("letter.pdf", &program)]).await;
    refused.assert_problem(415, "unsupported_file_type");
    assert_eq!(refused.fields(), ["files[0]"]);
    upload(&app, &path, &admin, &[("empty.pdf", b"")]).await.assert_problem(422, "validation_failed");
    upload(&app, &path, &admin, &[]).await.assert_problem(422, "validation_failed");
    // A PNG named .txt is a PNG.
    let png =
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
    let added = upload(&app, &path, &admin, &[("photo.txt", png)]).await;
    assert_eq!((added.status.as_u16(), &added.body["items"][0]["content_type"]), (201, &json!("image/png")));
    assert_eq!(document_rows(&app).await, 1);
}

async fn key_versions(app: &TestApp) -> Vec<i64> {
    let sql = sqlx::AssertSqlSafe(
        "SELECT CAST(key_version AS BIGINT) FROM documents WHERE wrapped_key IS NOT NULL ORDER BY id".to_owned(),
    );
    match &app.db {
        crate::helpers::Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        crate::helpers::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}

async fn rotating_the_tenant_key_leaves_every_document_readable(app: TestApp) {
    use server::documents::rotation::{Rotated, RotationError, rotate};
    let admin = app.admin_a().await;
    let query = new_query(&app, &admin).await;
    let path = format!("/api/v1/queries/{query}/documents");
    let long: Vec<u8> = (0..150_000u32).map(|i| b"0123456789\n"[(i % 11) as usize]).collect();
    let letter = pdf("Rotate me");
    let added =
        upload(&app, &path, &admin, &[("long.txt", &long), ("letter.pdf", &letter), ("gone.pdf", &letter)]).await;
    assert_eq!(added.status, 201, "{added:?}");
    let ids: Vec<String> =
        added.body["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect();
    let gone = format!("/api/v1/documents/{}", ids[2]);
    let deleted = app.send_if_match(Method::DELETE, &gone, &admin, Some("\"1\""), json!({"reason": "Duplicate"})).await;
    assert_eq!(deleted.status, 204);
    let mut blobs_before = Vec::new();
    for blob in blobs(&app).await {
        blobs_before.push(read_blob(&app, &blob).await);
    }

    let tenant = app.store.tenant_by_slug(&domain::tenant::TenantSlug::parse("slug", "tenant-a").unwrap()).await;
    let scope = storage::TenantScope::system(tenant.unwrap().unwrap().id);
    let wrong = rotate(app.store.as_ref(), &files::MasterKey::generate(), &scope).await;
    assert!(matches!(wrong, Err(RotationError::Key(_))), "{wrong:?}");
    assert_eq!(key_versions(&app).await, [1, 1], "a wrong master key changes nothing");

    let rotated = rotate(app.store.as_ref(), &app.master_key, &scope).await.unwrap();
    assert_eq!(rotated, Some(Rotated { version: 2, rewrapped: 2 }), "the deleted document's key is not brought back");
    assert_eq!(key_versions(&app).await, [2, 2]);
    let again = rotate(app.store.as_ref(), &app.master_key, &scope).await.unwrap();
    assert_eq!(again, Some(Rotated { version: 3, rewrapped: 2 }));
    // A tenant with no key yet is left alone: no key is made outside the server.
    let other = app.store.tenant_by_slug(&domain::tenant::TenantSlug::parse("slug", "tenant-b").unwrap()).await;
    let other = storage::TenantScope::system(other.unwrap().unwrap().id);
    assert_eq!(rotate(app.store.as_ref(), &app.master_key, &other).await.unwrap(), None);
    assert_eq!(app.store.tenant_key(&other, None).await.unwrap(), None);
    let mut blobs_after = Vec::new();
    for blob in blobs(&app).await {
        blobs_after.push(read_blob(&app, &blob).await);
    }
    assert!(blobs_after == blobs_before, "no document is encrypted again");
    for (id, expected) in ids.iter().zip([&long, &letter]) {
        let got = download(&app, &format!("/api/v1/documents/{id}/content"), &admin).await;
        assert!(got.status == 200 && &got.bytes == expected, "{id} reads after rotation");
    }
    // New documents use the newest key.
    assert_eq!(upload(&app, &path, &admin, &[("new.pdf", &letter)]).await.status, 201);
    assert_eq!(key_versions(&app).await.iter().filter(|v| **v == 3).count(), 3);
    assert!(app.audit_actions().await.contains(&"tenant_key.rotated".to_owned()));
}
