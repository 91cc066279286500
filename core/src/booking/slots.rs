//! Free slots from weekly availability, date exceptions and busy times.
//!
//! Pure computation: no database, no clock (the caller passes `now`). A
//! professional's hours are local times in their own timezone; everything
//! else (busy times, `now`, the range asked for, the slots returned) is UTC.
//!
//! How a slot is found:
//! 1. For each local date, the windows are that weekday's rules, minus the
//!    date's `Off` exceptions (the whole day, or the hours given), plus its
//!    `Extra` hours; touching or overlapping windows of one date are merged.
//! 2. Each window is converted to UTC with the professional's timezone. A
//!    local time that does not exist (the spring-forward gap) becomes the
//!    first real instant after it; an ambiguous one (fall-back) the earliest.
//!    The conversion keeps order, so windows never overlap in UTC and no real
//!    instant is offered twice.
//! 3. Candidates start every `step` from each window's start, so the grid of a
//!    day never depends on the range asked for. A candidate `s` is free when
//!    `[s, s + duration)` lies in its window, `s` is within the notice and
//!    horizon and the range, and `[s, s + duration + buffer)` overlaps no busy
//!    interval (half-open, like the database's exclusion constraint on
//!    `tstzrange(starts_at, blocked_until)`).
//!
//! Busy intervals are swept with one pointer (sorted once, unless they come
//! sorted), so a year of appointments costs O(n + slots), not O(n * slots).

use std::borrow::Cow;

use chrono::{
    DateTime, Datelike, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone,
    Utc,
};
use chrono_tz::Tz;
use serde::Serialize;

/// Weekly hours: on every `weekday` (1 = Monday .. 7 = Sunday, ISO), from
/// `start` to `end` local time. An `end` of 00:00 means midnight at the end of
/// the day; a rule with `end` before `start` is ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeeklyRule {
    /// ISO weekday, 1 = Monday .. 7 = Sunday; other values never match.
    pub weekday: u32,
    /// Local start time.
    pub start: NaiveTime,
    /// Local end time (exclusive).
    pub end: NaiveTime,
}

/// What a date exception does to the weekly hours of its day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExceptionKind {
    /// Time off: the whole day, or the hours given.
    Off,
    /// Extra hours on that day, added after time off is removed.
    Extra,
}

impl ExceptionKind {
    /// The kind stored in `availability_exceptions.kind` (`off` or `extra`).
    pub fn from_db(kind: &str) -> Option<Self> {
        match kind {
            "off" => Some(Self::Off),
            "extra" => Some(Self::Extra),
            _ => None,
        }
    }
}

/// A change to one local date's hours. `Off` without times is the whole day
/// off (a missing start or end alone means the start or end of the day);
/// `Off` with times removes those hours; `Extra` adds its hours and is ignored
/// without both times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateException {
    /// The professional's local date.
    pub day: NaiveDate,
    /// Time off or extra hours.
    pub kind: ExceptionKind,
    /// Local start time, if the exception is for part of the day.
    pub start: Option<NaiveTime>,
    /// Local end time (exclusive; 00:00 means midnight at the end of the day).
    pub end: Option<NaiveTime>,
}

/// A professional's bookable hours and booking limits.
#[derive(Clone, Debug, PartialEq)]
pub struct Availability {
    /// The professional's timezone: rules and exceptions are local times there.
    pub timezone: Tz,
    /// Weekly hours.
    pub rules: Vec<WeeklyRule>,
    /// Date exceptions, in any order.
    pub exceptions: Vec<DateException>,
    /// Minutes kept free after each session (negative counts as 0).
    pub buffer_minutes: i64,
    /// How long before a session it must be booked (negative counts as 0).
    pub min_notice_minutes: i64,
    /// How many days ahead of now sessions may start.
    pub horizon_days: i64,
}

/// Time the professional is not available: an appointment's
/// `[starts_at, blocked_until)` (its buffer included) or a slot hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy {
    /// Start (inclusive).
    pub start: DateTime<Utc>,
    /// End (exclusive), buffer included.
    pub end: DateTime<Utc>,
}

/// The free slot starts in `[from, to)`, in increasing order, for a session
/// of `duration_minutes` on a grid of `step_minutes` from each window's start.
/// `busy` may be in any order. Odd input (no rules, a duration or step that is
/// not positive, `to <= from`) gives no slots, never a panic.
pub fn free_slots(
    av: &Availability,
    duration_minutes: i64,
    step_minutes: i64,
    busy: &[Busy],
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut slots = Vec::new();
    let Some(query) = Query::new(av, duration_minutes, step_minutes, now, from, to) else {
        return slots;
    };
    let busy = sorted_busy(busy, &query);
    let mut sweep = Sweep::new(&busy);
    for (window_start, window_end) in windows(av, query.lower, query.upper) {
        query.candidates(window_start, window_end, |start| {
            if sweep.is_free(start, query.blocked) {
                slots.push(start);
            }
        });
    }
    slots
}

