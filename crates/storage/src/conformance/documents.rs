//! Documents: recorded all or none against a record the caller sees, hidden with it, and their
//! keys destroyed when deleted; tenant keys numbered without gaps.

use super::{DynStore, admin_scope, customers::details, new_user, queries::new_query, tenant, unique};
use crate::*;
use domain::{
    DocumentId, Timestamp,
    document::{NewDocument, Owner, ScanState, Sealing},
    notification::{NotificationKind, Subject},
};

pub(super) fn new_document(name: &str, key_version: u32) -> NewDocument {
    NewDocument {
        id: DocumentId::new(),
        name: name.into(),
        content_type: "application/pdf".into(),
        size_bytes: 1234,
        sealing: Sealing { blob_name: format!("blob-{name}"), key_version, wrapped_key: vec![7; 60], sha256: [9; 32] },
        scanned_at: Timestamp::now(),
    }
}

pub async fn documents_are_kept_with_their_records_and_shredded_when_deleted(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);

    // Tenant keys: the first is version 1. Several first uploads at once each offer one: one is
    // kept and every caller gets that one (none fails on the other's row).
    assert_eq!(store.tenant_key(&scope, None).await.unwrap(), None);
    let offers: Vec<_> = (1..=4u8)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store.add_tenant_key(&scope, 1, vec![n; 60]).await })
        })
        .collect();
    let mut answers = Vec::new();
    for offer in offers {
        answers.push(offer.await.unwrap().unwrap());
    }
    assert!(answers.iter().all(|answer| *answer == answers[0]), "{answers:?}");
    let first = store.tenant_key(&scope, Some(1)).await.unwrap().unwrap();
    assert_eq!(first, answers[0]);
    assert_eq!(store.add_tenant_key(&scope, 1, vec![9; 60]).await.unwrap(), first, "the race is lost");
    assert_eq!(store.add_tenant_key(&scope, 2, vec![3; 60]).await.unwrap(), (2, vec![3; 60]));
    assert_eq!(store.tenant_key(&scope, None).await.unwrap(), Some((2, vec![3; 60])));
    assert_eq!(store.tenant_key(&scope, Some(1)).await.unwrap(), Some(first));

    let customer =
        store.create_customer(&scope, details("Doc", "Holder", "doc@example.org", "", "BS1 6PN")).await.unwrap();
    let query = store.create_query(&scope, new_query("Letter", Some(customer.id))).await.unwrap();
    let on_query = Owner::Query(query.id);
    let added =
        store.add_documents(&scope, on_query, vec![new_document("a.pdf", 2), new_document("b.pdf", 1)]).await.unwrap();
    assert_eq!(added.len(), 2);
    let listed = store.documents_of(&scope, on_query).await.unwrap();
    assert_eq!(listed, added, "read back exactly");
    assert_eq!(listed[0].sealing.as_ref().unwrap().key_version, 2);

    // All or none: one document naming a key version that does not exist stores nothing.
    let broken = store.add_documents(&scope, on_query, vec![new_document("c.pdf", 2), new_document("d.pdf", 9)]).await;
    assert!(broken.is_err(), "{broken:?}");
    assert_eq!(store.documents_of(&scope, on_query).await.unwrap().len(), 2);

    // Another tenant's caller sees neither the query's documents nor any by id.
    let (_, other) = tenant(&store).await;
    let other_scope = admin_scope(&other);
    assert!(matches!(store.documents_of(&other_scope, on_query).await, Err(StorageError::NotFound)));
    assert_eq!(store.get_document(&other_scope, added[0].id).await.unwrap(), None);

    // Rename, then delete: the key goes and the document with it.
    let renamed = store.rename_document(&scope, added[0].id, 1, "Renamed.pdf".into()).await.unwrap();
    assert_eq!((renamed.name.as_str(), renamed.version), ("Renamed.pdf", 2));
    let stale = store.delete_document(&scope, added[0].id, 1, "Wrong".into()).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })), "{stale:?}");
    let deleted = store.delete_document(&scope, added[0].id, 2, "Sent in error".into()).await.unwrap();
    assert_eq!(deleted.sealing.unwrap().blob_name, "blob-a.pdf", "the caller learns which blob to remove");
    assert_eq!(store.get_document(&scope, added[0].id).await.unwrap(), None);
    assert_eq!(store.documents_of(&scope, on_query).await.unwrap().len(), 1);

    // A customer's own documents follow the customer into a merge.
    let survivor =
        store.create_customer(&scope, details("Sur", "Vivor", "sur@example.org", "", "BS1 6PN")).await.unwrap();
    let on_customer = Owner::Customer(customer.id);
    store.add_documents(&scope, on_customer, vec![new_document("id.pdf", 2)]).await.unwrap();
    let customer = store.get_customer(&scope, customer.id).await.unwrap().unwrap();
    store.merge_customer(&scope, customer.id, customer.version, survivor.id).await.unwrap();
    assert!(matches!(store.documents_of(&scope, on_customer).await, Err(StorageError::NotFound)));
    assert_eq!(store.documents_of(&scope, Owner::Customer(survivor.id)).await.unwrap().len(), 1);

    let actions: Vec<String> =
        store.audit_chain(&scope).await.unwrap().into_iter().map(|e| e.envelope.action).collect();
    for action in ["tenant_key.added", "document.added", "document.renamed", "document.deleted"] {
        assert!(actions.iter().any(|a| a == action), "{action} audited: {actions:?}");
    }
}

