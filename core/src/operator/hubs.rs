//! Every hub, at `/operator/hubs`: searched by part of its name or slug and
//! paged, with its status, reseller, age and members; **Suspend** or
//! **Resume** (the same registry call as `hearth tenant suspend|resume`,
//! written in the hub's audit log with the operator as actor); and each
//! hub's audit log at `/operator/hubs/{slug}/audit`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use hearth_tenants::registry::{self, Listed, MAX_SEARCH_CHARS};
use hearth_tenants::{Tenant, TenantStatus, TenantTx};
use serde::{Deserialize, Serialize};

use super::{day, page_offset, render, when, Pager, PAGE_SIZE};
use crate::hub_admin::audit::{self, Logged};
use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::extract::Operator;
use crate::web::form::{notice, Done};
use crate::web::site::Site;
use crate::web::state::AppState;

/// The `?done=` flags of the list and their notices.
const NOTICES: &[(&str, &str)] = &[
    ("suspended", "operator-hubs-done-suspended"),
    ("resumed", "operator-hubs-done-resumed"),
    ("already", "operator-hubs-done-already"),
];

/// The longest action filter the audit page takes, in characters.
const MAX_ACTION_CHARS: usize = 100;

/// What the list is asked for.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Part of a name or slug.
    q: Option<String>,
    /// The page, from 1.
    page: Option<String>,
    /// What was just done.
    done: Option<String>,
}

/// A hub as the list shows it.
#[derive(Debug, Serialize)]
struct HubView {
    #[serde(flatten)]
    hub: Listed,
    /// When it was made, for the operator.
    created: String,
}

/// The search typed, trimmed: `None` when empty; refused when longer than
/// [`MAX_SEARCH_CHARS`].
fn search_of(q: Option<&str>) -> Result<Option<String>, Msg> {
    let q = q.map(str::trim).unwrap_or_default();
    if q.chars().count() > MAX_SEARCH_CHARS {
        return Err(Msg::new("operator-hubs-error-search").arg("max", MAX_SEARCH_CHARS as i64));
    }
    Ok((!q.is_empty()).then(|| q.to_owned()))
}

