//! Building and running the application: a library function, so tests start it
//! on port 0 and talk HTTP to it, exactly as `hearth serve` does.

use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::web::state::{App, AppState, Started};

/// A built application, bound to its port and not yet serving.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Connects to `config.database_url` and builds the application.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let url = config.database_url.clone().context(
            "DATABASE_URL is not set (or use `hearth dev`, which starts its own database)",
        )?;
        let pool = hearth_tenants::db::connect(&url, &config.pool_settings())
            .await
            .context("connecting to PostgreSQL")?;
        Self::build_with_pool(config, pool).await
    }

    /// Builds the application on an existing pool: the state with its caches
    /// and background tasks ([`App::build`]), and the features' own tasks.
    pub async fn build_with_pool(config: Config, pool: PgPool) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        let Started { state, mut tasks } = App::build(config, pool).await?;
        if state.config.booking_reminders {
            tasks.push(crate::booking::reminders::spawn(state.clone()));
            tasks.push(crate::payments::spawn(state.clone()));
        }
        Ok(Self {
            listener,
            state,
            tasks,
        })
    }

    /// The port it listens on (useful with port 0).
    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    /// The shared state.
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish
    /// (for at most the configured grace period).
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let grace = Duration::from_secs(self.state.config.shutdown_grace_secs);
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let service = crate::routes::service(self.state.clone());
        let serve = axum::serve(
            self.listener,
            service.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing in-flight requests");
            let _ = stopping_tx.send(());
        });
        let result = tokio::select! {
            result = serve => result.context("serving"),
            () = async move {
                let _ = stopping_rx.await;
                tokio::time::sleep(grace).await;
            } => {
                tracing::warn!("grace period over; dropping unfinished requests");
                Ok(())
            }
        };
        for task in self.tasks {
            task.abort();
        }
        result
    }

    /// Serves until SIGTERM or Ctrl-C.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
