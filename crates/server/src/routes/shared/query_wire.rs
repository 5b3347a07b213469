//! Queries between the wire form and the domain.

use crate::{
    problem::{ApiError, ApiResult},
    state::AppState,
};
use api_types as wire;
use domain::{
    CustomerId, QueryTypeId, TeamId, Timestamp, UserId,
    query::{self, Assignment, Channel, NewQuery, Priority, QueryStatus, StatusCategory},
};
use storage::TenantScope;

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

fn priority_out(priority: Priority) -> wire::QueryPriority {
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

/// The wire form, with its status resolved from the tenant's list.
pub fn query_out(query: &query::Query, statuses: &[QueryStatus]) -> ApiResult<wire::Query> {
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
        is_open: query.is_open,
        version: query.version,
        created_at: query.created_at.as_datetime(),
        updated_at: query.updated_at.as_datetime(),
    })
}

/// One query as the API shows it, its status named from the tenant's cached statuses.
pub async fn shown(state: &AppState, scope: &TenantScope, query: &query::Query) -> ApiResult<wire::Query> {
    let statuses = state.statuses.statuses(state.store.as_ref(), scope, [query.status_id]).await?;
    query_out(query, &statuses)
}

/// Several queries as the API shows them.
pub async fn all_shown(state: &AppState, scope: &TenantScope, queries: &[query::Query]) -> ApiResult<Vec<wire::Query>> {
    let statuses = state.statuses.statuses(state.store.as_ref(), scope, queries.iter().map(|q| q.status_id)).await?;
    queries.iter().map(|q| query_out(q, &statuses)).collect()
}
