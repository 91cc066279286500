//! CSV downloads: cells a spreadsheet never reads as formulas, and the
//! month a monthly statement is asked for.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Months, NaiveDate};

use crate::i18n::Msg;

/// The earliest month a statement covers.
const FIRST_MONTH: (i32, u32) = (2000, 1);

/// The first day of this month (UTC) and of last month.
pub fn this_and_last_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this = today.with_day(1).unwrap_or(today);
    (
        this,
        this.checked_sub_months(Months::new(1)).unwrap_or(this),
    )
}

/// The month asked for, as its first day: `YYYY-MM` from [`FIRST_MONTH`] to
/// this month; last month when none is given.
pub fn month_of(
    input: Option<&str>,
    today: NaiveDate,
    refusal: &'static str,
) -> Result<NaiveDate, Msg> {
    let (this, last) = this_and_last_month(today);
    let text = input.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Ok(last);
    }
    let refused = || Msg::new(refusal);
    let (year, month) = text.split_once('-').ok_or_else(refused)?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(month, 2) {
        return Err(refused());
    }
    let year: i32 = year.parse().map_err(|_| refused())?;
    let month: u32 = month.parse().map_err(|_| refused())?;
    let first = NaiveDate::from_ymd_opt(FIRST_MONTH.0, FIRST_MONTH.1, 1).ok_or_else(refused)?;
    NaiveDate::from_ymd_opt(year, month, 1)
        .filter(|d| (first..=this).contains(d))
        .ok_or_else(refused)
}

/// One CSV cell (RFC 4180), defused so a spreadsheet never reads it as a
/// formula: names are typed by people.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A CSV file being written: rows of cells, each defused ([`cell`]).
#[derive(Debug, Default)]
pub struct Sheet(String);

impl Sheet {
    /// Adds a row.
    pub fn row(&mut self, cells: &[String]) {
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        self.0.push_str(&cells.join(","));
        self.0.push_str("\r\n");
    }

    /// The file as a download named `name`, never cached.
    pub fn download(self, name: &str) -> Response {
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            self.0,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::{cell, month_of};
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_month_is_last_month_unless_a_past_one_is_asked() {
        let today = day(2026, 1, 15);
        assert_eq!(month_of(None, today, "x").ok(), Some(day(2025, 12, 1)));
        assert_eq!(month_of(Some(" "), today, "x").ok(), Some(day(2025, 12, 1)));
        assert_eq!(
            month_of(Some("2026-01"), today, "x").ok(),
            Some(day(2026, 1, 1))
        );
        assert_eq!(
            month_of(Some("2000-01"), today, "x").ok(),
            Some(day(2000, 1, 1))
        );
        for bad in [
            "2026-02", "1999-12", "2025-13", "2025-00", "2025-1", "25-01", "2025/01", "abc",
            "+202-01",
        ] {
            assert!(month_of(Some(bad), today, "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("Acme \"A\""), "\"Acme \"\"A\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        assert_eq!(cell("12"), "\"12\"");
    }
}
