//! `GET /appointments/{id}/session/signal`: the room's WebSocket. The session
//! cookie says who connects; the appointment says whether they may (its
//! client or professional, inside the window), and the `Origin` header must
//! be this site. Each message is checked against [`Incoming`] (known fields
//! only, bounded sizes) and a rate limit; a bad one is answered with an
//! `error` and dropped, and the call goes on. Messages go to the other
//! participants through [`crate::video_relay`], whichever node holds them.

use std::time::{Duration, Instant};

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Utc;
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::data::{self, Door, Meeting, Who};
use crate::video_relay::{Membership, Presence, Role};
use crate::web::error::AppError;
use crate::web::extract::SignedIn;
use crate::web::state::AppState;

/// The largest message a browser may send (an SDP offer is 5–10 KB).
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024;
/// The longest chat message, in characters (it always fits in a NOTIFY, so it
/// is never stored).
pub const MAX_CHAT_CHARS: usize = 1000;
/// Messages a socket may send at once…
const BURST: f64 = 60.0;
/// …and per second after that (ICE candidates come in bursts at the start).
const PER_SECOND: f64 = 10.0;
/// The socket's read buffer.
const READ_BUFFER_BYTES: usize = 8 * 1024;
/// The largest frame the socket reads at all; past this it closes.
const MAX_FRAME_BYTES: usize = 256 * 1024;

/// `?peer=`: the peer id a page had before its socket reconnected.
#[derive(Debug, Deserialize)]
pub struct Resume {
    peer: Option<String>,
}

/// What a browser may send.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Incoming {
    /// An SDP offer for peer `to`.
    Offer {
        /// The peer.
        to: Uuid,
        /// The SDP.
        sdp: String,
    },
    /// An SDP answer for peer `to`.
    Answer {
        /// The peer.
        to: Uuid,
        /// The SDP.
        sdp: String,
    },
    /// An ICE candidate for peer `to` (None: the end of candidates).
    Candidate {
        /// The peer.
        to: Uuid,
        /// `RTCIceCandidate.toJSON()`.
        candidate: Option<Candidate>,
    },
    /// A chat line for everyone in the room (relayed, never stored).
    Chat {
        /// The text.
        text: String,
    },
    /// The sender's microphone, camera and screen share, on or off; the
    /// first one says they joined the call (attendance starts).
    Media {
        /// Microphone on.
        audio: bool,
        /// Camera (or screen) on.
        video: bool,
        /// Sharing the screen.
        screen: bool,
    },
    /// Are you there? (answered with `pong`; a struct variant, so that
    /// unknown fields are refused here too).
    Ping {},
    /// The professional lets a waiting guest in.
    Admit {
        /// The guest's id.
        guest: Uuid,
    },
    /// The professional turns a guest away (their link stops working).
    Decline {
        /// The guest's id.
        guest: Uuid,
    },
}

/// What a guest's socket watches for among the room's messages.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Control {
    /// A guest was admitted.
    Admitted { guest: Uuid },
    /// A guest was declined or their link withdrawn.
    Removed { guest: Uuid },
}

/// `RTCIceCandidateInit`.
#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// The candidate line (`candidate:…`, or empty).
    candidate: String,
    /// The media section's id.
    #[serde(rename = "sdpMid")]
    sdp_mid: Option<String>,
    /// The media section's index.
    #[serde(rename = "sdpMLineIndex")]
    sdp_m_line_index: Option<u16>,
    /// The ICE user fragment.
    #[serde(rename = "usernameFragment")]
    username_fragment: Option<String>,
}

/// Why a message was refused (sent back as `{"type":"error","code":…}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not JSON, an unknown type or field, or a value out of bounds.
    Malformed,
    /// Longer than [`MAX_MESSAGE_BYTES`].
    TooLarge,
    /// Over the rate limit.
    TooFast,
    /// A waiting guest may only ping until the professional admits them.
    NotAdmitted,
    /// Only the professional admits and declines guests.
    Forbidden,
}

impl Refusal {
    fn code(self) -> &'static str {
        match self {
            Refusal::Malformed => "malformed",
            Refusal::TooLarge => "too_large",
            Refusal::TooFast => "too_fast",
            Refusal::NotAdmitted => "not_admitted",
            Refusal::Forbidden => "forbidden",
        }
    }
}

