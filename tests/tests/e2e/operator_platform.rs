//! The operator's resellers, audit log across hubs and plugin registry over
//! real HTTP and real PostgreSQL: a reseller made from the page is listed
//! there and by `hearth reseller list`'s function; an admin added by email
//! has the reseller console; bad slugs, names and emails are refused next to
//! their field with nothing made; entries of two hubs' audit logs are shown
//! newest first and each filter narrows them; a registered plugin is listed
//! with its uploader; no other role reaches any of it, and CSRF is required.
//! One Chromium with axe-core at phone and desktop widths, with a refused
//! form on the page.

use hearth_tests::browser::{csrf_of, location, Browser};
use hearth_tests::chrome::{
    axe_source, browser, chromedriver, describe, full_page_screenshot, screenshot_dir,
    serious_violations, sign_in,
};
use hearth_tests::fixtures::{browser_for, in_hub, session_token, user};
use hearth_tests::{hub_rows, TestApp};
use reqwest::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

struct World {
    app: TestApp,
    operator: Uuid,
}

impl World {
    fn pool(&self) -> &PgPool {
        &self.app.db.pool
    }

    async fn operator(&self) -> Browser {
        browser_for(self.pool(), &self.app.address, self.operator).await
    }
}

/// An app with an operator, Olga.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let operator = user(&app.db.pool, "olga@hearth.example", "Olga Operator", "UTC").await;
    sqlx::query("UPDATE users SET is_operator = true WHERE id = $1")
        .bind(operator)
        .execute(&app.db.pool)
        .await
        .expect("operator");
    World { app, operator }
}

