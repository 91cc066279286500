//! Payments: bills (numbered per professional without gaps, issued when
//! booking or after the session, voided or refunded when cancelled), the
//! client's Payments tab and the professional's, paying through Stripe's API
//! as served by `localstripe` (real `async-stripe` calls), webhooks signed
//! as Stripe signs them, refunds in part and in full, PDFs read back.

use std::sync::Arc;
use std::time::Duration;

use hearth_tests::browser::{csrf_of, location, Browser};
use hearth_tests::fixtures::{self, monday_at};
use hearth_tests::smtp::SmtpServer;
use hearth_tests::stripe::{sign, LocalStripe};
use hearth_tests::{TestApp, TestDb};
use serde_json::Value;
use uuid::Uuid;

struct World {
    app: TestApp,
    smtp: SmtpServer,
    stripe: Option<LocalStripe>,
}

/// A platform with Stripe (localstripe) configured, or without when `stripe` is false.
async fn world_with(stripe: bool) -> World {
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let local = stripe.then(hearth_tests::stripe::start);
    let app = TestApp::spawn_mailing_with(db, &smtp, |c| {
        c.booking_reminders = false;
        if let Some(local) = &local {
            local.configure(c);
        }
    })
    .await;
    World {
        app,
        smtp,
        stripe: local,
    }
}

async fn world() -> World {
    world_with(true).await
}

impl World {
    fn pool(&self) -> &sqlx::PgPool {
        &self.app.db.pool
    }

    fn stripe(&self) -> &LocalStripe {
        self.stripe.as_ref().expect("localstripe")
    }

