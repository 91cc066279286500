//! The reseller's look, the professionals it works with, and company
//! templates, over real HTTP and PostgreSQL: the look brands the console and
//! every hub that follows it (at once, on a cached hub page too), until the
//! hub's HR admin publishes a look of their own, and following it again is
//! one button; onboarding sets the email domains, the look and the roster
//! (refusals on their fields, nothing made); a company's settings saved as a
//! template onboard the next company the same (plugins with their configs
//! too); another reseller's professionals, companies and templates are 404s.

use std::sync::Arc;

use hearth_tenants::provision::{create_tenant, NewTenant};
use hearth_tenants::{Tenant, TenantMigrator, TenantTx};
use hearth_tests::browser::{location, Browser};
use hearth_tests::fixtures::{all_week, browser_for, member, professional, reseller, user};
use hearth_tests::{TestApp, TestDb};
use reqwest::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

struct World {
    app: TestApp,
    nordic: i64,
    rita: Uuid,
    bo: Uuid,
}

impl World {
    fn pool(&self) -> &PgPool {
        &self.app.db.pool
    }

    async fn hub(&self, slug: &str, reseller: i64) -> Tenant {
        create_tenant(
            self.pool(),
            &TenantMigrator::embedded(),
            &NewTenant {
                slug: slug.into(),
                name: format!("{slug} Ltd"),
                reseller_id: Some(reseller),
            },
        )
        .await
        .expect("provision hub")
    }

    async fn browser(&self, user: Uuid) -> Browser {
        browser_for(self.pool(), &self.app.address, user).await
    }

    /// The hub page's HTML.
    async fn hub_page(&self, slug: &str) -> String {
        let r = self.app.get_hub(slug, "/").await;
        assert_eq!(r.status(), StatusCode::OK);
        r.text().await.expect("hub page")
    }

