//! Video sessions, reported in docs/benchmarks.md (issue 13).
//!
//! cargo build --workspace --bins
//! target/debug/bench-video [--calls 20] [--messages 400] [--sockets 2000]
//!   [--parts signalling,memory,direct,relay]
//!
//! In a fresh database (on `DATABASE_URL`'s server, else a private cluster),
//! with `hearth serve` processes (the binary beside this one):
//! 1. signalling latency between two nodes: a client's socket on node A, the
//!    professional's on node B, `--messages` messages alternating direction
//!    at the rate limit's pace, each timed from send to receipt;
//! 2. memory of one node holding `--sockets` open signalling sockets (two per
//!    appointment), its resident set before and after;
//! 3. join to first remote frame in two headless Chromiums with fake devices
//!    (`--calls` calls, both pressing Join at once after the device check),
//!    directly and through coturn (`iceTransportPolicy: relay`).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use fantoccini::{Client, Locator};
use futures::{SinkExt, StreamExt};
use hearth_admin::turn::Coturn;
use hearth_tests::chrome::{chromedriver, media_browser, sign_in, wait_until, Media};
use hearth_tests::TestDb;
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

#[derive(Parser)]
struct Args {
    /// Calls timed from Join to the first remote frame, in each mode.
    #[arg(long, default_value_t = 20)]
    calls: usize,
    /// Signalling messages timed between two nodes.
    #[arg(long, default_value_t = 400)]
    messages: usize,
    /// Open sockets held by one node.
    #[arg(long, default_value_t = 2_000)]
    sockets: usize,
    /// What to measure: any of signalling, memory, direct, relay.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "signalling,memory,direct,relay"
    )]
    parts: Vec<String>,
}

/// `hearth serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(url: &str, env: &[(&str, String)]) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let exe = std::env::current_exe()?;
        let hearth: PathBuf = exe.parent().context("binary folder")?.join("hearth");
        let mut cmd = Command::new(&hearth);
        cmd.arg("serve")
            .env_remove("RUST_LOG")
            .env("DATABASE_URL", url)
            .env("HEARTH_LISTEN", format!("127.0.0.1:{port}"))
            .env("HEARTH_LOG_LEVEL", "warn")
            .env("HEARTH_MAIL_WORKER", "false")
            .env("HEARTH_BOOKING_REMINDERS", "false")
            .env("HEARTH_DOMAIN_CHECKS", "false")
            .env(
                "HEARTH_THEMES_DIR",
                hearth_tests::workspace_root().join("themes"),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
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
            anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "not ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn rss_kib(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .context("VmRSS")
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(base: &str, id: Uuid, token: &str) -> anyhow::Result<Socket> {
    let url = format!(
        "{}/appointments/{id}/session/signal",
        base.replace("http://", "ws://")
    );
    let mut request = url.into_client_request()?;
    request
        .headers_mut()
        .insert("cookie", format!("hearth_session={token}").parse()?);
    request.headers_mut().insert("origin", base.parse()?);
    let (socket, _) = tokio_tungstenite::connect_async(request).await?;
    Ok(socket)
}

async fn next_of(socket: &mut Socket, kind: &str) -> anyhow::Result<Value> {
    loop {
        let m = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .context("a message within 10 s")?
            .context("socket closed")??;
        if let Message::Text(t) = m {
            let v: Value = serde_json::from_str(t.as_str())?;
            if v["type"] == kind {
                return Ok(v);
            }
        }
    }
}

/// `count` appointments in the join window, each with its own professional
/// and client; returns (appointment, professional, client).
async fn appointments(
    pool: &PgPool,
    tag: &str,
    count: usize,
) -> anyhow::Result<Vec<(Uuid, Uuid, Uuid)>> {
    let n = i32::try_from(count)?;
    sqlx::query(
        "INSERT INTO users (id, email, name, email_verified_at, timezone) \
         SELECT gen_random_uuid(), 'p' || i || '@' || $2 || '.test', 'Pro ' || i, now(), 'UTC' FROM generate_series(1, $1) i \
         UNION ALL \
         SELECT gen_random_uuid(), 'c' || i || '@' || $2 || '.test', 'Client ' || i, now(), 'UTC' FROM generate_series(1, $1) i",
    )
    .bind(n)
    .bind(tag)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO terms_acceptances (user_id, version) SELECT id, $1 FROM users WHERE email LIKE '%@' || $2 || '.test'",
    )
    .bind(hearth_core::web::session::TERMS_VERSION)
    .bind(tag)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO professionals (user_id, title, verified_at, timezone) \
         SELECT id, 'Psychologist', now(), 'UTC' FROM users WHERE email LIKE 'p%@' || $1 || '.test'",
    )
    .bind(tag)
    .execute(pool)
    .await?;
    let rows: Vec<(Uuid, Uuid, Uuid)> = sqlx::query_as(
        "INSERT INTO appointments (id, professional_id, client_id, service_name, mode, session_type, \
           starts_at, ends_at, blocked_until, price_minor, currency) \
         SELECT gen_random_uuid(), p.id, c.id, 'Talk therapy', 'video', 'individual', now() + interval '5 minutes', \
           now() + interval '55 minutes', now() + interval '55 minutes', 0, 'EUR' \
         FROM generate_series(1, $1) i \
         JOIN users p ON p.email = 'p' || i || '@' || $2 || '.test' JOIN users c ON c.email = 'c' || i || '@' || $2 || '.test' \
         RETURNING id, professional_id, client_id",
    )
    .bind(n)
    .bind(tag)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

