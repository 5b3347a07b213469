//! Searchable letters (issue 16, item 6): each document's words, kept only as keyed terms
//! (`files::terms`), and the search that finds documents holding every word of a phrase.
//! Terms are written once a document's text has been read, and deleted with its key
//! (`DocumentRepo::delete_document`).

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt,
    documents::{COLUMNS, clean_document, delete_terms, document_of},
};
use crate::{DocumentTextRepo, StorageResult, TenantScope, records};
use async_trait::async_trait;
use domain::{
    DocumentId, Timestamp,
    customer::{CustomerName, display_name},
    document::{TextMatch, TextSearch},
    query::QueryReference,
};

/// Terms inserted per statement: four values each, well inside SQLite's 32,766 parameters.
const TERMS_PER_INSERT: usize = 1_000;

fn text_match(row: &impl SqlRow) -> StorageResult<TextMatch> {
    let document = document_of(row)?;
    let (reference, owner_title) = match row.opt_int("query_reference")? {
        Some(number) => {
            let number = u64::try_from(number).map_err(|_| records::corrupt("query reference"))?;
            (Some(QueryReference::new(number).to_string()), row.text("query_subject")?)
        }
        None => {
            let name = CustomerName {
                title: row.opt_text("customer_title")?,
                given_name: row.text("given_name")?,
                family_name: row.text("family_name")?,
                organisation: row.opt_text("organisation")?,
            };
            (None, display_name(&name))
        }
    };
    Ok(TextMatch { document, reference, owner_title })
}

#[async_trait]
impl<S: SqlBackend> DocumentTextRepo for S {
    async fn record_document_terms(
        &self,
        scope: &TenantScope,
        id: DocumentId,
        key_version: u32,
        terms: Vec<Vec<u8>>,
    ) -> StorageResult<bool> {
        let mut tx = self.write(scope.tenant_id).await?;
        if clean_document(&mut tx, scope, id).await?.is_none() {
            tx.commit().await?;
            return Ok(false);
        }
        delete_terms(&mut tx, scope, id).await?;
        let read = Stmt::new("UPDATE documents SET text_read_at = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .bind(Timestamp::now());
        tx.execute(read).await?;
        for chunk in terms.chunks(TERMS_PER_INSERT) {
            let mut insert = Stmt::new("");
            let (tenant, document) = (insert.push(scope.tenant_id.as_uuid()), insert.push(id.as_uuid()));
            let version = insert.push(i64::from(key_version));
            let rows: Vec<String> = chunk
                .iter()
                .map(|term| format!("({tenant}, {}, {document}, {version})", insert.push(term.clone())))
                .collect();
            insert.sql = format!(
                "INSERT INTO document_terms (tenant_id, term, document_id, key_version) VALUES {}
                 ON CONFLICT DO NOTHING",
                rows.join(", ")
            )
            .into();
            tx.execute(insert).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn find_in_documents(&self, scope: &TenantScope, search: &TextSearch) -> StorageResult<Vec<TextMatch>> {
        if search.words.is_empty() || !(search.of_queries || search.of_customers) {
            return Ok(Vec::new());
        }
        let mut tx = self.read(scope.tenant_id).await?;
        let counts = word_counts(&mut tx, scope, search).await?;
        let (rarest, fewest) = counts.iter().copied().enumerate().min_by_key(|(_, count)| *count).unwrap_or((0, 0));
        let mut rows = Vec::new();
        if fewest > i64::from(search.common_from) {
            rows = tx.fetch_all(matches(scope, search, Source::Newest)).await?;
        }
        // A walk of the newest documents that filled no page may have missed older matches.
        if rows.len() < search.limit as usize {
            rows = tx.fetch_all(matches(scope, search, Source::Word(rarest))).await?;
        }
        tx.commit().await?;
        rows.iter().map(text_match).collect()
    }
}

/// How many documents hold each word, counting no further than one past `common_from`.
async fn word_counts<C: SqlConn>(conn: &mut C, scope: &TenantScope, search: &TextSearch) -> StorageResult<Vec<i64>> {
    let mut stmt = Stmt::new("");
    let tenant = stmt.push(scope.tenant_id.as_uuid());
    let cap = stmt.push(i64::from(search.common_from) + 1);
    let counts: Vec<String> = search
        .words
        .iter()
        .enumerate()
        .map(|(i, terms)| {
            let terms = stmt.push_list(terms.iter().cloned());
            format!(
                "(SELECT count(*) FROM (SELECT 1 FROM document_terms WHERE tenant_id = {tenant} AND term IN ({terms})
                  LIMIT {cap}) w{i}) AS w{i}"
            )
        })
        .collect();
    stmt.sql = format!("SELECT {}", counts.join(", ")).into();
    let row = conn.fetch_one(stmt).await?;
    (0..search.words.len()).map(|i| row.int(&format!("w{i}"))).collect()
}

/// Where a search's candidate documents come from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// Every document holding this word (the rarest), each checked for the others.
    Word(usize),
    /// The newest stored documents, up to [`WALK`], each checked for every word until a page
    /// is found: quick when every word is common, since most documents then hold them all.
    Newest,
}

