//! Checks for the professional's forms: each turns what was typed into the
//! value stored, or a message (not yet in a language) to show next to the
//! field. Handlers put the messages in the viewer's language with
//! [`in_language`].

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

use crate::i18n::Msg;
use crate::web::money::{Money, ParseError};

/// What a professional calls themselves (the pages name them with the
/// message `pro-kind`).
pub const KINDS: &[&str] = &["psychologist", "coach", "counsellor", "therapist", "other"];

/// How a session takes place (named by `pro-mode`).
pub const MODES: &[&str] = &["video", "phone", "in_person"];

/// Who a session is for (named by `pro-session-type`).
pub const SESSION_TYPES: &[&str] = &["individual", "couples", "family", "group"];
/// When a private client pays for a service: when booking, or billed after the session.
pub const PAY_WHEN: &[&str] = &["after", "booking"];

/// The currencies private clients can be charged in.
pub const CURRENCIES: &[&str] = &["EUR", "ISK", "GBP", "USD", "SEK", "NOK", "DKK"];

/// ISO 3166-1 alpha-2 country codes.
const COUNTRIES: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ \
EC EE EG EH ER ES ET \
FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU \
ID IE IL IM IN IO IQ IR IS IT \
JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ \
OM \
PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA \
RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ \
VA VC VE VG VI VN VU \
WF WS \
YE YT \
ZA ZM ZW";

/// The most tags (specialties, languages) a profile lists.
pub const MAX_TAGS: usize = 12;
/// The longest tag.
pub const MAX_TAG_CHARS: usize = 40;

/// `input` trimmed, with 1 to `max` characters and no control characters;
/// the message `missing` when it is empty.
pub fn text(input: &str, max: usize, missing: &'static str) -> Result<String, Msg> {
    let value = input.trim();
    if value.is_empty() {
        return Err(Msg::new(missing));
    }
    max_chars(value, max)?;
    if value.chars().any(char::is_control) {
        return Err("pro-error-control".into());
    }
    Ok(value.to_owned())
}

/// `Ok` when `value` has at most `max` characters.
pub fn max_chars(value: &str, max: usize) -> Result<(), Msg> {
    if value.chars().count() > max {
        return Err(Msg::new("pro-error-max-chars").arg("max", max));
    }
    Ok(())
}

/// A comma-separated list: trimmed, without empty entries or repeats (of
/// any case), each 1–40 characters, at most 12 of them.
pub fn tags(input: &str) -> Result<Vec<String>, Msg> {
    let mut out: Vec<String> = Vec::new();
    for tag in input.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(Msg::new("pro-error-tag-too-long")
                .arg("start", tag.chars().take(20).collect::<String>())
                .arg("max", MAX_TAG_CHARS));
        }
        if tag.chars().any(char::is_control) {
            return Err("pro-error-control".into());
        }
        if !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag.to_owned());
        }
    }
    if out.len() > MAX_TAGS {
        return Err(Msg::new("pro-error-too-many-tags").arg("max", MAX_TAGS));
    }
    Ok(out)
}

/// An ISO 3166-1 alpha-2 country code, uppercased.
pub fn country(input: &str) -> Result<String, Msg> {
    let code = input.trim().to_ascii_uppercase();
    if code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code) {
        Ok(code)
    } else {
        Err("pro-error-country".into())
    }
}

/// An IANA timezone name that chrono-tz knows.
pub fn timezone(input: &str) -> Result<Tz, Msg> {
    input
        .trim()
        .parse::<Tz>()
        .map_err(|_| "pro-error-timezone".into())
}

/// One of the `choices`.
pub fn choice(input: &str, choices: &[&str]) -> Result<String, Msg> {
    choices
        .iter()
        .find(|value| **value == input.trim())
        .map(|value| (*value).to_owned())
        .ok_or_else(|| "pro-error-choice".into())
}

/// A whole number from `min` to `max`.
pub fn number(input: &str, min: i32, max: i32) -> Result<i32, Msg> {
    match input.trim().parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(Msg::new("pro-error-number").arg("min", min).arg("max", max)),
    }
}

/// The largest price a service may have, in minor units (1,000,000.00 of a
/// two-decimal currency).
pub const MAX_PRICE_MINOR: i64 = 100_000_000;

/// A price typed in `currency` (an ISO 4217 code of [`CURRENCIES`]): `120`,
/// `120.5`, `99,95`, `12.500` (see [`Money::parse`]), in the currency's minor
/// units.
pub fn price_minor(input: &str, currency: &str) -> Result<i64, Msg> {
    let Some(currency) = iso_currency::Currency::from_code(currency) else {
        return Err("pro-error-currency".into());
    };
    match Money::parse(input, currency, MAX_PRICE_MINOR) {
        Ok(money) => Ok(money.minor),
        Err(ParseError::TooLarge) => Err("pro-error-price-max".into()),
        Err(ParseError::TooPrecise) => Err(Msg::new("pro-error-price-decimals")
            .arg("currency", currency.code())
            .arg("decimals", currency.exponent().map_or(0, i64::from))),
        Err(ParseError::NotAnAmount) => Err("pro-error-price".into()),
    }
}

/// `minor` units of `currency` as the form shows them again: `120.00`, `12500`.
pub fn price_text(minor: i64, currency: &str) -> String {
    Money::new(minor, currency).map_or_else(|| minor.to_string(), |m| m.input_text())
}

