//! Rendering a page in the right theme: the hub's (with its colours) or the
//! platform's, with the viewer and CSRF token every layout needs.

use axum::response::Html;
use hearth_tenants::Tenant;
use serde::Serialize;

use crate::themes::DEFAULT_THEME;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::site::Site;
use crate::web::state::AppState;

/// A hub's look and its front-page texts.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Branding {
    /// Welcome text.
    pub welcome_text: String,
    /// Main colour.
    pub brand_color: String,
    /// Accent colour.
    pub accent_color: String,
    /// Theme id.
    pub theme: String,
    /// Credits each employee gets a period.
    pub credits_per_period: i32,
    /// The logo's file name under `/brand/`, when the hub has one.
    #[sqlx(default)]
    pub logo_file: Option<String>,
    /// The welcome text rendered from Markdown and sanitised.
    #[sqlx(default)]
    pub welcome_html: String,
    /// The language of visitors who state none we speak (`en`, `is`).
    #[sqlx(default)]
    pub default_language: String,
}

/// `tenant`'s published branding (cached per node: see `http::hub::HubPageCache`).
pub async fn branding(state: &AppState, tenant: &Tenant) -> Result<Branding, AppError> {
    Ok(crate::web::hubs::get(state, tenant).await?.branding.clone())
}

/// Reads the hub's published branding and its credit period in months, on
/// `conn` (a `TenantTx` of hub `tenant`). The theme and colours are the hub's
/// own when it has its own look, else its reseller's, else the platform's
/// default (see `reseller::look`). Not cached: [`branding`] is.
pub async fn read_branding(
    conn: &mut sqlx::PgConnection,
    tenant: hearth_tenants::TenantId,
) -> sqlx::Result<(Branding, i32)> {
    let row = sqlx::query!(
        r#"SELECT s.welcome_text,
             CASE WHEN s.own_look THEN s.brand_color ELSE coalesce(r.brand_color, $3) END AS "brand_color!",
             CASE WHEN s.own_look THEN s.accent_color ELSE coalesce(r.accent_color, $4) END AS "accent_color!",
             CASE WHEN s.own_look THEN s.theme ELSE coalesce(r.theme, $2) END AS "theme!", s.credits_per_period,
             s.period_months, s.default_language,
             (SELECT 'logo-' || l.hash || '.' || l.ext FROM hub_logos l WHERE l.hash = s.logo_hash) AS logo_file
           FROM hub_settings s
           LEFT JOIN public.tenants t ON t.id = $1
           LEFT JOIN public.resellers r ON r.id = t.reseller_id"#,
        tenant.0,
        crate::themes::DEFAULT_THEME,
        crate::themes::DEFAULT_BRAND,
        crate::themes::DEFAULT_ACCENT,
    )
    .fetch_one(conn)
    .await?;
    let welcome_html = crate::web::markdown::render(&row.welcome_text);
    let branding = Branding {
        welcome_text: row.welcome_text,
        brand_color: row.brand_color,
        accent_color: row.accent_color,
        theme: row.theme,
        credits_per_period: row.credits_per_period,
        logo_file: row.logo_file,
        welcome_html,
        default_language: row.default_language,
    };
    Ok((branding, row.period_months))
}

/// The theme and its variables for a hub branded `b`.
fn hub_theme(
    state: &AppState,
    b: &Branding,
) -> (String, std::collections::BTreeMap<String, String>) {
    let theme = state.themes.get(&b.theme);
    let mut vars = theme.variables.clone();
    // Validated hex colours (CHECK constraints), set as custom properties.
    vars.insert("brand".into(), b.brand_color.clone());
    vars.insert("accent".into(), b.accent_color.clone());
    (theme.id.clone(), vars)
}

/// The context every page starts from, and the theme to render it with.
pub struct Page {
    /// The theme's id.
    pub theme_id: String,
    /// Template variables.
    pub context: tera::Context,
}

