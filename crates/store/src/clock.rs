//! The store's clock. Everything in the store that decides by time (an account's lock expiring,
//! a session's idle and absolute ends) reads the instant here rather than the system clock, so
//! that a test can move time forward instead of sleeping for fifteen minutes.
//!
//! It is the real clock plus an offset that is always zero outside tests: only
//! `testing::advance_clock`, compiled with the `test-helpers` feature, changes it. Every clone of
//! a [`Store`](crate::Store) shares one clock, so a test that advances the store it holds moves
//! the server's clock too. `core::dates` stays pure: it formats the instants given to it.

use skillbridge_core::dates;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use time::OffsetDateTime;

/// The real clock, shifted by an offset that only tests set.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The current instant.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
            + time::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// The current instant, formatted as stored.
    pub fn now_text(&self) -> String {
        dates::format_instant(self.now())
    }

    /// The instant `secs` seconds from now (negative: ago), formatted as stored.
    pub fn text_in(&self, secs: i64) -> String {
        dates::instant_plus(self.now(), secs)
    }

    /// Moves the clock forward by `secs`. Reached only through `testing::advance_clock`.
    #[cfg(feature = "test-helpers")]
    pub(crate) fn advance(&self, secs: i64) {
        self.offset_ms.fetch_add(secs * 1000, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_is_zero_unless_advanced_and_shared_by_clones() {
        let c = Clock::default();
        let real = OffsetDateTime::now_utc();
        assert!((c.now() - real).abs() < time::Duration::seconds(5));
        let copy = c.clone();
        copy.advance(900);
        let moved = c.now() - OffsetDateTime::now_utc();
        assert!(moved > time::Duration::seconds(895) && moved < time::Duration::seconds(905));
        assert!(c.text_in(-900) < c.now_text());
    }
}
