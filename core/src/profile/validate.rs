//! Checks for the profile's fields: each turns what was typed into the value
//! stored, or a sentence (in the user's language) to show next to the field.

use chrono::NaiveDate;

use super::text::{fill, get};

/// The longest name.
pub const MAX_NAME: usize = 200;
/// The earliest date of birth accepted (the database checks it too).
pub const EARLIEST_BIRTH: (i32, u32, u32) = (1900, 1, 1);
/// The languages a user may choose, with their names in themselves.
pub const LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("is", "Íslenska")];

/// `input` trimmed, 1 to [`MAX_NAME`] characters, no control characters.
pub fn name(lang: &str, input: &str) -> Result<String, String> {
    let value = input.trim();
    if value.is_empty() || value.chars().count() > MAX_NAME {
        return Err(get(lang, "err_name"));
    }
    if value.chars().any(char::is_control) {
        return Err(get(lang, "err_control"));
    }
    Ok(value.to_owned())
}

/// `input` trimmed, `None` when empty, at most `max` characters, no control
/// characters.
pub fn optional_text(lang: &str, input: &str, max: usize) -> Result<Option<String>, String> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max {
        return Err(fill(lang, "err_too_long", &[("max", max.to_string())]));
    }
    if value.chars().any(char::is_control) {
        return Err(get(lang, "err_control"));
    }
    Ok(Some(value.to_owned()))
}

/// A date of birth as a date field sends it (`1990-04-23`) or as people
/// write it here (`23.04.1990`); not after `today`, not before 1900.
pub fn date_of_birth(
    lang: &str,
    input: &str,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, String> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d.%m.%Y"))
        .map_err(|_| get(lang, "err_dob_format"))?;
    let (y, m, d) = EARLIEST_BIRTH;
    if NaiveDate::from_ymd_opt(y, m, d).is_some_and(|earliest| date < earliest) {
        return Err(get(lang, "err_dob_early"));
    }
    if date > today {
        return Err(get(lang, "err_dob_future"));
    }
    Ok(Some(date))
}

/// A phone number in international format (`+354 555 1234`, `+44 (20)
/// 7946-0958`, or `00354 5551234`) as E.164 (`+3545551234`); `None` when
/// empty. Spaces, dashes, dots and parentheses may separate the digits.
pub fn phone(lang: &str, input: &str) -> Result<Option<String>, String> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    e164(value).map(Some).ok_or_else(|| get(lang, "err_phone"))
}

/// `input` as E.164, if it is an international number.
pub fn e164(input: &str) -> Option<String> {
    let rest = if let Some(rest) = input.strip_prefix('+') {
        rest
    } else {
        input.strip_prefix("00")?
    };
    let mut digits = String::with_capacity(15);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            _ => return None,
        }
    }
    let valid = (7..=15).contains(&digits.len()) && !digits.starts_with('0');
    valid.then(|| format!("+{digits}"))
}

/// One of [`LANGUAGES`].
pub fn language(lang: &str, input: &str) -> Result<String, String> {
    LANGUAGES
        .iter()
        .find(|(code, _)| *code == input.trim())
        .map(|(code, _)| (*code).to_owned())
        .ok_or_else(|| get(lang, "err_language"))
}

/// An IANA timezone name chrono-tz knows.
pub fn timezone(lang: &str, input: &str) -> Result<String, String> {
    let value = input.trim();
    match value.parse::<chrono_tz::Tz>() {
        Ok(tz) if value.len() <= 64 => Ok(tz.name().to_owned()),
        _ => Err(get(lang, "err_timezone")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_e164() {
        assert_eq!(e164("+354 555 1234").as_deref(), Some("+3545551234"));
        assert_eq!(e164("+44 (20) 7946-0958").as_deref(), Some("+442079460958"));
        assert_eq!(e164("00354 555-1234").as_deref(), Some("+3545551234"));
        assert_eq!(e164("+1.415.555.2671").as_deref(), Some("+14155552671"));
        for bad in [
            "555 1234",
            "+0 555 1234",
            "+354 555",
            "+1234567890123456",
            "+354 555 1234 ext 5",
            "+354 555 12a4",
            "++3545551234",
            "phone",
        ] {
            assert_eq!(e164(bad), None, "{bad}");
        }
        assert_eq!(phone("en", "  ").unwrap(), None);
        assert_eq!(
            phone("is", "5551234").unwrap_err(),
            "Sláðu inn númerið með landsnúmeri, t.d. +354 555 1234."
        );
    }

    #[test]
    fn dates_of_birth_are_in_the_past_and_from_1900() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(
            date_of_birth("en", "1990-04-23", today).unwrap(),
            NaiveDate::from_ymd_opt(1990, 4, 23)
        );
        assert_eq!(
            date_of_birth("en", "23.04.1990", today).unwrap(),
            NaiveDate::from_ymd_opt(1990, 4, 23)
        );
        assert_eq!(date_of_birth("en", "", today).unwrap(), None);
        assert_eq!(
            date_of_birth("en", "2026-11-21", today).unwrap(),
            Some(today)
        );
        assert!(date_of_birth("en", "2026-11-22", today)
            .unwrap_err()
            .contains("future"));
        assert!(date_of_birth("en", "1899-12-31", today)
            .unwrap_err()
            .contains("1900"));
        assert!(date_of_birth("en", "1990-02-30", today).is_err());
        assert!(date_of_birth("en", "yesterday", today).is_err());
    }

    #[test]
    fn names_texts_languages_and_timezones_are_checked() {
        assert_eq!(name("en", "  Anna Jónsdóttir ").unwrap(), "Anna Jónsdóttir");
        assert!(name("en", "").is_err());
        assert!(name("en", &"a".repeat(201)).is_err());
        assert!(name("en", "Anna\nJ").is_err());
        assert_eq!(optional_text("en", " ", 20).unwrap(), None);
        assert_eq!(
            optional_text("en", &"x".repeat(21), 20).unwrap_err(),
            "Use at most 20 characters."
        );
        assert_eq!(language("en", "is").unwrap(), "is");
        assert!(language("en", "fr").is_err());
        assert_eq!(
            timezone("en", "Atlantic/Reykjavik").unwrap(),
            "Atlantic/Reykjavik"
        );
        assert!(timezone("en", "Mars/Olympus").is_err());
    }
}
