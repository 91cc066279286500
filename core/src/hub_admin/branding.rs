//! Branding: the HR admin edits a draft (colours, theme, welcome text, logo),
//! previews the hub with it, and publishes it. Colours whose contrast fails
//! WCAG AA are refused, with the nearest passing colour suggested.

use axum::extract::multipart::Multipart;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
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
/// query's tail, naming the table as `s`; checked at compile time.
macro_rules! select_look {
    ($rest:literal) => {
        sqlx::query_as!(
            Look,
            "SELECT welcome_text, brand_color, accent_color, theme, \
     (SELECT 'logo-' || l.hash || '.' || l.ext FROM hub_logos l WHERE l.hash = s.logo_hash) AS \"logo_file?\" "
                + $rest
        )
    };
}

/// The draft, or the published branding when there is no draft.
async fn draft(tx: &mut TenantTx) -> sqlx::Result<Look> {
    let found: Option<Look> = select_look!("FROM hub_branding_draft s")
        .fetch_optional(&mut **tx)
        .await?;
    match found {
        Some(d) => Ok(d),
        None => live(tx).await,
    }
}

/// Makes the draft row, from the published branding, if there is none.
async fn ensure_draft(tx: &mut sqlx::PgConnection) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO hub_branding_draft (welcome_text, brand_color, accent_color, theme, logo_hash) \
         SELECT welcome_text, brand_color, accent_color, theme, logo_hash FROM hub_settings \
         ON CONFLICT (singleton) DO NOTHING",
    )
    .execute(tx)
    .await?;
    Ok(())
}

async fn live(tx: &mut TenantTx) -> sqlx::Result<Look> {
    select_look!("FROM hub_settings s")
        .fetch_one(&mut **tx)
        .await
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
    tx.commit().await?;
    let themes: Vec<(String, String)> = state
        .themes
        .all()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect();
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
    conn: &mut sqlx::PgConnection,
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
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes the hub's draft its live branding and drops the draft, on `conn`
/// (a `TenantTx`).
pub async fn publish_draft(conn: &mut sqlx::PgConnection) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE hub_settings s SET welcome_text = d.welcome_text, brand_color = d.brand_color, \
         accent_color = d.accent_color, theme = d.theme, logo_hash = d.logo_hash, updated_at = now() \
         FROM hub_branding_draft d",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM hub_branding_draft")
        .execute(conn)
        .await?;
    Ok(())
}