    async fn one<T>(&self, sql: &str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
    {
        sqlx::query_scalar(sql)
            .fetch_one(self.pool())
            .await
            .expect(sql)
    }
}

async fn world() -> World {
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(db).await;
    let pool = &app.db.pool;
    let rita = user(pool, "rita@nordic.example", "Rita Reseller", "UTC").await;
    let bo = user(pool, "bo@baltic.example", "Bo Baltic", "UTC").await;
    let nordic = reseller(pool, "nordic", "Nordic Wellbeing", rita).await;
    reseller(pool, "baltic", "Baltic Care", bo).await;
    World {
        app,
        nordic,
        rita,
        bo,
    }
}

/// `user` as HR admin of `hub`, signed in there with the terms accepted.
async fn hr_admin(w: &World, hub: &Tenant, user: Uuid) -> Browser {
    member(w.pool(), hub, user).await;
    let mut tx = TenantTx::begin(w.pool(), hub).await.expect("hub tx");
    sqlx::query("UPDATE members SET role = 'hr_admin' WHERE user_id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await
        .expect("hr admin");
    hearth_tests::fixtures::by_hand(&mut tx).await;
    tx.commit().await.expect("commit");
    let b = browser_for(w.pool(), &format!("{}/h/{}", w.app.address, hub.slug), user).await;
    let r = b.get("/admin").await;
    if location(&r).ends_with("/terms") {
        let r = b.submit("/terms", "/terms", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(b.get("/admin").await.status(), StatusCode::OK);
    b
}

fn brand_of(page: &str) -> Option<String> {
    let at = page.find("--brand: ")?;
    Some(page[at + 9..at + 16].to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_resellers_look_brands_its_console_and_the_hubs_that_follow_it() {
    let w = world().await;
    let initech = w.hub("initech", w.nordic).await;
    w.hub("hooli", w.nordic).await;
    let baltic: i64 = w
        .one("SELECT id FROM resellers WHERE slug = 'baltic'")
        .await;
    w.hub("balto", baltic).await;
    // Cached before the change, on this node and on a second one: the change
    // must reach cached pages on every node.
    assert_eq!(
        brand_of(&w.hub_page("initech").await).as_deref(),
        Some("#1f6f5c")
    );
    let node_b = TestApp::spawn_on(Arc::clone(&w.app.db)).await;
    node_b.listening().await;
    let on_b = || async {
        let r = node_b.get_hub("hooli", "/").await;
        assert_eq!(r.status(), StatusCode::OK);
        brand_of(&r.text().await.expect("hub page on node B"))
    };
    assert_eq!(on_b().await.as_deref(), Some("#1f6f5c"));

    let rita = w.browser(w.rita).await;
    // A colour white text cannot be read on is refused, next to its field.
    let r = rita
        .submit(
            "/reseller/look",
            "/reseller/look",
            &[
                ("theme", "calm"),
                ("brand_color", "#ffff00"),
                ("accent_color", "#ffcc00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("page");
    assert!(page.contains("id=\"e-brand_color\""), "{page}");
    assert_eq!(
        w.one::<Option<String>>("SELECT theme FROM resellers WHERE slug = 'nordic'")
            .await,
        None
    );

    let r = rita
        .submit(
            "/reseller/look",
            "/reseller/look",
            &[
                ("theme", "calm"),
                ("brand_color", "#224466"),
                ("accent_color", "#FFCC00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/reseller/look?done=saved");
    // The console wears it.
    let console = rita.page("/reseller").await;
    assert_eq!(brand_of(&console).as_deref(), Some("#224466"));
    assert!(console.contains("theme-calm"));
    // Both of Nordic's hubs follow it at once; Baltic's does not.
    for slug in ["initech", "hooli"] {
        let page = w.hub_page(slug).await;
        assert_eq!(brand_of(&page).as_deref(), Some("#224466"), "{slug}");
        assert!(page.contains("theme-calm"), "{slug}");
    }
    assert_eq!(
        brand_of(&w.hub_page("balto").await).as_deref(),
        Some("#1f6f5c")
    );
    // The other node hears of it by NOTIFY, within a second.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
    while on_b().await.as_deref() != Some("#224466") {
        assert!(
            std::time::Instant::now() < deadline,
            "node B still shows Hooli's old look after 1 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    // Initech's HR admin sees that the hub follows Nordic, then publishes a
    // look of its own.
    let hana = user(w.pool(), "hana@initech.example", "Hana HR", "UTC").await;
    let hana = hr_admin(&w, &initech, hana).await;
    let settings = hana.page("/admin").await;
    assert!(
        settings.contains("follows the look Nordic Wellbeing chose"),
        "{settings}"
    );
    assert!(
        settings.contains("value=\"#224466\""),
        "the draft starts from the look shown"
    );
    let r = hana
        .submit(
            "/admin",
            "/admin/branding",
            &[
                ("brand_color", "#553311"),
                ("accent_color", "#ffcc00"),
                ("theme", "default"),
                ("welcome_text", "Welcome to Initech"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = hana.submit("/admin", "/admin/branding/publish", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        brand_of(&w.hub_page("initech").await).as_deref(),
        Some("#553311")
    );

    // Nordic's next change reaches Hooli, not Initech.
    let r = rita
        .submit(
            "/reseller/look",
            "/reseller/look",
            &[
                ("theme", "default"),
                ("brand_color", "#113355"),
                ("accent_color", "#ffcc00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        brand_of(&w.hub_page("hooli").await).as_deref(),
        Some("#113355")
    );
    assert_eq!(
        brand_of(&w.hub_page("initech").await).as_deref(),
        Some("#553311")
    );

    // Following Nordic again is one button and a publish.
    let settings = hana.page("/admin").await;
    assert!(
        settings.contains("Follow Nordic Wellbeing&#x27;s look again")
            || settings.contains("Follow Nordic Wellbeing's look again"),
        "{settings}"
    );
    let r = hana.submit("/admin", "/admin/branding/follow", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = hana.submit("/admin", "/admin/branding/publish", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        brand_of(&w.hub_page("initech").await).as_deref(),
        Some("#113355")
    );
    let page = w.hub_page("initech").await;
    assert!(
        page.contains("Welcome to Initech"),
        "the welcome text stays the hub's"
    );
    // And it follows the next change again.
    let r = rita
        .submit(
            "/reseller/look",
            "/reseller/look",
            &[("theme", ""), ("brand_color", ""), ("accent_color", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        brand_of(&w.hub_page("initech").await).as_deref(),
        Some("#1f6f5c")
    );

    // Bo's console is Baltic's and unbranded; Bo cannot reach Nordic's look.
    let bo = w.browser(w.bo).await;
    assert_eq!(
        brand_of(&bo.page("/reseller/look").await).as_deref(),
        Some("#1f6f5c")
    );
    assert_eq!(
        bo.get("/reseller/look?r=nordic").await.status(),
        StatusCode::FORBIDDEN
    );
    // An HR admin reaches no console.
    let hub_hana = w
        .browser(
            w.one::<Uuid>("SELECT id FROM users WHERE email = 'hana@initech.example'")
                .await,
        )
        .await;
    assert_ne!(
        hub_hana.get("/reseller/look").await.status(),
        StatusCode::OK
    );
}

/// Nordic's onboarding form as Rita fills it, with `more` fields.
fn company<'a>(
    name: &'a str,
    slug: &'a str,
    more: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", name),
        ("slug", slug),
        ("plan", "standard"),
        ("credits", "6"),
        ("period", "3"),
        ("email", "hr@company.example"),
    ];
    fields.extend_from_slice(more);
    fields
}

async fn in_hub_count(w: &World, slug: &str, sql: &str) -> i64 {
    let tenant =
        hearth_tenants::registry::find_by_slug(&mut w.pool().acquire().await.expect("conn"), slug)
            .await
            .expect("find")
            .expect("hub");
    let mut tx = TenantTx::begin(w.pool(), &tenant).await.expect("tx");
    let n: i64 = sqlx::query_scalar(sql)
        .fetch_one(&mut *tx)
        .await
        .expect(sql);
    tx.commit().await.expect("commit");
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_sets_domains_look_and_roster_and_a_template_onboards_the_next_company_alike() {
    let w = world().await;
    let pia = professional(
        w.pool(),
        "pia@pros.example",
        "Pia Psychologist",
        "UTC",
        0,
        &all_week(),
    )
    .await;
    let una = professional(
        w.pool(),
        "una@pros.example",
        "Una Unverified",
        "UTC",
        0,
        &all_week(),
    )
    .await;
    sqlx::query("UPDATE professionals SET verified_at = NULL WHERE user_id = $1")
        .bind(una)
        .execute(w.pool())
        .await
        .expect("unverify");
    hearth_tests::fixtures::cache_reset(w.pool()).await;
    let rita = w.browser(w.rita).await;
    let bo = w.browser(w.bo).await;

    // The professionals Nordic works with.
    let r = rita
        .submit(
            "/reseller/professionals",
            "/reseller/professionals",
            &[("email", "nobody@pros.example")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("page")
        .contains("No professional account has this email address"));
    for email in ["PIA@pros.example", "una@pros.example"] {
        let r = rita
            .submit(
                "/reseller/professionals",
                "/reseller/professionals",
                &[("email", email)],
            )
            .await;
        assert_eq!(location(&r), "/reseller/professionals?done=added");
    }
    let list = rita.page("/reseller/professionals").await;
    assert!(list.contains("Pia Psychologist") && list.contains("Waiting for verification"));
    // Not Baltic's to remove.
    let pia_s = pia.to_string();
    let r = bo
        .submit(
            "/reseller/professionals",
            "/reseller/professionals/remove",
            &[("id", &pia_s)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!bo
        .page("/reseller/professionals")
        .await
        .contains("Pia Psychologist"));

    // Refusals: an unverified professional, a bad domain, an unreadable colour.
    let una_box = format!("pro-{una}");
    let pia_box = format!("pro-{pia}");
    let before: i64 = w.one("SELECT count(*) FROM tenants").await;
    let r = rita
        .submit(
            "/reseller/companies/new",
            "/reseller/companies/new",
            &company(
                "Globex",
                "globex",
                &[
                    ("domains", "globex.example, not-a-domain"),
                    ("theme", "calm"),
                    ("brand_color", "#ffff00"),
                    ("accent_color", "#ffcc00"),
                    (&una_box, "on"),
                ],
            ),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("page");
    for field in ["e-domains", "e-roster", "e-brand_color"] {
        assert!(page.contains(&format!("id=\"{field}\"")), "{field}: {page}");
    }
    assert!(page.contains("Nothing was made"));
    assert_eq!(w.one::<i64>("SELECT count(*) FROM tenants").await, before);

    let r = rita
        .submit(
            "/reseller/companies/new",
            "/reseller/companies/new",
            &company(
                "Globex",
                "globex",
                &[
                    ("domains", "globex.example, @Globex.IS"),
                    ("theme", "calm"),
                    ("brand_color", "#224466"),
                    ("accent_color", "#ffcc00"),
                    (&pia_box, "on"),
                ],
            ),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    assert_eq!(in_hub_count(&w, "globex", "SELECT count(*) FROM eligibility_domains WHERE domain IN ('globex.example', 'globex.is')").await, 2);
    assert_eq!(
        in_hub_count(&w, "globex", "SELECT count(*) FROM roster").await,
        1
    );
    assert_eq!(in_hub_count(&w, "globex", "SELECT count(*) FROM hub_settings WHERE own_look AND theme = 'calm' AND credits_per_period = 6 AND period_months = 3").await, 1);
    let page = w.hub_page("globex").await;
    assert!(page.contains("Pia Psychologist"), "{page}");
    assert_eq!(brand_of(&page).as_deref(), Some("#224466"));

    // A plugin installed on Globex, with its config.
    sqlx::query(
        "INSERT INTO plugins (id, name, version, size_bytes, hooks, wasm, uploaded_via) \
         VALUES (repeat('ab', 32), 'calm-theme', '1.0.0', 8, ARRAY['theme'], '\\x0061736d01000000'::bytea, 'cli')",
    )
    .execute(w.pool())
    .await
    .expect("plugin");
    let globex =
        hearth_tenants::registry::find_by_slug(&mut w.pool().acquire().await.expect("c"), "globex")
            .await
            .expect("find")
            .expect("globex");
    let mut tx = TenantTx::begin(w.pool(), &globex).await.expect("tx");
    sqlx::query("INSERT INTO plugin_installations (plugin_id, hook, config) VALUES (repeat('ab', 32), 'theme', '{\"tone\": \"calm\"}')")
        .execute(&mut *tx)
        .await
        .expect("install");
    hearth_tests::fixtures::by_hand(&mut tx).await;
    tx.commit().await.expect("commit");

    // Saved as a template; the same name again saves nothing; not Bo's to save.
    let r = rita
        .submit(
            "/reseller",
            "/reseller/companies/globex/template",
            &[("name", "Standard calm")],
        )
        .await;
    assert_eq!(location(&r), "/reseller?done=template-saved");
    let r = rita
        .submit(
            "/reseller",
            "/reseller/companies/globex/template",
            &[("name", "Standard calm")],
        )
        .await;
    assert_eq!(location(&r), "/reseller?done=template-taken");
    let r = bo
        .submit(
            "/reseller",
            "/reseller/companies/globex/template",
            &[("name", "Stolen")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        w.one::<i64>("SELECT count(*) FROM company_templates").await,
        1
    );
    let template: i64 = w.one("SELECT id FROM company_templates").await;
    let template_s = template.to_string();

    // The form filled from it; Bo cannot read it.
    let form = rita
        .page(&format!("/reseller/companies/new?template={template}"))
        .await;
    assert!(
        form.contains(&format!("name=\"{pia_box}\" checked")),
        "{form}"
    );
    assert!(form.contains("<option value=\"calm\" selected>"), "{form}");
    assert!(form.contains(&format!("name=\"template\" value=\"{template}\"")));
    assert_eq!(
        bo.get(&format!("/reseller/companies/new?template={template}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Umbrella onboarded from it: the same look, policy, roster and plugin.
    let r = rita
        .submit(
            "/reseller/companies/new",
            "/reseller/companies/new",
            &company(
                "Umbrella",
                "umbrella",
                &[
                    ("theme", "calm"),
                    ("brand_color", "#224466"),
                    ("accent_color", "#ffcc00"),
                    (&pia_box, "on"),
                    ("template", &template_s),
                ],
            ),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        in_hub_count(&w, "umbrella", "SELECT count(*) FROM roster").await,
        1
    );
    assert_eq!(in_hub_count(&w, "umbrella", "SELECT count(*) FROM hub_settings WHERE own_look AND theme = 'calm' AND brand_color = '#224466'").await, 1);
    assert_eq!(
        in_hub_count(&w, "umbrella", "SELECT count(*) FROM plugin_installations WHERE active AND hook = 'theme' AND config = '{\"tone\": \"calm\"}'").await,
        1
    );
    // Bo cannot onboard from Nordic's template.
    let r = bo
        .submit(
            "/reseller/companies/new",
            "/reseller/companies/new",
            &company("Stolen", "stolen", &[("template", &template_s)]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("page").contains("id=\"e-template\""));

    // Deleting: not Bo's; Rita's deletes it.
    let r = bo
        .submit(
            "/reseller/companies/new",
            "/reseller/templates/delete",
            &[("id", &template_s)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = rita
        .submit(
            "/reseller/companies/new",
            "/reseller/templates/delete",
            &[("id", &template_s)],
        )
        .await;
    assert_eq!(
        location(&r),
        "/reseller/companies/new?done=template-deleted"
    );
    assert_eq!(
        w.one::<i64>("SELECT count(*) FROM company_templates").await,
        0
    );
}
