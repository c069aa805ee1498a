//! Throttling guesses: each key (a client address, an account at an address, a hashed ID number)
//! keeps a failure score that halves every `half_life`, so scattered mistakes fade; reaching the
//! limit refuses that key's attempts for `block`. Refused attempts get the same answer and the
//! same work as any other, so they tell nothing.

use crate::store::throttles::{self, Throttle};
use crate::store::{DbConnection, DbError};
use chrono::{Duration, NaiveDateTime};

/// An address as throttles count it: an IPv4 address, or an IPv6 address's /64 network (one
/// subscriber's whole allocation, which it can spread its requests over at will).
pub fn address_key(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// One kind of throttle.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub limit: f64,
    pub half_life: Duration,
    pub block: Duration,
}

/// The score a stored state has decayed to by `now`.
pub fn decayed(t: &Throttle, now: NaiveDateTime, half_life: Duration) -> f64 {
    let elapsed = (now - t.updated_at).num_seconds().max(0) as f64;
    let half = half_life.num_seconds().max(1) as f64;
    t.score * 0.5f64.powf(elapsed / half)
}

/// Is the key refused now?
pub fn blocked(c: &mut DbConnection, key: &str, now: NaiveDateTime) -> Result<bool, DbError> {
    Ok(blocked_until(c, key, now)?.is_some())
}

/// Until when the key is refused, if it is now.
pub fn blocked_until(
    c: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(throttles::get(c, key)?
        .and_then(|t| t.blocked_until)
        .filter(|until| *until > now))
}

/// The key's failure score as it has decayed by `now`.
pub fn score(
    c: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    half_life: Duration,
) -> Result<f64, DbError> {
    Ok(throttles::get(c, key)?.map_or(0.0, |t| decayed(&t, now, half_life)))
}

/// Counts one failure (or attempt) against the key; returns true when this one reached the
/// limit and started a block.
pub fn hit(
    c: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    rule: Rule,
) -> Result<bool, DbError> {
    let stored = throttles::get_for_update(c, key, now)?;
    let score = stored.map_or(0.0, |t| decayed(&t, now, rule.half_life)) + 1.0;
    let already = stored.and_then(|t| t.blocked_until).filter(|u| *u > now);
    // Failures fade from the moment they happen: five typed a few seconds apart score 4.99,
    // and count as five.
    let starts = already.is_none() && score + 0.5 >= rule.limit;
    let blocked_until = if starts {
        Some(now + rule.block)
    } else {
        already
    };
    // A new block starts the count again, so the next one needs the limit of fresh failures.
    let score = if starts { 0.0 } else { score };
    throttles::set(
        c,
        key,
        Throttle {
            score,
            updated_at: now,
            blocked_until,
        },
    )?;
    Ok(starts)
}

/// What counting an attempt found: the key was blocked already (until then), or the attempt was
/// counted (and `started` a block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    Blocked(NaiveDateTime),
    Counted { started: bool },
}

/// Counts an attempt against the key unless it is blocked, deciding both on the row locked for
/// this write (two attempts at once see each other).
pub fn attempt(
    c: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    rule: Rule,
) -> Result<Attempt, DbError> {
    let stored = throttles::get_for_update(c, key, now)?;
    if let Some(until) = stored.and_then(|t| t.blocked_until).filter(|u| *u > now) {
        return Ok(Attempt::Blocked(until));
    }
    Ok(Attempt::Counted {
        started: hit(c, key, now, rule)?,
    })
}

/// Counts one failure against the key without ever blocking it (a score that only slows).
pub fn count(
    c: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    half_life: Duration,
) -> Result<(), DbError> {
    let stored = throttles::get_for_update(c, key, now)?;
    let score = stored.map_or(0.0, |t| decayed(&t, now, half_life)) + 1.0;
    throttles::set(
        c,
        key,
        Throttle {
            score,
            updated_at: now,
            blocked_until: None,
        },
    )
}

pub fn clear(c: &mut DbConnection, key: &str) -> Result<(), DbError> {
    throttles::clear(c, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_network_counts_as_one_address() {
        let a: std::net::IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: std::net::IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: std::net::IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        assert_eq!(address_key("10.0.0.1".parse().unwrap()), "10.0.0.1");
        assert_eq!(address_key("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1");
    }

    #[test]
    fn scores_halve_every_half_life() {
        let t0 = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let t = Throttle {
            score: 4.0,
            updated_at: t0,
            blocked_until: None,
        };
        let h = Duration::minutes(30);
        assert_eq!(decayed(&t, t0, h), 4.0);
        assert!((decayed(&t, t0 + h, h) - 2.0).abs() < 1e-9);
        assert!((decayed(&t, t0 + h * 2, h) - 1.0).abs() < 1e-9);
    }
}
