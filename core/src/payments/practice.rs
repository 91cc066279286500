//! Payments in the practice: the professional's bills (issued, paid,
//! outstanding, refunded), one bill with its refund form, a monthly
//! statement as CSV, and the business details printed on their bills.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::bills::{self, Bill};
use super::refunds::{self, RefundError};
use super::view::{self, bill_view};
use crate::i18n::{t, tr, Msg};
use crate::web::csv::{month_of, Sheet};
use crate::web::error::AppError;
use crate::web::extract::Professional;
use crate::web::form::{in_language, notice, status_of, to, Done, FieldErrors, FieldMsgs};
use crate::web::money::{money, Money};
use crate::web::page::Page;
use crate::web::paging::{page_offset, Pager, PAGE_SIZE};
use crate::web::site::Site;
use crate::web::state::AppState;

/// The list's filter and page.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    page: Option<String>,
}

/// A bill in the list.
#[derive(Debug, sqlx::FromRow)]
struct Listed {
    id: Uuid,
    number: i32,
    client_name: String,
    status: String,
    currency: String,
    total_minor: i64,
    refunded_minor: i64,
    issued_on: NaiveDate,
    due_on: NaiveDate,
}

#[derive(Debug, Serialize)]
struct Row {
    id: Uuid,
    number: i32,
    client_name: String,
    status: String,
    status_text: String,
    total: String,
    refunded: Option<String>,
    issued: String,
    due: String,
    overdue: bool,
}

/// One currency's sums.
#[derive(Debug, Serialize)]
struct Sums {
    currency: String,
    issued: String,
    issued_count: i64,
    paid: String,
    paid_count: i64,
    outstanding: String,
    outstanding_count: i64,
    refunded: String,
}

/// The filters the list offers (their keys in the catalogue: `pay-filter-…`).
const FILTERS: &[&str] = &["all", "open", "paid", "refunded", "void"];

/// GET /pro/payments
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    pro: Professional,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let lang = pro.viewer.language;
    let filter = q
        .status
        .as_deref()
        .filter(|s| FILTERS.contains(s))
        .unwrap_or("all");
    let (page_no, offset) = page_offset(q.page.as_deref(), "pay-error-page")?;
    // 'refunded' lists bills with any refund; 'paid' those paid and not
    // wholly refunded.
    let statuses: Vec<String> = match filter {
        "open" => vec!["open".into()],
        "paid" => vec!["paid".into(), "partly_refunded".into()],
        "refunded" => vec!["refunded".into(), "partly_refunded".into()],
        "void" => vec!["void".into()],
        _ => ["open", "paid", "partly_refunded", "refunded", "void"]
            .map(String::from)
            .to_vec(),
    };
    let mut conn = state.pool.acquire().await?;
    let total: i64 = sqlx::query_scalar!(
        "SELECT count(*) AS \"n!\" FROM bills WHERE professional_id = $1 AND status = ANY($2)",
        pro.user.id,
        &statuses,
    )
    .fetch_one(&mut *conn)
    .await?;
    let listed: Vec<Listed> = sqlx::query_as!(
        Listed,
        "SELECT id, number, client_name, status, currency, total_minor, refunded_minor, issued_on, due_on \
         FROM bills WHERE professional_id = $1 AND status = ANY($2) \
         ORDER BY issued_on DESC, number DESC LIMIT $3 OFFSET $4",
        pro.user.id,
        &statuses,
        PAGE_SIZE,
        offset,
    )
    .fetch_all(&mut *conn)
    .await?;
    let sums = sqlx::query!(
        "SELECT currency, \
                coalesce(sum(total_minor) FILTER (WHERE status <> 'void'), 0)::bigint AS \"issued!\", \
                count(*) FILTER (WHERE status <> 'void') AS \"issued_count!\", \
                coalesce(sum(total_minor) FILTER (WHERE paid_at IS NOT NULL), 0)::bigint AS \"paid!\", \
                count(*) FILTER (WHERE paid_at IS NOT NULL) AS \"paid_count!\", \
                coalesce(sum(total_minor) FILTER (WHERE status = 'open'), 0)::bigint AS \"outstanding!\", \
                count(*) FILTER (WHERE status = 'open') AS \"outstanding_count!\", \
                coalesce(sum(refunded_minor), 0)::bigint AS \"refunded!\" \
         FROM bills WHERE professional_id = $1 GROUP BY currency ORDER BY currency",
        pro.user.id,
    )
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let today = Utc::now().date_naive();
    let day = |d| crate::web::time::format_day(lang, d, "%-d %B %Y");
    let rows: Vec<Row> = listed
        .into_iter()
        .map(|b| Row {
            id: b.id,
            number: b.number,
            client_name: b.client_name,
            status_text: tr(
                lang,
                &format!("pay-status-{}", b.status.replace('_', "-")),
                &[],
            ),
            overdue: b.status == "open" && b.due_on < today,
            status: b.status,
            total: money(b.total_minor, &b.currency, lang),
            refunded: (b.refunded_minor > 0).then(|| money(b.refunded_minor, &b.currency, lang)),
            issued: day(b.issued_on),
            due: day(b.due_on),
        })
        .collect();
    let sums: Vec<Sums> = sums
        .into_iter()
        .map(|s| Sums {
            issued: money(s.issued, &s.currency, lang),
            issued_count: s.issued_count,
            paid: money(s.paid, &s.currency, lang),
            paid_count: s.paid_count,
            outstanding: money(s.outstanding, &s.currency, lang),
            outstanding_count: s.outstanding_count,
            refunded: money(s.refunded, &s.currency, lang),
            currency: s.currency,
        })
        .collect();
    let keep: Vec<(&str, &str)> = if filter == "all" {
        Vec::new()
    } else {
        vec![("status", filter)]
    };
    let pager = Pager::new(
        &format!("{}/pro/payments", site.base()),
        &keep,
        page_no,
        total,
    );
    let last_month = crate::web::csv::this_and_last_month(today).1;
    Ok(Page::new(&state, &site, &pro.viewer)
        .await?
        .with("section", &"payments")
        .with("bills", &rows)
        .with("sums", &sums)
        .with("filter", &filter)
        .with("filters", &FILTERS)
        .with("pager", &pager)
        .with("statement_month", &last_month.format("%Y-%m").to_string())
        .render(&state, "pro_payments.html")?
        .into_response())
}

