//! Deleting an account, with the password entered again.
//!
//! One transaction per store: first each hub (in its own transaction) is told
//! that a member left, with nothing about who, and forgets the person's email
//! and name; then, in `public`, everything else goes with the `users` row
//! (sessions, connections, hub memberships with their credits and bookings
//! cascade). Appointments stay with their professional, without a client
//! (`client_id` becomes NULL), as the law requires for the professional's
//! records.
//!
//! Refused while the person has upcoming sessions (cancelling them is the
//! booking flow's work, with its refunds and emails), and for a professional
//! whose practice has session records that others rely on.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use axum_extra::extract::CookieJar;
use hearth_tenants::{Tenant, TenantTx};
use serde::Deserialize;
use uuid::Uuid;

use super::{data, email, me};
use crate::accounts::password;
use crate::i18n::Msg;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::form::FieldErrors;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::{session, throttle};

/// What others' records say instead of a deleted person's name or email.
pub const FORMER_CLIENT: &str = "(deleted account)";

/// Why an account cannot be deleted yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Confirmed sessions that have not ended.
    UpcomingSessions,
    /// A professional with sessions on record.
    PracticeRecords,
}

impl Refusal {
    /// What the person is told.
    pub fn message(self) -> Msg {
        Msg::new(match self {
            Self::UpcomingSessions => "data-error-delete-upcoming",
            Self::PracticeRecords => "data-error-delete-practice",
        })
    }
}

/// Whether `user_id` may be deleted now; their email and name if so.
async fn check(
    conn: &mut sqlx::PgConnection,
    user_id: Uuid,
    lock: bool,
) -> Result<Result<(String, String), Refusal>, AppError> {
    let row: Option<(String, String, bool, bool)> = if lock {
        sqlx::query!(
            "SELECT u.email, u.name, \
               EXISTS (SELECT 1 FROM appointments a WHERE a.client_id = u.id \
                       AND a.status = 'confirmed' AND a.ends_at > now()) AS \"upcoming!\", \
               EXISTS (SELECT 1 FROM appointments a WHERE a.professional_id = u.id) AS \"practice!\" \
             FROM users u WHERE u.id = $1 FOR UPDATE",
            user_id,
        )
        .fetch_optional(conn)
        .await?
        .map(|r| (r.email, r.name, r.upcoming, r.practice))
    } else {
        sqlx::query!(
            "SELECT u.email, u.name, \
               EXISTS (SELECT 1 FROM appointments a WHERE a.client_id = u.id \
                       AND a.status = 'confirmed' AND a.ends_at > now()) AS \"upcoming!\", \
               EXISTS (SELECT 1 FROM appointments a WHERE a.professional_id = u.id) AS \"practice!\" \
             FROM users u WHERE u.id = $1",
            user_id,
        )
        .fetch_optional(conn)
        .await?
        .map(|r| (r.email, r.name, r.upcoming, r.practice))
    };
    let (email, name, upcoming, practice) = row.ok_or(AppError::NotFound)?;
    Ok(if upcoming {
        Err(Refusal::UpcomingSessions)
    } else if practice {
        Err(Refusal::PracticeRecords)
    } else {
        Ok((email, name))
    })
}

