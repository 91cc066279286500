//! Hub and reseller slugs: the label in `<slug>.<base domain>` and `/h/<slug>/`.

use std::fmt;

/// Words a hub may not take: they name platform hosts or paths.
const RESERVED: &[&str] = &[
    "www",
    "api",
    "app",
    "admin",
    "operator",
    "reseller",
    "resellers",
    "hearth",
    "static",
    "assets",
    "cdn",
    "mail",
    "email",
    "smtp",
    "help",
    "support",
    "status",
    "docs",
    "blog",
    "dev",
    "staging",
    "test",
    "login",
    "logout",
    "signup",
    "register",
    "account",
    "accounts",
    "dashboard",
    "billing",
    "payments",
    "webhooks",
    "metrics",
    "healthz",
    "readyz",
    "public",
    "root",
    "system",
    "null",
];

/// A validated slug: 3–40 characters of lowercase letters, digits and hyphens,
/// starting and ending with a letter or digit, not a reserved word.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

/// Why a slug was refused, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    /// Shorter than 3 or longer than 40 characters.
    #[error("must be 3 to 40 characters long")]
    Length,
    /// A character other than a-z, 0-9 or '-'.
    #[error("may contain only lowercase letters, digits and hyphens")]
    Characters,
    /// Starts or ends with a hyphen.
    #[error("must start and end with a letter or digit")]
    Hyphen,
    /// A name the platform keeps for itself.
    #[error("'{0}' is reserved; choose another name")]
    Reserved(String),
}

impl Slug {
    /// Validates `input` as a slug.
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        let len = input.chars().count();
        if !(3..=40).contains(&len) {
            return Err(SlugError::Length);
        }
        if !input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(SlugError::Characters);
        }
        if input.starts_with('-') || input.ends_with('-') {
            return Err(SlugError::Hyphen);
        }
        if RESERVED.contains(&input) {
            return Err(SlugError::Reserved(input.to_owned()));
        }
        Ok(Self(input.to_owned()))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_company_names() {
        for ok in ["acme", "globex-corp", "a1b", "x".repeat(40).as_str()] {
            assert_eq!(Slug::parse(ok).map(|s| s.to_string()), Ok(ok.to_owned()));
        }
    }

    #[test]
    fn refuses_bad_slugs_with_the_reason() {
        assert_eq!(Slug::parse("ab"), Err(SlugError::Length));
        assert_eq!(Slug::parse(&"x".repeat(41)), Err(SlugError::Length));
        assert_eq!(Slug::parse("Acme"), Err(SlugError::Characters));
        assert_eq!(Slug::parse("ac me"), Err(SlugError::Characters));
        assert_eq!(Slug::parse("acmé"), Err(SlugError::Characters));
        assert_eq!(Slug::parse("t_1; drop"), Err(SlugError::Characters));
        assert_eq!(Slug::parse("-acme"), Err(SlugError::Hyphen));
        assert_eq!(Slug::parse("acme-"), Err(SlugError::Hyphen));
        assert_eq!(
            Slug::parse("admin"),
            Err(SlugError::Reserved("admin".into()))
        );
        assert_eq!(Slug::parse("www"), Err(SlugError::Reserved("www".into())));
    }
}
