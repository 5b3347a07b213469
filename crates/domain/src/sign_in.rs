//! Defences against password guessing (SEC-11): after a few consecutive failures each further
//! attempt must wait a little longer (throttling), and after more the identity is locked for a
//! while. A correct password clears the count.

use crate::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures allowed before attempts are throttled.
    pub throttle_after: u32,
    /// Failures at which the identity is locked for `lockout_secs`.
    pub lock_after: u32,
    pub lockout_secs: i64,
}

impl Default for LockoutPolicy {
    /// Three free tries, then waits of 1, 2, 4… seconds (at most a minute), and a 15-minute
    /// lock at ten: slow enough to stop guessing, short enough that a forgetful officer is not
    /// stuck for the day (NCSC password guidance favours throttling over long lockouts).
    fn default() -> Self {
        Self { throttle_after: 3, lock_after: 10, lockout_secs: 15 * 60 }
    }
}

/// What a failure leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    Open,
    Throttled { until: Timestamp },
    Locked { until: Timestamp },
}

impl LockoutPolicy {
    /// The state after the `failures`-th consecutive failure at `now`.
    pub fn after_failure(&self, failures: u32, now: Timestamp) -> AfterFailure {
        if failures >= self.lock_after {
            return AfterFailure::Locked { until: now.plus_seconds(self.lockout_secs) };
        }
        if failures >= self.throttle_after {
            let doublings = (failures - self.throttle_after).min(6);
            let wait = (1_i64 << doublings).min(60);
            return AfterFailure::Throttled { until: now.plus_seconds(wait) };
        }
        AfterFailure::Open
    }
}

impl AfterFailure {
    pub fn until(&self) -> Option<Timestamp> {
        match self {
            AfterFailure::Open => None,
            AfterFailure::Throttled { until } | AfterFailure::Locked { until } => Some(*until),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_tries_then_doubling_waits_then_a_lock() {
        let policy = LockoutPolicy::default();
        let now = Timestamp::from_micros(1_000_000_000);
        assert_eq!(policy.after_failure(2, now), AfterFailure::Open);
        assert_eq!(policy.after_failure(3, now), AfterFailure::Throttled { until: now.plus_seconds(1) });
        assert_eq!(policy.after_failure(5, now), AfterFailure::Throttled { until: now.plus_seconds(4) });
        assert_eq!(policy.after_failure(9, now), AfterFailure::Throttled { until: now.plus_seconds(60) });
        assert_eq!(policy.after_failure(10, now), AfterFailure::Locked { until: now.plus_seconds(900) });
        assert_eq!(policy.after_failure(10, now).until(), Some(now.plus_seconds(900)));
    }
}