/// Whether `start` is one of the slots `free_slots` would offer (same grid,
/// limits and busy times): what the confirm step re-checks for the one start
/// the client chose.
pub fn is_free(
    av: &Availability,
    duration_minutes: i64,
    step_minutes: i64,
    busy: &[Busy],
    now: DateTime<Utc>,
    start: DateTime<Utc>,
) -> bool {
    let Some(to) = start.checked_add_signed(TimeDelta::nanoseconds(1)) else {
        return false;
    };
    let Some(query) = Query::new(av, duration_minutes, step_minutes, now, start, to) else {
        return false;
    };
    let on_grid =
        windows(av, query.lower, query.upper)
            .into_iter()
            .any(|(window_start, window_end)| {
                let mut found = false;
                query.candidates(window_start, window_end, |s| found |= s == start);
                found
            });
    // One start: a linear scan beats sorting the busy list.
    on_grid
        && query.blocked_end(start).is_some_and(|end| {
            busy.iter()
                .all(|b| b.end <= b.start || b.end <= start || b.start >= end)
        })
}

/// One day of slots as the viewer reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocalDay {
    /// The viewer's local date.
    pub date: NaiveDate,
    /// The date for people in the viewer's language, e.g. "Monday 30 March"
    /// or "mánudagur 30. mars".
    pub label: String,
    /// That day's slots, in order.
    pub slots: Vec<LocalSlot>,
}

/// One slot as the viewer reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocalSlot {
    /// The instant (serialized as RFC 3339), what a booking form posts back.
    pub start: DateTime<Utc>,
    /// The viewer's local time, e.g. "09:30".
    pub time: String,
}

/// Slots grouped by the viewer's local date, days and slots in order
/// (duplicates dropped), each day labelled in `lang`.
pub fn in_timezone(slots: &[DateTime<Utc>], viewer: Tz, lang: &str) -> Vec<LocalDay> {
    let mut sorted = slots.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut days: Vec<LocalDay> = Vec::new();
    for start in sorted {
        let local = start.with_timezone(&viewer);
        let slot = LocalSlot {
            start,
            time: local.format("%H:%M").to_string(),
        };
        match days.last_mut() {
            Some(day) if day.date == local.date_naive() => day.slots.push(slot),
            _ => days.push(LocalDay {
                date: local.date_naive(),
                label: crate::web::time::format_day(lang, local.date_naive(), "%A %-d %B"),
                slots: vec![slot],
            }),
        }
    }
    days
}

/// An IANA timezone name ("Europe/London"), or `None` when unknown.
#[cfg(test)]
use crate::web::time::parse_timezone;

/// The validated parameters of one computation.
struct Query {
    duration: TimeDelta,
    step: TimeDelta,
    /// Duration plus the professional's buffer: what must overlap no busy time.
    blocked: TimeDelta,
    /// Earliest start: the later of `from` and now plus the notice.
    lower: DateTime<Utc>,
    /// Starts are before this: the earlier of `to` and now plus the horizon.
    upper: DateTime<Utc>,
}

impl Query {
    fn new(
        av: &Availability,
        duration_minutes: i64,
        step_minutes: i64,
        now: DateTime<Utc>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<Self> {
        if duration_minutes <= 0 || step_minutes <= 0 || av.horizon_days <= 0 {
            return None;
        }
        let duration = TimeDelta::try_minutes(duration_minutes)?;
        let step = TimeDelta::try_minutes(step_minutes)?;
        let buffer = TimeDelta::try_minutes(av.buffer_minutes.max(0))?;
        let blocked = duration.checked_add(&buffer)?;
        let notice = TimeDelta::try_minutes(av.min_notice_minutes.max(0))?;
        let lower = from.max(now.checked_add_signed(notice)?);
        // A horizon too far to represent is no limit at all.
        let upper =
            match TimeDelta::try_days(av.horizon_days).and_then(|h| now.checked_add_signed(h)) {
                Some(horizon) => to.min(horizon),
                None => to,
            };
        (lower < upper).then_some(Self {
            duration,
            step,
            blocked,
            lower,
            upper,
        })
    }

    /// Calls `f` with each grid start of the window that fits the session and
    /// lies in `[lower, upper)`, in order.
    fn candidates(
        &self,
        window_start: DateTime<Utc>,
        window_end: DateTime<Utc>,
        mut f: impl FnMut(DateTime<Utc>),
    ) {
        let mut start = window_start;
        if start < self.lower {
            // Jump to the first grid point at or after `lower`.
            let (Some(gap), Some(step)) = (
                (self.lower - start).num_nanoseconds(),
                self.step.num_nanoseconds(),
            ) else {
                return;
            };
            let steps = gap / step + i64::from(gap % step != 0);
            let Some(next) = i32::try_from(steps)
                .ok()
                .and_then(|n| self.step.checked_mul(n))
                .and_then(|jump| start.checked_add_signed(jump))
            else {
                return;
            };
            start = next;
        }
        while start < self.upper {
            match start.checked_add_signed(self.duration) {
                Some(end) if end <= window_end => f(start),
                _ => return,
            }
            match start.checked_add_signed(self.step) {
                Some(next) => start = next,
                None => return,
            }
        }
    }

    /// The end of what a session starting at `start` blocks, buffer included.
    fn blocked_end(&self, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
        start.checked_add_signed(self.blocked)
    }
}

/// Busy intervals sorted by start, borrowed when they already are; otherwise
/// only those that can touch a candidate of `query` are kept and sorted (a
/// year of appointments shrinks to the weeks asked for).
fn sorted_busy<'b>(busy: &'b [Busy], query: &Query) -> Cow<'b, [Busy]> {
    let clean = busy.iter().all(|b| b.start < b.end);
    if clean && busy.is_sorted_by_key(|b| b.start) {
        return Cow::Borrowed(busy);
    }
    // A candidate starts in [lower, upper) and blocks less than `blocked`
    // past its start: intervals ending by `lower` or starting after the last
    // possible blocked end cannot overlap one.
    let until = query.upper.checked_add_signed(query.blocked);
    let mut sorted: Vec<Busy> = busy
        .iter()
        .filter(|b| b.start < b.end && b.end > query.lower && until.is_none_or(|u| b.start < u))
        .copied()
        .collect();
    sorted.sort_unstable_by_key(|b| b.start);
    Cow::Owned(sorted)
}

