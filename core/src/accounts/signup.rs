//! Sign-up → Terms and Conditions → the emailed 6-digit code → dashboard.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use uuid::Uuid;

use super::invitations::{self, Invitation};
use super::{mail, password};
use crate::i18n::{self, Msg};
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::{ClientIp, SignedIn};
use crate::web::form::{normalize_email, FieldErrors};
use crate::web::page::Page;
use crate::web::site::{base_of, Site};
use crate::web::state::AppState;
use crate::web::{session, throttle, tokens};

/// Minutes a verification code lives.
pub const CODE_MINUTES: i32 = 10;
/// Wrong codes allowed before a new code is needed.
pub const CODE_TRIES: i32 = 5;

/// `?invitation=` on the sign-up page.
#[derive(Debug, Deserialize)]
pub struct SignupQuery {
    invitation: Option<String>,
    next: Option<String>,
}

/// Where the browser goes once the account is set up (a booking in
/// progress, for example): kept in a short-lived cookie across the terms
/// and the code.
pub const NEXT_COOKIE: &str = "hearth_next";

/// `next` if it is a local path (see [`super::safe_next`]).
fn local_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    (!next.is_empty() && next.len() <= 500 && crate::web::form::safe_next(Some(next), "") == next)
        .then(|| next.to_owned())
}

/// The sign-up form.
#[derive(Debug, Deserialize)]
pub struct SignupForm {
    name: String,
    #[serde(default)]
    email: String,
    password: String,
    #[serde(default)]
    invitation: Option<String>,
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    next: Option<String>,
}

/// GET /signup
pub async fn signup_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Query(query): Query<SignupQuery>,
) -> Result<Response, AppError> {
    if viewer.user.is_some() {
        return Ok(Redirect::to(&format!("{}/dashboard", base_of(&site))).into_response());
    }
    let invitation = match query.invitation.as_deref() {
        Some(token) => invitations::find_open(&state.pool, token).await?,
        None => None,
    };
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with(
            "form",
            &serde_json::json!({ "email": invitation.as_ref().map(|i| i.email.clone()) }),
        )
        .with("invitation", &invitation)
        .with("invitation_token", &query.invitation)
        .with("next", &local_next(query.next.as_deref()))
        .with("errors", &FieldErrors::new())
        .render(&state, "signup.html")?
        .into_response())
}

/// POST /signup
pub async fn signup(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<SignupForm>,
) -> Result<Response, AppError> {
    // The page's language: the browser's, else the hub's default.
    let language = viewer.language;
    let invitation: Option<Invitation> = match form.invitation.as_deref().filter(|t| !t.is_empty())
    {
        Some(token) => invitations::find_open(&state.pool, token).await?,
        None => None,
    };
    let mut errors = FieldErrors::new();
    let name = match crate::web::form::person_name(&form.name) {
        Ok(name) => name,
        Err(message) => {
            errors.insert("name", message.text(language));
            String::new()
        }
    };
    // An invited client's email is the one the invitation was sent to.
    let email = match &invitation {
        Some(i) => Ok(i.email.clone()),
        None => normalize_email(&form.email),
    };
    let email = match email {
        Ok(e) => e,
        Err(e) => {
            errors.insert("email", e.text(language));
            String::new()
        }
    };
    if let Err(reason) = password::check_strength(&form.password, &[&email, &name]) {
        errors.insert("password", reason.text(language));
    }
    let timezone = form
        .timezone
        .filter(|tz| tz.len() <= 64 && tz.parse::<chrono_tz_check::Tz>().is_ok())
        .unwrap_or_else(|| "UTC".into());
    if errors.is_empty() {
        let taken: bool = sqlx::query_scalar!(
            "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1)) AS \"taken!\"",
            &email,
        )
        .fetch_one(&state.pool)
        .await?;
        if taken {
            errors.insert("email", i18n::t(language, "signup-error-email-taken", None));
        }
    }
    if !errors.is_empty() {
        let page = Page::new(&state, &site, &viewer).await?;
        let form_echo = serde_json::json!({ "name": name, "email": if invitation.is_some() { email.clone() } else { form.email.clone() } });
        return Ok(page
            .with("form", &form_echo)
            .with("invitation", &invitation)
            .with("invitation_token", &form.invitation)
            .with("next", &local_next(form.next.as_deref()))
            .with("errors", &errors)
            .render(&state, "signup.html")?
            .into_response());
    }

    let hash = password::hash(form.password).await?;
    let user_id = Uuid::new_v4();
    let mut tx = state.pool.begin().await?;
    let inserted = super::create_user(
        &mut tx,
        &super::NewUser {
            id: user_id,
            email: &email,
            name: &name,
            password_hash: &hash,
            timezone: &timezone,
            language,
        },
    )
    .await;
    if let Err(sqlx::Error::Database(e)) = &inserted {
        if hearth_tenants::db::violates(e.as_ref(), "users_email_key") {
            // Lost a race with another sign-up for the same email.
            return Ok(Redirect::to(&format!("{}/login", base_of(&site))).into_response());
        }
    }
    inserted?;
    issue_code(
        &state,
        &mut tx,
        &site,
        user_id,
        &email,
        &name,
        language,
        invitation.as_ref().map(|i| i.id),
    )
    .await?;
    let cookie = session::start(&mut tx, user_id, state.config.is_https()).await?;
    tx.commit().await?;
    let jar = match local_next(form.next.as_deref()) {
        Some(next) => jar.add(
            axum_extra::extract::cookie::Cookie::build((NEXT_COOKIE, next))
                .http_only(true)
                .same_site(axum_extra::extract::cookie::SameSite::Lax)
                .secure(state.config.is_https())
                .path("/")
                .build(),
        ),
        None => jar,
    };
    Ok((
        jar.add(cookie),
        Redirect::to(&format!("{}/terms", base_of(&site))),
    )
        .into_response())
}

