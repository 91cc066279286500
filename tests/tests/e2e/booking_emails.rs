//! What attendees of an appointment are told: the booking emails reach client
//! and professional over real SMTP, each in their own language and timezone,
//! branded like the hub, with a calendar file that later emails update (same
//! UID, higher SEQUENCE) or cancel; reminders go out once, a day and an hour
//! ahead, and never for a cancelled session.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone as _, Utc};
use hearth_core::booking::notify::{appointment_changed, BookingEvent};
use hearth_core::booking::reminders::send_due;
use hearth_core::config::{Config, SmtpTls};
use hearth_core::{AppState, Application};
use hearth_tenants::{Tenant, TenantTx};
use hearth_tests::smtp::{Parsed, Received, SmtpServer};
use hearth_tests::{workspace_root, TestDb};
use sqlx::PgPool;
use uuid::Uuid;

const WAIT: Duration = Duration::from_secs(20);
const CLIENT: &str = "jon@example.is";
const PRO: &str = "ann.smith@example.com";

/// The application on `db`, sending to `smtp`, with the reminder loop off
/// (the tests run reminder passes themselves).
struct Node {
    state: AppState,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn start(db: &TestDb, smtp: &SmtpServer) -> Node {
    let config = Config {
        database_url: Some(db.url.clone()),
        listen: "127.0.0.1:0".parse().unwrap(),
        themes_dir: workspace_root().join("themes"),
        smtp_host: "127.0.0.1".into(),
        smtp_port: smtp.port(),
        smtp_tls: SmtpTls::None,
        mail_from: "Hearth <no-reply@hearth.test>".into(),
        booking_reminders: false,
        ..Config::default()
    };
    let app = Application::build_with_pool(config, db.pool.clone())
        .await
        .unwrap();
    let state = app.state();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    Node { state, _stop: stop }
}

/// The two people of every test: an Icelandic client in Reykjavik and an
/// English-speaking professional in New York. Returns (client, professional).
async fn people(pool: &PgPool) -> (Uuid, Uuid) {
    let client = Uuid::new_v4();
    let pro = Uuid::new_v4();
    for (id, email, name, language, tz) in [
        (client, CLIENT, "Jón Jónsson", "is", "Atlantic/Reykjavik"),
        (pro, PRO, "Dr Ann Smith", "en", "America/New_York"),
    ] {
        sqlx::query(
            "INSERT INTO users (id, email, name, language, timezone, email_verified_at) \
             VALUES ($1, $2, $3, $4, $5, now())",
        )
        .bind(id)
        .bind(email)
        .bind(name)
        .bind(language)
        .bind(tz)
        .execute(pool)
        .await
        .unwrap();
    }
    // The professional works in another zone than their account's: the
    // email follows the recipient's own (account) timezone.
    sqlx::query(
        "INSERT INTO professionals (user_id, title, timezone) VALUES ($1, 'Psychologist', 'Europe/London')",
    )
    .bind(pro)
    .execute(pool)
    .await
    .unwrap();
    (client, pro)
}

/// A confirmed 50-minute video appointment at `starts_at`.
async fn appointment(
    pool: &PgPool,
    (client, pro): (Uuid, Uuid),
    tenant: Option<&Tenant>,
    starts_at: DateTime<Utc>,
) -> Uuid {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO appointments (id, professional_id, client_id, tenant_id, service_name, mode, \
           session_type, starts_at, ends_at, blocked_until, credits) \
         VALUES ($1, $2, $3, $4, 'Individual session', 'video', 'individual', $5, \
           $5 + interval '50 minutes', $5 + interval '60 minutes', 1)",
    )
    .bind(id)
    .bind(pro)
    .bind(client)
    .bind(tenant.map(|t| t.id))
    .bind(starts_at)
    .execute(pool)
    .await
    .unwrap();
    id
}

