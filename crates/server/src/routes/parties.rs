//! Further parties to a query (DESIGN §3): customers acting in a role, such as an MP or a
//! solicitor writing for the customer.

use crate::{
    auth::{
        Authorized,
        policy::{QueriesRead, QueriesWrite},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    state::AppState,
};
use actix_web::{HttpResponse, delete, get, post, web};
use api_types::{PartyInput, PartyList, PartyRole};
use domain::{CustomerId, QueryId, party};

type Problem = api_types::Problem;

fn role_in(role: PartyRole) -> party::PartyRole {
    match role {
        PartyRole::Representative => party::PartyRole::Representative,
        PartyRole::Mp => party::PartyRole::Mp,
        PartyRole::Councillor => party::PartyRole::Councillor,
        PartyRole::Solicitor => party::PartyRole::Solicitor,
        PartyRole::Advocate => party::PartyRole::Advocate,
        PartyRole::Family => party::PartyRole::Family,
        PartyRole::Other => party::PartyRole::Other,
    }
}

fn role_out(role: party::PartyRole) -> PartyRole {
    match role {
        party::PartyRole::Representative => PartyRole::Representative,
        party::PartyRole::Mp => PartyRole::Mp,
        party::PartyRole::Councillor => PartyRole::Councillor,
        party::PartyRole::Solicitor => PartyRole::Solicitor,
        party::PartyRole::Advocate => PartyRole::Advocate,
        party::PartyRole::Family => PartyRole::Family,
        party::PartyRole::Other => PartyRole::Other,
    }
}

fn party_out(party: &party::Party) -> api_types::Party {
    api_types::Party {
        customer_id: party.customer_id.as_uuid(),
        role: role_out(party.role),
        added_at: party.added_at.as_datetime(),
    }
}

/// The query's further parties, in the order added.
#[utoipa::path(tag = "queries", security(("session" = [])), params(("id" = Uuid, Path, description = "The query's id")), responses(
    (status = OK, body = PartyList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}/parties")]
pub async fn list_parties(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<web::Json<PartyList>> {
    let scope = auth.scope();
    let id = id.into_inner();
    state.store.get_query(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let parties = state.store.list_parties(&scope, id).await?;
    Ok(web::Json(PartyList { items: parties.iter().map(party_out).collect() }))
}

/// Adds a customer as a party to the query in a role.
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = PartyInput,
    params(("id" = Uuid, Path, description = "The query's id")),
    responses(
        (status = CREATED, body = api_types::Party),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/queries/{id}/parties")]
pub async fn add_party(
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    id: web::Path<QueryId>,
    body: ValidJson<PartyInput>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let customer = CustomerId::from_uuid(body.0.customer_id);
    let party = state.store.add_party(&auth.scope(), id, customer, role_in(body.0.role)).await?;
    Ok(HttpResponse::Created().json(party_out(&party)))
}

/// Removes a party from the query.
#[utoipa::path(tag = "queries", security(("session" = [])),
    params(
        ("id" = Uuid, Path, description = "The query's id"),
        ("customer_id" = Uuid, Path, description = "The party's customer id"),
        ("role" = PartyRole, Path, description = "The role they had"),
    ),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/queries/{id}/parties/{customer_id}/{role}")]
pub async fn remove_party(
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    path: web::Path<(QueryId, CustomerId, String)>,
) -> ApiResult<HttpResponse> {
    let (id, customer, role) = path.into_inner();
    let role = party::PartyRole::parse(&role).ok_or(ApiError::NotFound)?;
    state.store.remove_party(&auth.scope(), id, customer, role).await?;
    Ok(HttpResponse::NoContent().finish())
}
