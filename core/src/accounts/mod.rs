//! Accounts: one identity across every professional and hub. Sign-up, the
//! terms, email verification by code, login and logout, password reset and
//! change, and professionals' invitations to clients.

pub mod invitations;
pub mod login;
pub mod mail;
pub mod password;
pub mod signup;

use sqlx::PgConnection;
use uuid::Uuid;

/// A new account, its password already hashed ([`password::hash`]).
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// The account's id.
    pub id: Uuid,
    /// Their email (checked: [`crate::web::form::normalize_email`]).
    pub email: &'a str,
    /// Their name.
    pub name: &'a str,
    /// The argon2id hash of their password.
    pub password_hash: &'a str,
    /// Their IANA timezone.
    pub timezone: &'a str,
    /// Their language (`en`, `is`).
    pub language: &'a str,
}

/// Creates the account `user`, unverified. Fails with the database's unique
/// violation `users_email_key` when the email is taken.
pub async fn create_user(conn: &mut PgConnection, user: &NewUser<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO users (id, email, name, password_hash, timezone, language) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        user.id,
        user.email,
        user.name,
        user.password_hash,
        user.timezone,
        user.language,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks `user_id`'s email as verified (they typed the code sent to it).
pub async fn mark_email_verified(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE users SET email_verified_at = now() WHERE id = $1",
        user_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records that `user_id` accepted the current Terms and Conditions.
pub async fn accept_terms(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO terms_acceptances (user_id, version) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        user_id,
        crate::web::session::TERMS_VERSION,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Where `user_id`'s work is, to land there after logging in on `site`: on a
/// hub, an HR admin lands on the hub's page, with "Hub settings" in sight in
/// the header, and everyone else on their dashboard; on the platform, an
/// operator lands in their console, a verified professional in their
/// practice (which links to their own sessions as a client), a reseller
/// admin in the reseller console, and everyone else on their dashboard.
pub async fn home_of(
    conn: &mut PgConnection,
    user_id: Uuid,
    site: &crate::web::site::Site,
) -> sqlx::Result<String> {
    use crate::web::site::Site;
    let base = site.base();
    match site {
        Site::Hub { tenant, .. } => {
            let role = sqlx::query_scalar!(
                "SELECT role FROM member_directory \
                 WHERE user_id = $1 AND tenant_id = $2 AND status = 'active'",
                user_id,
                tenant.id.0,
            )
            .fetch_optional(conn)
            .await?;
            Ok(match role.as_deref() {
                Some("hr_admin") => format!("{base}/"),
                _ => format!("{base}/dashboard"),
            })
        }
        Site::Platform => {
            let roles = sqlx::query!(
                r#"SELECT u.is_operator, EXISTS (SELECT 1 FROM professionals p
                   WHERE p.user_id = u.id AND p.verified_at IS NOT NULL) AS "professional!",
                   EXISTS (SELECT 1 FROM reseller_admins r WHERE r.user_id = u.id) AS "reseller_admin!"
                   FROM users u WHERE u.id = $1"#,
                user_id,
            )
            .fetch_one(conn)
            .await?;
            Ok(if roles.is_operator {
                format!("{base}/operator")
            } else if roles.reseller_admin {
                format!("{base}/reseller")
            } else if roles.professional {
                format!("{base}/pro")
            } else {
                format!("{base}/dashboard")
            })
        }
    }
}

/// How long the link that sets an invited account's first password lives.
pub const INVITED_LINK_DAYS: i32 = 7;

/// Makes an account for `email`, invited by someone who may act for it (a
/// reseller admin naming a hub's first HR admin), and returns its id and the
/// token of the link that sets its first password ([`login::reset_page`]).
/// The account has no password, so no one can sign in to it until the link
/// sent to `email` is followed: following it proves the address, which is
/// why the email counts as verified from the start. The terms are still
/// asked at the first sign-in. Fails with `users_email_key` when taken.
pub async fn create_invited(
    conn: &mut PgConnection,
    email: &str,
    name: &str,
    language: &str,
) -> sqlx::Result<(Uuid, String)> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO users (id, email, name, language, email_verified_at) \
         VALUES ($1, $2, $3, $4, now())",
        id,
        email,
        name,
        language,
    )
    .execute(&mut *conn)
    .await?;
    let token = crate::web::tokens::new_token();
    sqlx::query!(
        "INSERT INTO password_resets (token_hash, user_id, expires_at) \
         VALUES ($1, $2, now() + make_interval(days => $3))",
        crate::web::tokens::hash_token(&token),
        id,
        INVITED_LINK_DAYS,
    )
    .execute(conn)
    .await?;
    Ok((id, token))
}
