//! Server-side sessions: a random token in an HttpOnly cookie, its hash in
//! `sessions`, idle and absolute expiry, rotated on login.

use axum_extra::extract::cookie::{Cookie, SameSite};
use sqlx::PgConnection;
use uuid::Uuid;

use super::tokens::{hash_token, new_token};

/// The session cookie's name.
pub const COOKIE: &str = "hearth_session";
/// Minutes without a request after which a session ends.
pub const IDLE_MINUTES: i64 = 60;
/// Hours after which a session ends whatever its use.
pub const ABSOLUTE_HOURS: i64 = 12;
/// The version of the Terms and Conditions users must have accepted.
pub const TERMS_VERSION: &str = "2026-11-01";

/// The signed-in user of a request, as the session found them.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct SessionUser {
    /// The user's id.
    pub id: Uuid,
    /// Their email.
    pub email: String,
    /// Their name.
    pub name: String,
    /// Their language.
    pub language: String,
    /// Their IANA timezone.
    pub timezone: String,
    /// Whether their email is verified.
    pub verified: bool,
    /// Whether they accepted the current terms.
    pub terms_accepted: bool,
    /// Platform staff.
    pub is_operator: bool,
    /// A verified professional.
    pub is_professional: bool,
    /// An admin of at least one reseller (`reseller_admins`).
    pub is_reseller_admin: bool,
    /// Their role in the current hub, if they are a member.
    pub hub_role: Option<String>,
    /// Whether `last_seen_at` is old enough to be refreshed.
    #[serde(skip)]
    pub stale: bool,
}

impl SessionUser {
    /// Signed up, accepted the terms and verified their email.
    pub fn is_onboarded(&self) -> bool {
        self.verified && self.terms_accepted
    }
}

/// Starts a session for `user_id` and returns the cookie to set.
pub async fn start(
    conn: &mut PgConnection,
    user_id: Uuid,
    secure: bool,
) -> sqlx::Result<Cookie<'static>> {
    let token = new_token();
    sqlx::query!(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) \
         VALUES ($1, $2, $3, now() + make_interval(hours => $4::int))",
        hash_token(&token),
        user_id,
        new_token(),
        i32::try_from(ABSOLUTE_HOURS).unwrap_or(12),
    )
    .execute(conn)
    .await?;
    Ok(cookie(token, secure))
}

/// The session cookie carrying `token`.
pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .build()
}

/// A cookie that removes the session cookie.
pub fn removal() -> Cookie<'static> {
    let mut c = Cookie::build((COOKIE, "")).path("/").build();
    c.make_removal();
    c
}

/// The user of the live session with `token`, in hub `tenant_id` if any.
pub async fn find(
    conn: &mut PgConnection,
    token: &str,
    tenant_id: Option<i64>,
) -> sqlx::Result<Option<SessionUser>> {
    let user: Option<SessionUser> = sqlx::query_as!(
        SessionUser,
        "SELECT u.id, u.email, u.name, u.language, u.timezone, \
                u.email_verified_at IS NOT NULL AS \"verified!\", \
                EXISTS (SELECT 1 FROM terms_acceptances t WHERE t.user_id = u.id AND t.version = $2) AS \"terms_accepted!\", \
                u.is_operator, \
                EXISTS (SELECT 1 FROM professionals p WHERE p.user_id = u.id AND p.verified_at IS NOT NULL) AS \"is_professional!\", \
                EXISTS (SELECT 1 FROM reseller_admins ra WHERE ra.user_id = u.id) AS \"is_reseller_admin!\", \
                (SELECT m.role FROM member_directory m WHERE m.user_id = u.id AND m.tenant_id = $3 AND m.status = 'active') AS hub_role, \
                s.last_seen_at < now() - interval '1 minute' AS \"stale!\" \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > now() \
           AND s.last_seen_at > now() - make_interval(mins => $4::int)",
        hash_token(token),
        TERMS_VERSION,
        tenant_id,
        i32::try_from(IDLE_MINUTES).unwrap_or(60),
    )
    .fetch_optional(&mut *conn)
    .await?;
    if user.as_ref().is_some_and(|u| u.stale) {
        sqlx::query!(
            "UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1",
            hash_token(token),
        )
        .execute(conn)
        .await?;
    }
    Ok(user)
}

/// Ends the session with `token`.
pub async fn end(conn: &mut PgConnection, token: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM sessions WHERE token_hash = $1",
        hash_token(token)
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every session of `user_id` but the one with `keep` (if any).
pub async fn end_others(
    conn: &mut PgConnection,
    user_id: Uuid,
    keep: Option<&str>,
) -> sqlx::Result<u64> {
    let keep = keep.map(hash_token).unwrap_or_default();
    let done = sqlx::query!(
        "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
        user_id,
        keep,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
