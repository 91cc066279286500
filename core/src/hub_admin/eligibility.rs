//! Who may join the hub: addresses at allowed email domains, holders of an
//! open invite code, or employees on an uploaded list (CSV, reported row by
//! row). Claiming credits with them comes later; here they are kept and shown.

use axum::extract::multipart::Multipart;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use hearth_tenants::TenantTx;
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{audit, change, done, notice, render, upload_field, Done};
use crate::i18n::Msg;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::{HrAdmin, HubTx};
use crate::web::form::{normalize_email, FieldErrors};
use crate::web::site::CurrentHub;
use crate::web::state::AppState;

/// The largest CSV accepted.
const MAX_CSV: usize = 2 * 1024 * 1024;
/// The most rows one CSV may have.
const MAX_ROWS: usize = 20_000;
/// Letters and digits of invite codes, without look-alikes (0/O, 1/I).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A lowercased domain name, or why it is not one.
pub fn valid_domain(input: &str) -> Result<String, Msg> {
    let domain = input.trim().trim_end_matches('.').to_ascii_lowercase();
    let ok = (3..=253).contains(&domain.len())
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if ok {
        Ok(domain)
    } else {
        Err(Msg::new("admin-error-domain"))
    }
}

/// One rejected CSV row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// 1-based line of the file.
    pub row: u64,
    /// What is wrong with it.
    pub message: Msg,
}

/// A valid CSV row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Employee {
    /// Lowercased address.
    pub email: String,
    /// Name, when given.
    pub name: Option<String>,
}

