//! A professional invites a client by email; following the link signs the
//! client up (or asks them to log in) and connects the two. Links are
//! single-use, live 14 days and can be revoked.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::mail;
use crate::i18n::{self, Msg};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::form::{normalize_email, FieldErrors};
use crate::web::page::Page;
use crate::web::site::base_of;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::tokens;

/// An open invitation, as its link shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Invitation {
    /// Its id.
    pub id: Uuid,
    /// The address it was sent to.
    pub email: String,
    /// The invitee's name, if given.
    pub name: Option<String>,
    /// The professional's message.
    pub message: Option<String>,
    /// Who invites.
    pub professional_name: String,
    /// Their title.
    pub professional_title: String,
}

/// The open (not used, revoked or expired) invitation with `token`.
pub async fn find_open(pool: &PgPool, token: &str) -> sqlx::Result<Option<Invitation>> {
    sqlx::query_as!(
        Invitation,
        "SELECT i.id, i.email, i.name, i.message, u.name AS professional_name, \
                coalesce(p.title, '') AS \"professional_title!\" \
         FROM invitations i JOIN users u ON u.id = i.professional_id \
         LEFT JOIN professionals p ON p.user_id = i.professional_id \
         WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()",
        tokens::hash_token(token),
    )
    .fetch_optional(pool)
    .await
}

/// Accepts invitation `id` for `user_id` (whose verified email is `email`) and
/// connects them to the professional. False when it is no longer open or was
/// sent to another address.
pub async fn accept(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: Uuid,
    email: &str,
) -> sqlx::Result<bool> {
    let professional: Option<Uuid> = sqlx::query_scalar!(
        "UPDATE invitations SET accepted_at = now(), accepted_by = $2 \
         WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() \
           AND lower(email) = lower($3) AND professional_id <> $2 \
         RETURNING professional_id",
        id,
        user_id,
        email,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(professional) = professional else {
        return Ok(false);
    };
    connect(conn, professional, user_id).await?;
    Ok(true)
}

/// Makes `client` a private client of `professional` (as an accepted
/// invitation does), if they are not one already.
pub async fn connect(
    conn: &mut PgConnection,
    professional: Uuid,
    client: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO connections (professional_id, client_id, source) VALUES ($1, $2, 'invitation') ON CONFLICT DO NOTHING",
        professional,
        client,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct SentInvitation {
    id: Uuid,
    email: String,
    name: Option<String>,
    sent_on: String,
    status: String,
}

/// The invitation form.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct InviteForm {
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    message: String,
}

/// GET /pro/invitations
pub async fn list_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    on_the_hubs_roster(&state, &site, viewer.signed_in()?.id).await?;
    render_list(
        &state,
        &site,
        &viewer,
        &InviteForm::default(),
        &FieldErrors::new(),
        None,
    )
    .await
}

async fn render_list(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    form: &InviteForm,
    errors: &FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let user = viewer.signed_in()?;
    let sent: Vec<SentInvitation> = sqlx::query_as!(
        SentInvitation,
        "SELECT id, email, name, to_char(created_at, 'YYYY-MM-DD') AS \"sent_on!\", \
           CASE WHEN accepted_at IS NOT NULL THEN 'accepted' WHEN revoked_at IS NOT NULL THEN 'revoked' \
                WHEN expires_at <= now() THEN 'expired' ELSE 'pending' END AS \"status!\" \
         FROM invitations WHERE professional_id = $1 ORDER BY created_at DESC LIMIT 200",
        user.id,
    )
    .fetch_all(&state.pool)
    .await?;
    let page = Page::new(state, site, viewer).await?;
    Ok(page
        .with("invitations", &sent)
        .with("form", form)
        .with("errors", errors)
        .with("notice", &notice)
        .render(state, "pro_invitations.html")?
        .into_response())
}

/// Invitations sent from a hub's address carry the hub's name and theme:
/// only a professional on that hub's roster may send them (else 404, as if
/// the page were not there). From the platform's own address anyone may.
async fn on_the_hubs_roster(
    state: &AppState,
    site: &Site,
    professional: Uuid,
) -> Result<(), AppError> {
    let Site::Hub { tenant, .. } = site else {
        return Ok(());
    };
    let mut tx = hearth_tenants::TenantTx::begin(&state.pool, tenant).await?;
    let listed: bool = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM roster WHERE professional_id = $1) AS \"listed!\"",
        professional,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    if listed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// POST /pro/invitations
