//! Onboarding a company at `/reseller/companies/new`: one form makes the
//! company's hub (all or nothing, with this reseller as its reseller), sets
//! its credit policy (credits per employee per period, and the period) and
//! names its first HR admin by email.
//!
//! The HR admin: an account with that email becomes the hub's HR admin at
//! once and is emailed a link to Hub settings; for an email without an
//! account, an account is made for it (no password, so no one can sign in
//! to it yet) with the HR admin role, and the email carries a link that sets
//! its first password, valid [`INVITED_LINK_DAYS`] days. The professional's
//! client invitations do not fit: they connect a client to a professional.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use hearth_tenants::provision::{create_tenant, NewTenant, ProvisionError};
use hearth_tenants::{registry, Slug, SlugError, Tenant, TenantTx};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{link, render};
use crate::accounts::INVITED_LINK_DAYS;
use crate::credits::CreditPolicy;
use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::extract::ResellerAdmin;
use crate::web::form::{field, in_language, normalize_email, FieldErrors, FieldMsgs};
use crate::web::site::Site;
use crate::web::state::AppState;

/// The plans a hub may be on (`tenants.plan`; one for now, its default).
const PLANS: &[&str] = &["standard"];

/// The periods offered, in months: a month, a quarter, half a year, a year.
const PERIODS: &[i32] = &[1, 3, 6, 12];

/// The most credits per employee per period.
const MAX_CREDITS: i32 = 1000;

/// The onboarding form, as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct CompanyForm {
    /// The company's name.
    #[serde(default)]
    name: String,
    /// The hub's slug.
    #[serde(default)]
    slug: String,
    /// Its plan.
    #[serde(default)]
    plan: String,
    /// The first HR admin's email.
    #[serde(default)]
    email: String,
    /// Credits per employee per period.
    #[serde(default)]
    credits: String,
    /// The period's length in months.
    #[serde(default)]
    period: String,
}

/// The form checked: what provisioning and the invitation need.
#[derive(Debug)]
struct Company {
    name: String,
    slug: Slug,
    email: String,
    /// Credits per employee per period.
    credits: i32,
    /// The period's length in months.
    period_months: i32,
}

/// The company's name: trimmed, 1 to 200 characters, no control characters.
fn company_name(input: &str) -> Result<String, Msg> {
    let name = input.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(Msg::new("reseller-error-name"));
    }
    Ok(name.to_owned())
}

/// The slug, validated as every hub's is.
fn slug_of(input: &str) -> Result<Slug, Msg> {
    Slug::parse(input.trim()).map_err(|e| match e {
        SlugError::Length => Msg::new("reseller-error-slug-length"),
        SlugError::Characters => Msg::new("reseller-error-slug-characters"),
        SlugError::Hyphen => Msg::new("reseller-error-slug-hyphen"),
        SlugError::Reserved(_) => Msg::new("reseller-error-slug-reserved"),
    })
}

/// Credits per employee per period: a whole number from 0 to [`MAX_CREDITS`].
fn credits_of(input: &str) -> Result<i32, Msg> {
    input
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|c| (0..=MAX_CREDITS).contains(c))
        .ok_or_else(|| Msg::new("reseller-error-credits").arg("max", i64::from(MAX_CREDITS)))
}

/// The period's length: one of [`PERIODS`].
fn period_of(input: &str) -> Result<i32, Msg> {
    input
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|m| PERIODS.contains(m))
        .ok_or_else(|| Msg::new("reseller-error-period"))
}

/// Checks every field, each refusal on its field.
fn check(form: &CompanyForm) -> Result<Company, FieldMsgs> {
    let mut errors = FieldMsgs::new();
    let name = field(&mut errors, "name", company_name(&form.name));
    let slug = field(&mut errors, "slug", slug_of(&form.slug));
    let plan_ok = PLANS.contains(&form.plan.trim());
    if !plan_ok {
        errors.insert("plan", Msg::new("reseller-error-plan"));
    }
    let email = field(
        &mut errors,
        "email",
        normalize_email(&form.email).map_err(|_| Msg::new("reseller-error-email")),
    );
    let credits = field(&mut errors, "credits", credits_of(&form.credits));
    let period_months = field(&mut errors, "period", period_of(&form.period));
    match (name, slug, email, plan_ok, credits, period_months) {
        (Some(name), Some(slug), Some(email), true, Some(credits), Some(period_months))
            if errors.is_empty() =>
        {
            Ok(Company {
                name,
                slug,
                email,
                credits,
                period_months,
            })
        }
        _ => Err(errors),
    }
}