/// Tells both sides of `event`, in a committed transaction as the booking code would.
async fn tell(node: &Node, id: Uuid, event: BookingEvent) {
    let mut tx = node.state.pool.begin().await.unwrap();
    appointment_changed(&node.state, &mut tx, id, event)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The parsed calendar attached to `message`, and its raw MIME headers' view
/// of the attachment's content type.
fn calendar(message: &Parsed) -> ical::parser::ical::component::IcalCalendar {
    let (name, mime, bytes) = message
        .attachments
        .iter()
        .find(|(name, _, _)| name == "invite.ics")
        .unwrap_or_else(|| panic!("no invite.ics in {message:?}"));
    assert_eq!(name, "invite.ics");
    assert_eq!(mime, "text/calendar");
    let mut parser = ical::IcalParser::new(bytes.as_slice());
    let calendar = parser.next().expect("a calendar").expect("it parses");
    assert!(parser.next().is_none());
    calendar
}

/// The value of property `name` among `props`.
fn value(props: &[ical::property::Property], name: &str) -> String {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// Calendar-level and event-level property `name` of `message`'s invite.
fn event_value(message: &Parsed, name: &str) -> String {
    let calendar = calendar(message);
    assert_eq!(calendar.events.len(), 1);
    value(&calendar.events[0].properties, name)
}

fn method(message: &Parsed) -> String {
    value(&calendar(message).properties, "METHOD")
}

/// The messages received for `to`, decoded, ordered by their calendar SEQUENCE.
fn for_recipient(received: &[Received], to: &str) -> Vec<(Received, Parsed)> {
    let mut found: Vec<(Received, Parsed)> = received
        .iter()
        .filter(|r| r.rcpt_to == [to])
        .map(|r| (r.clone(), r.parsed()))
        .collect();
    found.sort_by_key(|(_, p)| event_value(p, "SEQUENCE").parse::<i32>().unwrap());
    found
}

fn text(message: &Parsed) -> &str {
    message.text.as_deref().unwrap()
}

/// The HTML part as a browser reads it (tera escapes `/` in values).
fn html(message: &Parsed) -> String {
    message.html.as_deref().unwrap().replace("&#x2F;", "/")
}

async fn count_outbox(pool: &PgPool, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM email_outbox WHERE kind = $1")
        .bind(kind)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_reaches_both_sides_in_their_own_language_and_timezone_with_a_calendar_file()
{
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let node = start(&db, &smtp).await;
    let people = people(&db.pool).await;
    // Monday 4 March 2030, 14:00 UTC: 14:00 in Reykjavik, 09:00 in New York (EST).
    let starts_at = Utc.with_ymd_and_hms(2030, 3, 4, 14, 0, 0).unwrap();
    let id = appointment(&db.pool, people, None, starts_at).await;

    tell(&node, id, BookingEvent::Confirmed).await;

    let received = smtp.wait_for(2, WAIT).await;
    assert_eq!(received.len(), 2);
    let link = format!("{}/appointments/{id}", node.state.config.platform_url());

    let client = &for_recipient(&received, CLIENT)[0].1;
    assert_eq!(client.to_name.as_deref(), Some("Jón Jónsson"));
    assert_eq!(client.subject, "Tíminn þinn hjá Dr Ann Smith er bókaður");
    assert!(
        text(client).contains("Halló Jón Jónsson,"),
        "{}",
        text(client)
    );
    assert!(
        text(client).contains("Hvenær: mánudagur 4. mars 2030, kl. 14:00 (Atlantic/Reykjavik)"),
        "{}",
        text(client)
    );
    assert!(
        text(client).contains(&format!("Tengjast myndsímtali: {link}")),
        "{}",
        text(client)
    );
    assert!(html(client).contains(&format!("href=\"{link}\"")));
    assert!(html(client).contains("Tengjast myndsímtali"));
    // The platform's own look for a private client's appointment.
    assert!(html(client).contains("#f6f4f0"));

    let pro = &for_recipient(&received, PRO)[0].1;
    assert_eq!(
        pro.subject,
        "New booking: Jón Jónsson, Monday 4 March 2030, 09:00 (America/New_York)"
    );
    assert!(text(pro).contains("Jón Jónsson booked a session with you."));
    assert!(
        text(pro).contains("When: Monday 4 March 2030, 09:00 (America/New_York)"),
        "{}",
        text(pro)
    );
    assert!(text(pro).contains("Individual session (Video session, 50 minutes)"));
    assert!(text(pro).contains(&format!("Join video session: {link}")));
    assert!(text(pro).contains("Add it to your calendar with the attached file."));

    for message in [client, pro] {
        assert_eq!(method(message), "REQUEST");
        assert_eq!(event_value(message, "UID"), format!("{id}@hearth"));
        assert_eq!(event_value(message, "SEQUENCE"), "0");
        assert_eq!(event_value(message, "DTSTART"), "20300304T140000Z");
        assert_eq!(event_value(message, "DTEND"), "20300304T145000Z");
        assert_eq!(event_value(message, "STATUS"), "CONFIRMED");
        assert_eq!(event_value(message, "ORGANIZER"), format!("mailto:{PRO}"));
        assert_eq!(event_value(message, "ATTENDEE"), format!("mailto:{CLIENT}"));
        assert_eq!(event_value(message, "URL"), link);
    }
    // Each calendar entry is written in its reader's language.
    let described = |message: &Parsed| event_value(message, "DESCRIPTION");
    assert!(
        described(client).starts_with("Individual session (Myndsímtal) · Dr Ann Smith"),
        "{}",
        described(client)
    );
    assert!(
        described(pro).starts_with("Individual session (Video session) · Jón Jónsson"),
        "{}",
        described(pro)
    );
    let raw = String::from_utf8_lossy(&received[0].raw).to_lowercase();
    assert!(raw.contains("method=request"), "{raw}");

    let tenants: Vec<Option<i64>> =
        sqlx::query_scalar("SELECT tenant_id FROM email_outbox WHERE kind = 'booking_confirmed'")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(tenants, [None, None]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_appointment_is_branded_by_the_hub_and_its_reschedule_and_cancellation_update_the_same_calendar_event(
) {
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let node = start(&db, &smtp).await;
    let hub = db.hub("acme", "Acme Ltd").await;
    let mut tx = TenantTx::begin(&db.pool, &hub).await.unwrap();
    sqlx::query("UPDATE hub_settings SET theme = 'calm', own_look = true")
        .execute(&mut *tx)
        .await
        .unwrap();
    hearth_tests::fixtures::by_hand(&mut tx).await;
    tx.commit().await.unwrap();
    let (client_id, pro_id) = people(&db.pool).await;
    let starts_at = Utc.with_ymd_and_hms(2030, 3, 4, 14, 0, 0).unwrap();
    let id = appointment(&db.pool, (client_id, pro_id), Some(&hub), starts_at).await;

    tell(&node, id, BookingEvent::Confirmed).await;
    // Moved a week later, as the booking code does: the sequence goes up.
    // The new times bound (as the booking code does), not worked out in the
    // UPDATE: Citus takes no timestamp arithmetic over columns there.
    let week = chrono::Duration::days(7);
    sqlx::query(
        "UPDATE appointments SET starts_at = $2, ends_at = $3, blocked_until = $4, \
           sequence = sequence + 1 WHERE id = $1",
    )
    .bind(id)
    .bind(starts_at + week)
    .bind(starts_at + chrono::Duration::minutes(50) + week)
    .bind(starts_at + chrono::Duration::minutes(60) + week)
    .execute(&db.pool)
    .await
    .unwrap();
    tell(&node, id, BookingEvent::Rescheduled).await;
    // Cancelled by the client.
    sqlx::query(
        "UPDATE appointments SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, \
           sequence = sequence + 1 WHERE id = $1",
    )
    .bind(id)
    .bind(client_id)
    .execute(&db.pool)
    .await
    .unwrap();
    tell(&node, id, BookingEvent::Cancelled).await;

    let received = smtp.wait_for(6, WAIT).await;
    assert_eq!(received.len(), 6);
    let link = format!("{}/appointments/{id}", node.state.config.hub_url("acme"));
    assert!(link.starts_with("http://acme.hearth.localhost"), "{link}");

    let client = for_recipient(&received, CLIENT);
    let pro = for_recipient(&received, PRO);
    assert_eq!(client.len(), 3);
    assert_eq!(pro.len(), 3);
    for side in [&client, &pro] {
        let sequences: Vec<String> = side
            .iter()
            .map(|(_, p)| event_value(p, "SEQUENCE"))
            .collect();
        assert_eq!(sequences, ["0", "1", "2"]);
        for (_, message) in side {
            // One event in the attendee's calendar, whatever happens to it.
            assert_eq!(event_value(message, "UID"), format!("{id}@hearth"));
            assert!(text(message).contains(&link), "{}", text(message));
            // Branded like the hub: its name and its theme (calm's background).
            assert!(html(message).contains("Acme Ltd"));
            assert!(html(message).contains("#f3f1fa"));
        }
        let (raw_confirmed, confirmed) = &side[0];
        let (_, moved) = &side[1];
        let (raw_cancelled, cancelled) = &side[2];
        assert_eq!(method(confirmed), "REQUEST");
        assert_eq!(event_value(confirmed, "DTSTART"), "20300304T140000Z");
        assert_eq!(method(moved), "REQUEST");
        assert_eq!(event_value(moved, "DTSTART"), "20300311T140000Z");
        assert_eq!(event_value(moved, "STATUS"), "CONFIRMED");
        assert_eq!(method(cancelled), "CANCEL");
        assert_eq!(event_value(cancelled, "STATUS"), "CANCELLED");
        let raw = |r: &Received| String::from_utf8_lossy(&r.raw).to_lowercase();
        assert!(raw(raw_confirmed).contains("method=request"));
        assert!(raw(raw_cancelled).contains("method=cancel"));
    }

    let (_, moved) = &client[1];
    assert_eq!(
        moved.subject,
        "Tíminn þinn hjá Dr Ann Smith hefur verið færður"
    );
    assert!(
        text(moved).contains("Hvenær: mánudagur 11. mars 2030, kl. 14:00 (Atlantic/Reykjavik)"),
        "{}",
        text(moved)
    );
    let (_, moved) = &pro[1];
    assert_eq!(
        moved.subject,
        "Session with Jón Jónsson moved to Monday 11 March 2030, 10:00 (America/New_York)"
    );
    let (_, cancelled) = &client[2];
    assert_eq!(
        cancelled.subject,
        "Tímanum þínum hjá Dr Ann Smith hefur verið aflýst"
    );
    assert!(
        text(cancelled).contains("Þú aflýstir honum."),
        "{}",
        text(cancelled)
    );
    let (_, cancelled) = &pro[2];
    assert!(
        text(cancelled)
            .contains("Your session with Jón Jónsson is cancelled. Jón Jónsson cancelled it."),
        "{}",
        text(cancelled)
    );
    assert!(text(cancelled).contains("The attached file removes it from your calendar."));

    let tenants: Vec<Option<i64>> = sqlx::query_scalar(
        "SELECT DISTINCT tenant_id FROM email_outbox WHERE kind LIKE 'booking\\_%'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(tenants, [Some(hub.id.0)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_side_whose_account_is_gone_gets_no_email_and_the_other_still_does() {
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let node = start(&db, &smtp).await;
    let (client_id, pro_id) = people(&db.pool).await;
    let id = appointment(
        &db.pool,
        (client_id, pro_id),
        None,
        Utc::now() + TimeDelta::days(3),
    )
    .await;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(client_id)
        .execute(&db.pool)
        .await
        .unwrap();

    tell(&node, id, BookingEvent::Cancelled).await;

    let received = smtp.wait_for(1, WAIT).await;
    hearth_tests::outbox_settled(&db.pool).await;
    assert_eq!(smtp.count(), 1);
    assert_eq!(received[0].rcpt_to, [PRO]);
    let message = received[0].parsed();
    assert_eq!(method(&message), "CANCEL");
    let calendar = calendar(&message);
    assert!(
        calendar.events[0]
            .properties
            .iter()
            .all(|p| p.name != "ATTENDEE"),
        "no attendee without an address"
    );
}

#[derive(Debug, PartialEq, sqlx::FromRow)]
struct Stamps {
    day: bool,
    hour: bool,
}

async fn stamps(pool: &PgPool, id: Uuid) -> Stamps {
    sqlx::query_as(
        "SELECT reminded_24h_at IS NOT NULL AS day, reminded_1h_at IS NOT NULL AS hour \
         FROM appointments WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_go_out_once_per_side_a_day_and_an_hour_ahead_and_never_for_a_cancelled_session()
{
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let node = start(&db, &smtp).await;
    let people = people(&db.pool).await;
    let now = Utc::now();
    let tomorrow = appointment(&db.pool, people, None, now + TimeDelta::hours(23)).await;
    let soon = appointment(&db.pool, people, None, now + TimeDelta::minutes(50)).await;
    let later = appointment(&db.pool, people, None, now + TimeDelta::hours(30)).await;
    let cancelled = appointment(&db.pool, people, None, now + TimeDelta::hours(20)).await;
    sqlx::query(
        "UPDATE appointments SET status = 'cancelled', cancelled_at = now(), sequence = 1 WHERE id = $1",
    )
    .bind(cancelled)
    .execute(&db.pool)
    .await
    .unwrap();

    assert_eq!(send_due(&node.state, now).await.unwrap(), 2);
    let received = smtp.wait_for(4, WAIT).await;
    assert_eq!(count_outbox(&db.pool, "booking_reminder").await, 4);

    let client = for_recipient(&received, CLIENT);
    let pro = for_recipient(&received, PRO);
    assert_eq!((client.len(), pro.len()), (2, 2));
    let about = |side: &[(Received, Parsed)], id: Uuid| -> Parsed {
        side.iter()
            .map(|(_, p)| p)
            .find(|p| event_value(p, "UID") == format!("{id}@hearth"))
            .cloned()
            .unwrap_or_else(|| panic!("no reminder about {id}"))
    };
    assert_eq!(
        about(&client, tomorrow).subject,
        "Áminning: tíminn þinn hjá Dr Ann Smith er á morgun"
    );
    assert_eq!(
        about(&pro, tomorrow).subject,
        "Reminder: session with Jón Jónsson tomorrow"
    );
    assert!(text(&about(&pro, tomorrow)).contains("Your session with Jón Jónsson is tomorrow."));
    // 50 minutes ahead: the hour reminder only, never a "tomorrow".
    assert_eq!(
        about(&client, soon).subject,
        "Áminning: tíminn þinn hjá Dr Ann Smith er eftir klukkustund"
    );
    let soon_pro = about(&pro, soon);
    assert_eq!(
        soon_pro.subject,
        "Reminder: session with Jón Jónsson in one hour"
    );
    assert!(text(&soon_pro).contains("starts in one hour"));
    assert!(text(&soon_pro).contains("Join video session: "));
    assert_eq!(method(&soon_pro), "REQUEST");

    assert_eq!(
        stamps(&db.pool, tomorrow).await,
        Stamps {
            day: true,
            hour: false
        }
    );
    assert_eq!(
        stamps(&db.pool, soon).await,
        Stamps {
            day: true,
            hour: true
        }
    );
    assert_eq!(
        stamps(&db.pool, later).await,
        Stamps {
            day: false,
            hour: false
        }
    );
    assert_eq!(
        stamps(&db.pool, cancelled).await,
        Stamps {
            day: false,
            hour: false
        }
    );

    // A second pass finds nothing new.
    assert_eq!(send_due(&node.state, now).await.unwrap(), 0);
    assert_eq!(count_outbox(&db.pool, "booking_reminder").await, 4);

    // 22 h 5 min on: "tomorrow" is 55 minutes away, "later" 7 h 55 min.
    let then = now + TimeDelta::hours(22) + TimeDelta::minutes(5);
    assert_eq!(send_due(&node.state, then).await.unwrap(), 2);
    assert_eq!(count_outbox(&db.pool, "booking_reminder").await, 8);
    assert_eq!(
        stamps(&db.pool, tomorrow).await,
        Stamps {
            day: true,
            hour: true
        }
    );
    assert_eq!(
        stamps(&db.pool, later).await,
        Stamps {
            day: true,
            hour: false
        }
    );
    assert_eq!(
        stamps(&db.pool, cancelled).await,
        Stamps {
            day: false,
            hour: false
        }
    );
    let received = smtp.wait_for(8, WAIT).await;
    let hour_for_tomorrow = for_recipient(&received, PRO)
        .into_iter()
        .filter(|(_, p)| {
            event_value(p, "UID") == format!("{tomorrow}@hearth")
                && p.subject.ends_with("in one hour")
        })
        .count();
    assert_eq!(hour_for_tomorrow, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_running_reminders_at_once_write_each_reminder_once() {
    let db = TestDb::new().await;
    let smtp = SmtpServer::start().await;
    let first = start(&db, &smtp).await;
    let second = start(&db, &smtp).await;
    let people = people(&db.pool).await;
    let now = Utc::now();
    for hours in [2, 5, 9, 13, 20] {
        appointment(&db.pool, people, None, now + TimeDelta::hours(hours)).await;
    }

    let (a, b) = tokio::join!(send_due(&first.state, now), send_due(&second.state, now));
    assert_eq!(a.unwrap() + b.unwrap(), 5);
    assert_eq!(count_outbox(&db.pool, "booking_reminder").await, 10);
    smtp.wait_for(10, WAIT).await;
    hearth_tests::outbox_settled(&db.pool).await;
    assert_eq!(smtp.count(), 10);
}
