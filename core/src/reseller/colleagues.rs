//! A reseller's admins at `/reseller/admins`: who they are (the reseller's
//! own staff, named), and **Invite a colleague** by email (also offered on
//! `/reseller`).
//!
//! An account with that email becomes an admin of this reseller at once and
//! is emailed a link to the console; for an email without an account, an
//! account is made for it as onboarding makes a company's first HR admin
//! ([`crate::accounts::create_invited`]: no password until the emailed link
//! sets one, valid [`INVITED_LINK_DAYS`] days) and made an admin with it.
//! Either way in one transaction with the email's place in the outbox.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use super::{link, render};
use crate::accounts::INVITED_LINK_DAYS;
use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::extract::ResellerAdmin;
use crate::web::form::{in_language, normalize_email, notice, Done, FieldErrors, FieldMsgs};
use crate::web::site::Site;
use crate::web::state::AppState;

/// The `?done=` flags of the page and their notices.
const NOTICES: &[(&str, &str)] = &[
    ("invited", "reseller-done-invited"),
    ("already-admin", "reseller-done-already-admin"),
];

/// The invitation form, as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct InviteForm {
    /// The colleague's email.
    #[serde(default)]
    email: String,
}

/// An admin of the reseller, as the console lists them.
#[derive(Debug, Serialize)]
pub struct Colleague {
    /// Their name.
    pub name: String,
    /// Whether they have set a password yet.
    pub joined: bool,
}

/// The admins of `reseller`, by name.
pub async fn admins(conn: &mut PgConnection, reseller: i64) -> sqlx::Result<Vec<Colleague>> {
    sqlx::query_as!(
        Colleague,
        r#"SELECT u.name, u.password_hash IS NOT NULL AS "joined!"
           FROM reseller_admins a JOIN users u ON u.id = a.user_id
           WHERE a.reseller_id = $1 ORDER BY u.name, u.id"#,
        reseller,
    )
    .fetch_all(conn)
    .await
}

/// The page with the list and the form, what was typed and its refusal.
async fn form_page(
    state: &AppState,
    admin: &ResellerAdmin,
    form: &InviteForm,
    errors: &FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let status = crate::web::form::status_of(errors);
    let colleagues = {
        let mut conn = state.pool.acquire().await?;
        admins(&mut conn, admin.reseller.id).await?
    };
    let action = link(admin, "/reseller/admins", &[]);
    render(
        state,
        admin,
        "admins",
        "reseller_admins.html",
        status,
        |p| {
            p.with("colleagues", &colleagues)
                .with("invite", form)
                .with("invite_errors", errors)
                .with("invite_action", &action)
                .with("notice", &notice)
        },
    )
    .await
}

/// GET /reseller/admins
pub async fn page(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let notice = notice(&done, NOTICES, admin.viewer.language);
    let form = InviteForm::default();
    form_page(&state, &admin, &form, &FieldErrors::new(), notice).await
}

/// POST /reseller/admins: the colleague is an admin of this reseller and is
/// emailed; back to the list with a notice.
pub async fn invite(
    State(state): State<AppState>,
    admin: ResellerAdmin,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let lang = admin.viewer.language;
    let email = match normalize_email(&form.email) {
        Ok(email) => email,
        Err(_) => {
            let errors = FieldMsgs::from([("email", Msg::new("reseller-error-email"))]);
            let errors = in_language(&errors, lang);
            return form_page(&state, &admin, &form, &errors, None).await;
        }
    };
    let platform = crate::accounts::mail::site_url(&state, &Site::Platform);
    let mut tx = state.pool.begin().await?;
    let existing = sqlx::query!(
        "SELECT id, email, name, language FROM users WHERE lower(email) = lower($1)",
        email,
    )
    .fetch_optional(&mut *tx)
    .await?;
    // An account is written to at the address it has, as typed when it was made.
    let (user_id, to, name, language, link_url, has_account) = match existing {
        Some(user) => (
            user.id,
            user.email,
            user.name,
            user.language,
            format!("{platform}{}", link(&admin, "/reseller", &[])),
            true,
        ),
        None => {
            // Their name is theirs to give: the address's local part until
            // they change it in My Profile.
            let name = email
                .split_once('@')
                .map_or(email.as_str(), |(local, _)| local)
                .chars()
                .take(200)
                .collect::<String>();
            let language = lang.to_owned();
            let (id, token) = crate::accounts::create_invited(&mut tx, &email, &name, &language)
                .await
                .map_err(|e| {
                    AppError::on_constraint(e, "users_email_key", Msg::new("reseller-error-email"))
                })?;
            (
                id,
                email.clone(),
                name,
                language,
                format!("{platform}/reset/{token}"),
                false,
            )
        }
    };
    if !crate::operator::resellers::add_admin(&mut tx, admin.reseller.id, user_id).await? {
        tx.rollback().await?;
        return Ok(crate::web::form::to(
            &Site::Platform,
            &link(&admin, "/reseller/admins", &[("done", "already-admin")]),
        ));
    }
    let mut context = tera::Context::new();
    context.insert("reseller_name", &admin.reseller.name);
    context.insert("inviter_name", &admin.user.name);
    context.insert("link_url", &link_url);
    context.insert("has_account", &has_account);
    context.insert("days", &INVITED_LINK_DAYS);
    crate::accounts::mail::send(
        &state,
        &mut tx,
        &Site::Platform,
        "reseller_admin_invitation",
        (&to, &name),
        &language,
        context,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %admin.user.id, reseller_id = admin.reseller.id, invited_id = %user_id, has_account, "reseller admin invited a colleague");
    Ok(crate::web::form::to(
        &Site::Platform,
        &link(&admin, "/reseller/admins", &[("done", "invited")]),
    ))
}
