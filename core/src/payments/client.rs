//! The client's Payments tab: their bills (open ones with Pay, paid ones
//! with receipts), paying a bill by card through Stripe, and their saved
//! cards (add a new card, make another the default, remove one).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::bills::{self, Bill};
use super::charge::{self, Outcome, PayError};
use super::view::{self, bill_view};
use crate::stripe_api::Card;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::form::{notice, Done};
use crate::web::money::money;
use crate::web::site::{base_of, Site};
use crate::web::state::AppState;

/// A bill in the client's list.
#[derive(Debug, Serialize, sqlx::FromRow)]
struct Listed {
    id: Uuid,
    number: i32,
    seller_name: String,
    status: String,
    currency: String,
    total_minor: i64,
    issued_on: chrono::NaiveDate,
    due_on: chrono::NaiveDate,
}

#[derive(Debug, Serialize)]
struct Row {
    id: Uuid,
    number: i32,
    seller_name: String,
    status: String,
    status_text: String,
    total: String,
    issued: String,
    due: String,
    overdue: bool,
}

#[derive(Debug, Serialize)]
struct CardRow {
    #[serde(flatten)]
    card: Card,
    default: bool,
    expiry: String,
}

/// Saved cards as the pages list them, `default` marked.
fn card_rows(cards: Vec<Card>, default: Option<&str>) -> Vec<CardRow> {
    cards
        .into_iter()
        .map(|card| CardRow {
            default: default == Some(card.id.as_str()),
            expiry: format!("{:02}/{}", card.exp_month, card.exp_year % 100),
            card,
        })
        .collect()
}

/// Stripe's state as the Payments pages show it.
#[derive(Debug, Serialize)]
struct StripeInfo {
    configured: bool,
    test_mode: bool,
    publishable_key: String,
    js_url: String,
}

fn stripe_info(state: &AppState) -> StripeInfo {
    match &state.stripe {
        Some(s) => StripeInfo {
            configured: true,
            test_mode: s.test_mode,
            publishable_key: s.publishable_key.clone(),
            js_url: s.js_url.clone(),
        },
        None => StripeInfo {
            configured: false,
            test_mode: false,
            publishable_key: String::new(),
            js_url: String::new(),
        },
    }
}

/// GET /payments
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let lang = viewer.language;
    let listed: Vec<Listed> = sqlx::query_as!(
        Listed,
        "SELECT id, number, seller_name, status, currency, total_minor, issued_on, due_on \
         FROM bills WHERE client_id = $1 AND status <> 'void' \
         ORDER BY issued_on DESC, number DESC LIMIT 500",
        user.id,
    )
    .fetch_all(&state.pool)
    .await?;
    let today = chrono::Utc::now().date_naive();
    let day = |d| crate::web::time::format_day(lang, d, "%-d %B %Y");
    let (open, paid): (Vec<Row>, Vec<Row>) = listed
        .into_iter()
        .map(|b| Row {
            id: b.id,
            number: b.number,
            seller_name: b.seller_name,
            status_text: crate::i18n::tr(
                lang,
                &format!("pay-status-{}", b.status.replace('_', "-")),
                &[],
            ),
            overdue: b.status == "open" && b.due_on < today,
            status: b.status,
            total: money(b.total_minor, &b.currency, lang),
            issued: day(b.issued_on),
            due: day(b.due_on),
        })
        .partition(|r| r.status == "open");

    let info = stripe_info(&state);
    let mut cards = Vec::new();
    let mut cards_unavailable = false;
    if let Some(stripe) = &state.stripe {
        let customer: Option<Option<String>> = sqlx::query_scalar!(
            "SELECT customer_id FROM stripe_customers WHERE user_id = $1",
            user.id
        )
        .fetch_optional(&state.pool)
        .await?;
        if let Some(Some(customer)) = customer {
            match stripe.cards(&customer).await {
                Ok(list) => {
                    let default = charge::default_card(&state, user.id).await?;
                    cards = card_rows(list, default.as_deref());
                }
                Err(e) => {
                    tracing::warn!(error = %e, "listing saved cards failed");
                    cards_unavailable = true;
                }
            }
        }
    }
    let hubs = crate::web::frame::hubs_of(&state, user.id).await?;
    let page = crate::web::frame::frame(&state, &site, &viewer, &hubs, "payments").await?;
    let done = notice(
        &done,
        &[
            ("paid", "pay-done-paid"),
            ("card-added", "pay-done-card-added"),
            ("card-default", "pay-done-card-default"),
            ("card-removed", "pay-done-card-removed"),
        ],
        lang,
    );
    Ok(page
        .with("open_bills", &open)
        .with("paid_bills", &paid)
        .with("cards", &cards)
        .with("cards_unavailable", &cards_unavailable)
        .with("stripe", &info)
        .with("done", &done)
        .with("form_key", &Uuid::new_v4().to_string())
        .render(&state, "payments.html")?
        .into_response())
}

