//! Live updates to the SPA (server-sent events): a nudge to a signed-in officer that they have
//! a new notification, so the header's unread count changes while they stay on a page. The
//! event carries no data — the SPA asks `GET /notifications` again, under its usual checks.
//!
//! Nudges travel within this server process. With several instances behind a load balancer an
//! officer connected to another instance sees the count at their next page change, as before;
//! PostgreSQL LISTEN/NOTIFY can carry them between instances when that matters.

use domain::{TenantId, UserId};
use tokio::sync::{broadcast, watch};

/// How many nudges may wait for a slow stream before it skips ahead (a skipped nudge is
/// harmless: the next one, or the next page change, brings the count up to date).
const BACKLOG: usize = 256;

#[derive(Debug)]
pub struct LiveEvents {
    sender: broadcast::Sender<(TenantId, UserId)>,
    /// Set when the server begins to stop: open streams end, so that graceful shutdown waits
    /// only for real requests (browsers reconnect to the next instance).
    closing: watch::Sender<bool>,
}

impl Default for LiveEvents {
    fn default() -> Self {
        Self { sender: broadcast::channel(BACKLOG).0, closing: watch::channel(false).0 }
    }
}

impl LiveEvents {
    /// Tells `recipient`'s open streams that they have something new.
    pub fn notify(&self, tenant: TenantId, recipient: UserId) {
        // No open stream is not an error.
        let _ = self.sender.send((tenant, recipient));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<(TenantId, UserId)> {
        self.sender.subscribe()
    }

    /// Resolves once the server has begun to stop.
    pub fn closing(&self) -> impl std::future::Future<Output = ()> + use<> {
        let mut closing = self.closing.subscribe();
        async move {
            // An error means the sender is gone, which is also the end.
            let _ = closing.wait_for(|closing| *closing).await;
        }
    }

    /// Ends every open stream.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}
