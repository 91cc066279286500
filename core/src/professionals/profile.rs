//! The professional's profile: becoming a professional (the row is created
//! unverified), then editing name, title, bio, specialties, languages,
//! country, kind, timezone and booking rules.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use hearth_tenants::changes::{announce, Change};
use serde::{Deserialize, Serialize};

use super::validate::{self, KINDS};
use super::{me, render, signed_in, status_of, to, Done, Professional};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::form::field;
use crate::web::form::FieldErrors;
use crate::web::form::{in_language, FieldMsgs};
use crate::web::site::Site;
use crate::web::state::AppState;

/// The longest biography.
pub const MAX_BIO_CHARS: usize = 4000;

/// What the profile form sends, as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ProfileForm {
    /// Full name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Biography.
    pub bio: String,
    /// Comma-separated specialties.
    pub specialties: String,
    /// Comma-separated languages.
    pub languages: String,
    /// Two-letter country code.
    pub country: String,
    /// Kind of professional.
    pub kind: String,
    /// IANA timezone.
    pub timezone: String,
    /// Buffer after sessions, minutes.
    pub buffer_minutes: String,
    /// Minimum notice, hours.
    pub min_notice_hours: String,
    /// Booking horizon, days.
    pub horizon_days: String,
}

impl ProfileForm {
    /// The form filled with `p`'s profile.
    pub(super) fn of(p: &Professional) -> Self {
        Self {
            name: p.name.clone(),
            title: p.title.clone(),
            bio: p.bio.clone(),
            specialties: p.specialties.join(", "),
            languages: p.languages.join(", "),
            country: p.country.clone(),
            kind: p.kind.clone(),
            timezone: p.timezone.clone(),
            buffer_minutes: p.buffer_minutes.to_string(),
            min_notice_hours: (p.min_notice_minutes / 60).to_string(),
            horizon_days: p.horizon_days.to_string(),
        }
    }

    /// The form for someone becoming a professional: the defaults of the
    /// `professionals` table, and their account's name and timezone.
    fn new_for(name: &str, timezone: &str) -> Self {
        Self {
            name: name.to_owned(),
            kind: "psychologist".into(),
            timezone: timezone.to_owned(),
            buffer_minutes: "10".into(),
            min_notice_hours: "12".into(),
            horizon_days: "60".into(),
            ..Self::default()
        }
    }
}

/// A checked profile, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Full name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Biography.
    pub bio: String,
    /// Specialties.
    pub specialties: Vec<String>,
    /// Languages.
    pub languages: Vec<String>,
    /// Country code.
    pub country: String,
    /// Kind.
    pub kind: String,
    /// IANA timezone name.
    pub timezone: String,
    /// Buffer minutes.
    pub buffer_minutes: i32,
    /// Minimum notice in minutes.
    pub min_notice_minutes: i32,
    /// Horizon in days.
    pub horizon_days: i32,
}

/// Checks every field of `form`; all errors at once, each on its field.
pub fn check(form: &ProfileForm) -> Result<Profile, FieldMsgs> {
    let mut errors = FieldMsgs::new();
    let name = field(
        &mut errors,
        "name",
        validate::text(&form.name, 200, "pro-error-name-missing"),
    );
    let title = field(
        &mut errors,
        "title",
        validate::text(&form.title, 120, "pro-error-title-missing"),
    );
    let bio = form.bio.trim().replace("\r\n", "\n");
    let bio = field(
        &mut errors,
        "bio",
        validate::max_chars(&bio, MAX_BIO_CHARS).map(|()| bio),
    );
    let specialties = field(
        &mut errors,
        "specialties",
        validate::tags(&form.specialties),
    );
    let languages = field(&mut errors, "languages", validate::tags(&form.languages));
    let country = field(&mut errors, "country", validate::country(&form.country));
    let kind = field(&mut errors, "kind", validate::choice(&form.kind, KINDS));
    let timezone = field(
        &mut errors,
        "timezone",
        validate::timezone(&form.timezone).map(|tz| tz.name().to_owned()),
    );
    let buffer = field(
        &mut errors,
        "buffer_minutes",
        validate::number(&form.buffer_minutes, 0, 240),
    );
    let notice = field(
        &mut errors,
        "min_notice_hours",
        validate::number(&form.min_notice_hours, 0, 720),
    );
    let horizon = field(
        &mut errors,
        "horizon_days",
        validate::number(&form.horizon_days, 1, 365),
    );
    match (
        name,
        title,
        bio,
        specialties,
        languages,
        country,
        kind,
        timezone,
        buffer,
        notice,
        horizon,
    ) {
        (
            Some(name),
            Some(title),
            Some(bio),
            Some(specialties),
            Some(languages),
            Some(country),
            Some(kind),
            Some(timezone),
            Some(buffer_minutes),
            Some(notice_hours),
            Some(horizon_days),
        ) if errors.is_empty() => Ok(Profile {
            name,
            title,
            bio,
            specialties,
            languages,
            country,
            kind,
            timezone,
            buffer_minutes,
            min_notice_minutes: notice_hours * 60,
            horizon_days,
        }),
        _ => Err(errors),
    }
}

/// GET /pro/profile: "Become a professional", or the profile to edit.
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let user = signed_in(&viewer)?;
    let professional = me(&state, &viewer).await?;
    let form = match &professional {
        Some(p) => ProfileForm::of(p),
        None => ProfileForm::new_for(&user.name, &user.timezone),
    };
    let notice = match done.done.as_deref() {
        Some("created") => Some("pro-profile-done-created"),
        Some("saved") => Some("pro-profile-done-saved"),
        Some("photo") => Some("pro-profile-done-photo"),
        Some("photo_removed") => Some("pro-profile-done-photo-removed"),
        _ => None,
    }
    .map(|id| crate::i18n::t(viewer.language, id, None));
    show(
        &state,
        &site,
        &viewer,
        professional.as_ref(),
        &form,
        &FieldErrors::new(),
        notice.as_deref(),
    )
    .await
}

