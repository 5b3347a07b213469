//! Queries between the wire form and the domain.

use crate::{
    auth::principal::Principal,
    problem::{ApiError, ApiResult},
    state::AppState,
};
use api_types as wire;
use domain::{
    Area, CustomerId, Level, QueryTypeId, TeamId, Timestamp, UserId,
    query::{self, Assignment, Channel, NewQuery, Priority, QueryStatus, StatusCategory},
    query_list::DueState,
};
use storage::{Names, NamesWanted, TenantScope};

pub fn channel_in(channel: wire::QueryChannel) -> Channel {
    match channel {
        wire::QueryChannel::Email => Channel::Email,
        wire::QueryChannel::Phone => Channel::Phone,
        wire::QueryChannel::Post => Channel::Post,
        wire::QueryChannel::DespatchBox => Channel::DespatchBox,
        wire::QueryChannel::InPerson => Channel::InPerson,
        wire::QueryChannel::WebForm => Channel::WebForm,
    }
}

pub fn channel_out(channel: Channel) -> wire::QueryChannel {
    match channel {
        Channel::Email => wire::QueryChannel::Email,
        Channel::Phone => wire::QueryChannel::Phone,
        Channel::Post => wire::QueryChannel::Post,
        Channel::DespatchBox => wire::QueryChannel::DespatchBox,
        Channel::InPerson => wire::QueryChannel::InPerson,
        Channel::WebForm => wire::QueryChannel::WebForm,
    }
}

pub fn priority_in(priority: wire::QueryPriority) -> Priority {
    match priority {
        wire::QueryPriority::Low => Priority::Low,
        wire::QueryPriority::Normal => Priority::Normal,
        wire::QueryPriority::High => Priority::High,
        wire::QueryPriority::Urgent => Priority::Urgent,
    }
}

pub fn priority_out(priority: Priority) -> wire::QueryPriority {
    match priority {
        Priority::Low => wire::QueryPriority::Low,
        Priority::Normal => wire::QueryPriority::Normal,
        Priority::High => wire::QueryPriority::High,
        Priority::Urgent => wire::QueryPriority::Urgent,
    }
}

fn category_out(category: StatusCategory) -> wire::StatusCategory {
    match category {
        StatusCategory::New => wire::StatusCategory::New,
        StatusCategory::Open => wire::StatusCategory::Open,
        StatusCategory::Waiting => wire::StatusCategory::Waiting,
        StatusCategory::Resolved => wire::StatusCategory::Resolved,
        StatusCategory::Closed => wire::StatusCategory::Closed,
    }
}

pub fn status_out(status: &QueryStatus) -> wire::QueryStatus {
    wire::QueryStatus {
        id: status.id.as_uuid(),
        name: status.name.clone(),
        category: category_out(status.category),
        is_default: status.is_default,
        position: status.position,
        retired: status.retired,
        version: status.version,
    }
}

/// Validates a new query; every field at fault is reported (422).
pub fn new_query(input: &wire::CreateQueryRequest) -> ApiResult<NewQuery> {
    let received = input.received_at.map(Timestamp::from_datetime);
    let query::Account { subject, description, received_at } =
        query::Account::check(&input.subject, &input.description, received, Timestamp::now())?;
    Ok(NewQuery {
        customer_id: input.customer_id.map(CustomerId::from_uuid),
        channel: channel_in(input.channel),
        priority: priority_in(input.priority),
        subject,
        description,
        received_at,
        type_id: input.type_id.map(QueryTypeId::from_uuid),
        assignment: Assignment {
            officer: input.assignee_id.map(UserId::from_uuid),
            team: input.team_id.map(TeamId::from_uuid),
        },
    })
}

/// The wire form, with its status resolved from the tenant's list and the names found for its
/// ids (an id without a name is shown without one).
pub fn query_out(query: &query::Query, statuses: &[QueryStatus], names: &Names) -> ApiResult<wire::Query> {
    let status = statuses
        .iter()
        .find(|s| s.id == query.status_id)
        .ok_or_else(|| ApiError::Internal("a query's status is not among the tenant's".into()))?;
    Ok(wire::Query {
        id: query.id.as_uuid(),
        reference: query.reference.to_string(),
        customer_id: query.customer_id.map(|c| c.as_uuid()),
        channel: channel_out(query.channel),
        priority: priority_out(query.priority),
        status: status_out(status),
        subject: query.subject.clone(),
        description: query.description.clone(),
        received_at: query.received_at.as_datetime(),
        type_id: query.type_id.map(|t| t.as_uuid()),
        assignee_id: query.assignment.officer.map(|u| u.as_uuid()),
        team_id: query.assignment.team.map(|t| t.as_uuid()),
        customer_name: query.customer_id.and_then(|c| names.customers.get(&c).cloned()),
        assignee_name: query.assignment.officer.and_then(|u| names.users.get(&u).cloned()),
        team_name: query.assignment.team.and_then(|t| names.teams.get(&t).cloned()),
        is_open: query.is_open,
        version: query.version,
        created_at: query.created_at.as_datetime(),
        updated_at: query.updated_at.as_datetime(),
        due_at: query.due.due_at.map(|t| t.as_datetime()),
        due_state: query.due.state(Timestamp::now()).map(due_state_out),
    })
}

fn due_state_out(state: DueState) -> wire::DueState {
    match state {
        DueState::OnTime => wire::DueState::OnTime,
        DueState::DueSoon => wire::DueState::DueSoon,
        DueState::Overdue => wire::DueState::Overdue,
        DueState::Breached => wire::DueState::Breached,
    }
}

/// One query as the API shows it to `viewer`, its status named from the tenant's cached
/// statuses and its people and team by name.
pub async fn shown(
    state: &AppState,
    scope: &TenantScope,
    viewer: &Principal,
    query: &query::Query,
) -> ApiResult<wire::Query> {
    let out = all_shown(state, scope, viewer, std::slice::from_ref(query)).await?;
    out.into_iter().next().ok_or_else(|| ApiError::Internal("a shown query went missing".into()))
}

/// Several queries as the API shows them to `viewer`: a page is two reads whatever its length
/// (statuses come from a cache, names in one statement).
pub async fn all_shown(
    state: &AppState,
    scope: &TenantScope,
    viewer: &Principal,
    queries: &[query::Query],
) -> ApiResult<Vec<wire::Query>> {
    let statuses = state.statuses.statuses(state.store.as_ref(), scope, queries.iter().map(|q| q.status_id)).await?;
    let names = state.store.names(scope, &names_wanted(viewer, queries)).await?;
    queries.iter().map(|q| query_out(q, &statuses, &names)).collect()
}

/// The ids the queries name; customers only for a viewer who may read customers (the list
/// otherwise says only that there is one).
fn names_wanted(viewer: &Principal, queries: &[query::Query]) -> NamesWanted {
    let sees_customers = viewer.permissions.level(Area::Customers) >= Level::Read;
    NamesWanted {
        customers: if sees_customers { queries.iter().filter_map(|q| q.customer_id).collect() } else { vec![] },
        users: queries.iter().filter_map(|q| q.assignment.officer).collect(),
        teams: queries.iter().filter_map(|q| q.assignment.team).collect(),
        ..NamesWanted::default()
    }
    .dedup()
}
