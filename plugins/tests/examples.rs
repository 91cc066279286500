//! The example plugins, built for wasm32-unknown-unknown, run through the host.

mod support;

use hearth_plugins::abi::{BookingAllowed, CreditCost, Hook, PeriodGrant, Theme};
use hearth_plugins::{CallContext, InstalledPlugin, Outcome, PluginError, PolicyCause, Source};
use serde_json::{json, Value};
use support::*;

#[tokio::test]
async fn couples_sessions_cost_two_credits() {
    let host = host();
    let module = host.load(example(CREDIT_RULES)).await.unwrap();
    let hub = hub("acme");
    let ctx = CallContext {
        hub: &hub,
        config: &Value::Null,
    };

    let outcome = host
        .credit_cost(&module, &ctx, &credit_cost_input())
        .unwrap();

    assert_eq!(outcome, Outcome::Decided(CreditCost::cost(2)));
}

#[tokio::test]
async fn the_hub_config_changes_the_price() {
    let host = host();
    let module = host.load(example(CREDIT_RULES)).await.unwrap();
    let hub = hub("acme");
    let config = json!({ "couples_cost": 3, "long_session_minutes": 45 });
    let ctx = CallContext {
        hub: &hub,
        config: &config,
    };

    let outcome = host
        .credit_cost(&module, &ctx, &credit_cost_input())
        .unwrap();

    assert_eq!(outcome, Outcome::Decided(CreditCost::cost(4)));
}

#[tokio::test]
async fn a_fifth_session_in_a_quarter_is_refused_with_a_reason() {
    let host = host();
    let module = host.load(example(CREDIT_RULES)).await.unwrap();
    let hub = hub("acme");
    let ctx = CallContext {
        hub: &hub,
        config: &Value::Null,
    };
    let four = [
        "2026-01-05T10:00:00+01:00",
        "2026-01-19T10:00:00+01:00",
        "2026-02-02T10:00:00+01:00",
        "2026-03-02T10:00:00+01:00",
    ];

    let allowed = host
        .booking_allowed(&module, &ctx, &booking_allowed_input(&four[..3]))
        .unwrap();
    let refused = host
        .booking_allowed(&module, &ctx, &booking_allowed_input(&four))
        .unwrap();

    assert_eq!(allowed, Outcome::Decided(BookingAllowed::Allow));
    assert_eq!(
        refused,
        Outcome::Decided(BookingAllowed::refuse(
            "You can book at most 4 sessions a quarter, and you have booked them all."
        ))
    );
}

#[tokio::test]
async fn a_bad_config_is_a_plugin_failure_and_the_policy_applies() {
    let host = host();
    let module = host.load(example(CREDIT_RULES)).await.unwrap();
    let plugin = InstalledPlugin::new(hub("acme"), module, json!({ "couples_cots": 3 }));

    let decision = host.decide(&plugin, &credit_cost_input(), || CreditCost::cost(1));

    assert_eq!(decision.value, CreditCost::cost(1));
    assert_eq!(
        decision.source,
        Source::Policy(PolicyCause::Failed(
            hearth_plugins::FailureReason::GuestError
        ))
    );
}

#[tokio::test]
async fn the_credit_rules_plugin_describes_its_config() {
    let host = host();
    let module = host.load(example(CREDIT_RULES)).await.unwrap();

    let schema = host.config_schema(&module).unwrap().unwrap();

    assert_eq!(schema["properties"]["couples_cost"]["default"], 2);
    assert_eq!(module.hooks(), vec![Hook::CreditCost, Hook::BookingAllowed]);
}

#[tokio::test]
async fn members_joining_mid_period_get_a_prorated_grant() {
    let host = host();
    let module = host.load(example(PERIOD_GRANT)).await.unwrap();
    let hub = hub("acme");
    let ctx = CallContext {
        hub: &hub,
        config: &Value::Null,
    };

    let full = host
        .period_grant(&module, &ctx, &period_grant_input("2025-06-01"))
        .unwrap();
    let half = host
        .period_grant(&module, &ctx, &period_grant_input("2026-05-17"))
        .unwrap();

    assert_eq!(full, Outcome::Decided(PeriodGrant::credits(8)));
    assert_eq!(half, Outcome::Decided(PeriodGrant::credits(4)));
}

#[tokio::test]
async fn december_brings_a_winter_colour_and_a_greeting() {
    let host = host();
    let module = host.load(example(SEASONAL_THEME)).await.unwrap();
    let hub = hub("acme");
    let config = json!({ "greeting": "Take a breath." });
    let ctx = CallContext {
        hub: &hub,
        config: &config,
    };

    let Outcome::Decided(Theme::Theme { variables, texts }) = host
        .theme(&module, &ctx, &theme_input("2026-12-03", "home"))
        .unwrap()
    else {
        panic!("the theme plugin should decide");
    };

    assert_eq!(variables["primary_color"], "#2e5c8a");
    assert_eq!(texts["welcome_title"], "Happy holidays from ACME Ltd");
    assert_eq!(texts["banner"], "Take a breath.");
}

