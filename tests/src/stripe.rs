//! localstripe for the payment tests: a fake, stateful Stripe API (with the
//! Stripe.js stand-in pages load) started on a free loopback port, one per
//! test, stopped when dropped. `hearth_admin::localstripe` starts it (as
//! `hearth dev` does); this adds the test-side look-ups.
//!
//! Typical use:
//! ```ignore
//! let stripe = hearth_tests::stripe::start();
//! let app = TestApp::spawn_configured(db, pool, |c| stripe.configure(c)).await;
//! stripe.configure_webhook(&format!("{}/webhooks/stripe", app.address));
//! ```

use hearth_admin::localstripe::{self, LocalStripe as Server};
use hearth_core::config::Config;
use serde_json::Value;

/// The webhook signing secret the fixture configures on both sides.
pub const WEBHOOK_SECRET: &str = "whsec_hearth_tests_localstripe";

/// A running localstripe.
pub struct LocalStripe {
    server: Server,
    client: reqwest::Client,
}

/// Starts localstripe on a free port; panics, saying how to install it, when
/// its venv is missing.
pub fn start() -> LocalStripe {
    assert!(
        Server::available(),
        "localstripe is not installed: {} or {} is missing; ./scripts/test makes the venv \
         (or run `bash -c 'source scripts/lib.sh; ensure_localstripe'` in the repository), \
         or set {} to a Python that has localstripe",
        Server::python().display(),
        Server::wrapper().display(),
        localstripe::PYTHON_VAR,
    );
    LocalStripe {
        server: Server::start(0).expect("localstripe started"),
        client: reqwest::Client::new(),
    }
}

impl LocalStripe {
    /// Its port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.server.port
    }

    /// The API's base URL, with a trailing slash.
    pub fn api_base(&self) -> String {
        self.server.api_base()
    }

    /// The URL of its Stripe.js stand-in.
    pub fn js_url(&self) -> String {
        self.server.js_url()
    }

    /// Points `config` at this server: the test keys, the API base, the
    /// Stripe.js URL and [`WEBHOOK_SECRET`].
    pub fn configure(&self, config: &mut Config) {
        config.stripe_secret_key = Some(localstripe::SECRET_KEY.to_owned().into());
        config.stripe_publishable_key = Some(localstripe::PUBLISHABLE_KEY.to_owned());
        config.stripe_webhook_secret = Some(WEBHOOK_SECRET.to_owned().into());
        config.stripe_api_base = self.api_base();
        config.stripe_js_url = self.js_url();
    }

    /// Sends every event from now on to `url` (e.g. the app's
    /// `/webhooks/stripe`), signed with [`WEBHOOK_SECRET`]. localstripe sends
    /// each about a second after it happens, once, and does not retry.
    pub fn configure_webhook(&self, url: &str) {
        self.configure_webhook_with(url, WEBHOOK_SECRET);
    }

    /// Sends every event from now on to `url`, signed with `secret`.
    pub fn configure_webhook_with(&self, url: &str, secret: &str) {
        self.server
            .configure_webhook(url, secret)
            .expect("localstripe's webhook configured");
    }

    /// GET `path` (`/v1/…`, with its query) with the secret key; panics
    /// unless it answers 2xx with JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self
            .client
            .get(format!("http://127.0.0.1:{}{path}", self.port()))
            .bearer_auth(localstripe::SECRET_KEY)
            .send()
            .await
            .expect("localstripe answers");
        let status = response.status();
        let body = response.text().await.expect("localstripe's answer");
        assert!(status.is_success(), "GET {path}: {status} {body}");
        serde_json::from_str(&body).expect("JSON from localstripe")
    }

    /// POST `form` to `path` with the secret key; panics unless it answers
    /// 2xx with JSON.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Value {
        let response = self
            .client
            .post(format!("http://127.0.0.1:{}{path}", self.port()))
            .bearer_auth(localstripe::SECRET_KEY)
            .form(form)
            .send()
            .await
            .expect("localstripe answers");
        let status = response.status();
        let body = response.text().await.expect("localstripe's answer");
        assert!(status.is_success(), "POST {path}: {status} {body}");
        serde_json::from_str(&body).expect("JSON from localstripe")
    }

    /// Saves card `number` (expiring 12/2030) for `customer`, as Stripe.js
    /// and a SetupIntent would: its PaymentMethod id.
    pub async fn save_card(&self, customer: &str, number: &str) -> String {
        let pm = self
            .post_form(
                "/v1/payment_methods",
                &[
                    ("type", "card"),
                    ("card[number]", number),
                    ("card[exp_month]", "12"),
                    ("card[exp_year]", "2030"),
                    ("card[cvc]", "123"),
                ],
            )
            .await;
        let id = pm["id"].as_str().expect("a PaymentMethod id").to_owned();
        self.post_form(
            &format!("/v1/payment_methods/{id}/attach"),
            &[("customer", customer)],
        )
        .await;
        id
    }

    /// A list endpoint's `data` (e.g. `/v1/refunds?payment_intent=pi_…`).
    pub async fn list(&self, path: &str) -> Vec<Value> {
        match self.get_json(path).await.get_mut("data").map(Value::take) {
            Some(Value::Array(items)) => items,
            other => panic!("GET {path}: no list but {other:?}"),
        }
    }

    /// The charges of PaymentIntent `payment_intent` (`pi_…`).
    pub async fn charges_for(&self, payment_intent: &str) -> Vec<Value> {
        self.list(&format!(
            "/v1/charges?payment_intent={payment_intent}&limit=100"
        ))
        .await
    }

    /// The refunds of PaymentIntent `payment_intent`.
    pub async fn refunds_for(&self, payment_intent: &str) -> Vec<Value> {
        self.list(&format!(
            "/v1/refunds?payment_intent={payment_intent}&limit=100"
        ))
        .await
    }

    /// The card PaymentMethods attached to customer `customer` (`cus_…`).
    pub async fn cards_of(&self, customer: &str) -> Vec<Value> {
        self.list(&format!(
            "/v1/payment_methods?customer={customer}&type=card&limit=100"
        ))
        .await
    }

    /// The events so far of type `event_type` (e.g. `payment_intent.succeeded`),
    /// oldest first (localstripe's order, not Stripe's).
    pub async fn events(&self, event_type: &str) -> Vec<Value> {
        self.list(&format!("/v1/events?type={event_type}&limit=100"))
            .await
    }
}

/// Stripe's `Stripe-Signature` header for `body` sent at `timestamp`:
/// `t=<timestamp>,v1=<hex HMAC-SHA256 of "timestamp.body" with secret>`.
pub fn sign(body: &str, secret: &str, timestamp: i64) -> String {
    use hmac::Mac as _;
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}
