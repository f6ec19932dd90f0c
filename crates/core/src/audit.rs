//! The tamper-evident audit trail: a keyed hash chain, checkpoints, and the aggregation of
//! refusals.
//!
//! Each entry's hash covers the previous entry's hash and its own fields, so editing, removing or
//! reordering any entry breaks every hash after it. Since issue 9 the hash is an HMAC-SHA256
//! keyed by a key that lives **outside** the database ([`AuditKey`], a key file or a variable):
//! someone who can write the database but does not hold the key cannot recompute the chain after
//! an edit. Entries written before the key existed keep their plain SHA-256 hash ("legacy",
//! version 1); the first keyed entry after them is an `audit_rekey` entry, whose MAC covers the
//! last legacy hash, so the legacy prefix cannot be changed afterwards either. A hash says its
//! own version: keyed hashes start with [`KEYED_PREFIX`].
//!
//! A chain cut at its end (the newest entries removed) still verifies on its own; a
//! [`Checkpoint`] (sequence, hash, time and a MAC over them), printed by `skillbridge
//! audit-anchor` and kept elsewhere, catches that and any rewrite of the whole chain.
//!
//! The database refuses UPDATE and DELETE on the table (triggers), and the store has no method
//! for either; [`verify_chain`] finds what slipped past.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Keyed hashes (version 2 of the chain) start with this; legacy ones are bare hex.
pub const KEYED_PREFIX: &str = "k2:";

/// The action of the entry that puts a legacy (unkeyed) chain under the key.
pub const REKEY_ACTION: &str = "audit_rekey";

/// The audit key: 32 secret bytes kept outside the database. Three keys are derived from it, one
/// per use, so that no MAC made for one purpose is valid for another.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

impl AuditKey {
    pub fn from_bytes(bytes: [u8; 32]) -> AuditKey {
        AuditKey(bytes)
    }

    /// Parses 64 hex digits (surrounding whitespace ignored), as the key file and the variable
    /// hold it.
    pub fn from_hex(text: &str) -> Result<AuditKey, String> {
        let t = text.trim();
        if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("an audit key is 64 hexadecimal digits".into());
        }
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
        }
        Ok(AuditKey(out))
    }

    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// The key derived for one purpose: HMAC(master, label).
    fn derive(&self, label: &str) -> [u8; 32] {
        let mut m = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        m.update(label.as_bytes());
        m.finalize().into_bytes().into()
    }

    fn mac(&self, label: &str) -> HmacSha256 {
        HmacSha256::new_from_slice(&self.derive(label)).expect("HMAC takes any key length")
    }
}

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC instant.
    pub at: String,
    /// Who: `user:17` (an account's internal id), `system`, or for a sign-in with an unknown
    /// username `name:` and a keyed hash of it ([`username_tag`]). Never a personal value.
    pub actor: String,
    pub role: String,
    /// `login`, `login_failed`, `denied`, `reveal`, `create`, `update`, `delete`, `role_change`, ...
    pub action: String,
    /// What was acted on: `students/12`, `users/17`.
    pub object: String,
    /// `ok`, `denied`, `failed`.
    pub outcome: String,
    /// The client address.
    pub source: String,
    /// Free text: the reason given for a reveal, the fields changed; for refusals aggregated
    /// into one entry, their number and time span first ([`refusal_count`]).
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// What a caller records; id, time and hashes are added by the writer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
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

fn parts<'a>(prev_hash: &'a str, at: &'a str, e: &'a AuditEvent) -> [&'a str; 9] {
    [
        prev_hash, at, &e.actor, &e.role, &e.action, &e.object, &e.outcome, &e.source, &e.detail,
    ]
}

