//! The Home calendar's arithmetic: which month or week is shown (from
//! `?view=month&month=2026-11` or `?view=week&week=2026-11-16`), the days it
//! covers (whole weeks, Monday first), and its neighbours. Days are the
//! viewer's local days; [`local_midnight`] turns them into instants.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// What the calendar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// A month, by its first day.
    Month(NaiveDate),
    /// A week, by its Monday.
    Week(NaiveDate),
}

/// The years the calendar will show; anything else falls back to today.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

fn in_range(d: NaiveDate) -> Option<NaiveDate> {
    YEARS.contains(&d.year()).then_some(d)
}

/// The Monday of `day`'s week.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The first day of `day`'s month.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

impl View {
    /// The view a query asks for; a missing or malformed one shows the
    /// month (or week) holding `today`.
    pub fn from_query(
        view: Option<&str>,
        month: Option<&str>,
        week: Option<&str>,
        today: NaiveDate,
    ) -> View {
        if view == Some("week") {
            let monday = week
                .and_then(|w| NaiveDate::parse_from_str(w.trim(), "%Y-%m-%d").ok())
                .and_then(in_range)
                .unwrap_or(today);
            View::Week(monday_of(monday))
        } else {
            let first = month
                .and_then(|m| {
                    NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d").ok()
                })
                .and_then(in_range)
                .unwrap_or(today);
            View::Month(first_of_month(first))
        }
    }

    /// The local days shown, `[from, to)`: whole weeks, Monday to Sunday.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        match self {
            View::Week(monday) => (monday, monday + Duration::days(7)),
            View::Month(first) => {
                let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
                let last = next.pred_opt().unwrap_or(first);
                (monday_of(first), monday_of(last) + Duration::days(7))
            }
        }
    }

    /// The weeks shown, each seven days from Monday.
    pub fn weeks(self) -> Vec<[NaiveDate; 7]> {
        let (from, to) = self.days();
        let mut weeks = Vec::new();
        let mut monday = from;
        while monday < to {
            weeks.push(std::array::from_fn(|i| {
                monday + Duration::days(i64::try_from(i).unwrap_or(0))
            }));
            monday += Duration::days(7);
        }
        weeks
    }

    /// The view before this one.
    pub fn prev(self) -> View {
        match self {
            View::Week(m) => View::Week(m - Duration::days(7)),
            View::Month(f) => View::Month(f.checked_sub_months(Months::new(1)).unwrap_or(f)),
        }
    }

    /// The view after this one.
    pub fn next(self) -> View {
        match self {
            View::Week(m) => View::Week(m + Duration::days(7)),
            View::Month(f) => View::Month(f.checked_add_months(Months::new(1)).unwrap_or(f)),
        }
    }

    /// The same stretch of time as a month: the month of the week's Thursday
    /// (the month most of the week is in).
    pub fn as_month(self) -> View {
        match self {
            View::Month(_) => self,
            View::Week(m) => View::Month(first_of_month(m + Duration::days(3))),
        }
    }

    /// The same stretch of time as a week: `today`'s week when the month
    /// holds it, else the month's first week.
    pub fn as_week(self, today: NaiveDate) -> View {
        match self {
            View::Week(_) => self,
            View::Month(f) if first_of_month(today) == f => View::Week(monday_of(today)),
            View::Month(f) => View::Week(monday_of(f)),
        }
    }

    /// Its query string: `view=month&month=2026-11` or `view=week&week=2026-11-16`.
    pub fn query(self) -> String {
        match self {
            View::Month(f) => format!("view=month&month={}", f.format("%Y-%m")),
            View::Week(m) => format!("view=week&week={}", m.format("%Y-%m-%d")),
        }
    }

    /// Its heading in English: "November 2026" or "16 – 22 November 2026".
    pub fn title(self) -> String {
        self.title_in("en")
    }

    /// Its heading in `lang` ("nóvember 2026", "16. – 22. nóvember 2026").
    pub fn title_in(self, lang: &str) -> String {
        let f = |d: NaiveDate, pattern: &str| crate::web::time::format_day(lang, d, pattern);
        match self {
            View::Month(first) => f(first, "%B %Y"),
            View::Week(m) => {
                let sunday = m + Duration::days(6);
                let end = f(sunday, "%-d %B %Y");
                if m.month() == sunday.month() {
                    format!("{} – {end}", f(m, "%-d"))
                } else if m.year() == sunday.year() {
                    format!("{} – {end}", f(m, "%-d %B"))
                } else {
                    format!("{} – {end}", f(m, "%-d %B %Y"))
                }
            }
        }
    }

    /// Whether this is a month view.
    pub fn is_month(self) -> bool {
        matches!(self, View::Month(_))
    }

    /// Whether `day` belongs to the month shown (always, for a week).
    pub fn holds(self, day: NaiveDate) -> bool {
        match self {
            View::Month(f) => first_of_month(day) == f,
            View::Week(_) => true,
        }
    }
}

