//! Booking emails to client and professional: confirmed, rescheduled,
//! cancelled and reminders. Each side gets its own email, in its own language
//! and with the time in its own timezone, branded like the hub that pays (or
//! the platform for private clients), with an `invite.ics` that keeps the
//! event in their calendar up to date (same UID, SEQUENCE from the appointment).

use base64::Engine as _;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use hearth_tenants::{Tenant, TenantId, TenantStatus};
use sqlx::PgConnection;
use uuid::Uuid;

use super::ics::CalendarEvent;
use crate::email::{enqueue_quietly, render, wake_workers, Attachment, Outgoing};
use crate::i18n::tr;
use crate::notifications::{self, Kind};
use crate::themes::DEFAULT_THEME;
use crate::web::error::AppError;
use crate::web::state::AppState;
use crate::web::time::format_local;

/// What happened to an appointment that its attendees are told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingEvent {
    /// It was booked.
    Confirmed,
    /// It moved to another time.
    Rescheduled,
    /// It was cancelled.
    Cancelled,
    /// It starts within a day.
    Reminder24h,
    /// It starts within the hour.
    Reminder1h,
}

impl BookingEvent {
    /// The email template (and outbox kind) it is told with.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Confirmed => "booking_confirmed",
            Self::Rescheduled => "booking_rescheduled",
            Self::Cancelled => "booking_cancelled",
            Self::Reminder24h | Self::Reminder1h => "booking_reminder",
        }
    }

    /// The kind of in-app notification (and of email the user may switch off).
    pub fn notification_kind(self) -> Kind {
        match self {
            Self::Confirmed => Kind::BookingConfirmed,
            Self::Rescheduled => Kind::BookingRescheduled,
            Self::Cancelled => Kind::BookingCancelled,
            Self::Reminder24h | Self::Reminder1h => Kind::Reminder,
        }
    }

    /// For reminders, how far ahead: `24h` or `1h` (the templates say
    /// "tomorrow" or "in one hour").
    fn reminder(self) -> Option<&'static str> {
        match self {
            Self::Reminder24h => Some("24h"),
            Self::Reminder1h => Some("1h"),
            _ => None,
        }
    }
}

/// An appointment with both parties, as the emails need it.
#[derive(sqlx::FromRow)]
struct Row {
    tenant_id: Option<i64>,
    service_name: String,
    mode: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: String,
    sequence: i32,
    cancelled_by: Option<Uuid>,
    client_id: Option<Uuid>,
    client_name: Option<String>,
    client_email: Option<String>,
    client_language: Option<String>,
    client_timezone: Option<String>,
    professional_id: Uuid,
    professional_name: Option<String>,
    professional_email: Option<String>,
    professional_language: Option<String>,
    professional_timezone: Option<String>,
    client_wants_email: bool,
    professional_wants_email: bool,
    tenant_slug: Option<String>,
    tenant_name: Option<String>,
    tenant_status: Option<TenantStatus>,
    tenant_reseller_id: Option<i64>,
}

/// Whether the outbox workers are woken with the transaction's commit, or
/// by the caller once it has committed ([`crate::email::OutboxBell`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// NOTIFY with the commit.
    WithCommit,
    /// The caller rings the bell after committing (the booking path).
    AfterCommit,
}

/// One side of the appointment.
struct Party {
    id: Option<Uuid>,
    name: String,
    email: String,
    language: String,
    timezone: String,
}

/// Tells client and professional about `event` on appointment
/// `appointment_id`: one in-app notification and one email each (a side whose
/// account is gone is skipped; a side that switched this kind of email off
/// gets the notification only), written on `conn`, the caller's transaction,
/// so they exist only if the change commits. Reads `public` tables only (the
/// hub's theme comes from the node's branding cache).
#[tracing::instrument(skip(state, conn))]
pub async fn appointment_changed(
    state: &AppState,
    conn: &mut PgConnection,
    appointment_id: Uuid,
    event: BookingEvent,
) -> Result<(), AppError> {
    tell(state, conn, appointment_id, event, Wake::WithCommit).await
}

