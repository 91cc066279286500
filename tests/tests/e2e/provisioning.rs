//! `hearth tenant create`: all or nothing, validated slugs.

use hearth_tenants::{create_tenant, NewTenant, ProvisionError, SlugError, TenantMigrator};
use hearth_tests::{hearth_binary, tenant_migrations_copy, TestDb};

fn new(slug: &str) -> NewTenant {
    NewTenant {
        slug: slug.into(),
        name: "Acme Ltd".into(),
        reseller_id: None,
    }
}

async fn leftovers(db: &TestDb) -> (i64, i64) {
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&db.pool)
        .await
        .expect("test setup");
    let schemas: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_namespace WHERE nspname ~ '^t_[0-9]+$'")
            .fetch_one(&db.pool)
            .await
            .expect("test setup");
    (rows, schemas)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provisioning_that_fails_midway_leaves_nothing_and_a_second_try_succeeds() {
    let db = TestDb::new().await;
    // A migration set whose last step fails after the schema and tables are made.
    let dir = tenant_migrations_copy();
    std::fs::write(
        dir.path().join("20991231000000_broken.sql"),
        "CREATE TABLE x (id int);\nSELECT 1/0;",
    )
    .unwrap();
    let broken = TenantMigrator::from_dir(dir.path()).await.unwrap();

    let err = create_tenant(&db.pool, &broken, &new("acme"))
        .await
        .unwrap_err();
    assert!(matches!(err, ProvisionError::Database(_)), "{err:?}");
    assert_eq!(
        leftovers(&db).await,
        (0, 0),
        "no tenant row and no schema remain"
    );

    let tenant = create_tenant(&db.pool, &TenantMigrator::embedded(), &new("acme"))
        .await
        .unwrap();
    assert_eq!(tenant.slug, "acme");
    assert_eq!(leftovers(&db).await, (1, 1));
    let version: i64 = sqlx::query_scalar("SELECT schema_version FROM tenants WHERE slug = 'acme'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(version, TenantMigrator::embedded().latest());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slugs_are_validated_and_unique() {
    let db = TestDb::new().await;
    let m = TenantMigrator::embedded();
    for (slug, expected) in [
        ("ab", SlugError::Length),
        ("Acme", SlugError::Characters),
        ("acme;drop", SlugError::Characters),
        ("-acme", SlugError::Hyphen),
        ("admin", SlugError::Reserved("admin".into())),
    ] {
        match create_tenant(&db.pool, &m, &new(slug)).await {
            Err(ProvisionError::Slug(e)) => assert_eq!(e, expected, "{slug}"),
            other => panic!("{slug}: {other:?}"),
        }
    }
    create_tenant(&db.pool, &m, &new("acme")).await.unwrap();
    let err = create_tenant(&db.pool, &m, &new("acme")).await.unwrap_err();
    assert!(matches!(err, ProvisionError::SlugTaken(_)));
    assert_eq!(err.to_string(), "a hub named 'acme' already exists");
    assert_eq!(leftovers(&db).await, (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_of_one_slug_make_exactly_one_hub() {
    let db = TestDb::new().await;
    let m = TenantMigrator::embedded();
    let n = new("race");
    let results = futures::future::join_all((0..6).map(|_| create_tenant(&db.pool, &m, &n))).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| matches!(e, ProvisionError::SlugTaken(_))),
        "{results:?}"
    );
    assert_eq!(leftovers(&db).await, (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_provisions_a_hub_and_explains_a_taken_slug() {
    let db = TestDb::new().await;
    let run = |slug: &str| {
        std::process::Command::new(hearth_binary())
            .args(["tenant", "create", "--slug", slug, "--name", "Acme Ltd"])
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap()
    };
    let first = run("acme");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("created hub 'acme' (Acme Ltd), schema t_")
    );
    let second = run("acme");
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("a hub named 'acme' already exists"));
    let bad = run("Bad Slug");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("may contain only lowercase letters"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_list_command_speaks_json_for_scripts() {
    let db = TestDb::new().await;
    let hearth = |args: &[&str]| {
        let out = std::process::Command::new(hearth_binary())
            .args(args)
            .env("DATABASE_URL", &db.url)
            .output()
            .expect("run hearth");
        assert!(
            out.status.success(),
            "hearth {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    hearth(&[
        "reseller",
        "create",
        "--slug",
        "northwind",
        "--name",
        "Northwind",
    ]);
    hearth(&[
        "tenant",
        "create",
        "--slug",
        "acme",
        "--name",
        "Acme Ltd",
        "--reseller",
        "northwind",
    ]);
    hearth(&["tenant", "create", "--slug", "globex", "--name", "Globex"]);

    let hubs: serde_json::Value =
        serde_json::from_str(&hearth(&["tenant", "list", "--json"])).expect("hubs as JSON");
    let slugs: Vec<&str> = hubs
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|h| h["slug"].as_str())
        .collect();
    assert_eq!(slugs, ["acme", "globex"]);
    assert_eq!(hubs[0]["status"], "active");
    assert!(hubs[0]["reseller_id"].is_i64() && hubs[1]["reseller_id"].is_null());

    let resellers: serde_json::Value =
        serde_json::from_str(&hearth(&["reseller", "list", "--json"])).expect("resellers");
    assert_eq!(resellers[0]["slug"], "northwind");
    assert_eq!(resellers[0]["hubs"], 1);

    for list in [
        ["plugin", "list", "--json"],
        ["professional", "list", "--json"],
    ] {
        let parsed: serde_json::Value =
            serde_json::from_str(&hearth(&list)).expect("valid JSON when empty too");
        assert_eq!(parsed, serde_json::json!([]), "{list:?}");
    }
    // Text stays the default, for people.
    assert!(hearth(&["reseller", "list"]).contains("northwind"));
}