pub async fn create(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    on_the_hubs_roster(&state, &site, user.id).await?;
    let lang = viewer.language;
    let mut errors = FieldErrors::new();
    let email = normalize_email(&form.email)
        .map_err(|e| errors.insert("email", e.text(lang)))
        .unwrap_or_default();
    let name = form.name.trim();
    if name.chars().count() > 200 {
        errors.insert("name", i18n::t(lang, "auth-invite-error-name", None));
    }
    let message = form.message.trim();
    if message.chars().count() > 2000 {
        errors.insert("message", i18n::t(lang, "auth-invite-error-message", None));
    }
    if email.eq_ignore_ascii_case(&user.email) {
        errors.insert(
            "email",
            i18n::t(lang, "auth-invite-error-own-address", None),
        );
    }
    if !errors.is_empty() {
        return render_list(&state, &site, &viewer, &form, &errors, None).await;
    }
    let token = tokens::new_token();
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "INSERT INTO invitations (id, professional_id, email, name, message, token_hash, expires_at) \
         VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), $6, now() + interval '14 days')",
        Uuid::new_v4(),
        user.id,
        &email,
        name,
        message,
        tokens::hash_token(&token),
    )
    .execute(&mut *tx)
    .await?;
    let mut context = tera::Context::new();
    context.insert("professional_name", &user.name);
    context.insert("message", &message);
    context.insert(
        "invitation_url",
        &format!("{}/invitations/{token}", mail::site_url(&state, &site)),
    );
    let to_name = if name.is_empty() {
        email.as_str()
    } else {
        name
    };
    // An invitee who already has an account is also told in the app (where
    // Connections lets them accept), and may have switched these emails off.
    let invitee: Option<(Uuid, String)> = sqlx::query!(
        "SELECT id, language FROM users WHERE lower(email) = lower($1)",
        &email,
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| (r.id, r.language));
    let mut email_wanted = true;
    if let Some((invitee, language)) = invitee {
        use crate::notifications::{self, Kind};
        // Written once, in the invitee's language, as booking notices are.
        let title = Msg::new("auth-invite-notification")
            .arg("name", user.name.clone())
            .text(&language);
        notifications::add(
            &mut tx,
            invitee,
            Kind::Invitation,
            None,
            &title,
            "/connections",
        )
        .await?;
        email_wanted = notifications::email_wanted(&mut tx, invitee, Kind::Invitation).await?;
    }
    // The invitee may have no account yet: the professional's language it is.
    if email_wanted {
        mail::send(
            &state,
            &mut tx,
            &site,
            "invitation",
            (&email, to_name),
            &user.language,
            context,
        )
        .await?;
    }
    tx.commit().await?;
    render_list(
        &state,
        &site,
        &viewer,
        &InviteForm::default(),
        &FieldErrors::new(),
        Some(
            Msg::new("auth-invite-sent")
                .arg("email", email.clone())
                .text(lang),
        ),
    )
    .await
}

/// POST /pro/invitations/{id}/revoke
pub async fn revoke(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer: _ }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let done = sqlx::query!(
        "UPDATE invitations SET revoked_at = now() WHERE id = $1 AND professional_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        id,
        user.id,
    )
    .execute(&state.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("{}/pro/invitations", base_of(&site))).into_response())
}

/// GET /invitations/{token}: what the invitation is, and the next step.
pub async fn show(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let invitation = find_open(&state.pool, &token).await?;
    let has_account = match &invitation {
        Some(i) => {
            sqlx::query_scalar!(
                "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1)) AS \"exists!\"",
                &i.email,
            )
            .fetch_one(&state.pool)
            .await?
        }
        None => false,
    };
    let for_viewer = match (&invitation, &viewer.user) {
        (Some(i), Some(u)) => i.email.eq_ignore_ascii_case(&u.email),
        _ => false,
    };
    let next: String = form_urlencoded::byte_serialize(
        format!("{}/invitations/{token}", base_of(&site)).as_bytes(),
    )
    .collect();
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with("invitation", &invitation)
        .with(
            "login_url",
            &format!("{}/login?next={next}", base_of(&site)),
        )
        .with("token", &token)
        .with("has_account", &has_account)
        .with("for_viewer", &for_viewer)
        .render(&state, "invitation.html")?
        .into_response())
}

/// POST /invitations/{token}/accept: a logged-in, verified user connects.
pub async fn accept_post(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer: _ }: SignedIn,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some(invitation) = find_open(&state.pool, &token).await? else {
        return Ok(
            Redirect::to(&format!("{}/invitations/{token}", base_of(&site))).into_response(),
        );
    };
    let mut tx = state.pool.begin().await?;
    let accepted = accept(&mut tx, invitation.id, user.id, &user.email).await?;
    tx.commit().await?;
    if !accepted {
        return Err(AppError::Forbidden);
    }
    Ok(Redirect::to(&format!("{}/dashboard", base_of(&site))).into_response())
}
