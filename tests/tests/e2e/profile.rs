//! My Profile and Your data over real HTTP, PostgreSQL and SMTP: every field
//! round-trips and bad input is refused next to its field with nothing
//! changed; pictures are squared, replaced and removed; an email change waits
//! for the code from the new address; the export holds every record of the
//! user and none of anyone else's; deleting the account leaves their email
//! and name in no table of any schema.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] fns: a failure is the test's failure"
)]

use std::sync::Arc;
use std::time::Duration;

use hearth_tenants::{Tenant, TenantTx};
use hearth_tests::browser::{csrf_of, location, Browser, PASSWORD};
use hearth_tests::fixtures;
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};
use reqwest::{Response, StatusCode};
use uuid::Uuid;

struct World {
    app: TestApp,
    smtp: SmtpServer,
    acme: Tenant,
}

async fn world() -> World {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let acme = db.hub("acme", "Acme").await;
    let app = TestApp::spawn_mailing(db, &smtp).await;
    World { app, smtp, acme }
}

impl World {
    fn pool(&self) -> &sqlx::PgPool {
        &self.app.db.pool
    }

    /// An onboarded user with [`PASSWORD`], in `language`, and a browser logged in as them.
    async fn person(&self, email: &str, name: &str, language: &str) -> (Uuid, Browser) {
        let id = fixtures::user(self.pool(), email, name, "Atlantic/Reykjavik").await;
        let hash = hearth_core::accounts::password::hash(PASSWORD.into())
            .await
            .unwrap();
        sqlx::query("UPDATE users SET password_hash = $2, language = $3 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .bind(language)
            .execute(self.pool())
            .await
            .unwrap();
        let browser = fixtures::browser_for(self.pool(), &self.app.address, id).await;
        (id, browser)
    }

    /// Runs `sql` (any number of statements) in the hub's schema.
    async fn in_hub(&self, sql: &str) {
        let mut tx = TenantTx::begin(self.pool(), &self.acme).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }

    async fn hub_count(&self, sql: &str) -> i64 {
        let mut tx = TenantTx::begin(self.pool(), &self.acme).await.unwrap();
        let n: i64 = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        n
    }

    async fn count(&self, sql: &str, id: Uuid) -> i64 {
        sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(self.pool())
            .await
            .unwrap()
    }

    /// The emails received so far, as (to, subject, text).
    fn mails(&self) -> Vec<(String, String, String)> {
        self.smtp
            .messages()
            .iter()
            .map(|m| {
                let p = m.parsed();
                (p.to, p.subject, p.text.unwrap_or_default())
            })
            .collect()
    }

    /// Waits for the `n`-th email and returns it.
    async fn mail(&self, n: usize) -> (String, String, String) {
        self.smtp.wait_for(n, Duration::from_secs(15)).await;
        self.mails()[n - 1].clone()
    }
}

/// The profile form: good values, with `changes` applied.
fn profile<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Anna Jónsdóttir"),
        ("date_of_birth", "1988-02-29"),
        ("phone", "+354 555 1234"),
        ("address_line1", "Laugavegur 12"),
        ("address_line2", "3. hæð"),
        ("postal_code", "101"),
        ("city", "Reykjavík"),
        ("country", "Iceland"),
        ("language", "en"),
        ("timezone", "Atlantic/Reykjavik"),
    ];
    for (k, v) in changes {
        if let Some(f) = fields.iter_mut().find(|(name, _)| name == k) {
            f.1 = v;
        }
    }
    fields
}

type Row = (
    String,
    Option<chrono::NaiveDate>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
);

