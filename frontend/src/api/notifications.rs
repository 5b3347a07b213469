//! Notifications and sharing.

use super::{Params, at, http, segment};
use api_types::{Notification, NotificationPage, Problem, ShareRequest};

/// `GET /notifications`: the caller's notifications, newest first.
pub async fn list(params: &Params) -> Result<NotificationPage, Problem> {
    http::get(&format!("{}{}", at("notifications"), params.encoded())).await
}

/// `POST /notifications/{id}/read`.
pub async fn mark_read(id: impl ToString) -> Result<(), Problem> {
    http::post_empty(&at(&format!("notifications/{}/read", segment(id)))).await
}

/// `POST /notifications/read-all`.
pub async fn mark_all_read() -> Result<(), Problem> {
    http::post_empty(&at("notifications/read-all")).await
}

/// `POST /shares`: tells a colleague about a query or customer.
pub async fn share(request: &ShareRequest) -> Result<Notification, Problem> {
    http::post(&at("shares"), request).await
}

/// The live stream of new notifications (server-sent events, for an `EventSource`).
pub fn stream_url() -> String {
    at("notifications/stream")
}
