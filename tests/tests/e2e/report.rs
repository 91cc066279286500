//! The HR report (issue 15, item 4): aggregates only. A hub with 40 members
//! shows its numbers; a figure about fewer than 5 people reads "fewer than
//! 5", also where a total would give a hidden one away; no page or CSV names
//! anyone; "credits granted" agrees with what members see before they visit.

use std::sync::Arc;

use hearth_core::reports::figures::{Report, MONTHS};
use hearth_core::web::privacy::Cell;
use hearth_tenants::Tenant;
use hearth_tests::browser::location;
use hearth_tests::browser::Browser;
use hearth_tests::fixtures::{
    all_week, balance, browser_for, confirm, in_hub, member, monday_at, on_roster, professional,
    rfc, service, session_token, user,
};
use hearth_tests::{TestApp, TestDb};
use sqlx::PgPool;
use uuid::Uuid;

/// `count` employees of `hub`, named and emailed after `prefix`.
async fn employees(
    pool: &PgPool,
    hub: &Tenant,
    prefix: &str,
    count: usize,
) -> Vec<(Uuid, String, String)> {
    let mut out = Vec::new();
    for i in 0..count {
        let name = format!("{prefix} Person{i:02}");
        let email = format!("{}.{i}@staff.test", prefix.to_lowercase());
        let id = user(pool, &email, &name, "UTC").await;
        member(pool, hub, id).await;
        out.push((id, name, email));
    }
    out
}

/// A confirmed (or cancelled) video session of `client` paid by `hub`,
/// starting `sql_start` (an SQL expression), of `session_type`.
async fn session(
    pool: &PgPool,
    hub: &Tenant,
    pro: Uuid,
    client: Uuid,
    (sql_start, slot): (&str, i32),
    session_type: &str,
    status: &str,
) -> Uuid {
    let id = Uuid::new_v4();
    sqlx::query(&format!(
        "INSERT INTO appointments (id, professional_id, client_id, tenant_id, service_name, mode, session_type, \
           starts_at, ends_at, blocked_until, status, cancelled_at, credits) \
         SELECT $1, $2, $3, $4, 'Talk', 'video', $5, s, s + interval '50 minutes', s + interval '50 minutes', $6, \
           CASE WHEN $6 = 'cancelled' THEN now() END, 1 FROM (SELECT {sql_start} + interval '1 hour' * {slot} AS s) t"
    ))
    .bind(id)
    .bind(pro)
    .bind(client)
    .bind(hub.id.0)
    .bind(session_type)
    .bind(status)
    .execute(pool)
    .await
    .expect("appointment");
    let mut tx = hearth_tenants::TenantTx::begin(pool, hub)
        .await
        .expect("tx");
    sqlx::query(
        "INSERT INTO hub_bookings (appointment_id, user_id, credits, period_start) VALUES ($1, $2, 1, current_date)",
    )
    .bind(id)
    .bind(client)
    .execute(&mut *tx)
    .await
    .expect("booking");
    // As the booking path does, in the booking's transaction.
    hearth_core::credits::rollup::sync_booking(&mut tx, id)
        .await
        .expect("roll-up");
    tx.commit().await.expect("commit");
    id
}

/// The client joined session `a` (through the video room's own write).
async fn attended(pool: &PgPool, a: Uuid) {
    let client: Uuid = sqlx::query_scalar("SELECT client_id FROM appointments WHERE id = $1")
        .bind(a)
        .fetch_one(pool)
        .await
        .expect("client");
    let mut conn = pool.acquire().await.expect("connection");
    hearth_core::video::data::joined(
        &mut conn,
        a,
        hearth_core::video::data::Who::User(client),
        hearth_core::video_relay::Role::Client,
        Uuid::new_v4(),
    )
    .await
    .expect("attended");
}

/// `user` spends `credits` of their balance in `hub` (through the ledger's
/// own write).
async fn spend(pool: &PgPool, hub: &Tenant, user: Uuid, credits: i32) {
    let mut tx = hearth_tenants::TenantTx::begin(pool, hub)
        .await
        .expect("tx");
    let period_start: chrono::NaiveDate =
        sqlx::query_scalar("SELECT period_start FROM credit_balances WHERE user_id = $1")
            .bind(user)
            .fetch_one(&mut *tx)
            .await
            .expect("balance");
    hearth_core::credits::post(
        &mut tx,
        &hearth_core::credits::Posting {
            user_id: user,
            kind: hearth_core::credits::Entry::Debit,
            amount: -credits,
            period_start,
            appointment_id: None,
            actor_id: None,
            note: "",
        },
    )
    .await
    .expect("debit");
    tx.commit().await.expect("commit");
}