/// The profile page with `form` and `errors` (422 when there are errors).
pub(super) async fn show(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    professional: Option<&Professional>,
    form: &ProfileForm,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let mut timezones = crate::web::time::timezone_names();
    if !form.timezone.is_empty() && !timezones.contains(&form.timezone.as_str()) {
        timezones.insert(0, form.timezone.as_str());
    }
    render(
        state,
        site,
        viewer,
        "profile",
        "pro_profile.html",
        status_of(errors),
        |page| {
            page.with("professional", &professional)
                .with("form", form)
                .with("errors", errors)
                .with("notice", &notice)
                .with("kinds", &KINDS)
                .with("timezones", &timezones)
                .with("max_bio", &MAX_BIO_CHARS)
        },
    )
    .await
}

/// POST /pro/profile: creates the professional row (unverified) or updates
/// it, with the user's name. Nothing is saved when a field is wrong.
pub async fn save(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Form(form): Form<ProfileForm>,
) -> Result<Response, AppError> {
    let user = signed_in(&viewer)?;
    let profile = match check(&form) {
        Ok(p) => p,
        Err(errors) => {
            let errors = in_language(&errors, viewer.language);
            let professional = me(&state, &viewer).await?;
            return show(
                &state,
                &site,
                &viewer,
                professional.as_ref(),
                &form,
                &errors,
                None,
            )
            .await;
        }
    };
    let mut tx = state.pool.begin().await?;
    let created = save_profile(&mut tx, user.id, &profile).await?;
    tx.commit().await?;
    if created {
        tracing::info!(user_id = %user.id, "professional profile created, awaiting verification");
    }
    Ok(to(
        &site,
        if created {
            "/pro/profile?done=created"
        } else {
            "/pro/profile?done=saved"
        },
    ))
}

/// Creates or updates `user_id`'s professional profile (and their name):
/// true when it was created. A new profile waits for an operator's
/// verification before hubs and clients see it; saving a rejected one asks
/// again (the rejection is cleared and it waits once more).
pub async fn save_profile(
    conn: &mut sqlx::PgConnection,
    user_id: uuid::Uuid,
    profile: &Profile,
) -> sqlx::Result<bool> {
    sqlx::query!(
        "UPDATE users SET name = $2 WHERE id = $1",
        user_id,
        &profile.name,
    )
    .execute(&mut *conn)
    .await?;
    let created = sqlx::query_scalar!(
        "INSERT INTO professionals (user_id, title, bio, specialties, languages, country, kind, \
                                    timezone, buffer_minutes, min_notice_minutes, horizon_days) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (user_id) DO UPDATE SET title = EXCLUDED.title, bio = EXCLUDED.bio, \
           specialties = EXCLUDED.specialties, languages = EXCLUDED.languages, \
           country = EXCLUDED.country, kind = EXCLUDED.kind, timezone = EXCLUDED.timezone, \
           buffer_minutes = EXCLUDED.buffer_minutes, \
           min_notice_minutes = EXCLUDED.min_notice_minutes, horizon_days = EXCLUDED.horizon_days, \
           rejected_at = NULL, rejection_reason = NULL \
         RETURNING (xmax = 0) AS \"created!\"",
        user_id,
        &profile.title,
        &profile.bio,
        &profile.specialties,
        &profile.languages,
        &profile.country,
        &profile.kind,
        &profile.timezone,
        profile.buffer_minutes,
        profile.min_notice_minutes,
        profile.horizon_days,
    )
    .fetch_one(&mut *conn)
    .await?;
    // Their name, title or specialties show on the pages of hubs that have them.
    announce(conn, Change::AllHubPages).await?;
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ProfileForm {
        ProfileForm {
            name: "Anna Jónsdóttir".into(),
            title: "Clinical psychologist".into(),
            bio: "Works with adults.\r\nIn Reykjavik.".into(),
            specialties: "Anxiety, Stress, anxiety".into(),
            languages: "is, en".into(),
            country: "is".into(),
            kind: "psychologist".into(),
            timezone: "Atlantic/Reykjavik".into(),
            buffer_minutes: "10".into(),
            min_notice_hours: "24".into(),
            horizon_days: "60".into(),
        }
    }

    #[test]
    fn a_good_profile_is_normalised() {
        let p = check(&good()).unwrap();
        assert_eq!(p.specialties, ["Anxiety", "Stress"]);
        assert_eq!(p.country, "IS");
        assert_eq!(p.min_notice_minutes, 24 * 60);
        assert_eq!(p.bio, "Works with adults.\nIn Reykjavik.");
    }

    #[test]
    fn every_bad_field_is_reported_on_its_own() {
        let form = ProfileForm {
            name: " ".into(),
            timezone: "Europe/Atlantis".into(),
            country: "XX".into(),
            kind: "wizard".into(),
            buffer_minutes: "241".into(),
            min_notice_hours: "-1".into(),
            horizon_days: "0".into(),
            bio: "x".repeat(MAX_BIO_CHARS + 1),
            ..good()
        };
        let errors = check(&form).unwrap_err();
        let fields: Vec<&str> = errors.keys().copied().collect();
        assert_eq!(
            fields,
            [
                "bio",
                "buffer_minutes",
                "country",
                "horizon_days",
                "kind",
                "min_notice_hours",
                "name",
                "timezone"
            ]
        );
    }
}
