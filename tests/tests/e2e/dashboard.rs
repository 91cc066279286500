//! The Client Dashboard over real HTTP, real PostgreSQL and real SMTP: Home
//! lists every session with any professional and hub in the user's own
//! timezone, with the credits left per hub and the way back to the hub; the
//! Join button works only inside its window; notifications are written for
//! both sides of a booking, counted in the bell and cleared; switching an
//! email off stops the email but not the notification; invitations reach
//! existing users in the app.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Duration as Span, Utc};
use chrono_tz::Tz;
use hearth_tenants::Tenant;
use hearth_tests::browser::{csrf_of, location, Browser};
use hearth_tests::fixtures::{self, all_week, confirm, monday_at};
use hearth_tests::smtp::SmtpServer;
use hearth_tests::{TestApp, TestDb};
use uuid::Uuid;

const TOKYO: Tz = chrono_tz::Asia::Tokyo;

struct World {
    app: TestApp,
    smtp: SmtpServer,
    acme: Tenant,
}

async fn world() -> World {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let acme = db.hub("acme", "Acme").await;
    let app = TestApp::spawn_mailing_with(db, &smtp, |c| c.booking_reminders = false).await;
    World { app, smtp, acme }
}

impl World {
    fn pool(&self) -> &sqlx::PgPool {
        &self.app.db.pool
    }

    fn hub(&self) -> String {
        format!("{}/h/acme", self.app.address)
    }

    async fn browser_for(&self, base: &str, user: Uuid) -> Browser {
        fixtures::browser_for(self.pool(), base, user).await
    }

    /// A private appointment written directly (for times booking refuses:
    /// the past, or minutes from now), a video session unless `mode` says.
    async fn appointment(
        &self,
        pro: Uuid,
        client: Uuid,
        name: &str,
        starts_at: DateTime<Utc>,
        minutes: i64,
        status: &str,
    ) -> Uuid {
        let id = Uuid::new_v4();
        let ends_at = starts_at + Span::minutes(minutes);
        sqlx::query(
            "INSERT INTO appointments (id, professional_id, client_id, service_name, mode, session_type, \
               starts_at, ends_at, blocked_until, price_minor, currency, status, cancelled_at) \
             VALUES ($1, $2, $3, $4, 'video', 'individual', $5, $6, $6, 9000, 'EUR', $7, \
               CASE WHEN $7 = 'cancelled' THEN now() END)",
        )
        .bind(id)
        .bind(pro)
        .bind(client)
        .bind(name)
        .bind(starts_at)
        .bind(ends_at)
        .bind(status)
        .execute(self.pool())
        .await
        .unwrap();
        id
    }

    async fn count(&self, sql: &str, user: Uuid) -> i64 {
        sqlx::query_scalar(sql)
            .bind(user)
            .fetch_one(self.pool())
            .await
            .unwrap()
    }

    async fn connect(&self, pro: Uuid, client: Uuid) {
        sqlx::query(
            "INSERT INTO connections (professional_id, client_id, source) VALUES ($1, $2, 'manual')",
        )
        .bind(pro)
        .bind(client)
        .execute(self.pool())
        .await
        .unwrap();
    }
}

/// Pages as text, with the `/` that tera escapes in attributes put back.
trait Html {
    /// GET `path`, asserting a 200.
    async fn html(&self, path: &str) -> String;
}

impl Html for Browser {
    async fn html(&self, path: &str) -> String {
        self.page(path).await.replace("&#x2F;", "/")
    }
}

/// The part of `html` from `start` up to `end` (or the end).
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in the page"));
    let rest = &html[from..];
    match rest[start.len()..].find(end) {
        Some(to) => &rest[..start.len() + to],
        None => rest,
    }
}

/// The `<li>` of appointment `id` in a Home list.
fn item(html: &str, id: Uuid) -> &str {
    between(html, &format!("id=\"appt-{id}\""), "</li>")
}

