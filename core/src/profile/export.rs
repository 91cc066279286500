//! Everything the platform holds about one person, as one JSON document, and
//! the same turned into sections a person can read.
//!
//! Other people appear by name only where the person dealt with them (the
//! professional of an appointment or a connection); never their email, id or
//! anything else. Each hub the person belongs to is read in its own
//! transaction. Times are in the person's timezone.

use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::web::error::AppError;
use crate::web::state::AppState;

/// Sets the transaction's timezone to the user's (UTC if PostgreSQL does not
/// know it), so times come out as they live them.
async fn local_time(conn: &mut PgConnection, user_id: Uuid) -> Result<(), AppError> {
    let set: Option<String> = sqlx::query_scalar!(
        "SELECT set_config('TimeZone', \
           CASE WHEN EXISTS (SELECT 1 FROM pg_timezone_names n WHERE n.name = u.timezone) \
                THEN u.timezone ELSE 'UTC' END, true) AS \"set!\" \
         FROM public.users u WHERE u.id = $1",
        user_id,
    )
    .fetch_optional(conn)
    .await?;
    set.map(|_| ()).ok_or(AppError::NotFound)
}

/// One JSON value from `sql` (which binds `$1`, the user's id); null when no row.
async fn one(conn: &mut PgConnection, sql: &str, user_id: Uuid) -> Result<Value, AppError> {
    // Runtime-checked: `sql` is one entry of the PUBLIC, OPTIONAL or HUB tables, iterated at run time.
    let value: Option<Option<Value>> = sqlx::query_scalar(sql)
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    let mut value = value.flatten().unwrap_or(Value::Null);
    prices_in_decimals(&mut value);
    Ok(value)
}

/// Rewrites every `price_minor` (whole minor units) beside a `currency` as
/// `price`, the amount with the currency's decimals ("120.00", "12500"), a
/// string so that no float rounds it.
fn prices_in_decimals(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(prices_in_decimals),
        Value::Object(object) => {
            let currency = object
                .get("currency")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if let (Some(minor), Some(currency)) =
                (object.get("price_minor").and_then(Value::as_i64), currency)
            {
                object.remove("price_minor");
                object.insert(
                    "price".to_owned(),
                    crate::web::money::Money::new(minor, &currency)
                        .map_or(Value::Null, |m| Value::String(m.input_text())),
                );
            }
            object.values_mut().for_each(prices_in_decimals);
        }
        _ => {}
    }
}

