//! Links recorded audit entries into each tenant's chain moments after their writes commit, so
//! that no write waits for the chain's head (docs/decisions.md, "Audit chain"). Several server
//! processes may run one each: the head's row lock makes them take turns, and an entry is
//! linked once. Reading the chain links first too, so nothing depends on this tick for
//! correctness, only for how soon entries get their place.

use std::{sync::Arc, time::Duration};
use storage::Store;

const TICK: Duration = Duration::from_millis(200);

/// Starts the ticking; abort the handle to stop it (an entry left unlinked is linked by the
/// next start, or by the next read of the chain).
pub fn start(store: Arc<dyn Store>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = store.link_audit().await {
                tracing::warn!(%error, "linking audit entries failed; the next tick tries again");
            }
        }
    })
}
