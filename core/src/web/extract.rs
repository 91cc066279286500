//! Extractors that say in a handler's signature who may call it. The
//! authorization layer has already decided from the policies (casbin) that
//! the route is allowed for the viewer's roles; these make the handler's
//! assumptions explicit and typed, and refuse when they do not hold (belt and
//! braces: a wrong policy row must not open a handler to the wrong people).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use hearth_tenants::{Tenant, TenantTx};

use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::session::SessionUser;
use crate::web::site::{CurrentHub, Site};
use crate::web::state::AppState;

/// The signed-in (and onboarded) user, with the rest of the viewer.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The user.
    pub user: SessionUser,
    /// Who is asking (roles, language, CSRF token).
    pub viewer: Viewer,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        let user = viewer.user.clone().ok_or(AppError::Forbidden)?;
        Ok(Self { user, viewer })
    }
}

/// A member of the current hub (an employee or one of its HR admins).
#[derive(Debug, Clone)]
pub struct HubMember {
    /// The user.
    pub user: SessionUser,
    /// The hub.
    pub hub: CurrentHub,
    /// Who is asking.
    pub viewer: Viewer,
}

impl<S: Send + Sync> FromRequestParts<S> for HubMember {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let SignedIn { user, viewer } = SignedIn::from_request_parts(parts, state).await?;
        let hub = CurrentHub::from_request_parts(parts, state).await?;
        if !matches!(user.hub_role.as_deref(), Some("employee" | "hr_admin")) {
            return Err(AppError::Forbidden);
        }
        Ok(Self { user, hub, viewer })
    }
}

/// An HR admin of the current hub.
#[derive(Debug, Clone)]
pub struct HrAdmin {
    /// The user.
    pub user: SessionUser,
    /// The hub they administer.
    pub hub: CurrentHub,
    /// Who is asking.
    pub viewer: Viewer,
}

impl<S: Send + Sync> FromRequestParts<S> for HrAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let SignedIn { user, viewer } = SignedIn::from_request_parts(parts, state).await?;
        let hub = CurrentHub::from_request_parts(parts, state).await?;
        if user.hub_role.as_deref() != Some("hr_admin") || !viewer.roles.contains(&"hr_admin") {
            return Err(AppError::Forbidden);
        }
        Ok(Self { user, hub, viewer })
    }
}

/// A verified professional.
#[derive(Debug, Clone)]
pub struct Professional {
    /// The user.
    pub user: SessionUser,
    /// Who is asking.
    pub viewer: Viewer,
}

impl<S: Send + Sync> FromRequestParts<S> for Professional {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let SignedIn { user, viewer } = SignedIn::from_request_parts(parts, state).await?;
        if !user.is_professional {
            return Err(AppError::Forbidden);
        }
        Ok(Self { user, viewer })
    }
}

/// An operator (platform staff), on the platform's own site: their console
/// is no hub's page, so inside a hub it is a 404 whoever asks.
#[derive(Debug, Clone)]
pub struct Operator {
    /// The user.
    pub user: SessionUser,
    /// Who is asking.
    pub viewer: Viewer,
}

impl<S: Send + Sync> FromRequestParts<S> for Operator {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        if !matches!(parts.extensions.get::<Site>(), Some(Site::Platform)) {
            return Err(AppError::NotFound);
        }
        let SignedIn { user, viewer } = SignedIn::from_request_parts(parts, state).await?;
        if !user.is_operator || !viewer.roles.contains(&"operator") {
            return Err(AppError::Forbidden);
        }
        Ok(Self { user, viewer })
    }
}

/// A reseller as its console shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reseller {
    /// Its id.
    pub id: i64,
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
}

/// An admin of a reseller, on the platform's own site, with the reseller the
/// request is about: the one named by `?r=<slug>` among those they admin,
/// else the first by name. Inside a hub it is a 404 whoever asks; a user who
/// admins no reseller (or not the one named) is refused.
#[derive(Debug, Clone)]
pub struct ResellerAdmin {
    /// The user.
    pub user: SessionUser,
    /// The reseller this request acts for (never another one).
    pub reseller: Reseller,
    /// Every reseller they admin (more than one: the console offers a choice).
    pub resellers: Vec<Reseller>,
    /// Who is asking.
    pub viewer: Viewer,
}

impl FromRequestParts<AppState> for ResellerAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if !matches!(parts.extensions.get::<Site>(), Some(Site::Platform)) {
            return Err(AppError::NotFound);
        }
        let SignedIn { user, viewer } = SignedIn::from_request_parts(parts, state).await?;
        if !user.is_reseller_admin || !viewer.roles.contains(&"reseller_admin") {
            return Err(AppError::Forbidden);
        }
        let asked = parts.uri.query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "r")
                .map(|(_, v)| v.into_owned())
        });
        let mut conn = state.pool.acquire().await?;
        let resellers = sqlx::query_as!(
            Reseller,
            "SELECT r.id, r.slug, r.name FROM resellers r \
             JOIN reseller_admins a ON a.reseller_id = r.id \
             WHERE a.user_id = $1 ORDER BY r.name, r.id",
            user.id,
        )
        .fetch_all(&mut *conn)
        .await?;
        let reseller = match asked.as_deref().filter(|r| !r.is_empty()) {
            Some(slug) => resellers.iter().find(|r| r.slug == slug),
            None => resellers.first(),
        }
        .cloned()
        .ok_or(AppError::Forbidden)?;
        Ok(Self {
            user,
            reseller,
            resellers,
            viewer,
        })
    }
}

/// The client's address: the connection's peer, or, when the peer is one of
/// the configured `trusted_proxies`, the address the proxies recorded in
/// `X-Forwarded-For` (the nearest one that is not itself a trusted proxy).
/// `X-Forwarded-For` from anyone else is ignored: it would let a client pick
/// the address its attempts are counted under.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no peer address")))?;
        Ok(Self(client_ip(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

/// See [`ClientIp`].
pub fn client_ip(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer)
}

/// A transaction scoped to the current hub ([`TenantTx`]), begun before the
/// handler runs; the handler commits it (dropping it rolls back). Only hub
/// routes can take it: on the platform it is a 404.
pub struct HubTx {
    /// The hub.
    pub tenant: Arc<Tenant>,
    /// The transaction.
    pub tx: TenantTx,
}

impl FromRequestParts<AppState> for HubTx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(Site::Hub { tenant, .. }) = parts.extensions.get::<Site>() else {
            return Err(AppError::NotFound);
        };
        let tenant = Arc::clone(tenant);
        let tx = TenantTx::begin(&state.pool, &tenant).await?;
        Ok(Self { tenant, tx })
    }
}

impl HubTx {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<(), AppError> {
        Ok(self.tx.commit().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::client_ip;

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("ip");
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.7, 10.0.0.2".parse().expect("header"),
        );
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // From the proxy: the nearest address it did not add itself.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers, &proxies),
            ip("203.0.113.7")
        );
        // From anyone else the header is the client's own claim: ignored.
        assert_eq!(
            client_ip(ip("198.51.100.9"), &headers, &proxies),
            ip("198.51.100.9")
        );
        assert_eq!(client_ip(ip("10.0.0.1"), &headers, &[]), ip("10.0.0.1"));
        // Behind a proxy, without the header: the proxy itself.
        let none = axum::http::HeaderMap::new();
        assert_eq!(client_ip(ip("10.0.0.1"), &none, &proxies), ip("10.0.0.1"));
    }
}
