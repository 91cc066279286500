//! The `hearth` command line: parsing, and each command's output (text, or
//! JSON with `--json` on every list).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::progress::ProgressMode;
use crate::{migrate_all, MigrateOptions};
use clap::{Parser, Subcommand, ValueEnum};
use hearth_core::{telemetry, Application, Config};
use hearth_tenants::changes::{announce, Change};
use hearth_tenants::citus;
use hearth_tenants::{registry, NewTenant, TenantMigrator, TenantStatus};

#[derive(Parser)]
#[command(
    name = "hearth",
    version,
    about = "Hearth: white-label workplace wellbeing hubs"
)]
struct Cli {
    /// A TOML configuration file (default: ./hearth.toml when present).
    #[arg(long, global = true, env = "HEARTH_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve HTTP (needs DATABASE_URL and current migrations).
    Serve,
    /// Run locally: a private PostgreSQL, demo data and the server on :8080.
    Dev {
        /// Delete the private database and start afresh.
        #[arg(long)]
        reset: bool,
        /// Run on a private Citus cluster (a coordinator and two workers;
        /// ./scripts/citus builds Citus when it is missing).
        #[arg(long)]
        citus: bool,
    },
    /// Apply the control-plane migrations, then bring every hub schema up to date.
    Migrate {
        /// Hub schemas migrated at once.
        #[arg(long)]
        jobs: Option<usize>,
        /// How to show progress.
        #[arg(long, value_enum, default_value_t = Progress::Auto)]
        progress: Progress,
    },
    /// Company hubs.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Resellers.
    #[command(subcommand)]
    Reseller(ResellerCommand),
    /// Hub plugins: the registry and hubs' installations.
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Roles: operators, reseller admins, HR admins.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Professionals: verification by an operator.
    #[command(subcommand)]
    Professional(ProfessionalCommand),
    /// The nodes' caches.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// A private Citus cluster for development.
    #[command(subcommand)]
    Citus(CitusCommand),
}

#[derive(Subcommand)]
enum CitusCommand {
    /// Start (making it first if needed) the Citus cluster of `hearth dev
    /// --citus`: a coordinator and two workers; prints its DATABASE_URL.
    Start {
        /// Delete the cluster and start afresh.
        #[arg(long)]
        reset: bool,
    },
}

#[derive(Subcommand)]
enum CacheCommand {
    /// Tell every node to forget every cached hub, page, plugin and policy
    /// (after changing their tables by hand, with psql).
    Reset,
}

