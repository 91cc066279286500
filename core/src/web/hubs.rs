//! What a hub's pages are made from: its published branding, credit period
//! and roster, read in one tenant transaction and cached per node
//! ([`crate::web::state::App::hub_pages`]), so an anonymous visit to a hub
//! page runs no query. Entries are dropped on every node when a hub changes
//! them (`NOTIFY hearth_hub_page_changed`, sent by the code that changes the
//! hub's `hub_settings` and `roster`, or `public.professionals`, `services`
//! and professionals' names: [`hearth_tenants::changes`]), at once on the
//! node that made the change, and all of them when the listener reconnects
//! (it may have missed some).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use hearth_tenants::{Tenant, TenantTx};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::web::page::Branding;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The channel hub page changes are told on: a hub's id, or an empty payload
/// when a change (a professional's profile) may touch every hub.
pub const CHANNEL: &str = hearth_tenants::changes::HUB_PAGE;

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
    let mut entries: Vec<RosterEntry> = sqlx::query!(
        "SELECT p.user_id AS id, u.name, p.title, p.kind, p.country, p.specialties, p.languages, \
           p.photo IS NOT NULL AS \"has_photo!\", \
           COALESCE(s.modes, '{}') AS \"modes!\", COALESCE(s.session_types, '{}') AS \"session_types!\" \
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
    .await?
    .into_iter()
    .map(|r| RosterEntry {
        id: r.id,
        name: r.name,
        title: r.title,
        kind: r.kind,
        country: r.country,
        specialties: r.specialties,
        languages: r.languages,
        has_photo: r.has_photo,
        modes: r.modes,
        session_types: r.session_types,
        initials: String::new(),
        language_names: Vec::new(),
        session_names: Vec::new(),
    })
    .collect();
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

impl HubPage {
    /// Whether professional `id` is on the hub's roster (as cached: kept
    /// fresh by the roster's notifications).
    pub fn on_roster(&self, id: Uuid) -> bool {
        self.named
            .first()
            .is_some_and(|named| named.roster.iter().any(|entry| entry.id == id))
    }
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
    page: Arc<crate::compress::Encoded>,
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

    /// The page rendered for `base`, `lang` and `hub_name`, if still fresh.
    pub fn rendered(
        &self,
        base: &str,
        lang: &str,
        hub_name: &str,
    ) -> Option<Arc<crate::compress::Encoded>> {
        let rendered = self.rendered.lock().unwrap_or_else(PoisonError::into_inner);
        rendered
            .iter()
            .find(|r| {
                r.base == base
                    && r.lang == lang
                    && r.hub_name == hub_name
                    && r.at.elapsed() < RENDERED_FOR
            })
            .map(|r| Arc::clone(&r.page))
    }

    /// Keeps `html` as the page rendered for `base`, `lang` and `hub_name`.
    pub fn keep_rendered(
        &self,
        base: &str,
        lang: &str,
        hub_name: &str,
        page: Arc<crate::compress::Encoded>,
    ) {
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
            page,
            at: Instant::now(),
        });
    }
}

/// Reads `tenant`'s page data in one tenant transaction (a cache miss).
pub async fn load(pool: &PgPool, tenant: &Tenant) -> Result<HubPage, sqlx::Error> {
    metrics::counter!("hearth_hub_page_cache_misses_total").increment(1);
    let mut tx = TenantTx::begin(pool, tenant).await?;
    let (branding, period_months) = crate::web::page::read_branding(&mut tx, tenant.id).await?;
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

/// `tenant`'s page data: cached, else read in one tenant transaction.
pub async fn get(
    state: &AppState,
    tenant: &Tenant,
) -> Result<std::sync::Arc<HubPage>, sqlx::Error> {
    state
        .hub_pages
        .get_or_load(tenant.id.0, load(&state.pool, tenant))
        .await
}

/// `tenant`'s page data if this node has it cached (never reads the database).
pub async fn cached(state: &AppState, tenant: &Tenant) -> Option<std::sync::Arc<HubPage>> {
    state.hub_pages.peek(tenant.id.0).await
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
        crate::i18n::tr(lang, "hub-mode", &[("mode", mode.into())]),
        mode,
    )
}

/// A session type's name in `lang`.
fn session_type_name(lang: &str, session_type: &str) -> String {
    named_or_spaced(
        crate::i18n::tr(lang, "hub-session-type", &[("type", session_type.into())]),
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
    let name = crate::i18n::tr(lang, "hub-language-name", &[("code", code.into())]);
    if name == code {
        code.to_uppercase()
    } else {
        name
    }
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
    if let Some(tenant) = tenant {
        state.hub_pages.invalidate(tenant);
    }
    response
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A roster entry with these values (for the hub page's tests too).
    pub(crate) fn pro(specialties: &[&str], languages: &[&str], modes: &[&str]) -> RosterEntry {
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
