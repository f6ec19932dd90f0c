//! Personal fields encrypted at rest (issue 11, item 1).
//!
//! Every field whose `Pii` is not `Pii::None` is stored, when a key file is configured
//! (`SKILLBRIDGE_PII_KEY_FILE`), as `pii1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>`: AES-256-GCM
//! with a fresh random 96-bit nonce per value and the associated data `table`, `column` and the
//! row's `id`, so a ciphertext copied to another row or column does not decrypt. Beside each
//! personal column, `<column>_bidx` holds a keyed blind index (HMAC-SHA256 of the stored, already
//! normalised value under a key derived apart from the encryption key); uniqueness and exact
//! search use it. Without a key file, values are stored in clear and the blind index column holds
//! the value itself.
//!
//! The key ring is one per process ([`install`]): the store's write and read paths
//! (`records::decode`, `records::stored_sets`, `records::insert_row`, `records::insert_rows`,
//! `records::lookup`) read it, so no caller above the store ever sees a ciphertext. The key file
//! may hold several keys: the first is the primary (it encrypts and indexes), the others are
//! only read. A server notices a rewritten key file (its modification time, looked at once a
//! second, or a key id it does not know), which is how `skillbridge rotate-pii-key` rotates
//! online.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// The prefix of every encrypted value.
pub const PREFIX: &str = "pii1:";

/// One key of a key file: its id and the two keys derived from its secret.
struct PiiKey {
    id: String,
    cipher: Aes256Gcm,
    index: [u8; 32],
}

/// The keys of a key file, the primary first.
pub struct Keyring {
    keys: Vec<PiiKey>,
    path: Option<PathBuf>,
    modified: Option<SystemTime>,
}

/// Why a stored value could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CryptError {
    #[error("personal data in the database is encrypted, but no key file is configured (SKILLBRIDGE_PII_KEY_FILE)")]
    NoKey,
    #[error("{0}: encrypted under key {1}, which the key file does not hold")]
    UnknownKey(String, String),
    #[error("{0}: the value does not decrypt (wrong key, or moved from another row or column)")]
    Corrupt(String),
    #[error("key file {0}: {1}")]
    KeyFile(String, String),
}

fn derive(secret: &[u8; 32], label: &str) -> [u8; 32] {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("any key length");
    m.update(label.as_bytes());
    m.finalize().into_bytes().into()
}

impl PiiKey {
    fn new(id: String, secret: &[u8; 32]) -> PiiKey {
        let enc = derive(secret, "skillbridge pii encryption v1");
        PiiKey {
            id,
            cipher: Aes256Gcm::new_from_slice(&enc).expect("32 bytes"),
            index: derive(secret, "skillbridge pii blind index v1"),
        }
    }

