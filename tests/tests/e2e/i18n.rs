//! Pages in the visitor's language: the signed-in user's choice, else the
//! browser's `Accept-Language`, else the hub's default, else English.

use std::sync::Arc;

use hearth_tenants::TenantTx;
use hearth_tests::browser::Browser;
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};

/// GET `path` on the platform host, the browser asking for `accept` (if any).
async fn page(app: &TestApp, host: Option<&str>, path: &str, accept: Option<&str>) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut req = client.get(format!("{}{path}", app.address));
    if let Some(host) = host {
        req = req.header("host", host);
    }
    if let Some(accept) = accept {
        req = req.header("accept-language", accept);
    }
    let r = req.send().await.expect("GET");
    assert_eq!(r.status(), 200, "GET {path}");
    r.text().await.expect("body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_icelandic_browser_gets_icelandic_login_and_signup_pages() {
    let app = TestApp::spawn().await;

    let login = page(&app, None, "/login", Some("is-IS,is;q=0.9,en;q=0.5")).await;
    assert!(login.contains("<html lang=\"is\">"), "{login}");
    assert!(login.contains("<h1>Skrá inn</h1>"), "{login}");
    assert!(login.contains("Gleymdirðu lykilorðinu?"));
    assert!(login.contains(">Netfang</label>"));
    assert!(!login.contains("Forgot your password?"));

    let signup = page(&app, None, "/signup", Some("is")).await;
    assert!(signup.contains("<html lang=\"is\">"));
    assert!(signup.contains("Stofnaðu aðganginn þinn"));
    assert!(signup.contains(">Nafnið þitt</label>"), "{signup}");
    assert!(signup.contains(">Stofna aðgang</button>"));
    assert!(!signup.contains("Create your account"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_english_browser_or_one_asking_for_neither_language_gets_english() {
    let app = TestApp::spawn().await;
    for accept in [Some("en-GB,en;q=0.9"), Some("de-DE,fr;q=0.8"), None] {
        let login = page(&app, None, "/login", accept).await;
        assert!(login.contains("<html lang=\"en\">"), "{accept:?}");
        assert!(login.contains("<h1>Log in</h1>"), "{accept:?}");
        assert!(login.contains("Forgot your password?"));
        let signup = page(&app, None, "/signup", accept).await;
        assert!(signup.contains("Create your account"));
        assert!(signup.contains(">Create Account</button>"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_chose_icelandic_gets_it_whatever_the_browser_says() {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_mailing(db.clone(), &smtp).await;
    let browser = Browser::new(app.address.clone());
    browser
        .onboard(&smtp, "Sigrún", "sigrun@example.is", 1)
        .await;

    let english = |b: &Browser| {
        let b = b.clone();
        async move {
            b.client
                .get(format!("{}/account/password", b.base))
                .header("accept-language", "en-US,en;q=0.9")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let before = english(&browser).await;
    assert!(before.contains("<h1>Change password</h1>"), "{before}");

    sqlx::query("UPDATE users SET language = 'is' WHERE email = 'sigrun@example.is'")
        .execute(&db.pool)
        .await
        .unwrap();
    let after = english(&browser).await;
    assert!(after.contains("<html lang=\"is\">"), "{after}");
    assert!(after.contains("<h1>Breyta lykilorði</h1>"), "{after}");
    assert!(after.contains(">Núverandi lykilorð</label>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_icelandic_hub_speaks_icelandic_to_a_browser_that_states_no_language() {
    let db = Arc::new(TestDb::new().await);
    let hub = db.hub("acme", "Acme").await;
    db.hub("globex", "Globex").await;
    let mut tx = TenantTx::begin(&db.pool, &hub).await.unwrap();
    sqlx::query("UPDATE hub_settings SET default_language = 'is'")
        .execute(&mut *tx)
        .await
        .unwrap();
    hearth_tests::fixtures::by_hand(&mut tx).await;
    tx.commit().await.unwrap();
    let app = TestApp::spawn_on(db.clone()).await;
    let acme = Some("acme.hearth.localhost");

    let login = page(&app, acme, "/login", None).await;
    assert!(login.contains("<html lang=\"is\">"), "{login}");
    assert!(login.contains("<h1>Skrá inn</h1>"));
    let signup = page(&app, acme, "/signup", None).await;
    assert!(
        signup.contains("Stofnaðu aðgang til að fá inneignina þína hjá Acme."),
        "{signup}"
    );

    // The browser's stated language comes before the hub's default.
    let login = page(&app, acme, "/login", Some("en")).await;
    assert!(login.contains("<h1>Log in</h1>"));
    // Another hub keeps its own default, English.
    let login = page(&app, Some("globex.hearth.localhost"), "/login", None).await;
    assert!(login.contains("<html lang=\"en\">"));
    assert!(login.contains("<h1>Log in</h1>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_error_is_shown_in_the_visitors_language() {
    let app = TestApp::spawn().await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", "is".parse().unwrap());
    let browser = Browser {
        base: app.address.clone(),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .default_headers(headers)
            .build()
            .unwrap(),
    };
    let r = browser
        .submit(
            "/signup",
            "/signup",
            &[
                ("name", ""),
                ("email", "anna@example.is"),
                ("password", "x"),
            ],
        )
        .await;
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Sláðu inn nafnið þitt (mest 200 stafir)."),
        "{page}"
    );
    assert!(!page.contains("Enter your name"));
    let r = browser
        .submit(
            "/login",
            "/login",
            &[
                ("email", "nobody@example.is"),
                ("password", "wrong-password-1"),
            ],
        )
        .await;
    let page = r.text().await.unwrap();
    assert!(page.contains("Rangt netfang eða lykilorð."), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_chose_icelandic_sees_the_dashboard_and_notifications_in_icelandic() {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_mailing(db.clone(), &smtp).await;
    let browser = Browser::new(app.address.clone());
    browser
        .onboard(&smtp, "Sigrún", "sigrun@example.is", 1)
        .await;
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, link) \
         SELECT id, 'booking_confirmed', 'Tími bókaður', '' FROM users WHERE email = 'sigrun@example.is'",
    )
    .execute(&db.pool)
    .await
    .unwrap();

    let home = browser.page("/dashboard").await;
    assert!(home.contains("<h1>Hello, Sigrún</h1>"), "{home}");
    assert!(home.contains(">Upcoming appointments<"));

    sqlx::query("UPDATE users SET language = 'is' WHERE email = 'sigrun@example.is'")
        .execute(&db.pool)
        .await
        .unwrap();
    let home = browser.page("/dashboard").await;
    assert!(home.contains("<html lang=\"is\">"), "{home}");
    assert!(home.contains("<h1>Halló, Sigrún</h1>"), "{home}");
    assert!(home.contains(">Heim</a>"), "{home}");
    assert!(home.contains(">Tímar framundan<"), "{home}");
    assert!(home.contains(">Skrá út</button>"), "{home}");
    assert!(!home.contains("Upcoming appointments"), "{home}");

    let notes = browser.page("/notifications").await;
    assert!(notes.contains("<h1>Tilkynningar</h1>"), "{notes}");
    assert!(notes.contains("1 ólesin"), "{notes}");
    assert!(notes.contains(">Merkja allt sem lesið<"), "{notes}");
    assert!(notes.contains("Tími bókaður"), "{notes}");
    assert!(!notes.contains("Mark all as read"), "{notes}");
}

/// GET or POST `path` with the browser asking for `accept`: status and body.
async fn fetch(app: &TestApp, post: bool, path: &str, accept: &str) -> (u16, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let url = format!("{}{path}", app.address);
    let req = if post {
        client.post(url).form(&[("email", "x@example.com")])
    } else {
        client.get(url)
    };
    let r = req
        .header("accept-language", accept)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body").replace("&#x2F;", "/"))
}

async fn demo_app() -> TestApp {
    let db = Arc::new(TestDb::new().await);
    hearth_admin::demo::seed(&db.pool, &hearth_tenants::TenantMigrator::embedded())
        .await
        .expect("demo data");
    TestApp::spawn_on(db).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_page_speaks_the_visitors_language_down_to_the_names_of_languages_and_sessions() {
    let app = demo_app().await;
    // Twice each, alternating: the page kept for anonymous visitors is kept per language.
    for _ in 0..2 {
        let (status, is) = fetch(&app, false, "/h/acme/", "is").await;
        assert_eq!(status, 200);
        assert!(is.contains("<html lang=\"is\">"));
        assert!(
            is.contains("<title>Acme Ltd · Vellíðunarmiðstöð</title>"),
            "{is}"
        );
        assert!(is.contains("<h1 id=\"hub-title\">Vellíðunarmiðstöð Acme Ltd</h1>"));
        assert!(is.contains("<strong>6 inneignir á ári</strong> fyrir hvern starfsmann"));
        assert!(is.contains(">Stofna aðgang til að fá inneignina þína</a>"));
        assert!(is.contains(">Sérfræðingarnir okkar</h2>"));
        assert!(is.contains("4 sérfræðingar"));
        assert!(is.contains("Íslenska, Enska"), "language names: {is}");
        assert!(
            is.contains(">Myndsímtal<") || is.contains("Myndsímtal,"),
            "{is}"
        );
        assert!(is.contains(">Fara beint í efni</a>"));
        assert!(is.contains("Keyrt á Hearth"));
        for english in [
            "Our professionals",
            "Wellbeing Hub",
            "credits per year",
            "Skip to content",
            "Icelandic",
        ] {
            assert!(!is.contains(english), "{english} on the Icelandic page");
        }
        let (_, en) = fetch(&app, false, "/h/acme/", "en").await;
        assert!(en.contains("<h1 id=\"hub-title\">Acme Ltd Wellbeing Hub</h1>"));
        assert!(en.contains("<strong>6 credits per year</strong> for every employee"));
        assert!(en.contains("Icelandic, English"));
        assert!(en.contains(">Skip to content</a>"));
        assert!(!en.contains("Sérfræðingarnir okkar"));
    }
    // Filters, counts and the empty state.
    let (_, none) = fetch(&app, false, "/h/acme/?language=zh", "is").await;
    assert!(
        none.contains("0 sérfræðingar passa við síurnar þínar"),
        "{none}"
    );
    assert!(none.contains("Engir sérfræðingar passa við þessar síur."));
    assert!(none.contains(">Hreinsa síur</a> til að sjá alla 4."));
    let (_, none) = fetch(&app, false, "/h/acme/?language=zh", "en").await;
    assert!(none.contains("0 professionals match your filters"));
    assert!(none.contains(">Clear filters</a> to see all 4."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_pages_wear_the_hubs_theme_and_speak_the_visitors_language() {
    let app = demo_app().await;

    // Not found, on a hub: its name and colours, nothing of the other hub's.
    let (status, en) = fetch(&app, false, "/h/acme/no-such-page", "en").await;
    assert_eq!(status, 404);
    assert!(en.contains("We could not find that page."), "{en}");
    assert!(en.contains("Acme Ltd") && en.contains("#1f6f5c"), "{en}");
    assert!(en.contains("href=\"/h/acme/\""));
    assert!(!en.contains("Globex") && !en.contains("#5b3fa6"));
    let (status, is) = fetch(&app, false, "/h/acme/no-such-page", "is").await;
    assert_eq!(status, 404);
    assert!(is.contains("<html lang=\"is\">"));
    assert!(is.contains("Við fundum ekki þessa síðu."), "{is}");
    assert!(is.contains(">Fara á forsíðuna</a>"));
    let (_, globex) = fetch(&app, false, "/h/globex/no-such-page", "en").await;
    assert!(globex.contains("Globex Corporation") && globex.contains("#5b3fa6"));
    assert!(!globex.contains("Acme"));

    // A form without its CSRF token.
    let (status, is) = fetch(&app, true, "/h/acme/login", "is").await;
    assert_eq!(status, 403);
    assert!(is.contains("Þetta eyðublað er útrunnið"), "{is}");
    assert!(is.contains("Acme Ltd"));
    let (_, en) = fetch(&app, true, "/login", "en").await;
    assert!(en.contains("This form has expired or did not come from this site."));

    // Forbidden: an employee at the HR settings.
    let employee = Browser::new(format!("{}/h/acme", app.address));
    let r = employee
        .submit(
            "/login",
            "/login",
            &[
                ("email", "employee@acme.example"),
                ("password", hearth_admin::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // The demo data's people have not accepted the terms yet.
    let r = employee.submit("/terms", "/terms", &[]).await;
    assert_eq!(r.status(), 303);
    let r = employee.get("/admin").await;
    assert_eq!(r.status(), 403);
    let body = r.text().await.expect("body");
    assert!(
        body.contains("You do not have access to this page."),
        "{body}"
    );
    assert!(body.contains("Acme Ltd") && body.contains("#1f6f5c"));

    // No hub at that address: the platform's page, in the visitor's language.
    let (status, is) = fetch(&app, false, "/h/no-such-hub/", "is").await;
    assert_eq!(status, 404);
    assert!(
        is.contains("Engin vellíðunarmiðstöð er á þessu vistfangi."),
        "{is}"
    );
    assert!(!is.contains("Acme"));
}
