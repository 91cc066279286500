//! Uploads: reading a multipart file field within a size limit, and turning
//! an uploaded picture into a small square JPEG off the async threads.

use std::io::Cursor;

use axum::extract::multipart::Multipart;
use axum::http::StatusCode;
use image::{DynamicImage, ImageDecoder};

use crate::i18n::Msg;
use crate::web::error::AppError;

/// Uploads may be this much larger than the file they carry (multipart framing).
pub const UPLOAD_SLACK: usize = 64 * 1024;

/// `response` with `Connection: close`: for an answer sent before the
/// request's body was read to its end (a file over the limit), so the client
/// opens a fresh connection for its next request instead of reusing one the
/// server is about to drop.
pub fn closing(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

/// Why an uploaded file could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    /// Larger than allowed.
    TooLarge,
    /// The request broke off.
    Interrupted,
}

/// The bytes of the multipart field `name`, at most `max` of them. `Ok(None)`
/// when there is no such field.
pub async fn read_file_field(
    multipart: &mut Multipart,
    name: &str,
    max: usize,
) -> Result<Option<Vec<u8>>, UploadError> {
    let failed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            UploadError::TooLarge
        } else {
            UploadError::Interrupted
        }
    };
    loop {
        let Some(mut field) = multipart.next_field().await.map_err(failed)? else {
            return Ok(None);
        };
        if field.name() != Some(name) {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(failed)? {
            if bytes.len() + chunk.len() > max {
                // Read the rest (to the route's body limit, never beyond) so
                // the answer goes back on a healthy connection rather than
                // one closed under a client still sending.
                drop(field);
                while let Ok(Some(mut rest)) = multipart.next_field().await {
                    while let Ok(Some(_)) = rest.chunk().await {}
                }
                return Err(UploadError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Some(bytes));
    }
}

impl UploadError {
    /// The failure in words for the person uploading, for a field of at most `max` bytes.
    pub fn msg(self, max: usize) -> Msg {
        match self {
            Self::TooLarge => Msg::new("admin-upload-too-large").arg("size", max / (1024 * 1024)),
            Self::Interrupted => Msg::new("admin-upload-interrupted"),
        }
    }
}

/// [`read_file_field`], with its failure as a message.
pub async fn upload_field(
    multipart: &mut Multipart,
    name: &str,
    max: usize,
) -> Result<Option<Vec<u8>>, Msg> {
    read_file_field(multipart, name, max)
        .await
        .map_err(|e| e.msg(max))
}

/// The largest upload accepted.
pub const MAX_UPLOAD: usize = 2 * 1024 * 1024;
/// The width and height of the stored picture.
pub const SIDE: u32 = 256;

/// Why a picture was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoError {
    /// Nothing was sent.
    Empty,
    /// More than [`MAX_UPLOAD`] bytes.
    TooLarge,
    /// Neither PNG nor JPEG.
    NotAnImage,
    /// Says PNG or JPEG but does not decode.
    Unreadable,
    /// The upload broke off.
    Interrupted,
    /// More than [`MAX_PIXELS`] pixels (a small file can unpack to a huge image).
    TooManyPixels,
}

impl PhotoError {
    /// What the person is told.
    pub fn message(self) -> Msg {
        Msg::new(match self {
            Self::Empty => "profile-error-photo-empty",
            Self::TooLarge => "profile-error-photo-large",
            Self::NotAnImage => "profile-error-photo-type",
            Self::Unreadable => "profile-error-photo-unreadable",
            Self::Interrupted => "profile-error-upload",
            Self::TooManyPixels => "upload-error-pixels",
        })
    }
}

/// The most pixels a decoded picture may have (4096 × 4096): checked from
/// the file's header before anything is decoded, since a 100 KB PNG can say
/// 8000 × 5000 and unpack to 160 MB.
pub const MAX_PIXELS: u64 = 4096 * 4096;

/// The most memory one decode may allocate: an RGBA image of [`MAX_PIXELS`].
const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 4;

/// Why a picture could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// Its header says more than [`MAX_PIXELS`] pixels.
    TooManyPixels,
    /// Not a picture of `format`, or broken.
    Unreadable,
}

/// Decodes `bytes` as `format` within bounds: the pixel count is read from
/// the header and refused above [`MAX_PIXELS`] before decoding, every
/// allocation of the decoder is capped, and the picture is turned upright
/// (EXIF orientation), which copies it at most once more. So one decode,
/// with its rotation, holds at most about 2 × 64 MiB. Blocking: call it from
/// `spawn_blocking`.
pub fn decode_bounded(
    bytes: &[u8],
    format: image::ImageFormat,
) -> Result<DynamicImage, DecodeError> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| DecodeError::Unreadable)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(DecodeError::TooManyPixels);
    }
    // Phones store photos sideways and say so in EXIF: turn them upright.
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| DecodeError::Unreadable)?;
    if let Some(orientation) = orientation {
        img.apply_orientation(orientation);
    }
    Ok(img)
}

/// Uploads one person may make: a few freely, then slower, at most 60 an hour.
pub const UPLOADS: crate::web::throttle::Limit = crate::web::throttle::Limit {
    free: 20,
    per_hour: 60,
};

/// Counts an upload by `user_id`, or refuses it (429) saying how long to
/// wait: each decode costs real CPU and memory, and one person must not hog
/// them. Call before reading the file.
pub async fn upload_turn(pool: &sqlx::PgPool, user_id: uuid::Uuid) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    let key = format!("upload:{user_id}");
    if let Some(wait) = crate::web::throttle::wait_for(&mut conn, &key).await? {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return Err(AppError::TooMany(
            Msg::new("upload-error-too-many").arg("minutes", minutes),
        ));
    }
    crate::web::throttle::fail(&mut conn, &key, UPLOADS).await?;
    Ok(())
}

