//! A real SMTP server for the email tests: enough of RFC 5321 for lettre
//! (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), listening on 127.0.0.1.
//! It keeps every message it accepted, can be stopped (the port then refuses
//! connections, as a mail server that is down) and started again on the same
//! port, and decodes what it received with `mail-parser`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The name the server greets with.
const NAME: &str = "capture.hearth.test";

/// A message the server accepted: its envelope and its bytes as sent.
#[derive(Debug, Clone)]
pub struct Received {
    /// `MAIL FROM`.
    pub mail_from: String,
    /// Every `RCPT TO`.
    pub rcpt_to: Vec<String>,
    /// The message, dot-stuffing undone.
    pub raw: Vec<u8>,
}

/// A received message, decoded.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// `Message-ID`, without the angle brackets.
    pub message_id: String,
    /// The From address.
    pub from: String,
    /// The From display name.
    pub from_name: Option<String>,
    /// The first To address.
    pub to: String,
    /// The To display name.
    pub to_name: Option<String>,
    /// The subject, decoded.
    pub subject: String,
    /// `type/subtype` of every MIME part, the root first.
    pub content_types: Vec<String>,
    /// The `text/plain` part, decoded (quoted-printable, base64), if there is one.
    pub text: Option<String>,
    /// The `text/html` part, decoded, if there is one.
    pub html: Option<String>,
    /// Attachments: file name, `type/subtype` and bytes.
    pub attachments: Vec<(String, String, Vec<u8>)>,
}

impl Received {
    /// Decodes the message; panics if it is not a parsable message.
    pub fn parsed(&self) -> Parsed {
        let message = MessageParser::default()
            .parse(&self.raw)
            .expect("a parsable message");
        let mime = |part: &mail_parser::MessagePart<'_>| {
            part.content_type().map_or_else(
                || "text/plain".to_owned(),
                |ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default()).to_lowercase(),
            )
        };
        let part_text = |wanted: &str| {
            message
                .parts
                .iter()
                .find(|p| mime(p) == wanted && p.attachment_name().is_none())
                .and_then(|p| p.text_contents().map(str::to_owned))
        };
        let address = |a: Option<&mail_parser::Address<'_>>| {
            let first = a.and_then(|a| a.first());
            (
                first
                    .and_then(|a| a.address())
                    .unwrap_or_default()
                    .to_owned(),
                first.and_then(|a| a.name()).map(str::to_owned),
            )
        };
        let (from, from_name) = address(message.from());
        let (to, to_name) = address(message.to());
        Parsed {
            message_id: message.message_id().unwrap_or_default().to_owned(),
            from,
            from_name,
            to,
            to_name,
            subject: message.subject().unwrap_or_default().to_owned(),
            content_types: message.parts.iter().map(mime).collect(),
            text: part_text("text/plain"),
            html: part_text("text/html"),
            attachments: message
                .attachments()
                .map(|a| {
                    (
                        a.attachment_name().unwrap_or_default().to_owned(),
                        mime(a),
                        a.contents().to_vec(),
                    )
                })
                .collect(),
        }
    }
}

/// Messages and their count, kept across restarts.
#[derive(Default)]
struct Store {
    messages: Mutex<Vec<Received>>,
    count: watch::Sender<usize>,
}

impl Store {
    fn push(&self, message: Received) {
        let mut messages = self.messages.lock().expect("store");
        messages.push(message);
        self.count.send_replace(messages.len());
    }
}

struct Running {
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// The capture server.
pub struct SmtpServer {
    port: u16,
    store: Arc<Store>,
    running: Option<Running>,
}

impl SmtpServer {
    /// Starts a server on a free port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Starts a server on `port` (0: any free one).
    pub async fn start_on(port: u16) -> Self {
        let mut server = Self {
            port,
            store: Arc::new(Store::default()),
            running: None,
        };
        server.restart().await;
        server
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether it accepts connections.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Stops listening and closes every connection, as a mail server that went
    /// down. A message whose data was not complete is not kept.
    pub async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown.send_replace(true);
            let _ = running.task.await;
        }
    }

