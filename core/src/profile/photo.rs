//! The user's picture: a PNG or JPEG upload, decoded off the async threads,
//! turned upright, centre-cropped to a square, scaled to 256 × 256 and
//! re-encoded as JPEG (which drops metadata and anything hidden in the file).
//! A new picture replaces the old one.

use axum::extract::multipart::Multipart;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{edit, me, to};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::form::FieldErrors;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::upload::{read_file_field, square_jpeg, PhotoError, UploadError, MAX_UPLOAD, SIDE};

/// POST /account/profile/photo (multipart, field `photo`; the CSRF token
/// rides in the query string).
pub async fn upload(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    crate::web::upload::upload_turn(&state.pool, user.id).await?;
    let processed = match read_file_field(&mut multipart, "photo", MAX_UPLOAD).await {
        Ok(Some(bytes)) => tokio::task::spawn_blocking(move || square_jpeg(&bytes, SIDE))
            .await
            .map_err(|e| AppError::Internal(e.into()))?,
        Ok(None) => Err(PhotoError::Empty),
        Err(UploadError::TooLarge) => Err(PhotoError::TooLarge),
        Err(UploadError::Interrupted) => Err(PhotoError::Interrupted),
    };
    let jpeg = match processed {
        Ok(jpeg) => jpeg,
        Err(e) => {
            let mut errors = FieldErrors::new();
            errors.insert("photo", e.message().text(viewer.language));
            let page = edit::show(&state, &site, &viewer, None, &errors, "", None).await?;
            return Ok(if e == PhotoError::TooLarge {
                crate::web::upload::closing(page)
            } else {
                page
            });
        }
    };
    sqlx::query!(
        "UPDATE users SET photo = $2, photo_type = 'image/jpeg' WHERE id = $1",
        user.id,
        &jpeg,
    )
    .execute(&state.pool)
    .await?;
    Ok(to(&site, "/account/profile?done=photo"))
}

/// POST /account/profile/photo/remove
pub async fn remove(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    sqlx::query!(
        "UPDATE users SET photo = NULL, photo_type = NULL WHERE id = $1",
        user.id,
    )
    .execute(&state.pool)
    .await?;
    Ok(to(&site, "/account/profile?done=photo_removed"))
}

/// The picture of `user_id`, if they have one (for pages that show people).
pub async fn stored(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar!(
        "SELECT photo AS \"photo!\" FROM users WHERE id = $1 AND photo IS NOT NULL",
        user_id,
    )
    .fetch_optional(conn)
    .await
}

/// A stored picture as a response that no cache keeps.
pub fn response(jpeg: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox",
            ),
        ],
        jpeg,
    )
        .into_response()
}

/// GET /account/profile/photo: the user's own picture.
pub async fn own(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    let mut conn = state.pool.acquire().await?;
    let jpeg = stored(&mut conn, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(response(jpeg))
}