/// A new 6-digit code for `user_id`, replacing any older one, and its email.
#[expect(clippy::too_many_arguments, reason = "the parts of one email, named")]
pub async fn issue_code(
    state: &AppState,
    conn: &mut sqlx::PgConnection,
    site: &Site,
    user_id: Uuid,
    email: &str,
    name: &str,
    language: &str,
    invitation: Option<Uuid>,
) -> Result<(), AppError> {
    let code = tokens::new_code();
    sqlx::query!(
        "INSERT INTO email_verifications (user_id, email, code_hash, attempts, expires_at, last_sent_at, invitation_id) \
         VALUES ($1, $2, $3, 0, now() + make_interval(mins => $4), now(), $5) \
         ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, code_hash = EXCLUDED.code_hash, \
           attempts = 0, expires_at = EXCLUDED.expires_at, last_sent_at = EXCLUDED.last_sent_at, \
           invitation_id = COALESCE(EXCLUDED.invitation_id, email_verifications.invitation_id)",
        user_id,
        email,
        tokens::hash_code(user_id, &code),
        CODE_MINUTES,
        invitation,
    )
    .execute(&mut *conn)
    .await?;
    let mut context = tera::Context::new();
    context.insert("code", &code);
    context.insert("minutes", &CODE_MINUTES);
    context.insert(
        "verify_url",
        &format!("{}/verify", mail::site_url(state, site)),
    );
    mail::send(
        state,
        conn,
        site,
        "verify_code",
        (email, name),
        language,
        context,
    )
    .await
}

/// GET /terms
pub async fn terms_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &site, &viewer).await?;
    Ok(page
        .with("terms_version", &session::TERMS_VERSION)
        .render(&state, "terms.html")?
        .into_response())
}

/// POST /terms
pub async fn accept_terms(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer: _ }: SignedIn,
) -> Result<Response, AppError> {
    super::accept_terms(&mut *state.pool.acquire().await?, user.id).await?;
    let next = if user.verified { "dashboard" } else { "verify" };
    Ok(Redirect::to(&format!("{}/{next}", base_of(&site))).into_response())
}

/// The code form.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    code: String,
}

/// GET /verify
pub async fn verify_page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
) -> Result<Response, AppError> {
    if viewer.user.as_ref().is_some_and(|u| u.verified) {
        return Ok(Redirect::to(&format!("{}/dashboard", base_of(&site))).into_response());
    }
    render_verify(&state, &site, &viewer, None, None).await
}

async fn render_verify(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let page = Page::new(state, site, viewer).await?;
    Ok(page
        .with("error", &error)
        .with("notice", &notice)
        .render(state, "verify.html")?
        .into_response())
}

