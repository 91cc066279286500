//! The professional's services: what clients and hubs can book, for how long,
//! at what price (private clients) and cost in credits (hubs). Archiving
//! hides a service from booking; appointments keep their own copy of it.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use hearth_tenants::changes::{announce, Change};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::validate::{self, CURRENCIES, MODES, PAY_WHEN, SESSION_TYPES};
use super::{me, render, status_of, to, Done, Professional};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::form::field;
use crate::web::form::FieldErrors;
use crate::web::form::{in_language, FieldMsgs};
use crate::web::money::money;
use crate::web::site::Site;
use crate::web::state::AppState;

/// A service as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Service {
    /// Its id.
    pub id: Uuid,
    /// Its name, like "Individual session".
    pub name: String,
    /// video, phone or in_person.
    pub mode: String,
    /// individual, couples, family or group.
    pub session_type: String,
    /// Length of a session.
    pub duration_minutes: i32,
    /// Price for private clients, in cents.
    pub price_minor: i64,
    /// ISO 4217 currency of the price.
    pub currency: String,
    /// Cost in hub credits.
    pub credits: i32,
    /// When a private client pays: `booking` or `after` the session.
    pub pay_when: String,
    /// Whether it can be booked.
    pub active: bool,
}

/// A service as the pages show it (they name its mode and session type in
/// the viewer's language).
#[derive(Debug, Serialize)]
struct ServiceView<'a> {
    #[serde(flatten)]
    service: &'a Service,
    /// The price as the viewer's language writes it.
    price: String,
}

impl<'a> ServiceView<'a> {
    fn of(service: &'a Service, language: &str) -> Self {
        Self {
            price: money(service.price_minor, &service.currency, language),
            service,
        }
    }
}

/// What the service form sends, as typed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ServiceForm {
    /// Name.
    pub name: String,
    /// Mode.
    pub mode: String,
    /// Session type.
    pub session_type: String,
    /// Duration in minutes.
    pub duration_minutes: String,
    /// Price, like `120.00`.
    pub price: String,
    /// Currency.
    pub currency: String,
    /// Credits.
    pub credits: String,
    /// When a private client pays.
    pub pay_when: String,
}

impl Default for ServiceForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            mode: "video".into(),
            session_type: "individual".into(),
            duration_minutes: "50".into(),
            price: String::new(),
            currency: "EUR".into(),
            credits: "1".into(),
            pay_when: "after".into(),
        }
    }
}

impl ServiceForm {
    fn of(s: &Service) -> Self {
        Self {
            name: s.name.clone(),
            mode: s.mode.clone(),
            session_type: s.session_type.clone(),
            duration_minutes: s.duration_minutes.to_string(),
            price: validate::price_text(s.price_minor, &s.currency),
            currency: s.currency.clone(),
            credits: s.credits.to_string(),
            pay_when: s.pay_when.clone(),
        }
    }
}

/// A checked service, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewService {
    /// Name.
    pub name: String,
    /// Mode.
    pub mode: String,
    /// Session type.
    pub session_type: String,
    /// Duration in minutes (10–480).
    pub duration_minutes: i32,
    /// Price in cents.
    pub price_minor: i64,
    /// Currency.
    pub currency: String,
    /// Credits (0–100).
    pub credits: i32,
    /// `booking` or `after`.
    pub pay_when: String,
}

/// Checks every field of `form`; all errors at once, each on its field.
pub fn check(form: &ServiceForm) -> Result<NewService, FieldMsgs> {
    let mut errors = FieldMsgs::new();
    let name = field(
        &mut errors,
        "name",
        validate::text(&form.name, 120, "pro-error-service-name-missing"),
    );
    let mode = field(&mut errors, "mode", validate::choice(&form.mode, MODES));
    let session_type = field(
        &mut errors,
        "session_type",
        validate::choice(&form.session_type, SESSION_TYPES),
    );
    let duration = field(
        &mut errors,
        "duration_minutes",
        validate::number(&form.duration_minutes, 10, 480),
    );
    let currency = field(&mut errors, "currency", validate::currency(&form.currency));
    // Read in the chosen currency's decimals (none for ISK); with no valid
    // currency, still say whether the price reads as an amount at all.
    let price = field(
        &mut errors,
        "price",
        validate::price_minor(&form.price, currency.as_deref().unwrap_or("EUR")),
    );
    let credits = field(
        &mut errors,
        "credits",
        validate::number(&form.credits, 0, 100),
    );
    let pay_when = field(
        &mut errors,
        "pay_when",
        validate::choice(&form.pay_when, PAY_WHEN),
    );
    match (
        name,
        mode,
        session_type,
        duration,
        price,
        currency,
        credits,
        pay_when,
    ) {
        (
            Some(name),
            Some(mode),
            Some(session_type),
            Some(duration_minutes),
            Some(price_minor),
            Some(currency),
            Some(credits),
            Some(pay_when),
        ) if errors.is_empty() => Ok(NewService {
            name,
            mode,
            session_type,
            duration_minutes,
            price_minor,
            currency,
            credits,
            pay_when,
        }),
        _ => Err(errors),
    }
}

