//! Onboarding a company at `/reseller/companies/new`: one form makes the
//! company's hub (with this reseller as its reseller), sets its look (the
//! reseller's, followed, or a theme and colours of its own), its credit
//! policy (credits per employee per period, and the period), the email
//! domains whose people may join, its roster (from the professionals the
//! reseller works with) and, from a template, its plugins; and names its
//! first HR admin by email. Everything is checked before the hub is made,
//! so a refusal makes nothing and shows each reason next to its field.
//!
//! The HR admin: an account with that email becomes the hub's HR admin at
//! once and is emailed a link to Hub settings; for an email without an
//! account, an account is made for it (no password, so no one can sign in
//! to it yet) with the HR admin role, and the email carries a link that sets
//! its first password, valid [`INVITED_LINK_DAYS`] days. The professional's
//! client invitations do not fit: they connect a client to a professional.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use hearth_tenants::changes::{announce, Change};
use hearth_tenants::provision::{create_tenant, NewTenant, ProvisionError};
use hearth_tenants::{registry, Slug, SlugError, Tenant, TenantTx};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::templates::{self, Template, TemplatePlugin};
use super::{link, render};
use crate::accounts::INVITED_LINK_DAYS;
use crate::credits::CreditPolicy;
use crate::hub_admin::branding::{check_look, DEFAULT_ACCENT, DEFAULT_BRAND};
use crate::i18n::Msg;
use crate::plugin_host::registry::PluginInfo;
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

/// The most email domains one form may name.
const MAX_DOMAINS: usize = 20;

/// The prefix of the roster's checkboxes: `pro-<professional's user id>`.
const PRO: &str = "pro-";

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
    /// The email domains whose people may join, separated by commas,
    /// spaces or lines.
    #[serde(default)]
    domains: String,
    /// A theme of the company's own; empty: it follows the reseller's look.
    #[serde(default)]
    theme: String,
    /// With `theme`: the main colour.
    #[serde(default)]
    brand_color: String,
    /// With `theme`: the accent colour.
    #[serde(default)]
    accent_color: String,
    /// The template it starts from (its id), or empty.
    #[serde(default)]
    template: String,
    /// The roster's ticked boxes (`pro-<id>` = `on`), and the CSRF token.
    #[serde(flatten)]
    ticked: std::collections::BTreeMap<String, String>,
}

