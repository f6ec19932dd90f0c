//! Accounts, roles and server-side sessions.
//!
//! Passwords arrive here already hashed (argon2id, in the web crate). Session tokens arrive
//! hashed too: the table holds SHA-256 of the cookie's token, so a copy of the database
//! grants no session.

use crate::{map_db_err, Faults, Result, Store, StoreError};
use skillbridge_core::access::{Actor, Role};
use sqlx::Row;

/// An account as the login path needs it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UserInfo {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub roles: Vec<Role>,
}

/// What a session lookup yields.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user_id: i64,
    pub created_at: String,
}

/// What a sign-in attempt may do, decided before its password is verified
/// ([`Store::claim_login_attempt`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginState {
    /// Verify the password.
    Open,
    /// Verify the password; if it is wrong, the account is now locked.
    LastAttempt,
    /// Locked: refuse without verifying.
    Locked,
}

impl Store {
    /// Creates an account with its roles. Audited as `user_create` and `role_change`.
    pub(crate) async fn create_user(
        &self,
        actor: &Actor,
        username: &str,
        display_name: &str,
        password_hash: &str,
        roles: &[Role],
        source: &str,
    ) -> Result<i64> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        let now = self.clock.now_text();
        let id: i64 = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, disabled, failed_logins, created_at, updated_at) \
             VALUES ($1, $2, $3, 0, 0, $4, $5) RETURNING id",
        )
        .bind(username.to_string())
        .bind(display_name.to_string())
        .bind(password_hash.to_string())
        .bind(now.clone())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_db_err)?
        .try_get(0)?;
        self.write_roles(&mut tx, id, roles).await?;
        self.audit_in(
            &mut tx,
            actor,
            "user_create",
            &format!("users/{id}"),
            source,
            "",
        )
        .await?;
        self.audit_in(
            &mut tx,
            actor,
            "role_change",
            &format!("users/{id}"),
            source,
            &roles_text(roles),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn write_roles(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        user_id: i64,
        roles: &[Role],
    ) -> Result<()> {
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        for r in roles {
            sqlx::query("INSERT INTO user_roles (user_id, role, created_at) VALUES ($1, $2, $3)")
                .bind(user_id)
                .bind(serde_json::to_string(r).expect("role serialises"))
                .bind(self.clock.now_text())
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Replaces a user's roles and ends their sessions (a privilege change needs a new session).
    pub(crate) async fn set_roles(
        &self,
        actor: &Actor,
        user_id: i64,
        roles: &[Role],
        source: &str,
    ) -> Result<()> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        Self::user_exists(&mut tx, user_id).await?;
        self.write_roles(&mut tx, user_id, roles).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            actor,
            "role_change",
            &format!("users/{user_id}"),
            source,
            &roles_text(roles),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password hash, clears the lockout and ends the user's sessions.
    pub(crate) async fn set_password(
        &self,
        actor: &Actor,
        user_id: i64,
        password_hash: &str,
        source: &str,
        action: &str,
    ) -> Result<()> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        Self::user_exists(&mut tx, user_id).await?;
        sqlx::query("UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3")
            .bind(password_hash.to_string())
            .bind(self.clock.now_text())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        self.audit_in(
            &mut tx,
            actor,
            action,
            &format!("users/{user_id}"),
            source,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables or enables an account; disabling ends its sessions.
    pub(crate) async fn set_disabled(
        &self,
        actor: &Actor,
        user_id: i64,
        disabled: bool,
        source: &str,
    ) -> Result<()> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        Self::user_exists(&mut tx, user_id).await?;
        sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(disabled))
            .bind(self.clock.now_text())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let action = if disabled {
            "user_disable"
        } else {
            "user_enable"
        };
        self.audit_in(
            &mut tx,
            actor,
            action,
            &format!("users/{user_id}"),
            source,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// NotFound unless the account exists. (The audit trail names it by id: `users/17`.)
    async fn user_exists(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user_id: i64) -> Result<()> {
        sqlx::query("SELECT id FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(())
    }

    async fn roles_of(&self, user_id: i64) -> Result<Vec<Role>> {
        Faults::check(&self.faults.permission_lookup, "permission lookup")?;
        let rows = sqlx::query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY id")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let text: String = r.try_get(0)?;
                serde_json::from_str(&text)
                    .map_err(|e| StoreError::Config(format!("stored role is unreadable: {e}")))
            })
            .collect()
    }

    const USER_COLS: &'static str =
        "id, username, display_name, password_hash, disabled, failed_logins, locked_until";

    async fn user_from_row(&self, r: &sqlx::any::AnyRow) -> Result<UserInfo> {
        let id: i64 = r.try_get(0)?;
        Ok(UserInfo {
            id,
            username: r.try_get(1)?,
            display_name: r.try_get(2)?,
            password_hash: r.try_get(3)?,
            disabled: r.try_get::<i64, _>(4)? != 0,
            failed_logins: r.try_get(5)?,
            locked_until: r.try_get(6)?,
            roles: self.roles_of(id).await?,
        })
    }

    /// Finds an account by username (exact match).
    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserInfo>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM users WHERE username = $1",
            Self::USER_COLS
        ))
        .bind(username.to_string())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.user_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    /// Finds an account by id.
    pub async fn user_by_id(&self, id: i64) -> Result<UserInfo> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM users WHERE id = $1",
            Self::USER_COLS
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        self.user_from_row(&row).await
    }

    /// All accounts, by username.
    pub(crate) async fn list_users(&self) -> Result<Vec<UserInfo>> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM users ORDER BY username",
            Self::USER_COLS
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.user_from_row(r).await?);
        }
        Ok(out)
    }

    /// The actor behind a user id: its username and roles (the permission lookup).
    pub async fn load_actor(&self, user_id: i64) -> Result<Actor> {
        let u = self.user_by_id(user_id).await?;
        Ok(Actor {
            user_id: Some(u.id),
            username: u.username,
            roles: u.roles,
        })
    }

    /// Display names of the accounts with these ids (for the audit page).
    pub(crate) async fn display_names(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        let mut out = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let mut text = String::from("SELECT id, display_name FROM users WHERE id IN (");
            for i in 1..=chunk.len() {
                if i > 1 {
                    text.push_str(", ");
                }
                self.backend.push_placeholder(&mut text, i);
            }
            text.push(')');
            let mut q = sqlx::query(&text);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.insert(r.try_get(0)?, r.try_get(1)?);
            }
        }
        Ok(out)
    }

    /// Counts a sign-in attempt **before** its password is verified, and decides the lock in the
    /// same write transaction, so that however many attempts arrive at once, at most
    /// `max_attempts` passwords of the account are ever verified between two successes.
    /// `Locked`: refuse without verifying. `Open`: verify (a success clears the count, see
    /// [`Store::record_login_success`]). `LastAttempt`: verify; the account is locked for
    /// `lock_secs` from now unless this attempt succeeds.
    pub async fn claim_login_attempt(
        &self,
        user_id: i64,
        max_attempts: i64,
        lock_secs: i64,
    ) -> Result<LoginState> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        let row = sqlx::query("SELECT failed_logins, locked_until FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
        let failed: i64 = row.try_get(0)?;
        let locked_until: Option<String> = row.try_get(1)?;
        let now = self.clock.now_text();
        if locked_until.is_some_and(|t| t > now) {
            tx.commit().await?;
            return Ok(LoginState::Locked);
        }
        let n = failed + 1;
        let state = if n >= max_attempts {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
                .bind(self.clock.text_in(lock_secs))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            LoginState::LastAttempt
        } else {
            sqlx::query("UPDATE users SET failed_logins = $1, locked_until = NULL WHERE id = $2")
                .bind(n)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            LoginState::Open
        };
        tx.commit().await?;
        Ok(state)
    }

    /// Clears the failure count after a successful login.
    pub async fn record_login_success(&self, user_id: i64) -> Result<()> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a new session (the token's hash) with its absolute end.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        lifetime_secs: i64,
        source: &str,
    ) -> Result<()> {
        Faults::check(&self.faults.session_store, "session store")?;
        let now = self.clock.now_text();
        let (_g, mut tx) = self.begin_write_pub().await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, source) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(token_hash.to_string())
            .bind(user_id)
            .bind(now.clone())
            .bind(now)
            .bind(self.clock.text_in(lifetime_secs))
            .bind(source.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Looks up a live session: not past its absolute end, not idle for longer than
    /// `idle_secs`, and its user not disabled. Records the activity. Expired ones are removed.
    pub async fn session(&self, token_hash: &str, idle_secs: i64) -> Result<Option<SessionInfo>> {
        Faults::check(&self.faults.session_store, "session store")?;
        let row = sqlx::query(
            "SELECT s.user_id, s.created_at, s.last_seen, s.expires_at, u.disabled FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash.to_string())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let user_id: i64 = r.try_get(0)?;
        let created_at: String = r.try_get(1)?;
        let mut last_seen: String = r.try_get(2)?;
        if let Some(pending) = self.pending_touch(token_hash) {
            last_seen = last_seen.max(pending);
        }
        let expires_at: String = r.try_get(3)?;
        let disabled: i64 = r.try_get(4)?;
        let now = self.clock.now_text();
        let idle_limit = self.clock.text_in(-idle_secs);
        if disabled != 0 || expires_at <= now || last_seen < idle_limit {
            self.delete_session(token_hash).await?;
            return Ok(None);
        }
        // Touch at most once a minute: enough for an idle timeout counted in minutes. The touch
        // is queued and written with the next batch (`pending.rs`), through the write path.
        if last_seen < self.clock.text_in(-60) {
            self.touch_session(token_hash, now);
        }
        Ok(Some(SessionInfo {
            user_id,
            created_at,
        }))
    }

    /// Ends one session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        self.forget_touch(token_hash);
        let (_g, mut tx) = self.begin_write_pub().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a session's last activity back, as if `secs` had passed (tests of the idle timeout).
    /// Compiled only with the `test-helpers` feature; never inlined (see `raw_execute_for_tests`).
    #[cfg(feature = "test-helpers")]
    #[inline(never)]
    pub async fn age_sessions_for_tests(&self, user_id: i64, secs: i64) -> Result<()> {
        self.flush_pending().await?;
        self.pending_clear_touches();
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE user_id = $2")
            .bind(self.clock.text_in(-secs))
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| serde_json::to_string(r).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(";")
}