/// The professional's own bill `id`, or 404.
async fn own_bill(
    state: &AppState,
    pro: Uuid,
    id: Uuid,
) -> Result<(Bill, Vec<bills::Line>), AppError> {
    let mut conn = state.pool.acquire().await?;
    match bills::find(&mut conn, id).await? {
        Some((bill, lines)) if bill.professional_id == pro => Ok((bill, lines)),
        _ => Err(AppError::NotFound),
    }
}

/// GET /pro/payments/bills/{id}
pub async fn bill_page(
    State(state): State<AppState>,
    site: Site,
    pro: Professional,
    Path(id): Path<Uuid>,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let (bill, lines) = own_bill(&state, pro.user.id, id).await?;
    show_bill(
        &state,
        &site,
        &pro,
        &bill,
        &lines,
        &done,
        "",
        &FieldErrors::new(),
    )
    .await
}

#[expect(clippy::too_many_arguments, reason = "a page's parts, named")]
async fn show_bill(
    state: &AppState,
    site: &Site,
    pro: &Professional,
    bill: &Bill,
    lines: &[bills::Line],
    done: &Done,
    amount: &str,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let lang = pro.viewer.language;
    let refunds = sqlx::query!(
        "SELECT amount_minor, reason, status, created_at FROM bill_refunds \
         WHERE bill_id = $1 ORDER BY created_at",
        bill.id
    )
    .fetch_all(&state.pool)
    .await?;
    let refunds: Vec<serde_json::Value> = refunds
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "amount": money(r.amount_minor, &bill.currency, lang),
                "reason": tr(lang, &format!("pay-refund-reason-{}", r.reason), &[]),
                "status": tr(lang, &format!("pay-refund-status-{}", r.status), &[]),
                "date": crate::web::time::format_day(lang, r.created_at.date_naive(), "%-d %B %Y"),
            })
        })
        .collect();
    let v = bill_view(bill, lines, lang, Utc::now().date_naive());
    let amount = if amount.is_empty() {
        v.refundable_input.clone()
    } else {
        amount.to_owned()
    };
    let done = notice(done, &[("refunded", "pay-done-refunded")], lang);
    let mut response = Page::new(state, site, &pro.viewer)
        .await?
        .with("section", &"payments")
        .with("bill", &v)
        .with("refunds", &refunds)
        .with("amount", &amount)
        .with("errors", errors)
        .with("done", &done)
        .render(state, "pro_bill.html")?
        .into_response();
    *response.status_mut() = status_of(errors);
    Ok(response)
}

/// GET /pro/payments/bills/{id}/bill.pdf
pub async fn bill_pdf(
    State(state): State<AppState>,
    pro: Professional,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (bill, lines) = own_bill(&state, pro.user.id, id).await?;
    view::pdf_response(&bill, &lines, pro.viewer.language, false)
}

/// The refund form.
#[derive(Debug, Deserialize)]
pub struct RefundForm {
    #[serde(default)]
    amount: String,
}

