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

#[tokio::test]
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

#[tokio::test]
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

#[tokio::test]
async fn a_user_who_chose_icelandic_gets_it_whatever_the_browser_says() {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let pool = db.pool.clone();
    let port = smtp.port();
    let app = TestApp::spawn_configured(db.clone(), pool, |c| {
        c.smtp_host = "127.0.0.1".into();
        c.smtp_port = port;
    })
    .await;
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

#[tokio::test]
async fn an_icelandic_hub_speaks_icelandic_to_a_browser_that_states_no_language() {
    let db = Arc::new(TestDb::new().await);
    let hub = db.hub("acme", "Acme").await;
    db.hub("globex", "Globex").await;
    let mut tx = TenantTx::begin(&db.pool, &hub).await.unwrap();
    sqlx::query("UPDATE hub_settings SET default_language = 'is'")
        .execute(&mut *tx)
        .await
        .unwrap();
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

#[tokio::test]
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

#[tokio::test]
async fn a_user_who_chose_icelandic_sees_the_dashboard_and_notifications_in_icelandic() {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let pool = db.pool.clone();
    let port = smtp.port();
    let app = TestApp::spawn_configured(db.clone(), pool, |c| {
        c.smtp_host = "127.0.0.1".into();
        c.smtp_port = port;
    })
    .await;
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
