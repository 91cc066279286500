//! Forms: field errors in the reader's language, the few checks every form
//! shares, the `?done=` notice after a redirect, and where to go next.

use std::net::SocketAddr;

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

/// Where to go after logging in: a local path only, never another site.
pub fn safe_next(next: Option<&str>, base: &str) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.contains("://") =>
        {
            n.to_owned()
        }
        _ => format!("{base}/dashboard"),
    }
}

/// The throttle key of a client address.
pub fn ip_key(addr: Option<SocketAddr>) -> String {
    format!(
        "ip:{}",
        addr.map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
    )
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
