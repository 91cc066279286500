//! Email. A message is rendered from the sender's theme (`themes/<t>/emails/`)
//! and written to `email_outbox` in the same transaction as the change that
//! causes it; the delivery worker sends it later, with retries.

pub mod dead;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use hearth_tenants::TenantId;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

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
/// returns its id; the delivery workers are woken when it commits.
pub async fn enqueue(conn: &mut PgConnection, message: &Outgoing) -> sqlx::Result<i64> {
    let ids = write(&mut *conn, std::slice::from_ref(message)).await?;
    wake_workers(conn).await?;
    Ok(ids.first().copied().unwrap_or_default())
}

/// Writes `messages` to the outbox on `conn` (the caller's transaction) in
/// one statement, without waking the workers: the caller rings
/// [`OutboxBell`] once the transaction has committed (the booking path, whose
/// commits must not queue behind each other's NOTIFY).
pub async fn enqueue_quietly(conn: &mut PgConnection, messages: &[Outgoing]) -> sqlx::Result<()> {
    write(conn, messages).await.map(|_| ())
}

/// Inserts `messages` into the outbox; their ids, in order.
async fn write(conn: &mut PgConnection, messages: &[Outgoing]) -> sqlx::Result<Vec<i64>> {
    if messages.is_empty() {
        return Ok(Vec::new());
    }
    let column = |f: fn(&Outgoing) -> String| messages.iter().map(f).collect::<Vec<_>>();
    let to_names: Vec<Option<String>> = messages.iter().map(|m| m.to_name.clone()).collect();
    let tenants: Vec<Option<i64>> = messages.iter().map(|m| m.tenant_id.map(|t| t.0)).collect();
    let attachments: Vec<serde_json::Value> = messages
        .iter()
        .map(|m| serde_json::to_value(&m.attachments).unwrap_or_default())
        .collect();
    let ids = sqlx::query_scalar!(
        r#"INSERT INTO public.email_outbox
             (kind, to_address, to_name, tenant_id, subject, text_body, html_body, attachments)
           SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::text[],
                                $7::text[], $8::jsonb[])
           RETURNING id"#,
        &column(|m| m.kind.clone()),
        &column(|m| m.to.clone()),
        &to_names as &[Option<String>],
        &tenants as &[Option<i64>],
        &column(|m| m.subject.clone()),
        &column(|m| m.text.clone()),
        &column(|m| m.html.clone()),
        &attachments,
    )
    .fetch_all(conn)
    .await?;
    for message in messages {
        metrics::counter!("hearth_emails_enqueued_total", "kind" => message.kind.clone())
            .increment(1);
    }
    Ok(ids)
}

/// Wakes the delivery workers on every node (run on a transaction: when it
/// commits).
pub async fn wake_workers<'e>(executor: impl sqlx::PgExecutor<'e>) -> sqlx::Result<()> {
    sqlx::query!("SELECT pg_notify('hearth_email_outbox', '')")
        .execute(executor)
        .await?;
    Ok(())
}

/// Wakes every node's delivery workers after commits that wrote to the
/// outbox quietly ([`enqueue_quietly`]): one NOTIFY, outside those
/// transactions, for all the rings of [`OutboxBell::GAP`]. A transaction
/// that NOTIFYs takes a database-wide lock at commit, so such commits (and
/// their fsyncs) go one at a time; the booking path's do not. A ring lost
/// with its node costs only latency: the workers also poll.
#[derive(Clone, Debug)]
pub struct OutboxBell(Arc<Notify>);

impl OutboxBell {
    /// At most one NOTIFY per this long.
    pub const GAP: Duration = Duration::from_millis(20);

    /// The bell, and the task that rings it on `pool`.
    pub fn spawn(pool: PgPool) -> (Self, JoinHandle<()>) {
        let rung = Arc::new(Notify::new());
        let bell = Self(Arc::clone(&rung));
        let task = tokio::spawn(async move {
            loop {
                // Rings while the last NOTIFY went out are kept as one permit.
                rung.notified().await;
                if let Err(error) = wake_workers(&pool).await {
                    tracing::warn!(%error, "waking the email workers failed; they will poll");
                }
                tokio::time::sleep(Self::GAP).await;
            }
        });
        (bell, task)
    }

    /// Asks for the workers to be woken: call once the transaction that
    /// wrote to the outbox has committed.
    pub fn ring(&self) {
        self.0.notify_one();
    }
}

/// How many emails delivery gave up on (`dead`), for the operator's console.
pub async fn dead_count(conn: &mut PgConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "SELECT count(*) AS \"count!\" FROM public.email_outbox WHERE status = 'dead'"
    )
    .fetch_one(conn)
    .await
}
