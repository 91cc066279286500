//! The professional's weekly hours, in their own timezone, and date
//! exceptions: a day (or part of one) off, or extra hours on a day. Booking
//! turns these into free slots.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use chrono::{Days, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::validate::{self, overlaps, weekday_name};
use super::{me, render, status_of, to, Done, Professional};
use crate::i18n::Msg;
use crate::web::authz::Viewer;
use crate::web::error::AppError;
use crate::web::form::FieldErrors;
use crate::web::form::{in_language, FieldMsgs};
use crate::web::site::Site;
use crate::web::state::AppState;
use crate::web::time::format_day;

/// How far ahead an exception may be set.
const EXCEPTION_DAYS_AHEAD: u64 = 730;

/// A weekly rule as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Rule {
    /// Its id.
    pub id: i64,
    /// ISO weekday, 1 = Monday.
    pub weekday: i16,
    /// Start, in the professional's timezone.
    pub start_time: NaiveTime,
    /// End, in the professional's timezone.
    pub end_time: NaiveTime,
}

/// A date exception as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Exception {
    /// Its id.
    pub id: i64,
    /// The day.
    pub day: NaiveDate,
    /// `off` or `extra`.
    pub kind: String,
    /// Start of the hours off or extra; none for a whole day off.
    pub start_time: Option<NaiveTime>,
    /// End of those hours.
    pub end_time: Option<NaiveTime>,
}

#[derive(Debug, Serialize)]
struct RuleView {
    id: i64,
    start: String,
    end: String,
}

#[derive(Debug, Serialize)]
struct DayView {
    /// The option value: `1` for Monday.
    weekday: String,
    name: String,
    rules: Vec<RuleView>,
}

#[derive(Debug, Serialize)]
struct ExceptionView {
    id: i64,
    day: String,
    day_label: String,
    kind: String,
    hours: Option<String>,
}

/// The add-a-rule form, as typed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct RuleForm {
    /// 1–7.
    pub weekday: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
}

impl Default for RuleForm {
    fn default() -> Self {
        Self {
            weekday: "1".into(),
            start: "09:00".into(),
            end: "17:00".into(),
        }
    }
}

/// The add-an-exception form, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ExceptionForm {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `off` or `extra`.
    pub kind: String,
    /// Optional `HH:MM`.
    pub start: String,
    /// Optional `HH:MM`.
    pub end: String,
}

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// Today in `timezone` (UTC when it is not a known name).
fn today_in(timezone: &str) -> NaiveDate {
    match validate::timezone(timezone) {
        Ok(tz) => Utc::now().with_timezone(&tz).date_naive(),
        Err(_) => Utc::now().date_naive(),
    }
}

/// Checks a rule's fields: the weekday and times, start before end.
pub fn check_rule(form: &RuleForm) -> Result<(i16, NaiveTime, NaiveTime), FieldMsgs> {
    let mut errors = FieldMsgs::new();
    let weekday = match form.weekday.trim().parse::<i16>() {
        Ok(n) if (1..=7).contains(&n) => Some(n),
        _ => {
            errors.insert("weekday", "pro-error-weekday".into());
            None
        }
    };
    let start = validate::time(&form.start)
        .map_err(|e| errors.insert("start", e))
        .ok();
    let end = validate::time(&form.end)
        .map_err(|e| errors.insert("end", e))
        .ok();
    match (weekday, start, end) {
        (Some(w), Some(s), Some(e)) if s < e && errors.is_empty() => Ok((w, s, e)),
        (_, Some(s), Some(e)) if s >= e => {
            errors.insert("end", "pro-error-end-before-start".into());
            Err(errors)
        }
        _ => Err(errors),
    }
}

/// A checked exception, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewException {
    /// The day.
    pub day: NaiveDate,
    /// `off` or `extra`.
    pub kind: String,
    /// Start and end; none for a whole day off.
    pub hours: Option<(NaiveTime, NaiveTime)>,
}

