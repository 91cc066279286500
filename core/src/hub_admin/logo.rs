//! Hub logos: PNG and JPEG are decoded and re-encoded (which drops metadata
//! and anything hidden in the file), SVG is parsed by `usvg` and written
//! back from its model. Stored by content hash, served from a
//! fingerprinted URL with a safe content type.

use std::fmt::Write as _;
use std::io::Cursor;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hearth_tenants::TenantTx;
use sha2::{Digest, Sha256};

use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::site::CurrentHub;
use crate::web::state::AppState;

/// The largest upload accepted.
pub const MAX_UPLOAD: usize = 2 * 1024 * 1024;
/// The largest width or height kept; larger images are scaled down.
pub const MAX_SIDE: u32 = 1024;

/// A logo ready to store.
#[derive(Debug, Clone)]
pub struct Logo {
    /// The bytes to serve.
    pub bytes: Vec<u8>,
    /// `image/png`, `image/jpeg` or `image/svg+xml`.
    pub content_type: &'static str,
    /// `png`, `jpg` or `svg`.
    pub ext: &'static str,
    /// Hex SHA-256 of `bytes`, first 32 digits.
    pub hash: String,
}

/// Why an upload was refused, a message for the HR admin.
pub type LogoError = Msg;

/// Checks and cleans an uploaded logo. Blocking (image decoding): call it
/// from `spawn_blocking`.
pub fn process(bytes: &[u8]) -> Result<Logo, LogoError> {
    if bytes.is_empty() {
        return Err(Msg::new("admin-upload-choose-file"));
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(Msg::new("admin-upload-too-large").arg("size", MAX_UPLOAD / (1024 * 1024)));
    }
    let (bytes, content_type, ext) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        (
            reencode(bytes, image::ImageFormat::Png)?,
            "image/png",
            "png",
        )
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        (
            reencode(bytes, image::ImageFormat::Jpeg)?,
            "image/jpeg",
            "jpg",
        )
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| Msg::new("admin-logo-not-image"))?;
        (sanitize_svg(text)?.into_bytes(), "image/svg+xml", "svg")
    };
    let digest = Sha256::digest(&bytes);
    let mut hash = String::with_capacity(32);
    for b in &digest[..16] {
        let _ = write!(hash, "{b:02x}");
    }
    Ok(Logo {
        bytes,
        content_type,
        ext,
        hash,
    })
}

fn reencode(bytes: &[u8], format: image::ImageFormat) -> Result<Vec<u8>, LogoError> {
    let unreadable = || Msg::new("admin-logo-unreadable");
    let mut img = crate::web::upload::decode_bounded(bytes, format).map_err(|e| match e {
        crate::web::upload::DecodeError::TooManyPixels => Msg::new("upload-error-pixels"),
        crate::web::upload::DecodeError::Unreadable => unreadable(),
    })?;
    if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Lanczos3);
    }
    let mut out = Cursor::new(Vec::new());
    match format {
        image::ImageFormat::Jpeg => {
            // JPEG has no alpha channel.
            let rgb = img.to_rgb8();
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88);
            rgb.write_with_encoder(encoder).map_err(|_| unreadable())?;
        }
        _ => {
            img.write_to(&mut out, image::ImageFormat::Png)
                .map_err(|_| unreadable())?;
        }
    }
    Ok(out.into_inner())
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The largest SVG element count kept: a logo needs a few hundred at most,
/// and a bound keeps a hostile document from costing the parser time.
const MAX_SVG_NODES: u32 = 20_000;

/// Rebuilds `input` through `usvg`, a maintained SVG model: the document is
/// parsed into shapes, gradients, clip paths and masks and written back from
/// that model alone, so anything it does not model (scripts, event handlers,
/// `foreignObject`, links, animation, external references, CSS imports) is
/// not in the output. Images are dropped (no `data:` or file loads), and a
/// DTD is refused before parsing (no entities). Text is dropped too: no fonts
/// are loaded on the server, so a logo's lettering must be converted to
/// paths (the form says so).
pub fn sanitize_svg(input: &str) -> Result<String, LogoError> {
    let not_svg = || Msg::new("admin-logo-not-svg");
    let doc = roxmltree::Document::parse_with_options(
        input,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_SVG_NODES,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .map_err(|_| not_svg())?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NS) {
        return Err(not_svg());
    }
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_xmltree(&doc, &options).map_err(|_| not_svg())?;
    Ok(tree.to_string(&usvg::WriteOptions::default()))
}

/// Stores `logo` (once per hash).
pub async fn store(tx: &mut TenantTx, logo: &Logo) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO hub_logos (hash, content_type, ext, bytes) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (hash) DO NOTHING",
        &logo.hash,
        logo.content_type,
        logo.ext,
        &logo.bytes,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// GET /brand/{file}: `logo-<hash>.<ext>`, cached for a year (the name
