//! Professionals waiting for verification, at `/operator/professionals`:
//! what each has put in their profile, **Verify** (the same rule as `hearth
//! professional verify`), and **Reject** with a reason they are emailed in
//! their own language. Below, the last professionals verified or rejected.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{render, when};
use crate::i18n::Msg;
use crate::professionals::verify::{self, Decided, RejectError, Rejected, Verified, Waiting};
use crate::web::error::AppError;
use crate::web::extract::Operator;
use crate::web::form::{notice, Done};
use crate::web::site::Site;
use crate::web::state::AppState;

/// The most waiting professionals one page lists.
const MAX_WAITING: i64 = 200;
/// How many recent decisions the page lists.
const RECENT: i64 = 20;
/// How much of a biography is shown before "Read all".
const BIO_EXCERPT_CHARS: usize = 300;

/// The `?done=` flags of the page and their notices.
const NOTICES: &[(&str, &str)] = &[
    ("verified", "operator-done-verified"),
    ("already", "operator-done-already"),
    ("rejected", "operator-done-rejected"),
];

/// A waiting professional as the page shows them.
#[derive(Debug, Serialize)]
struct WaitingView {
    #[serde(flatten)]
    professional: Waiting,
    /// The start of the biography, cut at a word.
    bio_excerpt: String,
    /// Whether the excerpt is shorter than the biography.
    bio_cut: bool,
    /// When they became a professional, for the operator.
    since: String,
}

/// A decision as the page shows it.
#[derive(Debug, Serialize)]
struct DecidedView {
    #[serde(flatten)]
    professional: Decided,
    /// When, for the operator.
    when: String,
}

/// The first `max` characters of `text`, cut at a word, and whether it was cut.
fn excerpt(text: &str, max: usize) -> (String, bool) {
    if text.chars().count() <= max {
        return (text.to_owned(), false);
    }
    let head: String = text.chars().take(max).collect();
    let cut = head
        .rfind(char::is_whitespace)
        .map_or(head.as_str(), |at| &head[..at]);
    let cut =
        cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':'));
    (format!("{cut}…"), true)
}

/// GET /operator/professionals
pub async fn page(
    State(state): State<AppState>,
    operator: Operator,
    Query(flag): Query<Done>,
) -> Result<Response, AppError> {
    let notice = notice(&flag, NOTICES, operator.viewer.language);
    show(&state, &operator, notice, &Typed::default(), StatusCode::OK).await
}

/// A refused reject form: the reason as typed and why, on its professional.
#[derive(Debug, Default)]
struct Typed {
    /// The professional's id (as the page writes it) → the reason typed.
    reasons: BTreeMap<String, String>,
    /// The professional's id → the error, in the operator's language.
    errors: BTreeMap<String, String>,
}

/// The page, with `typed` reasons and their errors (422 when there are any).
async fn show(
    state: &AppState,
    operator: &Operator,
    notice: Option<String>,
    typed: &Typed,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut conn = state.pool.acquire().await?;
    let waiting = verify::waiting(&mut conn, MAX_WAITING).await?;
    let decided = verify::recently_decided(&mut conn, RECENT).await?;
    drop(conn);
    let waiting: Vec<WaitingView> = waiting
        .into_iter()
        .map(|p| {
            let (bio_excerpt, bio_cut) = excerpt(&p.bio, BIO_EXCERPT_CHARS);
            WaitingView {
                since: when(operator, p.created_at),
                bio_excerpt,
                bio_cut,
                professional: p,
            }
        })
        .collect();
    let decided: Vec<DecidedView> = decided
        .into_iter()
        .map(|p| DecidedView {
            when: when(operator, p.at),
            professional: p,
        })
        .collect();
    render(
        state,
        operator,
        "professionals",
        "operator_professionals.html",
        status,
        |p| {
            p.with("waiting", &waiting)
                .with("decided", &decided)
                .with("notice", &notice)
                .with("reasons", &typed.reasons)
                .with("errors", &typed.errors)
                .with("max_reason", &verify::MAX_REASON_CHARS)
                .with("max_waiting", &MAX_WAITING)
        },
    )
    .await
}

/// POST /operator/professionals/{id}/verify: hubs that list them can offer
/// their sessions from now on.
pub async fn verify(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut tx = state.pool.begin().await?;
    let outcome = verify::verify_user(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    // Ids only: no platform-wide audit log exists yet (hubs have their own).
    tracing::info!(operator_id = %operator.user.id, professional_id = %id, "operator verified a professional");
    let flag = match outcome {
        Verified::Now { .. } => "verified",
        Verified::Already { .. } => "already",
    };
    Ok(crate::web::form::to(
        &Site::Platform,
        &format!("/operator/professionals?done={flag}"),
    ))
}

/// What the reject form sends.
#[derive(Debug, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

/// POST /operator/professionals/{id}/reject: they stop waiting and are
/// emailed the reason; saving their profile asks again.
pub async fn reject(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<Uuid>,
    Form(form): Form<RejectForm>,
) -> Result<Response, AppError> {
    let reason = match verify::reason(&form.reason) {
        Ok(reason) => reason,
        Err(message) => {
            let key = id.to_string();
            let typed = Typed {
                reasons: BTreeMap::from([(key.clone(), form.reason)]),
                errors: BTreeMap::from([(key, message.text(operator.viewer.language))]),
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
    let mut tx = state.pool.begin().await?;
    let rejected = match verify::reject(&mut tx, id, &reason).await {
        Ok(rejected) => rejected,
        Err(RejectError::NotFound) => return Err(AppError::NotFound),
        Err(RejectError::NotWaiting) => {
            return Err(AppError::Conflict(Msg::new("operator-error-not-waiting")))
        }
        Err(RejectError::Database(e)) => return Err(e.into()),
    };
    tell_rejected(&state, &mut tx, &rejected, &reason).await?;
    tx.commit().await?;
    tracing::info!(operator_id = %operator.user.id, professional_id = %id, "operator rejected a professional");
    Ok(crate::web::form::to(
        &Site::Platform,
        "/operator/professionals?done=rejected",
    ))
}

/// Puts the email telling `rejected` why in the outbox on `conn` (the
/// rejection's transaction), in the language they read.
async fn tell_rejected(
    state: &AppState,
    conn: &mut PgConnection,
    rejected: &Rejected,
    reason: &str,
) -> Result<(), AppError> {
    const KIND: &str = "professional_rejected";
    let language = crate::i18n::supported(&rejected.language).unwrap_or(crate::i18n::FALLBACK);
    let mut context = tera::Context::new();
    context.insert("reason", reason);
    context.insert(
        "profile_url",
        &format!("{}/pro/profile", state.config.platform_url()),
    );
    crate::accounts::mail::send(
        state,
        conn,
        &crate::web::site::Site::Platform,
        KIND,
        (&rejected.email, &rejected.name),
        language,
        context,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn a_long_biography_is_cut_at_a_word() {
        assert_eq!(excerpt("Short.", 10), ("Short.".to_owned(), false));
        assert_eq!(excerpt("One. Two three", 6), ("One…".to_owned(), true));
        assert_eq!(
            excerpt("Works with adults on anxiety", 15),
            ("Works with…".to_owned(), true)
        );
        // Characters, not bytes.
        assert_eq!(excerpt("þþþþ þþþþ", 6), ("þþþþ…".to_owned(), true));
    }
}
