//! The HR admin's credit settings at `/admin/credits`: the hub's policy
//! (credits per period, period length and start, rollover, cancellation
//! cutoff, timezone), top-ups for one member, and the hub's totals (never a
//! member's bookings: HR sees aggregates only).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use chrono::{NaiveDate, Utc};
use hearth_tenants::TenantTx;
use serde::{Deserialize, Serialize};

use crate::credits::{open_account, post, CreditError, CreditPolicy, Entry, Posting};
use crate::hub_admin::{audit, change, done, render};
use crate::i18n::t;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::extract::HrAdmin;
use crate::web::form::FieldErrors;
use crate::web::form::{notice, Done};
use crate::web::site::CurrentHub;
use crate::web::state::AppState;

/// The policy form.
#[derive(Debug, Deserialize, Serialize)]
pub struct PolicyForm {
    credits_per_period: String,
    period_months: String,
    period_start: String,
    #[serde(default)]
    rollover: Option<String>,
    #[serde(default)]
    members_may_pay: Option<String>,
    cancellation_cutoff_hours: String,
    timezone: String,
}

/// The top-up form.
#[derive(Debug, Deserialize, Serialize)]
pub struct TopUpForm {
    email: String,
    credits: String,
    #[serde(default)]
    note: String,
}

/// The hub's totals as read, with how many people each is about.
#[derive(Debug, sqlx::FromRow)]
struct TotalsRow {
    members: i64,
    granted: i64,
    granted_people: i64,
    spent: i64,
    spent_people: i64,
    balance: i64,
    balance_people: i64,
}

/// The totals as an HR admin sees them: a figure about fewer than 5 people
/// reads "fewer than 5". Granted, spent and left are shown or hidden
/// together, since any two of them tell the third.
#[derive(Debug, Serialize)]
struct Totals {
    members: String,
    granted: String,
    spent: String,
    balance: String,
}

impl TotalsRow {
    fn shown(&self, lang: &str) -> Totals {
        use crate::web::privacy::figure;
        let people = self
            .granted_people
            .min(self.spent_people)
            .min(self.balance_people)
            .min(self.members);
        Totals {
            members: figure(self.members, self.members, lang),
            granted: figure(self.granted, people, lang),
            spent: figure(self.spent, people, lang),
            balance: figure(self.balance, people, lang),
        }
    }
}

/// GET /admin/credits
pub async fn page(
    State(state): State<AppState>,
    HrAdmin { hub, viewer, .. }: HrAdmin,
    Query(flag): Query<Done>,
) -> Result<Response, AppError> {
    let notice = notice(
        &flag,
        &[
            ("policy", "admin-credits-notice-policy"),
            ("topup", "admin-credits-notice-topup"),
        ],
        viewer.language,
    );
    show(
        &state,
        &hub,
        &viewer,
        StatusCode::OK,
        &FieldErrors::new(),
        None,
        notice,
    )
    .await
}

async fn show(
    state: &AppState,
    hub: &CurrentHub,
    viewer: &Viewer,
    status: StatusCode,
    errors: &FieldErrors,
    form: Option<&PolicyForm>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    crate::credits::grant_due(state, &hub.tenant)
        .await
        .map_err(credit_error)?;
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let policy = CreditPolicy::load(&mut tx).await?;
    let period = policy.period_at(Utc::now());
    let totals: TotalsRow = sqlx::query_as!(
        TotalsRow,
        r#"SELECT (SELECT count(*) FROM members WHERE status = 'active') AS "members!",
                coalesce((SELECT sum(amount) FROM credit_ledger WHERE kind IN ('grant', 'top_up') AND period_start = $1), 0)::bigint AS "granted!",
                (SELECT count(DISTINCT user_id) FROM credit_ledger WHERE kind IN ('grant', 'top_up') AND period_start = $1) AS "granted_people!",
                coalesce((SELECT -sum(amount) FROM credit_ledger WHERE kind = 'debit' AND period_start = $1), 0)::bigint
                  - coalesce((SELECT sum(amount) FROM credit_ledger WHERE kind = 'refund' AND period_start = $1), 0)::bigint AS "spent!",
                (SELECT count(DISTINCT user_id) FROM credit_ledger WHERE kind IN ('debit', 'refund') AND period_start = $1) AS "spent_people!",
                coalesce((SELECT sum(balance) FROM credit_balances), 0)::bigint AS "balance!",
                (SELECT count(*) FROM credit_balances) AS "balance_people!""#,
        period.start,
    )
    .fetch_one(&mut *tx)
    .await?;
    let totals = totals.shown(viewer.language);
    tx.commit().await?;
    let values = match form {
        Some(f) => serde_json::to_value(f).unwrap_or_default(),
        None => serde_json::json!({
            "credits_per_period": policy.credits_per_period.to_string(),
            "period_months": policy.period_months.to_string(),
            "period_start": policy.period_anchor.format("%Y-%m").to_string(),
            "rollover": policy.rollover.then_some("on"),
            "members_may_pay": policy.members_may_pay.then_some("on"),
            "cancellation_cutoff_hours": policy.cancellation_cutoff_hours.to_string(),
            "timezone": policy.timezone,
        }),
    };
    render(
        state,
        hub,
        viewer,
        "credits",
        "admin_credits.html",
        status,
        |p| {
            p.with("values", &values)
                .with("errors", errors)
                .with("notice", &notice)
                .with("period", &period)
                .with("totals", &totals)
                .with("timezones", &crate::credits::admin::timezones())
        },
    )
    .await
}

