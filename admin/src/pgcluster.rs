//! A private PostgreSQL cluster made from the machine's PostgreSQL binaries,
//! for `hearth dev` and for tests when no `DATABASE_URL` is given.
//!
//! PostgreSQL refuses to run as root, so under root the cluster belongs to, and
//! runs as, the machine's `postgres` user. The cluster listens on 127.0.0.1 only,
//! with trust authentication, on a free port remembered in `<dir>/port`.

use std::fs::{self, File};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context};
use nix::unistd::{Gid, Uid, User};

/// How to run the cluster.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Folder holding `data/`, `port` and the lock.
    pub dir: PathBuf,
    /// Turn off durability (fsync, full-page writes) for speed: tests only.
    pub ephemeral: bool,
    /// Load Citus (a node of [`crate::citus_cluster::CitusCluster`]).
    pub citus: bool,
}

/// A running private cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Its folder.
    pub dir: PathBuf,
    /// The port it listens on.
    pub port: u16,
    bin: PathBuf,
    owner: Option<(Uid, Gid)>,
}

impl Cluster {
    /// A URL for database `db` as the superuser `postgres`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Stops the cluster, keeping its data.
    pub fn stop(&self) -> anyhow::Result<()> {
        let data = self.dir.join("data");
        run(pg_command(&self.bin, "pg_ctl", self.owner)
            .args(["stop", "-m", "fast", "-w", "-D"])
            .arg(&data))
        .context("stopping PostgreSQL")
    }
}

/// The folder holding `initdb` and `pg_ctl`: on PATH, else the newest
/// `/usr/lib/postgresql/<version>/bin`.
pub fn find_bin_dir() -> anyhow::Result<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>());
    for dir in on_path {
        let initdb = dir.join("initdb");
        if initdb.is_file() && dir.join("pg_ctl").is_file() {
            let real = fs::canonicalize(&initdb).unwrap_or(initdb);
            if let Some(parent) = real.parent() {
                return Ok(parent.to_path_buf());
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, bin)) => Ok(bin),
        None => bail!(
            "PostgreSQL's server programs (initdb, pg_ctl) were not found on PATH or under \
             /usr/lib/postgresql: install them (Debian/Ubuntu: `sudo apt-get install postgresql`) \
             or set DATABASE_URL to a running server"
        ),
    }
}

/// Starts the cluster in `options.dir`, making it first if needed, or finds it
/// running. Safe to call from several processes at once (a file lock).
pub fn ensure_running(options: &ClusterOptions) -> anyhow::Result<Cluster> {
    let bin = find_bin_dir()?;
    let dir = &options.dir;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = fs::canonicalize(dir)?;
    let owner = if Uid::effective().is_root() {
        let user = User::from_name("postgres")?.context(
            "running as root, and PostgreSQL refuses to: a `postgres` user is needed to own the \
             private cluster (it comes with Debian's postgresql packages)",
        )?;
        nix::unistd::chown(&dir, Some(user.uid), Some(user.gid))?;
        Some((user.uid, user.gid))
    } else {
        None
    };
    let lock = File::create(dir.join("lock"))?;
    lock.lock().context("locking the cluster folder")?;

    let cluster = Cluster {
        dir: dir.clone(),
        port: 0,
        bin: bin.clone(),
        owner,
    };
    let data = dir.join("data");
    if !data.join("PG_VERSION").is_file() {
        if data.exists() {
            // A half-made cluster from an interrupted first start.
            fs::remove_dir_all(&data)?;
        }
        fs::create_dir(&data)?;
        fs::set_permissions(&data, fs::Permissions::from_mode(0o700))?;
        if let Some((uid, gid)) = owner {
            nix::unistd::chown(&data, Some(uid), Some(gid))?;
        }
        run(pg_command(&bin, "initdb", owner)
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "-D",
            ])
            .arg(&data))
        .with_context(|| {
            format!(
                "initdb in {} failed; the `postgres` user must be able to reach that folder",
                data.display()
            )
        })?;
    }

    let port_file = dir.join("port");
    let running = pg_command(&bin, "pg_ctl", owner)
        .args(["status", "-D"])
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let remembered: Option<u16> = fs::read_to_string(&port_file)
        .ok()
        .and_then(|p| p.trim().parse().ok());
    if running {
        if let Some(port) = remembered {
            return Ok(Cluster { port, ..cluster });
        }
        // Running but we lost its port: restart it on a known one.
        cluster.stop()?;
    }
    let port = remembered
        .filter(|p| port_is_free(*p))
        .map_or_else(free_port, Ok)?;
    fs::write(&port_file, port.to_string())?;
    let mut settings = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' \
         -c max_connections=300 -c shared_buffers=256MB -c max_locks_per_transaction=256"
    );
    if options.ephemeral {
        settings.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    }
    if options.citus {
        // Two-phase commit across nodes, and logical replication for moving
        // a hub's schema between workers online.
        settings.push_str(
            " -c shared_preload_libraries=citus -c max_prepared_transactions=300 \
             -c wal_level=logical -c max_replication_slots=20 -c max_wal_senders=20 \
             -c max_worker_processes=64",
        );
    }
    let log = data.join("postgres.log");
    let started = run(pg_command(&bin, "pg_ctl", owner)
        .args(["start", "-w", "-t", "60", "-D"])
        .arg(&data)
        .arg("-l")
        .arg(&log)
        .arg("-o")
        .arg(settings));
    if let Err(e) = started {
        let tail = fs::read_to_string(&log).unwrap_or_default();
        let tail: Vec<&str> = tail.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!("{e:#}\nPostgreSQL's log:\n{}", tail.join("\n"));
    }
    drop(lock);
    Ok(Cluster { port, ..cluster })
}

fn pg_command(bin: &Path, program: &str, owner: Option<(Uid, Gid)>) -> Command {
    let mut command = Command::new(bin.join(program));
    command.stdin(Stdio::null()).current_dir("/");
    // Its own process group: the server outlives a test process and its signals.
    command.process_group(0);
    if let Some((uid, gid)) = owner {
        command
            .uid(uid.as_raw())
            .gid(gid.as_raw())
            .env("HOME", "/tmp");
    }
    command
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("running {program}"))?;
    if !output.status.success() {
        bail!(
            "{program} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}
