//! Hubs on a Citus cluster (a coordinator and two workers of the tests' own,
//! whatever the rest of the suite runs on): where hubs are placed, that a
//! hub's rows are on its worker only, that the hot slot is still booked once
//! when the hub lives on a worker, and that a hub moved to the other worker
//! keeps its data and pages, served all through the move.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use hearth_tenants::citus::{self, Placement};
use hearth_tenants::Tenant;
use hearth_tests::browser::{csrf_of, location, Browser};
use hearth_tests::fixtures::{self, monday_at, rfc};
use hearth_tests::{TestApp, TestDb};
use sqlx::{Connection, PgConnection};

async fn placement(db: &TestDb, hub: &Tenant) -> Placement {
    let mut conn = db.pool.acquire().await.expect("connection");
    citus::placements(&mut conn)
        .await
        .expect("placements")
        .into_iter()
        .find(|p| p.tenant_id == hub.id.0)
        .expect("the hub is placed")
}

/// Rows of hub `hub`'s `members` on the worker at `port`, read on the worker
/// itself; `None` when that worker has no shard of the hub's members.
async fn members_on_worker(db: &TestDb, port: i32, hub: &Tenant) -> Option<i64> {
    let url = format!("postgres://postgres@127.0.0.1:{port}/{}", db.name);
    let mut worker = PgConnection::connect(&url).await.expect("the worker");
    // Citus hides shards from applications' catalog queries.
    sqlx::query("SET citus.override_table_visibility TO off")
        .execute(&mut worker)
        .await
        .expect("shards visible");
    // Citus names a shard after its table and the shard's id.
    let shard: Option<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND c.relname ~ '^members_[0-9]+$' AND c.relkind = 'r'",
    )
    .bind(hub.schema().as_str())
    .fetch_optional(&mut worker)
    .await
    .expect("the worker's catalog");
    let shard = shard?;
    let rows: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM {}.\"{shard}\"",
        hub.schema().quoted()
    ))
    .fetch_one(&mut worker)
    .await
    .expect("the shard's rows");
    Some(rows)
}

async fn worker_ports(db: &TestDb) -> Vec<i32> {
    let mut conn = db.pool.acquire().await.expect("connection");
    citus::workers(&mut conn)
        .await
        .expect("workers")
        .into_iter()
        .map(|w| w.port)
        .collect()
}

/// Hub acme on the Citus cluster, its settings changed by `settings`, a
/// professional open all week on its roster, and a node serving it.
struct World {
    db: Arc<TestDb>,
    acme: Tenant,
    pro: uuid::Uuid,
    service: uuid::Uuid,
    app: TestApp,
    base: String,
}

