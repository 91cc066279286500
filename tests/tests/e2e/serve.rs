//! `hearth serve` as a process: configuration, probes, logs, metrics, shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use hearth_tenants::TenantTx;
use hearth_tests::node::{free_port, Node, NodeOptions};
use hearth_tests::{hearth_binary, TestApp, TestDb};

/// Starts `hearth serve` with a TOML file naming its port, and JSON logs
/// from the environment on a pipe the test reads.
async fn serve(db: &TestDb) -> Node {
    Node::start_with(NodeOptions {
        env: vec![
            ("HEARTH_LOG_FORMAT".into(), "json".into()),
            ("HEARTH_LOG_LEVEL".into(), "info,tower_http=debug".into()),
            (
                "HEARTH_METRICS_TOKEN".into(),
                "scrape-secret-0123456789".into(),
            ),
        ],
        piped_stderr: true,
        ..NodeOptions::new(&db.url, "shutdown_grace_secs = 10")
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reads_its_toml_file_answers_probes_and_logs_json_with_request_ids() {
    let db = TestDb::new().await;
    db.hub("alpha", "Alpha Inc").await;
    let mut server = serve(&db).await;
    let client = reqwest::Client::new();

    assert_eq!(
        client
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    let ready = client
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let hub = client
        .get(format!("{}/", server.base))
        .header("host", "alpha.hearth.localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(hub.status(), 200);
    let request_id = hub
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(request_id.len(), 36, "a UUID request id is returned");

    // Not public: no token, or a wrong one, finds nothing there.
    for auth in [None, Some("Bearer wrong")] {
        let mut request = client.get(format!("{}/metrics", server.base));
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let refused = request.send().await.expect("metrics request");
        assert_eq!(refused.status(), 404, "{auth:?}");
    }
    let metrics = client
        .get(format!("{}/metrics", server.base))
        .header("authorization", "Bearer scrape-secret-0123456789")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"hearth_http_requests_total{route="/",method="GET",status="200"} 1"#),
        "{metrics}"
    );
    assert!(metrics.contains("hearth_http_request_duration_seconds_bucket{route=\"/\""));
    assert!(metrics.contains("hearth_db_pool_connections{state=\"idle\"}"));

    // A reset link's token is in its path: the log keeps the route, not the path.
    let secret = "tok3n-that-must-never-be-logged-0123456789";
    let reset = client
        .get(format!(
            "{}/reset/{secret}?next=/also-{secret}",
            server.base
        ))
        .send()
        .await
        .expect("reset page");
    assert!(reset.status().is_success() || reset.status().is_client_error());

    // Stop it, then read its log: JSON lines, the request id on the request's lines.
    nix_kill(&server.child, "TERM");
    let status = server.child.wait().unwrap();
    assert!(status.success(), "SIGTERM ends hearth serve cleanly");
    let stderr = server.child.stderr.take().unwrap();
    let lines: Vec<serde_json::Value> = BufReader::new(stderr)
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).expect("every log line is JSON"))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["span"]["request_id"] == request_id.as_str()),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l["span"]["route"] == "/reset/{token}"),
        "the route template is logged: {lines:?}"
    );
    let all = lines
        .iter()
        .map(serde_json::Value::to_string)
        .collect::<String>();
    assert!(!all.contains(secret), "a token reached the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_in_flight_requests_finish() {
    let db = TestDb::new().await;
    let alpha = db.hub("alpha", "Alpha Inc").await;
    let mut server = serve(&db).await;

    // Hold the hub's settings so the hub page waits on the lock.
    let mut blocker = TenantTx::begin(&db.pool, &alpha).await.unwrap();
    sqlx::query("LOCK TABLE hub_settings IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let url = format!("{}/h/alpha/", server.base);
    let in_flight = tokio::spawn(async move { reqwest::get(url).await });
    // The request is in flight once its query waits for the lock.
    let start = Instant::now();
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the request never waited"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    nix_kill(&server.child, "TERM");
    // SIGTERM is handled once the server takes no new connections.
    let address = server.base.trim_start_matches("http://").to_owned();
    let start = Instant::now();
    while tokio::net::TcpStream::connect(&address).await.is_ok() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still accepting after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "still finishing the request"
    );
    drop(blocker);

    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("Alpha Inc"));
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "exits once the request is done"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_platform_page_and_static_files_are_served() {
    let app = TestApp::spawn().await;
    let page = app.get("/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Wellbeing"));
    let css = app.get("/static/default/hearth.css").await;
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    // A child theme serves its parent's files too.
    assert_eq!(app.get("/static/calm/hearth.css").await.status(), 200);
    assert_eq!(
        app.get("/static/default/../../Cargo.toml").await.status(),
        404
    );
    assert_eq!(app.get("/no/such/page").await.status(), 404);
}

fn nix_kill(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .expect("test setup");
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_to_start_with_mail_capture_on() {
    let db = TestDb::new().await;
    let out = std::process::Command::new(hearth_binary())
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("HEARTH_LISTEN", format!("127.0.0.1:{}", free_port()))
        .env("HEARTH_MAIL_CAPTURE", "true")
        .output()
        .expect("run hearth serve");
    assert!(!out.status.success(), "hearth serve must not start");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("mail_capture is on"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
