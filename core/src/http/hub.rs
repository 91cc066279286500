//! The hub page, the platform's front page and the themed 404.
//!
//! What a hub's pages are made from (its published branding and its roster)
//! is cached per node in [`HubPageCache`], so an anonymous visit to a hub page
//! runs no query. Entries are dropped on every node when a hub changes them
//! (`NOTIFY hearth_hub_page_changed` from triggers on the hub's
//! `hub_settings` and `roster`, and on `public.professionals`, `services` and
//! professionals' names), at once on the node that made the change, and all
//! of them when the listener reconnects (it may have missed some).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use hearth_plugins::abi::Hook;
use hearth_tenants::{Tenant, TenantTx};
use moka::future::Cache;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::PgPool;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::AppError;
use crate::http::authz::Viewer;
use crate::http::page::{Branding, Page};
use crate::http::site::Site;

/// The channel the hub page triggers notify: a hub's id, or an empty payload
/// when a change (a professional's profile) may touch every hub.
pub const CHANNEL: &str = "hearth_hub_page_changed";

/// A professional on a hub's roster, as the hub page shows them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RosterEntry {
    /// The professional's user id.
    pub id: Uuid,
    /// Their name.
    pub name: String,
    /// Their professional title.
    pub title: String,
    /// psychologist, coach, counsellor, therapist or other.
    pub kind: String,
    /// Their country (ISO 3166 code), or empty.
    pub country: String,
    /// What they work on.
    pub specialties: Vec<String>,
    /// The languages they work in (ISO 639-1 codes).
    pub languages: Vec<String>,
    /// Whether they have a photo (served at `/professionals/<id>/photo`).
    pub has_photo: bool,
    /// The modes of their active services (`video`, `phone`, `in_person`).
    pub modes: Vec<String>,
    /// The session types of their active services (`individual`, `couples`, ...).
    pub session_types: Vec<String>,
    /// Up to two initials, for the avatar shown without a photo.
    #[sqlx(skip)]
    pub initials: String,
    /// `languages`, named.
    #[sqlx(skip)]
    pub language_names: Vec<String>,
    /// `modes` and `session_types`, named: what sessions they offer.
    #[sqlx(skip)]
    pub session_names: Vec<String>,
}

/// The hub's verified professionals in roster order, on `conn` (a `TenantTx`).
pub async fn roster(conn: &mut sqlx::PgConnection) -> sqlx::Result<Vec<RosterEntry>> {
    let mut entries: Vec<RosterEntry> = sqlx::query_as(
        "SELECT p.user_id AS id, u.name, p.title, p.kind, p.country, p.specialties, p.languages, \
           p.photo IS NOT NULL AS has_photo, \
           COALESCE(s.modes, '{}') AS modes, COALESCE(s.session_types, '{}') AS session_types \
         FROM roster r \
         JOIN public.professionals p ON p.user_id = r.professional_id \
         JOIN public.users u ON u.id = p.user_id \
         LEFT JOIN LATERAL ( \
           SELECT array_agg(DISTINCT sv.mode ORDER BY sv.mode) AS modes, \
                  array_agg(DISTINCT sv.session_type ORDER BY sv.session_type) AS session_types \
           FROM public.services sv WHERE sv.professional_id = p.user_id AND sv.active \
         ) s ON true \
         WHERE p.verified_at IS NOT NULL \
         ORDER BY r.position, u.name",
    )
    .fetch_all(conn)
    .await?;
    for e in &mut entries {
        e.modes.sort_by_key(|m| rank(MODES, m));
        e.session_types.sort_by_key(|t| rank(SESSION_TYPES, t));
        e.initials = initials(&e.name);
    }
    name_roster(&mut entries, crate::i18n::FALLBACK);
    Ok(entries)
}

/// Names `entries`' languages and sessions in `lang`.
pub fn name_roster(entries: &mut [RosterEntry], lang: &str) {
    for e in entries {
        e.language_names = e.languages.iter().map(|l| language_name(lang, l)).collect();
        e.session_names = e
            .modes
            .iter()
            .map(|m| mode_name(lang, m))
            .chain(e.session_types.iter().map(|t| session_type_name(lang, t)))
            .collect();
    }
}

