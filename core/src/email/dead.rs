//! Emails delivery gave up on (`dead`), for the operator's outbox: listing
//! them, counting what waits, and putting one or all back in the queue.

use serde::Serialize;
use sqlx::PgConnection;

/// An email given up on.
#[derive(Debug, Clone, Serialize)]
pub struct Dead {
    /// Its outbox id.
    pub id: i64,
    /// The template it came from.
    pub kind: String,
    /// The recipient's address: the page shows it masked.
    pub to_address: String,
    /// When it was written to the outbox.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The attempts made.
    pub attempts: i32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// What the outbox holds still to deliver, and what it gave up on.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Counts {
    /// Emails waiting to be sent (first attempts and retries).
    pub pending: i64,
    /// Those of them that failed at least once.
    pub retrying: i64,
    /// Emails given up on.
    pub dead: i64,
}

/// The emails given up on, newest first: `limit` from `offset`.
pub async fn list(conn: &mut PgConnection, limit: i64, offset: i64) -> sqlx::Result<Vec<Dead>> {
    sqlx::query_as!(
        Dead,
        "SELECT id, kind, to_address, created_at, attempts, last_error \
         FROM public.email_outbox WHERE status = 'dead' \
         ORDER BY id DESC LIMIT $1 OFFSET $2",
        limit,
        offset,
    )
    .fetch_all(conn)
    .await
}

/// The outbox's counts (each from a partial index: sent emails are not read).
pub async fn counts(conn: &mut PgConnection) -> sqlx::Result<Counts> {
    let pending = sqlx::query!(
        "SELECT count(*) AS \"pending!\", count(*) FILTER (WHERE attempts > 0) AS \"retrying!\" \
         FROM public.email_outbox WHERE status = 'pending'"
    )
    .fetch_one(&mut *conn)
    .await?;
    let dead = super::dead_count(conn).await?;
    Ok(Counts {
        pending: pending.pending,
        retrying: pending.retrying,
        dead,
    })
}

/// What became of a retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retried {
    /// Back in the queue, due now.
    Queued,
    /// It was not dead (retried already, or sent): nothing changed.
    NotDead,
    /// No such email.
    NotFound,
}

/// Puts dead email `id` back in the queue, due now and with its attempts
/// counted afresh (the worker's whole schedule of retries again), and wakes
/// the delivery workers. Its last error stays until it is sent.
pub async fn retry(conn: &mut PgConnection, id: i64) -> sqlx::Result<Retried> {
    let queued = sqlx::query_scalar!(
        "UPDATE public.email_outbox SET status = 'pending', attempts = 0, next_attempt_at = now() \
         WHERE id = $1 AND status = 'dead' RETURNING id",
        id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if queued.is_some() {
        super::wake_workers(conn).await?;
        return Ok(Retried::Queued);
    }
    let exists = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM public.email_outbox WHERE id = $1) AS \"exists!\"",
        id,
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(if exists {
        Retried::NotDead
    } else {
        Retried::NotFound
    })
}

/// Puts every dead email back in the queue as [`retry`] does one; returns
/// how many.
pub async fn retry_all(conn: &mut PgConnection) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "UPDATE public.email_outbox SET status = 'pending', attempts = 0, next_attempt_at = now() \
         WHERE status = 'dead'"
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() > 0 {
        super::wake_workers(conn).await?;
    }
    Ok(done.rows_affected())
}