/// POST /verify
pub async fn verify(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let account_key = format!("code:{}", user.id);
    let ip_key = crate::web::form::ip_key(ip);
    let mut tx = state.pool.begin().await?;
    for key in [&account_key, &ip_key] {
        if let Some(wait) = throttle::wait_for(&mut tx, key).await? {
            return render_verify(
                &state,
                &site,
                &viewer,
                Some(
                    Msg::new("verify-error-wait")
                        .arg("seconds", wait.as_secs())
                        .text(viewer.language),
                ),
                None,
            )
            .await;
        }
    }
    let row: Option<(Vec<u8>, i32, bool, Option<Uuid>)> = sqlx::query!(
        "SELECT code_hash, attempts, expires_at < now() AS \"expired!\", invitation_id FROM email_verifications WHERE user_id = $1 FOR UPDATE",
        user.id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| (r.code_hash, r.attempts, r.expired, r.invitation_id));
    let code: String = form.code.chars().filter(char::is_ascii_digit).collect();
    let Some((hash, attempts, expired, invitation)) = row else {
        return render_verify(
            &state,
            &site,
            &viewer,
            Some(i18n::t(viewer.language, "verify-error-no-code", None)),
            None,
        )
        .await;
    };
    if expired {
        return render_verify(
            &state,
            &site,
            &viewer,
            Some(i18n::t(viewer.language, "verify-error-expired", None)),
            None,
        )
        .await;
    }
    if attempts >= CODE_TRIES {
        return render_verify(
            &state,
            &site,
            &viewer,
            Some(i18n::t(viewer.language, "verify-error-too-many", None)),
            None,
        )
        .await;
    }
    if code.len() != 6 || !tokens::same(&tokens::hash_code(user.id, &code), &hash) {
        sqlx::query!(
            "UPDATE email_verifications SET attempts = attempts + 1 WHERE user_id = $1",
            user.id,
        )
        .execute(&mut *tx)
        .await?;
        throttle::fail(&mut tx, &account_key, throttle::ACCOUNT).await?;
        throttle::fail(&mut tx, &ip_key, throttle::IP).await?;
        tx.commit().await?;
        let left = CODE_TRIES - attempts - 1;
        let message = if left > 0 {
            Msg::new("verify-error-wrong")
                .arg("left", left)
                .text(viewer.language)
        } else {
            i18n::t(viewer.language, "verify-error-too-many", None)
        };
        return render_verify(&state, &site, &viewer, Some(message), None).await;
    }
    super::mark_email_verified(&mut tx, user.id).await?;
    sqlx::query!(
        "DELETE FROM email_verifications WHERE user_id = $1",
        user.id
    )
    .execute(&mut *tx)
    .await?;
    throttle::clear(&mut tx, &account_key).await?;
    if let Some(invitation) = invitation {
        invitations::accept(&mut tx, invitation, user.id, &user.email).await?;
    }
    tx.commit().await?;
    let base = base_of(&site);
    if !user.terms_accepted {
        return Ok(Redirect::to(&format!("{base}/terms")).into_response());
    }
    let next = local_next(jar.get(NEXT_COOKIE).map(|c| c.value()));
    let mut removal = axum_extra::extract::cookie::Cookie::build((NEXT_COOKIE, ""))
        .path("/")
        .build();
    removal.make_removal();
    let jar = jar.add(removal);
    // "Create an account to claim your credits": on a hub, an eligible
    // person joins it now; anyone else is asked for an invite code.
    if let Site::Hub { tenant, .. } = &site {
        let claim = crate::credits::claim::join(&state, tenant, user.id, &user.email, None).await?;
        if claim == crate::credits::claim::Claim::NotEligible {
            let to = match &next {
                Some(n) => format!(
                    "{base}/claim?next={}",
                    form_urlencoded::byte_serialize(n.as_bytes()).collect::<String>()
                ),
                None => format!("{base}/claim"),
            };
            return Ok((jar, Redirect::to(&to)).into_response());
        }
    }
    let to = next.unwrap_or_else(|| format!("{base}/dashboard"));
    Ok((jar, Redirect::to(&to)).into_response())
}

/// POST /verify/resend: one a minute.
pub async fn resend(
    State(state): State<AppState>,
    site: Site,
    SignedIn { user, viewer }: SignedIn,
) -> Result<Response, AppError> {
    let mut tx = state.pool.begin().await?;
    let wait: Option<f64> = sqlx::query_scalar!(
        "SELECT extract(epoch FROM last_sent_at + interval '1 minute' - now())::float8 AS \"wait!\" \
         FROM email_verifications WHERE user_id = $1 AND last_sent_at > now() - interval '1 minute' FOR UPDATE",
        user.id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(wait) = wait {
        let secs = wait.ceil().max(1.0);
        return render_verify(
            &state,
            &site,
            &viewer,
            Some(
                Msg::new("verify-resend-wait")
                    .arg("seconds", secs as u64)
                    .text(viewer.language),
            ),
            None,
        )
        .await;
    }
    issue_code(
        &state,
        &mut tx,
        &site,
        user.id,
        &user.email,
        &user.name,
        &user.language,
        None,
    )
    .await?;
    tx.commit().await?;
    render_verify(
        &state,
        &site,
        &viewer,
        None,
        Some(
            Msg::new("verify-sent-new")
                .arg("email", user.email.clone())
                .text(viewer.language),
        ),
    )
    .await
}

mod chrono_tz_check {
    //! Timezone names are checked against the IANA list.
    pub use chrono_tz::Tz;
}
