//! The demo hubs' pages in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`, driven over WebDriver): screenshots at phone and desktop
//! widths into `<target>/tests-output/screenshots/`, axe-core's accessibility
//! rules with no serious or critical violation, and the keyboard path from
//! the skip link to the roster's filters.
//!
//! `scripts/test` installs Chromium, ChromeDriver and axe-core (`npm ci` in
//! `tests/browser`); without them this test fails and says so.

use std::sync::Arc;

use fantoccini::Client;
use hearth_tenants::TenantMigrator;
use hearth_tests::chrome::{
    axe_source, browser, chromedriver, describe, full_page_screenshot, press_tab, screenshot_dir,
    serious_violations,
};
use hearth_tests::{TestApp, TestDb};
use serde_json::Value;

/// What has focus: its tag, class, text and whether it sits in the filters form.
async fn focused(client: &Client) -> Value {
    client
        .execute(
            "const e = document.activeElement; const r = e.getBoundingClientRect();
             return { tag: e.tagName, cls: e.className, text: (e.textContent || '').trim(),
                      href: e.getAttribute('href'), inFilters: !!e.closest('form.filters'),
                      visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 };",
            vec![],
        )
        .await
        .expect("active element")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_hub_pages_render_in_chromium_accessibly_at_phone_and_desktop_widths() {
    let driver = chromedriver().await;
    let axe = axe_source();
    let db = TestDb::new().await;
    hearth_admin::demo::seed(&db.pool, &TenantMigrator::embedded())
        .await
        .expect("demo data");
    let app = TestApp::spawn_on(Arc::new(db)).await;
    let client = browser(&driver).await;
    let shots = screenshot_dir();

    for (slug, name, pros) in [("acme", "Acme Ltd", 4), ("globex", "Globex Corporation", 2)] {
        let url = format!("{}/h/{slug}/", app.address);
        for width in [375, 1280] {
            client.set_window_size(width, 900).await.expect("resize");
            client.goto(&url).await.expect("load the hub page");
            let page: Value = client
                .execute(
                    "return { title: document.title, h1: document.querySelector('h1').textContent,
                              cards: document.querySelectorAll('.cards > li').length,
                              css: [...document.styleSheets].map(s => s.href),
                              overflow: document.documentElement.scrollWidth > window.innerWidth };",
                    vec![],
                )
                .await
                .expect("page facts");
            assert_eq!(page["h1"], format!("{name} Wellbeing Hub"), "{page}");
            assert_eq!(page["cards"], pros, "{page}");
            assert!(
                page["css"].as_array().into_iter().flatten().any(|h| h
                    .as_str()
                    .is_some_and(|h| h.contains("/static/default/hearth."))),
                "the fingerprinted stylesheet loaded: {page}"
            );
            assert_eq!(
                page["overflow"], false,
                "{slug} at {width}px scrolls sideways"
            );

            full_page_screenshot(&client, width, &shots.join(format!("{slug}-{width}.png"))).await;
            client.set_window_size(width, 900).await.expect("resize");

            let violations = serious_violations(&client, &axe).await;
            assert!(
                violations.is_empty(),
                "axe-core: serious or critical violations on {slug} at {width}px:\n{}",
                describe(&violations)
            );
        }

        // Keyboard: the first Tab reaches the skip link, shown when focused;
        // further Tabs reach the roster's filters.
        client.goto(&url).await.expect("reload");
        press_tab(&client).await;
        let first = focused(&client).await;
        assert_eq!(first["href"], "#main", "the first Tab: {first}");
        assert_eq!(first["visible"], true, "the skip link shows when focused");
        let mut reached = false;
        for _ in 0..40 {
            press_tab(&client).await;
            if focused(&client).await["inFilters"] == true {
                reached = true;
                break;
            }
        }
        assert!(
            reached,
            "the filter form is reachable by keyboard on {slug}"
        );
    }

    // The filter form works in the browser too (no script needed): Icelandic
    // speakers on acme are Anna alone.
    client
        .goto(&format!("{}/h/acme/?language=is", app.address))
        .await
        .expect("filtered");
    let count = client
        .execute(
            "return document.querySelector('#roster-count').textContent.trim();",
            vec![],
        )
        .await
        .expect("count");
    assert_eq!(count, "1 professional matches your filters");
    let violations = serious_violations(&client, &axe).await;
    assert!(violations.is_empty(), "{}", describe(&violations));

    // The error pages wear each hub's theme and pass the same checks.
    for slug in ["acme", "globex"] {
        client.set_window_size(375, 900).await.expect("resize");
        client
            .goto(&format!("{}/h/{slug}/no-such-page", app.address))
            .await
            .expect("a missing page");
        let h1 = client
            .execute(
                "return document.querySelector('main h1').textContent;",
                vec![],
            )
            .await
            .expect("heading");
        assert_eq!(h1, "404");
        full_page_screenshot(&client, 375, &shots.join(format!("{slug}-404-375.png"))).await;
        client.set_window_size(375, 900).await.expect("resize");
        let violations = serious_violations(&client, &axe).await;
        assert!(
            violations.is_empty(),
            "axe-core on {slug}'s 404 page:\n{}",
            describe(&violations)
        );
    }
    client.close().await.expect("close the browser");
}
