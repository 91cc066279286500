//! Amounts of money as people read them.

/// A price for people: "120.00 EUR".
pub fn money(cents: i64, currency: &str) -> String {
    format!("{}.{:02} {currency}", cents / 100, (cents % 100).abs())
}
