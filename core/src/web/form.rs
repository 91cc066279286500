//! Forms: field errors in the reader's language, the few checks every form
//! shares, the `?done=` notice after a redirect, and where to go next.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::i18n::Msg;
use crate::web::site::Site;

/// A form's field errors, shown next to each field.
pub type FieldErrors = std::collections::BTreeMap<&'static str, String>;

/// A form's errors, each on its field, not yet in a language.
pub type FieldMsgs = std::collections::BTreeMap<&'static str, crate::i18n::Msg>;

/// `errors` in `lang`, as the pages show them.
pub fn in_language(errors: &FieldMsgs, lang: &str) -> FieldErrors {
    errors
        .iter()
        .map(|(field, message)| (*field, message.text(lang)))
        .collect()
}

/// A lightly checked email address (trimmed, case kept), or why it is not one.
pub fn normalize_email(input: &str) -> Result<String, Msg> {
    let email = input.trim();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        });
    if valid {
        Ok(email.to_owned())
    } else {
        Err(Msg::new("auth-email-invalid"))
    }
}

/// Where to go after logging in: a path on this site only, never another
/// site. `next` is resolved as a browser resolves a link (the WHATWG URL
/// rules of the `url` crate: tabs and newlines dropped, `\\` read as `/`), and
/// kept only when the result stays on this origin and `next` holds no control
/// character; the answer is that resolved path (percent-encoded where needed,
/// so it is always a valid `Location`). Else the dashboard under `base`.
pub fn safe_next(next: Option<&str>, base: &str) -> String {
    local_path(next.unwrap_or_default()).unwrap_or_else(|| format!("{base}/dashboard"))
}

/// `next` as a path on this site, if it is one (see [`safe_next`]).
fn local_path(next: &str) -> Option<String> {
    if !next.starts_with('/') || next.len() > 2048 || next.chars().any(char::is_control) {
        return None;
    }
    // A stand-in origin: only what resolves onto it is local.
    let here = url::Url::parse("http://hearth.invalid/").ok()?;
    let resolved = here.join(next).ok()?;
    (resolved.origin() == here.origin()).then(|| resolved[url::Position::BeforePath..].to_owned())
}

/// The throttle key of a client address.
pub fn ip_key(ip: std::net::IpAddr) -> String {
    format!("ip:{ip}")
}

/// The longest name a person may give.
pub const MAX_NAME: usize = 200;

/// A person's name as typed: trimmed, 1 to [`MAX_NAME`] characters, no
/// control characters (no line breaks to smuggle into an email header). The
/// one rule for sign-up and My Profile.
pub fn person_name(input: &str) -> Result<String, Msg> {
    let value = input.trim();
    if value.is_empty() || value.chars().count() > MAX_NAME {
        return Err(Msg::new("profile-error-name"));
    }
    if value.chars().any(char::is_control) {
        return Err(Msg::new("profile-error-control"));
    }
    Ok(value.to_owned())
}

/// The value of `result`, or `None` with its message recorded on `field`
/// (a [`Msg`] in [`FieldMsgs`], or text in [`FieldErrors`]).
pub fn field<T, E>(
    errors: &mut std::collections::BTreeMap<&'static str, E>,
    name: &'static str,
    result: Result<T, E>,
) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(message) => {
            errors.insert(name, message);
            None
        }
    }
}

/// The status of a page showing `errors`: 422 when there are any.
pub fn status_of(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// The `?done=` flag of a page, after a redirect.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    /// What was done (a flag the page maps to a notice).
    pub done: Option<String>,
}

/// The notice of a page's `?done=` flag, in `lang`: `notices` pairs flags
/// with message ids.
pub fn notice(flag: &Done, notices: &[(&str, &'static str)], lang: &str) -> Option<String> {
    let done = flag.done.as_deref()?;
    notices
        .iter()
        .find(|(f, _)| *f == done)
        .map(|(_, id)| crate::i18n::t(lang, id, None))
}

/// A redirect to `path` on `site` (inside the hub when it is one).
pub fn to(site: &Site, path: &str) -> Response {
    Redirect::to(&format!("{}{path}", site.base())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/invitations/abc"), ""), "/invitations/abc");
        assert_eq!(safe_next(Some("//evil.example"), ""), "/dashboard");
        assert_eq!(
            safe_next(Some("https://evil.example"), "/h/acme"),
            "/h/acme/dashboard"
        );
        assert_eq!(safe_next(Some("/\\evil.example"), ""), "/dashboard");
        assert_eq!(safe_next(None, "/h/acme"), "/h/acme/dashboard");
        // Browsers drop tabs and newlines and read `\\` as `/`: each of these
        // would become `//evil.example`, another site.
        for trick in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\\/evil.example",
            "/\\/evil.example",
            "/\u{0}/evil.example",
            "//evil.example/path",
            "///evil.example",
            "/\t\t/evil.example",
            "https:/evil.example",
            "javascript:alert(1)",
            " /evil",
            "",
        ] {
            assert_eq!(safe_next(Some(trick), ""), "/dashboard", "{trick:?}");
        }
        // Local paths stay, with their query; what a header cannot carry is encoded.
        assert_eq!(
            safe_next(Some("/book/1?start=2026-12-07T10:00"), ""),
            "/book/1?start=2026-12-07T10:00"
        );
        assert_eq!(safe_next(Some("/a b"), ""), "/a%20b");
        assert_eq!(safe_next(Some("/h/acme/claim"), "/h/acme"), "/h/acme/claim");
    }

    #[test]
    fn emails_are_checked_lightly() {
        assert!(normalize_email(" ann@example.com ").is_ok());
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a nn@example.com",
            "ann@.com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
