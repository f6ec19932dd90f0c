//! The store half of the `accounts` module: no row scope but `All`, no write hooks, and the view
//! through which accounts are read and changed: every call names its actor and is checked
//! against the module's `users` permission, as a record read is.

use super::{no_scope_sql, store_view, NoHooks, StoreModule};
use crate::{Result, StoreError, UserInfo};
use skillbridge_core::access::{actor_scopes, Action, Actor, Role};
use skillbridge_core::modules::accounts::USERS;

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::accounts::MODULE,
    scope_sql: no_scope_sql,
    hooks: &NoHooks,
};

store_view!(
    /// Account administration, each call checked against its actor.
    Accounts,
    accounts
);

/// Refuses unless `actor` may do `action` on `permission`.
pub(crate) fn allowed(actor: &Actor, action: Action, permission: &str) -> Result<()> {
    actor_scopes(actor, action, permission)
        .map(|_| ())
        .ok_or(StoreError::Denied)
}

impl Accounts<'_> {
    /// Creates an account with its roles. Audited as `user_create` and `role_change`.
    pub async fn create_user(
        &self,
        actor: &Actor,
        username: &str,
        display_name: &str,
        password_hash: &str,
        roles: &[Role],
        source: &str,
    ) -> Result<i64> {
        allowed(actor, Action::Create, USERS)?;
        self.0
            .create_user(actor, username, display_name, password_hash, roles, source)
            .await
    }

    /// Replaces a user's roles and ends their sessions.
    pub async fn set_roles(
        &self,
        actor: &Actor,
        user_id: i64,
        roles: &[Role],
        source: &str,
    ) -> Result<()> {
        allowed(actor, Action::Update, USERS)?;
        self.0.set_roles(actor, user_id, roles, source).await
    }

    /// Sets a new password hash, clears the lockout and ends the user's sessions.
    pub async fn set_password(
        &self,
        actor: &Actor,
        user_id: i64,
        password_hash: &str,
        source: &str,
    ) -> Result<()> {
        allowed(actor, Action::Update, USERS)?;
        self.0
            .set_password(actor, user_id, password_hash, source, "password_reset")
            .await
    }

    /// The signed-in user's own new password, after the web layer has checked the current one.
    /// Needs no permission but an account: it changes only the actor's own. Every session of the
    /// account ends, the caller's too (the caller is given a new one). Audited as
    /// `password_change`.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        password_hash: &str,
        source: &str,
    ) -> Result<()> {
        let id = actor.user_id.ok_or(StoreError::Denied)?;
        self.0
            .set_password(actor, id, password_hash, source, "password_change")
            .await
    }

    /// Disables or re-enables an account.
    pub async fn set_disabled(
        &self,
        actor: &Actor,
        user_id: i64,
        disabled: bool,
        source: &str,
    ) -> Result<()> {
        allowed(actor, Action::Update, USERS)?;
        self.0.set_disabled(actor, user_id, disabled, source).await
    }

    /// One account.
    pub async fn user(&self, actor: &Actor, id: i64) -> Result<UserInfo> {
        allowed(actor, Action::Read, USERS)?;
        self.0.user_by_id(id).await
    }

    /// All accounts, by username.
    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<UserInfo>> {
        allowed(actor, Action::Read, USERS)?;
        self.0.list_users().await
    }
}