/// The page's text with tera's escaping undone.
fn text(page: &str) -> String {
    page.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_makes_a_reseller_and_gives_it_an_admin_who_then_has_its_console() {
    let w = world().await;
    let op = w.operator().await;
    let page = text(&op.page("/operator/resellers").await);
    assert!(page.contains("No resellers"), "{page}");
    assert!(text(&op.page("/operator").await).contains("href=\"/operator/resellers\""));
    let token = csrf_of(&page);

    let r = op
        .post(
            "/operator/resellers",
            &token,
            &[("slug", "north"), ("name", " North Partners ")],
        )
        .await;
    assert_eq!(location(&r), "/operator/resellers?done=created");
    let page = text(&op.page("/operator/resellers?done=created").await);
    assert!(page.contains("The reseller is made."), "{page}");
    assert!(page.contains("<strong>North Partners</strong>"), "{page}");
    assert!(page.contains("1 reseller"));
    // The command's list reads the same.
    let mut conn = w.pool().acquire().await.expect("connection");
    let listed = hearth_admin::resellers::list(&mut conn)
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].slug.as_str(), listed[0].name.as_str()),
        ("north", "North Partners")
    );
    assert_eq!((listed[0].hubs, listed[0].admins), (0, 0));
    drop(conn);

    // Rita has an account but no console yet.
    let rita = user(w.pool(), "rita@north.example", "Rita Reseller", "UTC").await;
    let rb = browser_for(w.pool(), &w.app.address, rita).await;
    assert_eq!(rb.get("/reseller").await.status(), StatusCode::FORBIDDEN);
    let r = op
        .post(
            "/operator/resellers/north/admins",
            &token,
            &[("email", " RITA@north.example ")],
        )
        .await;
    assert_eq!(location(&r), "/operator/resellers?done=admin");
    assert_eq!(rb.get("/reseller").await.status(), StatusCode::OK);
    let r = op
        .post(
            "/operator/resellers/north/admins",
            &token,
            &[("email", "rita@north.example")],
        )
        .await;
    assert_eq!(location(&r), "/operator/resellers?done=already");
    assert_eq!(
        count(w.pool(), "SELECT count(*) FROM reseller_admins").await,
        1
    );
    let page = text(&op.page("/operator/resellers").await);
    assert!(page.contains("Add admin<span class=\"sr\"> North Partners</span>"));
    assert!(
        page.contains("<td>0 hubs</td>") && page.contains("<td>1 admin</td>"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_reseller_input_is_refused_next_to_its_field_and_nothing_is_made() {
    let w = world().await;
    let op = w.operator().await;
    let token = csrf_of(&op.page("/operator/resellers").await);
    op.post(
        "/operator/resellers",
        &token,
        &[("slug", "north"), ("name", "North Partners")],
    )
    .await;
    for (slug, name, field, says) in [
        ("No Caps", "Caps Ltd", "slug", "only lowercase letters"),
        ("ab", "Short Ltd", "slug", "3 to 40 characters"),
        ("-edge", "Edge Ltd", "slug", "start and end with a letter"),
        ("admin", "Admin Ltd", "slug", "kept for the platform"),
        ("north", "Second North", "slug", "Another reseller has this"),
        ("south", "   ", "name", "Write the reseller's name"),
    ] {
        let r = op
            .post(
                "/operator/resellers",
                &token,
                &[("slug", slug), ("name", name)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{slug}");
        let page = text(&r.text().await.expect("body"));
        let error = page
            .split(&format!("<p class=\"error\" id=\"e-{field}\">"))
            .nth(1)
            .and_then(|e| e.split("</p>").next())
            .unwrap_or_default();
        assert!(error.contains(says), "{slug}: {error}");
        // What was typed stays.
        assert!(page.contains(&format!("value=\"{slug}\"")), "{slug}");
    }
    assert_eq!(count(w.pool(), "SELECT count(*) FROM resellers").await, 1);

    user(w.pool(), "ann@example.com", "Ann", "UTC").await;
    for (email, says) in [
        ("nobody@example.com", "No account has this email address"),
        ("not an email", "This is not an email address"),
        ("", "This is not an email address"),
    ] {
        let r = op
            .post(
                "/operator/resellers/north/admins",
                &token,
                &[("email", email)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        let page = text(&r.text().await.expect("body"));
        assert!(
            page.contains(&format!("<p class=\"error\" id=\"e-email-north\">{says}")),
            "{email}: {page}"
        );
    }
    // No such reseller.
    let r = op
        .post(
            "/operator/resellers/south/admins",
            &token,
            &[("email", "ann@example.com")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        count(w.pool(), "SELECT count(*) FROM reseller_admins").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_across_hubs_shows_both_hubs_newest_first_and_each_filter_narrows_it() {
    let w = world().await;
    let acme = w.app.db.hub("acme", "Acme Ltd").await;
    let fjord = w.app.db.hub("fjord", "Fjord Fisheries").await;
    let hanna = user(w.pool(), "hanna@acme.example", "Hanna HR", "UTC").await;
    // The oldest, written by no one (the command line); each hub numbers
    // its entries in the order written.
    in_hub(
        w.pool(),
        &fjord,
        "INSERT INTO audit_log (actor_id, action, at) VALUES (NULL, 'members.hr_admin', now() - interval '40 minutes')",
        None,
    )
    .await;
    let insert = "INSERT INTO audit_log (actor_id, action, detail, at) \
                  VALUES ($1, $2, '{\"before\": 1, \"after\": 2}', now() - $3 * interval '1 minute')";
    for (tenant, actor, action, minutes_ago) in [
        (&acme, hanna, "branding.publish", 30),
        (&fjord, w.operator, "hub.suspend", 20),
        (&acme, w.operator, "hub.suspend", 10),
    ] {
        let mut tx = hearth_tenants::TenantTx::begin(w.pool(), tenant)
            .await
            .expect("hub transaction");
        sqlx::query(insert)
            .bind(actor)
            .bind(action)
            .bind(f64::from(minutes_ago))
            .execute(&mut *tx)
            .await
            .expect("audit entry");
        tx.commit().await.expect("commit");
    }
    let op = w.operator().await;
    let order = |page: &str| -> Vec<String> {
        page.split("<td><a href=\"/operator/audit?hub=")
            .skip(1)
            .map(|row| {
                let hub = row.split('"').next().unwrap_or_default();
                let action = row
                    .split("<td><code>")
                    .nth(1)
                    .and_then(|a| a.split("</code>").next())
                    .unwrap_or_default();
                format!("{hub} {action}")
            })
            .collect()
    };
    let all = text(&op.page("/operator/audit").await);
    assert!(all.contains("4 changes"), "{all}");
    assert_eq!(
        order(&all),
        [
            "acme hub.suspend",
            "fjord hub.suspend",
            "acme branding.publish",
            "fjord members.hr_admin"
        ]
    );
    assert!(all.contains("Hanna HR") && all.contains("Olga Operator"));

    let by_hub = text(&op.page("/operator/audit?hub=fjord").await);
    assert_eq!(
        order(&by_hub),
        ["fjord hub.suspend", "fjord members.hr_admin"]
    );
    let by_actor = text(&op.page("/operator/audit?actor=HANNA@acme.example").await);
    assert_eq!(order(&by_actor), ["acme branding.publish"]);
    let by_kind = text(&op.page("/operator/audit?action=hub.suspend").await);
    assert_eq!(order(&by_kind), ["acme hub.suspend", "fjord hub.suspend"]);
    let all_three = text(
        &op.page("/operator/audit?hub=acme&actor=olga@hearth.example&action=hub.suspend")
            .await,
    );
    assert_eq!(order(&all_three), ["acme hub.suspend"]);
    assert!(all_three.contains("value=\"acme\""));

    // Unknown hubs and people are said so, next to their field.
    let r = op.get("/operator/audit?hub=nope").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&r.text().await.expect("body")).contains("No hub has this short name"));
    let r = op.get("/operator/audit?actor=nobody@example.com").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&r.text().await.expect("body")).contains("No account has this email address"));

    // Across hubs the log goes ten pages back; one hub's, as far as it goes.
    let r = op.get("/operator/audit?page=11").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&r.text().await.expect("body")).contains("goes back 10 pages"));
    let r = op.get("/operator/audit?hub=acme&page=11").await;
    assert_eq!(r.status(), StatusCode::OK);

    // Beyond 100 hubs (these claim a schema they lack: reading one would
    // fail), the page asks for a hub rather than read them all; one hub
    // still reads.
    hub_rows(w.pool(), 99).await;
    sqlx::query("UPDATE tenants SET schema_version = 1 WHERE slug LIKE 'hub-%'")
        .execute(w.pool())
        .await
        .expect("ready");
    let many = text(&op.page("/operator/audit").await);
    assert!(
        many.contains("There are more than 100 hubs: choose a hub"),
        "{many}"
    );
    assert!(order(&many).is_empty());
    let one = text(&op.page("/operator/audit?hub=acme").await);
    assert_eq!(order(&one), ["acme hub.suspend", "acme branding.publish"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registered_plugin_is_listed_with_its_version_hooks_and_uploader() {
    let w = world().await;
    let op = w.operator().await;
    assert!(text(&op.page("/operator/plugins").await).contains("No plugin has been uploaded yet"));
    sqlx::query(
        "INSERT INTO plugins (id, name, version, uploaded_by, uploaded_via, size_bytes, hooks, wasm) \
         VALUES ($1, 'Seasonal credits', '1.2.0', $2, 'cli', 4, ARRAY['credit_cost', 'period_grant'], '\\x0061736d')",
    )
    .bind("ab".repeat(32))
    .bind(w.operator)
    .execute(w.pool())
    .await
    .expect("plugin");
    let page = text(&op.page("/operator/plugins").await);
    assert!(page.contains("<strong>Seasonal credits</strong>"), "{page}");
    assert!(page.contains("<td>1.2.0</td>"));
    assert!(page.contains("<code>credit_cost</code>, <code>period_grant</code>"));
    assert!(page.contains(&"ab".repeat(6)));
    assert!(page.contains("Olga Operator"));
    // Read-only: no form posts anywhere from it.
    assert!(!page.contains("method=\"post\" action=\"/operator/plugins"));

    // In Icelandic, the three pages and their nav.
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(w.operator)
        .execute(w.pool())
        .await
        .expect("language");
    let page = text(&op.page("/operator/plugins").await);
    assert!(page.contains("<h1>Viðbætur</h1>"), "{page}");
    assert!(page.contains("1 viðbót"));
    assert!(page.contains(">Endursöluaðilar</a>") && page.contains(">Breytingaskrá</a>"));
    let page = text(&op.page("/operator/resellers").await);
    assert!(page.contains("Nýr endursöluaðili"), "{page}");
    let page = text(&op.page("/operator/audit").await);
    assert!(page.contains("Miðstöð (stutta heitið)"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_one_but_an_operator_reaches_resellers_the_audit_log_or_plugins_and_csrf_is_required() {
    let w = world().await;
    let acme = w.app.db.hub("acme", "Acme Ltd").await;
    let op = w.operator().await;
    let token = csrf_of(&op.page("/operator/resellers").await);
    op.post(
        "/operator/resellers",
        &token,
        &[("slug", "north"), ("name", "North Partners")],
    )
    .await;
    let client = user(w.pool(), "carl@client.example", "Carl Client", "UTC").await;
    let hr = user(w.pool(), "hanna@acme.example", "Hanna HR", "UTC").await;
    in_hub(
        w.pool(),
        &acme,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(hr),
    )
    .await;
    let rita = user(w.pool(), "rita@north.example", "Rita Reseller", "UTC").await;
    sqlx::query("INSERT INTO reseller_admins (reseller_id, user_id) SELECT id, $1 FROM resellers")
        .bind(rita)
        .execute(w.pool())
        .await
        .expect("reseller admin");
    let gets = [
        "/operator/resellers",
        "/operator/audit",
        "/operator/plugins",
    ];
    let posts: [(&str, &[(&str, &str)]); 2] = [
        (
            "/operator/resellers",
            &[("slug", "south"), ("name", "South Partners")],
        ),
        (
            "/operator/resellers/north/admins",
            &[("email", "carl@client.example")],
        ),
    ];
    let hub = format!("{}/h/acme", w.app.address);
    for (who, id, base) in [
        ("a client", client, w.app.address.clone()),
        ("an HR admin", hr, w.app.address.clone()),
        ("an HR admin in their hub", hr, hub.clone()),
        ("a reseller admin", rita, w.app.address.clone()),
    ] {
        let b = browser_for(w.pool(), &base, id).await;
        let token = csrf_of(&b.page("/account/password").await);
        for path in gets {
            assert_eq!(
                b.get(path).await.status(),
                StatusCode::FORBIDDEN,
                "{who}: GET {path}"
            );
        }
        for (path, fields) in posts {
            let r = b.post(path, &token, fields).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who}: POST {path}");
        }
    }
    // The operator without a token, with a wrong one, or from another origin.
    for (path, fields) in posts {
        let url = format!("{}{path}", w.app.address);
        let wrong = "0".repeat(43);
        let with = |csrf: &str| {
            let mut form: Vec<(&str, String)> =
                fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
            form.push(("csrf", csrf.to_owned()));
            form
        };
        for request in [
            op.client.post(&url).form(fields),
            op.client.post(&url).form(&with(&wrong)),
            op.client
                .post(&url)
                .header("origin", "https://evil.example")
                .form(&with(&token)),
            op.client
                .post(&url)
                .header("sec-fetch-site", "cross-site")
                .form(&with(&token)),
        ] {
            let r = request.send().await.expect("POST");
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {path}");
        }
    }
    // Nothing was made.
    assert_eq!(count(w.pool(), "SELECT count(*) FROM resellers").await, 1);
    assert_eq!(
        count(w.pool(), "SELECT count(*) FROM reseller_admins").await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_resellers_audit_and_plugins_pages_are_accessible_in_chromium_at_phone_and_desktop_widths(
) {
    let driver = chromedriver().await;
    let axe = axe_source();
    let w = world().await;
    let acme = w
        .app
        .db
        .hub("aurora-care", "Aurora Care and Wellbeing Partners hf.")
        .await;
    in_hub(
        w.pool(),
        &acme,
        "INSERT INTO audit_log (actor_id, action, detail) \
         VALUES ($1, 'hub.suspend', '{\"before\": \"active\", \"after\": \"suspended\"}')",
        Some(w.operator),
    )
    .await;
    sqlx::query(
        "INSERT INTO resellers (slug, name) VALUES ('north', 'Northern Resellers ehf.'), \
                ('arctic-wellbeing-partners', 'Arctic Wellbeing Partners and Associates')",
    )
    .execute(w.pool())
    .await
    .expect("resellers");
    sqlx::query(
        "INSERT INTO plugins (id, name, version, uploaded_by, uploaded_via, size_bytes, hooks, wasm) \
         VALUES ($1, 'Seasonal credits', '1.2.0', $2, 'cli', 4, ARRAY['credit_cost', 'period_grant'], '\\x0061736d')",
    )
    .bind("ab".repeat(32))
    .bind(w.operator)
    .execute(w.pool())
    .await
    .expect("plugin");

    let token = session_token(w.pool(), w.operator).await;
    let client = browser(&driver).await;
    sign_in(&client, &w.app.address, &token).await;
    let shots = screenshot_dir();
    for width in [375, 1280] {
        for (path, shot) in [
            ("/operator/resellers", "operator-resellers"),
            ("/operator/audit", "operator-audit"),
            ("/operator/plugins", "operator-plugins"),
        ] {
            client.set_window_size(width, 900).await.expect("resize");
            client
                .goto(&format!("{}{path}", w.app.address))
                .await
                .expect(path);
            if path == "/operator/resellers" {
                // A refused add-admin form: its error next to its field.
                let field = client
                    .find(fantoccini::Locator::Id("f-email-north"))
                    .await
                    .expect("the email field");
                field.send_keys("nobody@example.com").await.expect("type");
                field.send_keys("\u{E007}").await.expect("submit");
                client
                    .wait()
                    .for_element(fantoccini::Locator::Id("e-email-north"))
                    .await
                    .expect("the error");
            }
            let overflow: serde_json::Value = client
                .execute(
                    "return document.documentElement.scrollWidth > window.innerWidth;",
                    vec![],
                )
                .await
                .expect("overflow");
            assert_eq!(overflow, false, "{path} at {width}px scrolls sideways");
            let violations = serious_violations(&client, &axe).await;
            assert!(
                violations.is_empty(),
                "axe-core: {path} at {width}px:\n{}",
                describe(&violations)
            );
            full_page_screenshot(&client, width, &shots.join(format!("{shot}-{width}.png"))).await;
        }
    }
    client.close().await.expect("close the browser");
}
