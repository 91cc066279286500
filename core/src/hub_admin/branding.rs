//! Branding: the HR admin edits a draft (colours, theme, welcome text, logo),
//! previews the hub with it, and publishes it. Colours whose contrast fails
//! WCAG AA are refused, with the nearest passing colour suggested.

use axum::extract::multipart::Multipart;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use hearth_tenants::changes::{announce, Change};
use hearth_tenants::TenantTx;
use serde::{Deserialize, Serialize};

use super::contrast::{self, Rgb, AA};
use super::{
    audit, change, done, in_language, logo, notice, render, site_of, upload_field, Done, FieldMsgs,
};
use crate::i18n::Msg;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::{HrAdmin, HubTx};
use crate::web::page::{Branding, Page};
use crate::web::site::CurrentHub;
use crate::web::state::AppState;

/// The longest welcome text.
const MAX_WELCOME: usize = 5000;
/// Text colour on buttons and the header, drawn on the brand colour.
const ON_BRAND: Rgb = Rgb(255, 255, 255);
pub use crate::themes::{DEFAULT_ACCENT, DEFAULT_BRAND};
/// Text on the accent colour when a theme names none.
const DEFAULT_TEXT: Rgb = Rgb(0x1d, 0x23, 0x27);

/// The branding fields of `hub_settings` or `hub_branding_draft`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Look {
    /// Welcome text, Markdown.
    pub welcome_text: String,
    /// `#rrggbb`.
    pub brand_color: String,
    /// `#rrggbb`.
    pub accent_color: String,
    /// Theme id.
    pub theme: String,
    /// The logo's file name under `/brand/`.
    pub logo_file: Option<String>,
}

/// Reads a [`Look`]: the one place that knows its columns. `$rest` is the
/// query's tail, naming the table as `s` and the hub's reseller as `r`. A
/// look of its own (`s.own_look`) is the hub's; else it is the reseller's,
/// or the platform's default ($2, $3, $4: theme, brand, accent) when the
/// reseller has none. Checked at compile time.
macro_rules! select_look {
    ($rest:literal, $tenant:expr) => {
        sqlx::query_as!(
            Look,
            "SELECT s.welcome_text, \
               CASE WHEN s.own_look THEN s.brand_color ELSE coalesce(r.brand_color, $3) END AS \"brand_color!\", \
               CASE WHEN s.own_look THEN s.accent_color ELSE coalesce(r.accent_color, $4) END AS \"accent_color!\", \
               CASE WHEN s.own_look THEN s.theme ELSE coalesce(r.theme, $2) END AS \"theme!\", \
     (SELECT 'logo-' || l.hash || '.' || l.ext FROM hub_logos l WHERE l.hash = s.logo_hash) AS \"logo_file?\" "
                + $rest,
            $tenant,
            crate::themes::DEFAULT_THEME,
            DEFAULT_BRAND,
            DEFAULT_ACCENT
        )
    };
}

/// The draft, or the published branding when there is no draft.
async fn draft(tx: &mut TenantTx) -> sqlx::Result<Look> {
    // The draft is always whole: it never follows anyone.
    let found: Option<Look> = select_look!(
        "FROM (SELECT d.*, true AS own_look FROM hub_branding_draft d) s \
         LEFT JOIN public.resellers r ON r.id = $1 AND false",
        tx.tenant_id().0
    )
    .fetch_optional(&mut **tx)
    .await?;
    match found {
        Some(d) => Ok(d),
        None => live(tx).await,
    }
}