/// POST /pro/payments/bills/{id}/refund: refunds the amount typed (in full
/// or in part) to the card that paid.
pub async fn refund(
    State(state): State<AppState>,
    site: Site,
    pro: Professional,
    Path(id): Path<Uuid>,
    Form(form): Form<RefundForm>,
) -> Result<Response, AppError> {
    let (bill, _) = own_bill(&state, pro.user.id, id).await?;
    let lang = pro.viewer.language;
    let Some(currency) = iso_currency::Currency::from_code(&bill.currency) else {
        return Err(AppError::NotFound);
    };
    // The refund made, or what to tell next to the amount.
    let made: Result<Result<Uuid, Msg>, AppError> = async {
        let amount = match Money::parse(&form.amount, currency, bill.total_minor) {
            Ok(m) if m.minor > 0 => m.minor,
            _ => return Ok(Err(Msg::new("pay-error-refund-amount"))),
        };
        let refund_id = match refunds::request(&state, bill.id, amount, pro.user.id).await {
            Ok(id) => id,
            Err(RefundError::TooMuch { left }) => {
                return Ok(Err(Msg::new("pay-error-refund-too-much")
                    .arg("left", money(left, &bill.currency, lang))))
            }
            Err(RefundError::Refused(m)) => {
                return Ok(Err(Msg::new("pay-error-refund-refused").arg("reason", m)))
            }
            Err(RefundError::App(e)) => return Err(e),
        };
        match refunds::send(&state, refund_id).await {
            Ok(_) => {}
            Err(RefundError::Refused(m)) => {
                return Ok(Err(Msg::new("pay-error-refund-refused").arg("reason", m)))
            }
            // Stripe unreachable: the refund stays pending and is sent later.
            Err(e) => tracing::warn!(error = %e, %refund_id, "a refund could not be sent yet"),
        }
        Ok(Ok(refund_id))
    }
    .await;
    let refund_id = match made? {
        Ok(id) => id,
        Err(msg) => {
            let errors = in_language(&FieldMsgs::from([("amount", msg)]), lang);
            let (bill, lines) = own_bill(&state, pro.user.id, id).await?;
            return show_bill(
                &state,
                &site,
                &pro,
                &bill,
                &lines,
                &Done::default(),
                &form.amount,
                &errors,
            )
            .await;
        }
    };
    tracing::info!(bill_id = %bill.id, %refund_id, "professional refunded a bill");
    Ok(to(
        &site,
        &format!("/pro/payments/bills/{id}?done=refunded"),
    ))
}

/// `?month=YYYY-MM`.
#[derive(Debug, Default, Deserialize)]
pub struct StatementQuery {
    month: Option<String>,
}

/// GET /pro/payments/statement.csv: the month's bills (issued in it), with
/// what was paid and refunded of each.
pub async fn statement(
    State(state): State<AppState>,
    pro: Professional,
    Query(q): Query<StatementQuery>,
) -> Result<Response, AppError> {
    let lang = pro.viewer.language;
    let month = month_of(
        q.month.as_deref(),
        Utc::now().date_naive(),
        "pay-error-month",
    )
    .map_err(|m| AppError::Validation(FieldMsgs::from([("month", m)])))?;
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(month);
    let rows = sqlx::query!(
        "SELECT number, issued_on, due_on, client_name, status, currency, subtotal_minor, \
                tax_minor, total_minor, refunded_minor, paid_at \
         FROM bills WHERE professional_id = $1 AND issued_on >= $2 AND issued_on < $3 \
         ORDER BY number",
        pro.user.id,
        month,
        next,
    )
    .fetch_all(&state.pool)
    .await?;
    let mut sheet = Sheet::default();
    sheet.row(
        &[
            "pay-col-number",
            "pay-col-issued",
            "pay-col-due",
            "pay-billed-to",
            "pay-col-status",
            "pay-col-currency",
            "pay-subtotal",
            "pay-tax",
            "pay-total",
            "pay-refunded",
            "pay-col-paid-on",
        ]
        .map(|key| t(lang, key, None)),
    );
    let amount = |minor: i64, currency: &str| {
        Money::new(minor, currency)
            .map(|m| m.input_text())
            .unwrap_or_else(|| minor.to_string())
    };
    for r in rows {
        sheet.row(&[
            r.number.to_string(),
            r.issued_on.to_string(),
            r.due_on.to_string(),
            r.client_name,
            tr(
                lang,
                &format!("pay-status-{}", r.status.replace('_', "-")),
                &[],
            ),
            r.currency.clone(),
            amount(r.subtotal_minor, &r.currency),
            amount(r.tax_minor, &r.currency),
            amount(r.total_minor, &r.currency),
            amount(r.refunded_minor, &r.currency),
            r.paid_at
                .map(|p| p.date_naive().to_string())
                .unwrap_or_default(),
        ]);
    }
    Ok(sheet.download(&format!("bills-{}.csv", month.format("%Y-%m"))))
}

