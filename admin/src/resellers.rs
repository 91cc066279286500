//! Resellers: the partners who onboard companies. The functions live in core
//! (the operator's console makes resellers too); the commands call them.

pub use hearth_core::operator::resellers::{
    add_admin, create_reseller, list, ResellerError, ResellerRow,
};
