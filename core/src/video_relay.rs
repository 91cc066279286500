//! Passes video-session signalling between the browsers of one appointment,
//! whichever nodes their WebSockets are on.
//!
//! Every message goes through PostgreSQL: the sending node runs
//! `pg_notify('hearth_video', …)` and every node's change listener
//! ([`crate::cache::ChangeListener`]) hands the payload to this node's
//! dispatcher, which gives it to the sockets of that room held here. One path
//! for all keeps one sender's messages in order (a socket sends one at a time
//! and waits for each commit; PostgreSQL delivers notifications in commit
//! order), and PostgreSQL is the one server every deployment already runs (a
//! broker would add a second thing to keep alive for one feature).
//!
//! A NOTIFY payload must stay under 8,000 bytes. Messages that fit travel in
//! the payload (`M|J|W|C <room> <from> <to|-> <body>`); larger ones (an SDP offer
//! with many codecs) are stored in `video_signals` and the payload names the
//! row (`#<id> <room>`), read back by each node whose sockets are in the room
//! (store-and-notify). Stored rows are pruned after two minutes. Chat text is
//! limited well below the inline limit, so it is never stored.
//!
//! A guest (couples and family sessions) waits until the professional admits
//! them: until then their socket hears only `C` (control) messages about
//! admission, and the room hears of them with `W` (waiting) instead of `J`,
//! which no one answers with the room's roster.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::cache::Subscriber;

/// The NOTIFY channel of signalling messages.
pub const CHANNEL: &str = "hearth_video";
/// The largest payload sent inline (PostgreSQL refuses 8,000 bytes and more).
const INLINE_MAX: usize = 7_800;
/// How long a stored message is kept for nodes to read.
const STORED_FOR_SECS: f64 = 120.0;
/// Messages queued for one socket before the slowest are dropped.
const SOCKET_QUEUE: usize = 256;

/// What a participant is to the appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The client.
    Client,
    /// The professional.
    Professional,
    /// Someone the client invited (couples and family sessions), admitted by
    /// the professional.
    Guest,
}

impl Role {
    /// Its name in messages and in `video_attendance.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Professional => "professional",
            Role::Guest => "guest",
        }
    }
}

/// Who a socket is, as the room sees them.
#[derive(Debug, Clone)]
pub struct Presence {
    /// Their part in the appointment.
    pub role: Role,
    /// Their name.
    pub name: String,
    /// The guest's id (guests only).
    pub guest: Option<Uuid>,
    /// In the call; false for a guest the professional has not admitted yet,
    /// who receives nothing but [`VideoRelay::control`] messages.
    pub admitted: bool,
}

/// A participant whose socket is on this node.
struct Local {
    peer: Uuid,
    presence: Presence,
    tx: mpsc::Sender<Arc<str>>,
}

/// How a message is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A plain message.
    Message,
    /// A participant arrived: the nodes of the room answer with who is there.
    Joined,
    /// A guest arrived and waits to be admitted: the room learns it, the
    /// guest learns nothing.
    Waiting,
    /// About admission (`admitted`, `removed`): also for waiting guests.
    Control,
}

struct Inner {
    pool: PgPool,
    rooms: Mutex<HashMap<Uuid, Vec<Local>>>,
}

/// This node's video rooms and the path between nodes. Cheap to clone.
#[derive(Clone)]
pub struct VideoRelay {
    inner: Arc<Inner>,
}

/// A socket's place in a room: its queue of messages to send, and leaving
/// when dropped.
pub struct Membership {
    relay: VideoRelay,
    room: Uuid,
    peer: Uuid,
    /// Messages for this socket, in order.
    pub inbox: mpsc::Receiver<Arc<str>>,
}

impl Drop for Membership {
    fn drop(&mut self) {
        let mut rooms = self
            .relay
            .inner
            .rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(locals) = rooms.get_mut(&self.room) {
            locals.retain(|l| l.peer != self.peer);
            if locals.is_empty() {
                rooms.remove(&self.room);
            }
        }
    }
}

impl VideoRelay {
    /// The relay of the node on `pool`, and the subscriber that feeds it
    /// (give it to the change listener) with the dispatcher task to run.
    pub fn start(pool: PgPool) -> (Self, Subscriber, tokio::task::JoinHandle<()>) {
        let relay = Self {
            inner: Arc::new(Inner {
                pool,
                rooms: Mutex::new(HashMap::new()),
            }),
        };
        let (tx, rx) = mpsc::unbounded_channel::<String>();
        let subscriber = Subscriber {
            channel: CHANNEL,
            on_notify: Arc::new(move |payload: &str| {
                let _ = tx.send(payload.to_owned());
            }),
            // Messages sent while the listener reconnected are lost; the
            // browsers' ICE restarts and re-offers recover the call.
            on_reset: Arc::new(|| {}),
        };
        let task = tokio::spawn(relay.clone().dispatch(rx));
        (relay, subscriber, task)
    }

