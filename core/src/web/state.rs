//! The application state every handler shares, and everything a node keeps
//! in memory: caches, the policy decision point, the plugin host. Built and
//! started in one place ([`App::build`]); every cache is kept honest by one
//! LISTEN connection ([`crate::cache::ChangeListener`]).

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use hearth_tenants::{TenantMigrator, TenantResolver};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;
use tokio::task::JoinHandle;

use crate::cache::{ChangeListener, Listening, Subscriber, Turns, VersionedCache};
use crate::config::Config;
use crate::domain_proof::DomainChecker;
use crate::plugin_host::HubPlugins;
use crate::themes::Themes;
use crate::web::authz::Policy;
use crate::web::hubs::HubPage;

/// Everything a request may need, built once at start.
pub struct App {
    /// The configuration the node started with.
    pub config: Config,
    /// The database pool.
    pub pool: PgPool,
    /// Host and slug to hub, cached.
    pub resolver: TenantResolver,
    /// The tenant migrations this build carries.
    pub tenant_migrator: TenantMigrator,
    /// Compiled templates per theme.
    pub themes: Arc<Themes>,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
    /// Authorization policies (casbin).
    pub policy: Policy,
    /// The wasm plugin host and each hub's active plugins, cached.
    pub plugins: HubPlugins,
    /// What each hub's pages are made from (branding, roster), cached.
    pub hub_pages: VersionedCache<HubPage>,
    /// Looks up custom domains' proofs of control in the DNS.
    pub domains: DomainChecker,
    /// This node's queue of each member's bookings in each hub (hub id,
    /// member): a burst from one member queues here, not on the database's
    /// row lock of their balance.
    pub booking_turns: Turns<(i64, uuid::Uuid)>,
    /// Wakes the email workers after a quiet outbox write has committed.
    pub outbox_bell: crate::email::OutboxBell,
    /// The rounds this node's email worker has finished, when it runs one
    /// (see [`crate::email::worker::Worker::rounds`]).
    pub mail_rounds: Option<tokio::sync::watch::Receiver<u64>>,
    /// This node's video rooms and the path of their signalling between nodes.
    pub video: crate::video_relay::VideoRelay,
    /// The Stripe account payments go through, when one is configured.
    pub stripe: Option<crate::stripe_api::StripeApi>,
    /// When the change listener listens (see [`App::listening`]).
    listening: Listening,
}

/// The shared state: one [`App`] behind an `Arc`.
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.0
    }
}

/// A built state and the background tasks it started (stopped with the node).
pub struct Started {
    /// The state.
    pub state: AppState,
    /// The change listener, the plugin warmer and the email worker.
    pub tasks: Vec<JoinHandle<()>>,
}

impl App {
    /// Loads the catalogue, themes and policies, builds every per-node cache,
    /// and starts what runs beside requests: one change listener feeding every
    /// cache, the custom domains' re-checks, the plugin warmer and (when `config.mail_worker`) the email
    /// worker. Call inside the tokio runtime.
    pub async fn build(config: Config, pool: PgPool) -> anyhow::Result<Started> {
        crate::i18n::init(&config.themes_dir)?;
        let themes = Arc::new(Themes::load(&config.themes_dir)?);
        let resolver = TenantResolver::new(pool.clone(), &config.base_domain);
        let policy = Policy::load(&pool)
            .await
            .context("loading authorization policies")?;
        let plugins = HubPlugins::new(pool.clone(), &config, Arc::clone(&themes))
            .context("starting the plugin host")?;
        // A safety net only: NOTIFY is what keeps entries fresh.
        let hub_pages = VersionedCache::new(100_000, Duration::from_secs(300));
        let mut subscribers = vec![
            resolver_subscriber(&resolver),
            policy.subscriber(),
            plugins.subscriber(),
            hub_pages.subscriber(crate::web::hubs::CHANNEL),
        ];
        let (video, video_subscriber, video_task) =
            crate::video_relay::VideoRelay::start(pool.clone());
        subscribers.push(video_subscriber);
        let mut tasks = vec![plugins.spawn_warmer(), video_task];
        let domains = DomainChecker::new(&config).context("the DNS resolver")?;
        if config.domain_checks {
            tasks.push(crate::domain_proof::spawn_rechecks(
                pool.clone(),
                domains.clone(),
                Duration::from_secs(config.domain_recheck_secs.max(1)),
            ));
        }
        let (outbox_bell, bell_task) = crate::email::OutboxBell::spawn(pool.clone());
        tasks.push(bell_task);
        let mut mail_rounds = None;
        if config.mail_worker {
            let worker =
                crate::email::worker::Worker::from_config(&config).context("the email worker")?;
            mail_rounds = Some(worker.rounds());
            let (task, wake) = worker.spawn(pool.clone());
            tasks.push(task);
            subscribers.push(wake);
        }
        let stripe = crate::stripe_api::StripeApi::from_config(&config).context("Stripe")?;
        let (listener, listening) = ChangeListener::spawn_watched(&pool, subscribers);
        tasks.push(listener);
        let state = AppState(Arc::new(App {
            config,
            pool,
            resolver,
            tenant_migrator: TenantMigrator::embedded(),
            themes,
            metrics: crate::telemetry::metrics_handle(),
            policy,
            plugins,
            hub_pages,
            domains,
            booking_turns: Turns::new(100_000, Duration::from_secs(60)),
            outbox_bell,
            mail_rounds,
            video,
            stripe,
            listening,
        }));
        Ok(Started { state, tasks })
    }

    /// Waits until this node hears of changes made by any node (its change
    /// listener is listening), at most `timeout`; false when it did not.
    pub async fn listening(&self, timeout: Duration) -> bool {
        let mut listening = self.listening.clone();
        tokio::time::timeout(timeout, listening.wait_for(|n| *n > 0))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

/// Forgets resolved hubs when any node changes a hub or its domains.
fn resolver_subscriber(resolver: &TenantResolver) -> Subscriber {
    let on_notify = resolver.clone();
    let on_reset = resolver.clone();
    Subscriber {
        channel: hearth_tenants::resolve::CHANNEL,
        on_notify: Arc::new(move |_: &str| on_notify.invalidate()),
        on_reset: Arc::new(move || on_reset.invalidate()),
    }
}