/// The unread count shown on the bell, if any.
fn bell(html: &str) -> Option<u32> {
    let at = html.find("class=\"bell-count\">")?;
    html[at + 19..].split('<').next()?.parse().ok()
}

/// `at` as Home writes a session's start, in `tz`.
fn local(at: DateTime<Utc>, tz: Tz) -> (String, String) {
    let t = at.with_timezone(&tz);
    (
        t.format("%a %-d %b %Y").to_string(),
        t.format("%H:%M").to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_lists_sessions_with_two_professionals_and_a_hub_in_the_users_own_timezone() {
    let w = world().await;
    let ann = fixtures::professional(
        w.pool(),
        "ann@pro.example",
        "Ann Smith",
        "Europe/London",
        0,
        &all_week(),
    )
    .await;
    let bob = fixtures::professional(
        w.pool(),
        "bob@pro.example",
        "Bob Jones",
        "America/New_York",
        0,
        &all_week(),
    )
    .await;
    let ann_service =
        fixtures::service(w.pool(), ann, "Individual session", 50, 2, "individual").await;
    let bob_service = fixtures::service(w.pool(), bob, "Coaching", 45, 1, "individual").await;
    fixtures::on_roster(w.pool(), &w.acme, ann).await;
    fixtures::in_hub(
        w.pool(),
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 5, period_months = 12, period_anchor = '2026-01-01'",
        None,
    )
    .await;
    let kim = fixtures::user(w.pool(), "kim@acme.example", "Kim Tanaka", "Asia/Tokyo").await;
    fixtures::member(w.pool(), &w.acme, kim).await;
    w.connect(bob, kim).await;

    // Through the real booking routes: Ann on the hub, paid in credits; Bob privately.
    let hub_start = monday_at(1, 10, 0, TOKYO);
    let private_start = monday_at(1, 15, 30, TOKYO) + Span::days(2);
    let on_hub = w.browser_for(&w.hub(), kim).await;
    let r = confirm(&on_hub, ann, ann_service, hub_start, "dash-hub-0001").await;
    assert!(location(&r).contains("/appointments/"), "{}", location(&r));
    let hub_id: Uuid = location(&r)
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let on_platform = w.browser_for(&w.app.address, kim).await;
    let r = confirm(
        &on_platform,
        bob,
        bob_service,
        private_start,
        "dash-private-01",
    )
    .await;
    assert!(location(&r).contains("/appointments/"), "{}", location(&r));
    let private_id: Uuid = location(&r)
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // And a session with Bob last week, and one he cancelled.
    let past_start = Utc::now() - Span::days(6);
    let past_id = w
        .appointment(bob, kim, "Intro call", past_start, 30, "confirmed")
        .await;
    let cancelled_id = w
        .appointment(
            bob,
            kim,
            "Follow-up",
            Utc::now() + Span::days(20),
            30,
            "cancelled",
        )
        .await;

    let home = on_platform.html("/dashboard").await;
    assert!(home.contains("Hello, Kim Tanaka"));
    assert!(
        home.contains("Asia/Tokyo"),
        "the page names the user's timezone"
    );
    let upcoming = between(&home, "id=\"upcoming-h\"", "id=\"past-h\"");
    let past = between(&home, "id=\"past-h\"", "id=\"calendar\"");

    // Both professionals and the hub, at Tokyo times (10:00, not London's 01:00).
    let hub_item = item(upcoming, hub_id);
    let (date, time) = local(hub_start, TOKYO);
    assert_eq!(time, "10:00");
    assert!(
        hub_item.contains(&format!("{date}, 10:00–10:50")),
        "{hub_item}"
    );
    assert!(
        hub_item.contains("Individual session") && hub_item.contains("With Ann Smith"),
        "{hub_item}"
    );
    assert!(
        hub_item.contains("2 credits") && hub_item.contains("Acme Wellbeing Hub"),
        "{hub_item}"
    );
    assert!(hub_item.contains("Video session"), "{hub_item}");
    let private_item = item(upcoming, private_id);
    let (date, _) = local(private_start, TOKYO);
    assert!(
        private_item.contains(&format!("{date}, 15:30–16:15")),
        "{private_item}"
    );
    assert!(
        private_item.contains("With Bob Jones") && private_item.contains("€120.00"),
        "{private_item}"
    );
    assert!(
        upcoming.find(&hub_id.to_string()) < upcoming.find(&private_id.to_string()),
        "soonest first"
    );
    assert!(
        !upcoming.contains(&past_id.to_string()) && !upcoming.contains(&cancelled_id.to_string())
    );
    // Past and cancelled sessions are listed apart.
    let (date, time) = local(past_start, TOKYO);
    assert!(
        item(past, past_id).contains(&format!("{date}, {time}")),
        "{past}"
    );
    assert!(item(past, cancelled_id).contains("Cancelled"));
    assert!(!item(past, past_id).contains("Join video session"));

    // The summary, the credits left in the hub and when they reset.
    let summary = between(&home, "id=\"summary-h\"", "class=\"dash-grid\"");
    assert!(summary.contains("<dt>Upcoming</dt><dd>2</dd>"), "{summary}");
    assert!(summary.contains("<dt>Past</dt><dd>1</dd>"), "{summary}");
    assert!(
        summary.contains("<dt>Cancelled</dt><dd>1</dd>"),
        "{summary}"
    );
    let period = hearth_core::credits::period_containing(
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        12,
        Utc::now().date_naive(),
    );
    assert!(
        summary.contains("<span class=\"credit-balance\">3</span>"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("Resets on {}", period.end.format("%-d %B %Y"))),
        "{summary}"
    );
    // The house-and-heart icon leads back to the hub.
    assert!(home.contains("aria-label=\"Back to the Acme Wellbeing Hub\""));
    assert!(
        home.contains("href=\"http://acme.hearth.localhost:8080/\""),
        "{home}"
    );
    let on_hub_home = on_hub.html("/dashboard").await;
    assert!(on_hub_home.contains("class=\"hub-home\" href=\"/h/acme/\""));
    assert!(item(&on_hub_home, hub_id).contains("href=\"/h/acme/appointments/"));

    // The week calendar of that week lists both sessions as links, Tokyo days.
    let monday = hub_start.with_timezone(&TOKYO).date_naive();
    let week = on_platform
        .html(&format!("/dashboard?view=week&week={monday}"))
        .await;
    let cal = between(&week, "id=\"calendar\"", "id=\"conn-h\"");
    let monday_cell = between(cal, &format!("data-date=\"{monday}\""), "</li>");
    assert!(
        monday_cell.contains(&format!("/appointments/{hub_id}")),
        "{monday_cell}"
    );
    assert!(monday_cell.contains("10:00"), "{monday_cell}");
    let wednesday = private_start.with_timezone(&TOKYO).date_naive();
    assert!(between(cal, &format!("data-date=\"{wednesday}\""), "</li>")
        .contains(&private_id.to_string()));
    // The month grid marks the days with sessions.
    let month = on_platform
        .html(&format!(
            "/dashboard?view=month&month={}",
            monday.format("%Y-%m")
        ))
        .await;
    let cell = between(&month, &format!("data-date=\"{monday}\""), "</td>");
    assert!(month.contains(&format!("{}", monday.format("%B %Y"))));
    assert!(
        month[..month.find(&format!("data-date=\"{monday}\"")).unwrap()].ends_with("busy\" "),
        "{cell}"
    );
    assert!(cell.contains(&format!("/appointments/{hub_id}")), "{cell}");
    // Nonsense parameters show the current month rather than failing.
    assert_eq!(
        on_platform
            .get("/dashboard?view=month&month=9999-99")
            .await
            .status(),
        200
    );

    // The professional sees her own session on her Home, in her timezone.
    let ann_home = w
        .browser_for(&w.app.address, ann)
        .await
        .html("/dashboard")
        .await;
    let ann_item = item(&ann_home, hub_id);
    assert!(ann_item.contains("Client: Kim Tanaka"), "{ann_item}");
    let (date, time) = local(hub_start, chrono_tz::Europe::London);
    assert!(ann_item.contains(&format!("{date}, {time}")), "{ann_item}");

    // Connections: both professionals, each with a way to book again.
    let conns = on_platform.html("/connections").await;
    let ann_card = between(&conns, &format!("id=\"pro-{ann}\""), "</li>");
    assert!(
        ann_card.contains("http://acme.hearth.localhost:8080/book/"),
        "{ann_card}"
    );
    assert!(ann_card.contains("Book with Acme credits"), "{ann_card}");
    let bob_card = between(&conns, &format!("id=\"pro-{bob}\""), "</li>");
    assert!(
        bob_card.contains(&format!("href=\"/book/{bob}\"")),
        "{bob_card}"
    );
    assert!(!bob_card.contains("Acme"), "Bob is not on the hub's roster");
    // Someone else sees none of it.
    let stranger = fixtures::user(w.pool(), "sam@example.com", "Sam", "UTC").await;
    let theirs = w
        .browser_for(&w.app.address, stranger)
        .await
        .html("/dashboard")
        .await;
    assert!(theirs.contains("You have no upcoming appointments."));
    assert!(!theirs.contains(&hub_id.to_string()) && !theirs.contains("Acme Wellbeing Hub"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_is_open_from_ten_minutes_before_the_start_and_opens_the_room() {
    let w = world().await;
    let pro = fixtures::professional(
        w.pool(),
        "ann@pro.example",
        "Ann Smith",
        "Europe/London",
        0,
        &all_week(),
    )
    .await;
    let kim = fixtures::user(w.pool(), "kim@example.com", "Kim Tanaka", "Asia/Tokyo").await;
    let now = Utc::now();
    let soon = w
        .appointment(pro, kim, "Soon", now + Span::minutes(5), 50, "confirmed")
        .await;
    let later_start = now + Span::hours(2);
    let later = w
        .appointment(pro, kim, "Later", later_start, 50, "confirmed")
        .await;
    let other = fixtures::professional(
        w.pool(),
        "bob@pro.example",
        "Bob Jones",
        "UTC",
        0,
        &all_week(),
    )
    .await;
    let running = w
        .appointment(
            other,
            kim,
            "Running",
            now - Span::hours(6) - Span::minutes(20),
            6 * 60 + 50,
            "confirmed",
        )
        .await;

    let b = w.browser_for(&w.app.address, kim).await;
    let home = b.html("/dashboard").await;
    for open in [soon, running] {
        let li = item(&home, open);
        assert!(
            li.contains(&format!(
                "<a class=\"button join\" href=\"/appointments/{open}/session\""
            )),
            "{li}"
        );
        assert!(!li.contains("disabled"), "{li}");
    }
    let li = item(&home, later);
    assert!(
        li.contains("disabled") && li.contains("Join video session"),
        "{li}"
    );
    assert!(!li.contains("class=\"button join\""), "{li}");
    let opens = (later_start - Span::minutes(10)).with_timezone(&TOKYO);
    assert!(
        li.contains(&format!("Opens {}", opens.format("%a %-d %b, %H:%M"))),
        "says when it opens, in Tokyo time: {li}"
    );
    // The appointment page's button opens the room too.
    let session = b.html(&format!("/appointments/{soon}")).await;
    assert!(
        session.contains(&format!("href=\"/appointments/{soon}/session\"")),
        "{session}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_notifies_both_sides_and_the_bell_counts_and_clears() {
    let w = world().await;
    let ann = fixtures::professional(
        w.pool(),
        "ann@pro.example",
        "Ann Smith",
        "Europe/London",
        0,
        &all_week(),
    )
    .await;
    let service = fixtures::service(w.pool(), ann, "Individual session", 50, 1, "individual").await;
    fixtures::on_roster(w.pool(), &w.acme, ann).await;
    let kim = fixtures::user(w.pool(), "kim@acme.example", "Kim Tanaka", "Asia/Tokyo").await;
    fixtures::in_hub(
        w.pool(),
        &w.acme,
        "UPDATE hub_settings SET credits_per_period = 5",
        None,
    )
    .await;
    fixtures::member(w.pool(), &w.acme, kim).await;
    let b = w.browser_for(&w.hub(), kim).await;
    assert_eq!(
        bell(&b.html("/dashboard").await),
        None,
        "nothing unread yet"
    );

    let first = monday_at(1, 10, 0, TOKYO);
    let r = confirm(&b, ann, service, first, "notify-0000001").await;
    assert!(location(&r).contains("/appointments/"), "{}", location(&r));
    let unread = "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
    assert_eq!(w.count(unread, kim).await, 1);
    assert_eq!(
        w.count(unread, ann).await,
        1,
        "the professional is told too"
    );
    let home = b.html("/dashboard").await;
    assert_eq!(bell(&home), Some(1));
    let list = b.html("/notifications").await;
    assert!(
        list.contains("Session booked: Individual session with Ann Smith"),
        "{list}"
    );
    assert!(
        list.contains("(Asia/Tokyo)"),
        "in the user's timezone: {list}"
    );
    let ann_list = w
        .browser_for(&w.app.address, ann)
        .await
        .html("/notifications")
        .await;
    assert!(
        ann_list.contains("Session booked: Individual session with Kim Tanaka"),
        "{ann_list}"
    );

    // A second booking, and a cancellation: three unread.
    let second = monday_at(1, 14, 0, TOKYO);
    let r = confirm(&b, ann, service, second, "notify-0000002").await;
    let second_id = location(&r)
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let page = b.html(&format!("/appointments/{second_id}")).await;
    let r = b
        .post(
            &format!("/appointments/{second_id}/cancel"),
            &csrf_of(&page),
            &[],
        )
        .await;
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(w.count(unread, kim).await, 3);
    let list = b.html("/notifications").await;
    assert_eq!(bell(&list), Some(3));
    assert!(
        list.contains("3 unread") && list.contains("Session cancelled"),
        "{list}"
    );

    // Mark one read: one fewer.
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM notifications WHERE user_id = $1 AND kind = 'booking_cancelled'",
    )
    .bind(kim)
    .fetch_one(w.pool())
    .await
    .unwrap();
    let r = b
        .post(&format!("/notifications/{id}/read"), &csrf_of(&list), &[])
        .await;
    assert_eq!(location(&r), "/h/acme/notifications");
    let list = b.html("/notifications").await;
    assert_eq!(bell(&list), Some(2));
    assert!(list.contains("2 unread"));
    // Someone else's notification cannot be touched.
    let ann_note: i64 = sqlx::query_scalar("SELECT id FROM notifications WHERE user_id = $1")
        .bind(ann)
        .fetch_one(w.pool())
        .await
        .unwrap();
    let r = b
        .post(
            &format!("/notifications/{ann_note}/read"),
            &csrf_of(&list),
            &[],
        )
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(w.count(unread, ann).await, 3, "hers stay unread");

    // Mark all read: the bell is quiet, the list keeps them.
    b.post("/notifications/read-all", &csrf_of(&list), &[])
        .await;
    let list = b.html("/notifications").await;
    assert_eq!(bell(&list), None);
    assert!(list.contains("All read") && list.contains("Session booked"));
    assert_eq!(w.count(unread, kim).await, 0);
    assert_eq!(
        w.count("SELECT count(*) FROM notifications WHERE user_id = $1", kim)
            .await,
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_booking_emails_off_stops_the_email_but_keeps_the_notification() {
    let w = world().await;
    let ann = fixtures::professional(
        w.pool(),
        "ann@pro.example",
        "Ann Smith",
        "Europe/London",
        0,
        &all_week(),
    )
    .await;
    let service = fixtures::service(w.pool(), ann, "Individual session", 50, 0, "individual").await;
    let kim = fixtures::user(w.pool(), "kim@example.com", "Kim Tanaka", "Asia/Tokyo").await;
    w.connect(ann, kim).await;
    let b = w.browser_for(&w.app.address, kim).await;

    let settings = b.html("/account/notifications").await;
    assert!(settings
        .contains("id=\"k-booking_confirmed\" name=\"booking_confirmed\" value=\"on\" checked"));
    assert!(
        settings.contains("Security emails"),
        "says which emails always come"
    );
    // Everything on but bookings made.
    let r = b
        .post(
            "/account/notifications",
            &csrf_of(&settings),
            &[
                ("booking_rescheduled", "on"),
                ("booking_cancelled", "on"),
                ("reminder", "on"),
                ("invitation", "on"),
                ("payment_request", "on"),
            ],
        )
        .await;
    let saved = r.text().await.unwrap().replace("&#x2F;", "/");
    assert!(saved.contains("Your email settings were saved."));
    assert!(
        saved.contains("id=\"k-booking_confirmed\" name=\"booking_confirmed\" value=\"on\">"),
        "{saved}"
    );
    assert!(saved.contains("id=\"k-reminder\" name=\"reminder\" value=\"on\" checked"));

    let r = confirm(
        &b,
        ann,
        service,
        monday_at(1, 10, 0, TOKYO),
        "email-off-0001",
    )
    .await;
    assert!(location(&r).contains("/appointments/"), "{}", location(&r));
    // The professional's confirmation arrives; none for the client.
    let mails = w.smtp.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(mails[0].parsed().to, "ann@pro.example");
    hearth_tests::outbox_settled(w.pool()).await;
    let to: Vec<String> = w.smtp.messages().iter().map(|m| m.parsed().to).collect();
    assert_eq!(to, ["ann@pro.example"]);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM email_outbox o JOIN users u ON lower(u.email) = lower(o.to_address) WHERE u.id = $1",
            kim
        )
        .await,
        0
    );
    // Still told in the app.
    assert_eq!(bell(&b.html("/dashboard").await), Some(1));
    assert!(b.html("/notifications").await.contains("Session booked"));

    // Cancelling is still emailed (that kind is on).
    let id = location(&r)
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let page = b.html(&format!("/appointments/{id}")).await;
    b.post(&format!("/appointments/{id}/cancel"), &csrf_of(&page), &[])
        .await;
    let mails = w.smtp.wait_for(3, Duration::from_secs(15)).await;
    let to: Vec<String> = mails.iter().map(|m| m.parsed().to).collect();
    assert!(to.contains(&"kim@example.com".to_owned()), "{to:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_existing_user_is_told_in_the_app_and_accepts_from_connections() {
    let w = world().await;
    let ann = fixtures::professional(
        w.pool(),
        "ann@pro.example",
        "Ann Smith",
        "Europe/London",
        0,
        &all_week(),
    )
    .await;
    let kim = fixtures::user(w.pool(), "kim@example.com", "Kim Tanaka", "Asia/Tokyo").await;
    let pb = w.browser_for(&w.app.address, ann).await;
    let r = pb
        .submit(
            "/pro/invitations",
            "/pro/invitations",
            &[
                ("email", "Kim@Example.com"),
                ("name", "Kim"),
                ("message", "Welcome!"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    // Emailed (the kind is on) and told in the app.
    let mails = w.smtp.wait_for(1, Duration::from_secs(15)).await;
    assert!(mails[0].parsed().to.eq_ignore_ascii_case("kim@example.com"));
    let b = w.browser_for(&w.app.address, kim).await;
    let list = b.html("/notifications").await;
    assert_eq!(bell(&list), Some(1));
    assert!(list.contains("Ann Smith invited you to connect"), "{list}");
    assert!(list.contains("href=\"/connections\""));

    let conns = b.html("/connections").await;
    let invite = between(&conns, "id=\"inv-h\"", "</section>");
    assert!(
        invite.contains("Ann Smith") && invite.contains("Welcome!"),
        "{invite}"
    );
    let action = between(invite, "action=\"", "\"")
        .trim_start_matches("action=\"")
        .to_owned();
    let r = b.post(&action, &csrf_of(&conns), &[]).await;
    assert_eq!(location(&r), "/connections?accepted=1");
    let conns = b.html("/connections?accepted=1").await;
    assert!(conns.contains("You are now connected."));
    assert!(
        !conns.contains("id=\"inv-h\""),
        "no invitation left to accept"
    );
    let card = between(&conns, &format!("id=\"pro-{ann}\""), "</li>");
    assert!(card.contains(&format!("href=\"/book/{ann}\"")), "{card}");
    // Accepting again, or someone else's invitation, is refused.
    let r = b.post(&action, &csrf_of(&conns), &[]).await;
    assert_eq!(r.status(), 404);

    // With invitation emails off, the next one is only in the app.
    let bo =
        fixtures::professional(w.pool(), "bo@pro.example", "Bo Berg", "UTC", 0, &all_week()).await;
    let settings = b.html("/account/notifications").await;
    b.post(
        "/account/notifications",
        &csrf_of(&settings),
        &[("booking_confirmed", "on")],
    )
    .await;
    w.browser_for(&w.app.address, bo)
        .await
        .submit(
            "/pro/invitations",
            "/pro/invitations",
            &[("email", "kim@example.com")],
        )
        .await;
    assert!(b
        .html("/notifications")
        .await
        .contains("Bo Berg invited you to connect"));
    hearth_tests::outbox_settled(w.pool()).await;
    assert_eq!(w.smtp.count(), 1, "no second invitation email");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_icelandic_user_reads_connections_and_email_settings_in_icelandic() {
    use chrono::TimeZone;
    let w = world().await;
    let ann = fixtures::professional(
        w.pool(),
        "ann@pro.example",
        "Ann Smith",
        "Europe/London",
        0,
        &all_week(),
    )
    .await;
    let sig = fixtures::user(
        w.pool(),
        "sigga@example.is",
        "Sigríður",
        "Atlantic/Reykjavik",
    )
    .await;
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(sig)
        .execute(w.pool())
        .await
        .unwrap();
    let kim = fixtures::user(
        w.pool(),
        "kim@example.com",
        "Kim Tanaka",
        "Atlantic/Reykjavik",
    )
    .await;
    for (client, day) in [(sig, 3), (kim, 4)] {
        w.connect(ann, client).await;
        let start = Utc.with_ymd_and_hms(2025, 11, day, 10, 0, 0).unwrap();
        w.appointment(ann, client, "Talk", start, 50, "confirmed")
            .await;
    }

    let b = w.browser_for(&w.app.address, sig).await;
    let conns = b.html("/connections").await;
    for expected in [
        "<html lang=\"is\">",
        "<h1>Tengingar</h1>",
        ">Sérfræðingarnir þínir<",
        "Síðasti tími 3. nóvember 2025",
        ">Bóka aftur<",
    ] {
        assert!(conns.contains(expected), "{expected} missing: {conns}");
    }
    for english in ["Your professionals", "Book again", "November"] {
        assert!(!conns.contains(english), "{english} is English: {conns}");
    }
    let settings = b.html("/account/notifications").await;
    for expected in [
        "<h1>Tölvupóststillingar</h1>",
        ">Sendu mér tölvupóst þegar<",
        ">Tími er bókaður<",
        ">Vista<",
    ] {
        assert!(
            settings.contains(expected),
            "{expected} missing: {settings}"
        );
    }
    assert!(!settings.contains("Send me an email when"), "{settings}");

    // In English, as before.
    let en = w.browser_for(&w.app.address, kim).await;
    let conns = en.html("/connections").await;
    for expected in [
        "<h1>Connections</h1>",
        ">Your professionals<",
        "Last session on 4 November 2025",
        ">Book again<",
    ] {
        assert!(conns.contains(expected), "{expected} missing: {conns}");
    }
}