    /// Puts `peer` (its socket on this node) in `room`'s list and tells the
    /// room; when admitted, the room's members answer with who is there.
    pub async fn join(
        &self,
        room: Uuid,
        peer: Uuid,
        presence: Presence,
    ) -> sqlx::Result<Membership> {
        let (tx, inbox) = mpsc::channel(SOCKET_QUEUE);
        let body = joined(peer, &presence);
        let kind = if presence.admitted {
            Kind::Joined
        } else {
            Kind::Waiting
        };
        {
            let mut rooms = self
                .inner
                .rooms
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let locals = rooms.entry(room).or_default();
            // A reconnect with the same peer id replaces its old socket.
            locals.retain(|l| l.peer != peer);
            locals.push(Local { peer, presence, tx });
        }
        let membership = Membership {
            relay: self.clone(),
            room,
            peer,
            inbox,
        };
        self.publish(kind, room, peer, None, &body, true).await?;
        Ok(membership)
    }

    /// Lets waiting `peer` (on this node) into the call: from now on it
    /// receives the room's messages, and the room hears it joined.
    pub async fn admit(&self, room: Uuid, peer: Uuid) -> sqlx::Result<()> {
        let body = {
            let mut rooms = self
                .inner
                .rooms
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let Some(local) = rooms
                .get_mut(&room)
                .and_then(|locals| locals.iter_mut().find(|l| l.peer == peer))
            else {
                return Ok(());
            };
            local.presence.admitted = true;
            joined(peer, &local.presence)
        };
        self.publish(Kind::Joined, room, peer, None, &body, true)
            .await
    }

    /// Sends `body` about admission to everyone in `room`, waiting guests
    /// included (it must say nothing a waiting guest may not know).
    pub async fn control(&self, room: Uuid, from: Uuid, body: &str) -> sqlx::Result<()> {
        self.publish(Kind::Control, room, from, None, body, true)
            .await
    }

    /// Tells the room that `peer` left (its socket closed).
    pub async fn leave(&self, room: Uuid, peer: Uuid) -> sqlx::Result<()> {
        let body = serde_json::json!({ "type": "left", "peer": peer }).to_string();
        self.send(room, peer, None, &body).await
    }

    /// Sends `body` (a message as browsers read it) from `from` to `to`, or to
    /// everyone else in `room`; returns once every node can read it.
    pub async fn send(
        &self,
        room: Uuid,
        from: Uuid,
        to: Option<Uuid>,
        body: &str,
    ) -> sqlx::Result<()> {
        self.publish(Kind::Message, room, from, to, body, true)
            .await
    }

    /// [`VideoRelay::send`] for what must never be written down (chat):
    /// refused when it would not fit a NOTIFY payload.
    pub async fn send_unstored(
        &self,
        room: Uuid,
        from: Uuid,
        to: Option<Uuid>,
        body: &str,
    ) -> sqlx::Result<()> {
        self.publish(Kind::Message, room, from, to, body, false)
            .await
    }