/// The legacy (version 1, unkeyed) hash of an entry given its predecessor's hash. Fields are
/// length-prefixed, so that no two different entries serialise alike. Only verification uses
/// it: every new entry is keyed ([`entry_mac`]).
pub fn entry_hash(prev_hash: &str, at: &str, e: &AuditEvent) -> String {
    let mut h = Sha256::new();
    for part in parts(prev_hash, at, e) {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// The keyed hash of an entry: HMAC-SHA256 under the chain key over the same length-prefixed
/// fields as [`entry_hash`], hex, with [`KEYED_PREFIX`].
pub fn entry_mac(key: &AuditKey, prev_hash: &str, at: &str, e: &AuditEvent) -> String {
    let mut m = key.mac("skillbridge audit chain v2");
    for part in parts(prev_hash, at, e) {
        m.update(&(part.len() as u64).to_le_bytes());
        m.update(part.as_bytes());
    }
    format!("{KEYED_PREFIX}{}", hex(&m.finalize().into_bytes()))
}

/// What the audit trail records for a sign-in with an unknown username: `name:` and the first
/// 16 hex digits of an HMAC of it under a key derived from the audit key. The same text always
/// gives the same tag (a flood of guesses for one name can be counted), the text itself (which
/// may be a password typed in the wrong field) is never stored, and without the key a tag
/// cannot be tested against guesses.
pub fn username_tag(key: &AuditKey, username: &str) -> String {
    let mut m = key.mac("skillbridge unknown username v1");
    m.update(username.as_bytes());
    format!("name:{}", &hex(&m.finalize().into_bytes())[..16])
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

    /// How many refusals this entry stands for (1 unless aggregated).
    pub fn refusals(&self) -> u64 {
        refusal_count(&self.detail)
    }

    fn keyed(&self) -> bool {
        self.hash.starts_with(KEYED_PREFIX)
    }
}

/// What a whole chain check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Entries checked.
    pub entries: usize,
    /// Of them, legacy entries (before the key), protected by the first keyed entry after them.
    pub legacy: usize,
    /// Checkpoints matched.
    pub checkpoints: usize,
}

/// Why a chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// This entry's hash or link is wrong (edited, removed, reordered, or recomputed without
    /// the key).
    Entry(i64),
    /// The chain holds entries but none under the key: it was written, or rewritten, without it.
    NotKeyed,
    /// A checkpoint's MAC is not this key's.
    CheckpointForged(i64),
    /// A checkpoint names an entry that is missing (the chain was cut) or holds another hash.
    CheckpointMismatch(i64),
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Entry(id) => write!(f, "the audit trail is broken at entry {id}"),
            ChainBreak::NotKeyed => write!(f, "the audit trail has no entry under the audit key"),
            ChainBreak::CheckpointForged(s) => {
                write!(f, "the checkpoint at entry {s} is not signed with this audit key")
            }
            ChainBreak::CheckpointMismatch(s) => write!(
                f,
                "the checkpoint at entry {s} does not match: the entry is missing (the trail was cut) or was rewritten"
            ),
        }
    }
}

impl ChainBreak {
    /// The entry where the chain breaks, for the API's `first_bad_entry`.
    pub fn entry(&self) -> Option<i64> {
        match self {
            ChainBreak::Entry(id)
            | ChainBreak::CheckpointForged(id)
            | ChainBreak::CheckpointMismatch(id) => Some(*id),
            ChainBreak::NotKeyed => None,
        }
    }
}

/// Checks the chain in id order under `key`, then each checkpoint. Legacy (unkeyed) entries are
/// accepted only as a prefix closed by an [`REKEY_ACTION`] entry under the key; after the first
/// keyed entry every entry must be keyed. A non-empty chain without any keyed entry fails.
pub fn verify_chain(
    entries: &[AuditEntry],
    key: &AuditKey,
    checkpoints: &[Checkpoint],
) -> Result<ChainReport, ChainBreak> {
    verify_chain_from(GENESIS, entries, key, checkpoints)
}

/// [`verify_chain`] for a trail whose older part was archived by the retention job: the first
/// entry must link to `start`, the hash of the last archived entry (recorded in the database
/// with the archive; [`GENESIS`] when nothing was archived). A checkpoint older than the first
/// entry names an archived entry: it is checked against the archive (`verify_archive`), not
/// here, and is not counted.
pub fn verify_chain_from(
    start: &str,
    entries: &[AuditEntry],
    key: &AuditKey,
    checkpoints: &[Checkpoint],
) -> Result<ChainReport, ChainBreak> {
    let report = walk(start, entries, key, true)?;
    let first = entries.first().map_or(i64::MAX, |e| e.id);
    let matched = match_checkpoints(entries, checkpoints, key, |seq| {
        start != GENESIS && seq < first
    })?;
    Ok(ChainReport {
        checkpoints: matched,
        ..report
    })
}

