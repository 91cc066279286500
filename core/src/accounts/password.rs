//! Passwords: argon2id at OWASP's minimum cost or above, hashed off the async
//! threads; strength judged by zxcvbn, whose dictionaries hold the common lists.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest password accepted.
pub const MIN_LEN: usize = 10;
/// Longest password accepted.
pub const MAX_LEN: usize = 256;

/// argon2id, m = 19 MiB, t = 2, p = 1: OWASP's minimum.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a password was refused, in words shown next to the field.
pub fn check_strength(password: &str, user_inputs: &[&str]) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LEN {
        return Err(format!("Use at least {MIN_LEN} characters."));
    }
    if length > MAX_LEN {
        return Err(format!("Use at most {MAX_LEN} characters."));
    }
    // zxcvbn matches user inputs as whole words: give it the parts people
    // build passwords from (name words, the name run together, the email's
    // local part and domain labels).
    let mut words: Vec<String> = Vec::new();
    for input in user_inputs {
        let input = input.to_lowercase();
        words.push(input.replace(char::is_whitespace, ""));
        words.extend(
            input
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() >= 3)
                .map(str::to_owned),
        );
        words.push(input);
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(password, &words);
    if u8::from(estimate.score()) >= 3 {
        return Ok(());
    }
    let mut reason = String::from("This password is too easy to guess.");
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            reason = format!("{warning}.").replace("..", ".");
        }
        if let Some(suggestion) = feedback.suggestions().first() {
            reason.push(' ');
            reason.push_str(&suggestion.to_string());
        }
    }
    Err(reason)
}

/// Hashes `password` on a blocking thread.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// Checks `password` against `stored` on a blocking thread. With no stored hash
/// (no such user) it still spends the same work, so timing tells nothing.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let Some(stored) = stored else {
            let salt = SaltString::generate(&mut OsRng);
            let _ = argon2().hash_password(password.as_bytes(), &salt);
            return Ok(false);
        };
        let parsed = PasswordHash::new(&stored).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        Ok(argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_and_common_passwords_are_refused_with_a_reason() {
        assert_eq!(
            check_strength("short", &[]),
            Err("Use at least 10 characters.".into())
        );
        assert!(check_strength(&"a".repeat(257), &[])
            .unwrap_err()
            .contains("at most"));
        for weak in ["password123", "qwertyuiop", "1234567890", "iloveyou12"] {
            assert!(check_strength(weak, &[]).is_err(), "{weak}");
        }
        assert!(
            check_strength("annajonsdottir", &["anna@example.com", "Anna Jonsdottir"]).is_err()
        );
        assert_eq!(check_strength("tidal-Quince-47-lantern", &[]), Ok(()));
    }

    #[tokio::test]
    async fn hashes_verify_and_use_argon2id_at_owasp_minimum() {
        let stored = hash("tidal-Quince-47-lantern".into()).await.unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(
            verify("tidal-Quince-47-lantern".into(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("tidal-Quince-47-lanterN".into(), Some(stored))
            .await
            .unwrap());
        assert!(!verify("anything".into(), None).await.unwrap());
    }
}