/// The instant local day `day` begins in `tz` (where midnight does not
/// exist, the first moment that does).
pub fn local_midnight(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    for hour in 0..3 {
        if let Some(t) = day
            .and_hms_opt(hour, 0, 0)
            .and_then(|t| tz.from_local_datetime(&t).earliest())
        {
            return t.with_timezone(&Utc);
        }
    }
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_month_is_shown_in_whole_weeks_from_monday() {
        // November 2026 starts on a Sunday and ends on a Monday.
        let v = View::from_query(Some("month"), Some("2026-11"), None, d(2030, 1, 1));
        assert_eq!(v, View::Month(d(2026, 11, 1)));
        assert_eq!(v.days(), (d(2026, 10, 26), d(2026, 12, 7)));
        let weeks = v.weeks();
        assert_eq!(weeks.len(), 6);
        assert_eq!(weeks[0][6], d(2026, 11, 1));
        assert_eq!(weeks[5][0], d(2026, 11, 30));
        assert!(v.holds(d(2026, 11, 30)) && !v.holds(d(2026, 12, 1)));
        assert_eq!(v.title(), "November 2026");
        assert_eq!(v.title_in("is"), "nóvember 2026");
        assert_eq!(
            View::Week(d(2026, 11, 30)).title_in("is"),
            "30. nóvember – 6. desember 2026"
        );
        // February 2027 starts on a Monday: four weeks exactly.
        assert_eq!(View::Month(d(2027, 2, 1)).weeks().len(), 4);
    }

    #[test]
    fn a_week_snaps_to_its_monday_and_steps_by_seven_days() {
        let v = View::from_query(Some("week"), None, Some("2026-11-18"), d(2030, 1, 1));
        assert_eq!(v, View::Week(d(2026, 11, 16)));
        assert_eq!(v.query(), "view=week&week=2026-11-16");
        assert_eq!(v.prev(), View::Week(d(2026, 11, 9)));
        assert_eq!(v.next().title(), "23 – 29 November 2026");
        assert_eq!(
            View::Week(d(2026, 11, 30)).title(),
            "30 November – 6 December 2026"
        );
        assert_eq!(
            View::Week(d(2026, 12, 28)).title(),
            "28 December 2026 – 3 January 2027"
        );
        // The month of a week is the month of most of its days.
        assert_eq!(
            View::Week(d(2026, 11, 30)).as_month(),
            View::Month(d(2026, 12, 1))
        );
    }

    #[test]
    fn months_step_across_years_and_toggle_to_weeks() {
        let v = View::Month(d(2026, 12, 1));
        assert_eq!(v.next(), View::Month(d(2027, 1, 1)));
        assert_eq!(v.prev().query(), "view=month&month=2026-11");
        assert_eq!(v.as_week(d(2026, 12, 17)), View::Week(d(2026, 12, 14)));
        assert_eq!(v.as_week(d(2027, 3, 3)), View::Week(d(2026, 11, 30)));
    }

    #[test]
    fn malformed_or_far_queries_show_today() {
        let today = d(2026, 11, 21);
        for month in ["", "2026-13", "nonsense", "1850-01", "99999-01"] {
            assert_eq!(
                View::from_query(None, Some(month), None, today),
                View::Month(d(2026, 11, 1)),
                "{month}"
            );
        }
        assert_eq!(
            View::from_query(Some("week"), None, Some("2026-02-30"), today),
            View::Week(d(2026, 11, 16))
        );
    }

    #[test]
    fn local_days_begin_at_local_midnight() {
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        assert_eq!(
            local_midnight(tokyo, d(2026, 11, 16)).to_rfc3339(),
            "2026-11-15T15:00:00+00:00"
        );
        // Santiago skips midnight when summer time begins (6 Sep 2026).
        let santiago: Tz = "America/Santiago".parse().unwrap();
        assert_eq!(
            local_midnight(santiago, d(2026, 9, 6)).to_rfc3339(),
            "2026-09-06T04:00:00+00:00"
        );
    }
}
