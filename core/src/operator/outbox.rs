//! The emails delivery gave up on, at `/operator/outbox`: when, which
//! template, the recipient's address masked (operators look for a problem,
//! they do not read mail), the attempts and the last error; **Retry** one or
//! **Retry all**, and what still waits to be sent.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::{page_offset, render, when, Pager, PAGE_SIZE};
use crate::email::dead::{self, Dead, Retried};
use crate::web::error::AppError;
use crate::web::extract::Operator;
use crate::web::form::{notice, Done};
use crate::web::site::Site;
use crate::web::state::AppState;

/// The `?done=` flags of the page and their notices.
const NOTICES: &[(&str, &str)] = &[
    ("retried", "operator-outbox-done-retried"),
    ("retried-all", "operator-outbox-done-retried-all"),
    ("not-dead", "operator-outbox-done-not-dead"),
];

/// What the page is asked for.
#[derive(Debug, Default, Deserialize)]
pub struct OutboxQuery {
    /// The page, from 1.
    page: Option<String>,
    /// What was just done.
    done: Option<String>,
}

/// A dead email as the page shows it: nothing of the recipient's address
/// but its first character and its domain.
#[derive(Debug, Serialize)]
struct DeadView {
    id: i64,
    kind: String,
    to: String,
    when: String,
    attempts: i32,
    last_error: Option<String>,
}

/// `address` with its local part hidden but for the first character:
/// `ada@example.com` → `a***@example.com`.
fn mask(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// `error` with every mention of `address` (in any case) masked: an SMTP
/// server's reply may quote the recipient.
fn redact(error: &str, address: &str) -> String {
    if address.is_empty() {
        return error.to_owned();
    }
    // ASCII case folding keeps every byte offset, so a match in the folded
    // text is a match at the same place in the original.
    let folded = error.to_ascii_lowercase();
    let needle = address.to_ascii_lowercase();
    let masked = mask(address);
    let mut out = String::with_capacity(error.len());
    let mut from = 0;
    while let Some(at) = folded[from..].find(&needle) {
        out.push_str(&error[from..from + at]);
        out.push_str(&masked);
        from += at + needle.len();
    }
    out.push_str(&error[from..]);
    out
}

impl DeadView {
    fn new(operator: &Operator, email: Dead) -> Self {
        Self {
            id: email.id,
            to: mask(&email.to_address),
            when: when(operator, email.created_at),
            attempts: email.attempts,
            last_error: email.last_error.map(|e| redact(&e, &email.to_address)),
            kind: email.kind,
        }
    }
}

/// GET /operator/outbox
pub async fn page(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<OutboxQuery>,
) -> Result<Response, AppError> {
    let (page, offset) = page_offset(query.page.as_deref())?;
    let flag = Done {
        done: query.done.clone(),
    };
    let notice = notice(&flag, NOTICES, operator.viewer.language);
    let mut conn = state.pool.acquire().await?;
    let counts = dead::counts(&mut conn).await?;
    let emails = dead::list(&mut conn, PAGE_SIZE, offset).await?;
    drop(conn);
    let emails: Vec<DeadView> = emails
        .into_iter()
        .map(|e| DeadView::new(&operator, e))
        .collect();
    let pager = Pager::new("/operator/outbox", &[], page, counts.dead);
    render(
        &state,
        &operator,
        "outbox",
        "operator_outbox.html",
        StatusCode::OK,
        |p| {
            p.with("counts", &counts)
                .with("emails", &emails)
                .with("notice", &notice)
                .with("pager", &pager)
        },
    )
    .await
}

/// POST /operator/outbox/{id}/retry: back in the queue, due now; the
/// delivery workers are woken.
pub async fn retry(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let mut tx = state.pool.begin().await?;
    let outcome = dead::retry(&mut tx, id).await?;
    tx.commit().await?;
    let flag = match outcome {
        Retried::Queued => "retried",
        Retried::NotDead => "not-dead",
        Retried::NotFound => return Err(AppError::NotFound),
    };
    if outcome == Retried::Queued {
        tracing::info!(operator_id = %operator.user.id, outbox_id = id, "operator retried a dead email");
    }
    Ok(crate::web::form::to(
        &Site::Platform,
        &format!("/operator/outbox?done={flag}"),
    ))
}

/// POST /operator/outbox/retry-all: every dead email back in the queue.
pub async fn retry_all(
    State(state): State<AppState>,
    operator: Operator,
) -> Result<Response, AppError> {
    let mut tx = state.pool.begin().await?;
    let count = dead::retry_all(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(operator_id = %operator.user.id, count, "operator retried every dead email");
    Ok(crate::web::form::to(
        &Site::Platform,
        "/operator/outbox?done=retried-all",
    ))
}

#[cfg(test)]
mod tests {
    use super::{mask, redact};

    #[test]
    fn an_address_keeps_its_first_character_and_its_domain() {
        assert_eq!(mask("ada@example.com"), "a***@example.com");
        assert_eq!(mask("a@example.com"), "a***@example.com");
        assert_eq!(mask("þóra@dæmi.is"), "þ***@dæmi.is");
        assert_eq!(mask("\"a@b\"@example.com"), "\"***@example.com");
        assert_eq!(mask("nothing"), "***");
    }

    #[test]
    fn the_address_is_masked_wherever_an_error_quotes_it() {
        assert_eq!(
            redact(
                "550 5.1.1 <Ada@Example.com>: unknown; ada@example.com",
                "ada@example.com"
            ),
            "550 5.1.1 <a***@example.com>: unknown; a***@example.com"
        );
        assert_eq!(
            redact("connection refused", "ada@example.com"),
            "connection refused"
        );
        assert_eq!(
            redact("þ ada@example.com þ", "ADA@example.com"),
            "þ A***@example.com þ"
        );
    }
}
