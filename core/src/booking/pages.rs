//! Booking through a hub (or, for a connected private client, on the
//! platform): professional → service → slot → confirm.
//!
//! Choosing a slot opens the confirm step, which holds the slot for the
//! client for a few minutes. A visitor without an account is asked to create
//! one (or log in) first and comes back to the same step afterwards.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use std::sync::Arc;

use hearth_tenants::{Tenant, TenantTx};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::book::{self, BookError, Request, STEP_MINUTES};
use super::data::{self, Professional, Service};
use super::slots;
use crate::credits;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::money::money;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::format_local;
use crate::web::time::viewer_tz;

/// `?week=` on the slots page: the first day shown, in the viewer's timezone.
#[derive(Debug, Deserialize)]
pub struct WeekQuery {
    week: Option<String>,
}

/// `?start=` on the confirm step.
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    start: String,
}

/// The confirm form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    start: String,
    key: String,
    /// `1`: pay the professional's price instead of credits (when the hub
    /// lets members who have too few credits).
    #[serde(default)]
    pay: Option<String>,
}

/// The professional, if the viewer may book them here: on a hub, a verified
/// professional on its roster; on the platform, one the viewer is connected to.
pub async fn bookable(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Professional, AppError> {
    match site {
        Site::Hub { tenant, .. } => {
            // The roster as this node caches it for the hub page (a booking
            // checks it again in its transaction).
            if !crate::web::hubs::get(state, tenant).await?.on_roster(id) {
                return Err(AppError::NotFound);
            }
            let mut conn = state.pool.acquire().await?;
            data::professional(&mut conn, id)
                .await?
                .ok_or(AppError::NotFound)
        }
        Site::Platform => {
            let user = viewer.user.as_ref().ok_or(AppError::NotFound)?;
            let connected: bool = sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM connections WHERE professional_id = $1 AND client_id = $2) AS "connected!""#,
                id,
                user.id,
            )
            .fetch_one(&state.pool)
            .await?;
            if !connected {
                return Err(AppError::NotFound);
            }
            let mut conn = state.pool.acquire().await?;
            data::professional(&mut conn, id)
                .await?
                .ok_or(AppError::NotFound)
        }
    }
}

async fn service_of(state: &AppState, pro: &Professional, id: Uuid) -> Result<Service, AppError> {
    let mut conn = state.pool.acquire().await?;
    data::service(&mut conn, pro.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// GET /book/{professional}: who they are and what they offer.
pub async fn professional_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let pro = bookable(&state, &site, &viewer, id).await?;
    let mut conn = state.pool.acquire().await?;
    let services = data::services(&mut conn, pro.id).await?;
    drop(conn);
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with("pro", &pro)
        .with("services", &services)
        .render(&state, "book_professional.html")?
        .into_response())
}

#[derive(Serialize)]
pub(crate) struct Week {
    first: NaiveDate,
    previous: Option<NaiveDate>,
    next: Option<NaiveDate>,
}

/// The free slots of a week, grouped by the viewer's days (labelled in `lang`).
#[expect(clippy::too_many_arguments, reason = "one query's parts, named")]
pub(crate) async fn week_of_slots(
    state: &AppState,
    lang: &str,
    pro: &Professional,
    service: &Service,
    tz: chrono_tz::Tz,
    client: Option<Uuid>,
    except: Option<Uuid>,
    week: Option<&str>,
) -> Result<(Vec<slots::LocalDay>, Week), AppError> {
    let now = Utc::now();
    let today = now.with_timezone(&tz).date_naive();
    let last = today + Duration::days(i64::from(pro.horizon_days));
    let first = week
        .and_then(|w| NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
        .filter(|d| *d >= today && *d <= last)
        .unwrap_or(today);
    let start_of = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map_or(now, |t| t.with_timezone(&Utc))
    };
    let from = start_of(first);
    let to = start_of(first + Duration::days(7));
    let mut conn = state.pool.acquire().await?;
    let availability = data::availability(&mut conn, pro).await?;
    let busy = data::busy(&mut conn, pro.id, from, to, client, except).await?;
    drop(conn);
    let free = slots::free_slots(
        &availability,
        i64::from(service.duration_minutes),
        STEP_MINUTES,
        &busy,
        now,
        from,
        to,
    );
    let week = Week {
        first,
        previous: (first > today).then(|| (first - Duration::days(7)).max(today)),
        next: (first + Duration::days(7) <= last).then(|| first + Duration::days(7)),
    };
    Ok((slots::in_timezone(&free, tz, lang), week))
}

/// GET /book/{professional}/{service}: a week of free slots.
pub async fn slots_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path((id, service_id)): Path<(Uuid, Uuid)>,
    Query(query): Query<WeekQuery>,
) -> Result<Response, AppError> {
    let pro = bookable(&state, &site, &viewer, id).await?;
    let service = service_of(&state, &pro, service_id).await?;
    show_slots(
        &state,
        &site,
        &viewer,
        &pro,
        &service,
        query.week.as_deref(),
        None,
        StatusCode::OK,
    )
    .await
}

