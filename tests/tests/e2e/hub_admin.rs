//! The HR admin's hub settings over real HTTP and real PostgreSQL: branding
//! with contrast checks, draft preview and publishing, logos (malicious SVG,
//! re-encoded PNG), Markdown, eligibility (CSV import), roster, custom domain,
//! the audit log, and who may reach `/admin` at all.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] fns: a failure is the test's failure"
)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hearth_tenants::{Tenant, TenantTx};
use hearth_tests::dns::DnsServer;
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};
use reqwest::{Client, Response, StatusCode};

const PASSWORD: &str = "tidal-Quince-47-lantern";

struct Env {
    app: TestApp,
    smtp: SmtpServer,
    mails: AtomicUsize,
    acme: Tenant,
    globex: Tenant,
}

async fn env() -> Env {
    env_with(|_| {}).await
}

async fn env_with(configure: impl FnOnce(&mut hearth_core::config::Config)) -> Env {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let acme = db.hub("acme", "Acme Ltd").await;
    let globex = db.hub("globex", "Globex").await;
    let app = TestApp::spawn_mailing_with(db, &smtp, configure).await;
    Env {
        app,
        smtp,
        mails: AtomicUsize::new(0),
        acme,
        globex,
    }
}

fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    page[at + 19..].split('"').next().unwrap().to_owned()
}

fn code_in(text: &str) -> String {
    let at = text.find("code is ").expect("a code in the email");
    text[at + 8..at + 14].to_owned()
}

/// Tera escapes `/` in attributes; browsers read it back as `/`.
fn unescape(page: &str) -> String {
    page.replace("&#x2F;", "/")
}

/// The draft logo's URL on the branding page.
fn logo_url(page: &str) -> String {
    let page = unescape(page);
    let at = page.find("/h/acme/brand/logo-").expect("the draft logo");
    page[at..].split('"').next().unwrap().to_owned()
}

fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_else(|| format!("(status {})", r.status()))
}

impl Env {
    async fn get(&self, client: &Client, path: &str) -> Response {
        client
            .get(format!("{}{path}", self.app.address))
            .send()
            .await
            .unwrap()
    }

    async fn text(&self, client: &Client, path: &str) -> String {
        let r = self.get(client, path).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.text().await.unwrap()
    }

    /// The client's CSRF token, read from a page with a form.
    async fn csrf(&self, client: &Client, page: &str) -> String {
        csrf_of(&self.text(client, page).await)
    }

