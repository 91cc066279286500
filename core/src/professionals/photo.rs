//! The professional's photo: a PNG or JPEG upload, decoded (off the async
//! threads), turned upright, centre-cropped to a square, scaled to 400×400
//! and re-encoded as JPEG, which drops metadata (location, camera) and
//! anything hidden in the file. Served publicly only once verified.

use axum::extract::multipart::Multipart;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hearth_tenants::changes::{announce, Change};
use uuid::Uuid;

use super::profile::{show, ProfileForm};
use super::{me, signed_in, to};
use crate::i18n::Msg;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::form::FieldErrors;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::upload::{read_file_field, UploadError};
use crate::web::upload::{square_jpeg, PhotoError};

/// The largest upload accepted.
pub const MAX_UPLOAD: usize = 2 * 1024 * 1024;
/// The width and height of the stored photo.
pub const SIDE: u32 = 400;

/// Checks an uploaded photo and returns the JPEG to store. Blocking (image
/// decoding): call it from `spawn_blocking`.
pub fn process(bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    square_jpeg(bytes, SIDE)
}

/// Why a photo was refused, in words for the professional.
pub fn refusal(why: PhotoError) -> Msg {
    Msg::new(match why {
        PhotoError::Empty => "pro-photo-error-empty",
        PhotoError::TooLarge => "pro-photo-error-large",
        PhotoError::NotAnImage => "pro-photo-error-type",
        PhotoError::Unreadable => "pro-photo-error-unreadable",
        PhotoError::Interrupted => "pro-photo-error-interrupted",
        PhotoError::TooManyPixels => "upload-error-pixels",
    })
}

/// POST /pro/profile/photo (multipart, field `photo`; the CSRF token rides
/// in the query string).
pub async fn upload(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let user_id = signed_in(&viewer)?.id;
    let Some(professional) = me(&state, &viewer).await? else {
        return Ok(to(&site, "/pro/profile"));
    };
    crate::web::upload::upload_turn(&state.pool, user_id).await?;
    let processed = match read_file_field(&mut multipart, "photo", MAX_UPLOAD).await {
        Ok(Some(bytes)) => tokio::task::spawn_blocking(move || process(&bytes))
            .await
            .map_err(|e| AppError::Internal(e.into()))?,
        Ok(None) => Err(PhotoError::Empty),
        Err(UploadError::TooLarge) => Err(PhotoError::TooLarge),
        Err(UploadError::Interrupted) => Err(PhotoError::Interrupted),
    };
    let jpeg = match processed {
        Ok(jpeg) => jpeg,
        Err(why) => {
            let errors = FieldErrors::from([("photo", refusal(why).text(viewer.language))]);
            let page = show(
                &state,
                &site,
                &viewer,
                Some(&professional),
                &ProfileForm::of(&professional),
                &errors,
                None,
            )
            .await?;
            return Ok(if why == PhotoError::TooLarge {
                crate::web::upload::closing(page)
            } else {
                page
            });
        }
    };
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "UPDATE professionals SET photo = $2, photo_type = 'image/jpeg' WHERE user_id = $1",
        user_id,
        &jpeg,
    )
    .execute(&mut *tx)
    .await?;
    announce(&mut tx, Change::AllHubPages).await?;
    tx.commit().await?;
    Ok(to(&site, "/pro/profile?done=photo"))
}

/// POST /pro/profile/photo/remove
pub async fn remove(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let user_id = signed_in(&viewer)?.id;
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "UPDATE professionals SET photo = NULL, photo_type = NULL WHERE user_id = $1",
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    announce(&mut tx, Change::AllHubPages).await?;
    tx.commit().await?;
    Ok(to(&site, "/pro/profile?done=photo_removed"))
}

/// The stored photo as a response.
fn jpeg(bytes: Vec<u8>, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox",
            ),
        ],
        bytes,
    )
        .into_response()
}

/// GET /professionals/{id}/photo: a verified professional's photo; 404 for
/// anyone else and for a professional without one.
pub async fn serve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let photo: Option<Vec<u8>> = sqlx::query_scalar!(
        "SELECT photo AS \"photo!\" FROM professionals \
         WHERE user_id = $1 AND verified_at IS NOT NULL AND photo IS NOT NULL",
        id,
    )
    .fetch_optional(&state.pool)
    .await?;
    let photo = photo.ok_or(AppError::NotFound)?;
    Ok(jpeg(photo, "public, max-age=300"))
}

/// GET /pro/profile/photo: the professional's own photo, verified or not.
pub async fn own(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let user_id = signed_in(&viewer)?.id;
    let photo: Option<Vec<u8>> = sqlx::query_scalar!(
        "SELECT photo AS \"photo!\" FROM professionals WHERE user_id = $1 AND photo IS NOT NULL",
        user_id,
    )
    .fetch_optional(&state.pool)
    .await?;
    let photo = photo.ok_or(AppError::NotFound)?;
    Ok(jpeg(photo, "private, no-cache"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::DynamicImage;
    use std::io::Cursor;

    fn encoded(img: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_wide_png_becomes_a_centred_square_jpeg() {
        // Red | green | blue thirds: the square keeps the green middle.
        let img = image::RgbImage::from_fn(900, 300, |x, _| match x / 300 {
            0 => image::Rgb([255, 0, 0]),
            1 => image::Rgb([0, 255, 0]),
            _ => image::Rgb([0, 0, 255]),
        });
        let png = encoded(&DynamicImage::ImageRgb8(img), image::ImageFormat::Png);
        let jpeg = process(&png).unwrap();
        assert!(jpeg.starts_with(&[0xff, 0xd8, 0xff]));
        let out = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
            .unwrap()
            .to_rgb8();
        assert_eq!(out.dimensions(), (SIDE, SIDE));
        let centre = out.get_pixel(200, 200).0;
        assert!(
            centre[1] > 200 && centre[0] < 60 && centre[2] < 60,
            "{centre:?}"
        );
        let edge = out.get_pixel(5, 200).0;
        assert!(edge[1] > 200, "{edge:?}");
    }

    #[test]
    fn transparency_becomes_white() {
        let img = image::RgbaImage::from_pixel(50, 50, image::Rgba([0, 0, 0, 0]));
        let png = encoded(&DynamicImage::ImageRgba8(img), image::ImageFormat::Png);
        let out = image::load_from_memory(&process(&png).unwrap())
            .unwrap()
            .to_rgb8();
        assert!(out.get_pixel(10, 10).0.iter().all(|c| *c > 240));
    }

    #[test]
    fn other_files_are_refused() {
        assert!(process(b"").is_err());
        assert_eq!(
            refusal(process(b"just some text, named photo.png").unwrap_err()).id,
            "pro-photo-error-type"
        );
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend_from_slice(&[0; 100]);
        assert_eq!(
            refusal(process(&fake).unwrap_err()).id,
            "pro-photo-error-unreadable"
        );
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert!(process(gif).is_err());
        assert_eq!(
            refusal(process(&vec![0xff; MAX_UPLOAD + 1]).unwrap_err()).id,
            "pro-photo-error-large"
        );
    }
}
