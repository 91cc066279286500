//! The delivery worker: takes due emails from `email_outbox` and sends them
//! over SMTP, with retries and exponential backoff. Any number of nodes may run
//! one at once.
//!
//! How "none sent twice" holds across nodes: an email is *claimed* in a short
//! statement (`FOR UPDATE SKIP LOCKED`, so concurrent claimers skip each
//! other's rows instead of waiting or taking them twice) that counts the
//! attempt and pushes `next_attempt_at` forward by a lease. The SMTP exchange
//! then runs outside any transaction, and its outcome is written afterwards.
//! While the lease runs, no other worker sees the row as due, so it is sent by
//! one worker only; every send is bounded by a timeout, and the lease is
//! derived from that bound, so it cannot expire under a send in progress.
//! Holding the row lock across the SMTP exchange instead would pin a database
//! connection and an open transaction for as long as the mail server stalls.
//!
//! A node that dies between the send and the write leaves the row pending; it
//! is sent again when the lease ends (at least once, never lost). The resend
//! carries the same `Message-ID`, derived from the outbox row, so it is
//! recognisable as the same message. Counting the attempt at claim time also
//! means a message that kills the worker ends up dead rather than looping.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use futures::StreamExt as _;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rand::Rng as _;
use serde::Deserialize;
use sqlx::PgPool;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use secrecy::ExposeSecret as _;

use crate::cache::{ChangeListener, Subscriber};
use crate::config::{Config, SmtpTls};

/// The channel `enqueue` notifies.
const CHANNEL: &str = "hearth_email_outbox";
/// Most SMTP connections one worker keeps open (and emails it has in flight).
const MAX_CONCURRENCY: usize = 16;
/// Longest one SMTP exchange (connect, envelope, data) may take.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest `last_error` kept.
const MAX_ERROR_LEN: usize = 500;

/// The worker could not be set up from the configuration.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// `mail_from` is not an address.
    #[error("mail_from {0:?} is not an email address")]
    InvalidFrom(String),
    /// The TLS settings for the SMTP host could not be built.
    #[error("SMTP TLS settings: {0}")]
    Tls(#[from] lettre::transport::smtp::Error),
}

/// A delivery worker: its tuning, and where mail goes. [`Worker::from_config`]
/// gives production values; tests and benchmarks may shorten the intervals.
pub struct Worker {
    /// Emails claimed at once.
    pub batch_size: i64,
    /// Emails of a batch in flight at once, each on its own SMTP connection
    /// (at most 16). lettre 0.11.23 leaves Nagle's algorithm on, which costs a
    /// connection about 40 ms a message, so throughput comes from parallel
    /// connections: see docs/benchmarks-email.md.
    pub concurrency: usize,
    /// How often the outbox is looked at without a notification (retries come
    /// due without one).
    pub poll_interval: Duration,
    /// The wait after a first failure; it doubles with each further failure.
    pub backoff_base: Duration,
    /// The longest wait between two attempts.
    pub backoff_max: Duration,
    /// Attempts before an email is marked dead.
    pub max_attempts: i32,
    delivery: Delivery,
    /// Counts the rounds the worker has finished (each delivers everything
    /// due): what a caller waits on to know the worker looked again.
    rounds: tokio::sync::watch::Sender<u64>,
}

/// Where mail goes.
enum Delivery {
    /// Nowhere: marked sent, to be read at `/dev/mail`.
    Capture,
    /// To the SMTP server.
    Smtp(Arc<Smtp>),
}

struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// An email claimed for one attempt.
#[derive(sqlx::FromRow)]
struct Claimed {
    id: i64,
    kind: String,
    to_address: String,
    to_name: Option<String>,
    subject: String,
    text_body: String,
    html_body: String,
    attachments: serde_json::Value,
    attempts: i32,
    created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Deserialize)]
struct StoredAttachment {
    filename: String,
    content_type: String,
    content_base64: String,
}

