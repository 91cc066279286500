//! The report's figures: read from the hub's roll-up ([`crate::credits::rollup`])
//! with how many people each is about, then shown with small groups hidden.

use chrono::{Datelike, Months, NaiveDate, Utc};
use hearth_tenants::{Tenant, TenantTx};
use serde::Serialize;

use crate::credits::rollup;
use crate::credits::{CreditError, CreditPolicy};
use crate::i18n::t;
use crate::web::error::AppError;
use crate::web::privacy::{shown_cell, suppress, Cell};
use crate::web::state::AppState;
use crate::web::time::format_local;

/// How many months the report covers (this one and the eleven before).
pub const MONTHS: u32 = 12;

/// The monthly measures, in the order of the table's columns.
pub const MEASURES: [&str; 6] = [
    "joined",
    "sessions",
    "cancelled",
    "no_shows",
    "granted",
    "used",
];

/// Session types and modes, in the order they are listed.
const SESSION_TYPES: [&str; 4] = ["individual", "couples", "family", "group"];
const MODES: [&str; 3] = ["video", "phone", "in_person"];

/// The report as read: each figure with its people.
#[derive(Debug, Clone)]
pub struct Report {
    /// First day of each month, oldest first.
    pub months: Vec<NaiveDate>,
    /// `cells[month][measure]`, measures as in [`MEASURES`].
    pub cells: Vec<[Cell; 6]>,
    /// Each measure over the twelve months (people counted once).
    pub totals: [Cell; 6],
    /// Sessions by type over the twelve months.
    pub by_type: Vec<(String, Cell)>,
    /// Sessions by mode over the twelve months.
    pub by_mode: Vec<(String, Cell)>,
    /// Active members now.
    pub members: i64,
    /// The hub's timezone.
    pub timezone: String,
}

fn cell(value: i64, people: i64) -> Cell {
    Cell { value, people }
}

