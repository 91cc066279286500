//! Verification of professionals by an operator (the operator's console at
//! `/operator/professionals`, or `hearth professional verify <email>`):
//! until then no hub and no client sees them. An operator may also reject a
//! waiting professional with a reason; saving their profile again puts them
//! back in the queue ([`super::profile::save_profile`]).

use chrono::{DateTime, Utc};
use hearth_tenants::changes::{announce, Change};
use sqlx::PgConnection;
use uuid::Uuid;

/// The longest reason for a rejection, in characters (the column's CHECK).
pub const MAX_REASON_CHARS: usize = 1000;

/// What verifying did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// They are verified from now on.
    Now {
        /// Their name.
        name: String,
    },
    /// They already were, since then.
    Already {
        /// Their name.
        name: String,
        /// When they were verified.
        since: DateTime<Utc>,
    },
}

/// Why a professional could not be verified.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// No account has that email.
    #[error("no account has the email '{0}'")]
    NoAccount(String),
    /// The account has no professional profile.
    #[error(
        "'{0}' has an account but no professional profile: they create one at /pro/profile first"
    )]
    NotProfessional(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Verifies the professional whose account has `email` (any case).
pub async fn verify(conn: &mut PgConnection, email: &str) -> Result<Verified, VerifyError> {
    let email = email.trim();
    let found = sqlx::query!(
        "SELECT u.id, p.user_id IS NOT NULL AS \"is_professional!\" \
         FROM users u LEFT JOIN professionals p ON p.user_id = u.id \
         WHERE lower(u.email) = lower($1)",
        email,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(found) = found else {
        return Err(VerifyError::NoAccount(email.to_owned()));
    };
    if !found.is_professional {
        return Err(VerifyError::NotProfessional(email.to_owned()));
    }
    verify_user(conn, found.id)
        .await?
        .ok_or_else(|| VerifyError::NotProfessional(email.to_owned()))
}

/// Verifies professional `user_id` (clearing a rejection, if any): `None`
/// when they have no professional profile.
pub async fn verify_user(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<Option<Verified>> {
    // Locked, so two operators verifying at once both read "already" or
    // "now" consistently and the row ends verified once.
    let found = sqlx::query!(
        "SELECT u.name, p.verified_at FROM professionals p JOIN users u ON u.id = p.user_id \
         WHERE p.user_id = $1 FOR UPDATE OF p",
        user_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(found) = found else {
        return Ok(None);
    };
    if let Some(since) = found.verified_at {
        return Ok(Some(Verified::Already {
            name: found.name,
            since,
        }));
    }
    sqlx::query!(
        "UPDATE professionals SET verified_at = now(), rejected_at = NULL, rejection_reason = NULL \
         WHERE user_id = $1 AND verified_at IS NULL",
        user_id,
    )
    .execute(&mut *conn)
    .await?;
    // Hubs that had them on their roster show them from now on.
    announce(conn, Change::AllHubPages).await?;
    tracing::info!(%user_id, "professional verified");
    Ok(Some(Verified::Now { name: found.name }))
}

/// Who was rejected: what the email telling them needs.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// Their name.
    pub name: String,
    /// Their account's email.
    pub email: String,
    /// The language they read in (`users.language`).
    pub language: String,
}

/// Why a professional could not be rejected.
#[derive(Debug, thiserror::Error)]
pub enum RejectError {
    /// No professional profile has that id.
    #[error("no such professional")]
    NotFound,
    /// They are not waiting: verified, or rejected already.
    #[error("not waiting for verification")]
    NotWaiting,
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// A reason for a rejection as typed: trimmed, 1 to [`MAX_REASON_CHARS`]
/// characters, line breaks as `\n`.
pub fn reason(input: &str) -> Result<String, crate::i18n::Msg> {
    let reason = input.trim().replace("\r\n", "\n");
    let count = reason.chars().count();
    if count == 0 {
        return Err(crate::i18n::Msg::new("operator-error-reason-missing"));
    }
    if count > MAX_REASON_CHARS {
        return Err(crate::i18n::Msg::new("operator-error-reason-long")
            .arg("max", MAX_REASON_CHARS)
            .arg("count", count));
    }
    Ok(reason)
}

/// Rejects waiting professional `user_id` with `reason` (checked by
/// [`reason`]); the caller tells them, in the same transaction.
pub async fn reject(
    conn: &mut PgConnection,
    user_id: Uuid,
    reason: &str,
) -> Result<Rejected, RejectError> {
    let rejected = sqlx::query_as!(
        Rejected,
        "UPDATE professionals p SET rejected_at = now(), rejection_reason = $2 \
         FROM users u \
         WHERE p.user_id = $1 AND u.id = p.user_id \
           AND p.verified_at IS NULL AND p.rejected_at IS NULL \
         RETURNING u.name, u.email, u.language",
        user_id,
        reason,
    )
    .fetch_optional(&mut *conn)
    .await?;
    match rejected {
        Some(rejected) => {
            tracing::info!(%user_id, "professional rejected");
            Ok(rejected)
        }
        None => {
            let exists = sqlx::query_scalar!(
                "SELECT EXISTS (SELECT 1 FROM professionals WHERE user_id = $1) AS \"exists!\"",
                user_id,
            )
            .fetch_one(&mut *conn)
            .await?;
            Err(if exists {
                RejectError::NotWaiting
            } else {
                RejectError::NotFound
            })
        }
    }
}

/// A professional waiting for verification, with what helps decide.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Waiting {
    /// Their user id.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their account's email.
    pub email: String,
    /// The language they read Hearth and its emails in.
    pub language: String,
    /// Their title.
    pub title: String,
    /// Their kind (psychologist, coach, ...).
    pub kind: String,
    /// Their country, or empty.
    pub country: String,
    /// What they work on.
    pub specialties: Vec<String>,
    /// Languages they hold sessions in.
    pub languages: Vec<String>,
    /// Their biography.
    pub bio: String,
    /// Whether they have a photo.
    pub has_photo: bool,
    /// Their active services.
    pub services: i64,
    /// Their weekly hours (rules).
    pub availability_rules: i64,
    /// When they became a professional.
    pub created_at: DateTime<Utc>,
}

/// Professionals waiting for verification, oldest first (at most `limit`).
pub async fn waiting(conn: &mut PgConnection, limit: i64) -> sqlx::Result<Vec<Waiting>> {
    sqlx::query_as!(
        Waiting,
        "SELECT p.user_id AS id, u.name, u.email, u.language, p.title, p.kind, p.country, p.specialties, \
                p.languages, p.bio, p.photo IS NOT NULL AS \"has_photo!\", \
                (SELECT count(*) FROM services s WHERE s.professional_id = p.user_id AND s.active) \
                  AS \"services!\", \
                (SELECT count(*) FROM availability_rules r WHERE r.professional_id = p.user_id) \
                  AS \"availability_rules!\", \
                p.created_at \
         FROM professionals p JOIN users u ON u.id = p.user_id \
         WHERE p.verified_at IS NULL AND p.rejected_at IS NULL \
         ORDER BY p.created_at, p.user_id LIMIT $1",
        limit,
    )
    .fetch_all(conn)
    .await
}

/// How many professionals wait for verification.
pub async fn waiting_count(conn: &mut PgConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "SELECT count(*) AS \"count!\" FROM professionals \
         WHERE verified_at IS NULL AND rejected_at IS NULL",
    )
    .fetch_one(conn)
    .await
}

/// A professional an operator verified or rejected.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Decided {
    /// Their user id.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their account's email.
    pub email: String,
    /// Their title.
    pub title: String,
    /// Verified (true) or rejected (false).
    pub verified: bool,
    /// When.
    pub at: DateTime<Utc>,
    /// Why not, when rejected.
    pub rejection_reason: Option<String>,
}

/// The last `limit` professionals verified or rejected, newest first.
pub async fn recently_decided(conn: &mut PgConnection, limit: i64) -> sqlx::Result<Vec<Decided>> {
    sqlx::query_as!(
        Decided,
        "SELECT p.user_id AS id, u.name, u.email, p.title, p.verified_at IS NOT NULL AS \"verified!\", \
                coalesce(p.verified_at, p.rejected_at) AS \"at!\", p.rejection_reason \
         FROM professionals p JOIN users u ON u.id = p.user_id \
         WHERE p.verified_at IS NOT NULL OR p.rejected_at IS NOT NULL \
         ORDER BY coalesce(p.verified_at, p.rejected_at) DESC, p.user_id LIMIT $1",
        limit,
    )
    .fetch_all(conn)
    .await
}

/// A professional as the operator's list shows them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    /// Their account's email.
    pub email: String,
    /// Their name.
    pub name: String,
    /// Their title.
    pub title: String,
    /// Their kind.
    pub kind: String,
    /// Their country.
    pub country: String,
    /// When they were verified, if they are.
    pub verified_at: Option<DateTime<Utc>>,
    /// When an operator rejected them, if they did (and they have not asked again).
    pub rejected_at: Option<DateTime<Utc>>,
}

/// Every professional, those waiting for verification first.
pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as!(
        Listed,
        "SELECT u.email, u.name, p.title, p.kind, p.country, p.verified_at, p.rejected_at \
         FROM professionals p JOIN users u ON u.id = p.user_id \
         ORDER BY p.verified_at IS NOT NULL, p.rejected_at IS NOT NULL, p.created_at",
    )
    .fetch_all(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_trimmed_and_between_one_and_a_thousand_characters() {
        assert_eq!(
            reason("  Add your licence number.\r\nThanks ")
                .ok()
                .as_deref(),
            Some("Add your licence number.\nThanks")
        );
        assert!(reason("   \r\n ").is_err());
        // Characters, not bytes: 1000 Icelandic letters are allowed.
        assert!(reason(&"þ".repeat(MAX_REASON_CHARS)).is_ok());
        assert!(reason(&"x".repeat(MAX_REASON_CHARS + 1)).is_err());
    }
}
