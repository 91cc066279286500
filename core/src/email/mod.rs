//! Email. A message is rendered from the sender's theme (`themes/<t>/emails/`)
//! and written to `email_outbox` in the same transaction as the change that
//! causes it; the delivery worker sends it later, with retries.

pub mod dead;
pub mod worker;

use hearth_tenants::TenantId;
use serde::Serialize;
use sqlx::PgConnection;

use crate::themes::Theme;

/// A file sent with a message (an `.ics` invitation, for example).
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    /// The file's name.
    pub filename: String,
    /// Its MIME type.
    pub content_type: String,
    /// Its bytes, base64-encoded.
    pub content_base64: String,
}

/// A rendered message, ready for the outbox.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The template it came from, e.g. `verify_code`: for metrics and the dev mail page.
    pub kind: String,
    /// The recipient's address.
    pub to: String,
    /// The recipient's name.
    pub to_name: Option<String>,
    /// The hub it is sent on behalf of, if any.
    pub tenant_id: Option<TenantId>,
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part.
    pub html: String,
    /// Files sent with it.
    pub attachments: Vec<Attachment>,
}

/// Renders email `kind` in `language` (falling back to the template without a
/// language) with `theme`'s templates and variables.
pub fn render(
    theme: &Theme,
    kind: &str,
    language: &str,
    context: &tera::Context,
) -> Result<(String, String, String), tera::Error> {
    let mut context = context.clone();
    context.insert("theme_vars", &theme.variables);
    context.insert("lang", language);
    let pick = |part: &str| {
        let localized = format!("{kind}.{language}.{part}");
        if theme.emails.get_template_names().any(|n| n == localized) {
            localized
        } else {
            format!("{kind}.{part}")
        }
    };
    let subject = theme.emails.render(&pick("subject.txt"), &context)?;
    let text = theme.emails.render(&pick("txt"), &context)?;
    let html = theme.emails.render(&pick("html"), &context)?;
    Ok((subject.trim().replace(['\r', '\n'], " "), text, html))
}

/// Writes `message` to the outbox on `conn` (the caller's transaction) and
/// returns its id.
pub async fn enqueue(conn: &mut PgConnection, message: &Outgoing) -> sqlx::Result<i64> {
    let attachments = serde_json::to_value(&message.attachments).unwrap_or_default();
    let id = sqlx::query_scalar!(
        "INSERT INTO public.email_outbox \
           (kind, to_address, to_name, tenant_id, subject, text_body, html_body, attachments) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        &message.kind,
        &message.to,
        message.to_name.as_deref(),
        message.tenant_id as Option<TenantId>,
        &message.subject,
        &message.text,
        &message.html,
        attachments,
    )
    .fetch_one(&mut *conn)
    .await?;
    wake_workers(conn).await?;
    metrics::counter!("hearth_emails_enqueued_total", "kind" => message.kind.clone()).increment(1);
    Ok(id)
}

/// Wakes the delivery workers on every node (when the transaction on
/// `conn` commits).
async fn wake_workers(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("SELECT pg_notify('hearth_email_outbox', '')")
        .execute(conn)
        .await?;
    Ok(())
}

/// How many emails delivery gave up on (`dead`), for the operator's console.
pub async fn dead_count(conn: &mut PgConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "SELECT count(*) AS \"count!\" FROM public.email_outbox WHERE status = 'dead'"
    )
    .fetch_one(conn)
    .await
}
