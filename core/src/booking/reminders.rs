//! Reminders 24 hours and 1 hour before an appointment, to client and
//! professional (through [`super::notify`]).
//!
//! Every node may run the loop ([`spawn`], every 30 s): a pass claims due
//! appointments with `FOR UPDATE SKIP LOCKED`, writes the reminder emails to
//! the outbox and stamps `reminded_24h_at` / `reminded_1h_at` in the same
//! transaction, so each reminder is written once whatever the number of nodes.
//!
//! What the booking code does so that no reminder comes late or twice:
//! - booking less than 24 h ahead sets `reminded_24h_at` (and less than 1 h
//!   ahead `reminded_1h_at`) to now, so no "tomorrow" email follows a booking
//!   made for this afternoon;
//! - a reschedule clears each stamp whose reminder is still ahead at the new
//!   time, and sets it to now when the new time is already inside the window.
//!
//! Should a 24 h reminder still be unsent when the appointment is less than
//! an hour away (nodes down, or a booking made without the stamps), it is
//! stamped without an email: the 1 h reminder, written in the same pass,
//! says "in one hour" instead of a wrong "tomorrow".

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::Connection as _;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::notify::{appointment_changed, BookingEvent};
use crate::web::error::AppError;
use crate::web::state::AppState;

/// How often a node looks for due reminders.
pub const INTERVAL: Duration = Duration::from_secs(30);
/// Appointments claimed in one transaction.
const BATCH: i64 = 100;

/// The two reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reminder {
    Day,
    Hour,
}

impl Reminder {
    /// The column that records it was sent (a fixed name, never input).
    fn column(self) -> &'static str {
        match self {
            Self::Day => "reminded_24h_at",
            Self::Hour => "reminded_1h_at",
        }
    }

    fn ahead(self) -> TimeDelta {
        match self {
            Self::Day => TimeDelta::hours(24),
            Self::Hour => TimeDelta::hours(1),
        }
    }

    fn event(self) -> BookingEvent {
        match self {
            Self::Day => BookingEvent::Reminder24h,
            Self::Hour => BookingEvent::Reminder1h,
        }
    }
}

/// Runs [`send_due`] every [`INTERVAL`] until the task is aborted.
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match send_due(&state, Utc::now()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(appointments = count, "booking reminders written"),
                Err(error) => {
                    tracing::warn!(error = %error, "booking reminders: pass failed; retrying later");
                }
            }
        }
    })
}

/// One pass as of `now`: writes the 24 h, then the 1 h reminders now due and
/// returns how many reminders (one per appointment, both sides) it wrote.
pub async fn send_due(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut written = 0;
    for reminder in [Reminder::Day, Reminder::Hour] {
        loop {
            let (claimed, sent) = batch(state, now, reminder).await?;
            written += sent;
            if claimed < BATCH {
                break;
            }
        }
    }
    Ok(written)
}

/// Claims up to [`BATCH`] appointments due for `reminder` and reminds them,
/// in one transaction; returns how many it claimed and how many it reminded.
async fn batch(
    state: &AppState,
    now: DateTime<Utc>,
    reminder: Reminder,
) -> anyhow::Result<(i64, usize)> {
    let column = reminder.column();
    let mut tx = state.pool.begin().await?;
    // One checked statement per reminder column (`Reminder::column`).
    macro_rules! due {
        ($column:literal) => {
            sqlx::query!(
                "SELECT id, starts_at FROM public.appointments \
                 WHERE status = 'confirmed' AND "
                    + $column
                    + " IS NULL AND starts_at <= $2 AND starts_at > $1 \
                 ORDER BY starts_at LIMIT $3 FOR UPDATE SKIP LOCKED",
                now,
                now + reminder.ahead(),
                BATCH,
            )
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| (r.id, r.starts_at))
            .collect()
        };
    }
    let due: Vec<(Uuid, DateTime<Utc>)> = match reminder {
        Reminder::Day => due!("reminded_24h_at"),
        Reminder::Hour => due!("reminded_1h_at"),
    };
    let mut sent = 0;
    for (id, starts_at) in &due {
        if reminder == Reminder::Day && *starts_at <= now + Reminder::Hour.ahead() {
            // Too close for "tomorrow": the 1 h reminder covers it.
            continue;
        }
        // A savepoint, so one appointment that can never be told (a broken
        // template) does not hold back the others, nor come back every pass.
        // Any other failure (the database) fails the batch, to be tried again.
        let mut one = tx.begin().await?;
        match appointment_changed(state, &mut one, *id, reminder.event()).await {
            Ok(()) => {
                one.commit().await?;
                sent += 1;
            }
            Err(error @ AppError::Template(_)) => {
                one.rollback().await?;
                tracing::error!(appointment_id = %id, reminder = column, error = %error,
                    "booking reminder could not be rendered; skipped");
            }
            Err(error) => return Err(error.into()),
        }
    }
    let ids: Vec<Uuid> = due.iter().map(|(id, _)| *id).collect();
    match reminder {
        Reminder::Day => sqlx::query!(
            "UPDATE public.appointments SET reminded_24h_at = now() WHERE id = ANY($1)",
            &ids,
        ),
        Reminder::Hour => sqlx::query!(
            "UPDATE public.appointments SET reminded_1h_at = now() WHERE id = ANY($1)",
            &ids,
        ),
    }
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((i64::try_from(due.len()).unwrap_or(i64::MAX), sent))
}