/// Reads a list of employees: one a row, `email[,name]`, an optional header
/// row whose first cell is `email`. Returns the good rows and the bad ones.
pub fn parse_csv(bytes: &[u8]) -> (Vec<Employee>, Vec<RowError>) {
    let mut good: Vec<Employee> = Vec::new();
    let mut bad = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    for (index, record) in reader.byte_records().enumerate() {
        let row = index as u64 + 1;
        if index >= MAX_ROWS {
            bad.push(RowError {
                row,
                message: Msg::new("admin-elig-error-too-many-rows").arg("max", MAX_ROWS),
            });
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                bad.push(RowError {
                    row,
                    message: Msg::new("admin-elig-error-unreadable"),
                });
                continue;
            }
        };
        let row = record.position().map_or(row, |p| p.line());
        let cells: Vec<String> = record
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_owned())
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if index == 0 && cells[0].eq_ignore_ascii_case("email") {
            continue;
        }
        if cells.len() > 2 {
            bad.push(RowError {
                row,
                message: Msg::new("admin-elig-error-columns"),
            });
            continue;
        }
        let email = match normalize_email(&cells[0]) {
            Ok(e) => e.to_lowercase(),
            Err(_) => {
                bad.push(RowError {
                    row,
                    message: Msg::new("admin-elig-error-email").arg("value", truncate(&cells[0])),
                });
                continue;
            }
        };
        let name = cells.get(1).filter(|n| !n.is_empty()).cloned();
        if name.as_ref().is_some_and(|n| n.chars().count() > 200) {
            bad.push(RowError {
                row,
                message: Msg::new("admin-elig-error-name"),
            });
            continue;
        }
        if let Some(first) = seen.get(&email) {
            bad.push(RowError {
                row,
                message: Msg::new("admin-elig-error-duplicate")
                    .arg("email", email.clone())
                    .arg("row", *first),
            });
            continue;
        }
        seen.insert(email.clone(), row);
        good.push(Employee { email, name });
    }
    (good, bad)
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_owned()
    }
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Code {
    code: String,
    created_on: String,
    revoked: bool,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct Listed {
    email: String,
    name: Option<String>,
}

/// What an import did, shown after it (in the viewer's language).
#[derive(Debug, Default, Serialize)]
struct ImportReport {
    imported: usize,
    errors: Vec<ReportRow>,
}

/// A rejected row as the report shows it.
#[derive(Debug, Serialize)]
struct ReportRow {
    row: u64,
    message: String,
}

/// GET /admin/eligibility
pub async fn page(
    State(state): State<AppState>,
    HrAdmin { hub, viewer, .. }: HrAdmin,
    Query(flag): Query<Done>,
) -> Result<Response, AppError> {
    let notice = notice(
        &flag,
        &[
            ("domain", "admin-elig-notice-domain"),
            ("domain-removed", "admin-notice-domain-removed"),
            ("code", "admin-elig-notice-code"),
            ("code-revoked", "admin-elig-notice-code-revoked"),
        ],
        viewer.language,
    );
    show(
        &state,
        &hub,
        &viewer,
        StatusCode::OK,
        &FieldErrors::new(),
        "",
        notice,
        None,
    )
    .await
}

#[expect(clippy::too_many_arguments, reason = "one page, many parts")]
async fn show(
    state: &AppState,
    hub: &CurrentHub,
    viewer: &Viewer,
    status: StatusCode,
    errors: &FieldErrors,
    domain_value: &str,
    notice: Option<String>,
    report: Option<&ImportReport>,
) -> Result<Response, AppError> {
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let domains: Vec<String> =
        sqlx::query_scalar!("SELECT domain FROM eligibility_domains ORDER BY domain")
            .fetch_all(&mut *tx)
            .await?;
    let codes: Vec<Code> = sqlx::query_as!(
        Code,
        "SELECT code, to_char(created_at, 'YYYY-MM-DD') AS \"created_on!\", revoked_at IS NOT NULL AS \"revoked!\" \
         FROM invite_codes ORDER BY revoked_at IS NOT NULL, created_at DESC LIMIT 200",
    )
    .fetch_all(&mut *tx)
    .await?;
    let employee_count: i64 =
        sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM eligible_employees"#)
            .fetch_one(&mut *tx)
            .await?;
    let employees: Vec<Listed> = sqlx::query_as!(
        Listed,
        "SELECT email, name FROM eligible_employees ORDER BY imported_at DESC, email LIMIT 100",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    render(
        state,
        hub,
        viewer,
        "eligibility",
        "admin_eligibility.html",
        status,
        |p| {
            p.with("domains", &domains)
                .with("codes", &codes)
                .with("employee_count", &employee_count)
                .with("employees", &employees)
                .with("errors", errors)
                .with("domain_value", &domain_value)
                .with("notice", &notice)
                .with("report", &report)
        },
    )
    .await
}

// The same one-field form as the custom domain's.
use super::domain::DomainForm;

/// POST /admin/eligibility/domains
pub async fn add_domain(
    State(state): State<AppState>,
    HrAdmin { user, hub, viewer }: HrAdmin,
    Form(form): Form<DomainForm>,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let refuse = |message: Msg| FieldErrors::from([("domain", message.text(viewer.language))]);
    let domain = match valid_domain(&form.domain) {
        Ok(d) => d,
        Err(e) => {
            let errors = refuse(e);
            return show(
                &state,
                &hub,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                &errors,
                &form.domain,
                None,
                None,
            )
            .await;
        }
    };
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let added = add_domain_row(&mut tx, &domain).await?;
    if !added {
        drop(tx);
        let errors =
            refuse(Msg::new("admin-elig-error-domain-listed").arg("domain", domain.clone()));
        return show(
            &state,
            &hub,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors,
            &form.domain,
            None,
            None,
        )
        .await;
    }
    audit::record(
        &mut tx,
        actor_id,
        "eligibility.domain.add",
        change(&None::<String>, &domain),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin/eligibility", "domain"))
}

/// POST /admin/eligibility/domains/remove
pub async fn remove_domain(
    State(_state): State<AppState>,
    HrAdmin {
        user,
        hub,
        viewer: _,
    }: HrAdmin,
    HubTx { mut tx, .. }: HubTx,
    Form(form): Form<DomainForm>,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let removed = sqlx::query!(
        "DELETE FROM eligibility_domains WHERE domain = $1",
        form.domain.trim(),
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor_id,
        "eligibility.domain.remove",
        change(&form.domain.trim(), &None::<String>),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin/eligibility", "domain-removed"))
}

fn new_code() -> String {
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// POST /admin/eligibility/codes: a new invite code.
pub async fn create_code(
    State(state): State<AppState>,
    HrAdmin {
        user,
        hub,
        viewer: _,
    }: HrAdmin,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let code = new_code();
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    sqlx::query!(
        "INSERT INTO invite_codes (code, created_by) VALUES ($1, $2)",
        &code,
        actor_id,
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor_id,
        "eligibility.code.create",
        change(&None::<String>, &code),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin/eligibility", "code"))
}

/// The revoke form.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// POST /admin/eligibility/codes/revoke
pub async fn revoke_code(
    State(_state): State<AppState>,
    HrAdmin {
        user,
        hub,
        viewer: _,
    }: HrAdmin,
    HubTx { mut tx, .. }: HubTx,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let revoked = sqlx::query!(
        "UPDATE invite_codes SET revoked_at = now() WHERE code = $1 AND revoked_at IS NULL",
        form.code.trim(),
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if revoked == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor_id,
        "eligibility.code.revoke",
        change(
            &serde_json::json!({"code": form.code.trim(), "status": "open"}),
            &serde_json::json!({"code": form.code.trim(), "status": "revoked"}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin/eligibility", "code-revoked"))
}

/// POST /admin/eligibility/import (multipart, CSRF token in the query): the
/// good rows are imported in one transaction; the bad ones are reported.
pub async fn import(
    State(state): State<AppState>,
    HrAdmin { user, hub, viewer }: HrAdmin,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let bytes = match upload_field(&mut multipart, "file", MAX_CSV).await {
        Ok(Some(b)) if !b.is_empty() => Ok(b),
        Ok(_) => Err(Msg::new("admin-elig-error-choose-csv")),
        Err(message) => Err(message),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(message) => {
            let errors = FieldErrors::from([("file", message.text(viewer.language))]);
            return show(
                &state,
                &hub,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                &errors,
                "",
                None,
                None,
            )
            .await;
        }
    };
    let (good, bad) = tokio::task::spawn_blocking(move || parse_csv(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let before: i64 = sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM eligible_employees"#)
        .fetch_one(&mut *tx)
        .await?;
    let (emails, names): (Vec<String>, Vec<Option<String>>) = good
        .iter()
        .map(|e| (e.email.clone(), e.name.clone()))
        .unzip();
    sqlx::query!(
        "INSERT INTO eligible_employees (email, name, imported_at) \
         SELECT e, n, now() FROM unnest($1::text[], $2::text[]) AS i (e, n) \
         ON CONFLICT (email) DO UPDATE SET name = coalesce(EXCLUDED.name, eligible_employees.name), \
           imported_at = EXCLUDED.imported_at",
        &emails,
        &names as &[Option<String>],
    )
    .execute(&mut *tx)
    .await?;
    let after: i64 = sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM eligible_employees"#)
        .fetch_one(&mut *tx)
        .await?;
    // Counts only: the addresses are personal data and stay in their table.
    audit::record(
        &mut tx,
        actor_id,
        "eligibility.import",
        serde_json::json!({
            "before": {"employees": before},
            "after": {"employees": after, "rows_imported": good.len(), "rows_rejected": bad.len()},
        }),
    )
    .await?;
    tx.commit().await?;
    let report = ImportReport {
        imported: good.len(),
        errors: bad
            .iter()
            .map(|e| ReportRow {
                row: e.row,
                message: e.message.text(viewer.language),
            })
            .collect(),
    };
    show(
        &state,
        &hub,
        &viewer,
        StatusCode::OK,
        &FieldErrors::new(),
        "",
        None,
        Some(&report),
    )
    .await
}

/// Lets anyone with an address at `domain` (checked: lower case, no `@`)
/// claim the hub's credits, on `conn` (a `TenantTx`); false when it was listed.
pub async fn add_domain_row(conn: &mut sqlx::PgConnection, domain: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query!(
        "INSERT INTO eligibility_domains (domain) VALUES ($1) ON CONFLICT DO NOTHING",
        domain,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_checked_one_by_one() {
        let csv = "email,name\nann@example.com,Ann\nnot-an-email,Bob\n\n\"cid@example.com\",\"Cid, Jr\"\nANN@example.com\na@b.co,x,y\nzed@example.com\n";
        let (good, bad) = parse_csv(csv.as_bytes());
        assert_eq!(
            good.iter().map(|e| e.email.as_str()).collect::<Vec<_>>(),
            ["ann@example.com", "cid@example.com", "zed@example.com"]
        );
        assert_eq!(good[1].name.as_deref(), Some("Cid, Jr"));
        let rows: Vec<u64> = bad.iter().map(|e| e.row).collect();
        assert_eq!(rows, [3, 6, 7], "{bad:?}");
        assert_eq!(
            bad[1].message,
            Msg::new("admin-elig-error-duplicate")
                .arg("email", "ann@example.com")
                .arg("row", 2u64),
            "{bad:?}"
        );
    }

    #[test]
    fn domains_are_validated() {
        assert_eq!(valid_domain(" Example.COM. ").as_deref(), Ok("example.com"));
        for bad in [
            "",
            "localhost",
            "-a.com",
            "a..com",
            "a b.com",
            "exa_mple.com",
            "a@b.com",
        ] {
            assert!(valid_domain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_use_the_unambiguous_alphabet() {
        let code = new_code();
        assert_eq!(code.len(), 10);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
    }
}