    /// The sockets of `room` on this node.
    pub fn local_peers(&self, room: Uuid) -> usize {
        self.inner
            .rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&room)
            .map_or(0, Vec::len)
    }

    async fn publish(
        &self,
        kind: Kind,
        room: Uuid,
        from: Uuid,
        to: Option<Uuid>,
        body: &str,
        may_store: bool,
    ) -> sqlx::Result<()> {
        let payload = envelope(kind, room, from, to, body);
        if payload.len() > INLINE_MAX && !may_store {
            return Err(sqlx::Error::Protocol(
                "a message that may not be stored is too long for a NOTIFY".into(),
            ));
        }
        if payload.len() <= INLINE_MAX {
            sqlx::query!("SELECT pg_notify($1, $2)", CHANNEL, payload)
                .execute(&self.inner.pool)
                .await?;
        } else {
            // The row and the notification commit together.
            sqlx::query!(
                "WITH s AS (INSERT INTO public.video_signals (appointment_id, body) VALUES ($1, $2) RETURNING id) \
                 SELECT pg_notify($3, '#' || s.id || ' ' || $1::uuid) FROM s",
                room,
                payload,
                CHANNEL,
            )
            .execute(&self.inner.pool)
            .await?;
        }
        Ok(())
    }

    /// Hands each notification to this node's sockets, in the order they came.
    async fn dispatch(self, mut rx: mpsc::UnboundedReceiver<String>) {
        let mut prune = tokio::time::interval(Duration::from_secs(60));
        loop {
            tokio::select! {
                payload = rx.recv() => {
                    let Some(payload) = payload else { return };
                    self.deliver_payload(payload).await;
                }
                _ = prune.tick() => {
                    if let Err(e) = sqlx::query!(
                        "DELETE FROM public.video_signals WHERE created_at < now() - make_interval(secs => $1)",
                        STORED_FOR_SECS,
                    )
                    .execute(&self.inner.pool)
                    .await
                    {
                        tracing::warn!(error = %e, "pruning stored video signals");
                    }
                }
            }
        }
    }

    async fn deliver_payload(&self, payload: String) {
        let payload = if let Some(stored) = payload.strip_prefix('#') {
            // `#<id> <room>`: read it only when this node holds the room.
            let mut parts = stored.split(' ');
            let id = parts.next().and_then(|s| s.parse::<i64>().ok());
            let room = parts.next().and_then(|s| s.parse::<Uuid>().ok());
            let (Some(id), Some(room)) = (id, room) else {
                return;
            };
            if self.local_peers(room) == 0 {
                return;
            }
            match sqlx::query_scalar!("SELECT body FROM public.video_signals WHERE id = $1", id)
                .fetch_optional(&self.inner.pool)
                .await
            {
                Ok(Some(body)) => body,
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "reading a stored video signal");
                    return;
                }
            }
        } else {
            payload
        };
        let Some((kind, room, from, to, body)) = parse_envelope(&payload) else {
            tracing::warn!("an unreadable video signal");
            return;
        };
        let body: Arc<str> = Arc::from(body);
        let mut present = Vec::new();
        {
            let rooms = self
                .inner
                .rooms
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let Some(locals) = rooms.get(&room) else {
                return;
            };
            for local in locals.iter().filter(|l| l.peer != from) {
                // A waiting guest hears only about admission.
                let hears = local.presence.admitted || kind == Kind::Control;
                if hears && to.is_none_or(|to| to == local.peer) {
                    // A full queue means a stuck socket: drop, never wait.
                    let _ = local.tx.try_send(Arc::clone(&body));
                }
                if kind == Kind::Joined {
                    present.push((local.peer, local.presence.clone()));
                }
            }
        }
        // Tell the newcomer who is here, from this node's sockets.
        if !present.is_empty() {
            let relay = self.clone();
            tokio::spawn(async move {
                for (peer, presence) in present {
                    let body = joined(peer, &presence);
                    if let Err(e) = relay
                        .publish(Kind::Message, room, peer, Some(from), &body, true)
                        .await
                    {
                        tracing::warn!(error = %e, "announcing a participant");
                    }
                }
            });
        }
    }
}

/// `{"type":"joined",…}` for `peer`.
fn joined(peer: Uuid, presence: &Presence) -> String {
    serde_json::json!({
        "type": "joined",
        "peer": peer,
        "role": presence.role,
        "name": presence.name,
        "guest": presence.guest,
        "admitted": presence.admitted,
    })
    .to_string()
}

fn envelope(kind: Kind, room: Uuid, from: Uuid, to: Option<Uuid>, body: &str) -> String {
    let kind = match kind {
        Kind::Message => 'M',
        Kind::Joined => 'J',
        Kind::Waiting => 'W',
        Kind::Control => 'C',
    };
    let to = to.map_or_else(|| "-".to_owned(), |t| t.to_string());
    format!("{kind} {room} {from} {to} {body}")
}

fn parse_envelope(payload: &str) -> Option<(Kind, Uuid, Uuid, Option<Uuid>, &str)> {
    let mut parts = payload.splitn(5, ' ');
    let kind = match parts.next()? {
        "M" => Kind::Message,
        "J" => Kind::Joined,
        "W" => Kind::Waiting,
        "C" => Kind::Control,
        _ => return None,
    };
    let room = parts.next()?.parse().ok()?;
    let from = parts.next()?.parse().ok()?;
    let to = match parts.next()? {
        "-" => None,
        to => Some(to.parse().ok()?),
    };
    Some((kind, room, from, to, parts.next()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_read_back_whole() {
        let (room, from, to) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let body = r#"{"type":"chat","text":"a b  c"}"#;
        let e = envelope(Kind::Message, room, from, Some(to), body);
        assert_eq!(
            parse_envelope(&e),
            Some((Kind::Message, room, from, Some(to), body))
        );
        for kind in [Kind::Joined, Kind::Waiting, Kind::Control] {
            let e = envelope(kind, room, from, None, body);
            assert_eq!(parse_envelope(&e), Some((kind, room, from, None, body)));
        }
        assert_eq!(parse_envelope("X a b c d"), None);
        assert_eq!(parse_envelope("M not-a-uuid"), None);
    }
}
