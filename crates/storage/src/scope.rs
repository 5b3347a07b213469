use domain::{TenantId, audit::Actor};

/// The tenant a call acts in, and who acts. Repositories filter every tenant-owned query by
/// `tenant_id` and write `actor` into the audit entry of every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantScope {
    pub tenant_id: TenantId,
    pub actor: Actor,
}

impl TenantScope {
    pub fn new(tenant_id: TenantId, actor: Actor) -> Self {
        Self { tenant_id, actor }
    }

    /// The user whose view of restricted queries applies; `None` for the application itself
    /// (maintenance and seeding see every record).
    pub fn viewer(&self) -> Option<uuid::Uuid> {
        match self.actor {
            Actor::User(id) => Some(id),
            Actor::System => None,
        }
    }

    /// The application acting on its own behalf (first start, `casedesk tenant create`).
    pub fn system(tenant_id: TenantId) -> Self {
        Self { tenant_id, actor: Actor::System }
    }
}