/// The viewer's own bill `id`, or 404 (whoever else's it is).
async fn own_bill(
    state: &AppState,
    user: Uuid,
    id: Uuid,
) -> Result<(Bill, Vec<bills::Line>), AppError> {
    let mut conn = state.pool.acquire().await?;
    match bills::find(&mut conn, id).await? {
        Some((bill, lines)) if bill.client_id == Some(user) && bill.status != "void" => {
            Ok((bill, lines))
        }
        _ => Err(AppError::NotFound),
    }
}

/// GET /payments/bills/{id}
pub async fn bill_page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let (bill, lines) = own_bill(&state, user.id, id).await?;
    let lang = viewer.language;
    let hubs = crate::web::frame::hubs_of(&state, user.id).await?;
    let page = crate::web::frame::frame(&state, &site, &viewer, &hubs, "payments").await?;
    let done = notice(&done, &[("paid", "pay-done-paid")], lang);
    Ok(page
        .with(
            "bill",
            &bill_view(&bill, &lines, lang, chrono::Utc::now().date_naive()),
        )
        .with("stripe", &stripe_info(&state))
        .with("done", &done)
        .render(&state, "payments_bill.html")?
        .into_response())
}

/// GET /payments/bills/{id}/bill.pdf
pub async fn bill_pdf(
    State(state): State<AppState>,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (bill, lines) = own_bill(&state, user.id, id).await?;
    view::pdf_response(&bill, &lines, viewer.language, false)
}

/// GET /payments/bills/{id}/receipt.pdf
pub async fn receipt_pdf(
    State(state): State<AppState>,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (bill, lines) = own_bill(&state, user.id, id).await?;
    if !bill.was_paid() {
        return Err(AppError::NotFound);
    }
    view::pdf_response(&bill, &lines, viewer.language, true)
}

/// `?authenticate=1` when the card's bank asks for 3-D Secure.
#[derive(Debug, Default, Deserialize)]
pub struct PayFlags {
    authenticate: Option<String>,
}

/// GET /payments/bills/{id}/pay: the Pay page: saved cards, or a new card
/// through Stripe.js, for the bill's one PaymentIntent.
pub async fn pay_page(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
    Query(flags): Query<PayFlags>,
) -> Result<Response, AppError> {
    let (bill, lines) = own_bill(&state, user.id, id).await?;
    if !bill.payable() {
        return Ok(
            Redirect::to(&format!("{}/payments/bills/{id}", base_of(&site))).into_response(),
        );
    }
    show_pay(
        &state,
        &site,
        &user,
        &viewer,
        &bill,
        &lines,
        None,
        flags.authenticate.is_some(),
        StatusCode::OK,
    )
    .await
}

