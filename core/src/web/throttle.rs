//! Rate limits on login and code entry, per account and per IP address.
//!
//! Failures are counted per key in a one-hour window. Past a free allowance,
//! each failure locks the key for a growing delay (doubling, capped at 15
//! minutes), and at the hour's limit the key stays locked until the window ends.

use std::time::Duration;

use sqlx::PgConnection;

/// A limit on one kind of key.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Failures allowed before delays start.
    pub free: i32,
    /// Failures allowed in an hour.
    pub per_hour: i32,
}

/// Per account: delays from the 4th failure, at most 100 an hour.
pub const ACCOUNT: Limit = Limit {
    free: 3,
    per_hour: 100,
};
/// Per IP address: many people may share one, so more room.
pub const IP: Limit = Limit {
    free: 20,
    per_hour: 500,
};

/// The delay after the `failures`-th failure.
pub fn delay_after(failures: i32, limit: Limit) -> Duration {
    if failures <= limit.free {
        return Duration::ZERO;
    }
    let exponent = u32::try_from((failures - limit.free - 1).min(10)).unwrap_or(10);
    Duration::from_secs((1u64 << exponent).min(900))
}

/// How long `key` must wait before another try, if at all.
pub async fn wait_for(conn: &mut PgConnection, key: &str) -> sqlx::Result<Option<Duration>> {
    let secs: Option<f64> = sqlx::query_scalar!(
        "SELECT extract(epoch FROM locked_until - now())::float8 AS \"secs!\" FROM auth_throttle \
         WHERE key = $1 AND locked_until > now()",
        key,
    )
    .fetch_optional(conn)
    .await?;
    Ok(secs.map(|s| Duration::from_secs_f64(s.max(1.0).ceil())))
}

/// Records a failure for `key`.
pub async fn fail(conn: &mut PgConnection, key: &str, limit: Limit) -> sqlx::Result<()> {
    let failures: i32 = sqlx::query_scalar!(
        "INSERT INTO auth_throttle (key, failures, window_start) VALUES ($1, 1, now()) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN auth_throttle.window_start < now() - interval '1 hour' \
                           THEN 1 ELSE auth_throttle.failures + 1 END, \
           window_start = CASE WHEN auth_throttle.window_start < now() - interval '1 hour' \
                               THEN now() ELSE auth_throttle.window_start END \
         RETURNING failures",
        key,
    )
    .fetch_one(&mut *conn)
    .await?;
    let lock = if failures >= limit.per_hour {
        "window_start + interval '1 hour'".to_owned()
    } else {
        format!(
            "now() + make_interval(secs => {})",
            delay_after(failures, limit).as_secs()
        )
    };
    // Runtime-checked: the lock expression depends on the failure count and the limit.
    sqlx::query(&format!(
        "UPDATE auth_throttle SET locked_until = {lock} WHERE key = $1"
    ))
    .persistent(false)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes one attempt for `key` under `limit`, or says how long to wait. The
/// attempt is counted before the password is checked, in one statement that
/// also sets the next lock, so attempts made in parallel are counted one by
/// one under the row's lock: past the free allowance at most one of them
/// reaches the check, and every other waits. A success should [`clear`] it.
pub async fn take(
    conn: &mut PgConnection,
    key: &str,
    limit: Limit,
) -> sqlx::Result<Option<Duration>> {
    // The count after this attempt, as the row will hold it, is the CASE
    // giving `1` or `t.failures + 1`; its window's start, the CASE giving
    // `now()` or `t.window_start`. Both are written out in full where they are
    // used, so that the query is checked.
    let counted: Option<i32> = sqlx::query_scalar!(
        "INSERT INTO auth_throttle AS t (key, failures, window_start) VALUES ($1, 1, now()) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = (CASE WHEN t.window_start < now() - interval '1 hour' THEN 1 \
                            ELSE t.failures + 1 END), \
           window_start = (CASE WHEN t.window_start < now() - interval '1 hour' THEN now() \
                                ELSE t.window_start END), \
           locked_until = CASE \
             WHEN (CASE WHEN t.window_start < now() - interval '1 hour' THEN 1 \
                        ELSE t.failures + 1 END) >= $3 \
               THEN (CASE WHEN t.window_start < now() - interval '1 hour' THEN now() \
                          ELSE t.window_start END) + interval '1 hour' \
             WHEN (CASE WHEN t.window_start < now() - interval '1 hour' THEN 1 \
                        ELSE t.failures + 1 END) > $2 THEN now() + make_interval(secs => \
               least(900, power(2, least(10, (CASE WHEN t.window_start < now() - interval '1 hour' THEN 1 \
                                                   ELSE t.failures + 1 END) - $2 - 1)))::int) \
             ELSE NULL END \
         WHERE t.locked_until IS NULL OR t.locked_until <= now() \
         RETURNING failures",
        key,
        limit.free,
        limit.per_hour,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if counted.is_some() {
        return Ok(None);
    }
    // Locked: not counted, and told how long is left (at least a second).
    Ok(Some(
        wait_for(conn, key).await?.unwrap_or(Duration::from_secs(1)),
    ))
}

/// The throttle key of login attempts on account `email` from `ip`: a lock
/// on it stops that source only, never the account's owner elsewhere.
pub fn login_key(email: &str, ip: std::net::IpAddr) -> String {
    format!("login:{}|{ip}", email.to_lowercase())
}

/// The throttle key of a signed-in user typing their password again (to
/// change it or their email, or to delete the account): theirs alone, so
/// nobody else's failed logins can block them.
pub fn reauth_key(user_id: uuid::Uuid) -> String {
    format!("reauth:{user_id}")
}

/// Forgets `key`'s failures (after a success).
pub async fn clear(conn: &mut PgConnection, key: &str) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM auth_throttle WHERE key = $1", key)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_well_before_the_hourly_limit() {
        assert_eq!(delay_after(3, ACCOUNT), Duration::ZERO);
        assert_eq!(delay_after(4, ACCOUNT), Duration::from_secs(1));
        assert_eq!(delay_after(5, ACCOUNT), Duration::from_secs(2));
        assert_eq!(delay_after(10, ACCOUNT), Duration::from_secs(64));
        assert_eq!(delay_after(50, ACCOUNT), Duration::from_secs(900));
    }
}
