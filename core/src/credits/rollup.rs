//! The HR report's roll-up (migration `20261207001100_report_rollup.sql`;
//! read by `reports`, kept here because the ledger and booking writes that
//! keep it sit below `reports`): what the HR report counts, by member and
//! month of the hub's timezone, kept in the transaction of each write it
//! follows.
//!
//! - [`sync_booking`] after a hub booking is confirmed, cancelled or moved,
//!   and after its client joins the video session: it compares the booking
//!   with what `report_bookings` says was counted for it, and moves the
//!   difference into `report_rollup`. Idempotent: a second call changes
//!   nothing.
//! - [`LedgerCounts`] with every credit ledger entry, written by
//!   [`crate::credits::post`] in the entry's own statement (the ledger is
//!   append-only).
//! - [`rebuild`] counts everything again from the hub's tables: when the
//!   hub's timezone is not the one the months were counted in (the report
//!   notices), and for data written around the application (benchmarks,
//!   tests).
//!
//! What changes with time alone is not rolled up: a confirmed video session
//! nobody attended stays in `report_bookings` unattended, and the report
//! counts it as a no-show when its end has passed by the time it is read.
//!
//! Concurrency: writers take the state row `FOR SHARE` and count in its
//! timezone; a rebuild takes it `FOR UPDATE`, so it waits for writers in
//! flight (and then sees their rows) and writers wait for it. A booking's
//! syncs are serialised by its `hub_bookings` row, locked before the booking
//! is read, so the last to run sees every committed change.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// Session types with a column of their own, and the column's position.
const TYPES: [&str; 4] = ["individual", "couples", "family", "group"];
/// Modes, and their columns' positions after the types.
const MODES: [&str; 3] = ["video", "phone", "in_person"];

/// A hub booking as counted.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counted {
    user_id: Uuid,
    month: NaiveDate,
    status: String,
    mode: String,
    session_type: String,
    ends_at: DateTime<Utc>,
    attended: bool,
}

impl Counted {
    /// Its counts: sessions, cancelled, the four types, the three modes.
    fn counts(&self) -> [i32; 9] {
        let mut c = [0; 9];
        let confirmed = self.status == "confirmed";
        c[0] = i32::from(confirmed);
        c[1] = i32::from(self.status == "cancelled");
        if confirmed {
            for (i, t) in TYPES.iter().enumerate() {
                c[2 + i] = i32::from(self.session_type == *t);
            }
            for (i, m) in MODES.iter().enumerate() {
                c[6 + i] = i32::from(self.mode == *m);
            }
        }
        c
    }
}

/// The timezone the roll-up counts months in, locked against a rebuild for
/// the rest of the transaction.
async fn zone_for_writing(conn: &mut PgConnection) -> sqlx::Result<String> {
    sqlx::query_scalar!("SELECT zone FROM report_rollup_state FOR SHARE")
        .fetch_one(conn)
        .await
}

