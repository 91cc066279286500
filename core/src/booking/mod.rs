//! Booking: free slots (`slots`), holding a slot and confirming it in one
//! transaction with the hub's credit debit (`book`), cancelling and
//! rescheduling (`manage`), private clients' appointments made by their
//! professional (`private`), and what attendees are told: emails with
//! calendar files (`notify`, `ics`) and reminders (`reminders`).

pub mod book;
pub mod data;
pub mod ics;
pub mod manage;
pub mod notify;
pub mod pages;
pub mod private;
pub mod reminders;
pub mod slots;

use crate::web::authz::Routes;

/// The booking routes: booking pages are readable by anyone (a visitor is
/// asked to sign up at the confirm step); appointments belong to their two
/// parties; private bookings to verified professionals.
pub fn routes() -> Routes {
    Routes::default()
        .get("/book/{professional}", "booking", pages::professional_page)
        .get(
            "/book/{professional}/{service}",
            "booking",
            pages::slots_page,
        )
        .get(
            "/book/{professional}/{service}/confirm",
            "booking",
            pages::confirm_page,
        )
        .post(
            "/book/{professional}/{service}/hold",
            "booking",
            pages::hold,
        )
        .post(
            "/book/{professional}/{service}/confirm",
            "booking",
            pages::confirm,
        )
        .get("/appointments/{id}", "appointments", manage::page)
        .post(
            "/appointments/{id}/cancel",
            "appointments",
            manage::cancel_post,
        )
        .post("/appointments/{id}/waive", "appointments", manage::waive)
        .get(
            "/appointments/{id}/reschedule",
            "appointments",
            manage::reschedule_page,
        )
        .post(
            "/appointments/{id}/reschedule",
            "appointments",
            manage::reschedule_post,
        )
        .get("/pro/appointments/new", "clients", private::new_page)
        .post("/pro/appointments", "clients", private::create)
        .get("/claim", "claim", crate::credits::claim::page)
        .post("/claim", "claim", crate::credits::claim::claim)
        .get("/admin/credits", "hub_admin", crate::credits::admin::page)
        .post("/admin/credits", "hub_admin", crate::credits::admin::save)
        .post(
            "/admin/credits/top-up",
            "hub_admin",
            crate::credits::admin::top_up,
        )
}
