//! Known devices: browsers where an account's owner logged in before. Each
//! gets a cookie with a random token (its hash kept in `known_devices`). A
//! login from a known device is throttled on its own key, so a lock that
//! others caused on the account from the same address (a shared office or
//! mobile network) does not stop the owner; guesses from that device are
//! still limited, on its key alone.

use axum_extra::extract::cookie::{Cookie, SameSite};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::web::tokens::{hash_token, new_token};

/// The cookie naming the device.
pub const COOKIE: &str = "hearth_device";
/// How long a device is remembered after its last login.
const DAYS: i64 = 365;
/// Devices kept per account (the least recently used are forgotten).
const PER_USER: i64 = 20;

/// The throttle key of the device with this cookie `token` for the account
/// with `email`, when the device is that account's.
pub async fn recognise(
    conn: &mut PgConnection,
    token: &str,
    email: &str,
) -> sqlx::Result<Option<String>> {
    let hash = hash_token(token);
    let known: bool = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM known_devices d JOIN users u ON u.id = d.user_id \
         WHERE d.token_hash = $1 AND lower(u.email) = $2 \
           AND d.last_used_at > now() - make_interval(days => $3::int)) AS \"known!\"",
        &hash,
        email,
        i32::try_from(DAYS).unwrap_or(365),
    )
    .fetch_one(conn)
    .await?;
    Ok(known.then(|| key(&hash)))
}

fn key(hash: &[u8]) -> String {
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("device:{hex}")
}

/// Remembers this browser for `user_id` after a successful login: the same
/// token again when it already was the user's device, else a new one. Returns
/// the cookie to set.
pub async fn remember(
    conn: &mut PgConnection,
    user_id: Uuid,
    current: Option<&str>,
    secure: bool,
) -> sqlx::Result<Cookie<'static>> {
    if let Some(token) = current {
        let touched = sqlx::query!(
            "UPDATE known_devices SET last_used_at = now() WHERE token_hash = $1 AND user_id = $2",
            hash_token(token),
            user_id,
        )
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if touched == 1 {
            return Ok(cookie(token.to_owned(), secure));
        }
    }
    let token = new_token();
    sqlx::query!(
        "INSERT INTO known_devices (token_hash, user_id) VALUES ($1, $2)",
        hash_token(&token),
        user_id,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM known_devices WHERE user_id = $1 AND token_hash NOT IN ( \
           SELECT token_hash FROM known_devices WHERE user_id = $1 \
           ORDER BY last_used_at DESC LIMIT $2)",
        user_id,
        PER_USER,
    )
    .execute(conn)
    .await?;
    Ok(cookie(token, secure))
}

fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(time::Duration::days(DAYS))
        .build()
}
