//! Declarative authorisation: a handler states what it needs in its signature, e.g.
//! `auth: Authorized<AdministrationRead>`, and cannot run without it (deny by default).

use super::Principal;
use crate::problem::ApiError;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use domain::{Area, Level};
use futures_util::future::LocalBoxFuture;
use std::marker::PhantomData;

/// A permission an operation needs: an area and the least level in it.
pub trait Policy: 'static {
    const AREA: Area;
    const LEVEL: Level;
}

macro_rules! policy {
    ($(#[$doc:meta])* $name:ident => $area:ident, $level:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;
        impl Policy for $name {
            const AREA: Area = Area::$area;
            const LEVEL: Level = Level::$level;
        }
    };
}

policy!(
    /// See users, groups and the audit trail.
    AdministrationRead => Administration, Read
);
policy!(
    /// Create and change users and teams.
    AdministrationWrite => Administration, ReadWrite
);
policy!(
    /// Groups and their grants: the administration area's settings.
    AdministrationFull => Administration, Full
);

policy!(
    /// See customers.
    CustomersRead => Customers, Read
);
policy!(
    /// Create and change customers.
    CustomersWrite => Customers, ReadWrite
);

policy!(
    /// Merge customers: changes that reach across records.
    CustomersFull => Customers, Full
);

policy!(
    /// See queries and their history.
    QueriesRead => Queries, Read
);
policy!(
    /// Log and work queries.
    QueriesWrite => Queries, ReadWrite
);
policy!(
    /// Delete queries.
    QueriesFull => Queries, Full
);

policy!(
    /// See and download documents.
    DocumentsRead => Documents, Read
);
policy!(
    /// Upload and rename documents.
    DocumentsWrite => Documents, ReadWrite
);
policy!(
    /// Delete documents.
    DocumentsFull => Documents, Full
);

/// A principal allowed by policy `P`.
#[derive(Debug)]
pub struct Authorized<P: Policy> {
    pub principal: Principal,
    policy: PhantomData<P>,
}

impl<P: Policy> Authorized<P> {
    /// The scope for this operation's storage calls: limited to the caller's teams' queries
    /// when the level this operation needs in queries is held only through team-limited grants.
    pub fn scope(&self) -> storage::TenantScope {
        let permissions = &self.principal.permissions;
        let limited = match P::AREA {
            Area::Queries => permissions.own_teams_only(Area::Queries, P::LEVEL),
            // A team-limited documents grant reaches the documents of the holder's teams' queries.
            Area::Documents => {
                permissions.own_teams_only(Area::Queries, Level::Read)
                    || permissions.own_teams_only(Area::Documents, P::LEVEL)
            }
            _ => permissions.own_teams_only(Area::Queries, Level::Read),
        };
        self.principal.scope().own_teams_only(limited)
    }
}

impl<P: Policy> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let principal = Principal::from_request(req, payload);
        Box::pin(async move {
            let principal = principal.await?;
            if !principal.permissions.allows(P::AREA, P::LEVEL) {
                return Err(ApiError::Forbidden);
            }
            Ok(Authorized { principal, policy: PhantomData })
        })
    }
}