/// Checks an exception's fields against `today` (in the professional's
/// timezone): a day from today on, `off` or `extra`, and for extra hours
/// both times, start before end.
pub fn check_exception(form: &ExceptionForm, today: NaiveDate) -> Result<NewException, FieldMsgs> {
    let mut errors = FieldMsgs::new();
    let day = match validate::day(&form.day) {
        Ok(d) if d < today => {
            errors.insert("day", "pro-error-day-past".into());
            None
        }
        Ok(d) if today.checked_add_days(Days::new(EXCEPTION_DAYS_AHEAD)) < Some(d) => {
            errors.insert("day", "pro-error-day-far".into());
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.insert("day", e);
            None
        }
    };
    let kind = match form.kind.trim() {
        k @ ("off" | "extra") => Some(k.to_owned()),
        _ => {
            errors.insert("kind", "pro-error-exception-kind".into());
            None
        }
    };
    let optional_time = |s: &str| {
        if s.trim().is_empty() {
            Ok(None)
        } else {
            validate::time(s).map(Some)
        }
    };
    let start = optional_time(&form.start)
        .map_err(|e| errors.insert("start", e))
        .ok();
    let end = optional_time(&form.end)
        .map_err(|e| errors.insert("end", e))
        .ok();
    let hours = match (start, end) {
        (Some(Some(s)), Some(Some(e))) if s < e => Some(Some((s, e))),
        (Some(Some(_)), Some(Some(_))) => {
            errors.insert("end", "pro-error-end-before-start".into());
            None
        }
        (Some(None), Some(None)) if kind.as_deref() == Some("extra") => {
            errors.insert("start", "pro-error-extra-needs-times".into());
            None
        }
        (Some(None), Some(None)) => Some(None),
        (Some(None), Some(Some(_))) => {
            errors.insert("start", "pro-error-start-too".into());
            None
        }
        (Some(Some(_)), Some(None)) => {
            errors.insert("end", "pro-error-end-too".into());
            None
        }
        _ => None,
    };
    match (day, kind, hours) {
        (Some(day), Some(kind), Some(hours)) if errors.is_empty() => {
            Ok(NewException { day, kind, hours })
        }
        _ => Err(errors),
    }
}

/// The weekly rules of `professional_id`.
pub async fn rules(
    conn: &mut sqlx::PgConnection,
    professional_id: Uuid,
) -> sqlx::Result<Vec<Rule>> {
    sqlx::query_as!(
        Rule,
        "SELECT id, weekday, start_time, end_time FROM availability_rules \
         WHERE professional_id = $1 ORDER BY weekday, start_time",
        professional_id,
    )
    .fetch_all(conn)
    .await
}

/// GET /pro/availability
pub async fn page(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let Some(me) = me(&state, &viewer).await? else {
        return Ok(to(&site, "/pro/profile"));
    };
    let notice = match done.done.as_deref() {
        Some("rule") => Some("pro-avail-done-rule"),
        Some("rule_deleted") => Some("pro-avail-done-rule-deleted"),
        Some("exception") => Some("pro-avail-done-exception"),
        Some("exception_deleted") => Some("pro-avail-done-exception-deleted"),
        _ => None,
    }
    .map(|id| crate::i18n::t(viewer.language, id, None));
    show(
        &state,
        &site,
        &viewer,
        &me,
        Forms {
            rule: &RuleForm::default(),
            rule_errors: &FieldErrors::new(),
            exception: &ExceptionForm {
                kind: "off".into(),
                ..ExceptionForm::default()
            },
            exception_errors: &FieldErrors::new(),
        },
        notice.as_deref(),
    )
    .await
}

/// The two forms of the page, as typed, with their errors (in the viewer's
/// language).
struct Forms<'a> {
    rule: &'a RuleForm,
    rule_errors: &'a FieldErrors,
    exception: &'a ExceptionForm,
    exception_errors: &'a FieldErrors,
}

async fn show(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    me: &Professional,
    forms: Forms<'_>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let lang = viewer.language;
    let today = today_in(&me.timezone);
    let mut conn = state.pool.acquire().await?;
    let rules = rules(&mut conn, me.user_id).await?;
    let exceptions: Vec<Exception> = sqlx::query_as!(
        Exception,
        "SELECT id, day, kind, start_time, end_time FROM availability_exceptions \
         WHERE professional_id = $1 AND day >= $2 ORDER BY day, start_time NULLS FIRST LIMIT 200",
        me.user_id,
        today,
    )
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let week: Vec<DayView> = (1..=7)
        .map(|weekday| DayView {
            weekday: weekday.to_string(),
            name: weekday_name(lang, weekday),
            rules: rules
                .iter()
                .filter(|r| r.weekday == weekday)
                .map(|r| RuleView {
                    id: r.id,
                    start: hhmm(r.start_time),
                    end: hhmm(r.end_time),
                })
                .collect(),
        })
        .collect();
    let exceptions: Vec<ExceptionView> = exceptions
        .iter()
        .map(|x| ExceptionView {
            id: x.id,
            day: x.day.format("%Y-%m-%d").to_string(),
            day_label: format_day(lang, x.day, "%A %-d %B %Y"),
            kind: x.kind.clone(),
            hours: x
                .start_time
                .zip(x.end_time)
                .map(|(s, e)| format!("{}–{}", hhmm(s), hhmm(e))),
        })
        .collect();
    let status = status_of(forms.rule_errors).max(status_of(forms.exception_errors));
    render(
        state,
        site,
        viewer,
        "availability",
        "pro_availability.html",
        status,
        |page| {
            page.with("professional", me)
                .with("week", &week)
                .with("exceptions", &exceptions)
                .with("rule", forms.rule)
                .with("rule_errors", forms.rule_errors)
                .with("exception", forms.exception)
                .with("exception_errors", forms.exception_errors)
                .with("today", &today.format("%Y-%m-%d").to_string())
                .with("notice", &notice)
        },
    )
    .await
}

