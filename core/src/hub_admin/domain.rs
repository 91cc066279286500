//! The hub's custom domain(s): kept in `public.tenant_domains`, which the
//! resolver reads (and every node hears about through NOTIFY). One domain
//! belongs to one hub only.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use hearth_tenants::TenantTx;
use serde::Deserialize;

use super::eligibility::valid_domain;
use super::{audit, change, done, notice, render, Done};
use crate::i18n::Msg;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::HrAdmin;
use crate::web::form::FieldErrors;
use crate::web::site::CurrentHub;
use crate::web::state::AppState;

/// GET /admin/domain
pub async fn page(
    State(state): State<AppState>,
    HrAdmin { hub, viewer, .. }: HrAdmin,
    Query(flag): Query<Done>,
) -> Result<Response, AppError> {
    let notice = notice(
        &flag,
        &[
            ("added", "admin-domain-notice-added"),
            ("removed", "admin-notice-domain-removed"),
        ],
        viewer.language,
    );
    show(
        &state,
        &hub,
        &viewer,
        StatusCode::OK,
        &FieldErrors::new(),
        "",
        notice,
    )
    .await
}

async fn show(
    state: &AppState,
    hub: &CurrentHub,
    viewer: &Viewer,
    status: StatusCode,
    errors: &FieldErrors,
    value: &str,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let domains: Vec<String> = sqlx::query_scalar(
        "SELECT domain FROM tenant_domains WHERE tenant_id = $1 ORDER BY domain",
    )
    .bind(hub.tenant.id.0)
    .fetch_all(&state.pool)
    .await?;
    let target = format!("{}.{}", hub.tenant.slug, state.config.base_domain);
    render(
        state,
        hub,
        viewer,
        "domain",
        "admin_domain.html",
        status,
        |p| {
            p.with("domains", &domains)
                .with("errors", errors)
                .with("value", &value)
                .with("target", &target)
                .with("notice", &notice)
        },
    )
    .await
}

/// A form with one domain field (the custom domain, an allowed email domain).
#[derive(Debug, Deserialize)]
pub struct DomainForm {
    #[serde(default)]
    pub(super) domain: String,
}

/// POST /admin/domain
pub async fn add(
    State(state): State<AppState>,
    HrAdmin { user, hub, viewer }: HrAdmin,
    Form(form): Form<DomainForm>,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let base = state.config.base_domain.to_ascii_lowercase();
    let checked = valid_domain(&form.domain).and_then(|d| {
        if d == base || d.ends_with(&format!(".{base}")) {
            Err(Msg::new("admin-domain-error-platform").arg("base", base.clone()))
        } else {
            Ok(d)
        }
    });
    let domain = match checked {
        Ok(d) => d,
        Err(message) => return refuse(&state, &hub, &viewer, &form.domain, message).await,
    };
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT tenant_id FROM public.tenant_domains WHERE domain = $1")
            .bind(&domain)
            .fetch_optional(&mut *tx)
            .await?;
    match owner {
        Some(id) if id == hub.tenant.id.0 => {
            drop(tx);
            return refuse(
                &state,
                &hub,
                &viewer,
                &form.domain,
                Msg::new("admin-domain-error-ours").arg("domain", domain.clone()),
            )
            .await;
        }
        Some(_) => {
            drop(tx);
            return refuse(&state, &hub, &viewer, &form.domain, taken(&domain)).await;
        }
        None => {}
    }
    match hearth_tenants::registry::add_domain(&mut tx, &hub.tenant.slug, &domain).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound),
        // Another hub took it meanwhile: the primary key decides.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            drop(tx);
            return refuse(&state, &hub, &viewer, &form.domain, taken(&domain)).await;
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &mut tx,
        actor_id,
        "domain.add",
        change(&None::<String>, &domain),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin/domain", "added"))
}

fn taken(domain: &str) -> Msg {
    Msg::new("admin-domain-error-taken").arg("domain", domain.to_owned())
}

async fn refuse(
    state: &AppState,
    hub: &CurrentHub,
    viewer: &Viewer,
    value: &str,
    message: Msg,
) -> Result<Response, AppError> {
    let errors = FieldErrors::from([("domain", message.text(viewer.language))]);
    show(
        state,
        hub,
        viewer,
        StatusCode::UNPROCESSABLE_ENTITY,
        &errors,
        value,
        None,
    )
    .await
}

/// POST /admin/domain/remove
pub async fn remove(
    State(state): State<AppState>,
    HrAdmin {
        user,
        hub,
        viewer: _,
    }: HrAdmin,
    Form(form): Form<DomainForm>,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let domain = form.domain.trim().to_ascii_lowercase();
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let removed =
        sqlx::query("DELETE FROM public.tenant_domains WHERE domain = $1 AND tenant_id = $2")
            .bind(&domain)
            .bind(hub.tenant.id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor_id,
        "domain.remove",
        change(&domain, &None::<String>),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin/domain", "removed"))
}
