use domain::{TenantId, audit::Actor};

/// The tenant a call acts in, and who acts. Repositories filter every tenant-owned query by
/// `tenant_id` and write `actor` into the audit entry of every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantScope {
    pub tenant_id: TenantId,
    pub actor: Actor,
    /// The viewer sees (and acts on) only the queries of their teams and those assigned to them:
    /// what this call needs they hold only through team-limited grants.
    pub own_teams_only: bool,
}

impl TenantScope {
    pub fn new(tenant_id: TenantId, actor: Actor) -> Self {
        Self { tenant_id, actor, own_teams_only: false }
    }

    /// The same scope, limited (or not) to the viewer's teams' queries.
    pub fn own_teams_only(self, limited: bool) -> Self {
        Self { own_teams_only: limited, ..self }
    }

    /// Whether reads of queries are limited to the viewer's teams (a user viewer only).
    pub fn team_limited_viewer(&self) -> bool {
        self.own_teams_only && self.viewer().is_some()
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
        Self { tenant_id, actor: Actor::System, own_teams_only: false }
    }
}
