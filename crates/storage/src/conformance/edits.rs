//! Corrections, deletions and merges in the conformance suite: versioned, audited field by
//! field, tombstoned, and visible to search and the timelines at once.

use super::{DynStore, admin_scope, details, queries::new_query, tenant};
use crate::StorageError;
use domain::{
    query::{Channel, Priority, QueryEdit, QueryFilter},
    query_list::QuerySort,
    search::SearchTerms,
};

fn edit_of(query: &domain::query::Query) -> QueryEdit {
    QueryEdit {
        customer_id: query.customer_id,
        channel: query.channel,
        priority: query.priority,
        subject: query.subject.clone(),
        description: query.description.clone(),
        received_at: query.received_at,
        type_id: query.type_id,
    }
}

pub async fn query_edits_are_versioned_and_audited_field_by_field(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let ada = store.create_customer(&scope, details("Ada", "Lovelace", "", "", "BS1 6PN")).await.unwrap();
    let query = store.create_query(&scope, new_query("Wrong summary", None)).await.unwrap();
    let mut edit = edit_of(&query);
    edit.subject = "Right summary".into();
    edit.priority = Priority::Urgent;
    edit.customer_id = Some(ada.id);
    let edited = store.update_query(&scope, query.id, 1, edit.clone()).await.unwrap();
    assert_eq!((edited.version, edited.subject.as_str(), edited.priority), (2, "Right summary", Priority::Urgent));
    assert_eq!(store.get_query(&scope, query.id).await.unwrap(), Some(edited.clone()));
    let stale = store.update_query(&scope, query.id, 1, edit.clone()).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })));
    assert_eq!(store.update_query(&scope, query.id, 2, edit.clone()).await.unwrap(), edited, "no change, no version");
    let mut ghost = edit.clone();
    ghost.customer_id = Some(domain::CustomerId::new());
    let refused = store.update_query(&scope, query.id, 2, ghost).await;
    assert!(matches!(refused, Err(StorageError::UnknownReference { field: "customer_id" })));

    let history = store.audit_of(&scope, "query", query.id.as_uuid()).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.envelope.action.as_str()).collect();
    assert_eq!(actions, ["query.created", "query.updated"]);
    let payload: serde_json::Value = serde_json::from_str(history[1].payload_json.as_deref().unwrap()).unwrap();
    assert_eq!(payload["before"]["subject"], "Wrong summary");
    assert_eq!(payload["after"]["subject"], "Right summary");
    assert_eq!(payload["after"]["priority"], "urgent");
    assert!(payload["after"].get("channel").is_none(), "only changed fields");
    // The query now belongs to Ada: her timeline and her name find it.
    let timeline = store.customer_timeline(&scope, ada.id, 100).await.unwrap();
    assert!(timeline.iter().any(|e| e.kind == "query.logged" && e.query_id == Some(query.id)));
    let search = QueryFilter { search: SearchTerms::parse("lovelace"), ..Default::default() };
    let found = store.list_queries(&scope, &search, QuerySort::default(), None, 10).await.unwrap();
    assert_eq!(found.iter().map(|q| q.id).collect::<Vec<_>>(), [query.id]);
}

pub async fn deleted_queries_leave_tombstones(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let mut new = new_query("Delete me", None);
    new.channel = Channel::Email;
    let query = store.create_query(&scope, new).await.unwrap();
    let stale = store.delete_query(&scope, query.id, 7).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 1 })));
    store.delete_query(&scope, query.id, 1).await.unwrap();
    assert_eq!(store.get_query(&scope, query.id).await.unwrap(), None);
    let all = store.list_queries(&scope, &QueryFilter::default(), QuerySort::default(), None, 10).await.unwrap();
    assert!(all.is_empty());
    let search = QueryFilter { search: SearchTerms::parse("delete"), ..Default::default() };
    assert_eq!(store.count_queries(&scope, &search).await.unwrap(), 0);
    assert!(matches!(store.delete_query(&scope, query.id, 2).await, Err(StorageError::NotFound)));
    let actions: Vec<_> = store.audit_of(&scope, "query", query.id.as_uuid()).await.unwrap();
    assert_eq!(actions.last().unwrap().envelope.action, "query.deleted");
}