/// A sweep over busy intervals sorted by start, for candidates asked in
/// increasing order with the same blocked length: every interval that starts
/// before the candidate's blocked end has been seen, and the latest end among
/// them says whether one still overlaps.
struct Sweep<'a> {
    busy: &'a [Busy],
    next: usize,
    latest_end: Option<DateTime<Utc>>,
}

impl<'a> Sweep<'a> {
    fn new(busy: &'a [Busy]) -> Self {
        Self {
            busy,
            next: 0,
            latest_end: None,
        }
    }

    fn is_free(&mut self, start: DateTime<Utc>, blocked: TimeDelta) -> bool {
        let Some(end) = start.checked_add_signed(blocked) else {
            return false;
        };
        while let Some(b) = self.busy.get(self.next) {
            if b.start >= end {
                break;
            }
            self.latest_end = Some(self.latest_end.map_or(b.end, |e| e.max(b.end)));
            self.next += 1;
        }
        self.latest_end.is_none_or(|e| e <= start)
    }
}

/// The professional's windows in UTC, in order and disjoint, for every local
/// date that can hold a start in `[lower, upper)`.
fn windows(
    av: &Availability,
    lower: DateTime<Utc>,
    upper: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut by_weekday: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
    for rule in &av.rules {
        if let Some(day) = rule
            .weekday
            .checked_sub(1)
            .and_then(|i| by_weekday.get_mut(i as usize))
        {
            day.push((rule.start, rule.end));
        }
    }
    let mut exceptions: Vec<&DateException> = av.exceptions.iter().collect();
    exceptions.sort_by_key(|e| e.day);

    // Offsets are under a day, so a local date's hours lie within a day of
    // the same UTC date.
    let first = lower.date_naive().pred_opt().unwrap_or(NaiveDate::MIN);
    let last = upper.date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
    let mut out = Vec::new();
    for date in first.iter_days().take_while(|d| *d <= last) {
        let at = exceptions.partition_point(|e| e.day < date);
        let todays = exceptions[at..]
            .iter()
            .copied()
            .take_while(|e| e.day == date);
        let weekly = &by_weekday[date.weekday().num_days_from_monday() as usize];
        for (start, end) in local_windows(date, weekly, todays) {
            let (Some(start), Some(end)) = (to_utc(av.timezone, start), to_utc(av.timezone, end))
            else {
                continue;
            };
            if start < end && end > lower && start < upper {
                out.push((start, end));
            }
        }
    }
    out
}

type Local = (NaiveDateTime, NaiveDateTime);

/// One date's windows in local time, in order, merged where they touch.
fn local_windows<'e>(
    date: NaiveDate,
    weekly: &[(NaiveTime, NaiveTime)],
    exceptions: impl Iterator<Item = &'e DateException> + Clone,
) -> Vec<Local> {
    let mut windows: Vec<Local> = weekly
        .iter()
        .filter_map(|&(start, end)| local_span(date, Some(start), Some(end)))
        .collect();
    for e in exceptions.clone().filter(|e| e.kind == ExceptionKind::Off) {
        if let Some(off) = local_span(date, e.start, e.end) {
            windows = subtract(&windows, off);
        }
    }
    for e in exceptions.filter(|e| e.kind == ExceptionKind::Extra) {
        if e.start.is_some() && e.end.is_some() {
            windows.extend(local_span(date, e.start, e.end));
        }
    }
    merge(windows)
}

/// `[start, end)` on `date`; a missing start is midnight, a missing end or an
/// end of 00:00 is midnight at the end of the day. `None` when empty.
fn local_span(date: NaiveDate, start: Option<NaiveTime>, end: Option<NaiveTime>) -> Option<Local> {
    let start = date.and_time(start.unwrap_or(NaiveTime::MIN));
    let end = match end {
        Some(end) if end != NaiveTime::MIN => date.and_time(end),
        _ => date.succ_opt()?.and_time(NaiveTime::MIN),
    };
    (start < end).then_some((start, end))
}

fn subtract(windows: &[Local], (off_start, off_end): Local) -> Vec<Local> {
    let mut out = Vec::with_capacity(windows.len() + 1);
    for &(start, end) in windows {
        if off_end <= start || end <= off_start {
            out.push((start, end));
            continue;
        }
        if start < off_start {
            out.push((start, off_start));
        }
        if off_end < end {
            out.push((off_end, end));
        }
    }
    out
}