async fn stored(w: &World, id: Uuid) -> Row {
    sqlx::query_as(
        "SELECT name, date_of_birth, phone, address_line1, address_line2, postal_code, city, \
                country, language, timezone FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_one(w.pool())
    .await
    .unwrap()
}

/// The error paragraph `id` holds `text` and is tied to its field.
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_profile_field_round_trips_and_the_phone_is_stored_in_e164() {
    let w = world().await;
    let (anna, b) = w.person("anna@example.com", "Anna", "en").await;

    // The menu under the name leads to the profile.
    let page = b.page("/account/profile").await;
    assert!(
        page.contains("<a href=\"/account/profile\">Profile</a>"),
        "{page}"
    );
    assert!(page.contains("href=\"/account/password\""), "{page}");

    let r = b
        .submit("/account/profile", "/account/profile", &profile(&[]))
        .await;
    assert_eq!(location(&r), "/account/profile?done=saved");
    let row = stored(&w, anna).await;
    assert_eq!(
        row,
        (
            "Anna Jónsdóttir".into(),
            chrono::NaiveDate::from_ymd_opt(1988, 2, 29),
            Some("+3545551234".into()),
            Some("Laugavegur 12".into()),
            Some("3. hæð".into()),
            Some("101".into()),
            Some("Reykjavík".into()),
            Some("Iceland".into()),
            "en".into(),
            "Atlantic/Reykjavik".into(),
        )
    );
    // The form shows back what was stored.
    let page = b
        .page("/account/profile?done=saved")
        .await
        .replace("&#x2F;", "/");
    assert!(page.contains("Your profile was saved."), "{page}");
    for value in [
        "value=\"Anna Jónsdóttir\"",
        "value=\"1988-02-29\"",
        "value=\"+3545551234\"",
        "value=\"Laugavegur 12\"",
        "value=\"3. hæð\"",
        "value=\"Reykjavík\"",
        "value=\"Iceland\"",
        "<option value=\"en\" lang=\"en\" selected>",
        "<option selected>Atlantic/Reykjavik</option>",
    ] {
        assert!(page.contains(value), "{value} not on the page");
    }

    // Optional fields can be emptied again; another timezone and Icelandic stick.
    let r = b
        .submit(
            "/account/profile",
            "/account/profile",
            &profile(&[
                ("date_of_birth", ""),
                ("phone", "00 44 (20) 7946-0958"),
                ("address_line2", ""),
                ("language", "is"),
                ("timezone", "America/New_York"),
            ]),
        )
        .await;
    assert_eq!(location(&r), "/account/profile?done=saved");
    let row = stored(&w, anna).await;
    assert_eq!(row.1, None);
    assert_eq!(row.2.as_deref(), Some("+442079460958"));
    assert_eq!(row.4, None);
    assert_eq!((row.8.as_str(), row.9.as_str()), ("is", "America/New_York"));
    // From now on the pages speak Icelandic.
    let page = b.page("/account/profile?done=saved").await;
    assert!(page.contains("<html lang=\"is\">"), "{page}");
    assert!(page.contains("Prófíllinn minn"), "{page}");
    assert!(page.contains("Prófíllinn þinn var vistaður."), "{page}");
    let data = b.page("/account/data").await;
    assert!(data.contains("Eyða aðganginum mínum"), "{data}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_next_to_its_field_and_nothing_is_changed() {
    let w = world().await;
    let (anna, b) = w.person("anna@example.com", "Anna", "en").await;
    let r = b
        .submit("/account/profile", "/account/profile", &profile(&[]))
        .await;
    assert_eq!(location(&r), "/account/profile?done=saved");
    let before = stored(&w, anna).await;

    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2))
        .date_naive()
        .to_string();
    let long_city = "x".repeat(101);
    let cases: Vec<(&str, &str, &str)> = vec![
        (
            "date_of_birth",
            tomorrow.as_str(),
            "cannot be in the future",
        ),
        ("date_of_birth", "1899-12-31", "from 1900"),
        (
            "date_of_birth",
            "31/02/1990",
            "Enter a date like 1990-04-23.",
        ),
        ("phone", "555 1234", "with its country code"),
        ("phone", "+354 555 12x4", "with its country code"),
        ("phone", "+0 555 1234", "with its country code"),
        ("name", "", "Enter your name"),
        ("city", long_city.as_str(), "at most 100 characters"),
        ("language", "fr", "Choose English or Icelandic."),
        ("timezone", "Mars/Olympus_Mons", "Choose your timezone"),
    ];
    for (field, bad, message) in cases {
        // Every other field changes too: none of it may be saved.
        let fields = profile(&[
            ("name", "Someone Else"),
            ("phone", "+1 415 555 2671"),
            ("city", "Akureyri"),
            (field, bad),
        ]);
        let page = refused(
            b.submit("/account/profile", "/account/profile", &fields)
                .await,
        )
        .await;
        assert_field_error(&page, &format!("e-{field}"), message);
        assert!(
            page.contains("Nothing was saved."),
            "{field}: no summary: {page}"
        );
        // What was typed is shown again, to correct.
        assert!(page.contains("value=\"Akureyri\"") || field == "city");
        assert_eq!(stored(&w, anna).await, before, "{field} = {bad}");
    }

    // In Icelandic, the message is Icelandic.
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(anna)
        .execute(w.pool())
        .await
        .unwrap();
    let page = refused(
        b.submit(
            "/account/profile",
            "/account/profile",
            &profile(&[("phone", "5551234"), ("language", "is")]),
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-phone", "Sláðu inn númerið með landsnúmeri");
    assert!(page.contains("Ekkert var vistað."), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_icelandic_user_reads_the_profile_and_their_data_in_icelandic() {
    let w = world().await;
    let (_, b) = w.person("sigga@example.com", "Sigríður", "is").await;
    let page = b.page("/account/profile").await;
    for expected in [
        "<title>Prófíllinn minn",
        "Aðgangurinn þinn",
        "Upplýsingarnar þínar",
        "Hlaða upp mynd",
        "Engin mynd enn",
        "Fæðingardagur",
        "Heimilisfang",
        "Tungumál og tími",
        "Netfangið þitt er",
        "Breyta lykilorðinu",
    ] {
        assert!(page.contains(expected), "{expected} missing: {page}");
    }
    for english in [
        "Your details",
        "Upload a picture",
        "Date of birth",
        "Optional.",
    ] {
        assert!(!page.contains(english), "{english} is English: {page}");
    }

    // Field errors, with their numbers, are Icelandic too.
    let long_city = "x".repeat(101);
    let page = refused(
        b.submit(
            "/account/profile",
            "/account/profile",
            &profile(&[
                ("phone", "+354 555 12x4"),
                ("city", long_city.as_str()),
                ("language", "is"),
            ]),
        )
        .await,
    )
    .await;
    assert_field_error(
        &page,
        "e-phone",
        "Sláðu inn númerið með landsnúmeri, t.d. +354 555 1234.",
    );
    assert_field_error(&page, "e-city", "Notaðu mest 100 stafi.");
    assert!(page.contains("Ekkert var vistað."), "{page}");
    let page = refused(upload(&b, "me.png", b"not an image at all".to_vec()).await).await;
    assert_field_error(&page, "e-photo", "Hladdu upp PNG- eða JPEG-mynd.");
    let page = refused(
        b.submit(
            "/account/profile",
            "/account/email",
            &[
                ("new_email", "sigga@example.com"),
                ("email_password", PASSWORD),
            ],
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-new_email", "Þetta er nú þegar netfangið þitt.");

    // Your data, its summary and the refusal to delete without the password.
    let data = b.page("/account/data").await;
    for expected in ["<title>Gögnin þín", "Sækja gögnin þín", "Sækja sem JSON"] {
        assert!(data.contains(expected), "{expected} missing: {data}");
    }
    let page = refused(
        b.submit("/account/data", "/account/delete", &[("password", "nope")])
            .await,
    )
    .await;
    assert_field_error(
        &page,
        "e-password",
        "Þetta er ekki núverandi lykilorðið þitt.",
    );
    let summary = b.page("/account/data.html").await;
    for expected in [
        "<html lang=\"is\">",
        "Gögnin þín: Sigríður",
        "Búið til",
        "Notaðu prentskipun vafrans",
        "<dt>Netfang</dt><dd>sigga@example.com</dd>",
        "<dt>Starfsmaður kerfisins</dt><dd>Nei</dd>",
        "<h2>Innskráningar</h2>",
    ] {
        assert!(summary.contains(expected), "{expected} missing: {summary}");
    }

    // An English user's pages stay as they were.
    let (_, en) = w.person("anna@example.com", "Anna", "en").await;
    let page = en.page("/account/profile").await;
    for expected in [
        "<title>My Profile",
        "Your details",
        "Upload a picture",
        "Your email address is",
    ] {
        assert!(page.contains(expected), "{expected} missing: {page}");
    }
    let summary = en.page("/account/data.html").await;
    for expected in [
        "Your data: Anna",
        "Made on",
        "Use your browser's Print command to keep this page as a PDF.",
        "<dt>Platform staff</dt><dd>No</dd>",
    ] {
        assert!(summary.contains(expected), "{expected} missing: {summary}");
    }
}

fn png(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb(rgb));
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

async fn upload(b: &Browser, file_name: &str, bytes: Vec<u8>) -> Response {
    try_upload(b, file_name, bytes)
        .await
        .expect("the upload reached the server")
}

/// [`upload`], or `None` when the connection closed while the file was sent.
async fn try_upload(b: &Browser, file_name: &str, bytes: Vec<u8>) -> Option<Response> {
    let token = csrf_of(&b.page("/account/profile").await);
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_owned())
        .mime_str("image/png")
        .unwrap();
    b.client
        .post(format!("{}/account/profile/photo?csrf={token}", b.base))
        .multipart(reqwest::multipart::Form::new().part("photo", part))
        .send()
        .await
        .ok()
}

async fn stored_photo(w: &World, id: Uuid) -> Option<Vec<u8>> {
    sqlx::query_scalar("SELECT photo FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(w.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_picture_is_squared_to_256_replaces_the_old_one_and_bad_files_change_nothing() {
    let w = world().await;
    let (anna, b) = w.person("anna@example.com", "Anna", "en").await;
    assert_eq!(
        b.get("/account/profile/photo").await.status(),
        StatusCode::NOT_FOUND
    );

    let r = upload(&b, "wide.png", png(900, 300, [200, 20, 20])).await;
    assert_eq!(location(&r), "/account/profile?done=photo");
    let first = stored_photo(&w, anna).await.expect("a picture");
    assert_eq!(jpeg_size(&first), (256, 256));
    let served = b.get("/account/profile/photo").await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.headers()["cache-control"], "no-store");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert_eq!(served.bytes().await.unwrap().to_vec(), first);
    // Nobody else sees it here.
    let stranger = Browser::new(w.app.address.clone());
    assert_ne!(
        stranger.get("/account/profile/photo").await.status(),
        StatusCode::OK
    );

    // A new picture replaces the old one.
    let r = upload(&b, "tall.png", png(300, 900, [20, 20, 200])).await;
    assert_eq!(location(&r), "/account/profile?done=photo");
    let second = stored_photo(&w, anna).await.expect("a picture");
    assert_ne!(second, first);
    assert_eq!(jpeg_size(&second), (256, 256));

    // A text file named .png, a PDF and files over 2 MB are refused; the picture stays.
    let page = refused(upload(&b, "me.png", b"not an image at all".to_vec()).await).await;
    assert_field_error(&page, "e-photo", "Upload a PNG or JPEG picture.");
    let page = refused(upload(&b, "cv.pdf", b"%PDF-1.7\n%...".to_vec()).await).await;
    assert_field_error(&page, "e-photo", "Upload a PNG or JPEG picture.");
    let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
    fake.extend_from_slice(&[7; 500]);
    let page = refused(upload(&b, "broken.png", fake).await).await;
    assert_field_error(&page, "e-photo", "could not be read");
    let mut huge = png(10, 10, [0, 0, 0]);
    huge.resize(2 * 1024 * 1024 + 10, 0);
    let page = refused(upload(&b, "huge.png", huge).await).await;
    assert_field_error(&page, "e-photo", "larger than 2 MB");
    // Past the route's body limit the server stops reading: the refusal may
    // reach the client, or the connection may close under it while it still
    // sends. Either way nothing changes.
    let mut bigger = png(10, 10, [0, 0, 0]);
    bigger.resize(5 * 1024 * 1024, 0);
    if let Some(r) = try_upload(&b, "bigger.png", bigger).await {
        let page = refused(r).await;
        assert_field_error(&page, "e-photo", "larger than 2 MB");
    }
    assert_eq!(stored_photo(&w, anna).await.as_ref(), Some(&second));

    let token = csrf_of(&b.page("/account/profile").await);
    let r = b.post("/account/profile/photo/remove", &token, &[]).await;
    assert_eq!(location(&r), "/account/profile?done=photo_removed");
    assert_eq!(stored_photo(&w, anna).await, None);
    assert_eq!(
        b.get("/account/profile/photo").await.status(),
        StatusCode::NOT_FOUND
    );
}

/// The 6-digit code in `text`.
fn code_of(text: &str) -> String {
    let digits: Vec<char> = text.chars().collect();
    for window in digits.windows(6) {
        if window.iter().all(char::is_ascii_digit) {
            return window.iter().collect();
        }
    }
    panic!("no code in {text}");
}

async fn email_of(w: &World, id: Uuid) -> String {
    sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(w.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_change_takes_effect_only_with_the_code_from_the_new_address() {
    let w = world().await;
    let (anna, b) = w.person("anna@old.example", "Anna", "en").await;
    let other_device = fixtures::browser_for(w.pool(), &w.app.address, anna).await;
    w.person("taken@example.com", "Tom", "en").await;

    // Without the right password, or to an address in use, nothing is sent.
    let page = refused(
        b.submit(
            "/account/profile",
            "/account/email",
            &[
                ("new_email", "anna@new.example"),
                ("email_password", "wrong password"),
            ],
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-email_password", "not your current password");
    let page = refused(
        b.submit(
            "/account/profile",
            "/account/email",
            &[
                ("new_email", "TAKEN@example.com"),
                ("email_password", PASSWORD),
            ],
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-new_email", "Another account uses this address.");
    let page = refused(
        b.submit(
            "/account/profile",
            "/account/email",
            &[
                ("new_email", "not-an-address"),
                ("email_password", PASSWORD),
            ],
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-new_email", "Enter an email address");

    let r = b
        .submit(
            "/account/profile",
            "/account/email",
            &[
                ("new_email", "anna@new.example"),
                ("email_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&r), "/account/profile?done=email_sent");
    let (to, subject, text) = w.mail(1).await;
    assert_eq!(to, "anna@new.example");
    assert!(
        subject.starts_with("Your code to change your email"),
        "{subject}"
    );
    let code = code_of(&text);
    assert_eq!(w.mails().len(), 1, "nothing goes to the old address yet");

    // Not applied yet: the old address is still the account's.
    assert_eq!(email_of(&w, anna).await, "anna@old.example");
    let page = b.page("/account/profile").await;
    assert!(page.contains("<strong>anna@old.example</strong>"), "{page}");
    assert!(page.contains("<strong>anna@new.example</strong>"), "{page}");

    // A wrong code is counted and changes nothing.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let page = refused(
        b.submit(
            "/account/profile",
            "/account/email/verify",
            &[("code", wrong)],
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-code", "4 tries left");
    assert_eq!(email_of(&w, anna).await, "anna@old.example");

    let r = b
        .submit(
            "/account/profile",
            "/account/email/verify",
            &[("code", &code)],
        )
        .await;
    assert_eq!(location(&r), "/account/profile?done=email_changed");
    assert_eq!(email_of(&w, anna).await, "anna@new.example");
    assert_eq!(
        w.count(
            "SELECT count(*) FROM email_changes WHERE user_id = $1",
            anna
        )
        .await,
        0
    );
    // The old address is told, with a hint of the new one.
    let (to, subject, text) = w.mail(2).await;
    assert_eq!(to, "anna@old.example");
    assert_eq!(subject, "Your email address was changed");
    assert!(text.contains("a***@new.example"), "{text}");
    // This device stays logged in; the other one is logged out.
    assert_eq!(b.get("/account/profile").await.status(), StatusCode::OK);
    assert!(location(&other_device.get("/account/profile").await).starts_with("/login"));
    // The code cannot be used again.
    let page = refused(
        b.submit(
            "/account/profile",
            "/account/email/verify",
            &[("code", &code)],
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-code", "There is no code waiting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn icelandic_users_get_the_email_change_messages_in_icelandic() {
    let w = world().await;
    let (jon, b) = w.person("jon@old.example", "Jón", "is").await;
    let page = b.page("/account/profile").await;
    assert!(page.contains("Netfangið þitt er"), "{page}");
    let r = b
        .submit(
            "/account/profile",
            "/account/email",
            &[
                ("new_email", "jon@new.example"),
                ("email_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&r), "/account/profile?done=email_sent");
    let (to, subject, text) = w.mail(1).await;
    assert_eq!(to, "jon@new.example");
    assert!(
        subject.starts_with("Kóðinn til að breyta netfanginu þínu"),
        "{subject}"
    );
    assert!(text.contains("Staðfestingarkóðinn þinn er"), "{text}");
    // Asking again at once is refused, in Icelandic; the first code stays valid.
    let page = refused(
        b.submit(
            "/account/profile",
            "/account/email",
            &[
                ("new_email", "jon@new.example"),
                ("email_password", PASSWORD),
            ],
        )
        .await,
    )
    .await;
    assert_field_error(&page, "e-new_email", "Við vorum að senda kóða");
    let r = b
        .submit(
            "/account/profile",
            "/account/email/verify",
            &[("code", &code_of(&text))],
        )
        .await;
    assert_eq!(location(&r), "/account/profile?done=email_changed");
    let (to, subject, _) = w.mail(2).await;
    assert_eq!(
        (to.as_str(), subject.as_str()),
        ("jon@old.example", "Netfanginu þínu var breytt")
    );
    assert_eq!(email_of(&w, jon).await, "jon@new.example");
}

/// Two members of Acme with a professional in common, and the records the
/// platform and the hub hold about each.
struct People {
    eve: Uuid,
    eve_browser: Browser,
    otto: Uuid,
    pro: Uuid,
    eve_appointment: Uuid,
    otto_appointment: Uuid,
}

const EVE_EMAIL: &str = "evelyn.q@acme.example";
const EVE_NAME: &str = "Evelyn Quarterfield";
const OTTO_EMAIL: &str = "otto.v@acme.example";
const OTTO_NAME: &str = "Otto Vandersloot";
const PRO_EMAIL: &str = "pat@pro.example";

async fn people(w: &World) -> People {
    let pool = w.pool();
    let (eve, eve_browser) = w.person(EVE_EMAIL, EVE_NAME, "en").await;
    let (otto, _) = w.person(OTTO_EMAIL, OTTO_NAME, "en").await;
    let pro = fixtures::professional(pool, PRO_EMAIL, "Pat Pro", "UTC", 0, &[]).await;
    let service = fixtures::service(pool, pro, "Talk therapy", 50, 1, "individual").await;
    fixtures::member(pool, &w.acme, eve).await;
    fixtures::member(pool, &w.acme, otto).await;
    sqlx::query(
        "UPDATE users SET phone = '+3545551234', date_of_birth = '1990-04-23', \
         address_line1 = 'Quarterfield Lane 1', city = 'Reykjavík' WHERE id = $1",
    )
    .bind(eve)
    .execute(pool)
    .await
    .unwrap();
    let mut appointments = Vec::new();
    for (client, days_ago) in [(eve, 14), (otto, 10)] {
        let id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO appointments (id, professional_id, client_id, service_id, tenant_id, \
               service_name, mode, session_type, starts_at, ends_at, blocked_until, price_minor, \
               credits, created_by) \
             VALUES ($1, $2, $3, $4, $5, 'Talk therapy', 'video', 'individual', \
               now() - make_interval(days => $6), now() - make_interval(days => $6) + interval '50 minutes', \
               now() - make_interval(days => $6) + interval '50 minutes', 12000, 1, $3)",
        )
        .bind(id)
        .bind(pro)
        .bind(client)
        .bind(service)
        .bind(w.acme.id.0)
        .bind(days_ago)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO connections (professional_id, client_id, source) VALUES ($1, $2, 'booking')",
        )
        .bind(pro)
        .bind(client)
        .execute(pool)
        .await
        .unwrap();
        w.in_hub(&format!(
            "INSERT INTO credit_balances (user_id, balance, period_start) VALUES ('{client}', 4, '2026-01-01');
             INSERT INTO credit_ledger (user_id, kind, amount, balance_after, period_start, note)
               VALUES ('{client}', 'grant', 5, 5, '2026-01-01', 'Welcome');
             INSERT INTO credit_ledger (user_id, kind, amount, balance_after, period_start, appointment_id)
               VALUES ('{client}', 'debit', -1, 4, '2026-01-01', '{id}');
             INSERT INTO hub_bookings (appointment_id, user_id, credits, period_start, debit_id)
               VALUES ('{id}', '{client}', 1, '2026-01-01', currval(pg_get_serial_sequence('credit_ledger', 'id')));
             INSERT INTO audit_log (actor_id, action, detail) VALUES ('{client}', 'member.joined', '{{}}');"
        ))
        .await;
        appointments.push(id);
    }
    // The hub's list of employees names both; an admin's entry names Eve.
    w.in_hub(&format!(
        "INSERT INTO eligible_employees (email, name) VALUES ('{EVE_EMAIL}', '{EVE_NAME}'), ('{OTTO_EMAIL}', '{OTTO_NAME}');
         INSERT INTO audit_log (actor_id, action, detail)
           VALUES (NULL, 'credits.top_up', '{{\"before\": {{\"member\": \"{EVE_NAME}\"}}, \"after\": {{\"member\": \"{EVE_NAME}\", \"balance\": 5}}}}');"
    ))
    .await;
    // A professional's invitation to Eve, accepted; one to Otto.
    for (email, name, by) in [(EVE_EMAIL, EVE_NAME, eve), (OTTO_EMAIL, OTTO_NAME, otto)] {
        sqlx::query(
            "INSERT INTO invitations (id, professional_id, email, name, message, token_hash, expires_at, accepted_at, accepted_by) \
             VALUES ($1, $2, $3, $4, 'See you soon', $5, now() + interval '7 days', now(), $6)",
        )
        .bind(Uuid::new_v4())
        .bind(pro)
        .bind(email)
        .bind(name)
        .bind(Uuid::new_v4().as_bytes().to_vec())
        .bind(by)
        .execute(pool)
        .await
        .unwrap();
    }
    // Notifications: Eve's own, and the professional's about each client's session.
    for (user, title, appointment) in [
        (eve, "Your session with Pat Pro is booked", appointments[0]),
        (
            pro,
            "Evelyn Quarterfield booked Talk therapy",
            appointments[0],
        ),
        (pro, "Otto Vandersloot booked Talk therapy", appointments[1]),
    ] {
        sqlx::query(
            "INSERT INTO notifications (user_id, kind, appointment_id, title) \
             VALUES ($1, 'booking_confirmed', $2, $3)",
        )
        .bind(user)
        .bind(appointment)
        .bind(title)
        .execute(pool)
        .await
        .unwrap();
    }
    // Mail to Eve, and mail to the professional that names her (both delivered).
    for (to, to_name, body) in [
        (EVE_EMAIL, EVE_NAME, "Your session is booked."),
        (
            PRO_EMAIL,
            "Pat Pro",
            "Evelyn Quarterfield booked Talk therapy.",
        ),
        (OTTO_EMAIL, OTTO_NAME, "Your session is booked."),
    ] {
        sqlx::query(
            "INSERT INTO email_outbox (kind, to_address, to_name, subject, text_body, html_body, status, sent_at) \
             VALUES ('booking_confirmed', $1, $2, 'Booked', $3, $3, 'sent', now())",
        )
        .bind(to)
        .bind(to_name)
        .bind(body)
        .execute(pool)
        .await
        .unwrap();
    }
    People {
        eve,
        eve_browser,
        otto,
        pro,
        eve_appointment: appointments[0],
        otto_appointment: appointments[1],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_holds_every_record_of_the_user_and_nothing_of_anyone_else() {
    let w = world().await;
    let p = people(&w).await;
    let b = &p.eve_browser;
    let page = b.page("/account/data").await;
    assert!(page.contains("href=\"/account/data.json\""), "{page}");

    let r = b.get("/account/data.json").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"hearth-data-"));
    assert_eq!(r.headers()["cache-control"], "no-store");
    let raw = r.text().await.unwrap();
    let export: serde_json::Value = serde_json::from_str(&raw).unwrap();

    let account = &export["account"];
    assert_eq!(account["email"], EVE_EMAIL);
    assert_eq!(account["name"], EVE_NAME);
    assert_eq!(account["phone"], "+3545551234");
    assert_eq!(account["date_of_birth"], "1990-04-23");
    assert_eq!(account["address"]["line1"], "Quarterfield Lane 1");
    assert_eq!(account["id"], p.eve.to_string());
    assert!(account.get("password_hash").is_none());
    let len = |v: &serde_json::Value| v.as_array().map_or(0, Vec::len);
    assert_eq!(len(&export["sessions"]), 1);
    assert!(export["sessions"][0].get("token_hash").is_none());
    assert_eq!(len(&export["terms_acceptances"]), 1);
    assert_eq!(len(&export["connections"]), 1);
    assert_eq!(export["connections"][0]["professional"], "Pat Pro");
    assert_eq!(len(&export["invitations"]), 1);
    assert_eq!(export["invitations"][0]["message"], "See you soon");
    assert_eq!(len(&export["appointments"]), 1);
    let appointment = &export["appointments"][0];
    assert_eq!(appointment["id"], p.eve_appointment.to_string());
    assert_eq!(appointment["professional"], "Pat Pro");
    assert_eq!(appointment["hub"], "Acme");
    assert_eq!(appointment["service"], "Talk therapy");
    assert_eq!(len(&export["emails"]), 1);
    assert_eq!(len(&export["notifications"]), 1);
    assert_eq!(
        export["notifications"][0]["title"],
        "Your session with Pat Pro is booked"
    );
    assert!(export["professional_profile"].is_null());
    assert_eq!(len(&export["hubs"]), 1);
    let hub = &export["hubs"][0];
    assert_eq!(hub["hub_name"], "Acme");
    assert_eq!(hub["membership"]["role"], "employee");
    assert_eq!(hub["eligibility"]["email"], EVE_EMAIL);
    assert_eq!(hub["credit_balance"]["balance"], 4);
    assert_eq!(len(&hub["credit_ledger"]), 2);
    assert_eq!(hub["credit_ledger"][0]["note"], "Welcome");
    assert_eq!(len(&hub["hub_bookings"]), 1);
    assert_eq!(
        hub["hub_bookings"][0]["appointment_id"],
        p.eve_appointment.to_string()
    );
    assert_eq!(len(&hub["audit"]), 1);

    // Nothing of Otto, and of the professional only the name.
    for other in [
        OTTO_EMAIL.to_owned(),
        OTTO_NAME.to_owned(),
        p.otto.to_string(),
        p.otto_appointment.to_string(),
        PRO_EMAIL.to_owned(),
        p.pro.to_string(),
    ] {
        assert!(!raw.contains(&other), "{other} is in Eve's export");
    }

    // The readable summary says the same, for a person.
    let r = b.get("/account/data.html").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    for expected in [
        EVE_NAME,
        "+3545551234",
        "Talk therapy",
        "Pat Pro",
        "Company hub: Acme",
        "Credit history",
        "Welcome",
    ] {
        assert!(html.contains(expected), "{expected} missing: {html}");
    }
    assert!(!html.contains(OTTO_NAME) && !html.contains(OTTO_EMAIL));
}

/// Every (schema.table.column) of a text-like type holding `needle`.
async fn places_holding(pool: &sqlx::PgPool, needle: &str) -> Vec<String> {
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_schema::text, c.table_name::text, c.column_name::text \
         FROM information_schema.columns c \
         JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE t.table_type = 'BASE TABLE' \
           AND c.table_schema NOT IN ('pg_catalog', 'information_schema') \
           AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED')",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(columns.len() > 50, "the search sees the tables");
    let mut hits = Vec::new();
    for (schema, table, column) in columns {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM \"{schema}\".\"{table}\" WHERE \"{column}\"::text ILIKE $1"
        ))
        .bind(format!("%{needle}%"))
        .fetch_one(pool)
        .await
        .unwrap();
        if n > 0 {
            hits.push(format!("{schema}.{table}.{column} ({n})"));
        }
    }
    hits
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_account_leaves_the_users_email_and_name_in_no_table() {
    let w = world().await;
    let p = people(&w).await;
    let b = &p.eve_browser;
    // An email change waiting for its code: the new address is personal data too.
    let r = b
        .submit(
            "/account/profile",
            "/account/email",
            &[
                ("new_email", "evelyn.new@home.example"),
                ("email_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&r), "/account/profile?done=email_sent");
    w.mail(1).await;
    // The search finds what is there before.
    assert!(!places_holding(w.pool(), EVE_EMAIL).await.is_empty());

    // A wrong password deletes nothing.
    let page = refused(
        b.submit("/account/data", "/account/delete", &[("password", "nope")])
            .await,
    )
    .await;
    assert_field_error(&page, "e-password", "not your current password");
    // An upcoming session must be cancelled first.
    let upcoming = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO appointments (id, professional_id, client_id, service_name, mode, session_type, \
           starts_at, ends_at, blocked_until) \
         VALUES ($1, $2, $3, 'Talk therapy', 'video', 'individual', now() + interval '3 days', \
           now() + interval '3 days 50 minutes', now() + interval '3 days 50 minutes')",
    )
    .bind(upcoming)
    .bind(p.pro)
    .bind(p.eve)
    .execute(w.pool())
    .await
    .unwrap();
    let r = b
        .submit(
            "/account/data",
            "/account/delete",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("You have upcoming sessions."));
    assert_eq!(
        w.count("SELECT count(*) FROM users WHERE id = $1", p.eve)
            .await,
        1
    );
    sqlx::query("UPDATE appointments SET status = 'cancelled', cancelled_at = now() WHERE id = $1")
        .bind(upcoming)
        .execute(w.pool())
        .await
        .unwrap();

    let r = b
        .submit(
            "/account/data",
            "/account/delete",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("hearth_session="))
        .expect("the session cookie is removed");
    assert!(cookie.starts_with("hearth_session=;"), "{cookie}");
    assert!(r.text().await.unwrap().contains("Your account was deleted"));
    assert!(location(&b.get("/account/profile").await).starts_with("/login"));

    // No table of any schema holds her email or her new address; her name
    // is left only in mail someone else was sent (the professional's record
    // of what they were told, found by no search of other people's mail).
    for needle in [EVE_EMAIL, "evelyn.new@home.example"] {
        let hits = places_holding(w.pool(), needle).await;
        assert!(hits.is_empty(), "{needle} is still in {hits:?}");
    }
    let hits = places_holding(w.pool(), EVE_NAME).await;
    assert!(
        hits.iter().all(|h| h.starts_with("public.email_outbox.")),
        "{EVE_NAME} is still in {hits:?}"
    );
    let kept_for_pro: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM email_outbox WHERE to_address = $1 AND text_body LIKE '%Quarterfield%'",
    )
    .bind(PRO_EMAIL)
    .fetch_one(w.pool())
    .await
    .expect("count");
    assert_eq!(kept_for_pro, 1, "the professional's own mail stays");
    // The professional keeps the session, without its client.
    let kept: (Option<Uuid>, String, i64) = sqlx::query_as(
        "SELECT client_id, service_name, price_minor FROM appointments WHERE id = $1",
    )
    .bind(p.eve_appointment)
    .fetch_one(w.pool())
    .await
    .unwrap();
    assert_eq!(kept, (None, "Talk therapy".into(), 12000));
    // The hub is told only that a member left.
    assert_eq!(
        w.hub_count(
            "SELECT count(*) FROM audit_log WHERE action = 'member.left' \
             AND actor_id IS NULL AND detail = '{}'::jsonb"
        )
        .await,
        1
    );
    assert_eq!(
        w.hub_count(&format!(
            "SELECT count(*) FROM audit_log WHERE actor_id = '{}'",
            p.eve
        ))
        .await,
        0
    );
    // The professional's notification keeps the session, not her name.
    let titles: Vec<String> =
        sqlx::query_scalar("SELECT title FROM notifications WHERE user_id = $1 ORDER BY id")
            .bind(p.pro)
            .fetch_all(w.pool())
            .await
            .unwrap();
    assert_eq!(
        titles,
        [
            "(deleted account) booked Talk therapy",
            "Otto Vandersloot booked Talk therapy"
        ]
    );
    // Otto is untouched.
    assert!(!places_holding(w.pool(), OTTO_EMAIL).await.is_empty());
    assert_eq!(
        w.hub_count(&format!(
            "SELECT count(*) FROM credit_ledger WHERE user_id = '{}'",
            p.otto
        ))
        .await,
        2
    );
    let (client, status): (Option<Uuid>, String) =
        sqlx::query_as("SELECT client_id, status FROM appointments WHERE id = $1")
            .bind(p.otto_appointment)
            .fetch_one(w.pool())
            .await
            .unwrap();
    assert_eq!((client, status.as_str()), (Some(p.otto), "confirmed"));
    assert_eq!(
        w.count("SELECT count(*) FROM sessions WHERE user_id = $1", p.eve)
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_an_account_named_a_leaves_everyone_elses_mail() {
    let w = world().await;
    let p = people(&w).await;
    // Eve is called "a": a name that is in almost every email.
    sqlx::query("UPDATE users SET name = 'a' WHERE id = $1")
        .bind(p.eve)
        .execute(w.pool())
        .await
        .expect("rename");
    let others = |pool: sqlx::PgPool| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM email_outbox WHERE lower(to_address) <> lower($1)",
        )
        .bind(EVE_EMAIL)
        .fetch_one(&pool)
        .await
        .expect("count")
    };
    let before = others(w.pool().clone()).await;
    assert!(before >= 2, "mail to the professional and to Otto");
    let r = p
        .eve_browser
        .submit(
            "/account/data",
            "/account/delete",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        others(w.pool().clone()).await,
        before,
        "nobody else's mail was erased"
    );
    let hers: i64 =
        sqlx::query_scalar("SELECT count(*) FROM email_outbox WHERE lower(to_address) = lower($1)")
            .bind(EVE_EMAIL)
            .fetch_one(w.pool())
            .await
            .expect("count");
    assert_eq!(hers, 0, "her own mail is gone");
}
