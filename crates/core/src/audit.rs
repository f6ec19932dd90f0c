//! The tamper-evident audit trail.
//!
//! Each entry's hash covers the previous entry's hash and its own fields, so editing, removing or
//! reordering any entry breaks every hash after it. The database refuses UPDATE and DELETE on the
//! table (triggers), and the store has no method for either; [`verify_chain`] finds what slipped past.

use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC instant.
    pub at: String,
    pub actor: String,
    pub role: String,
    /// `login`, `login_failed`, `denied`, `reveal`, `create`, `update`, `delete`, `role_change`, ...
    pub action: String,
    /// What was acted on: `students/12`, `users/alice`.
    pub object: String,
    /// `ok`, `denied`, `failed`.
    pub outcome: String,
    /// The client address.
    pub source: String,
    /// Free text: the reason given for a reveal, the fields changed.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// What a caller records; id, time and hashes are added by the writer.
#[derive(Debug, Clone, Default)]
pub struct AuditEvent {
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object: String,
    pub outcome: String,
    pub source: String,
    pub detail: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of an entry given its predecessor's hash. Fields are length-prefixed, so that no
/// two different entries serialise alike.
pub fn entry_hash(prev_hash: &str, at: &str, e: &AuditEvent) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash, at, &e.actor, &e.role, &e.action, &e.object, &e.outcome, &e.source, &e.detail,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

impl AuditEntry {
    pub fn event(&self) -> AuditEvent {
        AuditEvent {
            actor: self.actor.clone(),
            role: self.role.clone(),
            action: self.action.clone(),
            object: self.object.clone(),
            outcome: self.outcome.clone(),
            source: self.source.clone(),
            detail: self.detail.clone(),
        }
    }
}

/// Checks the chain in id order; returns the id of the first entry that does not verify.
pub fn verify_chain(entries: &[AuditEntry]) -> Result<usize, i64> {
    let mut prev = GENESIS.to_string();
    for e in entries {
        if e.prev_hash != prev || entry_hash(&prev, &e.at, &e.event()) != e.hash {
            return Err(e.id);
        }
        prev = e.hash.clone();
    }
    Ok(entries.len())
}

/// Sha256 in hex, for session tokens and similar.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (0..n)
            .map(|i| {
                let ev = AuditEvent {
                    actor: format!("u{i}"),
                    action: "login".into(),
                    outcome: "ok".into(),
                    ..Default::default()
                };
                let at = format!("2026-01-01T00:00:0{i}.000Z");
                let hash = entry_hash(&prev, &at, &ev);
                let e = AuditEntry {
                    id: i as i64 + 1,
                    at,
                    actor: ev.actor,
                    role: String::new(),
                    action: ev.action,
                    object: String::new(),
                    outcome: ev.outcome,
                    source: String::new(),
                    detail: String::new(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn chain_verifies_and_detects_edits_and_removals() {
        let c = chain(5);
        assert_eq!(verify_chain(&c), Ok(5));
        let mut edited = c.clone();
        edited[2].outcome = "denied".into();
        assert_eq!(verify_chain(&edited), Err(3));
        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(verify_chain(&removed), Err(3));
    }

    #[test]
    fn fields_cannot_be_shifted() {
        let a = AuditEvent {
            actor: "ab".into(),
            role: "c".into(),
            ..Default::default()
        };
        let b = AuditEvent {
            actor: "a".into(),
            role: "bc".into(),
            ..Default::default()
        };
        assert_ne!(entry_hash(GENESIS, "t", &a), entry_hash(GENESIS, "t", &b));
    }
}
