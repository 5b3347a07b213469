//! Customer storage cases of the conformance suite.

use super::{DynStore, admin_scope, tenant};
use crate::StorageError;
use domain::{
    audit::verify_chain,
    customer::{CustomerDetails, RawAddress, RawCustomer},
};

pub fn details(given: &str, family: &str, email: &str, phone: &str, postcode: &str) -> CustomerDetails {
    CustomerDetails::parse(&RawCustomer {
        given_name: given.into(),
        family_name: family.into(),
        emails: vec![email.into()].into_iter().filter(|e: &String| !e.is_empty()).collect(),
        phones: vec![phone.into()].into_iter().filter(|p: &String| !p.is_empty()).collect(),
        address: Some(RawAddress {
            lines: vec!["1 High Street".into()],
            town: Some("Bristol".into()),
            postcode: Some(postcode.into()),
            country: None,
        }),
        ..Default::default()
    })
    .unwrap()
}

pub async fn customer_round_trips_normalised(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let created = store
        .create_customer(&scope, details("John", "Smith", "John@Example.org", "07400 123456", "bs16pn"))
        .await
        .unwrap();
    assert_eq!(created.version, 1);
    let fetched = store.get_customer(&scope, created.id).await.unwrap().unwrap();
    assert_eq!(fetched, created);
    assert_eq!(fetched.details.emails[0].as_str(), "john@example.org");
    assert_eq!(fetched.details.address.as_ref().unwrap().postcode.as_deref(), Some("BS1 6PN"));
    let chain = store.audit_chain(&scope).await.unwrap();
    assert_eq!(chain.last().unwrap().envelope.action, "customer.created");
}

pub async fn customer_updates_need_the_current_version(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let created = store.create_customer(&scope, details("Ann", "Lee", "ann@example.org", "", "BS1 6PN")).await.unwrap();
    let updated = store
        .update_customer(&scope, created.id, 1, details("Ann", "Leigh", "ann@example.org", "", "BS1 6PN"))
        .await
        .unwrap();
    assert_eq!((updated.version, updated.details.family_name.as_str()), (2, "Leigh"));
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(updated.created_at, created.created_at);
    let audit_before = store.audit_chain(&scope).await.unwrap();
    let stale = store.update_customer(&scope, created.id, 1, details("X", "Y", "", "", "BS1 6PN")).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })), "{stale:?}");
    assert_eq!(store.get_customer(&scope, created.id).await.unwrap().unwrap(), updated);
    let audit_after = store.audit_chain(&scope).await.unwrap();
    assert_eq!(audit_after.len(), audit_before.len(), "a refused update writes nothing");
    let change = audit_after.iter().rev().find(|e| e.envelope.action == "customer.updated").unwrap();
    let payload: serde_json::Value = serde_json::from_str(change.payload_json.as_deref().unwrap()).unwrap();
    assert_eq!(payload["before"], serde_json::json!({"family_name": "Lee"}));
    assert_eq!(payload["after"], serde_json::json!({"family_name": "Leigh"}));
    assert_eq!(verify_chain(&audit_after), Ok(audit_after.len() as u64));
    let missing =
        store.update_customer(&scope, domain::CustomerId::new(), 1, details("A", "B", "", "", "BS1 6PN")).await;
    assert!(matches!(missing, Err(StorageError::NotFound)));
}

pub async fn customers_are_invisible_across_tenants(store: DynStore) {
    let (_, admin_a) = tenant(&store).await;
    let (_, admin_b) = tenant(&store).await;
    let b = store
        .create_customer(&admin_scope(&admin_b), details("B", "Only", "b@example.org", "", "BS1 6PN"))
        .await
        .unwrap();
    let a_scope = admin_scope(&admin_a);
    assert_eq!(store.get_customer(&a_scope, b.id).await.unwrap(), None);
    let refused = store.update_customer(&a_scope, b.id, 1, details("A", "Steal", "", "", "BS1 6PN")).await;
    assert!(matches!(refused, Err(StorageError::NotFound)));
    assert!(store.list_customers(&a_scope, None, 100).await.unwrap().is_empty());
    let probe = details("B", "Only", "b@example.org", "", "BS1 6PN");
    assert!(store.duplicate_candidates(&a_scope, &probe).await.unwrap().is_empty());
}

pub async fn customers_page_by_keyset(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let mut created = vec![];
    for i in 0..5 {
        let email = format!("c{i}@example.org");
        created.push(store.create_customer(&scope, details("C", "Page", &email, "", "BS1 6PN")).await.unwrap().id);
    }
    let first = store.list_customers(&scope, None, 3).await.unwrap();
    let rest = store.list_customers(&scope, first.last().map(|c| c.id), 3).await.unwrap();
    let seen: Vec<_> = first.iter().chain(&rest).map(|c| c.id).collect();
    assert_eq!(seen, created);
}

pub async fn duplicate_candidates_share_a_contact_or_postcode(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let john = store
        .create_customer(&scope, details("John", "Smith", "john@example.org", "07400 123456", "BS1 6PN"))
        .await
        .unwrap();
    let elsewhere =
        store.create_customer(&scope, details("Mary", "Jones", "mary@example.org", "", "M1 1AE")).await.unwrap();
    let ids = |found: Vec<domain::customer::Customer>| found.into_iter().map(|c| c.id).collect::<Vec<_>>();
    // Same postcode however typed.
    let probe = details("Jon", "Smith", "", "", "bs16pn");
    assert_eq!(ids(store.duplicate_candidates(&scope, &probe).await.unwrap()), [john.id]);
    // Same email (case-insensitively) at another postcode.
    let probe = details("J", "S", "JOHN@example.org", "", "SW1A 1AA");
    assert_eq!(ids(store.duplicate_candidates(&scope, &probe).await.unwrap()), [john.id]);
    // Same phone however typed.
    let probe = details("X", "Y", "", "+44 7400 123456", "SW1A 1AA");
    assert_eq!(ids(store.duplicate_candidates(&scope, &probe).await.unwrap()), [john.id]);
    let probe = details("New", "Person", "new@example.org", "", "SW1A 1AA");
    assert!(store.duplicate_candidates(&scope, &probe).await.unwrap().is_empty());
    assert_ne!(elsewhere.id, john.id);
}
