//! My Profile: name, date of birth, phone, home address, language and
//! timezone in one form (nothing is saved while any field is wrong), with the
//! picture, the email change and a link to the password on the same page.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::{NaiveDate, Utc};
use hearth_tenants::changes::{announce, Change};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::validate::{self, LANGUAGES};
use super::{me, to, Done};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::form::field;
use crate::web::form::FieldErrors;
use crate::web::page::Page;
use crate::web::site::Site;
use crate::web::state::AppState;

/// The longest address line.
pub const MAX_LINE: usize = 200;
/// The longest postal code.
pub const MAX_POSTAL_CODE: usize = 20;
/// The longest city or country.
pub const MAX_PLACE: usize = 100;

/// The fields of the details form: an error on any of them means nothing was saved.
const DETAIL_FIELDS: &[&str] = &[
    "name",
    "date_of_birth",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "language",
    "timezone",
];

/// The details form, as typed (and shown again when a field is wrong).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct ProfileForm {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(default)]
    pub date_of_birth: String,
    /// Phone, international format.
    #[serde(default)]
    pub phone: String,
    /// Street and number.
    #[serde(default)]
    pub address_line1: String,
    /// Apartment, floor or building.
    #[serde(default)]
    pub address_line2: String,
    /// Postal code.
    #[serde(default)]
    pub postal_code: String,
    /// City or town.
    #[serde(default)]
    pub city: String,
    /// Country.
    #[serde(default)]
    pub country: String,
    /// `en` or `is`.
    #[serde(default)]
    pub language: String,
    /// IANA timezone name.
    #[serde(default)]
    pub timezone: String,
}

/// The user's profile as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Stored {
    /// Name.
    pub name: String,
    /// Email in use.
    pub email: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Phone, E.164.
    pub phone: Option<String>,
    /// Street and number.
    pub address_line1: Option<String>,
    /// Apartment, floor or building.
    pub address_line2: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// City or town.
    pub city: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// `en` or `is`.
    pub language: String,
    /// IANA timezone name.
    pub timezone: String,
    /// Whether there is a picture.
    pub has_photo: bool,
    /// The address an email change waits to be confirmed for.
    pub pending_email: Option<String>,
}

/// The stored profile of `user_id`.
pub async fn load(pool: &PgPool, user_id: Uuid) -> Result<Stored, AppError> {
    sqlx::query_as!(
        Stored,
        "SELECT u.name, u.email, u.date_of_birth, u.phone, u.address_line1, u.address_line2, \
                u.postal_code, u.city, u.country, u.language, u.timezone, \
                u.photo IS NOT NULL AS \"has_photo!\", \
                (SELECT e.new_email FROM email_changes e WHERE e.user_id = u.id) AS \"pending_email?\" \
         FROM users u WHERE u.id = $1",
        user_id,
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

impl ProfileForm {
    /// The form filled with what is stored.
    pub fn of(s: &Stored) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            name: s.name.clone(),
            date_of_birth: s
                .date_of_birth
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            phone: text(&s.phone),
            address_line1: text(&s.address_line1),
            address_line2: text(&s.address_line2),
            postal_code: text(&s.postal_code),
            city: text(&s.city),
            country: text(&s.country),
            language: s.language.clone(),
            timezone: s.timezone.clone(),
        }
    }
}

/// GET /account/profile
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    show(
        &state,
        &site,
        &viewer,
        None,
        &FieldErrors::new(),
        "",
        done.done.as_deref(),
    )
    .await
}

