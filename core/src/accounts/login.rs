//! Logging in and out, "Forgot your password?", and changing a password.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use uuid::Uuid;

use super::{mail, password};
use crate::i18n::{self, Msg};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::{ClientIp, SignedIn};
use crate::web::form::{ip_key, safe_next, FieldErrors};
use crate::web::page::Page;
use crate::web::site::base_of;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::{devices, session, throttle, tokens};

/// The same words for "no such user" and "wrong password" (a message id).
const WRONG: &str = "login-error-wrong";

/// `?next=` after logging in.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// GET /login
pub async fn login_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    render_login(&state, &site, &viewer, "", query.next.as_deref(), None).await
}

async fn render_login(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    email: &str,
    next: Option<&str>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let page = Page::new(state, site, viewer).await?;
    Ok(page
        .with("email", &email)
        .with("next", &next)
        .with("error", &error)
        .render(state, "login.html")?
        .into_response())
}

/// POST /login
pub async fn login(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let email = form.email.trim().to_lowercase();
    // Per account and source: a lock stops this source only, never the
    // account's owner elsewhere, nor on a device they logged in from before.
    // Each attempt is counted before the password is checked, atomically, so
    // parallel attempts cannot pass the limit together.
    let pair_key = throttle::login_key(&email, ip);
    let ip_key = ip_key(ip);
    let mut conn = state.pool.acquire().await?;
    // A browser where the owner logged in before is throttled on its own key:
    // a lock others caused from this address does not stop it.
    let device_token = jar.get(devices::COOKIE).map(|c| c.value().to_owned());
    let device_key = match &device_token {
        Some(token) => devices::recognise(&mut conn, token, &email).await?,
        None => None,
    };
    let waits = match &device_key {
        Some(device_key) => [
            None,
            throttle::take(&mut conn, device_key, throttle::ACCOUNT).await?,
        ],
        None => [
            throttle::wait_for(&mut conn, &ip_key).await?,
            throttle::take(&mut conn, &pair_key, throttle::ACCOUNT).await?,
        ],
    };
    if let Some(wait) = waits.into_iter().flatten().next() {
        let message = Msg::new("login-error-wait")
            .arg("seconds", wait.as_secs())
            .text(viewer.language);
        return render_login(
            &state,
            &site,
            &viewer,
            &email,
            form.next.as_deref(),
            Some(message),
        )
        .await;
    }
    let found: Option<(Uuid, Option<String>)> = sqlx::query!(
        "SELECT id, password_hash FROM users WHERE lower(email) = $1",
        &email,
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.id, r.password_hash));
    let (user_id, stored) = match found {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    // No connection is held while argon2 works, nor while asking for another:
    // a request holding one and waiting for a second deadlocks a busy pool.
    drop(conn);
    let ok = password::verify(form.password, stored).await?;
    let Some(user_id) = user_id.filter(|_| ok) else {
        let mut conn = state.pool.acquire().await?;
        throttle::fail(&mut conn, &ip_key, throttle::IP).await?;
        tracing::info!("login refused");
        return render_login(
            &state,
            &site,
            &viewer,
            &email,
            form.next.as_deref(),
            Some(i18n::t(viewer.language, WRONG, None)),
        )
        .await;
    };
    let mut tx = state.pool.begin().await?;
    throttle::clear(&mut tx, device_key.as_ref().unwrap_or(&pair_key)).await?;
    // A new session id on every login: a planted cookie never becomes a login.
    if let Some(old) = &viewer.session_token {
        session::end(&mut tx, old).await?;
    }
    let secure = state.config.is_https();
    let cookie = session::start(&mut tx, user_id, secure).await?;
    let device = devices::remember(&mut tx, user_id, device_token.as_deref(), secure).await?;
    // Where the person's work is, unless they were on their way somewhere.
    let home = super::home_of(&mut tx, user_id, &site).await?;
    tx.commit().await?;
    let next = match form.next.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(next) => safe_next(Some(next), base_of(&site)),
        None => home,
    };
    Ok((jar.add(cookie).add(device), Redirect::to(&next)).into_response())
}

/// POST /logout
pub async fn logout(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    jar: CookieJar,
) -> Result<Response, AppError> {
    if let Some(token) = &viewer.session_token {
        let mut conn = state.pool.acquire().await?;
        session::end(&mut conn, token).await?;
    }
    Ok((
        jar.add(session::removal()),
        Redirect::to(&format!("{}/", base_of(&site))),
    )
        .into_response())
}

/// The forgot-password form.
#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// GET /forgot
pub async fn forgot_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with("sent", &false)
        .render(&state, "forgot.html")?
        .into_response())
}

/// POST /forgot: the same answer whether or not the account exists.
pub async fn forgot(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Form(form): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let email = form.email.trim().to_lowercase();
    let mut tx = state.pool.begin().await?;
    // The account's row is locked until this request commits, so requests
    // made in parallel are decided one after another: the first sends a
    // link, the others find it.
    let user: Option<(Uuid, String, String, String)> = sqlx::query!(
        "SELECT id, email, name, language FROM users WHERE lower(email) = $1 FOR NO KEY UPDATE",
        &email,
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| (r.id, r.email, r.name, r.language));
    if let Some((user_id, address, name, language)) = user {
        // At most one link a minute per account.
        let recent: bool = sqlx::query_scalar!(
            "SELECT EXISTS (SELECT 1 FROM password_resets WHERE user_id = $1 AND created_at > now() - interval '1 minute') AS \"recent!\"",
            user_id,
        )
        .fetch_one(&mut *tx)
        .await?;
        if !recent {
            let token = tokens::new_token();
            sqlx::query!(
                "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')",
                tokens::hash_token(&token),
                user_id,
            )
            .execute(&mut *tx)
            .await?;
            let mut context = tera::Context::new();
            context.insert(
                "reset_url",
                &format!("{}/reset/{token}", mail::site_url(&state, &site)),
            );
            mail::send(
                &state,
                &mut tx,
                &site,
                "password_reset",
                (&address, &name),
                &language,
                context,
            )
            .await?;
        }
    }
    tx.commit().await?;
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with("sent", &true)
        .render(&state, "forgot.html")?
        .into_response())
}