/// What public holds about the user, key by key. Each query binds the id as `$1`.
// Runtime-checked: these statements run through `one`, which takes the SQL text as a value.
const PUBLIC: &[(&str, &str)] = &[
    ("generated_at", "SELECT to_jsonb(date_trunc('second', now()))"),
    (
        "account",
        "SELECT jsonb_build_object('id', u.id, 'email', u.email, 'name', u.name, \
           'date_of_birth', u.date_of_birth, 'phone', u.phone, \
           'address', jsonb_build_object('line1', u.address_line1, 'line2', u.address_line2, \
              'postal_code', u.postal_code, 'city', u.city, 'country', u.country), \
           'language', u.language, 'timezone', u.timezone, \
           'email_verified_at', date_trunc('second', u.email_verified_at), \
           'created_at', date_trunc('second', u.created_at), 'is_operator', u.is_operator, \
           'photo', CASE WHEN u.photo IS NULL THEN NULL ELSE jsonb_build_object( \
              'content_type', u.photo_type, \
              'base64', translate(encode(u.photo, 'base64'), E'\\n', '')) END) \
         FROM users u WHERE u.id = $1",
    ),
    (
        "sessions",
        "SELECT coalesce(jsonb_agg(jsonb_build_object( \
           'created_at', date_trunc('second', created_at), \
           'last_seen_at', date_trunc('second', last_seen_at), \
           'expires_at', date_trunc('second', expires_at)) ORDER BY created_at), '[]') \
         FROM sessions WHERE user_id = $1",
    ),
    (
        "bills",
        "SELECT coalesce(jsonb_agg(jsonb_build_object('number', number, 'from', seller_name, \
           'currency', currency, 'total_minor', total_minor, 'refunded_minor', refunded_minor, \
           'status', status, 'issued_on', issued_on, 'due_on', due_on, \
           'paid_at', date_trunc('second', paid_at)) ORDER BY issued_on, number), '[]') \
         FROM bills WHERE client_id = $1",
    ),
    (
        "terms_acceptances",
        "SELECT coalesce(jsonb_agg(jsonb_build_object('version', version, \
           'accepted_at', date_trunc('second', accepted_at)) ORDER BY accepted_at), '[]') \
         FROM terms_acceptances WHERE user_id = $1",
    ),
    (
        "email_change",
        "SELECT jsonb_build_object('new_email', new_email, \
           'expires_at', date_trunc('second', expires_at)) \
         FROM email_changes WHERE user_id = $1",
    ),
    (
        "email_verification",
        "SELECT jsonb_build_object('email', email, 'expires_at', date_trunc('second', expires_at)) \
         FROM email_verifications WHERE user_id = $1",
    ),
    (
        "password_resets",
        "SELECT coalesce(jsonb_agg(jsonb_build_object( \
           'created_at', date_trunc('second', created_at), \
           'expires_at', date_trunc('second', expires_at), \
           'used_at', date_trunc('second', used_at)) ORDER BY created_at), '[]') \
         FROM password_resets WHERE user_id = $1",
    ),
    (
        "connections",
        "SELECT coalesce(jsonb_agg(jsonb_build_object('professional', p.name, 'source', c.source, \
           'created_at', date_trunc('second', c.created_at)) ORDER BY c.created_at), '[]') \
         FROM connections c JOIN users p ON p.id = c.professional_id WHERE c.client_id = $1",
    ),
    // A professional's clients are their records, not this person's: a count.
    (
        "clients",
        "SELECT CASE WHEN count(*) = 0 THEN NULL ELSE jsonb_build_object('count', count(*)) END \
         FROM connections WHERE professional_id = $1",
    ),
    (
        "invitations",
        "SELECT coalesce(jsonb_agg(jsonb_build_object('professional', p.name, 'name', i.name, \
           'message', i.message, 'created_at', date_trunc('second', i.created_at), \
           'expires_at', date_trunc('second', i.expires_at), \
           'accepted_at', date_trunc('second', i.accepted_at), \
           'revoked_at', date_trunc('second', i.revoked_at)) ORDER BY i.created_at), '[]') \
         FROM invitations i JOIN users p ON p.id = i.professional_id \
         WHERE i.accepted_by = $1 \
            OR lower(i.email) = (SELECT lower(email) FROM users WHERE id = $1)",
    ),
    (
        "appointments",
        "SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'professional', p.name, \
           'hub', t.name, 'service', a.service_name, 'mode', a.mode, \
           'session_type', a.session_type, 'starts_at', a.starts_at, 'ends_at', a.ends_at, \
           'price_minor', a.price_minor, 'currency', a.currency, \
           'credits', a.credits, 'status', a.status, \
           'cancelled_at', date_trunc('second', a.cancelled_at), 'late_cancel', a.late_cancel, \
           'created_at', date_trunc('second', a.created_at)) ORDER BY a.starts_at), '[]') \
         FROM appointments a JOIN users p ON p.id = a.professional_id \
         LEFT JOIN tenants t ON t.id = a.tenant_id WHERE a.client_id = $1",
    ),
    // The sessions a professional held: theirs, without who the client was.
    (
        "appointments_as_professional",
        "SELECT CASE WHEN count(*) = 0 THEN NULL ELSE jsonb_agg(jsonb_build_object('id', a.id, \
           'hub', t.name, 'service', a.service_name, 'mode', a.mode, \
           'session_type', a.session_type, 'starts_at', a.starts_at, 'ends_at', a.ends_at, \
           'price_minor', a.price_minor, 'currency', a.currency, \
           'credits', a.credits, 'status', a.status, \
           'cancelled_at', date_trunc('second', a.cancelled_at), 'late_cancel', a.late_cancel, \
           'created_at', date_trunc('second', a.created_at)) ORDER BY a.starts_at) END \
         FROM appointments a LEFT JOIN tenants t ON t.id = a.tenant_id \
         WHERE a.professional_id = $1",
    ),
    (
        "professional_profile",
        "SELECT jsonb_build_object('title', title, 'bio', bio, 'specialties', specialties, \
           'languages', languages, 'country', country, 'kind', kind, 'timezone', timezone, \
           'buffer_minutes', buffer_minutes, 'min_notice_minutes', min_notice_minutes, \
           'horizon_days', horizon_days, 'verified_at', date_trunc('second', verified_at), \
           'rejected_at', date_trunc('second', rejected_at), 'rejection_reason', rejection_reason, \
           'created_at', date_trunc('second', created_at), \
           'photo', CASE WHEN photo IS NULL THEN NULL ELSE jsonb_build_object( \
              'content_type', photo_type, \
              'base64', translate(encode(photo, 'base64'), E'\\n', '')) END) \
         FROM professionals WHERE user_id = $1",
    ),
    (
        "services",
        "SELECT CASE WHEN count(*) = 0 THEN NULL ELSE jsonb_agg(jsonb_build_object('id', id, \
           'name', name, 'mode', mode, 'session_type', session_type, \
           'duration_minutes', duration_minutes, 'price_minor', price_minor, \
           'currency', currency, 'credits', credits, 'active', active, \
           'created_at', date_trunc('second', created_at)) ORDER BY created_at) END \
         FROM services WHERE professional_id = $1",
    ),
    (
        "availability",
        "SELECT CASE WHEN count(*) = 0 THEN NULL ELSE jsonb_agg(jsonb_build_object( \
           'weekday', weekday, 'start_time', to_char(start_time, 'HH24:MI'), \
           'end_time', to_char(end_time, 'HH24:MI')) ORDER BY weekday, start_time) END \
         FROM availability_rules WHERE professional_id = $1",
    ),
    (
        "availability_exceptions",
        "SELECT CASE WHEN count(*) = 0 THEN NULL ELSE jsonb_agg(jsonb_build_object( \
           'day', day, 'kind', kind, 'start_time', to_char(start_time, 'HH24:MI'), \
           'end_time', to_char(end_time, 'HH24:MI')) ORDER BY day, start_time) END \
         FROM availability_exceptions WHERE professional_id = $1",
    ),
    // What was sent, when: not the bodies (old codes and links have no place here).
    (
        "emails",
        "SELECT coalesce(jsonb_agg(jsonb_build_object('kind', kind, 'status', status, \
           'created_at', date_trunc('second', created_at), \
           'sent_at', date_trunc('second', sent_at)) ORDER BY id), '[]') \
         FROM email_outbox \
         WHERE lower(to_address) = (SELECT lower(email) FROM users WHERE id = $1)",
    ),
];