#[tokio::test]
async fn a_hook_the_plugin_lacks_falls_back_to_the_policy() {
    let host = host();
    let module = host.load(example(SEASONAL_THEME)).await.unwrap();
    let plugin = InstalledPlugin::new(hub("acme"), module, Value::Null);

    let decision = host
        .decide_async(&plugin, credit_cost_input(), || CreditCost::cost(1))
        .await;

    assert_eq!(decision.value, CreditCost::cost(1));
    assert_eq!(decision.source, Source::Policy(PolicyCause::NotExported));
    assert_eq!(decision.failure, None);
}

#[tokio::test]
async fn the_wat_example_speaks_the_same_abi() {
    let host = host();
    let module = host.load(wat_example("flat_cost.wat")).await.unwrap();
    let plugin = InstalledPlugin::new(hub("acme"), module, Value::Null);

    let cost = host
        .decide_async(&plugin, credit_cost_input(), || CreditCost::cost(5))
        .await;
    let allowed = host
        .decide_async(&plugin, booking_allowed_input(&[]), || {
            BookingAllowed::Allow
        })
        .await;

    assert_eq!(
        (cost.value, cost.source),
        (CreditCost::cost(1), Source::Plugin)
    );
    assert_eq!(allowed.source, Source::Policy(PolicyCause::Deferred));
}

#[tokio::test]
async fn plugin_decisions_come_back_through_the_async_wrapper() {
    let host = host();
    let module = host.load(example(CREDIT_RULES)).await.unwrap();
    let plugin = InstalledPlugin::new(hub("acme"), module, Value::Null);

    let decision = host
        .decide_async(&plugin, credit_cost_input(), || CreditCost::cost(1))
        .await;

    assert_eq!(decision.value, CreditCost::cost(2));
    assert_eq!(decision.source, Source::Plugin);
}

#[tokio::test]
async fn every_example_runs_far_below_the_budgets() {
    // A tenth of the default fuel and an eighth of the memory are plenty: the
    // examples are realistic, so the defaults leave room for heavier plugins.
    let host = hearth_plugins::PluginHost::new(hearth_plugins::Limits {
        fuel: 1_000_000,
        max_memory_bytes: 2 << 20,
        ..test_limits()
    })
    .unwrap();
    let hub = hub("acme");
    let ctx = CallContext {
        hub: &hub,
        config: &Value::Null,
    };
    let credit = host.load(example(CREDIT_RULES)).await.unwrap();
    let grant = host.load(example(PERIOD_GRANT)).await.unwrap();
    let theme = host.load(example(SEASONAL_THEME)).await.unwrap();

    assert!(host
        .credit_cost(&credit, &ctx, &credit_cost_input())
        .is_ok());
    assert!(host
        .period_grant(&grant, &ctx, &period_grant_input("2026-05-17"))
        .is_ok());
    assert!(host
        .theme(&theme, &ctx, &theme_input("2026-07-01", "home"))
        .is_ok());
}

#[tokio::test]
async fn loading_the_same_bytes_twice_compiles_once() {
    let host = host();
    let bytes = example(CREDIT_RULES);

    let (a, b) = tokio::join!(host.load(bytes.clone()), host.load(bytes.clone()));
    let (a, b) = (a.unwrap(), b.unwrap());
    let c = host.load(bytes).await.unwrap();

    assert_eq!(a.id(), b.id());
    assert_eq!(a.id(), c.id());
    assert!(host.get(a.id()).await.is_some());
}

#[tokio::test]
async fn compiled_plugins_are_reused_across_restarts() {
    let dir = std::env::temp_dir().join(format!("hearth-plugin-cache-{}", std::process::id()));
    let limits = hearth_plugins::Limits {
        compilation_cache_dir: Some(dir.clone()),
        ..test_limits()
    };
    let bytes = example(PERIOD_GRANT);

    let first = hearth_plugins::PluginHost::new(limits.clone()).unwrap();
    first.load(bytes.clone()).await.unwrap();
    let first_stats = first.compilation_cache_stats().unwrap();
    drop(first);
    let restarted = hearth_plugins::PluginHost::new(limits).unwrap();
    let module = restarted.load(bytes).await.unwrap();
    let restarted_stats = restarted.compilation_cache_stats().unwrap();

    assert_eq!((first_stats.hits, first_stats.misses), (0, 1));
    assert_eq!((restarted_stats.hits, restarted_stats.misses), (1, 0));
    let hub = hub("acme");
    let ctx = CallContext {
        hub: &hub,
        config: &Value::Null,
    };
    assert!(restarted
        .period_grant(&module, &ctx, &period_grant_input("2025-01-01"))
        .is_ok());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn modules_that_are_not_plugins_are_refused_at_upload() {
    let host = host();

    let not_wasm = host.load(b"hello".to_vec()).await.unwrap_err();
    let no_hooks = host
        .load(wat(
            r#"(module (memory (export "memory") 1) (func (export "hearth_abi_v1"))
                       (func (export "hearth_alloc") (param i32) (result i32) i32.const 8))"#,
        ))
        .await
        .unwrap_err();
    let no_marker = host
        .load(wat(r#"(module (memory (export "memory") 1)
                       (func (export "hearth_alloc") (param i32) (result i32) i32.const 8)
                       (func (export "hearth_theme") (param i32 i32) (result i64) i64.const 0))"#))
        .await
        .unwrap_err();

    for error in [not_wasm, no_hooks, no_marker] {
        assert!(matches!(error, PluginError::InvalidModule(_)), "{error}");
    }
}
