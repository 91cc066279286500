//! The operator's console over real HTTP, real PostgreSQL and a real SMTP
//! capture: a waiting professional verified from the page becomes bookable
//! on a hub that lists them; a rejection emails them the reason in their own
//! language and saving their profile asks again; a bad reason is refused next
//! to its field with nothing changed; CSRF is required; no one but an
//! operator, and no hub, reaches a console page; operators land on it after
//! logging in and find it in their menu.

use std::sync::Arc;
use std::time::Duration;

use hearth_tenants::Tenant;
use hearth_tests::browser::{csrf_of, location, mail_text, Browser, PASSWORD};
use hearth_tests::fixtures::{self, browser_for, monday_at, on_roster, user};
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};
use reqwest::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

struct World {
    app: TestApp,
    smtp: SmtpServer,
    acme: Tenant,
    operator: Uuid,
}

impl World {
    fn pool(&self) -> &PgPool {
        &self.app.db.pool
    }

    /// The operator's browser on the platform.
    async fn operator(&self) -> Browser {
        browser_for(self.pool(), &self.app.address, self.operator).await
    }

    /// The acme hub page as an anonymous visitor sees it.
    async fn hub_page(&self) -> String {
        Browser::new(format!("{}/h/acme", self.app.address))
            .page("/")
            .await
    }
}

async fn world() -> World {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let acme = db.hub("acme", "Acme Ltd").await;
    let app = TestApp::spawn_mailing(db, &smtp).await;
    let operator = user(&app.db.pool, "olga@hearth.example", "Olga Operator", "UTC").await;
    sqlx::query("UPDATE users SET is_operator = true WHERE id = $1")
        .bind(operator)
        .execute(&app.db.pool)
        .await
        .expect("operator");
    World {
        app,
        smtp,
        acme,
        operator,
    }
}

/// A professional waiting for verification, reading in `language`, with a
/// 50-minute service and hours on Mondays 09:00–17:00 (Reykjavik): the
/// service's id.
async fn waiting(pool: &PgPool, email: &str, name: &str, language: &str) -> (Uuid, Uuid) {
    let id = user(pool, email, name, "Atlantic/Reykjavik").await;
    sqlx::query("UPDATE users SET language = $2 WHERE id = $1")
        .bind(id)
        .bind(language)
        .execute(pool)
        .await
        .expect("language");
    sqlx::query(
        "INSERT INTO professionals (user_id, title, bio, specialties, languages, country, timezone, \
           min_notice_minutes, horizon_days) \
         VALUES ($1, 'Clinical psychologist', 'I work with adults on anxiety and stress.', \
           '{Anxiety,Stress}', '{en,is}', 'IS', 'Atlantic/Reykjavik', 0, 365)",
    )
    .bind(id)
    .execute(pool)
    .await
    .expect("professional");
    sqlx::query(
        "INSERT INTO availability_rules (professional_id, weekday, start_time, end_time) \
         VALUES ($1, 1, '09:00', '17:00')",
    )
    .bind(id)
    .execute(pool)
    .await
    .expect("hours");
    let service = fixtures::service(pool, id, "Individual session", 50, 1, "individual").await;
    (id, service)
}