/// `(key, table, query)` for tables another area adds: read when the table is there.
// Runtime-checked: these statements run through `one`, which takes the SQL text as a value.
const OPTIONAL: &[(&str, &str, &str)] = &[
    (
        "notifications",
        "public.notifications",
        "SELECT coalesce(jsonb_agg(to_jsonb(n) - 'user_id' ORDER BY n.created_at), '[]') \
         FROM public.notifications n WHERE n.user_id = $1",
    ),
    (
        "notification_preferences",
        "public.notification_preferences",
        "SELECT CASE WHEN count(*) = 0 THEN NULL \
           ELSE jsonb_agg(to_jsonb(p) - 'user_id' ORDER BY p.kind) END \
         FROM public.notification_preferences p WHERE p.user_id = $1",
    ),
];

/// What each hub holds about a member, read inside the hub's transaction.
// Runtime-checked: these statements run through `one`, which takes the SQL text as a value.
const HUB: &[(&str, &str)] = &[
    (
        "membership",
        "SELECT jsonb_build_object('role', role, 'status', status, \
           'joined_at', date_trunc('second', joined_at)) FROM members WHERE user_id = $1",
    ),
    (
        "eligibility",
        "SELECT jsonb_build_object('email', email, 'name', name, \
           'imported_at', date_trunc('second', imported_at)) FROM eligible_employees \
         WHERE email = (SELECT lower(email) FROM public.users WHERE id = $1)",
    ),
    (
        "credit_balance",
        "SELECT jsonb_build_object('balance', balance, 'period_start', period_start, \
           'updated_at', date_trunc('second', updated_at)) FROM credit_balances WHERE user_id = $1",
    ),
    (
        "credit_ledger",
        "SELECT coalesce(jsonb_agg(jsonb_build_object('kind', kind, 'amount', amount, \
           'balance_after', balance_after, 'period_start', period_start, \
           'appointment_id', appointment_id, 'note', note, 'at', date_trunc('second', at)) \
           ORDER BY id), '[]') FROM credit_ledger WHERE user_id = $1",
    ),
    (
        "hub_bookings",
        "SELECT coalesce(jsonb_agg(jsonb_build_object('appointment_id', appointment_id, \
           'credits', credits, 'period_start', period_start, 'settled', settled, \
           'created_at', date_trunc('second', created_at)) ORDER BY created_at), '[]') \
         FROM hub_bookings WHERE user_id = $1",
    ),
    (
        "audit",
        "SELECT CASE WHEN count(*) = 0 THEN NULL ELSE jsonb_agg(jsonb_build_object( \
           'action', action, 'at', date_trunc('second', at)) ORDER BY id) END \
         FROM audit_log WHERE actor_id = $1",
    ),
];

