//! The attachment rules: the allow-list of media types with their magic bytes, file names,
//! the store's layout, and the answers to `Range` headers. No I/O.

/// How many leading bytes [`MediaType::sniff`] needs at most.
pub const SNIFF_BYTES: usize = 16;

/// The default largest attachment, in bytes (20 MiB; a setting).
pub const DEFAULT_MAX_BYTES: u64 = 20 << 20;

/// Record types whose files have a cap of their own, which replaces the configured
/// `max_attachment_bytes` for files attached to them (issue 12 §4: teaching resources, 200 MiB).
pub const OWNER_CAPS: &[(&str, u64)] = &[(
    "teaching_resources",
    crate::modules::resources::MAX_FILE_BYTES,
)];

/// The largest file that may be attached to a record of `owner`: its own cap if it has one
/// ([`OWNER_CAPS`]), else `configured`.
pub fn max_bytes_for(owner: &str, configured: u64) -> u64 {
    OWNER_CAPS
        .iter()
        .find(|(o, _)| *o == owner)
        .map_or(configured, |(_, cap)| *cap)
}

/// The longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A media type of the allow-list. Anything else is refused (`unsupported_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
    Webp,
    Xlsx,
    Docx,
    Text,
}

/// Every accepted type, in the order the pages list them.
pub const MEDIA_TYPES: &[MediaType] = &[
    MediaType::Pdf,
    MediaType::Jpeg,
    MediaType::Png,
    MediaType::Webp,
    MediaType::Xlsx,
    MediaType::Docx,
    MediaType::Text,
];

impl MediaType {
    /// The MIME type sent and stored.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Webp => "image/webp",
            MediaType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            MediaType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            MediaType::Text => "text/plain",
        }
    }

    /// The file name endings accepted for the type (lower case, without the dot).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            MediaType::Pdf => &["pdf"],
            MediaType::Jpeg => &["jpg", "jpeg"],
            MediaType::Png => &["png"],
            MediaType::Webp => &["webp"],
            MediaType::Xlsx => &["xlsx"],
            MediaType::Docx => &["docx"],
            MediaType::Text => &["txt"],
        }
    }

    /// The type a declared MIME type names (parameters such as `; charset=utf-8` ignored).
    pub fn from_mime(mime: &str) -> Option<MediaType> {
        let base = mime.split(';').next().unwrap_or("").trim();
        MEDIA_TYPES
            .iter()
            .copied()
            .find(|t| t.mime().eq_ignore_ascii_case(base))
    }

    /// Whether a file's first bytes (at least [`SNIFF_BYTES`] of them, or the whole file if
    /// shorter) are those of this type. A `.xlsx` and a `.docx` are both zip files: their magic
    /// bytes are the same, and the name's ending tells them apart. Plain text has no magic
    /// bytes: it must not contain NUL (see [`text_chunk_ok`], applied to every chunk).
    pub fn sniff(self, head: &[u8]) -> bool {
        match self {
            MediaType::Pdf => head.starts_with(b"%PDF-"),
            MediaType::Jpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
            MediaType::Png => head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            MediaType::Webp => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP",
            MediaType::Xlsx | MediaType::Docx => head.starts_with(b"PK\x03\x04"),
            MediaType::Text => !head.is_empty() && text_chunk_ok(head),
        }
    }

    /// The content type a download is sent with: the allow-listed type, text as UTF-8.
    pub fn served_as(self) -> &'static str {
        match self {
            MediaType::Text => "text/plain; charset=utf-8",
            t => t.mime(),
        }
    }
}

/// A chunk of a plain-text upload is acceptable: no NUL bytes (binary data declared as text).
pub fn text_chunk_ok(chunk: &[u8]) -> bool {
    !chunk.contains(&0)
}

