//! Resellers, the partners who onboard companies, at `/operator/resellers`:
//! every reseller with its hubs and admins; a new one made from its slug and
//! name; an admin added by the email of an existing account (who then has
//! the reseller console). The same functions serve `hearth reseller` and
//! `hearth admin grant --reseller`.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use hearth_tenants::{Slug, SlugError};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::render;
use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::extract::Operator;
use crate::web::form::{in_language, normalize_email, notice, Done, FieldErrors, FieldMsgs};
use crate::web::site::Site;
use crate::web::state::AppState;

/// The longest reseller name, in characters (as the table's check says).
pub const MAX_NAME_CHARS: usize = 200;

/// Why a reseller was not made.
#[derive(Debug, thiserror::Error)]
pub enum ResellerError {
    /// The slug is malformed or reserved.
    #[error("slug: {0}")]
    Slug(#[from] SlugError),
    /// The name is empty or too long.
    #[error("name must be 1 to 200 characters")]
    Name,
    /// Another reseller has the slug.
    #[error("a reseller named '{0}' already exists")]
    Taken(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// `name` trimmed, if it can name a reseller.
fn reseller_name(name: &str) -> Result<&str, ResellerError> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ResellerError::Name);
    }
    Ok(name)
}

/// Creates a reseller and returns its id.
pub async fn create_reseller(
    conn: &mut PgConnection,
    slug: &str,
    name: &str,
) -> Result<i64, ResellerError> {
    let slug = Slug::parse(slug.trim())?;
    let name = reseller_name(name)?;
    sqlx::query_scalar!(
        "INSERT INTO resellers (slug, name) VALUES ($1, $2) RETURNING id",
        slug.as_str(),
        name,
    )
    .fetch_one(conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d)
            if hearth_tenants::db::violates(d.as_ref(), "resellers_slug_key") =>
        {
            ResellerError::Taken(slug.to_string())
        }
        _ => ResellerError::Database(e),
    })
}

/// A reseller as listed.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ResellerRow {
    /// Its id.
    pub id: i64,
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// How many hubs it has onboarded.
    pub hubs: i64,
    /// How many admins it has.
    pub admins: i64,
}

/// Every reseller, by slug, with its numbers of hubs and admins.
pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<ResellerRow>> {
    sqlx::query_as!(
        ResellerRow,
        "SELECT r.id, r.slug, r.name, \
           (SELECT count(*) FROM tenants t WHERE t.reseller_id = r.id) AS \"hubs!\", \
           (SELECT count(*) FROM reseller_admins a WHERE a.reseller_id = r.id) AS \"admins!\" \
         FROM resellers r ORDER BY r.slug",
    )
    .fetch_all(conn)
    .await
}

/// The id of the reseller with this slug, if any.
pub async fn find(conn: &mut PgConnection, slug: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("SELECT id FROM resellers WHERE slug = $1", slug)
        .fetch_optional(conn)
        .await
}

/// Makes `user_id` an admin of reseller `reseller_id`; `false` when they
/// were one already.
pub async fn add_admin(
    conn: &mut PgConnection,
    reseller_id: i64,
    user_id: Uuid,
) -> sqlx::Result<bool> {
    let added = sqlx::query!(
        "INSERT INTO reseller_admins (reseller_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        reseller_id,
        user_id,
    )
    .execute(conn)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// The `?done=` flags of the page and their notices.
const NOTICES: &[(&str, &str)] = &[
    ("created", "operator-resellers-done-created"),
    ("admin", "operator-resellers-done-admin"),
    ("already", "operator-resellers-done-already"),
];

/// What the new-reseller form sends.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
}

/// What the add-admin form sends.
#[derive(Debug, Deserialize)]
pub struct AdminForm {
    #[serde(default)]
    email: String,
}

/// Refused forms: what was typed and why, on their fields.
#[derive(Debug, Default)]
struct Typed {
    /// The new-reseller form as typed.
    new: NewForm,
    /// Its errors, by field.
    new_errors: FieldErrors,
    /// A reseller's slug → the email typed in its add-admin form.
    emails: BTreeMap<String, String>,
    /// A reseller's slug → why that email was refused.
    email_errors: BTreeMap<String, String>,
}

/// GET /operator/resellers
pub async fn page(
    State(state): State<AppState>,
    operator: Operator,
    Query(flag): Query<Done>,
) -> Result<Response, AppError> {
    let notice = notice(&flag, NOTICES, operator.viewer.language);
    show(&state, &operator, notice, &Typed::default(), StatusCode::OK).await
}

