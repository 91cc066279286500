//! Uploads: reading a multipart file field within a size limit, and turning
//! an uploaded picture into a small square JPEG off the async threads.

use std::io::Cursor;

use axum::extract::multipart::Multipart;
use axum::http::StatusCode;
use image::{DynamicImage, ImageDecoder};

use crate::i18n::Msg;

/// Uploads may be this much larger than the file they carry (multipart framing).
pub const UPLOAD_SLACK: usize = 64 * 1024;

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
        })
    }
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
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(8192);
    limits.max_image_height = Some(8192);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::Unreadable)?;
    // Phones store photos sideways and say so in EXIF: turn them upright.
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Unreadable)?;
    if let Some(orientation) = orientation {
        img.apply_orientation(orientation);
    }
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
}
