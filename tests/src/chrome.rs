//! A real headless Chromium for the browser tests: Debian's `chromium` driven
//! through `chromedriver` (fantoccini), screenshots into the target folder,
//! and axe-core's accessibility checks.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

use crate::workspace_root;

/// `chromedriver` on a free port, stopped when dropped with every Chromium it
/// started (they share its process group: a test that fails before closing
/// its sessions must not leave browsers running and eating the cores).
pub struct Driver {
    child: Child,
    /// Where it listens.
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the browsers it launched. Its id
        // is chromedriver's pid (never 0 or 1: this group, or everyone).
        if let Ok(group) = i32::try_from(self.child.id()) {
            if group > 1 {
                let _ = nix::sys::signal::killpg(
                    nix::unistd::Pid::from_raw(group),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What to do when the browser is missing.
pub const MISSING: &str = "Chromium and ChromeDriver are needed: scripts/test installs them \
     (apt-get install chromium chromium-driver)";

/// Starts `chromedriver` on a free port, failing the test clearly when it is missing.
pub async fn chromedriver() -> Driver {
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
        // A process group of its own, which its browsers join.
        .process_group(0)
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

/// A headless Chromium session on `driver`.
pub async fn browser(driver: &Driver) -> Client {
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

/// What a video test's browser does when a page asks for camera and microphone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// Grants them, with Chromium's fake camera (a test pattern) and fake
    /// microphone (a beep).
    Fake,
    /// Refuses them, as a person who pressed "Block" would.
    Denied,
}

/// A headless Chromium session for video calls: fake devices (or none
/// allowed), WebRTC on loopback (without `--allow-loopback-in-peer-connection`
/// Chromium gathers no candidate on a machine with only a loopback interface,
/// and says nothing), and sound that may play without a click.
pub async fn media_browser(driver: &Driver, media: Media) -> Client {
    let mut args = vec![
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--lang=en-GB",
        "--use-fake-device-for-media-stream",
        "--allow-loopback-in-peer-connection",
        "--autoplay-policy=no-user-gesture-required",
    ];
    let mut options = json!({ "binary": "/usr/bin/chromium" });
    match media {
        Media::Fake => args.push("--use-fake-ui-for-media-stream"),
        Media::Denied => {
            options["prefs"] = json!({
                "profile.default_content_setting_values.media_stream_camera": 2,
                "profile.default_content_setting_values.media_stream_mic": 2,
            });
        }
    }
    options["args"] = json!(args);
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    caps.insert("pageLoadStrategy".into(), json!("eager"));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// Signs `client` in on `base` with session `token` (the cookie a login
/// would set; the fixtures' users have no password).
pub async fn sign_in(client: &Client, base: &str, token: &str) {
    client
        .goto(&format!("{base}/login"))
        .await
        .expect("a first page");
    client
        .execute(
            "document.cookie = 'hearth_session=' + arguments[0] + '; path=/; SameSite=Lax';",
            vec![json!(token)],
        )
        .await
        .expect("the session cookie");
}

/// Waits until `condition` (a JavaScript expression) is true on the page, at
/// most `within`; panics with `what` and the page's call state otherwise.
pub async fn wait_until(client: &Client, condition: &str, within: Duration, what: &str) {
    let started = Instant::now();
    loop {
        let ok = client
            .execute(&format!("return !!({condition});"), vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if ok {
            return;
        }
        if started.elapsed() > within {
            let state = client
                .execute(
                    "return { ready: document.readyState, call: document.body && document.body.dataset.callState,
                              status: (document.getElementById('call-status') || {}).textContent,
                              checks: [...document.querySelectorAll('[id^=check-]')].map(e => e.id + '=' + e.dataset.state),
                              guidance: (document.getElementById('device-guidance') || {}).textContent };",
                    vec![],
                )
                .await
                .unwrap_or_default();
            panic!("{what}: not within {within:?}; the page: {state}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Where screenshots go: `<target dir>/tests-output/screenshots`.
pub fn screenshot_dir() -> PathBuf {
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

/// axe-core's source, installed by `npm ci` in tests/browser.
pub fn axe_source() -> String {
    let path = workspace_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. Install axe-core with `npm ci` in tests/browser (scripts/test does).",
            path.display()
        )
    })
}

/// Resizes the window to show the whole page, then saves a screenshot.
pub async fn full_page_screenshot(client: &Client, width: u32, path: &PathBuf) {
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
pub async fn serious_violations(client: &Client, axe: &str) -> Vec<Value> {
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

/// Violations, readably, for a failing assertion.
pub fn describe(violations: &[Value]) -> String {
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

/// Presses Tab once.
pub async fn press_tab(client: &Client) {
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

/// The page at hand as a phone (375 px) and a desktop (1280 px) show it: a
/// screenshot of each (`<name>-<width>.png` in [`screenshot_dir`]), no
/// serious or critical axe-core violation, and no sideways scrolling.
pub async fn assert_readable_at_phone_and_desktop(client: &Client, name: &str) {
    let axe = axe_source();
    for width in [375, 1280] {
        full_page_screenshot(
            client,
            width,
            &screenshot_dir().join(format!("{name}-{width}.png")),
        )
        .await;
        let violations = serious_violations(client, &axe).await;
        assert!(
            violations.is_empty(),
            "{name} at {width}px:\n{}",
            describe(&violations)
        );
        let overflow = client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await
            .expect("overflow");
        assert_eq!(
            overflow,
            json!(false),
            "{name} scrolls sideways at {width}px"
        );
    }
}