/// `bytes` (PNG or JPEG, at most [`MAX_UPLOAD`]) as a `side` × `side` JPEG:
/// upright, the centred square, transparency over white. Blocking (image
/// decoding): call it from `spawn_blocking`.
pub fn square_jpeg(bytes: &[u8], side: u32) -> Result<Vec<u8>, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(PhotoError::TooLarge);
    }
    let format = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        image::ImageFormat::Png
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        image::ImageFormat::Jpeg
    } else {
        return Err(PhotoError::NotAnImage);
    };
    let img = decode_bounded(bytes, format).map_err(|e| match e {
        DecodeError::TooManyPixels => PhotoError::TooManyPixels,
        DecodeError::Unreadable => PhotoError::Unreadable,
    })?;
    let square = img.resize_to_fill(side, side, image::imageops::FilterType::Lanczos3);
    let mut rgb = image::RgbImage::new(side, side);
    for (out, px) in rgb.pixels_mut().zip(square.to_rgba8().pixels()) {
        let [r, g, b, a] = px.0;
        let over_white = |c: u8| {
            let c = u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a));
            u8::try_from(c / 255).unwrap_or(u8::MAX)
        };
        *out = image::Rgb([over_white(r), over_white(g), over_white(b)]);
    }
    let mut out = Cursor::new(Vec::new());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    rgb.write_with_encoder(encoder)
        .map_err(|_| PhotoError::Unreadable)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(img: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_tall_picture_becomes_its_centred_square_at_256_pixels() {
        // Red above, green in the middle, blue below: the square keeps green.
        let img = image::RgbImage::from_fn(300, 900, |_, y| match y / 300 {
            0 => image::Rgb([255, 0, 0]),
            1 => image::Rgb([0, 255, 0]),
            _ => image::Rgb([0, 0, 255]),
        });
        let png = encoded(&DynamicImage::ImageRgb8(img), image::ImageFormat::Png);
        let jpeg = square_jpeg(&png, SIDE).unwrap();
        assert!(jpeg.starts_with(&[0xff, 0xd8, 0xff]));
        let out = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
            .unwrap()
            .to_rgb8();
        assert_eq!(out.dimensions(), (SIDE, SIDE));
        for (x, y) in [(128, 5), (128, 128), (128, 250)] {
            let px = out.get_pixel(x, y).0;
            assert!(px[1] > 200 && px[0] < 60 && px[2] < 60, "{x},{y}: {px:?}");
        }
    }

    #[test]
    fn a_jpeg_is_accepted_and_transparency_becomes_white() {
        let jpeg_in = encoded(
            &DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
                40,
                30,
                image::Rgb([10, 20, 200]),
            )),
            image::ImageFormat::Jpeg,
        );
        assert!(square_jpeg(&jpeg_in, SIDE).is_ok());
        let clear = image::RgbaImage::from_pixel(50, 50, image::Rgba([0, 0, 0, 0]));
        let png = encoded(&DynamicImage::ImageRgba8(clear), image::ImageFormat::Png);
        let out = image::load_from_memory(&square_jpeg(&png, SIDE).unwrap())
            .unwrap()
            .to_rgb8();
        assert!(out.get_pixel(10, 10).0.iter().all(|c| *c > 240));
    }

    #[test]
    fn other_files_are_refused_with_their_reason() {
        assert_eq!(square_jpeg(b"", SIDE), Err(PhotoError::Empty));
        assert_eq!(
            square_jpeg(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", SIDE),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(
            square_jpeg(b"%PDF-1.7 not a picture", SIDE),
            Err(PhotoError::NotAnImage)
        );
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend_from_slice(&[0; 100]);
        assert_eq!(square_jpeg(&fake, SIDE), Err(PhotoError::Unreadable));
        assert_eq!(
            square_jpeg(&vec![0xff; MAX_UPLOAD + 1], SIDE),
            Err(PhotoError::TooLarge)
        );
    }

    /// A PNG that says `width` × `height` (8-bit RGBA) and holds no pixels.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xffff_ffffu32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xedb8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(width.to_be_bytes());
        ihdr.extend(height.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |body: &[u8]| {
            png.extend(u32::try_from(body.len() - 4).unwrap_or(0).to_be_bytes());
            png.extend(body);
            png.extend(crc32(body).to_be_bytes());
        };
        chunk(&ihdr);
        // The start of the pixel data (a zlib header): a decoder reads the
        // header up to here, as it would in a real 8000 × 5000 file.
        chunk(b"IDAT\x78\x9c");
        png
    }

    #[test]
    fn a_picture_that_unpacks_too_big_is_refused_before_it_is_decoded() {
        // 8000 × 5000 said in a few bytes: refused from the header alone.
        let bomb = png_header(8000, 5000);
        assert!(bomb.len() < 100);
        let started = std::time::Instant::now();
        assert_eq!(
            decode_bounded(&bomb, image::ImageFormat::Png).err(),
            Some(DecodeError::TooManyPixels)
        );
        assert_eq!(square_jpeg(&bomb, 256), Err(PhotoError::TooManyPixels));
        // No decode happened: far below the ~1 s a real decode of it takes.
        assert!(started.elapsed() < std::time::Duration::from_millis(200));
        // Just at the limit it is not refused for its size (only for having no pixels).
        assert_eq!(
            decode_bounded(&png_header(4096, 4096), image::ImageFormat::Png).err(),
            Some(DecodeError::Unreadable)
        );
    }
}
