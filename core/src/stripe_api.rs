//! The Stripe API, through `async-stripe`: the few calls Payments makes, each
//! with an idempotency key the caller derives from its own record, and the
//! verification of webhook deliveries. Built from the configuration; absent
//! when no secret key is configured (Payments then says it is not set up).
//!
//! Amounts: Hearth keeps ISO 4217 minor units; Stripe wants its own minor
//! units, which differ for ISK (ISO: no decimals; Stripe: two decimals that
//! are always 00, for backwards compatibility). [`to_stripe`] and
//! [`from_stripe`] convert exactly both ways.

use secrecy::{ExposeSecret, SecretString};
use stripe::{
    Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest as _,
};
use stripe_core::customer::CreateCustomer;
use stripe_core::payment_intent::{
    ConfirmPaymentIntent, CreatePaymentIntent, RetrievePaymentIntent,
};
use stripe_core::refund::CreateRefund;
use stripe_core::setup_intent::{CreateSetupIntent, RetrieveSetupIntent};
use stripe_payment::payment_method::{
    DetachPaymentMethod, ListPaymentMethod, ListPaymentMethodType,
};
use stripe_shared::PaymentIntent;

use crate::config::Config;

/// Currencies whose Stripe amounts carry two more digits than ISO 4217's
/// minor units (Stripe's "special cases": ISK is zero-decimal, yet its API
/// amounts are two-decimal with the decimals always 00).
const TWO_EXTRA_DIGITS: &[&str] = &["ISK"];

/// `minor` ISO minor units of `currency` as a Stripe API amount.
pub fn to_stripe(minor: i64, currency: &str) -> i64 {
    if TWO_EXTRA_DIGITS.contains(&currency) {
        minor.saturating_mul(100)
    } else {
        minor
    }
}

/// A Stripe API amount of `currency` as ISO minor units; `None` when it is
/// not a whole number of them (a fraction of a króna).
pub fn from_stripe(amount: i64, currency: &str) -> Option<i64> {
    if TWO_EXTRA_DIGITS.contains(&currency) {
        (amount % 100 == 0).then_some(amount / 100)
    } else {
        Some(amount)
    }
}

/// Why a Stripe call did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StripeFailure {
    /// Stripe refused the request: a declined card, a bad parameter. The
    /// message is Stripe's, fit to show the payer.
    #[error("refused by Stripe: {message}")]
    Refused {
        /// Stripe's words.
        message: String,
        /// Stripe's error code (`card_declined`, …), if any.
        code: Option<String>,
    },
    /// Stripe could not be reached or answered something unreadable.
    #[error("Stripe unavailable: {0}")]
    Unavailable(String),
}

impl From<StripeError> for StripeFailure {
    fn from(e: StripeError) -> Self {
        match e {
            StripeError::Stripe(api, status) if status < 500 => Self::Refused {
                message: api
                    .message
                    .clone()
                    .unwrap_or_else(|| "The payment was refused.".to_owned()),
                code: api.code.as_ref().map(|c| c.as_str().to_owned()),
            },
            other => Self::Unavailable(other.to_string()),
        }
    }
}

/// A PaymentIntent as Payments needs it.
#[derive(Debug, Clone)]
pub struct Intent {
    /// `pi_…`.
    pub id: String,
    /// Stripe's status (`succeeded`, `requires_action`, …).
    pub status: String,
    /// For Stripe.js on the payer's page.
    pub client_secret: Option<String>,
    /// Stripe's amount (see [`from_stripe`]).
    pub amount: i64,
    /// Lower-case ISO code, as Stripe writes it.
    pub currency: String,
    /// The bill it pays (our metadata).
    pub bill_id: Option<String>,
    /// Why the last attempt failed, in Stripe's words.
    pub last_error: Option<String>,
}

impl Intent {
    /// Whether the money was taken.
    pub fn succeeded(&self) -> bool {
        self.status == "succeeded"
    }
}

impl From<PaymentIntent> for Intent {
    fn from(pi: PaymentIntent) -> Self {
        Self {
            id: pi.id.as_str().to_owned(),
            status: pi.status.as_str().to_owned(),
            client_secret: pi.client_secret,
            amount: pi.amount,
            currency: pi.currency.to_string(),
            bill_id: pi.metadata.get("bill_id").cloned(),
            last_error: pi.last_payment_error.and_then(|e| e.message),
        }
    }
}

/// A saved card, as the payer sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Card {
    /// `pm_…`.
    pub id: String,
    /// `visa`, `mastercard`, …
    pub brand: String,
    /// The last four digits.
    pub last4: String,
    /// Expiry month (1–12).
    pub exp_month: i64,
    /// Expiry year.
    pub exp_year: i64,
}

