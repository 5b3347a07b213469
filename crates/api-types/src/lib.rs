//! The wire format of the Casedesk JSON API (`/api/v1`).
//!
//! This crate compiles for wasm32 so the SPA and the server share one definition of every
//! request and response. It depends on no server crate; utoipa schemas come with the
//! `openapi` feature.

pub mod api_tokens;
pub mod auth;
pub mod calendars;
pub mod customers;
pub mod documents;
pub mod entra;
pub mod jobs;
mod numbers;
pub mod permissions;
pub mod problem;
pub mod queries;
pub mod sessions;
pub mod sla;
pub mod users;
pub mod work;
pub mod workflows;

pub use api_tokens::{ApiToken, ApiTokenList, CreateApiTokenRequest, CreatedApiToken};
pub use auth::{AuthOptions, Me, SignInRequest, TenantSummary};
pub use calendars::{
    BankHolidayDivision, BankHolidayDivisionEvents, BankHolidayEvent, BankHolidayFile, BankHolidaySource,
    BankHolidaySummary, BusinessCalendar, CalendarInput, CalendarList, ClosureTimes, DayHours, DivisionSummary,
    DuePreview, DuePreviewRequest, ShiftTimes, TargetUnit, Weekday,
};
pub use customers::{
    Address, Consent, ContactChannel, Customer, CustomerInput, CustomerOverview, CustomerPage, DuplicateCheck,
    DuplicateMatch, DuplicateReason, Timeline, TimelineEvent,
};
pub use documents::{
    DeleteDocumentRequest, Document, DocumentList, DocumentMatch, DocumentMatchPage, DocumentUpload,
    RenameDocumentRequest, ScanStatus,
};
pub use entra::{EntraClaim, EntraMapping, EntraMappingList, EntraSettings, EntraSettingsRequest, NewEntraMapping};
pub use jobs::{Job, JobList, JobState};
pub use permissions::{Permission, PermissionArea, PermissionLevel};
pub use problem::{FieldProblem, Problem, ProblemCode};
pub use queries::{
    AssignRequest, BulkChange, BulkChangeRequest, BulkChangeResult, BulkItem, BulkOutcome, ChangeStatusRequest,
    CreateQueryRequest, DueState, GroupRef, Query, QueryChannel, QueryPage, QueryPriority, QueryRestriction,
    QueryStatus, QueryStatusList, RestrictionRequest, StatusCategory, StatusChange, StatusHistory,
};
pub use sessions::{AccessSettings, AccessSettingsRequest, LocalSignIn, OneSessionPolicy, SessionInfo, SessionList};
pub use sla::{
    ClockKind, ClockPreview, ClockState, DueSoon, DueSoonRule, QueryClock, QueryClockList, SlaConditions,
    SlaCustomerCondition, SlaEscalation, SlaPolicy, SlaPolicyInput, SlaPolicyList, SlaPolicyOrder, SlaPreview,
    SlaPreviewRequest, SlaRetime, SlaTarget, SlaTargetUnit,
};
pub use users::{
    CreateUserRequest, EffectivePermission, Group, GroupList, GroupRequest, Officer, OfficerPage, User, UserAccess,
    UserPage, UserStatus, UserUpdateRequest,
};
pub use work::{
    ContactDirection, CreateNoteRequest, CreateQueryTypeRequest, History, HistoryEntry, MergeRequest, MergeResult,
    Note, NoteKind, NoteList, Notification, NotificationKind, NotificationPage, OfficerLoad, Party, PartyInput,
    PartyList, PartyRole, QueryType, QueryTypeList, RecentList, RecentRecord, SavedViewDetails, ShareRequest,
    SharedKind, SubjectKind, Team, TeamInput, TeamList, TeamWorkload, UpdateQueryRequest, UpdateQueryTypeRequest, View,
    ViewInput, ViewList,
};

/// The header a browser must send with every cookie-authenticated write (CSRF defence).
/// A cross-site form cannot set it, and a cross-site script cannot send it without a CORS
/// preflight, which the server never grants.
pub const CSRF_HEADER: &str = "X-Casedesk-CSRF";

/// The name of the session cookie. The `__Host-` prefix makes browsers insist on `Secure`,
/// `Path=/` and no `Domain`, so no other host can set or read it.
pub const SESSION_COOKIE: &str = "__Host-casedesk_session";
pub use workflows::{
    AvailableTransition, MoveWorkflowRequest, NewQueryStatus, NewWorkflow, QueryStatusChange, QueryTransitions,
    TransitionRequirement, Workflow, WorkflowDefinition, WorkflowList, WorkflowTransition, WorkflowVersion,
};
