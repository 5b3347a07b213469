//! `casedesk seed` on both backends: what it writes reads back through the repositories like
//! ordinary data (counts, references, search, the audit chain, statuses), and the same seed
//! gives the same data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::seed::{SeedOptions, seed};
use domain::{
    audit::verify_chain,
    query::{Channel, NewQuery, Priority, Query, QueryFilter},
    query_list::{QuerySort, QuerySortKey},
    search::SearchTerms,
};
use std::collections::HashMap;
use storage::{Database, NewTenant, TenantScope};

const CUSTOMERS: usize = 50;
const QUERIES: usize = 200;

fn new_tenant() -> NewTenant {
    use domain::{
        tenant::{TenantName, TenantSlug},
        user::{DisplayName, EmailAddress},
    };
    NewTenant {
        slug: TenantSlug::parse("slug", "default").unwrap(),
        name: TenantName::parse("name", "Casedesk").unwrap(),
        admin_email: EmailAddress::parse("email", "admin@example.org").unwrap(),
        admin_name: DisplayName::parse("name", "Administrator").unwrap(),
        admin_password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
    }
}

async fn all_queries(store: &dyn Database, scope: &TenantScope, filter: &QueryFilter) -> Vec<Query> {
    let sort = QuerySort { key: QuerySortKey::Reference, descending: false };
    store.list_queries(scope, filter, sort, None, 10_000).await.unwrap()
}

/// Seeds a fresh tenant and checks it; returns (reference, subject, customer's family name) in
/// reference order for comparing runs.
async fn seed_and_check(store: &dyn Database) -> Vec<(u64, String, Option<String>)> {
    let (tenant, _) = store.create_tenant(new_tenant()).await.unwrap();
    // Small batches, so that PostgreSQL writes several at once and commits them in turn, and
    // queries refer to customers of earlier batches.
    let options = SeedOptions {
        customers: CUSTOMERS,
        queries: QUERIES,
        seed: 7,
        tenant: None,
        progress: false,
        queries_per_batch: 10,
    };
    let report = seed(store, &options).await.unwrap();
    assert_eq!((report.customers, report.queries), (CUSTOMERS, QUERIES));
    let scope = TenantScope::system(tenant.id);

    let customers = store.list_customers(&scope, None, 1_000).await.unwrap();
    assert_eq!(customers.len(), CUSTOMERS);
    let queries = all_queries(store, &scope, &QueryFilter::default()).await;
    let references: Vec<u64> = queries.iter().map(|q| q.reference.number()).collect();
    assert_eq!(references, (1..=QUERIES as u64).collect::<Vec<_>>(), "contiguous from Q-000001");

    let categories: HashMap<_, _> =
        store.query_statuses(&scope).await.unwrap().into_iter().map(|s| (s.id, s.category)).collect();
    for query in &queries {
        assert_eq!(query.is_open, !categories[&query.status_id].is_done(), "{}", query.reference);
        assert!(query.received_at <= query.created_at && query.created_at <= query.updated_at);
        let history = store.status_history(&scope, query.id).await.unwrap();
        assert_eq!(history.last().unwrap().to, query.status_id, "history ends in the current status");
    }
    assert!(queries.iter().any(|q| !q.is_open) && queries.iter().any(|q| q.is_open));

    // A seeded customer's surname finds their queries, as typed by an officer.
    let by_id: HashMap<_, _> = customers.iter().map(|c| (c.id, c)).collect();
    let with_customer = queries.iter().find(|q| q.customer_id.is_some()).unwrap();
    let family = &by_id[&with_customer.customer_id.unwrap()].details.family_name;
    let filter = QueryFilter { search: SearchTerms::parse(family), ..QueryFilter::default() };
    let found = all_queries(store, &scope, &filter).await;
    assert!(found.iter().any(|q| q.id == with_customer.id), "search for {family}");

    let chain = store.audit_chain(&scope).await.unwrap();
    assert_eq!(verify_chain(&chain), Ok(chain.len() as u64));
    assert!(chain.len() > QUERIES + CUSTOMERS);
    let timeline = store.query_timeline(&scope, with_customer.id, 100).await.unwrap();
    assert!(timeline.iter().any(|e| e.kind == "query.received"));

    // The counter continues after the seeded references.
    let new = NewQuery {
        customer_id: None,
        channel: Channel::Email,
        priority: Priority::Normal,
        subject: "After seeding".into(),
        description: String::new(),
        received_at: domain::Timestamp::now(),
        type_id: None,
        assignment: Default::default(),
    };
    let next = store.create_query(&scope, new).await.unwrap();
    assert_eq!(next.reference.number(), QUERIES as u64 + 1);
    assert_eq!(verify_chain(&store.audit_chain(&scope).await.unwrap()), Ok(chain.len() as u64 + 1));

    queries
        .iter()
        .map(|q| {
            let family = q.customer_id.map(|c| by_id[&c].details.family_name.clone());
            (q.reference.number(), q.subject.clone(), family)
        })
        .collect()
}

