//! Customers (FR-001): create, read, replace with optimistic concurrency, list, and check for
//! likely duplicates before creating (FR-020).

use crate::routes::shared::mentions;
use crate::{
    auth::{
        Authorized,
        policy::{CustomersRead, CustomersWrite},
    },
    idempotency,
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        conditional::if_match,
        customer_wire::TIMELINE_LIMIT,
        customer_wire::details_from_input,
        customer_wire::wire_customer,
        paging::PageQuery,
        respond::{Created, MergedInto, Tagged, TaggedOrMoved},
    },
    state::AppState,
};
use actix_web::{Either, HttpRequest, HttpResponse, get, post, put, web};
use api_types::{Customer, CustomerInput, CustomerPage, DuplicateCheck, DuplicateMatch, DuplicateReason, Timeline};
use domain::{CustomerId, ValidationErrors, customer::likely_same_person, search::SearchTerms};

type Problem = api_types::Problem;

/// Creates a customer. With an `Idempotency-Key`, a retry replays the first response.
#[utoipa::path(tag = "customers", security(("session" = [])), request_body = CustomerInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    responses(
    (status = CREATED, body = Customer, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/customers")]
pub async fn create_customer(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<CustomersWrite>,
    body: ValidJson<CustomerInput>,
) -> ApiResult<HttpResponse> {
    let scope = auth.scope();
    idempotency::run(&req, state.store.as_ref(), &scope, &body.0, || async {
        let details = details_from_input(&body.0)?;
        let customer = state.store.create_customer(&scope, details).await?;
        let location = format!("/api/v1/customers/{}", customer.id);
        Ok(Created::new(location, customer.version, wire_customer(&customer)).stored())
    })
    .await
}

/// Finds customers: every word must match their names, emails or postcode (the last word of
/// each as a prefix).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct CustomerSearch {
    /// Search text, e.g. `thom bs16pn` or a full email address.
    q: Option<String>,
}

/// Live customers, oldest first, by keyset pages; with `q`, those matching the search.
#[utoipa::path(tag = "customers", security(("session" = [])), params(PageQuery, CustomerSearch), responses(
    (status = OK, body = CustomerPage),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[get("/customers")]
pub async fn list_customers(
    state: web::Data<AppState>,
    auth: Authorized<CustomersRead>,
    query: web::Query<PageQuery>,
    search: web::Query<CustomerSearch>,
) -> ApiResult<web::Json<CustomerPage>> {
    let mut errors = ValidationErrors::default();
    let q = search.q.as_deref().map(str::trim).unwrap_or_default();
    let page = query.check(&mut errors, &format!("customers|q={q}"));
    let terms = SearchTerms::parse(q);
    errors.into_result()?;
    // Text to search for with no letters or digits in it finds nothing.
    if terms.is_none() && !q.is_empty() {
        return Ok(web::Json(CustomerPage { items: vec![], next_cursor: None }));
    }
    let after = page.after.map(CustomerId::from_uuid);
    let scope = auth.scope();
    let _turn = state.scans.enter().await;
    let mut customers = match terms {
        Some(terms) => state.store.search_customers(&scope, &terms, after, page.fetch_limit()).await?,
        None => state.store.list_customers(&scope, after, page.fetch_limit()).await?,
    };
    let next_cursor = page.finish(&mut customers, |c| c.id.as_uuid());
    Ok(web::Json(CustomerPage { items: customers.iter().map(wire_customer).collect(), next_cursor }))
}