/// GET /operator/hubs
pub async fn page(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let lang = operator.viewer.language;
    let (page, offset) = page_offset(query.page.as_deref())?;
    let flag = Done {
        done: query.done.clone(),
    };
    let notice = notice(&flag, NOTICES, lang);
    let typed = query.q.clone().unwrap_or_default();
    let (search, error, status) = match search_of(query.q.as_deref()) {
        Ok(search) => (search, None, StatusCode::OK),
        Err(message) => (
            None,
            Some(message.text(lang)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let (hubs, total) = if error.is_some() {
        (Vec::new(), 0)
    } else {
        let mut conn = state.pool.acquire().await?;
        registry::search(&mut conn, search.as_deref(), PAGE_SIZE, offset).await?
    };
    let hubs: Vec<HubView> = hubs
        .into_iter()
        .map(|hub| HubView {
            created: day(&operator, hub.created_at),
            hub,
        })
        .collect();
    let kept = search.clone().unwrap_or_default();
    let pager = Pager::new("/operator/hubs", &[("q", &kept)], page, total);
    render(
        &state,
        &operator,
        "hubs",
        "operator_hubs.html",
        status,
        |p| {
            p.with("hubs", &hubs)
                .with("total", &total)
                .with("q", &typed)
                .with("searching", &search.is_some())
                .with("error", &error)
                .with("notice", &notice)
                .with("pager", &pager)
                .with("max_search", &MAX_SEARCH_CHARS)
        },
    )
    .await
}

/// Where a suspend or resume form came from (the list's search and page).
pub use crate::web::paging::ListPlace as Back;

/// POST /operator/hubs/{slug}/suspend: the hub's pages say it is suspended
/// and show nothing of it, on every node.
pub async fn suspend(
    State(state): State<AppState>,
    operator: Operator,
    Path(slug): Path<String>,
    Form(back): Form<Back>,
) -> Result<Response, AppError> {
    set_status(&state, &operator, &slug, TenantStatus::Suspended, &back).await
}

/// POST /operator/hubs/{slug}/resume: the hub serves again.
pub async fn resume(
    State(state): State<AppState>,
    operator: Operator,
    Path(slug): Path<String>,
    Form(back): Form<Back>,
) -> Result<Response, AppError> {
    set_status(&state, &operator, &slug, TenantStatus::Active, &back).await
}

/// Hub `slug`, if there is one: a 404 otherwise.
async fn find(state: &AppState, slug: &str) -> Result<Tenant, AppError> {
    crate::web::site::hub_by_slug(state, slug).await
}

/// Whether hub `tenant`'s schema is set up (its audit log exists).
async fn ready(state: &AppState, tenant: &Tenant) -> Result<bool, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(registry::is_ready(&mut conn, tenant.id).await?)
}

/// Sets hub `slug`'s status and writes the change in its audit log, in one
/// transaction in the hub; every node's resolver hears of it on commit.
async fn set_status(
    state: &AppState,
    operator: &Operator,
    slug: &str,
    status: TenantStatus,
    back: &Back,
) -> Result<Response, AppError> {
    let tenant = find(state, slug).await?;
    if !ready(state, &tenant).await? {
        return Err(AppError::Conflict(Msg::new(
            "operator-hubs-error-not-ready",
        )));
    }
    let flag = crate::hub_admin::status::set(
        &state.pool,
        &tenant,
        status,
        operator.user.id,
        None,
        serde_json::Value::Null,
    )
    .await?
    .flag();
    let q = search_of(back.q.as_deref())
        .ok()
        .flatten()
        .unwrap_or_default();
    let page = page_offset(back.page.as_deref())
        .map(|(page, _)| page)
        .unwrap_or(1);
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("done", flag);
    if !q.is_empty() {
        query.append_pair("q", &q);
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    Ok(crate::web::form::to(
        &Site::Platform,
        &format!("/operator/hubs?{}", query.finish()),
    ))
}

/// What the audit page is asked for.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    /// Only this kind of action.
    action: Option<String>,
    /// The page, from 1.
    page: Option<String>,
}

/// An audit entry as the page shows it.
#[derive(Debug, Serialize)]
struct EntryView {
    #[serde(flatten)]
    entry: Logged,
    /// When, for the operator.
    when: String,
}

/// GET /operator/hubs/{slug}/audit: the hub's audit log, newest first,
/// paged, of one kind of action when asked.
pub async fn audit(
    State(state): State<AppState>,
    operator: Operator,
    Path(slug): Path<String>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let tenant = find(&state, &slug).await?;
    let (page, offset) = page_offset(query.page.as_deref())?;
    let action = query
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    if action
        .as_deref()
        .is_some_and(|a| a.chars().count() > MAX_ACTION_CHARS)
    {
        return Err(AppError::Validation(crate::web::form::FieldMsgs::from([(
            "action",
            Msg::new("operator-audit-error-action"),
        )])));
    }
    let is_ready = ready(&state, &tenant).await?;
    let (kinds, entries, total) = if is_ready {
        let mut tx = TenantTx::begin(&state.pool, &tenant).await?;
        let kinds = audit::actions(&mut tx).await?;
        let (entries, total) =
            audit::entries(&mut tx, action.as_deref(), None, PAGE_SIZE, offset).await?;
        tx.commit().await?;
        (kinds, entries, total)
    } else {
        (Vec::new(), Vec::new(), 0)
    };
    let entries: Vec<EntryView> = entries
        .into_iter()
        .map(|entry| EntryView {
            when: when(&operator, entry.at),
            entry,
        })
        .collect();
    let filter = action.clone().unwrap_or_default();
    let pager = Pager::new(
        &format!("/operator/hubs/{}/audit", tenant.slug),
        &[("action", &filter)],
        page,
        total,
    );
    render(
        &state,
        &operator,
        "hubs",
        "operator_hub_audit.html",
        StatusCode::OK,
        |p| {
            // Not `hub`: that is the hub a page is served in, which this is not.
            p.with("target", &tenant)
                .with("ready", &is_ready)
                .with("kinds", &kinds)
                .with("action", &filter)
                .with("entries", &entries)
                .with("total", &total)
                .with("pager", &pager)
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::search_of;

    #[test]
    fn a_search_is_trimmed_and_at_most_a_hundred_characters() {
        assert_eq!(search_of(None).ok(), Some(None));
        assert_eq!(search_of(Some("  ")).ok(), Some(None));
        assert_eq!(search_of(Some(" Acme ")).ok(), Some(Some("Acme".into())));
        assert!(search_of(Some(&"þ".repeat(100))).is_ok());
        assert!(search_of(Some(&"þ".repeat(101))).is_err());
    }
}