#[derive(Subcommand)]
enum ProfessionalCommand {
    /// Verify a professional: hubs and clients see them from now on.
    Verify {
        /// The email of their account.
        email: String,
    },
    /// List professionals, those waiting for verification first.
    List {
        /// One JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum PluginCommand {
    /// Check, compile and add a WebAssembly plugin to the registry.
    Upload {
        /// The `.wasm` file.
        file: PathBuf,
        /// Its display name.
        #[arg(long)]
        name: String,
        /// A version label.
        #[arg(long, default_value = "")]
        version: String,
    },
    /// List the registry.
    List {
        /// One JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Install a plugin for a hub with a JSON config (checked against its schema).
    Install {
        /// The hub's slug.
        #[arg(long)]
        hub: String,
        /// The plugin's id (or its first 8+ characters).
        #[arg(long)]
        plugin: String,
        /// The plugin's config for the hub, as JSON (`--config` names the TOML settings file).
        #[arg(long, default_value = "{}")]
        config_json: String,
        /// Only this hook (default: every hook the plugin implements).
        #[arg(long)]
        hook: Option<String>,
    },
    /// Re-activate the hub's previous plugin for a hook.
    Rollback {
        /// The hub's slug.
        #[arg(long)]
        hub: String,
        /// The hook.
        #[arg(long)]
        hook: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Progress {
    Auto,
    Log,
    Quiet,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Give a person a role, by the email of their account: exactly one of
    /// --operator, --reseller SLUG or --hub SLUG.
    Grant {
        /// The email of their account.
        #[arg(long)]
        email: String,
        /// The platform's operator.
        #[arg(long, conflicts_with_all = ["reseller", "hub"])]
        operator: bool,
        /// Admin of this reseller.
        #[arg(long, conflicts_with = "hub")]
        reseller: Option<String>,
        /// HR admin of this hub.
        #[arg(long)]
        hub: Option<String>,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Provision a hub: its row, schema and migrations, all or nothing.
    Create {
        /// 3–40 lowercase letters, digits and hyphens.
        #[arg(long)]
        slug: String,
        /// The company's name.
        #[arg(long)]
        name: String,
        /// The slug of the reseller onboarding it.
        #[arg(long)]
        reseller: Option<String>,
    },
    /// List hubs.
    List {
        /// One JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
    /// On a Citus cluster: move a hub's schema to worker NODE (its number
    /// in `tenant list`) online, its pages served meanwhile.
    Place {
        /// The hub's slug.
        slug: String,
        /// The worker's number.
        #[arg(long)]
        node: i32,
    },
    /// Stop a hub serving pages.
    Suspend { slug: String },
    /// Let a suspended hub serve again.
    Resume { slug: String },
    /// Give a hub a custom domain; it serves the hub once the DNS holds the
    /// TXT record this prints (see `check-domain`).
    AddDomain { slug: String, domain: String },
    /// Look for a custom domain's TXT record now: found, it serves its hub;
    /// missing, it stops.
    CheckDomain { domain: String },
    /// Write a hub to one file: its row, every row of its schema and its
    /// rows in the shared tables (see `import`).
    Export {
        /// The hub's slug.
        slug: String,
        /// The file to write.
        file: PathBuf,
    },
    /// Read a hub back from an export: the same id, slug, schema and rows
    /// (it must not exist; the build must be at the export's schema version).
    Import {
        /// The export.
        file: PathBuf,
    },
    /// Delete a hub for good: write a final export, then drop its schema and
    /// its row (the appointments it paid for stay with their professionals).
    Delete {
        /// The hub's slug.
        slug: String,
        /// The slug again, to say this is the hub meant.
        #[arg(long)]
        confirm: String,
        /// Where the final export goes (default: <slug>-final-<time>.hearth-export).
        #[arg(long)]
        keep: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ResellerCommand {
    /// Create a reseller.
    Create {
        /// 3–40 lowercase letters, digits and hyphens.
        #[arg(long)]
        slug: String,
        /// Its name.
        #[arg(long)]
        name: String,
    },
    /// List resellers, with how many hubs each has onboarded.
    List {
        /// One JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Parses the command line, runs the command and says how it went.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: configuration: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init_logging(config.log_format, &config.log_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    if let Command::Dev { reset, citus } = command {
        return crate::dev::run(config, reset, citus).await;
    }
    if let Command::Citus(CitusCommand::Start { reset }) = command {
        let cluster = crate::dev::citus_cluster(&config, reset).await?;
        println!("DATABASE_URL={}", cluster.url("hearth"));
        // Their numbers, which `tenant place --node` takes, are Citus's:
        // `hearth tenant list` shows them.
        for worker in &cluster.workers {
            println!("worker at 127.0.0.1:{}", worker.port);
        }
        return Ok(());
    }
    if let Command::Serve = command {
        // Captured mail is shown at /dev/mail to anyone: never in production.
        anyhow::ensure!(
            !config.mail_capture,
            "mail_capture is on (HEARTH_MAIL_CAPTURE): it keeps every email, codes \
             included, readable at /dev/mail; it is for `hearth dev` only"
        );
        return Application::build(config).await?.run_until_stopped().await;
    }
    let url = config.database_url.clone().ok_or_else(|| {
        anyhow::anyhow!("DATABASE_URL is not set: point it at the platform's PostgreSQL database")
    })?;
    let pool = hearth_tenants::db::connect(&url, &config.pool_settings()).await?;
    let migrator = TenantMigrator::embedded();
    match command {
        Command::Serve | Command::Dev { .. } | Command::Citus(_) => Ok(()),
        Command::Migrate { jobs, progress } => {
            let progress = match progress {
                Progress::Auto => ProgressMode::Auto,
                Progress::Log => ProgressMode::Log,
                Progress::Quiet => ProgressMode::Quiet,
            };
            let jobs = jobs.unwrap_or(config.migrate_jobs).max(1);
            let report = migrate_all(&pool, &migrator, MigrateOptions { jobs, progress }).await?;
            // A migration may change what nodes cache (the policies, say).
            let mut conn = pool.acquire().await?;
            announce(&mut conn, Change::Everything).await?;
            for (id, error) in &report.failed {
                eprintln!("hub {id}: {error}");
            }
            println!(
                "{} hub(s) were behind; {} migrated in {:.1}s; {} failed",
                report.hubs_behind,
                report.hubs_migrated,
                report.elapsed.as_secs_f64(),
                report.failed.len()
            );
            anyhow::ensure!(
                report.failed.is_empty(),
                "{} hub(s) failed to migrate",
                report.failed.len()
            );
            Ok(())
        }
        Command::Tenant(TenantCommand::Create {
            slug,
            name,
            reseller,
        }) => {
            migrator.adopt(&pool).await?;
            let reseller_id = match reseller {
                Some(r) => Some(
                    sqlx::query_scalar!("SELECT id FROM resellers WHERE slug = $1", &r)
                        .fetch_optional(&pool)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("no reseller '{r}'"))?,
                ),
                None => None,
            };
            let tenant = hearth_tenants::create_tenant(
                &pool,
                &migrator,
                &NewTenant {
                    slug,
                    name,
                    reseller_id,
                },
            )
            .await?;
            println!(
                "created hub '{}' ({}), schema {}: http://{}.{}/",
                tenant.slug,
                tenant.name,
                tenant.schema().as_str(),
                tenant.slug,
                config.base_domain
            );
            Ok(())
        }
        Command::Cache(CacheCommand::Reset) => {
            let mut conn = pool.acquire().await?;
            announce(&mut conn, Change::Everything).await?;
            println!("every node forgets its cached hubs, pages, plugins and policies");
            Ok(())
        }
        Command::Tenant(TenantCommand::List { json }) => {
            let mut conn = pool.acquire().await?;
            let hubs = registry::list(&mut conn).await?;
            // On Citus, the worker each hub lives on.
            let placed: std::collections::HashMap<i64, String> = citus::placements(&mut conn)
                .await?
                .into_iter()
                .map(|p| (p.tenant_id, format!("{}:{}", p.host, p.port)))
                .collect();
            let workers = citus::workers(&mut conn).await?;
            if json {
                let rows: Vec<serde_json::Value> = hubs
                    .iter()
                    .map(|t| {
                        serde_json::json!({
                            "id": t.id.0,
                            "slug": t.slug,
                            "name": t.name,
                            "status": format!("{:?}", t.status).to_lowercase(),
                            "reseller_id": t.reseller_id,
                            "schema": t.schema().as_str(),
                            "node": placed.get(&t.id.0),
                        })
                    })
                    .collect();
                return print_json(&rows);
            }
            for t in hubs {
                let node = placed
                    .get(&t.id.0)
                    .map(|n| format!("  on {n}"))
                    .unwrap_or_default();
                println!(
                    "{:>6}  {:<40} {:<10} {}{node}",
                    t.id,
                    t.slug,
                    format!("{:?}", t.status).to_lowercase(),
                    t.name
                );
            }
            for w in workers {
                println!("worker {}: {}:{}, {} hub(s)", w.id, w.host, w.port, w.hubs);
            }
            Ok(())
        }
        Command::Tenant(TenantCommand::Place { slug, node }) => {
            let tenant = hub_by_slug(&pool, &slug).await?;
            let mut conn = pool.acquire().await?;
            let total = citus::hub_bytes(&mut conn, tenant.id).await?;
            let progress = crate::progress::Progress::new(
                ProgressMode::Auto,
                "bytes copied",
                u64::try_from(total).unwrap_or(0),
            );
            let started = std::time::Instant::now();
            let moving = citus::place(&pool, tenant.id, node);
            tokio::pin!(moving);
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
            loop {
                tokio::select! {
                    done = &mut moving => { done?; break; }
                    _ = tick.tick() => {
                        if let Ok(bytes) = citus::bytes_moved(&mut conn).await {
                            progress.set(u64::try_from(bytes).unwrap_or(0));
                        }
                    }
                }
            }
            progress.set(u64::try_from(total).unwrap_or(0));
            progress.finish();
            println!(
                "hub '{slug}' is on worker {node} ({:.1}s)",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Tenant(TenantCommand::Suspend { slug }) => {
            set_status(&pool, &slug, TenantStatus::Suspended).await
        }
        Command::Tenant(TenantCommand::Resume { slug }) => {
            set_status(&pool, &slug, TenantStatus::Active).await
        }
        Command::Tenant(TenantCommand::AddDomain { slug, domain }) => {
            let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
            let token = hearth_core::domain_proof::new_token();
            let mut conn = pool.acquire().await?;
            anyhow::ensure!(
                registry::add_domain(&mut conn, &slug, &domain, &token).await?,
                "no hub '{slug}'"
            );
            println!(
                "{domain} will serve hub '{slug}' once the DNS holds this record:\n  {}  TXT  \"{}\"\nthen run: hearth tenant check-domain {domain}",
                hearth_core::domain_proof::record_name(&domain),
                hearth_core::domain_proof::record_value(&token),
            );
            Ok(())
        }
        Command::Tenant(TenantCommand::CheckDomain { domain }) => {
            use hearth_core::domain_proof::{check_now, DomainChecker, Proof};
            let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
            let checker = DomainChecker::new(&config)?;
            match check_now(&pool, &checker, &domain).await? {
                None => anyhow::bail!("no hub has the domain '{domain}'"),
                Some(Proof::Found) => println!("{domain}: record found; it serves its hub"),
                Some(Proof::Missing) => {
                    println!("{domain}: record not found; it does not serve its hub")
                }
                Some(Proof::Unreachable) => {
                    anyhow::bail!("{domain}: the DNS could not be reached; nothing changed")
                }
            }
            Ok(())
        }
        Command::Tenant(TenantCommand::Export { slug, file }) => {
            let moved = crate::tenant_io::export(&pool, &slug, &file, ProgressMode::Auto).await?;
            let rows: u64 = moved.rows.values().sum();
            println!("hub '{slug}' written to {}: {rows} rows", file.display());
            Ok(())
        }
        Command::Tenant(TenantCommand::Import { file }) => {
            let (header, moved) = crate::tenant_io::import(
                &pool,
                &TenantMigrator::embedded(),
                &file,
                ProgressMode::Auto,
            )
            .await?;
            let rows: u64 = moved.rows.values().sum();
            println!(
                "hub '{}' (id {}) read from {}: {rows} rows",
                header.slug,
                header.id,
                file.display()
            );
            Ok(())
        }
        Command::Tenant(TenantCommand::Delete {
            slug,
            confirm,
            keep,
        }) => {
            anyhow::ensure!(
                confirm == slug,
                "--confirm must repeat the hub's slug ('{slug}'): nothing deleted"
            );
            let keep = keep.unwrap_or_else(|| {
                PathBuf::from(format!(
                    "{slug}-final-{}.hearth-export",
                    chrono::Utc::now().format("%Y%m%d%H%M%S")
                ))
            });
            crate::tenant_io::delete(&pool, &slug, &keep, ProgressMode::Auto).await?;
            println!(
                "hub '{slug}' deleted; its final export is {}",
                keep.display()
            );
            Ok(())
        }
        Command::Plugin(command) => {
            // Its refusals (a config that breaks the plugin's schema) are
            // worded from the catalogue.
            hearth_core::i18n::init(&config.themes_dir)?;
            plugin_command(&pool, command).await
        }
        Command::Professional(command) => professional_command(&pool, command).await,
        Command::Admin(AdminCommand::Grant {
            email,
            operator,
            reseller,
            hub,
        }) => {
            use crate::roles::Grant;
            let grant = match (operator, reseller, hub) {
                (true, None, None) => Grant::Operator,
                (false, Some(slug), None) => Grant::ResellerAdmin(slug),
                (false, None, Some(slug)) => Grant::HrAdmin(slug),
                _ => anyhow::bail!("say which role: --operator, --reseller SLUG or --hub SLUG"),
            };
            println!("{}", crate::roles::grant(&pool, &email, &grant).await?);
            Ok(())
        }
        Command::Reseller(ResellerCommand::Create { slug, name }) => {
            let mut conn = pool.acquire().await?;
            let id = crate::resellers::create_reseller(&mut conn, &slug, &name).await?;
            println!("created reseller '{slug}' (id {id})");
            Ok(())
        }
        Command::Reseller(ResellerCommand::List { json }) => {
            let mut conn = pool.acquire().await?;
            let resellers = crate::resellers::list(&mut conn).await?;
            if json {
                return print_json(&resellers);
            }
            if resellers.is_empty() {
                println!("no resellers yet");
            }
            for r in resellers {
                println!(
                    "{:>6}  {:<30} {:>6} hub(s) {:>4} admin(s)  {}",
                    r.id, r.slug, r.hubs, r.admins, r.name
                );
            }
            Ok(())
        }
    }
}

/// Prints `value` as pretty JSON on standard output.
fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

async fn set_status(pool: &sqlx::PgPool, slug: &str, status: TenantStatus) -> anyhow::Result<()> {
    let mut conn = pool.acquire().await?;
    anyhow::ensure!(
        registry::set_status(&mut conn, slug, status).await?,
        "no hub '{slug}'"
    );
    println!(
        "hub '{slug}' is now {}",
        format!("{status:?}").to_lowercase()
    );
    Ok(())
}

async fn plugin_command(pool: &sqlx::PgPool, command: PluginCommand) -> anyhow::Result<()> {
    use hearth_core::plugin_host::{install, registry};
    match command {
        PluginCommand::Upload {
            file,
            name,
            version,
        } => {
            let wasm = std::fs::read(&file)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
            let host = hearth_plugins::PluginHost::new(hearth_plugins::Limits::default())?;
            let mut conn = pool.acquire().await?;
            let plugin = registry::upload(
                &mut conn,
                &host,
                &registry::NewPlugin {
                    name: &name,
                    version: &version,
                    uploaded_by: None,
                    via: registry::UploadedVia::Cli,
                },
                wasm,
            )
            .await?;
            println!("plugin {}", plugin.id);
            println!("hooks {}", plugin.hooks.join(", "));
            if plugin.config_schema.is_some() {
                println!("declares a config schema");
            }
            Ok(())
        }
        PluginCommand::List { json } => {
            let mut conn = pool.acquire().await?;
            let plugins = registry::list(&mut conn).await?;
            if json {
                let rows: Vec<serde_json::Value> = plugins
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "id": p.id,
                            "name": p.name,
                            "version": p.version,
                            "uploaded_at": p.uploaded_at,
                            "size_bytes": p.size_bytes,
                            "hooks": p.hooks,
                            "has_config_schema": p.config_schema.is_some(),
                        })
                    })
                    .collect();
                return print_json(&rows);
            }
            for p in plugins {
                println!(
                    "{}  {:<30} {:<12} {:>8} B  {}",
                    p.short_id(),
                    p.name,
                    p.version,
                    p.size_bytes,
                    p.hooks.join(",")
                );
            }
            Ok(())
        }
        PluginCommand::Install {
            hub,
            plugin,
            config_json,
            hook,
        } => {
            let tenant = hub_by_slug(pool, &hub).await?;
            let mut conn = pool.acquire().await?;
            let plugin = registry::find_by_prefix(&mut conn, &plugin)
                .await?
                .ok_or_else(|| {
                    anyhow::anyhow!("no plugin (or more than one) with id '{plugin}'")
                })?;
            drop(conn);
            let config: serde_json::Value = serde_json::from_str(&config_json)
                .map_err(|e| anyhow::anyhow!("--config-json is not valid JSON: {e}"))?;
            let hooks = match hook {
                Some(h) => vec![install::parse_hook(&h)?],
                None => Vec::new(),
            };
            let mut tx = hearth_tenants::TenantTx::begin(pool, &tenant).await?;
            let ids = install::install(&mut tx, &plugin, &hooks, config, None).await?;
            tx.commit().await?;
            println!(
                "installed {} ({}) on hub '{hub}': {} hook(s)",
                plugin.name,
                plugin.short_id(),
                ids.len()
            );
            Ok(())
        }
        PluginCommand::Rollback { hub, hook } => {
            let tenant = hub_by_slug(pool, &hub).await?;
            let hook = install::parse_hook(&hook)?;
            let mut tx = hearth_tenants::TenantTx::begin(pool, &tenant).await?;
            install::rollback(&mut tx, hook, None).await?;
            tx.commit().await?;
            println!("hub '{hub}': the previous plugin for {hook} is active again");
            Ok(())
        }
    }
}

async fn professional_command(
    pool: &sqlx::PgPool,
    command: ProfessionalCommand,
) -> anyhow::Result<()> {
    use hearth_core::professionals::verify::{self, Verified};
    let mut conn = pool.acquire().await?;
    match command {
        ProfessionalCommand::Verify { email } => match verify::verify(&mut conn, &email).await? {
            Verified::Now { name } => {
                println!("verified {name} <{email}>: hubs and clients can see them now");
                Ok(())
            }
            Verified::Already { name, since } => {
                println!(
                    "{name} <{email}> was already verified on {}",
                    since.format("%Y-%m-%d")
                );
                Ok(())
            }
        },
        ProfessionalCommand::List { json } => {
            let professionals = verify::list(&mut conn).await?;
            if json {
                let rows: Vec<serde_json::Value> = professionals
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "email": p.email,
                            "name": p.name,
                            "title": p.title,
                            "kind": p.kind,
                            "country": p.country,
                            "verified_at": p.verified_at,
                            "rejected_at": p.rejected_at,
                        })
                    })
                    .collect();
                return print_json(&rows);
            }
            if professionals.is_empty() {
                println!("no professionals yet");
            }
            for p in professionals {
                let status = match (p.verified_at, p.rejected_at) {
                    (Some(at), _) => format!("verified {}", at.format("%Y-%m-%d")),
                    (None, Some(at)) => format!("rejected {}", at.format("%Y-%m-%d")),
                    (None, None) => "WAITING".to_owned(),
                };
                println!(
                    "{:<20} {:<40} {:<28} {:<13} {:<2}  {}",
                    status, p.email, p.name, p.kind, p.country, p.title
                );
            }
            Ok(())
        }
    }
}

async fn hub_by_slug(pool: &sqlx::PgPool, slug: &str) -> anyhow::Result<hearth_tenants::Tenant> {
    let mut conn = pool.acquire().await?;
    registry::find_by_slug(&mut conn, slug)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no hub '{slug}'"))
}
