//! Amounts of money: a whole number of the currency's minor units and an ISO
//! 4217 currency, never a float. How many decimals a currency has comes from
//! the `iso_currency` crate's copy of the ISO 4217 list (ISK and JPY none,
//! EUR two, KWD three); how a language writes a number (grouping and decimal
//! separators, the minus sign) from CLDR through `num-format`.

use std::fmt::Write as _;

use iso_currency::Currency;
use num_format::{Locale, ToFormattedString as _};
use serde::Serialize;

/// An amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Money {
    /// Whole minor units (cents of a euro, krónur of ISK).
    pub minor: i64,
    /// The currency.
    #[serde(serialize_with = "code")]
    pub currency: Currency,
}

fn code<S: serde::Serializer>(currency: &Currency, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(currency.code())
}

/// Why a typed amount was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// Not an amount: letters, a sign, separators in the wrong places.
    NotAnAmount,
    /// More decimals than the currency has (a fraction of a króna).
    TooPrecise,
    /// Over the largest amount a field takes.
    TooLarge,
}

impl Money {
    /// `minor` units of the currency with code `code` (`"EUR"`), if ISO 4217
    /// knows the code.
    pub fn new(minor: i64, code: &str) -> Option<Self> {
        Currency::from_code(code).map(|currency| Self { minor, currency })
    }

    /// The currency's decimals (its ISO 4217 exponent; none for the funds and
    /// metals that have none).
    pub fn decimals(&self) -> u32 {
        decimals(self.currency)
    }

    /// The amount as `language` (`"en"`, `"is"`) writes it: "€12.50",
    /// "ISK 12,500" and "-€12.50" in English; "12,50 €", "12.500 kr." and
    /// "-12,50 €" in Icelandic. Currencies without a symbol of their own are
    /// written with their code.
    pub fn format(&self, language: &str) -> String {
        let icelandic = language == "is";
        let locale = if icelandic { &Locale::is } else { &Locale::en };
        let d = self.decimals();
        let unit = 10u64.pow(d);
        let abs = self.minor.unsigned_abs();
        let mut number = (abs / unit).to_formatted_string(locale);
        if d > 0 {
            let _ = write!(
                number,
                "{}{:0width$}",
                locale.decimal(),
                abs % unit,
                width = d as usize
            );
        }
        let minus = if self.minor < 0 {
            locale.minus_sign()
        } else {
            ""
        };
        let code = self.currency.code();
        if icelandic {
            let symbol = match code {
                "ISK" => "kr.",
                "EUR" => "€",
                other => other,
            };
            format!("{minus}{number}\u{a0}{symbol}")
        } else {
            match code {
                "EUR" => format!("{minus}€{number}"),
                "GBP" => format!("{minus}£{number}"),
                "USD" => format!("{minus}${number}"),
                "JPY" => format!("{minus}¥{number}"),
                other => format!("{minus}{other}\u{a0}{number}"),
            }
        }
    }

    /// The amount as a form shows it for editing: digits, and the
    /// currency's decimals after a point ("12.50", "12500").
    pub fn input_text(&self) -> String {
        let d = self.decimals();
        let unit = 10u64.pow(d);
        let abs = self.minor.unsigned_abs();
        let sign = if self.minor < 0 { "-" } else { "" };
        if d == 0 {
            format!("{sign}{abs}")
        } else {
            format!(
                "{sign}{}.{:0width$}",
                abs / unit,
                abs % unit,
                width = d as usize
            )
        }
    }

    /// Reads an amount of `currency` typed by a person, at most `max_minor`
    /// minor units: "120", "120.5", "99,95", "12.500" or "12 500" (ISK), "1,234.56".
    /// A point, comma or space followed by exactly three digits groups
    /// thousands unless the currency has three decimals; the last point or
    /// comma followed by fewer digits than that is the decimal separator.
    pub fn parse(input: &str, currency: Currency, max_minor: i64) -> Result<Self, ParseError> {
        let d = decimals(currency) as usize;
        let s: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Err(ParseError::NotAnAmount);
        }
        // Split off the decimals: the last separator, unless it groups thousands.
        let (whole, fraction) = match s.rfind(['.', ',']) {
            Some(at) => {
                let tail = &s[at + 1..];
                if tail.is_empty() {
                    return Err(ParseError::NotAnAmount);
                }
                if tail.len() == 3 && d != 3 {
                    (s.as_str(), "")
                } else {
                    (&s[..at], tail)
                }
            }
            None => (s.as_str(), ""),
        };
        // What is left of the whole part: digits in groups of three after the first.
        let mut parts = whole.split(['.', ',']);
        let first = parts.next().unwrap_or_default();
        if first.is_empty() || first.len() > 15 {
            return Err(ParseError::NotAnAmount);
        }
        let mut digits = first.to_owned();
        for part in parts {
            if part.len() != 3 {
                return Err(ParseError::NotAnAmount);
            }
            digits.push_str(part);
        }
        if fraction.len() > d {
            return Err(ParseError::TooPrecise);
        }
        let whole: i64 = digits.parse().map_err(|_| ParseError::NotAnAmount)?;
        let mut padded = fraction.to_owned();
        while padded.len() < d {
            padded.push('0');
        }
        let fraction: i64 = if padded.is_empty() {
            0
        } else {
            padded.parse().map_err(|_| ParseError::NotAnAmount)?
        };
        let minor = whole
            .checked_mul(10i64.pow(d as u32))
            .and_then(|w| w.checked_add(fraction))
            .ok_or(ParseError::TooLarge)?;
        if minor > max_minor {
            return Err(ParseError::TooLarge);
        }
        Ok(Self { minor, currency })
    }
}

