//! In-app notifications and sharing (FR-007, FR-010): each signed-in user reads and clears
//! their own; anyone may share a customer or query they can see with a colleague.

use crate::{
    auth::{Authorized, Principal, authority::permissions_of, policy::QueriesRead, principal::PassivePrincipal},
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::paging::PageQuery,
    state::AppState,
};
use actix_web::{HttpResponse, get, http::header, post, web, web::Bytes};
use api_types::{NotificationKind, NotificationPage, ShareRequest, SharedKind, SubjectKind};
use domain::{
    Area, CustomerId, EffectivePermissions, FieldError, Level, NotificationId, QueryId, UserId, ValidationErrors,
    audit::Actor,
    notification,
    notification::{NewNotification, Subject},
};
use std::{convert::Infallible, time::Duration};
use storage::{Names, NamesWanted, TenantScope};
use tokio::{sync::broadcast::error::RecvError, time::Instant};

type Problem = api_types::Problem;

fn notification_out(n: &notification::Notification, names: &Names) -> api_types::Notification {
    let (subject_kind, subject_id, link) = match n.notification.subject {
        Subject::Query(id) => (SubjectKind::Query, id.as_uuid(), format!("/queries/{id}")),
        Subject::Customer(id) => (SubjectKind::Customer, id.as_uuid(), format!("/customers/{id}")),
        // The team's open queries, soonest due first.
        Subject::Team(id) => (SubjectKind::Team, id.as_uuid(), format!("/queries?team_id={id}&open=true&sort=due_at")),
    };
    api_types::Notification {
        id: n.id.as_uuid(),
        kind: match n.notification.kind {
            notification::NotificationKind::Assigned => NotificationKind::Assigned,
            notification::NotificationKind::Shared => NotificationKind::Shared,
            notification::NotificationKind::DueSoon => NotificationKind::DueSoon,
            notification::NotificationKind::Overdue => NotificationKind::Overdue,
            notification::NotificationKind::Escalated => NotificationKind::Escalated,
            notification::NotificationKind::Digest => NotificationKind::Digest,
            notification::NotificationKind::DocumentQuarantined => NotificationKind::DocumentQuarantined,
        },
        subject_kind,
        subject_id,
        link,
        message: n.notification.message.clone(),
        sender_id: n.sender.id(),
        subject_title: match n.notification.subject {
            Subject::Query(id) => names.queries.get(&id).map(|q| format!("{} {}", q.reference, q.subject)),
            Subject::Customer(id) => names.customers.get(&id).cloned(),
            Subject::Team(id) => names.teams.get(&id).cloned(),
        },
        sender_name: n.sender.id().and_then(|id| names.users.get(&UserId::from_uuid(id)).cloned()),
        created_at: n.created_at.as_datetime(),
        read_at: n.read_at.map(|t| t.as_datetime()),
    }
}

/// The signed-in user's notifications, newest first, with how many are unread.
#[utoipa::path(tag = "notifications", security(("session" = [])), params(PageQuery), responses(
    (status = OK, body = NotificationPage),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    principal: Principal,
    page: web::Query<PageQuery>,
) -> ApiResult<web::Json<NotificationPage>> {
    let scope = principal.scope();
    let mut errors = ValidationErrors::default();
    let page = page.check(&mut errors, "notifications");
    errors.into_result()?;
    let me = principal.user.id;
    let before = page.after.map(NotificationId::from_uuid);
    let mut items = state.store.notifications_of(&scope, me, before, page.fetch_limit()).await?;
    let next_cursor = page.finish(&mut items, |n| n.id.as_uuid());
    let unread = state.store.unread_count(&scope, me).await?;
    let names = state.store.names(&scope, &names_wanted(&principal, &items)).await?;
    let items = items.iter().map(|n| notification_out(n, &names)).collect();
    Ok(web::Json(NotificationPage { items, unread, next_cursor }))
}

/// What a page of notifications names: the queries and customers they are about (those the
/// recipient may still see) and who sent them.
fn names_wanted(principal: &Principal, items: &[notification::Notification]) -> NamesWanted {
    let sees_customers = principal.permissions.level(Area::Customers) >= Level::Read;
    let sees_queries = principal.permissions.level(Area::Queries) >= Level::Read;
    let mut wanted = NamesWanted::default();
    for n in items {
        match n.notification.subject {
            Subject::Query(id) if sees_queries => wanted.queries.push(id),
            Subject::Customer(id) if sees_customers => wanted.customers.push(id),
            // Only a team's leaders are told about it.
            Subject::Team(id) => wanted.teams.push(id),
            _ => {}
        }
        if let Some(sender) = n.sender.id() {
            wanted.users.push(UserId::from_uuid(sender));
        }
    }
    wanted.dedup()
}

/// Marks every one of the signed-in user's notifications read.
#[utoipa::path(tag = "notifications", security(("session" = [])), responses(
    (status = NO_CONTENT),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
))]
#[post("/notifications/read-all")]
pub async fn mark_all_read(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    state.store.mark_all_read(&principal.scope(), principal.user.id).await?;
    state.live.notify(principal.tenant.id, principal.user.id);
    Ok(HttpResponse::NoContent().finish())
}