/// One customer. A customer merged into another answers 308 with the survivor's `Location`, so
/// old links still resolve. Ids of other tenants' customers are not found.
#[utoipa::path(tag = "customers", security(("session" = [])), params(("id" = Uuid, Path, description = "The customer's id")), responses(
    (status = OK, body = Customer, headers(("ETag" = String))),
    (status = PERMANENT_REDIRECT, description = "Merged into the customer at `Location`", headers(("Location" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/customers/{id}")]
pub async fn get_customer(
    state: web::Data<AppState>,
    auth: Authorized<CustomersRead>,
    // Parsed by the extractor, so `GET /customers/duplicate-check` is 405, not a missing customer.
    id: web::Path<CustomerId>,
) -> ApiResult<TaggedOrMoved<api_types::Customer>> {
    let scope = auth.scope();
    let id = id.into_inner();
    let Some(customer) = state.store.get_customer(&scope, id).await? else {
        // A merged customer's old links lead to the record it was merged into (FR-020).
        let survivor = state.store.merged_into(&scope, id).await?.ok_or(ApiError::NotFound)?;
        let location = format!("/api/v1/customers/{survivor}");
        return Ok(Either::Right(MergedInto(location)));
    };
    Ok(Either::Left(Tagged::new(customer.version, wire_customer(&customer))))
}

/// Replaces a customer's details. Needs `If-Match` with the current ETag: a stale one is 412
/// with the current version, and nothing changes.
#[utoipa::path(tag = "customers", security(("session" = [])), request_body = CustomerInput,
    params(("id" = Uuid, Path, description = "The customer's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = Customer, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/customers/{id}")]
pub async fn replace_customer(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<CustomersWrite>,
    id: web::Path<CustomerId>,
    body: ValidJson<CustomerInput>,
) -> ApiResult<Tagged<api_types::Customer>> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let details = details_from_input(&body.0)?;
    let customer = state.store.update_customer(&auth.scope(), id, expected, details).await?;
    Ok(Tagged::new(customer.version, wire_customer(&customer)))
}

/// Existing customers who may be the person about to be created: the same email address or
/// phone number, or a similar name at the same postcode however typed.
#[utoipa::path(tag = "customers", security(("session" = [])), request_body = CustomerInput, responses(
    (status = OK, body = DuplicateCheck),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/customers/duplicate-check")]
pub async fn check_duplicates(
    state: web::Data<AppState>,
    auth: Authorized<CustomersRead>,
    body: ValidJson<CustomerInput>,
) -> ApiResult<web::Json<DuplicateCheck>> {
    let details = details_from_input(&body.0)?;
    let _turn = state.scans.enter().await;
    let candidates = state.store.duplicate_candidates(&auth.scope(), &details).await?;
    let postcode = details.address.as_ref().and_then(|a| a.postcode.clone());
    let mut items: Vec<DuplicateMatch> = candidates
        .iter()
        .filter_map(|candidate| {
            let other = &candidate.details;
            let mut reasons = vec![];
            if other.emails.iter().any(|e| details.emails.contains(e)) {
                reasons.push(DuplicateReason::SameEmail);
            }
            if other.phones.iter().any(|p| details.phones.contains(p)) {
                reasons.push(DuplicateReason::SamePhone);
            }
            let same_postcode =
                postcode.is_some() && other.address.as_ref().and_then(|a| a.postcode.clone()) == postcode;
            if same_postcode
                && likely_same_person(&details.given_name, &details.family_name, &other.given_name, &other.family_name)
            {
                reasons.push(DuplicateReason::SimilarNameSamePostcode);
            }
            (!reasons.is_empty()).then(|| DuplicateMatch { customer: wire_customer(candidate), reasons })
        })
        .collect();
    items.sort_by_key(|m| std::cmp::Reverse(m.reasons.len()));
    Ok(web::Json(DuplicateCheck { items }))
}

/// The single customer view's timeline (FR-013): every event of the customer and their queries
/// in time order, from one table.
#[utoipa::path(tag = "customers", security(("session" = [])), params(("id" = Uuid, Path, description = "The customer's id")), responses(
    (status = OK, body = Timeline),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/customers/{id}/timeline")]
pub async fn customer_timeline(
    state: web::Data<AppState>,
    auth: Authorized<CustomersRead>,
    id: web::Path<CustomerId>,
) -> ApiResult<web::Json<Timeline>> {
    let scope = auth.scope();
    let id = id.into_inner();
    let _turn = state.scans.enter().await;
    state.store.get_customer(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let events = state.store.customer_timeline(&scope, id, TIMELINE_LIMIT).await?;
    Ok(web::Json(mentions::timeline(&state, &scope, &auth.principal, events).await?))
}