/// changes with the content). SVG gets a CSP that forbids scripts and loads.
pub async fn serve(
    State(state): State<AppState>,
    hub: CurrentHub,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let Some((hash, ext)) = file
        .strip_prefix("logo-")
        .and_then(|rest| rest.split_once('.'))
    else {
        return Err(AppError::NotFound);
    };
    if hash.len() != 32 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(AppError::NotFound);
    }
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let found: Option<(String, String, Vec<u8>)> = sqlx::query!(
        "SELECT content_type, ext, bytes FROM hub_logos WHERE hash = $1",
        hash,
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| (r.content_type, r.ext, r.bytes));
    tx.commit().await?;
    let Some((content_type, stored_ext, bytes)) = found else {
        return Err(AppError::NotFound);
    };
    if stored_ext != ext {
        return Err(AppError::NotFound);
    }
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'".to_owned(),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_external_references_are_removed() {
        let evil = r##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(3)</script></body></foreignObject>
  <style>@import url(https://evil.example/x.css); rect { fill: blue }</style>
  <image href="https://evil.example/track.png" width="5" height="5"/>
  <image href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+" width="5" height="5"/>
  <image href="/etc/passwd" width="5" height="5"/>
  <a href="javascript:alert(4)"><rect width="1" height="1"/></a>
  <use xlink:href="https://evil.example/sprite.svg#x"/>
  <defs><linearGradient id="grad"><stop offset="0" stop-color="#c00"/><stop offset="1" stop-color="#00c"/></linearGradient></defs>
  <rect id="ok" width="10" height="10" fill="url(https://evil.example/p)" onclick="alert(5)"/>
  <circle cx="5" cy="5" r="2" fill="url(#grad)"/>
  <path d="M0 0L1 1" stroke="red" style="background: url('http://evil.example/')"/>
  <animate attributeName="href" to="javascript:alert(6)"/>
  <set attributeName="onmouseover" to="alert(7)"/>
</svg>"##;
        let clean = sanitize_svg(evil).unwrap();
        let lower = clean.to_ascii_lowercase();
        for bad in [
            "script",
            "onload",
            "onclick",
            "onmouseover",
            "alert",
            "foreignobject",
            "evil.example",
            "javascript",
            "passwd",
            "data:",
            "<style",
            "@import",
            "<image",
            "<a ",
            "<animate",
            "<set",
        ] {
            assert!(!lower.contains(bad), "{bad} survived in {clean}");
        }
        // What the logo draws is kept: the shapes and the gradient.
        assert!(clean.contains("<linearGradient"), "{clean}");
        assert!(clean.contains("<path"), "{clean}");
        assert!(clean.starts_with("<svg"), "{clean}");
        // What comes out parses again, to the same document.
        assert_eq!(sanitize_svg(&clean).unwrap(), clean);
    }

    #[test]
    fn nested_references_cannot_blow_up() {
        // A "billion laughs" of <use>: ten levels, each drawing the one
        // below ten times. Refused or bounded, never 10^10 shapes.
        let mut svg = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><rect id="l0" width="1" height="1"/>"#,
        );
        for level in 1..=10 {
            svg.push_str(&format!("<g id=\"l{level}\">"));
            for _ in 0..10 {
                svg.push_str(&format!("<use xlink:href=\"#l{}\"/>", level - 1));
            }
            svg.push_str("</g>");
        }
        svg.push_str(r##"</defs><use xlink:href="#l10"/></svg>"##);
        if let Ok(clean) = sanitize_svg(&svg) {
            assert!(clean.len() < 64 * 1024 * 1024, "{} bytes", clean.len());
        }
    }

    #[test]
    fn entities_and_non_svg_documents_are_refused() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>"#;
        assert!(sanitize_svg(xxe).is_err());
        assert!(sanitize_svg("<html><body/></html>").is_err());
        assert!(sanitize_svg("<svg>no namespace</svg>").is_err());
        assert!(sanitize_svg("not xml").is_err());
    }

    #[test]
    fn raster_images_are_reencoded_and_scaled_down() {
        let img = image::RgbaImage::from_pixel(2000, 1000, image::Rgba([200, 10, 10, 255]));
        let mut png = Cursor::new(Vec::new());
        img.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let logo = process(png.get_ref()).unwrap();
        assert_eq!(logo.content_type, "image/png");
        let back = image::load_from_memory(&logo.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (1024, 512));
        assert_eq!(logo.hash.len(), 32);
        assert!(process(b"\x89PNG\r\n\x1a\ngarbage").is_err());
        assert!(process(b"").is_err());
        assert!(process(&vec![0u8; MAX_UPLOAD + 1]).is_err());
    }
}
