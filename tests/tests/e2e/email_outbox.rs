//! Email delivery: the outbox worker sends over a real SMTP connection to a
//! capture server, retries while the server is down, loses nothing and sends
//! nothing twice with several nodes, gives up after N attempts; `hearth dev`'s
//! capture mode shows mail at `/dev/mail`.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use hearth_core::config::{Config, SmtpTls};
use hearth_core::email::worker::Worker;
use hearth_core::email::{enqueue, Attachment, Outgoing};
use hearth_core::Application;
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{workspace_root, TestDb};
use sqlx::PgPool;

const WAIT: Duration = Duration::from_secs(20);

/// Settings of a node that sends to `smtp`.
fn config(db: &TestDb, smtp: &SmtpServer) -> Config {
    Config {
        database_url: Some(db.url.clone()),
        listen: "127.0.0.1:0".parse().expect("address"),
        themes_dir: workspace_root().join("themes"),
        smtp_host: "127.0.0.1".into(),
        smtp_port: smtp.port(),
        smtp_tls: SmtpTls::None,
        mail_from: "Hearth Team <no-reply@hearth.test>".into(),
        metrics_token: Some("outbox-metrics-token".into()),
        ..Config::default()
    }
}

/// A node of the application, serving until dropped.
struct Node {
    address: String,
    state: hearth_core::AppState,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn start_node(config: Config, pool: PgPool) -> Node {
    let app = Application::build_with_pool(config, pool)
        .await
        .expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    Node {
        address,
        state,
        _stop: stop,
    }
}

/// A delivery worker with short waits, on a pool of its own (as another node
/// has), and the count of rounds it finished.
struct FastWorker {
    _task: tokio::task::JoinHandle<()>,
    rounds: tokio::sync::watch::Receiver<u64>,
}

impl FastWorker {
    /// Waits until the worker has finished two more rounds, the first begun
    /// after now: anything it would still send, it has sent.
    async fn looked_again(&mut self) {
        let now = *self.rounds.borrow_and_update();
        tokio::time::timeout(WAIT, self.rounds.wait_for(|n| *n >= now + 2))
            .await
            .expect("the worker finished two rounds")
            .expect("the worker runs");
    }
}

async fn fast_worker(db: &TestDb, config: &Config, max_attempts: i32) -> FastWorker {
    let mut worker = Worker::from_config(config).expect("worker settings");
    worker.poll_interval = Duration::from_millis(100);
    worker.backoff_base = Duration::from_millis(100);
    worker.backoff_max = Duration::from_millis(400);
    worker.max_attempts = max_attempts;
    worker.batch_size = 8;
    let settings = hearth_tenants::db::PoolSettings {
        max_connections: 4,
        ..Default::default()
    };
    let pool = hearth_tenants::db::connect(&db.url, &settings)
        .await
        .expect("pool");
    let rounds = worker.rounds();
    FastWorker {
        _task: worker.spawn_listening(pool),
        rounds,
    }
}

fn email(to: &str, subject: &str, code: &str) -> Outgoing {
    Outgoing {
        kind: "verify_code".into(),
        to: to.into(),
        to_name: Some("Ada Lovelace".into()),
        tenant_id: None,
        subject: subject.into(),
        text: format!("Your verification code is {code}.\nIt expires in 15 minutes.\n"),
        html: format!("<p>Your verification code is <strong>{code}</strong>.</p>"),
        attachments: Vec::new(),
    }
}

/// Enqueues `message` in a committed transaction, as a signup would.
async fn enqueue_committed(pool: &PgPool, message: &Outgoing) -> i64 {
    let mut tx = pool.begin().await.expect("begin");
    let id = enqueue(&mut tx, message).await.expect("enqueue");
    tx.commit().await.expect("commit");
    id
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    status: String,
    attempts: i32,
    last_error: Option<String>,
    sent: bool,
}

async fn row(pool: &PgPool, id: i64) -> Row {
    sqlx::query_as(
        "SELECT status, attempts, last_error, sent_at IS NOT NULL AS sent FROM email_outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .expect("outbox row")
}

/// Polls `check` until it holds; panics with `what` after `WAIT`.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < WAIT, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn count(pool: &PgPool, condition: &str) -> i64 {
    sqlx::query_scalar(&format!(
        "SELECT count(*) FROM email_outbox WHERE {condition}"
    ))
    .fetch_one(pool)
    .await
    .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committed_email_arrives_over_smtp_with_text_and_html_parts_and_a_rolled_back_one_never_does(
) {
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let node = start_node(config(&db, &smtp), db.pool.clone()).await;

    let mut rolled_back = db.pool.begin().await.unwrap();
    enqueue(
        &mut rolled_back,
        &email("ghost@example.com", "Never sent", "000000"),
    )
    .await
    .unwrap();
    rolled_back.rollback().await.unwrap();
    let id = enqueue_committed(
        &db.pool,
        &email("ada@example.com", "Votre code – Hearth", "493817"),
    )
    .await;

    let received = smtp.wait_for(1, WAIT).await;
    let message = received[0].parsed();
    assert_eq!(received[0].rcpt_to, ["ada@example.com"]);
    assert_eq!(received[0].mail_from, "no-reply@hearth.test");
    assert_eq!(message.from, "no-reply@hearth.test");
    assert_eq!(message.from_name.as_deref(), Some("Hearth Team"));
    assert_eq!(message.to, "ada@example.com");
    assert_eq!(message.to_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(message.subject, "Votre code – Hearth");
    assert_eq!(message.content_types[0], "multipart/alternative");
    assert!(
        message
            .text
            .as_deref()
            .unwrap()
            .contains("Your verification code is 493817."),
        "{message:?}"
    );
    assert!(
        message
            .html
            .as_deref()
            .unwrap()
            .contains("<strong>493817</strong>"),
        "{message:?}"
    );
    assert!(message.attachments.is_empty());
    assert!(
        message.message_id.starts_with(&format!("{id}.")),
        "{}",
        message.message_id
    );
    assert!(
        message.message_id.ends_with("@hearth.test"),
        "{}",
        message.message_id
    );

    eventually("the row is marked sent", || async {
        row(&db.pool, id).await.status == "sent"
    })
    .await;
    let sent = row(&db.pool, id).await;
    assert_eq!((sent.attempts, sent.last_error, sent.sent), (1, None, true));

    hearth_tests::outbox_settled(&db.pool).await;
    assert_eq!(smtp.count(), 1, "the rolled-back email was never sent");
    let metrics = reqwest::Client::new()
        .get(format!("{}/metrics", node.address))
        .header("authorization", "Bearer outbox-metrics-token")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"hearth_emails_sent_total{kind="verify_code"} 1"#),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attachment_arrives_with_its_name_type_and_bytes() {
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let _node = start_node(config(&db, &smtp), db.pool.clone()).await;
    let ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Session\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let mut message = email("grace@example.com", "Your session", "111111");
    message.kind = "appointment_booked".into();
    message.attachments.push(Attachment {
        filename: "session.ics".into(),
        content_type: "text/calendar; method=REQUEST".into(),
        content_base64: base64::engine::general_purpose::STANDARD.encode(ics),
    });
    enqueue_committed(&db.pool, &message).await;

    let message = smtp.wait_for(1, WAIT).await[0].parsed();
    assert_eq!(message.content_types[0], "multipart/mixed");
    assert!(
        message
            .content_types
            .contains(&"multipart/alternative".to_owned()),
        "{:?}",
        message.content_types
    );
    assert!(message.text.unwrap().contains("111111"));
    assert!(message.html.unwrap().contains("<strong>111111</strong>"));
    assert_eq!(message.attachments.len(), 1);
    let (name, content_type, bytes) = &message.attachments[0];
    assert_eq!(name, "session.ics");
    assert_eq!(content_type, "text/calendar");
    assert_eq!(bytes.as_slice(), ics.as_slice());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_smtp_is_down_emails_wait_in_the_outbox_and_each_goes_out_exactly_once_when_it_returns(
) {
    let db = TestDb::new().await;
    let mut smtp = SmtpServer::start().await;
    smtp.stop().await;
    let config = config(&db, &smtp);
    // Two nodes, each with its own pool and worker.
    let mut one = fast_worker(&db, &config, 1000).await;
    let mut two = fast_worker(&db, &config, 1000).await;

    let mut ids = Vec::new();
    for i in 0..40 {
        ids.push(
            enqueue_committed(
                &db.pool,
                &email(
                    &format!("user{i}@example.com"),
                    &format!("Code {i}"),
                    "222333",
                ),
            )
            .await,
        );
    }
    eventually("every email has failed at least twice", || async {
        count(&db.pool, "attempts >= 2 AND last_error IS NOT NULL").await == 40
    })
    .await;
    assert_eq!(
        count(&db.pool, "status = 'pending'").await,
        40,
        "nothing is given up or marked sent"
    );
    let failed = row(&db.pool, ids[0]).await;
    assert!(!failed.sent);
    assert!(
        failed
            .last_error
            .unwrap()
            .to_lowercase()
            .contains("connection"),
        "the SMTP error is recorded"
    );
    assert_eq!(smtp.count(), 0);

    smtp.restart().await;
    let received = smtp.wait_for(40, WAIT).await;
    eventually("every row is marked sent", || async {
        count(&db.pool, "status = 'sent'").await == 40
    })
    .await;
    // Both workers look again: a duplicate would have been sent by now.
    one.looked_again().await;
    two.looked_again().await;
    let received_again = smtp.messages();
    assert_eq!(received_again.len(), 40, "no email was delivered twice");
    let recipients: HashSet<String> = received.iter().map(|m| m.rcpt_to[0].clone()).collect();
    assert_eq!(recipients.len(), 40, "every recipient got their email");
    let message_ids: Vec<String> = received_again
        .iter()
        .map(|m| m.parsed().message_id)
        .collect();
    for id in &ids {
        let prefix = format!("{id}.");
        let copies = message_ids
            .iter()
            .filter(|m| m.starts_with(&prefix))
            .count();
        assert_eq!(
            copies, 1,
            "outbox row {id} went out once, under its own Message-ID"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_draining_a_burst_send_each_email_exactly_once() {
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let config = config(&db, &smtp);
    let mut tx = db.pool.begin().await.unwrap();
    for i in 0..300 {
        enqueue(
            &mut tx,
            &email(
                &format!("member{i}@example.com"),
                &format!("Welcome {i}"),
                "1",
            ),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut one = fast_worker(&db, &config, 8).await;
    let mut two = fast_worker(&db, &config, 8).await;

    smtp.wait_for(300, WAIT).await;
    eventually("every row is marked sent", || async {
        count(&db.pool, "status = 'sent'").await == 300
    })
    .await;
    one.looked_again().await;
    two.looked_again().await;
    let received = smtp.messages();
    assert_eq!(received.len(), 300);
    let recipients: HashSet<&str> = received.iter().map(|m| m.rcpt_to[0].as_str()).collect();
    assert_eq!(recipients.len(), 300, "none lost, none twice");
    assert_eq!(
        count(&db.pool, "attempts = 1").await,
        300,
        "each was attempted once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_is_marked_dead_after_the_configured_number_of_failures_and_never_sent() {
    let db = TestDb::new().await;
    let mut smtp = SmtpServer::start().await;
    smtp.stop().await;
    let mut worker = fast_worker(&db, &config(&db, &smtp), 3).await;
    let id = enqueue_committed(&db.pool, &email("bob@example.com", "Code", "424242")).await;

    eventually("the email is dead", || async {
        row(&db.pool, id).await.status == "dead"
    })
    .await;
    let dead = row(&db.pool, id).await;
    assert_eq!(dead.attempts, 3);
    assert!(!dead.sent);
    let error = dead.last_error.unwrap();
    assert!(
        !error.contains("424242"),
        "the error never holds the message: {error}"
    );

    smtp.restart().await;
    worker.looked_again().await;
    assert_eq!(smtp.count(), 0, "a dead email is not sent");
    assert_eq!(row(&db.pool, id).await.attempts, 3, "nor attempted again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_with_the_mail_worker_off_leaves_mail_for_the_nodes_that_run_it() {
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let config = config(&db, &smtp);
    let node = start_node(
        Config {
            mail_worker: false,
            ..config.clone()
        },
        db.pool.clone(),
    )
    .await;
    assert!(
        node.state.mail_rounds.is_none(),
        "the node runs no delivery worker"
    );
    // The node serves (and hears of the outbox) all the same.
    assert!(node.state.listening(WAIT).await);
    let id = enqueue_committed(&db.pool, &email("carol@example.com", "Code", "777777")).await;
    assert_eq!(smtp.count(), 0);
    let waiting = row(&db.pool, id).await;
    assert_eq!((waiting.status.as_str(), waiting.attempts), ("pending", 0));

    let _worker = fast_worker(&db, &config, 8).await;
    let message = smtp.wait_for(1, WAIT).await[0].parsed();
    assert!(message.text.unwrap().contains("777777"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_capture_mode_mail_is_marked_sent_without_smtp_and_readable_at_dev_mail() {
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let node = start_node(
        Config {
            mail_capture: true,
            ..config(&db, &smtp)
        },
        db.pool.clone(),
    )
    .await;
    let mut message = email("dora@example.com", "Your code <for Hearth>", "918273");
    message.html = "<p>Code: <strong>918273</strong></p>".into();
    let id = enqueue_committed(&db.pool, &message).await;
    let newer = enqueue_committed(&db.pool, &email("eve@example.com", "A newer email", "1")).await;

    eventually("the email is marked sent", || async {
        row(&db.pool, id).await.status == "sent"
    })
    .await;
    let client = reqwest::Client::new();
    let page = client
        .get(format!("{}/dev/mail", node.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("dora@example.com"), "{page}");
    assert!(
        page.contains("Your code &lt;for Hearth&gt;"),
        "the subject is shown, escaped: {page}"
    );
    assert!(
        page.contains("Your verification code is 918273."),
        "the text body is shown: {page}"
    );
    assert!(
        page.find("eve@example.com").unwrap() < page.find("dora@example.com").unwrap(),
        "newest first"
    );
    assert!(page.contains(&format!("href=\"/dev/mail/{id}\"")));

    let html = client
        .get(format!("{}/dev/mail/{id}", node.address))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    assert_eq!(html.headers()["content-security-policy"], "sandbox");
    assert_eq!(
        html.text().await.unwrap(),
        "<p>Code: <strong>918273</strong></p>"
    );
    let missing = client
        .get(format!("{}/dev/mail/{}", node.address, newer + 100))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    hearth_tests::outbox_settled(&db.pool).await;
    assert_eq!(
        smtp.count(),
        0,
        "captured mail never reaches an SMTP server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_mail_is_not_found_when_capture_is_off() {
    let db = Arc::new(TestDb::new().await);
    let smtp = SmtpServer::start().await;
    let node = start_node(config(&db, &smtp), db.pool.clone()).await;
    enqueue_committed(
        &db.pool,
        &email("frank@example.com", "Secret code", "565656"),
    )
    .await;
    let page = reqwest::get(format!("{}/dev/mail", node.address))
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert!(!page.text().await.unwrap().contains("565656"));
    let one = reqwest::get(format!("{}/dev/mail/1", node.address))
        .await
        .unwrap();
    assert_eq!(one.status(), 404);
}
