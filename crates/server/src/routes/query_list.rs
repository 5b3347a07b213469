//! The work queue's list of queries (FR-006): filters as query parameters, keyset pages, no
//! row cap.

use crate::{
    app::AppState,
    auth::{Authorized, policy::QueriesRead},
    problem::ApiResult,
    routes::{paging::PageQuery, query_wire::query_out},
};
use actix_web::{get, web};
use api_types::QueryPage;
use chrono::{DateTime, NaiveDate, Utc};
use domain::{
    CustomerId, FieldError, QueryId, StatusId, Timestamp, ValidationErrors,
    query::{Channel, QueryFilter},
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueryListParams {
    /// Status ids, comma-separated: any of them.
    status: Option<String>,
    /// Channels, comma-separated (`email,phone,post,despatch_box,in_person,web_form`): any of them.
    channel: Option<String>,
    /// Only this customer's queries.
    customer_id: Option<String>,
    /// Received on or after: a date (`2026-01-31`, from midnight UTC) or an RFC 3339 time.
    received_from: Option<String>,
    /// Received before: a date (midnight UTC starting it) or an RFC 3339 time.
    received_before: Option<String>,
}

fn list<T>(errors: &mut ValidationErrors, field: &str, raw: Option<&str>, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    let mut parsed = vec![];
    for (i, part) in raw.unwrap_or_default().split(',').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        match parse(part) {
            Some(value) => parsed.push(value),
            None => {
                errors.push(FieldError::new(format!("{field}[{i}]"), "invalid_value", "This value is not recognised"))
            }
        }
    }
    parsed
}

fn instant(errors: &mut ValidationErrors, field: &str, raw: Option<&str>) -> Option<Timestamp> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc)).ok().or_else(|| {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
    });
    let parsed = parsed.map(Timestamp::from_datetime);
    if parsed.is_none() {
        errors.push(FieldError::new(field, "invalid_date", "Enter a date like 2026-01-31"));
    }
    parsed
}

impl QueryListParams {
    fn filter(&self, errors: &mut ValidationErrors) -> QueryFilter {
        let uuid = |raw: &str| Uuid::parse_str(raw).ok();
        let customer_id = self.customer_id.as_deref().and_then(|raw| {
            errors.check(
                uuid(raw)
                    .map(CustomerId::from_uuid)
                    .ok_or_else(|| FieldError::new("customer_id", "invalid_value", "This value is not recognised")),
            )
        });
        QueryFilter {
            statuses: list(errors, "status", self.status.as_deref(), |raw| uuid(raw).map(StatusId::from_uuid)),
            channels: list(errors, "channel", self.channel.as_deref(), Channel::parse),
            customer_id,
            received_from: instant(errors, "received_from", self.received_from.as_deref()),
            received_before: instant(errors, "received_before", self.received_before.as_deref()),
        }
    }
}

/// Queries matching the filters, oldest first, by keyset pages.
#[utoipa::path(tag = "queries", security(("session" = [])), params(PageQuery, QueryListParams), responses(
    (status = OK, body = QueryPage),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/queries")]
pub async fn list_queries(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    page: web::Query<PageQuery>,
    params: web::Query<QueryListParams>,
) -> ApiResult<web::Json<QueryPage>> {
    let scope = auth.principal.scope();
    let mut errors = ValidationErrors::default();
    let filter = params.filter(&mut errors);
    let page = page.check(&mut errors);
    errors.into_result()?;
    let after = page.after.map(QueryId::from_uuid);
    let mut queries = state.store.list_queries(&scope, &filter, after, page.fetch_limit()).await?;
    let next_cursor = page.finish(&mut queries, |q| q.id.as_uuid());
    let statuses = state.store.query_statuses(&scope).await?;
    let items = queries.iter().map(|q| query_out(q, &statuses)).collect::<ApiResult<_>>()?;
    Ok(web::Json(QueryPage { items, next_cursor }))
}
