//! The reseller console in a real headless Chromium: the company list (with
//! the statement and invitation forms), the admins and the onboarding form
//! at phone and desktop widths with no sideways
//! scrolling and axe-core with no serious or critical violation (also with
//! refusals on the form); the slug suggested from the company's name as it
//! is typed; screenshots into `<target>/tests-output/screenshots/`. And the
//! whole way in Chromium: a reseller admin onboards a company, its hub page
//! answers at once in the reseller's look, the HR admin's invitation
//! arrives, and an employee signs up there and claims its credits.

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

        for (path, h1, shot) in [
            ("/reseller/look", "Your look", "reseller-look"),
            (
                "/reseller/professionals",
                "Professionals you work with",
                "reseller-professionals",
            ),
        ] {
            client
                .goto(&format!("{}{path}", app.address))
                .await
                .expect(path);
            let page = facts(&client).await;
            assert_eq!(page["h1"], h1, "{page}");
            assert_eq!(
                page["overflow"], false,
                "{path} at {width}px scrolls sideways"
            );
            full_page_screenshot(&client, width, &shots.join(format!("{shot}-{width}.png"))).await;
            client.set_window_size(width, 900).await.expect("resize");
            accessible(&client, &axe, &format!("{path} at {width}px")).await;
        }

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

/// Runs `script` in the page (filling fields, sending a form).
async fn run(client: &Client, script: &str) {
    client.execute(script, vec![]).await.expect(script);
}

