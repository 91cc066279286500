//! Faults injected for real while bookings go on: PostgreSQL stopped and
//! started again under a running node, a node killed with SIGKILL in the
//! middle of confirms, a row lock held on a hub's hot row, and the SMTP
//! server down. Each test says what a member relies on through it: a clear
//! answer instead of a hang, no booking half made or made twice, no email
//! lost or sent twice, and the other hubs served all along.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, Utc};
use hearth_admin::pgcluster::{self, Cluster, ClusterOptions};
use hearth_tenants::{create_tenant, NewTenant, Tenant, TenantMigrator, TenantTx};
use hearth_tests::browser::{csrf_of, location, Browser};
use hearth_tests::fixtures::{self, monday_at, rfc};
use hearth_tests::node::Node;
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};
use sqlx::PgPool;
use uuid::Uuid;

/// What the busy page says (`error-busy`).
const BUSY: &str = "The service is busy. Please try again in a moment.";

/// One answer a load task got.
#[derive(Debug, Clone)]
struct Answer {
    what: &'static str,
    sent: Instant,
    took: Duration,
    /// 0: no answer within 15 s, or the connection failed.
    status: u16,
    location: String,
    body: String,
}

/// Sends `request`, waiting at most 15 s: a hang is an answer too (status 0).
async fn answer(what: &'static str, request: reqwest::RequestBuilder) -> Answer {
    let sent = Instant::now();
    let (status, location, body) =
        match tokio::time::timeout(Duration::from_secs(15), request.send()).await {
            Ok(Ok(r)) => {
                let status = r.status().as_u16();
                let to = location(&r);
                (status, to, r.text().await.unwrap_or_default())
            }
            Ok(Err(e)) => (0, String::new(), e.to_string()),
            Err(_) => (0, String::new(), "no answer within 15 s".into()),
        };
    Answer {
        what,
        sent,
        took: sent.elapsed(),
        status,
        location,
        body,
    }
}

/// A confirm of `start` with idempotency key `key`, as the confirm form posts it.
fn confirm_request(
    b: &Browser,
    token: &str,
    pro: Uuid,
    service: Uuid,
    start: DateTime<Utc>,
    key: &str,
) -> reqwest::RequestBuilder {
    b.client
        .post(format!("{}/book/{pro}/{service}/confirm", b.base))
        .form(&[
            ("start", rfc(start).as_str()),
            ("key", key),
            ("csrf", token),
        ])
}

/// The appointment a confirm's redirect names.
fn appointment_in(location: &str) -> Option<Uuid> {
    let rest = location.split("/appointments/").nth(1)?;
    rest.split(['?', '/']).next()?.parse().ok()
}

/// Nothing half made in `tenant`: every appointment has its booking record
/// and its debit, every debit belongs to a booking, and each member's
/// balance is what their ledger sums to. Returns the appointments' count.
async fn bookings_whole(pool: &PgPool, tenant: &Tenant) -> i64 {
    let appointments: i64 =
        sqlx::query_scalar("SELECT count(*) FROM appointments WHERE tenant_id = $1")
            .bind(tenant.id.0)
            .fetch_one(pool)
            .await
            .expect("count");
    let whole = fixtures::hub_count(
        pool,
        tenant,
        "SELECT count(*) FROM public.appointments a \
         JOIN hub_bookings h ON h.appointment_id = a.id \
         JOIN credit_ledger l ON l.id = h.debit_id AND l.kind = 'debit' AND l.amount = -h.credits",
    )
    .await;
    assert_eq!(
        whole, appointments,
        "every appointment has its booking record and its debit"
    );
    assert_eq!(
        fixtures::hub_count(
            pool,
            tenant,
            "SELECT count(*) FROM credit_ledger l WHERE kind = 'debit' \
             AND NOT EXISTS (SELECT 1 FROM hub_bookings h WHERE h.debit_id = l.id)"
        )
        .await,
        0,
        "no debit without its booking"
    );
    assert_eq!(
        fixtures::hub_count(
            pool,
            tenant,
            "SELECT count(*) FROM credit_balances b WHERE b.balance <> \
             (SELECT coalesce(sum(amount), 0) FROM credit_ledger l WHERE l.user_id = b.user_id)"
        )
        .await,
        0,
        "every balance is its ledger's sum"
    );
    appointments
}

