//! Video sessions: the room of each video appointment (`room`: the device
//! check, the waiting room and the call, all in the browser), the WebSocket
//! that signals between the participants (`signal`, passed between nodes by
//! [`crate::video_relay`]), the STUN/TURN servers and their short-lived
//! credentials (`ice`), and attendance (`data`).
//!
//! Media goes between the browsers (or through TURN), never through
//! `hearth serve`, and is never recorded.

pub mod data;
pub mod ice;
pub mod room;
pub mod signal;

use crate::web::authz::Routes;

/// The video routes: the room and its socket belong to the appointment's two
/// parties, inside the join window.
pub fn routes() -> Routes {
    Routes::default()
        .get("/appointments/{id}/session", "appointments", room::page)
        .get(
            "/appointments/{id}/session/signal",
            "appointments",
            signal::socket,
        )
}