/// Why an upload is refused; each is answered with its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The declared type is not on the allow-list.
    UnsupportedType,
    /// The bytes are not those of the declared type.
    TypeMismatch,
    /// The name has a path in it, is empty, too long, or has control characters.
    BadName,
    /// The name's ending is not one of the declared type's.
    ExtensionMismatch,
    /// Over the size limit.
    TooLarge,
    /// No bytes.
    Empty,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::UnsupportedType => "unsupported_type",
            Refusal::TypeMismatch => "type_mismatch",
            Refusal::BadName => "bad_file_name",
            Refusal::ExtensionMismatch => "extension_mismatch",
            Refusal::TooLarge => "too_large",
            Refusal::Empty => "empty_file",
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            Refusal::UnsupportedType => {
                "this type of file is not accepted (PDF, JPEG, PNG, WebP, xlsx, docx, txt)"
            }
            Refusal::TypeMismatch => "the file's content does not match its declared type",
            Refusal::BadName => {
                "the file name must be a plain name (no path, no '/', '\\' or '..')"
            }
            Refusal::ExtensionMismatch => "the file name's ending does not match its type",
            Refusal::TooLarge => "the file is larger than the limit",
            Refusal::Empty => "the file is empty",
        }
    }
}

/// Checks an original file name: a plain name, never a path. Refused: empty, longer than
/// [`MAX_NAME_CHARS`], containing `/`, `\`, `..`, a NUL or another control character, or a name
/// that is only dots.
pub fn check_name(name: &str) -> Result<(), Refusal> {
    let bad = name.trim().is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.contains('/')
        || name.contains('\\')
        || name.contains("..")
        || name.chars().any(char::is_control)
        || name.trim_matches('.').is_empty();
    if bad {
        Err(Refusal::BadName)
    } else {
        Ok(())
    }
}

/// Checks a name and a declared type together: the name is plain, the type is on the
/// allow-list, and the name ends as the type does.
pub fn check_upload(name: &str, declared: &str) -> Result<MediaType, Refusal> {
    check_name(name)?;
    let t = MediaType::from_mime(declared).ok_or(Refusal::UnsupportedType)?;
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if t.extensions().contains(&ext.as_str()) {
        Ok(t)
    } else {
        Err(Refusal::ExtensionMismatch)
    }
}

/// Whether `hash` is a SHA-256 in lower-case hex (64 digits): the only names the store makes.
pub fn is_hash(hash: &str) -> bool {
    hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where a file of that hash lives under the store's folder: `ab/cd/<hash>`. `None` for
/// anything that is not a hash, so no stored value can name another path.
pub fn shard_path(hash: &str) -> Option<String> {
    is_hash(hash).then(|| format!("{}/{}/{hash}", &hash[..2], &hash[2..4]))
}

/// The `Content-Disposition` of a download: always `attachment`, with an ASCII fallback name
/// (other characters as `_`) and the UTF-8 name percent-encoded (RFC 6266, RFC 5987).
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"._-~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// How a download answers a `Range` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// The whole file (`200`): no header, several ranges, or a form not understood.
    Full,
    /// Bytes `start..=end` (`206`).
    Part { start: u64, end: u64 },
    /// Nothing of the file is in the range (`416`).
    Unsatisfiable,
}