/// A currency of [`CURRENCIES`].
pub fn currency(input: &str) -> Result<String, Msg> {
    let code = input.trim().to_ascii_uppercase();
    if CURRENCIES.contains(&code.as_str()) {
        Ok(code)
    } else {
        Err("pro-error-currency".into())
    }
}

/// A time of day, `HH:MM` (seconds, which some browsers add, are allowed).
pub fn time(input: &str) -> Result<NaiveTime, Msg> {
    let s = input.trim();
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .map_err(|_| "pro-error-time".into())
}

/// A day, `YYYY-MM-DD`.
pub fn day(input: &str) -> Result<NaiveDate, Msg> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").map_err(|_| "pro-error-date".into())
}

/// Whether `[a_start, a_end)` and `[b_start, b_end)` share a moment.
pub fn overlaps(a: (NaiveTime, NaiveTime), b: (NaiveTime, NaiveTime)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// The name of ISO weekday `n` (1 = Monday, anything else past 6 Sunday)
/// in `lang`, as running text writes it: "Monday", "mánudagur".
pub fn weekday_name(lang: &str, n: i16) -> String {
    let weekday = match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        _ => Weekday::Sun,
    };
    // Any week will do: the name is the same in all of them.
    NaiveDate::from_isoywd_opt(2024, 1, weekday)
        .map(|day| crate::web::time::format_day(lang, day, "%A"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iso_country_code_and_nothing_else_is_accepted() {
        assert_eq!(COUNTRIES.split(' ').count(), 249);
        assert_eq!(country(" is ").unwrap(), "IS");
        assert_eq!(country("GB").unwrap(), "GB");
        for bad in ["", "UK", "ISL", "X", "zz", "I S"] {
            assert!(country(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_bounded() {
        assert_eq!(
            tags(" Anxiety , stress,,anxiety, Burnout ").unwrap(),
            ["Anxiety", "stress", "Burnout"]
        );
        assert!(tags("").unwrap().is_empty());
        assert!(tags(&"x".repeat(41)).is_err());
        assert!(tags(&"x".repeat(40)).is_ok());
        let thirteen: Vec<String> = (0..13).map(|i| format!("t{i}")).collect();
        assert!(tags(&thirteen.join(",")).is_err());
        assert!(tags(&thirteen[..12].join(",")).is_ok());
    }

    #[test]
    fn prices_are_read_in_the_currencys_minor_units() {
        assert_eq!(price_minor("120.00", "EUR").unwrap(), 12_000);
        assert_eq!(price_minor("120", "EUR").unwrap(), 12_000);
        assert_eq!(price_minor("120.5", "EUR").unwrap(), 12_050);
        assert_eq!(price_minor("99,95", "EUR").unwrap(), 9_995);
        assert_eq!(price_minor("0", "EUR").unwrap(), 0);
        assert_eq!(price_minor("1000000", "EUR").unwrap(), 100_000_000);
        assert_eq!(price_minor("12500", "ISK").unwrap(), 12_500);
        assert_eq!(price_minor("12.500", "ISK").unwrap(), 12_500);
        assert!(
            price_minor("12,5", "ISK").is_err(),
            "no fractions of a króna"
        );
        for bad in [
            "",
            "abc",
            "12.3456",
            "-5",
            "1.2.3",
            ".50",
            "1e3",
            "1000000.01",
        ] {
            assert!(price_minor(bad, "EUR").is_err(), "{bad}");
        }
        assert_eq!(price_text(12_050, "EUR"), "120.50");
        assert_eq!(price_text(5, "EUR"), "0.05");
        assert_eq!(price_text(12_500, "ISK"), "12500");
    }

    #[test]
    fn timezones_are_iana_names() {
        assert_eq!(timezone("Europe/Paris").unwrap().name(), "Europe/Paris");
        assert!(timezone("Mars/Olympus").is_err());
        assert!(timezone("").is_err());
        let names = crate::web::time::timezone_names();
        assert!(names.contains(&"Atlantic/Reykjavik") && names.contains(&"UTC"));
        assert!(names.iter().all(|n| timezone(n).is_ok()));
    }

    #[test]
    fn times_and_overlaps() {
        let t = |s| time(s).unwrap();
        assert_eq!(t("09:00"), t("09:00:00"));
        assert!(time("25:00").is_err() && time("9").is_err());
        assert!(overlaps((t("09:00"), t("12:00")), (t("11:00"), t("13:00"))));
        assert!(!overlaps(
            (t("09:00"), t("12:00")),
            (t("12:00"), t("13:00"))
        ));
        assert!(overlaps((t("09:00"), t("17:00")), (t("10:00"), t("11:00"))));
    }

    #[test]
    fn weekdays_are_named_in_the_language_asked_for() {
        assert_eq!(weekday_name("en", 1), "Monday");
        assert_eq!(weekday_name("en", 7), "Sunday");
        assert_eq!(weekday_name("is", 1), "mánudagur");
        assert_eq!(weekday_name("is", 4), "fimmtudagur");
    }

    #[test]
    fn numbers_are_bounded() {
        assert_eq!(number(" 50 ", 10, 480).unwrap(), 50);
        assert!(number("5", 10, 480).is_err());
        assert!(number("481", 10, 480).is_err());
        assert!(number("ten", 10, 480).is_err());
    }
}
