//! Defences against password guessing (SEC-11). Wrong passwords are counted per account *and
//! source* (the client's address, an IPv6 client's /64), so guesses from one place never stop
//! the right password from another: after a few failures from a source each further attempt
//! from it must wait a little longer (throttling), and after more the account is locked for
//! that source only. When a lock ends the count starts again; a break-glass account is only
//! ever throttled, never locked. A correct password from a source clears its count. The limit
//! on sign-ins per address across accounts (password spraying) is a rate limit in the server.

use crate::Timestamp;
use std::net::IpAddr;

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

/// The longest wait between attempts while throttled.
const MAX_THROTTLE_SECS: i64 = 60;

impl LockoutPolicy {
    /// The state after the `failures`-th counted failure at `now`. A break-glass account keeps
    /// being throttled (a minute between guesses at most) instead of locking, so nobody can
    /// lock the organisation's way back in from outside.
    pub fn after_failure(&self, failures: u32, now: Timestamp, break_glass: bool) -> AfterFailure {
        if failures >= self.lock_after && !break_glass {
            return AfterFailure::Locked { until: now.plus_seconds(self.lockout_secs) };
        }
        if failures >= self.throttle_after {
            let doublings = (failures - self.throttle_after).min(6);
            let wait = (1_i64 << doublings).min(MAX_THROTTLE_SECS);
            return AfterFailure::Throttled { until: now.plus_seconds(wait) };
        }
        AfterFailure::Open
    }

    /// The count after one more failure, given the count so far and until when the source was
    /// held off: a lock that has ended starts the count again, so one wrong password after each
    /// lock does not lock the account again at once.
    pub fn count_after_failure(&self, previous: u32, held_until: Option<Timestamp>, now: Timestamp) -> u32 {
        let lock_has_ended = previous >= self.lock_after && held_until.is_none_or(|until| until <= now);
        if lock_has_ended { 1 } else { previous.saturating_add(1) }
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

/// Where a sign-in attempt came from: the address for the audit trail, and the key its failures
/// are counted under. An IPv6 client counts by its /64, since anyone holding one can use all of
/// it; an IPv4-mapped IPv6 address counts as the IPv4 address it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInSource {
    pub address: Option<String>,
    pub key: String,
}

impl SignInSource {
    pub fn of(address: Option<IpAddr>) -> Self {
        let address = address.map(|ip| ip.to_canonical());
        let key = match address {
            None => "unknown".to_owned(),
            Some(IpAddr::V4(v4)) => v4.to_string(),
            Some(IpAddr::V6(v6)) => {
                let segments = v6.segments();
                let network = std::net::Ipv6Addr::new(segments[0], segments[1], segments[2], segments[3], 0, 0, 0, 0);
                format!("{network}/64")
            }
        };
        Self { address: address.map(|ip| ip.to_string()), key }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_tries_then_doubling_waits_then_a_lock() {
        let policy = LockoutPolicy::default();
        let now = Timestamp::from_micros(1_000_000_000);
        assert_eq!(policy.after_failure(2, now, false), AfterFailure::Open);
        assert_eq!(policy.after_failure(3, now, false), AfterFailure::Throttled { until: now.plus_seconds(1) });
        assert_eq!(policy.after_failure(5, now, false), AfterFailure::Throttled { until: now.plus_seconds(4) });
        assert_eq!(policy.after_failure(9, now, false), AfterFailure::Throttled { until: now.plus_seconds(60) });
        assert_eq!(policy.after_failure(10, now, false), AfterFailure::Locked { until: now.plus_seconds(900) });
        assert_eq!(policy.after_failure(10, now, false).until(), Some(now.plus_seconds(900)));
    }

    #[test]
    fn a_break_glass_account_is_throttled_but_never_locked() {
        let policy = LockoutPolicy::default();
        let now = Timestamp::from_micros(1_000_000_000);
        for failures in [10, 11, 100, u32::MAX] {
            assert_eq!(
                policy.after_failure(failures, now, true),
                AfterFailure::Throttled { until: now.plus_seconds(60) },
                "{failures}"
            );
        }
    }

    #[test]
    fn the_count_starts_again_when_a_lock_ends() {
        let policy = LockoutPolicy::default();
        let now = Timestamp::from_micros(1_000_000_000);
        assert_eq!(policy.count_after_failure(0, None, now), 1);
        assert_eq!(policy.count_after_failure(9, Some(now.plus_seconds(30)), now), 10, "throttled: counting on");
        assert_eq!(
            policy.count_after_failure(9, Some(now.plus_seconds(-30)), now),
            10,
            "a throttle ending does not reset"
        );
        assert_eq!(policy.count_after_failure(10, Some(now.plus_seconds(1)), now), 11, "still locked");
        assert_eq!(policy.count_after_failure(10, Some(now), now), 1, "the lock has just ended");
        assert_eq!(policy.count_after_failure(12, Some(now.plus_seconds(-1)), now), 1);
        assert_eq!(policy.count_after_failure(u32::MAX, Some(now.plus_seconds(5)), now), u32::MAX);
    }

    #[test]
    fn sources_count_by_ipv4_address_and_ipv6_network() {
        let v4 = SignInSource::of(Some("192.0.2.7".parse().expect("an address")));
        assert_eq!((v4.address.as_deref(), v4.key.as_str()), (Some("192.0.2.7"), "192.0.2.7"));
        let mapped = SignInSource::of(Some("::ffff:192.0.2.7".parse().expect("an address")));
        assert_eq!(mapped, v4);
        let v6 = SignInSource::of(Some("2001:db8:1:2:aaaa::1".parse().expect("an address")));
        assert_eq!(v6.key, "2001:db8:1:2::/64");
        assert_eq!(SignInSource::of(Some("2001:db8:1:2:ffff::9".parse().expect("an address"))).key, v6.key);
        assert_ne!(SignInSource::of(Some("2001:db8:1:3::1".parse().expect("an address"))).key, v6.key);
        assert_eq!(SignInSource::of(None).key, "unknown");
    }
}