/// Walks the links and MACs of `entries` from `start`. `require_keyed`: a non-empty chain with
/// no keyed entry fails (an archive of entries all written before the key passes, reported as
/// legacy: the keyed entry after it, in the next archive or the database, covers it).
fn walk(
    start: &str,
    entries: &[AuditEntry],
    key: &AuditKey,
    require_keyed: bool,
) -> Result<ChainReport, ChainBreak> {
    let mut prev = start.to_string();
    let mut legacy = 0;
    let mut keyed_seen = start.starts_with(KEYED_PREFIX);
    let legacy_before = !keyed_seen && start != GENESIS;
    for e in entries {
        let ok = e.prev_hash == prev
            && if e.keyed() {
                let first_after_legacy = !keyed_seen && (legacy > 0 || legacy_before);
                (!first_after_legacy || e.action == REKEY_ACTION)
                    && entry_mac(key, &prev, &e.at, &e.event()) == e.hash
            } else {
                !keyed_seen && entry_hash(&prev, &e.at, &e.event()) == e.hash
            };
        if !ok {
            return Err(ChainBreak::Entry(e.id));
        }
        if e.keyed() {
            keyed_seen = true;
        } else {
            legacy += 1;
        }
        prev = e.hash.clone();
    }
    if require_keyed && !entries.is_empty() && !keyed_seen {
        return Err(ChainBreak::NotKeyed);
    }
    Ok(ChainReport {
        entries: entries.len(),
        legacy,
        checkpoints: 0,
    })
}

/// An archive file of the retention job: the archived entries, one JSON object a line, in id
/// order, every column with its hash. Returns the entries or the first bad line (numbered
/// from 1) and why.
pub fn parse_archive(text: &str) -> Result<Vec<AuditEntry>, String> {
    let mut out: Vec<AuditEntry> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let e: AuditEntry =
            serde_json::from_str(line).map_err(|err| format!("line {}: {err}", i + 1))?;
        if out.last().is_some_and(|p| p.id >= e.id) {
            return Err(format!("line {}: entry {} is out of order", i + 1, e.id));
        }
        out.push(e);
    }
    if out.is_empty() {
        return Err("the archive holds no entry".into());
    }
    Ok(out)
}

/// One line of an archive file (no newline).
pub fn archive_line(e: &AuditEntry) -> String {
    serde_json::to_string(e).expect("an audit entry serialises")
}

/// What an archive file holds, once its chain verified on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveReport {
    pub entries: usize,
    pub legacy: usize,
    pub first_id: i64,
    pub last_id: i64,
    /// The hash the first entry links to: [`GENESIS`], or the last hash of the archive before.
    pub starts_from: String,
    /// The hash of the last entry: the first entry left in the database (or the first of the
    /// next archive) links to it.
    pub last_hash: String,
    /// Checkpoints that named an archived entry and matched it.
    pub checkpoints: usize,
}

/// Verifies an archive on its own: its entries link one to the next and each keyed entry's MAC
/// is this key's; checkpoints within its range must match.
pub fn verify_archive(
    entries: &[AuditEntry],
    key: &AuditKey,
    checkpoints: &[Checkpoint],
) -> Result<ArchiveReport, ChainBreak> {
    let (first, last) = match (entries.first(), entries.last()) {
        (Some(f), Some(l)) => (f, l),
        _ => return Err(ChainBreak::NotKeyed),
    };
    let r = walk(&first.prev_hash, entries, key, false)?;
    let matched = match_checkpoints(entries, checkpoints, key, |seq| {
        seq < first.id || seq > last.id
    })?;
    Ok(ArchiveReport {
        entries: r.entries,
        legacy: r.legacy,
        first_id: first.id,
        last_id: last.id,
        starts_from: first.prev_hash.clone(),
        last_hash: last.hash.clone(),
        checkpoints: matched,
    })
}