#[tokio::test]
async fn seeding_writes_ordinary_data_on_both_backends_and_the_same_seed_gives_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seed.db").display());
    let sqlite = storage_sqlite::SqliteStore::connect_and_migrate(&url).await.unwrap();
    let on_sqlite = seed_and_check(&sqlite).await;

    let (url, _admin) = storage_postgres::testing::fresh_database().await;
    let postgres = storage_postgres::PgStore::connect_and_migrate(&url).await.unwrap();
    let on_postgres = seed_and_check(&postgres).await;

    assert_eq!(on_sqlite, on_postgres, "same seed, same data, whatever the backend");
}

/// Every page of `filter` in `sort`, `size` at a time, following the cursor.
async fn pages(
    store: &dyn Database,
    scope: &TenantScope,
    filter: &QueryFilter,
    sort: QuerySort,
    size: u32,
) -> Vec<Query> {
    let mut all: Vec<Query> = vec![];
    loop {
        let after = all.last().map(|q| domain::query_list::QueryCursor::after(q, sort));
        let page = store.list_queries(scope, filter, sort, after, size).await.unwrap();
        let last = page.len() < size as usize;
        all.extend(page);
        if last {
            return all;
        }
    }
}

/// PostgreSQL finds a page of search results one of two ways, by how many match (storage-postgres
/// `search.rs`): few are fetched from the search index in received order or by id, many are
/// tested row by row along the page's order. Either way a search pages like the list it narrows.
async fn search_pages_like_the_list(store: &dyn Database) {
    const MANY: usize = 2_100;
    let (tenant, _) = store.create_tenant(new_tenant()).await.unwrap();
    let options =
        SeedOptions { customers: 300, queries: MANY, seed: 11, tenant: None, progress: false, queries_per_batch: 500 };
    seed(store, &options).await.unwrap();
    let scope = TenantScope::system(tenant.id);
    let orders = [
        QuerySort { key: QuerySortKey::ReceivedAt, descending: false },
        QuerySort { key: QuerySortKey::ReceivedAt, descending: true },
        QuerySort { key: QuerySortKey::Reference, descending: true },
        QuerySort { key: QuerySortKey::UpdatedAt, descending: false },
    ];

    // Every query's reference starts with "Q": more matches than are fetched by id.
    let everything = QueryFilter { search: SearchTerms::parse("q"), ..QueryFilter::default() };
    assert_eq!(store.count_queries(&scope, &everything).await.unwrap(), MANY as u64);
    for sort in orders {
        let ids = |queries: Vec<Query>| queries.into_iter().map(|q| q.id).take(75).collect::<Vec<_>>();
        let listed = ids(store.list_queries(&scope, &QueryFilter::default(), sort, None, 75).await.unwrap());
        let searched = ids(pages(store, &scope, &everything, sort, 25).await);
        assert_eq!(searched, listed, "a search matching everything pages like the list, {sort:?}");
    }

    // A surname shared by a few customers: few matches. With another filter dropping some, each
    // order's pages hold exactly the open matches, in that order.
    let customers = store.list_customers(&scope, None, 1_000).await.unwrap();
    let mut surnames: HashMap<&str, usize> = HashMap::new();
    for customer in &customers {
        *surnames.entry(customer.details.family_name.as_str()).or_default() += 1;
    }
    let (surname, _) = surnames.into_iter().max_by_key(|(name, count)| (*count, *name)).unwrap();
    let search = SearchTerms::parse(surname);
    let matching = all_queries(store, &scope, &QueryFilter { search: search.clone(), ..QueryFilter::default() }).await;
    assert!(matching.len() > 3 && matching.len() < MANY / 2, "{surname}: {} matches", matching.len());
    let open_matches = QueryFilter { search, open: Some(true), ..QueryFilter::default() };
    for sort in orders {
        let mut expected: Vec<&Query> = matching.iter().filter(|q| q.is_open).collect();
        expected.sort_by_key(|q| (sort.key.value_of(q), q.id));
        if sort.descending {
            expected.reverse();
        }
        let expected: Vec<_> = expected.into_iter().map(|q| q.id).collect();
        let found: Vec<_> = pages(store, &scope, &open_matches, sort, 2).await.into_iter().map(|q| q.id).collect();
        assert_eq!(found, expected, "open queries of customers called {surname}, {sort:?}");
        assert_eq!(store.count_queries(&scope, &open_matches).await.unwrap(), expected.len() as u64);
    }
}

#[tokio::test]
async fn a_search_pages_like_the_list_whatever_the_number_of_matches_on_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("search.db").display());
    search_pages_like_the_list(&storage_sqlite::SqliteStore::connect_and_migrate(&url).await.unwrap()).await;

    let (url, _admin) = storage_postgres::testing::fresh_database().await;
    search_pages_like_the_list(&storage_postgres::PgStore::connect_and_migrate(&url).await.unwrap()).await;
}
