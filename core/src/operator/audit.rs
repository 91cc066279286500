//! The audit log across hubs, at `/operator/audit`: every hub's entries,
//! newest first, filtered by hub (its slug), actor (their email) and kind of
//! change, paged.
//!
//! Each hub's log lives in its own schema, and only a [`TenantTx`] reaches
//! it, so the page reads hub by hub: for each hub the filter matches, the
//! newest `offset + PAGE_SIZE` matching entries and their count, merged by
//! time. That costs one short transaction per hub, so without a hub filter
//! it reads at most [`MAX_HUBS`] hubs (beyond, it asks for a hub), and
//! across hubs it pages at most [`MAX_MERGED_PAGES`] deep (a hub filter
//! pages as deep as any list).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_tenants::{registry, Tenant, TenantTx};
use serde::{Deserialize, Serialize};

use super::{page_offset, render, when, Pager, PAGE_SIZE};
use crate::hub_admin::audit::{self, Logged};
use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::extract::Operator;
use crate::web::form::{in_language, normalize_email, FieldMsgs};
use crate::web::state::AppState;

/// The most hubs read without a hub filter.
pub const MAX_HUBS: usize = 100;
/// The deepest page read across more than one hub.
pub const MAX_MERGED_PAGES: i64 = 10;
/// The longest kind of change the filter takes, in characters.
const MAX_ACTION_CHARS: usize = 100;

/// What the page is asked for.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    /// Only this hub's entries (its slug).
    hub: Option<String>,
    /// Only the entries of the account with this email.
    actor: Option<String>,
    /// Only this kind of change.
    action: Option<String>,
    /// The page, from 1.
    page: Option<String>,
}

/// An entry as the page shows it.
#[derive(Debug, Serialize)]
struct EntryView {
    #[serde(flatten)]
    entry: Logged,
    /// The hub's slug.
    hub_slug: String,
    /// The hub's name.
    hub_name: String,
    /// When, for the operator.
    when: String,
}

/// `value` trimmed, `None` when empty.
fn given(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// GET /operator/audit
pub async fn page(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let lang = operator.viewer.language;
    let (page, offset) = page_offset(query.page.as_deref())?;
    let hub = given(query.hub.as_deref());
    let actor = given(query.actor.as_deref());
    let action = given(query.action.as_deref());
    let mut errors = FieldMsgs::new();
    if action
        .as_deref()
        .is_some_and(|a| a.chars().count() > MAX_ACTION_CHARS)
    {
        errors.insert("action", Msg::new("operator-audit-error-action"));
    }
    let mut conn = state.pool.acquire().await?;
    let mut hubs: Vec<Tenant> = Vec::new();
    if let Some(slug) = &hub {
        let plausible = slug.len() <= 40
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let found = if plausible {
            registry::find_by_slug(&mut conn, slug).await?
        } else {
            None
        };
        match found {
            Some(tenant) => {
                if registry::is_ready(&mut conn, tenant.id).await? {
                    hubs.push(tenant);
                }
            }
            None => {
                errors.insert("hub", Msg::new("operator-all-audit-error-hub"));
            }
        }
    }
    let mut actor_id = None;
    if let Some(email) = &actor {
        let found = match normalize_email(email) {
            Ok(email) => {
                sqlx::query_scalar!("SELECT id FROM users WHERE lower(email) = lower($1)", email)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            Err(_) => None,
        };
        match found {
            Some(id) => actor_id = Some(id),
            None => {
                errors.insert("actor", Msg::new("operator-all-audit-error-actor"));
            }
        }
    }
    // Too many hubs to read one by one: a hub filter is asked for.
    let mut need_hub = false;
    if hub.is_none() && errors.is_empty() {
        hubs = registry::list_with_schema(&mut conn).await?;
        if hubs.len() > MAX_HUBS {
            hubs.clear();
            need_hub = true;
        }
    }
    drop(conn);
    if hubs.len() > 1 && page > MAX_MERGED_PAGES {
        errors.insert(
            "page",
            Msg::new("operator-all-audit-error-deep").arg("max", MAX_MERGED_PAGES),
        );
    }
    let (entries, total) = if errors.is_empty() {
        read(&state, &hubs, action.as_deref(), actor_id, offset).await?
    } else {
        (Vec::new(), 0)
    };
    let entries: Vec<EntryView> = entries
        .into_iter()
        .map(|(tenant, entry)| EntryView {
            when: when(&operator, entry.at),
            hub_slug: tenant.slug.clone(),
            hub_name: tenant.name.clone(),
            entry,
        })
        .collect();
    let (hub, actor, action) = (
        hub.unwrap_or_default(),
        actor.unwrap_or_default(),
        action.unwrap_or_default(),
    );
    let shown_total = if hubs.len() > 1 {
        total.min(MAX_MERGED_PAGES * PAGE_SIZE)
    } else {
        total
    };
    let pager = Pager::new(
        "/operator/audit",
        &[("hub", &hub), ("actor", &actor), ("action", &action)],
        page,
        shown_total,
    );
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors = in_language(&errors, lang);
    render(
        &state,
        &operator,
        "audit",
        "operator_audit.html",
        status,
        |p| {
            p.with("entries", &entries)
                .with("total", &total)
                .with("hub_filter", &hub)
                .with("actor", &actor)
                .with("action", &action)
                .with("errors", &errors)
                .with("need_hub", &need_hub)
                .with("max_hubs", &MAX_HUBS)
                .with("pager", &pager)
        },
    )
    .await
}

/// Page `offset..offset + PAGE_SIZE` of the entries of `hubs` matching the
/// filter, newest first, each with its hub; and how many match in all.
async fn read<'a>(
    state: &AppState,
    hubs: &'a [Tenant],
    action: Option<&str>,
    actor: Option<uuid::Uuid>,
    offset: i64,
) -> Result<(Vec<(&'a Tenant, Logged)>, i64), AppError> {
    let mut total = 0;
    let mut merged: Vec<(&Tenant, Logged)> = Vec::new();
    // One hub pages itself; across hubs each gives its newest entries down
    // to the page asked for, and the page is cut from them all.
    let (limit, skip) = match hubs {
        [_] => (PAGE_SIZE, offset),
        _ => (offset + PAGE_SIZE, 0),
    };
    for tenant in hubs {
        let mut tx = TenantTx::begin(&state.pool, tenant).await?;
        let (entries, count) = audit::entries(&mut tx, action, actor, limit, skip).await?;
        tx.commit().await?;
        total += count;
        merged.extend(entries.into_iter().map(|entry| (tenant, entry)));
    }
    if hubs.len() > 1 {
        merged.sort_by(|(ha, a), (hb, b)| {
            b.at.cmp(&a.at)
                .then(hb.id.0.cmp(&ha.id.0))
                .then(b.id.cmp(&a.id))
        });
        merged = merged
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX))
            .collect();
    }
    Ok((merged, total))
}

#[cfg(test)]
mod tests {
    use super::given;

    #[test]
    fn an_empty_filter_is_no_filter() {
        assert_eq!(given(None), None);
        assert_eq!(given(Some("  ")), None);
        assert_eq!(given(Some(" acme ")), Some("acme".to_owned()));
    }
}
