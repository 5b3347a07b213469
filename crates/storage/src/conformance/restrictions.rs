//! Restricted queries: visible only to members of their groups, everywhere.

use super::{DynStore, admin_scope, customers::details, new_user, queries::new_query, tenant};
use crate::*;
use domain::{audit::Actor, group::GroupDetails, query::QueryFilter, query_list::QuerySort, search::SearchTerms};

pub async fn restricted_queries_are_seen_only_by_their_groups(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let insider = store.create_user(&scope, new_user("insider@example.org")).await.unwrap();
    let outsider = store.create_user(&scope, new_user("outsider@example.org")).await.unwrap();
    let panel = GroupDetails {
        name: "Complaints panel".into(),
        description: String::new(),
        grants: vec![],
        members: vec![insider.id],
    };
    let panel = store.create_group(&scope, panel).await.unwrap();
    let customer =
        store.create_customer(&scope, details("Rae", "Stricted", "rae@example.org", "", "BS1 6PN")).await.unwrap();
    let open = store.create_query(&scope, new_query("Pothole zebra", Some(customer.id))).await.unwrap();
    let secret =
        store.create_query(&scope, new_query("Complaint zebra about an officer", Some(customer.id))).await.unwrap();

    let stale = store.restrict_query(&scope, secret.id, 9, vec![panel.id]).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { .. })), "{stale:?}");
    let ghost = store.restrict_query(&scope, secret.id, secret.version, vec![domain::GroupId::new()]).await;
    assert!(matches!(ghost, Err(StorageError::UnknownReference { field: "group_ids" })), "{ghost:?}");
    let (restricted, groups) = store.restrict_query(&scope, secret.id, secret.version, vec![panel.id]).await.unwrap();
    assert_eq!((restricted.version, groups), (secret.version + 1, vec![panel.id]));

    let as_user = |user: &domain::user::User| TenantScope::new(admin.tenant_id, Actor::User(user.id.as_uuid()));
    let search = QueryFilter { search: SearchTerms::parse("zebra"), ..QueryFilter::default() };
    let by_customer = QueryFilter { customer_id: Some(customer.id), ..QueryFilter::default() };
    for (who, sees) in [
        (as_user(&insider), true),
        (as_user(&outsider), false),
        (scope, false),
        (TenantScope::system(admin.tenant_id), true),
    ] {
        let ids = |queries: Vec<domain::query::Query>| queries.into_iter().map(|q| q.id).collect::<Vec<_>>();
        let expected = if sees { vec![open.id, secret.id] } else { vec![open.id] };
        let what = format!("{:?} sees the restricted query: {sees}", who.actor);
        assert_eq!(store.get_query(&who, secret.id).await.unwrap().is_some(), sees, "{what}");
        assert_eq!(store.query_restriction(&who, secret.id).await.unwrap().is_some(), sees, "{what}");
        let listed = store.list_queries(&who, &by_customer, QuerySort::default(), None, 50).await.unwrap();
        assert_eq!(ids(listed), expected, "{what}: list");
        let found = store.list_queries(&who, &search, QuerySort::default(), None, 50).await.unwrap();
        assert_eq!(ids(found).len(), expected.len(), "{what}: search");
        assert_eq!(store.count_queries(&who, &by_customer).await.unwrap(), expected.len() as u64, "{what}: count");
        let overview = store.customer_overview(&who, customer.id, Some(50), 100).await.unwrap().unwrap();
        assert_eq!(ids(overview.queries.unwrap()), expected, "{what}: customer page");
        let about_secret = overview.events.iter().filter(|e| e.query_id == Some(secret.id)).count();
        assert_eq!(about_secret > 0, sees, "{what}: customer timeline");
        let timeline = store.customer_timeline(&who, customer.id, 100).await.unwrap();
        assert_eq!(timeline.iter().any(|e| e.query_id == Some(secret.id)), sees, "{what}: customer timeline");
    }
    // Hidden means hidden for writes too.
    let outsider_scope = as_user(&outsider);
    let write = store.restrict_query(&outsider_scope, secret.id, restricted.version, vec![]).await;
    assert!(matches!(write, Err(StorageError::NotFound)), "{write:?}");

    // A group that restricts queries cannot be deleted; lifting the restriction shows the query to all.
    let deleting = store.delete_group(&scope, panel.id, panel.version).await;
    assert!(
        matches!(deleting, Err(StorageError::Conflict { ref constraint }) if constraint == "group_restricts_queries")
    );
    let insider_scope = as_user(&insider);
    let (lifted, groups) = store.restrict_query(&insider_scope, secret.id, restricted.version, vec![]).await.unwrap();
    assert!(groups.is_empty());
    assert_eq!(lifted.version, restricted.version + 1);
    assert!(store.get_query(&outsider_scope, secret.id).await.unwrap().is_some());
    let changes = store.audit_of(&scope, "query", secret.id.as_uuid()).await.unwrap();
    let changed = changes.iter().filter(|e| e.envelope.action == "query.restriction_changed").count();
    assert_eq!(changed, 2, "restricting and lifting are audited");
}
