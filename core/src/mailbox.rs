//! `/dev/mail`: the emails `hearth dev` captured instead of sending, so the
//! demo user can read a verification code. Routed only when `mail_capture` is
//! on, which production never sets.

use axum::extract::{Path, State};
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::config::Config;
use crate::web::error::AppError;
use crate::web::site::Site;
use crate::web::state::AppState;

/// Most emails listed.
const LIST_LIMIT: i64 = 200;

/// The `/dev/mail` routes when `config.mail_capture` is on; none otherwise.
pub fn routes(config: &Config) -> Router<AppState> {
    if !config.mail_capture {
        return Router::new();
    }
    Router::new()
        .route("/dev/mail", get(list))
        .route("/dev/mail/{id}", get(show))
}

#[derive(sqlx::FromRow)]
struct Captured {
    id: i64,
    kind: String,
    to_address: String,
    to_name: Option<String>,
    subject: String,
    text_body: String,
    status: String,
    created: String,
    attachment_names: Vec<String>,
}

/// `/dev/mail`: captured emails, newest first.
pub async fn list(State(state): State<AppState>, site: Site) -> Result<Response, AppError> {
    platform_only(&site)?;
    let emails: Vec<Captured> = sqlx::query_as!(
        Captured,
        "SELECT id, kind, to_address, to_name, subject, text_body, status, \
           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS \"created!\", \
           ARRAY(SELECT a->>'filename' FROM jsonb_array_elements(attachments) a) AS \"attachment_names!\" \
         FROM public.email_outbox ORDER BY id DESC LIMIT $1",
        LIST_LIMIT,
    )
    .fetch_all(&state.pool)
    .await?;
    let mut body = String::from(
        "<h1>Captured mail</h1><p>Emails are kept here instead of being sent \
         (<code>mail_capture</code> is on). Newest first.</p>",
    );
    if emails.is_empty() {
        body.push_str("<p>No mail yet.</p>");
    }
    for email in &emails {
        let to = match &email.to_name {
            Some(name) => format!("{} &lt;{}&gt;", escape(name), escape(&email.to_address)),
            None => escape(&email.to_address),
        };
        let attachments = if email.attachment_names.is_empty() {
            String::new()
        } else {
            format!(
                "<br>Attachments: {}",
                escape(&email.attachment_names.join(", "))
            )
        };
        body.push_str(&format!(
            "<article class=\"mail\" id=\"mail-{id}\"><h2>{subject}</h2>\
             <p>To: {to}<br>Time: {created}<br>Kind: {kind} · {status}{attachments}<br>\
             <a href=\"/dev/mail/{id}\">View the HTML version</a></p>\
             <pre>{text}</pre></article>",
            id = email.id,
            subject = escape(&email.subject),
            created = escape(&email.created),
            kind = escape(&email.kind),
            status = escape(&email.status),
            text = escape(&email.text_body),
        ));
    }
    Ok(Html(page("Captured mail", &body)).into_response())
}

/// `/dev/mail/{id}`: one email's HTML part, as the recipient would see it.
pub async fn show(
    State(state): State<AppState>,
    site: Site,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    platform_only(&site)?;
    let html: Option<String> = sqlx::query_scalar!(
        "SELECT html_body FROM public.email_outbox WHERE id = $1",
        id
    )
    .fetch_optional(&state.pool)
    .await?;
    let html = html.ok_or(AppError::NotFound)?;
    // A sandbox: the email's markup runs as a foreign origin, never as ours.
    Ok(([(CONTENT_SECURITY_POLICY, "sandbox")], Html(html)).into_response())
}

/// Mail of every hub is listed, so a hub's address must not show it.
fn platform_only(site: &Site) -> Result<(), AppError> {
    match site {
        Site::Platform => Ok(()),
        Site::Hub { .. } => Err(AppError::NotFound),
    }
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Hearth dev</title><link rel=\"stylesheet\" href=\"/static/default/hearth.css\">\
         <style>.mail{{border-top:1px solid #ccc;padding:1rem 0}}.mail pre{{white-space:pre-wrap}}</style>\
         </head><body><main class=\"narrow\">{body}</main></body></html>",
        title = escape(title),
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_a_captured_email_is_shown_as_text() {
        assert_eq!(
            escape("<b>\"a\" & 'b'</b>"),
            "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;"
        );
    }
}
