//! To-dos and notifications (issue 10, item 5). A to-do is not a stored record: it is computed by
//! the *sources* that modules declare (in the store: `crates/store/src/modules/<name>/todos.rs`,
//! listed in `crates/store/src/modules/todos/mod.rs`), so it disappears by itself when its
//! condition is met (the student answered the offer, the applicants were scored). What is stored
//! per user is only the read state, which items were already notified, the user's preferences
//! and the outbox of mails. This file holds the rules without I/O: the item, the preferences and
//! their validation, the text of a notification mail and the back-off of its delivery.

use super::Module;
use crate::access::{Action, Role, RowScope};
use crate::schema::FieldError;
use serde::{Deserialize, Serialize};

/// Reading one's own to-dos and preferences (`Read`), marking them read and changing one's
/// preferences (`Update`). Every signed-in user has it, for themselves only.
pub const TODOS: &str = "todos";

pub static MODULE: Module = Module {
    name: "todos",
    zh: "待办与通知",
    en: "To-dos and notifications",
    records: &[],
    permissions: &[TODOS],
    scope,
    menu: &[],
    personal: &[],
    subject_links: &[],
};

/// Everyone reads and updates their own to-dos; nobody creates, deletes or reveals them (they are
/// computed). The row is always the user's own, so the scope is `All` over a set the store
/// restricts to the signed-in user.
fn scope(_role: &Role, action: Action, _resource: &str) -> Option<RowScope> {
    matches!(action, Action::Read | Action::Update).then_some(RowScope::All)
}

/// One open item of a user's to-do list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Todo {
    /// Stable while the item is open: `<source>:<id>` (`order_offer:17`). The read state and
    /// the notification are stored under it.
    pub key: String,
    /// The source that computed it (`order_offer`).
    pub source: String,
    pub title_zh: String,
    pub title_en: String,
    /// The date it is due (`YYYY-MM-DD`), if it has one.
    pub due: Option<String>,
    /// A page route of the app (`/order-choices`).
    pub link: String,
}

impl Todo {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.title_zh,
            Lang::En => &self.title_en,
        }
    }
}

/// Sorts items as the list shows them: those with a due date first, earliest first, then by key.
pub fn sort_items(items: &mut [Todo]) {
    items.sort_by(|a, b| (a.due.is_none(), &a.due, &a.key).cmp(&(b.due.is_none(), &b.due, &b.key)));
}

/// The language of a user's notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A user's preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Preferences {
    pub language: Lang,
    /// Send an e-mail for each new to-do (when the server has mail configured).
    pub email_enabled: bool,
    /// Where to send it.
    pub email: Option<String>,
}