/// The most documents a walk of the newest looks at before the search reads the rarest word's.
const WALK: i64 = 20_000;

/// Whether document `id` holds the word whose terms are `terms` (one per key version): a lookup
/// per candidate, written as a subquery the planner runs per row rather than joins.
fn holds(stmt: &mut Stmt, tenant: &str, id: &str, terms: &[Vec<u8>]) -> String {
    let terms = stmt.push_list(terms.iter().cloned());
    format!(
        "(SELECT 1 FROM document_terms p WHERE p.tenant_id = {tenant} AND p.document_id = {id} AND p.term IN ({terms})
          LIMIT 1) IS NOT NULL"
    )
}

/// The page of documents found from `source` that the scope's viewer may see, newest first.
fn matches(scope: &TenantScope, search: &TextSearch, source: Source) -> Stmt {
    let mut stmt = Stmt::new("");
    let tenant = stmt.push(scope.tenant_id.as_uuid());
    let after = search.after.map(|after| stmt.push(after.as_uuid()));
    let candidates = match source {
        Source::Word(rarest) => {
            let terms = stmt.push_list(search.words[rarest].iter().cloned());
            let others: Vec<String> = (0..search.words.len())
                .filter(|i| *i != rarest)
                .map(|i| holds(&mut stmt, &tenant, "t.document_id", &search.words[i]))
                .collect();
            let others: String = others.iter().map(|held| format!(" AND {held}")).collect();
            // Grouped: one row per document whatever the key versions, and a fence that keeps
            // the planner from reading every document before this.
            format!(
                "SELECT t.document_id AS id FROM document_terms t WHERE t.tenant_id = {tenant} AND t.term IN ({terms}){others}
                 GROUP BY t.document_id"
            )
        }
        Source::Newest => {
            let walk = stmt.push(WALK);
            // A few more than the page, for those the viewer may not see; a page that still
            // comes up short is searched again the other way.
            let enough = stmt.push(i64::from(search.limit) * 4);
            let after = after.as_ref().map(|after| format!(" AND n.id < {after}")).unwrap_or_default();
            let every: Vec<String> =
                search.words.iter().map(|terms| holds(&mut stmt, &tenant, "w.id", terms)).collect();
            format!(
                "SELECT w.id FROM (SELECT n.id FROM documents n WHERE n.tenant_id = {tenant} AND n.wrapped_key IS NOT NULL
                   AND n.scan_state = 'clean'{after} ORDER BY n.id DESC LIMIT {walk}) w WHERE {}
                 ORDER BY w.id DESC LIMIT {enough}",
                every.join(" AND ")
            )
        }
    };
    let mut owners = Vec::new();
    if search.of_queries {
        let viewer = stmt.push(scope.viewer());
        let visible = crate::visibility::query_visible_to("q", &viewer, scope.own_teams_only);
        owners.push(format!("(d.query_id IS NOT NULL AND q.deleted_at IS NULL AND ({viewer} IS NULL OR {visible}))"));
    }
    if search.of_customers {
        owners.push("(d.customer_id IS NOT NULL AND c.deleted_at IS NULL AND c.merged_into IS NULL)".to_owned());
    }
    let after = after.map(|after| format!(" AND d.id < {after}")).unwrap_or_default();
    let limit = stmt.push(i64::from(search.limit));
    let columns: Vec<String> = COLUMNS.split(',').map(|column| format!("d.{}", column.trim())).collect();
    stmt.sql = format!(
        "SELECT {}, q.reference AS query_reference, q.subject AS query_subject, c.title AS customer_title,
                c.given_name, c.family_name, c.organisation
         FROM ({candidates}) found
         JOIN documents d ON d.tenant_id = {tenant} AND d.id = found.id
         LEFT JOIN queries q ON q.tenant_id = d.tenant_id AND q.id = d.query_id
         LEFT JOIN customers c ON c.tenant_id = d.tenant_id AND c.id = d.customer_id
         WHERE d.wrapped_key IS NOT NULL AND d.scan_state = 'clean' AND ({}){after}
         ORDER BY d.id DESC LIMIT {limit}",
        columns.join(", "),
        owners.join(" OR ")
    )
    .into();
    stmt
}
