//! Query storage cases of the conformance suite.

use super::{DynStore, admin_scope, moving_to, tenant};
use crate::StorageError;
use domain::{
    CustomerId, StatusId, Timestamp,
    audit::Actor,
    query::{Channel, NewQuery, Priority, QueryFilter, StatusCategory},
    query_list::{QueryCursor, QuerySort},
};

pub(crate) fn new_query(subject: &str, customer_id: Option<CustomerId>) -> NewQuery {
    NewQuery {
        customer_id,
        channel: Channel::Post,
        priority: Priority::Normal,
        subject: subject.into(),
        description: "About my planning appeal".into(),
        received_at: Timestamp::now().plus_seconds(-3 * 86_400),
        type_id: None,
        assignment: Default::default(),
    }
}

pub async fn tenants_start_with_the_default_statuses(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let statuses = store.query_statuses(&admin_scope(&admin)).await.unwrap();
    let categories: Vec<_> = statuses.iter().map(|s| s.category).collect();
    assert_eq!(categories, StatusCategory::ALL);
    assert_eq!(statuses.iter().filter(|s| s.is_default).count(), 1);
    assert_eq!(statuses[0].name, "New");
}

pub async fn queries_get_increasing_references_per_tenant(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let (_, other) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let customer = store.create_customer(&scope, super::details("A", "B", "", "", "BS1 6PN")).await.unwrap();
    let first = store.create_query(&scope, new_query("First", Some(customer.id))).await.unwrap();
    let second = store.create_query(&scope, new_query("Second", None)).await.unwrap();
    let elsewhere = store.create_query(&admin_scope(&other), new_query("Other tenant", None)).await.unwrap();
    assert_eq!((first.reference.to_string(), second.reference.to_string()), ("Q-000001".into(), "Q-000002".into()));
    assert_eq!(elsewhere.reference.to_string(), "Q-000001", "references are per tenant");
    assert_eq!(store.get_query(&scope, first.id).await.unwrap(), Some(first.clone()));
    assert!(first.received_at < first.created_at, "received before it was logged");
    assert_eq!(store.get_query(&admin_scope(&other), first.id).await.unwrap(), None);
    let unknown = store.create_query(&scope, new_query("Ghost", Some(CustomerId::new()))).await;
    assert!(matches!(unknown, Err(StorageError::UnknownReference { field: "customer_id" })), "{unknown:?}");
    let foreign = store.create_query(&admin_scope(&other), new_query("Theirs", Some(customer.id))).await;
    assert!(
        matches!(foreign, Err(StorageError::UnknownReference { field: "customer_id" })),
        "another tenant's customer"
    );
}

pub async fn status_changes_are_versioned_and_kept_in_order(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let statuses = store.query_statuses(&scope).await.unwrap();
    let query = store.create_query(&scope, new_query("Status", None)).await.unwrap();
    assert_eq!(query.status_id, statuses[0].id);
    let open = store
        .change_query_status(&scope, query.id, 1, &moving_to(statuses[1].id), domain::Level::ReadWrite)
        .await
        .unwrap();
    assert_eq!((open.version, open.status_id), (2, statuses[1].id));
    let stale =
        store.change_query_status(&scope, query.id, 1, &moving_to(statuses[3].id), domain::Level::ReadWrite).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })), "{stale:?}");
    let unknown =
        store.change_query_status(&scope, query.id, 2, &moving_to(StatusId::new()), domain::Level::ReadWrite).await;
    assert!(matches!(unknown, Err(StorageError::UnknownReference { field: "status_id" })));
    assert!(open.is_open);
    let resolved = store
        .change_query_status(&scope, query.id, 2, &moving_to(statuses[3].id), domain::Level::ReadWrite)
        .await
        .unwrap();
    let history = store.status_history(&scope, query.id).await.unwrap();
    let steps: Vec<_> = history.iter().map(|t| (t.seq, t.from, t.to)).collect();
    assert_eq!(
        steps,
        [
            (1, None, statuses[0].id),
            (2, Some(statuses[0].id), statuses[1].id),
            (3, Some(statuses[1].id), statuses[3].id)
        ]
    );
    assert!(history.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(history[2].actor, Actor::User(admin.id.as_uuid()));
    assert_eq!(resolved.version, 3);
    assert!(!resolved.is_open, "resolved is done");
    assert_eq!(store.get_query(&scope, query.id).await.unwrap().map(|q| q.is_open), Some(false));
    let actions: Vec<_> = store.audit_chain(&scope).await.unwrap().into_iter().map(|e| e.envelope.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "query.status_changed").count(), 2);
}

