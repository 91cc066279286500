//! The hub page (`/` on a hub, with the roster and its filters), the
//! platform's front page and the themed 404. What the hub page is made from
//! is [`crate::web::hubs`], cached per node.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use hearth_plugins::abi::Hook;
use hearth_tenants::Tenant;
use serde::{Deserialize, Serialize};

use crate::compress::{Coding, Encoded};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::hubs::RosterEntry;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The roster filters of the query string (`?specialty=&language=&mode=&type=`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RosterFilter {
    /// A specialty the professional works on.
    pub specialty: String,
    /// A language code the professional works in.
    pub language: String,
    /// A session mode the professional offers.
    pub mode: String,
    /// A session type the professional offers.
    #[serde(rename(deserialize = "type"))]
    pub session_type: String,
}

impl RosterFilter {
    /// Whether any filter is set.
    pub fn is_active(&self) -> bool {
        !(self.specialty.is_empty()
            && self.language.is_empty()
            && self.mode.is_empty()
            && self.session_type.is_empty())
    }

    /// Whether professional `p` passes every filter set.
    pub fn matches(&self, p: &RosterEntry) -> bool {
        fn has(values: &[String], wanted: &str) -> bool {
            wanted.is_empty() || values.iter().any(|v| v == wanted)
        }
        has(&p.specialties, &self.specialty)
            && has(&p.languages, &self.language)
            && has(&p.modes, &self.mode)
            && has(&p.session_types, &self.session_type)
    }
}

/// `/`: the hub page on a hub, the platform page elsewhere.
///
/// An anonymous visitor's page without filters depends on nothing of the
/// request but the link prefix and the language, so it is rendered once per
/// cached [`HubPage`] and reused, unless a theme plugin (whose output may vary
/// by date) styles the hub or the page carries the visitor's CSRF token.
pub async fn home(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    headers: axum::http::HeaderMap,
    filter: Result<Query<RosterFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Site::Hub { tenant, base } = &site else {
        let page = Page::new(&state, &site, &viewer).await?;
        return Ok(page.render(&state, "platform.html")?.into_response());
    };
    let hub = crate::web::hubs::get(&state, tenant).await?;
    // A malformed query string shows the whole roster.
    let filter = filter.map(|Query(f)| f).unwrap_or_default();
    let lang = viewer.language;
    let reusable = viewer.user.is_none() && !filter.is_active();
    if reusable {
        if let Some(page) = hub.rendered(base, lang, &tenant.name) {
            return Ok(html_response(&page, &headers));
        }
    }
    let page = Page::new(&state, &site, &viewer).await?;
    let named = hub.roster(lang);
    let shown: Vec<&RosterEntry> = named.roster.iter().filter(|p| filter.matches(p)).collect();
    let Html(html) = page
        .with("roster", &shown)
        .with("roster_total", &named.roster.len())
        .with("filters", &named.options)
        .with("filter", &filter)
        .with("filtering", &filter.is_active())
        .render(&state, "hub.html")?;
    if reusable && !html.contains(&viewer.csrf) && !has_theme_plugin(&state, tenant).await {
        let page = Arc::new(Encoded::new(Bytes::from(html)));
        hub.keep_rendered(base, lang, &tenant.name, Arc::clone(&page));
        return Ok(html_response(&page, &headers));
    }
    Ok(Html(html).into_response())
}

/// Whether `tenant` has an active theme plugin (or its plugins cannot be read).
async fn has_theme_plugin(state: &AppState, tenant: &Tenant) -> bool {
    state
        .plugins
        .active(tenant)
        .await
        .map_or(true, |active| active.get(Hook::Theme).is_some())
}

/// A kept page in the coding the request accepts (its compressed forms
/// are made once, on first use, and kept with it).
fn html_response(page: &Encoded, headers: &axum::http::HeaderMap) -> Response {
    let (body, encoding) = page.body(Coding::preferred(headers));
    let mut response = (
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response();
    Encoded::mark(response.headers_mut(), encoding);
    response
}

/// Anything unrouted.
pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, AppError::NotFound).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::web::hubs::tests::pro;

    #[test]
    fn filters_keep_professionals_with_every_chosen_value() {
        let p = pro(&["Stress", "Sleep"], &["is", "en"], &["video"]);
        let all = RosterFilter::default();
        assert!(!all.is_active() && all.matches(&p));
        let f = |specialty: &str, language: &str, mode: &str| RosterFilter {
            specialty: specialty.into(),
            language: language.into(),
            mode: mode.into(),
            session_type: String::new(),
        };
        assert!(f("Sleep", "en", "video").matches(&p));
        assert!(!f("Grief", "", "").matches(&p));
        assert!(!f("", "fr", "").matches(&p));
        assert!(!f("", "", "phone").matches(&p));
    }
}