/// One option of a filter select.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Choice {
    /// Its label (sorted on first).
    pub label: String,
    /// The value sent in the query string.
    pub value: String,
}

/// The values the roster's filters offer: those its professionals have.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FilterOptions {
    /// Specialties.
    pub specialties: Vec<Choice>,
    /// Languages.
    pub languages: Vec<Choice>,
    /// Session modes.
    pub modes: Vec<Choice>,
    /// Session types.
    pub session_types: Vec<Choice>,
}

impl FilterOptions {
    fn of(roster: &[RosterEntry], lang: &str) -> Self {
        fn choices<'a>(
            values: impl Iterator<Item = &'a String>,
            name: impl Fn(&str) -> String,
        ) -> Vec<Choice> {
            let mut seen: BTreeMap<String, String> = BTreeMap::new();
            for v in values {
                seen.entry(v.clone()).or_insert_with(|| name(v));
            }
            let mut out: Vec<Choice> = seen
                .into_iter()
                .map(|(value, label)| Choice { label, value })
                .collect();
            out.sort();
            out
        }
        Self {
            specialties: choices(roster.iter().flat_map(|p| &p.specialties), str::to_owned),
            languages: choices(roster.iter().flat_map(|p| &p.languages), |l| {
                language_name(lang, l)
            }),
            modes: choices(roster.iter().flat_map(|p| &p.modes), |m| mode_name(lang, m)),
            session_types: choices(roster.iter().flat_map(|p| &p.session_types), |t| {
                session_type_name(lang, t)
            }),
        }
    }
}

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

/// What a hub's pages are made from, as cached.
#[derive(Debug)]
pub struct HubPage {
    /// The published branding.
    pub branding: Branding,
    /// How often credits are granted: every 1, 3, 6 or 12 months.
    pub period_months: i32,
    /// The roster and its filters, named in each language (as `i18n::LANGUAGES`).
    named: Vec<NamedRoster>,
    /// The page as rendered for anonymous visitors without filters (what most
    /// visits are), reused until the entry is dropped.
    rendered: Mutex<Vec<Rendered>>,
}

/// A hub's roster with its languages and sessions named in one language.
#[derive(Debug)]
pub struct NamedRoster {
    /// The roster.
    pub roster: Vec<RosterEntry>,
    /// The roster's filter values.
    pub options: FilterOptions,
}

/// A rendered hub page and what it was rendered for: the link prefix, the
/// language and the hub's name (which comes from the resolver, not this cache).
#[derive(Debug)]
struct Rendered {
    base: String,
    lang: String,
    hub_name: String,
    html: Bytes,
    at: Instant,
}

/// How long a rendered page is reused at most. Changes drop it at once (NOTIFY);
/// this bounds what a change racing the render could leave, such as a theme
/// plugin installed while the page rendered with the hub's previous plugins.
const RENDERED_FOR: Duration = Duration::from_secs(60);

/// Rendered pages kept per hub: one per link prefix (host or `/h/<slug>`) and language.
const RENDERED_PER_HUB: usize = 8;

impl HubPage {
    /// The roster named in `lang` (in English for a language we lack).
    pub fn roster(&self, lang: &str) -> &NamedRoster {
        let at = crate::i18n::LANGUAGES
            .iter()
            .position(|l| *l == lang)
            .unwrap_or(0);
        &self.named[at.min(self.named.len().saturating_sub(1))]
    }

    fn rendered(&self, base: &str, lang: &str, hub_name: &str) -> Option<Bytes> {
        let rendered = self.rendered.lock().unwrap_or_else(PoisonError::into_inner);
        rendered
            .iter()
            .find(|r| {
                r.base == base
                    && r.lang == lang
                    && r.hub_name == hub_name
                    && r.at.elapsed() < RENDERED_FOR
            })
            .map(|r| r.html.clone())
    }