/// The profile page: `form` as typed (or what is stored), `errors` next to
/// their fields (422 when there are any), `new_email` in the email form, and
/// the notice of what was just done.
pub(super) async fn show(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    form: Option<&ProfileForm>,
    errors: &FieldErrors,
    new_email: &str,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let user = me(viewer)?;
    let stored = load(&state.pool, user.id).await?;
    let form = form.cloned().unwrap_or_else(|| ProfileForm::of(&stored));
    let lang = viewer.language;
    let mut timezones: Vec<String> = crate::web::time::timezone_names()
        .into_iter()
        .map(str::to_owned)
        .collect();
    if !form.timezone.is_empty() && !timezones.contains(&form.timezone) {
        timezones.insert(0, form.timezone.clone());
    }
    let notice = done
        .and_then(notice)
        .map(|id| crate::i18n::t(lang, id, None));
    let details_invalid = errors.keys().any(|k| DETAIL_FIELDS.contains(k));
    let status = crate::web::form::status_of(errors);
    let initial: String = stored.name.chars().take(1).collect();
    let page = Page::new(state, site, viewer)
        .await?
        .with("section", &"profile")
        .with("form", &form)
        .with("errors", errors)
        .with("details_invalid", &details_invalid)
        .with("email", &stored.email)
        .with("pending_email", &stored.pending_email)
        .with("new_email", &new_email)
        .with("has_photo", &stored.has_photo)
        .with("initial", &initial)
        .with("timezones", &timezones)
        .with("languages", &LANGUAGES)
        .with("notice", &notice);
    Ok((status, page.render(state, "profile.html")?).into_response())
}

/// The notice of `?done=<what>`, if it is one of ours.
fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "saved" => "profile-done-saved",
        "photo" => "profile-done-photo",
        "photo_removed" => "profile-done-photo-removed",
        "email_sent" => "profile-done-email-sent",
        "email_changed" => "profile-done-email-changed",
        "email_cancelled" => "profile-done-email-cancelled",
        _ => return None,
    })
}

/// POST /account/profile: every field is checked; nothing is saved when
/// any is wrong.
pub async fn save(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Form(form): Form<ProfileForm>,
) -> Result<Response, AppError> {
    let user = me(&viewer)?;
    let lang = viewer.language;
    let tz: chrono_tz::Tz = user.timezone.parse().unwrap_or(chrono_tz::UTC);
    let today = Utc::now().with_timezone(&tz).date_naive();
    let mut errors = crate::web::form::FieldMsgs::new();
    let e = &mut errors;
    let name = field(e, "name", crate::web::form::person_name(&form.name));
    let date_of_birth = field(
        e,
        "date_of_birth",
        validate::date_of_birth(&form.date_of_birth, today),
    );
    let phone = field(e, "phone", validate::phone(&form.phone));
    let line1 = field(
        e,
        "address_line1",
        validate::optional_text(&form.address_line1, MAX_LINE),
    );
    let line2 = field(
        e,
        "address_line2",
        validate::optional_text(&form.address_line2, MAX_LINE),
    );
    let postal_code = field(
        e,
        "postal_code",
        validate::optional_text(&form.postal_code, MAX_POSTAL_CODE),
    );
    let city = field(e, "city", validate::optional_text(&form.city, MAX_PLACE));
    let country = field(
        e,
        "country",
        validate::optional_text(&form.country, MAX_PLACE),
    );
    let language = field(e, "language", validate::language(&form.language));
    let timezone = field(e, "timezone", validate::timezone(&form.timezone));
    if !errors.is_empty() {
        let errors: FieldErrors = errors.into_iter().map(|(k, m)| (k, m.text(lang))).collect();
        return show(&state, &site, &viewer, Some(&form), &errors, "", None).await;
    }
    let mut tx = state.pool.begin().await?;
    // A professional's new name shows on the pages of the hubs that have them.
    let pro_renamed = sqlx::query_scalar!(
        r#"UPDATE users u SET name = $2, date_of_birth = $3, phone = $4, address_line1 = $5,
               address_line2 = $6, postal_code = $7, city = $8, country = $9, language = $10,
               timezone = $11
           FROM (SELECT name FROM users WHERE id = $1 FOR UPDATE) was
           WHERE u.id = $1
           RETURNING (was.name IS DISTINCT FROM u.name
                      AND EXISTS (SELECT 1 FROM professionals p WHERE p.user_id = u.id))
                     AS "pro_renamed!""#,
        user.id,
        name.unwrap_or_default(),
        date_of_birth.flatten(),
        phone.flatten(),
        line1.flatten(),
        line2.flatten(),
        postal_code.flatten(),
        city.flatten(),
        country.flatten(),
        language.unwrap_or_default(),
        timezone.unwrap_or_default(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    if pro_renamed == Some(true) {
        announce(&mut tx, Change::AllHubPages).await?;
    }
    tx.commit().await?;
    Ok(to(&site, "/account/profile?done=saved"))
}
