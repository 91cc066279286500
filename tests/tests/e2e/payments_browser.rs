//! Payments in a real headless Chromium against localstripe: a client pays a
//! bill with a new card through the Stripe.js stand-in (which renders the
//! card element as plain inputs in the page), with 3-D Secure completed and
//! failed, with a declined card and then a good one, and with a saved card
//! after adding, choosing and removing cards on the Payments tab. Each page
//! checked with axe-core; the receipt PDF read back; one page in Icelandic.
//!
//! `scripts/test` installs Chromium, ChromeDriver, axe-core and localstripe;
//! without them these tests fail and say so.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use hearth_tests::browser::{location, Browser};
use hearth_tests::chrome::{
    assert_readable_at_phone_and_desktop, axe_source, browser, chromedriver, describe,
    serious_violations, sign_in, Driver,
};
use hearth_tests::fixtures::{self, monday_at};
use hearth_tests::smtp::SmtpServer;
use hearth_tests::stripe::LocalStripe;
use hearth_tests::{TestApp, TestDb};
use serde_json::{json, Value};
use uuid::Uuid;

/// How long a page may take to do what a step expects (Stripe.js, redirects).
const WITHIN: Duration = Duration::from_secs(20);

struct World {
    app: TestApp,
    _smtp: SmtpServer,
    stripe: LocalStripe,
    driver: Driver,
}

/// A platform with Stripe (localstripe) configured, and chromedriver.
async fn world() -> World {
    let driver = chromedriver().await;
    let smtp = SmtpServer::start().await;
    let db = Arc::new(TestDb::new().await);
    let stripe = hearth_tests::stripe::start();
    let app = TestApp::spawn_mailing_with(db, &smtp, |c| {
        c.booking_reminders = false;
        stripe.configure(c);
    })
    .await;
    World {
        app,
        _smtp: smtp,
        stripe,
        driver,
    }
}

impl World {
    fn pool(&self) -> &sqlx::PgPool {
        &self.app.db.pool
    }