    /// Starts listening again on the same port; the messages received so far are kept.
    pub async fn restart(&mut self) {
        self.stop().await;
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("bind the SMTP port");
        self.port = listener.local_addr().expect("address").port();
        let (shutdown, stopped) = watch::channel(false);
        let store = Arc::clone(&self.store);
        let task = tokio::spawn(accept(listener, store, stopped));
        self.running = Some(Running { shutdown, task });
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        self.store.messages.lock().expect("store").clone()
    }

    /// How many messages it received.
    pub fn count(&self) -> usize {
        *self.store.count.borrow()
    }

    /// Waits until at least `n` messages have arrived and returns them all;
    /// panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let mut count = self.store.count.subscribe();
        let arrived = tokio::time::timeout(timeout, count.wait_for(|c| *c >= n)).await;
        assert!(
            matches!(arrived, Ok(Ok(_))),
            "expected {n} message(s) within {timeout:?}; received {}",
            self.count()
        );
        self.messages()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown.send_replace(true);
            running.task.abort();
        }
    }
}

async fn accept(listener: TcpListener, store: Arc<Store>, stopped: watch::Receiver<bool>) {
    let mut connections = tokio::task::JoinSet::new();
    let mut stopping = stopped.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(session(stream, Arc::clone(&store), stopped.clone()));
                }
            }
            _ = stopping.wait_for(|s| *s) => break,
        }
    }
    drop(listener);
    // Each session ends at its next read once told to stop.
    while connections.join_next().await.is_some() {}
}

/// Reads one line; `None` when the peer left or the server is stopping.
async fn read_line(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    stopped: &mut watch::Receiver<bool>,
    line: &mut Vec<u8>,
) -> Option<()> {
    line.clear();
    tokio::select! {
        read = reader.read_until(b'\n', line) => match read {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(()),
        },
        _ = stopped.wait_for(|s| *s) => None,
    }
}

async fn session(stream: TcpStream, store: Arc<Store>, mut stopped: watch::Receiver<bool>) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    if write
        .write_all(format!("220 {NAME} ESMTP capture\r\n").as_bytes())
        .await
        .is_err()
    {
        return;
    }
    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    while read_line(&mut reader, &mut stopped, &mut line)
        .await
        .is_some()
    {
        let command = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let answer: String = match verb.as_str() {
            "EHLO" => format!("250-{NAME}\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"),
            "HELO" => format!("250 {NAME}\r\n"),
            "MAIL" => {
                mail_from = Some(path_of(&command));
                rcpt_to.clear();
                "250 2.1.0 OK\r\n".into()
            }
            "RCPT" if mail_from.is_some() => {
                rcpt_to.push(path_of(&command));
                "250 2.1.5 OK\r\n".into()
            }
            "RCPT" => "503 5.5.1 MAIL first\r\n".into(),
            "DATA" if rcpt_to.is_empty() => "503 5.5.1 RCPT first\r\n".into(),
            "DATA" => {
                if write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let mut raw = Vec::new();
                loop {
                    if read_line(&mut reader, &mut stopped, &mut line)
                        .await
                        .is_none()
                    {
                        // Stopped or dropped mid-message: nothing was accepted.
                        return;
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    let unstuffed = if line.starts_with(b"..") {
                        &line[1..]
                    } else {
                        &line[..]
                    };
                    raw.extend_from_slice(unstuffed);
                }
                store.push(Received {
                    mail_from: mail_from.take().unwrap_or_default(),
                    rcpt_to: std::mem::take(&mut rcpt_to),
                    raw,
                });
                "250 2.0.0 OK queued\r\n".into()
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                "250 2.0.0 OK\r\n".into()
            }
            "NOOP" => "250 2.0.0 OK\r\n".into(),
            "QUIT" => {
                let _ = write
                    .write_all(format!("221 2.0.0 {NAME} closing\r\n").as_bytes())
                    .await;
                return;
            }
            _ => "502 5.5.2 command not implemented\r\n".into(),
        };
        if write.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The address in `MAIL FROM:<a@b> BODY=8BITMIME` or `RCPT TO:<a@b>`.
fn path_of(command: &str) -> String {
    match (command.find('<'), command.find('>')) {
        (Some(start), Some(end)) if end > start => command[start + 1..end].to_owned(),
        _ => command
            .split_once(':')
            .map(|(_, rest)| rest.trim().to_owned())
            .unwrap_or_default(),
    }
}
