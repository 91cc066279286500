//! The end-to-end tests, one module per area, in one test binary: one link
//! of the whole application instead of one per file (see docs/benchmarks.md,
//! "Build times").

mod accounts;
mod attacks;
mod booking;
mod booking_emails;
mod chromium;
mod citus;
mod dashboard;
mod dashboard_browser;
mod email_outbox;
mod faults;
mod hub_admin;
mod hub_page;
mod i18n;
mod load;
mod migrations;
mod nodes;
mod operator;
mod operator_browser;
mod operator_hubs;
mod operator_platform;
mod payments;
mod payments_browser;
mod plugins_integration;
mod professionals;
mod profile;
mod provisioning;
mod report;
mod reseller;
mod reseller_browser;
mod reseller_look;
mod serve;
mod tenancy;
mod tenant_cli;
mod video;
mod video_browser;
mod video_guests;
