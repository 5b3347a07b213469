//! Typed identifiers. All are UUIDv7, so they sort by creation time and index well.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    };
}

id_type!(
    /// A tenant: one public body sharing the deployment.
    TenantId
);
id_type!(
    /// A person within one tenant.
    UserId
);
id_type!(
    /// A unit of permission within one tenant.
    GroupId
);
id_type!(
    /// A customer: a person or organisation who contacts the service.
    CustomerId
);
id_type!(
    /// A customer query (a case).
    QueryId
);
id_type!(
    /// One of a tenant's query statuses.
    StatusId
);
id_type!(
    /// A query type or sub-type in the tenant's taxonomy.
    QueryTypeId
);
id_type!(
    /// A team of officers that queries can be assigned to.
    TeamId
);
id_type!(
    /// An internal note or contact record on a query.
    NoteId
);
id_type!(
    /// An in-app notification to one user.
    NotificationId
);
id_type!(
    /// A saved work-queue view.
    ViewId
);
id_type!(
    /// A business calendar (built-in ones have fixed ids).
    CalendarId
);
id_type!(
    /// A unit of time-driven work in the scheduler's table.
    JobId
);
id_type!(
    /// A service-level policy (built-in ones have fixed ids).
    SlaPolicyId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_7_and_increase() {
        let a = UserId::new();
        let b = UserId::new();
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert!(b > a, "v7 ids created later sort later");
    }
}
id_type!(
    /// A personal API token (its id, not its secret).
    ApiTokenId
);
id_type!(
    /// An interactive session, as administrators see it (the token hash never leaves the server).
    SessionId
);
id_type!(
    /// A mapping from an Entra group or app role to a Casedesk group.
    EntraMappingId
);
id_type!(
    /// A workflow: the default one, or one for a query type and its sub-types.
    WorkflowId
);
id_type!(
    /// A document held against a customer or a query.
    DocumentId
);
