//! Verification of professionals by an operator (`hearth professional
//! verify <email>`): until then no hub and no client sees them.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

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
    let found: Option<(Uuid, String, bool, Option<DateTime<Utc>>)> = sqlx::query!(
        "SELECT u.id, u.name, p.user_id IS NOT NULL AS \"is_professional!\", \
                p.verified_at AS \"verified_at?\" \
         FROM users u LEFT JOIN professionals p ON p.user_id = u.id \
         WHERE lower(u.email) = lower($1)",
        email,
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.id, r.name, r.is_professional, r.verified_at));
    let Some((user_id, name, is_professional, verified_at)) = found else {
        return Err(VerifyError::NoAccount(email.to_owned()));
    };
    if !is_professional {
        return Err(VerifyError::NotProfessional(email.to_owned()));
    }
    if let Some(since) = verified_at {
        return Ok(Verified::Already { name, since });
    }
    sqlx::query!(
        "UPDATE professionals SET verified_at = now() WHERE user_id = $1 AND verified_at IS NULL",
        user_id,
    )
    .execute(&mut *conn)
    .await?;
    tracing::info!(%user_id, "professional verified");
    Ok(Verified::Now { name })
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
}

/// Every professional, those waiting for verification first.
pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as!(
        Listed,
        "SELECT u.email, u.name, p.title, p.kind, p.country, p.verified_at \
         FROM professionals p JOIN users u ON u.id = p.user_id \
         ORDER BY p.verified_at IS NOT NULL, p.created_at",
    )
    .fetch_all(conn)
    .await
}