/// The business details form.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct BusinessForm {
    #[serde(default)]
    business_name: String,
    #[serde(default)]
    business_address: String,
    #[serde(default)]
    business_tax_id: String,
    #[serde(default)]
    tax_rate: String,
    #[serde(default)]
    due_days: String,
}

/// GET /pro/billing
pub async fn business_page(
    State(state): State<AppState>,
    site: Site,
    pro: Professional,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let row = sqlx::query!(
        "SELECT business_name, business_address, business_tax_id, tax_rate_bp, bill_due_days \
         FROM professionals WHERE user_id = $1",
        pro.user.id
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let form = BusinessForm {
        business_name: row.business_name.unwrap_or_default(),
        business_address: row.business_address.unwrap_or_default(),
        business_tax_id: row.business_tax_id.unwrap_or_default(),
        tax_rate: row
            .tax_rate_bp
            .map(|bp| {
                Money::new(i64::from(bp), "EUR")
                    .map(|m| m.input_text())
                    .unwrap_or_default()
            })
            .unwrap_or_default(),
        due_days: row.bill_due_days.to_string(),
    };
    let done = notice(
        &done,
        &[("saved", "pay-done-business-saved")],
        pro.viewer.language,
    );
    show_business(&state, &site, &pro, &form, &FieldErrors::new(), done).await
}

async fn show_business(
    state: &AppState,
    site: &Site,
    pro: &Professional,
    form: &BusinessForm,
    errors: &FieldErrors,
    done: Option<String>,
) -> Result<Response, AppError> {
    let mut response = Page::new(state, site, &pro.viewer)
        .await?
        .with("section", &"billing")
        .with("form", form)
        .with("errors", errors)
        .with("done", &done)
        .render(state, "pro_billing.html")?
        .into_response();
    *response.status_mut() = status_of(errors);
    Ok(response)
}

/// An optional text field: trimmed, `None` when empty, at most `max`
/// characters and no control characters (line breaks kept where `lines`).
fn optional_text(input: &str, max: usize, lines: bool) -> Result<Option<String>, Msg> {
    let text = input.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max
        || text
            .chars()
            .any(|c| c.is_control() && !(lines && c == '\n'))
    {
        return Err(Msg::new("pay-error-text").arg("max", max));
    }
    Ok(Some(text))
}

/// POST /pro/billing
pub async fn business_save(
    State(state): State<AppState>,
    site: Site,
    pro: Professional,
    Form(form): Form<BusinessForm>,
) -> Result<Response, AppError> {
    let lang = pro.viewer.language;
    let mut errors = FieldMsgs::new();
    let name = optional_text(&form.business_name, 200, false)
        .map_err(|m| errors.insert("business_name", m))
        .ok()
        .flatten();
    let address = optional_text(&form.business_address, 500, true)
        .map_err(|m| errors.insert("business_address", m))
        .ok()
        .flatten();
    let tax_id = optional_text(&form.business_tax_id, 60, false)
        .map_err(|m| errors.insert("business_tax_id", m))
        .ok()
        .flatten();
    // A percentage with at most two decimals, read as basis points.
    let tax_rate = if form.tax_rate.trim().is_empty() {
        None
    } else {
        let parsed = iso_currency::Currency::from_code("EUR").and_then(|eur| {
            Money::parse(
                form.tax_rate.trim().trim_end_matches('%').trim(),
                eur,
                10_000,
            )
            .ok()
        });
        match parsed {
            Some(m) if (0..=10_000).contains(&m.minor) => i32::try_from(m.minor).ok(),
            _ => {
                errors.insert("tax_rate", Msg::new("pay-error-tax-rate"));
                None
            }
        }
    };
    let due_days = match form.due_days.trim().parse::<i32>() {
        Ok(d) if (0..=120).contains(&d) => d,
        _ => {
            errors.insert("due_days", Msg::new("pay-error-due-days"));
            14
        }
    };
    if !errors.is_empty() {
        return show_business(
            &state,
            &site,
            &pro,
            &form,
            &in_language(&errors, lang),
            None,
        )
        .await;
    }
    let updated = sqlx::query!(
        "UPDATE professionals SET business_name = $2, business_address = $3, business_tax_id = $4, \
            tax_rate_bp = $5, bill_due_days = $6 WHERE user_id = $1",
        pro.user.id,
        name,
        address,
        tax_id,
        tax_rate,
        due_days,
    )
    .execute(&state.pool)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(to(&site, "/pro/billing?done=saved"))
}