#[expect(clippy::too_many_arguments, reason = "a page's parts, named")]
async fn show_pay(
    state: &AppState,
    site: &Site,
    user: &crate::web::session::SessionUser,
    viewer: &crate::web::authz::Viewer,
    bill: &Bill,
    lines: &[bills::Line],
    error: Option<String>,
    authenticate: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let lang = viewer.language;
    let hubs = crate::web::frame::hubs_of(state, user.id).await?;
    let page = crate::web::frame::frame(state, site, viewer, &hubs, "payments").await?;
    let info = stripe_info(state);
    let mut client_secret = None;
    let mut cards: Vec<CardRow> = Vec::new();
    let mut unavailable = false;
    if info.configured {
        match prepare(state, user, bill).await {
            Ok((secret, list, default)) => {
                client_secret = Some(secret);
                cards = card_rows(list, default.as_deref());
            }
            Err(PayError::App(e)) => return Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "preparing a payment failed");
                unavailable = true;
            }
        }
    }
    let mut response = page
        .with(
            "bill",
            &bill_view(bill, lines, lang, chrono::Utc::now().date_naive()),
        )
        .with("stripe", &info)
        .with("client_secret", &client_secret)
        .with("cards", &cards)
        .with("error", &error)
        .with("authenticate", &authenticate)
        .with("unavailable", &unavailable)
        .render(state, "payments_pay.html")?
        .into_response();
    *response.status_mut() = status;
    allow_stripe(state, &mut response);
    Ok(response)
}

/// The bill's intent's client secret and the client's saved cards.
async fn prepare(
    state: &AppState,
    user: &crate::web::session::SessionUser,
    bill: &Bill,
) -> Result<(String, Vec<Card>, Option<String>), PayError> {
    let customer = charge::customer_of(state, user.id, &user.email, &user.name).await?;
    let intent = charge::intent_for(state, bill, &customer).await?;
    let secret = intent
        .client_secret
        .ok_or_else(|| PayError::Unavailable("an intent without a client secret".into()))?;
    let cards = charge::api(state)?.cards(&customer).await?;
    let default = charge::default_card(state, user.id).await?;
    Ok((secret, cards, default))
}

/// The Pay form with a saved card.
#[derive(Debug, Deserialize)]
pub struct PayForm {
    #[serde(default)]
    card: String,
}