async fn session(pool: &PgPool, user: Uuid) -> anyhow::Result<String> {
    Ok(hearth_tests::fixtures::session_token(pool, user).await)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn report(what: &str, mut samples: Vec<f64>, unit: &str) {
    samples.sort_by(f64::total_cmp);
    println!(
        "{what}: n={} p50 {:.1} {unit}, p95 {:.1} {unit}, p99 {:.1} {unit}, max {:.1} {unit}",
        samples.len(),
        percentile(&samples, 50.0),
        percentile(&samples, 95.0),
        percentile(&samples, 99.0),
        samples.last().copied().unwrap_or(f64::NAN)
    );
}

async fn signalling(db: &TestDb, messages: usize) -> anyhow::Result<()> {
    let a = Server::start(&db.url, &[]).await?;
    let b = Server::start(&db.url, &[]).await?;
    let (id, pro, client) = appointments(&db.pool, "signalling", 1).await?[0];
    let mut c = connect(&a.base, id, &session(&db.pool, client).await?).await?;
    next_of(&mut c, "welcome").await?;
    let mut p = connect(&b.base, id, &session(&db.pool, pro).await?).await?;
    next_of(&mut p, "welcome").await?;
    next_of(&mut c, "joined").await?;
    next_of(&mut p, "joined").await?;
    let mut samples = Vec::with_capacity(messages);
    let bar = indicatif::ProgressBar::new(messages as u64);
    for i in 0..messages {
        let (from, to) = if i % 2 == 0 {
            (&mut c, &mut p)
        } else {
            (&mut p, &mut c)
        };
        let body = json!({ "type": "media", "audio": i % 4 < 2, "video": true, "screen": false });
        let sent = Instant::now();
        from.send(Message::Text(body.to_string().into())).await?;
        next_of(to, "media").await?;
        samples.push(sent.elapsed().as_secs_f64() * 1000.0);
        bar.inc(1);
        // Under the rate limit (10 a second for each sender).
        tokio::time::sleep(Duration::from_millis(55)).await;
    }
    bar.finish_and_clear();
    report(
        "signalling, client on node A ↔ professional on node B",
        samples,
        "ms",
    );
    Ok(())
}

async fn memory(db: &TestDb, sockets: usize) -> anyhow::Result<()> {
    let server = Server::start(&db.url, &[]).await?;
    let rooms = appointments(&db.pool, "memory", sockets.div_ceil(2)).await?;
    // One socket opened and closed first, so lazily built state is counted
    // in the baseline.
    let (id, _, client) = rooms[0];
    drop(connect(&server.base, id, &session(&db.pool, client).await?).await?);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.rss_kib()?;
    let bar = indicatif::ProgressBar::new(sockets as u64);
    let mut open = Vec::with_capacity(sockets);
    for (id, pro, client) in &rooms {
        for user in [client, pro] {
            if open.len() == sockets {
                break;
            }
            let mut s = connect(&server.base, *id, &session(&db.pool, *user).await?).await?;
            next_of(&mut s, "welcome").await?;
            open.push(s);
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    // Let the joins' announcements settle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = server.rss_kib()?;
    println!(
        "memory of one node: {:.1} MiB before, {:.1} MiB with {} open sockets ({:.1} KiB a socket)",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        open.len(),
        (after.saturating_sub(before)) as f64 / open.len() as f64
    );
    Ok(())
}

async fn signed_in(
    driver: &hearth_tests::chrome::Driver,
    base: &str,
    token: &str,
) -> anyhow::Result<Client> {
    let client = media_browser(driver, Media::Fake).await;
    sign_in(&client, base, token).await;
    Ok(client)
}

/// Opens the room and waits until Join can be pressed; arms the timer.
async fn ready(client: &Client, base: &str, id: Uuid) -> anyhow::Result<()> {
    client
        .goto(&format!("{base}/appointments/{id}/session"))
        .await?;
    wait_until(
        client,
        "document.getElementById('check-signalling').dataset.state === 'ok' && !document.getElementById('join').disabled",
        Duration::from_secs(30),
        "ready to join",
    )
    .await;
    client
        .execute(
            "window.__t0 = null; window.__t1 = null;
             document.getElementById('join').addEventListener('click', () => { window.__t0 = performance.now(); }, { capture: true });
             const poll = () => {
               const v = [...document.querySelectorAll('#remote-tiles video')].find(v => v.videoWidth > 0 && v.currentTime > 0);
               if (v && window.__t0 !== null) { window.__t1 = performance.now(); } else { setTimeout(poll, 2); }
             };
             poll();",
            vec![],
        )
        .await?;
    Ok(())
}

async fn calls(db: &TestDb, count: usize, relay: bool) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut env = Vec::new();
    let _turn = if relay {
        let turn = Coturn::start(dir.path())?;
        env.push(("HEARTH_TURN_URLS", serde_json::to_string(&turn.urls())?));
        env.push(("HEARTH_TURN_SECRET", turn.secret.clone()));
        env.push(("HEARTH_ICE_TRANSPORT_POLICY", "relay".to_owned()));
        Some(turn)
    } else {
        None
    };
    let server = Server::start(&db.url, &env).await?;
    let driver = chromedriver().await;
    let mut samples = Vec::with_capacity(count * 2);
    let bar = indicatif::ProgressBar::new(count as u64);
    for _ in 0..count {
        let (id, pro, client) = appointments_one(&db.pool).await?;
        let c = signed_in(&driver, &server.base, &session(&db.pool, client).await?).await?;
        let p = signed_in(&driver, &server.base, &session(&db.pool, pro).await?).await?;
        let (rc, rp) = tokio::join!(ready(&c, &server.base, id), ready(&p, &server.base, id));
        rc?;
        rp?;
        let (jc, jp) = tokio::join!(
            async { c.find(Locator::Id("join")).await?.click().await },
            async { p.find(Locator::Id("join")).await?.click().await }
        );
        jc?;
        jp?;
        for page in [&c, &p] {
            wait_until(
                page,
                "window.__t1 !== null",
                Duration::from_secs(30),
                "a remote frame",
            )
            .await;
            let ms = page
                .execute("return window.__t1 - window.__t0;", vec![])
                .await?
                .as_f64()
                .context("a time")?;
            samples.push(ms);
        }
        c.close().await?;
        p.close().await?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    report(
        if relay {
            "Join to first remote frame, through coturn (relay only)"
        } else {
            "Join to first remote frame, direct on loopback"
        },
        samples,
        "ms",
    );
    Ok(())
}

/// One more appointment of a new pair, in the window.
async fn appointments_one(pool: &PgPool) -> anyhow::Result<(Uuid, Uuid, Uuid)> {
    let pro = Uuid::new_v4();
    let client = Uuid::new_v4();
    for (id, who) in [(pro, "p"), (client, "c")] {
        sqlx::query(
            "INSERT INTO users (id, email, name, email_verified_at, timezone) VALUES ($1, $2, $3, now(), 'UTC')",
        )
        .bind(id)
        .bind(format!("{who}-{id}@calls.test"))
        .bind(format!("{who} {}", &id.simple().to_string()[..6]))
        .execute(pool)
        .await?;
        sqlx::query("INSERT INTO terms_acceptances (user_id, version) VALUES ($1, $2)")
            .bind(id)
            .bind(hearth_core::web::session::TERMS_VERSION)
            .execute(pool)
            .await?;
    }
    sqlx::query(
        "INSERT INTO professionals (user_id, title, verified_at, timezone) VALUES ($1, 'Psychologist', now(), 'UTC')",
    )
    .bind(pro)
    .execute(pool)
    .await?;
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO appointments (id, professional_id, client_id, service_name, mode, session_type, \
           starts_at, ends_at, blocked_until, price_minor, currency) \
         VALUES (gen_random_uuid(), $1, $2, 'Talk therapy', 'video', 'individual', now() + interval '5 minutes', \
           now() + interval '55 minutes', now() + interval '55 minutes', 0, 'EUR') RETURNING id",
    )
    .bind(pro)
    .bind(client)
    .fetch_one(pool)
    .await?;
    Ok((id, pro, client))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = TestDb::new().await;
    println!("database {}", db.name);
    let part = |p: &str| args.parts.iter().any(|x| x == p);
    if part("signalling") {
        signalling(&db, args.messages).await?;
    }
    if part("memory") {
        memory(&db, args.sockets).await?;
    }
    if part("direct") {
        calls(&db, args.calls, false).await?;
    }
    if part("relay") {
        calls(&db, args.calls, true).await?;
    }
    Ok(())
}