/// The hub's roll-up, every row in order, as text.
async fn rollup_rows(pool: &PgPool, hub: &Tenant) -> (String, Vec<String>, Vec<String>) {
    let mut tx = hearth_tenants::TenantTx::begin(pool, hub)
        .await
        .expect("tx");
    let zone: String = sqlx::query_scalar("SELECT zone FROM report_rollup_state")
        .fetch_one(&mut *tx)
        .await
        .expect("zone");
    // Rows counting nothing are the same as no row.
    let months: Vec<String> = sqlx::query_scalar(
        "SELECT r::text FROM report_rollup r \
         WHERE (sessions, cancelled, individual, couples, family, grp, video, phone, in_person, \
                granted, grants, used, uses) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) \
         ORDER BY user_id, month",
    )
    .fetch_all(&mut *tx)
    .await
    .expect("roll-up");
    let bookings: Vec<String> =
        sqlx::query_scalar("SELECT b::text FROM report_bookings b ORDER BY appointment_id")
            .fetch_all(&mut *tx)
            .await
            .expect("bookings");
    tx.commit().await.expect("commit");
    (zone, months, bookings)
}

/// The roll-up as kept by the writes, then as counted again from scratch:
/// they must be the same.
async fn assert_rollup_is_recounted_the_same(pool: &PgPool, hub: &Tenant) {
    let kept = rollup_rows(pool, hub).await;
    let mut tx = hearth_tenants::TenantTx::begin(pool, hub)
        .await
        .expect("tx");
    hearth_core::credits::rollup::rebuild(&mut tx, &kept.0)
        .await
        .expect("rebuild");
    tx.commit().await.expect("commit");
    let counted = rollup_rows(pool, hub).await;
    assert_eq!(kept, counted, "the roll-up drifted from its sources");
}

async fn hr_admin(pool: &PgPool, hub: &Tenant, app: &TestApp, email: &str) -> Browser {
    let id = user(pool, email, "Hana Admin", "UTC").await;
    in_hub(
        pool,
        hub,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(id),
    )
    .await;
    Browser::with_session(
        format!("{}/h/{}", app.address, hub.slug),
        &session_token(pool, id).await,
    )
}