/// Reads and checks one message.
pub fn parse(text: &str) -> Result<Incoming, Refusal> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(Refusal::TooLarge);
    }
    let message: Incoming = serde_json::from_str(text).map_err(|_| Refusal::Malformed)?;
    let fine = match &message {
        Incoming::Offer { sdp, .. } | Incoming::Answer { sdp, .. } => sdp.starts_with("v=0"),
        Incoming::Candidate { candidate, .. } => candidate.as_ref().is_none_or(|c| {
            (c.candidate.is_empty() || c.candidate.starts_with("candidate:"))
                && c.candidate.len() <= 1024
                && !c.candidate.contains(['\r', '\n'])
                && c.sdp_mid.as_ref().is_none_or(|m| m.len() <= 64)
                && c.username_fragment.as_ref().is_none_or(|u| u.len() <= 256)
        }),
        Incoming::Chat { text } => {
            let chars = text.chars().count();
            (1..=MAX_CHAT_CHARS).contains(&chars)
                && !text.trim().is_empty()
                && !text.chars().any(char::is_control)
        }
        Incoming::Media { .. }
        | Incoming::Ping {}
        | Incoming::Admit { .. }
        | Incoming::Decline { .. } => true,
    };
    if fine {
        Ok(message)
    } else {
        Err(Refusal::Malformed)
    }
}