/// POST /payments/bills/{id}/pay: pays with a saved card.
pub async fn pay(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
    Form(form): Form<PayForm>,
) -> Result<Response, AppError> {
    let (bill, _) = own_bill(&state, user.id, id).await?;
    let base = base_of(&site).to_owned();
    if bill.was_paid() {
        return Ok(Redirect::to(&format!("{base}/payments/bills/{id}?done=paid")).into_response());
    }
    if !bill.payable() {
        return Err(AppError::NotFound);
    }
    let lang = viewer.language;
    let result = async {
        let customer = charge::customer_of(&state, user.id, &user.email, &user.name).await?;
        let cards = charge::api(&state)?.cards(&customer).await?;
        if !cards.iter().any(|c| c.id == form.card) {
            return Ok(Outcome::Open(Some(crate::i18n::tr(
                lang,
                "pay-error-choose-card",
                &[],
            ))));
        }
        charge::pay_with_card(&state, &bill, &customer, &form.card).await
    }
    .await;
    let (error, status) = match result {
        Ok(Outcome::Paid) => {
            return Ok(
                Redirect::to(&format!("{base}/payments/bills/{id}?done=paid")).into_response(),
            )
        }
        Ok(Outcome::Authenticate) => {
            return Ok(
                Redirect::to(&format!("{base}/payments/bills/{id}/pay?authenticate=1"))
                    .into_response(),
            )
        }
        Ok(Outcome::Open(reason)) => (
            reason.unwrap_or_else(|| crate::i18n::tr(lang, "pay-error-not-paid", &[])),
            StatusCode::PAYMENT_REQUIRED,
        ),
        Err(PayError::Declined(reason)) => (reason, StatusCode::PAYMENT_REQUIRED),
        Err(PayError::NotConfigured) => (
            crate::i18n::tr(lang, "pay-not-configured", &[]),
            StatusCode::SERVICE_UNAVAILABLE,
        ),
        Err(e @ (PayError::Unavailable(_) | PayError::Mismatch)) => {
            tracing::warn!(error = %e, "a payment could not be completed");
            (
                crate::i18n::tr(lang, "pay-error-unavailable", &[]),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
        Err(PayError::App(e)) => return Err(e),
    };
    let (bill, lines) = own_bill(&state, user.id, id).await?;
    show_pay(
        &state,
        &site,
        &user,
        &viewer,
        &bill,
        &lines,
        Some(error),
        false,
        status,
    )
    .await
}

/// GET /payments/bills/{id}/paid: where Stripe.js comes back to. Reads the
/// bill's intent from Stripe (not from the browser) and applies it.
pub async fn returned(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (bill, lines) = own_bill(&state, user.id, id).await?;
    let base = base_of(&site).to_owned();
    if bill.was_paid() {
        return Ok(Redirect::to(&format!("{base}/payments/bills/{id}?done=paid")).into_response());
    }
    let lang = viewer.language;
    let error = match charge::verify(&state, &bill).await {
        Ok(Outcome::Paid) => {
            return Ok(
                Redirect::to(&format!("{base}/payments/bills/{id}?done=paid")).into_response(),
            )
        }
        Ok(Outcome::Authenticate) => crate::i18n::tr(lang, "pay-error-authenticate", &[]),
        Ok(Outcome::Open(reason)) => {
            reason.unwrap_or_else(|| crate::i18n::tr(lang, "pay-error-not-paid", &[]))
        }
        Err(PayError::App(e)) => return Err(e),
        Err(PayError::Declined(reason)) => reason,
        Err(e) => {
            tracing::warn!(error = %e, "verifying a payment failed");
            crate::i18n::tr(lang, "pay-error-unavailable", &[])
        }
    };
    show_pay(
        &state,
        &site,
        &user,
        &viewer,
        &bill,
        &lines,
        Some(error),
        false,
        StatusCode::PAYMENT_REQUIRED,
    )
    .await
}

/// The Add a card form: an idempotency key per form.
#[derive(Debug, Deserialize)]
pub struct AddCardForm {
    #[serde(default)]
    key: String,
}

/// POST /payments/cards: starts saving a new card (a SetupIntent) and shows
/// the card form, which Stripe.js completes.
pub async fn add_card(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Form(form): Form<AddCardForm>,
) -> Result<Response, AppError> {
    let key = form.key.trim();
    let key = if (8..=100).contains(&key.len())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        key.to_owned()
    } else {
        Uuid::new_v4().to_string()
    };
    let lang = viewer.language;
    let started = async {
        let customer = charge::customer_of(&state, user.id, &user.email, &user.name).await?;
        let (_, secret) = charge::api(&state)?
            .create_setup_intent(&customer, &format!("hearth-setup-{}-{key}", user.id))
            .await?;
        Ok::<_, PayError>(secret)
    }
    .await;
    let (secret, error) = match started {
        Ok(secret) => (Some(secret), None),
        Err(PayError::App(e)) => return Err(e),
        Err(PayError::NotConfigured) => {
            (None, Some(crate::i18n::tr(lang, "pay-not-configured", &[])))
        }
        Err(e) => {
            tracing::warn!(error = %e, "starting to save a card failed");
            (
                None,
                Some(crate::i18n::tr(lang, "pay-error-unavailable", &[])),
            )
        }
    };
    let hubs = crate::web::frame::hubs_of(&state, user.id).await?;
    let page = crate::web::frame::frame(&state, &site, &viewer, &hubs, "payments").await?;
    let mut response = page
        .with("stripe", &stripe_info(&state))
        .with("client_secret", &secret)
        .with("error", &error)
        .render(&state, "payments_card.html")?
        .into_response();
    if error.is_some() {
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    }
    allow_stripe(&state, &mut response);
    Ok(response)
}

/// `?setup_intent=seti_…` from Stripe.js.
#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    setup_intent: String,
}

