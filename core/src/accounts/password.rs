//! Passwords: argon2id at OWASP's minimum cost or above, hashed off the async
//! threads; strength judged by zxcvbn, whose dictionaries hold the common lists.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use zxcvbn::feedback::{Suggestion, Warning};

use crate::i18n::Msg;

/// Shortest password accepted.
pub const MIN_LEN: usize = 10;
/// Longest password accepted.
pub const MAX_LEN: usize = 256;

/// argon2id, m = 19 MiB, t = 2, p = 1: OWASP's minimum.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a password was refused, shown next to the field: too short, too long,
/// or too easy to guess (with zxcvbn's reason and its first suggestion).
pub fn check_strength(password: &str, user_inputs: &[&str]) -> Result<(), Msg> {
    let length = password.chars().count();
    if length < MIN_LEN {
        return Err(Msg::new("auth-password-short").arg("min", MIN_LEN));
    }
    if length > MAX_LEN {
        return Err(Msg::new("auth-password-long").arg("max", MAX_LEN));
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
    let feedback = estimate.feedback();
    let warning = feedback
        .and_then(|f| f.warning())
        .map_or("none", warning_key);
    let suggestion = feedback
        .and_then(|f| f.suggestions().first().copied())
        .map_or("none", suggestion_key);
    Err(Msg::new("auth-password-weak")
        .arg("warning", warning)
        .arg("suggestion", suggestion))
}

/// zxcvbn's warning as a variant of `auth-password-weak` (its English is
/// only the catalogue's English).
fn warning_key(warning: Warning) -> &'static str {
    match warning {
        Warning::StraightRowsOfKeysAreEasyToGuess => "straight-rows",
        Warning::ShortKeyboardPatternsAreEasyToGuess => "short-keyboard-patterns",
        Warning::RepeatsLikeAaaAreEasyToGuess => "repeats",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => "repeated-groups",
        Warning::ThisIsATop10Password => "top-10",
        Warning::ThisIsATop100Password => "top-100",
        Warning::ThisIsACommonPassword => "common",
        Warning::ThisIsSimilarToACommonlyUsedPassword => "similar-to-common",
        Warning::SequencesLikeAbcAreEasyToGuess => "sequences",
        Warning::RecentYearsAreEasyToGuess => "recent-years",
        Warning::AWordByItselfIsEasyToGuess => "single-word",
        Warning::DatesAreOftenEasyToGuess => "dates",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => "names",
        Warning::CommonNamesAndSurnamesAreEasyToGuess => "common-names",
    }
}

/// zxcvbn's suggestion as a variant of `auth-password-weak`.
fn suggestion_key(suggestion: Suggestion) -> &'static str {
    match suggestion {
        Suggestion::UseAFewWordsAvoidCommonPhrases => "few-words",
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => "no-symbols-needed",
        Suggestion::AddAnotherWordOrTwo => "add-word",
        Suggestion::CapitalizationDoesntHelpVeryMuch => "capitalization",
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => "all-uppercase",
        Suggestion::ReversedWordsArentMuchHarderToGuess => "reversed-words",
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => "substitutions",
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => "longer-keyboard-pattern",
        Suggestion::AvoidRepeatedWordsAndCharacters => "avoid-repeats",
        Suggestion::AvoidSequences => "avoid-sequences",
        Suggestion::AvoidRecentYears => "avoid-recent-years",
        Suggestion::AvoidYearsThatAreAssociatedWithYou => "avoid-your-years",
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => "avoid-your-dates",
    }
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
            Err(Msg::new("auth-password-short").arg("min", 10))
        );
        assert_eq!(
            check_strength(&"a".repeat(257), &[]).unwrap_err().id,
            "auth-password-long"
        );
        for weak in ["password123", "qwertyuiop", "1234567890", "iloveyou12"] {
            assert!(check_strength(weak, &[]).is_err(), "{weak}");
        }
        assert!(
            check_strength("annajonsdottir", &["anna@example.com", "Anna Jonsdottir"]).is_err()
        );
        assert_eq!(check_strength("tidal-Quince-47-lantern", &[]), Ok(()));
    }

    #[test]
    fn zxcvbn_feedback_reads_as_zxcvbn_wrote_it_in_english_and_is_translated() {
        crate::i18n::init(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes"))
            .unwrap();
        let warnings = [
            Warning::StraightRowsOfKeysAreEasyToGuess,
            Warning::ShortKeyboardPatternsAreEasyToGuess,
            Warning::RepeatsLikeAaaAreEasyToGuess,
            Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
            Warning::ThisIsATop10Password,
            Warning::ThisIsATop100Password,
            Warning::ThisIsACommonPassword,
            Warning::ThisIsSimilarToACommonlyUsedPassword,
            Warning::SequencesLikeAbcAreEasyToGuess,
            Warning::RecentYearsAreEasyToGuess,
            Warning::AWordByItselfIsEasyToGuess,
            Warning::DatesAreOftenEasyToGuess,
            Warning::NamesAndSurnamesByThemselvesAreEasyToGuess,
            Warning::CommonNamesAndSurnamesAreEasyToGuess,
        ];
        let suggestions = [
            Suggestion::UseAFewWordsAvoidCommonPhrases,
            Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters,
            Suggestion::AddAnotherWordOrTwo,
            Suggestion::CapitalizationDoesntHelpVeryMuch,
            Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase,
            Suggestion::ReversedWordsArentMuchHarderToGuess,
            Suggestion::PredictableSubstitutionsDontHelpVeryMuch,
            Suggestion::UseALongerKeyboardPatternWithMoreTurns,
            Suggestion::AvoidRepeatedWordsAndCharacters,
            Suggestion::AvoidSequences,
            Suggestion::AvoidRecentYears,
            Suggestion::AvoidYearsThatAreAssociatedWithYou,
            Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou,
        ];
        let weak = |w: &'static str, s: &'static str| {
            Msg::new("auth-password-weak")
                .arg("warning", w)
                .arg("suggestion", s)
        };
        for w in warnings {
            for s in suggestions {
                let msg = weak(warning_key(w), suggestion_key(s));
                assert_eq!(msg.text("en"), format!("{w} {s}"));
                let is = msg.text("is");
                assert!(is.contains(". ") && !is.contains("guess"), "{is}");
            }
            assert_eq!(weak(warning_key(w), "none").text("en"), w.to_string());
        }
        assert_eq!(
            weak("none", "none").text("en"),
            "This password is too easy to guess."
        );
        assert_eq!(
            weak("none", "none").text("is"),
            "Auðvelt er að giska á þetta lykilorð."
        );
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
