//! A bound on how many reads that scan run at once.
//!
//! Lists, searches, counts, whole-customer timelines, duplicate checks and the audit chain's
//! verification cost what the data set makes them cost, milliseconds each. Opening a record or
//! saving a change costs a fraction of one. When both run on the same cores with nothing
//! between them, a burst of scans (a team opening their work queues at nine, a report refresh)
//! makes every officer's click wait behind it.
//!
//! So scans queue here, first come first served, a few at a time (by default as many as the
//! machine has cores). Record reads and writes never queue: they share the cores with the
//! scans that are running, not with all those waiting. Waiting costs nothing but memory, and
//! the database gets no more concurrent scans than it has cores to run them.

use tokio::sync::{Semaphore, SemaphorePermit};

#[derive(Debug)]
pub struct ScanGate {
    permits: Semaphore,
}

impl ScanGate {
    /// At least one scan runs at a time, whatever `size` says.
    pub fn new(size: usize) -> Self {
        Self { permits: Semaphore::new(size.max(1)) }
    }

    /// Waits for a turn; the scan may run while the returned permit lives.
    pub async fn enter(&self) -> SemaphorePermit<'_> {
        // The semaphore is never closed, so acquiring cannot fail.
        self.permits.acquire().await.expect("the scan gate is never closed")
    }

    /// The default: one scan per core.
    pub fn default_size() -> usize {
        std::thread::available_parallelism().map(usize::from).unwrap_or(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{future::Future, pin::pin, task::Poll};

    fn poll_once<F: Future>(future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
        let waker = std::task::Waker::noop();
        future.poll(&mut std::task::Context::from_waker(waker))
    }

    #[test]
    fn a_scan_waits_while_the_gate_is_full_and_enters_when_one_leaves() {
        let gate = ScanGate::new(2);
        let first = pin!(gate.enter());
        let Poll::Ready(first) = poll_once(first) else { panic!("the first scan should enter at once") };
        let second = pin!(gate.enter());
        let Poll::Ready(_second) = poll_once(second) else { panic!("the second scan should enter at once") };

        let mut third = pin!(gate.enter());
        assert!(poll_once(third.as_mut()).is_pending(), "a third scan must wait while two run");
        drop(first);
        assert!(poll_once(third.as_mut()).is_ready(), "the third scan enters when one leaves");
    }

    #[test]
    fn a_gate_of_size_zero_still_lets_one_scan_through() {
        let gate = ScanGate::new(0);
        let first = pin!(gate.enter());
        assert!(poll_once(first).is_ready());
    }
}