/// Each appointment's confirmation is in the outbox once for each side:
/// `members` (address → their appointments) and the professional at `pro`.
async fn confirmations_once(pool: &PgPool, members: &HashMap<String, i64>, pro: &str) {
    let total: i64 = members.values().sum();
    let count = |to: String| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM email_outbox WHERE kind = 'booking_confirmed' AND to_address = $1",
        )
        .bind(to)
        .fetch_one(pool)
        .await
        .expect("count emails")
    };
    for (email, appointments) in members {
        assert_eq!(
            count(email.clone()).await,
            *appointments,
            "{email}: one confirmation a booking"
        );
    }
    assert_eq!(
        count(pro.to_owned()).await,
        total,
        "the professional: one email a booking"
    );
}

/// A PostgreSQL cluster of this test's own, stopped and removed when dropped.
struct PrivateCluster {
    options: ClusterOptions,
    cluster: Cluster,
}

impl PrivateCluster {
    async fn start() -> Self {
        // Under /tmp itself: the cluster's user (postgres, under root) must
        // reach the folder, which a private temporary folder would forbid.
        let options = ClusterOptions {
            dir: std::env::temp_dir().join(format!("hearth-fault-pg-{}", Uuid::new_v4().simple())),
            ephemeral: true,
            citus: false,
        };
        let cluster = Self::ensure(&options).await;
        Self { options, cluster }
    }

    async fn ensure(options: &ClusterOptions) -> Cluster {
        let options = options.clone();
        tokio::task::spawn_blocking(move || pgcluster::ensure_running(&options))
            .await
            .expect("cluster task")
            .expect("a private PostgreSQL cluster")
    }

    /// `pg_ctl stop -m fast`: every session is ended and the server exits.
    async fn stop(&self) {
        let cluster = self.cluster.clone();
        tokio::task::spawn_blocking(move || cluster.stop())
            .await
            .expect("cluster task")
            .expect("PostgreSQL stops");
    }