/// A failure of the ledger as a page's error.
fn credit_error(e: CreditError) -> AppError {
    match e {
        CreditError::Database(e) => e.into(),
        e => AppError::Internal(e.into()),
    }
}

/// Every IANA timezone name, for selects.
pub fn timezones() -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect()
}

/// POST /admin/credits
pub async fn save(
    State(state): State<AppState>,
    HrAdmin { user, hub, viewer }: HrAdmin,
    Form(form): Form<PolicyForm>,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let lang = viewer.language;
    let mut errors = FieldErrors::new();
    let credits = form
        .credits_per_period
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|c| (0..=1000).contains(c));
    if credits.is_none() {
        errors.insert(
            "credits_per_period",
            t(lang, "admin-credits-error-per-period", None),
        );
    }
    let months = form
        .period_months
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|m| [1, 3, 6, 12].contains(m));
    if months.is_none() {
        errors.insert("period_months", t(lang, "admin-credits-error-period", None));
    }
    let anchor =
        NaiveDate::parse_from_str(&format!("{}-01", form.period_start.trim()), "%Y-%m-%d").ok();
    if anchor.is_none() {
        errors.insert("period_start", t(lang, "admin-credits-error-start", None));
    }
    let cutoff = form
        .cancellation_cutoff_hours
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|h| (0..=720).contains(h));
    if cutoff.is_none() {
        errors.insert(
            "cancellation_cutoff_hours",
            t(lang, "admin-credits-error-cutoff", None),
        );
    }
    let timezone = form.timezone.trim();
    if timezone.parse::<chrono_tz::Tz>().is_err() {
        errors.insert("timezone", t(lang, "admin-credits-error-timezone", None));
    }
    let (Some(credits), Some(months), Some(anchor), Some(cutoff), true) =
        (credits, months, anchor, cutoff, errors.is_empty())
    else {
        return show(
            &state,
            &hub,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors,
            Some(&form),
            None,
        )
        .await;
    };
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let before = CreditPolicy::load(&mut tx).await?;
    let policy = CreditPolicy {
        credits_per_period: credits,
        period_months: months,
        period_anchor: anchor,
        rollover: form.rollover.is_some(),
        members_may_pay: form.members_may_pay.is_some(),
        cancellation_cutoff_hours: cutoff,
        timezone: timezone.to_owned(),
    };
    policy.save(&mut tx).await?;
    let after = CreditPolicy::load(&mut tx).await?;
    audit::record(&mut tx, actor_id, "credits.policy", change(&before, &after)).await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin/credits", "policy"))
}

/// POST /admin/credits/top-up: credits for one member, by email.
pub async fn top_up(
    State(state): State<AppState>,
    HrAdmin { user, hub, viewer }: HrAdmin,
    Form(form): Form<TopUpForm>,
) -> Result<Response, AppError> {
    let actor_id = user.id;
    let lang = viewer.language;
    let mut errors = FieldErrors::new();
    let credits = form
        .credits
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|c| (1..=100).contains(c));
    if credits.is_none() {
        errors.insert("credits", t(lang, "admin-credits-error-top-up", None));
    }
    if form.note.chars().count() > 200 {
        errors.insert("note", t(lang, "admin-credits-error-note", None));
    }
    let _ = state.plugins.active(&hub.tenant).await;
    let mut tx = TenantTx::begin(&state.pool, &hub.tenant).await?;
    let member: Option<uuid::Uuid> = sqlx::query_scalar!(
        "SELECT m.user_id FROM members m JOIN public.users u ON u.id = m.user_id \
         WHERE lower(u.email) = lower($1) AND m.status = 'active'",
        form.email.trim(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    if member.is_none() {
        errors.insert("email", t(lang, "admin-credits-error-member", None));
    }
    let (Some(user_id), Some(credits), true) = (member, credits, errors.is_empty()) else {
        tx.commit().await?;
        return show(
            &state,
            &hub,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors,
            None,
            None,
        )
        .await;
    };
    let account = match open_account(&state, &hub.tenant, &mut tx, user_id, Utc::now()).await {
        Ok(a) => a,
        Err(CreditError::Database(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    let posted = post(
        &mut tx,
        &Posting {
            user_id,
            kind: Entry::TopUp,
            amount: credits,
            period_start: account.period.start,
            appointment_id: None,
            actor_id: Some(actor_id),
            note: form.note.trim(),
        },
    )
    .await;
    match posted {
        Ok(_) => {}
        Err(CreditError::Database(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::Internal(e.into())),
    }
    // The amount granted only: an employee's balance is theirs, not HR's.
    audit::record(
        &mut tx,
        actor_id,
        "credits.top_up",
        serde_json::json!({ "credits": credits }),
    )
    .await?;
    tx.commit().await?;
    Ok(done(&hub, "/admin/credits", "topup"))
}
