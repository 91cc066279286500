//! `hearth migrate`: per-hub schemas, resumable, shared between nodes, checksummed.

use std::process::Stdio;
use std::time::{Duration, Instant};

use hearth_admin::migrate_all;
use hearth_tenants::migrate::MigrationError;
use hearth_tenants::TenantMigrator;
use hearth_tests::{hearth_binary, hub_rows, quiet, tenant_migrations_copy, TestApp, TestDb};

async fn hubs_at(db: &TestDb, version: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM tenants WHERE schema_version = $1")
        .bind(version)
        .fetch_one(&db.pool)
        .await
        .expect("test setup")
}

async fn hub_schemas(db: &TestDb) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM pg_namespace WHERE nspname ~ '^t_[0-9]+$'")
        .fetch_one(&db.pool)
        .await
        .expect("test setup")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_killed_midway_and_rerun_ends_with_all_200_hubs_current() {
    let db = TestDb::new().await;
    hub_rows(&db.pool, 200).await;
    let latest = TenantMigrator::embedded().latest();

    let mut first = tokio::process::Command::new(hearth_binary())
        .args(["migrate", "--jobs", "1", "--progress", "log"])
        .env("DATABASE_URL", &db.url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while hubs_at(&db, latest).await < 10 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "migrate made no progress"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.kill().await.unwrap();
    first.wait().await.unwrap();
    let done = hubs_at(&db, latest).await;
    assert!(done < 200, "the run was killed midway (done: {done})");
    // Each hub is whole or untouched: no schema without its version, nothing half-made.
    assert_eq!(hub_schemas(&db).await, done);

    let rerun = tokio::process::Command::new(hearth_binary())
        .args(["migrate", "--progress", "log"])
        .env("DATABASE_URL", &db.url)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&rerun.stdout);
    assert!(
        rerun.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    // The rerun does exactly the hubs left: none twice.
    assert!(
        stdout.contains(&format!(
            "{} hub(s) were behind; {} migrated",
            200 - done,
            200 - done
        )),
        "{stdout}"
    );
    assert_eq!(hubs_at(&db, latest).await, 200);
    assert_eq!(hub_schemas(&db).await, 200);
    let settings: i64 = sqlx::query_scalar("SELECT count(*) FROM t_200.hub_settings")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(settings, 1);

    let again = tokio::process::Command::new(hearth_binary())
        .args(["migrate"])
        .env("DATABASE_URL", &db.url)
        .output()
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 hub(s) were behind; 0 migrated"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_migrating_at_once_share_the_hubs_and_do_none_twice() {
    let db = TestDb::new().await;
    hub_rows(&db.pool, 120).await;
    let migrator = TenantMigrator::embedded();
    let (a, b) = tokio::join!(
        migrate_all(&db.pool, &migrator, quiet()),
        migrate_all(&db.pool, &migrator, quiet())
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.failed.is_empty() && b.failed.is_empty());
    assert_eq!(
        a.hubs_migrated + b.hubs_migrated,
        120,
        "each hub migrated exactly once"
    );
    assert_eq!(hubs_at(&db, migrator.latest()).await, 120);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_migration_reaches_every_existing_hub_and_a_failing_hub_is_reported_not_fatal() {
    let db = TestDb::new().await;
    let alpha = db.hub("alpha", "Alpha").await;
    db.hub("beta", "Beta").await;
    db.hub("gamma", "Gamma").await;
    // Alpha has a table in the way of the new migration.
    sqlx::query(&format!(
        "CREATE TABLE {}.notes (id int)",
        alpha.schema().quoted()
    ))
    .execute(&db.pool)
    .await
    .unwrap();

    let dir = tenant_migrations_copy();
    std::fs::write(
        dir.path().join("20991231000000_notes.sql"),
        "CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);\n\
         ALTER TABLE members ADD COLUMN nickname text;\n\
         CREATE INDEX members_nickname_idx ON members (nickname);",
    )
    .unwrap();
    let migrator = TenantMigrator::from_dir(dir.path()).await.unwrap();
    let report = migrate_all(&db.pool, &migrator, quiet()).await.unwrap();
    assert_eq!(report.hubs_behind, 3);
    assert_eq!(report.hubs_migrated, 2);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].0, alpha.id);
    assert!(
        report.failed[0].1.contains("already exists"),
        "{}",
        report.failed[0].1
    );
    // The failed hub kept its old version and nothing of the new migration.
    let old = TenantMigrator::embedded().latest();
    let version: i64 =
        sqlx::query_scalar("SELECT schema_version FROM tenants WHERE slug = 'alpha'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(version, old);
    let has_column: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM information_schema.columns \
         WHERE table_schema = $1 AND table_name = 'members' AND column_name = 'nickname')",
    )
    .bind(alpha.schema().as_str())
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(!has_column);
    let migrated: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.columns \
         WHERE table_schema ~ '^t_' AND table_name = 'members' AND column_name = 'nickname'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(migrated, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_tenant_migration_is_refused_with_a_clear_error() {
    let db = TestDb::new().await;
    db.hub("alpha", "Alpha").await;
    let dir = tenant_migrations_copy();
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut sql = std::fs::read_to_string(&file).unwrap();
    sql.push_str("\nCREATE TABLE sneaky (id int);\n");
    std::fs::write(&file, sql).unwrap();

    let edited = TenantMigrator::from_dir(dir.path()).await.unwrap();
    let err = migrate_all(&db.pool, &edited, quiet()).await.unwrap_err();
    assert!(matches!(err, MigrationError::Edited { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("was edited after hubs adopted it"),
        "{message}"
    );

    // The CLI says the same, and fails.
    let removed = tenant_migrations_copy();
    for entry in std::fs::read_dir(removed.path()).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let none = TenantMigrator::from_dir(removed.path()).await.unwrap();
    let err = migrate_all(&db.pool, &none, quiet()).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("that this build of hearth does not have"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_reports_pending_hub_migrations_until_migrate_runs() {
    let app = TestApp::spawn().await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    hub_rows(&app.db.pool, 3).await;
    let pending = app.get("/readyz").await;
    assert_eq!(pending.status(), 503);
    assert!(pending.text().await.unwrap().contains("hearth migrate"));
    migrate_all(&app.db.pool, &TenantMigrator::embedded(), quiet())
        .await
        .unwrap();
    assert_eq!(app.get("/readyz").await.status(), 200);
}
