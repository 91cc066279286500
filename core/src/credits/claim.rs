//! "Create an account to claim your credits": an eligible person becomes a
//! member of the hub and is granted the period's credits, once.
//!
//! Eligible means: an address at one of the hub's allowed domains, an
//! address on the hub's imported employee list, or an open invite code.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use hearth_tenants::{Tenant, TenantTx};
use serde::Deserialize;
use uuid::Uuid;

use crate::credits::{open_account, CreditError};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::form::safe_next;
use crate::web::page::Page;
use crate::web::site::{CurrentHub, Site};
use crate::web::state::AppState;

/// How joining a hub ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Now a member, with this many credits.
    Joined(i32),
    /// A member already.
    AlreadyMember,
    /// Not eligible without (another) invite code.
    NotEligible,
}

/// Whether `email` may join the hub by its domain or the employee list, on a hub transaction.
pub async fn eligible_by_email(conn: &mut sqlx::PgConnection, email: &str) -> sqlx::Result<bool> {
    let email = email.trim().to_lowercase();
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM eligibility_domains WHERE domain = $1)
             OR EXISTS (SELECT 1 FROM eligible_employees WHERE email = $2) AS "eligible!""#,
        domain,
        &email,
    )
    .fetch_one(conn)
    .await
}

/// Makes `user_id` a member of `tenant` if eligible (by email, or by `code`)
/// and grants the period's credits, in one hub transaction.
pub async fn join(
    state: &AppState,
    tenant: &Tenant,
    user_id: Uuid,
    email: &str,
    code: Option<&str>,
) -> Result<Claim, AppError> {
    // Warm the plugin cache before the transaction holds a balance row.
    let _ = state.plugins.active(tenant).await;
    let mut tx = TenantTx::begin(&state.pool, tenant).await?;
    let member: bool = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM members WHERE user_id = $1 AND status = 'active') AS "member!""#,
        user_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    if member {
        return Ok(Claim::AlreadyMember);
    }
    let mut eligible = eligible_by_email(&mut tx, email).await?;
    if !eligible {
        if let Some(code) = code
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty())
        {
            eligible = sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM invite_codes WHERE code = $1 AND revoked_at IS NULL) AS "eligible!""#,
                &code,
            )
            .fetch_one(&mut *tx)
            .await?;
        }
    }
    if !eligible {
        return Ok(Claim::NotEligible);
    }
    add_member(&mut tx, user_id, Role::Employee).await?;
    let account = match open_account(state, tenant, &mut tx, user_id, Utc::now()).await {
        Ok(a) => a,
        Err(CreditError::Database(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    // That someone joined, not who: the log is read by the hub's HR admins.
    sqlx::query!(
        "INSERT INTO audit_log (actor_id, action, detail) VALUES (NULL, 'member.joined', '{}')",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Claim::Joined(account.balance))
}

/// `?next=` on the claim page.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The claim form: an invite code, and where to go next.
#[derive(Debug, Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: Option<String>,
}

/// GET /claim: members go on; others see how to claim.
pub async fn page(
    State(state): State<AppState>,
    hub: CurrentHub,
    SignedIn { user, viewer }: SignedIn,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    if viewer.roles.contains(&"employee") {
        return Ok(Redirect::to(&safe_next(query.next.as_deref(), &hub.base)).into_response());
    }
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let by_email = eligible_by_email(&mut tx, &user.email).await?;
    tx.commit().await?;
    render(&state, &hub, &viewer, by_email, query.next.as_deref(), None).await
}

async fn render(
    state: &AppState,
    hub: &CurrentHub,
    viewer: &Viewer,
    by_email: bool,
    next: Option<&str>,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let site = Site::Hub {
        tenant: hub.tenant.clone(),
        base: hub.base.clone(),
    };
    let page = Page::new(state, &site, viewer).await?;
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((
        status,
        page.with("eligible_by_email", &by_email)
            .with("next", &next)
            .with("error", &error)
            .render(state, "claim.html")?,
    )
        .into_response())
}

/// POST /claim
pub async fn claim(
    State(state): State<AppState>,
    hub: CurrentHub,
    SignedIn { user, viewer }: SignedIn,
    Form(form): Form<ClaimForm>,
) -> Result<Response, AppError> {
    let code = Some(form.code.as_str()).filter(|c| !c.trim().is_empty());
    if code.is_some_and(|c| c.len() > 64) {
        return render(
            &state,
            &hub,
            &viewer,
            false,
            form.next.as_deref(),
            Some(&crate::i18n::t(viewer.language, "claim-error-code", None)),
        )
        .await;
    }
    match join(&state, &hub.tenant, user.id, &user.email, code).await? {
        Claim::Joined(_) | Claim::AlreadyMember => {
            let next = match form.next.as_deref() {
                Some(n) if !n.is_empty() => safe_next(Some(n), &hub.base),
                _ => format!("{}/dashboard?claimed=1", hub.base),
            };
            Ok(Redirect::to(&next).into_response())
        }
        Claim::NotEligible => {
            let message = if code.is_some() {
                crate::i18n::t(viewer.language, "claim-error-code", None)
            } else {
                crate::i18n::t(viewer.language, "claim-error-not-listed", None)
            };
            render(
                &state,
                &hub,
                &viewer,
                false,
                form.next.as_deref(),
                Some(&message),
            )
            .await
        }
    }
}

/// A member's role in a hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Claims credits and books.
    Employee,
    /// Also sets the hub up (Hub settings).
    HrAdmin,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::HrAdmin => "hr_admin",
        }
    }
}

/// Makes `user_id` an active member of the hub with `role`; a former member
/// is made active again, their role kept.
pub async fn add_member(tx: &mut TenantTx, user_id: Uuid, role: Role) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO members (user_id, role) VALUES ($1, $2) \
         ON CONFLICT (user_id) DO UPDATE SET status = 'active'",
        user_id,
        role.as_str(),
    )
    .execute(&mut **tx)
    .await?;
    hearth_tenants::directory::mirror(tx, &[user_id]).await
}