/// Marks one of the signed-in user's notifications read.
#[utoipa::path(tag = "notifications", security(("session" = [])), params(("id" = Uuid, Path, description = "The notification's id")), responses(
    (status = NO_CONTENT),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[post("/notifications/{id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<NotificationId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    state.store.mark_read(&principal.scope(), principal.user.id, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Shares a customer or query with a colleague: they get an in-app notification with its
/// stable link and the optional message. A record the caller cannot read answers as reading it
/// would (404, or 403 for customers without the customers area); a colleague who could not open
/// it is refused (422 `cannot_open`) and never notified.
#[utoipa::path(tag = "notifications", security(("session" = [])), request_body = ShareRequest, responses(
    (status = CREATED, body = api_types::Notification),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/shares")]
pub async fn share(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    body: ValidJson<ShareRequest>,
) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::default();
    let message = errors.check(notification::message("message", body.0.message.as_deref()));
    errors.into_result()?;
    let subject = match body.0.subject_kind {
        SharedKind::Query => Subject::Query(QueryId::from_uuid(body.0.subject_id)),
        SharedKind::Customer => Subject::Customer(CustomerId::from_uuid(body.0.subject_id)),
    };
    let recipient = UserId::from_uuid(body.0.recipient_id);
    let scope = auth.scope();
    // Sharing something answers exactly as reading it would, and never tells anyone about a
    // record they may not open.
    if !may_open(&state, &auth.principal.permissions, &scope, subject).await? {
        return Err(match subject {
            Subject::Customer(_) if !auth.principal.permissions.allows(Area::Customers, Level::Read) => {
                ApiError::Forbidden
            }
            _ => ApiError::NotFound,
        });
    }
    if state.store.get_user(&scope, recipient).await?.is_none() {
        let unknown = FieldError::new("recipient_id", "unknown_reference", "Choose one that exists and is in use");
        return Err(ApiError::Validation(vec![unknown]));
    }
    let recipient_permissions = permissions_of(&state, &scope, recipient).await?;
    let recipient_scope = TenantScope::new(scope.tenant_id, Actor::User(recipient.as_uuid()))
        .own_teams_only(recipient_permissions.own_teams_only(Area::Queries, Level::Read));
    if !may_open(&state, &recipient_permissions, &recipient_scope, subject).await? {
        let refusal = FieldError::new("recipient_id", "cannot_open", "This colleague cannot open this record");
        return Err(ApiError::Validation(vec![refusal]));
    }
    let new = NewNotification {
        recipient,
        kind: notification::NotificationKind::Shared,
        subject,
        message: message.flatten(),
    };
    let sent = state.store.notify(&scope, new).await?;
    state.live.notify(scope.tenant_id, sent.notification.recipient);
    let names = state.store.names(&scope, &names_wanted(&auth.principal, std::slice::from_ref(&sent))).await?;
    Ok(HttpResponse::Created().json(notification_out(&sent, &names)))
}

/// Whether someone with `permissions`, reading in `scope`, may open `subject`: the area's read
/// level, and the record visible to them (restrictions, team limits).
async fn may_open(
    state: &AppState,
    permissions: &EffectivePermissions,
    scope: &TenantScope,
    subject: Subject,
) -> ApiResult<bool> {
    Ok(match subject {
        Subject::Query(id) => {
            permissions.allows(Area::Queries, Level::Read) && state.store.get_query(scope, id).await?.is_some()
        }
        Subject::Customer(id) => {
            permissions.allows(Area::Customers, Level::Read) && state.store.get_customer(scope, id).await?.is_some()
        }
        Subject::Team(_) => false,
    })
}

/// How long one stream stays open: the browser's EventSource then reconnects, so the session
/// is checked again at least this often.
const STREAM_LIFETIME: Duration = Duration::from_secs(300);
/// A comment line this often keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// Live updates (server-sent events): an event `notification` each time the signed-in user gets
/// a notification. It carries no details; ask `GET /notifications`. The stream ends after five
/// minutes and the browser reconnects.
#[utoipa::path(tag = "notifications", security(("session" = [])), responses(
    (status = OK, description = "`text/event-stream`: `event: notification` when a notification arrives", content_type = "text/event-stream", body = String),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
))]
#[get("/notifications/stream")]
pub async fn notification_stream(state: web::Data<AppState>, passive: PassivePrincipal) -> HttpResponse {
    // Passive: the stream reconnecting by itself is not the officer's activity.
    let (tenant, me) = (passive.0.tenant.id, passive.0.user.id);
    let deadline = Instant::now() + STREAM_LIFETIME;
    // The first chunk tells the browser how soon to reconnect.
    let opening = Some(Bytes::from_static(b"retry: 3000\n\n"));
    let start = (state.live.subscribe(), Box::pin(state.live.closing()), opening);
    let events = futures_util::stream::unfold(start, move |(mut live, mut closing, opening)| async move {
        if let Some(opening) = opening {
            return Some((Ok::<_, Infallible>(opening), (live, closing, None)));
        }
        loop {
            let wake = (Instant::now() + KEEP_ALIVE).min(deadline);
            let next = tokio::select! {
                () = &mut closing => return None,
                next = tokio::time::timeout_at(wake, live.recv()) => next,
            };
            let chunk: &'static [u8] = match next {
                Ok(Ok(nudge)) if nudge == (tenant, me) => b"event: notification\ndata: new\n\n",
                Ok(Ok(_)) => continue,
                // Missed some: one nudge covers them all.
                Ok(Err(RecvError::Lagged(_))) => b"event: notification\ndata: new\n\n",
                Ok(Err(RecvError::Closed)) => return None,
                Err(_) if Instant::now() >= deadline => return None,
                Err(_) => b": keep-alive\n\n",
            };
            return Some((Ok(Bytes::from_static(chunk)), (live, closing, None)));
        }
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        // Marked as already encoded so that the compression middleware passes each event on
        // at once instead of buffering the stream.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .streaming(events)
}