/// Waits for the browser to be at a URL containing `part`.
async fn at(client: &Client, part: &str) {
    wait_until(
        client,
        &format!("location.href.indexOf({part:?}) >= 0"),
        Duration::from_secs(20),
        part,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_onboarded_in_chromium_serves_its_hub_at_once_and_an_employee_claims_its_credits()
{
    let driver = chromedriver().await;
    let smtp = hearth_tests::smtp::SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let pool = db.pool.clone();
    let app = TestApp::spawn_mailing(db, &smtp).await;
    let rita = fixtures::user(&pool, "rita@nordic.example", "Rita Reseller", "UTC").await;
    let reseller: i64 = sqlx::query_scalar(
        "INSERT INTO resellers (slug, name, theme, brand_color, accent_color) \
         VALUES ('nordic', 'Nordic Wellbeing', 'calm', '#224466', '#ffcc00') RETURNING id",
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
    let pia = fixtures::professional(
        &pool,
        "pia@pros.example",
        "Pia Psychologist",
        "UTC",
        0,
        &fixtures::all_week(),
    )
    .await;
    sqlx::query(
        "INSERT INTO reseller_professionals (reseller_id, professional_id) VALUES ($1, $2)",
    )
    .bind(reseller)
    .bind(pia)
    .execute(&pool)
    .await
    .expect("works with Pia");

    // Rita onboards Aurora from the console.
    let client = browser(&driver).await;
    let token = fixtures::session_token(&pool, rita).await;
    sign_in(&client, &app.address, &token).await;
    client
        .goto(&format!("{}/reseller/companies/new", app.address))
        .await
        .expect("the form");
    let name = client
        .find(fantoccini::Locator::Id("f-name"))
        .await
        .expect("the name field");
    name.send_keys("Aurora Analytics").await.expect("type");
    wait_until(
        &client,
        "document.getElementById('f-slug').value === 'aurora-analytics'",
        Duration::from_secs(5),
        "the suggested slug",
    )
    .await;
    run(
        &client,
        &format!(
            "document.getElementById('f-credits').value = '6';
             document.getElementById('f-period').value = '3';
             document.getElementById('f-domains').value = 'aurora.example';
             document.querySelector('input[name=\"pro-{pia}\"]').checked = true;
             document.getElementById('f-email').value = 'hana@aurora.example';
             document.getElementById('onboard-form').requestSubmit();"
        ),
    )
    .await;
    at(&client, "done=onboarded").await;
    let notice: String = client
        .execute(
            "return document.querySelector('.notice').textContent",
            vec![],
        )
        .await
        .expect("notice")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(notice.contains("ready"), "{notice}");

    // Its hub page answers at once, in Nordic's look, with Pia on it.
    let employee = browser(&driver).await;
    employee
        .goto(&format!("{}/h/aurora-analytics/", app.address))
        .await
        .expect("the hub page");
    let hub: Value = employee
        .execute(
            "return { calm: document.body.classList.contains('theme-calm'),
                      brand: getComputedStyle(document.documentElement).getPropertyValue('--brand').trim(),
                      pia: document.body.textContent.indexOf('Pia Psychologist') >= 0 };",
            vec![],
        )
        .await
        .expect("hub facts");
    assert_eq!(hub["calm"], true, "{hub}");
    assert_eq!(hub["brand"], "#224466", "{hub}");
    assert_eq!(hub["pia"], true, "{hub}");

    // The HR admin's invitation arrives.
    let (to, subject, _) = hearth_tests::browser::mail_text(&smtp, 1).await;
    assert!(to.contains("hana@aurora.example"), "{to}");
    assert!(subject.contains("Aurora Analytics"), "{subject}");

    // An employee signs up on the new hub and claims its credits.
    employee
        .find(fantoccini::Locator::LinkText(
            "Create an account to claim your credits",
        ))
        .await
        .expect("the sign-up link")
        .click()
        .await
        .expect("click");
    at(&employee, "/signup").await;
    run(
        &employee,
        &format!(
            "document.getElementById('f-name').value = 'Eve Employee';
             document.getElementById('f-email').value = 'eve@aurora.example';
             document.getElementById('f-password').value = '{}';
             document.querySelector('form[action$=\"/signup\"]').requestSubmit();",
            hearth_tests::browser::PASSWORD
        ),
    )
    .await;
    at(&employee, "/terms").await;
    run(
        &employee,
        "document.querySelector('form[action$=\"/terms\"]').requestSubmit();",
    )
    .await;
    at(&employee, "/verify").await;
    let (to, _, text) = hearth_tests::browser::mail_text(&smtp, 2).await;
    assert!(to.contains("eve@aurora.example"), "{to}");
    let code = hearth_tests::browser::code_in(&text);
    run(
        &employee,
        &format!(
            "document.getElementById('f-code').value = '{code}';
             document.querySelector('form[action$=\"/verify\"]').requestSubmit();"
        ),
    )
    .await;
    wait_until(
        &employee,
        "location.pathname.indexOf('/verify') < 0",
        Duration::from_secs(20),
        "past the code",
    )
    .await;
    // Past the code: on the claim page (an address at the company's domain
    // claims with one button), unless the sign-up already claimed.
    let claim: Value = employee
        .execute(
            "var f = document.querySelector('main form[action$=\"/claim\"]');
             if (f) { f.requestSubmit(); }
             return { path: location.pathname, form: !!f };",
            vec![],
        )
        .await
        .expect("the claim step");
    if claim["form"] == true {
        wait_until(
            &employee,
            "location.pathname.indexOf('/claim') < 0",
            Duration::from_secs(20),
            "past the claim",
        )
        .await;
    }
    let tenant = hearth_tenants::registry::find_by_slug(
        &mut pool.acquire().await.expect("conn"),
        "aurora-analytics",
    )
    .await
    .expect("find")
    .expect("the hub");
    let eve: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'eve@aurora.example'")
            .fetch_one(&pool)
            .await
            .expect("eve");
    employee
        .goto(&format!("{}/h/aurora-analytics/dashboard", app.address))
        .await
        .expect("the dashboard");
    let dashboard: String = employee
        .execute("return document.body.textContent", vec![])
        .await
        .expect("text")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        fixtures::balance(&pool, &tenant, eve).await,
        6,
        "{dashboard}"
    );
    assert!(dashboard.contains('6'), "{dashboard}");
    client.close().await.expect("close");
    employee.close().await.expect("close");
}
