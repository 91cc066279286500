//! A bill as people read it: on its page, in lists, and printed as a PDF
//! bill or receipt, in the reader's language.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::bills::{Bill, Line};
use super::pdf::{self, Printed};
use crate::i18n::tr;
use crate::web::error::AppError;
use crate::web::money::money;
use crate::web::time::format_day;

/// A bill's line, formatted.
#[derive(Debug, Serialize)]
pub struct LineView {
    /// What was provided.
    pub description: String,
    /// How many.
    pub quantity: i32,
    /// Price of one.
    pub unit: String,
    /// quantity × unit.
    pub amount: String,
}

/// A bill, formatted for `lang`.
#[derive(Debug, Serialize)]
pub struct BillView {
    /// Its id.
    pub id: uuid::Uuid,
    /// Its number.
    pub number: i32,
    /// The state, as a key (open, paid, …).
    pub status: String,
    /// The state in words.
    pub status_text: String,
    /// The professional's business.
    pub seller_name: String,
    /// Their address.
    pub seller_address: Option<String>,
    /// Their company or tax id.
    pub seller_tax_id: Option<String>,
    /// The client.
    pub client_name: String,
    /// The client's address.
    pub client_email: String,
    /// Issued on.
    pub issued: String,
    /// Due on.
    pub due: String,
    /// Paid on.
    pub paid: Option<String>,
    /// Whether it is past due and open.
    pub overdue: bool,
    /// Lines.
    pub lines: Vec<LineView>,
    /// Before tax.
    pub subtotal: String,
    /// The tax line's label ("Tax (24%)"), when there is tax.
    pub tax_label: Option<String>,
    /// Tax.
    pub tax: String,
    /// Total.
    pub total: String,
    /// Refunded so far, when any.
    pub refunded: Option<String>,
    /// What may still be refunded, as typed in a form ("12.50").
    pub refundable_input: String,
    /// Whether anything may still be refunded.
    pub refundable: bool,
    /// Whether the client may pay it now.
    pub payable: bool,
    /// Whether it was paid (a receipt exists).
    pub was_paid: bool,
    /// Whether the payment was disputed.
    pub disputed: bool,
}

/// `bill` (with `lines`) for a reader of `lang`.
pub fn bill_view(bill: &Bill, lines: &[Line], lang: &str, today: chrono::NaiveDate) -> BillView {
    let m = |minor: i64| money(minor, &bill.currency, lang);
    let day = |d: chrono::NaiveDate| format_day(lang, d, "%-d %B %Y");
    BillView {
        id: bill.id,
        number: bill.number,
        status: bill.status.clone(),
        status_text: tr(
            lang,
            &format!("pay-status-{}", bill.status.replace('_', "-")),
            &[],
        ),
        seller_name: bill.seller_name.clone(),
        seller_address: bill.seller_address.clone(),
        seller_tax_id: bill.seller_tax_id.clone(),
        client_name: bill.client_name.clone(),
        client_email: bill.client_email.clone(),
        issued: day(bill.issued_on),
        due: day(bill.due_on),
        paid: bill.paid_at.map(|t| day(t.date_naive())),
        overdue: bill.status == "open" && bill.due_on < today,
        lines: lines
            .iter()
            .map(|l| LineView {
                description: l.description.clone(),
                quantity: l.quantity,
                unit: m(l.unit_minor),
                amount: m(l.amount_minor),
            })
            .collect(),
        subtotal: m(bill.subtotal_minor),
        tax_label: bill
            .tax_rate_bp
            .filter(|bp| *bp > 0)
            .map(|bp| tr(lang, "pay-tax-rate", &[("rate", percent(bp, lang).into())])),
        tax: m(bill.tax_minor),
        total: m(bill.total_minor),
        refunded: (bill.refunded_minor > 0).then(|| m(bill.refunded_minor)),
        refundable_input: crate::web::money::Money::new(bill.refundable_minor(), &bill.currency)
            .map(|x| x.input_text())
            .unwrap_or_default(),
        refundable: bill.refundable_minor() > 0,
        payable: bill.payable(),
        was_paid: bill.was_paid(),
        disputed: bill.disputed_at.is_some(),
    }
}