/// Answers a `Range` header over a file of `size` bytes: one range of `bytes=a-b`, `bytes=a-`
/// or `bytes=-n` (the last n bytes). Several ranges or another unit get the whole file, which
/// RFC 9110 allows.
pub fn parse_range(header: Option<&str>, size: u64) -> RangeAnswer {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeAnswer::Full;
    };
    if spec.contains(',') {
        return RangeAnswer::Full;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return RangeAnswer::Full;
    };
    let (a, b) = (a.trim(), b.trim());
    let num = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (a.is_empty(), b.is_empty()) {
        // bytes=-n: the last n bytes.
        (true, false) => match num(b) {
            Some(0) => RangeAnswer::Unsatisfiable,
            Some(n) if size > 0 => RangeAnswer::Part {
                start: size.saturating_sub(n),
                end: size - 1,
            },
            Some(_) => RangeAnswer::Unsatisfiable,
            None => RangeAnswer::Full,
        },
        (false, _) => {
            let Some(start) = num(a) else {
                return RangeAnswer::Full;
            };
            let end = if b.is_empty() { Some(u64::MAX) } else { num(b) };
            match end {
                None => RangeAnswer::Full,
                Some(end) if end < start => RangeAnswer::Full,
                Some(_) if start >= size => RangeAnswer::Unsatisfiable,
                Some(end) => RangeAnswer::Part {
                    start,
                    end: end.min(size - 1),
                },
            }
        }
        (true, true) => RangeAnswer::Full,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn teaching_resources_have_their_own_cap_of_200_mib() {
        assert_eq!(
            super::max_bytes_for("teaching_resources", 1 << 20),
            200 * 1024 * 1024
        );
        assert_eq!(super::max_bytes_for("students", 1 << 20), 1 << 20);
        for (owner, _) in super::OWNER_CAPS {
            assert!(crate::schema::resource(owner).is_some(), "{owner}");
        }
    }

    use super::*;

    #[test]
    fn magic_bytes_decide_and_the_name_must_end_as_the_type() {
        assert!(MediaType::Pdf.sniff(b"%PDF-1.7\n"));
        assert!(!MediaType::Pdf.sniff(b"<html><script>"));
        assert!(MediaType::Png.sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(!MediaType::Png.sniff(b"\xFF\xD8\xFF\xE0"));
        assert!(MediaType::Jpeg.sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"));
        assert!(MediaType::Webp.sniff(b"RIFF\x10\0\0\0WEBPVP8 "));
        assert!(!MediaType::Webp.sniff(b"RIFF\x10\0\0\0WAVEfmt "));
        assert!(MediaType::Xlsx.sniff(b"PK\x03\x04\x14\0"));
        assert!(MediaType::Text.sniff("说明 text".as_bytes()));
        assert!(!MediaType::Text.sniff(b"MZ\x90\0\x03"));
        assert_eq!(
            check_upload("证明.pdf", "application/pdf"),
            Ok(MediaType::Pdf)
        );
        assert_eq!(
            check_upload("photo.JPG", "image/jpeg; charset=binary"),
            Ok(MediaType::Jpeg)
        );
        assert_eq!(
            check_upload("a.html", "text/html"),
            Err(Refusal::UnsupportedType)
        );
        assert_eq!(
            check_upload("a.pdf.exe", "application/pdf"),
            Err(Refusal::ExtensionMismatch)
        );
        assert_eq!(
            check_upload("noext", "text/plain"),
            Err(Refusal::ExtensionMismatch)
        );
    }

    #[test]
    fn names_with_a_path_are_refused() {
        for bad in [
            "",
            "  ",
            "../a.pdf",
            "a/b.pdf",
            "a\\b.pdf",
            "..",
            "...",
            "a..pdf",
            "a\0.pdf",
            "a\n.pdf",
            &"x".repeat(201),
        ] {
            assert_eq!(check_name(bad), Err(Refusal::BadName), "{bad:?}");
        }
        for good in ["证明材料.pdf", "scan 1.png", "a.b.txt", ".txt"] {
            assert_eq!(check_name(good), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn files_live_under_two_levels_of_their_hash() {
        let h = "ab".repeat(32);
        assert_eq!(shard_path(&h).unwrap(), format!("ab/ab/{h}"));
        assert_eq!(shard_path("../../etc/passwd"), None);
        assert_eq!(shard_path(&"AB".repeat(32)), None);
        assert_eq!(shard_path(&"a".repeat(63)), None);
    }

    #[test]
    fn downloads_are_attachments_with_an_encoded_name() {
        assert_eq!(
            content_disposition("证明.pdf"),
            "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E8%AF%81%E6%98%8E.pdf"
        );
        assert_eq!(
            content_disposition("a\"b;.txt"),
            "attachment; filename=\"a_b_.txt\"; filename*=UTF-8''a%22b%3B.txt"
        );
    }

    #[test]
    fn ranges() {
        use RangeAnswer::*;
        assert_eq!(parse_range(None, 10), Full);
        assert_eq!(
            parse_range(Some("bytes=0-3"), 10),
            Part { start: 0, end: 3 }
        );
        assert_eq!(parse_range(Some("bytes=5-"), 10), Part { start: 5, end: 9 });
        assert_eq!(parse_range(Some("bytes=-4"), 10), Part { start: 6, end: 9 });
        assert_eq!(
            parse_range(Some("bytes=-40"), 10),
            Part { start: 0, end: 9 }
        );
        assert_eq!(
            parse_range(Some("bytes=8-100"), 10),
            Part { start: 8, end: 9 }
        );
        assert_eq!(parse_range(Some("bytes=10-"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-0"), 0), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-1,4-5"), 10), Full);
        assert_eq!(parse_range(Some("bytes=5-2"), 10), Full);
        assert_eq!(parse_range(Some("items=0-1"), 10), Full);
        assert_eq!(parse_range(Some("bytes=x-1"), 10), Full);
    }
}