/// A signed statement that entry `seq` of the chain had hash `hash` at time `at`. Kept away
/// from the database (printed, mailed, filed), it proves later that the chain was not cut or
/// rewritten up to that entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at: String,
    pub mac: String,
}

impl Checkpoint {
    fn compute(key: &AuditKey, seq: i64, hash: &str, at: &str) -> String {
        let mut m = key.mac("skillbridge audit checkpoint v1");
        for part in [seq.to_string().as_str(), hash, at] {
            m.update(&(part.len() as u64).to_le_bytes());
            m.update(part.as_bytes());
        }
        hex(&m.finalize().into_bytes())
    }

    /// Signs the checkpoint for entry `seq` with hash `hash`, taken at `at`.
    pub fn sign(key: &AuditKey, seq: i64, hash: &str, at: &str) -> Checkpoint {
        Checkpoint {
            seq,
            hash: hash.into(),
            at: at.into(),
            mac: Self::compute(key, seq, hash, at),
        }
    }

    pub fn signed_by(&self, key: &AuditKey) -> bool {
        let expected = Self::compute(key, self.seq, &self.hash, &self.at);
        // Constant time is not needed for a check run offline, but costs nothing.
        expected.len() == self.mac.len()
            && expected
                .bytes()
                .zip(self.mac.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    /// One line of JSON, as `skillbridge audit-anchor` prints it.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("a checkpoint serialises")
    }

    pub fn parse(text: &str) -> Result<Checkpoint, String> {
        serde_json::from_str(text.trim()).map_err(|e| format!("not an audit checkpoint: {e}"))
    }
}

/// The detail of an entry that stands for `n` refusals between `first` and `last`.
pub fn aggregated_detail(n: u64, first: &str, last: &str, detail: &str) -> String {
    format!("{n} refusals between {first} and {last}: {detail}")
}

/// How many refusals an entry's detail stands for: `n` for an aggregated one
/// ([`aggregated_detail`]), otherwise 1.
pub fn refusal_count(detail: &str) -> u64 {
    detail
        .split_once(" refusals between ")
        .and_then(|(n, rest)| rest.contains(": ").then_some(n))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// The route an object belongs to: numeric path segments become `{id}`, so that a flood of
/// refusals on `students/1`, `students/2`, ... is counted as one route.
pub fn route_of(object: &str) -> String {
    object
        .split('/')
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Refusals waiting to be written, aggregated by who was refused what: (actor, role, action,
/// route, outcome, source, detail). Pure bookkeeping: the store's queue holds one of these,
/// bounded by the number of distinct keys, and writes [`RefusalBatch::entries`] in one
/// transaction. A refusal is never dropped: it either joins a key already present or takes a
/// new slot, and a caller that finds no slot waits for the next write.
#[derive(Debug, Default)]
pub struct RefusalBatch {
    groups: std::collections::HashMap<AuditEvent, Group>,
    order: Vec<AuditEvent>,
    total: u64,
}

#[derive(Debug)]
struct Group {
    count: u64,
    first_at: String,
    last_at: String,
    /// The first refusal as it was (written as it is when it stays alone).
    sample: AuditEvent,
    /// Up to [`SAMPLE_OBJECTS`] distinct objects, named in the aggregated entry.
    objects: Vec<String>,
}

/// How many distinct objects an aggregated entry names.
pub const SAMPLE_OBJECTS: usize = 5;

impl RefusalBatch {
    fn key(e: &AuditEvent) -> AuditEvent {
        AuditEvent {
            object: route_of(&e.object),
            ..e.clone()
        }
    }

    /// Adds a refusal seen at `at`. False (and nothing added) when it needs a new key and
    /// `max_keys` are taken.
    pub fn add(&mut self, e: AuditEvent, at: &str, max_keys: usize) -> bool {
        let key = Self::key(&e);
        if let Some(g) = self.groups.get_mut(&key) {
            g.count += 1;
            at.clone_into(&mut g.last_at);
            if g.objects.len() < SAMPLE_OBJECTS && !g.objects.contains(&e.object) {
                g.objects.push(e.object.clone());
            }
            self.total += 1;
            return true;
        }
        if self.groups.len() >= max_keys {
            return false;
        }
        self.order.push(key.clone());
        self.groups.insert(
            key,
            Group {
                count: 1,
                first_at: at.into(),
                last_at: at.into(),
                objects: vec![e.object.clone()],
                sample: e,
            },
        );
        self.total += 1;
        true
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Adds every refusal of `later` (taken after this batch) to this one, whatever the number
    /// of keys: how a batch that could not be written goes back into the queue, nothing lost.
    pub fn merge(&mut self, later: RefusalBatch) {
        let RefusalBatch {
            mut groups, order, ..
        } = later;
        for k in order {
            let Some(g) = groups.remove(&k) else { continue };
            self.total += g.count;
            match self.groups.get_mut(&k) {
                Some(mine) => {
                    mine.count += g.count;
                    mine.last_at = g.last_at;
                    for o in g.objects {
                        if mine.objects.len() < SAMPLE_OBJECTS && !mine.objects.contains(&o) {
                            mine.objects.push(o);
                        }
                    }
                }
                None => {
                    self.order.push(k.clone());
                    self.groups.insert(k, g);
                }
            }
        }
    }

    /// Distinct keys held.
    pub fn keys(&self) -> usize {
        self.groups.len()
    }

    /// Refusals held.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The entries to write, in the order their keys first appeared: a refusal alone as it
    /// was; several as one entry on their route whose detail gives their number, first and last
    /// time and up to [`SAMPLE_OBJECTS`] of the objects.
    pub fn entries(&self) -> Vec<AuditEvent> {
        self.order
            .iter()
            .filter_map(|k| self.groups.get(k).map(|g| (k.clone(), g)))
            .map(|(key, g)| {
                if g.count == 1 {
                    return g.sample.clone();
                }
                let detail = format!("{}; e.g. {}", key.detail, g.objects.join(", "));
                AuditEvent {
                    detail: aggregated_detail(g.count, &g.first_at, &g.last_at, &detail),
                    ..key
                }
            })
            .collect()
    }
}

/// How the audit trail names an actor: `user:17` by the account's internal id, never by a
/// username or another personal value; the command line and background jobs are `system`.
pub fn actor_name(actor: &crate::access::Actor) -> String {
    match actor.user_id {
        Some(id) => format!("user:{id}"),
        None => "system".into(),
    }
}

/// Sha256 in hex, for session tokens and similar.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Checks each checkpoint's MAC under `key`, then that the entry it names (unless `outside`
/// says the checkpoint is for entries not held here) has the hash it recorded. Answers how many
/// checkpoints were matched.
fn match_checkpoints(
    entries: &[AuditEntry],
    checkpoints: &[Checkpoint],
    key: &AuditKey,
    outside: impl Fn(i64) -> bool,
) -> Result<usize, ChainBreak> {
    let mut matched = 0;
    for c in checkpoints {
        if !c.signed_by(key) {
            return Err(ChainBreak::CheckpointForged(c.seq));
        }
        if outside(c.seq) {
            continue;
        }
        let found = entries
            .binary_search_by_key(&c.seq, |e| e.id)
            .ok()
            .map(|i| &entries[i]);
        if found.is_none_or(|e| e.hash != c.hash) {
            return Err(ChainBreak::CheckpointMismatch(c.seq));
        }
        matched += 1;
    }
    Ok(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> AuditKey {
        AuditKey::from_bytes([b; 32])
    }

    fn ev(i: usize) -> AuditEvent {
        AuditEvent {
            actor: format!("user:{i}"),
            action: "login".into(),
            outcome: "ok".into(),
            ..Default::default()
        }
    }

    /// Appends `ev` after `prev`, keyed or not, the way the store does.
    fn push(c: &mut Vec<AuditEntry>, e: AuditEvent, k: Option<&AuditKey>) {
        let prev = c.last().map_or(GENESIS.to_string(), |e| e.hash.clone());
        let at = format!("2026-01-01T00:00:{:02}.000Z", c.len());
        let hash = match k {
            Some(k) => entry_mac(k, &prev, &at, &e),
            None => entry_hash(&prev, &at, &e),
        };
        c.push(AuditEntry {
            id: c.len() as i64 + 1,
            at,
            actor: e.actor,
            role: e.role,
            action: e.action,
            object: e.object,
            outcome: e.outcome,
            source: e.source,
            detail: e.detail,
            prev_hash: prev,
            hash,
        });
    }

    fn chain(n: usize, k: &AuditKey) -> Vec<AuditEntry> {
        let mut c = Vec::new();
        for i in 0..n {
            push(&mut c, ev(i), Some(k));
        }
        c
    }

    /// Recomputes every hash from `from` on (an attacker with the database), keyed with `k`
    /// or, with `None`, with plain SHA-256.
    fn recompute(c: &mut [AuditEntry], k: Option<&AuditKey>) {
        let mut prev = GENESIS.to_string();
        for e in c.iter_mut() {
            e.prev_hash = prev.clone();
            e.hash = match k {
                Some(k) => entry_mac(k, &prev, &e.at, &e.event()),
                None => entry_hash(&prev, &e.at, &e.event()),
            };
            prev = e.hash.clone();
        }
    }

    #[test]
    fn an_archived_prefix_verifies_on_its_own_and_the_rest_from_its_tail() {
        let k = key(7);
        let c = chain(8, &k);
        let (archived, rest) = c.split_at(5);
        let text: String = archived.iter().map(|e| archive_line(e) + "\n").collect();
        let parsed = parse_archive(&text).unwrap();
        assert_eq!(parsed, archived);
        let cp = Checkpoint::sign(&k, 3, &archived[2].hash, "2026-01-02T00:00:00.000Z");
        let r = verify_archive(&parsed, &k, std::slice::from_ref(&cp)).unwrap();
        assert_eq!(
            (r.entries, r.first_id, r.last_id, r.checkpoints),
            (5, 1, 5, 1)
        );
        assert_eq!(
            (r.starts_from.as_str(), r.last_hash.as_str()),
            (GENESIS, archived[4].hash.as_str())
        );
        // The rest links to the archive's tail, not to the genesis; the checkpoint at an
        // archived entry is the archive's to check.
        assert!(verify_chain(rest, &k, &[]).is_err());
        let rr = verify_chain_from(&r.last_hash, rest, &k, &[cp]).unwrap();
        assert_eq!((rr.entries, rr.checkpoints), (3, 0));
        // Another key, an edited line, a missing line: each fails.
        assert!(verify_archive(&parsed, &key(8), &[]).is_err());
        let mut edited = parsed.clone();
        edited[1].detail = "x".into();
        assert_eq!(verify_archive(&edited, &k, &[]), Err(ChainBreak::Entry(2)));
        let mut cut = parsed.clone();
        cut.remove(2);
        assert_eq!(verify_archive(&cut, &k, &[]), Err(ChainBreak::Entry(4)));
        // A database whose first entries were removed outside the job does not link.
        assert_eq!(
            verify_chain_from(&r.last_hash, &rest[1..], &k, &[]),
            Err(ChainBreak::Entry(7))
        );
        assert!(parse_archive("").is_err());
        let e = parse_archive(&format!("{}\nnot json\n", archive_line(&c[0]))).unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
    }

    #[test]
    fn chain_verifies_and_detects_edits_and_removals() {
        let k = key(7);
        let c = chain(5, &k);
        assert_eq!(verify_chain(&c, &k, &[]).map(|r| r.entries), Ok(5));
        let mut edited = c.clone();
        edited[2].outcome = "denied".into();
        assert_eq!(verify_chain(&edited, &k, &[]), Err(ChainBreak::Entry(3)));
        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(verify_chain(&removed, &k, &[]), Err(ChainBreak::Entry(3)));
        assert_eq!(verify_chain(&[], &k, &[]).map(|r| r.entries), Ok(0));
    }

    #[test]
    fn an_edit_recomputed_without_the_key_fails() {
        let k = key(7);
        let mut c = chain(4, &k);
        c[1].detail = "covered up".into();
        let mut plain = c.clone();
        recompute(&mut plain, None);
        assert_eq!(verify_chain(&plain, &k, &[]), Err(ChainBreak::NotKeyed));
        let mut wrong = c.clone();
        recompute(&mut wrong, Some(&key(8)));
        assert_eq!(verify_chain(&wrong, &k, &[]), Err(ChainBreak::Entry(1)));
        // With the key it would pass: the key is what protects the chain.
        let mut right = c.clone();
        recompute(&mut right, Some(&k));
        assert!(verify_chain(&right, &k, &[]).is_ok());
    }

    #[test]
    fn a_legacy_prefix_is_accepted_only_when_closed_by_a_rekey_entry() {
        let k = key(1);
        let mut c = Vec::new();
        for i in 0..3 {
            push(&mut c, ev(i), None);
        }
        assert_eq!(verify_chain(&c, &k, &[]), Err(ChainBreak::NotKeyed));
        let mut not_rekey = c.clone();
        push(&mut not_rekey, ev(9), Some(&k));
        assert_eq!(verify_chain(&not_rekey, &k, &[]), Err(ChainBreak::Entry(4)));
        push(
            &mut c,
            AuditEvent {
                actor: "system".into(),
                action: REKEY_ACTION.into(),
                ..Default::default()
            },
            Some(&k),
        );
        push(&mut c, ev(4), Some(&k));
        let r = verify_chain(&c, &k, &[]).unwrap();
        assert_eq!((r.entries, r.legacy), (5, 3));
        // The legacy prefix is now covered: an edit there, recomputed, breaks the rekey entry.
        let mut edited = c.clone();
        edited[0].detail = "x".into();
        let mut prefix = edited[..3].to_vec();
        recompute(&mut prefix, None);
        edited[..3].clone_from_slice(&prefix);
        assert_eq!(verify_chain(&edited, &k, &[]), Err(ChainBreak::Entry(4)));
        // A legacy entry after a keyed one is refused.
        let mut late = c.clone();
        push(&mut late, ev(5), None);
        assert_eq!(verify_chain(&late, &k, &[]), Err(ChainBreak::Entry(6)));
    }

    #[test]
    fn checkpoints_catch_a_cut_chain_and_forgeries() {
        let k = key(3);
        let c = chain(6, &k);
        let cp = Checkpoint::sign(&k, 5, &c[4].hash, "2026-01-02T00:00:00.000Z");
        assert!(cp.signed_by(&k) && !cp.signed_by(&key(4)));
        assert_eq!(Checkpoint::parse(&cp.to_line()), Ok(cp.clone()));
        assert_eq!(
            verify_chain(&c, &k, std::slice::from_ref(&cp)).map(|r| r.checkpoints),
            Ok(1)
        );
        let cut = &c[..4];
        assert!(
            verify_chain(cut, &k, &[]).is_ok(),
            "alone, a cut chain verifies"
        );
        assert_eq!(
            verify_chain(cut, &k, std::slice::from_ref(&cp)),
            Err(ChainBreak::CheckpointMismatch(5))
        );
        let mut forged = cp.clone();
        forged.hash = c[3].hash.clone();
        assert_eq!(
            verify_chain(&c, &k, &[forged]),
            Err(ChainBreak::CheckpointForged(5))
        );
        let other = Checkpoint::sign(&k, 5, &c[3].hash, "2026-01-02T00:00:00.000Z");
        assert_eq!(
            verify_chain(&c, &k, &[other]),
            Err(ChainBreak::CheckpointMismatch(5))
        );
    }

    #[test]
    fn username_tags_are_keyed_stable_and_hide_the_text() {
        let (a, b) = (key(1), key(2));
        let t = username_tag(&a, "S3cret password!");
        assert_eq!(t, username_tag(&a, "S3cret password!"));
        assert_ne!(t, username_tag(&b, "S3cret password!"));
        assert_ne!(t, username_tag(&a, "S3cret password?"));
        assert!(t.starts_with("name:") && t.len() == 21 && !t.contains("S3cret"));
    }

    #[test]
    fn keys_parse_from_hex_only() {
        let k = key(0xab);
        assert_eq!(AuditKey::from_hex(&format!(" {}\n", k.to_hex())), Ok(k));
        assert!(AuditKey::from_hex("abc").is_err());
        assert!(AuditKey::from_hex(&"zz".repeat(32)).is_err());
        assert_eq!(format!("{:?}", key(1)), "AuditKey(..)");
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
        let k = key(5);
        assert_ne!(
            entry_mac(&k, GENESIS, "t", &a),
            entry_mac(&k, GENESIS, "t", &b)
        );
    }

    fn denied(actor: &str, object: &str) -> AuditEvent {
        AuditEvent {
            actor: actor.into(),
            role: "student".into(),
            action: "denied".into(),
            object: object.into(),
            outcome: "denied".into(),
            source: "127.0.0.1".into(),
            detail: "read".into(),
        }
    }

    #[test]
    fn refusals_aggregate_by_route_and_are_all_counted() {
        let mut b = RefusalBatch::default();
        for i in 0..1000 {
            assert!(b.add(denied("user:5", &format!("staff/{i}")), "t1", 2));
        }
        assert!(b.add(denied("user:5", "staff/3"), "t9", 2));
        assert!(b.add(denied("user:6", "staff/3"), "t5", 2));
        assert!(!b.add(denied("user:7", "staff"), "t6", 2), "no third key");
        assert_eq!((b.keys(), b.total()), (2, 1002));
        let out = b.entries();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].object, "staff/{id}");
        assert_eq!(out[0].actor, "user:5");
        assert_eq!(refusal_count(&out[0].detail), 1001);
        assert!(
            out[0].detail.contains("between t1 and t9"),
            "{}",
            out[0].detail
        );
        assert!(
            out[0].detail.contains("staff/0, staff/1"),
            "{}",
            out[0].detail
        );
        // Alone, a refusal is written as it came.
        assert_eq!(out[1], denied("user:6", "staff/3"));
        assert_eq!(refusal_count(&out[1].detail), 1);
        assert_eq!(
            out.iter().map(|e| refusal_count(&e.detail)).sum::<u64>(),
            1002
        );
        // A batch that could not be written goes back, merged with what came meanwhile.
        let mut later = RefusalBatch::default();
        later.add(denied("user:5", "staff/7"), "t10", 2);
        later.add(denied("user:8", "staff"), "t11", 2);
        b.merge(later);
        assert_eq!((b.keys(), b.total()), (3, 1004));
        let out = b.entries();
        assert_eq!(refusal_count(&out[0].detail), 1002);
        assert!(
            out[0].detail.contains("between t1 and t10"),
            "{}",
            out[0].detail
        );
        assert_eq!(out[2], denied("user:8", "staff"));
    }

    #[test]
    fn routes_hide_ids_only() {
        assert_eq!(route_of("students/12/reveal"), "students/{id}/reveal");
        assert_eq!(route_of("users/17"), "users/{id}");
        assert_eq!(route_of("staff"), "staff");
        assert_eq!(refusal_count("wrong password"), 1);
        assert_eq!(refusal_count(&aggregated_detail(7, "a", "b", "x")), 7);
    }
}

/// The record type and id an audit object names: `students/163`, `students/163.phone`,
/// `order_classes/5/scores` -> (`students`, 163) ...; `None` for objects that name no record.
pub fn object_record(object: &str) -> Option<(&str, i64)> {
    let (r, rest) = object.split_once('/')?;
    let digits = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .filter(|d| !d.is_empty())?;
    crate::schema::resource(r)?;
    Some((r, digits.parse().ok()?))
}

#[cfg(test)]
mod object_tests {
    use super::object_record;

    #[test]
    fn audit_objects_name_records() {
        assert_eq!(object_record("students/163"), Some(("students", 163)));
        assert_eq!(object_record("students/163.phone"), Some(("students", 163)));
        assert_eq!(
            object_record("order_classes/5/scores"),
            Some(("order_classes", 5))
        );
        assert_eq!(object_record("users/leader"), None);
        assert_eq!(object_record("nothing/5"), None);
        assert_eq!(object_record("audit"), None);
    }
}
