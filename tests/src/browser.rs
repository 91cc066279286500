//! A scripted user over HTTP: a cookie jar of its own, forms submitted with
//! their CSRF token, and the sign-up → terms → emailed code flow.

use std::time::Duration;

use reqwest::{Client, Response};

use crate::smtp::SmtpServer;

/// A password every test user can use (strong enough for zxcvbn).
pub const PASSWORD: &str = "tidal-Quince-47-lantern";

/// One person's browser against the app at `base` (for example
/// `http://127.0.0.1:1234` or `http://127.0.0.1:1234/h/acme`).
#[derive(Clone)]
pub struct Browser {
    /// Where paths are resolved.
    pub base: String,
    /// The client, with its own cookies, not following redirects.
    pub client: Client,
}

impl Browser {
    /// A fresh browser (no cookies) against `base`.
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .expect("client"),
        }
    }

    /// A browser already logged in with session `token` (see
    /// `hearth_core::web::session::start`), for tests that need many users.
    pub fn with_session(base: impl Into<String>, token: &str) -> Self {
        let base = base.into();
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let url: reqwest::Url = base.parse().expect("base URL");
        jar.add_cookie_str(&format!("hearth_session={token}; Path=/"), &url);
        Self {
            base,
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_provider(jar)
                .build()
                .expect("client"),
        }
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET")
    }

    /// GET `path` and its body, asserting a 200.
    pub async fn page(&self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}: {}", location(&r));
        r.text().await.expect("body")
    }

    /// Loads `form_page` for its CSRF token, then posts `fields` to `action`.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let page = self.get(form_page).await.text().await.expect("body");
        assert!(
            page.contains("name=\"csrf\""),
            "{form_page} has no form: {page}"
        );
        self.post(action, &csrf_of(&page), fields).await
    }

    /// Posts `fields` and the CSRF `token` to `action`.
    pub async fn post(&self, action: &str, token: &str, fields: &[(&str, &str)]) -> Response {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", token));
        self.client
            .post(format!("{}{action}", self.base))
            .form(&form)
            .send()
            .await
            .expect("POST")
    }

    /// Signs up through the forms, accepts the terms and enters the code from
    /// the `mail_number`-th email (1-based) the capture server receives.
    /// Returns where the code's form sent the browser.
    pub async fn onboard(
        &self,
        smtp: &SmtpServer,
        name: &str,
        email: &str,
        mail_number: usize,
    ) -> String {
        let r = self
            .submit(
                "/signup",
                "/signup",
                &[("name", name), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert!(location(&r).ends_with("/terms"), "{}", location(&r));
        let r = self.submit("/terms", "/terms", &[]).await;
        assert!(location(&r).ends_with("/verify"), "{}", location(&r));
        let text = mail_text(smtp, mail_number).await.2;
        let r = self
            .submit("/verify", "/verify", &[("code", &code_in(&text))])
            .await;
        location(&r)
    }

    /// Logs in with `email` and [`PASSWORD`].
    pub async fn login(&self, email: &str) {
        let r = self
            .submit(
                "/login",
                "/login",
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.status(), 303, "login as {email}: {}", location(&r));
    }
}

/// The `n`-th email (1-based): (to, subject, text), waiting for it.
pub async fn mail_text(smtp: &SmtpServer, n: usize) -> (String, String, String) {
    let messages = smtp.wait_for(n, Duration::from_secs(15)).await;
    assert!(
        messages.len() >= n,
        "expected {n} emails, got {}",
        messages.len()
    );
    let parsed = messages[n - 1].parsed();
    (parsed.to, parsed.subject, parsed.text.unwrap_or_default())
}

/// The CSRF token of the first form on `page`.
pub fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    page[at + 19..].split('"').next().expect("token").to_owned()
}

/// The 6-digit code in a verification email's text.
pub fn code_in(text: &str) -> String {
    let at = text.find("code is ").expect("a code in the email");
    text[at + 8..at + 14].to_owned()
}

/// The redirect target of `r`, or its status when it is not a redirect.
pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .map(|l| l.to_str().unwrap_or_default().to_owned())
        .unwrap_or_else(|| format!("(status {})", r.status()))
}
