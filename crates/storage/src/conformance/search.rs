//! The search conformance suite (FR-003): the same searches give the same results on every
//! backend — an exact reference, a full email, a surname prefix, a postcode typed with or
//! without its space, a word from the description, in any case — and never cross tenants.

use super::{DynStore, admin_scope, details, queries::new_query, tenant};
use domain::{
    QueryId,
    query::{Query, QueryFilter},
    query_list::QuerySort,
    search::SearchTerms,
};

async fn found(store: &DynStore, scope: &crate::TenantScope, text: &str) -> Vec<QueryId> {
    let filter = QueryFilter { search: SearchTerms::parse(text), ..Default::default() };
    assert!(filter.search.is_some(), "{text:?} is a search");
    let page = store.list_queries(scope, &filter, QuerySort::default(), None, 100).await.unwrap();
    let count = store.count_queries(scope, &filter).await.unwrap();
    assert_eq!(count, page.len() as u64, "count agrees with the list for {text:?}");
    let mut ids: Vec<QueryId> = page.into_iter().map(|q| q.id).collect();
    ids.sort();
    ids
}

async fn logged(
    store: &DynStore,
    scope: &crate::TenantScope,
    subject: &str,
    description: &str,
    customer: Option<domain::CustomerId>,
) -> Query {
    let mut new = new_query(subject, customer);
    new.description = description.into();
    store.create_query(scope, new).await.unwrap()
}

pub async fn search_finds_the_same_queries_on_every_backend(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let john = store
        .create_customer(&scope, details("John", "Thompson", "John.Thompson@Example.org", "", "BS1 6PN"))
        .await
        .unwrap();
    let mary =
        store.create_customer(&scope, details("Mary", "Smith", "mary@example.net", "", "sw1a1aa")).await.unwrap();
    let bins =
        logged(&store, &scope, "Bins not collected", "The recycling lorry missed our street", Some(john.id)).await;
    let permit = logged(&store, &scope, "Parking permit", "Renewal of my resident permit", Some(mary.id)).await;
    let noise = logged(&store, &scope, "Noise complaint", "Loud music late at night", None).await;
    // The same words in another tenant must never show.
    let (_, stranger) = tenant(&store).await;
    let theirs = admin_scope(&stranger);
    let twin = store
        .create_customer(&theirs, details("John", "Thompson", "john.thompson@example.org", "", "BS1 6PN"))
        .await
        .unwrap();
    logged(&store, &theirs, "Bins not collected", "The recycling lorry missed our street", Some(twin.id)).await;

    let cases: [(&str, Vec<QueryId>); 14] = [
        (&permit.reference.to_string(), vec![permit.id]),
        ("q-000003", vec![noise.id]),
        ("john.thompson@example.org", vec![bins.id]),
        ("JOHN.THOMPSON@EXAMPLE.ORG", vec![bins.id]),
        ("Thom", vec![bins.id]),
        ("thompson", vec![bins.id]),
        ("BS1 6PN", vec![bins.id]),
        ("bs16pn", vec![bins.id]),
        ("SW1A 1AA", vec![permit.id]),
        ("recycling", vec![bins.id]),
        ("RESIDENT", vec![permit.id]),
        ("music night", vec![noise.id]),
        ("mary parking", vec![permit.id]),
        ("zebra", vec![]),
    ];
    for (text, expected) in cases {
        let mut expected = expected;
        expected.sort();
        assert_eq!(found(&store, &scope, text).await, expected, "search {text:?}");
    }
    // "example" is in both customers' emails: every match, in the list's order.
    assert_eq!(found(&store, &scope, "example").await, {
        let mut both = vec![bins.id, permit.id];
        both.sort();
        both
    });

    // A changed customer is found by their new details at once, and no longer by the old.
    store
        .update_customer(&scope, john.id, 1, details("John", "Thomson", "john.thompson@example.org", "", "BS8 1TH"))
        .await
        .unwrap();
    assert_eq!(found(&store, &scope, "thomson").await, vec![bins.id]);
    assert_eq!(found(&store, &scope, "bs81th").await, vec![bins.id]);
    assert!(found(&store, &scope, "bs16pn").await.is_empty());

    // Customers are searched the same way.
    let customers = |text: &'static str| {
        let store = store.clone();
        async move {
            let terms = SearchTerms::parse(text).unwrap();
            store
                .search_customers(&scope, &terms, None, 50)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(customers("thom").await, vec![john.id]);
    assert_eq!(customers("SW1A1AA").await, vec![mary.id]);
    assert_eq!(customers("mary@example.net").await, vec![mary.id]);
    assert!(customers("bins").await.is_empty(), "a query's words do not find its customer");
}

/// Enough matches that PostgreSQL stops fetching them by id and walks the page's order instead
/// (`FEW_MATCHES` is 2,000 there).
const COMMON: usize = 2_100;

/// Every page of `filter` in `sort`, following the cursor, 700 at a time.
async fn all_pages(
    store: &DynStore,
    scope: &crate::TenantScope,
    filter: &QueryFilter,
    sort: QuerySort,
) -> Vec<QueryId> {
    let (mut ids, mut after) = (vec![], None);
    loop {
        let page = store.list_queries(scope, filter, sort, after, 700).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(domain::query_list::QueryCursor::after(last, sort));
        ids.extend(page.iter().map(|q| q.id));
    }
    ids
}

pub async fn a_common_word_pages_in_received_order_to_the_end(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let now = domain::Timestamp::now();
    let mut expected = vec![];
    for n in 0..COMMON + 300 {
        // Received times out of creation (id) order, some equal, so the order is received
        // time then id, never insertion order.
        let common = n % 8 != 0;
        let mut new = new_query(if common { "Pothole in the road" } else { "Streetlight out" }, None);
        new.received_at = now.plus_seconds(-((n * 7_919 % 5_003) as i64) * 60);
        if n % 3 == 0 {
            new.channel = domain::query::Channel::Email;
        }
        let query = store.create_query(&scope, new).await.unwrap();
        if common {
            expected.push((query.received_at, query.id, query.channel));
        }
    }
    assert!(expected.len() > 2_000, "more matches than are fetched by id");
    expected.sort_by_key(|(at, id, _)| (*at, *id));
    let search = QueryFilter { search: SearchTerms::parse("pothole"), ..Default::default() };
    let oldest_first: Vec<QueryId> = expected.iter().map(|(_, id, _)| *id).collect();
    let ascending = QuerySort::default();
    assert_eq!(all_pages(&store, &scope, &search, ascending).await, oldest_first);
    let descending = QuerySort::parse("-received_at").unwrap();
    let newest_first: Vec<QueryId> = oldest_first.iter().rev().copied().collect();
    assert_eq!(all_pages(&store, &scope, &search, descending).await, newest_first);
    // Another filter beside the search: the walk passes over matches it drops.
    let by_email = QueryFilter { channels: vec![domain::query::Channel::Email], ..search.clone() };
    let emailed: Vec<QueryId> =
        expected.iter().filter(|(_, _, c)| *c == domain::query::Channel::Email).map(|(_, id, _)| *id).collect();
    assert_eq!(all_pages(&store, &scope, &by_email, ascending).await, emailed);
    assert_eq!(store.count_queries(&scope, &by_email).await.unwrap(), emailed.len() as u64);
}
