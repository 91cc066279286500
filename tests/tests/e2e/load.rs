//! The mixed workload for a minute (the load test's smoke run, see
//! `hearth_tests::load` and docs/benchmarks.md): every scenario completes
//! several times over 50 hubs and not one request fails.

use std::time::Duration;

use hearth_tests::load::{self, Options, Server, SCENARIOS};
use hearth_tests::{hearth_binary, TestDb};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_minute_of_mixed_load_over_fifty_hubs_completes_every_scenario_without_one_error() {
    let db = TestDb::empty_with_pool_size(4).await;
    let hubs = load::provision(&db.pool, 50).await.expect("hubs");
    // The server's backends are then the only ones on the database besides the attack's.
    db.pool.close().await;
    let server = Server::start(&hearth_binary(), &db.url)
        .await
        .expect("hearth serve");
    let options = Options {
        users: 12,
        hatch_rate: "12".into(),
        duration: Duration::from_secs(60),
        rate: None,
        report: None,
        sample_every: Duration::from_secs(15),
        goose_tables: false,
    };
    let outcome = load::attack(&server, &db.url, &db.name, hubs, &options)
        .await
        .expect("the attack runs");
    drop(server);
    let report = outcome.report();
    println!("{report}");

    assert_eq!(
        outcome.goose_failures(),
        0,
        "goose counted failures:\n{report}"
    );
    assert_eq!(outcome.total().errors, 0, "{report}");
    for scenario in SCENARIOS {
        assert!(
            outcome.completed(scenario) >= 3,
            "{scenario} completed {} times:\n{report}",
            outcome.completed(scenario)
        );
    }
    // Memory was sampled from the server and the database throughout.
    assert!(outcome.samples.len() >= 4, "{report}");
    assert!(
        outcome
            .samples
            .iter()
            .all(|s| s.server_kib > 0 && s.backends > 0),
        "{report}"
    );
}
