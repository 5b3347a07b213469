//! Business calendars and the tenant's bank-holidays file.

use super::{DynStore, admin_scope, tenant};
use crate::StorageError;
use domain::calendar::{CalendarDefinition, ClosureEntry, Division, built_in};

fn office(name: &str) -> CalendarDefinition {
    CalendarDefinition { name: name.into(), ..built_in()[1].1.clone() }
}

/// Kept per tenant under a unique name (any case), versioned, and audited.
pub async fn calendars_are_kept_per_tenant_and_versioned(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let (_, stranger) = tenant(&store).await;
    let created = store.create_calendar(&scope, office("Contact centre")).await.unwrap();
    assert_eq!((created.version, created.built_in), (1, false));
    assert_eq!(store.get_calendar(&scope, created.id).await.unwrap(), Some(created.clone()));
    let clash = store.create_calendar(&scope, office("CONTACT CENTRE")).await;
    assert!(matches!(clash, Err(StorageError::Conflict(domain::Conflict::CalendarNameTaken))), "{clash:?}");
    assert!(store.get_calendar(&admin_scope(&stranger), created.id).await.unwrap().is_none(), "another tenant's");
    assert!(store.list_calendars(&admin_scope(&stranger)).await.unwrap().is_empty());

    let closure = ClosureEntry {
        from: "2026-12-24T12:00:00Z".parse().unwrap(),
        to: "2026-12-24T17:00:00Z".parse().unwrap(),
        reason: "Christmas Eve afternoon".into(),
    };
    let changed =
        CalendarDefinition { closures: vec![closure], division: Some(Division::Scotland), ..office("Contact centre") };
    let updated = store.update_calendar(&scope, created.id, 1, changed.clone()).await.unwrap();
    assert_eq!((updated.version, &updated.definition), (2, &changed));
    let stale = store.update_calendar(&scope, created.id, 1, office("Stale")).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })), "{stale:?}");
    let names: Vec<String> =
        store.list_calendars(&scope).await.unwrap().into_iter().map(|c| c.definition.name).collect();
    assert_eq!(names, ["Contact centre"]);
    let actions: Vec<String> =
        store.audit_chain(&scope).await.unwrap().into_iter().map(|e| e.envelope.action).collect();
    assert!(
        actions.contains(&"calendar.created".into()) && actions.contains(&"calendar.updated".into()),
        "{actions:?}"
    );
}

/// One uploaded file per tenant, replaced only at the version last read.
pub async fn a_bank_holiday_upload_replaces_the_last_one_read(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    assert_eq!(store.bank_holiday_file(&scope).await.unwrap(), None, "the shipped copy applies");
    let first = store.set_bank_holiday_file(&scope, "{\"a\":1}".into(), None).await.unwrap();
    assert_eq!(first, 1);
    let again = store.set_bank_holiday_file(&scope, "{\"b\":2}".into(), None).await;
    assert!(matches!(again, Err(StorageError::VersionMismatch { current: 1 })), "{again:?}");
    assert_eq!(store.set_bank_holiday_file(&scope, "{\"c\":3}".into(), Some(1)).await.unwrap(), 2);
    let (content, version, _) = store.bank_holiday_file(&scope).await.unwrap().expect("a file");
    assert_eq!((content.as_str(), version), ("{\"c\":3}", 2));
    let (_, stranger) = tenant(&store).await;
    assert_eq!(store.bank_holiday_file(&admin_scope(&stranger)).await.unwrap(), None);
}