/// Everything held about `user_id`.
pub async fn collect(state: &AppState, user_id: Uuid) -> Result<Value, AppError> {
    let mut out = Map::new();
    let mut tx = state.pool.begin().await?;
    local_time(&mut tx, user_id).await?;
    for (key, sql) in PUBLIC {
        out.insert((*key).to_owned(), one(&mut tx, sql, user_id).await?);
    }
    // Tables of areas that may not be installed yet: the user's rows, every column.
    for (key, table, sql) in OPTIONAL {
        let present: bool =
            sqlx::query_scalar!("SELECT to_regclass($1) IS NOT NULL AS \"present!\"", table)
                .fetch_one(&mut *tx)
                .await?;
        let value = if present {
            one(&mut tx, sql, user_id).await?
        } else {
            Value::Null
        };
        out.insert((*key).to_owned(), value);
    }
    let hubs: Vec<hearth_tenants::Tenant> =
        hearth_tenants::registry::hubs_of_member(&mut tx, user_id).await?;
    tx.commit().await?;
    let mut held = Vec::with_capacity(hubs.len());
    for hub in &hubs {
        let mut tx = hearth_tenants::TenantTx::begin(&state.pool, hub).await?;
        local_time(&mut tx, user_id).await?;
        let mut entry = Map::new();
        entry.insert("hub_name".into(), Value::String(hub.name.clone()));
        entry.insert("slug".into(), Value::String(hub.slug.clone()));
        for (key, sql) in HUB {
            entry.insert((*key).to_owned(), one(&mut tx, sql, user_id).await?);
        }
        tx.commit().await?;
        held.push(Value::Object(entry));
    }
    out.insert("hubs".into(), Value::Array(held));
    Ok(Value::Object(out))
}

/// One part of the readable summary.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Records, each a list of (label, value).
    pub records: Vec<Vec<(String, String)>>,
    /// Parts within this one (a hub's ledger, for example).
    pub sections: Vec<Section>,
}

/// The order sections appear in the summary.
const ORDER: &[&str] = &[
    "account",
    "email_change",
    "email_verification",
    "sessions",
    "terms_acceptances",
    "password_resets",
    "connections",
    "invitations",
    "appointments",
    "professional_profile",
    "services",
    "availability",
    "availability_exceptions",
    "appointments_as_professional",
    "clients",
    "emails",
    "notifications",
    "notification_preferences",
    "hubs",
];