/// Checks preferences as a user sends them: the language is `zh` or `en`, the address is an
/// e-mail address (at most 254 characters), and e-mail cannot be on without an address.
pub fn parse_preferences(
    language: &str,
    email_enabled: bool,
    email: Option<&str>,
) -> Result<Preferences, Vec<FieldError>> {
    let mut errors = Vec::new();
    let lang = Lang::parse(language);
    if lang.is_none() {
        errors.push(FieldError::new("language", "invalid", "must be zh or en"));
    }
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    if let Some(e) = email {
        if !is_email(e) {
            errors.push(FieldError::new(
                "email",
                "invalid",
                "is not an e-mail address",
            ));
        }
    } else if email_enabled {
        errors.push(FieldError::new(
            "email",
            "required",
            "an address is needed to receive e-mail",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Preferences {
        language: lang.unwrap_or_default(),
        email_enabled,
        email: email.map(str::to_string),
    })
}

/// The same test as an `Email` field of a record (`schema::parse_value`), plus no control
/// characters, since the address goes into an SMTP command.
pub fn is_email(t: &str) -> bool {
    t.len() <= 254
        && t.split_once('@')
            .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.'))
        && !t.contains(char::is_whitespace)
        && !t.chars().any(|c| c.is_control() || c == '<' || c == '>')
}

/// A notification mail, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// The mail for a new item, in the recipient's language, with the absolute link to its page
/// (`base_url` is the server's public address; the pages use hash routes).
pub fn compose(item: &Todo, lang: Lang, to: &str, base_url: &str) -> Mail {
    let link = link_url(base_url, &item.link);
    let title = one_line(item.title(lang));
    let (subject, body) = match lang {
        Lang::Zh => (
            format!("【校企通】新的待办：{title}"),
            format!(
                "您有一项新的待办：\n\n{title}\n{}\n打开：{link}\n\n您可以在“通知设置”中关闭邮件通知。\n",
                item.due
                    .as_deref()
                    .map(|d| format!("截止日期：{d}\n"))
                    .unwrap_or_default()
            ),
        ),
        Lang::En => (
            format!("[SkillBridge] New to-do: {title}"),
            format!(
                "You have a new to-do:\n\n{title}\n{}\nOpen: {link}\n\nYou can turn e-mail off under Notification settings.\n",
                item.due
                    .as_deref()
                    .map(|d| format!("Due: {d}\n"))
                    .unwrap_or_default()
            ),
        ),
    };
    Mail {
        to: to.to_string(),
        subject,
        body,
    }
}

impl Mail {
    /// The message as sent after SMTP `DATA`: RFC 5322 headers (the subject as an RFC 2047
    /// UTF-8 encoded word), a UTF-8 plain-text body in base64 (so no line can be a lone `.` and
    /// no 8-bit transport is needed), CRLF line ends, without the final `.` line.
    /// `date` is an RFC 2822 date; `id` makes the Message-ID unique.
    pub fn message(&self, from: &str, date: &str, id: &str) -> String {
        let domain = from.rsplit_once('@').map_or("localhost", |(_, d)| d);
        let mut out = String::new();
        for (k, v) in [
            ("From", from.to_string()),
            ("To", self.to.clone()),
            ("Subject", encoded_word(&self.subject)),
            ("Date", date.to_string()),
            ("Message-ID", format!("<{id}@{domain}>")),
            ("MIME-Version", "1.0".to_string()),
            ("Content-Type", "text/plain; charset=utf-8".to_string()),
            ("Content-Transfer-Encoding", "base64".to_string()),
        ] {
            // Values are single lines already (`compose`, checked addresses); the subject's
            // folding between encoded words is the only line break.
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        let body = self.body.replace("\r\n", "\n").replace('\n', "\r\n");
        let b64 = base64(body.as_bytes());
        for chunk in b64.as_bytes().chunks(76) {
            out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
            out.push_str("\r\n");
        }
        out
    }
}

/// The `Date` header of a mail sent now (RFC 2822, UTC).
pub fn mail_date_now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_default()
}

/// An RFC 2047 encoded word (`=?UTF-8?B?...?=`), split so that no word is longer than 75
/// characters and no character is cut; plain ASCII without `=?` stays as it is.
fn encoded_word(s: &str) -> String {
    if s.is_ascii() && !s.contains("=?") && s.len() <= 900 {
        return s.to_string();
    }
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        // 39 bytes of text give 52 of base64, plus 12 of `=?UTF-8?B?` and `?=`: the first
        // line with `Subject: ` stays within 78.
        if cur.len() + c.len_utf8() > 39 {
            words.push(format!("=?UTF-8?B?{}?=", base64(cur.as_bytes())));
            cur.clear();
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(cur.as_bytes())));
    }
    words.join("\r\n ")
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `https://host/` + `/order-choices` → `https://host/#/order-choices`.
pub fn link_url(base_url: &str, route: &str) -> String {
    let route = if route.starts_with('/') {
        route.to_string()
    } else {
        format!("/{route}")
    };
    format!("{}/#{route}", base_url.trim_end_matches('/'))
}

/// Titles come from stored names; a header line must not be broken by one.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Seconds to wait before the next delivery attempt after `attempts` failed ones: `base`,
/// doubling each time, at most an hour.
pub fn retry_delay(base_secs: u64, attempts: u32) -> u64 {
    let factor = 1u64 << attempts.saturating_sub(1).min(20);
    base_secs.max(1).saturating_mul(factor).min(3600)
}

/// Attempts after which a mail is given up (its last error is kept in the outbox).
pub const MAX_ATTEMPTS: u32 = 12;

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Todo {
        Todo {
            key: "order_offer:7".into(),
            source: "order_offer".into(),
            title_zh: "答复订单班录取：新能源\r\n班".into(),
            title_en: "Answer the offer of NEV\nclass".into(),
            due: Some("2026-12-20".into()),
            link: "/order-choices".into(),
        }
    }

    #[test]
    fn a_mail_is_in_the_recipients_language_with_the_absolute_link() {
        let zh = compose(
            &item(),
            Lang::Zh,
            "a@example.edu.cn",
            "http://127.0.0.1:8080/",
        );
        assert!(zh.subject.starts_with("【校企通】"));
        assert!(!zh.subject.contains('\n') && !zh.subject.contains('\r'));
        assert!(zh.body.contains("http://127.0.0.1:8080/#/order-choices"));
        assert!(zh.body.contains("2026-12-20"));
        assert!(!zh.body.contains("Open"));
        let en = compose(&item(), Lang::En, "a@example.edu.cn", "https://x.edu.cn");
        assert!(en.subject.starts_with("[SkillBridge] New to-do: Answer"));
        assert!(!en.subject.contains('\n'));
        assert!(en.body.contains("https://x.edu.cn/#/order-choices"));
        assert!(!en.body.contains("待办"));
    }

    #[test]
    fn preferences_are_checked() {
        assert!(parse_preferences("zh", false, None).is_ok());
        let p = parse_preferences("en", true, Some(" s@example.edu.cn ")).unwrap();
        assert_eq!(p.email.as_deref(), Some("s@example.edu.cn"));
        assert_eq!(p.language, Lang::En);
        let e = parse_preferences("fr", true, None).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(fields, [("language", "invalid"), ("email", "required")]);
        for bad in [
            "no-at",
            "a@b",
            "a b@c.cn",
            "a@c.cn\r\nRCPT TO:<x@y.cn>",
            "<a@b.cn>",
        ] {
            assert!(parse_preferences("zh", false, Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn delivery_backs_off_to_an_hour() {
        assert_eq!(retry_delay(30, 1), 30);
        assert_eq!(retry_delay(30, 2), 60);
        assert_eq!(retry_delay(30, 3), 120);
        assert_eq!(retry_delay(30, 40), 3600);
        assert_eq!(retry_delay(0, 1), 1);
    }

    #[test]
    fn items_with_a_due_date_come_first() {
        let mut a = item();
        a.due = None;
        a.key = "a".into();
        let mut b = item();
        b.due = Some("2026-12-30".into());
        let mut c = item();
        c.due = Some("2026-12-01".into());
        let mut v = vec![a, b, c];
        sort_items(&mut v);
        let dues: Vec<_> = v.iter().map(|t| t.due.clone()).collect();
        assert_eq!(
            dues,
            [Some("2026-12-01".into()), Some("2026-12-30".into()), None]
        );
    }

    #[test]
    fn everyone_reads_and_updates_their_own_todos_only() {
        for a in crate::access::ACTIONS {
            let s = scope(&Role::Leader, *a, TODOS);
            assert_eq!(s.is_some(), matches!(a, Action::Read | Action::Update));
        }
    }

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn a_message_has_encoded_headers_and_a_base64_body() {
        let m = compose(&item(), Lang::Zh, "s@example.edu.cn", "http://h");
        let text = m.message(
            "noreply@example.edu.cn",
            "Mon, 7 Dec 2026 17:00:00 +0000",
            "1.2",
        );
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("To: s@example.edu.cn\r\n"));
        assert!(head.contains("Subject: =?UTF-8?B?"));
        assert!(head.contains("Message-ID: <1.2@example.edu.cn>"));
        assert!(head.is_ascii());
        for line in head.split("\r\n") {
            assert!(line.len() <= 78, "{line}");
        }
        assert!(body.lines().all(|l| l.trim_end().len() <= 76 && l != "."));
        assert!(!text.replace("\r\n", "").contains('\n'));
    }
}
