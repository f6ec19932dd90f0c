//! Writes that wait in memory for one batched transaction: queued refusals for the audit trail
//! and session activity ("last seen").
//!
//! Why: a refusal (a denied request, a rate-limited or failed sign-in) used to be written in a
//! transaction of its own. Under a flood that is one write-lock turn per refused request: a
//! student flooding forbidden reads slowed everyone's writes twentyfold, and entries were lost
//! when the database was busy. Session activity was written outside the write path and made
//! other writers fail with "database is locked". Now both are collected here and written by one
//! task ([`Store::flush_pending`]) every [`FLUSH_EVERY`], in **one** write transaction through
//! `begin_write`, like every other write:
//!
//! - refusals are aggregated by who was refused what on which route (`core::audit::RefusalBatch`):
//!   a flood becomes one entry per route and drain, "N refusals between t1 and t2";
//! - the queue is bounded by the number of distinct keys ([`MAX_KEYS`]); a refusal that needs a
//!   new key when all are taken waits for the next drain. Nothing is dropped;
//! - a batch that cannot be written goes back into the queue, merged with what came meanwhile;
//! - reading the audit trail, and shutting down, flush first.

use crate::{Result, Store};
use skillbridge_core::audit::{AuditEvent, RefusalBatch};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How often the queue is written.
pub const FLUSH_EVERY: Duration = Duration::from_millis(250);

/// Distinct refusal keys held before a new key waits for the next drain.
pub const MAX_KEYS: usize = 4096;

#[derive(Default)]
pub(crate) struct Pending {
    state: Mutex<State>,
    /// Signalled after every drain: room for refusals that waited.
    drained: tokio::sync::Notify,
    /// Signalled when the queue fills up: drain now rather than at the next tick.
    wake: tokio::sync::Notify,
    /// One drain at a time (the periodic task, a reader of the trail, shutdown).
    flushing: tokio::sync::Mutex<()>,
    started: AtomicBool,
}

#[derive(Default)]
struct State {
    refusals: RefusalBatch,
    /// Session token hash -> the last activity not yet written.
    touches: HashMap<String, String>,
}

impl Pending {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Store {
    /// Records a refusal in the audit trail through the queue. Returns once it is queued (at
    /// most one drain later, when the queue is full); it is written within [`FLUSH_EVERY`].
    pub async fn refuse(&self, e: AuditEvent) {
        self.start_drainer();
        loop {
            let drained = self.pending.drained.notified();
            tokio::pin!(drained);
            drained.as_mut().enable();
            {
                let mut st = self.pending.lock();
                if st
                    .refusals
                    .add(e.clone(), &skillbridge_core::dates::now(), MAX_KEYS)
                {
                    if st.refusals.keys() > MAX_KEYS / 2 {
                        self.pending.wake.notify_one();
                    }
                    return;
                }
            }
            self.pending.wake.notify_one();
            drained.await;
        }
    }

    /// Notes a session's activity, written with the next drain.
    pub(crate) fn touch_session(&self, token_hash: &str, at: String) {
        self.start_drainer();
        self.pending
            .lock()
            .touches
            .insert(token_hash.to_string(), at);
    }

    /// A session's activity not yet written, if any.
    pub(crate) fn pending_touch(&self, token_hash: &str) -> Option<String> {
        self.pending.lock().touches.get(token_hash).cloned()
    }

    #[cfg(feature = "test-helpers")]
    pub(crate) fn pending_clear_touches(&self) {
        self.pending.lock().touches.clear();
    }

    pub(crate) fn forget_touch(&self, token_hash: &str) {
        self.pending.lock().touches.remove(token_hash);
    }

    /// Refusals queued and not yet written (for tests and operators).
    pub fn queued_refusals(&self) -> u64 {
        self.pending.lock().refusals.total()
    }

    /// Writes everything queued, in one write transaction. Called every [`FLUSH_EVERY`] by the
    /// drain task, before the audit trail is read, and at shutdown. On failure the batch goes
    /// back into the queue and the error is returned.
    pub async fn flush_pending(&self) -> Result<()> {
        let _one = self.pending.flushing.lock().await;
        let (refusals, touches) = {
            let mut st = self.pending.lock();
            (
                std::mem::take(&mut st.refusals),
                std::mem::take(&mut st.touches),
            )
        };
        if refusals.is_empty() && touches.is_empty() {
            return Ok(());
        }
        let written = self.write_pending(&refusals, &touches).await;
        {
            let mut st = self.pending.lock();
            if written.is_err() {
                let later = std::mem::replace(&mut st.refusals, refusals);
                st.refusals.merge(later);
                for (k, v) in touches {
                    st.touches.entry(k).or_insert(v);
                }
            }
        }
        self.pending.drained.notify_waiters();
        written
    }

    async fn write_pending(
        &self,
        refusals: &RefusalBatch,
        touches: &HashMap<String, String>,
    ) -> Result<()> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        for (token_hash, at) in touches {
            sqlx::query(
                "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2 AND last_seen < $3",
            )
            .bind(at.clone())
            .bind(token_hash.clone())
            .bind(at.clone())
            .execute(&mut *tx)
            .await?;
        }
        self.append_in(&mut tx, refusals.entries()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts the drain task once per store (and its clones).
    fn start_drainer(&self) {
        if self.pending.started.swap(true, Ordering::AcqRel) {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(FLUSH_EVERY) => {}
                    _ = store.pending.wake.notified() => {}
                }
                if store.pool.is_closed() {
                    break;
                }
                if let Err(e) = store.flush_pending().await {
                    tracing::error!(error = %e, "could not write the queued refusals and session activity; kept for the next try");
                    tokio::time::sleep(FLUSH_EVERY).await;
                }
            }
        });
    }
}
