//! Searchable letters: a document's terms are found only with every word, only by those who
//! see its record, only while it is stored and clean; recording them again replaces them.

use super::{DynStore, admin_scope, customers::details, documents::new_document, new_user, queries::new_query, tenant};
use crate::*;
use domain::{
    Timestamp,
    audit::Actor,
    document::{Owner, READ_TEXT_JOB, TextSearch},
    group::GroupDetails,
};

fn term(byte: u8) -> Vec<u8> {
    vec![byte; 16]
}

/// A search for the words whose terms are `v1` under key version 1 and `v2` under version 2.
fn search(v1: &[u8], v2: &[u8], of_customers: bool) -> TextSearch {
    TextSearch {
        words: v1.iter().zip(v2).map(|(a, b)| vec![term(*a), term(*b)]).collect(),
        of_queries: true,
        of_customers,
        after: None,
        limit: 10,
        common_from: domain::document::COMMON_FROM,
    }
}

pub async fn document_terms_find_every_word_for_those_who_see_the_record(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let insider = store.create_user(&scope, new_user("reader@example.org")).await.unwrap();
    let panel =
        GroupDetails { name: "Panel".into(), description: String::new(), grants: vec![], members: vec![insider.id] };
    let panel = store.create_group(&scope, panel).await.unwrap();
    store.add_tenant_key(&scope, 1, vec![1; 60]).await.unwrap();
    store.add_tenant_key(&scope, 2, vec![2; 60]).await.unwrap();
    let customer =
        store.create_customer(&scope, details("Tex", "Tual", "tex@example.org", "", "BS1 6PN")).await.unwrap();
    let open = store.create_query(&scope, new_query("Bins not collected", None)).await.unwrap();
    let secret = store.create_query(&scope, new_query("Complaint about an officer", None)).await.unwrap();
    let on = |owner| {
        let store = store.clone();
        async move { store.add_documents(&scope, owner, vec![new_document("letter.pdf", 1)]).await.unwrap().remove(0) }
    };
    let (letter, reply, complaint, proof) = (
        on(Owner::Query(open.id)).await,
        on(Owner::Query(open.id)).await,
        on(Owner::Query(secret.id)).await,
        on(Owner::Customer(customer.id)).await,
    );
    let secret = store.get_query(&scope, secret.id).await.unwrap().unwrap();
    store.restrict_query(&scope, secret.id, secret.version, vec![panel.id]).await.unwrap();

    // Each upload queued the reading of its text, keyed by the document.
    let jobs = store.tenant_jobs(&scope, None, 50).await.unwrap();
    for document in [&letter, &reply, &complaint, &proof] {
        assert!(jobs.iter().any(|j| j.kind == READ_TEXT_JOB && j.key == document.id.to_string()), "{jobs:?}");
    }

    assert!(store.record_document_terms(&scope, letter.id, 1, vec![term(1), term(2), term(3)]).await.unwrap());
    assert!(store.record_document_terms(&scope, reply.id, 2, vec![term(21)]).await.unwrap());
    assert!(store.record_document_terms(&scope, complaint.id, 1, vec![term(1), term(2)]).await.unwrap());
    assert!(store.record_document_terms(&scope, proof.id, 2, vec![term(21), term(22)]).await.unwrap());
    let names = |found: Vec<domain::document::TextMatch>| found.into_iter().map(|m| m.document.id).collect::<Vec<_>>();
    let system = TenantScope::system(admin.tenant_id);
    let as_user = |user: &domain::user::User| TenantScope::new(admin.tenant_id, Actor::User(user.id.as_uuid()));

    // Every word, under the key version each document's terms were made with; newest first.
    let found = store.find_in_documents(&system, &search(&[1, 2], &[21, 22], true)).await.unwrap();
    assert_eq!(names(found.clone()), [proof.id, complaint.id, letter.id]);
    assert_eq!(found[2].reference.as_deref(), Some(open.reference.to_string().as_str()));
    assert_eq!(found[2].owner_title, "Bins not collected");
    assert_eq!((found[0].reference.as_deref(), found[0].owner_title.as_str()), (None, "Tex Tual"));
    assert_eq!(
        names(store.find_in_documents(&system, &search(&[1, 2, 3], &[21, 22, 23], true)).await.unwrap()),
        [letter.id]
    );
    assert!(
        store.find_in_documents(&system, &search(&[1, 4], &[21, 24], true)).await.unwrap().is_empty(),
        "one missing"
    );
    // The restricted query's letter only for its group; customers' only when asked for.
    assert_eq!(names(store.find_in_documents(&scope, &search(&[1, 2], &[21, 22], false)).await.unwrap()), [letter.id]);
    assert_eq!(
        names(store.find_in_documents(&as_user(&insider), &search(&[1, 2], &[21, 22], false)).await.unwrap()),
        [complaint.id, letter.id]
    );
    let (_, other) = tenant(&store).await;
    assert!(store.find_in_documents(&admin_scope(&other), &search(&[1, 2], &[21, 22], true)).await.unwrap().is_empty());
    let first = TextSearch { limit: 1, ..search(&[1, 2], &[21, 22], true) };
    assert_eq!(names(store.find_in_documents(&system, &first).await.unwrap()), [proof.id]);
    let next = TextSearch { after: Some(complaint.id), ..search(&[1, 2], &[21, 22], true) };
    assert_eq!(names(store.find_in_documents(&system, &next).await.unwrap()), [letter.id]);

    // Every word common: the newest documents are walked instead, with the same answers.
    let walk = |v1: &[u8], v2: &[u8], after| TextSearch { common_from: 0, limit: 1, after, ..search(v1, v2, true) };
    let found = |scope, search| {
        let store = store.clone();
        async move { names(store.find_in_documents(&scope, &search).await.unwrap()) }
    };
    assert_eq!(found(system, walk(&[1, 2, 3], &[21, 22, 23], None)).await, [letter.id]);
    assert_eq!(found(system, walk(&[1, 2], &[21, 22], None)).await, [proof.id]);
    assert_eq!(found(system, walk(&[1, 2], &[21, 22], Some(proof.id))).await, [complaint.id]);
    assert_eq!(found(scope, TextSearch { of_customers: false, ..walk(&[1, 2], &[21, 22], None) }).await, [letter.id]);

    // Recording again replaces the terms (a document read again after a rotation).
    assert!(store.record_document_terms(&scope, letter.id, 2, vec![term(23)]).await.unwrap());
    assert_eq!(names(store.find_in_documents(&system, &search(&[3], &[23], false)).await.unwrap()), [letter.id]);
    assert!(
        store
            .find_in_documents(&system, &search(&[1], &[99], false))
            .await
            .unwrap()
            .iter()
            .all(|m| m.document.id != letter.id)
    );

    // Quarantined or deleted: never found, and nothing more is recorded for it.
    store.record_rescan(&system, proof.id, Timestamp::now(), Some("Test.Sig-1".into())).await.unwrap();
    assert!(store.find_in_documents(&system, &search(&[99], &[22], true)).await.unwrap().is_empty());
    assert!(!store.record_document_terms(&scope, proof.id, 2, vec![term(5)]).await.unwrap());
    store.delete_document(&as_user(&insider), complaint.id, 1, "Sent in error".into()).await.unwrap();
    assert!(store.find_in_documents(&system, &search(&[1, 2], &[99, 98], true)).await.unwrap().is_empty());
    assert!(!store.record_document_terms(&scope, complaint.id, 1, vec![term(1)]).await.unwrap());
}