/// The services of `professional_id`, active first.
pub async fn list(
    conn: &mut sqlx::PgConnection,
    professional_id: Uuid,
) -> sqlx::Result<Vec<Service>> {
    sqlx::query_as!(
        Service,
        "SELECT id, name, mode, session_type, duration_minutes, price_minor, currency, credits, pay_when, active \
         FROM services WHERE professional_id = $1 ORDER BY active DESC, created_at, name",
        professional_id,
    )
    .fetch_all(conn)
    .await
}

/// Service `id` if it is `professional_id`'s.
async fn own(state: &AppState, professional_id: Uuid, id: &str) -> Result<Service, AppError> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    sqlx::query_as!(
        Service,
        "SELECT id, name, mode, session_type, duration_minutes, price_minor, currency, credits, pay_when, active \
         FROM services WHERE id = $1 AND professional_id = $2",
        id,
        professional_id,
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// GET /pro/services
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let Some(me) = me(&state, &viewer).await? else {
        return Ok(to(&site, "/pro/profile"));
    };
    let notice = match done.done.as_deref() {
        Some("created") => Some("pro-services-done-created"),
        Some("saved") => Some("pro-services-done-saved"),
        Some("archived") => Some("pro-services-done-archived"),
        _ => None,
    }
    .map(|id| crate::i18n::t(viewer.language, id, None));
    let form = ServiceForm {
        currency: default_currency(&me.country).into(),
        ..ServiceForm::default()
    };
    show_list(
        &state,
        &site,
        &viewer,
        &me,
        &form,
        &FieldErrors::new(),
        notice.as_deref(),
    )
    .await
}

/// The currency a new service starts with, from the professional's country.
fn default_currency(country: &str) -> &'static str {
    match country {
        "IS" => "ISK",
        "GB" => "GBP",
        "US" => "USD",
        "SE" => "SEK",
        "NO" => "NOK",
        "DK" => "DKK",
        _ => "EUR",
    }
}

async fn show_list(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    me: &Professional,
    form: &ServiceForm,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let mut conn = state.pool.acquire().await?;
    let services = list(&mut conn, me.user_id).await?;
    drop(conn);
    let views: Vec<ServiceView<'_>> = services
        .iter()
        .map(|s| ServiceView::of(s, viewer.language))
        .collect();
    render(
        state,
        site,
        viewer,
        "services",
        "pro_services.html",
        status_of(errors),
        |page| {
            page.with("services", &views)
                .with("form", form)
                .with("errors", errors)
                .with("notice", &notice)
                .with("modes", &MODES)
                .with("session_types", &SESSION_TYPES)
                .with("pay_when_choices", &PAY_WHEN)
                .with("currencies", &CURRENCIES)
        },
    )
    .await
}

async fn show_edit(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    service: &Service,
    form: &ServiceForm,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    render(
        state,
        site,
        viewer,
        "services",
        "pro_service.html",
        status_of(errors),
        |page| {
            page.with("service", &ServiceView::of(service, viewer.language))
                .with("form", form)
                .with("errors", errors)
                .with("modes", &MODES)
                .with("session_types", &SESSION_TYPES)
                .with("pay_when_choices", &PAY_WHEN)
                .with("currencies", &CURRENCIES)
        },
    )
    .await
}

