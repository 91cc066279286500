//! Login throughput over HTTP, argon2id at OWASP's minimum (m = 19 MiB, t = 2,
//! p = 1). Reported in docs/benchmarks.md.
//!
//! cargo run --release -p hearth-tests --bin bench-login -- [--clients 8] [--seconds 20]

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use hearth_tests::{TestApp, TestDb};

#[derive(Parser)]
struct Args {
    /// Concurrent clients.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// How long to run.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
}

const PASSWORD: &str = "tidal-Quince-47-lantern";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Arc::new(TestDb::new().await);
    let hash = hearth_core::accounts::password::hash(PASSWORD.into()).await?;
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, email_verified_at) \
         SELECT gen_random_uuid(), 'user' || i || '@bench.example', 'User ' || i, $1, now() \
         FROM generate_series(1, $2) i",
    )
    .bind(&hash)
    .bind(i32::try_from(args.clients)?)
    .execute(&db.pool)
    .await?;
    let app = Arc::new(TestApp::spawn_on(Arc::clone(&db)).await);
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for i in 1..=args.clients {
        let app = Arc::clone(&app);
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()?;
            let page = client
                .get(format!("{}/login", app.address))
                .send()
                .await?
                .text()
                .await?;
            let at = page
                .find("name=\"csrf\" value=\"")
                .ok_or_else(|| anyhow::anyhow!("no form"))?;
            let csrf = page[at + 19..]
                .split('"')
                .next()
                .unwrap_or_default()
                .to_owned();
            let email = format!("user{i}@bench.example");
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let started = Instant::now();
                let response = client
                    .post(format!("{}/login", app.address))
                    .form(&[
                        ("email", email.as_str()),
                        ("password", PASSWORD),
                        ("csrf", csrf.as_str()),
                    ])
                    .send()
                    .await?;
                anyhow::ensure!(
                    response
                        .headers()
                        .get("location")
                        .is_some_and(|l| l == "/dashboard"),
                    "login failed: {}",
                    response.status()
                );
                latencies.push(started.elapsed());
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await??);
    }
    all.sort();
    let p = |q: f64| all[((all.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1000.0;
    println!(
        "{} logins by {} clients in {} s: {:.1} logins/s; latency p50 {:.0} ms, p99 {:.0} ms",
        all.len(),
        args.clients,
        args.seconds,
        all.len() as f64 / args.seconds as f64,
        p(0.5),
        p(0.99)
    );
    Ok(())
}
