//! The one error type of the HTTP layer.

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
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::Database(sqlx::Error::PoolTimedOut) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Template(_) | Self::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            Self::NotFound => "We could not find that page.",
            Self::Forbidden => "You do not have access to this page.",
            Self::Database(sqlx::Error::PoolTimedOut) => {
                "The service is busy. Please try again in a moment."
            }
            _ => {
                tracing::error!(error = ?self, "request failed");
                "Something went wrong on our side. Please try again."
            }
        };
        (status, Html(plain_page(status, message))).into_response()
    }
}

/// A self-contained page for errors met before a theme is at hand.
pub fn plain_page(status: StatusCode, message: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{code} · Hearth</title><link rel=\"stylesheet\" href=\"/static/default/hearth.css\"></head>\
         <body><main class=\"narrow\"><h1>{code}</h1><p>{message}</p></main></body></html>",
        code = status.as_u16(),
    )
}
