//! Accounts: one identity across every professional and hub. Sign-up, the
//! terms, email verification by code, login and logout, password reset and
//! change, and professionals' invitations to clients.

pub mod invitations;
pub mod login;
pub mod mail;
pub mod password;
pub mod session;
pub mod signup;
pub mod throttle;
pub mod tokens;

use std::net::SocketAddr;

use crate::i18n::Msg;

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