/// POST /pro/availability/rules: adds weekly hours, refusing any that
/// overlap hours already set on that weekday.
pub async fn add_rule(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Form(form): Form<RuleForm>,
) -> Result<Response, AppError> {
    let Some(me) = me(&state, &viewer).await? else {
        return Ok(to(&site, "/pro/profile"));
    };
    let (weekday, start, end) = match check_rule(&form) {
        Ok(r) => r,
        Err(errors) => {
            let errors = in_language(&errors, viewer.language);
            return refuse_rule(&state, &site, &viewer, &me, &form, &errors).await;
        }
    };
    let mut tx = state.pool.begin().await?;
    // One change to a professional's hours at a time, so two overlapping
    // rules sent at once cannot both pass the check.
    sqlx::query!(
        "SELECT 1 AS locked FROM professionals WHERE user_id = $1 FOR UPDATE",
        me.user_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let existing = rules(&mut tx, me.user_id).await?;
    if let Some(clash) = existing
        .iter()
        .find(|r| r.weekday == weekday && overlaps((start, end), (r.start_time, r.end_time)))
    {
        tx.rollback().await?;
        let overlap = Msg::new("pro-error-overlap")
            .arg("day", weekday_name(viewer.language, weekday))
            .arg("start", hhmm(clash.start_time))
            .arg("end", hhmm(clash.end_time));
        let errors = FieldErrors::from([("start", overlap.text(viewer.language))]);
        return refuse_rule(&state, &site, &viewer, &me, &form, &errors).await;
    }
    insert_rule(&mut tx, me.user_id, weekday, start, end).await?;
    tx.commit().await?;
    Ok(to(&site, "/pro/availability?done=rule"))
}

/// Adds the weekly hours `start`–`end` on `weekday` (1 = Monday) to
/// `professional`'s availability (the caller checked they overlap nothing).
pub async fn insert_rule(
    conn: &mut sqlx::PgConnection,
    professional: uuid::Uuid,
    weekday: i16,
    start: chrono::NaiveTime,
    end: chrono::NaiveTime,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO availability_rules (professional_id, weekday, start_time, end_time) \
         VALUES ($1, $2, $3, $4)",
        professional,
        weekday,
        start,
        end,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The page again, with the rule form as typed and its errors.
async fn refuse_rule(
    state: &AppState,
    site: &Site,
    viewer: &Viewer,
    me: &Professional,
    form: &RuleForm,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    show(
        state,
        site,
        viewer,
        me,
        Forms {
            rule: form,
            rule_errors: errors,
            exception: &ExceptionForm {
                kind: "off".into(),
                ..ExceptionForm::default()
            },
            exception_errors: &FieldErrors::new(),
        },
        None,
    )
    .await
}

/// POST /pro/availability/rules/{id}/delete
pub async fn delete_rule(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    delete(&state, &viewer, Row::Rule, &id).await?;
    Ok(to(&site, "/pro/availability?done=rule_deleted"))
}

/// POST /pro/availability/exceptions
pub async fn add_exception(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Form(form): Form<ExceptionForm>,
) -> Result<Response, AppError> {
    let Some(me) = me(&state, &viewer).await? else {
        return Ok(to(&site, "/pro/profile"));
    };
    let NewException { day, kind, hours } = match check_exception(&form, today_in(&me.timezone)) {
        Ok(x) => x,
        Err(errors) => {
            let errors = in_language(&errors, viewer.language);
            return show(
                &state,
                &site,
                &viewer,
                &me,
                Forms {
                    rule: &RuleForm::default(),
                    rule_errors: &FieldErrors::new(),
                    exception: &form,
                    exception_errors: &errors,
                },
                None,
            )
            .await;
        }
    };
    sqlx::query!(
        "INSERT INTO availability_exceptions (professional_id, day, kind, start_time, end_time) \
         VALUES ($1, $2, $3, $4, $5)",
        me.user_id,
        day,
        &kind,
        hours.map(|h| h.0),
        hours.map(|h| h.1),
    )
    .execute(&state.pool)
    .await?;
    Ok(to(&site, "/pro/availability?done=exception"))
}

/// POST /pro/availability/exceptions/{id}/delete
pub async fn delete_exception(
    State(state): State<AppState>,
    site: Site,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    delete(&state, &viewer, Row::Exception, &id).await?;
    Ok(to(&site, "/pro/availability?done=exception_deleted"))
}

/// Which kind of row [`delete`] removes.
#[derive(Debug, Clone, Copy)]
enum Row {
    /// A weekly rule.
    Rule,
    /// A date exception.
    Exception,
}

/// Deletes row `id` of kind `row` of the signed-in user; 404 when there is
/// no such row of theirs.
async fn delete(state: &AppState, viewer: &Viewer, row: Row, id: &str) -> Result<(), AppError> {
    let user_id = super::signed_in(viewer)?.id;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let done = match row {
        Row::Rule => {
            sqlx::query!(
                "DELETE FROM availability_rules WHERE id = $1 AND professional_id = $2",
                id,
                user_id,
            )
            .execute(&state.pool)
            .await?
        }
        Row::Exception => {
            sqlx::query!(
                "DELETE FROM availability_exceptions WHERE id = $1 AND professional_id = $2",
                id,
                user_id,
            )
            .execute(&state.pool)
            .await?
        }
    };
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(weekday: &str, start: &str, end: &str) -> RuleForm {
        RuleForm {
            weekday: weekday.into(),
            start: start.into(),
            end: end.into(),
        }
    }

    #[test]
    fn rules_need_a_weekday_and_a_start_before_the_end() {
        let (w, s, e) = check_rule(&rule("1", "09:00", "17:00")).unwrap();
        assert_eq!((w, hhmm(s), hhmm(e)), (1, "09:00".into(), "17:00".into()));
        assert_eq!(
            check_rule(&rule("1", "17:00", "09:00")).unwrap_err()["end"].id,
            "pro-error-end-before-start"
        );
        assert!(check_rule(&rule("1", "09:00", "09:00")).is_err());
        assert_eq!(
            check_rule(&rule("8", "09:00", "10:00")).unwrap_err()["weekday"].id,
            "pro-error-weekday"
        );
        assert_eq!(
            check_rule(&rule("1", "9am", "10:00")).unwrap_err()["start"].id,
            "pro-error-time"
        );
    }

    fn exception(day: &str, kind: &str, start: &str, end: &str) -> ExceptionForm {
        ExceptionForm {
            day: day.into(),
            kind: kind.into(),
            start: start.into(),
            end: end.into(),
        }
    }

    #[test]
    fn exceptions_are_days_from_today_with_hours_for_extra() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let x = check_exception(&exception("2026-12-24", "off", "", ""), today).unwrap();
        assert_eq!((x.kind.as_str(), x.hours), ("off", None));
        assert!(
            check_exception(&exception("2026-12-24", "off", "13:00", "17:00"), today)
                .unwrap()
                .hours
                .is_some()
        );
        let errors = check_exception(&exception("2026-12-24", "extra", "", ""), today).unwrap_err();
        assert_eq!(errors["start"].id, "pro-error-extra-needs-times");
        assert_eq!(
            check_exception(&exception("2026-11-19", "off", "", ""), today).unwrap_err()["day"].id,
            "pro-error-day-past"
        );
        assert!(check_exception(&exception("2026-11-20", "off", "", ""), today).is_ok());
        assert!(check_exception(&exception("2026-02-30", "off", "", ""), today).is_err());
        assert!(check_exception(&exception("2026-12-24", "holiday", "", ""), today).is_err());
        assert_eq!(
            check_exception(&exception("2026-12-24", "extra", "18:00", "10:00"), today)
                .unwrap_err()["end"]
                .id,
            "pro-error-end-before-start"
        );
        assert!(
            check_exception(&exception("2026-12-24", "extra", "10:00", ""), today)
                .unwrap_err()
                .contains_key("end")
        );
        assert!(check_exception(&exception("2029-12-24", "off", "", ""), today).is_err());
    }
}