/// For the backends' backfill tests: a tenant with two stored documents, the first read; each
/// upload queued its reading. Returns the scope and the (read, unread) documents' ids.
pub async fn text_backfill_fixture(store: &DynStore) -> (TenantScope, String, String) {
    let (_, admin) = tenant(store).await;
    let scope = admin_scope(&admin);
    store.add_tenant_key(&scope, 1, vec![1; 60]).await.unwrap();
    let query = store.create_query(&scope, new_query("Letters before search", None)).await.unwrap();
    let added = store
        .add_documents(&scope, Owner::Query(query.id), vec![new_document("read.pdf", 1), new_document("unread.pdf", 1)])
        .await
        .unwrap();
    assert!(store.record_document_terms(&scope, added[0].id, 1, vec![term(1)]).await.unwrap());
    (scope, added[0].id.to_string(), added[1].id.to_string())
}

/// The documents whose reading is queued (their jobs' keys), in the scope's tenant.
pub async fn read_text_jobs(store: &DynStore, scope: &TenantScope) -> Vec<String> {
    let jobs = store.tenant_jobs(scope, None, 100).await.unwrap();
    let mut keys: Vec<String> = jobs.into_iter().filter(|j| j.kind == READ_TEXT_JOB).map(|j| j.key).collect();
    keys.sort();
    keys
}
