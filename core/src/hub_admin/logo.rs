//! Hub logos: PNG and JPEG are decoded and re-encoded (which drops metadata
//! and anything hidden in the file), SVG is rebuilt from an allow-list of
//! elements and attributes. Stored by content hash, served from a
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
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// Elements kept; any other element is dropped with everything inside it
/// (`script`, `foreignObject`, `style`, `image`, `a`, animation, ...).
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "defs",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "symbol",
    "use",
    "title",
    "desc",
];

/// Attributes kept (event handlers and anything unknown are dropped).
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "viewBox",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "clip-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "opacity",
    "clip-path",
    "mask",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "fx",
    "fy",
    "preserveAspectRatio",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "letter-spacing",
    "style",
    "role",
    "aria-label",
    "aria-hidden",
    "version",
];

/// Text kept inside these elements only.
const TEXT_ELEMENTS: &[&str] = &["text", "tspan", "title", "desc"];

/// Rebuilds `input` from allowed elements and attributes only. References
/// must stay inside the document (`#id`): no external `href`, no
/// `url(http…)`; no DTD (so no entities).
pub fn sanitize_svg(input: &str) -> Result<String, LogoError> {
    let not_svg = || Msg::new("admin-logo-not-svg");
    let doc = roxmltree::Document::parse_with_options(
        input,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        },
    )
    .map_err(|_| not_svg())?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NS) {
        return Err(not_svg());
    }
    let mut out = String::with_capacity(input.len());
    write_element(root, &mut out, true);
    Ok(out)
}

fn write_element(node: roxmltree::Node<'_, '_>, out: &mut String, is_root: bool) {
    let name = node.tag_name().name();
    if node.tag_name().namespace() != Some(SVG_NS) || !ELEMENTS.contains(&name) {
        return;
    }
    out.push('<');
    out.push_str(name);
    if is_root {
        let _ = write!(out, " xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\"");
    }
    for attr in node.attributes() {
        let local = attr.name();
        let value = attr.value();
        let written = match (attr.namespace(), local) {
            (None | Some(XLINK_NS), "href") => {
                // Only in-document references, on elements that use them.
                let used = matches!(
                    name,
                    "use" | "linearGradient" | "radialGradient" | "mask" | "clipPath"
                );
                if !used || !value.starts_with('#') || !safe_value(local, value) {
                    continue;
                }
                if attr.namespace().is_some() {
                    "xlink:href"
                } else {
                    "href"
                }
            }
            (None, _) if ATTRIBUTES.contains(&local) && safe_value(local, value) => local,
            _ => continue,
        };
        let _ = write!(out, " {written}=\"{}\"", escape(value));
    }
    out.push('>');
    for child in node.children() {
        if child.is_element() {
            write_element(child, out, false);
        } else if child.is_text() && TEXT_ELEMENTS.contains(&name) {
            out.push_str(&escape(child.text().unwrap_or_default()));
        }
    }
    let _ = write!(out, "</{name}>");
}

/// A value with no reference outside the document and nothing CSS could
/// use to load or run something.
fn safe_value(name: &str, value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower.contains("javascript:") || lower.contains("data:") || lower.contains('\\') {
        return false;
    }
    // Every url(...) must point at an id in this document.
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        let after = rest[at + 4..].trim_start_matches([' ', '"', '\'']);
        if !after.starts_with('#') {
            return false;
        }
        rest = &rest[at + 4..];
    }
    if name == "style" {
        return !lower.contains("@import") && !lower.contains("expression") && !lower.contains('<');
    }
    true
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Stores `logo` (once per hash).
pub async fn store(tx: &mut TenantTx, logo: &Logo) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO hub_logos (hash, content_type, ext, bytes) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (hash) DO NOTHING",
    )
    .bind(&logo.hash)
    .bind(logo.content_type)
    .bind(logo.ext)
    .bind(&logo.bytes)
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
    let found: Option<(String, String, Vec<u8>)> =
        sqlx::query_as("SELECT content_type, ext, bytes FROM hub_logos WHERE hash = $1")
            .bind(hash)
            .fetch_optional(&mut *tx)
            .await?;
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
  <style>@import url(https://evil.example/x.css);</style>
  <image href="https://evil.example/track.png"/>
  <a href="javascript:alert(4)"><rect width="1" height="1"/></a>
  <use xlink:href="https://evil.example/sprite.svg#x"/>
  <use href="#ok"/>
  <rect id="ok" width="10" height="10" fill="url(https://evil.example/p)" onclick="alert(5)"/>
  <circle cx="5" cy="5" r="2" fill="url(#grad)" style="fill: red"/>
  <path d="M0 0L1 1" style="background: url('http://evil.example/')"/>
  <text x="1" y="9">Acme &amp; Co</text>
</svg>"##;
        let clean = sanitize_svg(evil).unwrap();
        let lower = clean.to_ascii_lowercase();
        for bad in [
            "script",
            "onload",
            "onclick",
            "foreignobject",
            "evil.example",
            "javascript",
            "<style",
            "<image",
            "<a ",
        ] {
            assert!(!lower.contains(bad), "{bad} survived in {clean}");
        }
        assert!(clean.contains("<use href=\"#ok\">"), "{clean}");
        assert!(clean.contains("fill=\"url(#grad)\""), "{clean}");
        assert!(clean.contains("style=\"fill: red\""), "{clean}");
        assert!(clean.contains("Acme &amp; Co"), "{clean}");
        assert!(clean.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        // What comes out parses again.
        assert!(sanitize_svg(&clean).is_ok());
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
