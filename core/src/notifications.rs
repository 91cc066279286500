//! In-app notifications, the data: what producers write, the bell's count and
//! each user's choice of which kinds also come by email. The pages are
//! `dashboard::notifications`.
//!
//! Producers write a notification in the transaction of the change it tells
//! of ([`add`]) and ask [`email_wanted`] before writing the email to the
//! outbox. Security emails (verification codes, password reset and change)
//! never go through here: they cannot be switched off.

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A session was booked.
    BookingConfirmed,
    /// A session moved to another time.
    BookingRescheduled,
    /// A session was cancelled.
    BookingCancelled,
    /// A session starts soon.
    Reminder,
    /// A professional invited the user to connect.
    Invitation,
    /// A professional asks the user to pay (no producer yet: payments come later).
    PaymentRequest,
}

impl Kind {
    /// Every kind, in the order the settings page lists them.
    pub const ALL: [Kind; 6] = [
        Kind::BookingConfirmed,
        Kind::BookingRescheduled,
        Kind::BookingCancelled,
        Kind::Reminder,
        Kind::Invitation,
        Kind::PaymentRequest,
    ];

    /// Its name in the database and in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::BookingConfirmed => "booking_confirmed",
            Kind::BookingRescheduled => "booking_rescheduled",
            Kind::BookingCancelled => "booking_cancelled",
            Kind::Reminder => "reminder",
            Kind::Invitation => "invitation",
            Kind::PaymentRequest => "payment_request",
        }
    }

    /// The kind named `name`, if any.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// The longest title kept (the column's limit).
const TITLE_MAX: usize = 500;

/// Adds a notification for `user_id` on `conn` (the caller's transaction, so
/// it exists only if the change it tells of commits). `link` is a path on
/// whichever site the user reads it (`/appointments/<id>`), or empty.
pub async fn add(
    conn: &mut PgConnection,
    user_id: Uuid,
    kind: Kind,
    appointment_id: Option<Uuid>,
    title: &str,
    link: &str,
) -> sqlx::Result<()> {
    let title = clean_title(title);
    let link = clean_link(link);
    sqlx::query!(
        "INSERT INTO public.notifications (user_id, kind, appointment_id, title, link) \
         VALUES ($1, $2, $3, $4, $5)",
        user_id,
        kind.as_str(),
        appointment_id,
        title,
        link,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A notification to add with [`add_all`].
#[derive(Debug, Clone)]
pub struct New {
    /// For whom.
    pub user_id: Uuid,
    /// What kind.
    pub kind: Kind,
    /// The appointment it is about, if any.
    pub appointment_id: Option<Uuid>,
    /// Its one line.
    pub title: String,
    /// A path on this site.
    pub link: String,
}

/// [`add`] for several notifications, in one statement.
pub async fn add_all(conn: &mut PgConnection, all: &[New]) -> sqlx::Result<()> {
    if all.is_empty() {
        return Ok(());
    }
    let users: Vec<Uuid> = all.iter().map(|n| n.user_id).collect();
    let kinds: Vec<&str> = all.iter().map(|n| n.kind.as_str()).collect();
    let appointments: Vec<Option<Uuid>> = all.iter().map(|n| n.appointment_id).collect();
    let titles: Vec<String> = all.iter().map(|n| clean_title(&n.title)).collect();
    let links: Vec<&str> = all.iter().map(|n| clean_link(&n.link)).collect();
    sqlx::query!(
        "INSERT INTO public.notifications (user_id, kind, appointment_id, title, link) \
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[])",
        &users,
        &kinds as &[&str],
        &appointments as &[Option<Uuid>],
        &titles,
        &links as &[&str],
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A title cut to [`TITLE_MAX`] characters.
fn clean_title(title: &str) -> String {
    title.chars().take(TITLE_MAX).collect()
}

/// `link` if it is a path on this site, else nothing.
fn clean_link(link: &str) -> &str {
    if link.starts_with('/') && !link.starts_with("//") {
        link
    } else {
        ""
    }
}

/// Whether `user_id` wants emails of `kind` (yes unless they switched it off).
pub async fn email_wanted(
    conn: &mut PgConnection,
    user_id: Uuid,
    kind: Kind,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        "SELECT coalesce((SELECT email FROM public.notification_preferences \
                          WHERE user_id = $1 AND kind = $2), true) AS \"wanted!\"",
        user_id,
        kind.as_str(),
    )
    .fetch_one(conn)
    .await
}

/// How many of `user_id`'s notifications are unread: the bell's number (one
/// count on the `(user_id, read_at, created_at)` index).
pub async fn unread_count<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    user_id: Uuid,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "SELECT count(*) AS \"count!\" FROM public.notifications WHERE user_id = $1 AND read_at IS NULL",
        user_id,
    )
    .fetch_one(executor)
    .await
}