    /// Starts it again on the same port.
    async fn start_again(&self) {
        let again = Self::ensure(&self.options).await;
        assert_eq!(again.port, self.cluster.port, "back on the same port");
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = self.cluster.stop();
        let _ = std::fs::remove_dir_all(&self.options.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restarted_under_load_gets_fast_503s_then_recovers_with_nothing_half_made() {
    let pg = PrivateCluster::start().await;
    let url = pg.cluster.url("postgres");
    let settings = hearth_tenants::db::PoolSettings {
        max_connections: 4,
        ..Default::default()
    };
    let pool = hearth_tenants::db::connect(&url, &settings)
        .await
        .expect("pool");
    hearth_admin::migrate_all(&pool, &TenantMigrator::embedded(), hearth_tests::quiet())
        .await
        .expect("migrations");
    let acme = create_tenant(
        &pool,
        &TenantMigrator::embedded(),
        &NewTenant {
            slug: "acme".into(),
            name: "Acme".into(),
            reseller_id: None,
        },
    )
    .await
    .expect("hub");
    fixtures::in_hub(
        &pool,
        &acme,
        "UPDATE hub_settings SET credits_per_period = 1000",
        None,
    )
    .await;
    let pro = fixtures::professional(
        &pool,
        "max@pro.example",
        "Max",
        "UTC",
        0,
        &fixtures::all_week(),
    )
    .await;
    let service = fixtures::service(&pool, pro, "Session", 30, 1, "individual").await;
    fixtures::on_roster(&pool, &acme, pro).await;
    // A short wait for a connection: while the database is away, requests
    // are answered after 2 s rather than after the default 5 s.
    let node = Node::start(
        &url,
        "db_max_connections = 8\ndb_acquire_timeout_secs = 2\nmail_worker = false\n\
         booking_reminders = false\ndomain_checks = false",
    )
    .await;
    let mut members = Vec::new();
    for i in 0..6 {
        let user = fixtures::user(&pool, &format!("e{i}@acme.example"), "Employee", "UTC").await;
        fixtures::member(&pool, &acme, user).await;
        let b = node.member(&pool, "acme", user).await;
        let token = csrf_of(&b.page(&format!("/book/{pro}")).await);
        members.push((format!("e{i}@acme.example"), b, token));
    }

    let answers = Arc::new(Mutex::new(Vec::<Answer>::new()));
    let booked = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let first = monday_at(1, 0, 0, chrono_tz::UTC);
    let mut tasks = Vec::new();
    for (i, (email, b, token)) in members.iter().cloned().enumerate() {
        let (answers, booked, done) = (answers.clone(), booked.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0i64;
            let mut mine = 0i64;
            while !done.load(Ordering::Relaxed) {
                let start = first + Span::minutes(30 * (n * 6 + i64::try_from(i).unwrap_or(0)));
                let key = format!("pg-{i}-{n}");
                n += 1;
                let a = answer(
                    "confirm",
                    confirm_request(&b, &token, pro, service, start, &key),
                )
                .await;
                if a.status == 303 && appointment_in(&a.location).is_some() {
                    booked.fetch_add(1, Ordering::Relaxed);
                    mine += 1;
                }
                // A page that needs the database (the session, the calendar).
                let page = answer("slots", b.client.get(format!("{}/book/{pro}", b.base))).await;
                answers.lock().expect("answers").extend([a, page]);
            }
            (email, mine)
        }));
    }
    let hub_page = {
        let (answers, done) = (answers.clone(), done.clone());
        let visitor = Browser::new(node.hub("acme"));
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                let a = answer("hub page", visitor.client.get(format!("{}/", visitor.base))).await;
                answers.lock().expect("answers").push(a);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };

    let deadline = Instant::now() + Duration::from_secs(20);
    while booked.load(Ordering::Relaxed) < 6 {
        assert!(
            Instant::now() < deadline,
            "bookings go through before the fault"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stopping = Instant::now();
    pg.stop().await;
    let down = Instant::now();
    // PostgreSQL stays down for 5 s while the load goes on.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let starting = Instant::now();
    pg.start_again().await;
    let up = Instant::now();
    // Recovered: a page that needs the database answers again, and a booking
    // goes through, without the node being touched.
    let probe = members[0].1.clone();
    let recovered = loop {
        let a = answer(
            "probe",
            probe.client.get(format!("{}/book/{pro}", probe.base)),
        )
        .await;
        if a.status == 200 {
            break up.elapsed();
        }
        assert!(
            up.elapsed() < Duration::from_secs(15),
            "the node did not serve again within 15 s of PostgreSQL's restart: {} {}",
            a.status,
            a.body
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let booked_at_restart = booked.load(Ordering::Relaxed);
    while booked.load(Ordering::Relaxed) < booked_at_restart + 6 {
        assert!(
            up.elapsed() < Duration::from_secs(20),
            "bookings go through again after the restart"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    done.store(true, Ordering::Relaxed);
    let mut per_member = HashMap::new();
    for task in tasks {
        let (email, mine) = task.await.expect("load task");
        per_member.insert(email, mine);
    }
    hub_page.await.expect("hub page task");
    let answers = answers.lock().expect("answers").clone();
    println!(
        "PostgreSQL stopped in {} ms, down {} ms, started in {} ms; the node served again {} ms after PostgreSQL was up",
        (down - stopping).as_millis(),
        (starting - down).as_millis(),
        (up - starting).as_millis(),
        recovered.as_millis()
    );

    let mut by_status: HashMap<(&str, u16), usize> = HashMap::new();
    for a in &answers {
        *by_status.entry((a.what, a.status)).or_default() += 1;
    }
    println!("answers by kind and status: {by_status:?}");
    for a in &answers {
        assert!(
            matches!(a.status, 200 | 303 | 503),
            "neither a success nor a clear 503: {a:?}"
        );
        if a.what == "confirm" && a.status == 303 {
            assert!(appointment_in(&a.location).is_some(), "booked: {a:?}");
        }
        if a.status == 503 {
            assert!(a.body.contains(BUSY), "the 503 page says why: {}", a.body);
            // The 2 s wait for a connection, not a hang.
            assert!(a.took < Duration::from_secs(4), "answered fast: {a:?}");
        }
    }
    // Asked while PostgreSQL was down and answered before it was back: the
    // pages that need the database are all 503s (the cached hub page may
    // still be served).
    let while_down: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.what != "hub page" && a.sent >= down && a.sent + a.took <= up)
        .collect();
    let slowest = answers
        .iter()
        .filter(|a| a.status == 503)
        .map(|a| a.took)
        .max()
        .unwrap_or_default();
    println!(
        "{} answers while PostgreSQL was down, all 503; the slowest 503 took {} ms",
        while_down.len(),
        slowest.as_millis()
    );
    assert!(
        while_down.len() >= 3,
        "requests were answered while PostgreSQL was down: {}",
        while_down.len()
    );
    for a in &while_down {
        assert_eq!(a.status, 503, "no database, no success: {a:?}");
    }

    assert!(
        recovered < Duration::from_secs(10),
        "recovered within seconds"
    );

    // Checked on a fresh pool: nothing half made, every confirmed booking kept.
    let pool = hearth_tenants::db::connect(&url, &settings)
        .await
        .expect("pool");
    let appointments = bookings_whole(&pool, &acme).await;
    let confirmed: HashSet<Uuid> = answers
        .iter()
        .filter(|a| a.status == 303)
        .filter_map(|a| appointment_in(&a.location))
        .collect();
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments WHERE id = ANY($1)")
        .bind(confirmed.iter().copied().collect::<Vec<_>>())
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(
        usize::try_from(kept).expect("count"),
        confirmed.len(),
        "every confirmed booking is there"
    );
    // A booking whose commit reached PostgreSQL as it went down may have been
    // answered 503: it exists, and its emails with it.
    let mut member_appointments = HashMap::new();
    for email in per_member.keys() {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM appointments a JOIN users u ON u.id = a.client_id WHERE u.email = $1",
        )
        .bind(email)
        .fetch_one(&pool)
        .await
        .expect("count");
        member_appointments.insert(email.clone(), n);
    }
    assert_eq!(member_appointments.values().sum::<i64>(), appointments);
    confirmations_once(&pool, &member_appointments, "max@pro.example").await;
    pool.close().await;
    drop(node);
}

/// Settings of the two nodes of the SIGKILL test: a long wait for a
/// connection, so a slow machine makes answers late, never different.
const NODE: &str = "db_max_connections = 10\ndb_acquire_timeout_secs = 30\n\
                    mail_worker = false\nbooking_reminders = false\ndomain_checks = false";

/// A hub `slug` whose members have `credits` a period, with `pro`'s one-credit
/// service on its roster.
async fn hub_with(db: &TestDb, slug: &str, credits: i32, pro: Uuid) -> Tenant {
    let hub = db.hub(slug, &format!("Hub {slug}")).await;
    fixtures::on_roster(&db.pool, &hub, pro).await;
    fixtures::in_hub(
        &db.pool,
        &hub,
        &format!("UPDATE hub_settings SET credits_per_period = {credits}"),
        None,
    )
    .await;
    hub
}

/// A member of `hub` called `email`.
async fn member_of(db: &TestDb, hub: &Tenant, email: &str) -> Uuid {
    let user = fixtures::user(&db.pool, email, "Employee", "UTC").await;
    fixtures::member(&db.pool, hub, user).await;
    user
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_node_killed_mid_confirm_books_each_key_at_most_once_and_the_retry_on_another_node_gets_that_booking(
) {
    let db = Arc::new(TestDb::new().await);
    let (pro, service) = fixtures::open_professional(&db.pool, "max@pro.example", "Max").await;
    let acme = hub_with(&db, "acme", 100, pro).await;
    let (mut a, b) = tokio::join!(Node::start(&db.url, NODE), Node::start(&db.url, NODE));
    // 16 members, 5 confirms each, every one for its own slot.
    let mut confirms = Vec::new();
    let mut users = Vec::new();
    for m in 0..16 {
        let user = member_of(&db, &acme, &format!("e{m}@acme.example")).await;
        users.push(user);
        let on_a = a.member(&db.pool, "acme", user).await;
        let token = csrf_of(&on_a.page(&format!("/book/{pro}")).await);
        let on_b = b.via(&on_a, "acme");
        for n in 0..5 {
            let start = monday_at(1, 0, 0, chrono_tz::UTC) + Span::minutes(30 * (m * 5 + n));
            confirms.push((
                on_a.clone(),
                on_b.clone(),
                token.clone(),
                start,
                format!("kill-{m}-{n}"),
            ));
        }
    }
    let sent: Vec<_> = confirms
        .iter()
        .map(|(on_a, _, token, start, key)| {
            let request = confirm_request(on_a, token, pro, service, *start, key);
            tokio::spawn(answer("confirm on A", request))
        })
        .collect();
    // Killed once 10 bookings are in: the others are in flight or waiting.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments")
            .fetch_one(&db.pool)
            .await
            .expect("count");
        if n >= 10 {
            break;
        }
        assert!(Instant::now() < deadline, "no booking went through on A");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    a.kill();
    let mut on_a = Vec::new();
    for task in sent {
        on_a.push(task.await.expect("confirm task"));
    }
    let cut = on_a.iter().filter(|r| r.status == 0).count();
    let before_retry: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments")
        .fetch_one(&db.pool)
        .await
        .expect("count");
    println!(
        "node A answered {} of {} confirms before SIGKILL; {cut} were cut; {before_retry} appointments made",
        on_a.len() - cut,
        on_a.len()
    );
    assert!(cut > 0, "the kill came in the middle of the confirms");
    assert!(cut < on_a.len(), "A answered some before it was killed");
    for r in on_a.iter().filter(|r| r.status != 0) {
        assert_eq!(r.status, 303, "a confirm A answered was booked: {r:?}");
    }
    // Whatever A left is whole: each key at most once, nothing half made.
    assert_eq!(bookings_whole(&db.pool, &acme).await, before_retry);

    // The client retries every confirm, with its key, on node B.
    let retried = futures::future::join_all(confirms.iter().map(|(_, on_b, token, start, key)| {
        answer(
            "retry on B",
            confirm_request(on_b, token, pro, service, *start, key),
        )
    }))
    .await;
    let mut booked = HashSet::new();
    for ((first, again), (_, _, _, _, key)) in on_a.iter().zip(&retried).zip(&confirms) {
        assert_eq!(again.status, 303, "{key}: the retry is booked: {again:?}");
        let id = appointment_in(&again.location).expect("the retry names its booking");
        if first.status == 303 {
            assert_eq!(
                appointment_in(&first.location),
                Some(id),
                "{key}: the retry gives the booking A made"
            );
        }
        assert!(booked.insert(id), "{key}: a booking of its own");
    }
    let appointments = bookings_whole(&db.pool, &acme).await;
    assert_eq!(appointments, 80, "each confirm happened exactly once");
    let twice: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT 1 FROM appointments \
         GROUP BY created_by, idempotency_key HAVING count(*) > 1) d",
    )
    .fetch_one(&db.pool)
    .await
    .expect("count");
    assert_eq!(twice, 0, "no key booked twice");
    for user in users {
        assert_eq!(
            fixtures::balance(&db.pool, &acme, user).await,
            95,
            "five credits debited, once each"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lock_held_on_a_hubs_hot_rows_times_its_bookings_out_with_a_busy_page_while_other_hubs_stay_fast(
) {
    let db = Arc::new(TestDb::new().await);
    let (pro, service) = fixtures::open_professional(&db.pool, "max@pro.example", "Max").await;
    let hot = hub_with(&db, "hot", 100, pro).await;
    let cool = [
        hub_with(&db, "cool1", 100, pro).await,
        hub_with(&db, "cool2", 100, pro).await,
    ];
    // The case is a lock held for 30 s against the default 10 s lock
    // timeout; scaled down here to a 2 s timeout and a 10 s hold, the same
    // behaviour in a short test.
    let node = Node::start(
        &db.url,
        "db_max_connections = 12\ndb_acquire_timeout_secs = 5\ndb_lock_timeout_secs = 2\n\
         mail_worker = false\nbooking_reminders = false\ndomain_checks = false",
    )
    .await;
    let first = monday_at(1, 0, 0, chrono_tz::UTC);
    let mut hot_members = Vec::new();
    for m in 0..6i64 {
        let user = member_of(&db, &hot, &format!("h{m}@hot.example")).await;
        let b = node.member(&db.pool, "hot", user).await;
        let token = csrf_of(&b.page(&format!("/book/{pro}")).await);
        // A first booking makes the member's balance row.
        let start = first + Span::minutes(30 * m);
        let r = answer(
            "confirm",
            confirm_request(&b, &token, pro, service, start, &format!("h{m}-0")),
        )
        .await;
        assert_eq!(r.status, 303, "{r:?}");
        hot_members.push((b, token));
    }
    let mut cool_members = Vec::new();
    for hub in &cool {
        for m in 0..2 {
            let user = member_of(&db, hub, &format!("c{m}@{}.example", hub.slug)).await;
            cool_members.push(node.member(&db.pool, &hub.slug, user).await);
        }
    }

    // Every hot member's balance row, held.
    let mut hold = TenantTx::begin(&db.pool, &hot)
        .await
        .expect("hub transaction");
    sqlx::query("SELECT user_id FROM credit_balances FOR UPDATE")
        .execute(&mut *hold)
        .await
        .expect("lock the balances");
    let locked = Instant::now();

    let answers = Arc::new(Mutex::new(Vec::<Answer>::new()));
    let done = Arc::new(AtomicBool::new(false));
    let booked_after = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (m, (b, token)) in hot_members.iter().cloned().enumerate() {
        let (answers, done, booked_after) = (answers.clone(), done.clone(), booked_after.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 1i64;
            let mut booked = false;
            while !done.load(Ordering::Relaxed) && !booked {
                let start = first + Span::minutes(30 * (n * 6 + i64::try_from(m).unwrap_or(0)));
                let a = answer(
                    "hot confirm",
                    confirm_request(&b, &token, pro, service, start, &format!("h{m}-{n}")),
                )
                .await;
                n += 1;
                booked = a.status == 303;
                answers.lock().expect("answers").push(a);
            }
            if booked {
                booked_after.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for b in cool_members.iter().cloned() {
        let (answers, done) = (answers.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let anonymous = Browser::new(b.base.clone());
            while !done.load(Ordering::Relaxed) {
                let slots =
                    answer("cool slots", b.client.get(format!("{}/book/{pro}", b.base))).await;
                let page = answer(
                    "cool hub page",
                    anonymous.client.get(format!("{}/", b.base)),
                )
                .await;
                answers.lock().expect("answers").extend([slots, page]);
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    hold.commit().await.expect("release the lock");
    let released = Instant::now();
    // Once the lock is gone, every hot member books again.
    while booked_after.load(Ordering::Relaxed) < hot_members.len() {
        assert!(
            released.elapsed() < Duration::from_secs(15),
            "the hot hub's members book again once the lock is released"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    done.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("load task");
    }
    let answers = answers.lock().expect("answers").clone();
    let during = |a: &&Answer| a.sent >= locked && a.sent + a.took <= released;

    let hot_during: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.what == "hot confirm")
        .filter(during)
        .collect();
    assert!(
        hot_during.len() >= 6,
        "the hot members kept trying: {}",
        hot_during.len()
    );
    for a in &hot_during {
        assert_eq!(
            a.status, 503,
            "a clear 503 when the lock wait times out: {a:?}"
        );
        assert!(
            a.body.contains(BUSY),
            "the page says to try again: {}",
            a.body
        );
        assert!(
            a.took < Duration::from_secs(5),
            "given up after the 2 s lock timeout, not held: {:?}",
            a.took
        );
    }
    let mut cool_during: Vec<Duration> = Vec::new();
    for a in answers
        .iter()
        .filter(|a| a.what.starts_with("cool"))
        .filter(during)
    {
        assert_eq!(
            a.status, 200,
            "other hubs are served during the hold: {a:?}"
        );
        cool_during.push(a.took);
    }
    cool_during.sort_unstable();
    let p99 = cool_during[(cool_during.len() * 99 / 100).min(cool_during.len() - 1)];
    let p50 = cool_during[cool_during.len() / 2];
    println!(
        "during the 10 s hold: {} hot confirms, each a 503 after the lock timeout; \
         {} other hubs' pages, p50 {} ms, p99 {} ms",
        hot_during.len(),
        cool_during.len(),
        p50.as_millis(),
        p99.as_millis()
    );
    assert!(
        cool_during.len() >= 100,
        "other hubs were served all along: {}",
        cool_during.len()
    );
    assert!(
        p99 < Duration::from_millis(1000),
        "other hubs stay fast: p99 {p99:?}"
    );
    bookings_whole(&db.pool, &hot).await;
}

/// A delivery worker with short waits on a pool of its own, as a node runs
/// it, and the count of rounds it finished.
struct FastWorker {
    task: tokio::task::JoinHandle<()>,
    rounds: tokio::sync::watch::Receiver<u64>,
}

impl FastWorker {
    async fn start(db: &TestDb, smtp: &SmtpServer) -> Self {
        let config = hearth_core::config::Config {
            smtp_host: "127.0.0.1".into(),
            smtp_port: smtp.port(),
            ..hearth_core::config::Config::default()
        };
        let mut worker =
            hearth_core::email::worker::Worker::from_config(&config).expect("worker settings");
        worker.poll_interval = Duration::from_millis(100);
        worker.backoff_base = Duration::from_millis(100);
        worker.backoff_max = Duration::from_millis(400);
        worker.max_attempts = 1000;
        let settings = hearth_tenants::db::PoolSettings {
            max_connections: 4,
            ..Default::default()
        };
        let pool = hearth_tenants::db::connect(&db.url, &settings)
            .await
            .expect("pool");
        let rounds = worker.rounds();
        Self {
            task: worker.spawn_listening(pool),
            rounds,
        }
    }

    /// Waits until the worker finished two more rounds, the first begun after
    /// now: anything it would still send, it has sent.
    async fn looked_again(&mut self) {
        let now = *self.rounds.borrow_and_update();
        tokio::time::timeout(
            Duration::from_secs(20),
            self.rounds.wait_for(|n| *n >= now + 2),
        )
        .await
        .expect("the worker finished two rounds")
        .expect("the worker runs");
    }
}

impl Drop for FastWorker {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bookings_made_while_smtp_is_down_each_send_their_emails_exactly_once_when_it_returns() {
    let mut smtp = SmtpServer::start().await;
    smtp.stop().await;
    let db = Arc::new(TestDb::new().await);
    let (pro, service) = fixtures::open_professional(&db.pool, "max@pro.example", "Max").await;
    let acme = hub_with(&db, "acme", 10, pro).await;
    let app = TestApp::spawn_mailing_with(Arc::clone(&db), &smtp, |c| c.mail_worker = false).await;
    let mut worker = FastWorker::start(&db, &smtp).await;
    let mut members = Vec::new();
    for m in 0..10 {
        let email = format!("e{m}@acme.example");
        let user = member_of(&db, &acme, &email).await;
        let b = fixtures::browser_for(&db.pool, &format!("{}/h/acme", app.address), user).await;
        let token = csrf_of(&b.page(&format!("/book/{pro}")).await);
        members.push((email, b, token));
    }
    let first = monday_at(1, 0, 0, chrono_tz::UTC);
    let book_all = |round: i64| {
        futures::future::join_all(members.iter().enumerate().map(|(m, (_, b, token))| {
            let start = first + Span::minutes(30 * (round * 10 + i64::try_from(m).unwrap_or(0)));
            answer(
                "confirm",
                confirm_request(b, token, pro, service, start, &format!("smtp-{m}-{round}")),
            )
        }))
    };
    let outbox = |condition: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!(
                "SELECT count(*) FROM email_outbox WHERE kind = 'booking_confirmed' AND {condition}"
            ))
            .fetch_one(&pool)
            .await
            .expect("count emails")
        }
    };

    for r in book_all(0).await {
        assert_eq!(r.status, 303, "booked while SMTP is down: {r:?}");
    }
    // The worker has tried them all, and failed.
    let deadline = Instant::now() + Duration::from_secs(20);
    while outbox("attempts >= 2 AND last_error IS NOT NULL").await < 20 {
        assert!(
            Instant::now() < deadline,
            "the worker tried every email twice"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Bookings go on while it is still down.
    for r in book_all(1).await {
        assert_eq!(r.status, 303, "booked while SMTP is down: {r:?}");
    }
    assert_eq!(outbox("status = 'pending'").await, 40, "nothing given up");
    assert_eq!(smtp.count(), 0);

    smtp.restart().await;
    smtp.wait_for(40, Duration::from_secs(20)).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while outbox("status = 'sent'").await < 40 {
        assert!(Instant::now() < deadline, "every email is marked sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    worker.looked_again().await;
    let received = smtp.messages();
    assert_eq!(received.len(), 40, "no email was delivered twice");
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM email_outbox WHERE kind = 'booking_confirmed'")
            .fetch_all(&db.pool)
            .await
            .expect("outbox ids");
    let message_ids: Vec<String> = received.iter().map(|m| m.parsed().message_id).collect();
    for id in ids {
        let prefix = format!("{id}.");
        assert_eq!(
            message_ids
                .iter()
                .filter(|m| m.starts_with(&prefix))
                .count(),
            1,
            "outbox row {id} went out once"
        );
    }
    for (email, _, _) in &members {
        let to_them = received
            .iter()
            .filter(|m| m.rcpt_to.iter().any(|r| r == email))
            .count();
        assert_eq!(to_them, 2, "{email}: one confirmation for each booking");
    }
    let to_pro = received
        .iter()
        .filter(|m| m.rcpt_to.iter().any(|r| r == "max@pro.example"))
        .count();
    assert_eq!(to_pro, 20, "the professional: one email a booking");
    bookings_whole(&db.pool, &acme).await;
}