/// Why one attempt failed.
enum SendError {
    /// The message itself is unusable (bad address, corrupt attachment): retrying cannot help.
    Build(String),
    /// The SMTP exchange failed; it may work later.
    Smtp(lettre::transport::smtp::Error),
    /// The SMTP exchange took longer than [`SEND_TIMEOUT`].
    Timeout,
}

impl SendError {
    /// Full text, kept in `last_error` for the operator.
    fn detail(&self) -> String {
        let text = match self {
            Self::Build(e) => format!("invalid message: {e}"),
            Self::Smtp(e) => e.to_string(),
            Self::Timeout => format!(
                "no answer from the SMTP server within {}s",
                SEND_TIMEOUT.as_secs()
            ),
        };
        truncate(text, MAX_ERROR_LEN)
    }

    /// Text safe for logs: an SMTP server's reply may quote the recipient's
    /// address, so only its code is logged.
    fn loggable(&self) -> String {
        match self {
            Self::Build(_) => "invalid message".into(),
            Self::Smtp(e) => match e.status() {
                Some(code) if e.is_permanent() => format!("permanent SMTP error {code}"),
                Some(code) => format!("transient SMTP error {code}"),
                None => e.to_string(),
            },
            Self::Timeout => "timeout".into(),
        }
    }
}

impl Worker {
    /// A worker with the node's settings: SMTP (or capture) and attempts from
    /// `config`, a 5 s poll, and backoff from 10 s doubling up to an hour.
    pub fn from_config(config: &Config) -> Result<Self, WorkerError> {
        let delivery = if config.mail_capture {
            Delivery::Capture
        } else {
            Delivery::Smtp(Arc::new(smtp(config)?))
        };
        Ok(Self {
            batch_size: 32,
            concurrency: 8,
            poll_interval: Duration::from_secs(5),
            backoff_base: Duration::from_secs(10),
            backoff_max: Duration::from_secs(3600),
            max_attempts: config.mail_max_attempts.max(1),
            delivery,
            rounds: tokio::sync::watch::Sender::new(0),
        })
    }

    /// The count of rounds this worker has finished, as it goes up. After a
    /// round that started later than a change, the worker has seen it: a
    /// test waits on this instead of sleeping to know nothing else is sent.
    pub fn rounds(&self) -> tokio::sync::watch::Receiver<u64> {
        self.rounds.subscribe()
    }

    /// Runs the worker on `pool` until the returned task is aborted. It is
    /// woken by the returned subscriber (give it to the node's
    /// [`ChangeListener`]) and otherwise polls every `poll_interval`.
    pub fn spawn(self, pool: PgPool) -> (JoinHandle<()>, Subscriber) {
        let wake = Arc::new(Notify::new());
        let subscriber = Subscriber {
            channel: CHANNEL,
            on_notify: {
                let wake = Arc::clone(&wake);
                Arc::new(move |_: &str| wake.notify_one())
            },
            // Anything enqueued before we listened, or while the connection
            // was down, is found by this wake-up.
            on_reset: {
                let wake = Arc::clone(&wake);
                Arc::new(move || wake.notify_one())
            },
        };
        let task = tokio::spawn(async move { self.deliver_forever(&pool, &wake).await });
        (task, subscriber)
    }

    /// [`Worker::spawn`] with a listener of its own (for a worker outside an
    /// application, such as a benchmark's); aborting the task stops both.
    pub fn spawn_listening(self, pool: PgPool) -> JoinHandle<()> {
        let listener_pool = pool.clone();
        let (deliver, subscriber) = self.spawn(pool);
        tokio::spawn(async move {
            let listener = ChangeListener::spawn(&listener_pool, vec![subscriber]);
            let _ = deliver.await;
            listener.abort();
        })
    }