/// verified_at, rejected_at and rejection_reason of `id`.
async fn state_of(pool: &PgPool, id: Uuid) -> (bool, bool, Option<String>) {
    sqlx::query_as(
        "SELECT verified_at IS NOT NULL, rejected_at IS NOT NULL, rejection_reason \
         FROM professionals WHERE user_id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .expect("professional")
}

async fn outbox(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM email_outbox")
        .fetch_one(pool)
        .await
        .expect("outbox")
}

/// The page's text with tera's escaping of `/` undone.
fn text(page: &str) -> String {
    page.replace("&#x2F;", "/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_verifies_a_professional_from_the_page_and_the_hub_that_lists_them_can_book_them(
) {
    let w = world().await;
    let (pia, service) = waiting(w.pool(), "pia@pro.example", "Pia Prosser", "en").await;
    on_roster(w.pool(), &w.acme, pia).await;

    // Waiting: on acme's roster, yet neither on its page nor bookable.
    assert!(!w.hub_page().await.contains("Pia Prosser"));
    let visitor = Browser::new(format!("{}/h/acme", w.app.address));
    assert_eq!(
        visitor.get(&format!("/book/{pia}")).await.status(),
        StatusCode::NOT_FOUND
    );

    let op = w.operator().await;
    let home = op.page("/operator").await;
    assert!(home.contains("Waiting for verification"), "{home}");
    assert!(text(&home).contains("href=\"/operator/professionals\""));
    let page = op.page("/operator/professionals").await;
    for fact in [
        "Pia Prosser",
        "pia@pro.example",
        "Clinical psychologist",
        "Psychologist",
        "I work with adults on anxiety and stress.",
        "Anxiety",
        "1 waiting for verification",
    ] {
        assert!(page.contains(fact), "{fact} is not on the page: {page}");
    }
    // Each button says whom it is for.
    assert!(page.contains("Verify<span class=\"sr\"> Pia Prosser</span>"));
    assert!(page.contains("Reject<span class=\"sr\"> Pia Prosser</span>"));

    let r = op
        .post(
            &format!("/operator/professionals/{pia}/verify"),
            &csrf_of(&page),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/operator/professionals?done=verified");
    assert_eq!(state_of(w.pool(), pia).await, (true, false, None));
    let page = op.page("/operator/professionals?done=verified").await;
    assert!(page.contains("Verified. Hubs that list them"), "{page}");
    assert!(page.contains("No one is waiting for verification."));
    let decided = &page[page.find("Recently verified").expect("the decisions")..];
    assert!(decided.contains("Pia Prosser") && decided.contains("Verified"));

    // Bookable on the hub that lists them: its page (cached per node, told
    // of the change by NOTIFY) shows them, and their times can be chosen.
    let mut shown = false;
    for _ in 0..50 {
        if w.hub_page().await.contains("Pia Prosser") {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(shown, "the verified professional is not on the hub page");
    let profile = visitor.page(&format!("/book/{pia}")).await;
    assert!(profile.contains("Pia Prosser") && profile.contains("Individual session"));
    let week = monday_at(1, 12, 0, chrono_tz::Atlantic::Reykjavik).date_naive();
    let slots = visitor
        .page(&format!("/book/{pia}/{service}?week={week}"))
        .await;
    assert!(slots.contains("09:00"), "{slots}");

    // Verifying twice is harmless; an unknown id is not found.
    let token = csrf_of(&page);
    let r = op
        .post(
            &format!("/operator/professionals/{pia}/verify"),
            &token,
            &[],
        )
        .await;
    assert_eq!(location(&r), "/operator/professionals?done=already");
    let r = op
        .post(
            &format!("/operator/professionals/{}/verify", Uuid::new_v4()),
            &token,
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Rejecting someone verified changes nothing.
    let r = op
        .post(
            &format!("/operator/professionals/{pia}/reject"),
            &token,
            &[("reason", "Too late.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(state_of(w.pool(), pia).await, (true, false, None));
    assert_eq!(outbox(w.pool()).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_emails_the_reason_in_the_professionals_language_and_saving_the_profile_asks_again(
) {
    let w = world().await;
    let (jon, _) = waiting(w.pool(), "jon@pro.example", "Jón Jónsson", "is").await;
    let (ann, _) = waiting(w.pool(), "ann@pro.example", "Ann Smith", "en").await;
    let op = w.operator().await;
    let page = op.page("/operator/professionals").await;
    assert!(page.contains("2 waiting for verification"));
    assert!(
        page.contains("Icelandic"),
        "the operator sees the language Jón reads: {page}"
    );
    let token = csrf_of(&page);

    let reason = "Vinsamlegast bættu starfsleyfisnúmerinu við prófílinn.\nTakk fyrir.";
    let r = op
        .post(
            &format!("/operator/professionals/{jon}/reject"),
            &token,
            &[("reason", &format!("  {reason}\r\n"))],
        )
        .await;
    assert_eq!(location(&r), "/operator/professionals?done=rejected");
    assert_eq!(
        state_of(w.pool(), jon).await,
        (false, true, Some(reason.to_owned()))
    );

    // Jón reads Icelandic: the email is in Icelandic, with the reason word for word.
    let (to, subject, body) = mail_text(&w.smtp, 1).await;
    let body = body.replace("\r\n", "\n");
    assert_eq!(to, "jon@pro.example");
    assert_eq!(subject, "Fagprófíllinn þinn var ekki staðfestur");
    assert!(body.contains("Halló Jón Jónsson"), "{body}");
    assert!(
        body.contains("Hearth staðfesti ekki fagprófílinn þinn"),
        "{body}"
    );
    assert!(body.contains(reason), "{body}");
    assert!(
        body.contains(&format!(
            "{}/pro/profile",
            w.app.state.config.platform_url()
        )),
        "{body}"
    );

    // Ann reads English.
    let r = op
        .post(
            &format!("/operator/professionals/{ann}/reject"),
            &token,
            &[("reason", "Please add your licence number.")],
        )
        .await;
    assert_eq!(location(&r), "/operator/professionals?done=rejected");
    let (to, subject, body) = mail_text(&w.smtp, 2).await;
    assert_eq!(to, "ann@pro.example");
    assert_eq!(subject, "Your professional profile was not verified");
    assert!(body.contains("Please add your licence number."), "{body}");

    // Neither waits any more; both are among the decisions, with the reason.
    let page = op.page("/operator/professionals?done=rejected").await;
    assert!(page.contains("Rejected. They have been emailed the reason."));
    assert!(page.contains("No one is waiting for verification."));
    let decided = &page[page.find("Recently verified").expect("the decisions")..];
    assert!(decided.contains("Jón Jónsson") && decided.contains("Please add your licence number."));
    // Rejecting again is a conflict, and sends nothing more.
    let r = op
        .post(
            &format!("/operator/professionals/{jon}/reject"),
            &token,
            &[("reason", "Again.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(outbox(w.pool()).await, 2);

    // Jón sees why on his own pages, in Icelandic, and asks again by saving his profile.
    let jon_b = browser_for(w.pool(), &w.app.address, jon).await;
    let profile = jon_b.page("/pro/profile").await;
    assert!(
        profile.contains("Hearth staðfesti ekki prófílinn þinn"),
        "{profile}"
    );
    assert!(profile.contains("Vinsamlegast bættu starfsleyfisnúmerinu við prófílinn."));
    let r = jon_b
        .post(
            "/pro/profile",
            &csrf_of(&profile),
            &[
                ("name", "Jón Jónsson"),
                ("title", "Sálfræðingur, starfsleyfi 1234"),
                ("kind", "psychologist"),
                ("bio", "Ég vinn með fullorðnum."),
                ("specialties", "Kvíði"),
                ("languages", "is"),
                ("country", "IS"),
                ("timezone", "Atlantic/Reykjavik"),
                ("buffer_minutes", "10"),
                ("min_notice_hours", "0"),
                ("horizon_days", "60"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/pro/profile?done=saved");
    assert_eq!(state_of(w.pool(), jon).await, (false, false, None));
    let profile = jon_b.page("/pro/profile").await;
    assert!(
        profile.contains("Prófíllinn þinn bíður staðfestingar"),
        "{profile}"
    );
    let page = op.page("/operator/professionals").await;
    assert!(page.contains("1 waiting for verification"), "{page}");
    assert!(page.contains("Sálfræðingur, starfsleyfi 1234"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_reason_is_refused_next_to_its_field_and_nothing_changes() {
    let w = world().await;
    let (pia, _) = waiting(w.pool(), "pia@pro.example", "Pia Prosser", "en").await;
    let op = w.operator().await;
    let token = csrf_of(&op.page("/operator/professionals").await);
    let action = format!("/operator/professionals/{pia}/reject");
    let too_long = "x".repeat(1001);
    for (reason, says) in [
        ("", "Write why, so they know what to change."),
        (" \r\n\t ", "Write why, so they know what to change."),
        (
            too_long.as_str(),
            "The reason is 1001 characters long: at most 1000 are allowed.",
        ),
    ] {
        let r = op.post(&action, &token, &[("reason", reason)]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.expect("body");
        let error = format!("<p class=\"error\" id=\"e-reason-{pia}\">{says}</p>");
        assert!(page.contains(&error), "no {error} on the page: {page}");
        assert!(page.contains(&format!(" e-reason-{pia}\" aria-invalid=\"true\"")));
        assert!(page.contains("Nothing was changed."));
        // What was typed is kept, to correct.
        if reason == too_long {
            assert!(page.contains(&too_long));
        }
        assert_eq!(state_of(w.pool(), pia).await, (false, false, None));
        assert_eq!(outbox(w.pool()).await, 0);
    }
    // A form without the field at all is refused the same way.
    let r = op.post(&action, &token, &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // 1,000 characters (Icelandic letters: characters, not bytes) are enough.
    let longest = "þ".repeat(1000);
    let r = op.post(&action, &token, &[("reason", &longest)]).await;
    assert_eq!(location(&r), "/operator/professionals?done=rejected");
    assert_eq!(
        state_of(w.pool(), pia).await,
        (false, true, Some(longest.clone()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verifying_and_rejecting_need_the_csrf_token_and_the_same_origin() {
    let w = world().await;
    let (pia, _) = waiting(w.pool(), "pia@pro.example", "Pia Prosser", "en").await;
    let op = w.operator().await;
    let token = csrf_of(&op.page("/operator/professionals").await);
    for action in ["verify", "reject"] {
        let url = format!("{}/operator/professionals/{pia}/{action}", w.app.address);
        let attempts = [
            op.client.post(&url).form(&[("reason", "No.")]),
            op.client
                .post(&url)
                .form(&[("reason", "No."), ("csrf", "0".repeat(43).as_str())]),
            op.client
                .post(&url)
                .header("origin", "https://evil.example")
                .form(&[("reason", "No."), ("csrf", token.as_str())]),
            op.client
                .post(&url)
                .header("sec-fetch-site", "cross-site")
                .form(&[("reason", "No."), ("csrf", token.as_str())]),
        ];
        for request in attempts {
            let r = request.send().await.expect("POST");
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {url}");
        }
    }
    assert_eq!(state_of(w.pool(), pia).await, (false, false, None));
    assert_eq!(outbox(w.pool()).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_one_but_an_operator_reaches_a_console_page_and_no_hub_serves_one() {
    let w = world().await;
    let (pia, _) = waiting(w.pool(), "pia@pro.example", "Pia Prosser", "en").await;
    let client = user(w.pool(), "carl@client.example", "Carl Client", "UTC").await;
    let pro = fixtures::professional(w.pool(), "pat@pro.example", "Pat Pro", "UTC", 0, &[]).await;
    let hr = user(w.pool(), "hanna@acme.example", "Hanna HR", "UTC").await;
    fixtures::in_hub(
        w.pool(),
        &w.acme,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(hr),
    )
    .await;
    let (_, declared) = hearth_core::routes::routes().into_parts();
    let console: Vec<_> = declared
        .routes()
        .iter()
        .filter(|r| r.path == "/operator" || r.path.starts_with("/operator/"))
        .collect();
    assert_eq!(
        console.len(),
        24,
        "GET and HEAD of eight pages (home, professionals, hubs, a hub's audit log, outbox, \
         resellers, the audit log across hubs, plugins), eight POSTs"
    );
    let path_of = |pattern: &str| {
        pattern
            .replace("{id}", &pia.to_string())
            .replace("{slug}", "acme")
    };
    let hub = format!("{}/h/acme", w.app.address);

    // Not signed in: asked to log in (GET), refused (POST).
    let anonymous = Browser::new(w.app.address.clone());
    let anon_token = csrf_of(&anonymous.page("/login").await);
    for route in &console {
        let path = path_of(route.path);
        let r = match route.method.as_str() {
            "GET" => anonymous.get(&path).await,
            "HEAD" => continue,
            _ => {
                anonymous
                    .post(&path, &anon_token, &[("reason", "No.")])
                    .await
            }
        };
        if route.method == "GET" {
            assert!(
                location(&r).starts_with("/login?next="),
                "anonymous GET {path}: {}",
                location(&r)
            );
        } else {
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "anonymous POST {path}");
        }
    }

    // A client, a professional and an HR admin (on the platform and in their hub): refused.
    for (who, id, base) in [
        ("a client", client, w.app.address.clone()),
        ("a professional", pro, w.app.address.clone()),
        ("an HR admin", hr, w.app.address.clone()),
        ("an HR admin in their hub", hr, hub.clone()),
    ] {
        let b = browser_for(w.pool(), &base, id).await;
        let token = csrf_of(&b.page("/account/password").await);
        for route in &console {
            let path = path_of(route.path);
            let r = match route.method.as_str() {
                "GET" => b.get(&path).await,
                "HEAD" => continue,
                _ => b.post(&path, &token, &[("reason", "No.")]).await,
            };
            assert_eq!(
                r.status(),
                StatusCode::FORBIDDEN,
                "{who} reached {} {path}",
                route.method
            );
        }
        // Their menu does not offer the console.
        assert!(!b.page("/dashboard").await.contains("Operator console"));
    }

    // The operator, inside a hub: no such page.
    let op_in_hub = browser_for(w.pool(), &hub, w.operator).await;
    let token = csrf_of(&op_in_hub.page("/account/password").await);
    assert!(!op_in_hub
        .page("/dashboard")
        .await
        .contains("Operator console"));
    for route in &console {
        let path = path_of(route.path);
        let r = match route.method.as_str() {
            "GET" => op_in_hub.get(&path).await,
            "HEAD" => continue,
            _ => op_in_hub.post(&path, &token, &[("reason", "No.")]).await,
        };
        assert_eq!(
            r.status(),
            StatusCode::NOT_FOUND,
            "the operator in a hub: {} {path}",
            route.method
        );
    }
    assert_eq!(state_of(w.pool(), pia).await, (false, false, None));
    assert_eq!(outbox(w.pool()).await, 0);
    let acme: String = sqlx::query_scalar("SELECT status FROM tenants WHERE slug = 'acme'")
        .fetch_one(w.pool())
        .await
        .expect("acme");
    assert_eq!(acme, "active", "no one suspended acme");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_land_on_their_console_after_logging_in_and_find_it_in_their_menu() {
    let w = world().await;
    let pro = fixtures::professional(w.pool(), "pat@pro.example", "Pat Pro", "UTC", 0, &[]).await;
    for id in [w.operator, pro] {
        let hash = hearth_core::accounts::password::hash(PASSWORD.to_owned())
            .await
            .expect("hash");
        sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .execute(w.pool())
            .await
            .expect("password");
    }
    let (op, landed) = login(&w, "olga@hearth.example").await;
    assert_eq!(landed, "/operator");
    let home = op.page("/operator").await;
    assert!(home.contains("Operator console"));
    assert!(text(&home).contains(
        "<a class=\"button secondary small role-link\" href=\"/operator\">Operator console</a>"
    ));
    // Other roles land where they did.
    let (_, landed) = login(&w, "pat@pro.example").await;
    assert_eq!(landed, "/pro");
}

/// Logs in as `email` (password [`PASSWORD`]) through the form: the browser
/// and where the login sent it.
async fn login(w: &World, email: &str) -> (Browser, String) {
    let b = Browser::new(w.app.address.clone());
    let r = b
        .submit(
            "/login",
            "/login",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    (b, location(&r))
}
