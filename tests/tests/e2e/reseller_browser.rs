//! The reseller console in a real headless Chromium: the company list (with
//! the statement and invitation forms), the admins and the onboarding form
//! at phone and desktop widths with no sideways
//! scrolling and axe-core with no serious or critical violation (also with
//! refusals on the form); the slug suggested from the company's name as it
//! is typed; screenshots into `<target>/tests-output/screenshots/`.

use std::sync::Arc;
use std::time::Duration;

use fantoccini::Client;
use hearth_tenants::provision::{create_tenant, NewTenant};
use hearth_tenants::TenantMigrator;
use hearth_tests::chrome::{
    axe_source, browser, chromedriver, describe, full_page_screenshot, screenshot_dir,
    serious_violations, sign_in, wait_until,
};
use hearth_tests::fixtures;
use hearth_tests::{TestApp, TestDb};
use serde_json::Value;

async fn facts(client: &Client) -> Value {
    client
        .execute(
            "return { h1: document.querySelector('h1').textContent.trim(),
                      rows: document.querySelectorAll('tbody th[scope=row]').length,
                      errors: document.querySelectorAll('.field.invalid [aria-invalid=true]').length,
                      slug: (document.getElementById('f-slug') || {}).value || null,
                      overflow: document.documentElement.scrollWidth > window.innerWidth };",
            vec![],
        )
        .await
        .expect("page facts")
}

async fn accessible(client: &Client, axe: &str, what: &str) {
    let violations = serious_violations(client, axe).await;
    assert!(
        violations.is_empty(),
        "axe-core: serious or critical violations on {what}:\n{}",
        describe(&violations)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reseller_console_is_accessible_in_chromium_at_phone_and_desktop_widths() {
    let driver = chromedriver().await;
    let axe = axe_source();
    let db = Arc::new(TestDb::new().await);
    let pool = db.pool.clone();
    let app = TestApp::spawn_on(db).await;
    let rita = fixtures::user(&pool, "rita@nordic.example", "Rita Reseller", "UTC").await;
    let reseller: i64 = sqlx::query_scalar(
        "INSERT INTO resellers (slug, name) VALUES ('nordic', 'Nordic Wellbeing') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .expect("reseller");
    sqlx::query("INSERT INTO reseller_admins (reseller_id, user_id) VALUES ($1, $2)")
        .bind(reseller)
        .bind(rita)
        .execute(&pool)
        .await
        .expect("admin");
    for (slug, name) in [
        ("fjord", "Fjord Fisheries"),
        (
            "glacier",
            "Glacier Engineering and Consulting Partners of Reykjavík",
        ),
    ] {
        create_tenant(
            &pool,
            &TenantMigrator::embedded(),
            &NewTenant {
                slug: slug.into(),
                name: name.into(),
                reseller_id: Some(reseller),
            },
        )
        .await
        .expect("hub");
    }
    let token = fixtures::session_token(&pool, rita).await;
    let client = browser(&driver).await;
    sign_in(&client, &app.address, &token).await;
    let shots = screenshot_dir();

    for width in [375, 1280] {
        client.set_window_size(width, 900).await.expect("resize");
        client
            .goto(&format!("{}/reseller", app.address))
            .await
            .expect("the list");
        let page = facts(&client).await;
        assert_eq!(page["rows"], 2, "{page}");
        assert_eq!(
            page["overflow"], false,
            "the list at {width}px scrolls sideways"
        );
        full_page_screenshot(
            &client,
            width,
            &shots.join(format!("reseller-list-{width}.png")),
        )
        .await;
        client.set_window_size(width, 900).await.expect("resize");
        accessible(&client, &axe, &format!("the list at {width}px")).await;

        client
            .goto(&format!("{}/reseller/admins", app.address))
            .await
            .expect("the admins");
        let page = facts(&client).await;
        assert_eq!(page["h1"], "Admins", "{page}");
        assert_eq!(
            page["overflow"], false,
            "the admins at {width}px scroll sideways"
        );
        full_page_screenshot(
            &client,
            width,
            &shots.join(format!("reseller-admins-{width}.png")),
        )
        .await;
        client.set_window_size(width, 900).await.expect("resize");
        accessible(&client, &axe, &format!("the admins at {width}px")).await;

        client
            .goto(&format!("{}/reseller/companies/new", app.address))
            .await
            .expect("the form");
        let page = facts(&client).await;
        assert_eq!(page["h1"], "Onboard a company", "{page}");
        assert_eq!(
            page["overflow"], false,
            "the form at {width}px scrolls sideways"
        );
        accessible(&client, &axe, &format!("the form at {width}px")).await;
        full_page_screenshot(
            &client,
            width,
            &shots.join(format!("reseller-new-{width}.png")),
        )
        .await;
        client.set_window_size(width, 900).await.expect("resize");
    }

    // The slug follows the name as it is typed.
    let name = client
        .find(fantoccini::Locator::Id("f-name"))
        .await
        .expect("the name field");
    name.send_keys("Þór & Sons Ltd").await.expect("type");
    wait_until(
        &client,
        "document.getElementById('f-slug').value === 'thor-sons-ltd'",
        Duration::from_secs(5),
        "the suggested slug",
    )
    .await;
    // Refused fields: marked, and the page stays accessible.
    client
        .execute(
            "document.getElementById('f-slug').value = 'Bad Slug';
             document.getElementById('f-email').value = 'nope';
             document.getElementById('f-name').form.submit();",
            vec![],
        )
        .await
        .expect("submit");
    wait_until(
        &client,
        "document.querySelector('.field.invalid .error')",
        Duration::from_secs(10),
        "the refusals",
    )
    .await;
    let page = facts(&client).await;
    assert_eq!(page["errors"], 2, "{page}");
    assert_eq!(page["overflow"], false, "{page}");
    accessible(&client, &axe, "the form with refusals").await;
    full_page_screenshot(&client, 1280, &shots.join("reseller-new-errors.png")).await;
    client.close().await.expect("close the browser");
}