/// The page with `typed` forms (422 when they hold errors).
async fn show(
    state: &AppState,
    operator: &Operator,
    notice: Option<String>,
    typed: &Typed,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut conn = state.pool.acquire().await?;
    let resellers = list(&mut conn).await?;
    drop(conn);
    render(
        state,
        operator,
        "resellers",
        "operator_resellers.html",
        status,
        |p| {
            p.with("resellers", &resellers)
                .with("notice", &notice)
                .with("form", &typed.new)
                .with("errors", &typed.new_errors)
                .with("emails", &typed.emails)
                .with("email_errors", &typed.email_errors)
                .with("max_name", &MAX_NAME_CHARS)
        },
    )
    .await
}

/// The message saying why `slug` is not a reseller's slug.
fn slug_message(error: &SlugError) -> Msg {
    match error {
        SlugError::Length => Msg::new("operator-resellers-error-slug-length"),
        SlugError::Characters => Msg::new("operator-resellers-error-slug-characters"),
        SlugError::Hyphen => Msg::new("operator-resellers-error-slug-hyphen"),
        SlugError::Reserved(_) => Msg::new("operator-resellers-error-slug-reserved"),
    }
}

/// POST /operator/resellers: a new reseller, with no admins yet.
pub async fn create(
    State(state): State<AppState>,
    operator: Operator,
    Form(form): Form<NewForm>,
) -> Result<Response, AppError> {
    // Both fields are checked before asking the database, so that every
    // mistake is shown at once.
    let mut errors = FieldMsgs::new();
    if let Err(e) = Slug::parse(form.slug.trim()) {
        errors.insert("slug", slug_message(&e));
    }
    if reseller_name(&form.name).is_err() {
        errors.insert(
            "name",
            Msg::new("operator-resellers-error-name").arg("max", MAX_NAME_CHARS as i64),
        );
    }
    if errors.is_empty() {
        let mut conn = state.pool.acquire().await?;
        match create_reseller(&mut conn, &form.slug, &form.name).await {
            Ok(id) => {
                tracing::info!(operator_id = %operator.user.id, reseller_id = id, "operator created a reseller");
                return Ok(crate::web::form::to(
                    &Site::Platform,
                    "/operator/resellers?done=created",
                ));
            }
            Err(ResellerError::Taken(_)) => {
                errors.insert("slug", Msg::new("operator-resellers-error-slug-taken"));
            }
            Err(ResellerError::Slug(e)) => {
                errors.insert("slug", slug_message(&e));
            }
            Err(ResellerError::Name) => {
                errors.insert(
                    "name",
                    Msg::new("operator-resellers-error-name").arg("max", MAX_NAME_CHARS as i64),
                );
            }
            Err(ResellerError::Database(e)) => return Err(e.into()),
        }
    }
    let typed = Typed {
        new_errors: in_language(&errors, operator.viewer.language),
        new: form,
        ..Typed::default()
    };
    show(
        &state,
        &operator,
        None,
        &typed,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// POST /operator/resellers/{slug}/admins: the account with the email typed
/// becomes an admin of the reseller, and has its console from their next page.
pub async fn add(
    State(state): State<AppState>,
    operator: Operator,
    Path(slug): Path<String>,
    Form(form): Form<AdminForm>,
) -> Result<Response, AppError> {
    if Slug::parse(&slug).is_err() {
        return Err(AppError::NotFound);
    }
    let mut conn = state.pool.acquire().await?;
    let reseller = find(&mut conn, &slug).await?.ok_or(AppError::NotFound)?;
    let account = match normalize_email(&form.email) {
        Ok(email) => {
            sqlx::query_scalar!("SELECT id FROM users WHERE lower(email) = lower($1)", email)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| Msg::new("operator-resellers-error-no-account"))
        }
        Err(_) => Err(Msg::new("operator-resellers-error-email")),
    };
    let user = match account {
        Ok(user) => user,
        Err(message) => {
            drop(conn);
            let typed = Typed {
                email_errors: BTreeMap::from([(
                    slug.clone(),
                    message.text(operator.viewer.language),
                )]),
                emails: BTreeMap::from([(slug, form.email)]),
                ..Typed::default()
            };
            return show(
                &state,
                &operator,
                None,
                &typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let flag = if add_admin(&mut conn, reseller, user).await? {
        tracing::info!(operator_id = %operator.user.id, reseller_id = reseller, user_id = %user, "operator added a reseller admin");
        "admin"
    } else {
        "already"
    };
    Ok(crate::web::form::to(
        &Site::Platform,
        &format!("/operator/resellers?done={flag}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::reseller_name;

    #[test]
    fn a_reseller_name_is_trimmed_and_one_to_two_hundred_characters() {
        assert_eq!(reseller_name("  North  ").ok(), Some("North"));
        assert!(reseller_name("   ").is_err());
        assert!(reseller_name(&"þ".repeat(200)).is_ok());
        assert!(reseller_name(&"þ".repeat(201)).is_err());
        assert!(reseller_name("a\nb").is_err());
    }
}
