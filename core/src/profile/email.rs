//! Changing the email address: the current password and the new address
//! first, then a 6-digit code sent to the new address (10 minutes, 5 tries).
//! Until the code comes back the old address stays in use; once it does, the
//! old address is told and every other session ends.

use axum::extract::State;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::{edit, me, to};
use crate::accounts::{mail, password};
use crate::i18n::Msg;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::ClientIp;
use crate::web::form::{ip_key, normalize_email, FieldErrors};
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::throttle::{self, Limit};
use crate::web::{session, tokens};

/// Minutes a code lives.
pub const CODE_MINUTES: i32 = 10;
/// Wrong codes allowed before a new code is needed.
pub const CODE_TRIES: i32 = 5;
/// Codes sent to new addresses, per account: a few freely, then slower, at
/// most ten an hour (someone else's mailbox is not ours to fill).
pub const SENDS: Limit = Limit {
    free: 3,
    per_hour: 10,
};

/// The email-change form.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    new_email: String,
    #[serde(default, rename = "email_password")]
    password: String,
}

/// The code form.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn send_key(user_id: Uuid) -> String {
    format!("email-change-send:{user_id}")
}

/// The throttle key of wrong codes for `user_id`.
pub fn code_key(user_id: Uuid) -> String {
    format!("email-code:{user_id}")
}

/// `ann@example.com` as `a***@example.com`: enough for the owner of the old
/// address to recognise, not a gift to whoever reads it.
pub fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// POST /account/email: checks the password and the new address, then sends
/// a code to it. The address in use does not change yet.
pub async fn request(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    let lang = user.language.as_str();
    let mut errors = FieldErrors::new();
    let new_email = match normalize_email(&form.new_email) {
        Ok(e) if e.to_lowercase() == user.email.to_lowercase() => {
            errors.insert("new_email", Msg::new("profile-error-email-same").text(lang));
            None
        }
        Ok(e) => Some(e),
        Err(_) => {
            errors.insert("new_email", Msg::new("profile-error-email").text(lang));
            None
        }
    };
    // The password, as for a password change: a stolen session alone must
    // not be enough to take the account.
    let password_key = throttle::reauth_key(user.id);
    let mut conn = state.pool.acquire().await?;
    if let Some(wait) = throttle::wait_for(&mut conn, &password_key).await? {
        drop(conn);
        errors.insert("email_password", wait_message(wait).text(lang));
    } else {
        let stored: Option<String> =
            sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", user.id)
                .fetch_one(&mut *conn)
                .await?;
        // Not holding a connection while argon2 works.
        drop(conn);
        if !password::verify(form.password, stored).await? {
            let mut conn = state.pool.acquire().await?;
            throttle::fail(&mut conn, &password_key, throttle::ACCOUNT).await?;
            errors.insert(
                "email_password",
                Msg::new("profile-error-password").text(lang),
            );
        }
    }
    let Some(new_email) = new_email.filter(|_| errors.is_empty()) else {
        return edit::show(&state, &site, &viewer, None, &errors, &form.new_email, None).await;
    };
    let mut tx = state.pool.begin().await?;
    let taken: bool = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $2) AS \"taken!\"",
        &new_email,
        user.id,
    )
    .fetch_one(&mut *tx)
    .await?;
    let recent: Option<f64> = sqlx::query_scalar!(
        "SELECT extract(epoch FROM last_sent_at + interval '1 minute' - now())::float8 AS \"wait!\" \
         FROM email_changes WHERE user_id = $1 AND last_sent_at > now() - interval '1 minute' \
         FOR UPDATE",
        user.id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let locked = throttle::wait_for(&mut tx, &send_key(user.id)).await?;
    if taken {
        errors.insert(
            "new_email",
            Msg::new("profile-error-email-taken").text(lang),
        );
    } else if let Some(wait) = recent {
        // Whole seconds, at least one: the number a person can wait for.
        let seconds = wait.ceil().max(1.0) as i64;
        errors.insert(
            "new_email",
            Msg::new("profile-error-resend-wait")
                .arg("seconds", seconds)
                .text(lang),
        );
    } else if let Some(wait) = locked {
        errors.insert("new_email", wait_message(wait).text(lang));
    }
    if !errors.is_empty() {
        drop(tx);
        return edit::show(&state, &site, &viewer, None, &errors, &form.new_email, None).await;
    }
    let code = tokens::new_code();
    sqlx::query!(
        "INSERT INTO email_changes (user_id, new_email, code_hash, attempts, expires_at, last_sent_at) \
         VALUES ($1, $2, $3, 0, now() + make_interval(mins => $4), now()) \
         ON CONFLICT (user_id) DO UPDATE SET new_email = EXCLUDED.new_email, \
           code_hash = EXCLUDED.code_hash, attempts = 0, expires_at = EXCLUDED.expires_at, \
           last_sent_at = EXCLUDED.last_sent_at",
        user.id,
        &new_email,
        tokens::hash_code(user.id, &code),
        CODE_MINUTES,
    )
    .execute(&mut *tx)
    .await?;
    throttle::fail(&mut tx, &send_key(user.id), SENDS).await?;
    let mut context = tera::Context::new();
    context.insert("code", &code);
    context.insert("minutes", &CODE_MINUTES);
    context.insert("new_email", &new_email);
    context.insert(
        "profile_url",
        &format!("{}/account/profile", mail::site_url(&state, &site)),
    );
    mail::send(
        &state,
        &mut tx,
        &site,
        "email_change_code",
        (&new_email, &user.name),
        lang,
        context,
    )
    .await?;
    tx.commit().await?;
    Ok(to(&site, "/account/profile?done=email_sent"))
}

