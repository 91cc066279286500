//! Who may do what. Every route is declared with the object it touches; the
//! action is `read` for GET/HEAD and `write` otherwise. casbin decides from the
//! policies in `public.casbin_rule` (reloaded on NOTIFY) whether any role the
//! user holds in the request's domain (`platform` or `tenant:<slug>`) may do
//! it. A route without a declaration is refused. Unsafe methods also need the
//! CSRF token and a same-origin request.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use casbin::{CoreApi, DefaultModel, Enforcer};
use sqlx::PgPool;
use tokio::sync::RwLock;

use crate::web::error::{error_response, AppError};
use crate::web::session::{self, SessionUser};
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::tokens;

/// The CSRF cookie (double-submit: its value must come back in the form).
pub const CSRF_COOKIE: &str = "hearth_csrf";
/// The form field or header carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

const MODEL: &str = "
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.sub == p.sub && keyMatch(r.dom, p.dom) && r.obj == p.obj && r.act == p.act
";

/// The policy decision point.
#[derive(Clone)]
pub struct Policy {
    enforcer: Arc<RwLock<Enforcer>>,
    // Every request asks, and casbin's matcher costs microseconds a call:
    // answers are kept per (roles, domain, object, act) until the policies
    // are reloaded, which empties this under the enforcer's write lock.
    decisions: moka::future::Cache<String, bool>,
}

impl Policy {
    /// Loads the model and the policies from the database.
    pub async fn load(pool: &PgPool) -> anyhow::Result<Self> {
        let model = DefaultModel::from_str(MODEL).await?;
        let adapter = sqlx_adapter::SqlxAdapter::new_with_pool(pool.clone()).await?;
        let enforcer = Enforcer::new(model, adapter).await?;
        Ok(Self {
            enforcer: Arc::new(RwLock::new(enforcer)),
            decisions: moka::future::Cache::new(100_000),
        })
    }

    /// Whether any of `roles` may do `act` on `obj` in `domain`.
    pub async fn allows(&self, roles: &[&str], domain: &str, obj: &str, act: &str) -> bool {
        // Held while deciding and remembering, so no answer made under the
        // old policies outlives a reload.
        let enforcer = self.enforcer.read().await;
        // Unit separators: no part can contain one, so keys cannot collide.
        let key = format!(
            "{}\u{1f}{domain}\u{1f}{obj}\u{1f}{act}",
            roles.join("\u{1e}")
        );
        if let Some(allowed) = self.decisions.get(&key).await {
            return allowed;
        }
        let allowed = roles
            .iter()
            .any(|role| enforcer.enforce((*role, domain, obj, act)).unwrap_or(false));
        self.decisions.insert(key, allowed).await;
        allowed
    }

    /// Reloads the policies and forgets the decisions made under the old ones.
    async fn reload(&self) -> anyhow::Result<()> {
        let mut enforcer = self.enforcer.write().await;
        enforcer.load_policy().await?;
        self.decisions.invalidate_all();
        Ok(())
    }

    /// What reloads the policies whenever `casbin_rule` changes, on every
    /// node (also when listening starts again: a change may have been missed).
    pub fn subscriber(&self) -> crate::cache::Subscriber {
        let reload = {
            let policy = self.clone();
            move || {
                let policy = policy.clone();
                tokio::spawn(async move {
                    match policy.reload().await {
                        Ok(()) => tracing::info!("authorization policies reloaded"),
                        Err(e) => tracing::warn!(error = %e, "reloading the policies failed"),
                    }
                });
            }
        };
        let on_reset = reload.clone();
        crate::cache::Subscriber {
            channel: hearth_tenants::changes::POLICIES,
            on_notify: Arc::new(move |_: &str| reload()),
            on_reset: Arc::new(on_reset),
        }
    }
}

/// A declared route: its path pattern, method and the object it touches.
#[derive(Debug, Clone)]
pub struct RouteDecl {
    /// The path pattern, as routed.
    pub path: &'static str,
    /// The method.
    pub method: Method,
    /// The object in the policies (`public`, `auth`, `account`, ...).
    pub object: &'static str,
}

/// Builds a router whose every route is declared.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    declared: Vec<RouteDecl>,
}

impl Routes {
    /// `GET path`, reading `object`.
    pub fn get<H, T>(mut self, path: &'static str, object: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, axum::routing::get(handler));
        self.declared.push(RouteDecl {
            path,
            method: Method::GET,
            object,
        });
        self.declared.push(RouteDecl {
            path,
            method: Method::HEAD,
            object,
        });
        self
    }