pub async fn rescans_go_oldest_first_and_a_find_quarantines_and_tells_administrators(store: DynStore) {
    let (tenant, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let officer = store.create_user(&scope, new_user(&format!("{}@example.org", unique("off")))).await.unwrap();
    store.add_tenant_key(&scope, 1, vec![1; 60]).await.unwrap();
    let query = store.create_query(&scope, new_query("Letter", None)).await.unwrap();
    let owner = Owner::Query(query.id);
    let mut documents = Vec::new();
    for (name, age_secs) in [("new.pdf", 10), ("old.pdf", 3_000), ("older.pdf", 6_000)] {
        let document = NewDocument { scanned_at: Timestamp::now().plus_seconds(-age_secs), ..new_document(name, 1) };
        documents.extend(store.add_documents(&scope, owner, vec![document]).await.unwrap());
    }
    let system = TenantScope::system(tenant.id);
    let names = |found: Vec<domain::document::Document>| found.into_iter().map(|d| d.name).collect::<Vec<_>>();

    // Due: checked before the cut-off, oldest first, resumed after the last seen.
    let cutoff = Timestamp::now().plus_seconds(-60);
    let due = store.documents_to_rescan(&system, cutoff, None, 10).await.unwrap();
    assert_eq!(names(due.clone()), ["older.pdf", "old.pdf"]);
    let rest = store.documents_to_rescan(&system, cutoff, Some((due[0].scanned_at, due[0].id)), 10).await.unwrap();
    assert_eq!(names(rest), ["old.pdf"]);
    let (_, other) = super::tenant(&store).await;
    assert!(
        store.documents_to_rescan(&TenantScope::system(other.tenant_id), cutoff, None, 10).await.unwrap().is_empty()
    );

    // Clean: the check time moves on and it is no longer due; nobody is told.
    let now = Timestamp::now();
    assert!(store.record_rescan(&system, due[0].id, now, None).await.unwrap().is_empty());
    let rechecked = store.get_document(&scope, due[0].id).await.unwrap().unwrap();
    assert_eq!((rechecked.scanned_at, rechecked.version, rechecked.scan), (now, 1, ScanState::Clean));
    assert_eq!(names(store.documents_to_rescan(&system, cutoff, None, 10).await.unwrap()), ["old.pdf"]);

    // Infected: quarantined, audited, on the timeline, administrators (only) told; once.
    let told = store.record_rescan(&system, due[1].id, now, Some("Test.Sig-1".into())).await.unwrap();
    assert_eq!(told, [admin.id]);
    let quarantined = store.get_document(&scope, due[1].id).await.unwrap().unwrap();
    assert_eq!((quarantined.scan, quarantined.version), (ScanState::Quarantined { signature: "Test.Sig-1".into() }, 2));
    assert!(store.documents_to_rescan(&system, cutoff, None, 10).await.unwrap().is_empty());
    assert!(store.record_rescan(&system, due[1].id, now, Some("Test.Sig-1".into())).await.unwrap().is_empty());
    let inbox = store.notifications_of(&scope, admin.id, None, 10).await.unwrap();
    let alert = &inbox[0].notification;
    assert_eq!((alert.kind, alert.subject), (NotificationKind::DocumentQuarantined, Subject::Query(query.id)));
    assert!(alert.message.as_deref().unwrap().contains("Test.Sig-1 in “old.pdf”"), "{alert:?}");
    assert_eq!(inbox.len(), 1, "told once");
    assert!(store.notifications_of(&scope, officer.id, None, 10).await.unwrap().is_empty());
    let timeline = store.query_timeline(&scope, query.id, 50).await.unwrap();
    assert!(timeline.iter().any(|e| e.kind == "document.quarantined" && e.details["signature"] == "Test.Sig-1"));
    let actions: Vec<String> =
        store.audit_chain(&scope).await.unwrap().into_iter().map(|e| e.envelope.action).collect();
    assert!(actions.iter().any(|a| a == "document.quarantined"), "{actions:?}");

    // A deleted document is never rescanned nor quarantined.
    let gone = store.delete_document(&scope, documents[0].id, 1, "Duplicate".into()).await.unwrap();
    assert!(store.record_rescan(&system, gone.id, now, Some("Test.Sig-1".into())).await.unwrap().is_empty());
    assert!(
        store.documents_to_rescan(&system, Timestamp::now(), None, 10).await.unwrap().iter().all(|d| d.id != gone.id)
    );
}