impl Report {
    /// Reads the hub's last twelve months (after posting this period's due
    /// grants, so the figures agree with what members see).
    pub async fn read(state: &AppState, tenant: &Tenant) -> Result<Self, AppError> {
        crate::credits::grant_due(state, tenant)
            .await
            .map_err(|e| match e {
                CreditError::Database(e) => AppError::Database(e),
                e => AppError::Internal(e.into()),
            })?;
        let mut tx = TenantTx::begin(&state.pool, tenant).await?;
        // A few hundred thousand rows at most: compiling the plan (JIT)
        // would cost more than running it.
        sqlx::query!("SET LOCAL jit = off")
            .execute(&mut *tx)
            .await?;
        let policy = CreditPolicy::load(&mut tx).await?;
        let tz: chrono_tz::Tz = policy.timezone.parse().unwrap_or(chrono_tz::UTC);
        let today = Utc::now().with_timezone(&tz).date_naive();
        let this_month = today.with_day(1).unwrap_or(today);
        let from = this_month
            .checked_sub_months(Months::new(MONTHS - 1))
            .unwrap_or(this_month);
        let until = this_month
            .checked_add_months(Months::new(1))
            .unwrap_or(this_month);
        let months: Vec<NaiveDate> = (0..MONTHS)
            .filter_map(|i| from.checked_add_months(Months::new(i)))
            .collect();
        // The roll-up counts months in the timezone it was made in: after a
        // change of the hub's, it is counted again (once, here).
        rollup::ensure_zone(&mut tx, &policy.timezone).await?;
        let rows = sqlx::query!(
            // The roll-up has one row a member and month. Distinct people
            // by month: rows with a non-zero count; over the twelve months:
            // members with a non-zero sum. No-shows: confirmed video
            // sessions no client joined whose end has passed by now.
            r#"WITH r AS (SELECT * FROM report_rollup WHERE month >= $2 AND month < $3),
               ru AS (
                 SELECT user_id, sum(sessions) AS s, sum(cancelled) AS c, sum(granted) AS g, sum(grants) AS gk,
                        sum(used) AS u, sum(uses) AS uk, sum(individual) AS ti, sum(couples) AS tc,
                        sum(family) AS tf, sum(grp) AS tg, sum(video) AS mv, sum(phone) AS mp,
                        sum(in_person) AS mi
                 FROM r GROUP BY user_id),
               rs AS (
                 SELECT month AS m, sum(sessions)::bigint AS sessions, count(*) FILTER (WHERE sessions > 0) AS sessions_people,
                        sum(cancelled)::bigint AS cancelled, count(*) FILTER (WHERE cancelled > 0) AS cancelled_people,
                        sum(granted)::bigint AS granted, count(*) FILTER (WHERE grants > 0) AS granted_people,
                        sum(used)::bigint AS used, count(*) FILTER (WHERE uses > 0) AS used_people,
                        0::bigint AS ti, 0::bigint AS ti_people, 0::bigint AS tc, 0::bigint AS tc_people,
                        0::bigint AS tf, 0::bigint AS tf_people, 0::bigint AS tg, 0::bigint AS tg_people,
                        0::bigint AS mv, 0::bigint AS mv_people, 0::bigint AS mp, 0::bigint AS mp_people,
                        0::bigint AS mi, 0::bigint AS mi_people
                 FROM r GROUP BY month
                 UNION ALL
                 SELECT NULL, sum(s)::bigint, count(*) FILTER (WHERE s > 0), sum(c)::bigint, count(*) FILTER (WHERE c > 0),
                        sum(g)::bigint, count(*) FILTER (WHERE gk > 0), sum(u)::bigint, count(*) FILTER (WHERE uk > 0),
                        sum(ti)::bigint, count(*) FILTER (WHERE ti > 0), sum(tc)::bigint, count(*) FILTER (WHERE tc > 0),
                        sum(tf)::bigint, count(*) FILTER (WHERE tf > 0), sum(tg)::bigint, count(*) FILTER (WHERE tg > 0),
                        sum(mv)::bigint, count(*) FILTER (WHERE mv > 0), sum(mp)::bigint, count(*) FILTER (WHERE mp > 0),
                        sum(mi)::bigint, count(*) FILTER (WHERE mi > 0)
                 FROM ru),
               n AS (
                 SELECT month AS m, user_id, count(*) AS n FROM report_bookings
                 WHERE status = 'confirmed' AND mode = 'video' AND NOT attended AND ends_at < now()
                   AND month >= $2 AND month < $3
                 GROUP BY month, user_id),
               ns AS (
                 SELECT m, sum(n)::bigint AS no_shows, count(*) AS no_show_people FROM n GROUP BY m
                 UNION ALL
                 SELECT NULL, sum(n)::bigint, count(DISTINCT user_id) FROM n),
               js AS (
                 SELECT m, count(*) AS joined FROM (
                   SELECT date_trunc('month', joined_at AT TIME ZONE $1)::date AS m FROM members
                   WHERE joined_at >= ($2::date::timestamp AT TIME ZONE $1) AND joined_at < ($3::date::timestamp AT TIME ZONE $1)) j
                 GROUP BY GROUPING SETS ((m), ()))
               -- One row a month, and a row without a month: the twelve together
               -- (with the sessions by type and by mode).
               SELECT k.m AS "m?",
                 coalesce(js.joined, 0) AS "joined!",
                 coalesce(rs.sessions, 0) AS "sessions!", coalesce(rs.sessions_people, 0) AS "sessions_people!",
                 coalesce(rs.cancelled, 0) AS "cancelled!", coalesce(rs.cancelled_people, 0) AS "cancelled_people!",
                 coalesce(ns.no_shows, 0) AS "no_shows!", coalesce(ns.no_show_people, 0) AS "no_show_people!",
                 coalesce(rs.granted, 0) AS "granted!", coalesce(rs.granted_people, 0) AS "granted_people!",
                 coalesce(rs.used, 0) AS "used!", coalesce(rs.used_people, 0) AS "used_people!",
                 ARRAY[coalesce(rs.ti, 0), coalesce(rs.tc, 0), coalesce(rs.tf, 0), coalesce(rs.tg, 0)] AS "types!",
                 ARRAY[coalesce(rs.ti_people, 0), coalesce(rs.tc_people, 0), coalesce(rs.tf_people, 0),
                       coalesce(rs.tg_people, 0)] AS "types_people!",
                 ARRAY[coalesce(rs.mv, 0), coalesce(rs.mp, 0), coalesce(rs.mi, 0)] AS "modes!",
                 ARRAY[coalesce(rs.mv_people, 0), coalesce(rs.mp_people, 0), coalesce(rs.mi_people, 0)] AS "modes_people!"
               FROM (SELECT generate_series($2::date, $3::date - 1, interval '1 month')::date AS m
                     UNION ALL SELECT NULL::date) k
               LEFT JOIN rs ON rs.m IS NOT DISTINCT FROM k.m
               LEFT JOIN ns ON ns.m IS NOT DISTINCT FROM k.m
               LEFT JOIN js ON js.m IS NOT DISTINCT FROM k.m"#,
            policy.timezone,
            from,
            until,
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut cells = vec![[Cell::default(); 6]; months.len()];
        let mut totals = [Cell::default(); 6];
        let parts = |keys: &[&str], values: &[i64], people: &[i64]| -> Vec<(String, Cell)> {
            keys.iter()
                .enumerate()
                .map(|(i, k)| {
                    let c = cell(
                        values.get(i).copied().unwrap_or(0),
                        people.get(i).copied().unwrap_or(0),
                    );
                    ((*k).to_owned(), c)
                })
                .collect()
        };
        let mut by_type = parts(&SESSION_TYPES, &[], &[]);
        let mut by_mode = parts(&MODES, &[], &[]);
        for r in rows {
            let row = [
                cell(r.joined, r.joined),
                cell(r.sessions, r.sessions_people),
                cell(r.cancelled, r.cancelled_people),
                cell(r.no_shows, r.no_show_people),
                cell(r.granted, r.granted_people),
                cell(r.used, r.used_people),
            ];
            // The row without a month (NULL) is the twelve months together.
            match r.m {
                None => {
                    totals = row;
                    by_type = parts(&SESSION_TYPES, &r.types, &r.types_people);
                    by_mode = parts(&MODES, &r.modes, &r.modes_people);
                }
                Some(m) => {
                    if let Some(i) = months.iter().position(|x| *x == m) {
                        cells[i] = row;
                    }
                }
            }
        }
        let members: i64 =
            sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM members WHERE status = 'active'"#)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(Self {
            months,
            cells,
            totals,
            by_type,
            by_mode,
            members,
            timezone: policy.timezone,
        })
    }

    /// The report as an HR admin sees it in `lang`.
    pub fn shown(&self, lang: &str) -> Shown {
        // Each measure's column is one group with its total.
        let mut hidden = vec![[false; 6]; self.months.len()];
        let mut total_hidden = [false; 6];
        for m in 0..MEASURES.len() {
            let column: Vec<Cell> = self.cells.iter().map(|row| row[m]).collect();
            let (h, th) = suppress(&column, self.totals[m]);
            for (row, hide) in hidden.iter_mut().zip(h) {
                row[m] = hide;
            }
            total_hidden[m] = th;
        }
        let rows: Vec<Row> = self
            .months
            .iter()
            .zip(&self.cells)
            .zip(&hidden)
            .map(|((month, cells), hide)| Row {
                month: month_name(lang, *month),
                values: cells
                    .iter()
                    .zip(hide)
                    .map(|(c, h)| shown_cell(*c, *h, lang))
                    .collect(),
                utilisation: utilisation(cells[4], hide[4], cells[5], hide[5]),
            })
            .collect();
        let total = Row {
            month: t(lang, "report-total", None),
            values: self
                .totals
                .iter()
                .zip(&total_hidden)
                .map(|(c, h)| shown_cell(*c, *h, lang))
                .collect(),
            utilisation: utilisation(
                self.totals[4],
                total_hidden[4],
                self.totals[5],
                total_hidden[5],
            ),
        };
        let sessions_total = self.totals[1];
        let breakdown = |parts: &[(String, Cell)], prefix: &str| -> Vec<Part> {
            let cells: Vec<Cell> = parts.iter().map(|(_, c)| *c).collect();
            let (h, _) = suppress(&cells, sessions_total);
            parts
                .iter()
                .zip(h)
                .map(|((key, c), hide)| Part {
                    name: t(lang, &format!("{prefix}{}", key.replace('_', "-")), None),
                    value: shown_cell(*c, hide, lang),
                })
                .collect()
        };
        let charts = vec![
            Chart::bars(
                t(lang, "report-chart-sessions", None),
                &self.months,
                lang,
                &[(1, "sessions")],
                &self.cells,
                &hidden,
            ),
            Chart::bars(
                t(lang, "report-chart-credits", None),
                &self.months,
                lang,
                &[(4, "granted"), (5, "used")],
                &self.cells,
                &hidden,
            ),
        ];
        Shown {
            rows,
            total,
            by_type: breakdown(&self.by_type, "report-type-"),
            by_mode: breakdown(&self.by_mode, "report-mode-"),
            members: crate::web::privacy::figure(self.members, self.members, lang),
            timezone: self.timezone.clone(),
            charts,
            fewer_than: t(lang, "privacy-fewer-than", None),
        }
    }
}

