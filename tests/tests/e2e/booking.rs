//! Booking over real HTTP, real PostgreSQL and real SMTP: the hub flow from a
//! visitor to a confirmed session, double-booking under 200 concurrent
//! confirms, credits under 500 concurrent bookings, cancelling before and
//! inside the cutoff, rescheduling, daylight-saving changes, hub isolation
//! and private clients.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Datelike, Duration as Span, NaiveDate, TimeZone, Utc, Weekday};
use hearth_tenants::{Tenant, TenantTx};
use hearth_tests::browser::{csrf_of, location, mail_text, Browser};
use hearth_tests::fixtures::{self, confirm, enc, monday_at, rfc};
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};
use uuid::Uuid;

struct World {
    app: TestApp,
    smtp: SmtpServer,
    acme: Tenant,
    globex: Tenant,
}

async fn world() -> World {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let acme = db.hub("acme", "Acme").await;
    let globex = db.hub("globex", "Globex").await;
    let app = TestApp::spawn_mailing(db, &smtp).await;
    World {
        app,
        smtp,
        acme,
        globex,
    }
}

impl World {
    fn pool(&self) -> &sqlx::PgPool {
        &self.app.db.pool
    }

    fn hub(&self, tenant: &Tenant) -> String {
        format!("{}/h/{}", self.app.address, tenant.slug)
    }

    async fn user(&self, email: &str, name: &str, tz: &str) -> Uuid {
        fixtures::user(self.pool(), email, name, tz).await
    }

    async fn browser_for(&self, base: &str, user: Uuid) -> Browser {
        fixtures::browser_for(self.pool(), base, user).await
    }

    async fn professional(
        &self,
        email: &str,
        name: &str,
        tz: &str,
        buffer: i32,
        hours: &[(i16, &str, &str)],
    ) -> Uuid {
        fixtures::professional(self.pool(), email, name, tz, buffer, hours).await
    }

    async fn service(
        &self,
        pro: Uuid,
        name: &str,
        minutes: i32,
        credits: i32,
        session_type: &str,
    ) -> Uuid {
        fixtures::service(self.pool(), pro, name, minutes, credits, session_type).await
    }

    async fn in_hub(&self, tenant: &Tenant, sql: &str, user: Option<Uuid>) {
        fixtures::in_hub(self.pool(), tenant, sql, user).await;
    }

    async fn on_roster(&self, tenant: &Tenant, pro: Uuid) {
        fixtures::on_roster(self.pool(), tenant, pro).await;
    }

    async fn member(&self, tenant: &Tenant, user: Uuid) {
        fixtures::member(self.pool(), tenant, user).await;
    }

    async fn balance(&self, tenant: &Tenant, user: Uuid) -> i64 {
        fixtures::balance(self.pool(), tenant, user).await
    }