    /// Delivers everything due, then sleeps until notified or the poll interval passes.
    async fn deliver_forever(&self, pool: &PgPool, wake: &Notify) {
        loop {
            loop {
                match self.deliver_batch(pool).await {
                    Ok(claimed) if claimed >= self.batch_size.max(1) => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "email outbox: claiming failed; retrying later");
                        break;
                    }
                }
            }
            match sqlx::query_scalar!(
                "SELECT count(*) AS \"count!\" FROM public.email_outbox WHERE status = 'pending'",
            )
            .fetch_one(pool)
            .await
            {
                Ok(pending) => metrics::gauge!("hearth_emails_pending").set(pending as f64),
                Err(e) => tracing::debug!(error = %e, "email outbox: counting pending failed"),
            }
            self.rounds.send_modify(|n| *n += 1);
            // A notification sent while we were busy left a permit, so none is missed.
            let _ = tokio::time::timeout(self.poll_interval, wake.notified()).await;
        }
    }

    /// Claims and sends one batch; returns how many emails it claimed.
    #[tracing::instrument(skip_all)]
    async fn deliver_batch(&self, pool: &PgPool) -> sqlx::Result<i64> {
        let smtp = match &self.delivery {
            Delivery::Capture => return capture_batch(pool, self.batch_size).await,
            Delivery::Smtp(smtp) => Arc::clone(smtp),
        };
        let batch_rounds = u32::try_from(self.batch_size.max(1))
            .unwrap_or(u32::MAX)
            .div_ceil(self.concurrency() as u32);
        // Twice the longest the batch can take, so the lease outlives every send in it.
        let lease = SEND_TIMEOUT.saturating_mul(batch_rounds).saturating_mul(2);
        let claimed: Vec<Claimed> = sqlx::query_as!(
            Claimed,
            "WITH due AS ( \
               SELECT id FROM public.email_outbox \
               WHERE status = 'pending' AND next_attempt_at <= now() \
               ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) \
             UPDATE public.email_outbox o \
             SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $2) \
             FROM due WHERE o.id = due.id \
             RETURNING o.id, o.kind, o.to_address, o.to_name, o.subject, o.text_body, o.html_body, \
               o.attachments, o.attempts, o.created_at",
            self.batch_size.max(1),
            lease.as_secs_f64(),
        )
        .fetch_all(pool)
        .await?;
        let count = i64::try_from(claimed.len()).unwrap_or(i64::MAX);
        futures::stream::iter(claimed)
            .for_each_concurrent(self.concurrency(), |email| {
                let smtp = Arc::clone(&smtp);
                async move {
                    let outcome = send(&smtp, &email).await;
                    if let Err(e) = self.record(pool, &email, outcome).await {
                        // The lease brings it back; it may then go out twice (same Message-ID).
                        tracing::warn!(outbox_id = email.id, kind = %email.kind, error = %e,
                            "email outbox: recording the outcome failed");
                    }
                }
            })
            .await;
        Ok(count)
    }

    fn concurrency(&self) -> usize {
        self.concurrency.clamp(1, MAX_CONCURRENCY)
    }

    /// Writes the outcome of one attempt.
    async fn record(
        &self,
        pool: &PgPool,
        email: &Claimed,
        outcome: Result<(), SendError>,
    ) -> sqlx::Result<()> {
        let kind = email.kind.clone();
        match outcome {
            Ok(()) => {
                sqlx::query!(
                    "UPDATE public.email_outbox SET status = 'sent', sent_at = now(), last_error = NULL \
                     WHERE id = $1 AND status = 'pending'",
                    email.id,
                )
                .execute(pool)
                .await?;
                metrics::counter!("hearth_emails_sent_total", "kind" => kind.clone()).increment(1);
                tracing::info!(
                    outbox_id = email.id,
                    kind,
                    attempts = email.attempts,
                    "email sent"
                );
            }
            Err(error) => {
                let dead =
                    email.attempts >= self.max_attempts || matches!(error, SendError::Build(_));
                let delay = jittered(backoff(email.attempts, self.backoff_base, self.backoff_max));
                sqlx::query!(
                    "UPDATE public.email_outbox \
                     SET status = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4) \
                     WHERE id = $1 AND status = 'pending'",
                    email.id,
                    if dead { "dead" } else { "pending" },
                    error.detail(),
                    delay.as_secs_f64(),
                )
                .execute(pool)
                .await?;
                metrics::counter!("hearth_emails_failed_total", "kind" => kind.clone())
                    .increment(1);
                if dead {
                    metrics::counter!("hearth_emails_dead_total", "kind" => kind.clone())
                        .increment(1);
                    tracing::error!(outbox_id = email.id, kind, attempts = email.attempts,
                        error = %error.loggable(), "email dead: giving up");
                } else {
                    tracing::warn!(outbox_id = email.id, kind, attempts = email.attempts,
                        error = %error.loggable(), retry_in_secs = delay.as_secs(), "email not sent; will retry");
                }
            }
        }
        Ok(())
    }
}

