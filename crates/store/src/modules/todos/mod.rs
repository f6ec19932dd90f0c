//! The store half of to-dos and notifications (issue 10, item 5).
//!
//! A to-do is computed, never stored: each module declares [`TodoSource`]s (a function from the
//! user to their open items, in the module's own folder, e.g. `order_classes/todos.rs`) and
//! [`SOURCES`] lists them. An item therefore disappears by itself when its condition is met.
//! What is stored (migration 0009) is what the sources cannot know: a user's preferences
//! (`user_preferences`), which items they read and were notified of (`todo_state`), and the
//! mails to deliver (`mail_outbox`). The notifier ([`Todos::notify_sweep`]) computes the items of
//! every user who asked for e-mail, and for each new one records it as notified and queues its
//! mail in one transaction; the delivery task in `skillbridge_web::mail` sends the queue.
//!
//! Read marks and the outbox are the user's or the server's bookkeeping, not changes to the
//! college's records, and are not audited (like session activity); a change of preferences is.

use super::{no_scope_sql, store_view, HookFuture, NoHooks, StoreModule};
use crate::pii_keys::{conceal_account, reveal_account};
use crate::records::{Bind, Sql};
use crate::{Result, Store, StoreError};
use serde::Serialize;
use skillbridge_core::access::{actor_scopes, Action, Actor};
use skillbridge_core::modules::todos::{
    self as rules, compose, sort_items, Lang, Preferences, Todo, MAX_ATTEMPTS, TODOS,
};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::todos::MODULE,
    scope_sql: no_scope_sql,
    hooks: &NoHooks,
};

/// One kind of to-do a module contributes: `items` computes a user's open items of this kind.
/// Each item's `key` must stay the same while it is open and never name another item.
pub(crate) struct TodoSource {
    pub name: &'static str,
    pub items: for<'a> fn(&'a Store, &'a Actor) -> HookFuture<'a, Vec<Todo>>,
}

/// Every module's to-do sources.
pub(crate) static SOURCES: &[&TodoSource] = &[
    &super::order_classes::todos::PENDING_OFFER,
    &super::order_classes::todos::APPLICANTS_TO_SCORE,
    &super::order_classes::todos::RUN_TO_PUBLISH,
    &super::status_changes::todos::REQUESTS_TO_DECIDE,
];

store_view!(
    /// A user's to-dos, their read state and preferences; the notifier and the mail outbox.
    Todos,
    todos
);

/// An item as the to-do centre shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TodoEntry {
    #[serde(flatten)]
    pub item: Todo,
    pub read: bool,
}

/// A user's open items, and how many of them are unread.
#[derive(Debug, Clone, Serialize)]
pub struct TodoList {
    pub items: Vec<TodoEntry>,
    pub unread: usize,
}

/// A mail due for delivery.
#[derive(Debug, Clone)]
pub struct OutboxMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: u32,
}

fn allowed(actor: &Actor, action: Action) -> Result<i64> {
    actor_scopes(actor, action, TODOS).ok_or(StoreError::Denied)?;
    actor.user_id.ok_or(StoreError::Denied)
}

