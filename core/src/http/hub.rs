//! The hub page, the platform's front page and the themed 404.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use hearth_tenants::TenantTx;
use serde::Serialize;

use crate::app::AppState;
use crate::error::AppError;
use crate::http::site::Site;

#[derive(Debug, Serialize, sqlx::FromRow)]
struct HubSettings {
    welcome_text: String,
    brand_color: String,
    accent_color: String,
    theme: String,
    credits_per_period: i32,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct RosterEntry {
    name: String,
    title: String,
    specialties: Vec<String>,
    languages: Vec<String>,
}

/// `/`: the hub page on a hub, the platform page elsewhere.
pub async fn home(State(state): State<AppState>, site: Site) -> Result<Response, AppError> {
    let (tenant, base) = match site {
        Site::Platform => {
            let theme = state.themes.get(crate::themes::DEFAULT_THEME);
            let mut context = tera::Context::new();
            context.insert("theme_vars", &theme.variables);
            context.insert("theme_id", &theme.id);
            return Ok(Html(theme.tera.render("platform.html", &context)?).into_response());
        }
        Site::Hub { tenant, base } => (tenant, base),
    };
    let mut tx = TenantTx::begin(&state.pool, &tenant).await?;
    let settings: HubSettings = sqlx::query_as(
        "SELECT welcome_text, brand_color, accent_color, theme, credits_per_period FROM hub_settings",
    )
    .fetch_one(&mut *tx)
    .await?;
    let roster: Vec<RosterEntry> = sqlx::query_as(
        "SELECT u.name, p.title, p.specialties, p.languages \
         FROM roster r \
         JOIN public.professionals p ON p.user_id = r.professional_id \
         JOIN public.users u ON u.id = p.user_id \
         WHERE p.verified_at IS NOT NULL \
         ORDER BY r.position, u.name",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;

    let theme = state.themes.get(&settings.theme);
    let mut vars = theme.variables.clone();
    // Validated hex colours (a CHECK constraint), set as custom properties.
    vars.insert("brand".into(), settings.brand_color.clone());
    vars.insert("accent".into(), settings.accent_color.clone());
    let mut context = tera::Context::new();
    context.insert("theme_vars", &vars);
    context.insert("theme_id", &theme.id);
    context.insert("hub", &*tenant);
    context.insert("base", &base);
    context.insert("settings", &settings);
    context.insert("roster", &roster);
    Ok(Html(theme.tera.render("hub.html", &context)?).into_response())
}

/// Anything unrouted.
pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, AppError::NotFound).into_response()
}

#[cfg(test)]
fn _home_is_send(state: AppState, site: Site) {
    fn is_send<T: Send>(_: T) {}
    is_send(home(State(state), site));
}
