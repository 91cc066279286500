//! What booking reads: bookable professionals, their services, availability
//! and busy times.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::Serialize;
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::slots::{Availability, Busy, DateException, ExceptionKind, WeeklyRule};

/// A verified professional, as booking pages show them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Professional {
    /// Their user id.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their email (for emails only; never shown on hub pages).
    #[serde(skip)]
    pub email: String,
    /// Title, e.g. "Clinical psychologist".
    pub title: String,
    /// About them.
    pub bio: String,
    /// psychologist, coach...
    pub kind: String,
    /// Specialties.
    pub specialties: Vec<String>,
    /// Languages.
    pub languages: Vec<String>,
    /// Their IANA timezone.
    pub timezone: String,
    /// Minutes kept free after each session.
    pub buffer_minutes: i32,
    /// Minimum notice for a booking, in minutes.
    pub min_notice_minutes: i32,
    /// How far ahead sessions may be booked, in days.
    pub horizon_days: i32,
    /// Whether they have a photo.
    pub has_photo: bool,
}

/// A service a professional offers.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Service {
    /// Its id.
    pub id: Uuid,
    /// The professional offering it.
    pub professional_id: Uuid,
    /// Its name.
    pub name: String,
    /// video, phone or in_person.
    pub mode: String,
    /// individual, couples, family or group.
    pub session_type: String,
    /// Length in minutes.
    pub duration_minutes: i32,
    /// Price for private clients, in cents.
    pub price_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Cost in hub credits (before any plugin).
    pub credits: i32,
    /// When a private client pays: `booking` or `after` the session.
    pub pay_when: String,
}

/// Reads verified professionals: the one place that knows their columns.
/// `$rest` is the query's tail (`WHERE`...) over `public.professionals p`
/// joined with `public.users u`; checked at compile time.
macro_rules! select_professionals {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Professional,
            "SELECT u.id, u.name, u.email, p.title, p.bio, p.kind, p.specialties, p.languages, \
    p.timezone, p.buffer_minutes, p.min_notice_minutes, p.horizon_days, p.photo IS NOT NULL AS \"has_photo!\" "
                + "FROM public.professionals p JOIN public.users u ON u.id = p.user_id "
                + $rest
            $(, $arg)*
        )
    };
}

/// The verified professional `id`, if any.
pub async fn professional(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Professional>> {
    select_professionals!("WHERE p.user_id = $1 AND p.verified_at IS NOT NULL", id)
        .fetch_optional(conn)
        .await
}

/// Reads services: the one place that knows their columns. `$rest` is the
/// query's tail (`WHERE`...) over `public.services`; checked at compile time.
macro_rules! select_services {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Service,
            "SELECT id, professional_id, name, mode, session_type, duration_minutes, price_minor, currency, credits, pay_when "
                + $rest
            $(, $arg)*
        )
    };
}

/// The professional's active services.
pub async fn services(conn: &mut PgConnection, professional: Uuid) -> sqlx::Result<Vec<Service>> {
    select_services!(
        "FROM public.services WHERE professional_id = $1 AND active \
         ORDER BY duration_minutes, name",
        professional,
    )
    .fetch_all(conn)
    .await
}

/// The professional's active service `id`.
pub async fn service(
    conn: &mut PgConnection,
    professional: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Service>> {
    select_services!(
        "FROM public.services WHERE professional_id = $1 AND id = $2 AND active",
        professional,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// Whether the professional is on the roster of the hub `conn` is scoped to.
pub async fn on_roster(conn: &mut PgConnection, professional: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM roster WHERE professional_id = $1) AS "on_roster!""#,
        professional,
    )
    .fetch_one(conn)
    .await
}

/// The professional's weekly hours, exceptions from yesterday on, and limits.
pub async fn availability(
    conn: &mut PgConnection,
    pro: &Professional,
) -> sqlx::Result<Availability> {
    let rules: Vec<(i16, NaiveTime, NaiveTime)> = sqlx::query!(
        "SELECT weekday, start_time, end_time FROM public.availability_rules WHERE professional_id = $1",
        pro.id,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.weekday, r.start_time, r.end_time))
    .collect();
    let exceptions: Vec<(NaiveDate, String, Option<NaiveTime>, Option<NaiveTime>)> = sqlx::query!(
        "SELECT day, kind, start_time, end_time FROM public.availability_exceptions \
             WHERE professional_id = $1 AND day >= current_date - 1",
        pro.id,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.day, r.kind, r.start_time, r.end_time))
    .collect();
    Ok(assemble(pro, rules, exceptions))
}

