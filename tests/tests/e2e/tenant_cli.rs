//! `hearth tenant export`, `delete` and `import` (issue 15, item 5): a hub
//! written to one file, deleted (keeping a final export), and read back
//! reads the same: its hub page, members, ledger, bookings and domains.

use std::sync::Arc;

use hearth_admin::progress::ProgressMode;
use hearth_admin::tenant_io;
use hearth_tenants::{registry, TenantMigrator};
use hearth_tests::browser::Browser;
use hearth_tests::fixtures::{balance, in_hub, ledger_sum, member, professional, user};
use hearth_tests::{TestApp, TestDb};
use sqlx::PgPool;
use uuid::Uuid;

/// What a hub reads as, in the database.
#[derive(Debug, PartialEq)]
struct Reads {
    members: Vec<(Uuid, String, String)>,
    directory: i64,
    ledger: Vec<(Uuid, String, i32, i32)>,
    bookings: Vec<(Uuid, Uuid, i32)>,
    paid_by_hub: i64,
    domains: Vec<String>,
    welcome: String,
}

async fn reads(pool: &PgPool, hub_id: i64, schema: &str) -> Reads {
    let members = sqlx::query_as(&format!(
        "SELECT user_id, role, status FROM {schema}.members ORDER BY user_id"
    ))
    .fetch_all(pool)
    .await
    .expect("the query");
    let ledger = sqlx::query_as(&format!(
        "SELECT user_id, kind, amount, balance_after FROM {schema}.credit_ledger ORDER BY id"
    ))
    .fetch_all(pool)
    .await
    .expect("the query");
    let bookings = sqlx::query_as(&format!(
        "SELECT appointment_id, user_id, credits FROM {schema}.hub_bookings ORDER BY appointment_id"
    ))
    .fetch_all(pool)
    .await
    .expect("the query");
    let welcome: String =
        sqlx::query_scalar(&format!("SELECT welcome_text FROM {schema}.hub_settings"))
            .fetch_one(pool)
            .await
            .expect("the query");
    Reads {
        members,
        directory: sqlx::query_scalar("SELECT count(*) FROM member_directory WHERE tenant_id = $1")
            .bind(hub_id)
            .fetch_one(pool)
            .await
            .expect("the query"),
        ledger,
        bookings,
        paid_by_hub: sqlx::query_scalar("SELECT count(*) FROM appointments WHERE tenant_id = $1")
            .bind(hub_id)
            .fetch_one(pool)
            .await
            .expect("the query"),
        domains: sqlx::query_scalar(
            "SELECT domain FROM tenant_domains WHERE tenant_id = $1 ORDER BY domain",
        )
        .bind(hub_id)
        .fetch_all(pool)
        .await
        .expect("the query"),
        welcome,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hub_exported_deleted_and_imported_reads_the_same() {
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let pool = db.pool.clone();
    let acme = db.hub("acme", "Acme \"Ltd\", Reykjavík").await;
    let other = db.hub("other", "Other").await;
    let schema = acme.schema().as_str().to_owned();
    // Text that COPY must carry whole: quotes, a tab, a newline, a backslash.
    in_hub(
        &pool,
        &acme,
        "UPDATE hub_settings SET credits_per_period = 6, welcome_text = E'Velkomin!\\tTab\\nLine two \\\\ \"quoted\"'",
        None,
    )
    .await;
    let pro = professional(&pool, "ann@pro.test", "Ann Smith", "UTC", 0, &[]).await;
    let mut staff = Vec::new();
    for i in 0..6 {
        let id = user(
            &pool,
            &format!("e{i}@acme.test"),
            &format!("Employee {i}"),
            "UTC",
        )
        .await;
        member(&pool, &acme, id).await;
        staff.push(id);
    }
    member(&pool, &other, staff[0]).await;
    // Grants, a debit and a booking paid by the hub.
    for id in &staff {
        in_hub(
            &pool,
            &acme,
            "WITH b AS (INSERT INTO credit_balances (user_id, balance, period_start) VALUES ($1, 6, '2026-01-01') RETURNING user_id) \
             INSERT INTO credit_ledger (user_id, kind, amount, balance_after, period_start) SELECT user_id, 'grant', 6, 6, '2026-01-01' FROM b",
            Some(*id),
        )
        .await;
    }
    let appointment = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO appointments (id, professional_id, client_id, tenant_id, service_name, mode, session_type, \
           starts_at, ends_at, blocked_until, credits) \
         VALUES ($1, $2, $3, $4, 'Talk', 'video', 'individual', now() + interval '2 days', \
           now() + interval '2 days 50 minutes', now() + interval '2 days 50 minutes', 1)",
    )
    .bind(appointment)
    .bind(pro)
    .bind(staff[1])
    .bind(acme.id.0)
    .execute(&pool)
    .await
    .expect("the query");
    in_hub(
        &pool,
        &acme,
        &format!(
            "WITH d AS (UPDATE credit_balances SET balance = 5 WHERE user_id = $1 RETURNING user_id) \
             , l AS (INSERT INTO credit_ledger (user_id, kind, amount, balance_after, period_start, appointment_id) \
                     SELECT user_id, 'debit', -1, 5, '2026-01-01', '{appointment}' FROM d RETURNING id, user_id) \
             INSERT INTO hub_bookings (appointment_id, user_id, credits, period_start, debit_id) \
             SELECT '{appointment}', user_id, 1, '2026-01-01', id FROM l"
        ),
        Some(staff[1]),
    )
    .await;
    {
        let mut conn = pool.acquire().await.expect("the query");
        assert!(registry::add_domain(
            &mut conn,
            "acme",
            "care.acme.test",
            &hearth_core::domain_proof::new_token()
        )
        .await
        .unwrap());
    }
    let before = reads(&pool, acme.id.0, &schema).await;
    assert_eq!(before.members.len(), 6);
    assert_eq!(before.ledger.len(), 7);
    let visitor = Browser::new(format!("{}/h/acme", app.address));
    let page_before = visitor.page("/").await;
    assert!(page_before.contains("Velkomin!"), "{page_before}");

    // Export, then delete (which keeps a final export of its own).
    let dir = tempfile::tempdir().expect("the query");
    let file = dir.path().join("acme.hearth-export");
    let moved = tenant_io::export(&pool, "acme", &file, ProgressMode::Quiet)
        .await
        .expect("export");
    assert_eq!(moved.rows.get("credit_ledger"), Some(&7));
    assert_eq!(moved.rows.get("tenant_domains"), Some(&1));
    let keep = dir.path().join("acme-final.hearth-export");
    tenant_io::delete(&pool, "acme", &keep, ProgressMode::Quiet)
        .await
        .expect("delete");
    assert!(keep.exists(), "a final export is kept");
    let schemas: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_namespace WHERE nspname = $1")
        .bind(&schema)
        .fetch_one(&pool)
        .await
        .expect("the query");
    assert_eq!(schemas, 0, "the schema is dropped");
    let gone = reads_public(&pool, acme.id.0).await;
    assert_eq!(
        gone,
        (0, 0, 0),
        "no directory, bookings paid or domains left"
    );
    let still: Option<Uuid> = sqlx::query_scalar("SELECT id FROM appointments WHERE id = $1")
        .bind(appointment)
        .fetch_optional(&pool)
        .await
        .expect("the query");
    assert_eq!(
        still,
        Some(appointment),
        "the professional keeps the appointment"
    );
    let mut gone_page = 0;
    for _ in 0..50 {
        gone_page = visitor.get("/").await.status().as_u16();
        if gone_page == 404 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(gone_page, 404, "the hub page is gone");
    // The other hub is untouched.
    let others: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM {}.members",
        other.schema().as_str()
    ))
    .fetch_one(&pool)
    .await
    .expect("the query");
    assert_eq!(others, 1);

    // Import the final export: the hub reads as it did.
    let (header, _) = tenant_io::import(
        &pool,
        &TenantMigrator::embedded(),
        &keep,
        ProgressMode::Quiet,
    )
    .await
    .expect("import");
    assert_eq!((header.id, header.slug.as_str()), (acme.id.0, "acme"));
    let after = reads(&pool, acme.id.0, &schema).await;
    assert_eq!(after, before);
    assert_eq!(ledger_sum(&pool, &acme, staff[1]).await, 5);
    assert_eq!(balance(&pool, &acme, staff[1]).await, 5);
    let mut page_after = String::new();
    for _ in 0..50 {
        let r = visitor.get("/").await;
        if r.status() == 200 {
            page_after = r.text().await.expect("the query");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        page_after.contains("Velkomin!"),
        "the hub page answers again: {page_after}"
    );
    // New entries go on after the imported ones.
    in_hub(
        &pool,
        &acme,
        "INSERT INTO credit_ledger (user_id, kind, amount, balance_after, period_start) VALUES ($1, 'top_up', 2, 7, '2026-01-01')",
        Some(staff[1]),
    )
    .await;

    // Twice: refused, nothing changed. Not an export: refused.
    let again = tenant_io::import(
        &pool,
        &TenantMigrator::embedded(),
        &keep,
        ProgressMode::Quiet,
    )
    .await;
    assert!(again.unwrap_err().to_string().contains("exists"));
    let junk = dir.path().join("junk");
    std::fs::write(&junk, "hello\n").expect("the query");
    let refused = tenant_io::import(
        &pool,
        &TenantMigrator::embedded(),
        &junk,
        ProgressMode::Quiet,
    )
    .await;
    assert!(refused
        .unwrap_err()
        .to_string()
        .contains("not a hub export"));
}

/// A deleted hub's rows in the shared tables: directory, appointments paid,
/// domains.
async fn reads_public(pool: &PgPool, hub_id: i64) -> (i64, i64, i64) {
    let n = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(hub_id)
                .fetch_one(&pool)
                .await
                .expect("the query")
        }
    };
    (
        n("SELECT count(*) FROM member_directory WHERE tenant_id = $1").await,
        n("SELECT count(*) FROM appointments WHERE tenant_id = $1").await,
        n("SELECT count(*) FROM tenant_domains WHERE tenant_id = $1").await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hearth_admin_grant_gives_each_role_by_email_and_refuses_unknowns() {
    use hearth_admin::roles::{grant, Grant};
    use hearth_tests::fixtures::session_token;
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let pool = db.pool.clone();
    db.hub("acme", "Acme").await;
    {
        let mut conn = pool.acquire().await.expect("the query");
        hearth_admin::resellers::create_reseller(&mut conn, "north", "North Partners")
            .await
            .expect("the query");
    }
    let hana = user(&pool, "hana@acme.test", "Hana", "UTC").await;
    let ops = user(&pool, "ops@platform.test", "Ola", "UTC").await;
    let rex = user(&pool, "rex@north.test", "Rex", "UTC").await;
    let as_hana = Browser::with_session(
        format!("{}/h/acme", app.address),
        &session_token(&pool, hana).await,
    );
    assert_eq!(as_hana.get("/admin/report").await.status(), 403, "not yet");
    let said = grant(&pool, "HANA@acme.test", &Grant::HrAdmin("acme".into()))
        .await
        .expect("hr admin");
    assert!(said.contains("HR admin of hub 'acme'"), "{said}");
    assert_eq!(
        as_hana.get("/admin/report").await.status(),
        200,
        "now an HR admin"
    );
    grant(&pool, "ops@platform.test", &Grant::Operator)
        .await
        .expect("operator");
    let as_ops = Browser::with_session(app.address.clone(), &session_token(&pool, ops).await);
    assert_eq!(as_ops.get("/operator").await.status(), 200);
    grant(
        &pool,
        "rex@north.test",
        &Grant::ResellerAdmin("north".into()),
    )
    .await
    .expect("reseller admin");
    let admins: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM reseller_admins ra JOIN resellers r ON r.id = ra.reseller_id \
         WHERE r.slug = 'north' AND ra.user_id = $1",
    )
    .bind(rex)
    .fetch_one(&pool)
    .await
    .expect("the query");
    assert_eq!(admins, 1);
    // Unknown people, hubs and resellers: a clear refusal, nothing granted.
    for (email, role, words) in [
        ("nobody@x.test", Grant::Operator, "no account"),
        (
            "rex@north.test",
            Grant::HrAdmin("nope".into()),
            "no hub 'nope'",
        ),
        (
            "hana@acme.test",
            Grant::ResellerAdmin("nope".into()),
            "no reseller 'nope'",
        ),
    ] {
        let e = grant(&pool, email, &role).await.unwrap_err().to_string();
        assert!(e.contains(words), "{e}");
    }
    let operators: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE is_operator")
        .fetch_one(&pool)
        .await
        .expect("the query");
    assert_eq!(operators, 1);
}