impl CompanyForm {
    /// The professionals ticked, as typed (unparsable ids are dropped: no
    /// box of the form has them).
    fn roster(&self) -> Vec<Uuid> {
        self.ticked
            .keys()
            .filter_map(|k| k.strip_prefix(PRO))
            .filter_map(|id| id.parse().ok())
            .collect()
    }
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
    /// Lowercased email domains.
    domains: Vec<String>,
    /// Its own look (theme, brand, accent), or `None`: the reseller's.
    look: Option<(String, String, String)>,
    /// The professionals of its roster.
    roster: Vec<Uuid>,
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

/// The email domains typed: each a valid domain name, at most
/// [`MAX_DOMAINS`], duplicates dropped.
fn domains_of(input: &str) -> Result<Vec<String>, Msg> {
    let mut domains = Vec::new();
    for part in input.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        if part.is_empty() {
            continue;
        }
        let domain = crate::hub_admin::eligibility::valid_domain(part.trim_start_matches('@'))
            .map_err(|_| Msg::new("reseller-error-domains").arg("domain", part.to_owned()))?;
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if domains.len() > MAX_DOMAINS {
        return Err(Msg::new("reseller-error-domains-many").arg("max", MAX_DOMAINS as i64));
    }
    Ok(domains)
}

/// Checks every field, each refusal on its field. `look` checks a theme and
/// its colours (`hub_admin::branding::check_look`).
fn check(
    form: &CompanyForm,
    look: impl Fn(&str, &str, &str) -> Result<(String, String, String), FieldMsgs>,
) -> Result<Company, FieldMsgs> {
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
    let domains = field(&mut errors, "domains", domains_of(&form.domains));
    let own_look = if form.theme.trim().is_empty() {
        None
    } else {
        match look(&form.theme, &form.brand_color, &form.accent_color) {
            Ok(look) => Some(look),
            Err(refused) => {
                errors.extend(refused);
                None
            }
        }
    };
    match (name, slug, email, plan_ok, credits, period_months, domains) {
        (
            Some(name),
            Some(slug),
            Some(email),
            true,
            Some(credits),
            Some(period_months),
            Some(domains),
        ) if errors.is_empty() => Ok(Company {
            name,
            slug,
            email,
            credits,
            period_months,
            domains,
            look: own_look,
            roster: form.roster(),
        }),
        _ => Err(errors),
    }
}

/// The form page, with what was typed and the refusals next to their fields.
async fn form_page(
    state: &AppState,
    admin: &ResellerAdmin,
    form: &CompanyForm,
    errors: &FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let status = crate::web::form::status_of(errors);
    let (professionals, templates, reseller_look) = {
        let mut conn = state.pool.acquire().await?;
        (
            super::professionals::of(&mut conn, admin.reseller.id).await?,
            templates::list(&mut conn, admin.reseller.id).await?,
            super::look::of(&mut conn, admin.reseller.id).await?,
        )
    };
    let ticked = form.roster();
    let roster: Vec<serde_json::Value> = professionals
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id, "name": p.name, "title": p.title, "verified": p.verified,
                "ticked": ticked.contains(&p.id),
            })
        })
        .collect();
    let themes = state.themes.choices();
    let action = link(admin, "/reseller/companies/new", &[]);
    let back = link(admin, "/reseller", &[]);
    let delete_template = link(admin, "/reseller/templates/delete", &[]);
    render(state, admin, "new", "reseller_new.html", status, |p| {
        p.with("form", form)
            .with("errors", errors)
            .with("notice", &notice)
            .with("plans", &PLANS)
            .with("periods", &PERIODS)
            .with("max_credits", &MAX_CREDITS)
            .with("roster", &roster)
            .with("templates", &templates)
            .with("themes", &themes)
            .with("reseller_look", &reseller_look)
            .with("action", &action)
            .with("back", &back)
            .with("delete_template", &delete_template)
    })
    .await
}

/// What the onboarding page is asked for.
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    /// A template to start from (its id).
    template: Option<String>,
    /// What was just done.
    done: Option<String>,
}

/// The form filled from `template`.
fn from_template(t: &Template) -> CompanyForm {
    CompanyForm {
        plan: PLANS[0].to_owned(),
        credits: t.credits_per_period.to_string(),
        period: t.period_months.to_string(),
        theme: t.theme.clone().unwrap_or_default(),
        brand_color: t
            .brand_color
            .clone()
            .unwrap_or_else(|| DEFAULT_BRAND.to_owned()),
        accent_color: t
            .accent_color
            .clone()
            .unwrap_or_else(|| DEFAULT_ACCENT.to_owned()),
        template: t.id.to_string(),
        ticked: t
            .roster
            .iter()
            .map(|id| (format!("{PRO}{id}"), "on".to_owned()))
            .collect(),
        ..CompanyForm::default()
    }
}

/// GET /reseller/companies/new (`?template=<id>`: filled from that template).
pub async fn page(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let template = match query.template.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => {
            let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
            let mut conn = state.pool.acquire().await?;
            let t = templates::find(&mut conn, admin.reseller.id, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Some(t)
        }
    };
    let form = match &template {
        Some(t) => from_template(t),
        None => CompanyForm {
            plan: PLANS[0].to_owned(),
            credits: "0".to_owned(),
            period: "12".to_owned(),
            brand_color: DEFAULT_BRAND.to_owned(),
            accent_color: DEFAULT_ACCENT.to_owned(),
            ..CompanyForm::default()
        },
    };
    let notice = crate::web::form::notice(
        &crate::web::form::Done { done: query.done },
        &[("template-deleted", "reseller-done-template-deleted")],
        admin.viewer.language,
    );
    form_page(&state, &admin, &form, &FieldErrors::new(), notice).await
}

