//! Tenant isolation and hub resolution, against real PostgreSQL and real HTTP.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::domain_proof::new_token;
use hearth_tenants::{registry, TenantStatus, TenantTx};
use hearth_tests::dns::{prove_domain, DnsServer};
use hearth_tests::{TestApp, TestDb};
use sqlx::Row;

async fn set_welcome(db: &TestDb, tenant: &hearth_tenants::Tenant, text: &str) {
    let mut tx = TenantTx::begin(&db.pool, tenant).await.expect("test setup");
    sqlx::query("UPDATE hub_settings SET welcome_text = $1")
        .bind(text)
        .execute(&mut *tx)
        .await
        .expect("test setup");
    hearth_tests::fixtures::by_hand(&mut tx).await;
    tx.commit().await.expect("test setup");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_written_in_one_hub_is_never_readable_through_another_hubs_routes() {
    let app = TestApp::spawn().await;
    let alpha = app.db.hub("alpha", "Alpha Inc").await;
    let beta = app.db.hub("beta", "Beta Ltd").await;
    set_welcome(&app.db, &alpha, "Alpha-only welcome 7f3a").await;
    set_welcome(&app.db, &beta, "Beta-only welcome 91c2").await;

    for (slug, own, other, other_name) in [
        (
            "alpha",
            "Alpha-only welcome 7f3a",
            "Beta-only welcome 91c2",
            "Beta Ltd",
        ),
        (
            "beta",
            "Beta-only welcome 91c2",
            "Alpha-only welcome 7f3a",
            "Alpha Inc",
        ),
    ] {
        for response in [
            app.get_hub(slug, "/").await,
            app.get(&format!("/h/{slug}/")).await,
        ] {
            assert_eq!(response.status(), 200);
            let body = response.text().await.unwrap();
            assert!(body.contains(own), "{slug} shows its own welcome");
            assert!(
                !body.contains(other),
                "{slug} never shows the other hub's welcome"
            );
            assert!(
                !body.contains(other_name),
                "{slug} never shows the other hub's name"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_transaction_sees_only_its_own_hubs_tables() {
    let db = TestDb::new().await;
    let alpha = db.hub("alpha", "Alpha Inc").await;
    let beta = db.hub("beta", "Beta Ltd").await;
    let user = uuid::Uuid::new_v4();
    sqlx::query("INSERT INTO users (id, email, name) VALUES ($1, 'e@alpha.example', 'E')")
        .bind(user)
        .execute(&db.pool)
        .await
        .unwrap();
    let mut tx = TenantTx::begin(&db.pool, &alpha).await.unwrap();
    sqlx::query("INSERT INTO members (user_id) VALUES ($1)")
        .bind(user)
        .execute(&mut *tx)
        .await
        .unwrap();
    hearth_tests::fixtures::by_hand(&mut tx).await;
    tx.commit().await.unwrap();

    let mut tx = TenantTx::begin(&db.pool, &alpha).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM members")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 1);
    drop(tx);
    let mut tx = TenantTx::begin(&db.pool, &beta).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM members")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 0, "beta's transaction must not see alpha's members");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pooled_connection_never_carries_a_hubs_search_path_into_the_next_transaction() {
    // One connection: every transaction below runs on the same backend.
    let db = TestDb::empty_with_pool_size(1).await;
    hearth_admin::migrate_all(
        &db.pool,
        &hearth_tenants::TenantMigrator::embedded(),
        hearth_tests::quiet(),
    )
    .await
    .unwrap();
    let alpha = db.hub("alpha", "Alpha Inc").await;
    let default_path: String = sqlx::query_scalar("SHOW search_path")
        .fetch_one(&db.pool)
        .await
        .unwrap();

    // Committed, rolled back, and failed tenant transactions.
    let mut tx = TenantTx::begin(&db.pool, &alpha).await.unwrap();
    let inside: String = sqlx::query_scalar("SHOW search_path")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(
        inside,
        format!("{}, public", alpha.schema().quoted()).replace('"', "")
    );
    tx.commit().await.unwrap();
    let tx = TenantTx::begin(&db.pool, &alpha).await.unwrap();
    drop(tx);
    let mut tx = TenantTx::begin(&db.pool, &alpha).await.unwrap();
    assert!(sqlx::query("SELECT no_such_column FROM hub_settings")
        .execute(&mut *tx)
        .await
        .is_err());
    drop(tx);

    for _ in 0..3 {
        let mut conn = db.pool.acquire().await.unwrap();
        let path: String = sqlx::query_scalar("SHOW search_path")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(path, default_path);
        let err = sqlx::query("SELECT * FROM hub_settings")
            .execute(&mut *conn)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert!(pid > 0);
    }
    assert_eq!(db.pool.size(), 1, "the test ran on a single connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubs_resolve_by_subdomain_path_prefix_and_custom_domain() {
    let app = TestApp::spawn().await;
    let dns = DnsServer::start(&["alpha.example"]).await;
    let alpha = app.db.hub("alpha", "Alpha Inc").await;
    set_welcome(&app.db, &alpha, "Welcome to Alpha").await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    assert!(
        registry::add_domain(&mut conn, "alpha", "Wellbeing.Alpha.Example", &new_token())
            .await
            .unwrap()
    );
    prove_domain(&app.db.pool, &dns, "wellbeing.alpha.example").await;

    for response in [
        app.get_hub("alpha", "/").await,
        app.get_host("ALPHA.hearth.localhost:8080", "/").await,
        app.get("/h/alpha/").await,
        app.get_host("wellbeing.alpha.example", "/").await,
    ] {
        assert_eq!(response.status(), 200);
        assert!(response.text().await.unwrap().contains("Welcome to Alpha"));
    }
    // The platform itself.
    let platform = app.get("/").await;
    assert_eq!(platform.status(), 200);
    assert!(!platform.text().await.unwrap().contains("Alpha"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_hub_gets_a_404_page() {
    let app = TestApp::spawn().await;
    app.db.hub("alpha", "Alpha Inc").await;
    for response in [
        app.get_hub("nosuchhub", "/").await,
        app.get("/h/nosuchhub/").await,
        app.get_host("a.b.hearth.localhost", "/").await,
        app.get_host("unknown.example.org", "/").await,
    ] {
        assert_eq!(response.status(), 404);
        let body = response.text().await.unwrap();
        assert!(body.contains("There is no Wellbeing Hub at this address"));
        assert!(!body.contains("Alpha"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_hub_shows_a_page_saying_so_and_no_hub_data() {
    let app = TestApp::spawn().await;
    let alpha = app.db.hub("alpha", "Alpha Inc").await;
    set_welcome(&app.db, &alpha, "Secret welcome text").await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    registry::set_status(&mut conn, "alpha", TenantStatus::Suspended)
        .await
        .unwrap();

    let response = app.get_hub("alpha", "/").await;
    assert_eq!(response.status(), 403);
    let body = response.text().await.unwrap();
    assert!(body.contains("is suspended"), "{body}");
    assert!(!body.contains("Secret welcome text"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_node_sees_a_hub_change_within_a_second() {
    let db = Arc::new(TestDb::new().await);
    let alpha = db.hub("alpha", "Alpha Inc").await;
    set_welcome(&db, &alpha, "Hello").await;
    let nodes = [
        TestApp::spawn_on(Arc::clone(&db)).await,
        TestApp::spawn_on(Arc::clone(&db)).await,
    ];
    for node in &nodes {
        // Warm each node's cache.
        assert_eq!(node.get_hub("alpha", "/").await.status(), 200);
    }
    // Both nodes hear of changes before the change is made.
    for node in &nodes {
        node.listening().await;
    }

    let mut conn = db.pool.acquire().await.unwrap();
    registry::set_status(&mut conn, "alpha", TenantStatus::Suspended)
        .await
        .unwrap();
    let changed = Instant::now();
    for node in &nodes {
        loop {
            if node.get_hub("alpha", "/").await.status() == 403 {
                break;
            }
            assert!(
                changed.elapsed() < Duration::from_secs(1),
                "a node still served a suspended hub"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    // And back, with a new custom domain that the nodes had cached as unknown.
    registry::set_status(&mut conn, "alpha", TenantStatus::Active)
        .await
        .unwrap();
    for node in &nodes {
        // Cached as unknown before the domain exists.
        assert_eq!(node.get_host("care.alpha.example", "/").await.status(), 404);
    }
    assert!(
        registry::add_domain(&mut conn, "alpha", "care.alpha.example", &new_token())
            .await
            .unwrap()
    );
    // Added, it serves nothing until its proof is found.
    for node in &nodes {
        assert_eq!(node.get_host("care.alpha.example", "/").await.status(), 404);
    }
    let dns = DnsServer::start(&["alpha.example"]).await;
    prove_domain(&db.pool, &dns, "care.alpha.example").await;
    let changed = Instant::now();
    for node in &nodes {
        while node.get_host("care.alpha.example", "/").await.status() != 200 {
            assert!(
                changed.elapsed() < Duration::from_secs(1),
                "a node missed the new domain"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let row = sqlx::query("SELECT status FROM tenants WHERE slug = 'alpha'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("status"), "active");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_on_a_child_theme_gets_its_stylesheet_and_the_parents_layout() {
    let app = TestApp::spawn().await;
    let alpha = app.db.hub("alpha", "Alpha Inc").await;
    app.db.hub("beta", "Beta Ltd").await;
    let mut tx = TenantTx::begin(&app.db.pool, &alpha).await.unwrap();
    sqlx::query("UPDATE hub_settings SET theme = 'calm', own_look = true")
        .execute(&mut *tx)
        .await
        .unwrap();
    hearth_tests::fixtures::by_hand(&mut tx).await;
    tx.commit().await.unwrap();
    let calm = app.get_hub("alpha", "/").await.text().await.unwrap();
    // The child's stylesheet, by its fingerprinted name.
    assert!(calm.contains("/static/calm/calm."), "{calm}");
    assert!(calm.contains("--radius: 24px"), "the child's variables win");
    assert!(
        calm.contains("Alpha Inc Wellbeing Hub"),
        "the parent's templates render"
    );
    let plain = app.get_hub("beta", "/").await.text().await.unwrap();
    assert!(!plain.contains("/static/calm/"));
    assert!(plain.contains("--radius: 12px"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_rechecking_domains_at_once_each_take_a_domain_once() {
    let db = TestDb::new().await;
    db.hub("alpha", "Alpha Inc").await;
    let mut conn = db.pool.acquire().await.unwrap();
    for n in 0..60 {
        assert!(registry::add_domain(
            &mut conn,
            "alpha",
            &format!("d{n}.alpha.example"),
            &new_token()
        )
        .await
        .unwrap());
    }
    drop(conn);
    // Eight claimers on their own pools (as eight nodes' re-check tasks
    // are), all at once on real threads, each claiming a batch of 10.
    let mut claimers = Vec::new();
    for _ in 0..8 {
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        claimers.push(tokio::spawn(async move {
            let mut conn = pool.acquire().await.unwrap();
            registry::claim_due_domains(
                &mut conn,
                Duration::from_secs(3600),
                Duration::from_secs(600),
                10,
            )
            .await
            .unwrap()
        }));
    }
    let mut claimed: Vec<String> = Vec::new();
    for claimer in claimers {
        claimed.extend(claimer.await.unwrap().into_iter().map(|(d, _)| d));
    }
    let distinct: std::collections::HashSet<&String> = claimed.iter().collect();
    assert_eq!(claimed.len(), 60, "every due domain was claimed");
    assert_eq!(distinct.len(), 60, "and none by two claimers");
    // Claimed now, nothing is due until the interval passes.
    let mut conn = db.pool.acquire().await.unwrap();
    let again = registry::claim_due_domains(
        &mut conn,
        Duration::from_secs(3600),
        Duration::from_secs(600),
        100,
    )
    .await
    .unwrap();
    assert!(again.is_empty(), "{again:?}");
}
