//! The HR report (issue 15, item 4): aggregates only. A hub with 40 members
//! shows its numbers; a figure about fewer than 5 people reads "fewer than
//! 5", also where a total would give a hidden one away; no page or CSV names
//! anyone; "credits granted" agrees with what members see before they visit.

use std::sync::Arc;

use hearth_tenants::Tenant;
use hearth_tests::browser::Browser;
use hearth_tests::fixtures::{balance, in_hub, member, professional, session_token, user};
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
    tx.commit().await.expect("commit");
    id
}

/// The client joined session `a`.
async fn attended(pool: &PgPool, a: Uuid) {
    sqlx::query(
        "INSERT INTO video_attendance (appointment_id, user_id, role, peer, joined_at, left_at) \
         SELECT id, client_id, 'client', gen_random_uuid(), starts_at, ends_at FROM appointments WHERE id = $1",
    )
    .bind(a)
    .execute(pool)
    .await
    .expect("attended");
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
        in_hub(
            &pool,
            &acme,
            "WITH b AS (UPDATE credit_balances SET balance = balance - 1 WHERE user_id = $1 RETURNING balance, period_start) \
             INSERT INTO credit_ledger (user_id, kind, amount, balance_after, period_start) \
             SELECT $1, 'debit', -1, balance, period_start FROM b",
            Some(*id),
        )
        .await;
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
