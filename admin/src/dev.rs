//! `hearth dev`: a private PostgreSQL cluster (unless `DATABASE_URL` is set),
//! migrations, demo data seeded once, coturn for video sessions (unless TURN
//! is configured), localstripe as the Stripe API of payments (unless a Stripe
//! key is configured), and the server on localhost:8080.

use crate::demo;
use crate::progress::ProgressMode;
use crate::{migrate_all, MigrateOptions};
use anyhow::Context;
use hearth_tenants::TenantMigrator;

use crate::citus_cluster::CitusCluster;
use crate::localstripe::{self, LocalStripe};
use crate::pgcluster::{self, ClusterOptions};
use crate::turn::Coturn;
use hearth_core::config::Config;
use hearth_core::startup::Application;

/// The private database `hearth dev` started.
enum Private {
    /// One PostgreSQL.
    Postgres(pgcluster::Cluster),
    /// A Citus coordinator and two workers.
    Citus(CitusCluster),
}

impl Private {
    fn stop(&self) -> anyhow::Result<()> {
        match self {
            Private::Postgres(c) => c.stop(),
            Private::Citus(c) => c.stop(),
        }
    }
}

/// Starts (or finds) the Citus cluster of `hearth dev --citus` in
/// `<dev data>/citus`, with its `hearth` database; `reset` starts it afresh.
pub async fn citus_cluster(config: &Config, reset: bool) -> anyhow::Result<CitusCluster> {
    let dir = config.dev_data_dir.join("citus");
    let cluster = tokio::task::spawn_blocking(move || {
        if reset && dir.exists() {
            if let Ok(running) = CitusCluster::ensure_running(&dir, 2, false) {
                let _ = running.stop();
            }
            std::fs::remove_dir_all(&dir)?;
        }
        CitusCluster::ensure_running(&dir, 2, false)
    })
    .await??;
    cluster.ensure_database("hearth").await?;
    Ok(cluster)
}