/// Weekly rules `(weekday, start, end)` and date exceptions `(day, kind,
/// start, end)` as read, made into `pro`'s availability.
fn assemble(
    pro: &Professional,
    rules: Vec<(i16, NaiveTime, NaiveTime)>,
    exceptions: Vec<(NaiveDate, String, Option<NaiveTime>, Option<NaiveTime>)>,
) -> Availability {
    Availability {
        timezone: pro.timezone.parse().unwrap_or(chrono_tz::UTC),
        rules: rules
            .into_iter()
            .map(|(weekday, start, end)| WeeklyRule {
                weekday: u32::try_from(weekday).unwrap_or(0),
                start,
                end,
            })
            .collect(),
        exceptions: exceptions
            .into_iter()
            .filter_map(|(day, kind, start, end)| {
                Some(DateException {
                    day,
                    kind: ExceptionKind::from_db(&kind)?,
                    start,
                    end,
                })
            })
            .collect(),
        buffer_minutes: i64::from(pro.buffer_minutes),
        min_notice_minutes: i64::from(pro.min_notice_minutes),
        horizon_days: i64::from(pro.horizon_days),
    }
}

/// [`availability`] and [`busy`] together, in one round trip (the booking
/// path checks a slot with both).
pub async fn calendar(
    conn: &mut PgConnection,
    pro: &Professional,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    client: Option<Uuid>,
    except: Option<Uuid>,
) -> sqlx::Result<(Availability, Vec<Busy>)> {
    type Rules = Vec<(i16, NaiveTime, NaiveTime)>;
    type Exceptions = Vec<(NaiveDate, String, Option<NaiveTime>, Option<NaiveTime>)>;
    type Times = Vec<(DateTime<Utc>, DateTime<Utc>)>;
    let margin = Duration::days(1);
    let row = sqlx::query!(
        r#"SELECT
             (SELECT coalesce(json_agg(json_build_array(weekday, start_time, end_time)), '[]')
              FROM public.availability_rules WHERE professional_id = $1) AS "rules!: Json<Rules>",
             (SELECT coalesce(json_agg(json_build_array(day, kind, start_time, end_time)), '[]')
              FROM public.availability_exceptions
              WHERE professional_id = $1 AND day >= current_date - 1) AS "exceptions!: Json<Exceptions>",
             (SELECT coalesce(json_agg(json_build_array(b.starts_at, b.blocked_until)), '[]') FROM (
                SELECT starts_at, blocked_until FROM public.appointments
                WHERE professional_id = $1 AND status = 'confirmed' AND id IS DISTINCT FROM $5
                  AND tstzrange(starts_at, blocked_until, '[)') && tstzrange($2, $3, '[)')
                UNION ALL
                SELECT starts_at, blocked_until FROM public.slot_holds
                WHERE professional_id = $1 AND expires_at > now() AND client_id IS DISTINCT FROM $4
                  AND tstzrange(starts_at, blocked_until, '[)') && tstzrange($2, $3, '[)')) b
             ) AS "busy!: Json<Times>""#,
        pro.id,
        from - margin,
        to + margin,
        client,
        except,
    )
    .fetch_one(conn)
    .await?;
    let busy = row
        .busy
        .0
        .into_iter()
        .map(|(start, end)| Busy { start, end })
        .collect();
    Ok((assemble(pro, row.rules.0, row.exceptions.0), busy))
}

/// The professional's busy times overlapping `[from, to)`: confirmed
/// appointments (buffer included) and live holds, leaving out the holds of
/// `client` and the appointment `except` (when rescheduling it).
pub async fn busy(
    conn: &mut PgConnection,
    professional: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    client: Option<Uuid>,
    except: Option<Uuid>,
) -> sqlx::Result<Vec<Busy>> {
    let margin = Duration::days(1);
    let rows: Vec<(DateTime<Utc>, DateTime<Utc>)> = sqlx::query!(
        "SELECT starts_at AS \"starts_at!\", blocked_until AS \"blocked_until!\" FROM public.appointments \
         WHERE professional_id = $1 AND status = 'confirmed' AND id IS DISTINCT FROM $5 \
           AND tstzrange(starts_at, blocked_until, '[)') && tstzrange($2, $3, '[)') \
         UNION ALL \
         SELECT starts_at, blocked_until FROM public.slot_holds \
         WHERE professional_id = $1 AND expires_at > now() AND client_id IS DISTINCT FROM $4 \
           AND tstzrange(starts_at, blocked_until, '[)') && tstzrange($2, $3, '[)')",
        professional,
        from - margin,
        to + margin,
        client,
        except,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.starts_at, r.blocked_until))
    .collect();
    Ok(rows
        .into_iter()
        .map(|(start, end)| Busy { start, end })
        .collect())
}
