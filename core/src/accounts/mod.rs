//! Accounts: one identity across every professional and hub. Sign-up, the
//! terms, email verification by code, login and logout, password reset and
//! change, and professionals' invitations to clients.

pub mod invitations;
pub mod login;
pub mod mail;
pub mod password;
pub mod signup;
