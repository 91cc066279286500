//! Hubs never see each other's config or results, and nothing carries over between calls.

mod support;

use std::thread;

use hearth_plugins::abi::{CreditCost, Theme};
use hearth_plugins::{CallContext, InstalledPlugin, Outcome, PluginHost, Source};
use serde_json::{json, Value};
use support::*;

fn greeting(host: &PluginHost, plugin: &InstalledPlugin, date: &str) -> (String, String) {
    let decision = host.decide(plugin, &theme_input(date, "home"), || {
        Theme::new(Default::default(), Default::default())
    });
    assert_eq!(decision.source, Source::Plugin);
    let Theme::Theme { texts, .. } = decision.value;
    (
        texts.get("banner").cloned().unwrap_or_default(),
        texts.get("welcome_title").cloned().unwrap_or_default(),
    )
}

#[tokio::test]
async fn two_hubs_never_see_each_others_config_or_results() {
    let host = host();
    let theme = host.load(example(SEASONAL_THEME)).await.unwrap();
    let credits = host.load(example(CREDIT_RULES)).await.unwrap();
    // Same plugin, two hubs, two configs; and a third hub with another plugin.
    let acme = InstalledPlugin::new(
        hub("acme"),
        theme.clone(),
        json!({ "greeting": "acme only" }),
    );
    let globex = InstalledPlugin::new(hub("globex"), theme, json!({ "greeting": "globex only" }));
    let initech = InstalledPlugin::new(hub("initech"), credits, json!({ "couples_cost": 7 }));

    let workers: Vec<_> = [acme, globex]
        .into_iter()
        .map(|plugin| {
            let host = host.clone();
            thread::spawn(move || {
                let slug = plugin.hub().slug.clone();
                for _ in 0..200 {
                    let (banner, title) = greeting(&host, &plugin, "2026-12-24");
                    assert_eq!(banner, format!("{slug} only"));
                    assert_eq!(
                        title,
                        format!("Happy holidays from {} Ltd", slug.to_uppercase())
                    );
                }
            })
        })
        .chain(std::iter::once({
            let host = host.clone();
            thread::spawn(move || {
                for _ in 0..200 {
                    let d = host.decide(&initech, &credit_cost_input(), || CreditCost::cost(1));
                    assert_eq!((d.value, d.source), (CreditCost::cost(7), Source::Plugin));
                }
            })
        }))
        .collect();

    for worker in workers {
        worker.join().unwrap();
    }
}

#[tokio::test]
async fn no_state_carries_over_between_calls() {
    // Counts its calls in a global and in memory; answers 1 credit on its first
    // call in an instance and 99 on any later one.
    let host = host();
    let module = host
        .load(wat(r#"(module
            (memory (export "memory") 1)
            (global $calls (mut i32) (i32.const 0))
            (data (i32.const 16) "{\"decision\":\"cost\",\"credits\":1}")
            (data (i32.const 64) "{\"decision\":\"cost\",\"credits\":99}")
            (func (export "hearth_abi_v1"))
            (func (export "hearth_alloc") (param i32) (result i32) i32.const 1024)
            (func (export "hearth_credit_cost") (param i32 i32) (result i64)
              (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
              (i32.store (i32.const 512) (i32.add (i32.load (i32.const 512)) (i32.const 1)))
              (if (result i64)
                  (i32.and (i32.eq (global.get $calls) (i32.const 1))
                           (i32.eq (i32.load (i32.const 512)) (i32.const 1)))
                (then (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 31)))
                (else (i64.or (i64.shl (i64.const 64) (i64.const 32)) (i64.const 32))))))"#))
        .await
        .unwrap();
    let (a, b) = (hub("acme"), hub("globex"));

    for hub in [&a, &b].into_iter().cycle().take(50) {
        let ctx = CallContext {
            hub,
            config: &Value::Null,
        };
        let outcome = host
            .credit_cost(&module, &ctx, &credit_cost_input())
            .unwrap();
        assert_eq!(outcome, Outcome::Decided(CreditCost::cost(1)));
    }
}