    fn blind(&self, value: &str) -> String {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&self.index).expect("any key length");
        m.update(value.as_bytes());
        let out = m.finalize().into_bytes();
        out.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The associated data of a value: where it belongs.
fn aad(table: &str, column: &str, id: i64) -> String {
    format!("{table}\u{0}{column}\u{0}{id}")
}

/// The text of a new key file: one fresh random key.
pub fn new_key_line() -> String {
    let mut secret = [0u8; 32];
    getrandom::getrandom(&mut secret).expect("system randomness");
    let mut id = [0u8; 4];
    getrandom::getrandom(&mut id).expect("system randomness");
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    format!("key {id} {}\n", B64.encode(secret))
}

/// The header of every key file that the commands write.
pub const KEY_FILE_HEADER: &str =
    "# SkillBridge personal-data key file (AES-256-GCM). The first key encrypts; any\n\
# other is read only (during a rotation). Keep a copy offline: without it the personal fields\n\
# cannot be read. Mode 0600.\n";

/// Writes `text` to a new file `path` with mode 0600; refuses to overwrite unless `replace`
/// (then it writes a temporary file beside it and renames it over, so a reader never sees half).
pub fn write_key_file(path: &Path, text: &str, replace: bool) -> Result<(), CryptError> {
    use std::io::Write;
    let err = |e: std::io::Error| CryptError::KeyFile(path.display().to_string(), e.to_string());
    let target = if replace {
        path.with_extension("tmp")
    } else {
        path.to_path_buf()
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if replace {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&target).map_err(err)?;
    f.write_all(text.as_bytes()).map_err(err)?;
    f.sync_all().map_err(err)?;
    if replace {
        std::fs::rename(&target, path).map_err(err)?;
    }
    Ok(())
}

impl Keyring {
    /// Reads a key file: `key <id> <base64 of 32 bytes>` lines, `#` comments.
    pub fn parse(text: &str, origin: &str) -> Result<Keyring, CryptError> {
        let bad = |line: usize, why: &str| {
            CryptError::KeyFile(origin.to_string(), format!("line {line}: {why}"))
        };
        let mut keys: Vec<PiiKey> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [word, id, secret] = parts.as_slice() else {
                return Err(bad(n + 1, "expected `key <id> <base64 secret>`"));
            };
            if *word != "key" {
                return Err(bad(n + 1, "expected `key <id> <base64 secret>`"));
            }
            if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad(n + 1, "the key id must be 8 hex digits"));
            }
            let bytes = B64
                .decode(secret)
                .map_err(|_| bad(n + 1, "the secret is not base64"))?;
            let secret: [u8; 32] = bytes
                .try_into()
                .map_err(|_| bad(n + 1, "the secret must be 32 bytes"))?;
            if keys.iter().any(|k| k.id == *id) {
                return Err(bad(n + 1, "a key id appears twice"));
            }
            keys.push(PiiKey::new((*id).to_string(), &secret));
        }
        if keys.is_empty() {
            return Err(CryptError::KeyFile(origin.into(), "holds no key".into()));
        }
        Ok(Keyring {
            keys,
            path: None,
            modified: None,
        })
    }

    /// Reads the key file at `path`; refuses one that others may read.
    pub fn load(path: &Path) -> Result<Keyring, CryptError> {
        let origin = path.display().to_string();
        let err = |e: std::io::Error| CryptError::KeyFile(origin.clone(), e.to_string());
        let meta = std::fs::metadata(path).map_err(err)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(CryptError::KeyFile(
                    origin,
                    "others may read it: chmod 600 it".into(),
                ));
            }
        }
        let text = std::fs::read_to_string(path).map_err(err)?;
        let mut ring = Keyring::parse(&text, &origin)?;
        ring.path = Some(path.to_path_buf());
        ring.modified = meta.modified().ok();
        Ok(ring)
    }

    /// The id of the primary key.
    pub fn primary_id(&self) -> &str {
        &self.keys[0].id
    }

    /// The ids of every key, the primary first.
    pub fn ids(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.id.as_str()).collect()
    }

    /// Encrypts `plain` for `table.column` of row `id` under the primary key.
    pub fn seal(&self, table: &str, column: &str, id: i64, plain: &str) -> String {
        let k = &self.keys[0];
        let mut nonce = [0u8; 12];
        getrandom::getrandom(&mut nonce).expect("system randomness");
        let ad = aad(table, column, id);
        let ct = k
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: ad.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of a short value");
        let mut blob = nonce.to_vec();
        blob.extend(ct);
        format!("{PREFIX}{}:{}", k.id, B64.encode(blob))
    }

    /// Decrypts a stored value of `table.column` of row `id`.
    pub fn open(
        &self,
        table: &str,
        column: &str,
        id: i64,
        stored: &str,
    ) -> Result<String, CryptError> {
        let place = format!("{table}.{column} of row {id}");
        let rest = stored
            .strip_prefix(PREFIX)
            .ok_or(CryptError::Corrupt(place.clone()))?;
        let (kid, b64) = rest
            .split_once(':')
            .ok_or(CryptError::Corrupt(place.clone()))?;
        let k = self
            .keys
            .iter()
            .find(|k| k.id == kid)
            .ok_or_else(|| CryptError::UnknownKey(place.clone(), kid.to_string()))?;
        let blob = B64
            .decode(b64)
            .map_err(|_| CryptError::Corrupt(place.clone()))?;
        if blob.len() < 12 + 16 {
            return Err(CryptError::Corrupt(place));
        }
        let ad = aad(table, column, id);
        let plain = k
            .cipher
            .decrypt(
                Nonce::from_slice(&blob[..12]),
                Payload {
                    msg: &blob[12..],
                    aad: ad.as_bytes(),
                },
            )
            .map_err(|_| CryptError::Corrupt(place.clone()))?;
        String::from_utf8(plain).map_err(|_| CryptError::Corrupt(place))
    }

    /// The blind index of a (normalised) value under the primary key: what is stored.
    pub fn blind(&self, value: &str) -> String {
        self.keys[0].blind(value)
    }

    /// The blind index of a value under every key, for lookups while a rotation is under way.
    pub fn blinds(&self, value: &str) -> Vec<String> {
        self.keys.iter().map(|k| k.blind(value)).collect()
    }
}

/// The id of the key a stored value was encrypted under, or `None` for a clear value.
pub fn key_id_of(stored: &str) -> Option<&str> {
    stored.strip_prefix(PREFIX)?.split_once(':').map(|(k, _)| k)
}

static RING: RwLock<Option<Arc<Keyring>>> = RwLock::new(None);
/// When the key file's modification time was last looked at (seconds since the epoch).
static CHECKED: AtomicU64 = AtomicU64::new(0);

/// Sets this process's key ring from a key file, or clears it (`None`: personal data in clear).
pub fn install(path: Option<&Path>) -> Result<(), CryptError> {
    let ring = match path {
        Some(p) => Some(Arc::new(Keyring::load(p)?)),
        None => None,
    };
    *RING.write().expect("key ring lock") = ring;
    Ok(())
}

