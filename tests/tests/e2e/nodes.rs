//! Two `hearth serve` processes on one database, driven at once from many
//! threads: a member's bookings split between the nodes never overspend, the
//! hot slot is booked once, and a hub setting published through one node is
//! on the other's cached hub page within a second.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Duration as Span;
use hearth_tenants::Tenant;
use hearth_tests::browser::{csrf_of, location, Browser};
use hearth_tests::fixtures::{self, monday_at, rfc};
use hearth_tests::node::Node;
use hearth_tests::TestDb;
use uuid::Uuid;

/// The nodes' settings: no mail sent, no background checks, and a long wait
/// for a connection, so a slow machine makes answers late, never different.
const NODE: &str = "db_max_connections = 10\ndb_acquire_timeout_secs = 30\n\
                    mail_worker = false\nbooking_reminders = false\ndomain_checks = false";

/// A hub with a professional who works all week and a one-credit service,
/// and two nodes serving it.
struct World {
    db: Arc<TestDb>,
    acme: Tenant,
    pro: Uuid,
    service: Uuid,
    a: Node,
    b: Node,
}

async fn world(credits: i32) -> World {
    let db = Arc::new(TestDb::new().await);
    let acme = db.hub("acme", "Acme").await;
    let (pro, service) = fixtures::open_professional(&db.pool, "max@pro.example", "Max").await;
    fixtures::on_roster(&db.pool, &acme, pro).await;
    fixtures::in_hub(
        &db.pool,
        &acme,
        &format!("UPDATE hub_settings SET credits_per_period = {credits}"),
        None,
    )
    .await;
    let (a, b) = tokio::join!(Node::start(&db.url, NODE), Node::start(&db.url, NODE));
    World {
        db,
        acme,
        pro,
        service,
        a,
        b,
    }
}

impl World {
    async fn member(&self, i: usize) -> Uuid {
        let user = fixtures::user(
            &self.db.pool,
            &format!("e{i}@acme.example"),
            &format!("Employee {i}"),
            "UTC",
        )
        .await;
        fixtures::member(&self.db.pool, &self.acme, user).await;
        user
    }

    async fn hub_count(&self, sql: &str) -> i64 {
        fixtures::hub_count(&self.db.pool, &self.acme, sql).await
    }
}

/// Posts a confirm of `start` with idempotency key `key`: (status, redirect, body).
async fn confirm(
    b: &Browser,
    token: &str,
    pro: Uuid,
    service: Uuid,
    start: chrono::DateTime<chrono::Utc>,
    key: &str,
) -> (u16, String, String) {
    let r = b
        .post(
            &format!("/book/{pro}/{service}/confirm"),
            token,
            &[("start", &rfc(start)), ("key", key)],
        )
        .await;
    let status = r.status().as_u16();
    let to = location(&r);
    (status, to, r.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_members_60_bookings_sent_to_two_nodes_at_once_spend_exactly_their_3_credits() {
    let w = world(3).await;
    let eve = w.member(0).await;
    let on_a = w.a.member(&w.db.pool, "acme", eve).await;
    // The same browser (session and CSRF cookie) sent to either node.
    let on_b = w.b.via(&on_a, "acme");
    let token = csrf_of(&on_a.page(&format!("/book/{}", w.pro)).await);
    let first = monday_at(1, 0, 0, chrono_tz::UTC);
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let browser = if i % 2 == 0 { &on_a } else { &on_b }.clone();
            let (token, pro, service) = (token.clone(), w.pro, w.service);
            tokio::spawn(async move {
                let start = first + Span::hours(i);
                confirm(&browser, &token, pro, service, start, &format!("k-{i:04}")).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("a confirm task"));
    }

    let booked: Vec<&(u16, String, String)> = answers
        .iter()
        .filter(|(s, to, _)| *s == 303 && to.contains("/appointments/"))
        .collect();
    assert_eq!(
        booked.len(),
        3,
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    for (status, _, body) in answers.iter().filter(|(s, _, _)| *s != 303) {
        assert_eq!(*status, 409, "refused cleanly, not failed: {body}");
        assert!(
            body.contains("you have 0 left"),
            "the refusal says why: {body}"
        );
    }
    assert_eq!(
        w.hub_count("SELECT count(*) FROM hub_bookings").await,
        3,
        "three bookings in the hub"
    );
    let appointments: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments")
        .fetch_one(&w.db.pool)
        .await
        .expect("count");
    assert_eq!(appointments, 3);
    assert_eq!(fixtures::balance(&w.db.pool, &w.acme, eve).await, 0);
    assert_eq!(
        fixtures::ledger_sum(&w.db.pool, &w.acme, eve).await,
        0,
        "the ledger sums to the balance"
    );
    assert_eq!(
        w.hub_count("SELECT count(*) FROM credit_ledger WHERE kind = 'debit'")
            .await,
        3,
        "one debit a booking"
    );
    assert_eq!(
        w.hub_count("SELECT count(*) FROM credit_balances WHERE balance < 0")
            .await,
        0,
        "never negative"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_120_members_confirming_one_slot_through_two_nodes_exactly_one_books_it() {
    let w = world(5).await;
    let mut browsers = Vec::new();
    for i in 0..120 {
        let user = w.member(i).await;
        let node = if i % 2 == 0 { &w.a } else { &w.b };
        browsers.push(node.member(&w.db.pool, "acme", user).await);
    }
    let start = monday_at(2, 10, 0, chrono_tz::UTC);
    let answers = fixtures::confirm_all_at_once(browsers, w.pro, w.service, start).await;
    fixtures::assert_booked_once(&answers);
    let appointments: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments")
        .fetch_one(&w.db.pool)
        .await
        .expect("count");
    assert_eq!(appointments, 1);
    assert_eq!(
        w.hub_count("SELECT count(*) FROM credit_ledger WHERE kind = 'debit'")
            .await,
        1,
        "only the booking that happened is paid for"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_welcome_text_published_through_one_node_is_on_the_others_cached_hub_page_within_a_second(
) {
    let w = world(5).await;
    let hr = fixtures::user(&w.db.pool, "hr@acme.example", "Hana HR", "UTC").await;
    fixtures::in_hub(
        &w.db.pool,
        &w.acme,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(hr),
    )
    .await;
    let hr = w.a.member(&w.db.pool, "acme", hr).await;
    w.b.listening().await;
    let visitor = Browser::new(w.b.hub("acme"));
    // Node B has the page cached before the change.
    for _ in 0..2 {
        assert!(!visitor.page("/").await.contains("Published on node A"));
    }

    let r = hr
        .submit(
            "/admin",
            "/admin/branding",
            &[
                ("brand_color", "#553311"),
                ("accent_color", "#ffcc00"),
                ("theme", "default"),
                ("welcome_text", "Published on node A"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", location(&r));
    let r = hr.submit("/admin", "/admin/branding/publish", &[]).await;
    assert_eq!(location(&r), "/h/acme/admin?done=published");
    let published = Instant::now();
    loop {
        let page = visitor.page("/").await;
        if page.contains("Published on node A") {
            assert!(page.contains("#553311"), "the new colour with the new text");
            break;
        }
        assert!(
            published.elapsed() < Duration::from_secs(1),
            "node B still serves the old hub page 1 s after the change"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "node B showed the change {} ms after node A published it",
        published.elapsed().as_millis()
    );
}
