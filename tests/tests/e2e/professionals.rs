//! The professional's side over real HTTP and real PostgreSQL: becoming a
//! professional, staying invisible to hubs until `hearth professional verify`
//! (the real binary), the profile, services and availability forms refusing
//! bad input next to the field with nothing saved, ownership of services, and
//! the photo (re-encoded to a 400×400 JPEG; other files refused).
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] fns: a failure is the test's failure"
)]

use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hearth_tenants::{Tenant, TenantTx};
use hearth_tests::browser::{csrf_of, location, Browser};
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{hearth_binary, TestApp, TestDb};
use reqwest::{Response, StatusCode};
use uuid::Uuid;

struct Env {
    app: TestApp,
    smtp: SmtpServer,
    mails: AtomicUsize,
    acme: Tenant,
}

async fn env() -> Env {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let acme = db.hub("acme", "Acme Ltd").await;
    let app = TestApp::spawn_mailing(db, &smtp).await;
    Env {
        app,
        smtp,
        mails: AtomicUsize::new(0),
        acme,
    }
}

/// The profile form's fields: good values, with `changes` applied.
fn profile<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Pia Prosser"),
        ("title", "Clinical psychologist"),
        ("kind", "psychologist"),
        ("bio", "I work with adults on anxiety and stress."),
        ("specialties", "Anxiety, Stress, anxiety"),
        ("languages", "en, is"),
        ("country", "is"),
        ("timezone", "Atlantic/Reykjavik"),
        ("buffer_minutes", "10"),
        ("min_notice_hours", "24"),
        ("horizon_days", "60"),
    ];
    for (key, value) in changes {
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = value,
            None => fields.push((key, value)),
        }
    }
    fields
}

/// The service form's fields: good values, with `changes` applied.
fn service<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Individual session"),
        ("mode", "video"),
        ("session_type", "individual"),
        ("duration_minutes", "50"),
        ("price", "120.00"),
        ("currency", "EUR"),
        ("credits", "1"),
    ];
    for (key, value) in changes {
        if let Some(field) = fields.iter_mut().find(|(k, _)| k == key) {
            field.1 = value;
        }
    }
    fields
}

/// `field`'s error is on the page, tied to its input.
fn assert_field_error(page: &str, id: &str, text: &str) {
    let at = page
        .find(&format!("<p class=\"error\" id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no error {id} on the page: {page}"));
    let message = &page[at..page[at..].find("</p>").map_or(page.len(), |e| at + e)];
    assert!(message.contains(text), "{id}: {message}");
    assert!(
        page.contains(&format!("aria-describedby=\"{id}")) || page.contains(&format!(" {id}\"")),
        "{id} is not tied to its field"
    );
}

async fn refused(r: Response) -> String {
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        location(&r)
    );
    r.text().await.unwrap()
}

fn verify_command(db_url: &str, args: &[&str]) -> Output {
    std::process::Command::new(hearth_binary())
        .arg("professional")
        .args(args)
        .env("DATABASE_URL", db_url)
        .output()
        .unwrap()
}

impl Env {
    /// A new onboarded user (through the forms), with their own browser.
    async fn user(&self, name: &str, email: &str) -> Browser {
        let browser = Browser::new(self.app.address.clone());
        let n = self.mails.fetch_add(1, Ordering::SeqCst) + 1;
        let landed = browser.onboard(&self.smtp, name, email, n).await;
        assert_eq!(landed, "/dashboard");
        browser
    }

    /// A new user who has become a professional through `/pro/profile`.
    async fn professional(&self, name: &str, email: &str) -> Browser {
        let browser = self.user(name, email).await;
        let r = browser
            .submit("/pro/profile", "/pro/profile", &profile(&[("name", name)]))
            .await;
        assert_eq!(location(&r), "/pro/profile?done=created");
        browser
    }