/// "Too many tries" with the seconds left of `wait`.
pub(super) fn wait_message(wait: std::time::Duration) -> Msg {
    Msg::new("profile-error-wait").arg("seconds", wait.as_secs())
}

/// The profile page with `message` next to the code field.
async fn code_error(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    message: Msg,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    errors.insert("code", message.text(viewer.language));
    edit::show(state, site, viewer, None, &errors, "", None).await
}

/// POST /account/email/verify: the code sent to the new address makes it the
/// account's address; the old address is told, other sessions end.
pub async fn verify(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    let lang = user.language.as_str();
    let account_key = code_key(user.id);
    let ip_key = ip_key(ip);
    let mut tx = state.pool.begin().await?;
    for key in [&account_key, &ip_key] {
        if let Some(wait) = throttle::wait_for(&mut tx, key).await? {
            return code_error(&state, &site, &viewer, wait_message(wait)).await;
        }
    }
    let row: Option<(String, Vec<u8>, i32, bool)> = sqlx::query!(
        "SELECT new_email, code_hash, attempts, expires_at < now() AS \"expired!\" FROM email_changes \
         WHERE user_id = $1 FOR UPDATE",
        user.id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| (r.new_email, r.code_hash, r.attempts, r.expired));
    let Some((new_email, hash, attempts, expired)) = row else {
        return code_error(&state, &site, &viewer, "profile-error-code-none".into()).await;
    };
    if expired {
        return code_error(&state, &site, &viewer, "profile-error-code-expired".into()).await;
    }
    if attempts >= CODE_TRIES {
        return code_error(&state, &site, &viewer, "profile-error-code-used-up".into()).await;
    }
    let code: String = form.code.chars().filter(char::is_ascii_digit).collect();
    if code.len() != 6 || !tokens::same(&tokens::hash_code(user.id, &code), &hash) {
        sqlx::query!(
            "UPDATE email_changes SET attempts = attempts + 1 WHERE user_id = $1",
            user.id,
        )
        .execute(&mut *tx)
        .await?;
        throttle::fail(&mut tx, &account_key, throttle::ACCOUNT).await?;
        throttle::fail(&mut tx, &ip_key, throttle::IP).await?;
        tx.commit().await?;
        let left = CODE_TRIES - attempts - 1;
        let message = if left > 0 {
            Msg::new("profile-error-code-wrong").arg("left", left)
        } else {
            Msg::new("profile-error-code-used-up")
        };
        return code_error(&state, &site, &viewer, message).await;
    }
    let (old_email, name): (String, String) = sqlx::query!(
        "SELECT email, name FROM users WHERE id = $1 FOR UPDATE",
        user.id,
    )
    .fetch_one(&mut *tx)
    .await
    .map(|r| (r.email, r.name))?;
    let changed = sqlx::query!(
        "UPDATE users SET email = $2, email_verified_at = now() WHERE id = $1",
        user.id,
        &new_email,
    )
    .execute(&mut *tx)
    .await;
    match changed {
        Err(sqlx::Error::Database(e))
            if hearth_tenants::db::violates(e.as_ref(), "users_email_key") =>
        {
            // Someone signed up with the address after the code was sent.
            drop(tx);
            sqlx::query!("DELETE FROM email_changes WHERE user_id = $1", user.id)
                .execute(&state.pool)
                .await?;
            let mut errors = FieldErrors::new();
            errors.insert(
                "new_email",
                Msg::new("profile-error-email-taken").text(lang),
            );
            return edit::show(&state, &site, &viewer, None, &errors, &new_email, None).await;
        }
        other => {
            other?;
        }
    }
    sqlx::query!("DELETE FROM email_changes WHERE user_id = $1", user.id)
        .execute(&mut *tx)
        .await?;
    throttle::clear(&mut tx, &account_key).await?;
    // The old address's login throttle names someone who is no longer here.
    sqlx::query!(
        "DELETE FROM auth_throttle WHERE starts_with(key, $1)",
        format!("login:{}|", old_email.to_lowercase()),
    )
    .execute(&mut *tx)
    .await?;
    session::end_others(&mut tx, user.id, viewer.session_token.as_deref()).await?;
    let mut context = tera::Context::new();
    context.insert("new_email", &masked(&new_email));
    context.insert(
        "login_url",
        &format!("{}/login", mail::site_url(&state, &site)),
    );
    mail::send(
        &state,
        &mut tx,
        &site,
        "email_change_notice",
        (&old_email, &name),
        lang,
        context,
    )
    .await?;
    tx.commit().await?;
    Ok(to(&site, "/account/profile?done=email_changed"))
}

/// POST /account/email/cancel: forgets the change waiting for its code.
pub async fn cancel(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    sqlx::query!("DELETE FROM email_changes WHERE user_id = $1", user.id)
        .execute(&state.pool)
        .await?;
    Ok(to(&site, "/account/profile?done=email_cancelled"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_address_sees_only_a_hint_of_the_new_one() {
        assert_eq!(masked("anna@example.com"), "a***@example.com");
        assert_eq!(masked("nonsense"), "***");
    }
}