    async fn browser_for(&self, user: Uuid) -> Browser {
        fixtures::browser_for(self.pool(), &self.app.address, user).await
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.pool())
            .await
            .expect("count")
    }

    /// A professional, a connected private client, and a service of `price`
    /// minor units of `currency`, paid `pay_when`.
    async fn practice(&self, currency: &str, price: i64, pay_when: &str) -> (Uuid, Uuid, Uuid) {
        let pro = fixtures::professional(
            self.pool(),
            "ann@pro.example",
            "Ann Þórsdóttir",
            "Atlantic/Reykjavik",
            0,
            &fixtures::all_week(),
        )
        .await;
        let client = fixtures::user(self.pool(), "carl@example.com", "Carl Client", "UTC").await;
        sqlx::query("INSERT INTO connections (professional_id, client_id, source) VALUES ($1, $2, 'invitation')")
            .bind(pro)
            .bind(client)
            .execute(self.pool())
            .await
            .expect("connection");
        let service = self
            .service(pro, "Therapy", currency, price, pay_when)
            .await;
        (pro, client, service)
    }

    async fn service(
        &self,
        pro: Uuid,
        name: &str,
        currency: &str,
        price: i64,
        pay_when: &str,
    ) -> Uuid {
        let id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO services (id, professional_id, name, duration_minutes, credits, price_minor, currency, pay_when) \
             VALUES ($1, $2, $3, 50, 1, $4, $5, $6)",
        )
        .bind(id)
        .bind(pro)
        .bind(name)
        .bind(price)
        .bind(currency)
        .bind(pay_when)
        .execute(self.pool())
        .await
        .expect("service");
        id
    }

    /// The client books `service` on the platform `weeks` from now; the appointment.
    async fn book(&self, client: Uuid, pro: Uuid, service: Uuid, weeks: i64) -> Uuid {
        let b = self.browser_for(client).await;
        let start = monday_at(weeks, 10, 0, chrono_tz::UTC);
        let key = format!("key-{}", Uuid::new_v4());
        let r = fixtures::confirm(&b, pro, service, start, &key).await;
        let to = location(&r);
        assert!(to.contains("/appointments/"), "booked: {} {to}", r.status());
        to.rsplit('/')
            .next()
            .and_then(|s| s.split('?').next())
            .and_then(|s| s.parse().ok())
            .expect("appointment id")
    }

    /// The client books `service` `weeks` from now: the bill issued with it.
    async fn billed(&self, client: Uuid, pro: Uuid, service: Uuid, weeks: i64) -> Uuid {
        let appointment = self.book(client, pro, service, weeks).await;
        self.bill_of(appointment)
            .await
            .expect("billed when booking")
    }

    async fn bill_of(&self, appointment: Uuid) -> Option<Uuid> {
        sqlx::query_scalar("SELECT id FROM bills WHERE appointment_id = $1")
            .bind(appointment)
            .fetch_optional(self.pool())
            .await
            .expect("bill")
    }

    async fn bill_state(&self, bill: Uuid) -> (String, i64) {
        sqlx::query_as("SELECT status, refunded_minor FROM bills WHERE id = $1")
            .bind(bill)
            .fetch_one(self.pool())
            .await
            .expect("bill state")
    }

    /// Moves appointment `id` into the past: it ended `days` days and an
    /// hour ago.
    async fn end(&self, id: Uuid, days: i32) {
        sqlx::query(
            "UPDATE appointments SET starts_at = now() - make_interval(days => $2, hours => 2), \
             ends_at = now() - make_interval(days => $2, mins => 70), \
             blocked_until = now() - make_interval(days => $2, mins => 70) WHERE id = $1",
        )
        .bind(id)
        .bind(days)
        .execute(self.pool())
        .await
        .expect("ended");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_paid_when_booking_is_billed_at_once_and_one_billed_after_when_it_ends() {
    let w = world_with(false).await;
    let (pro, client, at_booking) = w.practice("EUR", 1_250, "booking").await;
    let after = w.service(pro, "Coaching", "EUR", 9_000, "after").await;
    let free = w.service(pro, "Intro call", "EUR", 0, "booking").await;

    let first = w.book(client, pro, at_booking, 1).await;
    let bill = w.bill_of(first).await.expect("billed when booking");
    let (number, total, due_is_today): (i32, i64, bool) =
        sqlx::query_as("SELECT number, total_minor, due_on = issued_on FROM bills WHERE id = $1")
            .bind(bill)
            .fetch_one(w.pool())
            .await
            .unwrap();
    assert_eq!((number, total, due_is_today), (1, 1_250, true));

    let second = w.book(client, pro, after, 2).await;
    assert_eq!(w.bill_of(second).await, None, "not before the session");
    let zero = w.book(client, pro, free, 3).await;
    assert_eq!(
        w.bill_of(zero).await,
        None,
        "a free session is never billed"
    );

    // The worker bills it once it has ended, with the professional's terms.
    assert_eq!(hearth_core::payments::pass(&w.app.state).await.unwrap(), 0);
    w.end(second, 0).await;
    assert_eq!(hearth_core::payments::pass(&w.app.state).await.unwrap(), 1);
    assert_eq!(
        hearth_core::payments::pass(&w.app.state).await.unwrap(),
        0,
        "once"
    );
    let (number, days): (i32, i32) =
        sqlx::query_as("SELECT number, due_on - issued_on FROM bills WHERE appointment_id = $1")
            .bind(second)
            .fetch_one(w.pool())
            .await
            .unwrap();
    assert_eq!((number, days), (2, 14));

    // The client is told of each bill, with its amount.
    // Three bookings told to both sides, and two bills.
    let mails = w.smtp.wait_for(8, Duration::from_secs(20)).await;
    let bills: Vec<String> = mails
        .iter()
        .map(|m| m.parsed())
        .filter(|p| p.subject.starts_with("Bill "))
        .map(|p| p.subject)
        .collect();
    assert_eq!(bills.len(), 2, "{bills:?}");
    assert!(bills.iter().any(|s| s.contains("€12.50")), "{bills:?}");
    assert!(bills.iter().any(|s| s.contains("€90.00")), "{bills:?}");

    // The Payments tab lists both open bills; the stranger sees none of them.
    let cb = w.browser_for(client).await;
    let page = cb.page("/payments").await;
    assert!(page.contains("Bill 1") && page.contains("Bill 2"), "{page}");
    assert!(page.contains("not set up"), "no Stripe configured: {page}");
    assert!(page.contains("My Profile") && page.contains(">Payments<"));
    let stranger = fixtures::user(w.pool(), "sam@example.com", "Sam", "UTC").await;
    let sb = w.browser_for(stranger).await;
    assert!(!sb.page("/payments").await.contains("Bill 1"));
    for path in [
        format!("/payments/bills/{bill}"),
        format!("/payments/bills/{bill}/bill.pdf"),
        format!("/payments/bills/{bill}/pay"),
    ] {
        assert_eq!(sb.get(&path).await.status(), 404, "{path}");
    }
    // The professionals' pages are for professionals.
    assert_eq!(
        sb.get(&format!("/pro/payments/bills/{bill}"))
            .await
            .status(),
        403
    );
    // The client's bill, as a PDF, carries its number, amount and names.
    let pdf = cb.get(&format!("/payments/bills/{bill}/bill.pdf")).await;
    assert_eq!(pdf.status(), 200);
    let text = hearth_tests::pdf::text_of(&pdf.bytes().await.unwrap());
    for expected in ["Bill 1", "€12.50", "Ann Þórsdóttir", "Carl Client"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // No receipt before it is paid.
    assert_eq!(
        cb.get(&format!("/payments/bills/{bill}/receipt.pdf"))
            .await
            .status(),
        404
    );

    // Cancelling voids an open bill; the next bill takes the next number.
    let pb = w.browser_for(pro).await;
    let token = csrf_of(&pb.page(&format!("/appointments/{first}")).await);
    let r = pb
        .post(&format!("/appointments/{first}/cancel"), &token, &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(w.bill_state(bill).await.0, "void");
    let third = w.book(client, pro, at_booking, 4).await;
    let n: i32 = sqlx::query_scalar("SELECT number FROM bills WHERE appointment_id = $1")
        .bind(third)
        .fetch_one(w.pool())
        .await
        .unwrap();
    assert_eq!(n, 3);
    assert!(
        !cb.page("/payments").await.contains("Bill 1<"),
        "void bills are not listed to pay"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bills_of_one_professional_issued_at_once_are_numbered_without_gaps() {
    let w = world_with(false).await;
    let (pro, client, service) = w.practice("ISK", 12_500, "after").await;
    let mut appointments = Vec::new();
    for week in 1..=24 {
        appointments.push(w.book(client, pro, service, week).await);
    }
    for (days, id) in (0..).zip(&appointments) {
        w.end(*id, days).await;
    }
    // Three nodes' worth of issuers race for the same appointments.
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let state = w.app.state.clone();
        let ids = appointments.clone();
        tasks.push(tokio::spawn(async move {
            for id in ids {
                let mut tx = state.pool.begin().await.expect("tx");
                hearth_core::payments::bills::issue_for_appointment(&state, &mut tx, id)
                    .await
                    .expect("issue");
                tx.commit().await.expect("commit");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let numbers: Vec<i32> = sqlx::query_scalar("SELECT number FROM bills ORDER BY number")
        .fetch_all(w.pool())
        .await
        .unwrap();
    assert_eq!(numbers, (1..=24).collect::<Vec<_>>());
    let last: i32 =
        sqlx::query_scalar("SELECT last_bill_number FROM professionals WHERE user_id = $1")
            .bind(pro)
            .fetch_one(w.pool())
            .await
            .unwrap();
    assert_eq!(last, 24);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn business_details_are_checked_printed_on_new_bills_and_the_statement_lists_the_month() {
    let w = world_with(false).await;
    let (pro, client, service) = w.practice("EUR", 10_000, "booking").await;
    let pb = w.browser_for(pro).await;
    let r = pb
        .submit(
            "/pro/billing",
            "/pro/billing",
            &[
                ("business_name", "Sálfræðistofa Önnu ehf."),
                ("business_address", "Höfðabakki 9\n110 Reykjavík"),
                ("business_tax_id", "=SUM(A1)"),
                ("tax_rate", "250"),
                ("due_days", "400"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("from 0 to 100") && page.contains("0 to 120"),
        "{page}"
    );
    let r = pb
        .submit(
            "/pro/billing",
            "/pro/billing",
            &[
                ("business_name", "Sálfræðistofa Önnu ehf."),
                ("business_address", "Höfðabakki 9\n110 Reykjavík"),
                ("business_tax_id", "=SUM(A1)"),
                ("tax_rate", "24"),
                ("due_days", "10"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", location(&r));
    let appointment = w.book(client, pro, service, 1).await;
    let bill = w.bill_of(appointment).await.expect("bill");
    let (seller, tax, total): (String, i64, i64) =
        sqlx::query_as("SELECT seller_name, tax_minor, total_minor FROM bills WHERE id = $1")
            .bind(bill)
            .fetch_one(w.pool())
            .await
            .unwrap();
    assert_eq!(
        (seller.as_str(), tax, total),
        ("Sálfræðistofa Önnu ehf.", 2_400, 12_400)
    );

    let page = pb.page(&format!("/pro/payments/bills/{bill}")).await;
    assert!(
        page.contains("Tax (24%)") && page.contains("€124.00"),
        "{page}"
    );
    let list = pb.page("/pro/payments").await;
    assert!(
        list.contains("Carl Client") && list.contains("€124.00"),
        "{list}"
    );
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    let csv = pb
        .get(&format!("/pro/payments/statement.csv?month={month}"))
        .await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert!(
        csv.contains("\"Carl Client\"") && csv.contains("\"124.00\""),
        "{csv}"
    );
    assert_eq!(
        pb.get("/pro/payments/statement.csv?month=1999-01")
            .await
            .status(),
        422
    );
    // Another professional sees none of it.
    let other = fixtures::professional(w.pool(), "bo@pro.example", "Bo", "UTC", 0, &[]).await;
    let ob = w.browser_for(other).await;
    assert_eq!(
        ob.get(&format!("/pro/payments/bills/{bill}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        ob.get(&format!("/pro/payments/bills/{bill}/bill.pdf"))
            .await
            .status(),
        404
    );
    assert!(!ob.page("/pro/payments").await.contains("Carl Client"));
    let ocsv = ob
        .get(&format!("/pro/payments/statement.csv?month={month}"))
        .await;
    assert!(!ocsv.text().await.unwrap().contains("Carl"));
    // A client is not a professional.
    let cb = w.browser_for(client).await;
    assert_eq!(cb.get("/pro/payments").await.status(), 403);
}

impl World {
    /// The client opens Pay for `bill` (which makes their Stripe customer and
    /// the bill's one PaymentIntent) and saves card `number`: the browser,
    /// a CSRF token, the card and the intent.
    async fn ready_to_pay(
        &self,
        client: Uuid,
        bill: Uuid,
        number: &str,
    ) -> (Browser, String, String, String) {
        let b = self.browser_for(client).await;
        let page = b.page(&format!("/payments/bills/{bill}/pay")).await;
        assert!(
            page.contains("data-secret=\"pi_"),
            "the Pay page carries the intent's secret: {page}"
        );
        let token = csrf_of(&page);
        let card = self.save_card(client, number).await;
        let intent: String =
            sqlx::query_scalar("SELECT payment_intent_id FROM bill_payments WHERE bill_id = $1")
                .bind(bill)
                .fetch_one(self.pool())
                .await
                .expect("the bill's intent");
        (b, token, card, intent)
    }

    /// Saves card `number` for `client` (their Stripe customer must exist).
    async fn save_card(&self, client: Uuid, number: &str) -> String {
        let customer: String =
            sqlx::query_scalar("SELECT customer_id FROM stripe_customers WHERE user_id = $1")
                .bind(client)
                .fetch_one(self.pool())
                .await
                .expect("the client's customer");
        self.stripe().save_card(&customer, number).await
    }

    async fn succeeded_charges(&self, intent: &str) -> usize {
        self.stripe()
            .charges_for(intent)
            .await
            .iter()
            .filter(|c| c["status"] == "succeeded")
            .count()
    }

    async fn outbox(&self, kind: &str) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM email_outbox WHERE kind = $1")
            .bind(kind)
            .fetch_one(self.pool())
            .await
            .expect("outbox")
    }

    /// Delivers `body` to the webhook signed with `secret` at `timestamp`.
    async fn deliver(&self, body: &str, secret: &str, timestamp: i64) -> reqwest::Response {
        post_webhook(&self.app.address, body, &sign(body, secret, timestamp)).await
    }
}

async fn post_webhook(address: &str, body: &str, signature: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{address}/webhooks/stripe"))
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(body.to_owned())
        .send()
        .await
        .expect("webhook")
}

/// Presses Pay on `bill` with saved card `card`.
async fn pay_with(b: &Browser, token: &str, bill: Uuid, card: &str) -> reqwest::Response {
    b.post(
        &format!("/payments/bills/{bill}/pay"),
        token,
        &[("card", card)],
    )
    .await
}

/// A Stripe event of `kind` about `object`, as Stripe sends it.
fn event(id: &str, kind: &str, object: &Value) -> String {
    serde_json::json!({
        "id": id,
        "object": "event",
        "api_version": "2026-09-30.endive",
        "created": chrono::Utc::now().timestamp(),
        "data": { "object": object },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": kind,
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_card_pays_a_bill_once_however_often_pay_is_pressed() {
    let w = world().await;
    let (pro, client, service) = w.practice("EUR", 1_250, "booking").await;
    let bill = w.billed(client, pro, service, 1).await;
    let (b, token, card, intent) = w.ready_to_pay(client, bill, "4242424242424242").await;
    // The amount went to Stripe in Stripe's units, once, in the bill's currency.
    let pi = w
        .stripe()
        .get_json(&format!("/v1/payment_intents/{intent}"))
        .await;
    assert_eq!(
        (pi["amount"].as_i64(), pi["currency"].as_str()),
        (Some(1_250), Some("eur"))
    );

    // A double click and a second tab: eight Pay requests at once.
    let mut presses = Vec::new();
    for _ in 0..8 {
        let client = b.client.clone();
        let url = format!("{}/payments/bills/{bill}/pay", w.app.address);
        let form = [("csrf", token.clone()), ("card", card.clone())];
        let origin = w.app.address.clone();
        presses.push(tokio::spawn(async move {
            client
                .post(url)
                .header("origin", origin)
                .form(&form)
                .send()
                .await
                .unwrap()
        }));
    }
    for press in presses {
        let r = press.await.unwrap();
        assert_eq!(r.status(), 303, "every press ends on the paid bill");
        assert!(location(&r).ends_with("?done=paid"), "{}", location(&r));
    }
    // …and a retry after the fact.
    let r = pay_with(&b, &token, bill, &card).await;
    assert!(location(&r).ends_with("?done=paid"));
    assert_eq!(
        w.succeeded_charges(&intent).await,
        1,
        "charged exactly once"
    );
    assert_eq!(w.bill_state(bill).await, ("paid".to_owned(), 0));
    assert_eq!(w.outbox("payment_receipt").await, 1, "one receipt");

    let page = b.page(&format!("/payments/bills/{bill}?done=paid")).await;
    assert!(
        page.contains("the bill is paid") && page.contains("€12.50"),
        "{page}"
    );
    let list = b.page("/payments").await;
    assert!(
        list.contains("receipt.pdf") && list.contains("ending in 4242"),
        "{list}"
    );
    let receipt = b.get(&format!("/payments/bills/{bill}/receipt.pdf")).await;
    assert_eq!(receipt.status(), 200);
    let text = hearth_tests::pdf::text_of(&receipt.bytes().await.unwrap());
    for expected in ["Receipt for bill 1", "€12.50", "Paid"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_card_is_told_with_its_reason_and_leaves_the_bill_open() {
    let w = world().await;
    let (pro, client, service) = w.practice("EUR", 1_250, "booking").await;
    let bill = w.billed(client, pro, service, 1).await;
    let (b, token, declined, intent) = w.ready_to_pay(client, bill, "4000000000000341").await;
    let r = pay_with(&b, &token, bill, &declined).await;
    assert_eq!(r.status(), 402);
    let page = r.text().await.unwrap();
    assert!(page.contains("Your card was declined."), "{page}");
    assert_eq!(w.bill_state(bill).await.0, "open");
    assert_eq!(w.outbox("payment_receipt").await, 0);
    // Another card then pays the same bill, through the same intent.
    let good = w.save_card(client, "4242424242424242").await;
    let r = pay_with(&b, &token, bill, &good).await;
    assert!(location(&r).ends_with("?done=paid"), "{}", location(&r));
    assert_eq!(w.succeeded_charges(&intent).await, 1);
    assert_eq!(w.bill_state(bill).await.0, "paid");
    // A card that is not the client's is refused without asking Stripe.
    let r = b
        .post(
            &format!("/payments/bills/{bill}/pay"),
            &token,
            &[("card", "pm_not_mine")],
        )
        .await;
    assert!(
        location(&r).ends_with("?done=paid"),
        "a paid bill stays paid"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn isk_and_eur_survive_the_round_trip_to_stripe_on_pages_emails_and_pdfs_in_both_languages() {
    let w = world().await;
    let (pro, client, isk) = w.practice("ISK", 12_500, "booking").await;
    let eur = w.service(pro, "Coaching", "EUR", 1_250, "booking").await;
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(client)
        .execute(w.pool())
        .await
        .unwrap();
    let isk_bill = w.billed(client, pro, isk, 1).await;
    let eur_bill = w.billed(client, pro, eur, 2).await;
    for (bill, stripe_amount, currency, page_text) in [
        (isk_bill, 1_250_000, "isk", "12.500\u{a0}kr."),
        (eur_bill, 1_250, "eur", "12,50\u{a0}€"),
    ] {
        let (b, token, card, intent) = w.ready_to_pay(client, bill, "4242424242424242").await;
        let pi = w
            .stripe()
            .get_json(&format!("/v1/payment_intents/{intent}"))
            .await;
        assert_eq!(
            (pi["amount"].as_i64(), pi["currency"].as_str()),
            (Some(stripe_amount), Some(currency)),
            "ISK goes to Stripe with two zero decimals, EUR in cents"
        );
        let r = pay_with(&b, &token, bill, &card).await;
        assert!(location(&r).ends_with("?done=paid"), "{}", location(&r));
        let page = b.page(&format!("/payments/bills/{bill}")).await;
        assert!(
            page.contains(page_text) && page.contains("Greiddur"),
            "{page_text} in {page}"
        );
        let receipt = b.get(&format!("/payments/bills/{bill}/receipt.pdf")).await;
        let text = hearth_tests::pdf::text_of(&receipt.bytes().await.unwrap());
        assert!(
            text.contains(page_text) && text.contains("Kvittun"),
            "{page_text} in {text}"
        );
    }
    // The receipts, in Icelandic, say the same amounts.
    let mails = w.smtp.wait_for(8, Duration::from_secs(20)).await;
    let receipts: Vec<String> = mails
        .iter()
        .map(|m| m.parsed())
        .filter(|p| p.subject.starts_with("Kvittun"))
        .map(|p| p.subject)
        .collect();
    assert_eq!(receipts.len(), 2, "{receipts:?}");
    assert!(
        receipts.iter().any(|s| s.contains("12.500\u{a0}kr.")),
        "{receipts:?}"
    );
    assert!(
        receipts.iter().any(|s| s.contains("12,50\u{a0}€")),
        "{receipts:?}"
    );
    // The same bill in English for the professional.
    let pb = w.browser_for(pro).await;
    let page = pb.page(&format!("/pro/payments/bills/{isk_bill}")).await;
    assert!(page.contains("ISK\u{a0}12,500"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_are_verified_stored_once_and_applied_once() {
    let w = world().await;
    let (pro, client, service) = w.practice("EUR", 1_250, "after").await;
    let mut bills = Vec::new();
    for week in 1..=3 {
        let a = w.book(client, pro, service, week).await;
        w.end(a, week as i32).await;
        bills.push(a);
    }
    hearth_core::payments::pass(&w.app.state).await.unwrap();
    let mut billed = Vec::new();
    for a in &bills {
        billed.push(w.bill_of(*a).await.unwrap());
    }
    // Each bill's intent succeeds at Stripe behind the app's back (as a
    // payment finished in another tab would): only an event can tell it.
    let mut intents = Vec::new();
    for bill in &billed {
        let (_, _, card, intent) = w.ready_to_pay(client, *bill, "4242424242424242").await;
        intents.push((intent, card));
    }
    for (intent, card) in &intents[..2] {
        w.stripe()
            .post_form(
                &format!("/v1/payment_intents/{intent}/confirm"),
                &[("payment_method", card)],
            )
            .await;
    }
    let intents: Vec<(String, String)> = intents;
    let now = chrono::Utc::now().timestamp();
    let secret = hearth_tests::stripe::WEBHOOK_SECRET;
    let pi = w
        .stripe()
        .get_json(&format!("/v1/payment_intents/{}", intents[0].0))
        .await;
    assert_eq!(pi["status"], "succeeded");
    let body = event("evt_hearth_1", "payment_intent.succeeded", &pi);

    // A wrong secret, a tampered body and a stale timestamp change nothing.
    assert_eq!(w.deliver(&body, "whsec_wrong", now).await.status(), 400);
    let tampered = body.replace("\"amount\":1250", "\"amount\":1");
    assert_ne!(tampered, body);
    let r = post_webhook(&w.app.address, &tampered, &sign(&body, secret, now)).await;
    assert_eq!(r.status(), 400);
    assert_eq!(w.deliver(&body, secret, now - 6 * 60).await.status(), 400);
    let missing = reqwest::Client::new()
        .post(format!("{}/webhooks/stripe", w.app.address))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    assert_eq!(w.count("SELECT count(*) FROM stripe_events").await, 0);
    assert_eq!(w.bill_state(billed[0]).await.0, "open");

    // The real delivery applies it; its replay changes nothing.
    let r = w.deliver(&body, secret, now).await;
    assert_eq!(
        (r.status().as_u16(), r.text().await.unwrap()),
        (200, "applied".to_owned())
    );
    assert_eq!(w.bill_state(billed[0]).await.0, "paid");
    let r = w.deliver(&body, secret, now).await;
    assert_eq!(
        (r.status().as_u16(), r.text().await.unwrap()),
        (200, "duplicate".to_owned())
    );
    assert_eq!(w.outbox("payment_receipt").await, 1);

    // Twenty deliveries of one event at once: applied once.
    let pi = w
        .stripe()
        .get_json(&format!("/v1/payment_intents/{}", intents[1].0))
        .await;
    let body = event("evt_hearth_2", "payment_intent.succeeded", &pi);
    let mut deliveries = Vec::new();
    for _ in 0..20 {
        let address = w.app.address.clone();
        let body = body.clone();
        let header = sign(&body, secret, now);
        deliveries.push(tokio::spawn(async move {
            let r = post_webhook(&address, &body, &header).await;
            (r.status().as_u16(), r.text().await.unwrap())
        }));
    }
    let mut applied = 0;
    for d in deliveries {
        let (status, outcome) = d.await.unwrap();
        assert_eq!(status, 200);
        if outcome == "applied" {
            applied += 1;
        }
    }
    assert_eq!(applied, 1);
    assert_eq!(w.bill_state(billed[1]).await.0, "paid");
    assert_eq!(w.outbox("payment_receipt").await, 2);
    assert_eq!(w.count("SELECT count(*) FROM stripe_events").await, 2);

    // Stripe's own signed delivery (localstripe's) of the third payment
    // marks it paid, with no help from the browser.
    w.stripe()
        .configure_webhook(&format!("{}/webhooks/stripe", w.app.address));
    let (intent, card) = &intents[2];
    w.stripe()
        .post_form(
            &format!("/v1/payment_intents/{intent}/confirm"),
            &[("payment_method", card)],
        )
        .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while w.bill_state(billed[2]).await.0 != "paid" {
        assert!(
            std::time::Instant::now() < deadline,
            "localstripe's event reaches the app"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(w.outbox("payment_receipt").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refunds_in_part_then_in_full_move_the_bill_once_each_and_a_cancellation_refunds_itself() {
    let w = world().await;
    let (pro, client, service) = w.practice("EUR", 1_250, "booking").await;
    let first = w.book(client, pro, service, 1).await;
    let bill = w.bill_of(first).await.unwrap();
    let (b, token, card, intent) = w.ready_to_pay(client, bill, "4242424242424242").await;
    let r = pay_with(&b, &token, bill, &card).await;
    assert!(location(&r).ends_with("?done=paid"));

    let pb = w.browser_for(pro).await;
    let page = pb.page(&format!("/pro/payments/bills/{bill}")).await;
    assert!(
        page.contains("value=\"12.50\""),
        "the whole amount is offered: {page}"
    );
    let ptoken = csrf_of(&page);
    let refund = |amount: &'static str| {
        let pb = &pb;
        let ptoken = ptoken.clone();
        async move {
            pb.post(
                &format!("/pro/payments/bills/{bill}/refund"),
                &ptoken,
                &[("amount", amount)],
            )
            .await
        }
    };
    let r = refund("abc").await;
    assert_eq!(r.status(), 422);
    let r = refund("5.00").await;
    assert!(location(&r).ends_with("?done=refunded"), "{}", location(&r));
    assert_eq!(
        w.bill_state(bill).await,
        ("partly_refunded".to_owned(), 500)
    );
    let r = refund("9.00").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("At most €7.50"));
    // Two refunds of what is left, at once: one is made.
    let (a, c) = tokio::join!(refund("7.50"), refund("7.50"));
    let mut statuses = [a.status().as_u16(), c.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 422]);
    assert_eq!(w.bill_state(bill).await, ("refunded".to_owned(), 1_250));
    let at_stripe: Vec<i64> = w
        .stripe()
        .refunds_for(&intent)
        .await
        .iter()
        .filter_map(|r| r["amount"].as_i64())
        .collect();
    assert_eq!(at_stripe.iter().sum::<i64>(), 1_250, "{at_stripe:?}");
    assert_eq!(at_stripe.len(), 2);
    assert_eq!(w.outbox("bill_refunded").await, 2);
    assert!(!pb
        .page(&format!("/pro/payments/bills/{bill}"))
        .await
        .contains("/refund\""));
    let list = pb.page("/pro/payments?status=refunded").await;
    assert!(list.contains("Carl Client"), "{list}");

    // A paid session the client cancels in good time is refunded in full.
    let second = w.book(client, pro, service, 3).await;
    let bill2 = w.bill_of(second).await.unwrap();
    let (b, token, card, intent2) = w.ready_to_pay(client, bill2, "4242424242424242").await;
    let r = pay_with(&b, &token, bill2, &card).await;
    assert!(location(&r).ends_with("?done=paid"));
    let token = csrf_of(&b.page(&format!("/appointments/{second}")).await);
    let r = b
        .post(&format!("/appointments/{second}/cancel"), &token, &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(w.bill_state(bill2).await, ("refunded".to_owned(), 1_250));
    assert_eq!(w.stripe().refunds_for(&intent2).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_without_credits_pays_the_professionals_price_only_when_the_hub_allows_it() {
    let w = world().await;
    let acme = w.app.db.hub("acme", "Acme").await;
    let pro = fixtures::professional(
        w.pool(),
        "ann@pro.example",
        "Ann",
        "UTC",
        0,
        &fixtures::all_week(),
    )
    .await;
    let service = w.service(pro, "Therapy", "EUR", 9_000, "after").await;
    fixtures::on_roster(w.pool(), &acme, pro).await;
    let emil = fixtures::user(w.pool(), "emil@acme.example", "Emil", "UTC").await;
    fixtures::member(w.pool(), &acme, emil).await;
    fixtures::in_hub(
        w.pool(),
        &acme,
        "UPDATE hub_settings SET credits_per_period = 0",
        None,
    )
    .await;
    let hub = format!("{}/h/acme", w.app.address);
    let b = fixtures::browser_for(w.pool(), &hub, emil).await;
    let start = monday_at(1, 10, 0, chrono_tz::UTC);
    let confirm_page = format!(
        "/book/{pro}/{service}/confirm?start={}",
        fixtures::enc(&fixtures::rfc(start))
    );
    // Not allowed: no credits, no booking, nothing offered.
    let page = b.page(&confirm_page).await;
    assert!(page.contains("you have 0 left"), "{page}");
    assert!(!page.contains("instead"), "{page}");
    let token = csrf_of(&page);
    let form = |pay: &'static str| {
        vec![
            ("start", fixtures::rfc(start)),
            ("key", format!("key-{pay}-{}", Uuid::new_v4())),
            ("pay", pay.to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let b = &b;
        let token = token.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            b.post(&format!("/book/{pro}/{service}/confirm"), &token, &fields)
                .await
        }
    };
    let r = post(form("1")).await;
    assert_eq!(r.status(), 409, "the hub does not let members pay");
    assert_eq!(w.count("SELECT count(*) FROM appointments").await, 0);

    // HR turns it on in Credits: the confirm step offers the professional's price.
    let hr = fixtures::user(w.pool(), "hr@acme.example", "Hanna", "UTC").await;
    fixtures::in_hub(
        w.pool(),
        &acme,
        "INSERT INTO members (user_id, role) VALUES ($1, 'hr_admin')",
        Some(hr),
    )
    .await;
    let hb = fixtures::browser_for(w.pool(), &hub, hr).await;
    let credits = hb.page("/admin/credits").await;
    assert!(
        credits.contains("no credits left pay the professional"),
        "{credits}"
    );
    let r = hb
        .submit(
            "/admin/credits",
            "/admin/credits",
            &[
                ("credits_per_period", "0"),
                ("period_months", "12"),
                ("period_start", "2026-01"),
                ("cancellation_cutoff_hours", "24"),
                ("timezone", "UTC"),
                ("members_may_pay", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", location(&r));
    let on = fixtures::hub_number(
        w.pool(),
        &acme,
        "SELECT count(*) FROM hub_settings WHERE members_may_pay AND $1::uuid IS NOT NULL",
        hr,
    )
    .await;
    assert_eq!(on, 1);
    let page = b.page(&confirm_page).await;
    assert!(page.contains("Pay €90.00 instead"), "{page}");
    let r = post(form("0")).await;
    assert_eq!(
        r.status(),
        409,
        "without asking to pay, credits are still needed"
    );
    let r = post(form("1")).await;
    let to = location(&r);
    assert!(to.contains("/appointments/"), "{} {to}", r.status());
    let appointment: Uuid = sqlx::query_scalar("SELECT id FROM appointments")
        .fetch_one(w.pool())
        .await
        .unwrap();
    let bill = w.bill_of(appointment).await.expect("the member is billed");
    let (client, total): (Option<Uuid>, i64) =
        sqlx::query_as("SELECT client_id, total_minor FROM bills WHERE id = $1")
            .bind(bill)
            .fetch_one(w.pool())
            .await
            .unwrap();
    assert_eq!((client, total), (Some(emil), 9_000));
    assert_eq!(
        fixtures::balance(w.pool(), &acme, emil).await,
        0,
        "no credits moved"
    );
    let spent = fixtures::hub_number(
        w.pool(),
        &acme,
        "SELECT coalesce(sum(credits), 0)::bigint FROM hub_bookings WHERE user_id = $1",
        emil,
    )
    .await;
    assert_eq!(spent, 0, "the hub paid nothing");
    // The member pays it on their Payments tab like any bill.
    let (pb, ptoken, card, intent) = w.ready_to_pay(emil, bill, "4242424242424242").await;
    let r = pay_with(&pb, &ptoken, bill, &card).await;
    assert!(location(&r).ends_with("?done=paid"), "{}", location(&r));
    assert_eq!(w.succeeded_charges(&intent).await, 1);
}