/// A token bucket: [`BURST`] messages at once, [`PER_SECOND`] after.
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn new() -> Self {
        Self {
            tokens: BURST,
            at: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.at).as_secs_f64() * PER_SECOND).min(BURST);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Whether `Origin` names the host the request came to (a page of another
/// site may not open a socket with this user's cookie).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok());
    let origin = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .and_then(|o| url::Url::parse(o).ok());
    match (host, origin) {
        (Some(host), Some(origin)) => {
            let Some(origin_host) = origin.host_str() else {
                return false;
            };
            let origin_authority = match origin.port() {
                Some(port) => format!("{origin_host}:{port}"),
                None => origin_host.to_owned(),
            };
            matches!(origin.scheme(), "http" | "https")
                && origin_authority.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// The socket's route for the client and the professional.
pub async fn socket(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Path(id): Path<Uuid>,
    Query(resume): Query<Resume>,
    headers: HeaderMap,
    // Taken as a result so that who may enter is checked first: a stranger
    // gets the same 404 with or without the upgrade headers.
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    if !same_origin(&headers) {
        return Err(AppError::Forbidden);
    }
    let (meeting, role) = data::as_party(&state.pool, id, user.id).await?;
    let presence = Presence {
        role,
        name: user.name.clone(),
        guest: None,
        admitted: true,
    };
    open(
        state,
        meeting,
        Who::User(user.id),
        presence,
        resume,
        upgrade,
    )
}

/// Upgrades to the room's socket for `who`, when the room is open; the
/// caller has checked the origin and that `who` belongs in `meeting`.
pub fn open(
    state: AppState,
    meeting: Meeting,
    who: Who,
    presence: Presence,
    resume: Resume,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    if meeting.door(Utc::now()) != Door::Open {
        return Err(AppError::NotFound);
    }
    let Ok(upgrade) = upgrade else {
        return Err(AppError::NotFound);
    };
    let peer = resume
        .peer
        .and_then(|p| p.parse::<Uuid>().ok())
        .unwrap_or_else(Uuid::new_v4);
    Ok(upgrade
        // Signalling messages are small: a read buffer of 8 KiB rather than
        // the default 128 KiB keeps an idle socket cheap (docs/benchmarks.md).
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(move |socket| async move {
            if let Err(e) = run(state, socket, meeting, who, presence, peer).await {
                // A browser that went away without a closing handshake (a
                // dropped network, a closed laptop) is ordinary.
                tracing::debug!(error = %e, "video signalling socket ended");
            }
        }))
}

/// One participant's socket, from welcome to leaving.
async fn run(
    state: AppState,
    socket: WebSocket,
    meeting: Meeting,
    who: Who,
    presence: Presence,
    peer: Uuid,
) -> anyhow::Result<()> {
    let (mut sink, mut stream) = socket.split();
    let role = presence.role;
    let name = presence.name.clone();
    let guest = presence.guest;
    let mut admitted = presence.admitted;
    let welcome = json!({
        "type": "welcome",
        "peer": peer,
        "role": role,
        "guest": guest,
        "admitted": admitted,
        "ice": super::ice::for_user(&state.config, who.id()),
    });
    sink.send(text(welcome.to_string())).await?;
    let room = meeting.id;
    let mut membership: Membership = state.video.join(room, peer, presence).await?;
    // Attendance starts when they join the call (their page sends its first
    // `media` state on Join), not when the device check opens the socket.
    let mut row: Option<i64> = None;
    let until = (meeting.closes() - Utc::now())
        .to_std()
        .unwrap_or(Duration::ZERO);
    let closing = tokio::time::sleep(until);
    tokio::pin!(closing);
    let mut bucket = Bucket::new();
    let outcome: anyhow::Result<()> = loop {
        tokio::select! {
            incoming = stream.next() => {
                let message = match incoming {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Binary(_))) => {
                        sink.send(error(Refusal::Malformed)).await?;
                        continue;
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | None => break Ok(()),
                    Some(Err(e)) => break Err(e.into()),
                };
                if !bucket.take() {
                    sink.send(error(Refusal::TooFast)).await?;
                    continue;
                }
                let message = match parse(message.as_str()) {
                    Ok(m) => m,
                    Err(refusal) => {
                        sink.send(error(refusal)).await?;
                        continue;
                    }
                };
                if !admitted && message != (Incoming::Ping {}) {
                    sink.send(error(Refusal::NotAdmitted)).await?;
                    continue;
                }
                if row.is_none() && matches!(message, Incoming::Media { .. }) {
                    let mut conn = state.pool.acquire().await?;
                    row = Some(data::joined(&mut conn, room, who, role, peer).await?);
                    tracing::info!(appointment = %room, role = role.as_str(), "joined a video session");
                }
                let chat = matches!(message, Incoming::Chat { .. });
                let (to, body) = match message {
                    Incoming::Ping {} => {
                        sink.send(text(json!({ "type": "pong" }).to_string())).await?;
                        continue;
                    }
                    Incoming::Admit { .. } | Incoming::Decline { .. }
                        if role != Role::Professional =>
                    {
                        sink.send(error(Refusal::Forbidden)).await?;
                        continue;
                    }
                    Incoming::Admit { guest } => {
                        let mut conn = state.pool.acquire().await?;
                        if super::guests::admit(&mut conn, room, guest).await? {
                            tracing::info!(appointment = %room, "guest admitted");
                            let body = json!({ "type": "admitted", "guest": guest }).to_string();
                            if let Err(e) = state.video.control(room, peer, &body).await {
                                tracing::warn!(error = %e, "announcing an admission");
                            }
                        } else {
                            sink.send(error(Refusal::Malformed)).await?;
                        }
                        continue;
                    }
                    Incoming::Decline { guest } => {
                        let mut conn = state.pool.acquire().await?;
                        if super::guests::remove(&mut conn, room, guest).await? {
                            drop(conn);
                            tracing::info!(appointment = %room, "guest declined");
                            super::guests::announce_removed(&state, room, guest).await;
                        } else {
                            sink.send(error(Refusal::Malformed)).await?;
                        }
                        continue;
                    }
                    Incoming::Offer { to, sdp } => {
                        (Some(to), json!({ "type": "offer", "from": peer, "sdp": sdp }))
                    }
                    Incoming::Answer { to, sdp } => {
                        (Some(to), json!({ "type": "answer", "from": peer, "sdp": sdp }))
                    }
                    Incoming::Candidate { to, candidate } => (
                        Some(to),
                        json!({ "type": "candidate", "from": peer, "candidate": candidate }),
                    ),
                    Incoming::Chat { text } => (
                        None,
                        json!({ "type": "chat", "from": peer, "role": role, "name": name, "text": text }),
                    ),
                    Incoming::Media { audio, video, screen } => (
                        None,
                        json!({ "type": "media", "from": peer, "audio": audio, "video": video, "screen": screen }),
                    ),
                };
                let body = body.to_string();
                let sent = if chat {
                    state.video.send_unstored(room, peer, to, &body).await
                } else {
                    state.video.send(room, peer, to, &body).await
                };
                if let Err(e) = sent {
                    tracing::warn!(error = %e, "relaying a video signal");
                }
            }
            out = membership.inbox.recv() => {
                let Some(out) = out else { break Ok(()) };
                sink.send(text(out.to_string())).await?;
                // A guest's own admission or removal, among the room's news.
                let Some(me) = guest else { continue };
                match serde_json::from_str::<Control>(&out) {
                    Ok(Control::Admitted { guest }) if guest == me && !admitted => {
                        admitted = true;
                        state.video.admit(room, peer).await?;
                    }
                    Ok(Control::Removed { guest }) if guest == me => {
                        let _ = sink.send(text(json!({ "type": "closed", "reason": "removed" }).to_string())).await;
                        break Ok(());
                    }
                    _ => {}
                }
            }
            () = &mut closing => {
                let _ = sink.send(text(json!({ "type": "closed", "reason": "ended" }).to_string())).await;
                break Ok(());
            }
        }
    };
    drop(membership);
    let _ = sink.close().await;
    if let Err(e) = state.video.leave(room, peer).await {
        tracing::warn!(error = %e, "announcing a departure");
    }
    if let Some(row) = row {
        let mut conn = state.pool.acquire().await?;
        data::left(&mut conn, row).await?;
        tracing::info!(appointment = %room, role = role.as_str(), "left a video session");
    }
    outcome
}

fn text(s: String) -> Message {
    Message::Text(Utf8Bytes::from(s))
}

fn error(refusal: Refusal) -> Message {
    text(json!({ "type": "error", "code": refusal.code() }).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_checked() {
        let to = Uuid::new_v4();
        assert_eq!(
            parse(&format!(
                r#"{{"type":"offer","to":"{to}","sdp":"v=0\r\n"}}"#
            )),
            Ok(Incoming::Offer {
                to,
                sdp: "v=0\r\n".into()
            })
        );
        assert_eq!(parse(r#"{"type":"ping"}"#), Ok(Incoming::Ping {}));
        assert!(parse(&format!(
            r#"{{"type":"candidate","to":"{to}","candidate":{{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"ab"}}}}"#
        ))
        .is_ok());
        assert!(parse(&format!(
            r#"{{"type":"candidate","to":"{to}","candidate":null}}"#
        ))
        .is_ok());
        for bad in [
            "not json",
            r#"{"type":"shout"}"#,
            r#"{"type":"ping","extra":1}"#,
            r#"{"type":"chat","text":""}"#,
            r#"{"type":"chat","text":"   "}"#,
            "{\"type\":\"chat\",\"text\":\"a\\u0000b\"}",
            r#"{"type":"offer","to":"nope","sdp":"v=0"}"#,
            &format!(r#"{{"type":"offer","to":"{to}","sdp":"<script>"}}"#),
            &format!(r#"{{"type":"candidate","to":"{to}","candidate":{{"candidate":"evil"}}}}"#),
            r#"{"type":"media","audio":true}"#,
        ] {
            assert_eq!(parse(bad), Err(Refusal::Malformed), "{bad}");
        }
        let long = "x".repeat(MAX_CHAT_CHARS + 1);
        assert_eq!(
            parse(&format!(r#"{{"type":"chat","text":"{long}"}}"#)),
            Err(Refusal::Malformed)
        );
        let huge = "x".repeat(MAX_MESSAGE_BYTES);
        assert_eq!(
            parse(&format!(
                r#"{{"type":"offer","to":"{to}","sdp":"v=0{huge}"}}"#
            )),
            Err(Refusal::TooLarge)
        );
    }

    #[test]
    fn the_longest_chat_fits_a_notify_payload() {
        // Four bytes a character, a quote escaped as two: still inline.
        let text: String = "😀".repeat(MAX_CHAT_CHARS);
        let body = json!({ "type": "chat", "from": Uuid::new_v4(), "role": Role::Professional,
                           "name": "x".repeat(200), "text": text })
        .to_string();
        // The envelope adds a kind, three ids and four spaces.
        assert!(body.len() + 2 + 3 * 36 + 4 < 7_800, "{}", body.len());
    }

    #[test]
    fn only_this_site_may_open_a_socket() {
        let headers = |host: &str, origin: Option<&str>| {
            let mut h = HeaderMap::new();
            h.insert(axum::http::header::HOST, host.parse().expect("host"));
            if let Some(o) = origin {
                h.insert(axum::http::header::ORIGIN, o.parse().expect("origin"));
            }
            h
        };
        assert!(same_origin(&headers(
            "127.0.0.1:8080",
            Some("http://127.0.0.1:8080")
        )));
        assert!(same_origin(&headers(
            "acme.example",
            Some("https://acme.example")
        )));
        assert!(!same_origin(&headers("127.0.0.1:8080", None)));
        assert!(!same_origin(&headers(
            "127.0.0.1:8080",
            Some("http://evil.example")
        )));
        assert!(!same_origin(&headers(
            "127.0.0.1:8080",
            Some("http://127.0.0.1:9999")
        )));
        assert!(!same_origin(&headers("acme.example", Some("null"))));
    }
}