/// The form page, with what was typed and the refusals next to their fields.
async fn form_page(
    state: &AppState,
    admin: &ResellerAdmin,
    form: &CompanyForm,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let action = link(admin, "/reseller/companies/new", &[]);
    let back = link(admin, "/reseller", &[]);
    render(state, admin, "new", "reseller_new.html", status, |p| {
        p.with("form", form)
            .with("errors", errors)
            .with("plans", &PLANS)
            .with("periods", &PERIODS)
            .with("max_credits", &MAX_CREDITS)
            .with("action", &action)
            .with("back", &back)
    })
    .await
}

/// GET /reseller/companies/new
pub async fn page(
    State(state): State<AppState>,
    admin: ResellerAdmin,
) -> Result<Response, AppError> {
    let form = CompanyForm {
        plan: PLANS[0].to_owned(),
        credits: "0".to_owned(),
        period: "12".to_owned(),
        ..CompanyForm::default()
    };
    form_page(&state, &admin, &form, &FieldErrors::new()).await
}

/// POST /reseller/companies/new: the hub is made, its first HR admin named
/// and emailed; back to the list with a notice. A refusal makes nothing.
pub async fn create(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Form(form): Form<CompanyForm>,
) -> Result<Response, AppError> {
    let lang = admin.viewer.language;
    let company = match check(&form) {
        Ok(company) => company,
        Err(errors) => {
            return form_page(&state, &admin, &form, &in_language(&errors, lang)).await;
        }
    };
    let taken = {
        let mut conn = state.pool.acquire().await?;
        registry::find_by_slug(&mut conn, company.slug.as_str())
            .await?
            .is_some()
    };
    let slug_taken = |form: &CompanyForm| {
        let errors = FieldMsgs::from([("slug", Msg::new("reseller-error-slug-taken"))]);
        (form.clone(), in_language(&errors, lang))
    };
    if taken {
        let (form, errors) = slug_taken(&form);
        return form_page(&state, &admin, &form, &errors).await;
    }
    let tenant = match create_tenant(
        &state.pool,
        &state.tenant_migrator,
        &NewTenant {
            slug: company.slug.as_str().to_owned(),
            name: company.name.clone(),
            reseller_id: Some(admin.reseller.id),
        },
    )
    .await
    {
        Ok(tenant) => tenant,
        // Taken between the check and the insert.
        Err(ProvisionError::SlugTaken(_)) => {
            let (form, errors) = slug_taken(&form);
            return form_page(&state, &admin, &form, &errors).await;
        }
        Err(ProvisionError::Database(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    // This node answers the hub's pages at once (the others hear of it by NOTIFY).
    state.resolver.invalidate();
    tracing::info!(user_id = %admin.user.id, reseller_id = admin.reseller.id, hub_id = %tenant.id, "reseller admin onboarded a company");
    invite_hr_admin(&state, &admin, tenant, &company).await?;
    Ok(crate::web::form::to(
        &Site::Platform,
        &link(&admin, "/reseller", &[("done", "onboarded")]),
    ))
}

/// Sets the new hub's credit policy and names the account with the
/// company's email (made now when there is none) HR admin of `tenant`,
/// writes both in the hub's audit log and emails them, in one transaction in
/// the hub.
async fn invite_hr_admin(
    state: &AppState,
    admin: &ResellerAdmin,
    tenant: Tenant,
    company: &Company,
) -> Result<(), AppError> {
    let email = company.email.as_str();
    let tenant = Arc::new(tenant);
    let site = Site::Hub {
        base: format!("/h/{}", tenant.slug),
        tenant: Arc::clone(&tenant),
    };
    let hub_url = crate::accounts::mail::site_url(state, &site);
    let mut tx = TenantTx::begin(&state.pool, &tenant).await?;
    let policy = CreditPolicy {
        credits_per_period: company.credits,
        period_months: company.period_months,
        ..CreditPolicy::load(&mut tx).await?
    };
    policy.save(&mut tx).await?;
    crate::hub_admin::audit::record(
        &mut tx,
        admin.user.id,
        "credits.policy",
        serde_json::json!({
            "credits_per_period": policy.credits_per_period,
            "period_months": policy.period_months,
            "reseller": admin.reseller.slug,
        }),
    )
    .await?;
    let existing = sqlx::query!(
        "SELECT id, name, language FROM users WHERE lower(email) = lower($1)",
        email,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (user_id, name, language, link_url, has_account): (Uuid, String, String, String, bool) =
        match existing {
            Some(user) => (
                user.id,
                user.name,
                user.language,
                format!("{hub_url}/admin"),
                true,
            ),
            None => {
                // Their name is theirs to give: the address's local part
                // until they change it in My Profile.
                let name = email
                    .split_once('@')
                    .map_or(email, |(local, _)| local)
                    .chars()
                    .take(200)
                    .collect::<String>();
                let language = admin.viewer.language.to_owned();
                let (id, token) = crate::accounts::create_invited(&mut tx, email, &name, &language)
                    .await
                    .map_err(|e| {
                        AppError::on_constraint(
                            e,
                            "users_email_key",
                            Msg::new("reseller-error-email"),
                        )
                    })?;
                (
                    id,
                    name,
                    language,
                    format!("{hub_url}/reset/{token}"),
                    false,
                )
            }
        };
    sqlx::query!(
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin') \
         ON CONFLICT (user_id) DO UPDATE SET role = 'hr_admin', status = 'active'",
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    crate::hub_admin::audit::record(
        &mut tx,
        admin.user.id,
        "members.hr_admin",
        serde_json::json!({ "user_id": user_id, "reseller": admin.reseller.slug }),
    )
    .await?;
    let mut context = tera::Context::new();
    context.insert("hub_name", &tenant.name);
    context.insert("reseller_name", &admin.reseller.name);
    context.insert("link_url", &link_url);
    context.insert("has_account", &has_account);
    context.insert("days", &INVITED_LINK_DAYS);
    crate::accounts::mail::send(
        state,
        &mut tx,
        &site,
        "hr_admin_invitation",
        (email, &name),
        &language,
        context,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{check, CompanyForm};

    fn form(name: &str, slug: &str, plan: &str, email: &str) -> CompanyForm {
        CompanyForm {
            name: name.into(),
            slug: slug.into(),
            plan: plan.into(),
            email: email.into(),
            credits: "10".into(),
            period: "3".into(),
        }
    }

    #[test]
    fn each_refusal_is_on_its_field() {
        assert!(check(&form("Acme", "acme", "standard", "hr@acme.example")).is_ok());
        let errors = check(&form(" ", "Bad Slug", "gold", "nope"))
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = errors.keys().copied().collect();
        assert_eq!(fields, ["email", "name", "plan", "slug"]);
        let errors = check(&form("Acme", "admin", "standard", "hr@acme.example"))
            .err()
            .unwrap_or_default();
        assert!(errors.contains_key("slug"));
        for (credits, period, refused) in [
            ("1001", "3", "credits"),
            ("-1", "3", "credits"),
            ("ten", "3", "credits"),
            ("10", "2", "period"),
            ("10", "", "period"),
        ] {
            let mut f = form("Acme", "acme", "standard", "hr@acme.example");
            f.credits = credits.into();
            f.period = period.into();
            let errors = check(&f).err().unwrap_or_default();
            let fields: Vec<&str> = errors.keys().copied().collect();
            assert_eq!(fields, [refused], "{credits} {period}");
        }
        let mut f = form("Acme", "acme", "standard", "hr@acme.example");
        f.credits = " 1000 ".into();
        f.period = "12".into();
        let company = check(&f).ok();
        assert_eq!(
            company.map(|c| (c.credits, c.period_months)),
            Some((1000, 12))
        );
    }
}