/// The export's keys a person reads a label for, with the label's message
/// id, in the order a record's fields are shown.
const FIELDS: &[(&str, &str)] = &[
    ("account", "data-field-account"),
    ("id", "data-field-id"),
    ("email", "data-field-email"),
    ("name", "data-field-name"),
    ("date_of_birth", "data-field-date-of-birth"),
    ("phone", "data-field-phone"),
    ("address", "data-field-address"),
    ("line1", "data-field-line1"),
    ("line2", "data-field-line2"),
    ("postal_code", "data-field-postal-code"),
    ("city", "data-field-city"),
    ("country", "data-field-country"),
    ("language", "data-field-language"),
    ("timezone", "data-field-timezone"),
    ("email_verified_at", "data-field-email-verified-at"),
    ("created_at", "data-field-created-at"),
    ("is_operator", "data-field-is-operator"),
    ("has_photo", "data-field-has-photo"),
    ("sessions", "data-field-sessions"),
    ("last_seen_at", "data-field-last-seen-at"),
    ("expires_at", "data-field-expires-at"),
    ("terms_acceptances", "data-field-terms-acceptances"),
    ("version", "data-field-version"),
    ("accepted_at", "data-field-accepted-at"),
    ("email_change", "data-field-email-change"),
    ("new_email", "data-field-new-email"),
    ("email_verification", "data-field-email-verification"),
    ("password_resets", "data-field-password-resets"),
    ("used_at", "data-field-used-at"),
    ("connections", "data-field-connections"),
    ("professional", "data-field-professional"),
    ("hub", "data-field-hub"),
    ("source", "data-field-source"),
    ("clients", "data-field-clients"),
    ("count", "data-field-count"),
    ("invitations", "data-field-invitations"),
    ("message", "data-field-message"),
    ("revoked_at", "data-field-revoked-at"),
    ("appointments", "data-field-appointments"),
    (
        "appointments_as_professional",
        "data-field-appointments-as-professional",
    ),
    ("service", "data-field-service"),
    ("mode", "data-field-mode"),
    ("session_type", "data-field-session-type"),
    ("starts_at", "data-field-starts-at"),
    ("ends_at", "data-field-ends-at"),
    ("price", "data-field-price"),
    ("currency", "data-field-currency"),
    ("credits", "data-field-credits"),
    ("status", "data-field-status"),
    ("cancelled_at", "data-field-cancelled-at"),
    ("late_cancel", "data-field-late-cancel"),
    ("professional_profile", "data-field-professional-profile"),
    ("title", "data-field-title"),
    ("bio", "data-field-bio"),
    ("specialties", "data-field-specialties"),
    ("languages", "data-field-languages"),
    ("kind", "data-field-kind"),
    ("verified_at", "data-field-verified-at"),
    ("rejected_at", "data-field-rejected-at"),
    ("rejection_reason", "data-field-rejection-reason"),
    ("buffer_minutes", "data-field-buffer-minutes"),
    ("min_notice_minutes", "data-field-min-notice-minutes"),
    ("horizon_days", "data-field-horizon-days"),
    ("services", "data-field-services"),
    ("duration_minutes", "data-field-duration-minutes"),
    ("active", "data-field-active"),
    ("availability", "data-field-availability"),
    ("weekday", "data-field-weekday"),
    ("start_time", "data-field-start-time"),
    ("end_time", "data-field-end-time"),
    (
        "availability_exceptions",
        "data-field-availability-exceptions",
    ),
    ("day", "data-field-day"),
    ("emails", "data-field-emails"),
    ("sent_at", "data-field-sent-at"),
    ("notifications", "data-field-notifications"),
    (
        "notification_preferences",
        "data-field-notification-preferences",
    ),
    ("read_at", "data-field-read-at"),
    ("link", "data-field-link"),
    ("hubs", "data-field-hubs"),
    ("membership", "data-field-membership"),
    ("role", "data-field-role"),
    ("joined_at", "data-field-joined-at"),
    ("eligibility", "data-field-eligibility"),
    ("imported_at", "data-field-imported-at"),
    ("credit_balance", "data-field-credit-balance"),
    ("balance", "data-field-balance"),
    ("period_start", "data-field-period-start"),
    ("updated_at", "data-field-updated-at"),
    ("credit_ledger", "data-field-credit-ledger"),
    ("amount", "data-field-amount"),
    ("balance_after", "data-field-balance-after"),
    ("appointment_id", "data-field-appointment-id"),
    ("note", "data-field-note"),
    ("at", "data-field-at"),
    ("hub_bookings", "data-field-hub-bookings"),
    ("settled", "data-field-settled"),
    ("audit", "data-field-audit"),
    ("action", "data-field-action"),
    ("hub_name", "data-field-hub-name"),
    ("slug", "data-field-slug"),
];