/// The hub's side: a member who leaves is recorded as `member.left` with no
/// detail; the hub's lists and audit log forget the person's email and name.
async fn forget_in_hub(
    state: &AppState,
    hub: &Tenant,
    member: bool,
    user_id: Uuid,
    email: &str,
    name: &str,
) -> Result<(), AppError> {
    let mut tx = TenantTx::begin(&state.pool, hub).await?;
    if member {
        let left: Option<i32> = sqlx::query_scalar!(
            "UPDATE members SET status = 'left' WHERE user_id = $1 AND status = 'active' RETURNING 1 AS \"left!\"",
            user_id,
        )
        .fetch_optional(&mut *tx)
        .await?;
        if left.is_some() {
            hearth_tenants::directory::mirror(&mut tx, &[user_id]).await?;
            sqlx::query!(
                "INSERT INTO audit_log (actor_id, action, detail) VALUES (NULL, 'member.left', '{}')",
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    sqlx::query!(
        "DELETE FROM eligible_employees WHERE email = lower($1)",
        email,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE audit_log SET actor_id = NULL WHERE actor_id = $1",
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE invite_codes SET created_by = NULL WHERE created_by = $1",
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    // Details name people as whole JSON strings (a roster entry's name, for
    // one): those strings are replaced, the rest of the entry stays.
    sqlx::query!(
        "UPDATE audit_log SET detail = replace(replace(replace(detail::text, \
           to_jsonb($1::text)::text, '\"(deleted)\"'), \
           to_jsonb($2::text)::text, '\"(deleted)\"'), \
           to_jsonb(lower($2::text))::text, '\"(deleted)\"')::jsonb \
         WHERE strpos(detail::text, to_jsonb($1::text)::text) > 0 \
            OR strpos(detail::text, to_jsonb($2::text)::text) > 0 \
            OR strpos(detail::text, to_jsonb(lower($2::text))::text) > 0",
        name,
        email,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes `user_id` and everything personal held about them, or says why not.
pub async fn erase(state: &AppState, user_id: Uuid) -> Result<Result<(), Refusal>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let (email, name) = match check(&mut conn, user_id, false).await? {
        Ok(found) => found,
        Err(refusal) => return Ok(Err(refusal)),
    };
    // Every hub: the person may be a member, on a hub's list of employees, or
    // named in its audit log (as a professional on its roster, say).
    let hubs: Vec<Tenant> = hearth_tenants::registry::list_with_schema(&mut conn).await?;
    let member_of: Vec<i64> = sqlx::query_scalar!(
        "SELECT tenant_id FROM member_directory WHERE user_id = $1",
        user_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    for hub in &hubs {
        let member = member_of.contains(&hub.id.0);
        forget_in_hub(state, hub, member, user_id, &email, &name).await?;
    }

    let mut tx = state.pool.begin().await?;
    let (email, name) = match check(&mut tx, user_id, true).await? {
        Ok(found) => found,
        Err(refusal) => return Ok(Err(refusal)),
    };
    sqlx::query!(
        "DELETE FROM invitations WHERE accepted_by = $1 OR lower(email) = lower($2)",
        user_id,
        &email,
    )
    .execute(&mut *tx)
    .await?;
    // Mail sent to the person, found by their own addresses (the account's
    // and any it was changing to). Never by searching other people's mail for
    // a name: a name is not an identity ("a" would match every email), and
    // what someone else was told is that person's record.
    sqlx::query!(
        "DELETE FROM email_outbox \
         WHERE lower(to_address) = lower($1) \
            OR lower(to_address) IN (SELECT lower(new_email) FROM email_changes WHERE user_id = $2)",
        &email,
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM auth_throttle WHERE key = ANY($1) OR starts_with(key, $2)",
        &[
            throttle::reauth_key(user_id),
            format!("code:{user_id}"),
            email::code_key(user_id),
            format!("email-change-send:{user_id}"),
            format!("upload:{user_id}"),
        ][..],
        // Login attempts on the account name the email: personal data too.
        format!("login:{}|", email.to_lowercase()),
    )
    .execute(&mut *tx)
    .await?;
    // The professional's notifications about the person's sessions keep the
    // session, not who the client was. (Their own notifications cascade.)
    let notifications: bool = sqlx::query_scalar!(
        "SELECT to_regclass('public.notifications') IS NOT NULL AS \"present!\""
    )
    .fetch_one(&mut *tx)
    .await?;
    if notifications {
        sqlx::query!(
            "UPDATE public.notifications n SET title = replace(title, $2, $3) \
             WHERE n.user_id <> $1 AND strpos(n.title, $2) > 0 \
               AND n.appointment_id IN (SELECT a.id FROM appointments a WHERE a.client_id = $1)",
            user_id,
            &name,
            FORMER_CLIENT,
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE public.notifications n SET title = replace(title, $2, $3) \
             WHERE n.user_id <> $1 AND strpos(n.title, $2) > 0",
            user_id,
            &email,
            FORMER_CLIENT,
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!("DELETE FROM users WHERE id = $1", user_id)
        .execute(&mut *tx)
        .await?;
    // A professional's profile goes with the account, and off hub pages.
    hearth_tenants::changes::announce(&mut tx, hearth_tenants::changes::Change::AllHubPages)
        .await?;
    tx.commit().await?;
    tracing::info!("account deleted");
    Ok(Ok(()))
}

/// The delete form.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
}

/// POST /account/delete: with the password, deletes the account and ends
/// the session; the page that follows says so.
pub async fn delete(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    let lang = viewer.language;
    let key = throttle::reauth_key(user.id);
    let mut errors = FieldErrors::new();
    let mut conn = state.pool.acquire().await?;
    if let Some(wait) = throttle::wait_for(&mut conn, &key).await? {
        drop(conn);
        errors.insert("password", email::wait_message(wait).text(lang));
    } else {
        let stored: Option<String> =
            sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", user.id)
                .fetch_one(&mut *conn)
                .await?;
        // Not holding a connection while argon2 works.
        drop(conn);
        if !password::verify(form.password, stored).await? {
            let mut conn = state.pool.acquire().await?;
            throttle::fail(&mut conn, &key, throttle::ACCOUNT).await?;
            errors.insert("password", Msg::new("profile-error-password").text(lang));
        }
    }
    if !errors.is_empty() {
        return data::show(
            &state,
            &site,
            &viewer,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if let Err(refusal) = erase(&state, user.id).await? {
        errors.insert("delete", refusal.message().text(lang));
        return data::show(&state, &site, &viewer, &errors, StatusCode::CONFLICT).await;
    }
    let gone = Viewer {
        user: None,
        roles: vec!["anonymous"],
        csrf: viewer.csrf.clone(),
        session_token: None,
        language: viewer.language,
    };
    let page = Page::new(&state, &site, &gone)
        .await?
        .render(&state, "account_data_deleted.html")?;
    Ok((jar.add(session::removal()), page).into_response())
}
