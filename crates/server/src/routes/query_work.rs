//! Working a query (FR-007, FR-013): assign it to an officer and/or team, add notes and contact
//! records, and read its timeline.

use crate::routes::shared::mentions;
use crate::{
    auth::{
        Authorized,
        policy::{QueriesRead, QueriesWrite},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        conditional::if_match, query_wire, query_wire::channel_in, query_wire::channel_out, respond::Tagged,
    },
    state::AppState,
};
use actix_web::{HttpResponse, get, post, web};
use api_types::{AssignRequest, ContactDirection, CreateNoteRequest, NoteKind, NoteList, Query, Timeline};
use domain::{
    FieldError, QueryId, TeamId, Timestamp, UserId, ValidationErrors,
    note::{self, ContactDetails, Direction, NewNote},
    query::{self, Assignment},
};

type Problem = api_types::Problem;

/// The most events one timeline read returns.
const TIMELINE_LIMIT: u32 = 1_000;

/// Assigns (or reassigns, or unassigns) a query. Needs `If-Match`. An officer assigned by
/// someone else is notified in the app; the change is on the timeline and audited.
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = AssignRequest,
    params(("id" = Uuid, Path, description = "The query's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = Query, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[post("/queries/{id}/assignment")]
pub async fn assign_query(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    id: web::Path<QueryId>,
    body: ValidJson<AssignRequest>,
) -> ApiResult<Tagged<api_types::Query>> {
    let scope = auth.scope();
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let assignment =
        Assignment { officer: body.0.assignee_id.map(UserId::from_uuid), team: body.0.team_id.map(TeamId::from_uuid) };
    let query = state.store.assign_query(&scope, id, expected, assignment).await?;
    if let Some(officer) = assignment.officer {
        state.live.notify(scope.tenant_id, officer);
    }
    let out = query_wire::shown(&state, &scope, &auth.principal, &query).await?;
    Ok(Tagged::new(query.version, out))
}

fn new_note(input: &CreateNoteRequest) -> ApiResult<NewNote> {
    let mut errors = ValidationErrors::default();
    let body = errors.check(note::body("body", &input.body));
    let occurred = input.occurred_at.map(Timestamp::from_datetime);
    let occurred_at = errors.check(query::received_at("occurred_at", occurred, Timestamp::now()));
    let contact = match (input.kind, input.direction, input.channel) {
        (NoteKind::Note, None, None) => None,
        (NoteKind::Note, ..) => {
            errors.push(FieldError::new("kind", "not_a_contact", "Only a contact has a direction and channel"));
            None
        }
        (NoteKind::Contact, Some(direction), Some(channel)) => Some(ContactDetails {
            direction: match direction {
                ContactDirection::Inbound => Direction::Inbound,
                ContactDirection::Outbound => Direction::Outbound,
            },
            channel: channel_in(channel),
        }),
        (NoteKind::Contact, direction, channel) => {
            if direction.is_none() {
                errors.push(FieldError::new("direction", "required", "Say whether the customer or we got in touch"));
            }
            if channel.is_none() {
                errors.push(FieldError::new("channel", "required", "Say how the contact happened"));
            }
            None
        }
    };
    errors.into_result()?;
    let (Some(body), Some(occurred_at)) = (body, occurred_at) else {
        return Err(ApiError::Internal("validated fields missing".into()));
    };
    let kind = match input.kind {
        NoteKind::Note => note::NoteKind::Note,
        NoteKind::Contact => note::NoteKind::Contact,
    };
    Ok(NewNote { kind, contact, occurred_at, body })
}

fn note_out(note: &note::Note) -> api_types::Note {
    api_types::Note {
        id: note.id.as_uuid(),
        query_id: note.query_id.as_uuid(),
        kind: match note.note.kind {
            note::NoteKind::Note => NoteKind::Note,
            note::NoteKind::Contact => NoteKind::Contact,
        },
        body: note.note.body.clone(),
        direction: note.note.contact.map(|c| match c.direction {
            Direction::Inbound => ContactDirection::Inbound,
            Direction::Outbound => ContactDirection::Outbound,
        }),
        channel: note.note.contact.map(|c| channel_out(c.channel)),
        occurred_at: note.note.occurred_at.as_datetime(),
        author_id: note.author.id(),
        created_at: note.created_at.as_datetime(),
    }
}

/// Adds an internal note, or a record of a call, letter, visit or email, to a query.
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = CreateNoteRequest,
    params(("id" = Uuid, Path, description = "The query's id")),
    responses(
        (status = CREATED, body = api_types::Note),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/queries/{id}/notes")]
pub async fn add_note(
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    id: web::Path<QueryId>,
    body: ValidJson<CreateNoteRequest>,
) -> ApiResult<HttpResponse> {
    let scope = auth.scope();
    let id = id.into_inner();
    let new = new_note(&body.0)?;
    let note = state.store.add_note(&scope, id, new).await?;
    Ok(HttpResponse::Created().json(note_out(&note)))
}

/// The query's notes and contact records, oldest first.
#[utoipa::path(tag = "queries", security(("session" = [])), params(("id" = Uuid, Path, description = "The query's id")), responses(
    (status = OK, body = NoteList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}/notes")]
pub async fn list_notes(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<web::Json<NoteList>> {
    let scope = auth.scope();
    let id = id.into_inner();
    state.store.get_query(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let notes = state.store.list_notes(&scope, id).await?;
    Ok(web::Json(NoteList { items: notes.iter().map(note_out).collect() }))
}

/// Everything that happened to the query — received, logged, assigned, status changes, notes
/// and contacts — oldest first.
#[utoipa::path(tag = "queries", security(("session" = [])), params(("id" = Uuid, Path, description = "The query's id")), responses(
    (status = OK, body = Timeline),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}/timeline")]
pub async fn query_timeline(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<web::Json<Timeline>> {
    let scope = auth.scope();
    let id = id.into_inner();
    state.store.get_query(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let events = state.store.query_timeline(&scope, id, TIMELINE_LIMIT).await?;
    Ok(web::Json(mentions::timeline(&state, &scope, &auth.principal, events).await?))
}