/// The label of `key` in `lang`: its message, else the key in words (a
/// column another area added and this list does not know yet).
fn label(lang: &str, key: &str) -> String {
    match FIELDS.iter().find(|(k, _)| *k == key) {
        Some((_, id)) => crate::i18n::t(lang, id, None),
        None => {
            let words = key.replace('_', " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// Where `key` sorts among a record's fields: as [`FIELDS`] lists it.
fn rank(key: &str) -> usize {
    FIELDS
        .iter()
        .position(|(k, _)| *k == key)
        .unwrap_or(usize::MAX)
}

/// A scalar shown to a person: times as `YYYY-MM-DD HH:MM`, yes/no, lists joined.
fn shown(lang: &str, value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(crate::i18n::t(
            lang,
            if *b { "data-yes" } else { "data-no" },
            None,
        )),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => {
            let b = s.as_bytes();
            let is_time = b.len() >= 16 && b[4] == b'-' && b[10] == b'T' && b[13] == b':';
            Some(if is_time {
                format!("{} {}", &s[..10], &s[11..16])
            } else {
                s.clone()
            })
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(|v| shown(lang, v)).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Object(_) => None,
    }
}

/// The fields of `object` as one record (nested objects flattened, pictures
/// left out), and its lists of records as sections.
fn record(lang: &str, object: &Map<String, Value>) -> (Vec<(String, String)>, Vec<Section>) {
    let mut fields: Vec<(&String, &Value)> = object.iter().collect();
    fields.sort_by_key(|(k, _)| rank(k));
    let mut rows = Vec::new();
    let mut sections = Vec::new();
    for (key, value) in fields {
        match value {
            _ if key == "photo" => {}
            Value::Object(inner) if inner.values().any(Value::is_object) => {
                sections.push(section(lang, key, value));
            }
            Value::Object(inner) => {
                let (inner_rows, _) = record(lang, inner);
                rows.extend(inner_rows);
            }
            Value::Array(items) if items.iter().any(Value::is_object) => {
                sections.push(section(lang, key, value));
            }
            Value::Array(items) if items.is_empty() => {
                sections.push(section(lang, key, value));
            }
            _ => {
                if let Some(v) = shown(lang, value) {
                    rows.push((label(lang, key), v));
                }
            }
        }
    }
    (rows, sections)
}

/// The section of `key` holding `value`.
fn section(lang: &str, key: &str, value: &Value) -> Section {
    let mut out = Section {
        title: label(lang, key),
        records: Vec::new(),
        sections: Vec::new(),
    };
    match value {
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(object) => {
                        let (rows, sections) = record(lang, object);
                        out.records.push(rows);
                        out.sections.extend(sections);
                    }
                    other => {
                        if let Some(v) = shown(lang, other) {
                            out.records.push(vec![(out.title.clone(), v)]);
                        }
                    }
                }
            }
        }
        Value::Object(object) => {
            let (rows, sections) = record(lang, object);
            if !rows.is_empty() {
                out.records.push(rows);
            }
            out.sections = sections;
        }
        _ => {}
    }
    out
}

/// The readable summary of `export`: a section for each kind of record held
/// (left out when it does not apply), and one for each hub.
pub fn summarize(export: &Value, lang: &str) -> Vec<Section> {
    let mut out = Vec::new();
    for key in ORDER {
        let value = &export[*key];
        if value.is_null() {
            continue;
        }
        if *key == "hubs" {
            for hub in value.as_array().into_iter().flatten() {
                let name = hub["hub_name"].as_str().unwrap_or_default();
                let mut s = section(lang, "hubs", hub);
                s.title = crate::i18n::tr(lang, "data-summary-hub", &[("name", name.into())]);
                out.push(s);
            }
            continue;
        }
        out.push(section(lang, key, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_summary_reads_like_a_page_not_like_json() {
        crate::i18n::init(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../themes"
        )))
        .unwrap();
        let export = json!({
            "generated_at": "2026-11-21T10:15:00+00:00",
            "account": {
                "name": "Anna", "email": "anna@example.com", "is_operator": false,
                "address": {"line1": "Laugavegur 1", "line2": null, "city": "Reykjavík"},
                "photo": {"content_type": "image/jpeg", "base64": "AAAA"}
            },
            "sessions": [],
            "email_change": null,
            "appointments": [{"professional": "Dr Ben", "starts_at": "2026-12-01T09:00:00+00:00", "status": "confirmed"}],
            "hubs": [{"hub_name": "Acme", "slug": "acme",
                      "membership": {"role": "employee", "status": "active"},
                      "credit_ledger": [{"kind": "grant", "amount": 5}],
                      "audit": null}]
        });
        let s = summarize(&export, "en");
        let titles: Vec<&str> = s.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Account",
                "Sign-ins",
                "Your appointments",
                "Company hub: Acme"
            ]
        );
        let account = &s[0].records[0];
        assert!(account.contains(&("Name".into(), "Anna".into())));
        assert!(account.contains(&("Street and number".into(), "Laugavegur 1".into())));
        assert!(account.contains(&("Platform staff".into(), "No".into())));
        assert!(
            !account.iter().any(|(_, v)| v.contains("AAAA")),
            "no picture bytes"
        );
        assert!(s[1].records.is_empty(), "an empty list is shown as none");
        assert!(s[2].records[0].contains(&("Starts".into(), "2026-12-01 09:00".into())));
        let hub = &s[3];
        assert!(hub.records[0].contains(&("Role".into(), "employee".into())));
        assert_eq!(hub.sections[0].title, "Credit history");
        assert!(hub.sections[0].records[0].contains(&("Amount".into(), "5".into())));
        let is = summarize(&export, "is");
        assert_eq!(is[0].title, "Aðgangur");
        assert_eq!(is[3].title, "Vellíðunarmiðstöð: Acme");
        assert!(is[0].records[0].contains(&("Starfsmaður kerfisins".into(), "Nei".into())));
    }
}
