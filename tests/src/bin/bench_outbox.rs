//! The outbox worker's delivery rate to a local SMTP server, reported in
//! docs/benchmarks-email.md.
//!
//! cargo run --release -p hearth-tests --bin bench-outbox -- [--emails 5000] [--nodes 1,2] [--concurrency 8]
//!
//! Uses `DATABASE_URL`'s server (a fresh database per run), else the tests'
//! private cluster. The SMTP server is the tests' capture server, in this
//! process, on 127.0.0.1.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use clap::Parser;
use hearth_core::config::{Config, SmtpTls};
use hearth_core::email::worker::Worker;
use hearth_core::email::{enqueue, Outgoing};
use hearth_tests::smtp::SmtpServer;
use hearth_tests::TestDb;

#[derive(Parser)]
struct Args {
    /// Emails enqueued before the workers start.
    #[arg(long, default_value_t = 5_000)]
    emails: usize,
    /// Numbers of nodes to measure, each on a fresh database.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 2])]
    nodes: Vec<usize>,
    /// SMTP connections per node (the worker's `concurrency`); several values are measured in turn.
    #[arg(long, value_delimiter = ',', default_values_t = [8])]
    concurrency: Vec<usize>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    println!(
        "server: {}",
        if std::env::var("DATABASE_URL").is_ok() {
            "DATABASE_URL"
        } else {
            "private test cluster (fsync off)"
        }
    );
    let runs: Vec<(usize, usize)> = args
        .concurrency
        .iter()
        .flat_map(|&c| args.nodes.iter().map(move |&n| (n, c)))
        .collect();
    for (nodes, concurrency) in runs {
        let db = TestDb::new().await;
        let smtp = SmtpServer::start().await;
        let config = Config {
            database_url: Some(db.url.clone()),
            smtp_host: "127.0.0.1".into(),
            smtp_port: smtp.port(),
            smtp_tls: SmtpTls::None,
            ..Config::default()
        };

        let started = Instant::now();
        let mut tx = db.pool.begin().await?;
        for i in 0..args.emails {
            let message = Outgoing {
                kind: "bench".into(),
                to: format!("member{i}@example.com"),
                to_name: Some(format!("Member {i}")),
                tenant_id: None,
                subject: format!("Your verification code ({i})"),
                text: format!("Your verification code is {:06}.\n", i % 1_000_000),
                html: format!(
                    "<p>Your verification code is <strong>{:06}</strong>.</p>",
                    i % 1_000_000
                ),
                attachments: Vec::new(),
            };
            enqueue(&mut tx, &message).await?;
        }
        tx.commit().await?;
        let enqueued = started.elapsed();

        // Production settings; each node with its own pool, as separate processes have.
        let started = Instant::now();
        let mut workers = Vec::new();
        for _ in 0..nodes {
            let pool = hearth_tenants::db::connect(&db.url, &config.pool_settings()).await?;
            let mut worker = Worker::from_config(&config)?;
            worker.concurrency = concurrency;
            workers.push(worker.spawn_listening(pool));
        }
        smtp.wait_for(args.emails, Duration::from_secs(600)).await;
        let delivered = started.elapsed();
        loop {
            let sent: i64 =
                sqlx::query_scalar("SELECT count(*) FROM email_outbox WHERE status = 'sent'")
                    .fetch_one(&db.pool)
                    .await?;
            if usize::try_from(sent)? == args.emails {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let recorded = started.elapsed();
        for worker in &workers {
            worker.abort();
        }
        let received = smtp.messages();
        let unique: HashSet<&str> = received.iter().map(|m| m.rcpt_to[0].as_str()).collect();
        anyhow::ensure!(
            received.len() == args.emails && unique.len() == args.emails,
            "expected {} distinct emails, received {} ({} distinct)",
            args.emails,
            received.len(),
            unique.len()
        );
        println!(
            "{nodes} node(s) x {concurrency} connections: {} emails enqueued in {:.2} s; delivered in {:.2} s ({:.0} emails/s), \
             all marked sent after {:.2} s; none lost, none twice",
            args.emails,
            enqueued.as_secs_f64(),
            delivered.as_secs_f64(),
            args.emails as f64 / delivered.as_secs_f64(),
            recorded.as_secs_f64()
        );
        db.pool.close().await;
    }
    Ok(())
}
