//! Writes refused because of what is already stored: a name or address another record holds,
//! or a rule over several records (the last administrator, a built-in group). Each has a
//! variant, so the API's answer for it is chosen by the compiler, not by matching strings.

/// Why a write conflicts with what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Another user of the organisation has this email address.
    EmailTaken,
    /// Another organisation has this short name.
    OrganisationSlugTaken,
    TeamNameTaken,
    GroupNameTaken,
    QueryTypeNameTaken,
    /// The owner already has a saved view with this name.
    ViewNameTaken,
    /// The organisation already has a calendar with this name.
    CalendarNameTaken,
    /// The organisation already has a service-level policy with this name.
    SlaPolicyNameTaken,
    /// The organisation already has a status with this name.
    StatusNameTaken,
    /// A status a current workflow uses cannot be retired.
    StatusInUse,
    /// The query type already has its own workflow.
    WorkflowTypeTaken,
    /// Only a failed job can be retried by hand; others are pending, running or done.
    JobNotFailed,
    /// The customer already has this role on the query.
    PartyRoleTaken,
    /// Another organisation here already signs in with this Entra directory.
    EntraDirectoryTaken,
    /// This Entra group or app role is already mapped to this group.
    EntraMappingTaken,
    /// A built-in group keeps its grants, so a tenant always has its administrators.
    BuiltinGroupGrants,
    /// A built-in group cannot be deleted.
    BuiltinGroupDeleted,
    /// The change would leave the organisation with no active administrator.
    LastAdministrator,
    /// The group restricts queries; deleting it would leave them visible to nobody, or to all.
    GroupRestrictsQueries,
    /// Under the organisation's `refuse` policy, the user is signed in elsewhere.
    SessionActiveElsewhere,
    /// A uniqueness rule without a meaning of its own here (an idempotency key being used, a
    /// second identity link); `constraint` names it for the log.
    Duplicate {
        constraint: String,
    },
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conflict::Duplicate { constraint } => write!(f, "duplicate on {constraint}"),
            other => write!(f, "{other:?}"),
        }
    }
}
