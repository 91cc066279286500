//! Hub plugins end to end: uploaded with the `hearth` binary, installed per hub
//! (CLI and the HR admin page) with a config checked against the plugin's
//! schema, called on the hub page, rolled back, and contained when hostile.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use hearth_tenants::{Tenant, TenantTx};
use hearth_tests::{hearth_binary, workspace_root, TestApp, TestDb};
use reqwest::StatusCode;
use uuid::Uuid;

const PASSWORD: &str = "tidal-Quince-47-lantern";
const FAILURES_TO_DISABLE: u32 = 3;

/// The built example plugins: `HEARTH_PLUGIN_EXAMPLES_DIR`, else built once
/// (under a file lock: nextest runs each test in its own process).
fn examples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("HEARTH_PLUGIN_EXAMPLES_DIR") {
            return PathBuf::from(dir);
        }
        let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let out = tmp.join("hearth-plugin-examples");
        fs::create_dir_all(&tmp).unwrap();
        let lock = File::create(tmp.join("hearth-plugin-examples.lock")).unwrap();
        lock.lock().unwrap();
        if !out.join(".built").is_file() {
            let status = Command::new("bash")
                .arg(workspace_root().join("plugins/build-examples.sh"))
                .arg(&out)
                .env(
                    "HEARTH_EXAMPLES_TARGET_DIR",
                    tmp.join("hearth-plugin-examples-target"),
                )
                .status()
                .unwrap();
            assert!(status.success(), "plugins/build-examples.sh failed");
            fs::write(out.join(".built"), b"").unwrap();
        }
        out
    })
}

/// A theme plugin in WAT answering `output`, declaring `schema` if given, or
/// looping forever when `hostile`.
fn theme_plugin(output: &str, schema: Option<&str>, hostile: bool) -> Vec<u8> {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let schema_parts = schema.map(|s| {
        (
            format!("(data (i32.const 1024) \"{}\")", escape(s)),
            format!(
                "(func (export \"hearth_config_schema\") (result i64) \
                 (i64.or (i64.shl (i64.const 1024) (i64.const 32)) (i64.const {})))",
                s.len()
            ),
        )
    });
    let (schema_data, schema_fn) = schema_parts.unwrap_or_default();
    let body = if hostile {
        "(loop $spin (br $spin))"
    } else {
        ""
    };
    let wat = format!(
        r#"(module
  (memory (export "memory") 1)
  (data (i32.const 16) "{output}")
  {schema_data}
  (global $next (mut i32) (i32.const 8192))
  (func (export "hearth_abi_v1"))
  (func (export "hearth_alloc") (param $len i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (global.get $next))
    (global.set $next (i32.add (local.get $ptr) (local.get $len)))
    (local.get $ptr))
  (func (export "hearth_theme") (param i32 i32) (result i64)
    {body}
    (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const {len})))
  {schema_fn}
)"#,
        output = escape(output),
        len = output.len(),
    );
    wat::parse_str(&wat).unwrap()
}