/// Runs the development platform: on one private PostgreSQL, or with
/// `citus` on a private Citus cluster (a coordinator and two workers).
pub async fn run(mut config: Config, reset: bool, citus: bool) -> anyhow::Result<()> {
    let mut cluster = None;
    if citus {
        anyhow::ensure!(
            config.database_url.is_none(),
            "--citus starts a private Citus cluster; unset DATABASE_URL"
        );
        let started = citus_cluster(&config, reset).await?;
        tracing::info!(coordinator = started.coordinator.port, workers = ?started.workers.iter().map(|w| w.port).collect::<Vec<_>>(), dir = %started.dir.display(), "private Citus cluster running");
        config.database_url = Some(started.url("hearth"));
        cluster = Some(Private::Citus(started));
    } else if config.database_url.is_none() {
        let options = ClusterOptions {
            dir: config.dev_data_dir.join("postgres"),
            ephemeral: false,
            citus: false,
        };
        let started = tokio::task::spawn_blocking(move || {
            if reset {
                if let Ok(running) = pgcluster::ensure_running(&options) {
                    let _ = running.stop();
                }
                if options.dir.exists() {
                    std::fs::remove_dir_all(&options.dir)?;
                }
            }
            pgcluster::ensure_running(&options)
        })
        .await??;
        let admin = sqlx::PgPool::connect(&started.url("postgres")).await?;
        let exists: bool = sqlx::query_scalar!(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'hearth') AS \"exists!\""
        )
        .fetch_one(&admin)
        .await?;
        if !exists {
            sqlx::query!("CREATE DATABASE hearth")
                .execute(&admin)
                .await?;
        }
        admin.close().await;
        tracing::info!(port = started.port, dir = %started.dir.display(), "private PostgreSQL running");
        config.database_url = Some(started.url("hearth"));
        cluster = Some(Private::Postgres(started));
    } else if reset {
        anyhow::bail!("--reset starts a private database afresh; it does not touch DATABASE_URL's");
    }
    let url = config.database_url.clone().unwrap_or_default();
    let pool = hearth_tenants::db::connect(&url, &config.pool_settings())
        .await
        .context("connecting to PostgreSQL")?;
    let migrator = TenantMigrator::embedded();
    migrate_all(
        &pool,
        &migrator,
        MigrateOptions {
            jobs: config.migrate_jobs,
            progress: ProgressMode::Auto,
        },
    )
    .await?;
    let seeded = demo::seed(&pool, &migrator).await?;
    if seeded {
        // The demo people have read the terms: their logins go straight in.
        let mut conn = pool.acquire().await?;
        for login in demo::logins() {
            let id: uuid::Uuid =
                sqlx::query_scalar!("SELECT id FROM users WHERE email = $1", login.email)
                    .fetch_one(&mut *conn)
                    .await?;
            hearth_core::accounts::accept_terms(&mut conn, id).await?;
        }
    }

    if !smtp_configured(&config) {
        config.mail_capture = true;
    }
    // Video sessions relay through a local coturn unless TURN is configured.
    let mut coturn = None;
    if config.turn_urls.is_empty() {
        if Coturn::available() {
            let started = Coturn::start(&config.dev_data_dir.join("turn"))?;
            config.turn_urls = started.urls();
            config.stun_urls = vec![started.stun_url()];
            config.turn_secret = Some(started.secret.clone().into());
            coturn = Some(started);
        } else {
            tracing::warn!("turnserver not found (Debian's coturn, which ./scripts/dev installs): video sessions connect directly only");
        }
    }
    // Payments use a local fake Stripe unless Stripe is configured.
    let mut stripe = None;
    if config.stripe_secret_key.is_none() {
        if LocalStripe::available() {
            let started = LocalStripe::start_in(0, &config.dev_data_dir.join("localstripe"))?;
            let webhook_secret = format!(
                "whsec_{}",
                rand::random::<[u8; 24]>()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            );
            started.configure_webhook(
                &format!("{}/webhooks/stripe", config.platform_url()),
                &webhook_secret,
            )?;
            config.stripe_secret_key = Some(localstripe::SECRET_KEY.to_owned().into());
            config.stripe_publishable_key = Some(localstripe::PUBLISHABLE_KEY.to_owned());
            config.stripe_webhook_secret = Some(webhook_secret.into());
            config.stripe_api_base = started.api_base();
            config.stripe_js_url = started.js_url();
            stripe = Some(started);
        } else {
            tracing::warn!("localstripe not found (the venv ./scripts/dev makes in .hearth/localstripe-venv): payments are not set up");
        }
    }
    let app = Application::build_with_pool(config.clone(), pool).await?;
    let port = app.port();
    print_welcome(&config, port, seeded);
    if let Some(turn) = &coturn {
        println!(
            "  TURN (video):      coturn on 127.0.0.1:{}, log {}",
            turn.port,
            turn.log.display()
        );
        println!();
    }
    if let Some(stripe) = &stripe {
        println!(
            "  Payments:          localstripe (a fake Stripe) on 127.0.0.1:{}, log {}",
            stripe.port,
            stripe
                .log
                .as_ref()
                .map(|l| l.display().to_string())
                .unwrap_or_default()
        );
        println!(
            "                     test card 4242424242424242; 4000002760003184 asks for 3-D Secure"
        );
        println!();
    }
    let result = app.run_until_stopped().await;
    drop(stripe);
    drop(coturn);
    if let Some(cluster) = cluster {
        tokio::task::spawn_blocking(move || cluster.stop()).await??;
    }
    result
}

fn print_welcome(config: &Config, port: u16, seeded: bool) {
    let base = &config.base_domain;
    println!();
    println!("  Hearth is running: http://localhost:{port}");
    println!("  Demo hubs:         http://acme.{base}:{port}   http://globex.{base}:{port}");
    println!("                     (or http://localhost:{port}/h/acme/ and /h/globex/)");
    println!();
    println!(
        "  Demo logins{} (password: {}):",
        if seeded { ", just made" } else { "" },
        demo::DEMO_PASSWORD
    );
    for login in demo::logins() {
        let hub = login.hub.map(|h| format!(" at {h}")).unwrap_or_default();
        println!("    {:<28} {}{}", login.email, login.role, hub);
    }
    println!();
    if config.mail_capture {
        println!("  Mail:              http://localhost:{port}/dev/mail (captured, not sent)");
    } else {
        println!(
            "  Mail:              sent through {}:{}",
            config.smtp_host, config.smtp_port
        );
    }
    println!();
    println!("  Ctrl-C stops it; `hearth dev --reset` starts afresh.");
    println!();
}

/// Whether the developer pointed `hearth dev` at a mail server; otherwise its
/// mail is captured for `/dev/mail` rather than sent to whatever is on port 25.
fn smtp_configured(config: &Config) -> bool {
    std::env::var_os("HEARTH_SMTP_HOST").is_some()
        || config.smtp_host != Config::default().smtp_host
}