    /// Posts `fields` (and the CSRF token) to `path`.
    async fn post(&self, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf(client, "/h/acme/login").await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &token));
        client
            .post(format!("{}{path}", self.app.address))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Uploads `bytes` as the multipart field `field`, the token in the query.
    async fn upload(
        &self,
        client: &Client,
        path: &str,
        field: &str,
        file_name: &str,
        mime: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let token = self.csrf(client, "/h/acme/login").await;
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str(mime)
            .unwrap();
        client
            .post(format!("{}{path}?csrf={token}", self.app.address))
            .multipart(reqwest::multipart::Form::new().part(field.to_owned(), part))
            .send()
            .await
            .unwrap()
    }

    /// A new onboarded user (through the forms), with their own browser.
    async fn user(&self, name: &str, email: &str) -> Client {
        let client = browser();
        let token = self.csrf(&client, "/signup").await;
        let r = client
            .post(format!("{}/signup", self.app.address))
            .form(&[
                ("name", name),
                ("email", email),
                ("password", PASSWORD),
                ("csrf", &token),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/terms");
        let token = self.csrf(&client, "/terms").await;
        let r = client
            .post(format!("{}/terms", self.app.address))
            .form(&[("csrf", &token)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/verify");
        let n = self.mails.fetch_add(1, Ordering::SeqCst) + 1;
        let messages = self.smtp.wait_for(n, Duration::from_secs(15)).await;
        let mail = messages
            .iter()
            .map(|m| m.parsed())
            .find(|m| m.to == email)
            .expect("the verification email");
        let code = code_in(&mail.text.unwrap_or_default());
        let token = self.csrf(&client, "/verify").await;
        let r = client
            .post(format!("{}/verify", self.app.address))
            .form(&[("code", code.as_str()), ("csrf", &token)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/dashboard");
        client
    }

    /// Makes `email` a member of `hub` with `role`.
    async fn member(&self, hub: &Tenant, email: &str, role: &str) {
        let mut tx = TenantTx::begin(&self.app.db.pool, hub).await.unwrap();
        let user: uuid::Uuid = sqlx::query_scalar("SELECT id FROM public.users WHERE email = $1")
            .bind(email)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO members (user_id, role) VALUES ($1, $2)")
            .bind(user)
            .bind(role)
            .execute(&mut *tx)
            .await
            .unwrap();
        hearth_tests::fixtures::by_hand(&mut tx).await;
        tx.commit().await.unwrap();
    }

    async fn hr_admin(&self) -> Client {
        let client = self.user("Harriet Ross", "hr@acme.test").await;
        self.member(&self.acme, "hr@acme.test", "hr_admin").await;
        client
    }

    /// `sql` run in acme's schema, one scalar.
    async fn acme_scalar<T>(&self, sql: &str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
    {
        let mut tx = TenantTx::begin(&self.app.db.pool, &self.acme)
            .await
            .unwrap();
        let value = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        value
    }

    /// acme's audit log: (action, detail), oldest first.
    async fn audit(&self) -> Vec<(String, serde_json::Value)> {
        let mut tx = TenantTx::begin(&self.app.db.pool, &self.acme)
            .await
            .unwrap();
        let rows = sqlx::query_as(
            "SELECT action, detail FROM audit_log WHERE actor_id = (SELECT id FROM public.users WHERE email = 'hr@acme.test') ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        rows
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_colour_pair_failing_contrast_is_refused_with_the_nearest_passing_colour() {
    let env = env().await;
    let hr = env.hr_admin().await;
    let r = env
        .post(
            &hr,
            "/h/acme/admin/branding",
            &[
                ("brand_color", "#ffcc00"),
                ("accent_color", "#f4b942"),
                ("theme", "default"),
                ("welcome_text", "Hello"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("WCAG AA needs at least 4.5:1"), "{page}");
    let at = page
        .find("The nearest colour that passes is #")
        .expect("a suggestion");
    let suggestion = &page[at + 34..at + 41];
    assert!(
        suggestion.starts_with('#') && suggestion.len() == 7,
        "{suggestion}"
    );
    // Nothing saved, nothing published, nothing audited.
    let drafts: i64 = env
        .acme_scalar("SELECT count(*) FROM hub_branding_draft")
        .await;
    let live: String = env
        .acme_scalar("SELECT brand_color FROM hub_settings")
        .await;
    assert_eq!((drafts, live.as_str()), (0, "#1f6f5c"));
    assert!(env.audit().await.is_empty());
    // Publishing still publishes nothing new, and the hub keeps its colour.
    let hub = env.text(&browser(), "/h/acme/").await;
    assert!(hub.contains("--brand: #1f6f5c"), "{hub}");
    assert!(!hub.contains("#ffcc00"));

    // The suggestion itself is accepted.
    let r = env
        .post(
            &hr,
            "/h/acme/admin/branding",
            &[
                ("brand_color", suggestion),
                ("accent_color", "#f4b942"),
                ("theme", "default"),
                ("welcome_text", "Hello"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );

    // Not a colour at all.
    let r = env
        .post(
            &hr,
            "/h/acme/admin/branding",
            &[
                ("brand_color", "red"),
                ("accent_color", "#f4b942"),
                ("theme", "default"),
                ("welcome_text", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Use a colour like #1f6f5c."));

    // A dark accent under dark text fails too.
    let r = env
        .post(
            &hr,
            "/h/acme/admin/branding",
            &[
                ("brand_color", "#1f6f5c"),
                ("accent_color", "#333333"),
                ("theme", "default"),
                ("welcome_text", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Dark text on #333333"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_icelandic_hr_admin_is_told_about_contrast_and_bad_csv_rows_in_icelandic() {
    let env = env().await;
    let hr = env.hr_admin().await;
    let language = |lang: &'static str| {
        let pool = env.app.db.pool.clone();
        async move {
            sqlx::query("UPDATE users SET language = $1 WHERE email = 'hr@acme.test'")
                .bind(lang)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    let failing_pair = [
        ("brand_color", "#ffcc00"),
        ("accent_color", "#333333"),
        ("theme", "default"),
        ("welcome_text", ""),
    ];
    let csv = "email,name\nann@acme.test,Ann\nnot-an-email,Bob\nANN@acme.test,Ann again\n";
    let import = || {
        env.upload(
            &hr,
            "/h/acme/admin/eligibility/import",
            "file",
            "employees.csv",
            "text/csv",
            csv.as_bytes().to_vec(),
        )
    };

    language("is").await;
    let r = env.post(&hr, "/h/acme/admin/branding", &failing_pair).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Hvítur texti á #ffcc00 hefur birtuskilin ")
            && page.contains(
                "WCAG AA krefst að minnsta kosti 4.5:1. Næsti litur sem stenst kröfuna er #"
            ),
        "{page}"
    );
    assert!(
        page.contains("Dökkur texti á #333333 hefur birtuskilin "),
        "{page}"
    );
    assert!(page.contains("Ekkert var vistað né birt."), "{page}");
    assert!(
        !page.contains("has a contrast of") && !page.contains("The nearest colour"),
        "no English on an Icelandic page: {page}"
    );
    let r = env
        .post(
            &hr,
            "/h/acme/admin/branding",
            &[
                ("brand_color", "red"),
                ("accent_color", "#f4b942"),
                ("theme", "default"),
                ("welcome_text", ""),
            ],
        )
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Notaðu lit á borð við #1f6f5c."));

    let r = import().await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("1 lína flutt inn."), "{page}");
    assert!(
        page.contains("Lína 3") && page.contains("„not-an-email“ er ekki netfang."),
        "{page}"
    );
    assert!(
        page.contains("Lína 4") && page.contains("ann@acme.test er þegar í línu 2."),
        "{page}"
    );
    assert!(!page.contains("is not an email address") && !page.contains("already on row"));
    let r = env
        .post(
            &hr,
            "/h/acme/admin/eligibility/domains",
            &[("domain", "not a domain")],
        )
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Sláðu inn lén á borð við example.com."));
    let page = env.text(&hr, "/h/acme/admin/credits?done=policy").await;
    assert!(page.contains("Inneignarstefnan var vistuð."), "{page}");

    // The same mistakes, in English for an English-speaking admin.
    language("en").await;
    let page = env
        .post(&hr, "/h/acme/admin/branding", &failing_pair)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("White text on #ffcc00 has a contrast of ")
            && page.contains("WCAG AA needs at least 4.5:1. The nearest colour that passes is #"),
        "{page}"
    );
    assert!(page.contains("Dark text on #333333 has a contrast of "));
    let page = import().await.text().await.unwrap();
    assert!(
        page.contains("\u{201c}not-an-email\u{201d} is not an email address.")
            && page.contains("ann@acme.test is already on row 2."),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_previewed_and_employees_see_it_only_once_published() {
    let env = env().await;
    let hr = env.hr_admin().await;
    // Branding set outside the admin pages (demo data, the CLI) is what the
    // form starts from.
    {
        let mut tx = TenantTx::begin(&env.app.db.pool, &env.acme).await.unwrap();
        sqlx::query("UPDATE hub_settings SET welcome_text = 'Set by the operator'")
            .execute(&mut *tx)
            .await
            .unwrap();
        hearth_tests::fixtures::by_hand(&mut tx).await;
        tx.commit().await.unwrap();
    }
    let admin = env.text(&hr, "/h/acme/admin").await;
    assert!(admin.contains(">Set by the operator</textarea>"), "{admin}");
    assert!(!admin.contains("The draft differs"));
    let r = env
        .post(
            &hr,
            "/h/acme/admin/branding",
            &[
                ("brand_color", "#6B2FA0"),
                ("accent_color", "#f4b942"),
                ("theme", "calm"),
                (
                    "welcome_text",
                    "**Welcome** to [our hub](https://acme.test)\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>",
                ),
            ],
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin?done=draft");

    let anonymous = browser();
    let public = env.text(&anonymous, "/h/acme/").await;
    assert!(public.contains("--brand: #1f6f5c"));
    assert!(!public.contains("#6b2fa0"));
    assert!(!public.contains("Welcome</strong>"));

    let preview = env.get(&hr, "/h/acme/admin/preview").await;
    assert_eq!(preview.status(), StatusCode::OK);
    assert_eq!(preview.headers()["x-frame-options"], "SAMEORIGIN");
    let preview = preview.text().await.unwrap();
    assert!(preview.contains("--brand: #6b2fa0"), "{preview}");
    assert!(preview.contains("/static/calm/"), "the draft's theme");
    assert!(preview.contains("Preview of your draft branding"));
    assert!(preview.contains("<strong>Welcome</strong>"));

    let r = env.post(&hr, "/h/acme/admin/branding/publish", &[]).await;
    assert_eq!(location(&r), "/h/acme/admin?done=published");
    let public = env.text(&anonymous, "/h/acme/").await;
    assert!(public.contains("--brand: #6b2fa0"));
    assert!(public.contains("<strong>Welcome</strong>"), "{public}");
    assert!(public.contains("href=\"https://acme.test\""));
    assert!(
        !public.contains("alert("),
        "script in the welcome text: {public}"
    );
    assert!(!public.contains("onerror"));
    assert!(!public.contains("Preview of your draft"));

    // A second draft, discarded: the hub keeps what was published.
    env.post(
        &hr,
        "/h/acme/admin/branding",
        &[
            ("brand_color", "#0b5394"),
            ("accent_color", "#f4b942"),
            ("theme", "default"),
            ("welcome_text", "Second thoughts"),
        ],
    )
    .await;
    assert!(env
        .text(&hr, "/h/acme/admin")
        .await
        .contains("The draft differs"));
    let r = env.post(&hr, "/h/acme/admin/branding/discard", &[]).await;
    assert_eq!(location(&r), "/h/acme/admin?done=discarded");
    let admin = env.text(&hr, "/h/acme/admin").await;
    assert!(admin.contains("value=\"#6b2fa0\""), "{admin}");
    assert!(env
        .text(&anonymous, "/h/acme/")
        .await
        .contains("--brand: #6b2fa0"));

    let audit = env.audit().await;
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "branding.draft",
            "branding.publish",
            "branding.draft",
            "branding.discard"
        ]
    );
    let publish = &audit[1].1;
    assert_eq!(publish["before"]["brand_color"], "#1f6f5c");
    assert_eq!(publish["after"]["brand_color"], "#6b2fa0");
    assert_eq!(publish["after"]["theme"], "calm");
    let page = env.text(&hr, "/h/acme/admin/audit").await;
    assert!(page.contains("branding.publish") && page.contains("Harriet Ross"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malicious_svg_logo_is_neutralised_and_served_with_safe_headers() {
    let env = env().await;
    let hr = env.hr_admin().await;
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 40" onload="alert(1)">
<script>alert(document.cookie)</script>
<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml" onclick="alert(2)">x</div></foreignObject>
<image href="https://tracker.evil.test/pixel.png" width="1" height="1"/>
<use xlink:href="https://evil.test/sprite.svg#logo"/>
<rect width="100" height="40" fill="url(https://evil.test/paint)" onmouseover="alert(3)"/>
<circle cx="20" cy="20" r="15" fill="#1f6f5c"/>
<text x="40" y="26">Acme</text>
</svg>"##;
    let r = env
        .upload(
            &hr,
            "/h/acme/admin/branding/logo",
            "logo",
            "logo.svg",
            "image/svg+xml",
            svg.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin?done=logo");
    let url = logo_url(&env.text(&hr, "/h/acme/admin").await);
    assert!(url.ends_with(".svg"), "{url}");

    let served = env.get(&browser(), &url).await;
    assert_eq!(served.status(), StatusCode::OK);
    let h = served.headers();
    assert_eq!(h["content-type"], "image/svg+xml");
    assert_eq!(
        h["content-security-policy"],
        "default-src 'none'; style-src 'unsafe-inline'"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["cache-control"].to_str().unwrap().contains("immutable"));
    let body = served.text().await.unwrap();
    let lower = body.to_ascii_lowercase();
    for bad in [
        "<script",
        "onload",
        "onclick",
        "onmouseover",
        "foreignobject",
        "evil.test",
        "<image",
        "alert(",
    ] {
        assert!(!lower.contains(bad), "{bad} survived: {body}");
    }
    // The circle is kept (as the path usvg writes it, in its colour);
    // text is dropped, since the server loads no fonts to outline it.
    assert!(body.contains("<path") && body.contains("#1f6f5c"), "{body}");

    // Not on the hub until published; then the header shows the image.
    assert!(!env.text(&browser(), "/h/acme/").await.contains("logo-img"));
    env.post(&hr, "/h/acme/admin/branding/publish", &[]).await;
    let public = unescape(&env.text(&browser(), "/h/acme/").await);
    assert!(
        public.contains(&format!("<img class=\"logo-img\" src=\"{url}\"")),
        "{public}"
    );

    // Not SVG, not an image: refused with a message by the field.
    let r = env
        .upload(
            &hr,
            "/h/acme/admin/branding/logo",
            "logo",
            "logo.html",
            "text/html",
            b"<html><script>alert(1)</script></html>".to_vec(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("not a valid SVG image"));

    let actions: Vec<String> = env.audit().await.into_iter().map(|(a, _)| a).collect();
    assert_eq!(actions, ["branding.logo", "branding.publish"]);
}

/// A PNG of `w`×`h` with a text chunk holding `secret`.
fn png_with_metadata(w: u32, h: u32, secret: &str) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([30, 120, 90]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let png = png.into_inner();
    // A tEXt chunk right after IHDR (8-byte signature + 25-byte IHDR chunk).
    let data = format!("Comment\0{secret}");
    let mut chunk = Vec::new();
    chunk.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let mut typed = b"tEXt".to_vec();
    typed.extend_from_slice(data.as_bytes());
    chunk.extend_from_slice(&typed);
    chunk.extend_from_slice(&crc32(&typed).to_be_bytes());
    let mut out = png[..33].to_vec();
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[33..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_png_logo_is_reencoded_without_its_metadata_and_scaled_down() {
    let env = env().await;
    let hr = env.hr_admin().await;
    let original = png_with_metadata(1500, 300, "SECRET-GPS-52.1N");
    assert!(image::load_from_memory(&original).is_ok());
    let r = env
        .upload(
            &hr,
            "/h/acme/admin/branding/logo",
            "logo",
            "logo.png",
            "image/png",
            original,
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin?done=logo");
    let url = logo_url(&env.text(&hr, "/h/acme/admin").await);
    assert!(url.ends_with(".png"), "{url}");
    let served = env.get(&browser(), &url).await;
    assert_eq!(served.headers()["content-type"], "image/png");
    let bytes = served.bytes().await.unwrap();
    assert!(
        !bytes.windows(10).any(|w| w == b"SECRET-GPS"),
        "metadata survived"
    );
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1024, 205));
    // Too large: refused by the field, whatever it holds.
    let r = env
        .upload(
            &hr,
            "/h/acme/admin/branding/logo",
            "logo",
            "huge.png",
            "image/png",
            vec![0u8; 2 * 1024 * 1024 + 10],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("larger than 2 MB"));
    // An unknown hash is a 404, not someone else's logo.
    let missing = env
        .get(
            &browser(),
            "/h/acme/brand/logo-00000000000000000000000000000000.png",
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    // Another hub does not serve acme's logo.
    let other = env
        .get(&browser(), &url.replace("/h/acme/", "/h/globex/"))
        .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_with_bad_rows_reports_them_and_imports_the_good_ones() {
    let env = env().await;
    let hr = env.hr_admin().await;
    let csv = "email,name\n\
               ann@acme.test,Ann Lee\n\
               not-an-email,Bob\n\
               \"cid@acme.test\",\"Cid, Jr\"\n\
               ANN@acme.test,Ann again\n\
               dee@acme.test,Dee,extra\n\
               eve@acme.test\n";
    let r = env
        .upload(
            &hr,
            "/h/acme/admin/eligibility/import",
            "file",
            "employees.csv",
            "text/csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("3 rows imported"), "{page}");
    assert!(
        page.contains("Row 3") && page.contains("is not an email address"),
        "{page}"
    );
    assert!(
        page.contains("Row 5") && page.contains("already on row 2"),
        "{page}"
    );
    assert!(
        page.contains("Row 6") && page.contains("Too many columns"),
        "{page}"
    );
    let imported: Vec<String> = {
        let mut tx = TenantTx::begin(&env.app.db.pool, &env.acme).await.unwrap();
        let rows = sqlx::query_scalar("SELECT email FROM eligible_employees ORDER BY email")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        rows
    };
    assert_eq!(
        imported,
        ["ann@acme.test", "cid@acme.test", "eve@acme.test"]
    );
    let name: String = env
        .acme_scalar("SELECT name FROM eligible_employees WHERE email = 'cid@acme.test'")
        .await;
    assert_eq!(name, "Cid, Jr");

    // Domains and codes.
    let r = env
        .post(
            &hr,
            "/h/acme/admin/eligibility/domains",
            &[("domain", "Acme.test")],
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin/eligibility?done=domain");
    let r = env
        .post(
            &hr,
            "/h/acme/admin/eligibility/domains",
            &[("domain", "not a domain")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Enter a domain like example.com."));
    env.post(&hr, "/h/acme/admin/eligibility/codes", &[]).await;
    let code: String = env.acme_scalar("SELECT code FROM invite_codes").await;
    let page = env.text(&hr, "/h/acme/admin/eligibility").await;
    assert!(page.contains("acme.test") && page.contains(&code));
    let r = env
        .post(
            &hr,
            "/h/acme/admin/eligibility/codes/revoke",
            &[("code", &code)],
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin/eligibility?done=code-revoked");
    env.post(
        &hr,
        "/h/acme/admin/eligibility/domains/remove",
        &[("domain", "acme.test")],
    )
    .await;

    let audit = env.audit().await;
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "eligibility.import",
            "eligibility.domain.add",
            "eligibility.code.create",
            "eligibility.code.revoke",
            "eligibility.domain.remove"
        ]
    );
    assert_eq!(audit[0].1["after"]["rows_imported"], 3);
    assert_eq!(audit[0].1["after"]["rows_rejected"], 3);
    assert_eq!(audit[1].1["after"], "acme.test");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roster_is_edited_and_reordered() {
    let env = env().await;
    let hr = env.hr_admin().await;
    for (name, email) in [
        ("Pat Doyle", "pat@pro.test"),
        ("Quinn Avery", "quinn@pro.test"),
    ] {
        let _ = env.user(name, email).await;
        sqlx::query(
            "INSERT INTO professionals (user_id, title, verified_at) SELECT id, 'Psychologist', now() FROM users WHERE email = $1",
        )
        .bind(email)
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    }
    hearth_tests::fixtures::cache_reset(&env.app.db.pool).await;
    let id = |email: &'static str| {
        let pool = env.app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
                .to_string()
        }
    };
    let (pat, quinn) = (id("pat@pro.test").await, id("quinn@pro.test").await);
    let page = env.text(&hr, "/h/acme/admin/professionals").await;
    assert!(page.contains("Pat Doyle") && page.contains("Quinn Avery"));
    for (who, action) in [(&pat, "add"), (&quinn, "add"), (&quinn, "up")] {
        let r = env
            .post(
                &hr,
                "/h/acme/admin/professionals",
                &[("professional", who), ("action", action)],
            )
            .await;
        assert_eq!(location(&r), "/h/acme/admin/professionals?done=saved");
    }
    let hub = env.text(&browser(), "/h/acme/").await;
    let (q, p) = (
        hub.find("Quinn Avery").unwrap(),
        hub.find("Pat Doyle").unwrap(),
    );
    assert!(q < p, "Quinn was moved up");
    env.post(
        &hr,
        "/h/acme/admin/professionals",
        &[("professional", &pat), ("action", "remove")],
    )
    .await;
    assert!(!env.text(&browser(), "/h/acme/").await.contains("Pat Doyle"));
    let audit = env.audit().await;
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        ["roster.add", "roster.add", "roster.up", "roster.remove"]
    );
    assert_eq!(audit[2].1["before"][0]["name"], "Pat Doyle");
    assert_eq!(audit[2].1["after"][0]["name"], "Quinn Avery");
}

/// The TXT record's name and value as the domain page shows them.
fn record_on(page: &str, domain: &str) -> (String, String) {
    let page = unescape(page);
    let name = format!("_hearth-challenge.{domain}");
    assert!(page.contains(&format!("<code>{name}</code>")), "{page}");
    let at = page
        .find("<code>hearth-verify=")
        .expect("the record's value");
    let value = page[at + 6..].split('<').next().unwrap().to_owned();
    (name, value)
}

/// Waits (at most `within`) until `host` answers `status`.
async fn host_answers(env: &Env, host: &str, status: StatusCode, within: Duration) -> String {
    let start = std::time::Instant::now();
    loop {
        let r = env.app.get_host(host, "/").await;
        if r.status() == status {
            return r.text().await.unwrap();
        }
        assert!(
            start.elapsed() < within,
            "{host} still answers {} after {within:?}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_domain_serves_the_hub_only_while_its_dns_proves_control() {
    let dns = DnsServer::start(&["acme.test", "globex.test"]).await;
    let dns_addr = dns.addr();
    let env = env_with(move |c| {
        c.dns_servers = vec![dns_addr];
        // Serving domains are re-checked every second, waiting ones every 0.2 s.
        c.domain_recheck_secs = 1;
    })
    .await;
    let hr = env.hr_admin().await;
    let r = env
        .post(
            &hr,
            "/h/acme/admin/domain",
            &[("domain", "Wellbeing.Acme.test")],
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin/domain?done=added");
    let page = env.text(&hr, "/h/acme/admin/domain?done=added").await;
    assert!(page.contains("Add the TXT record below"), "{page}");
    assert!(page.contains("Waiting for proof"), "{page}");
    let (name, value) = record_on(&page, "wellbeing.acme.test");
    assert!(value.len() == "hearth-verify=".len() + 32, "{value}");

    // Added but not proved: the domain serves nothing.
    assert_eq!(
        env.app.get_host("wellbeing.acme.test", "/").await.status(),
        StatusCode::NOT_FOUND
    );
    let r = env
        .post(
            &hr,
            "/h/acme/admin/domain/check",
            &[("domain", "wellbeing.acme.test")],
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin/domain?done=missing");
    let page = env.text(&hr, "/h/acme/admin/domain?done=missing").await;
    assert!(page.contains("The record was not found yet"), "{page}");

    // A record with another token proves nothing.
    dns.set_txt(
        &name,
        &[
            "hearth-verify=00000000000000000000000000000000",
            "v=spf1 -all",
        ],
    )
    .await;
    let r = env
        .post(
            &hr,
            "/h/acme/admin/domain/check",
            &[("domain", "wellbeing.acme.test")],
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin/domain?done=missing");
    assert_eq!(
        env.app.get_host("wellbeing.acme.test", "/").await.status(),
        StatusCode::NOT_FOUND
    );

    // The right record, and "Check now": the hub answers at the domain.
    dns.set_txt(&name, &[&value, "v=spf1 -all"]).await;
    let r = env
        .post(
            &hr,
            "/h/acme/admin/domain/check",
            &[("domain", "wellbeing.acme.test")],
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin/domain?done=found");
    let answered = host_answers(
        &env,
        "wellbeing.acme.test",
        StatusCode::OK,
        Duration::from_secs(2),
    )
    .await;
    assert!(answered.contains("Acme Ltd Wellbeing Hub"), "{answered}");
    let page = env.text(&hr, "/h/acme/admin/domain").await;
    assert!(page.contains("Serving your hub"), "{page}");

    // The record goes: the periodic re-check stops the domain serving.
    dns.set_txt(&name, &[]).await;
    host_answers(
        &env,
        "wellbeing.acme.test",
        StatusCode::NOT_FOUND,
        Duration::from_secs(10),
    )
    .await;
    // It comes back: found again without anyone asking.
    dns.set_txt(&name, &[&value]).await;
    host_answers(
        &env,
        "wellbeing.acme.test",
        StatusCode::OK,
        Duration::from_secs(10),
    )
    .await;

    // A DNS that cannot be reached proves nothing either way: it keeps serving.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let unreachable = hearth_core::domain_proof::DomainChecker::new(&hearth_core::config::Config {
        dns_servers: vec![silent.local_addr().unwrap()],
        ..hearth_core::config::Config::default()
    })
    .unwrap();
    assert_eq!(
        hearth_core::domain_proof::check_now(&env.app.db.pool, &unreachable, "wellbeing.acme.test")
            .await
            .unwrap(),
        Some(hearth_core::domain_proof::Proof::Unreachable)
    );
    assert_eq!(
        env.app.get_host("wellbeing.acme.test", "/").await.status(),
        StatusCode::OK
    );

    // Another hub's HR admin cannot take it, nor check it.
    let other = env.user("Gil Bert", "hr@globex.test").await;
    env.member(&env.globex, "hr@globex.test", "hr_admin").await;
    let token = env.csrf(&other, "/h/globex/login").await;
    let r = other
        .post(format!("{}/h/globex/admin/domain", env.app.address))
        .form(&[("domain", "wellbeing.acme.test"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("already used by another hub"));
    let r = other
        .post(format!("{}/h/globex/admin/domain/check", env.app.address))
        .form(&[("domain", "wellbeing.acme.test"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Nor a name under the platform's own domain.
    let r = env
        .post(
            &hr,
            "/h/acme/admin/domain",
            &[("domain", "globex.hearth.localhost")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let r = env
        .post(
            &hr,
            "/h/acme/admin/domain/remove",
            &[("domain", "wellbeing.acme.test")],
        )
        .await;
    assert_eq!(location(&r), "/h/acme/admin/domain?done=removed");
    host_answers(
        &env,
        "wellbeing.acme.test",
        StatusCode::NOT_FOUND,
        Duration::from_secs(2),
    )
    .await;
    let actions: Vec<String> = env.audit().await.into_iter().map(|(a, _)| a).collect();
    assert_eq!(actions, ["domain.add", "domain.remove"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_hubs_hr_admins_reach_any_admin_route() {
    let env = env().await;
    let hr = env.hr_admin().await;
    let employee = env.user("Emma Ployee", "emma@acme.test").await;
    env.member(&env.acme, "emma@acme.test", "employee").await;
    let other_hr = env.user("Gil Bert", "hr@globex.test").await;
    env.member(&env.globex, "hr@globex.test", "hr_admin").await;
    let anonymous = browser();

    let (_, declared) = hearth_core::hub_admin::routes().into_parts();
    let routes: Vec<_> = declared
        .routes()
        .iter()
        .filter(|r| r.object == "hub_admin" && r.method != reqwest::Method::HEAD)
        .cloned()
        .collect();
    assert!(routes.len() >= 15, "{routes:?}");
    for client in [&employee, &other_hr, &anonymous] {
        let token = env.csrf(client, "/h/acme/login").await;
        for route in &routes {
            let path = format!("/h/acme{}", route.path);
            let r = client
                .request(route.method.clone(), format!("{}{path}", env.app.address))
                .header("x-csrf-token", &token)
                .send()
                .await
                .unwrap();
            if std::ptr::eq(client, &anonymous) && route.method == reqwest::Method::GET {
                assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
                assert!(location(&r).starts_with("/h/acme/login?next="), "{path}");
            } else {
                assert_eq!(r.status(), StatusCode::FORBIDDEN, "{} {path}", route.method);
                // Refused by the policy, not by a CSRF failure.
                assert!(
                    r.text().await.unwrap().contains("You do not have access"),
                    "{path}"
                );
            }
        }
    }
    // The HR admin reaches every page; on the platform there is no /admin.
    for route in routes.iter().filter(|r| r.method == reqwest::Method::GET) {
        let r = env.get(&hr, &format!("/h/acme{}", route.path)).await;
        assert_eq!(r.status(), StatusCode::OK, "{}", route.path);
    }
    assert_ne!(env.get(&hr, "/admin").await.status(), StatusCode::OK);
    assert!(
        env.audit().await.is_empty(),
        "refused requests change nothing"
    );
}