impl Todos<'_> {
    /// Every open item of `actor`, from every source, due dates first.
    pub async fn items(&self, actor: &Actor) -> Result<Vec<Todo>> {
        allowed(actor, Action::Read)?;
        self.compute(actor).await
    }

    async fn compute(&self, actor: &Actor) -> Result<Vec<Todo>> {
        let mut out = Vec::new();
        for src in SOURCES {
            out.extend((src.items)(self.0, actor).await?);
        }
        sort_items(&mut out);
        Ok(out)
    }

    async fn state(&self, user: i64) -> Result<HashMap<String, (bool, bool)>> {
        let rows =
            sqlx::query("SELECT item_key, read_at, notified_at FROM todo_state WHERE user_id = $1")
                .bind(user)
                .fetch_all(&self.pool)
                .await?;
        let mut out = HashMap::new();
        for r in rows {
            let key: String = r.try_get(0)?;
            let read: Option<String> = r.try_get(1)?;
            let notified: Option<String> = r.try_get(2)?;
            out.insert(key, (read.is_some(), notified.is_some()));
        }
        Ok(out)
    }

    /// The to-do centre: `actor`'s open items with their read state, and the unread count.
    pub async fn list(&self, actor: &Actor) -> Result<TodoList> {
        let user = allowed(actor, Action::Read)?;
        let items = self.compute(actor).await?;
        let state = self.state(user).await?;
        let items: Vec<TodoEntry> = items
            .into_iter()
            .map(|item| TodoEntry {
                read: state.get(&item.key).is_some_and(|s| s.0),
                item,
            })
            .collect();
        let unread = items.iter().filter(|e| !e.read).count();
        Ok(TodoList { items, unread })
    }

    /// Marks items read: those of `keys` that are open for `actor` (others are ignored, so no
    /// key can be planted), or every open item when `keys` is `None`.
    pub async fn mark_read(&self, actor: &Actor, keys: Option<&[String]>) -> Result<TodoList> {
        let user = allowed(actor, Action::Update)?;
        let open = self.compute(actor).await?;
        let wanted: Option<HashSet<&str>> = keys.map(|k| k.iter().map(String::as_str).collect());
        let now = self.clock.now_text();
        let (_g, mut tx) = self.begin_write_pub().await?;
        for item in open
            .iter()
            .filter(|i| wanted.as_ref().is_none_or(|w| w.contains(i.key.as_str())))
        {
            sqlx::query(
                "INSERT INTO todo_state (user_id, item_key, read_at, created_at) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (user_id, item_key) DO UPDATE SET read_at = $3",
            )
            .bind(user)
            .bind(item.key.clone())
            .bind(now.clone())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.list(actor).await
    }

    /// `actor`'s preferences (the defaults when never saved).
    pub async fn preferences(&self, actor: &Actor) -> Result<Preferences> {
        let user = allowed(actor, Action::Read)?;
        let row = sqlx::query(
            "SELECT language, email_enabled, email FROM user_preferences WHERE user_id = $1",
        )
        .bind(user)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => Preferences::default(),
            Some(r) => Preferences {
                language: Lang::parse(&r.try_get::<String, _>(0)?).unwrap_or_default(),
                email_enabled: r.try_get::<i64, _>(1)? != 0,
                email: r
                    .try_get::<Option<String>, _>(2)?
                    .map(|e| reveal_account("user_preferences", "email", user, e))
                    .transpose()?,
            },
        })
    }

    /// Saves `actor`'s preferences (checked by `core::modules::todos::parse_preferences`).
    /// Audited as `preferences`, without the address.
    pub async fn set_preferences(
        &self,
        actor: &Actor,
        prefs: &Preferences,
        source: &str,
    ) -> Result<Preferences> {
        let user = allowed(actor, Action::Update)?;
        if prefs.email.as_deref().is_some_and(|e| !rules::is_email(e))
            || (prefs.email_enabled && prefs.email.is_none())
        {
            return Err(StoreError::Invalid(vec![
                skillbridge_core::schema::FieldError::new(
                    "email",
                    "invalid",
                    "is not an e-mail address",
                ),
            ]));
        }
        let now = self.clock.now_text();
        let (_g, mut tx) = self.begin_write_pub().await?;
        sqlx::query(
            "INSERT INTO user_preferences (user_id, language, email_enabled, email, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE \
             SET language = $2, email_enabled = $3, email = $4, updated_at = $5",
        )
        .bind(user)
        .bind(prefs.language.code())
        .bind(i64::from(prefs.email_enabled))
        .bind(
            prefs
                .email
                .as_deref()
                .map(|e| conceal_account("user_preferences", "email", user, e)),
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            actor,
            "preferences",
            &format!("users/{user}"),
            source,
            &format!(
                "language {}, e-mail {}",
                prefs.language.code(),
                if prefs.email_enabled { "on" } else { "off" }
            ),
        )
        .await?;
        tx.commit().await?;
        self.preferences(actor).await
    }

    /// The notifier: for every enabled account that asked for e-mail, the open items it has not
    /// been notified of are recorded as notified, and their mails queued, in one transaction per
    /// user. Returns the number of mails queued. `base_url` is the server's public address.
    pub async fn notify_sweep(&self, base_url: &str) -> Result<usize> {
        let rows = sqlx::query(
            "SELECT p.user_id, p.language, p.email FROM user_preferences p JOIN users u ON u.id = p.user_id \
             WHERE p.email_enabled = 1 AND p.email IS NOT NULL AND u.disabled = 0 ORDER BY p.user_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut queued = 0;
        for r in rows {
            let user: i64 = r.try_get(0)?;
            let lang = Lang::parse(&r.try_get::<String, _>(1)?).unwrap_or_default();
            let email = reveal_account("user_preferences", "email", user, r.try_get(2)?)?;
            let actor = self.load_actor(user).await?;
            let items = self.compute(&actor).await?;
            let state = self.state(user).await?;
            let fresh: Vec<&Todo> = items
                .iter()
                .filter(|i| !state.get(&i.key).is_some_and(|s| s.1))
                .collect();
            if fresh.is_empty() {
                continue;
            }
            let now = self.clock.now_text();
            let (_g, mut tx) = self.begin_write_pub().await?;
            for item in &fresh {
                // Notified at most once, even if two sweeps raced: the row decides.
                let marked = sqlx::query(
                    "INSERT INTO todo_state (user_id, item_key, notified_at, created_at) VALUES ($1, $2, $3, $3) \
                     ON CONFLICT (user_id, item_key) DO UPDATE SET notified_at = $3 \
                     WHERE todo_state.notified_at IS NULL",
                )
                .bind(user)
                .bind(item.key.clone())
                .bind(now.clone())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if marked == 0 {
                    continue;
                }
                let mail = compose(item, lang, &email, base_url);
                sqlx::query(
                    "INSERT INTO mail_outbox (user_id, item_key, recipient, subject, body, attempts, next_attempt_at, created_at) \
                     VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
                )
                .bind(user)
                .bind(item.key.clone())
                .bind(conceal_account("mail_outbox", "recipient", user, &mail.to))
                .bind(mail.subject)
                .bind(mail.body)
                .bind(now.clone())
                .execute(&mut *tx)
                .await?;
                queued += 1;
            }
            tx.commit().await?;
        }
        Ok(queued)
    }

    /// Mails whose next attempt has come, oldest first, at most `limit`.
    pub async fn due_mail(&self, limit: i64) -> Result<Vec<OutboxMail>> {
        let mut s = Sql::default();
        let now = s.bind(Bind::Text(Some(self.clock.now_text())));
        let max = s.bind(Bind::Int(Some(i64::from(MAX_ATTEMPTS))));
        let lim = s.bind(Bind::Int(Some(limit)));
        s.text = format!(
            "SELECT id, recipient, subject, body, attempts, user_id FROM mail_outbox \
             WHERE sent_at IS NULL AND next_attempt_at <= {now} AND attempts < {max} ORDER BY id LIMIT {lim}"
        );
        let mut out = Vec::new();
        for r in s.query().fetch_all(&self.pool).await? {
            out.push(OutboxMail {
                id: r.try_get(0)?,
                recipient: reveal_account(
                    "mail_outbox",
                    "recipient",
                    r.try_get(5)?,
                    r.try_get(1)?,
                )?,
                subject: r.try_get(2)?,
                body: r.try_get(3)?,
                attempts: u32::try_from(r.try_get::<i64, _>(4)?).unwrap_or(0),
            });
        }
        Ok(out)
    }

    /// Records a delivered mail.
    pub async fn mail_sent(&self, id: i64) -> Result<()> {
        let now = self.clock.now_text();
        let (_g, mut tx) = self.begin_write_pub().await?;
        sqlx::query(
            "UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed attempt; the next one is due after `core::modules::todos::retry_delay`.
    pub async fn mail_failed(&self, mail: &OutboxMail, error: &str, base_secs: u64) -> Result<()> {
        let attempts = mail.attempts + 1;
        let delay = rules::retry_delay(base_secs, attempts);
        let next = skillbridge_core::dates::instant_plus(
            self.clock.now(),
            i64::try_from(delay).unwrap_or(3600),
        );
        let error: String = error.chars().take(500).collect();
        let (_g, mut tx) = self.begin_write_pub().await?;
        sqlx::query(
            "UPDATE mail_outbox SET attempts = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4",
        )
        .bind(i64::from(attempts))
        .bind(next)
        .bind(error)
        .bind(mail.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every mail of the outbox for one recipient: (subject, sent, attempts). For tests and
    /// the administrator. The recipients are encrypted when a key is set, so they are compared
    /// once read back.
    pub async fn outbox_of(&self, recipient: &str) -> Result<Vec<(String, bool, i64)>> {
        let rows = sqlx::query(
            "SELECT subject, sent_at, attempts, user_id, recipient FROM mail_outbox ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let to = reveal_account("mail_outbox", "recipient", r.try_get(3)?, r.try_get(4)?)?;
            if to != recipient {
                continue;
            }
            out.push((
                r.try_get(0)?,
                r.try_get::<Option<String>, _>(1)?.is_some(),
                r.try_get(2)?,
            ));
        }
        Ok(out)
    }
}
