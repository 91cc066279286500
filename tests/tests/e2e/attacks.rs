//! The attack suite: a running app attacked the way an outsider would, each
//! attempt checked for no effect. Every declared route is in [`COVERED`] with
//! the attacks it gets; a route added without an entry fails
//! `every_route_is_in_the_attack_suite`. The README lists the categories.
//!
//! Attacks ([`ATTACKS`]): CSRF (every POST route without a token, with a
//! wrong one, and from another origin), pending accounts (every signed-in
//! GET), guessed ids and tokens (every GET with a path parameter), open
//! redirects (the browser URL-parsing tricks, by form and by GET), cross-hub
//! reads and writes (by `/h/` path and Host header; invitation branding),
//! stored XSS (markup in a name on every page that shows it), the security
//! headers, `/metrics`, picture uploads (pixel bombs, the rate limit), login
//! throttling (per source, parallel guesses, spoofed `X-Forwarded-For`), a
//! client on professionals' pages, an HR admin's view of people, state
//! changed by a GET (a link to the confirm step), verification codes and
//! reset links under parallel attempts, hostile SVG logos, and custom domains
//! without proof of control.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use hearth_tests::browser::{csrf_of, location, Browser, PASSWORD};
use hearth_tests::fixtures::{
    all_week, browser_for, enc, member, monday_at, on_roster, professional, rfc, service, user,
};
use hearth_tests::{TestApp, TestDb};

/// Attempts made, for the closing report.
static ATTEMPTS: AtomicUsize = AtomicUsize::new(0);

fn attempt() {
    ATTEMPTS.fetch_add(1, Ordering::Relaxed);
    // nextest runs each test in its own process: to count a whole run's
    // attempts, name a file and count its lines
    // (`HEARTH_ATTACK_LOG=/tmp/a cargo nextest run -E 'test(/attacks::/)'; wc -l /tmp/a`).
    if let Some(path) = std::env::var_os("HEARTH_ATTACK_LOG") {
        use std::io::Write as _;
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = file.write_all(b"1\n");
        }
    }
}

/// The attacks this file makes, by name. Three are derived from the route
/// table, so every route of their kind gets them without a listing: `csrf`
/// (every POST), `pending` (every signed-in GET), `guessed-ids` (every GET
/// with a path parameter). `open` marks a route public by design.
const ATTACKS: &[&str] = &[
    "open",
    "csrf",
    "pending",
    "guessed-ids",
    "open-redirect",
    "cross-hub",
    "xss",
    "headers",
    "metrics",
    "uploads",
    "login-throttle",
    "role",
    "privacy",
    "state-by-get",
    "code-throttle",
    "reset-throttle",
    "hostile-svg",
    "custom-domain",
    "known-device",
    "foreign-ids",
];

/// What each route gets beyond the derived attacks: every route must be here
/// (or in an area below), with attacks from [`ATTACKS`].
const COVERED: &[(&str, &[&str])] = &[
    ("/", &["headers"]),
    ("/healthz", &["open"]),
    ("/readyz", &["open"]),
    ("/metrics", &["metrics"]),
    ("/signup", &["open-redirect"]),
    ("/terms", &["pending"]),
    ("/verify", &["pending", "code-throttle"]),
    ("/verify/resend", &["csrf", "code-throttle"]),
    (
        "/login",
        &["open-redirect", "login-throttle", "known-device", "headers"],
    ),
    ("/logout", &["csrf"]),
    ("/forgot", &["csrf", "reset-throttle"]),
    ("/reset/{token}", &["guessed-ids"]),
    ("/account/password", &["pending"]),
    ("/invitations/{token}", &["guessed-ids"]),
    ("/invitations/{token}/accept", &["csrf"]),
    ("/pro/invitations", &["cross-hub", "role"]),
    ("/pro/invitations/{id}/revoke", &["csrf"]),
    ("/claim", &["open-redirect"]),
    ("/pro", &["role"]),
    ("/account/profile", &["xss"]),
    ("/pro/profile", &["xss", "role"]),
    ("/pro/services", &["xss", "role"]),
    ("/account/profile/photo", &["uploads"]),
    ("/account/data", &["xss"]),
    ("/dashboard", &["xss"]),
    ("/notifications", &["xss"]),
    ("/admin/credits", &["privacy", "cross-hub", "foreign-ids"]),
    ("/admin/audit", &["privacy", "cross-hub"]),
    (
        "/admin/branding/logo",
        &["hostile-svg", "uploads", "cross-hub"],
    ),
    ("/admin/domain", &["custom-domain", "cross-hub"]),
    (
        "/book/{professional}/{service}/confirm",
        &["state-by-get", "pending"],
    ),
];

/// Route prefixes whose routes share one entry (an area's pages).
const COVERED_AREAS: &[(&str, &[&str])] = &[
    ("/admin", &["cross-hub"]),
    ("/brand/", &["guessed-ids"]),
    ("/book", &["pending", "guessed-ids"]),
    ("/appointments", &["guessed-ids", "foreign-ids"]),
    ("/professionals/", &["guessed-ids"]),
    ("/pro/", &["role"]),
    ("/notifications", &["csrf"]),
    ("/account/", &["pending"]),
    ("/connections", &["guessed-ids"]),
    ("/calendar", &["pending"]),
    ("/guest/", &["guessed-ids"]),
    // Every role but the operator, and the operator inside a hub:
    // tests/tests/e2e/operator.rs.
    ("/operator", &["role", "csrf"]),
    // Every role but a reseller admin, another reseller's hubs, and a
    // reseller admin inside a hub: tests/tests/e2e/reseller.rs.
    ("/reseller", &["role", "csrf", "foreign-ids"]),
    // Another client's and another professional's bills, cards not one's
    // own, double payments and forged webhooks: tests/tests/e2e/payments.rs.
    ("/payments", &["guessed-ids", "foreign-ids", "csrf"]),
];

fn covered(path: &str) -> bool {
    COVERED.iter().any(|(p, _)| *p == path)
        || COVERED_AREAS
            .iter()
            .any(|(prefix, _)| path.starts_with(prefix))
}