/// The new-password form.
#[derive(Debug, Deserialize)]
pub struct ResetForm {
    password: String,
}

async fn reset_user(
    state: &AppState,
    token: &str,
) -> Result<Option<(Uuid, String, String)>, AppError> {
    Ok(sqlx::query!(
        "SELECT u.id, u.email, u.name FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now()",
        tokens::hash_token(token),
    )
    .fetch_optional(&state.pool)
    .await?
    .map(|r| (r.id, r.email, r.name)))
}

/// GET /reset/{token}
pub async fn reset_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let valid = reset_user(&state, &token).await?.is_some();
    render_reset(&state, &site, &viewer, valid, &token, &FieldErrors::new()).await
}

async fn render_reset(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    valid: bool,
    token: &str,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let page = Page::new(state, site, viewer).await?;
    Ok(page
        .with("valid", &valid)
        .with("token", &token)
        .with("errors", errors)
        .render(state, "reset.html")?
        .into_response())
}

/// POST /reset/{token}: single use; ends every session of the user.
pub async fn reset(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    let Some((_, email, name)) = reset_user(&state, &token).await? else {
        return render_reset(&state, &site, &viewer, false, &token, &FieldErrors::new()).await;
    };
    if let Err(reason) = password::check_strength(&form.password, &[&email, &name]) {
        let mut errors = FieldErrors::new();
        errors.insert("password", reason.text(viewer.language));
        return render_reset(&state, &site, &viewer, true, &token, &errors).await;
    }
    let hash = password::hash(form.password).await?;
    let mut tx = state.pool.begin().await?;
    // The token is spent here, atomically: a second use finds no row.
    let used: Option<(Uuid, String)> = sqlx::query!(
        "UPDATE password_resets r SET used_at = now() FROM users u \
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now() AND u.id = r.user_id \
         RETURNING r.user_id, u.language",
        tokens::hash_token(&token),
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| (r.user_id, r.language));
    let Some((user_id, language)) = used else {
        return Ok(Redirect::to(&format!("{}/reset/{token}", base_of(&site))).into_response());
    };
    sqlx::query!(
        "UPDATE users SET password_hash = $2 WHERE id = $1",
        user_id,
        &hash,
    )
    .execute(&mut *tx)
    .await?;
    session::end_others(&mut tx, user_id, None).await?;
    sqlx::query!(
        "UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL",
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    mail::send(
        &state,
        &mut tx,
        &site,
        "password_changed",
        (&email, &name),
        &language,
        tera::Context::new(),
    )
    .await?;
    let cookie = session::start(&mut tx, user_id, state.config.is_https()).await?;
    tx.commit().await?;
    Ok((
        jar.add(cookie),
        Redirect::to(&format!("{}/dashboard", base_of(&site))),
    )
        .into_response())
}

/// The change-password form.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    current: String,
    password: String,
}

/// GET /account/password
pub async fn change_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with("errors", &FieldErrors::new())
        .with("done", &false)
        .render(&state, "change_password.html")?
        .into_response())
}

/// POST /account/password: asks the current password; ends the other sessions.
pub async fn change(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    let key = throttle::reauth_key(user.id);
    let mut conn = state.pool.acquire().await?;
    let mut errors = FieldErrors::new();
    let wait = throttle::wait_for(&mut conn, &key).await?;
    if let Some(wait) = wait {
        drop(conn);
        errors.insert(
            "current",
            Msg::new("change-password-error-wait")
                .arg("seconds", wait.as_secs())
                .text(viewer.language),
        );
    } else {
        let stored: Option<String> =
            sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", user.id)
                .fetch_one(&mut *conn)
                .await?;
        // Not holding a connection while argon2 works.
        drop(conn);
        if !password::verify(form.current, stored).await? {
            let mut conn = state.pool.acquire().await?;
            throttle::fail(&mut conn, &key, throttle::ACCOUNT).await?;
            errors.insert(
                "current",
                i18n::t(viewer.language, "change-password-error-current", None),
            );
        } else if let Err(reason) =
            password::check_strength(&form.password, &[&user.email, &user.name])
        {
            errors.insert("password", reason.text(viewer.language));
        }
    }
    if errors.is_empty() {
        let hash = password::hash(form.password).await?;
        let mut tx = state.pool.begin().await?;
        sqlx::query!(
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            user.id,
            &hash,
        )
        .execute(&mut *tx)
        .await?;
        session::end_others(&mut tx, user.id, viewer.session_token.as_deref()).await?;
        mail::send(
            &state,
            &mut tx,
            &site,
            "password_changed",
            (&user.email, &user.name),
            &user.language,
            tera::Context::new(),
        )
        .await?;
        tx.commit().await?;
    }
    let done = errors.is_empty();
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with("errors", &errors)
        .with("done", &done)
        .render(&state, "change_password.html")?
        .into_response())
}
