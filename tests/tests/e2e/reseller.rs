//! The reseller console over real HTTP, real PostgreSQL and a real SMTP
//! capture: a reseller admin onboards a company from the form, its hub
//! answers at once and its first HR admin, emailed, reaches Hub settings
//! (a new account after choosing a password; an existing one at once);
//! refusals are shown next to their fields and make nothing; a reseller
//! admin sees and changes only their own reseller's hubs (an admin of two
//! works for one at a time, by `?r=`); no other role reaches the console,
//! and no hub serves it; figures about fewer than five people read "fewer
//! than 5" and no member is named; CSRF is required; reseller admins land on
//! the console and find it in their menu.

use std::sync::Arc;

use hearth_core::credits::CreditPolicy;
use hearth_tenants::provision::{create_tenant, NewTenant};
use hearth_tenants::{Tenant, TenantMigrator, TenantTx};
use hearth_tests::browser::{csrf_of, location, mail_text, Browser, PASSWORD};
use hearth_tests::fixtures::{browser_for, in_hub, member, reseller, user};
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};
use reqwest::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

struct World {
    app: TestApp,
    smtp: SmtpServer,
    /// Reseller "nordic" and its admin Rita.
    nordic: i64,
    rita: Uuid,
    /// Reseller "baltic" and its admin Bo.
    baltic: i64,
    bo: Uuid,
}

impl World {
    fn pool(&self) -> &PgPool {
        &self.app.db.pool
    }

    /// Rita's browser on the platform.
    async fn rita(&self) -> Browser {
        browser_for(self.pool(), &self.app.address, self.rita).await
    }

    /// Provisions hub `slug` for reseller `reseller`.
    async fn hub(&self, slug: &str, name: &str, reseller: i64) -> Tenant {
        create_tenant(
            self.pool(),
            &TenantMigrator::embedded(),
            &NewTenant {
                slug: slug.into(),
                name: name.into(),
                reseller_id: Some(reseller),
            },
        )
        .await
        .expect("provision hub")
    }
}