/// GET /payments/cards/saved: where Stripe.js comes back to after saving a
/// card. Reads the SetupIntent from Stripe; the first card becomes the default.
pub async fn card_saved(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, .. }: SignedIn,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let stripe = state.stripe.as_ref().ok_or(AppError::NotFound)?;
    let customer: Option<String> = sqlx::query_scalar!(
        "SELECT customer_id FROM stripe_customers WHERE user_id = $1",
        user.id
    )
    .fetch_optional(&state.pool)
    .await?
    .flatten();
    let Some(customer) = customer else {
        return Err(AppError::NotFound);
    };
    if !q.setup_intent.starts_with("seti_") || q.setup_intent.len() > 255 {
        return Err(AppError::NotFound);
    }
    let setup = stripe
        .setup_intent(&q.setup_intent)
        .await
        .map_err(|_| AppError::NotFound)?;
    if setup.customer.as_deref() != Some(customer.as_str()) {
        return Err(AppError::NotFound);
    }
    if setup.status == "succeeded" {
        if let Some(pm) = &setup.payment_method {
            sqlx::query!(
                "UPDATE stripe_customers SET default_payment_method = $2 \
                 WHERE user_id = $1 AND default_payment_method IS NULL",
                user.id,
                pm
            )
            .execute(&state.pool)
            .await?;
        }
        return Ok(
            Redirect::to(&format!("{}/payments?done=card-added", base_of(&site))).into_response(),
        );
    }
    Ok(Redirect::to(&format!("{}/payments", base_of(&site))).into_response())
}

/// The viewer's Stripe customer and saved card `pm`, or 404.
async fn own_card(state: &AppState, user: Uuid, pm: &str) -> Result<String, AppError> {
    let stripe = state.stripe.as_ref().ok_or(AppError::NotFound)?;
    let customer: String = sqlx::query_scalar!(
        "SELECT customer_id FROM stripe_customers WHERE user_id = $1",
        user
    )
    .fetch_optional(&state.pool)
    .await?
    .flatten()
    .ok_or(AppError::NotFound)?;
    let cards = stripe.cards(&customer).await.map_err(|e| {
        tracing::warn!(error = %e, "listing saved cards failed");
        AppError::Unavailable
    })?;
    if cards.iter().any(|c| c.id == pm) {
        Ok(customer)
    } else {
        Err(AppError::NotFound)
    }
}

/// POST /payments/cards/{pm}/default
pub async fn make_default(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, .. }: SignedIn,
    Path(pm): Path<String>,
) -> Result<Response, AppError> {
    own_card(&state, user.id, &pm).await?;
    sqlx::query!(
        "UPDATE stripe_customers SET default_payment_method = $2 WHERE user_id = $1",
        user.id,
        &pm
    )
    .execute(&state.pool)
    .await?;
    Ok(Redirect::to(&format!("{}/payments?done=card-default", base_of(&site))).into_response())
}

/// POST /payments/cards/{pm}/remove
pub async fn remove(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, .. }: SignedIn,
    Path(pm): Path<String>,
) -> Result<Response, AppError> {
    own_card(&state, user.id, &pm).await?;
    let stripe = state.stripe.as_ref().ok_or(AppError::NotFound)?;
    stripe.detach_card(&pm).await.map_err(|e| {
        tracing::warn!(error = %e, "removing a card failed");
        AppError::Unavailable
    })?;
    sqlx::query!(
        "UPDATE stripe_customers SET default_payment_method = NULL \
         WHERE user_id = $1 AND default_payment_method = $2",
        user.id,
        &pm
    )
    .execute(&state.pool)
    .await?;
    Ok(Redirect::to(&format!("{}/payments?done=card-removed", base_of(&site))).into_response())
}

/// Lets a page load Stripe.js and talk to Stripe: the Content-Security-Policy
/// of the pages with a card form names Stripe's origins.
fn allow_stripe(state: &AppState, response: &mut Response) {
    let Some(stripe) = &state.stripe else { return };
    let js = origin_of(&stripe.js_url);
    let api = origin_of(&state.config.stripe_api_base);
    // Stripe's own Elements frame and 3-D Secure pages (real Stripe only).
    let hooks = if js == "https://js.stripe.com" {
        " https://hooks.stripe.com"
    } else {
        ""
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' {js}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: {js}; font-src 'self'; connect-src 'self' {js} {api}; \
         frame-src {js}{hooks}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// `scheme://host[:port]` of `url` (empty when it is not a URL).
fn origin_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}
