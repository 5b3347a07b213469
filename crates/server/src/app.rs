//! Wiring: state, middleware, routes, and the server's lifecycle.

use crate::{
    fallback::fallback, headers, openapi, problem::ApiError, scheduler::Scheduler, settings::ServerSettings, spa,
    state::AppState, telemetry::RequestSpan,
};
use actix_web::{
    App, HttpMessage, HttpResponse,
    dev::{Server, Service, ServiceResponse},
    middleware::Compress,
    web,
};
use futures_util::{FutureExt, future::Either};
use std::{net::TcpListener, sync::Arc};
use storage::Database;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_swagger_ui::SwaggerUi;

/// The longest path and query string served (414 beyond): every list's filters fit in far less.
const MAX_URL_BYTES: usize = 8 * 1024;

/// Starts serving on `listener`, with the job scheduler beside it. The returned future stops
/// gracefully on SIGTERM/SIGINT: the server stops accepting and lets in-flight requests finish
/// (up to 30 s), the scheduler finishes the jobs it holds, then it resolves.
pub fn run(
    listener: TcpListener,
    database: Arc<dyn Database>,
    settings: ServerSettings,
) -> std::io::Result<impl Future<Output = std::io::Result<()>> + use<>> {
    spa::check_embedded();
    let document = openapi::document();
    let entra = Arc::new(crate::auth::entra::Directories::new(settings.entra.clone()));
    let scans = Arc::new(crate::scan_gate::ScanGate::new(settings.scan_concurrency));
    let state = web::Data::new(AppState {
        store: database.clone(),
        database,
        scans,
        settings,
        entra,
        operations: Arc::new(openapi::operations(&document)),
        reference_page: Arc::new(crate::docs::reference_page(&document)),
        statuses: Arc::default(),
        live: Arc::default(),
    });
    let (stop, stopping) = tokio::sync::watch::channel(false);
    stop_on_signal(state.live.clone(), stop.clone());
    let sequencer = crate::audit_sequencer::start(state.store.clone());
    let handlers = crate::scheduler::handlers(state.live.clone(), &state.settings.scheduler, &state.settings.documents);
    let scheduler = Scheduler::new(state.store.clone(), handlers, state.settings.scheduler).start(stopping.clone());
    let reader =
        crate::scheduler::text_reader(state.store.clone(), &state.settings.scheduler, &state.settings.documents)
            .start(stopping);
    let limits = Arc::new(crate::rate_limit::RateLimits::new(state.settings.rate_limits));
    let server = actix_web::HttpServer::new(move || {
        let (limits, trusted) = (limits.clone(), state.settings.trusted_proxies.clone());
        let (app, _) = openapi::register(App::new());
        let test_endpoints = state.settings.test_endpoints;
        app.app_data(state.clone())
            .app_data(web::PathConfig::default().error_handler(|_, req| crate::fallback::unreadable_path(req)))
            .app_data(web::QueryConfig::default().error_handler(|error, _| {
                crate::problem::ApiError::Validation(vec![domain::FieldError::new(
                    "query",
                    "invalid_query",
                    error.to_string(),
                )])
                .into()
            }))
            // Before Swagger UI's own files, so this start-up script is the one served.
            .route("/docs/swagger/swagger-initializer.js", web::get().to(swagger_initializer))
            .service(
                SwaggerUi::new("/docs/swagger/{_:.*}").external_url_unchecked("/docs/openapi.json", document.clone()),
            )
            .route("/docs", web::get().to(|| async { redirect("/docs/") }))
            .route("/docs/", web::get().to(reference_page))
            .configure(|cfg| {
                if test_endpoints {
                    cfg.route("/__test/sleep", web::get().to(sleep));
                }
            })
            .default_service(web::to(fallback))
            .wrap(Compress::default())
            .wrap_fn(move |req, srv| {
                // Who is asking, worked out once; then their allowance (see `rate_limit`).
                let client = crate::client_address::client_ip(req.peer_addr(), req.headers(), &trusted);
                req.extensions_mut().insert(crate::client_address::ClientIp(client));
                let too_long = req.uri().path_and_query().map_or(0, |p| p.as_str().len()) > MAX_URL_BYTES;
                let refused = if too_long { Err(ApiError::UriTooLong) } else { limits.check(&req, client) };
                match refused {
                    Ok(()) => Either::Left(srv.call(req).map(|r| r.map(ServiceResponse::map_into_boxed_body))),
                    Err(refused) => Either::Right(std::future::ready(Ok(req.error_response(refused)))),
                }
            })
            .wrap_fn(|req, srv| {
                let path = req.path().to_owned();
                let request_id = req.extensions().get::<RequestId>().map(ToString::to_string);
                let response = srv.call(req);
                async move {
                    let mut response = response.await?;
                    headers::apply(&path, request_id, response.headers_mut());
                    Ok(response)
                }
            })
            .wrap(TracingLogger::<RequestSpan>::new())
    })
    // Idle connections stay open longer than clients keep theirs (browsers and Node keep them
    // 5 to 60 s), so it is the client that closes one: a server closing at the moment a client
    // reuses the connection resets that request (seen in CI as ECONNRESET).
    .keep_alive(std::time::Duration::from_secs(75))
    .shutdown_timeout(30)
    .listen(listener)?
    .run();
    Ok(serve_then_stop(server, stop, Background { scheduler, reader, sequencer }))
}

/// What runs beside the server and must end before the database closes.
struct Background {
    scheduler: tokio::task::JoinHandle<()>,
    reader: tokio::task::JoinHandle<()>,
    sequencer: tokio::task::JoinHandle<()>,
}

/// How long shutdown waits for the document being read: an OCR run cut short is read again
/// once its lease lapses.
const READER_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves until the server stops, then lets the scheduler finish the jobs it holds and stops
/// the audit sequencer, so that nothing uses the database after this resolves.
async fn serve_then_stop(
    server: Server,
    stop: tokio::sync::watch::Sender<bool>,
    background: Background,
) -> std::io::Result<()> {
    let served = server.await;
    stop.send_replace(true);
    if let Err(error) = background.scheduler.await {
        tracing::warn!(%error, "the scheduler ended abnormally");
    }
    let mut reader = background.reader;
    if tokio::time::timeout(READER_GRACE, &mut reader).await.is_err() {
        reader.abort();
        let _ = reader.await;
    }
    background.sequencer.abort();
    let _ = background.sequencer.await;
    served
}

/// On SIGTERM or SIGINT (which also start actix's graceful shutdown) ends the live-update
/// streams, which would otherwise hold the shutdown for its full timeout, and tells the
/// scheduler to claim nothing more.
fn stop_on_signal(live: Arc<crate::live::LiveEvents>, stop: tokio::sync::watch::Sender<bool>) {
    tokio::spawn(async move {
        let Ok(mut terminate) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) else {
            return;
        };
        tokio::select! {
            _ = terminate.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        live.close();
        stop.send_replace(true);
    });
}

fn redirect(to: &'static str) -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header(("Location", to)).finish()
}

async fn swagger_initializer() -> HttpResponse {
    HttpResponse::Ok().content_type("text/javascript; charset=utf-8").body(crate::docs::swagger_initializer())
}

async fn reference_page(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(state.reference_page.to_string())
}

#[derive(serde::Deserialize)]
struct SleepQuery {
    ms: u64,
}

/// A deliberately slow request, for testing graceful shutdown (only with test endpoints on).
async fn sleep(query: web::Query<SleepQuery>) -> HttpResponse {
    tokio::time::sleep(std::time::Duration::from_millis(query.ms.min(30_000))).await;
    HttpResponse::Ok().body("slept")
}
