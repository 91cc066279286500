//! coturn, the TURN server of video sessions in development and in tests:
//! started on loopback with a generated secret (the TURN REST scheme's
//! `static-auth-secret`, which `hearth serve` signs its short-lived
//! credentials with), and stopped when dropped.
//!
//! Debian's `coturn` package provides `turnserver` (`./scripts/dev` and
//! `./scripts/test` install it). What it needs on loopback, found by trying:
//! `allow-loopback-peers` (it refuses loopback peers otherwise), which it
//! accepts only with `no-cli`; a `realm` (without one it answers 401 to every
//! allocation); and a pid file and log of its own (its defaults are system
//! paths).

use std::net::{TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use rand::distributions::{Alphanumeric, DistString};

/// A running coturn.
pub struct Coturn {
    child: Child,
    /// Its port (UDP and TCP) on 127.0.0.1.
    pub port: u16,
    /// The shared secret.
    pub secret: String,
    /// Its log file.
    pub log: PathBuf,
}

impl Drop for Coturn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Coturn {
    /// The `turn:` URLs to configure (`turn_urls`), UDP then TCP.
    pub fn urls(&self) -> Vec<String> {
        vec![
            format!("turn:127.0.0.1:{}?transport=udp", self.port),
            format!("turn:127.0.0.1:{}?transport=tcp", self.port),
        ]
    }

    /// The `stun:` URL.
    pub fn stun_url(&self) -> String {
        format!("stun:127.0.0.1:{}", self.port)
    }

    /// Whether `turnserver` is installed.
    pub fn available() -> bool {
        Command::new("turnserver")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Starts coturn on a free loopback port, keeping its pid file and log in
    /// `dir`; returns once it accepts connections.
    pub fn start(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let port = free_port()?;
        let secret = Alphanumeric.sample_string(&mut rand::thread_rng(), 32);
        let log = dir.join("turnserver.log");
        // Relayed addresses come from a small range beside the port.
        let (min, max) = relay_range(port);
        let child = Command::new("turnserver")
            .args([
                "-n",
                "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1",
                &format!("--listening-port={port}"),
                &format!("--min-port={min}"),
                &format!("--max-port={max}"),
                "--use-auth-secret",
                &format!("--static-auth-secret={secret}"),
                "--realm=hearth.localhost",
                "--allow-loopback-peers",
                "--no-cli",
                "--no-tls",
                "--no-dtls",
                "--fingerprint",
                "--simple-log",
                &format!("--log-file={}", log.display()),
                &format!("--pidfile={}", dir.join("turnserver.pid").display()),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting turnserver (Debian's coturn package)")?;
        let mut coturn = Self {
            child,
            port,
            secret,
            log,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = coturn.child.try_wait()? {
                bail!(
                    "turnserver exited ({status}); its log: {}",
                    coturn.log.display()
                );
            }
            if started.elapsed() > Duration::from_secs(15) {
                bail!(
                    "turnserver did not start; its log: {}",
                    coturn.log.display()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(coturn)
    }
}

/// A port free on 127.0.0.1 for both UDP and TCP.
fn free_port() -> anyhow::Result<u16> {
    for _ in 0..50 {
        let udp = UdpSocket::bind("127.0.0.1:0")?;
        let port = udp.local_addr()?.port();
        let (min, max) = relay_range(port);
        if TcpListener::bind(("127.0.0.1", port)).is_ok()
            && max > min
            && UdpSocket::bind(("127.0.0.1", min)).is_ok()
        {
            return Ok(port);
        }
    }
    bail!("no port free for both UDP and TCP on 127.0.0.1")
}

/// A thousand relay ports below `port` (ephemeral ports are high, so there is
/// room). Each browser allocates a relay per TURN URL for its device check and
/// again for its call, and an allocation a closed browser did not release
/// lives ten minutes: with fifty ports, the sixth call in a row found none.
fn relay_range(port: u16) -> (u16, u16) {
    let max = port.saturating_sub(1);
    (max.saturating_sub(999).max(1024), max)
}