pub async fn queries_filter_and_page_to_the_end(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let (_, other) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let statuses = store.query_statuses(&scope).await.unwrap();
    let customer = store.create_customer(&scope, super::details("F", "Ilter", "", "", "BS1 6PN")).await.unwrap();
    let mut made = vec![];
    for i in 0..6 {
        let mut new = new_query(&format!("Query {i}"), (i % 2 == 0).then_some(customer.id));
        new.channel = if i < 3 { Channel::Post } else { Channel::Email };
        new.received_at = Timestamp::now().plus_seconds(-(10 - i) * 86_400);
        made.push(store.create_query(&scope, new).await.unwrap());
    }
    store.create_query(&admin_scope(&other), new_query("Elsewhere", None)).await.unwrap();
    store
        .change_query_status(&scope, made[1].id, 1, &moving_to(statuses[1].id), domain::Level::ReadWrite)
        .await
        .unwrap();
    let ids = |queries: Vec<domain::query::Query>| queries.into_iter().map(|q| q.id).collect::<Vec<_>>();
    let all = QueryFilter::default();

    // Paging by three reaches every query of this tenant, in order, and nothing else.
    let sort = QuerySort::default();
    let cursor = |page: &[domain::query::Query]| page.last().map(|q| QueryCursor::after(q, sort));
    let first = store.list_queries(&scope, &all, sort, None, 3).await.unwrap();
    let rest = store.list_queries(&scope, &all, sort, cursor(&first), 3).await.unwrap();
    let end = store.list_queries(&scope, &all, sort, cursor(&rest), 3).await.unwrap();
    assert_eq!([ids(first), ids(rest)].concat(), made.iter().map(|q| q.id).collect::<Vec<_>>());
    assert!(end.is_empty());

    let by_status = QueryFilter { statuses: vec![statuses[1].id], ..Default::default() };
    assert_eq!(ids(store.list_queries(&scope, &by_status, sort, None, 50).await.unwrap()), [made[1].id]);
    let by_channel = QueryFilter { channels: vec![Channel::Email], ..Default::default() };
    assert_eq!(
        ids(store.list_queries(&scope, &by_channel, sort, None, 50).await.unwrap()),
        [made[3].id, made[4].id, made[5].id]
    );
    let by_customer =
        QueryFilter { customer_id: Some(customer.id), channels: vec![Channel::Post], ..Default::default() };
    assert_eq!(ids(store.list_queries(&scope, &by_customer, sort, None, 50).await.unwrap()), [made[0].id, made[2].id]);
    let window = QueryFilter {
        received_from: Some(made[2].received_at),
        received_before: Some(made[4].received_at),
        ..Default::default()
    };
    assert_eq!(ids(store.list_queries(&scope, &window, sort, None, 50).await.unwrap()), [made[2].id, made[3].id]);
}

pub async fn the_customer_timeline_has_every_event_in_time_order(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let customer = store.create_customer(&scope, super::details("Tim", "Line", "", "", "BS1 6PN")).await.unwrap();
    let other = store.create_customer(&scope, super::details("Other", "Person", "", "", "BS1 6PN")).await.unwrap();
    // A letter received three days ago, logged now, then worked.
    let query = store.create_query(&scope, new_query("Letter", Some(customer.id))).await.unwrap();
    store.create_query(&scope, new_query("Not theirs", Some(other.id))).await.unwrap();
    let statuses = store.query_statuses(&scope).await.unwrap();
    store.change_query_status(&scope, query.id, 1, &moving_to(statuses[1].id), domain::Level::ReadWrite).await.unwrap();
    store.update_customer(&scope, customer.id, 1, super::details("Tim", "Lyne", "", "", "BS1 6PN")).await.unwrap();

    let timeline = store.customer_timeline(&scope, customer.id, 100).await.unwrap();
    let kinds: Vec<&str> = timeline.iter().map(|e| e.kind.as_str()).collect();
    // Received (three days ago) comes before the customer record was created (now).
    assert_eq!(
        kinds,
        ["query.received", "customer.created", "query.logged", "query.status_changed", "customer.updated"]
    );
    assert!(timeline.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(timeline.iter().filter(|e| e.kind.starts_with("query.")).all(|e| e.query_id == Some(query.id)));
    assert_eq!(timeline[4].details["changed"], serde_json::json!(["family_name"]));
    assert_eq!(timeline[1].actor, Actor::User(admin.id.as_uuid()));
    // Another tenant sees nothing of it.
    let (_, stranger) = tenant(&store).await;
    assert!(store.customer_timeline(&admin_scope(&stranger), customer.id, 100).await.unwrap().is_empty());

    // The overview reads the same customer, queries and timeline at once, within its limits.
    let second = store.create_query(&scope, new_query("Call", Some(customer.id))).await.unwrap();
    let overview = store.customer_overview(&scope, customer.id, Some(10), 100).await.unwrap().unwrap();
    assert_eq!(Some(&overview.customer), store.get_customer(&scope, customer.id).await.unwrap().as_ref());
    let received: Vec<_> = overview.queries.as_ref().unwrap().iter().map(|q| q.id).collect();
    assert_eq!(received, [query.id, second.id], "received order");
    assert_eq!(overview.events, store.customer_timeline(&scope, customer.id, 100).await.unwrap());
    let short = store.customer_overview(&scope, customer.id, None, 2).await.unwrap().unwrap();
    assert_eq!((short.queries, short.events.len()), (None, 2));
    let one = store.customer_overview(&scope, customer.id, Some(1), 0).await.unwrap().unwrap();
    assert_eq!(one.queries.unwrap().len(), 1);
    assert!(store.customer_overview(&admin_scope(&stranger), customer.id, Some(10), 100).await.unwrap().is_none());
    assert!(store.customer_overview(&scope, domain::CustomerId::new(), Some(10), 100).await.unwrap().is_none());
}
