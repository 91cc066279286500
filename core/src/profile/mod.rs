//! My Profile and Your data: the user's own details, email change by code,
//! the export of everything held about them, and deleting the account.

use crate::http::authz::Routes;

/// The profile's routes.
pub fn routes() -> Routes {
    Routes::default()
}
