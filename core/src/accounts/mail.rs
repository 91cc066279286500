//! The account emails, rendered in the theme of the site they were asked from.

use sqlx::PgConnection;

use crate::email::{enqueue, render, Outgoing};
use crate::web::error::AppError;
use crate::web::site::Site;
use crate::web::state::AppState;

/// Renders email `kind` for `to` and puts it in the outbox on `conn`.
pub async fn send(
    state: &AppState,
    conn: &mut PgConnection,
    site: &Site,
    kind: &str,
    to: (&str, &str),
    language: &str,
    mut context: tera::Context,
) -> Result<(), AppError> {
    let (theme_id, tenant, sender) = match site {
        Site::Platform => ("default".to_owned(), None, "Hearth".to_owned()),
        Site::Hub { tenant, .. } => {
            let branding = crate::web::page::branding(state, tenant).await?;
            (branding.theme, Some(tenant.clone()), tenant.name.clone())
        }
    };
    let theme = state.themes.get(&theme_id);
    context.insert("sender_name", &sender);
    context.insert("recipient_name", to.1);
    let (subject, text, html) = render(theme, kind, language, &context)?;
    enqueue(
        conn,
        &Outgoing {
            kind: kind.to_owned(),
            to: to.0.to_owned(),
            to_name: Some(to.1.to_owned()),
            tenant_id: tenant.map(|t| t.id),
            subject,
            text,
            html,
            attachments: Vec::new(),
        },
    )
    .await?;
    Ok(())
}

/// The address pages of `site` are reached at, for links in emails.
pub fn site_url(state: &AppState, site: &Site) -> String {
    match site {
        Site::Platform => state.config.platform_url(),
        Site::Hub { tenant, base } if base.is_empty() => state.config.hub_url(&tenant.slug),
        Site::Hub { base, .. } => format!("{}{base}", state.config.platform_url()),
    }
}