/// Brings the roll-up up to date with hub booking `appointment_id` (its
/// appointment, its `hub_bookings` row, its client's video attendance), on
/// `conn`, the hub transaction that changed it.
pub async fn sync_booking(conn: &mut PgConnection, appointment_id: Uuid) -> sqlx::Result<()> {
    let zone = zone_for_writing(&mut *conn).await?;
    // Serialises the booking's syncs; read it only once this is held.
    sqlx::query_scalar!(
        "SELECT user_id FROM hub_bookings WHERE appointment_id = $1 FOR UPDATE",
        appointment_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let now = sqlx::query_as!(
        Counted,
        r#"SELECT hb.user_id, date_trunc('month', a.starts_at AT TIME ZONE $2)::date AS "month!",
                  a.status, a.mode, a.session_type, a.ends_at,
                  EXISTS (SELECT 1 FROM public.video_attendance v
                          WHERE v.appointment_id = a.id AND v.role = 'client') AS "attended!"
           FROM hub_bookings hb JOIN public.appointments a ON a.id = hb.appointment_id
           WHERE hb.appointment_id = $1"#,
        appointment_id,
        zone,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let before = sqlx::query_as!(
        Counted,
        "SELECT user_id, month, status, mode, session_type, ends_at, attended \
         FROM report_bookings WHERE appointment_id = $1",
        appointment_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if now == before {
        return Ok(());
    }
    // The difference, by member and month (one row, or two when it moved).
    let mut deltas: Vec<(Uuid, NaiveDate, [i32; 9])> = Vec::with_capacity(2);
    for (counted, sign) in [(&before, -1), (&now, 1)] {
        let Some(c) = counted else { continue };
        let counts = c.counts().map(|n| n * sign);
        match deltas
            .iter_mut()
            .find(|(u, m, _)| *u == c.user_id && *m == c.month)
        {
            Some((_, _, d)) => {
                for (x, n) in d.iter_mut().zip(counts) {
                    *x += n;
                }
            }
            None => deltas.push((c.user_id, c.month, counts)),
        }
    }
    for (user_id, month, d) in deltas {
        add(&mut *conn, user_id, month, d).await?;
    }
    match now {
        Some(c) => record(&mut *conn, appointment_id, &c).await?,
        None => {
            sqlx::query!(
                "DELETE FROM report_bookings WHERE appointment_id = $1",
                appointment_id,
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// A hub booking just confirmed, as [`booked`] counts it.
#[derive(Debug, Clone)]
pub struct NewBooking<'a> {
    /// The appointment.
    pub appointment_id: Uuid,
    /// The member.
    pub user_id: Uuid,
    /// When it starts (its month is counted in the roll-up's zone).
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// video, phone or in_person.
    pub mode: &'a str,
    /// individual, couples, family or group.
    pub session_type: &'a str,
}

/// Counts hub booking `b`, confirmed in this transaction (`conn`) and not
/// yet counted: what [`sync_booking`] would find, without reading the
/// booking back (three statements instead of six on the booking path).
pub async fn booked(conn: &mut PgConnection, b: &NewBooking<'_>) -> sqlx::Result<()> {
    let month: NaiveDate = sqlx::query_scalar!(
        r#"SELECT date_trunc('month', $1::timestamptz AT TIME ZONE zone)::date AS "month!"
           FROM report_rollup_state FOR SHARE"#,
        b.starts_at,
    )
    .fetch_one(&mut *conn)
    .await?;
    let counted = Counted {
        user_id: b.user_id,
        month,
        status: "confirmed".to_owned(),
        mode: b.mode.to_owned(),
        session_type: b.session_type.to_owned(),
        ends_at: b.ends_at,
        attended: false,
    };
    record(&mut *conn, b.appointment_id, &counted).await?;
    add(conn, b.user_id, month, counted.counts()).await
}

/// Writes what is counted for booking `appointment_id`.
async fn record(conn: &mut PgConnection, appointment_id: Uuid, c: &Counted) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO report_bookings (appointment_id, user_id, month, status, mode, session_type, ends_at, attended) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (appointment_id) DO UPDATE SET user_id = excluded.user_id, month = excluded.month, \
           status = excluded.status, mode = excluded.mode, session_type = excluded.session_type, \
           ends_at = excluded.ends_at, attended = excluded.attended",
        appointment_id,
        c.user_id,
        c.month,
        c.status,
        c.mode,
        c.session_type,
        c.ends_at,
        c.attended,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds counts `d` (sessions, cancelled, the four types, the three modes;
/// signed) to member `user_id`'s `month`.
async fn add(
    conn: &mut PgConnection,
    user_id: Uuid,
    month: NaiveDate,
    d: [i32; 9],
) -> sqlx::Result<()> {
    if d.iter().all(|n| *n == 0) {
        return Ok(());
    }
    sqlx::query!(
        "INSERT INTO report_rollup (user_id, month, sessions, cancelled, individual, couples, family, grp, \
                                    video, phone, in_person) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (user_id, month) DO UPDATE SET \
           sessions = report_rollup.sessions + excluded.sessions, \
           cancelled = report_rollup.cancelled + excluded.cancelled, \
           individual = report_rollup.individual + excluded.individual, \
           couples = report_rollup.couples + excluded.couples, \
           family = report_rollup.family + excluded.family, \
           grp = report_rollup.grp + excluded.grp, \
           video = report_rollup.video + excluded.video, \
           phone = report_rollup.phone + excluded.phone, \
           in_person = report_rollup.in_person + excluded.in_person",
        user_id,
        month,
        d[0],
        d[1],
        d[2],
        d[3],
        d[4],
        d[5],
        d[6],
        d[7],
        d[8],
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What one ledger entry adds to the roll-up: grants and top-ups are
/// credits granted; debits and refunds, credits used; other kinds are not in
/// the report (`None`). [`crate::credits::post`] writes it with the entry, in
/// the month of the entry's time in the roll-up's zone, holding the state row
/// `FOR SHARE` as every writer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerCounts {
    /// Credits granted.
    pub granted: i32,
    /// Grants and top-ups counted.
    pub grants: i32,
    /// Credits used (a refund counts negative).
    pub used: i32,
    /// Debits and refunds counted.
    pub uses: i32,
}

impl LedgerCounts {
    /// The counts of an entry of `kind` for `amount` credits (signed).
    pub fn of(kind: &str, amount: i32) -> Option<Self> {
        let (granted, grants, used, uses) = match kind {
            "grant" | "top_up" => (amount, 1, 0, 0),
            "debit" | "refund" => (0, 0, amount.saturating_neg(), 1),
            _ => return None,
        };
        Some(Self {
            granted,
            grants,
            used,
            uses,
        })
    }
}

/// The timezone the roll-up's months are in, on `conn` (a hub transaction).
pub async fn zone(conn: &mut PgConnection) -> sqlx::Result<String> {
    sqlx::query_scalar!("SELECT zone FROM report_rollup_state")
        .fetch_one(conn)
        .await
}

/// Makes sure the roll-up counts months in `zone` (the hub's timezone),
/// counting it again if not; returns whether it did. On `conn` (a hub
/// transaction, which then holds the state row until it ends).
pub async fn ensure_zone(conn: &mut PgConnection, zone: &str) -> sqlx::Result<bool> {
    if self::zone(&mut *conn).await? == zone {
        return Ok(false);
    }
    let counted_in: String = sqlx::query_scalar!("SELECT zone FROM report_rollup_state FOR UPDATE")
        .fetch_one(&mut *conn)
        .await?;
    if counted_in == zone {
        // Another request counted it meanwhile.
        return Ok(false);
    }
    rebuild(conn, zone).await?;
    Ok(true)
}

/// Counts the roll-up again from the hub's bookings, appointments, video
/// attendance and ledger, in months of `zone`, on `conn` (a hub
/// transaction; the work of the migration's back-fill). Waits for writers
/// in flight, and they for it.
pub async fn rebuild(conn: &mut PgConnection, zone: &str) -> sqlx::Result<()> {
    sqlx::query_scalar!("SELECT zone FROM report_rollup_state FOR UPDATE")
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM report_rollup")
        .execute(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM report_bookings")
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO report_bookings (appointment_id, user_id, month, status, mode, session_type, ends_at, attended) \
         SELECT hb.appointment_id, hb.user_id, date_trunc('month', a.starts_at AT TIME ZONE $1)::date, \
                a.status, a.mode, a.session_type, a.ends_at, \
                EXISTS (SELECT 1 FROM public.video_attendance v \
                        WHERE v.appointment_id = a.id AND v.role = 'client') \
         FROM hub_bookings hb JOIN public.appointments a ON a.id = hb.appointment_id",
        zone,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO report_rollup (user_id, month, sessions, cancelled, individual, couples, family, grp, \
                                    video, phone, in_person, granted, grants, used, uses) \
         SELECT user_id, month, sum(s), sum(c), sum(ti), sum(tc), sum(tf), sum(tg), sum(mv), sum(mp), sum(mi), \
                sum(g), sum(gk), sum(u), sum(uk) \
         FROM ( \
           SELECT user_id, month, \
                  (status = 'confirmed')::int AS s, (status = 'cancelled')::int AS c, \
                  (status = 'confirmed' AND session_type = 'individual')::int AS ti, \
                  (status = 'confirmed' AND session_type = 'couples')::int AS tc, \
                  (status = 'confirmed' AND session_type = 'family')::int AS tf, \
                  (status = 'confirmed' AND session_type = 'group')::int AS tg, \
                  (status = 'confirmed' AND mode = 'video')::int AS mv, \
                  (status = 'confirmed' AND mode = 'phone')::int AS mp, \
                  (status = 'confirmed' AND mode = 'in_person')::int AS mi, \
                  0 AS g, 0 AS gk, 0 AS u, 0 AS uk \
           FROM report_bookings \
           UNION ALL \
           SELECT user_id, date_trunc('month', at AT TIME ZONE $1)::date, \
                  0, 0, 0, 0, 0, 0, 0, 0, 0, \
                  CASE WHEN kind IN ('grant', 'top_up') THEN amount ELSE 0 END, \
                  (kind IN ('grant', 'top_up'))::int, \
                  CASE WHEN kind IN ('debit', 'refund') THEN -amount ELSE 0 END, \
                  (kind IN ('debit', 'refund'))::int \
           FROM credit_ledger WHERE kind IN ('grant', 'top_up', 'debit', 'refund') \
         ) x \
         GROUP BY user_id, month",
        zone,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("UPDATE report_rollup_state SET zone = $1", zone)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn booking(status: &str, mode: &str, session_type: &str) -> Counted {
        Counted {
            user_id: Uuid::nil(),
            month: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            status: status.into(),
            mode: mode.into(),
            session_type: session_type.into(),
            ends_at: Utc::now(),
            attended: false,
        }
    }

    #[test]
    fn a_confirmed_session_counts_once_with_its_type_and_mode() {
        assert_eq!(
            booking("confirmed", "video", "couples").counts(),
            [1, 0, 0, 1, 0, 0, 1, 0, 0]
        );
        assert_eq!(
            booking("confirmed", "in_person", "group").counts(),
            [1, 0, 0, 0, 0, 1, 0, 0, 1]
        );
    }

    #[test]
    fn a_cancelled_session_counts_only_as_cancelled() {
        assert_eq!(
            booking("cancelled", "phone", "individual").counts(),
            [0, 1, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn an_unknown_session_type_counts_as_a_session_of_no_listed_type() {
        assert_eq!(
            booking("confirmed", "phone", "workshop").counts(),
            [1, 0, 0, 0, 0, 0, 0, 1, 0]
        );
    }
}