    fn keep_rendered(&self, base: &str, lang: &str, hub_name: &str, html: Bytes) {
        let mut rendered = self.rendered.lock().unwrap_or_else(PoisonError::into_inner);
        rendered.retain(|r| {
            r.at.elapsed() < RENDERED_FOR
                && !(r.base == base && r.lang == lang && r.hub_name == hub_name)
        });
        if rendered.len() >= RENDERED_PER_HUB {
            rendered.remove(0);
        }
        rendered.push(Rendered {
            base: base.to_owned(),
            lang: lang.to_owned(),
            hub_name: hub_name.to_owned(),
            html,
            at: Instant::now(),
        });
    }
}

/// This node's cache of every hub's [`HubPage`]. Cheap to clone.
#[derive(Clone)]
pub struct HubPageCache(Arc<Inner>);

struct Inner {
    pool: PgPool,
    // Keys carry the listener's epoch and the hub's version: a load that raced
    // a change can only fill an entry nothing reads any more.
    cache: Cache<(u64, i64, u64), Arc<HubPage>>,
    epoch: AtomicU64,
    versions: Mutex<HashMap<i64, u64>>,
    listener: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(task) = self
            .listener
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            task.abort();
        }
    }
}

impl std::fmt::Debug for HubPageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubPageCache").finish_non_exhaustive()
    }
}

impl HubPageCache {
    /// An empty cache on `pool`, and its listener (on a connection of its own,
    /// stopped when the cache is dropped). Call inside the tokio runtime.
    pub fn new(pool: PgPool) -> Self {
        let cache = Self(Arc::new(Inner {
            pool,
            cache: Cache::builder()
                .max_capacity(100_000)
                // A safety net only: NOTIFY is what keeps entries fresh.
                .time_to_live(Duration::from_secs(300))
                .build(),
            epoch: AtomicU64::new(0),
            versions: Mutex::new(HashMap::new()),
            listener: Mutex::new(None),
        }));
        let task = spawn_listener(Arc::downgrade(&cache.0));
        *cache
            .0
            .listener
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(task);
        cache
    }

    fn version(&self, tenant: i64) -> u64 {
        let versions = self
            .0
            .versions
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        versions.get(&tenant).copied().unwrap_or(0)
    }

    /// `tenant`'s page data: cached, else read in one tenant transaction.
    pub async fn get(&self, tenant: &Tenant) -> Result<Arc<HubPage>, sqlx::Error> {
        let key = (
            self.0.epoch.load(Ordering::SeqCst),
            tenant.id.0,
            self.version(tenant.id.0),
        );
        if let Some(page) = self.0.cache.get(&key).await {
            return Ok(page);
        }
        let pool = self.0.pool.clone();
        let tenant = tenant.clone();
        self.0
            .cache
            .try_get_with(key, async move { load(&pool, &tenant).await.map(Arc::new) })
            .await
            .map_err(|e| match Arc::try_unwrap(e) {
                Ok(e) => e,
                Err(shared) => match &*shared {
                    // Keep "busy" a 503, not a 500.
                    sqlx::Error::PoolTimedOut => sqlx::Error::PoolTimedOut,
                    other => sqlx::Error::Protocol(other.to_string()),
                },
            })
    }

    /// Forgets hub `tenant`'s page data on this node.
    pub fn invalidate(&self, tenant: i64) {
        let old = {
            let mut versions = self
                .0
                .versions
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let version = versions.entry(tenant).or_insert(0);
            let old = *version;
            *version += 1;
            old
        };
        let epoch = self.0.epoch.load(Ordering::SeqCst);
        let cache = self.0.cache.clone();
        tokio::spawn(async move { cache.invalidate(&(epoch, tenant, old)).await });
    }

    /// Forgets every hub's page data on this node.
    pub fn invalidate_all(&self) {
        self.0.epoch.fetch_add(1, Ordering::SeqCst);
        self.0.cache.invalidate_all();
    }
}