    async fn ledger_sum(&self, tenant: &Tenant, user: Uuid) -> i64 {
        fixtures::ledger_sum(self.pool(), tenant, user).await
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.pool())
            .await
            .expect("test setup")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_books_through_the_hub_signing_up_on_the_way_and_spends_the_hubs_credits() {
    let w = world().await;
    let pro = w
        .professional(
            "ann@pro.example",
            "Ann Smith",
            "Europe/London",
            10,
            &[(1, "09:00", "17:00"), (3, "09:00", "17:00")],
        )
        .await;
    let service = w
        .service(pro, "Individual session", 50, 2, "individual")
        .await;
    w.on_roster(&w.acme, pro).await;
    w.in_hub(
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 5",
        None,
    )
    .await;
    w.in_hub(
        &w.acme,
        "INSERT INTO eligibility_domains (domain) VALUES ('acme.example')",
        None,
    )
    .await;

    let b = Browser::new(w.hub(&w.acme));
    let profile = b.page(&format!("/book/{pro}")).await;
    assert!(profile.contains("Ann Smith") && profile.contains("Individual session"));
    let slots = b
        .page(&format!(
            "/book/{pro}/{service}?week={}",
            monday_at(1, 12, 0, chrono_tz::Europe::London).date_naive()
        ))
        .await;
    assert!(slots.contains("09:00"), "{slots}");
    let start = monday_at(1, 9, 0, chrono_tz::Europe::London);
    let confirm_path = format!("/book/{pro}/{service}/confirm?start={}", enc(&rfc(start)));
    let ask = b.page(&confirm_path).await;
    assert!(
        ask.contains("Create an account to claim your credits"),
        "{ask}"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM slot_holds").await,
        0,
        "a visitor holds nothing"
    );

    // Sign up with the booking as `next`: terms, code, then straight back to the booking.
    let next = format!("/h/acme{confirm_path}");
    let r = b
        .submit(
            &format!("/signup?next={}", enc(&next)),
            "/signup",
            &[
                ("name", "Eve Employee"),
                ("email", "eve@acme.example"),
                ("password", hearth_tests::browser::PASSWORD),
                ("next", &next),
            ],
        )
        .await;
    assert!(location(&r).ends_with("/terms"));
    b.submit("/terms", "/terms", &[]).await;
    let code = hearth_tests::browser::code_in(&mail_text(&w.smtp, 1).await.2);
    let r = b.submit("/verify", "/verify", &[("code", &code)]).await;
    assert_eq!(
        location(&r),
        next,
        "the booking continues after verification"
    );

    let eve: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'eve@acme.example'")
        .fetch_one(w.pool())
        .await
        .unwrap();
    assert_eq!(
        w.balance(&w.acme, eve).await,
        5,
        "claimed: the period's credits"
    );
    let page = b.page(&confirm_path).await;
    assert!(
        page.contains("Confirm booking") && page.contains("2 credits") && page.contains("5 left"),
        "{page}"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM slot_holds").await,
        0,
        "a GET (a link, maybe from another site) holds nothing"
    );
    // Choosing the time on the slots page holds it, by POST.
    let slots = b
        .page(&format!(
            "/book/{pro}/{service}?week={}",
            start.date_naive()
        ))
        .await;
    let hold_action = format!("/h/acme/book/{pro}/{service}/hold");
    assert!(
        slots
            .replace("&#x2F;", "/")
            .contains(&format!("action=\"{hold_action}\"")),
        "{slots}"
    );
    let r = b
        .post(
            &format!("/book/{pro}/{service}/hold"),
            &csrf_of(&slots),
            &[("start", &rfc(start))],
        )
        .await;
    assert!(
        location(&r).starts_with(&format!("/h/acme/book/{pro}/{service}/confirm?start=")),
        "held, on to the confirm step: {}",
        location(&r)
    );
    let page = b.page(&confirm_path).await;
    assert!(page.contains("We are holding this time for you"), "{page}");
    assert_eq!(
        w.count("SELECT count(*) FROM slot_holds").await,
        1,
        "the slot is held"
    );

    // Someone else cannot reach the confirm step for the held slot.
    let other = w.user("olaf@acme.example", "Olaf", "UTC").await;
    w.member(&w.acme, other).await;
    let ob = w.browser_for(&w.hub(&w.acme), other).await;
    let r = ob.get(&confirm_path).await;
    assert_eq!(r.status(), 409);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Someone else is booking this time"));
    let r = ob
        .post(
            &format!("/book/{pro}/{service}/hold"),
            &csrf_of(&ob.page("/").await),
            &[("start", &rfc(start))],
        )
        .await;
    assert_eq!(r.status(), 409, "nor hold it");
    assert_eq!(w.count("SELECT count(*) FROM slot_holds").await, 1);

    let token = csrf_of(&page);
    let key = page
        .split("name=\"key\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let form = [("start", rfc(start)), ("key", key.clone())];
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // A double-click: the same form twice makes one booking.
    let action = format!("/book/{pro}/{service}/confirm");
    let (r1, r2) = tokio::join!(
        b.post(&action, &token, &fields),
        b.post(&action, &token, &fields)
    );
    assert_eq!(location(&r1), location(&r2));
    assert!(
        location(&r1).contains("/appointments/"),
        "{}",
        location(&r1)
    );
    assert_eq!(w.count("SELECT count(*) FROM appointments").await, 1);
    assert_eq!(w.balance(&w.acme, eve).await, 3);
    assert_eq!(w.ledger_sum(&w.acme, eve).await, 3);
    let appointment = b.page(location(&r1).trim_start_matches("/h/acme")).await;
    assert!(appointment.contains("Your session is booked") && appointment.contains("Ann Smith"));

    // Both sides are emailed, with a calendar file.
    let mails = w.smtp.wait_for(3, Duration::from_secs(15)).await;
    let confirmations: Vec<_> = mails.iter().skip(1).map(|m| m.parsed()).collect();
    let to: Vec<&str> = confirmations.iter().map(|p| p.to.as_str()).collect();
    assert!(
        to.contains(&"eve@acme.example") && to.contains(&"ann@pro.example"),
        "{to:?}"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM connections").await,
        1,
        "client and professional are connected"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_200_concurrent_confirms_for_one_slot_exactly_one_books_it() {
    let w = world().await;
    let pro = w
        .professional("pat@pro.example", "Pat", "UTC", 0, &[(1, "08:00", "18:00")])
        .await;
    let service = w.service(pro, "Session", 50, 1, "individual").await;
    w.on_roster(&w.acme, pro).await;
    w.in_hub(
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 5",
        None,
    )
    .await;
    let start = monday_at(2, 10, 0, chrono_tz::UTC);
    let mut browsers = Vec::new();
    for i in 0..200 {
        let u = w
            .user(
                &format!("e{i}@acme.example"),
                &format!("Employee {i}"),
                "UTC",
            )
            .await;
        w.member(&w.acme, u).await;
        browsers.push(w.browser_for(&w.hub(&w.acme), u).await);
    }
    let responses =
        hearth_tests::fixtures::confirm_all_at_once(browsers, pro, service, start).await;
    hearth_tests::fixtures::assert_booked_once(&responses);
    for (_, _, body) in responses.iter().filter(|(s, _, _)| *s != 303) {
        assert!(body.contains("Choose a time"), "and offered other times");
    }
    assert_eq!(w.count("SELECT count(*) FROM appointments").await, 1);
    let debits: i64 = {
        let mut tx = TenantTx::begin(w.pool(), &w.acme).await.unwrap();
        let n = sqlx::query_scalar("SELECT count(*) FROM credit_ledger WHERE kind = 'debit'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        n
    };
    assert_eq!(debits, 1, "only the booking that happened is paid for");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_500_concurrent_bookings_by_one_employee_with_3_credits_exactly_3_succeed() {
    let w = world().await;
    let all_day = fixtures::all_week();
    let pro = w
        .professional("max@pro.example", "Max", "UTC", 0, &all_day)
        .await;
    let service = w.service(pro, "Session", 30, 1, "individual").await;
    w.on_roster(&w.acme, pro).await;
    w.in_hub(
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 3",
        None,
    )
    .await;
    let eve = w.user("eve@acme.example", "Eve", "UTC").await;
    w.member(&w.acme, eve).await;
    let b = w.browser_for(&w.hub(&w.acme), eve).await;
    let token = csrf_of(&b.page(&format!("/book/{pro}")).await);
    let first = monday_at(1, 0, 0, chrono_tz::UTC);
    let responses = futures::future::join_all((0..500).map(|i| {
        let b = b.clone();
        let token = token.clone();
        async move {
            let start = first + Span::hours(i);
            let r = b
                .post(
                    &format!("/book/{pro}/{service}/confirm"),
                    &token,
                    &[("start", &rfc(start)), ("key", &format!("k-{i:08}"))],
                )
                .await;
            let status = r.status().as_u16();
            (status, r.text().await.unwrap_or_default())
        }
    }))
    .await;
    let ok = responses.iter().filter(|(s, _)| *s == 303).count();
    assert_eq!(ok, 3);
    let refused = responses
        .iter()
        .filter(|(s, body)| *s == 409 && body.contains("you have 0 left"))
        .count();
    let mut statuses: Vec<u16> = responses.iter().map(|(s, _)| *s).collect();
    statuses.sort_unstable();
    statuses.dedup();
    let sample: Vec<&String> = responses
        .iter()
        .filter(|(s, b)| *s != 303 && !b.contains("you have 0 left"))
        .map(|(_, b)| b)
        .take(1)
        .collect();
    assert_eq!(
        refused, 497,
        "every other booking is refused for lack of credits: {statuses:?} {sample:?}"
    );
    assert_eq!(w.count("SELECT count(*) FROM appointments").await, 3);
    assert_eq!(w.balance(&w.acme, eve).await, 0);
    assert_eq!(
        w.ledger_sum(&w.acme, eve).await,
        0,
        "the ledger sums to the balance"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_before_the_cutoff_refunds_and_inside_it_forfeits_unless_the_professional_waives(
) {
    let w = world().await;
    let all_day = fixtures::all_week();
    let pro = w
        .professional("ann@pro.example", "Ann", "UTC", 0, &all_day)
        .await;
    let service = w.service(pro, "Session", 50, 2, "individual").await;
    w.on_roster(&w.acme, pro).await;
    w.in_hub(
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 6, cancellation_cutoff_hours = 24",
        None,
    )
    .await;
    let eve = w.user("eve@acme.example", "Eve", "UTC").await;
    w.member(&w.acme, eve).await;
    let b = w.browser_for(&w.hub(&w.acme), eve).await;

    // Far ahead: a refund.
    let far = monday_at(2, 10, 0, chrono_tz::UTC);
    let r = confirm(&b, pro, service, far, "key-far-0001").await;
    let far_page = location(&r).trim_start_matches("/h/acme").to_owned();
    assert_eq!(w.balance(&w.acme, eve).await, 4);
    let r = b
        .submit(
            &far_page,
            &format!("{far_page}/cancel").replace("?booked=1", ""),
            &[],
        )
        .await;
    assert!(location(&r).contains("done=cancelled"));
    assert_eq!(
        w.balance(&w.acme, eve).await,
        6,
        "cancelled in time: credits back"
    );

    // Inside the cutoff: forfeited. Booked by the professional's side as a
    // session two hours from now (the hub employee books it within hours).
    let soon = Utc::now() + Span::hours(3);
    let soon = soon
        - Span::minutes(i64::from(soon.minute_of_hour() % 30))
        - Span::seconds(i64::from(soon.second_of_minute()));
    // A 50-minute session must end the day it starts (the hours are per
    // weekday): late in the evening, the next day's 00:30 instead, still
    // well inside the cutoff.
    let soon = if (soon + Span::minutes(50)).date_naive() == soon.date_naive() {
        soon
    } else {
        (soon + Span::days(1))
            .date_naive()
            .and_hms_opt(0, 30, 0)
            .expect("a time")
            .and_utc()
    };
    let r = confirm(&b, pro, service, soon, "key-soon-0001").await;
    assert!(location(&r).contains("/appointments/"), "{}", location(&r));
    let soon_page = location(&r)
        .trim_start_matches("/h/acme")
        .replace("?booked=1", "");
    assert_eq!(w.balance(&w.acme, eve).await, 4);
    let page = b.page(&soon_page).await;
    assert!(page.contains("can no longer be moved"), "{page}");
    b.submit(&soon_page, &format!("{soon_page}/cancel"), &[])
        .await;
    assert_eq!(
        w.balance(&w.acme, eve).await,
        4,
        "cancelled late: the credits are forfeited"
    );
    assert_eq!(w.ledger_sum(&w.acme, eve).await, 4);

    // The professional waives the late cancellation.
    let pb = w.browser_for(&w.hub(&w.acme), pro).await;
    let page = pb.page(&soon_page).await;
    assert!(page.contains("Give the credits back"), "{page}");
    let r = pb
        .submit(&soon_page, &format!("{soon_page}/waive"), &[])
        .await;
    assert!(location(&r).contains("done=waived"));
    assert_eq!(w.balance(&w.acme, eve).await, 6);
    assert_eq!(w.ledger_sum(&w.acme, eve).await, 6);
    let kinds: Vec<String> = {
        let mut tx = TenantTx::begin(w.pool(), &w.acme).await.unwrap();
        let k = sqlx::query_scalar("SELECT kind FROM credit_ledger ORDER BY id")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        k
    };
    assert_eq!(
        kinds,
        ["grant", "debit", "refund", "debit", "forfeit", "refund"]
    );
}

trait Clock {
    fn minute_of_hour(&self) -> u32;
    fn second_of_minute(&self) -> u32;
}

impl Clock for DateTime<Utc> {
    fn minute_of_hour(&self) -> u32 {
        chrono::Timelike::minute(self)
    }
    fn second_of_minute(&self) -> u32 {
        chrono::Timelike::second(self)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slots_and_bookings_across_a_daylight_saving_change_show_the_viewers_local_times() {
    let w = world().await;
    // Mondays 09:00-10:00 in London; the viewer lives in New York. In 2027 the
    // US moves its clocks on March 14 and the UK on March 28.
    let pro = w
        .professional(
            "lon@pro.example",
            "Lena",
            "Europe/London",
            0,
            &[(1, "09:00", "10:00")],
        )
        .await;
    let service = w.service(pro, "Session", 60, 1, "individual").await;
    w.on_roster(&w.acme, pro).await;
    w.in_hub(
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 5",
        None,
    )
    .await;
    let viewer = w.user("ny@acme.example", "Nia", "America/New_York").await;
    w.member(&w.acme, viewer).await;
    let b = w.browser_for(&w.hub(&w.acme), viewer).await;
    let expect = [
        ("2027-03-08", "04:00"), // both on winter time: London UTC+0, New York UTC-5
        ("2027-03-15", "05:00"), // New York on summer time (UTC-4), London not yet
        ("2027-03-29", "04:00"), // both on summer time
    ];
    for (monday, local) in expect {
        let page = b
            .page(&format!("/book/{pro}/{service}?week={monday}"))
            .await
            .replace("&#x2F;", "/");
        assert!(page.contains("America/New_York"), "{page}");
        let slots: Vec<&str> = page
            .match_indices("<span class=\"sr\"> on ")
            .map(|(i, _)| &page[i.saturating_sub(5)..i])
            .collect();
        assert_eq!(slots, [local], "week of {monday}: {page}");
    }
    // Book the one after the UK change: 09:00 London is 08:00 UTC, 04:00 in New York.
    let start = Utc.with_ymd_and_hms(2027, 3, 29, 8, 0, 0).unwrap();
    let r = confirm(&b, pro, service, start, "key-dst-00001").await;
    let page = b
        .page(location(&r).trim_start_matches("/h/acme"))
        .await
        .replace("&#x2F;", "/");
    assert!(
        page.contains("Monday 29 March 2027, 04:00") && page.contains("America/New_York"),
        "{page}"
    );
    let stored: DateTime<Utc> = sqlx::query_scalar("SELECT starts_at FROM appointments")
        .fetch_one(w.pool())
        .await
        .unwrap();
    assert_eq!(stored, start);
    // A time that is not in the professional's hours is refused.
    let wrong = Utc.with_ymd_and_hms(2027, 3, 29, 9, 0, 0).unwrap();
    let r = confirm(&b, pro, service, wrong, "key-dst-00002").await;
    assert_eq!(r.status(), 409);
    let _ = NaiveDate::from_ymd_opt(2027, 3, 29).map(|d| d.weekday() == Weekday::Mon);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_of_one_hub_can_neither_see_nor_book_another_hubs_roster() {
    let w = world().await;
    let all_day = fixtures::all_week();
    let globex_pro = w
        .professional("gpro@pro.example", "Gus Globex", "UTC", 0, &all_day)
        .await;
    let service = w.service(globex_pro, "Session", 50, 1, "individual").await;
    w.on_roster(&w.globex, globex_pro).await;
    w.in_hub(
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 5",
        None,
    )
    .await;
    w.in_hub(
        &w.globex,
        "UPDATE hub_settings SET credits_per_period = 5",
        None,
    )
    .await;
    let eve = w.user("eve@acme.example", "Eve", "UTC").await;
    w.member(&w.acme, eve).await;

    let acme = w.browser_for(&w.hub(&w.acme), eve).await;
    let home = acme.page("/").await;
    assert!(!home.contains("Gus Globex"));
    for path in [
        format!("/book/{globex_pro}"),
        format!("/book/{globex_pro}/{service}"),
    ] {
        assert_eq!(acme.get(&path).await.status(), 404, "{path}");
    }
    let start = monday_at(1, 10, 0, chrono_tz::UTC);
    let token = csrf_of(&acme.page("/").await);
    let r = acme
        .post(
            &format!("/book/{globex_pro}/{service}/confirm"),
            &token,
            &[("start", &rfc(start)), ("key", "key-cross-0001")],
        )
        .await;
    assert_eq!(r.status(), 404);

    // On Globex's own site she is not a member: she is sent to claim, nothing is booked.
    let globex = w.browser_for(&w.hub(&w.globex), eve).await;
    let r = globex
        .get(&format!(
            "/book/{globex_pro}/{service}/confirm?start={}",
            enc(&rfc(start))
        ))
        .await;
    assert!(
        location(&r).contains("/h/globex/claim?next="),
        "{}",
        location(&r)
    );
    let token = csrf_of(&globex.page(&format!("/book/{globex_pro}")).await);
    let r = globex
        .post(
            &format!("/book/{globex_pro}/{service}/confirm"),
            &token,
            &[("start", &rfc(start)), ("key", "key-cross-0002")],
        )
        .await;
    assert!(location(&r).ends_with("/claim"), "{}", location(&r));
    let r = globex.submit("/claim", "/claim", &[]).await;
    assert_eq!(r.status(), 422, "not eligible without a code");
    assert_eq!(w.count("SELECT count(*) FROM appointments").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rescheduling_moves_the_session_and_tells_both_sides_with_an_updated_calendar_entry() {
    let w = world().await;
    let all_day = fixtures::all_week();
    let pro = w
        .professional("ann@pro.example", "Ann", "UTC", 10, &all_day)
        .await;
    let service = w.service(pro, "Session", 50, 1, "individual").await;
    w.on_roster(&w.acme, pro).await;
    w.in_hub(
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 5",
        None,
    )
    .await;
    let eve = w.user("eve@acme.example", "Eve", "UTC").await;
    w.member(&w.acme, eve).await;
    let b = w.browser_for(&w.hub(&w.acme), eve).await;
    let start = monday_at(2, 10, 0, chrono_tz::UTC);
    let r = confirm(&b, pro, service, start, "key-move-0001").await;
    let page = location(&r)
        .trim_start_matches("/h/acme")
        .replace("?booked=1", "");
    w.smtp.wait_for(2, Duration::from_secs(15)).await;

    // Another client takes 12:00; moving there is refused, 14:00 works.
    let other = w.user("olaf@acme.example", "Olaf", "UTC").await;
    w.member(&w.acme, other).await;
    let ob = w.browser_for(&w.hub(&w.acme), other).await;
    confirm(&ob, pro, service, start + Span::hours(2), "key-move-0002").await;
    w.smtp.wait_for(4, Duration::from_secs(15)).await;
    let r = b
        .submit(
            &format!("{page}/reschedule"),
            &format!("{page}/reschedule"),
            &[("start", &rfc(start + Span::hours(2)))],
        )
        .await;
    assert_eq!(r.status(), 409);
    let r = b
        .submit(
            &format!("{page}/reschedule"),
            &format!("{page}/reschedule"),
            &[("start", &rfc(start + Span::hours(4)))],
        )
        .await;
    assert!(
        location(&r).contains("done=rescheduled"),
        "{}",
        location(&r)
    );
    let (starts, sequence): (DateTime<Utc>, i32) =
        sqlx::query_as("SELECT starts_at, sequence FROM appointments WHERE client_id = $1")
            .bind(eve)
            .fetch_one(w.pool())
            .await
            .unwrap();
    assert_eq!((starts, sequence), (start + Span::hours(4), 1));
    assert_eq!(w.balance(&w.acme, eve).await, 4, "moving costs nothing");

    let mails = w.smtp.wait_for(6, Duration::from_secs(15)).await;
    // Eve's calendar files: the confirmation and the move share a UID; the move's SEQUENCE is higher.
    let eves: Vec<(String, String)> = mails
        .iter()
        .map(|m| m.parsed())
        .filter(|p| p.to == "eve@acme.example")
        .map(|p| {
            let ics = p
                .attachments
                .iter()
                .find(|(_, ct, _)| ct == "text/calendar")
                .map(|(_, _, bytes)| String::from_utf8_lossy(bytes).replace("\r\n ", ""))
                .expect("a calendar file");
            (p.subject, ics)
        })
        .collect();
    assert_eq!(eves.len(), 2, "{eves:?}");
    let field = |ics: &str, name: &str| {
        ics.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(field(&eves[0].1, "UID:"), field(&eves[1].1, "UID:"));
    assert_eq!(field(&eves[0].1, "SEQUENCE:"), "0");
    assert_eq!(field(&eves[1].1, "SEQUENCE:"), "1");
    assert!(field(&eves[1].1, "DTSTART:")
        .starts_with(&(start + Span::hours(4)).format("%Y%m%dT%H%M%S").to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_professional_books_a_private_client_who_is_emailed_a_link_to_the_session() {
    let w = world().await;
    let pro = w
        .professional(
            "ann@pro.example",
            "Ann Smith",
            "Europe/Berlin",
            0,
            &[(1, "09:00", "17:00")],
        )
        .await;
    let service = w.service(pro, "Therapy", 50, 0, "individual").await;
    let client = w
        .user("carl@example.com", "Carl Client", "Europe/Berlin")
        .await;
    let stranger = w.user("sam@example.com", "Sam Stranger", "UTC").await;
    sqlx::query("INSERT INTO connections (professional_id, client_id, source) VALUES ($1, $2, 'invitation')")
        .bind(pro)
        .bind(client)
        .execute(w.pool())
        .await
        .unwrap();
    let pb = w.browser_for(&w.app.address, pro).await;
    let form = pb.page("/pro/appointments/new").await;
    assert!(form.contains("Carl Client") && !form.contains("Sam Stranger"));
    let day = monday_at(1, 0, 0, chrono_tz::Europe::Berlin)
        .with_timezone(&chrono_tz::Europe::Berlin)
        .date_naive()
        .to_string();
    // A stranger is not one of her clients.
    let r = pb
        .submit(
            "/pro/appointments/new",
            "/pro/appointments",
            &[
                ("client", &stranger.to_string()),
                ("service", &service.to_string()),
                ("date", &day),
                ("time", "18:30"),
                ("price", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = pb
        .submit(
            "/pro/appointments/new",
            "/pro/appointments",
            &[
                ("client", &client.to_string()),
                ("service", &service.to_string()),
                ("date", &day),
                ("time", "18:30"),
                ("price", "95.50"),
                ("key", "key-private-01"),
            ],
        )
        .await;
    assert!(location(&r).contains("/appointments/"), "{}", location(&r));
    let (price, tenant): (i64, Option<i64>) =
        sqlx::query_as("SELECT price_minor, tenant_id FROM appointments")
            .fetch_one(w.pool())
            .await
            .unwrap();
    assert_eq!(
        (price, tenant),
        (9550, None),
        "a private session at her price, outside her hours is her call"
    );
    let mails = w.smtp.wait_for(2, Duration::from_secs(15)).await;
    let to_client = mails
        .iter()
        .map(|m| m.parsed())
        .find(|p| p.to == "carl@example.com")
        .expect("the client is emailed");
    let text = to_client.text.unwrap_or_default();
    let id: Uuid = sqlx::query_scalar("SELECT id FROM appointments")
        .fetch_one(w.pool())
        .await
        .unwrap();
    assert!(text.contains(&format!("/appointments/{id}")), "{text}");
    assert!(text.contains("18:30"), "in the client's timezone: {text}");
    // The client opens it; a stranger cannot.
    let cb = w.browser_for(&w.app.address, client).await;
    let page = cb.page(&format!("/appointments/{id}")).await;
    assert!(page.contains("Therapy") && page.contains("€95.50"));
    let sb = w.browser_for(&w.app.address, stranger).await;
    assert_eq!(sb.get(&format!("/appointments/{id}")).await.status(), 404);
}

/// `day` as an Icelandic reader writes it, without the year: "mánudagur 29. mars".
fn icelandic_day(day: NaiveDate) -> String {
    assert_eq!(day.weekday(), Weekday::Mon, "only Mondays here");
    let date = hearth_tests::fixtures::icelandic_date(day);
    date.rsplit_once(' ')
        .map_or(date.clone(), |(day, _year)| day.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_chose_icelandic_reads_the_days_dates_and_refusals_in_icelandic() {
    let w = world().await;
    let pro = w
        .professional(
            "ann@pro.example",
            "Ann Smith",
            "Atlantic/Reykjavik",
            10,
            &[(1, "09:00", "17:00")],
        )
        .await;
    let service = w
        .service(pro, "Individual session", 50, 1, "individual")
        .await;
    w.on_roster(&w.acme, pro).await;
    w.in_hub(
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 5",
        None,
    )
    .await;
    let eve = w
        .user("eve@acme.example", "Eve", "Atlantic/Reykjavik")
        .await;
    w.member(&w.acme, eve).await;
    let b = w.browser_for(&w.hub(&w.acme), eve).await;
    let start = monday_at(2, 9, 0, chrono_tz::Atlantic::Reykjavik);
    let monday = start.date_naive();
    let slots = format!("/book/{pro}/{service}?week={monday}");

    // In English, as before.
    let english = b.page(&slots).await;
    let english_day = monday.format("Monday %-d %B").to_string();
    assert!(
        english.contains(&format!(">{english_day}</h3>")),
        "{english}"
    );
    assert!(english.contains(&format!("<span class=\"sr\"> on {english_day}</span>")));

    // Once she chooses Icelandic, the same week is labelled in Icelandic.
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(eve)
        .execute(w.pool())
        .await
        .unwrap();
    let page = b.page(&slots).await;
    let day = icelandic_day(monday);
    assert!(page.contains(&format!(">{day}</h3>")), "{page}");
    assert!(!page.contains(&english_day), "{page}");

    // The booked session's page: the notice and the date in Icelandic.
    let r = confirm(&b, pro, service, start, "key-is-000001").await;
    let appointment = location(&r)
        .trim_start_matches("/h/acme")
        .replace("?booked=1", "");
    let page = b.page(&format!("{appointment}?booked=1")).await;
    assert!(
        page.contains("Tíminn þinn er bókaður. Við höfum sent þér upplýsingarnar"),
        "{page}"
    );
    assert!(
        page.contains(&format!("{day} {}, 09:00–09:50", monday.year())),
        "{page}"
    );
    assert!(!page.contains("Your session is booked"));

    // Moving it into the past is refused in her language.
    let r = b
        .submit(
            &format!("{appointment}/reschedule?week={monday}"),
            &format!("{appointment}/reschedule"),
            &[("start", &rfc(Utc::now() - Span::hours(1)))],
        )
        .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("Veldu tíma sem er ekki liðinn."), "{page}");
    assert!(!page.contains("Choose a time in the future."));
}