/// Runs a worker with `config`'s settings on `pool` (see [`Worker::spawn`]).
pub fn spawn(pool: PgPool, config: &Config) -> Result<(JoinHandle<()>, Subscriber), WorkerError> {
    Ok(Worker::from_config(config)?.spawn(pool))
}

/// Capture mode: marks due emails sent without connecting anywhere.
async fn capture_batch(pool: &PgPool, batch_size: i64) -> sqlx::Result<i64> {
    let captured: Vec<(i64, String)> = sqlx::query!(
        "WITH due AS ( \
           SELECT id FROM public.email_outbox \
           WHERE status = 'pending' AND next_attempt_at <= now() \
           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) \
         UPDATE public.email_outbox o \
         SET status = 'sent', sent_at = now(), attempts = o.attempts + 1, last_error = NULL \
         FROM due WHERE o.id = due.id RETURNING o.id, o.kind",
        batch_size.max(1),
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.kind))
    .collect();
    for (id, kind) in &captured {
        metrics::counter!("hearth_emails_sent_total", "kind" => kind.clone()).increment(1);
        tracing::info!(outbox_id = id, kind, "email captured for /dev/mail");
    }
    Ok(i64::try_from(captured.len()).unwrap_or(i64::MAX))
}

/// Builds the SMTP transport `config` describes.
fn smtp(config: &Config) -> Result<Smtp, WorkerError> {
    let from: Mailbox = config
        .mail_from
        .parse()
        .map_err(|_| WorkerError::InvalidFrom(config.mail_from.clone()))?;
    let tls = match config.smtp_tls {
        SmtpTls::None => Tls::None,
        SmtpTls::Starttls => Tls::Required(TlsParameters::new(config.smtp_host.clone())?),
        SmtpTls::Tls => Tls::Wrapper(TlsParameters::new(config.smtp_host.clone())?),
    };
    let mut builder =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.smtp_host.clone())
            .port(config.smtp_port)
            .tls(tls)
            .hello_name(ClientId::Domain(ehlo_name(&config.public_url)))
            .timeout(Some(Duration::from_secs(30)))
            .pool_config(PoolConfig::new().max_size(MAX_CONCURRENCY as u32));
    if let Some(user) = &config.smtp_username {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            config
                .smtp_password
                .as_ref()
                .map(|p| p.expose_secret().to_owned())
                .unwrap_or_default(),
        ));
    }
    Ok(Smtp {
        transport: builder.build(),
        from,
    })
}

/// The host of the platform's URL, to introduce ourselves with in `EHLO`.
fn ehlo_name(public_url: &str) -> String {
    let rest = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() {
        "localhost".into()
    } else {
        host.to_owned()
    }
}

/// One SMTP attempt for `email`.
#[tracing::instrument(skip_all, fields(outbox_id = email.id, kind = %email.kind))]
async fn send(smtp: &Smtp, email: &Claimed) -> Result<(), SendError> {
    let message = build_message(&smtp.from, email).map_err(SendError::Build)?;
    match tokio::time::timeout(SEND_TIMEOUT, smtp.transport.send(message)).await {
        Ok(Ok(_response)) => Ok(()),
        Ok(Err(e)) => Err(SendError::Smtp(e)),
        Err(_elapsed) => Err(SendError::Timeout),
    }
}

