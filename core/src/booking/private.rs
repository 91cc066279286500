//! A professional books a session for one of their private clients (a
//! connection): service, time in the professional's timezone, price. The
//! client gets the booking confirmation email whose link opens the session on
//! their dashboard.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::book::{self, BookError, Request};
use super::data;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::form::FieldErrors;
use crate::web::form::{in_language, FieldMsgs};
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The form.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct NewAppointmentForm {
    #[serde(default)]
    client: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    key: String,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Client {
    id: Uuid,
    name: String,
    email: String,
}

/// GET /pro/appointments/new
pub async fn new_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    show(
        &state,
        &site,
        &viewer,
        &NewAppointmentForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

async fn show(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    form: &NewAppointmentForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let user = viewer.signed_in()?.clone();
    let mut conn = state.pool.acquire().await?;
    let pro = data::professional(&mut conn, user.id)
        .await?
        .ok_or(AppError::Forbidden)?;
    let clients: Vec<Client> = sqlx::query_as!(
        Client,
        "SELECT u.id, u.name, u.email FROM connections c JOIN users u ON u.id = c.client_id \
         WHERE c.professional_id = $1 ORDER BY u.name",
        pro.id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let services = data::services(&mut conn, pro.id).await?;
    drop(conn);
    let key = if form.key.is_empty() {
        Uuid::new_v4().to_string()
    } else {
        form.key.clone()
    };
    let page = Page::new(state, site, viewer).await?;
    Ok((
        status,
        page.with("clients", &clients)
            .with("services", &service_choices(&services, viewer.language))
            .with("form", form)
            .with("errors", errors)
            .with("key", &key)
            .with("timezone", &pro.timezone)
            .render(state, "pro_appointment_new.html")?,
    )
        .into_response())
}

/// A service as the new-appointment form offers it, its price in the viewer's language.
#[derive(Debug, Serialize)]
struct ServiceChoice<'a> {
    #[serde(flatten)]
    service: &'a data::Service,
    price: String,
}

fn service_choices<'a>(services: &'a [data::Service], language: &str) -> Vec<ServiceChoice<'a>> {
    services
        .iter()
        .map(|service| ServiceChoice {
            price: crate::web::money::money(service.price_minor, &service.currency, language),
            service,
        })
        .collect()
}

/// Reads a typed price in `currency`'s minor units ("120.50" EUR, "12500" ISK).
pub fn parse_price(input: &str, currency: &str) -> Option<i64> {
    crate::professionals::validate::price_minor(input, currency).ok()
}

/// POST /pro/appointments
pub async fn create(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Form(form): Form<NewAppointmentForm>,
) -> Result<Response, AppError> {
    let base = crate::web::site::base_of(&site).to_owned();
    let mut conn = state.pool.acquire().await?;
    let pro = data::professional(&mut conn, user.id)
        .await?
        .ok_or(AppError::Forbidden)?;
    let mut errors = FieldMsgs::new();
    let client: Option<Uuid> = match Uuid::parse_str(form.client.trim()) {
        Ok(id) => {
            sqlx::query_scalar!(
                "SELECT client_id FROM connections WHERE professional_id = $1 AND client_id = $2",
                pro.id,
                id,
            )
            .fetch_optional(&mut *conn)
            .await?
        }
        Err(_) => None,
    };
    if client.is_none() {
        errors.insert("client", "pro-book-error-client".into());
    }
    let service = match Uuid::parse_str(form.service.trim()) {
        Ok(id) => data::service(&mut conn, pro.id, id).await?,
        Err(_) => None,
    };
    drop(conn);
    if service.is_none() {
        errors.insert("service", "pro-book-error-service".into());
    }
    let tz: chrono_tz::Tz = pro.timezone.parse().unwrap_or(chrono_tz::UTC);
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
    let time = NaiveTime::parse_from_str(form.time.trim(), "%H:%M").ok();
    let start = match (date, time) {
        (Some(d), Some(t)) => tz
            .from_local_datetime(&d.and_time(t))
            .earliest()
            .map(|s| s.with_timezone(&Utc)),
        _ => None,
    };
    match start {
        None => {
            errors.insert("date", "pro-book-error-date".into());
        }
        Some(s) if s <= Utc::now() => {
            errors.insert("date", "book-error-past".into());
        }
        Some(_) => {}
    }
    let price = match &service {
        Some(s) if form.price.trim().is_empty() => Some(s.price_minor),
        Some(s) => parse_price(&form.price, &s.currency),
        None => None,
    };
    if price.is_none() {
        errors.insert("price", "pro-book-error-price".into());
    }
    let (Some(client), Some(service), Some(start), Some(price), true) =
        (client, service, start, price, errors.is_empty())
    else {
        let errors = in_language(&errors, viewer.language);
        return show(
            &state,
            &site,
            &viewer,
            &form,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let key = form.key.trim();
    let request = Request {
        tenant: None,
        client_id: client,
        created_by: pro.id,
        professional: &pro,
        service: &service,
        starts_at: start,
        idempotency_key: (8..=100).contains(&key.len()).then_some(key),
        price_minor: Some(price),
        within_hours: false,
        pay_instead: false,
    };
    match book::confirm(&state, &request).await {
        Ok(id) | Err(BookError::AlreadyBooked(id)) => {
            Ok(Redirect::to(&format!("{base}/appointments/{id}?booked=1")).into_response())
        }
        Err(BookError::SlotTaken) => {
            errors.insert("date", "pro-book-error-taken".into());
            let errors = in_language(&errors, viewer.language);
            show(&state, &site, &viewer, &form, &errors, StatusCode::CONFLICT).await
        }
        Err(BookError::App(e)) => Err(e),
        Err(e) => Err(AppError::Internal(anyhow::anyhow!("private booking: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_price;

    #[test]
    fn prices_are_read_in_the_services_currency() {
        assert_eq!(parse_price("120", "EUR"), Some(12000));
        assert_eq!(parse_price("120.5", "EUR"), Some(12050));
        assert_eq!(parse_price("120,05", "EUR"), Some(12005));
        assert_eq!(parse_price("0.99", "EUR"), Some(99));
        assert_eq!(parse_price("12.500", "ISK"), Some(12500));
        for bad in ["", "abc", "1.2.3", "-1", "12,5"] {
            assert_eq!(parse_price(bad, "ISK"), None, "{bad}");
        }
    }
}
