//! The one error type of the web layer, and its pages: every error response
//! carries its message ([`ErrorPage`]), which the [`themed`] layer renders in
//! the hub's theme and the visitor's language.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// What a handler can fail with. Expected failures are shown plainly;
/// infrastructure failures are logged once here and answered with a generic page.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or record.
    #[error("not found")]
    NotFound,
    /// The user may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The input was refused; the messages say why, each on its field.
    #[error("invalid input")]
    Validation(crate::web::form::FieldMsgs),
    /// The request is well formed but clashes with what is there (a time
    /// taken meanwhile, a state that moved on); the message says what.
    #[error("conflict")]
    Conflict(crate::i18n::Msg),
    /// Refused by a rule of the hub or the platform (not a member, no
    /// credits left, a plugin's refusal); the message says which.
    #[error("refused")]
    Refused(crate::i18n::Msg),
    /// Too many attempts in a short time; the message says when to try again.
    #[error("too many requests")]
    TooMany(crate::i18n::Msg),
    /// A service this needs is down or overloaded; try again later.
    #[error("unavailable")]
    Unavailable,
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A template failed to render.
    #[error("template: {0}")]
    Template(#[from] tera::Error),
    /// Anything else that should not happen.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Refused(_) => StatusCode::FORBIDDEN,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(e) if is_transient(e) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Template(_) | Self::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl AppError {
    /// Whether the person should simply try again: a service is down or
    /// overloaded, or the database is away or slow ([`is_transient`]).
    fn is_busy(&self) -> bool {
        match self {
            Self::Unavailable => true,
            Self::Database(e) => is_transient(e),
            _ => false,
        }
    }

    /// What the page says.
    fn message(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            Self::NotFound => Msg::new("error-not-found"),
            Self::Forbidden => Msg::new("error-forbidden"),
            Self::Validation(fields) => fields
                .values()
                .next()
                .cloned()
                .unwrap_or_else(|| Msg::new("error-validation")),
            Self::Conflict(msg) | Self::Refused(msg) | Self::TooMany(msg) => msg.clone(),
            _ if self.is_busy() => Msg::new("error-busy"),
            _ => Msg::new("error-internal"),
        }
    }

    /// The database error `e` as the person should hear of it: a unique or
    /// exclusion violation of `constraint` is a conflict saying `msg`;
    /// anything else stays a database error (a 500, logged).
    pub fn on_constraint(e: sqlx::Error, constraint: &str, msg: crate::i18n::Msg) -> Self {
        match &e {
            sqlx::Error::Database(db) if hearth_tenants::db::violates(db.as_ref(), constraint) => {
                Self::Conflict(msg)
            }
            _ => Self::Database(e),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            _ if self.is_busy() => {
                tracing::warn!(error = %self, "request refused: busy");
            }
            Self::Database(_) | Self::Template(_) | Self::Internal(_) => {
                tracing::error!(error = ?self, "request failed");
            }
            _ => {}
        }
        error_response(self.status(), self.message())
    }
}

/// Whether database error `e` is the database being away or slow rather
/// than a fault of the request: no connection within the pool's acquire
/// timeout, the server unreachable, restarting or shutting down (a
/// connection exception, SQLSTATE class 08; 57P01–57P03), too many
/// connections (53300), or a lock or statement timeout (55P03, 57014). The
/// person is asked to try again (503) instead of being shown a failure.
fn is_transient(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08")
                || matches!(
                    code.as_ref(),
                    "57P01" | "57P02" | "57P03" | "53300" | "55P03" | "57014"
                )
        }),
        _ => false,
    }
}

/// What an error response says, by catalogue id. Kept on the response so the
/// [`themed`] layer can show it in the hub's theme and the visitor's language.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// The message.
    pub message: crate::i18n::Msg,
}

/// The language an inner layer settled on for this response (the viewer's).
#[derive(Debug, Clone, Copy)]
pub struct ResponseLanguage(pub &'static str);

/// An error page with `status` saying catalogue message `message`: plain and
/// in English until the [`themed`] layer dresses it.
pub fn error_response(status: StatusCode, message: impl Into<crate::i18n::Msg>) -> Response {
    let message = message.into();
    let text = message.text(crate::i18n::FALLBACK);
    let mut response = (
        status,
        Html(plain_page(status, crate::i18n::FALLBACK, &text)),
    )
        .into_response();
    response.extensions_mut().insert(ErrorPage { message });
    response
}

/// A self-contained page for errors met before a theme is at hand, in `lang`;
/// `message` is HTML-escaped.
pub fn plain_page(status: StatusCode, lang: &str, message: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{code} · Hearth</title><link rel=\"stylesheet\" href=\"/static/default/hearth.css\"></head>\
         <body><main class=\"narrow\"><h1>{code}</h1><p>{message}</p></main></body></html>",
        code = status.as_u16(),
        message = escape(message),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Longest a 503 page waits for the hub's look and language before the
/// plain page is sent instead.
const BUSY_PAGE_WAIT: std::time::Duration = std::time::Duration::from_millis(300);

/// Layer (outside hub resolution): re-renders error pages ([`ErrorPage`]) in
/// the theme of the site they happened on (the hub's, with its name and
/// colours; see [`crate::web::site::resolve`]) and in the visitor's
/// language: the one the authorization layer negotiated, else the browser's,
/// else the hub's default. The status and headers stay; if the themed page
/// cannot be made, the plain page stands.
pub async fn themed(
    axum::extract::State(state): axum::extract::State<crate::web::state::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // Kept (a reference-counted copy) and read only for an error page.
    let accept = req
        .headers()
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .cloned();
    let response = next.run(req).await;
    let Some(error) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let browser = accept
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .and_then(crate::i18n::preferred);
    let site = response
        .extensions()
        .get::<crate::web::site::Site>()
        .cloned()
        .unwrap_or(crate::web::site::Site::Platform);
    let status = response.status();
    let known = response.extensions().get::<ResponseLanguage>().copied();
    let dress = async {
        let lang = match (known, browser) {
            (Some(ResponseLanguage(lang)), _) | (None, Some(lang)) => lang,
            (None, None) => crate::web::lang::site_default(&state, &site).await,
        };
        let viewer = crate::web::authz::Viewer::anonymous(lang);
        crate::web::page::Page::new(&state, &site, &viewer)
            .await
            .map(|page| (lang, page))
    };
    // A busy answer (the database away or slow) is not kept waiting again for
    // the hub's look: past a short wait, the plain page stands.
    let dressed = if status == StatusCode::SERVICE_UNAVAILABLE {
        tokio::time::timeout(BUSY_PAGE_WAIT, dress)
            .await
            .unwrap_or_else(|_| Err(AppError::Unavailable))
    } else {
        dress.await
    };
    let Ok((lang, page)) = dressed else {
        return response;
    };
    let html = page
        .with("status", &status.as_u16())
        .with("message", &error.message.text(lang))
        .render(&state, "error.html");
    match html {
        Ok(Html(html)) => {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            Response::from_parts(parts, axum::body::Body::from(html))
        }
        Err(error) => {
            tracing::error!(error = ?error, "the themed error page failed to render");
            response
        }
    }
}
