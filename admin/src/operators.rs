//! Operators: the platform's own staff, who may do everything.

use sqlx::PgConnection;
use uuid::Uuid;

/// Makes `user_id` an operator.
pub async fn grant(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("UPDATE users SET is_operator = true WHERE id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(())
}