async fn load(pool: &PgPool, tenant: &Tenant) -> Result<HubPage, sqlx::Error> {
    metrics::counter!("hearth_hub_page_cache_misses_total").increment(1);
    let mut tx = TenantTx::begin(pool, tenant).await?;
    let (branding, period_months) = crate::http::page::read_branding(&mut tx).await?;
    let roster = roster(&mut tx).await?;
    tx.commit().await?;
    let named = crate::i18n::LANGUAGES
        .iter()
        .map(|lang| {
            let mut roster = roster.clone();
            name_roster(&mut roster, lang);
            NamedRoster {
                options: FilterOptions::of(&roster, lang),
                roster,
            }
        })
        .collect();
    Ok(HubPage {
        branding,
        period_months,
        named,
        rendered: Mutex::new(Vec::new()),
    })
}

/// Drops cached hubs when any node changes one, until the cache is dropped;
/// everything after a lost connection, since notifications may have been missed.
fn spawn_listener(cache: Weak<Inner>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // A connection of its own, outside the request pool: a listener holds
        // its connection for as long as it lives.
        let Some(options) = cache.upgrade().map(|c| (*c.pool.connect_options()).clone()) else {
            return;
        };
        let own = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_lazy_with(options);
        loop {
            if let Err(error) = listen(&cache, &own).await {
                tracing::warn!(%error, "hub page change listener failed; retrying");
            }
            match cache.upgrade() {
                Some(c) => HubPageCache(c).invalidate_all(),
                None => return,
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    })
}

async fn listen(cache: &Weak<Inner>, pool: &PgPool) -> sqlx::Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    // What was cached before we listened may already be stale.
    match cache.upgrade() {
        Some(c) => HubPageCache(c).invalidate_all(),
        None => return Ok(()),
    }
    while let Some(notification) = listener.try_recv().await? {
        let Some(c) = cache.upgrade() else {
            return Ok(());
        };
        let c = HubPageCache(c);
        match notification.payload().parse::<i64>() {
            Ok(tenant) => c.invalidate(tenant),
            Err(_) => c.invalidate_all(),
        }
    }
    // The connection was lost; the caller reconnects.
    Ok(())
}

/// This node's hub page cache (made, with its listener, on first use).
pub fn hub_pages(state: &AppState) -> &HubPageCache {
    state
        .themes
        .hub_pages
        .get_or_init(|| HubPageCache::new(state.pool.clone()))
}

/// Layer: after a change to the hub's settings (a POST under `/admin`), forgets
/// that hub's page data on this node at once, so the HR admin sees it on their
/// next page; other nodes hear of it by NOTIFY.
pub async fn forget_after_write(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    // Only the HR admin's settings change what the hub page shows; bookings,
    // claims and the like must not empty the cache the hub page lives on.
    let settings = req.uri().path().starts_with("/admin");
    let tenant = match (req.method(), req.extensions().get::<Site>()) {
        (&Method::GET | &Method::HEAD, _) => None,
        (_, Some(Site::Hub { tenant, .. })) if settings => Some(tenant.id.0),
        _ => None,
    };
    let response = next.run(req).await;
    if let (Some(tenant), Some(cache)) = (tenant, state.themes.hub_pages.get()) {
        cache.invalidate(tenant);
    }
    response
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
    filter: Result<Query<RosterFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Site::Hub { tenant, base } = &site else {
        let page = Page::new(&state, &site, &viewer).await?;
        return Ok(page.render(&state, "platform.html")?.into_response());
    };
    let hub = hub_pages(&state).get(tenant).await?;
    // A malformed query string shows the whole roster.
    let filter = filter.map(|Query(f)| f).unwrap_or_default();
    let lang = viewer.language;
    let reusable = viewer.user.is_none() && !filter.is_active();
    if reusable {
        if let Some(html) = hub.rendered(base, lang, &tenant.name) {
            return Ok(html_response(html));
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
        let html = Bytes::from(html);
        hub.keep_rendered(base, lang, &tenant.name, html.clone());
        return Ok(html_response(html));
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

fn html_response(html: Bytes) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response()
}

/// Anything unrouted.
pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, AppError::NotFound).into_response()
}

