//! The language a request is answered in.

use crate::web::session::SessionUser;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The language of a request: `user`'s, else the browser's, else the site's
/// default ([`site_default`]).
pub async fn negotiate(
    state: &AppState,
    site: &Site,
    user: Option<&SessionUser>,
    headers: &axum::http::HeaderMap,
) -> &'static str {
    if let Some(lang) = user.and_then(|u| crate::i18n::supported(&u.language)) {
        return lang;
    }
    if let Some(lang) = crate::i18n::accept_language(headers) {
        return lang;
    }
    site_default(state, site).await
}

/// The language of visitors who state none we speak: the hub's default (from
/// its cached page data), else English.
pub async fn site_default(state: &AppState, site: &Site) -> &'static str {
    if let Site::Hub { tenant, .. } = site {
        match crate::web::hubs::get(state, tenant).await {
            Ok(hub) => {
                return crate::i18n::supported(&hub.branding.default_language)
                    .unwrap_or(crate::i18n::FALLBACK)
            }
            Err(e) => tracing::warn!(error = %e, "could not read the hub's default language"),
        }
    }
    crate::i18n::FALLBACK
}