/// Basis points as a percentage in `lang` ("24", "5.5" / "5,5").
fn percent(bp: i32, lang: &str) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    if frac == 0 {
        whole.to_string()
    } else {
        let sep = if lang == "is" { "," } else { "." };
        format!("{whole}{sep}{}", format!("{frac:02}").trim_end_matches('0'))
    }
}

/// The bill (or, with `receipt`, its receipt) as a PDF download.
pub fn pdf_response(
    bill: &Bill,
    lines: &[Line],
    lang: &str,
    receipt: bool,
) -> Result<Response, AppError> {
    let v = bill_view(bill, lines, lang, chrono::Utc::now().date_naive());
    let number = bill.number.to_string();
    let heading = if receipt {
        tr(
            lang,
            "pay-receipt-heading",
            &[("number", number.as_str().into())],
        )
    } else {
        tr(
            lang,
            "pay-bill-heading",
            &[("number", number.as_str().into())],
        )
    };
    let mut seller = vec![v.seller_name.clone()];
    if let Some(address) = &v.seller_address {
        seller.extend(address.lines().map(str::to_owned));
    }
    if let Some(tax_id) = &v.seller_tax_id {
        seller.push(tr(
            lang,
            "pay-tax-id-line",
            &[("id", tax_id.as_str().into())],
        ));
    }
    let mut facts = vec![
        (tr(lang, "pay-col-number", &[]), number.clone()),
        (tr(lang, "pay-col-issued", &[]), v.issued.clone()),
        (tr(lang, "pay-col-due", &[]), v.due.clone()),
        (tr(lang, "pay-col-status", &[]), v.status_text.clone()),
    ];
    if let Some(paid) = &v.paid {
        facts.push((tr(lang, "pay-col-paid-on", &[]), paid.clone()));
    }
    let total_label = tr(lang, "pay-total", &[]);
    let mut totals = vec![(tr(lang, "pay-subtotal", &[]), v.subtotal.clone())];
    if let Some(label) = &v.tax_label {
        totals.push((label.clone(), v.tax.clone()));
    }
    totals.push((total_label.clone(), v.total.clone()));
    if let Some(refunded) = &v.refunded {
        totals.push((tr(lang, "pay-refunded", &[]), refunded.clone()));
    }
    let doc = Printed {
        heading,
        seller,
        client_label: tr(lang, "pay-billed-to", &[]),
        client: vec![v.client_name.clone(), v.client_email.clone()],
        facts,
        columns: [
            tr(lang, "pay-col-description", &[]),
            tr(lang, "pay-col-quantity", &[]),
            tr(lang, "pay-col-unit", &[]),
            tr(lang, "pay-col-amount", &[]),
        ],
        lines: v
            .lines
            .iter()
            .map(|l| {
                [
                    l.description.clone(),
                    l.quantity.to_string(),
                    l.unit.clone(),
                    l.amount.clone(),
                ]
            })
            .collect(),
        totals,
        total_label,
        footer: if receipt || v.was_paid {
            tr(lang, "pay-footer-paid", &[])
        } else {
            tr(lang, "pay-footer-open", &[("due", v.due.as_str().into())])
        },
    };
    let bytes = pdf::render(&doc).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let kind = if receipt { "receipt" } else { "bill" };
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{kind}-{number}.pdf\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percentages_in_each_language() {
        assert_eq!(percent(2400, "en"), "24");
        assert_eq!(percent(550, "en"), "5.5");
        assert_eq!(percent(550, "is"), "5,5");
        assert_eq!(percent(1225, "en"), "12.25");
    }
}
