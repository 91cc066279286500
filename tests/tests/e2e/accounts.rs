//! Accounts over real HTTP, real PostgreSQL and real SMTP: sign-up → terms →
//! code → dashboard, login and its limits, resets, invitations, authorization.

use std::sync::Arc;
use std::time::Duration;

use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};
use reqwest::{Response, StatusCode};

const PASSWORD: &str = "tidal-Quince-47-lantern";

struct Env {
    app: TestApp,
    smtp: SmtpServer,
}

async fn env() -> Env {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_mailing(db, &smtp).await;
    Env { app, smtp }
}

impl Env {
    /// A client of its own (its own cookies).
    fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("test setup")
    }

    async fn get(&self, client: &reqwest::Client, path: &str) -> Response {
        client
            .get(format!("{}{path}", self.app.address))
            .send()
            .await
            .expect("test setup")
    }

    /// Loads `form_page` for its CSRF token, then posts `fields` to `action`.
    async fn submit(
        &self,
        client: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let page = self
            .get(client, form_page)
            .await
            .text()
            .await
            .expect("test setup");
        assert!(
            page.contains("name=\"csrf\""),
            "{form_page} has no form: {page}"
        );
        let token = csrf_of(&page);
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &token));
        client
            .post(format!("{}{action}", self.app.address))
            .form(&form)
            .send()
            .await
            .expect("test setup")
    }

    /// The `n`-th email's text (1-based), waiting for it.
    async fn mail_text(&self, n: usize) -> (String, String, String) {
        let messages = self.smtp.wait_for(n, Duration::from_secs(15)).await;
        assert!(
            messages.len() >= n,
            "expected {n} emails, got {}",
            messages.len()
        );
        let parsed = messages[n - 1].parsed();
        (parsed.to, parsed.subject, parsed.text.unwrap_or_default())
    }

    /// Signs up through the forms, accepts the terms and enters the emailed code.
    async fn onboard(&self, client: &reqwest::Client, name: &str, email: &str, mail_number: usize) {
        let r = self
            .submit(
                client,
                "/signup",
                "/signup",
                &[("name", name), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(location(&r), "/terms");
        let r = self.submit(client, "/terms", "/terms", &[]).await;
        assert_eq!(location(&r), "/verify");
        let (to, _, text) = self.mail_text(mail_number).await;
        assert_eq!(to, email);
        let r = self
            .submit(client, "/verify", "/verify", &[("code", &code_in(&text))])
            .await;
        assert_eq!(location(&r), "/dashboard");
    }

    async fn make_professional(&self, email: &str) {
        sqlx::query(
            "INSERT INTO professionals (user_id, title, verified_at) SELECT id, 'Psychologist', now() FROM users WHERE email = $1",
        )
        .bind(email)
        .execute(&self.app.db.pool)
        .await
        .expect("test setup");
        hearth_tests::fixtures::cache_reset(&self.app.db.pool).await;
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.app.db.pool)
            .await
            .expect("test setup")
    }
}

fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    page[at + 19..]
        .split('"')
        .next()
        .expect("test setup")
        .to_owned()
}

fn code_in(text: &str) -> String {
    let at = text.find("code is ").expect("a code in the email");
    text[at + 8..at + 14].to_owned()
}

fn link_in(text: &str, marker: &str) -> String {
    let at = text.find(marker).expect("a link in the email");
    let path = &text[at..];
    path.split_whitespace()
        .next()
        .expect("test setup")
        .to_owned()
}

fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .map(|l| l.to_str().expect("test setup").to_owned())
        .unwrap_or_else(|| format!("(status {})", r.status()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_then_terms_then_emailed_code_lands_on_the_dashboard() {
    let env = env().await;
    let client = env.browser();
    let r = env
        .submit(
            &client,
            "/signup",
            "/signup",
            &[
                ("name", "Ada Lovelace"),
                ("email", "ada@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/terms");
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    // Until the terms and the email are done, the account reaches only those pages.
    assert_eq!(location(&env.get(&client, "/dashboard").await), "/terms");
    let r = env.submit(&client, "/terms", "/terms", &[]).await;
    assert_eq!(location(&r), "/verify");
    assert_eq!(location(&env.get(&client, "/dashboard").await), "/verify");

    let (to, subject, text) = env.mail_text(1).await;
    assert_eq!(to, "ada@example.com");
    assert!(subject.starts_with("Your verification code"));
    let code = code_in(&text);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let page = env
        .submit(&client, "/verify", "/verify", &[("code", wrong)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("That code is not right. 4 tries left."),
        "{page}"
    );

    let r = env
        .submit(&client, "/verify", "/verify", &[("code", &code)])
        .await;
    assert_eq!(location(&r), "/dashboard");
    let dashboard = env.get(&client, "/dashboard").await;
    assert_eq!(dashboard.status(), 200);
    assert!(dashboard
        .text()
        .await
        .unwrap()
        .contains("Hello, Ada Lovelace"));

    let accepted = env
        .count("SELECT count(*) FROM terms_acceptances WHERE version = '2026-11-01'")
        .await;
    assert_eq!(accepted, 1);
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'ada@example.com'")
            .fetch_one(&env.app.db.pool)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    // The code is single-use: it is gone once used.
    assert_eq!(
        env.count("SELECT count(*) FROM email_verifications").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_and_over_tried_codes_are_refused_and_resend_is_throttled() {
    let env = env().await;
    let client = env.browser();
    env.submit(
        &client,
        "/signup",
        "/signup",
        &[
            ("name", "Bo"),
            ("email", "bo@example.com"),
            ("password", PASSWORD),
        ],
    )
    .await;
    env.submit(&client, "/terms", "/terms", &[]).await;
    let (_, _, text) = env.mail_text(1).await;
    let code = code_in(&text);

    // An immediate resend is refused.
    let page = env
        .submit(&client, "/verify", "/verify/resend", &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("You can ask for another in"), "{page}");

    // Expired.
    sqlx::query("UPDATE email_verifications SET expires_at = now() - interval '1 second'")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    let page = env
        .submit(&client, "/verify", "/verify", &[("code", &code)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("This code has expired"), "{page}");

    // A new code, then five wrong tries: even the right code no longer works.
    sqlx::query("UPDATE email_verifications SET last_sent_at = now() - interval '2 minutes'")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    let page = env
        .submit(&client, "/verify", "/verify/resend", &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("We sent a new code"), "{page}");
    let (_, _, text) = env.mail_text(2).await;
    let fresh = code_in(&text);
    let wrong = if fresh == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        env.submit(&client, "/verify", "/verify", &[("code", wrong)])
            .await;
        // Growing delays on code entry start after three failures; let them pass.
        sqlx::query("UPDATE auth_throttle SET locked_until = NULL")
            .execute(&env.app.db.pool)
            .await
            .unwrap();
    }
    let page = env
        .submit(&client, "/verify", "/verify", &[("code", &fresh)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Too many wrong codes. Send a new one."),
        "{page}"
    );
    assert_eq!(
        env.count("SELECT count(*) FROM users WHERE email_verified_at IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weak_passwords_and_taken_emails_are_refused_next_to_the_field() {
    let env = env().await;
    let client = env.browser();
    let page = env
        .submit(
            &client,
            "/signup",
            "/signup",
            &[
                ("name", "Cy"),
                ("email", "cy@example.com"),
                ("password", "password123"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"e-password\""),
        "the reason sits next to the password field"
    );
    assert!(page.contains("aria-invalid=\"true\""));
    let page = env
        .submit(
            &client,
            "/signup",
            "/signup",
            &[
                ("name", "Cy"),
                ("email", "not-an-email"),
                ("password", PASSWORD),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Enter an email address like name@example.com."));
    assert_eq!(
        env.count("SELECT count(*) FROM users").await,
        0,
        "nothing was saved"
    );

    env.onboard(&client, "Cy", "cy@example.com", 1).await;
    let other = env.browser();
    let page = env
        .submit(
            &other,
            "/signup",
            "/signup",
            &[
                ("name", "Cy 2"),
                ("email", "CY@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("An account with this email already exists."));
    assert_eq!(env.count("SELECT count(*) FROM users").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weak_password_is_explained_in_the_language_of_the_sign_up_page() {
    let env = env().await;
    let in_language = |accept: &'static str| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .default_headers({
                let mut h = reqwest::header::HeaderMap::new();
                h.insert("accept-language", accept.parse().unwrap());
                h
            })
            .build()
            .unwrap()
    };
    let refused = |client: reqwest::Client, email: &'static str, password: &'static str| {
        let env = &env;
        async move {
            let r = env
                .submit(
                    &client,
                    "/signup",
                    "/signup",
                    &[("name", "Sigga"), ("email", email), ("password", password)],
                )
                .await;
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.unwrap()
        }
    };

    let page = refused(
        in_language("is-IS,is;q=0.9"),
        "sigga@example.is",
        "password123",
    )
    .await;
    assert!(page.contains("id=\"e-password\""), "{page}");
    assert!(
        page.contains("Bættu við einu eða tveimur orðum. Sjaldgæf orð eru betri."),
        "{page}"
    );
    assert!(
        !page.contains("guess") && !page.contains("Add another word"),
        "no English on an Icelandic page: {page}"
    );
    let page = refused(in_language("is"), "sigga@example.is", "short").await;
    assert!(page.contains("Notaðu að minnsta kosti 10 stafi."), "{page}");
    let page = refused(in_language("is"), "not-an-email", PASSWORD).await;
    assert!(
        page.contains("Sláðu inn netfang á borð við nafn@example.com."),
        "{page}"
    );

    let page = refused(in_language("en"), "cy@example.com", "password123").await;
    assert!(
        page.contains(" Add another word or two. Uncommon words are better."),
        "{page}"
    );
    assert!(!page.contains("Bættu við"));
    let page = refused(in_language("en"), "cy@example.com", "short").await;
    assert!(page.contains("Use at least 10 characters."), "{page}");
    assert_eq!(
        env.count("SELECT count(*) FROM users").await,
        0,
        "nothing was saved"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_says_the_same_for_unknown_users_and_wrong_passwords_and_slows_down_guessing() {
    let env = env().await;
    let client = env.browser();
    env.onboard(&client, "Dee", "dee@example.com", 1).await;
    env.submit(&client, "/dashboard", "/logout", &[]).await;
    assert_eq!(
        location(&env.get(&client, "/dashboard").await),
        "/login?next=%2Fdashboard"
    );

    let unknown = env
        .submit(
            &client,
            "/login",
            "/login",
            &[("email", "nobody@example.com"), ("password", PASSWORD)],
        )
        .await;
    let wrong = env
        .submit(
            &client,
            "/login",
            "/login",
            &[
                ("email", "dee@example.com"),
                ("password", "wrong-password-1"),
            ],
        )
        .await;
    let (unknown, wrong) = (unknown.text().await.unwrap(), wrong.text().await.unwrap());
    assert!(
        unknown.contains("Wrong email or password.") && wrong.contains("Wrong email or password.")
    );

    let ok = env
        .submit(
            &client,
            "/login",
            "/login",
            &[
                ("email", "Dee@Example.com"),
                ("password", PASSWORD),
                ("next", "/account/password"),
            ],
        )
        .await;
    assert_eq!(location(&ok), "/account/password");
    env.submit(&client, "/dashboard", "/logout", &[]).await;

    // Three free failures, then a delay: even the right password waits.
    for _ in 0..4 {
        env.submit(
            &client,
            "/login",
            "/login",
            &[
                ("email", "dee@example.com"),
                ("password", "wrong-password-1"),
            ],
        )
        .await;
    }
    let blocked = env
        .submit(
            &client,
            "/login",
            "/login",
            &[("email", "dee@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert!(blocked
        .text()
        .await
        .unwrap()
        .contains("Too many attempts. Please wait"));
    // An open redirect is not followed.
    sqlx::query("DELETE FROM auth_throttle")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    let ok = env
        .submit(
            &client,
            "/login",
            "/login",
            &[
                ("email", "dee@example.com"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&ok), "/dashboard");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_when_idle_and_a_login_rotates_the_session() {
    let env = env().await;
    let client = env.browser();
    env.onboard(&client, "Eve", "eve@example.com", 1).await;
    let before: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_one(&env.app.db.pool)
        .await
        .unwrap();
    env.submit(
        &client,
        "/login",
        "/login",
        &[("email", "eve@example.com"), ("password", PASSWORD)],
    )
    .await;
    let after: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_all(&env.app.db.pool)
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert_ne!(after[0], before, "a new session id on login");

    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '61 minutes'")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    assert!(location(&env.get(&client, "/dashboard").await).starts_with("/login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_works_once_within_the_hour_and_ends_other_sessions() {
    let env = env().await;
    let laptop = env.browser();
    env.onboard(&laptop, "Fay", "fay@example.com", 1).await;
    let phone = env.browser();
    env.submit(
        &phone,
        "/login",
        "/login",
        &[("email", "fay@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(env.get(&phone, "/dashboard").await.status(), 200);

    let stranger = env.browser();
    let page = env
        .submit(
            &stranger,
            "/forgot",
            "/forgot",
            &[("email", "fay@example.com")],
        )
        .await
        .text()
        .await
        .unwrap();
    let same = env
        .submit(
            &stranger,
            "/forgot",
            "/forgot",
            &[("email", "nobody@example.com")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("If an account exists for that email"));
    assert!(same.contains("If an account exists for that email"));
    let (to, subject, text) = env.mail_text(2).await;
    assert_eq!(
        (to.as_str(), subject.as_str()),
        ("fay@example.com", "Reset your password")
    );
    let url = link_in(&text, "http");
    let path = &url[url.find("/reset/").unwrap()..];
    let token = path.trim_start_matches("/reset/");
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM password_resets WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
    )
    .bind(token)
    .fetch_one(&env.app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        stored, 1,
        "only the hash of the emailed token is stored ({token:?})"
    );

    let new_password = "orchid-Velvet-93-harbor";
    let r = env
        .submit(&stranger, path, path, &[("password", new_password)])
        .await;
    assert_eq!(location(&r), "/dashboard");
    assert!(
        location(&env.get(&phone, "/dashboard").await).starts_with("/login"),
        "other sessions ended"
    );
    assert!(location(&env.get(&laptop, "/dashboard").await).starts_with("/login"));
    let (_, subject, _) = env.mail_text(3).await;
    assert_eq!(subject, "Your password was changed");

    // Used: the link is dead.
    let again = env.get(&env.browser(), path).await.text().await.unwrap();
    assert!(again.contains("This link has expired or has already been used."));
    // Expired: dead too.
    let other = env.browser();
    sqlx::query("DELETE FROM password_resets")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    env.submit(
        &other,
        "/forgot",
        "/forgot",
        &[("email", "fay@example.com")],
    )
    .await;
    let (_, _, text) = env.mail_text(4).await;
    let url = link_in(&text, "http");
    let path = &url[url.find("/reset/").unwrap()..];
    sqlx::query("UPDATE password_resets SET expires_at = now() - interval '1 second'")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    let page = env.get(&other, path).await.text().await.unwrap();
    assert!(page.contains("This link has expired or has already been used."));
    // Posting to it anyway changes nothing.
    let r = env
        .submit(
            &other,
            "/forgot",
            path,
            &[("password", "another-Strong-77-pass")],
        )
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("This link has expired or has already been used."));
    let ok = env
        .submit(
            &env.browser(),
            "/login",
            "/login",
            &[("email", "fay@example.com"), ("password", new_password)],
        )
        .await;
    assert_eq!(location(&ok), "/dashboard");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_to_a_new_email_signs_the_client_up_and_connects_them() {
    let env = env().await;
    let pro = env.browser();
    env.onboard(&pro, "Dr Gail", "gail@pro.example", 1).await;
    env.make_professional("gail@pro.example").await;
    let page = env
        .submit(
            &pro,
            "/pro/invitations",
            "/pro/invitations",
            &[
                ("email", "hal@example.com"),
                ("name", "Hal"),
                ("message", "Looking forward to it"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Invitation sent to hal@example.com."),
        "{page}"
    );
    let (to, subject, text) = env.mail_text(2).await;
    assert_eq!(to, "hal@example.com");
    assert_eq!(subject, "Dr Gail invited you to connect");
    let url = link_in(&text, "http");
    let path = url[url.find("/invitations/").unwrap()..].to_owned();

    let client = env.browser();
    let landing = env.get(&client, &path).await.text().await.unwrap();
    assert!(landing.contains("Create your account"));
    let token = path.trim_start_matches("/invitations/");
    let signup = env
        .get(&client, &format!("/signup?invitation={token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        signup.contains("value=\"hal@example.com\"") && signup.contains("readonly"),
        "email prefilled and locked"
    );
    // A changed email in the form is ignored: the invitation's address is used.
    let r = env
        .submit(
            &client,
            &format!("/signup?invitation={token}"),
            "/signup",
            &[
                ("name", "Hal"),
                ("email", "other@example.com"),
                ("password", PASSWORD),
                ("invitation", token),
            ],
        )
        .await;
    assert_eq!(location(&r), "/terms");
    env.submit(&client, "/terms", "/terms", &[]).await;
    let (to, _, text) = env.mail_text(3).await;
    assert_eq!(to, "hal@example.com");
    env.submit(&client, "/verify", "/verify", &[("code", &code_in(&text))])
        .await;

    assert_eq!(env.count("SELECT count(*) FROM connections c JOIN users u ON u.id = c.client_id WHERE u.email = 'hal@example.com'").await, 1);
    let dashboard = env.get(&client, "/dashboard").await.text().await.unwrap();
    assert!(dashboard.contains("Dr Gail"));
    // Single use.
    let again = env.get(&env.browser(), &path).await.text().await.unwrap();
    assert!(again.contains("This invitation is no longer valid"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_to_an_existing_account_asks_to_log_in_and_makes_no_second_account() {
    let env = env().await;
    let client = env.browser();
    env.onboard(&client, "Ivy", "ivy@example.com", 1).await;
    env.submit(&client, "/dashboard", "/logout", &[]).await;
    let pro = env.browser();
    env.onboard(&pro, "Dr Jo", "jo@pro.example", 2).await;
    env.make_professional("jo@pro.example").await;
    env.submit(
        &pro,
        "/pro/invitations",
        "/pro/invitations",
        &[("email", "ivy@example.com")],
    )
    .await;
    let (_, _, text) = env.mail_text(3).await;
    let url = link_in(&text, "http");
    let path = url[url.find("/invitations/").unwrap()..].to_owned();

    let landing = env.get(&client, &path).await.text().await.unwrap();
    assert!(landing.contains("Log in to connect"), "{landing}");
    let r = env
        .submit(
            &client,
            "/login",
            "/login",
            &[
                ("email", "ivy@example.com"),
                ("password", PASSWORD),
                ("next", &path),
            ],
        )
        .await;
    assert_eq!(location(&r), path);
    let r = env
        .submit(&client, &path, &format!("{path}/accept"), &[])
        .await;
    assert_eq!(location(&r), "/dashboard");
    assert_eq!(
        env.count("SELECT count(*) FROM users WHERE lower(email) = 'ivy@example.com'")
            .await,
        1
    );
    assert_eq!(env.count("SELECT count(*) FROM connections").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_and_expired_invitations_no_longer_work() {
    let env = env().await;
    let pro = env.browser();
    env.onboard(&pro, "Dr Kim", "kim@pro.example", 1).await;
    env.make_professional("kim@pro.example").await;
    env.submit(
        &pro,
        "/pro/invitations",
        "/pro/invitations",
        &[("email", "lee@example.com")],
    )
    .await;
    env.submit(
        &pro,
        "/pro/invitations",
        "/pro/invitations",
        &[("email", "max@example.com")],
    )
    .await;
    let (_, _, first) = env.mail_text(2).await;
    let (_, _, second) = env.mail_text(3).await;
    let path = |text: &str| {
        let url = link_in(text, "http");
        url[url.find("/invitations/").unwrap()..].to_owned()
    };
    let id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM invitations WHERE email = 'lee@example.com'")
            .fetch_one(&env.app.db.pool)
            .await
            .unwrap();
    let r = env
        .submit(
            &pro,
            "/pro/invitations",
            &format!("/pro/invitations/{id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/pro/invitations");
    sqlx::query("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE email = 'max@example.com'")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    for p in [path(&first), path(&second)] {
        let page = env.get(&env.browser(), &p).await.text().await.unwrap();
        assert!(page.contains("This invitation is no longer valid"), "{p}");
        let token = p.trim_start_matches("/invitations/");
        let signup = env
            .get(&env.browser(), &format!("/signup?invitation={token}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !signup.contains("invited you"),
            "a dead invitation prefills nothing"
        );
    }
    let list = env
        .get(&pro, "/pro/invitations")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Revoked") && list.contains("Expired"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protected_routes_refuse_logged_out_users_and_users_of_other_roles() {
    let env = env().await;
    let (_, declared) = hearth_core::routes::routes().into_parts();
    let anonymous = env.browser();
    let user = env.browser();
    env.onboard(&user, "Ned", "ned@example.com", 1).await;
    let csrf_user = csrf_of(
        &env.get(&user, "/account/password")
            .await
            .text()
            .await
            .unwrap(),
    );
    let anon_page = env.get(&anonymous, "/login").await.text().await.unwrap();
    let csrf_anon = csrf_of(&anon_page);
    let mut checked = 0;
    for route in declared.routes() {
        // Every path parameter filled in: tokens and files with "x", ids with a uuid.
        let path = route
            .path
            .split('/')
            .map(|segment| match segment {
                "{token}" | "{file}" => "x",
                s if s.starts_with('{') => "00000000-0000-0000-0000-000000000000",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/");
        let url = format!("{}{path}", env.app.address);
        // Booking pages may be browsed before signing up (the confirm step
        // asks for an account); a video guest's link works for whoever holds it.
        let readable = matches!(route.method.as_str(), "GET" | "HEAD");
        let open_to_anonymous = matches!(route.object, "public" | "probe" | "auth" | "guest")
            || (route.object == "booking" && readable);
        let send = |client: &reqwest::Client, csrf: &str| {
            let request = match route.method.as_str() {
                "GET" => client.get(&url),
                "HEAD" => client.head(&url),
                _ => client.post(&url).form(&[("csrf", csrf)]),
            };
            request.send()
        };
        let r = send(&anonymous, &csrf_anon).await.unwrap();
        if !open_to_anonymous {
            match route.method.as_str() {
                "GET" | "HEAD" => assert!(
                    location(&r).starts_with("/login?next="),
                    "{} {path}: {}",
                    route.method,
                    location(&r)
                ),
                _ => assert_eq!(r.status(), 403, "{} {path}", route.method),
            }
            checked += 1;
        }
        if matches!(route.object, "invitations" | "billing") {
            let r = send(&user, &csrf_user).await.unwrap();
            assert_eq!(
                r.status(),
                403,
                "a client is not a professional: {} {path}",
                route.method
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 10,
        "the route list covers the protected routes ({checked})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changing_requests_need_the_csrf_token_and_the_same_origin() {
    let env = env().await;
    let client = env.browser();
    env.onboard(&client, "Oli", "oli@example.com", 1).await;
    let url = format!("{}/logout", env.app.address);
    let missing = client.post(&url).form(&[("x", "1")]).send().await.unwrap();
    assert_eq!(missing.status(), 403);
    let wrong = client
        .post(&url)
        .form(&[("csrf", "x".repeat(43))])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let token = csrf_of(&env.get(&client, "/dashboard").await.text().await.unwrap());
    let cross = client
        .post(&url)
        .header("origin", "https://evil.example")
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert_eq!(
        env.get(&client, "/dashboard").await.status(),
        200,
        "still logged in"
    );
    let ok = client
        .post(&url)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&ok), "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_route_without_a_declared_rule_is_refused() {
    use tower::ServiceExt;
    let db = TestDb::new().await;
    let config = hearth_core::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        themes_dir: hearth_tests::workspace_root().join("themes"),
        ..hearth_core::Config::default()
    };
    let app = hearth_core::Application::build_with_pool(config, db.pool.clone())
        .await
        .unwrap();
    let undeclared = axum::Router::new()
        .route("/undeclared", axum::routing::get(|| async { "secret" }))
        .layer(axum::middleware::from_fn_with_state(
            (
                app.state(),
                Arc::new(hearth_core::web::authz::Declared::default()),
            ),
            hearth_core::web::authz::authorize,
        ));
    let response = undeclared
        .oneshot(
            axum::http::Request::get("/undeclared")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emails_come_in_the_language_the_browser_asked_for() {
    let env = env().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .default_headers({
            let mut h = reqwest::header::HeaderMap::new();
            h.insert(
                "accept-language",
                "is-IS,is;q=0.9,en;q=0.5".parse().unwrap(),
            );
            h
        })
        .build()
        .unwrap();
    env.submit(
        &client,
        "/signup",
        "/signup",
        &[
            ("name", "Sigga"),
            ("email", "sigga@example.is"),
            ("password", PASSWORD),
        ],
    )
    .await;
    let (_, subject, text) = env.mail_text(1).await;
    assert!(subject.starts_with("Staðfestingarkóðinn þinn"), "{subject}");
    assert!(text.contains("Staðfestingarkóðinn þinn er"));
    let language: String = sqlx::query_scalar("SELECT language FROM users")
        .fetch_one(&env.app.db.pool)
        .await
        .unwrap();
    assert_eq!(language, "is");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_terms_version_is_asked_for_again() {
    let env = env().await;
    let client = env.browser();
    env.onboard(&client, "Pat", "pat@example.com", 1).await;
    assert_eq!(env.get(&client, "/dashboard").await.status(), 200);
    // The user accepted an older version only.
    sqlx::query("UPDATE terms_acceptances SET version = '2020-01-01'")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    assert_eq!(location(&env.get(&client, "/dashboard").await), "/terms");
    let r = env.submit(&client, "/terms", "/terms", &[]).await;
    assert_eq!(location(&r), "/dashboard");
    assert_eq!(env.get(&client, "/dashboard").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_change_in_the_database_takes_effect_without_a_restart() {
    let env = env().await;
    let client = env.browser();
    env.onboard(&client, "Quin", "quin@example.com", 1).await;
    assert_eq!(env.get(&client, "/account/password").await.status(), 200);
    sqlx::query("DELETE FROM casbin_rule WHERE v0 = 'user' AND v2 = 'account' AND v3 = 'read'")
        .execute(&env.app.db.pool)
        .await
        .unwrap();
    // A change by hand reaches the nodes when the operator says so.
    let out = std::process::Command::new(hearth_tests::hearth_binary())
        .args(["cache", "reset"])
        .env("DATABASE_URL", &env.app.db.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let started = std::time::Instant::now();
    while env.get(&client, "/account/password").await.status() != 403 {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the policy was not reloaded"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_person_lands_where_their_work_is_after_logging_in() {
    use hearth_tests::browser::{location, Browser};
    use hearth_tests::fixtures::{all_week, in_hub, member, professional, user};
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let pool = &db.pool;
    let acme = db.hub("acme", "Acme Ltd").await;
    let set_password = |id: uuid::Uuid| async move {
        let hash =
            hearth_core::accounts::password::hash(hearth_tests::browser::PASSWORD.to_owned())
                .await
                .unwrap();
        sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .execute(pool)
            .await
            .unwrap();
    };
    let login = |base: String, email: &'static str| async move {
        let b = Browser::new(base);
        let r = b
            .submit(
                "/login",
                "/login",
                &[
                    ("email", email),
                    ("password", hearth_tests::browser::PASSWORD),
                ],
            )
            .await;
        (b, location(&r))
    };
    let pia = professional(
        pool,
        "pia@pro.example",
        "Pia Prosser",
        "UTC",
        0,
        &all_week(),
    )
    .await;
    set_password(pia).await;
    let eve = user(pool, "eve@acme.example", "Eve", "UTC").await;
    set_password(eve).await;
    member(pool, &acme, eve).await;
    let hanna = user(pool, "hanna@acme.example", "Hanna", "UTC").await;
    set_password(hanna).await;
    in_hub(
        pool,
        &acme,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(hanna),
    )
    .await;

    // A professional: the practice, with a way to their own sessions as a client.
    let (b, to) = login(app.address.clone(), "pia@pro.example").await;
    assert_eq!(to, "/pro");
    let practice = b.page("/pro").await;
    assert!(
        practice.contains("My sessions") && practice.contains("href=\"/dashboard\""),
        "{practice}"
    );
    // ... unless they were on their way somewhere.
    let b = Browser::new(app.address.clone());
    let r = b
        .submit(
            "/login?next=/account/profile",
            "/login",
            &[
                ("email", "pia@pro.example"),
                ("password", hearth_tests::browser::PASSWORD),
                ("next", "/account/profile"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/account/profile");

    // An HR admin: the hub, with "Hub settings" in sight (not in a menu).
    let hub = format!("{}/h/acme", app.address);
    let (b, to) = login(hub.clone(), "hanna@acme.example").await;
    assert_eq!(to, "/h/acme/");
    let page = b.page("/").await.replace("&#x2F;", "/");
    let settings = page
        .find("class=\"button secondary small role-link\" href=\"/h/acme/admin\">Hub settings</a>")
        .expect("a visible Hub settings link");
    assert!(settings < page.find("<details>").expect("the name menu"));

    // An employee: the dashboard.
    let (_, to) = login(hub, "eve@acme.example").await;
    assert_eq!(to, "/h/acme/dashboard");
}