    /// `POST path`, writing `object`.
    pub fn post<H, T>(mut self, path: &'static str, object: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, axum::routing::post(handler));
        self.declared.push(RouteDecl {
            path,
            method: Method::POST,
            object,
        });
        self
    }

    /// Adds every route of `other` (an area's routes, declared in its module).
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.declared.extend(other.declared);
        self
    }

    /// The router, and the declarations the authorization layer checks.
    pub fn into_parts(self) -> (Router<AppState>, Arc<Declared>) {
        let mut map: HashMap<&'static str, HashMap<Method, &'static str>> = HashMap::new();
        for d in &self.declared {
            map.entry(d.path)
                .or_default()
                .insert(d.method.clone(), d.object);
        }
        (
            self.router,
            Arc::new(Declared {
                map,
                list: self.declared,
            }),
        )
    }
}

/// Every declared route.
#[derive(Debug, Default)]
pub struct Declared {
    // path pattern -> method -> object: two hash lookups a request.
    map: HashMap<&'static str, HashMap<Method, &'static str>>,
    list: Vec<RouteDecl>,
}

impl Declared {
    /// The routes, for listing (the route test walks them all).
    pub fn routes(&self) -> &[RouteDecl] {
        &self.list
    }

    fn object(&self, path: &str, method: &Method) -> Option<&'static str> {
        self.map.get(path)?.get(method).copied()
    }
}

/// Who is asking: the signed-in user (if any), their roles here, the CSRF token.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The signed-in user.
    pub user: Option<SessionUser>,
    /// Roles held in this request's domain.
    pub roles: Vec<&'static str>,
    /// The CSRF token forms must carry.
    pub csrf: String,
    /// The session token, for logout and rotation.
    pub session_token: Option<String>,
    /// The language pages are shown in (see [`crate::web::lang::negotiate`]).
    pub language: &'static str,
}

impl Viewer {
    /// The signed-in user, or forbidden (for helpers that take the viewer;
    /// handlers say it in their signature with [`crate::web::extract::SignedIn`]).
    pub fn signed_in(&self) -> Result<&SessionUser, AppError> {
        self.user.as_ref().ok_or(AppError::Forbidden)
    }

    /// Someone not signed in, reading in `language` (for pages made outside
    /// the authorization layer, such as error pages).
    pub fn anonymous(language: &'static str) -> Self {
        Self {
            user: None,
            roles: vec!["anonymous"],
            csrf: String::new(),
            session_token: None,
            language,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .ok_or(AppError::Forbidden)
    }
}

/// The roles `user` holds.
pub fn roles_of(user: Option<&SessionUser>) -> Vec<&'static str> {
    let Some(user) = user else {
        return vec!["anonymous"];
    };
    if !user.is_onboarded() {
        return vec!["pending"];
    }
    let mut roles = vec!["user"];
    if user.is_professional {
        roles.push("professional");
    }
    if user.is_operator {
        roles.push("operator");
    }
    if user.is_reseller_admin {
        roles.push("reseller_admin");
    }
    match user.hub_role.as_deref() {
        Some("hr_admin") => roles.extend(["employee", "hr_admin"]),
        Some("employee") => roles.push("employee"),
        _ => {}
    }
    roles
}