fn decimals(currency: Currency) -> u32 {
    currency.exponent().map_or(0, u32::from)
}

/// A price for people, in `language`: `minor` units of `currency`. An unknown
/// code (never stored: the database's currencies are checked) is written as
/// the bare number and code.
pub fn money(minor: i64, currency: &str, language: &str) -> String {
    match Money::new(minor, currency) {
        Some(m) => m.format(language),
        None => format!("{minor} {currency}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(minor: i64, code: &str) -> Money {
        Money::new(minor, code).unwrap()
    }

    #[test]
    fn each_currency_has_its_own_decimals() {
        assert_eq!(m(0, "ISK").decimals(), 0);
        assert_eq!(m(0, "JPY").decimals(), 0);
        assert_eq!(m(0, "EUR").decimals(), 2);
        assert_eq!(m(0, "KWD").decimals(), 3);
    }

    #[test]
    fn amounts_are_written_as_each_language_writes_them() {
        let nb = '\u{a0}';
        assert_eq!(m(1250, "EUR").format("en"), "€12.50");
        assert_eq!(m(1250, "EUR").format("is"), format!("12,50{nb}€"));
        assert_eq!(m(12_500, "ISK").format("en"), format!("ISK{nb}12,500"));
        assert_eq!(m(12_500, "ISK").format("is"), format!("12.500{nb}kr."));
        assert_eq!(m(-1250, "EUR").format("en"), "-€12.50");
        assert_eq!(m(-1250, "EUR").format("is"), format!("-12,50{nb}€"));
        assert_eq!(m(-5, "EUR").format("en"), "-€0.05");
        assert_eq!(m(123_456_789, "USD").format("en"), "$1,234,567.89");
        assert_eq!(m(1250, "JPY").format("en"), "¥1,250");
        assert_eq!(
            m(1_234_567, "KWD").format("en"),
            format!("KWD{nb}1,234.567")
        );
        assert_eq!(m(99_995, "SEK").format("is"), format!("999,95{nb}SEK"));
        assert_eq!(money(12_000, "EUR", "en"), "€120.00");
    }

    #[test]
    fn typed_amounts_are_read_in_the_currencys_minor_units() {
        let eur = Currency::EUR;
        let isk = Currency::ISK;
        let kwd = Currency::KWD;
        let max = i64::MAX;
        let ok = |s: &str, c: Currency| Money::parse(s, c, max).map(|m| m.minor);
        assert_eq!(ok("120", eur), Ok(12_000));
        assert_eq!(ok("120.5", eur), Ok(12_050));
        assert_eq!(ok("120.00", eur), Ok(12_000));
        assert_eq!(ok("99,95", eur), Ok(9_995));
        assert_eq!(ok("1,234.56", eur), Ok(123_456));
        assert_eq!(ok("1.234,56", eur), Ok(123_456));
        assert_eq!(ok("12.500", eur), Ok(1_250_000), "a group of thousands");
        assert_eq!(ok("12500", isk), Ok(12_500));
        assert_eq!(ok("12.500", isk), Ok(12_500));
        assert_eq!(ok("12 500", isk), Ok(12_500));
        assert_eq!(ok("1,5", isk), Err(ParseError::TooPrecise));
        assert_eq!(ok("1.234", kwd), Ok(1_234), "three decimals");
        assert_eq!(ok("0", eur), Ok(0));
        for bad in ["", "abc", "-5", "1.2.3", "12,34,56", "1e5", "€5", ".", "5."] {
            assert_eq!(ok(bad, eur), Err(ParseError::NotAnAmount), "{bad}");
        }
        assert_eq!(
            Money::parse("1000000.01", eur, 100_000_000),
            Err(ParseError::TooLarge)
        );
        assert_eq!(
            Money::parse("1000000", eur, 100_000_000).map(|m| m.minor),
            Ok(100_000_000)
        );
        assert_eq!(
            Money::parse("99999999999999999", eur, max),
            Err(ParseError::NotAnAmount)
        );
    }

    #[test]
    fn a_form_gets_back_what_it_can_read() {
        for (minor, code) in [(12_050, "EUR"), (12_500, "ISK"), (1_234, "KWD"), (0, "USD")] {
            let money = m(minor, code);
            assert_eq!(
                Money::parse(&money.input_text(), money.currency, i64::MAX),
                Ok(money)
            );
        }
        assert_eq!(m(12_050, "EUR").input_text(), "120.50");
        assert_eq!(m(12_500, "ISK").input_text(), "12500");
    }
}