/// Credits used of credits granted, in percent, when both are shown.
fn utilisation(granted: Cell, granted_hidden: bool, used: Cell, used_hidden: bool) -> String {
    if granted_hidden || used_hidden || granted.value <= 0 {
        return String::new();
    }
    format!(
        "{} %",
        (used.value * 100 + granted.value / 2) / granted.value
    )
}

fn month_name(lang: &str, month: NaiveDate) -> String {
    format_local(
        lang,
        month.and_hms_opt(0, 0, 0).unwrap_or_default(),
        "%B %Y",
    )
}

fn month_short(lang: &str, month: NaiveDate) -> String {
    format_local(lang, month.and_hms_opt(0, 0, 0).unwrap_or_default(), "%b")
}

/// One month of the table, as shown.
#[derive(Debug, Serialize)]
pub struct Row {
    /// "March 2026".
    pub month: String,
    /// The measures, as in [`MEASURES`].
    pub values: Vec<String>,
    /// Used of granted, in percent (empty when not shown).
    pub utilisation: String,
}

/// A session type or mode and its sessions, as shown.
#[derive(Debug, Serialize)]
pub struct Part {
    /// Its name.
    pub name: String,
    /// Its sessions.
    pub value: String,
}

/// A bar chart of one or two measures by month, drawn on the server.
#[derive(Debug, Serialize)]
pub struct Chart {
    /// What it shows (its accessible name).
    pub title: String,
    /// Its series, for the legend and the bars' classes.
    pub series: Vec<Series>,
    /// One group of bars a month.
    pub groups: Vec<BarGroup>,
    /// The drawing's height.
    pub height: u32,
    /// The drawing's width.
    pub width: u32,
    /// The top of the scale, as a label.
    pub max: i64,
}

