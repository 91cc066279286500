//! The operator's list of professionals waiting for verification in a real
//! headless Chromium: at phone and desktop widths with no sideways
//! scrolling, axe-core with no serious or critical violation (also with a
//! refused reason on the page), every button named after its professional,
//! and screenshots into `<target>/tests-output/screenshots/`.
//!
//! `scripts/test` installs Chromium, ChromeDriver and axe-core (`npm ci` in
//! `tests/browser`); without them this test fails and says so.

use std::sync::Arc;
use std::time::Duration;

use fantoccini::Client;
use hearth_tests::chrome::{
    axe_source, browser, chromedriver, describe, full_page_screenshot, screenshot_dir,
    serious_violations, sign_in, wait_until,
};
use hearth_tests::fixtures;
use hearth_tests::{TestApp, TestDb};
use serde_json::Value;

/// Facts about the page at hand.
async fn facts(client: &Client) -> Value {
    client
        .execute(
            "const names = [...document.querySelectorAll('section.waiting')].map(s => {
                 const name = s.querySelector('h3').textContent.trim();
                 const buttons = [...s.querySelectorAll('button')].map(b => b.textContent.trim());
                 const area = s.querySelector('textarea');
                 const label = area && document.querySelector('label[for=\"' + area.id + '\"]');
                 return { name, buttons, label: label ? label.textContent.trim() : null };
             });
             return { h1: document.querySelector('h1').textContent.trim(),
                      sections: names,
                      rowHeaders: document.querySelectorAll('tbody th[scope=row]').length,
                      errors: document.querySelectorAll('.field.invalid textarea[aria-invalid=true]').length,
                      overflow: document.documentElement.scrollWidth > window.innerWidth };",
            vec![],
        )
        .await
        .expect("page facts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_professionals_page_is_accessible_in_chromium_at_phone_and_desktop_widths() {
    let driver = chromedriver().await;
    let axe = axe_source();
    let db = Arc::new(TestDb::new().await);
    let pool = db.pool.clone();
    let app = TestApp::spawn_on(db).await;

    let operator = fixtures::user(&pool, "olga@hearth.example", "Olga Operator", "UTC").await;
    sqlx::query("UPDATE users SET is_operator = true WHERE id = $1")
        .bind(operator)
        .execute(&pool)
        .await
        .expect("operator");
    let long_bio =
        "I work with adults and young people on anxiety, stress, burnout and grief. ".repeat(12);
    for (email, name, title, bio, verified, reason) in [
        (
            "pia@pro.example",
            "Pia Prosser-Sigurðardóttir",
            "Clinical psychologist",
            long_bio.as_str(),
            false,
            None,
        ),
        ("jon@pro.example", "Jón Jónsson", "", "", false, None),
        (
            "ann@pro.example",
            "Ann Smith",
            "Coach",
            "Coaching.",
            true,
            None,
        ),
        (
            "bob@pro.example",
            "Bob Jones",
            "Therapist",
            "Therapy.",
            false,
            Some("Please add your licence number and the country you practise in."),
        ),
    ] {
        let id = fixtures::user(&pool, email, name, "UTC").await;
        sqlx::query(
            "INSERT INTO professionals (user_id, title, bio, specialties, languages, country, \
               verified_at, rejected_at, rejection_reason) \
             VALUES ($1, $2, $3, '{Anxiety,Stress,Burnout}', '{en,is}', 'IS', \
               CASE WHEN $4 THEN now() END, CASE WHEN $5::text IS NOT NULL THEN now() END, $5)",
        )
        .bind(id)
        .bind(title)
        .bind(bio)
        .bind(verified)
        .bind(reason)
        .execute(&pool)
        .await
        .expect("professional");
    }

    let token = fixtures::session_token(&pool, operator).await;
    let client = browser(&driver).await;
    sign_in(&client, &app.address, &token).await;
    let shots = screenshot_dir();

    for width in [375, 1280] {
        client.set_window_size(width, 900).await.expect("resize");
        client
            .goto(&format!("{}/operator/professionals", app.address))
            .await
            .expect("the professionals page");
        let page = facts(&client).await;
        assert_eq!(page["h1"], "Professionals", "{page}");
        let sections = page["sections"].as_array().expect("sections");
        assert_eq!(sections.len(), 2, "two waiting: {page}");
        for s in sections {
            let name = s["name"].as_str().expect("name");
            for button in s["buttons"].as_array().expect("buttons") {
                let button = button.as_str().expect("text");
                assert!(
                    button.ends_with(name),
                    "the button {button:?} does not name {name}"
                );
            }
            assert!(s["label"].as_str().expect("label").contains(name), "{page}");
        }
        assert_eq!(page["rowHeaders"], 2, "two decisions: {page}");
        assert_eq!(
            page["overflow"], false,
            "the page at {width}px scrolls sideways"
        );
        full_page_screenshot(
            &client,
            width,
            &shots.join(format!("operator-professionals-{width}.png")),
        )
        .await;
        client.set_window_size(width, 900).await.expect("resize");
        let violations = serious_violations(&client, &axe).await;
        assert!(
            violations.is_empty(),
            "axe-core: serious or critical violations at {width}px:\n{}",
            describe(&violations)
        );
    }

    // A reason too long, typed past the field's own limit: refused next to
    // the field, and the page stays accessible.
    client.set_window_size(375, 900).await.expect("resize");
    client
        .execute(
            "const area = document.querySelector('section.waiting textarea');
             area.removeAttribute('maxlength');
             area.value = 'x'.repeat(1001);
             area.form.submit();",
            vec![],
        )
        .await
        .expect("submit a long reason");
    wait_until(
        &client,
        "document.querySelector('.field.invalid .error')",
        Duration::from_secs(10),
        "the refused reason's error",
    )
    .await;
    let page = facts(&client).await;
    assert_eq!(page["errors"], 1, "{page}");
    assert_eq!(page["overflow"], false, "{page}");
    let violations = serious_violations(&client, &axe).await;
    assert!(
        violations.is_empty(),
        "axe-core: serious or critical violations with an error:\n{}",
        describe(&violations)
    );
    full_page_screenshot(
        &client,
        375,
        &shots.join("operator-professionals-error-375.png"),
    )
    .await;

    // The home, on a phone.
    client.set_window_size(375, 900).await.expect("resize");
    client
        .goto(&format!("{}/operator", app.address))
        .await
        .expect("the home");
    let page = facts(&client).await;
    assert_eq!(page["overflow"], false, "{page}");
    let violations = serious_violations(&client, &axe).await;
    assert!(
        violations.is_empty(),
        "axe-core: the home:\n{}",
        describe(&violations)
    );
    full_page_screenshot(&client, 375, &shots.join("operator-home-375.png")).await;
    client.close().await.expect("close the browser");
}