/// The template's plugins, each found in the registry with its hook and its
/// config checked against the plugin's schema, or why one cannot be installed.
async fn plugins_of(
    state: &AppState,
    template: &Template,
) -> Result<Result<Vec<(PluginInfo, TemplatePlugin)>, Msg>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let mut found = Vec::new();
    for p in &template.plugins {
        let info = crate::plugin_host::registry::find(&mut conn, &p.plugin_id).await?;
        let usable = info.filter(|info| {
            info.hooks.contains(&p.hook)
                && info.config_schema.as_ref().is_none_or(|schema| {
                    crate::plugin_host::schema::validate(schema, &p.config).is_empty()
                })
        });
        match usable {
            Some(info) => found.push((info, p.clone())),
            None => {
                return Ok(Err(
                    Msg::new("reseller-error-template-plugin").arg("plugin", p.plugin_id.clone())
                ))
            }
        }
    }
    Ok(Ok(found))
}

/// POST /reseller/companies/new: the hub is made, set up and its first HR
/// admin named and emailed; back to the list with a notice. A refusal makes
/// nothing.
pub async fn create(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Form(form): Form<CompanyForm>,
) -> Result<Response, AppError> {
    let lang = admin.viewer.language;
    let checked = check(&form, |theme, brand, accent| {
        check_look(&state, theme, brand, accent)
    });
    let mut refused = match &checked {
        Ok(_) => FieldMsgs::new(),
        Err(errors) => errors.clone(),
    };
    // What only the database knows: the slug's freedom, the roster's
    // professionals, the template and its plugins.
    let (taken, offered, template) = {
        let mut conn = state.pool.acquire().await?;
        let taken = match Slug::parse(form.slug.trim()) {
            Ok(slug) => registry::find_by_slug(&mut conn, slug.as_str())
                .await?
                .is_some(),
            Err(_) => false,
        };
        let offered = super::professionals::of(&mut conn, admin.reseller.id).await?;
        let template = match form.template.trim() {
            "" => None,
            id => match id.parse::<i64>() {
                Ok(id) => templates::find(&mut conn, admin.reseller.id, id).await?,
                Err(_) => None,
            },
        };
        (taken, offered, template)
    };
    if taken {
        refused.insert("slug", Msg::new("reseller-error-slug-taken"));
    }
    let roster = form.roster();
    if roster
        .iter()
        .any(|id| !offered.iter().any(|p| p.id == *id && p.verified))
    {
        refused.insert("roster", Msg::new("reseller-error-roster"));
    }
    if !form.template.trim().is_empty() && template.is_none() {
        refused.insert("template", Msg::new("reseller-error-template"));
    }
    let plugins = match &template {
        Some(t) => match plugins_of(&state, t).await? {
            Ok(plugins) => plugins,
            Err(message) => {
                refused.insert("template", message);
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let company = match checked {
        Ok(company) if refused.is_empty() => company,
        _ => return form_page(&state, &admin, &form, &in_language(&refused, lang), None).await,
    };
    let slug_taken = |form: &CompanyForm| {
        let errors = FieldMsgs::from([("slug", Msg::new("reseller-error-slug-taken"))]);
        (form.clone(), in_language(&errors, lang))
    };
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
            return form_page(&state, &admin, &form, &errors, None).await;
        }
        Err(ProvisionError::Database(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    // This node answers the hub's pages at once (the others hear of it by NOTIFY).
    state.resolver.invalidate();
    tracing::info!(user_id = %admin.user.id, reseller_id = admin.reseller.id, hub_id = %tenant.id, "reseller admin onboarded a company");
    set_up(&state, &admin, tenant, &company, &plugins).await?;
    Ok(crate::web::form::to(
        &Site::Platform,
        &link(&admin, "/reseller", &[("done", "onboarded")]),
    ))
}

/// Sets the new hub up: its look, credit policy, email domains, roster and
/// plugins; names the account with the company's email (made now when there
/// is none) HR admin of `tenant`; writes it all in the hub's audit log and
/// emails the HR admin; in one transaction in the hub.
async fn set_up(
    state: &AppState,
    admin: &ResellerAdmin,
    tenant: Tenant,
    company: &Company,
    plugins: &[(PluginInfo, TemplatePlugin)],
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
    if let Some((theme, brand, accent)) = &company.look {
        sqlx::query!(
            "UPDATE hub_settings SET theme = $1, brand_color = $2, accent_color = $3, \
             own_look = true, updated_at = now()",
            theme,
            brand,
            accent,
        )
        .execute(&mut *tx)
        .await?;
        announce(&mut tx, Change::HubPage(tenant.id)).await?;
    }
    for domain in &company.domains {
        crate::hub_admin::eligibility::add_domain_row(&mut tx, domain).await?;
    }
    for professional in &company.roster {
        crate::hub_admin::roster::append(&mut tx, *professional).await?;
    }
    for (info, p) in plugins {
        let hook = crate::plugin_host::install::parse_hook(&p.hook)
            .map_err(|e| AppError::Internal(e.into()))?;
        crate::plugin_host::install::install(
            &mut tx,
            info,
            &[hook],
            p.config.clone(),
            Some(admin.user.id),
        )
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    }
    crate::hub_admin::audit::record(
        &mut tx,
        admin.user.id,
        "hub.onboarded",
        serde_json::json!({
            "reseller": admin.reseller.slug,
            "own_look": company.look.is_some(),
            "domains": company.domains,
            "roster": company.roster,
            "plugins": plugins.iter().map(|(i, p)| serde_json::json!({"plugin_id": i.id, "hook": p.hook})).collect::<Vec<_>>(),
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
    hearth_tenants::directory::mirror(&mut tx, &[user_id]).await?;
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
    use super::{check, domains_of, CompanyForm};
    use crate::web::form::FieldMsgs;

    /// Every look passes (the branding module's own tests check looks).
    fn any_look(t: &str, b: &str, a: &str) -> Result<(String, String, String), FieldMsgs> {
        Ok((t.into(), b.into(), a.into()))
    }

    fn form(name: &str, slug: &str, plan: &str, email: &str) -> CompanyForm {
        CompanyForm {
            name: name.into(),
            slug: slug.into(),
            plan: plan.into(),
            email: email.into(),
            credits: "10".into(),
            period: "3".into(),
            ..CompanyForm::default()
        }
    }

    #[test]
    fn each_refusal_is_on_its_field() {
        assert!(check(
            &form("Acme", "acme", "standard", "hr@acme.example"),
            any_look
        )
        .is_ok());
        let errors = check(&form(" ", "Bad Slug", "gold", "nope"), any_look)
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = errors.keys().copied().collect();
        assert_eq!(fields, ["email", "name", "plan", "slug"]);
        let errors = check(
            &form("Acme", "admin", "standard", "hr@acme.example"),
            any_look,
        )
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
            let errors = check(&f, any_look).err().unwrap_or_default();
            let fields: Vec<&str> = errors.keys().copied().collect();
            assert_eq!(fields, [refused], "{credits} {period}");
        }
        let mut f = form("Acme", "acme", "standard", "hr@acme.example");
        f.credits = " 1000 ".into();
        f.period = "12".into();
        let company = check(&f, any_look).ok();
        assert_eq!(
            company.map(|c| (c.credits, c.period_months)),
            Some((1000, 12))
        );
    }

    #[test]
    fn domains_roster_and_look_are_read_from_the_form() {
        assert_eq!(
            domains_of(" acme.example, @Acme.IS\nacme.example ").ok(),
            Some(vec!["acme.example".to_owned(), "acme.is".to_owned()])
        );
        assert!(domains_of("acme").is_err());
        assert!(domains_of(
            &(0..21)
                .map(|i| format!("d{i}.example "))
                .collect::<String>()
        )
        .is_err());
        let mut f = form("Acme", "acme", "standard", "hr@acme.example");
        let id = uuid::Uuid::new_v4();
        f.ticked.insert(format!("pro-{id}"), "on".into());
        f.ticked.insert("pro-nonsense".into(), "on".into());
        f.ticked.insert("csrf".into(), "x".into());
        f.theme = "calm".into();
        f.brand_color = "#112233".into();
        f.accent_color = "#ffcc00".into();
        let company = check(&f, any_look).ok();
        assert_eq!(company.as_ref().map(|c| c.roster.clone()), Some(vec![id]));
        assert_eq!(
            company.and_then(|c| c.look),
            Some(("calm".into(), "#112233".into(), "#ffcc00".into()))
        );
        let refused = check(&f, |_, _, _| {
            Err(FieldMsgs::from([(
                "brand_color",
                crate::i18n::Msg::new("admin-brand-error-colour"),
            )]))
        })
        .err()
        .unwrap_or_default();
        assert_eq!(refused.keys().copied().collect::<Vec<_>>(), ["brand_color"]);
    }
}