impl Page {
    /// The page frame for `site` and `viewer`.
    pub async fn new(state: &AppState, site: &Site, viewer: &Viewer) -> Result<Self, AppError> {
        let mut context = tera::Context::new();
        let (theme_id, mut vars) = match site {
            Site::Platform => {
                let theme = state.themes.get(DEFAULT_THEME);
                context.insert("base", "");
                (theme.id.clone(), theme.variables.clone())
            }
            Site::Hub { tenant, base } => {
                let hub = crate::web::hubs::get(state, tenant).await?;
                context.insert("hub", &**tenant);
                context.insert("branding", &hub.branding);
                context.insert("credit_months", &hub.period_months);
                context.insert("base", base);
                hub_theme(state, &hub.branding)
            }
        };
        if let Site::Hub { tenant, .. } = site {
            // The hub's `theme` plugin, if any; its values are checked as CSS below.
            vars.extend(
                crate::plugin_host::theme_variables(
                    &state.plugins,
                    tenant,
                    "home",
                    viewer.language,
                )
                .await,
            );
        }
        vars.retain(|k, v| crate::themes::is_css_name(k) && crate::themes::is_css_value(v));
        context.insert("theme_vars", &vars);
        context.insert("theme_id", &theme_id);
        context.insert("csrf", &viewer.csrf);
        context.insert("user", &viewer.user);
        // The bell's number in the user menu: one indexed count.
        let unread = match &viewer.user {
            Some(u) => crate::notifications::unread_count(&state.pool, u.id).await?,
            None => 0,
        };
        context.insert("unread_notifications", &unread);
        context.insert("roles", &viewer.roles);
        context.insert("lang", viewer.language);
        Ok(Self { theme_id, context })
    }

    /// Shows the page with branding `b` instead of the hub's published one
    /// (the HR admin's preview of a draft).
    pub fn with_branding(mut self, state: &AppState, b: &Branding) -> Self {
        let (theme_id, mut vars) = hub_theme(state, b);
        vars.retain(|k, v| crate::themes::is_css_name(k) && crate::themes::is_css_value(v));
        self.context.insert("theme_vars", &vars);
        self.context.insert("theme_id", &theme_id);
        self.context.insert("branding", b);
        self.theme_id = theme_id;
        self
    }

    /// Shows a platform page (a reseller's console) in `theme` with these
    /// colours: validated hex colours (CHECK constraints), set as custom
    /// properties like a hub's.
    pub fn with_look(mut self, state: &AppState, theme: &str, brand: &str, accent: &str) -> Self {
        let theme = state.themes.get(theme);
        let mut vars = theme.variables.clone();
        vars.insert("brand".into(), brand.to_owned());
        vars.insert("accent".into(), accent.to_owned());
        vars.retain(|k, v| crate::themes::is_css_name(k) && crate::themes::is_css_value(v));
        self.context.insert("theme_vars", &vars);
        self.context.insert("theme_id", &theme.id);
        self.theme_id = theme.id.clone();
        self
    }

    /// Adds a variable.
    pub fn with(mut self, key: &str, value: &impl Serialize) -> Self {
        self.context.insert(key, value);
        self
    }

    /// An appointment's time as its pages show it, in `tz` and `lang`:
    /// `date` ("Monday 7 December 2026"), `time`, `end_time` and `timezone`.
    pub fn with_when(
        self,
        lang: &str,
        tz: chrono_tz::Tz,
        starts_at: chrono::DateTime<chrono::Utc>,
        ends_at: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        let start = starts_at.with_timezone(&tz);
        self.with(
            "date",
            &crate::web::time::format_local(lang, start.naive_local(), "%A %-d %B %Y"),
        )
        .with("time", &start.format("%H:%M").to_string())
        .with(
            "end_time",
            &ends_at.with_timezone(&tz).format("%H:%M").to_string(),
        )
        .with("timezone", &tz.name())
    }

    /// Renders `template`.
    pub fn render(self, state: &AppState, template: &str) -> Result<Html<String>, AppError> {
        Ok(Html(
            state
                .themes
                .get(&self.theme_id)
                .tera
                .render(template, &self.context)?,
        ))
    }
}
