//! What slot computation costs for a busy professional: Mon-Fri 09:00-17:00
//! in Europe/Berlin with a full year of appointments (about 1,800), computing
//! one week and the whole 60-day horizon while feeding the entire year's busy
//! list, sorted (as the database returns it) and shuffled (the worst case:
//! it is sorted first). See `docs/benchmarks.md`, "Booking: slot computation".

use std::hint::black_box;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc, Weekday};
use criterion::{criterion_group, criterion_main, Criterion};
use hearth_core::booking::slots::{free_slots, in_timezone, Availability, Busy, WeeklyRule};

const DURATION: i64 = 50;
const STEP: i64 = 15;
const BUFFER: i64 = 10;

fn availability() -> Availability {
    let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("09:00");
    let five = NaiveTime::from_hms_opt(17, 0, 0).expect("17:00");
    Availability {
        timezone: chrono_tz::Europe::Berlin,
        rules: (1..=5)
            .map(|weekday| WeeklyRule {
                weekday,
                start: nine,
                end: five,
            })
            .collect(),
        exceptions: vec![],
        buffer_minutes: BUFFER,
        min_notice_minutes: 720,
        horizon_days: 60,
    }
}

/// A small deterministic generator, so every run books the same year.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Every weekday of 2026, seven of the eight hourly sessions booked (one
/// hour left free at random), each blocking 50 minutes plus the buffer.
fn year_of_appointments(rng: &mut XorShift) -> Vec<Busy> {
    let berlin = chrono_tz::Europe::Berlin;
    let mut busy = Vec::new();
    let first = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    for date in first.iter_days().take_while(|d| d.year() == 2026) {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let free_hour = 9 + (rng.next() % 8) as u32;
        for hour in (9..17).filter(|h| *h != free_hour) {
            let local = date.and_hms_opt(hour, 0, 0).expect("time");
            let start = berlin
                .from_local_datetime(&local)
                .earliest()
                .expect("Berlin has no gap at office hours")
                .with_timezone(&Utc);
            busy.push(Busy {
                start,
                end: start + TimeDelta::minutes(DURATION + BUFFER),
            });
        }
    }
    busy
}

fn shuffled(mut busy: Vec<Busy>, rng: &mut XorShift) -> Vec<Busy> {
    for i in (1..busy.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        busy.swap(i, j);
    }
    busy
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("instant")
}

fn bench_slots(c: &mut Criterion) {
    let av = availability();
    let mut rng = XorShift(0x5eed_1234_abcd_9876);
    let sorted = year_of_appointments(&mut rng);
    let unsorted = shuffled(sorted.clone(), &mut rng);
    // Monday 1 June 2026, 07:30 UTC: the horizon spans into August.
    let now = at(2026, 6, 1, 7) + TimeDelta::minutes(30);
    let week = now + TimeDelta::days(7);
    let horizon = now + TimeDelta::days(60);

    let found = free_slots(&av, DURATION, STEP, &sorted, now, now, horizon);
    assert!(!found.is_empty(), "the bench must find slots");
    println!(
        "{} busy intervals; {} free slots in the week, {} in the 60-day horizon ({} with nothing booked)",
        sorted.len(),
        free_slots(&av, DURATION, STEP, &sorted, now, now, week).len(),
        found.len(),
        free_slots(&av, DURATION, STEP, &[], now, now, horizon).len()
    );

    let mut group = c.benchmark_group("free_slots");
    group.bench_function("week_year_of_busy_sorted", |b| {
        b.iter(|| free_slots(&av, DURATION, STEP, black_box(&sorted), now, now, week))
    });
    group.bench_function("week_year_of_busy_shuffled", |b| {
        b.iter(|| free_slots(&av, DURATION, STEP, black_box(&unsorted), now, now, week))
    });
    group.bench_function("horizon_60_days_year_of_busy_sorted", |b| {
        b.iter(|| free_slots(&av, DURATION, STEP, black_box(&sorted), now, now, horizon))
    });
    group.bench_function("horizon_60_days_year_of_busy_shuffled", |b| {
        b.iter(|| free_slots(&av, DURATION, STEP, black_box(&unsorted), now, now, horizon))
    });
    // The other extreme: nothing booked, so every grid point is a slot.
    group.bench_function("horizon_60_days_nothing_booked", |b| {
        b.iter(|| free_slots(&av, DURATION, STEP, black_box(&[]), now, now, horizon))
    });
    group.finish();

    c.bench_function("in_timezone/horizon_60_days_new_york", |b| {
        b.iter(|| in_timezone(black_box(&found), chrono_tz::America::New_York, "en"))
    });
}

criterion_group!(benches, bench_slots);
criterion_main!(benches);
