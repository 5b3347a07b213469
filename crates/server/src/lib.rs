//! The Casedesk HTTP application.
//!
//! Requests flow one way: HTTP -> this crate (authenticate, authorise, parse into domain
//! values) -> domain rules -> storage. Every handler declares the permission it needs through
//! its extractor; a handler without one is public by design and listed as such.

mod app;
mod audit_sequencer;
mod auth;
pub mod client_address;
mod docs;
pub mod documents;
mod fallback;
mod headers;
pub mod idempotency;
mod json;
mod live;
pub mod openapi;
mod openapi_exact;
mod openapi_fields;
mod problem;
pub mod rate_limit;
mod routes;
mod scan_gate;
pub mod scheduler;
pub mod secrets;
mod settings;
mod spa;
mod state;
mod status_cache;
mod telemetry;

pub use app::run;
pub use auth::entra::EntraEndpoints;
pub use auth::password::hash_password;
pub use client_address::TrustedProxies;
pub use rate_limit::RateLimitSettings;
pub use scan_gate::ScanGate;
pub use settings::ServerSettings;
pub use state::AppState;
