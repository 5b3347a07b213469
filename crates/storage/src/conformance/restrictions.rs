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
    assert!(matches!(deleting, Err(StorageError::Conflict(domain::Conflict::GroupRestrictsQueries))));
    let insider_scope = as_user(&insider);
    let (lifted, groups) = store.restrict_query(&insider_scope, secret.id, restricted.version, vec![]).await.unwrap();
    assert!(groups.is_empty());
    assert_eq!(lifted.version, restricted.version + 1);
    assert!(store.get_query(&outsider_scope, secret.id).await.unwrap().is_some());
    let changes = store.audit_of(&scope, "query", secret.id.as_uuid()).await.unwrap();
    let changed = changes.iter().filter(|e| e.envelope.action == "query.restriction_changed").count();
    assert_eq!(changed, 2, "restricting and lifting are audited");
}

/// A grant limited to the holder's teams: a scope marked `own_teams_only` sees (and finds, to
/// change) only queries assigned to one of the viewer's teams or to the viewer, everywhere.
pub async fn team_limited_viewers_see_only_their_teams_queries(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let officer = store.create_user(&scope, new_user("teamed@example.org")).await.unwrap();
    let north = domain::team::TeamDetails::new("North", vec![officer.id]);
    let north = store.create_team(&scope, north).await.unwrap();
    let south = store.create_team(&scope, domain::team::TeamDetails::new("South", vec![])).await.unwrap();
    let customer =
        store.create_customer(&scope, details("Tim", "Teams", "tim@example.org", "", "BS1 6PN")).await.unwrap();
    let assign = |officer, team| domain::query::Assignment { officer, team };
    let ours = store.create_query(&scope, new_query("Ours yak", Some(customer.id))).await.unwrap();
    store.assign_query(&scope, ours.id, ours.version, assign(None, Some(north.id))).await.unwrap();
    let theirs = store.create_query(&scope, new_query("Theirs yak", Some(customer.id))).await.unwrap();
    store.assign_query(&scope, theirs.id, theirs.version, assign(None, Some(south.id))).await.unwrap();
    let mine = store.create_query(&scope, new_query("Mine yak", Some(customer.id))).await.unwrap();
    store.assign_query(&scope, mine.id, mine.version, assign(Some(officer.id), Some(south.id))).await.unwrap();

    let everyone = TenantScope::new(admin.tenant_id, Actor::User(officer.id.as_uuid()));
    let limited = everyone.own_teams_only(true);
    let by_customer = QueryFilter { customer_id: Some(customer.id), ..QueryFilter::default() };
    let search = QueryFilter { search: SearchTerms::parse("yak"), ..QueryFilter::default() };
    for (who, expected) in [(everyone, vec![ours.id, theirs.id, mine.id]), (limited, vec![ours.id, mine.id])] {
        let mut listed: Vec<_> = store
            .list_queries(&who, &by_customer, QuerySort::default(), None, 50)
            .await
            .unwrap()
            .into_iter()
            .map(|q| q.id)
            .collect();
        listed.sort();
        let mut wanted = expected.clone();
        wanted.sort();
        assert_eq!(listed, wanted, "limited: {}", who.own_teams_only);
        assert_eq!(
            store.list_queries(&who, &search, QuerySort::default(), None, 50).await.unwrap().len(),
            expected.len()
        );
        assert_eq!(store.count_queries(&who, &by_customer).await.unwrap(), expected.len() as u64);
        assert_eq!(store.get_query(&who, theirs.id).await.unwrap().is_some(), !who.own_teams_only, "by id");
        let timeline = store.customer_timeline(&who, customer.id, 100).await.unwrap();
        assert_eq!(timeline.iter().any(|e| e.query_id == Some(theirs.id)), !who.own_teams_only, "timeline");
        assert!(timeline.iter().any(|e| e.query_id == Some(ours.id)));
    }
    // Hidden for writes too: another team's query is not found.
    let current = store.get_query(&scope, theirs.id).await.unwrap().unwrap();
    let write = store.assign_query(&limited, theirs.id, current.version, assign(Some(officer.id), None)).await;
    assert!(matches!(write, Err(StorageError::NotFound)), "{write:?}");
}
