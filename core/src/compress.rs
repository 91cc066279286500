//! Fewer bytes on the wire: a body kept once and served as the client asks
//! (`Accept-Encoding`: Brotli, then gzip, else as it is). The compressed
//! forms are made on first use and kept beside the plain one, so a cached
//! hub page or a static file costs no compression after its first request.
//! Responses made fresh for each request are compressed by tower-http's
//! `CompressionLayer` (see `routes`), which leaves these ones alone (they
//! already carry `Content-Encoding`). Base layer: the themes' static files
//! and the web layer's cached pages both keep their bodies this way.

use std::io::Write as _;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};

/// A content coding a response can be sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// Brotli (`br`).
    Brotli,
    /// gzip.
    Gzip,
    /// As it is.
    Identity,
}

impl Coding {
    /// The coding to answer `headers`' `Accept-Encoding` with: Brotli when
    /// accepted, else gzip, else none (a coding with `q=0` is refused).
    pub fn preferred(headers: &HeaderMap) -> Self {
        let mut br = false;
        let mut gzip = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or_default().trim();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                match name.to_ascii_lowercase().as_str() {
                    "br" => br = true,
                    "gzip" | "x-gzip" => gzip = true,
                    "*" => {
                        br = true;
                        gzip = true;
                    }
                    _ => {}
                }
            }
        }
        if br {
            Self::Brotli
        } else if gzip {
            Self::Gzip
        } else {
            Self::Identity
        }
    }
}

/// A body with its compressed forms, each made once, when first asked for.
#[derive(Debug)]
pub struct Encoded {
    plain: Bytes,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

/// Bodies smaller than this are sent as they are (compressing saves nothing).
const WORTH_COMPRESSING: usize = 256;

impl Encoded {
    /// `plain`, to be served in any coding.
    pub fn new(plain: Bytes) -> Self {
        Self {
            plain,
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    /// The body as it is.
    pub fn plain(&self) -> &Bytes {
        &self.plain
    }

    /// The body in `coding` and the `Content-Encoding` to send it with (none
    /// for the plain body, or when compressing would not make it smaller).
    pub fn body(&self, coding: Coding) -> (Bytes, Option<&'static str>) {
        if self.plain.len() < WORTH_COMPRESSING {
            return (self.plain.clone(), None);
        }
        let (form, name) = match coding {
            Coding::Identity => return (self.plain.clone(), None),
            Coding::Brotli => (self.brotli.get_or_init(|| brotli(&self.plain)), "br"),
            Coding::Gzip => (self.gzip.get_or_init(|| gzip(&self.plain)), "gzip"),
        };
        if form.is_empty() || form.len() >= self.plain.len() {
            (self.plain.clone(), None)
        } else {
            (form.clone(), Some(name))
        }
    }

    /// Sets `Content-Encoding` (when `encoding` is one) and `Vary` on a
    /// response's `headers`.
    pub fn mark(headers: &mut HeaderMap, encoding: Option<&'static str>) {
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// Brotli at quality 9 (a text page: about 5 ms for 100 KB, made once);
/// empty on failure (then the plain body is sent).
fn brotli(plain: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(plain.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
        if writer.write_all(plain).is_err() || writer.flush().is_err() {
            return Bytes::new();
        }
    }
    Bytes::from(out)
}

/// gzip at level 9; empty on failure.
fn gzip(plain: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(plain.len() / 3),
        flate2::Compression::best(),
    );
    if encoder.write_all(plain).is_err() {
        return Bytes::new();
    }
    encoder.finish().map(Bytes::from).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn brotli_then_gzip_then_nothing_as_accepted() {
        assert_eq!(
            Coding::preferred(&accept("gzip, deflate, br")),
            Coding::Brotli
        );
        assert_eq!(Coding::preferred(&accept("gzip")), Coding::Gzip);
        assert_eq!(
            Coding::preferred(&accept("br;q=0, gzip;q=0.5")),
            Coding::Gzip
        );
        assert_eq!(Coding::preferred(&accept("identity")), Coding::Identity);
        assert_eq!(Coding::preferred(&accept("*")), Coding::Brotli);
        assert_eq!(Coding::preferred(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn each_form_decodes_to_the_plain_body_and_is_made_once() {
        let page = "<p>Þórður talks to someone who listens.</p>\n".repeat(200);
        let encoded = Encoded::new(Bytes::from(page.clone()));
        let (br, name) = encoded.body(Coding::Brotli);
        assert_eq!(name, Some("br"));
        assert!(br.len() * 5 < page.len(), "{} of {}", br.len(), page.len());
        let mut out = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, page);
        let (gz, name) = encoded.body(Coding::Gzip);
        assert_eq!(name, Some("gzip"));
        let mut out = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, page);
        // The same bytes again: kept, not compressed anew.
        assert_eq!(encoded.body(Coding::Brotli).0.as_ptr(), br.as_ptr());
        // Small bodies go as they are.
        let small = Encoded::new(Bytes::from_static(b"ok"));
        assert_eq!(
            small.body(Coding::Brotli),
            (Bytes::from_static(b"ok"), None)
        );
    }
}