    async fn user_id(&self, email: &str) -> Uuid {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.app.db.pool)
            .await
            .unwrap()
    }

    async fn count(&self, sql: &str, id: Uuid) -> i64 {
        sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(&self.app.db.pool)
            .await
            .unwrap()
    }

    /// The acme hub page as an anonymous visitor sees it.
    async fn hub_page(&self) -> String {
        Browser::new(self.app.address.clone())
            .page("/h/acme/")
            .await
    }

    /// Uploads `bytes` as the profile photo.
    async fn upload(&self, browser: &Browser, file_name: &str, bytes: Vec<u8>) -> Response {
        let token = csrf_of(&browser.page("/pro/profile").await);
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str("image/png")
            .unwrap();
        browser
            .client
            .post(format!("{}/pro/profile/photo?csrf={token}", browser.base))
            .multipart(reqwest::multipart::Form::new().part("photo", part))
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_professional_is_invisible_to_hubs_until_an_operator_verifies_them() {
    let env = env().await;
    let pia = env.user("Pia Prosser", "pia@pro.test").await;

    // Without a professional profile, the dashboard sends them to create one.
    assert_eq!(location(&pia.get("/pro").await), "/pro/profile");
    let page = pia.page("/pro/profile").await;
    assert!(page.contains("Become a professional"), "{page}");

    let r = pia
        .submit("/pro/profile", "/pro/profile", &profile(&[]))
        .await;
    assert_eq!(location(&r), "/pro/profile?done=created");
    let page = pia.page("/pro/profile?done=created").await;
    assert!(page.contains(
        "Your profile is waiting for verification. Clients and hubs will see you once Hearth has verified it."
    ));
    let id = env.user_id("pia@pro.test").await;
    let (verified, specialties, country, notice): (bool, Vec<String>, String, i32) =
        sqlx::query_as(
            "SELECT verified_at IS NOT NULL, specialties, country, min_notice_minutes \
             FROM professionals WHERE user_id = $1",
        )
        .bind(id)
        .fetch_one(&env.app.db.pool)
        .await
        .unwrap();
    assert!(!verified);
    assert_eq!(specialties, ["Anxiety", "Stress"]);
    assert_eq!(country, "IS");
    assert_eq!(notice, 24 * 60);
    // The dashboard shows them where they stand.
    let dashboard = pia.page("/pro").await;
    assert!(dashboard.contains("waiting for verification"));
    assert!(dashboard.contains("Add a service"));

    // On acme's roster, yet not on its page.
    let mut tx = TenantTx::begin(&env.app.db.pool, &env.acme).await.unwrap();
    sqlx::query("INSERT INTO roster (professional_id) VALUES ($1)")
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    hearth_tests::fixtures::by_hand(&mut tx).await;
    tx.commit().await.unwrap();
    let hub = env.hub_page().await;
    assert!(hub.contains("Acme Ltd"));
    assert!(!hub.contains("Pia Prosser"), "{hub}");

    let listed = verify_command(&env.app.db.url, &["list"]);
    assert!(listed.status.success());
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("WAITING") && listed.contains("pia@pro.test"),
        "{listed}"
    );

    let out = verify_command(&env.app.db.url, &["verify", "PIA@pro.test"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("verified Pia Prosser"));

    // Hub pages are cached per node and dropped on NOTIFY: give it a moment.
    let mut shown = false;
    for _ in 0..50 {
        if env.hub_page().await.contains("Pia Prosser") {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(shown, "the verified professional is not on the hub page");

    // Verifying twice is harmless.
    let again = verify_command(&env.app.db.url, &["verify", "pia@pro.test"]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already verified"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verify_command_refuses_unknown_emails_and_accounts_without_a_profile() {
    let env = env().await;
    let out = verify_command(&env.app.db.url, &["verify", "nobody@nowhere.test"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no account has the email 'nobody@nowhere.test'"),
        "{stderr}"
    );

    env.user("Carl Client", "carl@client.test").await;
    let out = verify_command(&env.app.db.url, &["verify", "carl@client.test"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no professional profile"), "{stderr}");
    let made: i64 = sqlx::query_scalar("SELECT count(*) FROM professionals")
        .fetch_one(&env.app.db.pool)
        .await
        .unwrap();
    assert_eq!(made, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_next_to_its_field_and_nothing_is_saved() {
    let env = env().await;

    // Becoming a professional with a bad timezone creates nothing.
    let pia = env.user("Pia Prosser", "pia@pro.test").await;
    let id = env.user_id("pia@pro.test").await;
    let page = refused(
        pia.submit(
            "/pro/profile",
            "/pro/profile",
            &profile(&[("timezone", "Mars/Olympus_Mons")]),
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-timezone", "Choose your timezone");
    assert!(page.contains("Nothing was saved"));
    assert_eq!(
        env.count("SELECT count(*) FROM professionals WHERE user_id = $1", id)
            .await,
        0
    );
    let r = pia
        .submit("/pro/profile", "/pro/profile", &profile(&[]))
        .await;
    assert_eq!(location(&r), "/pro/profile?done=created");

    // An edit with one bad field changes nothing, not even the good fields.
    let page = refused(
        pia.submit(
            "/pro/profile",
            "/pro/profile",
            &profile(&[
                ("name", "Pia Renamed"),
                ("title", "Coach"),
                ("country", "XX"),
                ("specialties", &"x".repeat(41)),
            ]),
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-country", "two-letter code");
    assert_field_error(&page, "e-specialties", "at most 40 characters");
    // The form shows what was typed, to correct it.
    assert!(page.contains("value=\"Pia Renamed\""));
    let (name, title): (String, String) = sqlx::query_as(
        "SELECT u.name, p.title FROM users u JOIN professionals p ON p.user_id = u.id WHERE u.id = $1",
    )
    .bind(id)
    .fetch_one(&env.app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), title.as_str()),
        ("Pia Prosser", "Clinical psychologist")
    );

    // Services: a 5-minute session, a price that is not one.
    let services = "SELECT count(*) FROM services WHERE professional_id = $1";
    let page = refused(
        pia.submit(
            "/pro/services",
            "/pro/services",
            &service(&[("duration_minutes", "5")]),
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-duration_minutes", "from 10 to 480");
    let page = refused(
        pia.submit(
            "/pro/services",
            "/pro/services",
            &service(&[("price", "abc")]),
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-price", "Enter a price like 120.00");
    assert_eq!(env.count(services, id).await, 0);
    let r = pia
        .submit("/pro/services", "/pro/services", &service(&[]))
        .await;
    assert_eq!(location(&r), "/pro/services?done=created");
    let (cents, currency): (i64, String) =
        sqlx::query_as("SELECT price_minor, currency FROM services WHERE professional_id = $1")
            .bind(id)
            .fetch_one(&env.app.db.pool)
            .await
            .unwrap();
    assert_eq!((cents, currency.as_str()), (12_000, "EUR"));
    // Krónur have no decimals: "12.500" is twelve thousand five hundred, and
    // a fraction of a króna is refused by its field.
    let page = refused(
        pia.submit(
            "/pro/services",
            "/pro/services",
            &service(&[("name", "Viðtal"), ("price", "12,5"), ("currency", "ISK")]),
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-price", "Prices in ISK have no decimals");
    let r = pia
        .submit(
            "/pro/services",
            "/pro/services",
            &service(&[("name", "Viðtal"), ("price", "12.500"), ("currency", "ISK")]),
        )
        .await;
    assert_eq!(location(&r), "/pro/services?done=created");
    let isk: i64 = sqlx::query_scalar(
        "SELECT price_minor FROM services WHERE professional_id = $1 AND currency = 'ISK'",
    )
    .bind(id)
    .fetch_one(&env.app.db.pool)
    .await
    .unwrap();
    assert_eq!(isk, 12_500, "whole krónur");
    let page = pia.page("/pro/services").await;
    assert!(
        page.contains("€120.00") && page.contains("ISK\u{a0}12,500"),
        "prices as English writes them: {page}"
    );
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(id)
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    let page = pia.page("/pro/services").await;
    assert!(
        page.contains("120,00\u{a0}€") && page.contains("12.500\u{a0}kr."),
        "prices as Icelandic writes them: {page}"
    );
    sqlx::query("UPDATE users SET language = 'en' WHERE id = $1")
        .bind(id)
        .execute(&env.app.db.pool)
        .await
        .unwrap();

    // Weekly hours: backwards, then overlapping what is there.
    let rules = "SELECT count(*) FROM availability_rules WHERE professional_id = $1";
    let add_rule = |weekday: &'static str, start: &'static str, end: &'static str| {
        let pia = pia.clone();
        async move {
            pia.submit(
                "/pro/availability",
                "/pro/availability/rules",
                &[("weekday", weekday), ("start", start), ("end", end)],
            )
            .await
        }
    };
    let page = refused(add_rule("1", "17:00", "09:00").await).await;
    assert_field_error(&page, "re-end", "later than the start");
    assert_eq!(env.count(rules, id).await, 0);
    assert_eq!(
        location(&add_rule("1", "09:00", "12:00").await),
        "/pro/availability?done=rule"
    );
    let page = refused(add_rule("1", "11:00", "13:00").await).await;
    assert_field_error(
        &page,
        "re-start",
        "overlap your hours on Monday from 09:00 to 12:00",
    );
    assert_eq!(env.count(rules, id).await, 1);
    // Back to back is not an overlap; another weekday is another day.
    assert_eq!(
        location(&add_rule("1", "12:00", "13:00").await),
        "/pro/availability?done=rule"
    );
    assert_eq!(
        location(&add_rule("2", "11:00", "13:00").await),
        "/pro/availability?done=rule"
    );
    assert_eq!(env.count(rules, id).await, 3);
    let page = pia.page("/pro/availability").await;
    assert!(page.contains("Atlantic&#x2F;Reykjavik") || page.contains("Atlantic/Reykjavik"));
    assert!(page.contains("09:00–12:00") && page.contains("12:00–13:00"));

    // Exceptions: extra hours need times.
    let soon: String = sqlx::query_scalar("SELECT to_char(current_date + 10, 'YYYY-MM-DD')")
        .fetch_one(&env.app.db.pool)
        .await
        .unwrap();
    let exceptions = "SELECT count(*) FROM availability_exceptions WHERE professional_id = $1";
    let page = refused(
        pia.submit(
            "/pro/availability",
            "/pro/availability/exceptions",
            &[
                ("day", &soon),
                ("kind", "extra"),
                ("start", ""),
                ("end", ""),
            ],
        )
        .await,
    )
    .await;
    assert_field_error(&page, "xe-start", "need a start and an end time");
    assert!(!page.contains("id=\"xe-day\""), "only the times are wrong");
    assert_eq!(env.count(exceptions, id).await, 0);
    let r = pia
        .submit(
            "/pro/availability",
            "/pro/availability/exceptions",
            &[("day", &soon), ("kind", "off"), ("start", ""), ("end", "")],
        )
        .await;
    assert_eq!(location(&r), "/pro/availability?done=exception");
    assert_eq!(env.count(exceptions, id).await, 1);
    assert!(pia.page("/pro/availability").await.contains("day off"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_professional_cannot_see_or_change_anothers_service() {
    let env = env().await;
    let anna = env.professional("Anna Owner", "anna@pro.test").await;
    let r = anna
        .submit(
            "/pro/services",
            "/pro/services",
            &service(&[("name", "Anna's deep dive")]),
        )
        .await;
    assert_eq!(location(&r), "/pro/services?done=created");
    let anna_id = env.user_id("anna@pro.test").await;
    let service_id: Uuid = sqlx::query_scalar("SELECT id FROM services WHERE professional_id = $1")
        .bind(anna_id)
        .fetch_one(&env.app.db.pool)
        .await
        .unwrap();
    // Her own edit page works.
    assert!(anna
        .page(&format!("/pro/services/{service_id}"))
        .await
        .contains("Anna&#x27;s deep dive"));

    let ben = env.professional("Ben Other", "ben@pro.test").await;
    assert!(!ben.page("/pro/services").await.contains("deep dive"));
    assert_eq!(
        ben.get(&format!("/pro/services/{service_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let token = csrf_of(&ben.page("/pro/services").await);
    let r = ben
        .post(
            &format!("/pro/services/{service_id}"),
            &token,
            &service(&[("name", "Stolen"), ("price", "1.00")]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = ben
        .post(&format!("/pro/services/{service_id}/archive"), &token, &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (name, cents, active): (String, i64, bool) =
        sqlx::query_as("SELECT name, price_minor, active FROM services WHERE id = $1")
            .bind(service_id)
            .fetch_one(&env.app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (name.as_str(), cents, active),
        ("Anna's deep dive", 12_000, true)
    );

    // Nor her hours.
    let rule_id: i64 = {
        let r = anna
            .submit(
                "/pro/availability",
                "/pro/availability/rules",
                &[("weekday", "3"), ("start", "09:00"), ("end", "17:00")],
            )
            .await;
        assert_eq!(location(&r), "/pro/availability?done=rule");
        sqlx::query_scalar("SELECT id FROM availability_rules WHERE professional_id = $1")
            .bind(anna_id)
            .fetch_one(&env.app.db.pool)
            .await
            .unwrap()
    };
    let r = ben
        .post(
            &format!("/pro/availability/rules/{rule_id}/delete"),
            &token,
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        env.count(
            "SELECT count(*) FROM availability_rules WHERE professional_id = $1",
            anna_id
        )
        .await,
        1
    );

    // Her own archive works, and the service stays for the record.
    let token = csrf_of(&anna.page("/pro/services").await);
    let r = anna
        .post(&format!("/pro/services/{service_id}/archive"), &token, &[])
        .await;
    assert_eq!(location(&r), "/pro/services?done=archived");
    let active: bool = sqlx::query_scalar("SELECT active FROM services WHERE id = $1")
        .bind(service_id)
        .fetch_one(&env.app.db.pool)
        .await
        .unwrap();
    assert!(!active);
}

/// A PNG of `w`×`h`.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([(x % 256) as u8, 120, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The (width, height) in a JPEG's start-of-frame segment.
fn jpeg_size(bytes: &[u8]) -> (u16, u16) {
    assert!(bytes.starts_with(&[0xff, 0xd8]), "not a JPEG");
    let mut at = 2;
    while at + 9 < bytes.len() {
        assert_eq!(bytes[at], 0xff, "bad JPEG marker at {at}");
        let marker = bytes[at + 1];
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if matches!(marker, 0xc0..=0xc3) {
            let h = u16::from_be_bytes([bytes[at + 5], bytes[at + 6]]);
            let w = u16::from_be_bytes([bytes[at + 7], bytes[at + 8]]);
            return (w, h);
        }
        at += 2 + len;
    }
    panic!("no frame header in the JPEG");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_is_stored_as_a_400px_square_jpeg_and_shown_once_verified() {
    let env = env().await;
    let pia = env.professional("Pia Prosser", "pia@pro.test").await;
    let id = env.user_id("pia@pro.test").await;

    let r = env.upload(&pia, "me.png", png(900, 600)).await;
    assert_eq!(location(&r), "/pro/profile?done=photo");
    let (photo, photo_type): (Vec<u8>, String) =
        sqlx::query_as("SELECT photo, photo_type FROM professionals WHERE user_id = $1")
            .bind(id)
            .fetch_one(&env.app.db.pool)
            .await
            .unwrap();
    assert_eq!(photo_type, "image/jpeg");
    assert_eq!(jpeg_size(&photo), (400, 400));
    // The professional sees their own photo; nobody else does yet.
    let own = pia.get("/pro/profile/photo").await;
    assert_eq!(own.status(), StatusCode::OK);
    let public_url = format!("/professionals/{id}/photo");
    let stranger = Browser::new(env.app.address.clone());
    assert_eq!(
        stranger.get(&public_url).await.status(),
        StatusCode::NOT_FOUND
    );

    // A text file named .png, and a file over 2 MB, are refused; the photo stays.
    let page = refused(
        env.upload(&pia, "me.png", b"not an image at all".to_vec())
            .await,
    )
    .await;
    assert_field_error(&page, "e-photo", "Upload a PNG or JPEG photo.");
    let mut huge = png(10, 10);
    huge.resize(2 * 1024 * 1024 + 10, 0);
    let page = refused(env.upload(&pia, "huge.png", huge).await).await;
    assert_field_error(&page, "e-photo", "larger than 2 MB");
    let mut bigger = png(10, 10);
    bigger.resize(5 * 1024 * 1024, 0);
    let page = refused(env.upload(&pia, "bigger.png", bigger).await).await;
    assert_field_error(&page, "e-photo", "larger than 2 MB");
    let still: Vec<u8> = sqlx::query_scalar("SELECT photo FROM professionals WHERE user_id = $1")
        .bind(id)
        .fetch_one(&env.app.db.pool)
        .await
        .unwrap();
    assert_eq!(still, photo);

    // Once verified, anyone sees it, as a JPEG that cannot be sniffed as anything else.
    let out = verify_command(&env.app.db.url, &["verify", "pia@pro.test"]);
    assert!(out.status.success());
    let served = stranger.get(&public_url).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.headers()["cache-control"], "public, max-age=300");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert_eq!(served.bytes().await.unwrap().to_vec(), photo);
    // Someone without a photo, and a made-up id, are not found.
    assert_eq!(
        stranger
            .get(&format!("/professionals/{}/photo", Uuid::new_v4()))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .get("/professionals/not-a-uuid/photo")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let token = csrf_of(&pia.page("/pro/profile").await);
    let r = pia.post("/pro/profile/photo/remove", &token, &[]).await;
    assert_eq!(location(&r), "/pro/profile?done=photo_removed");
    assert_eq!(
        stranger.get(&public_url).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_professionals_have_services_and_hours_to_book_right_away() {
    let db = Arc::new(TestDb::new().await);
    hearth_admin::demo::seed(&db.pool, &hearth_tenants::TenantMigrator::embedded())
        .await
        .unwrap();
    let app = TestApp::spawn_on(db).await;
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT u.email, p.kind, p.timezone, \
           (SELECT count(*) FROM services s WHERE s.professional_id = p.user_id AND s.active AND s.credits >= 1), \
           (SELECT count(*) FROM availability_rules r WHERE r.professional_id = p.user_id \
              AND r.weekday BETWEEN 1 AND 5 AND r.start_time = '09:00' AND r.end_time = '17:00') \
         FROM professionals p JOIN users u ON u.id = p.user_id \
         WHERE p.verified_at IS NOT NULL ORDER BY u.email",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 4);
    for (email, kind, timezone, services, weekdays) in &rows {
        assert!(!kind.is_empty(), "{email}");
        assert_ne!(timezone, "UTC", "{email}");
        assert!(*services >= 1, "{email} has nothing to book");
        assert_eq!(*weekdays, 5, "{email} is not there Monday to Friday");
    }
    let couples: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM services WHERE session_type = 'couples' \
         AND duration_minutes = 80 AND credits = 2",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(couples >= 1);

    // Anna logs in to a practice that is ready.
    let anna = Browser::new(app.address.clone());
    let r = anna
        .submit(
            "/login",
            "/login",
            &[
                ("email", "anna@pro.example"),
                ("password", hearth_admin::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Demo accounts accept the terms on their first visit, like everyone.
    let r = anna.submit("/terms", "/terms", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let dashboard = anna.page("/pro").await;
    assert!(dashboard.contains("Your profile is verified"));
    assert!(!dashboard.contains("Before clients can book you"));
    let hours = anna.page("/pro/availability").await;
    assert!(hours.contains("Atlantic&#x2F;Reykjavik") && hours.contains("09:00–17:00"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_professional_who_chose_icelandic_gets_the_errors_notices_and_dates_in_icelandic() {
    let env = env().await;
    let pia = env.professional("Pia Prosser", "pia@pro.test").await;
    let id = env.user_id("pia@pro.test").await;
    let short = service(&[("duration_minutes", "5")]);

    // In English, as before.
    let page = refused(pia.submit("/pro/services", "/pro/services", &short).await).await;
    assert_field_error(
        &page,
        "e-duration_minutes",
        "Enter a whole number from 10 to 480.",
    );

    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(id)
        .execute(&env.app.db.pool)
        .await
        .unwrap();

    // Services: the error and the choices.
    let page = refused(pia.submit("/pro/services", "/pro/services", &short).await).await;
    assert_field_error(
        &page,
        "e-duration_minutes",
        "Sláðu inn heila tölu frá 10 til 480.",
    );
    assert!(!page.contains("Enter a whole number"), "{page}");
    assert!(page.contains(">Myndsímtal</option>") && page.contains(">Par</option>"));

    // The profile: every error in Icelandic, plurals included.
    let long_bio = "x".repeat(4001);
    let page = refused(
        pia.submit(
            "/pro/profile",
            "/pro/profile",
            &profile(&[("name", " "), ("bio", &long_bio), ("country", "XX")]),
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-name", "Sláðu inn nafnið þitt.");
    assert_field_error(&page, "e-bio", "Notaðu mest 4000 stafi.");
    assert_field_error(&page, "e-country", "tveggja stafa landskóða");
    assert!(page.contains(">Sálfræðingur</option>"), "{page}");
    let r = pia
        .submit(
            "/pro/profile",
            "/pro/profile",
            &profile(&[("name", "Pia Prosser")]),
        )
        .await;
    assert_eq!(location(&r), "/pro/profile?done=saved");
    let page = pia.page("/pro/profile?done=saved").await;
    assert!(page.contains("Prófíllinn þinn hefur verið vistaður."));

    // The photo.
    let page = refused(
        env.upload(&pia, "photo.png", b"not a picture at all".to_vec())
            .await,
    )
    .await;
    assert_field_error(&page, "e-photo", "Hladdu upp mynd á PNG- eða JPEG-sniði.");

    // Weekly hours: the days by their Icelandic names, the overlap named too.
    let add_rule = |start: &'static str, end: &'static str| {
        let pia = pia.clone();
        async move {
            pia.submit(
                "/pro/availability",
                "/pro/availability/rules",
                &[("weekday", "1"), ("start", start), ("end", end)],
            )
            .await
        }
    };
    assert_eq!(
        location(&add_rule("09:00", "12:00").await),
        "/pro/availability?done=rule"
    );
    let page = pia.page("/pro/availability?done=rule").await;
    assert!(page.contains("Tímunum hefur verið bætt við."), "{page}");
    assert!(page.contains("<th scope=\"row\">mánudagur</th>"), "{page}");
    let page = refused(add_rule("11:00", "13:00").await).await;
    assert_field_error(&page, "re-start", "mánudagur frá 09:00 til 12:00");

    // A day off, labelled with an Icelandic date.
    let soon: chrono::NaiveDate = sqlx::query_scalar("SELECT current_date + 10")
        .fetch_one(&env.app.db.pool)
        .await
        .unwrap();
    let r = pia
        .submit(
            "/pro/availability",
            "/pro/availability/exceptions",
            &[
                ("day", &soon.to_string()),
                ("kind", "off"),
                ("start", ""),
                ("end", ""),
            ],
        )
        .await;
    assert_eq!(location(&r), "/pro/availability?done=exception");
    let page = pia.page("/pro/availability").await;
    assert!(
        page.contains(&format!(
            "<strong>{}</strong>",
            hearth_tests::fixtures::icelandic_date(soon)
        )),
        "{page}"
    );
}