/// A SetupIntent's outcome.
#[derive(Debug, Clone)]
pub struct Setup {
    /// Stripe's status.
    pub status: String,
    /// Its customer (`cus_…`).
    pub customer: Option<String>,
    /// The card it saved.
    pub payment_method: Option<String>,
}

/// A refund's outcome.
#[derive(Debug, Clone)]
pub struct RefundOutcome {
    /// `re_…`.
    pub id: String,
    /// `succeeded`, `pending`, `failed`, …
    pub status: String,
}

/// The Stripe account Hearth talks to.
#[derive(Debug, Clone)]
pub struct StripeApi {
    client: Client,
    /// Given to Stripe.js on the payer's page.
    pub publishable_key: String,
    /// Where pages load Stripe.js from.
    pub js_url: String,
    /// Test mode (a `sk_test_` key): pages say so.
    pub test_mode: bool,
    webhook_secret: Option<SecretString>,
}

impl StripeApi {
    /// The configured account, or `None` when no secret key is set.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Self>> {
        let Some(secret) = &config.stripe_secret_key else {
            return Ok(None);
        };
        let secret = secret.expose_secret();
        let publishable_key = config.stripe_publishable_key.clone().ok_or_else(|| {
            anyhow::anyhow!("stripe_secret_key is set but stripe_publishable_key is not")
        })?;
        let mut base = config.stripe_api_base.clone();
        if !base.ends_with('/') {
            base.push('/');
        }
        let client = ClientBuilder::new(secret)
            .url(base)
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .map_err(|e| anyhow::anyhow!("the Stripe client: {e}"))?;
        Ok(Some(Self {
            client,
            publishable_key,
            js_url: config.stripe_js_url.clone(),
            test_mode: secret.starts_with("sk_test_"),
            webhook_secret: config.stripe_webhook_secret.clone(),
        }))
    }

    fn once(key: &str) -> Result<RequestStrategy, StripeFailure> {
        IdempotencyKey::new(key)
            .map(RequestStrategy::Idempotent)
            .map_err(|e| StripeFailure::Unavailable(format!("idempotency key: {e}")))
    }

    /// Makes the Stripe customer of user `user_id` (key: the user).
    pub async fn create_customer(
        &self,
        user_id: uuid::Uuid,
        email: &str,
        name: &str,
    ) -> Result<String, StripeFailure> {
        let customer = CreateCustomer::new()
            .email(email)
            .name(name)
            .metadata(
                [("user_id".to_owned(), user_id.to_string())]
                    .into_iter()
                    .collect::<std::collections::HashMap<_, _>>(),
            )
            .customize()
            .request_strategy(Self::once(&format!("hearth-customer-{user_id}"))?)
            .send(&self.client)
            .await?;
        Ok(customer.id.as_str().to_owned())
    }

    /// Starts saving a card for `customer` (key: the caller's form).
    pub async fn create_setup_intent(
        &self,
        customer: &str,
        key: &str,
    ) -> Result<(String, String), StripeFailure> {
        let setup = CreateSetupIntent::new()
            .customer(customer)
            .customize()
            .request_strategy(Self::once(key)?)
            .send(&self.client)
            .await?;
        let secret = setup
            .client_secret
            .ok_or_else(|| StripeFailure::Unavailable("a SetupIntent without a secret".into()))?;
        Ok((setup.id.as_str().to_owned(), secret))
    }

    /// Reads a SetupIntent.
    pub async fn setup_intent(&self, id: &str) -> Result<Setup, StripeFailure> {
        let setup = RetrieveSetupIntent::new(id).send(&self.client).await?;
        Ok(Setup {
            status: setup.status.as_str().to_owned(),
            customer: setup.customer.map(|c| c.id().as_str().to_owned()),
            payment_method: setup.payment_method.map(|p| p.id().as_str().to_owned()),
        })
    }

    /// The cards saved for `customer`.
    pub async fn cards(&self, customer: &str) -> Result<Vec<Card>, StripeFailure> {
        let list = ListPaymentMethod::new()
            .customer(customer)
            .type_(ListPaymentMethodType::Card)
            .limit(100)
            .send(&self.client)
            .await?;
        Ok(list
            .data
            .into_iter()
            .filter_map(|pm| {
                let card = pm.card?;
                Some(Card {
                    id: pm.id.as_str().to_owned(),
                    brand: card.brand,
                    last4: card.last4,
                    exp_month: card.exp_month,
                    exp_year: card.exp_year,
                })
            })
            .collect())
    }

    /// Removes a saved card.
    pub async fn detach_card(&self, payment_method: &str) -> Result<(), StripeFailure> {
        DetachPaymentMethod::new(payment_method)
            .customize()
            .request_strategy(Self::once(&format!("hearth-detach-{payment_method}"))?)
            .send(&self.client)
            .await?;
        Ok(())
    }

    /// Makes the one PaymentIntent of bill `bill_id` (key: the bill).
    pub async fn create_payment_intent(
        &self,
        bill_id: uuid::Uuid,
        amount: i64,
        currency: &str,
        customer: &str,
    ) -> Result<Intent, StripeFailure> {
        let currency: stripe_types::Currency = currency
            .to_ascii_lowercase()
            .parse()
            .map_err(|_| StripeFailure::Unavailable(format!("currency {currency}")))?;
        let pi = CreatePaymentIntent::new(amount, currency)
            .customer(customer)
            .metadata(
                [("bill_id".to_owned(), bill_id.to_string())]
                    .into_iter()
                    .collect::<std::collections::HashMap<_, _>>(),
            )
            .customize()
            .request_strategy(Self::once(&format!("hearth-bill-{bill_id}-intent"))?)
            .send(&self.client)
            .await?;
        Ok(pi.into())
    }

    /// Confirms PaymentIntent `id` with a saved card (key: the caller's
    /// attempt). A card that asks for 3-D Secure leaves it `requires_action`.
    pub async fn confirm_payment_intent(
        &self,
        id: &str,
        payment_method: &str,
        key: &str,
    ) -> Result<Intent, StripeFailure> {
        let pi = ConfirmPaymentIntent::new(id)
            .payment_method(payment_method)
            .customize()
            .request_strategy(Self::once(key)?)
            .send(&self.client)
            .await?;
        Ok(pi.into())
    }

    /// Reads PaymentIntent `id`: the verified state of a payment.
    pub async fn payment_intent(&self, id: &str) -> Result<Intent, StripeFailure> {
        Ok(RetrievePaymentIntent::new(id)
            .send(&self.client)
            .await?
            .into())
    }

    /// Refunds `amount` (Stripe's units) of PaymentIntent `payment_intent`
    /// (key: our refund's id).
    pub async fn refund(
        &self,
        payment_intent: &str,
        amount: i64,
        key: &str,
    ) -> Result<RefundOutcome, StripeFailure> {
        let refund = CreateRefund::new()
            .payment_intent(payment_intent)
            .amount(amount)
            .customize()
            .request_strategy(Self::once(key)?)
            .send(&self.client)
            .await?;
        Ok(RefundOutcome {
            id: refund.id.as_str().to_owned(),
            status: refund.status.unwrap_or_default(),
        })
    }

    /// Verifies a webhook delivery's `Stripe-Signature` (HMAC-SHA256 with
    /// the endpoint's secret, at most 5 minutes old) and reads the event.
    pub fn verify_event(
        &self,
        payload: &str,
        signature: &str,
    ) -> Result<stripe_webhook::Event, WebhookRefusal> {
        let secret = self
            .webhook_secret
            .as_ref()
            .ok_or(WebhookRefusal::NotConfigured)?;
        stripe_webhook::Webhook::construct_event(payload, signature, secret.expose_secret())
            .map_err(|e| match e {
                stripe_webhook::WebhookError::BadParse(m) => WebhookRefusal::Unreadable(m),
                other => WebhookRefusal::BadSignature(other.to_string()),
            })
    }
}

/// Why a webhook delivery was refused.
#[derive(Debug, thiserror::Error)]
pub enum WebhookRefusal {
    /// No webhook secret is configured.
    #[error("no webhook secret configured")]
    NotConfigured,
    /// The signature or its timestamp did not verify.
    #[error("bad signature: {0}")]
    BadSignature(String),
    /// Signed, but not an event we can read.
    #[error("unreadable event: {0}")]
    Unreadable(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isk_and_eur_convert_exactly_both_ways() {
        assert_eq!(to_stripe(12_500, "ISK"), 1_250_000);
        assert_eq!(from_stripe(1_250_000, "ISK"), Some(12_500));
        assert_eq!(from_stripe(1_250_050, "ISK"), None);
        assert_eq!(to_stripe(1_250, "EUR"), 1_250);
        assert_eq!(from_stripe(1_250, "EUR"), Some(1_250));
        assert_eq!(to_stripe(500, "JPY"), 500);
    }
}
