//! The Client Dashboard in a real headless Chromium (the same chromedriver
//! approach as `chromium.rs`): Home at phone and desktop widths with no
//! sideways scrolling, screenshots into `<target>/tests-output/screenshots/`,
//! axe-core with no serious or critical violation, the hub's colours, the
//! calendar reachable by keyboard, and the notifications page.
//!
//! `scripts/test` installs Chromium, ChromeDriver and axe-core (`npm ci` in
//! `tests/browser`); without them this test fails and says so.

use std::sync::Arc;

use chrono::{Duration as Span, Utc};
use fantoccini::Client;
use hearth_tests::chrome::{
    axe_source, browser, chromedriver, describe, full_page_screenshot, press_tab, screenshot_dir,
    serious_violations, sign_in,
};
use hearth_tests::fixtures::{self, all_week, monday_at};
use hearth_tests::{TestApp, TestDb};
use serde_json::Value;
use uuid::Uuid;

/// Facts about the page at hand.
async fn facts(client: &Client) -> Value {
    client
        .execute(
            "const cur = document.querySelector('.dash-nav a[aria-current=page]');
             const join = document.querySelector('a.button.join');
             return { h1: document.querySelector('h1').textContent.trim(),
                      appts: document.querySelectorAll('.appt').length,
                      joinable: document.querySelectorAll('a.button.join').length,
                      waiting: document.querySelectorAll('.appt button[disabled]').length,
                      busy: document.querySelectorAll('.cal td.busy').length,
                      bell: (document.querySelector('.bell-count') || {}).textContent || null,
                      tab: cur ? getComputedStyle(cur).backgroundColor : null,
                      joinVisible: !!join && join.getBoundingClientRect().width > 0,
                      overflow: document.documentElement.scrollWidth > window.innerWidth };",
            vec![],
        )
        .await
        .expect("page facts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_renders_in_chromium_accessibly_at_phone_and_desktop_widths_in_the_hubs_colours() {
    let driver = chromedriver().await;
    let axe = axe_source();
    let db = Arc::new(TestDb::new().await);
    let acme = db.hub("acme", "Acme").await;
    let pool = db.pool.clone();
    let app = TestApp::spawn_configured(db, pool.clone(), |c| c.booking_reminders = false).await;

    let tokyo = chrono_tz::Asia::Tokyo;
    let ann = fixtures::professional(
        &pool,
        "ann@pro.example",
        "Ann Smith",
        "Europe/London",
        0,
        &all_week(),
    )
    .await;
    let bob = fixtures::professional(
        &pool,
        "bob@pro.example",
        "Bob Jones",
        "America/New_York",
        0,
        &all_week(),
    )
    .await;
    fixtures::on_roster(&pool, &acme, ann).await;
    fixtures::in_hub(
        &pool,
        &acme,
        "UPDATE hub_settings SET credits_per_period = 6, brand_color = '#5b2a86', own_look = true",
        None,
    )
    .await;
    let kim = fixtures::user(
        &pool,
        "kim@acme.example",
        "Kim Tanaka-Ólafsdóttir",
        "Asia/Tokyo",
    )
    .await;
    fixtures::member(&pool, &acme, kim).await;
    let now = Utc::now();
    let sessions = [
        (
            ann,
            Some(acme.id.0),
            "Individual session",
            now + Span::minutes(5),
        ),
        (bob, None, "Coaching", now + Span::hours(2)),
        (
            ann,
            Some(acme.id.0),
            "Couples session",
            monday_at(1, 10, 0, tokyo),
        ),
        (
            bob,
            None,
            "Follow-up",
            monday_at(1, 16, 30, tokyo) + Span::days(3),
        ),
        (bob, None, "Intro call", now - Span::days(3)),
    ];
    for (pro, hub, name, start) in sessions {
        sqlx::query(
            "INSERT INTO appointments (id, professional_id, client_id, tenant_id, service_name, mode, session_type, \
               starts_at, ends_at, blocked_until, price_minor, currency, credits) \
             VALUES ($1, $2, $3, $4, $5, 'video', 'individual', $6, $6 + interval '50 minutes', \
               $6 + interval '50 minutes', 9000, 'EUR', 1)",
        )
        .bind(Uuid::new_v4())
        .bind(pro)
        .bind(kim)
        .bind(hub)
        .bind(name)
        .bind(start)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO connections (professional_id, client_id, source) VALUES ($1, $2, 'booking') ON CONFLICT DO NOTHING",
        )
        .bind(pro)
        .bind(kim)
        .execute(&pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, link) VALUES \
           ($1, 'booking_confirmed', 'Session booked: Individual session with Ann Smith', '/dashboard'), \
           ($1, 'invitation', 'Bob Jones invited you to connect', '/connections')",
    )
    .bind(kim)
    .execute(&pool)
    .await
    .unwrap();

    let token = fixtures::session_token(&pool, kim).await;
    let client = browser(&driver).await;
    sign_in(&client, &app.address, &token).await;
    let shots = screenshot_dir();

    for (name, base) in [
        ("platform", app.address.clone()),
        ("hub", format!("{}/h/acme", app.address)),
    ] {
        for width in [375, 1280] {
            client.set_window_size(width, 900).await.expect("resize");
            client
                .goto(&format!("{base}/dashboard"))
                .await
                .expect("Home");
            let page = facts(&client).await;
            assert_eq!(page["h1"], "Hello, Kim Tanaka-Ólafsdóttir", "{page}");
            assert_eq!(page["appts"], 5, "four upcoming and one past: {page}");
            assert_eq!(
                page["joinable"], 1,
                "only the session starting in 5 minutes: {page}"
            );
            assert_eq!(page["waiting"], 3, "{page}");
            assert_eq!(page["joinVisible"], true, "{page}");
            assert_eq!(page["bell"], "2", "{page}");
            assert_eq!(
                page["tab"], "rgb(91, 42, 134)",
                "the hub's colour, on the {name} too: {page}"
            );
            assert_eq!(
                page["overflow"], false,
                "{name} Home at {width}px scrolls sideways"
            );
            full_page_screenshot(
                &client,
                width,
                &shots.join(format!("dashboard-{name}-{width}.png")),
            )
            .await;
            client.set_window_size(width, 900).await.expect("resize");
            let violations = serious_violations(&client, &axe).await;
            assert!(
                violations.is_empty(),
                "axe-core: serious or critical violations on {name} Home at {width}px:\n{}",
                describe(&violations)
            );
        }
    }

    // The week view and the notifications page, on a phone.
    client.set_window_size(375, 900).await.expect("resize");
    let monday = monday_at(1, 10, 0, tokyo)
        .with_timezone(&tokyo)
        .date_naive();
    for (shot, path) in [
        ("week", format!("/dashboard?view=week&week={monday}")),
        ("notifications", "/notifications".to_owned()),
        ("connections", "/connections".to_owned()),
        ("email-settings", "/account/notifications".to_owned()),
    ] {
        client
            .goto(&format!("{}{path}", app.address))
            .await
            .expect("page");
        let page = facts(&client).await;
        assert_eq!(page["overflow"], false, "{path} scrolls sideways: {page}");
        let violations = serious_violations(&client, &axe).await;
        assert!(violations.is_empty(), "{path}:\n{}", describe(&violations));
        full_page_screenshot(
            &client,
            375,
            &shots.join(format!("dashboard-{shot}-375.png")),
        )
        .await;
        client.set_window_size(375, 900).await.expect("resize");
    }

    // Keyboard: from the top of the month that holds next Monday, Tab reaches
    // a session in the calendar (links all the way, no script).
    client.set_window_size(1280, 900).await.expect("resize");
    client
        .goto(&format!(
            "{}/dashboard?view=month&month={}#calendar",
            app.address,
            monday.format("%Y-%m")
        ))
        .await
        .expect("month");
    assert!(facts(&client).await["busy"].as_u64().unwrap() >= 1);
    client
        .execute(
            "document.activeElement.blur(); window.scrollTo(0, 0);",
            vec![],
        )
        .await
        .unwrap();
    let mut reached = false;
    for _ in 0..80 {
        press_tab(&client).await;
        let focused = client
            .execute(
                "const e = document.activeElement; return e.classList.contains('sess') ? e.getAttribute('href') : null;",
                vec![],
            )
            .await
            .unwrap();
        if focused
            .as_str()
            .is_some_and(|h| h.contains("/appointments/"))
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "a calendar session is reachable by keyboard");
    client.close().await.expect("close the browser");
}