/// Every path parameter filled in: tokens and files with "x", ids with a uuid.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{token}" | "{file}" => "x",
            s if s.starts_with('{') => "00000000-0000-0000-0000-000000000000",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_listed_attack_is_one_this_file_makes() {
    let unknown: Vec<&str> = COVERED
        .iter()
        .chain(COVERED_AREAS)
        .flat_map(|(_, attacks)| attacks.iter().copied())
        .filter(|a| !ATTACKS.contains(a))
        .collect();
    assert!(
        unknown.is_empty(),
        "attacks named but not made: {unknown:?}"
    );
}

#[test]
fn every_route_is_in_the_attack_suite() {
    let (_, declared) = hearth_core::routes::routes().into_parts();
    let missing: Vec<String> = declared
        .routes()
        .iter()
        .filter(|r| !covered(r.path))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        missing.is_empty(),
        "routes the attack suite does not cover (add them to COVERED with their attacks): {missing:#?}"
    );
}

struct World {
    app: TestApp,
    db: Arc<TestDb>,
}

async fn world() -> World {
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    World { app, db }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_changing_route_refuses_a_missing_or_wrong_token_and_other_origins() {
    let w = world().await;
    w.db.hub("acme", "Acme Ltd").await;
    let eve = user(&w.db.pool, "eve@acme.example", "Eve", "UTC").await;
    let (_, declared) = hearth_core::routes::routes().into_parts();
    for base in [w.app.address.clone(), format!("{}/h/acme", w.app.address)] {
        let b = browser_for(&w.db.pool, &base, eve).await;
        // A real token for this browser, to send from another origin.
        let token = csrf_of(&b.page("/account/password").await);
        for route in declared.routes().iter().filter(|r| r.method == "POST") {
            let url = format!("{base}{}", concrete(route.path));
            let before = changes(&w.db.pool).await;
            let attempts = [
                b.client.post(&url).form(&[("x", "1")]),
                b.client
                    .post(&url)
                    .form(&[("csrf", "0".repeat(43).as_str())]),
                b.client
                    .post(&url)
                    .header("origin", "https://evil.example")
                    .form(&[("csrf", token.as_str())]),
                b.client
                    .post(&url)
                    .header("sec-fetch-site", "cross-site")
                    .form(&[("csrf", token.as_str())]),
            ];
            for request in attempts {
                attempt();
                let r = request.send().await.expect("POST");
                assert_eq!(r.status(), 403, "POST {url} must be refused");
            }
            assert_eq!(changes(&w.db.pool).await, before, "POST {url} changed data");
        }
    }
}

/// A fingerprint of what an attack could change: row counts of the tables
/// forms write.
async fn changes(pool: &sqlx::PgPool) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "users",
        "sessions",
        "appointments",
        "invitations",
        "notifications",
        "email_outbox",
        "services",
        "availability_rules",
        "password_resets",
        "bills",
        "bill_refunds",
        "stripe_customers",
    ] {
        out.push(
            sqlx::query_scalar(&format!("SELECT count(*) FROM public.{table}"))
                .fetch_one(pool)
                .await
                .expect("count"),
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_account_reaches_no_page_beyond_the_terms_and_its_code() {
    let w = world().await;
    // Signed up, but has accepted no terms and verified no email.
    let id = uuid::Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, email, name) VALUES ($1, 'pending@example.com', 'Pen')")
        .bind(id)
        .execute(&w.db.pool)
        .await
        .expect("pending user");
    let b = browser_for(&w.db.pool, &w.app.address, id).await;
    let (_, declared) = hearth_core::routes::routes().into_parts();
    let mut checked = 0;
    for route in declared.routes().iter().filter(|r| r.method == "GET") {
        // Booking pages may be browsed before signing up (the confirm step
        // asks for an account); a video guest's link works for whoever holds it.
        if matches!(
            route.object,
            "public" | "probe" | "auth" | "onboarding" | "booking" | "guest"
        ) {
            continue;
        }
        attempt();
        let path = concrete(route.path);
        let r = b.get(&path).await;
        let to = location(&r);
        assert!(
            r.status() == 403 || to.ends_with("/terms") || to.ends_with("/verify"),
            "a pending account reached GET {path}: {} {to}",
            r.status()
        );
        checked += 1;
    }
    assert!(checked > 20, "only {checked} routes checked");
    eprintln!(
        "attempts so far in this process: {}",
        ATTEMPTS.load(Ordering::Relaxed)
    );
}

/// `next=` values browsers would turn into another site.
const REDIRECT_TRICKS: &[&str] = &[
    "//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\\/evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "https:evil.example",
    "///evil.example",
    "/%09/evil.example",
    "javascript:alert(1)",
    " //evil.example",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_next_leads_to_another_site() {
    let w = world().await;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    let eve = user(&w.db.pool, "eve@acme.example", "Eve", "UTC").await;
    set_password(&w.db.pool, eve).await;
    member(&w.db.pool, &acme, eve).await;
    let is_local = |to: &str| to.starts_with('/') && !to.starts_with("//") && !to.contains('\\');
    for trick in REDIRECT_TRICKS {
        // Logging in with it.
        attempt();
        let b = Browser::new(&w.app.address);
        let page = b.page("/login").await;
        let r = b
            .post(
                "/login",
                &csrf_of(&page),
                &[
                    ("email", "eve@acme.example"),
                    ("password", PASSWORD),
                    ("next", trick),
                ],
            )
            .await;
        let to = location(&r);
        assert!(is_local(&to), "login with next={trick:?} went to {to:?}");
        // The login page and the claim page with it in the query string.
        for path in ["/login", "/h/acme/claim", "/signup"] {
            attempt();
            let url = format!(
                "{}{path}?next={}",
                w.app.address,
                hearth_tests::fixtures::enc(trick)
            );
            let r = b.client.get(&url).send().await.expect("GET");
            assert!(
                r.status().as_u16() < 500,
                "GET {path}?next={trick:?}: {}",
                r.status()
            );
            if let Some(to) = r.headers().get("location") {
                let to = to.to_str().expect("location");
                assert!(is_local(to), "GET {path}?next={trick:?} went to {to:?}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hr_admin_reaches_nothing_of_another_hub() {
    let w = world().await;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    w.db.hub("globex", "Globex").await;
    let hr = hr_admin(&w, &acme).await;
    let (_, declared) = hearth_core::routes::routes().into_parts();
    let admin_routes: Vec<_> = declared
        .routes()
        .iter()
        .filter(|r| r.path.starts_with("/admin"))
        .collect();
    assert!(admin_routes.len() > 10);
    // By path prefix and by Host header: globex's admin pages refuse acme's HR admin.
    let by_path = browser_for(&w.db.pool, &format!("{}/h/globex", w.app.address), hr).await;
    let own = browser_for(&w.db.pool, &format!("{}/h/acme", w.app.address), hr).await;
    let token = csrf_of(&own.page("/admin").await);
    for route in &admin_routes {
        let path = concrete(route.path);
        attempt();
        let r = match route.method.as_str() {
            "GET" => by_path.get(&path).await,
            "HEAD" => continue,
            _ => by_path.post(&path, &token, &[]).await,
        };
        assert!(
            matches!(r.status().as_u16(), 403 | 404) || location(&r).contains("/login"),
            "{} /h/globex{path}: {}",
            route.method,
            r.status()
        );
        attempt();
        let r = by_path
            .client
            .get(format!("{}{path}", w.app.address))
            .header("host", "globex.hearth.localhost")
            .send()
            .await
            .expect("GET by host");
        assert!(
            matches!(r.status().as_u16(), 403 | 404) || location(&r).contains("/login"),
            "GET {path} on globex by Host: {}",
            r.status()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_a_name_is_shown_as_text_everywhere() {
    let w = world().await;
    let payload = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let eve = user(&w.db.pool, "eve@example.com", payload, "UTC").await;
    let b = browser_for(&w.db.pool, &w.app.address, eve).await;
    for path in [
        "/dashboard",
        "/account/profile",
        "/notifications",
        "/account/data",
    ] {
        attempt();
        let page = b.page(path).await;
        assert!(!page.contains(payload), "{path} shows the name as markup");
        assert!(!page.contains("<img src=x"), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_the_security_headers_and_metrics_are_not_public() {
    let w = world().await;
    w.db.hub("acme", "Acme Ltd").await;
    for path in ["/", "/login", "/h/acme/", "/h/acme/login", "/no-such-page"] {
        attempt();
        let r = w.app.get(path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.contains("script-src 'self' 'unsafe-inline'"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(
            h.get("strict-transport-security").is_none(),
            "plain HTTP: no HSTS"
        );
        let body = r.text().await.expect("body");
        assert!(!body.contains("<script>"), "{path} has an inline script");
    }
    for path in ["/metrics", "/h/acme/metrics"] {
        attempt();
        assert_eq!(w.app.get(path).await.status(), 404, "{path} is not public");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_sent_when_the_platform_is_served_over_https() {
    let db = Arc::new(TestDb::new().await);
    let pool = db.pool.clone();
    let app = TestApp::spawn_configured(Arc::clone(&db), pool, |c| {
        c.public_url = "https://hearth.example".into();
    })
    .await;
    attempt();
    let r = app.get("/login").await;
    assert_eq!(
        r.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_professional_brands_invitations_only_with_hubs_that_list_them() {
    let w = world().await;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    w.db.hub("globex", "Globex").await;
    let pro =
        hearth_tests::fixtures::professional(&w.db.pool, "pat@pro.example", "Pat", "UTC", 0, &[])
            .await;
    hearth_tests::fixtures::on_roster(&w.db.pool, &acme, pro).await;
    let invitations = |pool: sqlx::PgPool| async move {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM invitations")
            .fetch_one(&pool)
            .await
            .expect("count")
    };
    // Globex does not list Pat: its name and theme are not Pat's to send.
    let globex = browser_for(&w.db.pool, &format!("{}/h/globex", w.app.address), pro).await;
    attempt();
    assert_eq!(globex.get("/pro/invitations").await.status(), 404);
    let acme_b = browser_for(&w.db.pool, &format!("{}/h/acme", w.app.address), pro).await;
    let token = csrf_of(&acme_b.page("/pro/invitations").await);
    let globex_with_token = Browser {
        base: format!("{}/h/globex", w.app.address),
        client: acme_b.client.clone(),
    };
    attempt();
    let r = globex_with_token
        .post(
            "/pro/invitations",
            &token,
            &[("email", "victim@example.com"), ("name", "V")],
        )
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(invitations(w.db.pool.clone()).await, 0);
    // Acme lists Pat: the invitation goes out under Acme's name.
    let r = acme_b
        .post(
            "/pro/invitations",
            &token,
            &[("email", "client@example.com"), ("name", "C")],
        )
        .await;
    assert!(r.status() == 200 || r.status() == 303, "{}", r.status());
    assert_eq!(invitations(w.db.pool.clone()).await, 1);
}

/// A PNG of `width` × `height` grey pixels.
fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([128, 128, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_are_refused_above_the_pixel_limit_and_uploads_are_rate_limited() {
    let w = world().await;
    let eve = user(&w.db.pool, "eve@example.com", "Eve", "UTC").await;
    let b = browser_for(&w.db.pool, &w.app.address, eve).await;
    let token = csrf_of(&b.page("/account/profile").await);
    let upload = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("p.png")
                .mime_str("image/png")
                .expect("mime"),
        );
        b.client
            .post(format!(
                "{}/account/profile/photo?csrf={token}",
                w.app.address
            ))
            .multipart(form)
            .send()
    };
    // 4097 × 4097 grey pixels compress to a small file but unpack to 64 MiB.
    attempt();
    let bomb = png(4097, 4097);
    assert!(
        bomb.len() < 2 * 1024 * 1024,
        "small enough to upload: {}",
        bomb.len()
    );
    let r = upload(bomb).await.expect("upload");
    let page = r.text().await.expect("body");
    assert!(page.contains("at most 4096 × 4096 pixels"), "{page}");
    let stored: bool = sqlx::query_scalar("SELECT photo IS NOT NULL FROM users WHERE id = $1")
        .bind(eve)
        .fetch_one(&w.db.pool)
        .await
        .expect("photo");
    assert!(!stored, "nothing was stored");
    // 20 uploads an hour freely (the bomb was one), then a pause is asked for.
    let small = png(8, 8);
    for n in 2..=21 {
        attempt();
        let r = upload(small.clone()).await.expect("upload");
        assert_eq!(r.status(), 303, "upload {n}");
    }
    attempt();
    let r = upload(small).await.expect("upload");
    assert_eq!(r.status(), 429);
    assert!(r
        .text()
        .await
        .expect("body")
        .contains("Try again in a minute"));
}

/// An app behind a reverse proxy on 127.0.0.1, with one onboarded user
/// (password [`PASSWORD`]); returns the app and the user's email.
async fn behind_a_proxy() -> (TestApp, Arc<TestDb>, &'static str) {
    let db = Arc::new(TestDb::new().await);
    let pool = db.pool.clone();
    let app = TestApp::spawn_configured(Arc::clone(&db), pool, |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await;
    let email = "victim@example.com";
    let id = user(&db.pool, email, "Vic", "UTC").await;
    set_password(&db.pool, id).await;
    (app, db, email)
}

/// Posts a login for `email` with `password` as client `from` (through the
/// proxy), from a fresh browser.
async fn login_from(app: &TestApp, from: &str, email: &str, password: &str) -> reqwest::Response {
    login_as(&Browser::new(&app.address), from, email, password).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_can_lock_someone_elses_account_from_elsewhere() {
    let (app, _db, email) = behind_a_proxy().await;
    // An attacker hammers the account from one address until it is throttled there.
    for _ in 0..8 {
        attempt();
        login_from(&app, "203.0.113.66", email, "not-the-password").await;
    }
    attempt();
    let attacker = login_from(&app, "203.0.113.66", email, PASSWORD).await;
    assert!(
        attacker
            .text()
            .await
            .expect("body")
            .contains("Too many attempts"),
        "the attacker's source waits, even with the right password"
    );
    // The owner, from home, logs straight in.
    attempt();
    let owner = login_from(&app, "198.51.100.7", email, PASSWORD).await;
    assert_eq!(owner.status(), 303, "{}", location(&owner));
}

/// Posts a login for `email` with `password` from browser `b` as client
/// `from` (through the proxy); the browser keeps its cookies.
async fn login_as(b: &Browser, from: &str, email: &str, password: &str) -> reqwest::Response {
    let page = b
        .client
        .get(format!("{}/login", b.base))
        .header("x-forwarded-for", from)
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("body");
    b.client
        .post(format!("{}/login", b.base))
        .header("x-forwarded-for", from)
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", &csrf_of(&page)),
        ])
        .send()
        .await
        .expect("login")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owners_known_device_passes_a_lock_others_caused_from_the_same_address() {
    let (app, _db, email) = behind_a_proxy().await;
    // The owner logged in from this office network before, on this browser.
    let owner = Browser::new(&app.address);
    let r = login_as(&owner, "203.0.113.10", email, PASSWORD).await;
    assert_eq!(r.status(), 303);
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .collect();
    let device = set
        .iter()
        .find(|c| c.starts_with("hearth_device="))
        .expect("a device cookie");
    assert!(
        device.contains("HttpOnly") && device.contains("SameSite=Lax"),
        "{device}"
    );
    // Someone on the same network hammers the account until that address waits.
    for _ in 0..8 {
        attempt();
        login_as(
            &Browser::new(&app.address),
            "203.0.113.10",
            email,
            "not-the-password",
        )
        .await;
    }
    attempt();
    let stranger = login_as(&Browser::new(&app.address), "203.0.113.10", email, PASSWORD).await;
    assert!(
        stranger
            .text()
            .await
            .expect("body")
            .contains("Too many attempts"),
        "an unknown browser at that address waits, even with the right password"
    );
    // The owner's browser, same address, right password: in.
    attempt();
    let r = login_as(&owner, "203.0.113.10", email, PASSWORD).await;
    assert_eq!(r.status(), 303, "{}", location(&r));
    // Guesses from the known device are limited on its own key.
    for _ in 0..8 {
        attempt();
        login_as(&owner, "203.0.113.10", email, "still-not-it").await;
    }
    attempt();
    let r = login_as(&owner, "203.0.113.10", email, PASSWORD).await;
    assert!(
        r.text().await.expect("body").contains("Too many attempts"),
        "the device's own guesses are throttled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_cannot_pass_the_limit_together() {
    let (app, db, email) = behind_a_proxy().await;
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let app = Arc::clone(&app);
        tasks.push(tokio::spawn(async move {
            login_from(&app, "203.0.113.99", email, "wrong-guess-123")
                .await
                .text()
                .await
                .expect("body")
        }));
    }
    let mut checked = 0;
    for task in tasks {
        attempt();
        let body = task.await.expect("task");
        if !body.contains("Too many attempts") {
            checked += 1;
        }
    }
    // Three free attempts, then one more that starts the first delay (1 s,
    // then 2 s): while the 200 run (a second or two), at most one more passes
    // each time a delay ends. Without atomic counting all 200 reached it.
    assert!(checked <= 6, "{checked} guesses reached the password check");
    assert!(checked >= 1);
    let counted: i32 =
        sqlx::query_scalar("SELECT failures FROM auth_throttle WHERE key LIKE 'login:%'")
            .fetch_one(&db.pool)
            .await
            .expect("counted");
    assert_eq!(i64::from(counted), i64::from(checked));
    eprintln!("200 parallel wrong attempts: {checked} reached the password check");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_from_an_untrusted_peer_changes_nothing() {
    // No trusted proxies: the header is the client's own claim.
    let w = world().await;
    let email = "vic@example.com";
    let id = user(&w.db.pool, email, "Vic", "UTC").await;
    set_password(&w.db.pool, id).await;
    for n in 0..8 {
        attempt();
        // A new claimed address each time, to escape the throttle: it does not.
        login_from(&w.app, &format!("203.0.113.{n}"), email, "nope-nope-nope").await;
    }
    attempt();
    let r = login_from(&w.app, "203.0.113.200", email, PASSWORD).await;
    assert!(r.text().await.expect("body").contains("Too many attempts"));
}

/// Gives `user` the password [`PASSWORD`].
async fn set_password(pool: &sqlx::PgPool, user: uuid::Uuid) {
    let hash = hearth_core::accounts::password::hash(PASSWORD.to_owned())
        .await
        .expect("hash");
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user)
        .bind(hash)
        .execute(pool)
        .await
        .expect("password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hr_admin_learns_no_ones_balance_and_no_figure_about_fewer_than_five() {
    let w = world().await;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    let hr = hr_admin(&w, &acme).await;
    hearth_tests::fixtures::in_hub(
        &w.db.pool,
        &acme,
        "UPDATE hub_settings SET credits_per_period = 6",
        None,
    )
    .await;
    // Three employees, each granted the period's credits on their first visit.
    let mut employees = Vec::new();
    for (email, name) in [
        ("ann@acme.example", "Annika Quill"),
        ("bo@acme.example", "Bo Larkspur"),
        ("cy@acme.example", "Cy Marrow"),
    ] {
        let id = user(&w.db.pool, email, name, "UTC").await;
        member(&w.db.pool, &acme, id).await;
        let b = browser_for(&w.db.pool, &format!("{}/h/acme", w.app.address), id).await;
        b.page("/dashboard").await;
        employees.push((id, email, name));
    }
    let admin = browser_for(&w.db.pool, &format!("{}/h/acme", w.app.address), hr).await;
    attempt();
    let page = admin.page("/admin/credits").await;
    assert!(page.contains("fewer than 5"), "{page}");
    assert!(
        !page.contains(">18<") && !page.contains(">3<"),
        "no exact figure about 3 people"
    );
    // A top-up for one named employee: the audit keeps the amount only.
    let token = csrf_of(&page);
    attempt();
    let r = admin
        .post(
            "/admin/credits/top-up",
            &token,
            &[
                ("email", "ann@acme.example"),
                ("credits", "4"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", location(&r));
    let detail: serde_json::Value = {
        let mut tx = hearth_tenants::TenantTx::begin(&w.db.pool, &acme)
            .await
            .expect("hub tx");
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'credits.top_up'")
            .fetch_one(&mut *tx)
            .await
            .expect("audit row")
    };
    assert_eq!(detail, serde_json::json!({ "credits": 4 }));
    attempt();
    let audit = admin.page("/admin/audit").await;
    for (_, email, name) in &employees {
        assert!(!audit.contains(email) && !audit.contains(name), "{audit}");
    }
    assert!(
        !audit.contains("balance") && !audit.contains(">10<"),
        "{audit}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessed_ids_and_tokens_find_nothing() {
    let w = world().await;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    let eve = user(&w.db.pool, "eve@acme.example", "Eve", "UTC").await;
    member(&w.db.pool, &acme, eve).await;
    let (_, declared) = hearth_core::routes::routes().into_parts();
    let mut checked = 0;
    for base in [w.app.address.clone(), format!("{}/h/acme", w.app.address)] {
        let b = browser_for(&w.db.pool, &base, eve).await;
        for route in declared
            .routes()
            .iter()
            .filter(|r| r.method == "GET" && r.path.contains('{'))
        {
            // A random id, or a token nobody was given.
            let path: String = route
                .path
                .split('/')
                .map(|segment| match segment {
                    "{token}" => "dGhpcy1pcy1ub3QtYS1yZWFsLXRva2VuLTAwMDAwMDAw".to_owned(),
                    "{file}" => "logo-0123456789abcdef.png".to_owned(),
                    s if s.starts_with('{') => uuid::Uuid::new_v4().to_string(),
                    s => s.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("/");
            attempt();
            let r = b.get(&path).await;
            let status = r.status().as_u16();
            assert!(status < 500, "GET {path}: {status}");
            if route.path.contains("{token}") {
                // The page may answer, saying the link is not valid; it shows no one's data.
                let body = r.text().await.expect("body");
                assert!(!body.contains("@"), "GET {path} shows an address: {body}");
            } else {
                // Refused, not found, asked for what is missing, or sent elsewhere: never a page.
                assert!(
                    (400..500).contains(&status) || (300..400).contains(&status),
                    "GET {path}: {status}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_reaches_no_professionals_page() {
    let w = world().await;
    let eve = user(&w.db.pool, "eve@example.com", "Eve", "UTC").await;
    let b = browser_for(&w.db.pool, &w.app.address, eve).await;
    let (_, declared) = hearth_core::routes::routes().into_parts();
    for route in declared.routes().iter().filter(|r| {
        r.method == "GET"
            && (r.path == "/pro" || r.path.starts_with("/pro/"))
            && r.path != "/pro/profile"
    }) {
        attempt();
        let path = concrete(route.path);
        let r = b.get(&path).await;
        let status = r.status().as_u16();
        let to = location(&r);
        assert!(
            status == 403 || status == 404 || to.ends_with("/pro/profile"),
            "a client reached GET {path}: {status} {to}"
        );
    }
}

/// A user who is an HR admin of hub `tenant`.
async fn hr_admin(w: &World, tenant: &hearth_tenants::Tenant) -> uuid::Uuid {
    let hr = user(&w.db.pool, "hr@acme.example", "Hanna", "UTC").await;
    hearth_tests::fixtures::in_hub(
        &w.db.pool,
        tenant,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(hr),
    )
    .await;
    hr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_the_confirm_step_holds_and_drops_nothing() {
    let w = world().await;
    let pool = &w.db.pool;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    let pro = professional(pool, "ann@pro.example", "Ann Smith", "UTC", 0, &all_week()).await;
    let service = service(pool, pro, "Individual session", 50, 1, "individual").await;
    on_roster(pool, &acme, pro).await;
    let eve = user(pool, "eve@acme.example", "Eve", "UTC").await;
    member(pool, &acme, eve).await;
    let b = browser_for(pool, &format!("{}/h/acme", w.app.address), eve).await;
    let first = monday_at(1, 9, 0, chrono_tz::UTC);
    let second = monday_at(1, 11, 0, chrono_tz::UTC);
    // Eve chooses a time: held, by POST.
    let token = csrf_of(&b.page(&format!("/book/{pro}")).await);
    let r = b
        .post(
            &format!("/book/{pro}/{service}/hold"),
            &token,
            &[("start", &rfc(first))],
        )
        .await;
    assert_eq!(r.status(), 303);
    let holds = || async {
        sqlx::query_scalar::<_, chrono::DateTime<chrono::Utc>>("SELECT starts_at FROM slot_holds")
            .fetch_all(pool)
            .await
            .expect("holds")
    };
    assert_eq!(holds().await, [first]);
    // A page elsewhere links to (or embeds) the confirm step of other times.
    for hour in [11, 12, 13] {
        attempt();
        let at = monday_at(1, hour, 0, chrono_tz::UTC);
        let r = b
            .get(&format!(
                "/book/{pro}/{service}/confirm?start={}",
                enc(&rfc(at))
            ))
            .await;
        assert_eq!(r.status(), 200);
    }
    assert_eq!(
        holds().await,
        [first],
        "the links held nothing, and Eve's own hold of {second} was not dropped for them"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_codes_and_reset_links_hold_their_limits_under_parallel_attempts() {
    let w = world().await;
    let pool = &w.db.pool;
    // A pending account with a code we know.
    let id = uuid::Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, email, name) VALUES ($1, 'pen@example.com', 'Pen')")
        .bind(id)
        .execute(pool)
        .await
        .expect("pending user");
    sqlx::query("INSERT INTO terms_acceptances (user_id, version) VALUES ($1, $2)")
        .bind(id)
        .bind(hearth_core::web::session::TERMS_VERSION)
        .execute(pool)
        .await
        .expect("terms");
    sqlx::query(
        "INSERT INTO email_verifications (user_id, email, code_hash, expires_at) \
         VALUES ($1, 'pen@example.com', $2, now() + interval '1 hour')",
    )
    .bind(id)
    .bind(hearth_core::web::tokens::hash_code(id, "424242"))
    .execute(pool)
    .await
    .expect("code");
    let b = Arc::new(browser_for(pool, &w.app.address, id).await);
    let token = csrf_of(&b.page("/verify").await);
    // 100 wrong codes at once.
    let guesses: Vec<_> = (0..100)
        .map(|n| {
            attempt();
            let (b, token) = (Arc::clone(&b), token.clone());
            tokio::spawn(async move {
                b.post(
                    "/verify",
                    &token,
                    &[("code", &format!("{:06}", 100_000 + n))],
                )
                .await
                .status()
            })
        })
        .collect();
    for guess in guesses {
        guess.await.expect("guess");
    }
    let tries: i32 =
        sqlx::query_scalar("SELECT attempts FROM email_verifications WHERE user_id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .expect("attempts");
    assert_eq!(
        tries,
        hearth_core::accounts::signup::CODE_TRIES,
        "every parallel guess was counted, and none past the limit was compared"
    );
    // The right code now finds the door shut: a new code must be sent.
    attempt();
    let r = b.post("/verify", &token, &[("code", "424242")]).await;
    let page = r.text().await.expect("body");
    assert!(
        page.contains("Too many") || page.contains("too many") || page.contains("Wait"),
        "{page}"
    );
    let verified: bool =
        sqlx::query_scalar("SELECT email_verified_at IS NOT NULL FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .expect("user");
    assert!(!verified);

    // 30 "forgot password" requests for one account at once: one link.
    let victim = user(pool, "victim@example.com", "Vic", "UTC").await;
    let requests: Vec<_> = (0..30)
        .map(|_| {
            attempt();
            let address = w.app.address.clone();
            tokio::spawn(async move {
                let b = Browser::new(&address);
                let page = b.page("/forgot").await;
                let r = b
                    .post(
                        "/forgot",
                        &csrf_of(&page),
                        &[("email", "victim@example.com")],
                    )
                    .await;
                assert_eq!(r.status(), 200);
            })
        })
        .collect();
    for request in requests {
        request.await.expect("request");
    }
    let links: i64 = sqlx::query_scalar("SELECT count(*) FROM password_resets WHERE user_id = $1")
        .bind(victim)
        .fetch_one(pool)
        .await
        .expect("links");
    assert_eq!(
        links, 1,
        "one reset link a minute, however many ask at once"
    );
    let mails: i64 =
        sqlx::query_scalar("SELECT count(*) FROM email_outbox WHERE kind = 'password_reset'")
            .fetch_one(pool)
            .await
            .expect("mails");
    assert_eq!(mails, 1, "one email");
}

/// SVG logos built to run script, load from elsewhere or read files.
const HOSTILE_SVGS: &[(&str, &str)] = &[
    (
        "script",
        r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="5" height="5"/></svg>"#,
    ),
    (
        "handler",
        r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="5" height="5" onclick="alert(1)"/></svg>"#,
    ),
    (
        "foreign",
        r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="9" height="9"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/></foreignObject><rect width="5" height="5"/></svg>"#,
    ),
    (
        "link",
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a></svg>"#,
    ),
    (
        "external",
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://evil.example/s.svg#x"/><image href="https://evil.example/t.png" width="9" height="9"/><rect width="5" height="5" fill="url(https://evil.example/p)"/></svg>"#,
    ),
    (
        "file",
        r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd" width="9" height="9"/><image href="/etc/passwd" width="9" height="9"/><rect width="5" height="5"/></svg>"#,
    ),
    (
        "data",
        r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=" width="9" height="9"/><rect width="5" height="5"/></svg>"#,
    ),
    (
        "css",
        r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css); rect { fill: url(https://evil.example/p) }</style><rect width="5" height="5" style="background:url(https://evil.example/q)"/></svg>"#,
    ),
    (
        "animation",
        r#"<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" values="javascript:alert(1)"/><set attributeName="onmouseover" to="alert(1)"/><rect width="5" height="5"/></a></svg>"#,
    ),
    (
        "entity",
        r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"#,
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_svg_logos_keep_nothing_but_their_shapes() {
    let w = world().await;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    let hr = hr_admin(&w, &acme).await;
    let b = browser_for(&w.db.pool, &format!("{}/h/acme", w.app.address), hr).await;
    let token = csrf_of(&b.page("/admin").await);
    for (name, svg) in HOSTILE_SVGS {
        attempt();
        let part = reqwest::multipart::Part::bytes(svg.as_bytes().to_vec())
            .file_name("logo.svg")
            .mime_str("image/svg+xml")
            .expect("mime");
        let r = b
            .client
            .post(format!(
                "{}/h/acme/admin/branding/logo?csrf={token}",
                w.app.address
            ))
            .multipart(reqwest::multipart::Form::new().part("logo", part))
            .send()
            .await
            .expect("upload");
        if r.status() == 422 {
            // Refused outright (the DTD): nothing stored.
            assert_eq!(*name, "entity", "{name} was refused");
            continue;
        }
        assert_eq!(r.status(), 303, "{name}");
        let page = b.page("/admin").await.replace("&#x2F;", "/");
        let at = page.find("/h/acme/brand/logo-").expect("the draft logo");
        let url = page[at..].split('"').next().expect("url").to_owned();
        let served = b
            .client
            .get(format!("{}{url}", w.app.address))
            .send()
            .await
            .expect("logo");
        assert_eq!(
            served.headers()["content-security-policy"],
            "default-src 'none'; style-src 'unsafe-inline'"
        );
        let body = served.text().await.expect("body").to_ascii_lowercase();
        for bad in [
            "script",
            "onload",
            "onclick",
            "onmouseover",
            "alert",
            "foreignobject",
            "iframe",
            "evil.example",
            "javascript",
            "passwd",
            "data:",
            "@import",
            "<image",
            "<a",
            "<animate",
            "<set",
            "<style",
        ] {
            assert!(!body.contains(bad), "{name}: {bad} survived in {body}");
        }
        assert!(body.contains("<path"), "{name}: the shape is kept: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_domain_serves_nothing_without_proof_and_only_its_own_hub() {
    let w = world().await;
    let pool = &w.db.pool;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    w.db.hub("globex", "Globex").await;
    let mut conn = pool.acquire().await.expect("connection");
    // Globex's HR admin claims a domain it does not control.
    assert!(hearth_tenants::registry::add_domain(
        &mut conn,
        "globex",
        "wellbeing.acme.test",
        &hearth_core::domain_proof::new_token(),
    )
    .await
    .expect("add"));
    for path in ["/", "/login", "/signup", "/admin"] {
        attempt();
        let r = w.app.get_host("wellbeing.acme.test", path).await;
        assert_eq!(r.status(), 404, "{path} served without proof");
    }
    // Acme proves its own domain; on it, only Acme answers.
    assert!(hearth_tenants::registry::add_domain(
        &mut conn,
        "acme",
        "care.acme.test",
        &hearth_core::domain_proof::new_token(),
    )
    .await
    .expect("add"));
    drop(conn);
    let dns = hearth_tests::dns::DnsServer::start(&["acme.test"]).await;
    hearth_tests::dns::prove_domain(pool, &dns, "care.acme.test").await;
    let _ = acme;
    let start = std::time::Instant::now();
    while w.app.get_host("care.acme.test", "/").await.status() != 200 {
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    for path in ["/h/globex/", "/h/globex/admin", "/h/globex/login"] {
        attempt();
        let r = w.app.get_host("care.acme.test", path).await;
        let body = r.text().await.expect("body");
        assert!(
            !body.contains("Globex"),
            "{path} on Acme's domain showed Globex"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_every_saved_text_is_shown_as_text_where_it_appears() {
    let w = world().await;
    let pool = &w.db.pool;
    let payload = "\"><script>alert(1)</script><img src=x onerror=alert(2)>";
    let acme = w.db.hub("acme", "Acme Ltd").await;
    // The texts people save: a professional's name, title, bio and
    // specialties, a service's name, the hub's welcome text, a client's name.
    let pro = professional(pool, "ann@pro.example", payload, "UTC", 0, &all_week()).await;
    sqlx::query(
        "UPDATE professionals SET title = $2, bio = $2, specialties = ARRAY[$2] WHERE user_id = $1",
    )
    .bind(pro)
    .bind(payload)
    .execute(pool)
    .await
    .expect("profile");
    hearth_tests::fixtures::cache_reset(pool).await;
    let service = service(pool, pro, payload, 50, 1, "individual").await;
    on_roster(pool, &acme, pro).await;
    hearth_tests::fixtures::in_hub(
        pool,
        &acme,
        &format!(
            "UPDATE hub_settings SET credits_per_period = 5, welcome_text = '{}'",
            payload.replace('\'', "''")
        ),
        None,
    )
    .await;
    let eve = user(pool, "eve@acme.example", payload, "UTC").await;
    member(pool, &acme, eve).await;
    let hr = hr_admin(&w, &acme).await;
    let eve_b = browser_for(pool, &format!("{}/h/acme", w.app.address), eve).await;
    let start = monday_at(1, 9, 0, chrono_tz::UTC);
    let r = hearth_tests::fixtures::confirm(&eve_b, pro, service, start, "xss-booking-1").await;
    let appointment = location(&r);
    assert!(appointment.contains("/appointments/"), "{appointment}");
    let appointment = appointment.trim_start_matches("/h/acme").to_owned();
    let pro_b = browser_for(pool, &w.app.address, pro).await;
    let hr_b = browser_for(pool, &format!("{}/h/acme", w.app.address), hr).await;
    // Where the texts appear (the HR pages that show no one show none of them).
    let pages: Vec<(&Browser, String, bool)> = vec![
        (&eve_b, "/".to_owned(), true),
        (&eve_b, format!("/book/{pro}"), true),
        (
            &eve_b,
            format!("/book/{pro}/{service}?week={}", start.date_naive()),
            true,
        ),
        (&eve_b, "/dashboard".to_owned(), true),
        (&eve_b, appointment.clone(), true),
        (&eve_b, format!("{appointment}/reschedule"), true),
        (&eve_b, "/notifications".to_owned(), true),
        (&pro_b, "/pro".to_owned(), true),
        (&pro_b, "/pro/profile".to_owned(), true),
        (&pro_b, "/pro/services".to_owned(), true),
        (&pro_b, format!("/pro/services/{service}"), true),
        (&pro_b, appointment.clone(), true),
        (&hr_b, "/admin".to_owned(), true),
        (&hr_b, "/admin/professionals".to_owned(), true),
        (&hr_b, "/admin/credits".to_owned(), false),
        (&hr_b, "/admin/audit".to_owned(), false),
    ];
    for (b, path, shows) in pages {
        attempt();
        let page = b.page(&path).await;
        assert!(!page.contains("<script>alert"), "{path} runs the script");
        assert!(!page.contains("<img src=x"), "{path} shows the markup");
        assert!(
            !shows
                || page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
                || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path} shows the saved text (escaped)"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_ids_in_a_form_change_nothing() {
    let w = world().await;
    let pool = &w.db.pool;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    let globex = w.db.hub("globex", "Globex").await;
    let pro = professional(pool, "ann@pro.example", "Ann Smith", "UTC", 0, &all_week()).await;
    let service = service(pool, pro, "Individual session", 50, 1, "individual").await;
    for hub in [&acme, &globex] {
        on_roster(pool, hub, pro).await;
        hearth_tests::fixtures::in_hub(
            pool,
            hub,
            "UPDATE hub_settings SET credits_per_period = 5",
            None,
        )
        .await;
    }
    let eve = user(pool, "eve@acme.example", "Eve", "UTC").await;
    member(pool, &acme, eve).await;
    let olaf = user(pool, "olaf@acme.example", "Olaf", "UTC").await;
    member(pool, &acme, olaf).await;
    let eve_b = browser_for(pool, &format!("{}/h/acme", w.app.address), eve).await;
    let r = hearth_tests::fixtures::confirm(
        &eve_b,
        pro,
        service,
        monday_at(1, 9, 0, chrono_tz::UTC),
        "ids-booking-1",
    )
    .await;
    let appointment = location(&r).trim_start_matches("/h/acme").to_owned();
    assert!(appointment.starts_with("/appointments/"), "{appointment}");
    let state = || async {
        sqlx::query_as::<_, (String, chrono::DateTime<chrono::Utc>)>(
            "SELECT status, starts_at FROM appointments",
        )
        .fetch_all(pool)
        .await
        .expect("appointments")
    };
    let before = state().await;
    let balance = hearth_tests::fixtures::balance(pool, &acme, eve).await;

    // Another member of the same hub, with Eve's appointment id in the forms.
    let olaf_b = browser_for(pool, &format!("{}/h/acme", w.app.address), olaf).await;
    let token = csrf_of(&olaf_b.page("/dashboard").await);
    let later = rfc(monday_at(1, 15, 0, chrono_tz::UTC));
    for (action, fields) in [
        (format!("{appointment}/cancel"), vec![]),
        (format!("{appointment}/waive"), vec![]),
        (
            format!("{appointment}/reschedule"),
            vec![("start", later.as_str())],
        ),
    ] {
        attempt();
        let r = olaf_b.post(&action, &token, &fields).await;
        assert!(
            matches!(r.status().as_u16(), 403 | 404),
            "{action}: {}",
            r.status()
        );
    }
    // The same id through another hub, where Eve's session is.
    let eve_globex = browser_for(pool, &format!("{}/h/globex", w.app.address), eve).await;
    let token = csrf_of(&eve_globex.page("/").await);
    attempt();
    let r = eve_globex
        .post(&format!("{appointment}/cancel"), &token, &[])
        .await;
    assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
    assert_eq!(state().await, before, "the appointment is as it was");

    // Globex's HR admin tops up Acme's employee by email: not theirs.
    let hr = user(pool, "hr@globex.example", "Gil", "UTC").await;
    hearth_tests::fixtures::in_hub(
        pool,
        &globex,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(hr),
    )
    .await;
    let hr_b = browser_for(pool, &format!("{}/h/globex", w.app.address), hr).await;
    let token = csrf_of(&hr_b.page("/admin/credits").await);
    attempt();
    let r = hr_b
        .post(
            "/admin/credits/top-up",
            &token,
            &[("email", "eve@acme.example"), ("credits", "50")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        hearth_tests::fixtures::balance(pool, &acme, eve).await,
        balance,
        "Eve's Acme balance is untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_that_are_not_what_they_claim_are_refused_and_nothing_is_stored() {
    let w = world().await;
    let acme = w.db.hub("acme", "Acme Ltd").await;
    let hr = hr_admin(&w, &acme).await;
    let b = browser_for(&w.db.pool, &format!("{}/h/acme", w.app.address), hr).await;
    let token = csrf_of(&b.page("/admin").await);
    let mut polyglot = b"\x89PNG\r\n\x1a\n".to_vec();
    polyglot.extend_from_slice(b"<html><script>alert(1)</script></html>");
    let fakes: [(&str, &str, Vec<u8>); 4] = [
        (
            "logo.png",
            "image/png",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
        ("logo.png", "image/png", polyglot),
        (
            "logo.jpg",
            "image/jpeg",
            b"\xff\xd8\xff\xe0 not really a jpeg".to_vec(),
        ),
        (
            "logo.svg",
            "image/svg+xml",
            b"GIF89a<svg onload=alert(1)>".to_vec(),
        ),
    ];
    for (name, mime, bytes) in fakes {
        attempt();
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name)
            .mime_str(mime)
            .expect("mime");
        let r = b
            .client
            .post(format!(
                "{}/h/acme/admin/branding/logo?csrf={token}",
                w.app.address
            ))
            .multipart(reqwest::multipart::Form::new().part("logo", part))
            .send()
            .await
            .expect("upload");
        assert_eq!(r.status(), 422, "{name} ({mime})");
    }
    let mut tx = hearth_tenants::TenantTx::begin(&w.db.pool, &acme)
        .await
        .expect("tx");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM hub_logos")
        .fetch_one(&mut *tx)
        .await
        .expect("logos");
    assert_eq!(stored, 0, "nothing was stored");
}