/// The cells of the table row headed `month` (a `<th scope="row">`).
fn row<'a>(page: &'a str, head: &str) -> Vec<&'a str> {
    let at = page
        .find(&format!("<th scope=\"row\">{head}</th>"))
        .unwrap_or_else(|| panic!("a row {head}"));
    let rest = &page[at..];
    let end = rest.find("</tr>").expect("row end");
    rest[..end]
        .split("<td>")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap_or_default())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_hr_report_shows_aggregates_hides_small_groups_and_names_no_one() {
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let pool = db.pool.clone();
    let acme = db.hub("acme", "Acme").await;
    let tiny = db.hub("tiny", "Tiny").await;
    for hub in [&acme, &tiny] {
        in_hub(
            &pool,
            hub,
            "UPDATE hub_settings SET credits_per_period = 6",
            None,
        )
        .await;
    }
    let pro = professional(&pool, "ann@pro.test", "Ann Smith", "UTC", 0, &[]).await;
    let staff = employees(&pool, &acme, "Acme", 40).await;
    let few = employees(&pool, &tiny, "Tiny", 3).await;
    // Last month: each of the 40 had a session (30 individual, 10 couples);
    // 20 of them joined the call, 20 did not. Two months ago: 2 sessions by
    // 2 people. This month: 3 cancellations by 3 people.
    let last_month = "date_trunc('month', now()) - interval '1 month' + interval '3 days 10 hours'";
    let two_months =
        "date_trunc('month', now()) - interval '2 months' + interval '3 days 10 hours'";
    let this_month = "date_trunc('month', now()) + interval '2 hours'";
    for (i, (id, _, _)) in staff.iter().enumerate() {
        let kind = if i < 30 { "individual" } else { "couples" };
        let a = session(
            &pool,
            &acme,
            pro,
            *id,
            (last_month, i as i32),
            kind,
            "confirmed",
        )
        .await;
        if i < 20 {
            attended(&pool, a).await;
        }
    }
    for (i, (id, _, _)) in staff.iter().take(2).enumerate() {
        let a = session(
            &pool,
            &acme,
            pro,
            *id,
            (two_months, i as i32),
            "individual",
            "confirmed",
        )
        .await;
        attended(&pool, a).await;
    }
    for (i, (id, _, _)) in staff.iter().skip(10).take(3).enumerate() {
        session(
            &pool,
            &acme,
            pro,
            *id,
            (this_month, i as i32),
            "individual",
            "cancelled",
        )
        .await;
    }
    for (i, (id, _, _)) in few.iter().enumerate() {
        session(
            &pool,
            &tiny,
            pro,
            *id,
            (last_month, 100 + i as i32),
            "individual",
            "confirmed",
        )
        .await;
    }

    let hr = hr_admin(&pool, &acme, &app, "hr@acme.test").await;
    let page = hr.page("/admin/report").await;
    let month = |back: u32| {
        let d = chrono::Utc::now().date_naive();
        let first = chrono::NaiveDate::from_ymd_opt(
            chrono::Datelike::year(&d),
            chrono::Datelike::month(&d),
            1,
        )
        .unwrap();
        first
            .checked_sub_months(chrono::Months::new(back))
            .unwrap()
            .format("%B %Y")
            .to_string()
    };
    // Columns: joined, sessions, cancelled, no-shows, granted, used, utilisation.
    let last = row(&page, &month(1));
    let earlier = row(&page, &month(2));
    let now = row(&page, &month(0));
    let total = row(&page, "Twelve months");
    // 42 sessions in all. The 2 of two months ago are about 2 people; shown
    // alone they would be 42 - 40, so last month's 40 is hidden with them.
    assert_eq!(total[1], "42", "{total:?}");
    assert_eq!(earlier[1], "fewer than 5");
    assert_eq!(
        last[1], "fewer than 5",
        "complementary suppression: {last:?}"
    );
    // 20 no-shows last month, 20 people: shown.
    assert_eq!(last[3], "20", "{last:?}");
    assert_eq!(total[3], "20");
    // 3 cancellations by 3 people: hidden, and so is their total.
    assert_eq!(now[2], "fewer than 5");
    assert_eq!(total[2], "fewer than 5");
    // Everyone joined this month (41 with the HR admin) and was granted 6
    // credits, though no member has visited yet: what they will see.
    assert_eq!(now[0], "41", "{now:?}");
    assert_eq!(now[4], "246", "{now:?}");
    assert_eq!(
        balance(&pool, &acme, staff[0].0).await,
        6,
        "what the member sees"
    );
    // By type: 32 individual, 10 couples; family and group about no one.
    assert!(
        page.contains("<th scope=\"row\">Individual</th><td>32</td>"),
        "{page}"
    );
    assert!(page.contains("<th scope=\"row\">Couples</th><td>10</td>"));
    assert!(page.contains("<th scope=\"row\">Video</th><td>42</td>"));
    // Drawn, without script.
    assert!(page.contains("<svg viewBox="), "a chart");
    assert!(page.contains("role=\"img\""));
    // Ten members spend a credit each; the report and the credits page agree.
    for (id, _, _) in staff.iter().take(10) {
        spend(&pool, &acme, *id, 1).await;
    }
    let page = hr.page("/admin/report").await;
    let now = row(&page, &month(0));
    assert_eq!((now[4], now[5], now[6]), ("246", "10", "4 %"), "{now:?}");
    let credits = hr.page("/admin/credits").await;
    for figure in ["<dd>41</dd>", "<dd>246</dd>", "<dd>10</dd>", "<dd>236</dd>"] {
        assert!(credits.contains(figure), "{figure}: {credits}");
    }

    // The same as CSV.
    let r = hr.get("/admin/report.csv").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = r.text().await.unwrap();
    assert!(
        csv.contains(
            "\"Twelve months\",\"41\",\"42\",\"fewer than 5\",\"20\",\"246\",\"10\",\"4 %\""
        ),
        "{csv}"
    );

    // Nobody is named anywhere: not in the pages, not in the CSV.
    for text in [&page, &csv, &credits] {
        for (_, name, email) in &staff {
            assert!(!text.contains(name.as_str()), "{name} appears");
            assert!(!text.contains(email.as_str()), "{email} appears");
        }
    }

    // A hub of 3: every figure about them reads "fewer than 5".
    let tiny_hr = hr_admin(&pool, &tiny, &app, "hr@tiny.test").await;
    let page = tiny_hr.page("/admin/report").await;
    let total = row(&page, "Twelve months");
    assert!(total[..6].iter().all(|c| *c == "fewer than 5"), "{total:?}");
    let csv = tiny_hr.get("/admin/report.csv").await.text().await.unwrap();
    assert!(
        !csv.contains("\"3\"") && !csv.contains("\"4\""),
        "no small number: {csv}"
    );
    for text in [&page, &csv] {
        for (_, name, email) in &few {
            assert!(!text.contains(name.as_str()) && !text.contains(email.as_str()));
        }
    }
    // In Icelandic, for an HR admin who reads Icelandic.
    sqlx::query("UPDATE users SET language = 'is' WHERE email = 'hr@tiny.test'")
        .execute(&pool)
        .await
        .unwrap();
    let text = tiny_hr.page("/admin/report").await;
    assert!(text.contains("Tólf mánuðir"), "{text}");
    assert!(text.contains("færri en 5"), "{text}");

    // What the writes kept is what counting again from scratch gives.
    assert_rollup_is_recounted_the_same(&pool, &acme).await;
    assert_rollup_is_recounted_the_same(&pool, &tiny).await;

    // An employee and the other hub's HR admin get no report of Acme.
    let employee = Browser::with_session(
        format!("{}/h/acme", app.address),
        &session_token(&pool, staff[0].0).await,
    );
    assert_eq!(employee.get("/admin/report").await.status(), 403);
    assert_eq!(employee.get("/admin/report.csv").await.status(), 403);
    let cross = Browser::with_session(
        format!("{}/h/acme", app.address),
        &session_token(&pool, {
            let id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'hr@tiny.test'")
                .fetch_one(&pool)
                .await
                .unwrap();
            id
        })
        .await,
    );
    assert_eq!(cross.get("/admin/report").await.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_hr_report_reads_well_in_a_browser_at_phone_and_desktop_widths() {
    use hearth_tests::chrome::{
        assert_readable_at_phone_and_desktop, browser, chromedriver, sign_in,
    };
    let driver = chromedriver().await;
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let pool = db.pool.clone();
    let acme = db.hub("acme", "Acme").await;
    in_hub(
        &pool,
        &acme,
        "UPDATE hub_settings SET credits_per_period = 6",
        None,
    )
    .await;
    let pro = professional(&pool, "ann@pro.test", "Ann Smith", "UTC", 0, &[]).await;
    let staff = employees(&pool, &acme, "Acme", 12).await;
    for (i, (id, _, _)) in staff.iter().enumerate() {
        let start = "date_trunc('month', now()) - interval '1 month' + interval '2 days'";
        session(
            &pool,
            &acme,
            pro,
            *id,
            (start, i as i32),
            "individual",
            "confirmed",
        )
        .await;
    }
    let hr = user(&pool, "hr@acme.test", "Hana Admin", "UTC").await;
    in_hub(
        &pool,
        &acme,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(hr),
    )
    .await;
    let client = browser(&driver).await;
    let base = format!("{}/h/acme", app.address);
    sign_in(&client, &base, &session_token(&pool, hr).await).await;
    client
        .goto(&format!("{base}/admin/report"))
        .await
        .expect("the report");
    assert_readable_at_phone_and_desktop(&client, "hr-report").await;
    // Twelve bars a chart, drawn without script.
    let bars = client
        .execute(
            "return document.querySelectorAll('svg .chart-bar, svg .chart-hidden').length;",
            vec![],
        )
        .await
        .expect("bars");
    assert_eq!(bars, serde_json::json!(12 + 24));
}

/// The report's figures counted from the hub's bookings, appointments,
/// attendance and ledger directly, as the report did before its roll-up:
/// `(month or None for the twelve, [(value, people); 6])` and the sessions
/// by type and by mode over the twelve months.
async fn counted_live(
    pool: &PgPool,
    hub: &Tenant,
    zone: &str,
    from: chrono::NaiveDate,
    until: chrono::NaiveDate,
) -> (
    Vec<(Option<chrono::NaiveDate>, [Cell; 6])>,
    Vec<(String, String, Cell)>,
) {
    use sqlx::Row;
    let mut tx = hearth_tenants::TenantTx::begin(pool, hub)
        .await
        .expect("tx");
    let rows = sqlx::query(
        r#"WITH b AS (
             SELECT date_trunc('month', a.starts_at AT TIME ZONE $1)::date AS m, hb.user_id,
                    (a.status = 'confirmed')::int AS s, (a.status = 'cancelled')::int AS c,
                    (a.status = 'confirmed' AND a.mode = 'video' AND a.ends_at < now()
                      AND NOT EXISTS (SELECT 1 FROM public.video_attendance v
                                      WHERE v.appointment_id = a.id AND v.role = 'client'))::int AS n
             FROM hub_bookings hb JOIN public.appointments a ON a.id = hb.appointment_id
             WHERE a.starts_at >= ($2::date::timestamp AT TIME ZONE $1)
               AND a.starts_at < ($3::date::timestamp AT TIME ZONE $1)),
           l AS (
             SELECT date_trunc('month', at AT TIME ZONE $1)::date AS m, user_id,
                    CASE WHEN kind IN ('grant', 'top_up') THEN amount ELSE 0 END AS g,
                    (kind IN ('grant', 'top_up'))::int AS gk,
                    CASE WHEN kind IN ('debit', 'refund') THEN -amount ELSE 0 END AS u,
                    (kind IN ('debit', 'refund'))::int AS uk
             FROM credit_ledger
             WHERE at >= ($2::date::timestamp AT TIME ZONE $1) AND at < ($3::date::timestamp AT TIME ZONE $1)),
           j AS (
             SELECT date_trunc('month', joined_at AT TIME ZONE $1)::date AS m, user_id FROM members
             WHERE joined_at >= ($2::date::timestamp AT TIME ZONE $1) AND joined_at < ($3::date::timestamp AT TIME ZONE $1)),
           k AS (SELECT generate_series($2::date, $3::date - 1, interval '1 month')::date AS m
                 UNION ALL SELECT NULL::date)
           SELECT k.m,
             (SELECT count(*) FROM j WHERE k.m IS NULL OR j.m = k.m) AS joined,
             (SELECT coalesce(sum(s), 0)::bigint FROM b WHERE k.m IS NULL OR b.m = k.m) AS sessions,
             (SELECT count(DISTINCT user_id) FROM b WHERE (k.m IS NULL OR b.m = k.m) AND s > 0) AS sessions_people,
             (SELECT coalesce(sum(c), 0)::bigint FROM b WHERE k.m IS NULL OR b.m = k.m) AS cancelled,
             (SELECT count(DISTINCT user_id) FROM b WHERE (k.m IS NULL OR b.m = k.m) AND c > 0) AS cancelled_people,
             (SELECT coalesce(sum(n), 0)::bigint FROM b WHERE k.m IS NULL OR b.m = k.m) AS no_shows,
             (SELECT count(DISTINCT user_id) FROM b WHERE (k.m IS NULL OR b.m = k.m) AND n > 0) AS no_show_people,
             (SELECT coalesce(sum(g), 0)::bigint FROM l WHERE k.m IS NULL OR l.m = k.m) AS granted,
             (SELECT count(DISTINCT user_id) FROM l WHERE (k.m IS NULL OR l.m = k.m) AND gk > 0) AS granted_people,
             (SELECT coalesce(sum(u), 0)::bigint FROM l WHERE k.m IS NULL OR l.m = k.m) AS used,
             (SELECT count(DISTINCT user_id) FROM l WHERE (k.m IS NULL OR l.m = k.m) AND uk > 0) AS used_people
           FROM k"#,
    )
    .bind(zone)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *tx)
    .await
    .expect("live figures");
    let months = rows
        .iter()
        .map(|r| {
            let c = |v: &str, p: &str| Cell {
                value: r.get(v),
                people: r.get(p),
            };
            (
                r.get::<Option<chrono::NaiveDate>, _>("m"),
                [
                    c("joined", "joined"),
                    c("sessions", "sessions_people"),
                    c("cancelled", "cancelled_people"),
                    c("no_shows", "no_show_people"),
                    c("granted", "granted_people"),
                    c("used", "used_people"),
                ],
            )
        })
        .collect();
    let parts = sqlx::query(
        r#"SELECT 'type' AS by, a.session_type AS key, count(*) AS n, count(DISTINCT hb.user_id) AS people
           FROM hub_bookings hb JOIN public.appointments a ON a.id = hb.appointment_id
           WHERE a.status = 'confirmed' AND a.starts_at >= ($2::date::timestamp AT TIME ZONE $1)
             AND a.starts_at < ($3::date::timestamp AT TIME ZONE $1)
           GROUP BY a.session_type
           UNION ALL
           SELECT 'mode', a.mode, count(*), count(DISTINCT hb.user_id)
           FROM hub_bookings hb JOIN public.appointments a ON a.id = hb.appointment_id
           WHERE a.status = 'confirmed' AND a.starts_at >= ($2::date::timestamp AT TIME ZONE $1)
             AND a.starts_at < ($3::date::timestamp AT TIME ZONE $1)
           GROUP BY a.mode"#,
    )
    .bind(zone)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *tx)
    .await
    .expect("live parts")
    .iter()
    .map(|r| {
        (
            r.get("by"),
            r.get("key"),
            Cell {
                value: r.get("n"),
                people: r.get("people"),
            },
        )
    })
    .collect();
    tx.commit().await.expect("commit");
    (months, parts)
}