/// The authorization layer (runs after routing, so it knows the route).
pub async fn authorize(
    State((state, declared)): State<(AppState, Arc<Declared>)>,
    req: Request,
    next: Next,
) -> Response {
    match check(&state, &declared, req).await {
        Ok((req, fresh_csrf)) => {
            let language = req.extensions().get::<Viewer>().map(|v| v.language);
            let mut response = next.run(req).await;
            let is_error = response
                .extensions()
                .get::<crate::web::error::ErrorPage>()
                .is_some();
            if let (Some(language), true) = (language, is_error) {
                response
                    .extensions_mut()
                    .insert(crate::web::error::ResponseLanguage(language));
            }
            if let Some(cookie) = fresh_csrf {
                if let Ok(value) = cookie.to_string().parse() {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
        Err(response) => response,
    }
}

async fn check(
    state: &AppState,
    declared: &Declared,
    req: Request,
) -> Result<(Request, Option<Cookie<'static>>), Response> {
    let site = req
        .extensions()
        .get::<Site>()
        .cloned()
        .unwrap_or(Site::Platform);
    let (domain, tenant_id, base) = match &site {
        Site::Platform => ("platform".to_owned(), None, String::new()),
        Site::Hub { tenant, base } => (
            format!("tenant:{}", tenant.slug),
            Some(tenant.id.0),
            base.clone(),
        ),
    };
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let method = req.method().clone();
    let span = tracing::Span::current();
    span.record("route", path.as_deref().unwrap_or("unmatched"));
    if let Site::Hub { tenant, .. } = &site {
        span.record("hub", tenant.id.0);
    }
    let Some(object) = path.as_deref().and_then(|p| declared.object(p, &method)) else {
        tracing::warn!(path = ?path, %method, "refused: route has no declared rule");
        return Err(forbidden());
    };
    let act = if method == Method::GET || method == Method::HEAD {
        "read"
    } else {
        "write"
    };

    let jar = CookieJar::from_headers(req.headers());
    let session_token = jar.get(session::COOKIE).map(|c| c.value().to_owned());
    let user = match &session_token {
        Some(token) => {
            let mut conn = state
                .pool
                .acquire()
                .await
                .map_err(|e| AppError::Database(e).into_response())?;
            session::find(&mut conn, token, tenant_id)
                .await
                .map_err(|e| AppError::Database(e).into_response())?
        }
        None => None,
    };
    let (csrf, fresh) = match jar.get(CSRF_COOKIE) {
        Some(c) if c.value().len() >= 32 => (c.value().to_owned(), None),
        _ => {
            let token = tokens::new_token();
            let cookie = Cookie::build((CSRF_COOKIE, token.clone()))
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(state.config.is_https())
                .path("/")
                .build();
            (token, Some(cookie))
        }
    };

    let req = if act == "write" {
        check_csrf(req, &csrf, fresh.is_some()).await?
    } else {
        req
    };

    if let Some(user) = &user {
        span.record("user_id", tracing::field::display(user.id));
    }
    let roles = roles_of(user.as_ref());
    if !state.policy.allows(&roles, &domain, object, act).await {
        return Err(refuse(user.as_ref(), &base, &req, act));
    }
    let language = crate::web::lang::negotiate(state, &site, user.as_ref(), req.headers()).await;
    let mut req = req;
    req.extensions_mut().insert(Viewer {
        user,
        roles,
        csrf,
        session_token,
        language,
    });
    Ok((req, fresh))
}

/// Refuses a cross-site request, then compares the form's (or header's) token
/// with the cookie's in constant time. Rebuilds the request with its body.
async fn check_csrf(
    req: Request,
    cookie_token: &str,
    cookie_is_new: bool,
) -> Result<Request, Response> {
    if !same_origin(req.headers()) || cookie_is_new {
        return Err(csrf_failed());
    }
    if let Some(token) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if tokens::same(token.as_bytes(), cookie_token.as_bytes()) {
            Ok(req)
        } else {
            Err(csrf_failed())
        };
    }
    let from_query = req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.into_owned())
    });
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (parts, body) = req.into_parts();
    let (token, body) = if is_form {
        let bytes = axum::body::to_bytes(body, 1024 * 1024)
            .await
            .map_err(|_| error_response(StatusCode::PAYLOAD_TOO_LARGE, "error-form-too-large"))?;
        let token = form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.into_owned());
        (token.or(from_query), Body::from(bytes))
    } else {
        (from_query, body)
    };
    match token {
        Some(token) if tokens::same(token.as_bytes(), cookie_token.as_bytes()) => {
            Ok(Request::from_parts(parts, body))
        }
        _ => Err(csrf_failed()),
    }
}

/// False when the browser says the request comes from another site.
fn same_origin(headers: &HeaderMap) -> bool {
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        host,
    ) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) == Some(host),
        _ => true,
    }
}

fn csrf_failed() -> Response {
    error_response(StatusCode::FORBIDDEN, "error-csrf")
}

fn forbidden() -> Response {
    AppError::Forbidden.into_response()
}

fn refuse(user: Option<&SessionUser>, base: &str, req: &Request, act: &str) -> Response {
    let here = req.uri().path_and_query().map_or("/", |p| p.as_str());
    match user {
        None if act == "read" => {
            let next: String =
                form_urlencoded::byte_serialize(format!("{base}{here}").as_bytes()).collect();
            Redirect::to(&format!("{base}/login?next={next}")).into_response()
        }
        Some(u) if !u.terms_accepted && act == "read" => {
            Redirect::to(&format!("{base}/terms")).into_response()
        }
        Some(u) if !u.verified && act == "read" => {
            Redirect::to(&format!("{base}/verify")).into_response()
        }
        _ => forbidden(),
    }
}