fn merge(mut windows: Vec<Local>) -> Vec<Local> {
    windows.sort_unstable();
    let mut out: Vec<Local> = Vec::with_capacity(windows.len());
    for (start, end) in windows {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The instant of a local time: the earliest when it is ambiguous, the first
/// real instant after it when it falls in a gap.
fn to_utc(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(t) => Some(t.with_timezone(&Utc)),
        MappedLocalTime::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
        MappedLocalTime::None => after_gap(tz, local),
    }
}

/// The first instant whose local time is at or after `local`, which lies in a
/// gap: the transition that skipped it. Offsets stay within ±27 hours and
/// transitions are months apart, so "local time >= `local`" flips once in
/// that range and a binary search over seconds finds it.
fn after_gap(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let around = local.and_utc().timestamp();
    let reaches = |secs: i64| {
        DateTime::from_timestamp(secs, 0)
            .is_some_and(|t| t.with_timezone(&tz).naive_local() >= local)
    };
    let (mut lo, mut hi) = (
        around.checked_sub(27 * 3600)?,
        around.checked_add(27 * 3600)?,
    );
    if !reaches(hi) {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if reaches(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    DateTime::from_timestamp(lo, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("time")
    }

    fn d(y: i32, mo: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, day).expect("date")
    }

    fn utc(y: i32, mo: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, day, h, m, 0)
            .single()
            .expect("instant")
    }

    fn tz(name: &str) -> Tz {
        parse_timezone(name).expect("timezone")
    }

    /// Mon-Fri 09:00-17:00 in `timezone`, no buffer, notice or exceptions.
    fn weekdays(timezone: &str) -> Availability {
        Availability {
            timezone: tz(timezone),
            rules: (1..=5)
                .map(|weekday| WeeklyRule {
                    weekday,
                    start: t(9, 0),
                    end: t(17, 0),
                })
                .collect(),
            exceptions: vec![],
            buffer_minutes: 0,
            min_notice_minutes: 0,
            horizon_days: 365,
        }
    }

    fn only(weekday: u32, start: NaiveTime, end: NaiveTime, timezone: &str) -> Availability {
        Availability {
            rules: vec![WeeklyRule {
                weekday,
                start,
                end,
            }],
            ..weekdays(timezone)
        }
    }

    fn busy(start: DateTime<Utc>, end: DateTime<Utc>) -> Busy {
        Busy { start, end }
    }

    /// Hours and minutes of each slot, as "HH:MM" in `zone`.
    fn local_times(slots: &[DateTime<Utc>], zone: &str) -> Vec<String> {
        let zone = tz(zone);
        slots
            .iter()
            .map(|s| s.with_timezone(&zone).format("%H:%M").to_string())
            .collect()
    }

    fn times(from: (u32, u32), to: (u32, u32), step: u32) -> Vec<String> {
        let mut out = vec![];
        let (mut h, mut m) = from;
        while (h, m) <= to {
            out.push(format!("{h:02}:{m:02}"));
            m += step;
            h += m / 60;
            m %= 60;
        }
        out
    }

    // Monday 2026-06-01 in UTC (no DST in UTC; London is +1 then).
    const MONDAY: (i32, u32, u32) = (2026, 6, 1);

    fn monday_slots(
        av: &Availability,
        duration: i64,
        step: i64,
        busy: &[Busy],
    ) -> Vec<DateTime<Utc>> {
        let (y, mo, day) = MONDAY;
        let now = utc(y, mo, day, 0, 0) - TimeDelta::days(7);
        free_slots(
            av,
            duration,
            step,
            busy,
            now,
            utc(y, mo, day, 0, 0),
            utc(y, mo, day + 1, 0, 0),
        )
    }

    #[test]
    fn weekly_hours_produce_the_expected_slots() {
        let av = weekdays("UTC");
        let slots = monday_slots(&av, 60, 30, &[]);
        // 09:00 to 16:00: the last hour-long session ends at 17:00.
        assert_eq!(local_times(&slots, "UTC"), times((9, 0), (16, 0), 30));
        assert_eq!(slots[0], utc(2026, 6, 1, 9, 0));

        // A week: five working days, nothing at the weekend.
        let now = utc(2026, 5, 25, 0, 0);
        let week = free_slots(
            &av,
            60,
            60,
            &[],
            now,
            utc(2026, 6, 1, 0, 0),
            utc(2026, 6, 8, 0, 0),
        );
        assert_eq!(week.len(), 5 * 8);
        assert!(week.iter().all(|s| s.weekday().number_from_monday() <= 5));
        assert!(week.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_day_off_removes_every_slot_of_that_day_only() {
        let mut av = weekdays("UTC");
        av.exceptions.push(DateException {
            day: d(2026, 6, 1),
            kind: ExceptionKind::Off,
            start: None,
            end: None,
        });
        assert!(monday_slots(&av, 60, 30, &[]).is_empty());
        let now = utc(2026, 5, 25, 0, 0);
        let tuesday = free_slots(
            &av,
            60,
            60,
            &[],
            now,
            utc(2026, 6, 2, 0, 0),
            utc(2026, 6, 3, 0, 0),
        );
        assert_eq!(tuesday.len(), 8);
    }

    #[test]
    fn partial_hours_off_remove_only_those_slots() {
        let mut av = weekdays("UTC");
        av.exceptions.push(DateException {
            day: d(2026, 6, 1),
            kind: ExceptionKind::Off,
            start: Some(t(12, 0)),
            end: Some(t(14, 0)),
        });
        let slots = monday_slots(&av, 60, 30, &[]);
        let mut expected = times((9, 0), (11, 0), 30);
        expected.extend(times((14, 0), (16, 0), 30));
        assert_eq!(local_times(&slots, "UTC"), expected);
    }

    #[test]
    fn extra_hours_add_slots_even_on_a_day_off_or_a_weekend() {
        let mut av = weekdays("UTC");
        av.exceptions.extend([
            DateException {
                day: d(2026, 6, 1),
                kind: ExceptionKind::Extra,
                start: Some(t(18, 0)),
                end: Some(t(20, 0)),
            },
            // Saturday.
            DateException {
                day: d(2026, 6, 6),
                kind: ExceptionKind::Extra,
                start: Some(t(10, 0)),
                end: Some(t(12, 0)),
            },
        ]);
        let slots = monday_slots(&av, 60, 60, &[]);
        let mut expected = times((9, 0), (16, 0), 60);
        expected.extend(["18:00".to_string(), "19:00".to_string()]);
        assert_eq!(local_times(&slots, "UTC"), expected);

        let now = utc(2026, 5, 25, 0, 0);
        let saturday = free_slots(
            &av,
            60,
            60,
            &[],
            now,
            utc(2026, 6, 6, 0, 0),
            utc(2026, 6, 7, 0, 0),
        );
        assert_eq!(
            saturday,
            vec![utc(2026, 6, 6, 10, 0), utc(2026, 6, 6, 11, 0)]
        );
    }

    #[test]
    fn extra_hours_overlapping_weekly_hours_do_not_duplicate_slots() {
        let mut av = weekdays("UTC");
        av.rules.push(WeeklyRule {
            weekday: 1,
            start: t(16, 0),
            end: t(18, 0),
        });
        av.exceptions.push(DateException {
            day: d(2026, 6, 1),
            kind: ExceptionKind::Extra,
            start: Some(t(8, 0)),
            end: Some(t(10, 0)),
        });
        let slots = monday_slots(&av, 60, 60, &[]);
        assert_eq!(local_times(&slots, "UTC"), times((8, 0), (17, 0), 60));
    }

    #[test]
    fn an_appointment_and_its_buffer_remove_overlapping_slots_on_both_sides() {
        let mut av = weekdays("UTC");
        av.buffer_minutes = 10;
        // 11:00-12:00 plus its 10 minute buffer.
        let appointment = [busy(utc(2026, 6, 1, 11, 0), utc(2026, 6, 1, 12, 10))];
        let slots = monday_slots(&av, 60, 30, &appointment);
        // 10:00 would end at 11:00 but its own buffer runs to 11:10;
        // 12:00 starts inside the appointment's buffer.
        let mut expected = times((9, 0), (9, 30), 30);
        expected.extend(times((12, 30), (16, 0), 30));
        assert_eq!(local_times(&slots, "UTC"), expected);

        // Without buffers, back to back is allowed (half-open intervals).
        av.buffer_minutes = 0;
        let appointment = [busy(utc(2026, 6, 1, 11, 0), utc(2026, 6, 1, 12, 0))];
        let slots = monday_slots(&av, 60, 30, &appointment);
        assert!(slots.contains(&utc(2026, 6, 1, 10, 0)));
        assert!(slots.contains(&utc(2026, 6, 1, 12, 0)));
        assert!(!slots.contains(&utc(2026, 6, 1, 10, 30)));
        assert!(!slots.contains(&utc(2026, 6, 1, 11, 30)));
    }

    #[test]
    fn busy_times_in_any_order_give_the_same_slots() {
        let av = weekdays("UTC");
        let sorted = [
            busy(utc(2026, 6, 1, 9, 0), utc(2026, 6, 1, 10, 0)),
            // A long hold containing a shorter appointment.
            busy(utc(2026, 6, 1, 11, 0), utc(2026, 6, 1, 14, 0)),
            busy(utc(2026, 6, 1, 12, 0), utc(2026, 6, 1, 12, 30)),
            busy(utc(2026, 6, 1, 15, 0), utc(2026, 6, 1, 15, 30)),
        ];
        let mut shuffled = sorted;
        shuffled.reverse();
        shuffled.swap(0, 2);
        let expected = vec![
            "10:00".to_string(),
            "14:00".to_string(),
            "16:00".to_string(),
        ];
        assert_eq!(
            local_times(&monday_slots(&av, 60, 60, &sorted), "UTC"),
            expected
        );
        assert_eq!(
            local_times(&monday_slots(&av, 60, 60, &shuffled), "UTC"),
            expected
        );
    }

    #[test]
    fn busy_times_reaching_into_the_range_from_outside_still_block() {
        let av = weekdays("UTC");
        let now = utc(2026, 5, 25, 0, 0);
        // Unsorted, so the list is trimmed to the range before sorting.
        let busy = [
            busy(utc(2026, 6, 1, 12, 0), utc(2026, 6, 1, 13, 0)),
            busy(utc(2026, 6, 1, 8, 30), utc(2026, 6, 1, 10, 10)),
            busy(utc(2026, 5, 1, 8, 0), utc(2026, 5, 1, 9, 0)),
        ];
        let (from, to) = (utc(2026, 6, 1, 9, 0), utc(2026, 6, 1, 11, 30));
        let slots = free_slots(&av, 60, 30, &busy, now, from, to);
        // 11:00 would run into the 12:00 appointment only with a buffer.
        assert_eq!(local_times(&slots, "UTC"), ["10:30", "11:00"]);
        let slots = free_slots(
            &Availability {
                buffer_minutes: 1,
                ..av
            },
            60,
            30,
            &busy,
            now,
            from,
            to,
        );
        assert_eq!(local_times(&slots, "UTC"), ["10:30"]);
    }

    #[test]
    fn min_notice_and_horizon_limit_the_slots() {
        let mut av = weekdays("UTC");
        av.min_notice_minutes = 12 * 60;
        av.horizon_days = 2;
        // Sunday 22:00: notice reaches Monday 10:00, the horizon Tuesday 22:00.
        let now = utc(2026, 5, 31, 22, 0);
        let slots = free_slots(&av, 60, 60, &[], now, now, utc(2026, 6, 10, 0, 0));
        assert_eq!(slots.first(), Some(&utc(2026, 6, 1, 10, 0)));
        assert_eq!(slots.last(), Some(&utc(2026, 6, 2, 16, 0)));
        assert_eq!(slots.len(), 7 + 8);

        // A horizon ending mid-morning keeps starts before it only.
        let now = utc(2026, 5, 31, 11, 0);
        let slots = free_slots(&av, 60, 60, &[], now, now, utc(2026, 6, 10, 0, 0));
        assert_eq!(slots.last(), Some(&utc(2026, 6, 2, 10, 0)));
    }

    #[test]
    fn the_range_asked_for_does_not_shift_the_grid() {
        let av = weekdays("UTC");
        let now = utc(2026, 5, 25, 0, 0);
        let from = utc(2026, 6, 1, 10, 10);
        let slots = free_slots(&av, 45, 45, &[], now, from, utc(2026, 6, 1, 13, 0));
        assert_eq!(
            local_times(&slots, "UTC"),
            ["10:30", "11:15", "12:00", "12:45"]
        );
    }

    #[test]
    fn is_free_agrees_with_free_slots() {
        let mut av = weekdays("Europe/London");
        av.buffer_minutes = 10;
        let appointment = [busy(utc(2026, 6, 1, 11, 0), utc(2026, 6, 1, 12, 10))];
        let now = utc(2026, 5, 25, 0, 0);
        let offered = monday_slots(&av, 50, 15, &appointment);
        assert!(!offered.is_empty());
        let day = utc(2026, 6, 1, 0, 0);
        for minute in (0..24 * 60).step_by(5) {
            let start = day + TimeDelta::minutes(minute);
            assert_eq!(
                is_free(&av, 50, 15, &appointment, now, start),
                offered.contains(&start),
                "{start}"
            );
        }
        // Off the grid by a second.
        let first = offered[0] + TimeDelta::seconds(1);
        assert!(!is_free(&av, 50, 15, &appointment, now, first));
    }

    #[test]
    fn the_busy_sweep_agrees_with_checking_every_interval() {
        // Overlapping, nested and unsorted busy times over a week, checked
        // start by start against is_free's plain scan of every interval.
        let mut av = weekdays("Europe/Berlin");
        av.buffer_minutes = 10;
        let now = utc(2026, 5, 25, 0, 0);
        let (from, to) = (utc(2026, 6, 1, 0, 0), utc(2026, 6, 8, 0, 0));
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |below: i64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            i64::try_from(seed % u64::try_from(below).expect("positive")).expect("small")
        };
        let busy: Vec<Busy> = (0..60)
            .map(|_| {
                let start = from + TimeDelta::minutes(next(7 * 24 * 60));
                busy(start, start + TimeDelta::minutes(5 + next(180)))
            })
            .collect();
        let offered = free_slots(&av, 50, 15, &busy, now, from, to);
        let all = free_slots(&av, 50, 15, &[], now, from, to);
        assert!(!offered.is_empty() && offered.len() < all.len());
        for start in all {
            assert_eq!(
                offered.contains(&start),
                is_free(&av, 50, 15, &busy, now, start),
                "{start}"
            );
        }
    }

    #[test]
    fn odd_input_gives_no_slots_and_no_panic() {
        let av = weekdays("UTC");
        let now = utc(2026, 5, 25, 0, 0);
        let (from, to) = (utc(2026, 6, 1, 0, 0), utc(2026, 6, 2, 0, 0));
        let none = |av: &Availability, duration, step, from, to| {
            free_slots(av, duration, step, &[], now, from, to).is_empty()
        };
        assert!(none(&av, 0, 30, from, to));
        assert!(none(&av, -60, 30, from, to));
        assert!(none(&av, 60, 0, from, to));
        assert!(none(&av, 60, -15, from, to));
        assert!(none(&av, 60, 30, to, from));
        assert!(none(&av, 60, 30, from, from));
        assert!(none(&av, i64::MAX, 30, from, to));
        assert!(none(
            &Availability {
                rules: vec![],
                ..av.clone()
            },
            60,
            30,
            from,
            to
        ));
        assert!(none(
            &Availability {
                horizon_days: 0,
                ..av.clone()
            },
            60,
            30,
            from,
            to
        ));
        assert!(none(
            &Availability {
                horizon_days: -3,
                ..av.clone()
            },
            60,
            30,
            from,
            to
        ));
        assert!(none(
            &Availability {
                min_notice_minutes: i64::MAX,
                ..av.clone()
            },
            60,
            30,
            from,
            to
        ));
        assert!(none(
            &Availability {
                buffer_minutes: i64::MAX,
                ..av.clone()
            },
            60,
            30,
            from,
            to
        ));
        // Rules that are empty or out of range are ignored.
        let odd = Availability {
            rules: vec![
                WeeklyRule {
                    weekday: 0,
                    start: t(9, 0),
                    end: t(17, 0),
                },
                WeeklyRule {
                    weekday: 8,
                    start: t(9, 0),
                    end: t(17, 0),
                },
                WeeklyRule {
                    weekday: 1,
                    start: t(17, 0),
                    end: t(9, 0),
                },
            ],
            ..av.clone()
        };
        assert!(none(&odd, 60, 30, from, to));
        // Empty or inverted busy intervals block nothing.
        let junk = [
            busy(utc(2026, 6, 1, 10, 0), utc(2026, 6, 1, 10, 0)),
            busy(utc(2026, 6, 1, 12, 0), utc(2026, 6, 1, 11, 0)),
        ];
        assert_eq!(free_slots(&av, 60, 60, &junk, now, from, to).len(), 8);
        // The ends of time.
        let huge = Availability {
            horizon_days: i64::MAX,
            ..av.clone()
        };
        assert!(free_slots(&huge, 60, 60, &[], DateTime::<Utc>::MAX_UTC, from, to).is_empty());
        assert_eq!(free_slots(&huge, 60, 60, &[], now, from, to).len(), 8);
        assert!(!is_free(&av, 60, 60, &[], now, DateTime::<Utc>::MAX_UTC));
        assert!(!is_free(&av, 0, 60, &[], now, utc(2026, 6, 1, 9, 0)));
    }

    #[test]
    fn an_end_of_midnight_means_the_end_of_the_day() {
        let av = only(1, t(22, 0), t(0, 0), "UTC");
        let slots = monday_slots(&av, 60, 60, &[]);
        assert_eq!(slots, vec![utc(2026, 6, 1, 22, 0), utc(2026, 6, 1, 23, 0)]);
    }

    #[test]
    fn london_hours_stay_at_nine_local_across_the_spring_change() {
        let av = weekdays("Europe/London");
        let now = utc(2026, 3, 1, 0, 0);
        let from = utc(2026, 3, 2, 0, 0);
        let to = utc(2026, 4, 4, 0, 0);
        let slots = free_slots(&av, 60, 60, &[], now, from, to);
        let first_of = |date: NaiveDate| {
            slots
                .iter()
                .copied()
                .find(|s| s.date_naive() == date)
                .expect("slots that day")
        };
        // Both in winter time: 09:00 GMT = 09:00Z = 04:00 EST.
        assert_eq!(first_of(d(2026, 3, 6)), utc(2026, 3, 6, 9, 0));
        // After the US change (8 March), before the UK one (29 March):
        // 09:00Z = 05:00 EDT.
        assert_eq!(first_of(d(2026, 3, 27)), utc(2026, 3, 27, 9, 0));
        // After both: 09:00 BST = 08:00Z = 04:00 EDT.
        assert_eq!(first_of(d(2026, 3, 30)), utc(2026, 3, 30, 8, 0));
        assert_eq!(
            slots
                .iter()
                .filter(|s| s.date_naive() == d(2026, 3, 30))
                .count(),
            8
        );
        // Every slot is within 09:00-17:00 London time.
        let london = local_times(&slots, "Europe/London");
        assert!(london
            .iter()
            .all(|h| ("09:00".."17:00").contains(&h.as_str())));

        let days = in_timezone(&slots, tz("America/New_York"), "en");
        let day = |date: NaiveDate| days.iter().find(|day| day.date == date).expect("day");
        assert_eq!(day(d(2026, 3, 6)).slots[0].time, "04:00");
        assert_eq!(day(d(2026, 3, 6)).slots[7].time, "11:00");
        assert_eq!(day(d(2026, 3, 27)).slots[0].time, "05:00");
        assert_eq!(day(d(2026, 3, 30)).slots[0].time, "04:00");
        assert_eq!(day(d(2026, 3, 30)).label, "Monday 30 March");
    }

    #[test]
    fn a_window_across_the_spring_forward_gap_skips_only_the_missing_hour() {
        // Sunday 29 March 2026: London goes from 01:00 GMT to 02:00 BST.
        let av = only(7, t(0, 0), t(4, 0), "Europe/London");
        let now = utc(2026, 3, 20, 0, 0);
        let slots = free_slots(
            &av,
            30,
            30,
            &[],
            now,
            utc(2026, 3, 28, 0, 0),
            utc(2026, 3, 30, 0, 0),
        );
        // Three real hours: 00:00Z to 03:00Z.
        let expected: Vec<_> = (0..6)
            .map(|i| utc(2026, 3, 29, 0, 0) + TimeDelta::minutes(30 * i))
            .collect();
        assert_eq!(slots, expected);
        assert_eq!(
            local_times(&slots, "Europe/London"),
            ["00:00", "00:30", "02:00", "02:30", "03:00", "03:30"]
        );

        // A window starting in the gap starts when the clocks reach 02:00;
        // one ending in it ends at the change.
        let av = only(7, t(1, 30), t(3, 0), "Europe/London");
        let slots = free_slots(
            &av,
            30,
            30,
            &[],
            now,
            utc(2026, 3, 28, 0, 0),
            utc(2026, 3, 30, 0, 0),
        );
        assert_eq!(slots, vec![utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 30)]);
        let av = only(7, t(0, 0), t(1, 30), "Europe/London");
        let slots = free_slots(
            &av,
            30,
            30,
            &[],
            now,
            utc(2026, 3, 28, 0, 0),
            utc(2026, 3, 30, 0, 0),
        );
        assert_eq!(slots, vec![utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 0, 30)]);
        // Hours wholly inside the gap do not exist.
        let av = only(7, t(1, 10), t(1, 50), "Europe/London");
        assert!(free_slots(
            &av,
            10,
            10,
            &[],
            now,
            utc(2026, 3, 28, 0, 0),
            utc(2026, 3, 30, 0, 0)
        )
        .is_empty());
    }

    #[test]
    fn a_window_across_the_fall_back_hour_offers_each_real_instant_once() {
        // Sunday 25 October 2026: London goes from 02:00 BST back to 01:00 GMT.
        let av = only(7, t(0, 0), t(4, 0), "Europe/London");
        let now = utc(2026, 10, 20, 0, 0);
        let slots = free_slots(
            &av,
            30,
            30,
            &[],
            now,
            utc(2026, 10, 24, 0, 0),
            utc(2026, 10, 26, 0, 0),
        );
        // Five real hours: 00:00 BST (23:00Z) to 04:00 GMT (04:00Z).
        let expected: Vec<_> = (0..10)
            .map(|i| utc(2026, 10, 24, 23, 0) + TimeDelta::minutes(30 * i))
            .collect();
        assert_eq!(slots, expected);
        assert_eq!(
            local_times(&slots, "Europe/London"),
            [
                "00:00", "00:30", "01:00", "01:30", "01:00", "01:30", "02:00", "02:30", "03:00",
                "03:30"
            ]
        );
        // An ambiguous start is the earlier (summer time) 01:30.
        let av = only(7, t(1, 30), t(2, 0), "Europe/London");
        let slots = free_slots(
            &av,
            30,
            30,
            &[],
            now,
            utc(2026, 10, 24, 0, 0),
            utc(2026, 10, 26, 0, 0),
        );
        assert_eq!(slots.first(), Some(&utc(2026, 10, 25, 0, 30)));
        assert!(slots.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn in_timezone_groups_by_the_viewers_date() {
        let slots = [
            utc(2026, 3, 30, 23, 30),
            utc(2026, 3, 30, 9, 0),
            utc(2026, 3, 31, 1, 0),
            utc(2026, 3, 30, 9, 0),
        ];
        let tokyo = in_timezone(&slots, tz("Asia/Tokyo"), "en");
        assert_eq!(tokyo.len(), 2);
        assert_eq!(tokyo[0].date, d(2026, 3, 30));
        assert_eq!(tokyo[0].label, "Monday 30 March");
        assert_eq!(tokyo[0].slots.len(), 1);
        assert_eq!(tokyo[0].slots[0].time, "18:00");
        // 23:30 UTC is already Tuesday morning in Tokyo.
        assert_eq!(tokyo[1].date, d(2026, 3, 31));
        assert_eq!(tokyo[1].label, "Tuesday 31 March");
        let times: Vec<_> = tokyo[1].slots.iter().map(|s| s.time.as_str()).collect();
        assert_eq!(times, ["08:30", "10:00"]);

        let utc_days = in_timezone(&slots, chrono_tz::UTC, "en");
        assert_eq!(utc_days.len(), 2);
        assert_eq!(utc_days[0].slots.len(), 2);

        let icelandic = in_timezone(&slots, tz("Asia/Tokyo"), "is");
        assert_eq!(icelandic[0].label, "mánudagur 30. mars");
        assert_eq!(icelandic[1].label, "þriðjudagur 31. mars");
        assert_eq!(icelandic[1].slots, tokyo[1].slots);

        let json = serde_json::to_value(&tokyo[1]).expect("json");
        assert_eq!(json["date"], "2026-03-31");
        assert_eq!(json["slots"][0]["start"], "2026-03-30T23:30:00Z");
        assert_eq!(json["slots"][0]["time"], "08:30");
    }

    #[test]
    fn parse_timezone_knows_iana_names_only() {
        assert_eq!(
            parse_timezone("Europe/London"),
            Some(chrono_tz::Europe::London)
        );
        assert_eq!(parse_timezone(" Asia/Tokyo "), Some(chrono_tz::Asia::Tokyo));
        assert_eq!(parse_timezone("Mars/Olympus_Mons"), None);
        assert_eq!(parse_timezone(""), None);
    }

    #[test]
    fn exception_kinds_read_from_the_database() {
        assert_eq!(ExceptionKind::from_db("off"), Some(ExceptionKind::Off));
        assert_eq!(ExceptionKind::from_db("extra"), Some(ExceptionKind::Extra));
        assert_eq!(ExceptionKind::from_db("holiday"), None);
    }
}