/// Makes the draft row, from the published branding as the hub shows it,
/// if there is none.
async fn ensure_draft(tx: &mut TenantTx) -> sqlx::Result<()> {
    let live = live(tx).await?;
    let logo: Option<String> = sqlx::query_scalar!("SELECT logo_hash FROM hub_settings")
        .fetch_one(&mut **tx)
        .await?;
    // Values, not INSERT … SELECT: Citus (a hub on a worker) mangled the
    // latter's default now() for the draft's time.
    sqlx::query!(
        "INSERT INTO hub_branding_draft (welcome_text, brand_color, accent_color, theme, logo_hash) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (singleton) DO NOTHING",
        live.welcome_text,
        live.brand_color,
        live.accent_color,
        live.theme,
        logo,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The published branding as the hub shows it: its own look, or its
/// reseller's while it follows it.
async fn live(tx: &mut TenantTx) -> sqlx::Result<Look> {
    select_look!(
        "FROM hub_settings s LEFT JOIN public.tenants t ON t.id = $1 \
         LEFT JOIN public.resellers r ON r.id = t.reseller_id",
        tx.tenant_id().0
    )
    .fetch_one(&mut **tx)
    .await
}

/// The look the hub follows while it has none of its own: its reseller's, or
/// the platform's default when the reseller has none (or there is no
/// reseller). `None` inside a reseller's look are the default's values.
async fn inherited(tx: &mut TenantTx) -> sqlx::Result<(String, String, String)> {
    let row = sqlx::query!(
        r#"SELECT r.theme, r.brand_color, r.accent_color
           FROM public.tenants t LEFT JOIN public.resellers r ON r.id = t.reseller_id
           WHERE t.id = $1"#,
        tx.tenant_id().0,
    )
    .fetch_optional(&mut **tx)
    .await?;
    let (theme, brand, accent) = row
        .map(|r| (r.theme, r.brand_color, r.accent_color))
        .unwrap_or_default();
    Ok((
        theme.unwrap_or_else(|| crate::themes::DEFAULT_THEME.to_owned()),
        brand.unwrap_or_else(|| DEFAULT_BRAND.to_owned()),
        accent.unwrap_or_else(|| DEFAULT_ACCENT.to_owned()),
    ))
}

/// The branding form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct BrandingForm {
    #[serde(default)]
    welcome_text: String,
    #[serde(default)]
    brand_color: String,
    #[serde(default)]
    accent_color: String,
    #[serde(default)]
    theme: String,
}

impl From<&Look> for BrandingForm {
    fn from(l: &Look) -> Self {
        Self {
            welcome_text: l.welcome_text.clone(),
            brand_color: l.brand_color.clone(),
            accent_color: l.accent_color.clone(),
            theme: l.theme.clone(),
        }
    }
}

/// A colour's contrast, shown beside its field.
#[derive(Debug, Serialize)]
struct Check {
    field: &'static str,
    against: String,
    ratio: String,
    passes: bool,
    suggestion: Option<String>,
}

/// Which text is drawn on a colour: `white` (on the brand colour) or
/// `dark` (on the accent), as the contrast message words it.
type TextOn = &'static str;

/// Checks a colour pair: `color` behind or in front of `against`.
fn check(field: &'static str, color: Rgb, against: Rgb, text: TextOn) -> (Check, Option<Msg>) {
    let ratio = contrast::ratio(color, against);
    let passes = ratio >= AA;
    let suggestion = if passes {
        None
    } else {
        contrast::nearest_passing(color, against, AA).map(Rgb::hex)
    };
    let error = (!passes).then(|| {
        let message = match &suggestion {
            Some(s) => Msg::new("admin-brand-error-contrast-suggest").arg("suggestion", s.clone()),
            None => Msg::new("admin-brand-error-contrast"),
        };
        message
            .arg("text", text)
            .arg("color", color.hex())
            .arg("ratio", format!("{ratio:.2}"))
    });
    (
        Check {
            field,
            against: against.hex(),
            ratio: format!("{ratio:.2}"),
            passes,
            suggestion,
        },
        error,
    )
}

/// The text colour of `theme` (what is written on the accent colour).
fn text_color(state: &AppState, theme: &str) -> Rgb {
    state
        .themes
        .get(theme)
        .variables
        .get("text")
        .and_then(|t| Rgb::parse(t))
        .unwrap_or(DEFAULT_TEXT)
}

/// Validates the form: colours, contrast, theme and text. Returns the clean
/// values, or the field errors and the contrast checks.
fn validate(
    state: &AppState,
    form: &BrandingForm,
) -> (Option<(String, String)>, FieldMsgs, Vec<Check>) {
    let mut errors = FieldMsgs::new();
    let mut checks = Vec::new();
    let brand = Rgb::parse(form.brand_color.trim());
    let accent = Rgb::parse(form.accent_color.trim());
    if !state.themes.all().any(|t| t.id == form.theme) {
        errors.insert("theme", Msg::new("admin-brand-error-theme"));
    }
    match brand {
        None => {
            errors.insert("brand_color", Msg::new("admin-brand-error-colour"));
        }
        Some(c) => {
            let (c, e) = check("brand_color", c, ON_BRAND, "white");
            checks.push(c);
            if let Some(e) = e {
                errors.insert("brand_color", e);
            }
        }
    }
    match accent {
        None => {
            errors.insert("accent_color", Msg::new("admin-brand-error-accent"));
        }
        Some(c) => {
            let text = text_color(state, &form.theme);
            let (c, e) = check("accent_color", c, text, "dark");
            checks.push(c);
            if let Some(e) = e {
                errors.insert("accent_color", e);
            }
        }
    }
    if form.welcome_text.chars().count() > MAX_WELCOME {
        errors.insert("welcome_text", Msg::new("admin-brand-error-welcome"));
    }
    let clean = match (brand, accent) {
        (Some(b), Some(a)) if errors.is_empty() => Some((b.hex(), a.hex())),
        _ => None,
    };
    (clean, errors, checks)
}

/// Checks a look (a theme and two colours) as the branding form does: the
/// theme exists and both colours pass WCAG AA contrast with the text drawn
/// on them. Returns the theme and the colours as `#rrggbb`, or a refusal per
/// field (`theme`, `brand_color`, `accent_color`).
pub fn check_look(
    state: &AppState,
    theme: &str,
    brand: &str,
    accent: &str,
) -> Result<(String, String, String), FieldMsgs> {
    let form = BrandingForm {
        welcome_text: String::new(),
        brand_color: brand.to_owned(),
        accent_color: accent.to_owned(),
        theme: theme.trim().to_owned(),
    };
    match validate(state, &form) {
        (Some((brand, accent)), _, _) => Ok((form.theme, brand, accent)),
        (None, errors, _) => Err(errors),
    }
}

/// GET /admin: the branding page.
pub async fn page(
    State(state): State<AppState>,
    HrAdmin { hub, viewer, .. }: HrAdmin,
    Query(flag): Query<Done>,
) -> Result<Response, AppError> {
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let d = draft(&mut tx).await?;
    tx.commit().await?;
    let form = BrandingForm::from(&d);
    let (_, _, checks) = validate(&state, &form);
    let notice = notice(
        &flag,
        &[
            ("draft", "admin-brand-notice-draft"),
            ("logo", "admin-brand-notice-logo"),
            ("logo-removed", "admin-brand-notice-logo-removed"),
            ("published", "admin-brand-notice-published"),
            ("discarded", "admin-brand-notice-discarded"),
            ("nothing", "admin-brand-notice-nothing"),
        ],
        viewer.language,
    );
    show(
        &state,
        &hub,
        &viewer,
        StatusCode::OK,
        &form,
        FieldMsgs::new(),
        &checks,
        notice,
    )
    .await
}

#[expect(clippy::too_many_arguments, reason = "one page, many parts")]
async fn show(
    state: &AppState,
    hub: &CurrentHub,
    viewer: &Viewer,
    status: StatusCode,
    form: &BrandingForm,
    errors: FieldMsgs,
    checks: &[Check],
    notice: Option<String>,
) -> Result<Response, AppError> {
    let errors = in_language(&errors, viewer.language);
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let d = draft(&mut tx).await?;
    let l = live(&mut tx).await?;
    let reseller = reseller_look(&mut tx).await?;
    tx.commit().await?;
    let themes = state.themes.choices();
    render(
        state,
        hub,
        viewer,
        "branding",
        "admin_branding.html",
        status,
        |p| {
            p.with("form", form)
                .with("errors", &errors)
                .with("checks", &checks)
                .with("notice", &notice)
                .with("themes", &themes)
                .with("draft", &d)
                .with("unpublished", &(d != l))
                .with("reseller_look", &reseller)
        },
    )
    .await
}

/// POST /admin/branding: saves the draft (refused when contrast fails).
pub async fn save_draft(
    State(state): State<AppState>,
    HrAdmin { user, hub, viewer }: HrAdmin,
    Form(form): Form<BrandingForm>,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let (clean, errors, checks) = validate(&state, &form);
    let Some((brand, accent)) = clean else {
        return show(
            &state,
            &hub,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            errors,
            &checks,
            None,
        )
        .await;
    };
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let before = draft(&mut tx).await?;
    write_draft(&mut tx, &form.welcome_text, &brand, &accent, &form.theme).await?;
    let after = draft(&mut tx).await?;
    if before != after {
        audit::record(&mut tx, actor_id, "branding.draft", change(&before, &after)).await?;
    }
    tx.commit().await?;
    Ok(done(&hub, "/admin", "draft"))
}

/// POST /admin/branding/publish: the draft becomes the hub's branding, if its
/// colours still pass.
pub async fn publish(
    State(state): State<AppState>,
    HrAdmin { user, hub, viewer }: HrAdmin,
    HubTx { mut tx, .. }: HubTx,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let d = draft(&mut tx).await?;
    let form = BrandingForm::from(&d);
    let (clean, errors, checks) = validate(&state, &form);
    if clean.is_none() {
        tx.commit().await?;
        return show(
            &state,
            &hub,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            errors,
            &checks,
            None,
        )
        .await;
    }
    let before = live(&mut tx).await?;
    if before == d {
        tx.commit().await?;
        return Ok(done(&hub, "/admin", "nothing"));
    }
    publish_draft(&mut tx).await?;
    let after = live(&mut tx).await?;
    audit::record(
        &mut tx,
        actor_id,
        "branding.publish",
        change(&before, &after),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin", "published"))
}

/// The reseller whose look a hub follows, or could follow again.
#[derive(Debug, Serialize)]
struct ResellerLook {
    /// The reseller's name.
    name: String,
    /// Whether the hub follows it now (else it has its own look).
    followed: bool,
}

/// The hub's reseller, when it has a look of its own to follow.
async fn reseller_look(tx: &mut TenantTx) -> sqlx::Result<Option<ResellerLook>> {
    Ok(sqlx::query!(
        r#"SELECT r.name, NOT s.own_look AS "followed!"
           FROM hub_settings s JOIN public.tenants t ON t.id = $1
           JOIN public.resellers r ON r.id = t.reseller_id AND r.theme IS NOT NULL"#,
        tx.tenant_id().0,
    )
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| ResellerLook {
        name: r.name,
        followed: r.followed,
    }))
}

/// POST /admin/branding/follow: the draft takes the reseller's theme and
/// colours again (the welcome text and logo stay); publishing it makes the
/// hub follow the reseller's look, and its later changes.
pub async fn follow(
    State(_state): State<AppState>,
    HrAdmin { user, hub, .. }: HrAdmin,
    HubTx { mut tx, .. }: HubTx,
) -> Result<Response, AppError> {
    if reseller_look(&mut tx).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let (theme, brand, accent) = inherited(&mut tx).await?;
    let before = draft(&mut tx).await?;
    write_draft(&mut tx, &before.welcome_text, &brand, &accent, &theme).await?;
    let after = draft(&mut tx).await?;
    if before != after {
        audit::record(&mut tx, user.id, "branding.draft", change(&before, &after)).await?;
    }
    tx.commit().await?;
    Ok(done(&hub, "/admin", "draft"))
}

/// POST /admin/branding/discard: the draft goes back to what is published.
pub async fn discard(
    State(_state): State<AppState>,
    HrAdmin {
        user,
        hub,
        viewer: _,
    }: HrAdmin,
    HubTx { mut tx, .. }: HubTx,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let before = draft(&mut tx).await?;
    let discarded = sqlx::query!("DELETE FROM hub_branding_draft")
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let after = live(&mut tx).await?;
    if discarded > 0 && before != after {
        audit::record(
            &mut tx,
            actor_id,
            "branding.discard",
            change(&before, &after),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done(&hub, "/admin", "discarded"))
}

/// POST /admin/branding/logo (multipart, CSRF token in the query): a new
/// logo for the draft.
pub async fn upload_logo(
    State(state): State<AppState>,
    HrAdmin { user, hub, viewer }: HrAdmin,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    crate::web::upload::upload_turn(&state.pool, actor_id).await?;
    let processed = match upload_field(&mut multipart, "logo", logo::MAX_UPLOAD).await {
        Ok(Some(bytes)) => tokio::task::spawn_blocking(move || logo::process(&bytes))
            .await
            .map_err(|e| AppError::Internal(e.into()))?,
        Ok(None) => Err(Msg::new("admin-upload-choose-file")),
        Err(message) => Err(message),
    };
    let new_logo = match processed {
        Ok(l) => l,
        Err(message) => {
            let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
            let d = draft(&mut tx).await?;
            tx.commit().await?;
            let form = BrandingForm::from(&d);
            let (_, _, checks) = validate(&state, &form);
            let errors = FieldMsgs::from([("logo", message)]);
            return show(
                &state,
                &hub,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                errors,
                &checks,
                None,
            )
            .await;
        }
    };
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let before = draft(&mut tx).await?;
    logo::store(&mut tx, &new_logo).await?;
    ensure_draft(&mut tx).await?;
    sqlx::query!(
        "UPDATE hub_branding_draft SET logo_hash = $1, updated_at = now()",
        &new_logo.hash,
    )
    .execute(&mut *tx)
    .await?;
    let after = draft(&mut tx).await?;
    audit::record(
        &mut tx,
        actor_id,
        "branding.logo",
        change(&before.logo_file, &after.logo_file),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin", "logo"))
}

/// POST /admin/branding/logo/remove: the draft has no logo.
pub async fn remove_logo(
    State(_state): State<AppState>,
    HrAdmin {
        user,
        hub,
        viewer: _,
    }: HrAdmin,
    HubTx { mut tx, .. }: HubTx,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let before = draft(&mut tx).await?;
    ensure_draft(&mut tx).await?;
    sqlx::query!("UPDATE hub_branding_draft SET logo_hash = NULL, updated_at = now()")
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        actor_id,
        "branding.logo",
        change(&before.logo_file, &None::<String>),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin", "logo-removed"))
}

/// GET /admin/preview: the hub page as it will look with the draft. Framed
/// by the branding page (same origin only).
pub async fn preview(
    State(state): State<AppState>,
    HrAdmin { hub, viewer, .. }: HrAdmin,
    HubTx { mut tx, .. }: HubTx,
) -> Result<Response, AppError> {
    let d = draft(&mut tx).await?;
    let credits: i32 = sqlx::query_scalar!("SELECT credits_per_period FROM hub_settings")
        .fetch_one(&mut *tx)
        .await?;
    let mut roster = crate::web::hubs::roster(&mut tx).await?;
    tx.commit().await?;
    crate::web::hubs::name_roster(&mut roster, viewer.language);
    let branding = Branding {
        welcome_html: crate::web::markdown::render(&d.welcome_text),
        welcome_text: d.welcome_text,
        brand_color: d.brand_color,
        accent_color: d.accent_color,
        theme: d.theme,
        credits_per_period: credits,
        logo_file: d.logo_file,
        default_language: String::new(),
    };
    let page = Page::new(&state, &site_of(&hub), &viewer)
        .await?
        .with_branding(&state, &branding)
        .with("roster", &roster)
        .with("preview", &true);
    let html = page.render(&state, "hub.html")?;
    Ok((
        [
            (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
            (
                header::CONTENT_SECURITY_POLICY,
                PREVIEW_CONTENT_SECURITY_POLICY,
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response())
}

/// The preview's policy: the pages' own, but framed by the admin page.
const PREVIEW_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/// Writes the hub's branding draft (made from the live branding if there is
/// none), on `conn` (a `TenantTx`); the caller checked the colours and theme.
pub async fn write_draft(
    conn: &mut TenantTx,
    welcome_text: &str,
    brand: &str,
    accent: &str,
    theme: &str,
) -> sqlx::Result<()> {
    ensure_draft(conn).await?;
    sqlx::query!(
        "UPDATE hub_branding_draft SET welcome_text = $1, brand_color = $2, accent_color = $3, \
         theme = $4, updated_at = now()",
        welcome_text.replace("\r\n", "\n"),
        brand,
        accent,
        theme,
    )
    .execute(&mut **conn)
    .await?;
    Ok(())
}

/// Makes the hub's draft its live branding and drops the draft, on `tx`. A
/// look other than the one it would follow (its reseller's, or the
/// platform's default) becomes the hub's own; the same look follows again.
pub async fn publish_draft(tx: &mut TenantTx) -> sqlx::Result<()> {
    let (theme, brand, accent) = inherited(tx).await?;
    sqlx::query!(
        "UPDATE hub_settings s SET welcome_text = d.welcome_text, brand_color = d.brand_color, \
         accent_color = d.accent_color, theme = d.theme, logo_hash = d.logo_hash, updated_at = now(), \
         own_look = (d.theme, d.brand_color, d.accent_color) IS DISTINCT FROM ($1::text, $2::text, $3::text) \
         FROM hub_branding_draft d",
        theme,
        brand,
        accent,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!("DELETE FROM hub_branding_draft")
        .execute(&mut **tx)
        .await?;
    let hub = tx.tenant_id();
    announce(tx, Change::HubPage(hub)).await
}