/// The report as read (from the roll-up) has the figures counted live.
async fn assert_report_is_counted_live(app: &TestApp, hub: &Tenant) -> Report {
    let report = Report::read(&app.state, hub).await.expect("the report");
    assert_eq!(report.months.len(), MONTHS as usize);
    let from = report.months[0];
    let until = report.months[report.months.len() - 1]
        .checked_add_months(chrono::Months::new(1))
        .expect("a month");
    let (live, parts) = counted_live(&app.db.pool, hub, &report.timezone, from, until).await;
    for (m, cells) in live {
        match m {
            None => assert_eq!(report.totals, cells, "the twelve months"),
            Some(m) => {
                let i = report
                    .months
                    .iter()
                    .position(|x| *x == m)
                    .expect("a month of the report");
                assert_eq!(report.cells[i], cells, "{m}");
            }
        }
    }
    for (by, shown) in [("type", &report.by_type), ("mode", &report.by_mode)] {
        for (key, cell) in shown {
            let live = parts
                .iter()
                .find(|(b, k, _)| b == by && k == key)
                .map_or_else(Cell::default, |(_, _, c)| *c);
            assert_eq!(*cell, live, "{by} {key}");
        }
    }
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_roll_up_follows_bookings_cancellations_moves_attendance_time_and_the_timezone() {
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let pool = db.pool.clone();
    let acme = db.hub("acme", "Acme").await;
    in_hub(
        &pool,
        &acme,
        "UPDATE hub_settings SET credits_per_period = 20, cancellation_cutoff_hours = 0",
        None,
    )
    .await;
    let pro = professional(&pool, "ann@pro.test", "Ann Smith", "UTC", 0, &all_week()).await;
    let talk = service(&pool, pro, "Talk", 50, 2, "couples").await;
    let call = service(&pool, pro, "Call", 30, 1, "individual").await;
    sqlx::query("UPDATE services SET mode = 'phone' WHERE id = $1")
        .bind(call)
        .execute(&pool)
        .await
        .unwrap();
    hearth_tests::fixtures::cache_reset(&pool).await;
    on_roster(&pool, &acme, pro).await;
    let staff = employees(&pool, &acme, "Acme", 7).await;
    let base = format!("{}/h/acme", app.address);

    // Everyone books a video session next week through the site, and the
    // first two a phone call too.
    let mut booked = Vec::new();
    for (i, (id, _, _)) in staff.iter().enumerate() {
        let b = browser_for(&pool, &base, *id).await;
        let start = monday_at(1, 6 + i as u32, 0, chrono_tz::UTC);
        let r = confirm(&b, pro, talk, start, &format!("key-talk-{i:04}")).await;
        let page = location(&r)
            .trim_start_matches("/h/acme")
            .replace("?booked=1", "");
        assert!(page.starts_with("/appointments/"), "{page}");
        if i < 2 {
            let r = confirm(
                &b,
                pro,
                call,
                start + chrono::Duration::days(1),
                &format!("key-call-{i:04}"),
            )
            .await;
            assert!(location(&r).contains("/appointments/"));
        }
        booked.push((b, page));
    }
    assert_report_is_counted_live(&app, &acme).await;
    assert_rollup_is_recounted_the_same(&pool, &acme).await;

    // One cancels; one moves five weeks on (most likely into another
    // month); one joins the call early.
    let (b, page) = &booked[0];
    let r = b.submit(page, &format!("{page}/cancel"), &[]).await;
    assert!(location(&r).contains("done=cancelled"), "{}", location(&r));
    let (b, page) = &booked[1];
    let r = b
        .submit(
            &format!("{page}/reschedule"),
            &format!("{page}/reschedule"),
            &[("start", &rfc(monday_at(6, 9, 0, chrono_tz::UTC)))],
        )
        .await;
    assert!(
        location(&r).contains("done=rescheduled"),
        "{}",
        location(&r)
    );
    let joined: Uuid = booked[2]
        .1
        .trim_start_matches("/appointments/")
        .parse()
        .unwrap();
    attended(&pool, joined).await;
    attended(&pool, joined).await;
    // A top-up by HR, through the ledger.
    let mut tx = hearth_tenants::TenantTx::begin(&pool, &acme).await.unwrap();
    let period_start: chrono::NaiveDate =
        sqlx::query_scalar("SELECT period_start FROM credit_balances WHERE user_id = $1")
            .bind(staff[3].0)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    hearth_core::credits::post(
        &mut tx,
        &hearth_core::credits::Posting {
            user_id: staff[3].0,
            kind: hearth_core::credits::Entry::TopUp,
            amount: 5,
            period_start,
            appointment_id: None,
            actor_id: None,
            note: "",
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_report_is_counted_live(&app, &acme).await;
    assert_rollup_is_recounted_the_same(&pool, &acme).await;

    // Six sessions nobody joins, an hour apart, the last ending in a few
    // seconds: five no-shows, then six once it has ended, with nothing
    // written in between.
    let ending = "now() - interval '50 minutes' + interval '6 seconds'";
    for (i, (id, _, _)) in staff.iter().take(6).enumerate() {
        session(
            &pool,
            &acme,
            pro,
            *id,
            (ending, -(i as i32)),
            "individual",
            "confirmed",
        )
        .await;
    }
    let before = assert_report_is_counted_live(&app, &acme).await;
    tokio::time::sleep(std::time::Duration::from_secs(7)).await;
    let after = assert_report_is_counted_live(&app, &acme).await;
    assert_eq!(
        after.totals[3].value,
        before.totals[3].value + 1,
        "the one ending now became a no-show"
    );
    assert_rollup_is_recounted_the_same(&pool, &acme).await;

    // The hub moves to a timezone 14 hours ahead: months are counted again
    // in it, once.
    in_hub(
        &pool,
        &acme,
        "UPDATE hub_settings SET timezone = 'Pacific/Kiritimati'",
        None,
    )
    .await;
    let report = assert_report_is_counted_live(&app, &acme).await;
    assert_eq!(report.timezone, "Pacific/Kiritimati");
    let (zone, _, _) = rollup_rows(&pool, &acme).await;
    assert_eq!(zone, "Pacific/Kiritimati");
    assert_rollup_is_recounted_the_same(&pool, &acme).await;
    // And writes after it count in its months.
    let (b, page) = &booked[3];
    let r = b.submit(page, &format!("{page}/cancel"), &[]).await;
    assert!(location(&r).contains("done=cancelled"));
    assert_report_is_counted_live(&app, &acme).await;
    assert_rollup_is_recounted_the_same(&pool, &acme).await;
}
