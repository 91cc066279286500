//! The demo hubs' pages in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`, driven over WebDriver): screenshots at phone and desktop
//! widths into `<target>/tests-output/screenshots/`, axe-core's accessibility
//! rules with no serious or critical violation, and the keyboard path from
//! the skip link to the roster's filters.
//!
//! `scripts/test` installs Chromium, ChromeDriver and axe-core (`npm ci` in
//! `tests/browser`); without them this test fails and says so.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder};
use hearth_tenants::TenantMigrator;
use hearth_tests::{workspace_root, TestApp, TestDb};
use serde_json::{json, Value};

/// `chromedriver` on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const MISSING: &str = "Chromium and ChromeDriver are needed: scripts/test installs them \
     (apt-get install chromium chromium-driver)";

async fn chromedriver() -> Driver {
    for program in ["chromium", "chromedriver"] {
        let found = Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(found, "`{program}` not found. {MISSING}");
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting chromedriver: {e}. {MISSING}"));
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    while reqwest::get(format!("{}/status", driver.url))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    driver
}

async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            // Tests run as root in containers: no sandbox, no /dev/shm assumptions.
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--hide-scrollbars", "--window-size=1280,900",
                     "--lang=en-GB"]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// Where screenshots go: `<target dir>/tests-output/screenshots`.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            // <target>/<profile>/deps/<test binary>
            std::env::current_exe()
                .ok()
                .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        })
        .unwrap_or_else(std::env::temp_dir);
    let dir = target.join("tests-output").join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

fn axe_source() -> String {
    let path = workspace_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. Install axe-core with `npm ci` in tests/browser (scripts/test does).",
            path.display()
        )
    })
}

/// Resizes the window to show the whole page, then saves a screenshot.
async fn full_page_screenshot(client: &Client, width: u32, path: &PathBuf) {
    client.set_window_size(width, 900).await.expect("resize");
    // The window is the viewport plus whatever the browser draws around it.
    let height = client
        .execute(
            "return Math.ceil(document.documentElement.scrollHeight
                              + window.outerHeight - window.innerHeight);",
            vec![],
        )
        .await
        .expect("page height")
        .as_u64()
        .and_then(|h| u32::try_from(h).ok())
        .unwrap_or(900);
    client
        .set_window_size(width, height.clamp(600, 8000))
        .await
        .expect("resize to the page");
    let png = client.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(path, png).expect("write screenshot");
    println!("screenshot: {}", path.display());
}

/// axe-core's violations of impact serious or critical on the current page.
async fn serious_violations(client: &Client, axe: &str) -> Vec<Value> {
    client.execute(axe, vec![]).await.expect("inject axe-core");
    let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document)
                .then(r => done({ passes: r.passes.length, violations: r.violations }))
                .catch(e => done({ error: String(e) }));",
            vec![],
        )
        .await
        .expect("axe.run");
    let violations = result["violations"]
        .as_array()
        .unwrap_or_else(|| panic!("axe.run failed: {result}"))
        .clone();
    let passes = result["passes"].as_u64().unwrap_or_default();
    assert!(passes > 10, "axe-core checked the page: {result}");
    println!(
        "axe-core: {passes} rules pass, {} violated ({})",
        violations.len(),
        violations
            .iter()
            .map(|v| format!("{} {}", v["id"], v["impact"]))
            .collect::<Vec<_>>()
            .join(", ")
    );
    violations
        .into_iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect()
}

fn describe(violations: &[Value]) -> String {
    violations
        .iter()
        .map(|v| {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| format!("    {} {}", n["target"], n["failureSummary"]))
                .collect();
            format!(
                "{} ({}): {}\n{}",
                v["id"],
                v["impact"],
                v["help"],
                nodes.join("\n")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn press_tab(client: &Client) {
    let tab: char = Key::Tab.into();
    client
        .perform_actions(
            KeyActions::new("keyboard".into())
                .then(KeyAction::Down { value: tab })
                .then(KeyAction::Up { value: tab }),
        )
        .await
        .expect("Tab");
}

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

#[tokio::test]
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
    client.close().await.expect("close the browser");
}