/// [`appointment_changed`], waking the outbox workers as `wake` says: three
/// statements on `conn` (the appointment with both sides, their
/// notifications, their emails), and the hub's theme from this node's cache
/// when it has it.
pub async fn tell(
    state: &AppState,
    conn: &mut PgConnection,
    appointment_id: Uuid,
    event: BookingEvent,
    wake: Wake,
) -> Result<(), AppError> {
    let row: Row = sqlx::query_as!(
        Row,
        r#"SELECT a.tenant_id, a.service_name, a.mode, a.starts_at, a.ends_at, a.status, a.sequence,
           a.cancelled_by, a.client_id,
           c.name AS "client_name?", c.email AS "client_email?", c.language AS "client_language?",
           c.timezone AS "client_timezone?",
           a.professional_id,
           p.name AS "professional_name?", p.email AS "professional_email?",
           p.language AS "professional_language?", p.timezone AS "professional_timezone?",
           coalesce((SELECT n.email FROM public.notification_preferences n
                     WHERE n.user_id = a.client_id AND n.kind = $2), true) AS "client_wants_email!",
           coalesce((SELECT n.email FROM public.notification_preferences n
                     WHERE n.user_id = a.professional_id AND n.kind = $2), true) AS "professional_wants_email!",
           t.slug AS "tenant_slug?", t.name AS "tenant_name?",
           t.status AS "tenant_status?: TenantStatus", t.reseller_id AS "tenant_reseller_id?"
         FROM public.appointments a
         LEFT JOIN public.users c ON c.id = a.client_id
         LEFT JOIN public.users p ON p.id = a.professional_id
         LEFT JOIN public.tenants t ON t.id = a.tenant_id
         WHERE a.id = $1"#,
        appointment_id,
        event.notification_kind().as_str(),
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;

    let tenant: Option<Tenant> = match (
        row.tenant_id,
        &row.tenant_slug,
        &row.tenant_name,
        row.tenant_status,
    ) {
        (Some(id), Some(slug), Some(name), Some(status)) => Some(Tenant {
            id: TenantId(id),
            slug: slug.clone(),
            name: name.clone(),
            status,
            reseller_id: row.tenant_reseller_id,
        }),
        _ => None,
    };
    let (theme_id, sender_name, base_url) = match &tenant {
        Some(tenant) => {
            let branding = match crate::web::hubs::cached(state, tenant).await {
                Some(page) => page.branding.clone(),
                None => theme_on(state, conn, tenant).await?,
            };
            (
                branding.theme,
                tenant.name.clone(),
                state.config.hub_url(&tenant.slug),
            )
        }
        None => (
            DEFAULT_THEME.to_owned(),
            "Hearth".to_owned(),
            state.config.platform_url(),
        ),
    };
    let theme = state.themes.get(&theme_id);
    let appointment_url = format!("{base_url}/appointments/{appointment_id}");

    let client = party(
        row.client_id,
        &row.client_name,
        &row.client_email,
        &row.client_language,
        &row.client_timezone,
    );
    let professional = party(
        Some(row.professional_id),
        &row.professional_name,
        &row.professional_email,
        &row.professional_language,
        &row.professional_timezone,
    );
    let cancelled = event == BookingEvent::Cancelled || row.status == "cancelled";
    let stamp = Utc::now();
    let mut notices = Vec::with_capacity(2);
    let mut emails = Vec::with_capacity(2);
    let sides = [
        (client.as_ref(), professional.as_ref(), "client"),
        (professional.as_ref(), client.as_ref(), "professional"),
    ];
    for (recipient, other, role) in sides {
        let Some(recipient) = recipient else { continue };
        let language = email_language(&recipient.language);
        let former_client = tr(language, "book-email-former-client", &[]);
        let other_name = other.map_or(former_client.as_str(), |o| o.name.as_str());
        let mode_label = tr(
            language,
            "book-email-mode",
            &[("mode", row.mode.as_str().into())],
        );
        let calendar = CalendarEvent {
            uid: format!("{appointment_id}@hearth"),
            sequence: row.sequence,
            start: row.starts_at,
            end: row.ends_at,
            summary: format!("{} · {other_name}", row.service_name),
            description: format!(
                "{} ({mode_label}) · {other_name}\n{appointment_url}",
                row.service_name
            ),
            url: appointment_url.clone(),
            location: (row.mode == "video").then(|| appointment_url.clone()),
            organizer: professional
                .as_ref()
                .map(|p| (p.name.clone(), p.email.clone()))
                .unwrap_or_default(),
            attendee: client
                .as_ref()
                .map(|c| (c.name.clone(), c.email.clone()))
                .unwrap_or_default(),
            cancelled,
            stamp,
        };

        let when = local_when(row.starts_at, &recipient.timezone, language);
        let mut wants_email = true;
        if let Some(user_id) = recipient.id {
            let kind = event.notification_kind();
            notices.push(notifications::New {
                user_id,
                kind,
                appointment_id: Some(appointment_id),
                title: notification_title(event, language, &row.service_name, other_name, &when),
                link: format!("/appointments/{appointment_id}"),
            });
            wants_email = if role == "client" {
                row.client_wants_email
            } else {
                row.professional_wants_email
            };
        }
        if !wants_email {
            continue;
        }

        let mut context = tera::Context::new();
        context.insert("sender_name", &sender_name);
        context.insert("recipient_name", &recipient.name);
        context.insert("role", role);
        context.insert("other_name", other_name);
        context.insert("service_name", &row.service_name);
        context.insert("mode", &row.mode);
        context.insert("mode_label", &mode_label);
        context.insert("when", &when);
        context.insert(
            "duration_minutes",
            &(row.ends_at - row.starts_at).num_minutes(),
        );
        context.insert("appointment_url", &appointment_url);
        context.insert("reminder", &event.reminder());
        context.insert(
            "cancelled_by_you",
            &(recipient.id.is_some() && row.cancelled_by == recipient.id),
        );
        context.insert("cancelled_by_other", &{
            let other_id = other.and_then(|o| o.id);
            other_id.is_some() && row.cancelled_by == other_id
        });
        let (subject, text, html) = render(theme, event.kind(), language, &context)?;
        emails.push(Outgoing {
            kind: event.kind().to_owned(),
            to: recipient.email.clone(),
            to_name: Some(recipient.name.clone()),
            tenant_id: row.tenant_id.map(TenantId),
            subject,
            text,
            html,
            attachments: vec![Attachment {
                filename: "invite.ics".into(),
                content_type: calendar.content_type(),
                content_base64: base64::engine::general_purpose::STANDARD.encode(calendar.to_ics()),
            }],
        });
    }
    notifications::add_all(conn, &notices).await?;
    enqueue_quietly(&mut *conn, &emails).await?;
    if wake == Wake::WithCommit && !emails.is_empty() {
        wake_workers(conn).await?;
    }
    Ok(())
}

/// The hub's branding read on `conn` when it is `tenant`'s own transaction
/// (a booking, a cancellation: asking the cache could need a second pooled
/// connection while this one is held, which under load starves the pool),
/// else from the cache (reminders).
async fn theme_on(
    state: &AppState,
    conn: &mut PgConnection,
    tenant: &Tenant,
) -> Result<crate::web::page::Branding, AppError> {
    let schema: String = sqlx::query_scalar!(r#"SELECT current_schema()::text AS "schema!""#)
        .fetch_one(&mut *conn)
        .await?;
    if schema == tenant.schema().as_str() {
        Ok(crate::web::page::read_branding(&mut *conn, tenant.id)
            .await?
            .0)
    } else {
        crate::web::page::branding(state, tenant).await
    }
}

/// The in-app notification's one line, in `language`, with the time as the
/// recipient's email gives it.
fn notification_title(
    event: BookingEvent,
    language: &str,
    service: &str,
    other: &str,
    when: &str,
) -> String {
    let id = match event {
        BookingEvent::Confirmed => "book-notify-confirmed",
        BookingEvent::Rescheduled => "book-notify-rescheduled",
        BookingEvent::Cancelled => "book-notify-cancelled",
        BookingEvent::Reminder24h | BookingEvent::Reminder1h => "book-notify-reminder",
    };
    tr(
        language,
        id,
        &[
            ("service", service.into()),
            ("other", other.into()),
            ("when", when.into()),
        ],
    )
}

/// A side of the appointment, if its user still exists.
fn party(
    id: Option<Uuid>,
    name: &Option<String>,
    email: &Option<String>,
    language: &Option<String>,
    timezone: &Option<String>,
) -> Option<Party> {
    Some(Party {
        id,
        name: name.clone()?,
        email: email.clone()?,
        language: language.clone().unwrap_or_default(),
        timezone: timezone.clone().unwrap_or_default(),
    })
}

/// The language booking emails are written in for a user who chose
/// `language`: ours when we have it, else English.
fn email_language(language: &str) -> &'static str {
    crate::i18n::supported(language).unwrap_or(crate::i18n::FALLBACK)
}

/// `at` in the IANA timezone `tz` (UTC when unknown), written out in
/// `language`: "Monday 30 March 2026, 09:00 (Europe/London)" or
/// "mánudagur 30. mars 2026, kl. 09:00 (Atlantic/Reykjavik)".
pub fn local_when(at: DateTime<Utc>, tz: &str, language: &str) -> String {
    let zone: Tz = tz.parse().unwrap_or(Tz::UTC);
    let local = at.with_timezone(&zone).naive_local();
    let language = email_language(language);
    tr(
        language,
        "book-email-when",
        &[
            ("date", format_local(language, local, "%A %-d %B %Y").into()),
            ("time", local.format("%H:%M").to_string().into()),
            ("zone", zone.name().into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn catalogue() {
        crate::i18n::init(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes"))
            .expect("catalogues");
    }

    #[test]
    fn times_are_written_in_the_recipients_zone_and_language() {
        catalogue();
        let at = Utc.with_ymd_and_hms(2026, 3, 30, 8, 0, 0).unwrap();
        assert_eq!(
            local_when(at, "Europe/London", "en"),
            "Monday 30 March 2026, 09:00 (Europe/London)"
        );
        assert_eq!(
            local_when(at, "Atlantic/Reykjavik", "is"),
            "mánudagur 30. mars 2026, kl. 08:00 (Atlantic/Reykjavik)"
        );
        assert_eq!(
            local_when(at, "America/New_York", "en"),
            "Monday 30 March 2026, 04:00 (America/New_York)"
        );
        // Across midnight the local day is the one shown.
        assert_eq!(
            local_when(at, "Pacific/Auckland", "is"),
            "mánudagur 30. mars 2026, kl. 21:00 (Pacific/Auckland)"
        );
        let late = Utc.with_ymd_and_hms(2026, 8, 1, 2, 30, 0).unwrap();
        assert_eq!(
            local_when(late, "America/Los_Angeles", "is"),
            "föstudagur 31. júlí 2026, kl. 19:30 (America/Los_Angeles)"
        );
    }

    #[test]
    fn an_unknown_zone_or_language_falls_back_to_utc_and_english() {
        catalogue();
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 15, 5, 0).unwrap();
        assert_eq!(
            local_when(at, "Mars/Olympus", "fr"),
            "Sunday 6 December 2026, 15:05 (UTC)"
        );
    }

    #[test]
    fn notifications_are_worded_in_the_recipients_language() {
        catalogue();
        assert_eq!(
            notification_title(BookingEvent::Rescheduled, "en", "Therapy", "Ann", "soon"),
            "Session moved: Therapy with Ann, now soon"
        );
        assert_eq!(
            notification_title(BookingEvent::Reminder1h, "is", "Viðtal", "Ann", "bráðum"),
            "Áminning: Viðtal með Ann, bráðum"
        );
    }
}