    /// A professional, a connected private client, and a service of `price`
    /// minor units of `currency`, paid when booking.
    async fn practice(&self, currency: &str, price: i64) -> (Uuid, Uuid, Uuid) {
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
        sqlx::query(
            "INSERT INTO connections (professional_id, client_id, source) VALUES ($1, $2, 'invitation')",
        )
        .bind(pro)
        .bind(client)
        .execute(self.pool())
        .await
        .expect("connection");
        let service = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO services (id, professional_id, name, duration_minutes, credits, price_minor, currency, pay_when) \
             VALUES ($1, $2, 'Therapy', 50, 1, $3, $4, 'booking')",
        )
        .bind(service)
        .bind(pro)
        .bind(price)
        .bind(currency)
        .execute(self.pool())
        .await
        .expect("service");
        (pro, client, service)
    }

    /// The client books `service` `weeks` from now; the bill that booking issued.
    async fn billed_booking(&self, client: Uuid, pro: Uuid, service: Uuid, weeks: i64) -> Uuid {
        let b = fixtures::browser_for(self.pool(), &self.app.address, client).await;
        let start = monday_at(weeks, 10, 0, chrono_tz::UTC);
        let key = format!("key-{}", Uuid::new_v4());
        let r = fixtures::confirm(&b, pro, service, start, &key).await;
        let to = location(&r);
        assert!(to.contains("/appointments/"), "booked: {} {to}", r.status());
        let appointment: Uuid = to
            .rsplit('/')
            .next()
            .and_then(|s| s.split('?').next())
            .and_then(|s| s.parse().ok())
            .expect("appointment id");
        sqlx::query_scalar("SELECT id FROM bills WHERE appointment_id = $1")
            .bind(appointment)
            .fetch_one(self.pool())
            .await
            .expect("a bill issued when booking")
    }

    async fn bill_status(&self, bill: Uuid) -> String {
        sqlx::query_scalar("SELECT status FROM bills WHERE id = $1")
            .bind(bill)
            .fetch_one(self.pool())
            .await
            .expect("bill status")
    }

    /// The bill's one PaymentIntent (`pi_…`).
    async fn payment_intent(&self, bill: Uuid) -> String {
        sqlx::query_scalar::<_, Option<String>>(
            "SELECT payment_intent_id FROM bill_payments WHERE bill_id = $1",
        )
        .bind(bill)
        .fetch_one(self.pool())
        .await
        .expect("the bill's payment attempt")
        .expect("a PaymentIntent")
    }

    /// The statuses of the charges of the bill's PaymentIntent.
    async fn charge_statuses(&self, bill: Uuid) -> Vec<String> {
        let pi = self.payment_intent(bill).await;
        self.stripe
            .charges_for(&pi)
            .await
            .iter()
            .map(|c| c["status"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// A headless Chromium signed in as `user`, and its session token.
    async fn signed_in(&self, user: Uuid) -> (Client, String) {
        let token = fixtures::session_token(self.pool(), user).await;
        let client = browser(&self.driver).await;
        sign_in(&client, &self.app.address, &token).await;
        (client, token)
    }

    async fn open(&self, client: &Client, path: &str) {
        client
            .goto(&format!("{}{path}", self.app.address))
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    }
}

/// The page's visible text, non-breaking spaces as plain ones.
async fn text(client: &Client) -> String {
    client
        .execute(
            "return document.body ? document.body.innerText : '';",
            vec![],
        )
        .await
        .expect("the page's text")
        .as_str()
        .unwrap_or_default()
        .replace('\u{a0}', " ")
}

/// Waits until `condition` (a JavaScript expression) holds on the page;
/// panics with `what`, the address and the page's text otherwise.
async fn wait_for(client: &Client, condition: &str, what: &str) {
    let started = Instant::now();
    loop {
        let ok = client
            .execute(&format!("return !!({condition});"), vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if ok {
            return;
        }
        if started.elapsed() > WITHIN {
            let url = client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            panic!(
                "{what}: not within {WITHIN:?}; at {url}:\n{}",
                text(client).await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the page's text contains `needle`.
async fn wait_for_text(client: &Client, needle: &str) {
    let literal = json!(needle).to_string();
    wait_for(
        client,
        &format!(
            "document.body && document.body.innerText.replace(/\\u00a0/g, ' ').includes({literal})"
        ),
        &format!("the page says {needle:?}"),
    )
    .await;
}

/// Waits until the address contains `part`, and the page has loaded.
async fn wait_for_url(client: &Client, part: &str) {
    let literal = json!(part).to_string();
    wait_for(
        client,
        &format!("location.href.includes({literal}) && document.readyState === 'complete'"),
        &format!("the address contains {part:?}"),
    )
    .await;
}

/// Clicks the element `locator` finds, waiting for it to appear.
async fn click(client: &Client, locator: Locator<'_>) {
    client
        .wait()
        .at_most(WITHIN)
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("{locator:?} on the page: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {locator:?}: {e}"));
}

/// The XPath of a button (or link) whose text is `text`.
fn button(text: &str) -> String {
    format!("//*[(self::button or self::a) and normalize-space(.)='{text}']")
}

/// Types `number` (and an expiry, a CVC and a postcode) into the Stripe.js
/// stand-in's card element, replacing what was typed before.
async fn type_card(client: &Client, number: &str) {
    wait_for(
        client,
        "document.querySelector('#card-element input[placeholder=number]')",
        "the card element",
    )
    .await;
    for (field, value) in [
        ("number", number),
        ("exp_month", "12"),
        ("exp_year", "34"),
        ("cvc", "123"),
        ("postal_code", "101"),
    ] {
        let input = client
            .find(Locator::Css(&format!(
                "#card-element input[placeholder={field}]"
            )))
            .await
            .unwrap_or_else(|e| panic!("the card's {field} input: {e}"));
        input.clear().await.expect("cleared");
        input
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("typing the card's {field}: {e}"));
    }
}

/// Opens Pay for `bill` and pays it with new card `number`, pressing the
/// Pay button (the 3-D Secure step, if any, is the caller's).
async fn pay_with_new_card(w: &World, client: &Client, bill: Uuid, number: &str) {
    w.open(client, &format!("/payments/bills/{bill}/pay")).await;
    type_card(client, number).await;
    click(client, Locator::Css("#pay-new-submit")).await;
}

/// Waits for the bill's page after a payment, saying it is paid.
async fn wait_until_paid(client: &Client, bill: Uuid) {
    wait_for_url(client, &format!("/payments/bills/{bill}?done=paid")).await;
    wait_for_text(client, "the bill is paid").await;
}

/// The text of the card element's error line, once it has one.
async fn card_error(client: &Client) -> String {
    wait_for(
        client,
        "(document.getElementById('card-errors') || {}).textContent",
        "an error under the card",
    )
    .await;
    client
        .execute(
            "return document.getElementById('card-errors').textContent;",
            vec![],
        )
        .await
        .expect("the card's error")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn assert_accessible(client: &Client, what: &str) {
    let violations = serious_violations(client, &axe_source()).await;
    assert!(violations.is_empty(), "{what}:\n{}", describe(&violations));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_pays_a_bill_with_a_new_card_in_chromium_and_downloads_the_receipt() {
    let w = world().await;
    let (pro, client, service) = w.practice("ISK", 12_500).await;
    let bill = w.billed_booking(client, pro, service, 1).await;
    let (chrome, _) = w.signed_in(client).await;

    // Payments lists the open bill, with Pay.
    w.open(&chrome, "/payments").await;
    let page = text(&chrome).await;
    assert!(page.contains("Bills to pay"), "{page}");
    assert!(
        page.contains("Bill 1") && page.contains("ISK 12,500"),
        "{page}"
    );
    assert!(page.contains("Ann Þórsdóttir"), "{page}");
    assert_accessible(&chrome, "Payments with an open bill").await;
    click(&chrome, Locator::Css(&format!("#bill-{bill} a.button"))).await;
    wait_for_url(&chrome, &format!("/payments/bills/{bill}/pay")).await;
    wait_for(
        &chrome,
        "document.querySelector('#card-element input[placeholder=number]')",
        "the card element",
    )
    .await;
    let page = text(&chrome).await;
    assert!(page.contains("Pay bill 1"), "{page}");
    assert!(page.contains("Pay ISK 12,500"), "{page}");
    assert!(page.contains("Test mode"), "{page}");
    assert_readable_at_phone_and_desktop(&chrome, "payments-pay").await;
    chrome.set_window_size(1280, 900).await.expect("resize");

    // A new card, typed into the Stripe.js stand-in.
    type_card(&chrome, "4242424242424242").await;
    click(&chrome, Locator::Css("#pay-new-submit")).await;
    wait_until_paid(&chrome, bill).await;
    let page = text(&chrome).await;
    assert!(page.contains("Paid"), "{page}");
    assert!(page.contains("Download the receipt (PDF)"), "{page}");
    assert_accessible(&chrome, "the paid bill").await;
    assert_eq!(w.bill_status(bill).await, "paid");
    assert_eq!(
        w.charge_statuses(bill).await,
        vec!["succeeded".to_owned()],
        "one charge"
    );
    let pi = w.payment_intent(bill).await;
    let intent = w
        .stripe
        .get_json(&format!("/v1/payment_intents/{pi}"))
        .await;
    assert_eq!(intent["status"], "succeeded", "{intent}");
    // ISK goes to Stripe with two extra digits.
    assert_eq!(intent["amount"], 1_250_000, "{intent}");
    assert_eq!(intent["currency"], "isk", "{intent}");

    // The paid bill moved to Paid bills, with its receipt.
    w.open(&chrome, "/payments").await;
    let page = text(&chrome).await;
    assert!(page.contains("You have no bills to pay."), "{page}");
    assert!(
        page.contains("Paid bills") && page.contains("Receipt"),
        "{page}"
    );

    // The receipt, with the browser's own session.
    let cookie = chrome
        .get_named_cookie("hearth_session")
        .await
        .expect("the browser's session cookie");
    let session = Browser::with_session(w.app.address.clone(), cookie.value());
    let r = session
        .get(&format!("/payments/bills/{bill}/receipt.pdf"))
        .await;
    assert_eq!(r.status(), 200);
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(kind.starts_with("application/pdf"), "{kind}");
    let pdf = r.bytes().await.unwrap();
    let receipt = hearth_tests::pdf::text_of(&pdf).replace('\u{a0}', " ");
    for expected in [
        "Receipt for bill 1",
        "ISK 12,500",
        "ISK",
        "Ann Þórsdóttir",
        "Carl Client",
    ] {
        assert!(receipt.contains(expected), "{expected} in {receipt}");
    }
    chrome.close().await.expect("close the browser");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_d_secure_completed_pays_the_bill_and_failed_leaves_it_open() {
    let w = world().await;
    let (pro, client, service) = w.practice("EUR", 9_000).await;
    let first = w.billed_booking(client, pro, service, 1).await;
    let second = w.billed_booking(client, pro, service, 2).await;
    let (chrome, _) = w.signed_in(client).await;

    // The bank asks; the client completes authentication.
    pay_with_new_card(&w, &chrome, first, "4000002760003184").await;
    click(&chrome, Locator::XPath(&button("Complete authentication"))).await;
    wait_until_paid(&chrome, first).await;
    assert_eq!(w.bill_status(first).await, "paid");
    assert_eq!(w.charge_statuses(first).await, vec!["succeeded".to_owned()]);

    // The bank asks; the client fails authentication.
    pay_with_new_card(&w, &chrome, second, "4000002500003155").await;
    click(&chrome, Locator::XPath(&button("Fail authentication"))).await;
    let error = card_error(&chrome).await;
    println!("failed authentication: {error}");
    assert!(!error.trim().is_empty());
    // The Pay button is back for another try, and nothing was paid.
    wait_for(
        &chrome,
        "!document.getElementById('pay-new-submit').disabled",
        "the Pay button enabled again",
    )
    .await;
    assert!(
        chrome
            .current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with(&format!("/payments/bills/{second}/pay")),
        "still on Pay"
    );
    assert_accessible(&chrome, "Pay after a failed authentication").await;
    assert_eq!(w.bill_status(second).await, "open");
    assert!(
        !w.charge_statuses(second)
            .await
            .contains(&"succeeded".to_owned()),
        "no money taken"
    );
    // Coming back to the bill says it is still to pay.
    w.open(&chrome, &format!("/payments/bills/{second}")).await;
    let page = text(&chrome).await;
    assert!(
        page.contains("Open") && page.contains("Pay €90.00"),
        "{page}"
    );
    chrome.close().await.expect("close the browser");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_card_says_why_and_another_card_then_pays_once() {
    let w = world().await;
    let (pro, client, service) = w.practice("EUR", 9_000).await;
    let bill = w.billed_booking(client, pro, service, 1).await;
    let (chrome, _) = w.signed_in(client).await;

    pay_with_new_card(&w, &chrome, bill, "4000000000000341").await;
    let error = card_error(&chrome).await;
    assert!(error.contains("declined"), "{error}");
    wait_for(
        &chrome,
        "!document.getElementById('pay-new-submit').disabled",
        "the Pay button enabled again",
    )
    .await;
    assert_accessible(&chrome, "Pay after a decline").await;
    assert_eq!(w.bill_status(bill).await, "open");
    assert!(!w
        .charge_statuses(bill)
        .await
        .contains(&"succeeded".to_owned()));

    // Another card, on the same page.
    type_card(&chrome, "4242424242424242").await;
    click(&chrome, Locator::Css("#pay-new-submit")).await;
    wait_until_paid(&chrome, bill).await;
    assert_eq!(w.bill_status(bill).await, "paid");
    let statuses = w.charge_statuses(bill).await;
    assert_eq!(
        statuses.iter().filter(|s| *s == "succeeded").count(),
        1,
        "{statuses:?}"
    );
    chrome.close().await.expect("close the browser");
}

/// The saved card `last4` of `customer` on localstripe (`pm_…`).
async fn card_id(w: &World, customer: &str, last4: &str) -> String {
    w.stripe
        .cards_of(customer)
        .await
        .iter()
        .find(|c| c["card"]["last4"] == last4)
        .and_then(|c| c["id"].as_str())
        .unwrap_or_else(|| panic!("a saved card ending in {last4}"))
        .to_owned()
}

/// Adds card `number` from Payments: Add a new card, the card form, Save card.
async fn add_card(w: &World, chrome: &Client, number: &str) {
    w.open(chrome, "/payments").await;
    click(chrome, Locator::XPath(&button("Add a new card"))).await;
    type_card(chrome, number).await;
    click(chrome, Locator::XPath(&button("Save card"))).await;
    wait_for_url(chrome, "/payments?done=card-added").await;
    wait_for_text(chrome, "Your card was added.").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_cards_are_added_chosen_removed_and_pay_a_bill_without_stripe_js() {
    let w = world().await;
    let (pro, client, service) = w.practice("EUR", 9_000).await;
    let bill = w.billed_booking(client, pro, service, 1).await;
    let (chrome, _) = w.signed_in(client).await;

    w.open(&chrome, "/payments").await;
    assert!(text(&chrome).await.contains("You have no saved cards."));

    // The first card becomes the default.
    add_card(&w, &chrome, "4242424242424242").await;
    let page = text(&chrome).await;
    assert!(page.contains("ending in 4242"), "{page}");
    assert!(page.contains("Default"), "{page}");
    assert_accessible(&chrome, "Payments with a saved card").await;
    let customer: String =
        sqlx::query_scalar("SELECT customer_id FROM stripe_customers WHERE user_id = $1")
            .bind(client)
            .fetch_one(w.pool())
            .await
            .unwrap();
    let first = card_id(&w, &customer, "4242").await;
    let default = || async {
        sqlx::query_scalar::<_, Option<String>>(
            "SELECT default_payment_method FROM stripe_customers WHERE user_id = $1",
        )
        .bind(client)
        .fetch_one(w.pool())
        .await
        .unwrap()
    };
    assert_eq!(default().await.as_deref(), Some(first.as_str()));

    // A second card; then it is made the default.
    add_card(&w, &chrome, "5555555555554444").await;
    let second = card_id(&w, &customer, "4444").await;
    let page = text(&chrome).await;
    assert!(
        page.contains("ending in 4242") && page.contains("ending in 4444"),
        "{page}"
    );
    let badges =
        |id: &str| format!("document.querySelectorAll('[id=\"card-{id}\"] .badge').length");
    let count = |v: Value| v.as_u64().unwrap_or(99);
    assert_eq!(
        count(
            chrome
                .execute(&format!("return {};", badges(&first)), vec![])
                .await
                .unwrap()
        ),
        1,
        "the first card is still the default"
    );
    click(
        &chrome,
        Locator::XPath("//li[contains(., 'ending in 4444')]//button[contains(., 'Make default')]"),
    )
    .await;
    wait_for_url(&chrome, "/payments?done=card-default").await;
    wait_for_text(&chrome, "That card is now your default.").await;
    assert_eq!(default().await.as_deref(), Some(second.as_str()));
    for (id, expected) in [(&first, 0), (&second, 1)] {
        let n = chrome
            .execute(&format!("return {};", badges(id)), vec![])
            .await
            .unwrap();
        assert_eq!(count(n), expected, "Default badges of {id}");
    }

    // The first card is removed.
    click(
        &chrome,
        Locator::XPath("//li[contains(., 'ending in 4242')]//button[contains(., 'Remove')]"),
    )
    .await;
    wait_for_url(&chrome, "/payments?done=card-removed").await;
    wait_for_text(&chrome, "The card was removed.").await;
    let page = text(&chrome).await;
    assert!(!page.contains("ending in 4242"), "{page}");
    assert!(page.contains("ending in 4444"), "{page}");
    let left: Vec<String> = w
        .stripe
        .cards_of(&customer)
        .await
        .iter()
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(left, vec![second.clone()]);

    // Pay with the saved card: a plain form post, no Stripe.js.
    w.open(&chrome, &format!("/payments/bills/{bill}/pay"))
        .await;
    let page = text(&chrome).await;
    assert!(page.contains("Pay with a saved card"), "{page}");
    let checked = chrome
        .execute(
            "const c = document.querySelector('form.pay-saved input[name=card]:checked'); return c ? c.value : null;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(checked, json!(second), "the default card is chosen");
    click(&chrome, Locator::Css("form.pay-saved button[type=submit]")).await;
    wait_until_paid(&chrome, bill).await;
    assert_eq!(w.bill_status(bill).await, "paid");
    assert_eq!(w.charge_statuses(bill).await, vec!["succeeded".to_owned()]);
    let pi = w.payment_intent(bill).await;
    let intent = w
        .stripe
        .get_json(&format!("/v1/payment_intents/{pi}"))
        .await;
    assert_eq!(intent["payment_method"], json!(second), "{intent}");

    // In Icelandic.
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(client)
        .execute(w.pool())
        .await
        .unwrap();
    w.open(&chrome, "/payments").await;
    let page = text(&chrome).await;
    for expected in [
        "Greiðslur",
        "Greiddir reikningar",
        "Kortin þín",
        "sem endar á 4444",
        "Sjálfgefið",
        "90,00 €",
        "Þú átt enga ógreidda reikninga.",
    ] {
        assert!(page.contains(expected), "{expected} in {page}");
    }
    let lang = chrome
        .execute("return document.documentElement.lang;", vec![])
        .await
        .unwrap();
    assert_eq!(lang, json!("is"));
    assert_accessible(&chrome, "Payments in Icelandic").await;
    chrome.close().await.expect("close the browser");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_card_whose_bank_asks_for_3_d_secure_is_authenticated_on_the_pay_page() {
    let w = world().await;
    let (pro, client, service) = w.practice("EUR", 9_000).await;
    let bill = w.billed_booking(client, pro, service, 1).await;
    let (chrome, _) = w.signed_in(client).await;

    // Saving the card asks for authentication too.
    w.open(&chrome, "/payments").await;
    click(&chrome, Locator::XPath(&button("Add a new card"))).await;
    type_card(&chrome, "4000002760003184").await;
    click(&chrome, Locator::XPath(&button("Save card"))).await;
    click(&chrome, Locator::XPath(&button("Complete authentication"))).await;
    wait_for_url(&chrome, "/payments?done=card-added").await;
    wait_for_text(&chrome, "ending in 3184").await;

    // Paying with it: the server asks Stripe, the bank asks the payer, and
    // the Pay page opens the authentication by itself.
    w.open(&chrome, &format!("/payments/bills/{bill}/pay"))
        .await;
    click(&chrome, Locator::Css("form.pay-saved button[type=submit]")).await;
    wait_for_url(&chrome, "authenticate=1").await;
    assert_eq!(w.bill_status(bill).await, "open");
    click(&chrome, Locator::XPath(&button("Complete authentication"))).await;
    wait_until_paid(&chrome, bill).await;
    assert_eq!(w.bill_status(bill).await, "paid");
    assert_eq!(w.charge_statuses(bill).await, vec!["succeeded".to_owned()]);
    chrome.close().await.expect("close the browser");
}