/// Up to two initials of `name`: its first and last words' first letters.
fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first().and_then(|w| w.chars().next());
    let last = words
        .get(1..)
        .and_then(|rest| rest.last())
        .and_then(|w| w.chars().next());
    first
        .into_iter()
        .chain(last)
        .flat_map(char::to_uppercase)
        .collect()
}

/// Session modes, most offered first.
const MODES: &[&str] = &["video", "phone", "in_person"];
/// Session types, most offered first.
const SESSION_TYPES: &[&str] = &["individual", "couples", "family", "group"];

/// Where `value` stands in `order` (unknown values last).
fn rank(order: &[&str], value: &str) -> usize {
    order
        .iter()
        .position(|v| *v == value)
        .unwrap_or(order.len())
}

/// A session mode's name in `lang`.
fn mode_name(lang: &str, mode: &str) -> String {
    named_or_spaced(
        crate::dashboard::tr(lang, "hub-mode", &[("mode", mode.into())]),
        mode,
    )
}

/// A session type's name in `lang`.
fn session_type_name(lang: &str, session_type: &str) -> String {
    named_or_spaced(
        crate::dashboard::tr(lang, "hub-session-type", &[("type", session_type.into())]),
        session_type,
    )
}

/// `name`, unless the catalogue had none for `value` (it gave `value` back).
fn named_or_spaced(name: String, value: &str) -> String {
    if name == value {
        value.replace('_', " ")
    } else {
        name
    }
}

/// A language's name in `lang`, from its ISO 639-1 code; the code itself
/// (upper-cased) for one not listed.
fn language_name(lang: &str, code: &str) -> String {
    let name = crate::dashboard::tr(lang, "hub-language-name", &[("code", code.into())]);
    if name == code {
        code.to_uppercase()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pro(specialties: &[&str], languages: &[&str], modes: &[&str]) -> RosterEntry {
        let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        RosterEntry {
            id: Uuid::nil(),
            name: "Anna Jónsdóttir".into(),
            title: String::new(),
            kind: "psychologist".into(),
            country: String::new(),
            specialties: owned(specialties),
            languages: owned(languages),
            has_photo: false,
            modes: owned(modes),
            session_types: vec!["individual".into()],
            initials: String::new(),
            language_names: Vec::new(),
            session_names: Vec::new(),
        }
    }

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

    #[test]
    fn filter_options_are_the_rosters_values_named_and_sorted() {
        crate::i18n::init(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes"))
            .expect("catalogue");
        let roster = [
            pro(&["Stress"], &["is", "en"], &["video"]),
            pro(&["Grief", "Stress"], &["en"], &["phone", "video"]),
        ];
        let o = FilterOptions::of(&roster, "en");
        let labels = |c: &[Choice]| c.iter().map(|c| c.label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(&o.specialties), ["Grief", "Stress"]);
        assert_eq!(labels(&o.languages), ["English", "Icelandic"]);
        assert_eq!(o.languages[1].value, "is");
        assert_eq!(labels(&o.modes), ["Phone", "Video"]);
        let is = FilterOptions::of(&roster, "is");
        assert_eq!(labels(&is.languages), ["Enska", "Íslenska"]);
        assert_eq!(labels(&is.modes), ["Myndsímtal", "Sími"]);
        assert_eq!(mode_name("is", "by_carrier_pigeon"), "by carrier pigeon");
        assert_eq!(language_name("is", "xx"), "XX");
    }

    #[test]
    fn initials_take_the_first_and_last_names() {
        assert_eq!(initials("Anna Jónsdóttir"), "AJ");
        assert_eq!(initials("Chloé de la Martin"), "CM");
        assert_eq!(initials("émile"), "É");
        assert_eq!(initials("  "), "");
    }
}