/// One measure drawn in a chart.
#[derive(Debug, Serialize)]
pub struct Series {
    /// Its measure ("sessions", "granted", "used"), for the bars' class.
    pub id: &'static str,
    /// Its name in the legend.
    pub label: String,
}

/// A month's bars.
#[derive(Debug, Serialize)]
pub struct BarGroup {
    /// The month's short name.
    pub label: String,
    /// Where the label's centre is.
    pub x: u32,
    /// The bars.
    pub bars: Vec<Bar>,
}

/// One bar.
#[derive(Debug, Serialize)]
pub struct Bar {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height (0 when hidden).
    pub h: u32,
    /// The series it belongs to.
    pub series: &'static str,
    /// Hidden: about fewer than 5 people (drawn as a dash).
    pub hidden: bool,
}

const PLOT_HEIGHT: u32 = 160;
const TOP: u32 = 10;
const GROUP_WIDTH: u32 = 48;
const LEFT: u32 = 8;

impl Chart {
    fn bars(
        title: String,
        months: &[NaiveDate],
        lang: &str,
        series: &[(usize, &'static str)],
        cells: &[[Cell; 6]],
        hidden: &[[bool; 6]],
    ) -> Self {
        let max = cells
            .iter()
            .zip(hidden)
            .flat_map(|(row, hide)| {
                series
                    .iter()
                    .filter(|(m, _)| !hide[*m])
                    .map(|(m, _)| row[*m].value)
                    .collect::<Vec<_>>()
            })
            .max()
            .unwrap_or(0)
            .max(1);
        let bar_width = (GROUP_WIDTH - 12) / series.len() as u32;
        let groups = months
            .iter()
            .zip(cells.iter().zip(hidden))
            .enumerate()
            .map(|(i, (month, (row, hide)))| {
                let left = LEFT + i as u32 * GROUP_WIDTH + 6;
                let bars = series
                    .iter()
                    .enumerate()
                    .map(|(k, (m, name))| {
                        let value = row[*m].value.max(0);
                        let h = if hide[*m] {
                            0
                        } else {
                            ((value * i64::from(PLOT_HEIGHT)) / max) as u32
                        };
                        Bar {
                            x: left + k as u32 * bar_width,
                            y: TOP + PLOT_HEIGHT - h,
                            w: bar_width - 2,
                            h,
                            series: name,
                            hidden: hide[*m],
                        }
                    })
                    .collect();
                BarGroup {
                    label: month_short(lang, *month),
                    x: left + (GROUP_WIDTH - 12) / 2,
                    bars,
                }
            })
            .collect::<Vec<_>>();
        Chart {
            title,
            series: series
                .iter()
                .map(|(_, id)| Series {
                    id,
                    label: t(lang, &format!("report-{id}"), None),
                })
                .collect(),
            width: LEFT * 2 + GROUP_WIDTH * months.len() as u32,
            height: TOP + PLOT_HEIGHT + 24,
            groups,
            max,
        }
    }
}

/// The report as shown to an HR admin.
#[derive(Debug, Serialize)]
pub struct Shown {
    /// The months.
    pub rows: Vec<Row>,
    /// The twelve months together.
    pub total: Row,
    /// Sessions by type.
    pub by_type: Vec<Part>,
    /// Sessions by mode.
    pub by_mode: Vec<Part>,
    /// Active members.
    pub members: String,
    /// The hub's timezone (months are its months).
    pub timezone: String,
    /// The charts.
    pub charts: Vec<Chart>,
    /// "fewer than 5", for the charts' legend.
    pub fewer_than: String,
}

impl Shown {
    /// The table and the breakdowns as CSV (RFC 4180), headed in `lang`.
    pub fn csv(&self, lang: &str) -> String {
        let mut out = String::new();
        let mut line = |cells: Vec<String>| {
            let quoted: Vec<String> = cells
                .iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect();
            out.push_str(&quoted.join(","));
            out.push_str("\r\n");
        };
        let mut head = vec![t(lang, "report-month", None)];
        head.extend(
            MEASURES
                .iter()
                .map(|m| t(lang, &format!("report-{}", m.replace('_', "-")), None)),
        );
        head.push(t(lang, "report-utilisation", None));
        line(head);
        for row in self.rows.iter().chain(std::iter::once(&self.total)) {
            let mut cells = vec![row.month.clone()];
            cells.extend(row.values.iter().cloned());
            cells.push(row.utilisation.clone());
            line(cells);
        }
        line(Vec::new());
        line(vec![
            t(lang, "report-by-type", None),
            t(lang, "report-sessions", None),
        ]);
        for p in &self.by_type {
            line(vec![p.name.clone(), p.value.clone()]);
        }
        line(Vec::new());
        line(vec![
            t(lang, "report-by-mode", None),
            t(lang, "report-sessions", None),
        ]);
        for p in &self.by_mode {
            line(vec![p.name.clone(), p.value.clone()]);
        }
        out
    }
}