async fn world() -> World {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_mailing(db, &smtp).await;
    let pool = &app.db.pool;
    let rita = user(pool, "rita@nordic.example", "Rita Reseller", "UTC").await;
    let bo = user(pool, "bo@baltic.example", "Bo Baltic", "UTC").await;
    let nordic = reseller(pool, "nordic", "Nordic Wellbeing", rita).await;
    let baltic = reseller(pool, "baltic", "Baltic Care", bo).await;
    World {
        app,
        smtp,
        nordic,
        rita,
        baltic,
        bo,
    }
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

async fn status_of(pool: &PgPool, slug: &str) -> String {
    sqlx::query_scalar("SELECT status FROM tenants WHERE slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .expect("status")
}

/// The page's text with tera's escaping of `/` undone.
fn text(page: &str) -> String {
    page.replace("&#x2F;", "/")
}

/// The path (from `/h/`) of the link in an email's text.
fn link_in(mail: &str, marker: &str) -> String {
    let at = mail.find(marker).expect("a link in the email");
    mail[at..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned()
}

async fn set_password(pool: &PgPool, id: Uuid) {
    let hash = hearth_core::accounts::password::hash(PASSWORD.to_owned())
        .await
        .expect("hash");
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(pool)
        .await
        .expect("password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reseller_admin_onboards_a_company_and_its_new_hr_admin_reaches_hub_settings() {
    let w = world().await;
    let rita = w.rita().await;
    let home = rita.page("/reseller").await;
    assert!(home.contains("Nordic Wellbeing: companies"), "{home}");
    assert!(home.contains("No companies yet"));

    let r = rita
        .submit(
            "/reseller/companies/new",
            "/reseller/companies/new",
            &[
                ("name", "Globex Corporation"),
                ("slug", "globex"),
                ("plan", "standard"),
                ("credits", "0"),
                ("period", "12"),
                ("email", "Hana@Globex.example"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/reseller?done=onboarded");
    let list = rita.page("/reseller?done=onboarded").await;
    assert!(
        list.contains("The company&#x27;s hub is ready")
            || list.contains("The company's hub is ready"),
        "{list}"
    );
    assert!(list.contains("Globex Corporation") && list.contains("globex"));

    // The hub answers at once, and is the reseller's.
    let hub = w.app.get_hub("globex", "/").await;
    assert_eq!(hub.status(), StatusCode::OK);
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT reseller_id FROM tenants WHERE slug = 'globex'")
            .fetch_one(w.pool())
            .await
            .expect("hub");
    assert_eq!(owner, Some(w.nordic));

    // The HR admin's email: a link to choose a password on the hub.
    let (to, subject, mail) = mail_text(&w.smtp, 1).await;
    assert!(to.to_lowercase().contains("hana@globex.example"), "{to}");
    assert!(subject.contains("Globex Corporation"), "{subject}");
    assert!(mail.contains("Nordic Wellbeing"), "{mail}");
    let link = link_in(&mail, "/h/globex/reset/");
    let path = link.trim_start_matches("/h/globex");
    let hana = Browser::new(format!("{}/h/globex", w.app.address));
    let r = hana.submit(path, path, &[("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    // The link is spent.
    let again = hana.page(path).await;
    assert!(!again.contains("name=\"password\""));

    hana.login("hana@globex.example").await;
    let r = hana.get("/admin").await;
    if location(&r).ends_with("/terms") {
        let r = hana.submit("/terms", "/terms", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let admin = hana.get("/admin").await;
    assert_eq!(admin.status(), StatusCode::OK, "{}", location(&admin));
    // Hana is its HR admin, and the audit log says who named her.
    let role: String = sqlx::query_scalar(
        "SELECT m.role FROM member_directory m JOIN users u ON u.id = m.user_id \
         JOIN tenants t ON t.id = m.tenant_id WHERE t.slug = 'globex' AND u.email = 'Hana@Globex.example'",
    )
    .fetch_one(w.pool())
    .await
    .expect("member");
    assert_eq!(role, "hr_admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_account_named_hr_admin_reaches_hub_settings_from_the_email() {
    let w = world().await;
    let ivan = user(w.pool(), "ivan@initech.example", "Ivan Initech", "UTC").await;
    let rita = w.rita().await;
    let r = rita
        .submit(
            "/reseller/companies/new",
            "/reseller/companies/new",
            &[
                ("name", "Initech"),
                ("slug", "initech"),
                ("plan", "standard"),
                ("credits", "0"),
                ("period", "12"),
                ("email", "ivan@initech.example"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/reseller?done=onboarded");
    let (to, _, mail) = mail_text(&w.smtp, 1).await;
    assert!(to.contains("ivan@initech.example"));
    assert!(mail.contains("Hello Ivan Initech"), "{mail}");
    let link = link_in(&mail, "/h/initech/admin");
    assert_eq!(link, "/h/initech/admin");
    assert_eq!(
        count(
            w.pool(),
            "SELECT count(*) FROM users WHERE lower(email) = 'ivan@initech.example'"
        )
        .await,
        1,
        "no second account"
    );
    let b = browser_for(w.pool(), &format!("{}/h/initech", w.app.address), ivan).await;
    assert_eq!(b.get("/admin").await.status(), StatusCode::OK);
}

/// Fields sent, the field refused and words of its message.
type Refusal = (
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_shown_next_to_their_fields_and_make_nothing() {
    let w = world().await;
    w.hub("acme", "Acme Ltd", w.baltic).await;
    let rita = w.rita().await;
    let hubs = count(w.pool(), "SELECT count(*) FROM tenants").await;
    let users = count(w.pool(), "SELECT count(*) FROM users").await;
    let cases: &[Refusal] = &[
        (
            &[
                ("name", "Acme"),
                ("slug", "acme"),
                ("email", "a@acme.example"),
            ],
            "slug",
            "Another hub has this slug",
        ),
        (
            &[
                ("name", "Acme"),
                ("slug", "Bad Slug"),
                ("email", "a@acme.example"),
            ],
            "slug",
            "only lowercase letters",
        ),
        (
            &[
                ("name", "Acme"),
                ("slug", "-acme"),
                ("email", "a@acme.example"),
            ],
            "slug",
            "start and end with a letter",
        ),
        (
            &[
                ("name", "Acme"),
                ("slug", "admin"),
                ("email", "a@acme.example"),
            ],
            "slug",
            "kept for the platform",
        ),
        (
            &[
                ("name", "Acme"),
                ("slug", "ac"),
                ("email", "a@acme.example"),
            ],
            "slug",
            "3 to 40 characters",
        ),
        (
            &[
                ("name", "Acme"),
                ("slug", "acme-two"),
                ("email", "not-an-email"),
            ],
            "email",
            "valid email address",
        ),
        (
            &[
                ("name", "   "),
                ("slug", "acme-two"),
                ("email", "a@acme.example"),
            ],
            "name",
            "company&#x27;s name",
        ),
    ];
    for (fields, field, message) in cases {
        let mut form = fields.to_vec();
        form.extend([("plan", "standard"), ("credits", "0"), ("period", "12")]);
        let r = rita
            .submit("/reseller/companies/new", "/reseller/companies/new", &form)
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let page = r.text().await.expect("body");
        assert!(
            page.contains(&format!("id=\"e-{field}\"")),
            "{field}: {page}"
        );
        assert!(page.contains(message), "{message}: {page}");
        // What was typed is kept.
        assert!(page.contains("value=\"Acme\"") || *field == "name");
    }
    let r = rita
        .submit(
            "/reseller/companies/new",
            "/reseller/companies/new",
            &[
                ("name", "Acme"),
                ("slug", "acme-two"),
                ("plan", "gold"),
                ("email", "a@acme.example"),
                ("credits", "0"),
                ("period", "12"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(w.pool(), "SELECT count(*) FROM tenants").await, hubs);
    assert_eq!(count(w.pool(), "SELECT count(*) FROM users").await, users);
    assert_eq!(
        count(w.pool(), "SELECT count(*) FROM email_outbox").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reseller_admin_sees_and_changes_only_their_own_companies() {
    let w = world().await;
    w.hub("fjord", "Fjord Fisheries", w.nordic).await;
    w.hub("amber", "Amber Logistics", w.baltic).await;
    let rita = w.rita().await;
    let list = rita.page("/reseller").await;
    assert!(list.contains("Fjord Fisheries"));
    assert!(!list.contains("Amber") && !list.contains("amber"));
    let found = rita.page("/reseller?q=amber").await;
    assert!(!found.contains("Amber Logistics") && found.contains("No company matches"));
    let found = rita.page("/reseller?q=FJO").await;
    assert!(found.contains("Fjord Fisheries"));
    // Another reseller's hub, by slug: a 404 for both actions, nothing changed.
    let token = csrf_of(&list);
    for action in ["suspend", "resume"] {
        for slug in ["amber", "nosuch", "Amber"] {
            let r = rita
                .post(&format!("/reseller/companies/{slug}/{action}"), &token, &[])
                .await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{action} {slug}");
        }
    }
    assert_eq!(status_of(w.pool(), "amber").await, "active");
    // Choosing the other reseller is refused.
    assert_eq!(
        rita.get("/reseller?r=baltic").await.status(),
        StatusCode::FORBIDDEN
    );
    let r = rita
        .post("/reseller/companies/amber/suspend?r=baltic", &token, &[])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(status_of(w.pool(), "amber").await, "active");
    // Their own hub: suspended, then resumed.
    let r = rita
        .post(
            "/reseller/companies/fjord/suspend",
            &token,
            &[("q", "fj"), ("page", "1")],
        )
        .await;
    assert_eq!(location(&r), "/reseller?done=suspended&q=fj");
    assert_eq!(status_of(w.pool(), "fjord").await, "suspended");
    let page = rita.page("/reseller?done=suspended").await;
    assert!(page.contains("/reseller/companies/fjord/resume"));
    let r = rita
        .post("/reseller/companies/fjord/resume", &token, &[])
        .await;
    assert_eq!(location(&r), "/reseller?done=resumed");
    assert_eq!(status_of(w.pool(), "fjord").await, "active");
    // Bo sees his and not Rita's.
    let bo = browser_for(w.pool(), &w.app.address, w.bo).await;
    let list = bo.page("/reseller").await;
    assert!(list.contains("Amber Logistics") && !list.contains("Fjord"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_other_role_reaches_the_console_and_no_hub_serves_it() {
    let w = world().await;
    let acme = w.hub("acme", "Acme Ltd", w.nordic).await;
    let hr = user(w.pool(), "hr@acme.example", "Hilda HR", "UTC").await;
    in_hub(
        w.pool(),
        &acme,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(hr),
    )
    .await;
    let client = user(w.pool(), "cleo@example.com", "Cleo Client", "UTC").await;
    let pro =
        hearth_tests::fixtures::professional(w.pool(), "pat@pro.example", "Pat Pro", "UTC", 0, &[])
            .await;
    for (who, id) in [("hr admin", hr), ("client", client), ("professional", pro)] {
        for base in [w.app.address.clone(), format!("{}/h/acme", w.app.address)] {
            let b = browser_for(w.pool(), &base, id).await;
            let token = csrf_of(&b.page("/account/password").await);
            for path in ["/reseller", "/reseller/companies/new"] {
                let r = b.get(path).await;
                assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who} GET {base}{path}");
            }
            for path in [
                "/reseller/companies/new",
                "/reseller/companies/acme/suspend",
            ] {
                let r = b
                    .post(
                        path,
                        &token,
                        &[("name", "X"), ("slug", "xxx"), ("email", "x@x.example")],
                    )
                    .await;
                assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who} POST {base}{path}");
            }
        }
    }
    assert_eq!(status_of(w.pool(), "acme").await, "active");
    // The reseller admin inside a hub: no such page.
    let rita = browser_for(w.pool(), &format!("{}/h/acme", w.app.address), w.rita).await;
    let r = rita.get("/reseller").await;
    assert!(
        matches!(r.status(), StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{}",
        r.status()
    );
    // Not signed in: asked to log in.
    let anonymous = Browser::new(w.app.address.clone());
    assert!(location(&anonymous.get("/reseller").await).starts_with("/login?next="));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn figures_about_fewer_than_five_read_so_and_no_member_is_named() {
    let w = world().await;
    let small = w.hub("smallco", "Small Co", w.nordic).await;
    let big = w.hub("bigco", "Big Co", w.nordic).await;
    let mut people = Vec::new();
    for (i, name) in ["Alma Alpha", "Birna Beta", "Cara Gamma"]
        .iter()
        .enumerate()
    {
        let id = user(w.pool(), &format!("p{i}@small.example"), name, "UTC").await;
        member(w.pool(), &small, id).await;
        people.push((name.to_string(), format!("p{i}@small.example")));
    }
    for i in 0..6 {
        let id = user(
            w.pool(),
            &format!("q{i}@big.example"),
            &format!("Big Person{i}"),
            "UTC",
        )
        .await;
        member(w.pool(), &big, id).await;
        // Granted 2 credits each this benefit period.
        let mut tx = TenantTx::begin(w.pool(), &big).await.expect("hub");
        let start = CreditPolicy::load(&mut tx)
            .await
            .expect("policy")
            .period_at(chrono::Utc::now())
            .start;
        sqlx::query(
            "INSERT INTO credit_ledger (user_id, kind, amount, balance_after, period_start) \
             VALUES ($1, 'grant', 2, 2, $2)",
        )
        .bind(id)
        .bind(start)
        .execute(&mut *tx)
        .await
        .expect("grant");
        tx.commit().await.expect("commit");
    }

    let rita = w.rita().await;
    let page = rita.page("/reseller").await;
    // Small Co's row: members read "fewer than 5"; Big Co's: 6.
    let row = |name: &str| -> String {
        let at = page.find(name).expect("row");
        page[at..].split("</tr>").next().expect("row").to_owned()
    };
    assert!(
        row("Small Co").contains("fewer than 5"),
        "{}",
        row("Small Co")
    );
    assert!(!row("Small Co").contains(">3"));
    assert!(
        row("Big Co").contains("<td>6 members</td>"),
        "{}",
        row("Big Co")
    );
    for (name, email) in &people {
        assert!(!page.contains(name.as_str()) && !page.contains(email.as_str()));
    }
    assert!(!page.contains("Big Person"));
    assert!(
        row("Big Co").contains("12 granted, fewer than 5 used"),
        "{}",
        row("Big Co")
    );
    assert!(row("Small Co").contains("fewer than 5 granted, fewer than 5 used"));
    // In Icelandic too.
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(w.rita)
        .execute(w.pool())
        .await
        .expect("language");
    let page = rita.page("/reseller").await;
    assert!(page.contains("Fyrirtæki"), "{page}");
    assert!(!page.contains("fewer than 5"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_and_suspending_need_the_csrf_token() {
    let w = world().await;
    w.hub("fjord", "Fjord Fisheries", w.nordic).await;
    let rita = w.rita().await;
    let _ = rita.page("/reseller").await;
    let hubs = count(w.pool(), "SELECT count(*) FROM tenants").await;
    let fields = [
        ("name", "Globex"),
        ("slug", "globex"),
        ("plan", "standard"),
        ("credits", "0"),
        ("period", "12"),
        ("email", "h@globex.example"),
    ];
    for token in ["", &"0".repeat(43)] {
        let r = rita.post("/reseller/companies/new", token, &fields).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = rita
            .post("/reseller/companies/fjord/suspend", token, &[])
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let token = csrf_of(&rita.page("/reseller").await);
    let r = rita
        .client
        .post(format!("{}/reseller/companies/new", w.app.address))
        .header("origin", "https://evil.example")
        .form(&[
            ("csrf", token.as_str()),
            ("name", "Globex"),
            ("slug", "globex"),
            ("plan", "standard"),
            ("credits", "0"),
            ("period", "12"),
            ("email", "h@globex.example"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(w.pool(), "SELECT count(*) FROM tenants").await, hubs);
    assert_eq!(status_of(w.pool(), "fjord").await, "active");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reseller_admins_land_on_their_console_and_find_it_in_their_menu() {
    let w = world().await;
    set_password(w.pool(), w.rita).await;
    let b = Browser::new(w.app.address.clone());
    let r = b
        .submit(
            "/login",
            "/login",
            &[("email", "rita@nordic.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(location(&r), "/reseller");
    let home = text(&b.page("/reseller").await);
    assert!(home.contains(
        "<a class=\"button secondary small role-link\" href=\"/reseller\">Reseller console</a>"
    ));
    // A client's menu offers no console.
    let client = user(w.pool(), "cleo@example.com", "Cleo Client", "UTC").await;
    let b = browser_for(w.pool(), &w.app.address, client).await;
    assert!(!b.page("/dashboard").await.contains("Reseller console"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_of_two_resellers_works_for_one_at_a_time() {
    let w = world().await;
    // Rita also admins "arctic", first by name.
    let arctic = reseller(w.pool(), "arctic", "Arctic Health", w.rita).await;
    w.hub("fjord", "Fjord Fisheries", w.nordic).await;
    w.hub("floe", "Floe Foods", arctic).await;
    let rita = w.rita().await;
    let first = rita.page("/reseller").await;
    assert!(first.contains("Arctic Health: companies"), "{first}");
    assert!(first.contains("Floe Foods") && !first.contains("Fjord Fisheries"));
    let nordic = rita.page("/reseller?r=nordic").await;
    assert!(nordic.contains("Fjord Fisheries") && !nordic.contains("Floe Foods"));
    // Links and forms keep the reseller chosen.
    assert!(text(&nordic).contains("/reseller/companies/fjord/suspend?r=nordic"));
    // Acting for one reseller on the other's hub: a 404, nothing changed.
    let token = csrf_of(&nordic);
    let r = rita
        .post("/reseller/companies/floe/suspend?r=nordic", &token, &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(status_of(w.pool(), "floe").await, "active");
    let r = rita
        .post("/reseller/companies/fjord/suspend?r=nordic", &token, &[])
        .await;
    assert_eq!(location(&r), "/reseller?r=nordic&done=suspended");
    assert_eq!(status_of(w.pool(), "fjord").await, "suspended");
    // Onboarding for the reseller chosen.
    let r = rita
        .submit(
            "/reseller/companies/new?r=nordic",
            "/reseller/companies/new?r=nordic",
            &[
                ("name", "Geyser Games"),
                ("slug", "geyser"),
                ("plan", "standard"),
                ("credits", "0"),
                ("period", "12"),
                ("email", "gia@geyser.example"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/reseller?r=nordic&done=onboarded");
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT reseller_id FROM tenants WHERE slug = 'geyser'")
            .fetch_one(w.pool())
            .await
            .expect("hub");
    assert_eq!(owner, Some(w.nordic));
}

/// A video session of `client` paid by `hub`, `slot` hours after `sql_start`
/// (an SQL expression), confirmed or cancelled.
async fn booked(
    pool: &PgPool,
    hub: &Tenant,
    (pro, client): (Uuid, Uuid),
    (sql_start, slot): (&str, i32),
    status: &str,
) {
    let id = Uuid::new_v4();
    sqlx::query(&format!(
        "INSERT INTO appointments (id, professional_id, client_id, tenant_id, service_name, mode, session_type, \
           starts_at, ends_at, blocked_until, status, cancelled_at, credits) \
         SELECT $1, $2, $3, $4, 'Talk', 'video', 'individual', s, s + interval '50 minutes', s + interval '50 minutes', $5, \
           CASE WHEN $5 = 'cancelled' THEN now() END, 1 FROM (SELECT {sql_start} + interval '1 hour' * {slot} AS s) t"
    ))
    .bind(id)
    .bind(pro)
    .bind(client)
    .bind(hub.id.0)
    .bind(status)
    .execute(pool)
    .await
    .expect("appointment");
    let mut tx = TenantTx::begin(pool, hub).await.expect("hub");
    sqlx::query(
        "INSERT INTO hub_bookings (appointment_id, user_id, credits, period_start) VALUES ($1, $2, 1, current_date)",
    )
    .bind(id)
    .bind(client)
    .execute(&mut *tx)
    .await
    .expect("booking");
    tx.commit().await.expect("commit");
}

/// A ledger entry of `kind` and `amount` for `member` of `hub`, at `sql_at`.
async fn entry(
    pool: &PgPool,
    hub: &Tenant,
    member: Uuid,
    (kind, amount): (&str, i32),
    sql_at: &str,
) {
    let mut tx = TenantTx::begin(pool, hub).await.expect("hub");
    sqlx::query(&format!(
        "INSERT INTO credit_ledger (user_id, kind, amount, balance_after, period_start, at) \
         VALUES ($1, $2, $3, 0, current_date, {sql_at})"
    ))
    .bind(member)
    .bind(kind)
    .bind(amount)
    .execute(&mut *tx)
    .await
    .expect("ledger entry");
    tx.commit().await.expect("commit");
}

/// Last month, some days in (UTC, the hubs' timezone here).
const LAST_MONTH: &str = "(date_trunc('month', now()) - interval '10 days')";
/// This month's first day.
const THIS_MONTH: &str = "date_trunc('month', now())";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_statement_bills_each_company_without_naming_anyone() {
    let w = world().await;
    let big = w.hub("bigco", "Big Co", w.nordic).await;
    let small = w.hub("smallco", "Small Co", w.nordic).await;
    let amber = w.hub("amber", "Amber Logistics", w.baltic).await;
    let pro =
        hearth_tests::fixtures::professional(w.pool(), "pat@pro.example", "Pat Pro", "UTC", 0, &[])
            .await;
    let mut slot = 0;
    let mut everyone = Vec::new();
    for i in 0..6 {
        let email = format!("q{i}@big.example");
        let id = user(w.pool(), &email, &format!("Big Person{i}"), "UTC").await;
        member(w.pool(), &big, id).await;
        everyone.push((format!("Big Person{i}"), email));
        // Last month: a session held and one cancelled; this month: one more.
        booked(w.pool(), &big, (pro, id), (LAST_MONTH, slot), "confirmed").await;
        booked(
            w.pool(),
            &big,
            (pro, id),
            (LAST_MONTH, slot + 1),
            "cancelled",
        )
        .await;
        slot += 2;
        entry(w.pool(), &big, id, ("debit", -2), LAST_MONTH).await;
        entry(w.pool(), &big, id, ("grant", 10), LAST_MONTH).await;
    }
    // One refund last month, and one debit this month.
    let q0: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'q0@big.example'")
        .fetch_one(w.pool())
        .await
        .expect("q0");
    entry(w.pool(), &big, q0, ("refund", 1), LAST_MONTH).await;
    entry(w.pool(), &big, q0, ("debit", -3), THIS_MONTH).await;
    booked(w.pool(), &big, (pro, q0), (THIS_MONTH, 1), "confirmed").await;
    for i in 0..3 {
        let email = format!("p{i}@small.example");
        let id = user(w.pool(), &email, &format!("Small Person{i}"), "UTC").await;
        member(w.pool(), &small, id).await;
        everyone.push((format!("Small Person{i}"), email));
        booked(w.pool(), &small, (pro, id), (LAST_MONTH, slot), "confirmed").await;
        slot += 1;
        entry(w.pool(), &small, id, ("debit", -1), LAST_MONTH).await;
    }
    let other = user(w.pool(), "o@amber.example", "Amber Person", "UTC").await;
    member(w.pool(), &amber, other).await;

    let rita = w.rita().await;
    // The console offers the statement, last month by default.
    let home = text(&rita.page("/reseller").await);
    assert!(
        home.contains("action=\"/reseller/statement.csv\""),
        "{home}"
    );
    use chrono::Datelike;
    let last = (chrono::Utc::now().date_naive().with_day(1).expect("day")
        - chrono::Duration::days(1))
    .format("%Y-%m")
    .to_string();
    assert!(home.contains(&format!("value=\"{last}\"")), "{home}");

    let r = rita.get("/reseller/statement.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(kind.starts_with("text/csv"), "{kind}");
    let disposition = r
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        disposition.contains(&format!("nordic-statement-{last}.csv")),
        "{disposition}"
    );
    let csv = r.text().await.expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "\"Slug\",\"Company\",\"Status\",\"Active members\",\"Sessions that month\",\"Credits used that month\"",
            "\"bigco\",\"Big Co\",\"Serving\",\"6\",\"6\",\"11\"",
            "\"smallco\",\"Small Co\",\"Serving\",\"fewer than 5\",\"fewer than 5\",\"fewer than 5\"",
        ],
        "{csv}"
    );
    for (name, email) in &everyone {
        assert!(!csv.contains(name.as_str()) && !csv.contains(email.as_str()));
    }
    assert!(!csv.contains("amber") && !csv.contains("Amber"));
    assert!(!csv.contains("Pat Pro") && !csv.contains("@"));

    // The same month asked by name; this month: one session, by one person.
    let same = rita
        .get(&format!("/reseller/statement.csv?month={last}"))
        .await
        .text()
        .await
        .expect("csv");
    assert_eq!(same, csv);
    let now = chrono::Utc::now().format("%Y-%m").to_string();
    let this = rita
        .get(&format!("/reseller/statement.csv?month={now}"))
        .await
        .text()
        .await
        .expect("csv");
    assert!(
        this.contains("\"bigco\",\"Big Co\",\"Serving\",\"6\",\"fewer than 5\",\"fewer than 5\""),
        "{this}"
    );

    // A malformed month, or one outside 2000-01 to this month: refused plainly.
    for bad in [
        "2026-13",
        "2026-1",
        "abc",
        "1999-12",
        "9999-01",
        "2026-11-01",
    ] {
        let r = rita
            .get(&format!("/reseller/statement.csv?month={bad}"))
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let page = r.text().await.expect("body");
        assert!(page.contains("Choose a month"), "{bad}: {page}");
    }

    // Bo's statement is Baltic's: Amber only.
    let bo = browser_for(w.pool(), &w.app.address, w.bo).await;
    let theirs = bo.page("/reseller/statement.csv").await;
    assert!(theirs.contains("\"amber\",\"Amber Logistics\""), "{theirs}");
    assert!(!theirs.contains("bigco") && !theirs.contains("smallco"));
    // Rita cannot ask for Baltic's, and no one else may have any.
    assert_eq!(
        rita.get("/reseller/statement.csv?r=baltic").await.status(),
        StatusCode::FORBIDDEN
    );
    let client = browser_for(w.pool(), &w.app.address, other).await;
    assert_eq!(
        client.get("/reseller/statement.csv").await.status(),
        StatusCode::FORBIDDEN
    );

    // In Icelandic, the headings and "fewer than 5" are too.
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(w.rita)
        .execute(w.pool())
        .await
        .expect("language");
    let is = rita.page("/reseller/statement.csv").await;
    assert!(
        is.contains("færri en 5") && is.contains("Tímar þann mánuð"),
        "{is}"
    );
}

async fn admins_of(pool: &PgPool, reseller: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM reseller_admins WHERE reseller_id = $1")
        .bind(reseller)
        .fetch_one(pool)
        .await
        .expect("admins")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_colleague_sets_a_password_and_opens_the_console() {
    let w = world().await;
    let rita = w.rita().await;
    let home = text(&rita.page("/reseller").await);
    assert!(home.contains("Invite a colleague"), "{home}");
    assert!(home.contains("action=\"/reseller/admins\""), "{home}");
    let r = rita
        .submit(
            "/reseller",
            "/reseller/admins",
            &[("email", "Nina@Nordic.example")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/reseller/admins?done=invited");
    let list = rita.page("/reseller/admins?done=invited").await;
    assert!(list.contains("Your colleague is an admin now"), "{list}");
    assert!(
        list.contains("Rita Reseller") && list.contains("Nina"),
        "{list}"
    );
    assert_eq!(admins_of(w.pool(), w.nordic).await, 2);

    let (to, subject, mail) = mail_text(&w.smtp, 1).await;
    assert!(to.to_lowercase().contains("nina@nordic.example"), "{to}");
    assert!(subject.contains("Nordic Wellbeing"), "{subject}");
    assert!(mail.contains("Rita Reseller"), "{mail}");
    let path = link_in(&mail, "/reset/");
    let nina = Browser::new(w.app.address.clone());
    // Not before the password is set: the account has none.
    let r = nina
        .submit(
            "/login",
            "/login",
            &[("email", "nina@nordic.example"), ("password", PASSWORD)],
        )
        .await;
    assert_ne!(location(&r), "/reseller");
    let r = nina.submit(&path, &path, &[("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    nina.login("nina@nordic.example").await;
    let r = nina.get("/reseller").await;
    if location(&r).ends_with("/terms") {
        let r = nina.submit("/terms", "/terms", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let console = nina.page("/reseller").await;
    assert!(console.contains("Nordic Wellbeing: companies"), "{console}");
    // Nordic only.
    assert_eq!(
        nina.get("/reseller?r=baltic").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_account_invited_is_an_admin_at_once_and_only_once() {
    let w = world().await;
    let ivan = user(w.pool(), "ivan@initech.example", "Ivan Initech", "UTC").await;
    let users = count(w.pool(), "SELECT count(*) FROM users").await;
    let rita = w.rita().await;
    let r = rita
        .submit(
            "/reseller/admins",
            "/reseller/admins",
            &[("email", "IVAN@initech.example")],
        )
        .await;
    assert_eq!(location(&r), "/reseller/admins?done=invited");
    let (to, _, mail) = mail_text(&w.smtp, 1).await;
    assert!(to.contains("ivan@initech.example"));
    assert!(mail.contains("Hello Ivan Initech"), "{mail}");
    assert!(
        link_in(&mail, "/reseller").starts_with("/reseller"),
        "{mail}"
    );
    assert_eq!(count(w.pool(), "SELECT count(*) FROM users").await, users);
    let b = browser_for(w.pool(), &w.app.address, ivan).await;
    assert!(b
        .page("/reseller")
        .await
        .contains("Nordic Wellbeing: companies"));
    // Again: nothing changes, and no second email.
    let r = rita
        .submit(
            "/reseller/admins",
            "/reseller/admins",
            &[("email", "ivan@initech.example")],
        )
        .await;
    assert_eq!(location(&r), "/reseller/admins?done=already-admin");
    assert_eq!(admins_of(w.pool(), w.nordic).await, 2);
    assert_eq!(
        count(
            w.pool(),
            "SELECT count(*) FROM email_outbox WHERE kind = 'reseller_admin_invitation'"
        )
        .await,
        1
    );
    // An account in Icelandic is written to in Icelandic.
    let jon = user(w.pool(), "jon@initech.example", "Jón Initech", "UTC").await;
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(jon)
        .execute(w.pool())
        .await
        .expect("language");
    let r = rita
        .submit(
            "/reseller/admins",
            "/reseller/admins",
            &[("email", "jon@initech.example")],
        )
        .await;
    assert_eq!(location(&r), "/reseller/admins?done=invited");
    let (_, subject, mail) = mail_text(&w.smtp, 2).await;
    assert!(subject.contains("stjórnandi Nordic Wellbeing"), "{subject}");
    assert!(mail.contains("Halló Jón Initech"), "{mail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_one_invites_into_another_reseller_or_without_the_csrf_token() {
    let w = world().await;
    let rita = w.rita().await;
    let token = csrf_of(&rita.page("/reseller").await);
    // Into Baltic: refused, nothing made.
    let r = rita
        .post(
            "/reseller/admins?r=baltic",
            &token,
            &[("email", "x@evil.example")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Without or with a wrong token.
    for bad in ["", &"0".repeat(43)] {
        let r = rita
            .post("/reseller/admins", bad, &[("email", "y@evil.example")])
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    // Not a reseller admin: refused.
    let cleo = user(w.pool(), "cleo@example.com", "Cleo Client", "UTC").await;
    let b = browser_for(w.pool(), &w.app.address, cleo).await;
    let theirs = csrf_of(&b.page("/account/password").await);
    for path in ["/reseller/admins", "/reseller/admins?r=baltic"] {
        let r = b.post(path, &theirs, &[("email", "z@evil.example")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(b.get(path).await.status(), StatusCode::FORBIDDEN);
    }
    // A malformed email: refused next to the field.
    let r = rita
        .post("/reseller/admins", &token, &[("email", "not-an-email")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("body");
    assert!(page.contains("id=\"e-email\"") && page.contains("valid email address"));
    assert_eq!(admins_of(w.pool(), w.nordic).await, 1);
    assert_eq!(admins_of(w.pool(), w.baltic).await, 1);
    assert_eq!(
        count(
            w.pool(),
            "SELECT count(*) FROM users WHERE email LIKE '%evil.example'"
        )
        .await,
        0
    );
    assert_eq!(
        count(w.pool(), "SELECT count(*) FROM email_outbox").await,
        0
    );
    // Bo's list names his admins, not Rita.
    let bo = browser_for(w.pool(), &w.app.address, w.bo).await;
    let list = bo.page("/reseller/admins").await;
    assert!(list.contains("Bo Baltic") && !list.contains("Rita Reseller"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_sets_the_new_hubs_credit_policy_or_refuses_it_next_to_the_field() {
    let w = world().await;
    let ivan = user(w.pool(), "ivan@quarter.example", "Ivan Quarter", "UTC").await;
    let rita = w.rita().await;
    let form = rita.page("/reseller/companies/new").await;
    assert!(form.contains("id=\"f-credits\"") && form.contains("id=\"f-period\""));
    let fields = |credits: &'static str, period: &'static str| {
        [
            ("name", "Quarterly Ltd"),
            ("slug", "quarterly"),
            ("plan", "standard"),
            ("email", "ivan@quarter.example"),
            ("credits", credits),
            ("period", period),
        ]
    };
    let hubs = count(w.pool(), "SELECT count(*) FROM tenants").await;
    for (credits, period, field, words) in [
        ("1001", "3", "credits", "from 0 to 1000"),
        ("-1", "3", "credits", "from 0 to 1000"),
        ("many", "3", "credits", "whole number"),
        ("40", "2", "period", "a quarter"),
        ("40", "", "period", "a quarter"),
    ] {
        let r = rita
            .submit(
                "/reseller/companies/new",
                "/reseller/companies/new",
                &fields(credits, period),
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{credits} {period}"
        );
        let page = r.text().await.expect("body");
        assert!(
            page.contains(&format!("id=\"e-{field}\"")),
            "{field}: {page}"
        );
        assert!(page.contains(words), "{words}: {page}");
    }
    assert_eq!(count(w.pool(), "SELECT count(*) FROM tenants").await, hubs);

    let r = rita
        .submit(
            "/reseller/companies/new",
            "/reseller/companies/new",
            &fields("40", "3"),
        )
        .await;
    assert_eq!(location(&r), "/reseller?done=onboarded");
    let hub: Tenant = hearth_tenants::registry::find_by_slug(
        &mut w.pool().acquire().await.expect("connection"),
        "quarterly",
    )
    .await
    .expect("registry")
    .expect("the hub");
    let mut tx = TenantTx::begin(w.pool(), &hub).await.expect("hub");
    let policy = CreditPolicy::load(&mut tx).await.expect("policy");
    tx.commit().await.expect("commit");
    assert_eq!((policy.credits_per_period, policy.period_months), (40, 3));
    // The HR admin's credit settings read it.
    let b = browser_for(w.pool(), &format!("{}/h/quarterly", w.app.address), ivan).await;
    let settings = b.page("/admin/credits").await;
    assert!(settings.contains("value=\"40\""), "{settings}");
    assert!(
        settings.contains("<option value=\"3\" selected>"),
        "{settings}"
    );
}
