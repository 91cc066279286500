//! The appointment a room belongs to, who may enter it and when, and
//! attendance.

use chrono::{DateTime, Duration, Utc};
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use crate::booking::manage::{JOIN_EARLY_MINUTES, JOIN_LATE_MINUTES};
use crate::video_relay::Role;

/// What the room needs of its appointment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Meeting {
    /// The appointment.
    pub id: Uuid,
    /// Its professional.
    pub professional_id: Uuid,
    /// Its client (None once their account is deleted).
    pub client_id: Option<Uuid>,
    /// The service's name when booked.
    pub service_name: String,
    /// The hub that pays (None: a private client of the professional).
    pub tenant_id: Option<i64>,
    /// video, phone, in_person.
    pub mode: String,
    /// individual, couples, family, group.
    pub session_type: String,
    /// confirmed or cancelled.
    pub status: String,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// The professional's name.
    pub professional_name: String,
    /// The client's name.
    pub client_name: Option<String>,
}

/// Whether the room is open, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// Open now.
    Open,
    /// Opens at this instant.
    Early(DateTime<Utc>),
    /// Over.
    Ended,
    /// The appointment was cancelled.
    Cancelled,
    /// Not a video session.
    NotVideo,
}

impl Meeting {
    /// The viewer's role, or None when `user` is neither party.
    pub fn role_of(&self, user: Uuid) -> Option<Role> {
        if self.client_id == Some(user) {
            Some(Role::Client)
        } else if self.professional_id == user {
            Some(Role::Professional)
        } else {
            None
        }
    }

    /// When the room opens.
    pub fn opens(&self) -> DateTime<Utc> {
        self.starts_at - Duration::minutes(JOIN_EARLY_MINUTES)
    }

    /// When the room closes.
    pub fn closes(&self) -> DateTime<Utc> {
        self.ends_at + Duration::minutes(JOIN_LATE_MINUTES)
    }

    /// The door at `now`.
    pub fn door(&self, now: DateTime<Utc>) -> Door {
        if self.status != "confirmed" {
            Door::Cancelled
        } else if self.mode != "video" {
            Door::NotVideo
        } else if now < self.opens() {
            Door::Early(self.opens())
        } else if now >= self.closes() {
            Door::Ended
        } else {
            Door::Open
        }
    }

    /// The other party's name, as `role` sees it (a guest waits for the
    /// professional).
    pub fn other_name(&self, role: Role) -> String {
        match role {
            Role::Client | Role::Guest => self.professional_name.clone(),
            Role::Professional => self.client_name.clone().unwrap_or_default(),
        }
    }

    /// Whether the client may invite guests: couples and family sessions by
    /// video only.
    pub fn takes_guests(&self) -> bool {
        self.mode == "video" && matches!(self.session_type.as_str(), "couples" | "family")
    }

    /// Whether this appointment belongs to `site` (its hub's, or the
    /// platform's for a private client): a guest link works on that site only.
    pub fn on_site(&self, site: &crate::web::site::Site) -> bool {
        match site {
            crate::web::site::Site::Platform => self.tenant_id.is_none(),
            crate::web::site::Site::Hub { tenant, .. } => self.tenant_id == Some(tenant.id.0),
        }
    }
}

/// Appointment `id` and `user`'s role in it; not found when there is no such
/// appointment or `user` is neither party (the same answer, so a stranger
/// learns nothing).
pub async fn as_party(
    pool: &sqlx::PgPool,
    id: Uuid,
    user: Uuid,
) -> Result<(Meeting, Role), crate::web::error::AppError> {
    let mut conn = pool.acquire().await?;
    let meeting = meeting(&mut conn, id)
        .await?
        .ok_or(crate::web::error::AppError::NotFound)?;
    let role = meeting
        .role_of(user)
        .ok_or(crate::web::error::AppError::NotFound)?;
    Ok((meeting, role))
}

/// Appointment `id`.
pub async fn meeting(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Meeting>> {
    sqlx::query_as!(
        Meeting,
        "SELECT a.id, a.professional_id, a.client_id, a.service_name, a.tenant_id, a.mode, a.session_type, a.status, \
                a.starts_at, a.ends_at, p.name AS professional_name, c.name AS \"client_name?\" \
         FROM public.appointments a JOIN public.users p ON p.id = a.professional_id \
         LEFT JOIN public.users c ON c.id = a.client_id WHERE a.id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Records that `who` (a user, or a guest) entered appointment `id`'s room
/// as `role` on socket `peer`; returns the row to close when they leave.
/// A client's attendance of a hub session also updates the hub's report
/// roll-up (no longer a no-show), in the same transaction.
pub async fn joined(
    conn: &mut PgConnection,
    id: Uuid,
    who: Who,
    role: Role,
    peer: Uuid,
) -> sqlx::Result<i64> {
    let (user, guest) = match who {
        Who::User(u) => (Some(u), None),
        Who::Guest(g) => (None, Some(g)),
    };
    let mut tx = conn.begin().await?;
    // The hub first, then the row: Citus takes no subquery in an INSERT.
    let tenant: Option<i64> = sqlx::query_scalar!(
        "SELECT tenant_id FROM public.appointments WHERE id = $1",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .flatten();
    let row = sqlx::query!(
        "INSERT INTO public.video_attendance (appointment_id, user_id, guest_id, role, peer) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        id,
        user,
        guest,
        role.as_str(),
        peer
    )
    .fetch_one(&mut *tx)
    .await?;
    if let (Role::Client, Some(tenant)) = (role, tenant) {
        // The hub's schema, as a hub transaction has it (the name is made
        // from the id and quoted; it cannot be bound).
        let schema = hearth_tenants::SchemaName::for_tenant(hearth_tenants::TenantId(tenant));
        sqlx::query(&format!(
            "SET LOCAL search_path TO {}, public",
            schema.quoted()
        ))
        .execute(&mut *tx)
        .await?;
        crate::credits::rollup::sync_booking(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(row.id)
}

/// Who is in a room: a signed-in party, or a guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The client or the professional.
    User(Uuid),
    /// A guest (their `video_guests` id).
    Guest(Uuid),
}

impl Who {
    /// The id their TURN credentials are made for.
    pub fn id(self) -> Uuid {
        match self {
            Who::User(id) | Who::Guest(id) => id,
        }
    }
}

/// Records that the socket of attendance row `row` closed.
pub async fn left(conn: &mut PgConnection, row: i64) -> sqlx::Result<()> {
    sqlx::query!(
        // The time bound, not now(): Citus takes no STABLE function over a
        // column in an UPDATE (video_attendance is a reference table there).
        "UPDATE public.video_attendance SET left_at = greatest($2::timestamptz, joined_at) \
         WHERE id = $1 AND left_at IS NULL",
        row,
        chrono::Utc::now(),
    )
    .execute(conn)
    .await?;
    Ok(())
}
