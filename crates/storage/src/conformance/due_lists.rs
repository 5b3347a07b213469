//! Queues by due time (issue 15, item 7): sorted soonest due first with keyset pages, and
//! filtered by where the service level stands, as each query's kept due times say.

use super::{DynStore, admin_scope, moving_to, queries::new_query, tenant};
use crate::TenantScope;
use domain::{
    QueryId, Timestamp,
    query::{NewQuery, Priority, Query, QueryFilter, StatusCategory},
    query_list::{DueState, QueryCursor, QuerySort, QuerySortKey},
};

async fn urgent(store: &DynStore, scope: &TenantScope, ago_minutes: i64) -> Query {
    let new = NewQuery {
        priority: Priority::Urgent,
        received_at: Timestamp::now().plus_seconds(-ago_minutes * 60),
        ..new_query("Service down", None)
    };
    store.create_query(scope, new).await.unwrap()
}

/// Every page of the list, `limit` at a time, following the cursors.
async fn all_pages(store: &DynStore, scope: &TenantScope, filter: &QueryFilter, sort: QuerySort) -> Vec<QueryId> {
    let mut found = Vec::new();
    let mut after = None;
    loop {
        let page = store.list_queries(scope, filter, sort, after, 2).await.unwrap();
        found.extend(page.iter().map(|q| q.id));
        match page.last() {
            Some(last) if page.len() == 2 => after = Some(QueryCursor::after(last, sort)),
            _ => return found,
        }
    }
}

async fn in_state(store: &DynStore, scope: &TenantScope, states: &[DueState]) -> Vec<QueryId> {
    let filter = QueryFilter { due_states: states.to_vec(), ..QueryFilter::default() };
    let sort = QuerySort { key: QuerySortKey::DueAt, descending: false };
    let found = all_pages(store, scope, &filter, sort).await;
    assert_eq!(store.count_queries(scope, &filter).await.unwrap(), found.len() as u64, "{states:?}");
    found
}

/// On the 24x7 example (first response in 30 minutes, due soon at 15): queries 40, 20 and 5
/// minutes in are overdue, due soon and on time; a waiting one and one resolved late have no
/// due time and sort last, the late one as breached. Each query carries its due times as the
/// flows leave them, and the alert sweep's breach stays after the query is resolved.
pub async fn queues_sort_and_filter_by_due_time(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let statuses = store.query_statuses(&scope).await.unwrap();
    let status = |category: StatusCategory| statuses.iter().find(|s| s.category == category).unwrap().id;

    let overdue = urgent(&store, &scope, 40).await;
    let soon = urgent(&store, &scope, 20).await;
    let on_time = urgent(&store, &scope, 5).await;
    let waiting = urgent(&store, &scope, 10).await;
    let waiting = store
        .change_query_status(
            &scope,
            waiting.id,
            1,
            &moving_to(status(StatusCategory::Waiting)),
            domain::Level::ReadWrite,
        )
        .await
        .unwrap();
    let late = urgent(&store, &scope, 50).await;
    let late = store
        .change_query_status(&scope, late.id, 1, &moving_to(status(StatusCategory::Resolved)), domain::Level::ReadWrite)
        .await
        .unwrap();

    let now = Timestamp::now();
    assert_eq!(overdue.due.due_at, Some(overdue.received_at.plus_seconds(30 * 60)), "due times come back on create");
    assert_eq!(overdue.due.state(now), Some(DueState::Overdue));
    assert_eq!(soon.due.state(now), Some(DueState::DueSoon));
    assert_eq!(on_time.due.state(now), Some(DueState::OnTime));
    assert_eq!((waiting.due.due_at, waiting.due.state(now)), (None, None), "a paused query has no due time");
    assert_eq!(late.due.state(now), Some(DueState::Breached), "the status change returns the late stop");
    let read = store.get_query(&scope, soon.id).await.unwrap().unwrap();
    assert_eq!(read.due, soon.due, "what is read is what was returned");

    let ascending = QuerySort { key: QuerySortKey::DueAt, descending: false };
    let mut untimed = [waiting.id, late.id];
    untimed.sort_unstable_by_key(|id| id.as_uuid());
    let expected: Vec<_> = [overdue.id, soon.id, on_time.id].into_iter().chain(untimed).collect();
    assert_eq!(all_pages(&store, &scope, &QueryFilter::default(), ascending).await, expected);
    let descending = QuerySort { descending: true, ..ascending };
    let reversed: Vec<_> = expected.iter().rev().copied().collect();
    assert_eq!(all_pages(&store, &scope, &QueryFilter::default(), descending).await, reversed);

    assert_eq!(in_state(&store, &scope, &[DueState::Overdue]).await, [overdue.id]);
    assert_eq!(in_state(&store, &scope, &[DueState::DueSoon]).await, [soon.id]);
    assert_eq!(in_state(&store, &scope, &[DueState::OnTime]).await, [on_time.id]);
    assert_eq!(in_state(&store, &scope, &[DueState::Breached]).await, [late.id]);
    assert_eq!(in_state(&store, &scope, &[DueState::Breached, DueState::Overdue]).await, [overdue.id, late.id]);
    let before = QueryFilter { due_before: Some(now.plus_seconds(15 * 60)), ..QueryFilter::default() };
    assert_eq!(all_pages(&store, &scope, &before, ascending).await, [overdue.id, soon.id]);

    // A query already late when logged has its breach from the start; one that falls due
    // later has it recorded by the sweep that finds it overdue. Resolved afterwards, each
    // stays breached.
    assert_eq!((overdue.due.breached_at, soon.due.breached_at), (overdue.due.due_at, None));
    store.send_due_alerts(&scope, now.plus_seconds(11 * 60), 100).await.unwrap();
    let swept = store.get_query(&scope, soon.id).await.unwrap().unwrap();
    assert_eq!(swept.due.breached_at, soon.due.due_at, "recorded by the sweep");
    let swept = store.get_query(&scope, overdue.id).await.unwrap().unwrap();
    let resolve = moving_to(status(StatusCategory::Resolved));
    let resolved = store.change_query_status(&scope, overdue.id, swept.version, &resolve, domain::Level::ReadWrite);
    let resolved = resolved.await.unwrap();
    assert_eq!((resolved.due.due_at, resolved.due.state(Timestamp::now())), (None, Some(DueState::Breached)));
    let mut breached = [overdue.id, late.id];
    breached.sort_unstable_by_key(|id| id.as_uuid());
    assert_eq!(in_state(&store, &scope, &[DueState::Breached]).await, breached);
    assert!(in_state(&store, &scope, &[DueState::Overdue]).await.is_empty());

    let (_, stranger) = tenant(&store).await;
    assert!(in_state(&store, &admin_scope(&stranger), &[DueState::Breached]).await.is_empty(), "another tenant's");
}
