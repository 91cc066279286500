//! Checks for the profile's fields: each turns what was typed into the value
//! stored, or a message (worded later, in the viewer's language) to show next
//! to the field.

use chrono::NaiveDate;

use crate::i18n::Msg;

/// The longest name.
/// The earliest date of birth accepted (the database checks it too).
pub const EARLIEST_BIRTH: (i32, u32, u32) = (1900, 1, 1);
/// The languages a user may choose, with their names in themselves.
pub const LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("is", "Íslenska")];

#[cfg(test)]
use crate::web::form::person_name as name;

/// `input` trimmed, `None` when empty, at most `max` characters, no control
/// characters.
pub fn optional_text(input: &str, max: usize) -> Result<Option<String>, Msg> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max {
        return Err(Msg::new("profile-error-too-long").arg("max", max));
    }
    if value.chars().any(char::is_control) {
        return Err("profile-error-control".into());
    }
    Ok(Some(value.to_owned()))
}

/// A date of birth as a date field sends it (`1990-04-23`) or as people
/// write it here (`23.04.1990`); not after `today`, not before 1900.
pub fn date_of_birth(input: &str, today: NaiveDate) -> Result<Option<NaiveDate>, Msg> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d.%m.%Y"))
        .map_err(|_| Msg::new("profile-error-dob-format"))?;
    let (y, m, d) = EARLIEST_BIRTH;
    if NaiveDate::from_ymd_opt(y, m, d).is_some_and(|earliest| date < earliest) {
        return Err("profile-error-dob-early".into());
    }
    if date > today {
        return Err("profile-error-dob-future".into());
    }
    Ok(Some(date))
}

/// A phone number in international format (`+354 555 1234`, `+44 (20)
/// 7946-0958`, or `00354 5551234`) as E.164 (`+3545551234`); `None` when
/// empty. Spaces, dashes, dots and parentheses may separate the digits.
pub fn phone(input: &str) -> Result<Option<String>, Msg> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    e164(value)
        .map(Some)
        .ok_or_else(|| "profile-error-phone".into())
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
pub fn language(input: &str) -> Result<String, Msg> {
    LANGUAGES
        .iter()
        .find(|(code, _)| *code == input.trim())
        .map(|(code, _)| (*code).to_owned())
        .ok_or_else(|| "profile-error-language".into())
}

/// An IANA timezone name chrono-tz knows.
pub fn timezone(input: &str) -> Result<String, Msg> {
    let value = input.trim();
    match value.parse::<chrono_tz::Tz>() {
        Ok(tz) if value.len() <= 64 => Ok(tz.name().to_owned()),
        _ => Err("profile-error-timezone".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads the real catalogue, for the wording of messages.
    fn catalogue() {
        crate::i18n::init(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../themes"
        )))
        .unwrap();
    }

    #[test]
    fn phone_numbers_become_e164() {
        catalogue();
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
        assert_eq!(phone("  ").unwrap(), None);
        assert_eq!(
            phone("5551234").unwrap_err().text("is"),
            "Sláðu inn númerið með landsnúmeri, t.d. +354 555 1234."
        );
    }

    #[test]
    fn dates_of_birth_are_in_the_past_and_from_1900() {
        catalogue();
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(
            date_of_birth("1990-04-23", today).unwrap(),
            NaiveDate::from_ymd_opt(1990, 4, 23)
        );
        assert_eq!(
            date_of_birth("23.04.1990", today).unwrap(),
            NaiveDate::from_ymd_opt(1990, 4, 23)
        );
        assert_eq!(date_of_birth("", today).unwrap(), None);
        assert_eq!(date_of_birth("2026-11-21", today).unwrap(), Some(today));
        assert!(date_of_birth("2026-11-22", today)
            .unwrap_err()
            .text("en")
            .contains("future"));
        assert!(date_of_birth("1899-12-31", today)
            .unwrap_err()
            .text("en")
            .contains("1900"));
        assert!(date_of_birth("1990-02-30", today).is_err());
        assert!(date_of_birth("yesterday", today).is_err());
    }

    #[test]
    fn names_texts_languages_and_timezones_are_checked() {
        catalogue();
        assert_eq!(name("  Anna Jónsdóttir ").unwrap(), "Anna Jónsdóttir");
        assert!(name("").is_err());
        assert!(name(&"a".repeat(201)).is_err());
        assert!(name("Anna\nJ").is_err());
        assert_eq!(optional_text(" ", 20).unwrap(), None);
        assert_eq!(
            optional_text(&"x".repeat(21), 20).unwrap_err().text("en"),
            "Use at most 20 characters."
        );
        assert_eq!(language("is").unwrap(), "is");
        assert!(language("fr").is_err());
        assert_eq!(
            timezone("Atlantic/Reykjavik").unwrap(),
            "Atlantic/Reykjavik"
        );
        assert!(timezone("Mars/Olympus").is_err());
    }
}