fn brand_plugin(colour: &str) -> Vec<u8> {
    theme_plugin(
        &format!(r#"{{"decision":"theme","variables":{{"brand":"{colour}","plugin_mark":"on"}}}}"#),
        Some(
            r#"{"type":"object","additionalProperties":false,"properties":{"tone":{"type":"string","enum":["calm","bold"]}}}"#,
        ),
        false,
    )
}

struct Env {
    app: TestApp,
    alpha: Tenant,
    beta: Tenant,
    files: tempfile::TempDir,
}

async fn env() -> Env {
    let db = Arc::new(TestDb::new().await);
    let alpha = db.hub("alpha", "Alpha Ltd").await;
    let beta = db.hub("beta", "Beta Ltd").await;
    let pool = db.pool.clone();
    let app = TestApp::spawn_configured(db, pool, |c| {
        c.mail_worker = false;
        // A wall-clock deadline also counts time descheduled on a busy test machine.
        c.plugin_deadline_ms = 2_000;
        c.plugin_disable_after_failures = FAILURES_TO_DISABLE;
        c.plugin_max_instances = 16;
        c.plugin_cache_dir =
            Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hearth-plugin-wasmtime-cache"));
    })
    .await;
    Env {
        app,
        alpha,
        beta,
        files: tempfile::tempdir().unwrap(),
    }
}

impl Env {
    /// Runs `hearth <args>` against the test database: (success, stdout, stderr).
    fn cli(&self, args: &[&str]) -> (bool, String, String) {
        let mut command = Command::new(hearth_binary());
        // HEARTH_* variables of the test run (e.g. HEARTH_PLUGIN_EXAMPLES_DIR) are not settings.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("HEARTH_") {
                command.env_remove(name);
            }
        }
        let out = command
            .args(args)
            .env("DATABASE_URL", &self.app.db.url)
            .env("HEARTH_LOG_LEVEL", "warn")
            .current_dir(workspace_root())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Uploads theme plugin `wasm` with the CLI and returns its id.
    fn upload(&self, file_name: &str, wasm: &[u8], name: &str, version: &str) -> String {
        self.upload_with_hooks(file_name, wasm, name, version, "theme")
    }

    /// Uploads `wasm`, which must export `hooks` (as the CLI lists them), and returns its id.
    fn upload_with_hooks(
        &self,
        file_name: &str,
        wasm: &[u8],
        name: &str,
        version: &str,
        hooks: &str,
    ) -> String {
        let path = self.files.path().join(file_name);
        fs::write(&path, wasm).unwrap();
        let (ok, stdout, stderr) = self.cli(&[
            "plugin",
            "upload",
            path.to_str().unwrap(),
            "--name",
            name,
            "--version",
            version,
        ]);
        assert!(ok, "upload failed: {stderr}");
        assert!(stdout.contains(&format!("hooks {hooks}")), "{stdout}");
        let id = stdout
            .lines()
            .find_map(|l| l.strip_prefix("plugin "))
            .expect("the plugin id")
            .trim()
            .to_owned();
        assert_eq!(id.len(), 64, "{stdout}");
        id
    }

    async fn hub_page(&self, slug: &str) -> (StatusCode, String) {
        let r = self.app.get(&format!("/h/{slug}/")).await;
        (r.status(), r.text().await.unwrap())
    }

    /// The hub page of `slug`, once it satisfies `check` (caches follow NOTIFY).
    async fn hub_page_when(&self, slug: &str, check: impl Fn(&str) -> bool) -> String {
        for _ in 0..50 {
            let (status, page) = self.hub_page(slug).await;
            assert_eq!(status, StatusCode::OK);
            if check(&page) {
                return page;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the hub page of {slug} never got there: {}",
            self.hub_page(slug).await.1
        );
    }

    /// A signed-in member of `hub` with `role`, on a client of their own.
    async fn member(&self, hub: &Tenant, email: &str, role: &str) -> reqwest::Client {
        let pool = &self.app.db.pool;
        let id = Uuid::new_v4();
        let hash = hearth_core::accounts::password::hash(PASSWORD.into())
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, email_verified_at) VALUES ($1, $2, $3, $4, now())",
        )
        .bind(id)
        .bind(email)
        .bind(email.split('@').next().unwrap())
        .bind(hash)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO terms_acceptances (user_id, version) VALUES ($1, $2)")
            .bind(id)
            .bind(hearth_core::web::session::TERMS_VERSION)
            .execute(pool)
            .await
            .unwrap();
        let mut tx = TenantTx::begin(pool, hub).await.unwrap();
        sqlx::query("INSERT INTO members (user_id, role) VALUES ($1, $2)")
            .bind(id)
            .bind(role)
            .execute(&mut *tx)
            .await
            .unwrap();
        hearth_tests::fixtures::by_hand(&mut tx).await;
        tx.commit().await.unwrap();

        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        let base = format!("{}/h/{}", self.app.address, hub.slug);
        let page = client
            .get(format!("{base}/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let r = client
            .post(format!("{base}/login"))
            .form(&[
                ("email", email),
                ("password", PASSWORD),
                ("csrf", &csrf_of(&page)),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {email}");
        client
    }

    /// Posts the plugin page's form as `client` (CSRF token from the page).
    async fn post_plugins(
        &self,
        client: &reqwest::Client,
        hub: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let url = format!("{}/h/{hub}/admin/plugins", self.app.address);
        let page = client.get(&url).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let token = csrf_of(&page.text().await.unwrap());
        let mut form = fields.to_vec();
        form.push(("csrf", &token));
        client.post(&url).form(&form).send().await.unwrap()
    }

    async fn count(&self, hub: &Tenant, sql: &str) -> i64 {
        let mut tx = TenantTx::begin(&self.app.db.pool, hub).await.unwrap();
        let n = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        n
    }
}

fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    page[at + 19..].split('"').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_theme_plugin_brands_only_the_hub_that_installed_it() {
    let env = env().await;
    let wasm = fs::read(examples_dir().join("hearth_example_seasonal_theme.wasm")).unwrap();
    let id = env.upload("seasonal.wasm", &wasm, "Seasonal theme", "1.0.0");

    let (ok, list, _) = env.cli(&["plugin", "list"]);
    assert!(
        ok && list.contains("Seasonal theme") && list.contains(&id[..12]),
        "{list}"
    );

    let (ok, stdout, stderr) = env.cli(&[
        "plugin",
        "install",
        "--hub",
        "alpha",
        "--plugin",
        &id[..12],
        "--config-json",
        r#"{"hemisphere":"south"}"#,
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("installed Seasonal theme"), "{stdout}");

    let page = env
        .hub_page_when("alpha", |p| p.contains("--season:"))
        .await;
    assert!(page.contains("--primary-color: #"), "{page}");
    assert!(page.contains("Alpha Ltd"));
    let (status, beta) = env.hub_page("beta").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !beta.contains("--season:") && !beta.contains("--primary-color"),
        "{beta}"
    );

    // Another node (or this one after a restart) loads the module from the registry.
    let other = TestApp::spawn_on(Arc::clone(&env.app.db)).await;
    let page = other.get("/h/alpha/").await.text().await.unwrap();
    assert!(page.contains("--season:"), "{page}");
    assert_eq!(
        env.count(
            &env.alpha,
            "SELECT count(*) FROM audit_log WHERE action = 'plugin.install'"
        )
        .await,
        1
    );
    assert_eq!(
        env.count(&env.beta, "SELECT count(*) FROM plugin_installations")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_config_that_breaks_the_plugins_schema_is_refused_with_the_reason() {
    let env = env().await;
    let id = env.upload("brand.wasm", &brand_plugin("#111111"), "Brand", "1");

    let (ok, _, stderr) = env.cli(&[
        "plugin",
        "install",
        "--hub",
        "alpha",
        "--plugin",
        &id,
        "--config-json",
        r#"{"tone":"loud"}"#,
    ]);
    assert!(!ok);
    assert!(
        stderr.contains(r#"config.tone: must be one of "calm", "bold""#),
        "{stderr}"
    );

    let admin = env.member(&env.alpha, "hr@alpha.example", "hr_admin").await;
    let r = env
        .post_plugins(
            &admin,
            "alpha",
            &[
                ("action", "install"),
                ("plugin", &id),
                ("hook", "theme"),
                ("config", r#"{"tone":"calm","colour":"red"}"#),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"e-config\"")
            && page.contains("config.colour: is not a setting of this plugin"),
        "{page}"
    );
    // What the admin typed is kept for them to fix.
    assert!(page.contains("&quot;colour&quot;"), "{page}");

    let r = env
        .post_plugins(
            &admin,
            "alpha",
            &[
                ("action", "install"),
                ("plugin", &id),
                ("config", "{not json"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("This is not valid JSON"));

    // An HR admin who reads Icelandic is told the same in Icelandic.
    sqlx::query("UPDATE users SET language = 'is' WHERE email = 'hr@alpha.example'")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    for (config, said) in [
        ("{not json", "Þetta er ekki gilt JSON (lína 1, dálkur "),
        (
            r#"{"tone":"calm","colour":"red"}"#,
            "Stillingarnar passa ekki við það sem viðbótin skilgreinir:",
        ),
    ] {
        let r = env
            .post_plugins(
                &admin,
                "alpha",
                &[("action", "install"), ("plugin", &id), ("config", config)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains(said) && !page.contains("This is not valid JSON"),
            "{page}"
        );
    }

    assert_eq!(
        env.count(&env.alpha, "SELECT count(*) FROM plugin_installations")
            .await,
        0
    );
    let r = env
        .post_plugins(
            &admin,
            "alpha",
            &[
                ("action", "install"),
                ("plugin", &id),
                ("config", r#"{"tone":"bold"}"#),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    env.hub_page_when("alpha", |p| p.contains("--plugin-mark: on"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolling_back_reactivates_the_previous_version_one_step_at_a_time() {
    let env = env().await;
    let v1 = env.upload("v1.wasm", &brand_plugin("#111111"), "Brand", "1");
    let v2 = env.upload("v2.wasm", &brand_plugin("#222222"), "Brand", "2");
    let admin = env.member(&env.alpha, "hr@alpha.example", "hr_admin").await;
    for id in [&v1, &v2] {
        let r = env
            .post_plugins(
                &admin,
                "alpha",
                &[("action", "install"), ("plugin", id), ("config", "{}")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    env.hub_page_when("alpha", |p| p.contains("--brand: #222222"))
        .await;
    assert_eq!(
        env.count(
            &env.alpha,
            "SELECT count(*) FROM plugin_installations WHERE active"
        )
        .await,
        1
    );

    let r = env
        .post_plugins(
            &admin,
            "alpha",
            &[("action", "rollback"), ("hook", "theme")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    env.hub_page_when("alpha", |p| p.contains("--brand: #111111"))
        .await;

    // v1 was the first: nothing further back.
    let (ok, _, stderr) = env.cli(&["plugin", "rollback", "--hub", "alpha", "--hook", "theme"]);
    assert!(!ok);
    assert!(stderr.contains("no earlier plugin"), "{stderr}");

    // Disabling hands the page back to the hub's own colours; enabling restores it.
    let r = env
        .post_plugins(&admin, "alpha", &[("action", "disable"), ("hook", "theme")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    env.hub_page_when("alpha", |p| !p.contains("--plugin-mark"))
        .await;
    // Without a reason of their own, the page says who turned it off.
    let page = admin
        .get(format!("{}/h/alpha/admin/plugins", env.app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Disabled by an HR admin."), "{page}");
    let r = env
        .post_plugins(&admin, "alpha", &[("action", "enable"), ("hook", "theme")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    env.hub_page_when("alpha", |p| p.contains("--brand: #111111"))
        .await;
    assert_eq!(
        env.count(
            &env.alpha,
            "SELECT count(*) FROM audit_log WHERE action IN ('plugin.install', 'plugin.rollback', 'plugin.disable', 'plugin.enable')"
        )
        .await,
        5
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_plugin_never_breaks_the_hub_page_and_is_disabled_with_its_hr_admins_told() {
    let env = env().await;
    let hostile = env.upload(
        "spin.wasm",
        &theme_plugin(r#"{"decision":"theme","variables":{}}"#, None, true),
        "Spinner",
        "1",
    );
    let good = env.upload("good.wasm", &brand_plugin("#111111"), "Brand", "1");
    // Members first: signing in shows hub pages, which would call the plugin.
    let admin = env.member(&env.alpha, "hr@alpha.example", "hr_admin").await;
    let _admin2 = env
        .member(&env.alpha, "boss@alpha.example", "hr_admin")
        .await;
    let _employee = env
        .member(&env.alpha, "staff@alpha.example", "employee")
        .await;
    for (hub, id) in [("alpha", &hostile), ("beta", &good)] {
        let (ok, _, stderr) = env.cli(&["plugin", "install", "--hub", hub, "--plugin", id]);
        assert!(ok, "{stderr}");
    }
    env.hub_page_when("beta", |p| p.contains("--brand: #111111"))
        .await;

    // Every page is a normal one while the plugin fails, until it is disabled.
    let disabled_reason = || async {
        let mut tx = TenantTx::begin(&env.app.db.pool, &env.alpha).await.unwrap();
        let r: Option<String> =
            sqlx::query_scalar("SELECT disabled_reason FROM plugin_installations WHERE active")
                .fetch_one(&mut *tx)
                .await
                .unwrap();
        tx.commit().await.unwrap();
        r
    };
    let mut pages = 0;
    let reason = loop {
        let (status, page) = env.hub_page("alpha").await;
        pages += 1;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("Alpha Ltd") && page.contains("--brand: #1f6f5c"),
            "{page}"
        );
        if let Some(reason) = disabled_reason().await {
            break Some(reason);
        }
        if pages >= 50 {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        pages >= FAILURES_TO_DISABLE as usize,
        "disabled after {pages} pages"
    );
    // Once disabled, the plugin is not called and nobody is told twice.
    for _ in 0..3 {
        let (status, _) = env.hub_page("alpha").await;
        assert_eq!(status, StatusCode::OK);
    }
    let reason = reason.expect("the plugin is disabled for alpha");
    assert!(reason.contains("3 failures in a row"), "{reason}");
    assert_eq!(
        env.count(
            &env.alpha,
            "SELECT count(*) FROM audit_log WHERE action = 'plugin.auto_disable'"
        )
        .await,
        1
    );
    let mut mails: Vec<(String, String)> = sqlx::query_as(
        "SELECT to_address, text_body FROM email_outbox WHERE kind = 'plugin_disabled' ORDER BY to_address",
    )
    .fetch_all(&env.app.db.pool)
    .await
    .unwrap();
    assert_eq!(mails.len(), 2, "one email per HR admin, once: {mails:?}");
    assert_eq!(mails[0].0, "boss@alpha.example");
    assert_eq!(mails[1].0, "hr@alpha.example");
    let (_, text) = mails.pop().unwrap();
    assert!(
        text.contains("Spinner") && text.contains("/admin/plugins"),
        "{text}"
    );

    // The HR admins see why on the plugin page.
    let page = admin
        .get(format!("{}/h/alpha/admin/plugins", env.app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Disabled automatically after 3 failures"),
        "{page}"
    );

    // Beta's plugin (a different one, on a different hub) keeps working.
    let (_, beta) = env.hub_page("beta").await;
    assert!(beta.contains("--brand: #111111"), "{beta}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_hubs_hr_admins_reach_its_plugin_page() {
    let env = env().await;
    let employee = env
        .member(&env.alpha, "staff@alpha.example", "employee")
        .await;
    let url = format!("{}/h/alpha/admin/plugins", env.app.address);
    assert_eq!(
        employee.get(&url).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let beta_admin = env.member(&env.beta, "hr@beta.example", "hr_admin").await;
    assert_eq!(
        beta_admin.get(&url).send().await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "an HR admin of another hub"
    );
    let anonymous = env.app.get("/h/alpha/admin/plugins").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    let admin = env.member(&env.alpha, "hr@alpha.example", "hr_admin").await;
    let r = admin.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Install a plugin"));
}

/// A `credit_cost` plugin in WAT that traps on every call.
fn trapping_credit_plugin() -> Vec<u8> {
    wat::parse_str(
        r#"(module
  (memory (export "memory") 1)
  (func (export "hearth_abi_v1"))
  (func (export "hearth_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "hearth_credit_cost") (param i32 i32) (result i64) unreachable)
)"#,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_plugins_price_grant_and_limit_real_bookings_and_a_failing_one_falls_back_to_the_policy(
) {
    use hearth_tests::fixtures::{self, confirm, monday_at};
    let env = env().await;
    let pool = env.app.db.pool.clone();
    let install = |hub: &str, id: &str, config: &str| {
        let (ok, _, stderr) = env.cli(&[
            "plugin",
            "install",
            "--hub",
            hub,
            "--plugin",
            &id[..12],
            "--config-json",
            config,
        ]);
        assert!(ok, "{stderr}");
    };
    let dir = examples_dir();
    let rules = env.upload_with_hooks(
        "rules.wasm",
        &fs::read(dir.join("hearth_example_credit_rules.wasm")).unwrap(),
        "Credit rules",
        "1.0.0",
        "credit_cost, booking_allowed",
    );
    let grant = env.upload_with_hooks(
        "grant.wasm",
        &fs::read(dir.join("hearth_example_period_grant.wasm")).unwrap(),
        "Period grant",
        "1.0.0",
        "period_grant",
    );
    let flat = env.upload_with_hooks(
        "flat.wasm",
        &wat::parse_file(workspace_root().join("plugins/examples/wat/flat_cost.wat")).unwrap(),
        "Flat cost",
        "1.0.0",
        "credit_cost, booking_allowed",
    );
    // Alpha: couples sessions cost 3, at most 3 sessions a quarter, 8 credits a quarter.
    fixtures::in_hub(
        &pool,
        &env.alpha,
        "UPDATE hub_settings SET credits_per_period = 5, period_months = 3",
        None,
    )
    .await;
    install(
        "alpha",
        &rules,
        r#"{"base_cost":1,"couples_cost":3,"max_sessions_per_quarter":3}"#,
    );
    install(
        "alpha",
        &grant,
        r#"{"credits_per_period":8,"prorate_new_members":false}"#,
    );
    // Beta: every session costs 1 (the WAT plugin), 5 credits a year (its policy).
    fixtures::in_hub(
        &pool,
        &env.beta,
        "UPDATE hub_settings SET credits_per_period = 5",
        None,
    )
    .await;
    install("beta", &flat, "{}");

    let pro = fixtures::professional(
        &pool,
        "pro@pro.example",
        "Pia Pro",
        "UTC",
        0,
        &fixtures::all_week(),
    )
    .await;
    let single = fixtures::service(&pool, pro, "Individual", 50, 1, "individual").await;
    let couples = fixtures::service(&pool, pro, "Couples", 80, 2, "couples").await;
    for hub in [&env.alpha, &env.beta] {
        fixtures::on_roster(&pool, hub, pro).await;
    }
    let ann = fixtures::user(&pool, "ann@alpha.example", "Ann", "UTC").await;
    fixtures::member(&pool, &env.alpha, ann).await;
    let bob = fixtures::user(&pool, "bob@beta.example", "Bob", "UTC").await;
    fixtures::member(&pool, &env.beta, bob).await;
    let a = fixtures::browser_for(&pool, &format!("{}/h/alpha", env.app.address), ann).await;
    let b = fixtures::browser_for(&pool, &format!("{}/h/beta", env.app.address), bob).await;

    // Bookings on one day of the current quarter.
    let day = |hour| monday_at(1, hour, 0, chrono_tz::UTC);
    let booked = |r: &reqwest::Response| r.status() == StatusCode::SEE_OTHER;
    assert!(booked(
        &confirm(&a, pro, single, day(8), "alpha-key-0001").await
    ));
    assert_eq!(
        fixtures::balance(&pool, &env.alpha, ann).await,
        7,
        "the plugin granted 8; a session cost 1"
    );
    assert!(booked(
        &confirm(&a, pro, couples, day(10), "alpha-key-0002").await
    ));
    assert_eq!(
        fixtures::balance(&pool, &env.alpha, ann).await,
        4,
        "a couples session cost 3"
    );
    assert!(booked(
        &confirm(&a, pro, single, day(13), "alpha-key-0003").await
    ));
    let r = confirm(&a, pro, single, day(15), "alpha-key-0004").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("at most 3 sessions a quarter"),
        "the plugin's reason is shown: {page}"
    );
    assert_eq!(fixtures::balance(&pool, &env.alpha, ann).await, 3);
    assert_eq!(fixtures::ledger_sum(&pool, &env.alpha, ann).await, 3);

    // Beta never sees alpha's rules: its own plugin prices a couples session at 1.
    assert!(booked(
        &confirm(&b, pro, couples, day(17), "beta-key-00001").await
    ));
    assert_eq!(fixtures::balance(&pool, &env.beta, bob).await, 4);

    // A plugin that traps: the booking still happens, at the service's own price.
    let trap = env.upload_with_hooks(
        "trap.wasm",
        &trapping_credit_plugin(),
        "Trap",
        "1",
        "credit_cost",
    );
    install("beta", &trap, "{}");
    // The node hears of the installation and loads the trap.
    let start = std::time::Instant::now();
    loop {
        let active = env.app.state.plugins.active(&env.beta).await.unwrap();
        let name = active
            .get(hearth_plugins::abi::Hook::CreditCost)
            .map(|p| p.name.clone());
        if name.as_deref() == Some("Trap") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "still {name:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let r = confirm(&b, pro, couples, day(20), "beta-key-00002").await;
    assert!(booked(&r), "{}", r.text().await.unwrap());
    assert_eq!(
        fixtures::balance(&pool, &env.beta, bob).await,
        2,
        "the declarative price (2) applied"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_a_session_meets_the_hubs_rules_as_booking_it_would() {
    use hearth_tests::browser::{csrf_of as form_token, location};
    use hearth_tests::fixtures::{self, confirm, monday_at, rfc};
    let env = env().await;
    let pool = env.app.db.pool.clone();
    let rules = env.upload_with_hooks(
        "rules.wasm",
        &fs::read(examples_dir().join("hearth_example_credit_rules.wasm")).unwrap(),
        "Credit rules",
        "1.0.0",
        "credit_cost, booking_allowed",
    );
    // One session a quarter; a year's credits, so two quarters share a period.
    fixtures::in_hub(
        &pool,
        &env.alpha,
        "UPDATE hub_settings SET credits_per_period = 10, period_months = 12",
        None,
    )
    .await;
    let (ok, _, stderr) = env.cli(&[
        "plugin",
        "install",
        "--hub",
        "alpha",
        "--plugin",
        &rules[..12],
        "--config-json",
        r#"{"base_cost":1,"max_sessions_per_quarter":1}"#,
    ]);
    assert!(ok, "{stderr}");
    let pro = fixtures::professional(
        &pool,
        "pro@pro.example",
        "Pia",
        "UTC",
        0,
        &fixtures::all_week(),
    )
    .await;
    let single = fixtures::service(&pool, pro, "Individual", 50, 1, "individual").await;
    fixtures::on_roster(&pool, &env.alpha, pro).await;
    let ann = fixtures::user(&pool, "ann@alpha.example", "Ann", "UTC").await;
    fixtures::member(&pool, &env.alpha, ann).await;
    let a = fixtures::browser_for(&pool, &format!("{}/h/alpha", env.app.address), ann).await;

    // One session next week; another 15 weeks on, always in a later quarter.
    let first = confirm(
        &a,
        pro,
        single,
        monday_at(1, 9, 0, chrono_tz::UTC),
        "move-key-0001",
    )
    .await;
    assert_eq!(
        first.status(),
        StatusCode::SEE_OTHER,
        "{}",
        location(&first)
    );
    let later = confirm(
        &a,
        pro,
        single,
        monday_at(15, 9, 0, chrono_tz::UTC),
        "move-key-0002",
    )
    .await;
    assert_eq!(
        later.status(),
        StatusCode::SEE_OTHER,
        "{}",
        location(&later)
    );
    let id = location(&later)
        .rsplit('/')
        .next()
        .and_then(|s| s.split('?').next())
        .unwrap()
        .to_owned();
    let balance = fixtures::balance(&pool, &env.alpha, ann).await;
    assert_eq!(balance, 8);

    // Moving the later one into next week's quarter would make two there: refused.
    let page = format!("/appointments/{id}/reschedule");
    let token = form_token(&a.page(&page).await);
    let into_full_quarter = rfc(monday_at(1, 14, 0, chrono_tz::UTC));
    let r = a
        .post(&page, &token, &[("start", &into_full_quarter)])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text().await.unwrap().contains("quarter"),
        "the plugin's reason is shown"
    );
    let starts: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT starts_at FROM appointments WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        starts,
        monday_at(15, 9, 0, chrono_tz::UTC),
        "the session did not move"
    );

    // Within its own quarter it moves, and the same price changes no credits.
    let r = a
        .post(
            &page,
            &token,
            &[("start", &rfc(monday_at(15, 14, 0, chrono_tz::UTC)))],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    assert_eq!(fixtures::balance(&pool, &env.alpha, ann).await, balance);
    assert_eq!(
        fixtures::ledger_sum(&pool, &env.alpha, ann).await,
        balance,
        "the ledger agrees with the balance"
    );
}