/// Sets this process's key ring (tests, and the rotation, which holds both keys).
pub fn install_ring(ring: Option<Keyring>) {
    *RING.write().expect("key ring lock") = ring.map(Arc::new);
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Rereads the key file if it changed since it was loaded (a rotation wrote it).
fn reload(ring: &Keyring) -> Option<Arc<Keyring>> {
    let path = ring.path.as_ref()?;
    let modified = std::fs::metadata(path).ok()?.modified().ok();
    if modified == ring.modified {
        return None;
    }
    match Keyring::load(path) {
        Ok(new) => {
            tracing::info!(primary = new.primary_id(), "personal-data key file reread");
            let new = Arc::new(new);
            *RING.write().expect("key ring lock") = Some(new.clone());
            Some(new)
        }
        Err(e) => {
            tracing::error!(error = %e, "personal-data key file changed but cannot be read");
            None
        }
    }
}

/// This process's key ring, `None` when personal data is stored in clear. Looks at the key
/// file's modification time at most once a second.
pub fn current() -> Option<Arc<Keyring>> {
    let ring = RING.read().expect("key ring lock").clone()?;
    let now = now_secs();
    if CHECKED.swap(now, Ordering::Relaxed) != now {
        if let Some(new) = reload(&ring) {
            return Some(new);
        }
    }
    Some(ring)
}

/// Whether personal data is encrypted in this process.
pub fn keyed() -> bool {
    RING.read().expect("key ring lock").is_some()
}

/// A stored value as the application sees it: decrypted when it is encrypted, else as stored.
pub fn reveal_stored(
    table: &str,
    column: &str,
    id: i64,
    stored: String,
) -> Result<String, CryptError> {
    if !stored.starts_with(PREFIX) {
        return Ok(stored);
    }
    let ring = current().ok_or(CryptError::NoKey)?;
    match ring.open(table, column, id, &stored) {
        Err(CryptError::UnknownKey(..)) => {
            // A rotation may have written a key file with a new key since this was loaded.
            let fresh = reload(&ring).unwrap_or(ring);
            fresh.open(table, column, id, &stored)
        }
        other => other,
    }
}

/// What to store for a value of `table.column` of row `id`.
pub fn conceal(table: &str, column: &str, id: i64, plain: &str) -> String {
    match current() {
        Some(ring) => ring.seal(table, column, id, plain),
        None => plain.to_string(),
    }
}

/// The blind index to store for a value.
pub fn blind(plain: &str) -> String {
    match current() {
        Some(ring) => ring.blind(plain),
        None => plain.to_string(),
    }
}

/// Every blind index that a stored row holding `plain` may carry (one per key, or the value
/// itself without a key).
pub fn blinds(plain: &str) -> Vec<String> {
    match current() {
        Some(ring) => ring.blinds(plain),
        None => vec![plain.to_string()],
    }
}

/// The name of a personal column's blind index column.
pub fn bidx_column(column: &str) -> String {
    format!("{column}_bidx")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> Keyring {
        Keyring::parse(&new_key_line(), "test").unwrap()
    }

    #[test]
    fn a_value_decrypts_only_in_its_own_row_and_column_and_under_its_key() {
        let r = ring();
        let c = r.seal("students", "id_number", 7, "500106200603010011");
        assert!(c.starts_with(PREFIX));
        assert!(!c.contains("500106"));
        assert_eq!(key_id_of(&c), Some(r.primary_id()));
        assert_eq!(
            r.open("students", "id_number", 7, &c).unwrap(),
            "500106200603010011"
        );
        assert!(matches!(
            r.open("students", "id_number", 8, &c),
            Err(CryptError::Corrupt(_))
        ));
        assert!(matches!(
            r.open("students", "phone", 7, &c),
            Err(CryptError::Corrupt(_))
        ));
        assert!(matches!(
            r.open("staff", "id_number", 7, &c),
            Err(CryptError::Corrupt(_))
        ));
        let other = ring();
        assert!(matches!(
            other.open("students", "id_number", 7, &c),
            Err(CryptError::UnknownKey(..))
        ));
        // Two encryptions of one value differ (fresh nonce).
        assert_ne!(c, r.seal("students", "id_number", 7, "500106200603010011"));
    }

    #[test]
    fn the_blind_index_is_keyed_and_stable() {
        let r = ring();
        assert_eq!(r.blind("13812345678"), r.blind("13812345678"));
        assert_ne!(r.blind("13812345678"), r.blind("13812345679"));
        assert_ne!(r.blind("13812345678"), ring().blind("13812345678"));
        assert_eq!(r.blind("x").len(), 64);
    }

    #[test]
    fn a_key_file_names_the_line_of_its_problem() {
        let two = format!("# c\n{}{}", new_key_line(), new_key_line());
        let r = Keyring::parse(&two, "f").unwrap();
        assert_eq!(r.ids().len(), 2);
        let e = Keyring::parse("key a b c\n", "f")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("line 1"), "{e}");
        let e = Keyring::parse("# nothing\n", "f")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("no key"), "{e}");
        let short = format!("key 0123abcd {}\n", B64.encode([1u8; 16]));
        let e = Keyring::parse(&short, "f").err().unwrap().to_string();
        assert!(e.contains("32 bytes"), "{e}");
    }
}
