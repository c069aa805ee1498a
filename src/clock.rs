//! The one source of "now" for the server, so tests can move time forward (idle sessions,
//! lockouts) without sleeping.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Sets this clock to a moment (tests and demos that need a date with calendar data).
    pub fn set(&self, at: DateTime<Utc>) {
        let offset = (at - Utc::now()).num_seconds();
        self.offset_seconds.store(offset, Ordering::Relaxed);
    }

    /// Moves this clock forward (tests only need forward).
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}