/// The MIME message: text and HTML alternatives, then any attachments.
fn build_message(from: &Mailbox, email: &Claimed) -> Result<Message, String> {
    let address = email
        .to_address
        .parse()
        .map_err(|_| "recipient is not an email address".to_owned())?;
    let to = Mailbox::new(email.to_name.clone(), address);
    let body = MultiPart::alternative_plain_html(email.text_body.clone(), email.html_body.clone());
    let attachments: Vec<StoredAttachment> = serde_json::from_value(email.attachments.clone())
        .map_err(|e| format!("attachments: {e}"))?;
    let body = if attachments.is_empty() {
        body
    } else {
        let mut mixed = MultiPart::mixed().multipart(body);
        for attachment in attachments {
            mixed = mixed.singlepart(attachment_part(attachment)?);
        }
        mixed
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(message_id(
            email.id,
            // Computed here, not in the RETURNING: Citus refuses functions
            // there that are not immutable (extract on a timestamptz).
            email.created_at.timestamp_micros(),
            from.email.domain(),
        )))
        .multipart(body)
        .map_err(|e| e.to_string())
}

fn attachment_part(attachment: StoredAttachment) -> Result<SinglePart, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(attachment.content_base64.trim())
        .map_err(|e| format!("attachment {:?}: {e}", attachment.filename))?;
    let content_type = ContentType::parse(&attachment.content_type).unwrap_or_else(|_| {
        ContentType::parse("application/octet-stream").unwrap_or(ContentType::TEXT_PLAIN)
    });
    Ok(Attachment::new(attachment.filename).body(bytes, content_type))
}

/// A `Message-ID` that is the same on every attempt of one outbox row, and
/// differs between databases that reuse ids (its creation time tells them apart).
pub fn message_id(outbox_id: i64, created_micros: i64, domain: &str) -> String {
    format!("<{outbox_id}.{created_micros}@{domain}>")
}

/// The wait after failed attempt number `attempts` (1 for the first):
/// `base · 2^(attempts-1)`, at most `max`.
pub fn backoff(attempts: i32, base: Duration, max: Duration) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(30);
    base.saturating_mul(1 << exponent).min(max)
}

/// `delay` scaled by a random factor in [0.5, 1], so nodes that failed
/// together do not retry together.
fn jittered(delay: Duration) -> Duration {
    delay.mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
}

fn truncate(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_the_cap() {
        let (base, max) = (Duration::from_secs(10), Duration::from_secs(3600));
        assert_eq!(backoff(1, base, max), Duration::from_secs(10));
        assert_eq!(backoff(2, base, max), Duration::from_secs(20));
        assert_eq!(backoff(4, base, max), Duration::from_secs(80));
        assert_eq!(backoff(9, base, max), Duration::from_secs(2560));
        assert_eq!(backoff(10, base, max), max);
        assert_eq!(backoff(1000, base, max), max);
        assert_eq!(backoff(0, base, max), base);
    }

    #[test]
    fn jitter_stays_between_half_and_the_whole_delay() {
        for _ in 0..1000 {
            let d = jittered(Duration::from_secs(100));
            assert!(
                d >= Duration::from_secs(50) && d <= Duration::from_secs(100),
                "{d:?}"
            );
        }
    }

    #[test]
    fn the_ehlo_name_is_the_public_host() {
        assert_eq!(
            ehlo_name("https://hearth.example.com/"),
            "hearth.example.com"
        );
        assert_eq!(ehlo_name("http://localhost:8080"), "localhost");
        assert_eq!(ehlo_name(""), "localhost");
    }

    #[test]
    fn errors_are_truncated_on_a_character_boundary() {
        assert_eq!(truncate("é".repeat(300), 5), "éé");
    }
}
