//! The Client Dashboard: Home (appointments, calendar, credits), connections
//! and notifications.

use crate::http::authz::Routes;

/// The dashboard's routes.
pub fn routes() -> Routes {
    Routes::default()
}
