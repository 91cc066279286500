//! The hub page over real HTTP and real PostgreSQL: the roster with its
//! filters, fingerprinted static files and their cache headers, and the
//! per-node cache of branding and roster (no query for a cached page; a change
//! on one node shows on every node within a second).
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] fns: a failure is the test's failure"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_admin::demo::DEMO_PASSWORD;
use hearth_tenants::TenantMigrator;
use hearth_tests::browser::{location, Browser};
use hearth_tests::{TestApp, TestDb};
use reqwest::StatusCode;

/// A migrated database with the demo data (hubs acme and globex), its
/// professionals offering the services below.
async fn demo_db() -> Arc<TestDb> {
    let db = TestDb::new().await;
    hearth_admin::demo::seed(&db.pool, &TenantMigrator::embedded())
        .await
        .unwrap();
    // Services of our own, whatever the demo offers: Anna video and phone,
    // individual and couples; the others video, individual.
    sqlx::query("DELETE FROM services")
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO services (id, professional_id, name, mode, session_type, duration_minutes) \
         SELECT gen_random_uuid(), u.id, 'Session', m.mode, m.session_type, 50 \
         FROM users u JOIN professionals p ON p.user_id = u.id \
         CROSS JOIN (VALUES ('video', 'individual'), ('phone', 'couples')) AS m (mode, session_type) \
         WHERE u.email = 'anna@pro.example' OR m.mode = 'video'",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    // An inactive service offers nothing.
    sqlx::query(
        "INSERT INTO services (id, professional_id, name, mode, duration_minutes, active) \
         SELECT gen_random_uuid(), id, 'Old', 'in_person', 50, false FROM users \
         WHERE email = 'ben@pro.example'",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    Arc::new(db)
}

async fn page(app: &TestApp, path: &str) -> String {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    r.text().await.unwrap().replace("&#x2F;", "/")
}

async fn user_id(db: &TestDb, email: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .to_string()
}

/// Signs demo user `email` in on `browser`'s hub, accepting the terms when asked.
async fn demo_login(browser: &Browser, email: &str) {
    let r = browser
        .submit(
            "/login",
            "/login",
            &[("email", email), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    // The demo accounts have not accepted the terms yet.
    if location(&browser.get("/dashboard").await).ends_with("/terms") {
        let r = browser.submit("/terms", "/terms", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    }
}

/// The number of roster cards on a hub page.
fn cards(html: &str) -> usize {
    html.matches("<li class=\"card pro\">").count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_page_shows_the_company_its_credits_and_its_professionals_with_what_they_offer() {
    let db = demo_db().await;
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let acme = page(&app, "/h/acme/").await;
    assert!(acme.contains("Acme Ltd Wellbeing Hub"));
    assert!(acme.contains("Talk to someone who listens."));
    assert!(acme.contains("6 credits per year"), "{acme}");
    assert!(acme.contains("Create an account to claim your credits"));
    assert!(acme.contains("href=\"/h/acme/login\""));
    assert_eq!(cards(&acme), 4);
    assert!(acme.contains("4 professionals"));
    let anna = user_id(&db, "anna@pro.example").await;
    // Anna: initials (no photo), named languages, sessions, a booking link.
    assert!(acme.contains(">AJ</span>"), "{acme}");
    assert!(acme.contains("Icelandic, English"));
    assert!(acme.contains("Video, Phone, Individual, Couples"), "{acme}");
    assert!(acme.contains(&format!("href=\"/h/acme/book/{anna}\"")));
    assert!(
        !acme.contains("In person"),
        "inactive services offer nothing"
    );
    // The filters offer the roster's values.
    for option in [
        "<option value=\"Burnout\">Burnout</option>",
        "<option value=\"fr\">French</option>",
        "<option value=\"phone\">Phone</option>",
        "<option value=\"couples\">Couples</option>",
    ] {
        assert!(acme.contains(option), "{option}");
    }

    // Globex: its own name, credits, theme and roster; nothing of acme's.
    let globex = page(&app, "/h/globex/").await;
    assert!(globex.contains("Globex Corporation Wellbeing Hub"));
    assert!(globex.contains("12 credits per year"));
    assert_eq!(cards(&globex), 2);
    assert!(!globex.contains("Anna") && !globex.contains("Acme"));
    assert!(globex.contains("/static/calm/calm."));

    // A photo, once the professional has one, in place of the initials.
    // (Set by hand, as an operator with psql would, then `hearth cache reset`.)
    sqlx::query("UPDATE professionals SET photo = '\\x89504e47'::bytea, photo_type = 'image/png' WHERE user_id = $1::uuid")
        .bind(&anna)
        .execute(&db.pool)
        .await
        .unwrap();
    hearth_tests::fixtures::cache_reset(&db.pool).await;
    let started = Instant::now();
    loop {
        let acme = page(&app, "/h/acme/").await;
        if acme.contains(&format!("src=\"/h/acme/professionals/{anna}/photo\"")) {
            assert!(!acme.contains(">AJ</span>"));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "no photo: {acme}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Signed-in employees are not asked to sign up.
    let employee = Browser::new(format!("{}/h/acme", app.address));
    demo_login(&employee, "employee@acme.example").await;
    let signed_in = employee.page("/").await;
    assert!(!signed_in.contains("Create an account to claim your credits"));
    assert!(signed_in.contains("Anna Jónsdóttir"));
    // Pages rendered once for anonymous visitors are theirs alone, and keep
    // the links of the address they were asked at.
    let anonymous = page(&app, "/h/acme/").await;
    assert!(anonymous.contains("Create an account to claim your credits"));
    assert!(!anonymous.contains("Emil Evans"));
    let by_host = app
        .get_hub("acme", "/")
        .await
        .text()
        .await
        .unwrap()
        .replace("&#x2F;", "/");
    assert!(by_host.contains("href=\"/signup\""), "{by_host}");
    assert!(!by_host.contains("/h/acme/"));
    assert_eq!(cards(&by_host), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roster_filters_work_from_the_query_string_with_a_count_and_an_empty_state() {
    let db = demo_db().await;
    let app = TestApp::spawn_on(db).await;
    let french = page(&app, "/h/acme/?language=fr").await;
    assert_eq!(cards(&french), 1);
    assert!(french.contains("Chloé Martin"));
    assert!(french.contains("1 professional matches your filters"));
    assert!(french.contains("<option value=\"fr\" selected>French</option>"));
    assert!(french.contains(">Clear filters</a>"));

    let stress_by_phone = page(&app, "/h/acme/?specialty=Stress&mode=phone&language=").await;
    assert_eq!(cards(&stress_by_phone), 1, "Anna alone");
    assert!(stress_by_phone.contains("Anna Jónsdóttir"));
    let stress = page(&app, "/h/acme/?specialty=Stress").await;
    assert_eq!(cards(&stress), 2, "Anna and David");
    assert!(stress.contains("2 professionals match your filters"));
    let couples = page(&app, "/h/acme/?type=couples").await;
    assert_eq!(cards(&couples), 1);

    let none = page(&app, "/h/acme/?specialty=Grief&mode=phone").await;
    assert_eq!(cards(&none), 0);
    assert!(none.contains("0 professionals match your filters"));
    assert!(none.contains("No professionals match these filters."));
    assert!(none.contains("to see all 4"));

    // No filter, or a query string that is not one: the whole roster.
    let all = page(&app, "/h/acme/").await;
    assert_eq!(cards(&all), 4);
    assert!(!all.contains("Clear filters"));
    let odd = page(&app, "/h/acme/?specialty=a&specialty=b").await;
    assert_eq!(cards(&odd), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_are_fingerprinted_and_cached_for_good() {
    let db = demo_db().await;
    let app = TestApp::spawn_on(db).await;
    let hub = page(&app, "/h/globex/").await;
    let href = |prefix: &str| {
        let at = hub
            .find(prefix)
            .unwrap_or_else(|| panic!("{prefix} in {hub}"));
        hub[at..].split('"').next().unwrap().to_owned()
    };
    for (url, name) in [
        (href("/static/default/hearth."), "hearth"),
        (href("/static/calm/calm."), "calm"),
    ] {
        let hash = url
            .strip_prefix(&format!(
                "/static/{}/{name}.",
                if name == "calm" { "calm" } else { "default" }
            ))
            .and_then(|rest| rest.strip_suffix(".css"))
            .unwrap();
        assert_eq!(hash.len(), 10, "{url}");
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
        let r = app.get(&url).await;
        assert_eq!(r.status(), StatusCode::OK, "{url}");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css"));
        let etag = r.headers()["etag"].clone();
        assert!(!r.bytes().await.unwrap().is_empty());
        // Revalidation of the same content.
        let again = app
            .client
            .get(format!("{}{url}", app.address))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
    // The plain name answers too, briefly cached; a stale fingerprint does not.
    let plain = app.get("/static/calm/hearth.css").await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(plain.headers()["cache-control"], "public, max-age=300");
    assert_eq!(
        app.get("/static/default/hearth.0123456789.css")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/static/nosuchtheme/hearth.css").await.status(),
        StatusCode::NOT_FOUND
    );
    // A hub host serves them too.
    assert_eq!(
        app.get_hub("acme", "/static/default/hearth.css")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_hub_page_needs_no_query() {
    let db = demo_db().await;
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    assert_eq!(cards(&page(&app, "/h/acme/").await), 4);
    // Wait for the node's change listener (it drops every cache when it starts).
    app.listening().await;
    assert_eq!(cards(&page(&app, "/h/acme/").await), 4);

    // Everything the hub page reads is locked: a query would wait for good.
    let schema: String = sqlx::query_scalar("SELECT 't_' || id FROM tenants WHERE slug = 'acme'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let mut blocker = db.pool.begin().await.unwrap();
    sqlx::query(&format!(
        "LOCK TABLE \"{schema}\".hub_settings, \"{schema}\".roster, \"{schema}\".hub_logos, \
         public.professionals, public.users, public.services IN ACCESS EXCLUSIVE MODE"
    ))
    .execute(&mut *blocker)
    .await
    .unwrap();
    for path in ["/h/acme/", "/h/acme/?language=fr"] {
        let r = tokio::time::timeout(Duration::from_secs(3), app.get(path))
            .await
            .unwrap_or_else(|_| panic!("GET {path} waited on the database"));
        assert_eq!(r.status(), StatusCode::OK);
    }
    blocker.rollback().await.unwrap();
}

/// Polls `path` on `node` until its page satisfies `ok`, for at most a second.
async fn within_a_second(node: &TestApp, path: &str, what: &str, ok: impl Fn(&str) -> bool) {
    let started = Instant::now();
    loop {
        let html = page(node, path).await;
        if ok(&html) {
            println!("{what}: seen after {:?}", started.elapsed());
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{what}: not seen within a second on {}",
            node.address
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branding_publish_or_a_roster_change_on_one_node_shows_on_every_node_within_a_second() {
    let db = demo_db().await;
    let a = TestApp::spawn_on(Arc::clone(&db)).await;
    let b = TestApp::spawn_on(Arc::clone(&db)).await;
    for node in [&a, &b] {
        // Warm each node's cache.
        assert!(page(node, "/h/acme/")
            .await
            .contains("Talk to someone who listens."));
    }
    // Both nodes hear of changes before the change is made.
    a.listening().await;
    b.listening().await;

    // The HR admin publishes new branding on node A.
    let hr = Browser::new(format!("{}/h/acme", a.address));
    demo_login(&hr, "hr@acme.example").await;
    let r = hr
        .submit(
            "/admin",
            "/admin/branding",
            &[
                ("brand_color", "#0b5394"),
                ("accent_color", "#f4b942"),
                ("theme", "calm"),
                ("welcome_text", "Fresh welcome 5e1d"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    // The draft is not the hub page yet, on either node.
    for node in [&a, &b] {
        assert!(!page(node, "/h/acme/").await.contains("Fresh welcome 5e1d"));
    }
    let r = hr.submit("/admin", "/admin/branding/publish", &[]).await;
    assert!(location(&r).ends_with("done=published"), "{}", location(&r));
    // Node A made the change: its next page has it.
    let on_a = page(&a, "/h/acme/").await;
    assert!(on_a.contains("Fresh welcome 5e1d"), "node A at once");
    assert!(on_a.contains("--brand: #0b5394"));
    within_a_second(&b, "/h/acme/", "the published branding", |html| {
        html.contains("Fresh welcome 5e1d") && html.contains("/static/calm/calm.")
    })
    .await;

    // The HR admin takes Ben off the roster on node A.
    let ben = user_id(&db, "ben@pro.example").await;
    let r = hr
        .submit(
            "/admin/professionals",
            "/admin/professionals",
            &[("professional", &ben), ("action", "remove")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    assert!(
        !page(&a, "/h/acme/").await.contains("Ben Carter"),
        "node A at once"
    );
    within_a_second(&b, "/h/acme/", "the roster change", |html| {
        !html.contains("Ben Carter") && cards(html) == 3
    })
    .await;
    // Another hub's roster is its own.
    assert!(page(&b, "/h/globex/").await.contains("Ben Carter"));

    // A professional's profile (shared by every hub) changes outside any
    // hub: David edits his name and title on node A.
    let david = Browser::new(a.address.clone());
    demo_login(&david, "david@pro.example").await;
    let r = david
        .submit(
            "/pro/profile",
            "/pro/profile",
            &[
                ("name", "Dave Okafor"),
                ("title", "Sleep specialist"),
                ("bio", "Helps people sleep."),
                ("specialties", "Sleep, Depression, Stress"),
                ("languages", "en"),
                ("country", "IE"),
                ("kind", "psychologist"),
                ("timezone", "Europe/Dublin"),
                ("buffer_minutes", "10"),
                ("min_notice_hours", "0"),
                ("horizon_days", "60"),
            ],
        )
        .await;
    assert!(
        location(&r).ends_with("/pro/profile?done=saved"),
        "{}",
        location(&r)
    );
    for node in [&a, &b] {
        for hub in ["/h/acme/", "/h/globex/"] {
            within_a_second(node, hub, "the professional's new profile", |html| {
                html.contains("Sleep specialist") && html.contains("Dave Okafor")
            })
            .await;
        }
    }
}

/// GET `path` with `Accept-Encoding: accept`: the status, the
/// `Content-Encoding` and the body decoded.
async fn fetch_encoded(app: &TestApp, path: &str, accept: &str) -> (u16, Option<String>, String) {
    use std::io::Read as _;
    // The raw answer: goose (the load tests) turns on reqwest's gzip feature,
    // which would otherwise decode gzip and drop its Content-Encoding.
    let r = reqwest::Client::builder()
        .no_gzip()
        .build()
        .unwrap()
        .get(format!("{}{path}", app.address))
        .header("accept-encoding", accept)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let encoding = r
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned());
    let vary = r.headers().get_all("vary").iter().any(|v| {
        v.to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    });
    assert!(
        vary || encoding.is_none(),
        "an encoded answer says it varies: {path}"
    );
    let bytes = r.bytes().await.unwrap();
    let mut text = String::new();
    match encoding.as_deref() {
        Some("br") => {
            brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_string(&mut text)
                .unwrap();
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap();
        }
        None => text = String::from_utf8(bytes.to_vec()).unwrap(),
        Some(other) => panic!("unexpected coding {other}"),
    }
    (status, encoding, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_static_files_go_out_compressed_as_the_browser_accepts_and_read_the_same() {
    let db = demo_db().await;
    let app = TestApp::spawn_on(db).await;
    let plain = page(&app, "/h/acme/").await;
    let plain_raw = app.get("/h/acme/").await.text().await.unwrap();
    assert!(plain.contains("Acme"));
    // The hub page (rendered once, kept with its compressed forms): the
    // first and the cached answer, in each coding, read as the plain page.
    for accept in ["br, gzip", "gzip", "br;q=0, gzip"] {
        for _ in 0..2 {
            let (status, encoding, text) = fetch_encoded(&app, "/h/acme/", accept).await;
            assert_eq!(status, 200);
            let expected = if accept.starts_with("br,") {
                "br"
            } else {
                "gzip"
            };
            assert_eq!(encoding.as_deref(), Some(expected), "{accept}");
            assert_eq!(text, plain_raw, "{accept}");
        }
    }
    let (_, encoding, _) = fetch_encoded(&app, "/h/acme/", "identity").await;
    assert_eq!(encoding, None);
    // A stylesheet and a page made for each request (the login page).
    let css = plain_raw
        .split('"')
        .find(|s| s.starts_with("/static/") && s.ends_with(".css"))
        .expect("a stylesheet link")
        .to_owned();
    let (status, encoding, text) = fetch_encoded(&app, &css, "br").await;
    assert_eq!((status, encoding.as_deref()), (200, Some("br")));
    assert!(text.contains('{'), "{text}");
    let (status, encoding, text) = fetch_encoded(&app, "/login", "gzip, br").await;
    assert_eq!((status, encoding.as_deref()), (200, Some("br")));
    assert!(text.contains("<form"), "{text}");
}
