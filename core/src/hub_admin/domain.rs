//! The hub's custom domain(s): kept in `public.tenant_domains`, which the
//! resolver reads (and every node hears about through NOTIFY). One domain
//! belongs to one hub only, and serves it only once the hub proved control of
//! it with a DNS TXT record (see [`crate::domain_proof`]).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use hearth_tenants::changes::{announce, Change};
use hearth_tenants::registry::DomainCheck;
use hearth_tenants::TenantTx;
use serde::{Deserialize, Serialize};

use super::eligibility::valid_domain;
use super::{audit, change, done, notice, render, Done};
use crate::domain_proof;
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
            ("found", "admin-domain-notice-found"),
            ("missing", "admin-domain-notice-missing"),
            ("unreachable", "admin-domain-notice-unreachable"),
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
    let domains: Vec<DomainView> = {
        let mut conn = state.pool.acquire().await?;
        hearth_tenants::registry::domains_of(&mut conn, hub.tenant.id)
            .await?
            .into_iter()
            .map(|d| DomainView {
                record_name: domain_proof::record_name(&d.domain),
                record_value: domain_proof::record_value(&d.token),
                serving: d.verified_at.is_some(),
                last_check: d.last_check,
                domain: d.domain,
            })
            .collect()
    };
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

/// A domain as its page shows it: serving, or the record still to add.
#[derive(Debug, Serialize)]
struct DomainView {
    domain: String,
    serving: bool,
    record_name: String,
    record_value: String,
    last_check: Option<DomainCheck>,
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
    let owner = hearth_tenants::registry::domain_owner(&mut tx, &domain).await?;
    match owner {
        Some(id) if id == hub.tenant.id => {
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
    let token = domain_proof::new_token();
    match hearth_tenants::registry::add_domain(&mut tx, &hub.tenant.slug, &domain, &token).await {
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
    let removed = sqlx::query!(
        "DELETE FROM public.tenant_domains WHERE domain = $1 AND tenant_id = $2",
        &domain,
        hub.tenant.id.0,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    announce(&mut tx, Change::Hubs).await?;
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

/// POST /admin/domain/check: looks for the domain's TXT record now, instead
/// of waiting for the next periodic check.
pub async fn check(
    State(state): State<AppState>,
    HrAdmin { hub, .. }: HrAdmin,
    Form(form): Form<DomainForm>,
) -> Result<Response, AppError> {
    let domain = form.domain.trim().to_ascii_lowercase();
    let owner = {
        let mut conn = state.pool.acquire().await?;
        hearth_tenants::registry::domain_owner(&mut conn, &domain).await?
    };
    if owner != Some(hub.tenant.id) {
        return Err(AppError::NotFound);
    }
    let outcome = match domain_proof::check_now(&state.pool, &state.domains, &domain).await? {
        Some(domain_proof::Proof::Found) => "found",
        Some(domain_proof::Proof::Missing) => "missing",
        Some(domain_proof::Proof::Unreachable) => "unreachable",
        // Removed meanwhile.
        None => return Err(AppError::NotFound),
    };
    Ok(done(&hub, "/admin/domain", outcome))
}