/// POST /pro/services: adds a service.
pub async fn create(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Form(form): Form<ServiceForm>,
) -> Result<Response, AppError> {
    let Some(me) = me(&state, &viewer).await? else {
        return Ok(to(&site, "/pro/profile"));
    };
    let service = match check(&form) {
        Ok(s) => s,
        Err(errors) => {
            let errors = in_language(&errors, viewer.language);
            return show_list(&state, &site, &viewer, &me, &form, &errors, None).await;
        }
    };
    add(&mut *state.pool.acquire().await?, me.user_id, &service).await?;
    Ok(to(&site, "/pro/services?done=created"))
}

/// Adds `service` (checked: [`check`]) to `professional`'s services; its id.
pub async fn add(
    conn: &mut sqlx::PgConnection,
    professional: Uuid,
    service: &NewService,
) -> sqlx::Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO services (id, professional_id, name, mode, session_type, duration_minutes, \
                               price_minor, currency, credits, pay_when) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        id,
        professional,
        &service.name,
        &service.mode,
        &service.session_type,
        service.duration_minutes,
        service.price_minor,
        &service.currency,
        service.credits,
        &service.pay_when,
    )
    .execute(&mut *conn)
    .await?;
    announce(conn, Change::AllHubPages).await?;
    Ok(id)
}

/// GET /pro/services/{id}: the form to change one service.
pub async fn edit_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let Some(me) = me(&state, &viewer).await? else {
        return Err(AppError::NotFound);
    };
    let service = own(&state, me.user_id, &id).await?;
    let form = ServiceForm::of(&service);
    show_edit(&state, &site, &viewer, &service, &form, &FieldErrors::new()).await
}

/// POST /pro/services/{id}: changes a service. Booked appointments keep what
/// they were booked with.
pub async fn update(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ServiceForm>,
) -> Result<Response, AppError> {
    let Some(me) = me(&state, &viewer).await? else {
        return Err(AppError::NotFound);
    };
    let existing = own(&state, me.user_id, &id).await?;
    let service = match check(&form) {
        Ok(s) => s,
        Err(errors) => {
            let errors = in_language(&errors, viewer.language);
            return show_edit(&state, &site, &viewer, &existing, &form, &errors).await;
        }
    };
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "UPDATE services SET name = $3, mode = $4, session_type = $5, duration_minutes = $6, \
                price_minor = $7, currency = $8, credits = $9, pay_when = $10 \
         WHERE id = $1 AND professional_id = $2",
        existing.id,
        me.user_id,
        &service.name,
        &service.mode,
        &service.session_type,
        service.duration_minutes,
        service.price_minor,
        &service.currency,
        service.credits,
        &service.pay_when,
    )
    .execute(&mut *tx)
    .await?;
    announce(&mut tx, Change::AllHubPages).await?;
    tx.commit().await?;
    Ok(to(&site, "/pro/services?done=saved"))
}

/// POST /pro/services/{id}/archive: the service can no longer be booked.
pub async fn archive(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let Some(me) = me(&state, &viewer).await? else {
        return Err(AppError::NotFound);
    };
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = state.pool.begin().await?;
    let done = sqlx::query!(
        "UPDATE services SET active = false WHERE id = $1 AND professional_id = $2",
        id,
        me.user_id,
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    announce(&mut tx, Change::AllHubPages).await?;
    tx.commit().await?;
    Ok(to(&site, "/pro/services?done=archived"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ServiceForm {
        ServiceForm {
            name: "Individual session".into(),
            price: "120.00".into(),
            ..ServiceForm::default()
        }
    }

    #[test]
    fn a_good_service_is_read() {
        let s = check(&good()).unwrap();
        assert_eq!(s.price_minor, 12_000);
        assert_eq!(s.duration_minutes, 50);
        assert_eq!(s.credits, 1);
    }

    #[test]
    fn bad_fields_are_reported_each_on_its_own() {
        let form = ServiceForm {
            name: String::new(),
            mode: "carrier pigeon".into(),
            session_type: "crowd".into(),
            duration_minutes: "5".into(),
            price: "abc".into(),
            currency: "XYZ".into(),
            credits: "101".into(),
            pay_when: "never".into(),
        };
        let errors = check(&form).unwrap_err();
        assert_eq!(errors.len(), 8, "{errors:?}");
        assert_eq!(
            errors["duration_minutes"],
            crate::i18n::Msg::new("pro-error-number")
                .arg("min", 10)
                .arg("max", 480)
        );
    }
}