#[expect(clippy::too_many_arguments, reason = "one page's parts, named")]
async fn show_slots(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    pro: &Professional,
    service: &Service,
    week: Option<&str>,
    message: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tz = viewer_tz(state, site, viewer).await;
    let client = viewer.user.as_ref().map(|u| u.id);
    let (days, week) =
        week_of_slots(state, viewer.language, pro, service, tz, client, None, week).await?;
    let page = Page::new(state, site, viewer).await?;
    Ok((
        status,
        page.with("pro", pro)
            .with("service", service)
            .with("days", &days)
            .with("week", &week)
            .with("timezone", &tz.name())
            .with("message", &message)
            .render(state, "book_slots.html")?,
    )
        .into_response())
}

fn parse_start(start: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(start.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// What the confirm step shows about the cost.
#[derive(Debug, Serialize)]
struct Cost {
    credits: Option<i32>,
    balance: Option<i32>,
    resets_on: Option<NaiveDate>,
    refused: Option<String>,
    price: Option<String>,
    /// The professional's price, when the member may pay it instead of credits.
    pay_instead: Option<String>,
}

/// GET /book/{professional}/{service}/confirm?start=: the booking to confirm, and whether the viewer holds it. Changes nothing (holds are made by POST, see [`hold`]).
pub async fn confirm_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path((id, service_id)): Path<(Uuid, Uuid)>,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let pro = bookable(&state, &site, &viewer, id).await?;
    let service = service_of(&state, &pro, service_id).await?;
    let start = parse_start(&query.start).ok_or(AppError::NotFound)?;
    let here = confirm_step(&site, &pro, &service, start);
    let tz = viewer_tz(&state, &site, &viewer).await;
    let when = start.with_timezone(&tz);
    let page = Page::new(&state, &site, &viewer)
        .await?
        .with("pro", &pro)
        .with("service", &service)
        .with("start", &start.to_rfc3339())
        .with(
            "date",
            &format_local(viewer.language, when.naive_local(), "%A %-d %B %Y"),
        )
        .with("time", &when.format("%H:%M").to_string())
        .with("timezone", &tz.name())
        .with("next", &here);
    let Some(user) = viewer.user.clone() else {
        return Ok(page.render(&state, "book_account.html")?.into_response());
    };
    let tenant = match paying_hub(&site, &viewer, &here) {
        Ok(tenant) => tenant,
        Err(to_claim) => return Ok(to_claim),
    };
    // A GET changes nothing: the hold is made by the slot's POST (`hold`);
    // arriving here by a link, the viewer sees whether the time is still
    // free and may confirm it.
    let held_until = book::held_until(&state, user.id, pro.id, start).await?;
    if held_until.is_none() {
        let mut conn = state.pool.acquire().await?;
        let free = book::check_free(&mut conn, &pro, &service, start, user.id, None).await;
        drop(conn);
        if let Err(refusal) = free {
            return slot_refused(&state, &site, &viewer, &pro, &service, refusal).await;
        }
    }
    let cost = match &tenant {
        Some(tenant) => {
            let _ = state.plugins.active(tenant).await;
            let mut tx = TenantTx::begin(&state.pool, tenant).await?;
            let peeked = credits::peek(&mut tx, user.id, Utc::now()).await?;
            let cost = match peeked {
                Some((_, account)) => {
                    let price = book::price(
                        &state, tenant, &mut tx, user.id, &pro, &service, start, &account, None,
                    )
                    .await;
                    Cost {
                        credits: price.as_ref().ok().map(|p| p.credits),
                        balance: Some(account.balance),
                        resets_on: Some(account.period.end),
                        refused: match price {
                            Err(BookError::Refused(reason)) => Some(reason.text(viewer.language)),
                            _ => None,
                        },
                        price: None,
                        pay_instead: (service.price_minor > 0
                            && crate::credits::CreditPolicy::load(&mut tx)
                                .await?
                                .members_may_pay)
                            .then(|| {
                                money(service.price_minor, &service.currency, viewer.language)
                            }),
                    }
                }
                None => Cost {
                    credits: None,
                    balance: None,
                    resets_on: None,
                    refused: None,
                    price: None,
                    pay_instead: None,
                },
            };
            // Read only: nothing of the preview is kept.
            drop(tx);
            cost
        }
        None => Cost {
            credits: None,
            balance: None,
            resets_on: None,
            refused: None,
            price: Some(money(
                service.price_minor,
                &service.currency,
                viewer.language,
            )),
            pay_instead: None,
        },
    };
    let held_until = held_until.map(|t| t.with_timezone(&tz).format("%H:%M").to_string());
    Ok(page
        .with("cost", &cost)
        .with("held_until", &held_until)
        .with("key", &Uuid::new_v4().to_string())
        .render(&state, "book_confirm.html")?
        .into_response())
}

/// The confirm step's address for `start`.
fn confirm_step(
    site: &Site,
    pro: &Professional,
    service: &Service,
    start: DateTime<Utc>,
) -> String {
    format!(
        "{}/book/{}/{}/confirm?start={}",
        crate::web::site::base_of(site),
        pro.id,
        service.id,
        form_urlencoded::byte_serialize(start.to_rfc3339().as_bytes()).collect::<String>()
    )
}

/// The hub whose credits pay (none on the platform), or, for a signed-in
/// viewer who is not yet its member, the way to claim them first and come
/// back to `here`.
fn paying_hub(site: &Site, viewer: &Viewer, here: &str) -> Result<Option<Arc<Tenant>>, Response> {
    match site {
        Site::Hub { tenant, base } => {
            if !viewer.roles.contains(&"employee") {
                let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
                return Err(Redirect::to(&format!("{base}/claim?next={next}")).into_response());
            }
            Ok(Some(tenant.clone()))
        }
        Site::Platform => Ok(None),
    }
}

/// The slots page again, saying why `refusal` stopped the viewer (409).
async fn slot_refused(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    pro: &Professional,
    service: &Service,
    refusal: BookError,
) -> Result<Response, AppError> {
    let id = match refusal {
        BookError::SlotTaken => "book-error-held",
        BookError::SlotUnavailable => "book-error-unavailable",
        other => return Err(other.into()),
    };
    show_slots(
        state,
        site,
        viewer,
        pro,
        service,
        None,
        Some(&crate::i18n::t(viewer.language, id, None)),
        StatusCode::CONFLICT,
    )
    .await
}

/// The slot form: a time to hold.
#[derive(Debug, Deserialize)]
pub struct HoldForm {
    start: String,
}

/// POST /book/{professional}/{service}/hold: holds the chosen time for the
/// signed-in viewer (dropping their other holds) while they confirm, then
/// shows the confirm step.
pub async fn hold(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path((id, service_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<HoldForm>,
) -> Result<Response, AppError> {
    let pro = bookable(&state, &site, &viewer, id).await?;
    let service = service_of(&state, &pro, service_id).await?;
    let start = parse_start(&form.start).ok_or(AppError::NotFound)?;
    let here = confirm_step(&site, &pro, &service, start);
    let tenant = match paying_hub(&site, &viewer, &here) {
        Ok(tenant) => tenant,
        Err(to_claim) => return Ok(to_claim),
    };
    match book::hold(&state, tenant.as_deref(), user.id, &pro, &service, start).await {
        Ok(_) => Ok(Redirect::to(&here).into_response()),
        Err(refusal) => slot_refused(&state, &site, &viewer, &pro, &service, refusal).await,
    }
}

/// POST /book/{professional}/{service}/confirm
pub async fn confirm(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    Path((id, service_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let pro = bookable(&state, &site, &viewer, id).await?;
    let service = service_of(&state, &pro, service_id).await?;
    let start = parse_start(&form.start).ok_or(AppError::NotFound)?;
    let base = crate::web::site::base_of(&site).to_owned();
    let key = form.key.trim();
    let key = (8..=100).contains(&key.len()).then_some(key);
    let tenant = match &site {
        Site::Hub { tenant, .. } => Some(tenant.clone()),
        Site::Platform => None,
    };
    let request = Request {
        tenant: tenant.as_deref(),
        client_id: user.id,
        created_by: user.id,
        professional: &pro,
        service: &service,
        starts_at: start,
        idempotency_key: key,
        price_minor: None,
        within_hours: true,
        pay_instead: form.pay.as_deref() == Some("1"),
    };
    let message = match book::confirm(&state, &request).await {
        Ok(id) | Err(BookError::AlreadyBooked(id)) => {
            return Ok(Redirect::to(&format!("{base}/appointments/{id}?booked=1")).into_response())
        }
        Err(BookError::NotMember) => {
            return Ok(Redirect::to(&format!("{base}/claim")).into_response())
        }
        Err(BookError::SlotTaken) => crate::i18n::t(viewer.language, "book-error-taken", None),
        Err(BookError::SlotUnavailable) => {
            crate::i18n::t(viewer.language, "book-error-unavailable", None)
        }
        Err(BookError::Refused(reason)) => reason.text(viewer.language),
        Err(BookError::Insufficient { balance, needed }) => {
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("credits", needed);
            args.set("balance", balance);
            crate::i18n::t(viewer.language, "book-confirm-not-enough", Some(&args))
        }
        Err(BookError::App(e)) => return Err(e),
    };
    show_slots(
        &state,
        &site,
        &viewer,
        &pro,
        &service,
        None,
        Some(&message),
        StatusCode::CONFLICT,
    )
    .await
}