async fn world(settings: &str) -> World {
    let db = Arc::new(TestDb::on_citus().await);
    let acme = db.hub("acme", "Acme").await;
    let (pro, service) = fixtures::open_professional(&db.pool, "max@pro.example", "Max").await;
    fixtures::on_roster(&db.pool, &acme, pro).await;
    fixtures::in_hub(&db.pool, &acme, settings, None).await;
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let base = format!("{}/h/acme", app.address);
    World {
        db,
        acme,
        pro,
        service,
        app,
        base,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hubs_made_in_a_row_land_on_different_workers_and_their_rows_are_only_there() {
    let db = TestDb::on_citus().await;
    let acme = db.hub("acme", "Acme").await;
    let globex = db.hub("globex", "Globex").await;
    let (a, g) = (placement(&db, &acme).await, placement(&db, &globex).await);
    assert_ne!(a.port, g.port, "Citus places new hubs round robin");
    let workers = worker_ports(&db).await;
    assert_eq!(
        workers.iter().copied().collect::<BTreeSet<_>>(),
        [a.port, g.port].into_iter().collect(),
        "each on a worker, not the coordinator"
    );

    for i in 0..3 {
        let user = fixtures::user(&db.pool, &format!("e{i}@acme.example"), "E", "UTC").await;
        fixtures::member(&db.pool, &acme, user).await;
    }
    assert_eq!(members_on_worker(&db, a.port, &acme).await, Some(3));
    assert_eq!(
        members_on_worker(&db, g.port, &acme).await,
        None,
        "nothing of acme on globex's worker"
    );
    assert_eq!(members_on_worker(&db, g.port, &globex).await, Some(0));
    // The coordinator reads them through Citus, and the directory (on the
    // coordinator) was written in the same transactions.
    assert_eq!(
        fixtures::hub_count(&db.pool, &acme, "SELECT count(*) FROM members").await,
        3
    );
    let directory: i64 =
        sqlx::query_scalar("SELECT count(*) FROM member_directory WHERE tenant_id = $1")
            .bind(acme.id.0)
            .fetch_one(&db.pool)
            .await
            .expect("directory");
    assert_eq!(directory, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_200_members_confirming_one_slot_of_a_hub_on_a_worker_exactly_one_books_it() {
    let World {
        db,
        acme,
        pro,
        service,
        app: _app,
        base,
    } = world("UPDATE hub_settings SET credits_per_period = 5").await;
    let mut browsers = Vec::new();
    for i in 0..200 {
        let user = fixtures::user(&db.pool, &format!("e{i}@acme.example"), "E", "UTC").await;
        fixtures::member(&db.pool, &acme, user).await;
        browsers.push(fixtures::browser_for(&db.pool, &base, user).await);
    }
    let start = monday_at(2, 10, 0, chrono_tz::UTC);
    let answers = fixtures::confirm_all_at_once(browsers, pro, service, start).await;
    fixtures::assert_booked_once(&answers);
    let appointments: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments")
        .fetch_one(&db.pool)
        .await
        .expect("count");
    assert_eq!(appointments, 1);
    assert_eq!(
        fixtures::hub_count(
            &db.pool,
            &acme,
            "SELECT count(*) FROM credit_ledger WHERE kind = 'debit'"
        )
        .await,
        1,
        "the booking and its payment commit together across nodes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hub_moved_to_the_other_worker_keeps_its_data_and_pages_and_serves_all_through_the_move()
{
    let World {
        db,
        acme,
        pro,
        service,
        app,
        base,
    } = world(
        "UPDATE hub_settings SET credits_per_period = 4, welcome_text = 'Welcome to Acme 7c1e'",
    )
    .await;
    let user = fixtures::user(&db.pool, "ann@acme.example", "Ann", "UTC").await;
    fixtures::member(&db.pool, &acme, user).await;
    let ann = fixtures::browser_for(&db.pool, &base, user).await;
    let book = |b: Browser, weeks: i64| async move {
        let token = csrf_of(&b.page(&format!("/book/{pro}")).await);
        let r = b
            .post(
                &format!("/book/{pro}/{service}/confirm"),
                &token,
                &[
                    ("start", &rfc(monday_at(weeks, 9, 0, chrono_tz::UTC))),
                    ("key", &format!("move-{weeks}")),
                ],
            )
            .await;
        assert!(location(&r).contains("/appointments/"), "{}", location(&r));
    };
    book(ann.clone(), 2).await;
    assert_eq!(fixtures::balance(&db.pool, &acme, user).await, 3);

    let before = placement(&db, &acme).await;
    let other = {
        let mut conn = db.pool.acquire().await.expect("connection");
        citus::workers(&mut conn)
            .await
            .expect("workers")
            .into_iter()
            .find(|w| w.port != before.port)
            .expect("another worker")
    };

    // Anonymous visitors and Ann read the hub's pages all through the move.
    let moving = Arc::new(AtomicBool::new(true));
    let (served, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let readers: Vec<_> = (0..4)
        .map(|i| {
            let (moving, served, failed) = (moving.clone(), served.clone(), failed.clone());
            let (client, hub, ann) = (app.client.clone(), base.clone(), ann.clone());
            tokio::spawn(async move {
                while moving.load(Ordering::SeqCst) {
                    let ok = if i % 2 == 0 {
                        client
                            .get(format!("{hub}/"))
                            .send()
                            .await
                            .is_ok_and(|r| r.status() == 200)
                    } else {
                        ann.get("/dashboard").await.status() == 200
                    };
                    let counter = if ok { &served } else { &failed };
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    citus::place(&db.pool, acme.id, other.id)
        .await
        .expect("the move");
    moving.store(false, Ordering::SeqCst);
    for r in readers {
        r.await.expect("a reader");
    }
    assert!(
        served.load(Ordering::SeqCst) > 0,
        "pages were read during the move"
    );
    assert_eq!(
        failed.load(Ordering::SeqCst),
        0,
        "no page failed during the move"
    );

    let after = placement(&db, &acme).await;
    assert_eq!(after.port, other.port, "the hub is on the other worker");
    assert_eq!(members_on_worker(&db, other.port, &acme).await, Some(1));
    // The old copy goes once nothing reads it (Citus defers the drop).
    let mut left_behind = members_on_worker(&db, before.port, &acme).await;
    for _ in 0..50 {
        if left_behind.is_none() {
            break;
        }
        sqlx::query("CALL citus_cleanup_orphaned_resources()")
            .execute(&db.pool)
            .await
            .expect("cleanup");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left_behind = members_on_worker(&db, before.port, &acme).await;
    }
    assert_eq!(left_behind, None, "nothing of acme left on its old worker");
    // Its data and pages, and a booking made after the move.
    assert_eq!(fixtures::balance(&db.pool, &acme, user).await, 3);
    let home = app.get_hub("acme", "/").await.text().await.expect("page");
    assert!(home.contains("Welcome to Acme 7c1e"), "{home}");
    book(ann.clone(), 3).await;
    assert_eq!(fixtures::balance(&db.pool, &acme, user).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_lists_where_hubs_live_and_moves_one_to_the_worker_it_names() {
    let db = TestDb::on_citus().await;
    let acme = db.hub("acme", "Acme").await;
    let hearth = |args: &[&str]| {
        let out = std::process::Command::new(hearth_tests::hearth_binary())
            .args(args)
            .env("DATABASE_URL", &db.url)
            .output()
            .expect("hearth");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "hearth {args:?}: {text}");
        text
    };
    let before = placement(&db, &acme).await;
    let listed = hearth(&["tenant", "list", "--json"]);
    let hubs: serde_json::Value = serde_json::from_str(&listed).expect("JSON");
    assert_eq!(
        hubs[0]["node"],
        serde_json::json!(format!("127.0.0.1:{}", before.port))
    );
    let text = hearth(&["tenant", "list"]);
    let mut conn = db.pool.acquire().await.expect("connection");
    let workers = citus::workers(&mut conn).await.expect("workers");
    drop(conn);
    for w in &workers {
        let hubs = i64::from(w.port == before.port);
        assert!(
            text.contains(&format!(
                "worker {}: 127.0.0.1:{}, {hubs} hub(s)",
                w.id, w.port
            )),
            "{text}"
        );
    }
    let other = workers
        .iter()
        .find(|w| w.port != before.port)
        .expect("another worker");
    let moved = hearth(&["tenant", "place", "acme", "--node", &other.id.to_string()]);
    assert!(
        moved.contains(&format!("hub 'acme' is on worker {}", other.id)),
        "{moved}"
    );
    assert_eq!(placement(&db, &acme).await.port, other.port);
    // A worker that does not exist is refused by name.
    let out = std::process::Command::new(hearth_tests::hearth_binary())
        .args(["tenant", "place", "acme", "--node", "99"])
        .env("DATABASE_URL", &db.url)
        .output()
        .expect("hearth");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no worker 99"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
