//! A mixed workload driven by goose: anonymous hub and slot pages, sign-ups
//! with an invite code (the verification code read from the email outbox),
//! logins, bookings confirmed and cancelled, dashboards, spread over many
//! hubs, against a `hearth serve` process whose memory is sampled while it
//! runs, with the PostgreSQL backends' memory. Shared by the `load-mixed`
//! bin (capacity and soak, docs/benchmarks.md) and the CI smoke test.

mod run;
mod scenarios;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use hearth_tenants::{registry, TenantMigrator, TenantTx};
use sqlx::PgPool;
use uuid::Uuid;

use crate::browser::PASSWORD;

pub use run::{attack, Options, Outcome, Sample, Summary};
pub use scenarios::{Cell, SCENARIOS};

/// Pre-made members per hub: one who books, one who reads the dashboard, one who logs in.
const MEMBERS_PER_HUB: usize = 3;

/// A hub as the scenarios use it.
#[derive(Debug, Clone)]
pub struct Hub {
    /// Its slug (`/h/{slug}`, `{slug}.hearth.localhost`).
    pub slug: String,
    /// Its name, shown on its page.
    pub name: String,
    /// The open invite code sign-ups join it with.
    pub code: String,
    /// (professional, service) on its roster.
    pub services: Vec<(Uuid, Uuid)>,
    /// Its pre-made members' emails (password [`PASSWORD`]).
    pub members: Vec<String>,
}

/// Makes `hubs` hubs in the empty database behind `pool`: migrated schemas,
/// a shared pool of verified professionals (every day, all day) with a
/// 30-minute one-credit service, two of them on each hub's roster, an invite
/// code, plenty of credits and three members with a password.
pub async fn provision(pool: &PgPool, hubs: usize) -> anyhow::Result<Vec<Hub>> {
    // The control plane first, then the hubs' rows, then their schemas.
    let migrator = TenantMigrator::embedded();
    hearth_admin::migrate_all(pool, &migrator, crate::quiet()).await?;
    crate::hub_rows(pool, hubs).await;
    hearth_admin::migrate_all(pool, &migrator, crate::quiet()).await?;
    let pros = (hubs * 2).clamp(2, 200);
    sqlx::query(
        "WITH made AS ( \
           INSERT INTO users (id, email, name, email_verified_at, timezone) \
           SELECT gen_random_uuid(), 'pro' || i || '@load.test', 'Professional ' || i, now(), 'UTC' \
           FROM generate_series(1, $1) i RETURNING id) \
         INSERT INTO professionals (user_id, title, verified_at, timezone, buffer_minutes, min_notice_minutes, horizon_days) \
         SELECT id, 'Psychologist', now(), 'UTC', 0, 0, 365 FROM made",
    )
    .bind(i32::try_from(pros)?)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO availability_rules (professional_id, weekday, start_time, end_time) \
         SELECT user_id, d, '00:00'::time, '00:00'::time FROM professionals, generate_series(1, 7) d",
    )
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO services (id, professional_id, name, duration_minutes, credits, session_type, price_minor, currency) \
         SELECT gen_random_uuid(), user_id, 'Session', 30, 1, 'individual', 12000, 'EUR' FROM professionals",
    )
    .execute(pool)
    .await?;
    let services: Vec<(Uuid, Uuid)> =
        sqlx::query_as("SELECT professional_id, id FROM services ORDER BY professional_id")
            .fetch_all(pool)
            .await?;
    // One argon2 hash for every member: hashing 3,000 passwords would take minutes.
    let hash = hearth_core::accounts::password::hash(PASSWORD.to_owned()).await?;
    sqlx::query(
        "WITH made AS ( \
           INSERT INTO users (id, email, name, email_verified_at, timezone, password_hash) \
           SELECT gen_random_uuid(), 'm' || h || '-' || k || '@load.test', 'Member ' || h || '-' || k, now(), 'UTC', $3 \
           FROM generate_series(1, $1) h, generate_series(0, $2 - 1) k RETURNING id) \
         INSERT INTO terms_acceptances (user_id, version) SELECT id, $4 FROM made",
    )
    .bind(i32::try_from(hubs)?)
    .bind(i32::try_from(MEMBERS_PER_HUB)?)
    .bind(&hash)
    .bind(hearth_core::web::session::TERMS_VERSION)
    .execute(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM tenants ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let mut made = Vec::with_capacity(hubs);
    for (i, slug) in slugs.iter().enumerate() {
        let tenant = registry::find_by_slug(&mut conn, slug)
            .await?
            .context("provisioned hub")?;
        let hub = Hub {
            slug: slug.clone(),
            name: tenant.name.clone(),
            code: format!("LOAD{:06}", i + 1),
            services: (0..2)
                .map(|k| services[(i * 2 + k) % services.len()])
                .collect(),
            members: (0..MEMBERS_PER_HUB)
                .map(|k| format!("m{}-{k}@load.test", i + 1))
                .collect(),
        };
        let mut tx = TenantTx::begin(pool, &tenant).await?;
        sqlx::query("UPDATE hub_settings SET credits_per_period = 100000")
            .execute(&mut *tx)
            .await?;
        for (position, (pro, _)) in hub.services.iter().enumerate() {
            sqlx::query("INSERT INTO roster (professional_id, position) VALUES ($1, $2)")
                .bind(pro)
                .bind(i32::try_from(position)?)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO invite_codes (code) VALUES ($1)")
            .bind(&hub.code)
            .execute(&mut *tx)
            .await?;
        let ids: Vec<uuid::Uuid> =
            sqlx::query_scalar("SELECT id FROM public.users WHERE email = ANY($1)")
                .bind(&hub.members)
                .fetch_all(&mut *tx)
                .await?;
        for id in ids {
            sqlx::query("INSERT INTO members (user_id) VALUES ($1)")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let hub_id = tx.tenant_id();
        hearth_tenants::directory::mirror_all(&mut tx, hub_id).await?;
        tx.commit().await?;
        made.push(hub);
    }
    Ok(made)
}

/// `hearth serve` on a database, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
}

impl Server {
    /// Starts `hearth` (the binary at that path) serving the database at
    /// `url`, with email delivery off (the outbox keeps what would be sent),
    /// and waits until it is ready.
    pub async fn start(hearth: &Path, url: &str) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let dir = tempfile::tempdir()?;
        let config = dir.path().join("hearth.toml");
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:{port}\"\nshutdown_grace_secs = 5\nmail_worker = false\nthemes_dir = \"{}\"\n",
                crate::workspace_root().join("themes").display()
            ),
        )?;
        let child = Command::new(hearth)
            .args(["serve", "--config"])
            .arg(&config)
            .env_remove("RUST_LOG")
            .env("DATABASE_URL", url)
            .env("HEARTH_LOG_LEVEL", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", hearth.display()))?;
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        loop {
            if let Ok(r) = reqwest::get(format!("{}/readyz", server.base)).await {
                if r.status() == 200 {
                    return Ok(server);
                }
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(30),
                "hearth serve did not get ready in 30 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
