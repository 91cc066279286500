//! Video sessions: the room of each video appointment (`room`: the device
//! check, the waiting room and the call, all in the browser), the WebSocket
//! that signals between the participants (`signal`, passed between nodes by
//! [`crate::video_relay`]), the STUN/TURN servers and their short-lived
//! credentials (`ice`), attendance (`data`), and the guests a client invites
//! to couples and family sessions (`guests`: their links; `guest_room`:
//! their way in, admitted by the professional).
//!
//! Media goes between the browsers (or through TURN), never through
//! `hearth serve`, and is never recorded.

pub mod data;
pub mod guest_room;
pub mod guests;
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
        .get("/appointments/{id}/guests", "appointments", guests::page)
        .post(
            "/appointments/{id}/guests",
            "appointments",
            guests::create_link,
        )
        .post(
            "/appointments/{id}/guests/{guest}/withdraw",
            "appointments",
            guests::withdraw,
        )
        // A guest's link: anyone holding it, signed in or not.
        .get("/guest/{token}", "guest", guest_room::page)
        .post("/guest/{token}", "guest", guest_room::claim)
        .get("/guest/{token}/signal", "guest", guest_room::socket)
}