pub async fn merging_moves_everything_to_the_survivor(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let john =
        store.create_customer(&scope, details("John", "Smith", "john@example.org", "", "BS1 6PN")).await.unwrap();
    let jon = store.create_customer(&scope, details("Jon", "Smith", "jon@example.org", "", "bs16pn")).await.unwrap();
    let first = store.create_query(&scope, new_query("First", Some(john.id))).await.unwrap();
    let second = store.create_query(&scope, new_query("Second", Some(jon.id))).await.unwrap();

    let stale = store.merge_customer(&scope, jon.id, 5, john.id).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 1 })));
    let itself = store.merge_customer(&scope, jon.id, 1, jon.id).await;
    assert!(matches!(itself, Err(StorageError::UnknownReference { field: "survivor_id" })));
    let (survivor, moved) = store.merge_customer(&scope, jon.id, 1, john.id).await.unwrap();
    assert_eq!((survivor.id, moved), (john.id, 1));

    assert_eq!(store.get_customer(&scope, jon.id).await.unwrap(), None, "a tombstone is not live");
    assert_eq!(store.merged_into(&scope, jon.id).await.unwrap(), Some(john.id));
    assert_eq!(store.merged_into(&scope, john.id).await.unwrap(), None);
    let moved_query = store.get_query(&scope, second.id).await.unwrap().unwrap();
    assert_eq!((moved_query.customer_id, moved_query.version), (Some(john.id), 2));
    let theirs = QueryFilter { customer_id: Some(john.id), ..Default::default() };
    let listed = store.list_queries(&scope, &theirs, QuerySort::default(), None, 10).await.unwrap();
    assert_eq!(listed.iter().map(|q| q.id).collect::<Vec<_>>(), [first.id, second.id]);
    let timeline = store.customer_timeline(&scope, john.id, 100).await.unwrap();
    assert!(timeline.iter().any(|e| e.query_id == Some(second.id)), "the merged record's history moved");
    assert_eq!(timeline.last().map(|e| e.kind.as_str()), Some("customer.merged"));
    assert!(store.customer_timeline(&scope, jon.id, 100).await.unwrap().is_empty());
    // The tombstone is found by neither duplicate checks nor search; its queries are by the survivor's name.
    let candidates =
        store.duplicate_candidates(&scope, &details("Jon", "Smith", "jon@example.org", "", "")).await.unwrap();
    assert!(candidates.iter().all(|c| c.id != jon.id));
    assert!(store.search_customers(&scope, &SearchTerms::parse("jon").unwrap(), None, 10).await.unwrap().is_empty());
    let by_name = QueryFilter { search: SearchTerms::parse("john"), ..Default::default() };
    assert_eq!(store.count_queries(&scope, &by_name).await.unwrap(), 2);
    let again = store.merge_customer(&scope, jon.id, 2, john.id).await;
    assert!(matches!(again, Err(StorageError::NotFound)), "already merged");
    let (_, stranger) = tenant(&store).await;
    let foreign = store.merge_customer(&admin_scope(&stranger), john.id, 1, jon.id).await;
    assert!(matches!(foreign, Err(StorageError::NotFound)));
    assert_eq!(store.merged_into(&admin_scope(&stranger), jon.id).await.unwrap(), None);
}

/// For the backends' backfill tests: a customer and their query, and how to count what a search
/// finds. The test blanks the search documents behind the repository, migrates again, and
/// expects both found once more.
pub async fn backfill_fixture(store: &DynStore) -> crate::TenantScope {
    let (_, admin) = tenant(store).await;
    let scope = admin_scope(&admin);
    let customer = store.create_customer(&scope, details("Bea", "Backfill", "", "", "BS1 6PN")).await.unwrap();
    store.create_query(&scope, new_query("Before search existed", Some(customer.id))).await.unwrap();
    scope
}

/// (queries, customers) that a search for `text` finds.
pub async fn found_by(store: &DynStore, scope: &crate::TenantScope, text: &str) -> (u64, usize) {
    let terms = SearchTerms::parse(text).unwrap();
    let queries = QueryFilter { search: Some(terms.clone()), ..Default::default() };
    let customers = store.search_customers(scope, &terms, None, 10).await.unwrap();
    (store.count_queries(scope, &queries).await.unwrap(), customers.len())
}
