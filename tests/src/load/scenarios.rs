//! The scenarios: what each kind of goose user does on its turn, every
//! answer checked, and the tally of requests by time window.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Duration as Span, Utc};
use goose::goose::{GooseMethod, GooseRequest, GooseUser, Scenario, Transaction, TransactionError};
use goose::prelude::TransactionResult;
use reqwest::RequestBuilder;
use sqlx::PgPool;
use uuid::Uuid;

use super::Hub;
use crate::browser::PASSWORD;

/// The scenarios' names, as reported.
pub const SCENARIOS: [&str; 6] = [
    "hub page",
    "slot page",
    "booking",
    "dashboard",
    "login",
    "sign-up",
];

/// What every goose user shares: the hubs, a pool to read the outbox, and
/// the tally of requests by time window and scenario.
pub struct Shared {
    hubs: Vec<Hub>,
    pool: PgPool,
    tally: Tally,
    sign_ups: AtomicU64,
}

impl Shared {
    /// The state of an attack on `hubs`, its tally in windows of `window`.
    pub fn new(hubs: Vec<Hub>, pool: PgPool, window: Duration) -> Self {
        Self {
            hubs,
            pool,
            tally: Tally {
                started: Instant::now(),
                window,
                cells: Mutex::new(BTreeMap::new()),
            },
            sign_ups: AtomicU64::new(0),
        }
    }

    /// The tally so far, taken out.
    pub fn take_cells(&self) -> BTreeMap<(u64, &'static str), Cell> {
        std::mem::take(&mut *self.tally.cells.lock().expect("tally"))
    }
}

/// Requests by (window, scenario): latencies (µs) and errors.
struct Tally {
    started: Instant,
    window: Duration,
    cells: Mutex<BTreeMap<(u64, &'static str), Cell>>,
}

/// One window of one scenario.
#[derive(Debug, Default, Clone)]
pub struct Cell {
    /// Each request's latency (to the answer's headers, as goose times it, plus
    /// reading the body), in µs.
    pub micros: Vec<u32>,
    /// Requests that failed (an unexpected status, or a page without what it should show).
    pub errors: u64,
    /// Confirms refused because someone else had just taken the slot (409), an expected answer.
    pub taken: u64,
}

impl Tally {
    fn record(&self, scenario: &'static str, micros: u32, ok: bool, taken: bool) {
        let window = self.started.elapsed().as_secs() / self.window.as_secs().max(1);
        let mut cells = self.cells.lock().expect("tally");
        let cell = cells.entry((window, scenario)).or_default();
        cell.micros.push(micros);
        cell.errors += u64::from(!ok);
        cell.taken += u64::from(taken);
    }
}

/// Each goose user's state.
#[derive(Debug, Clone)]
struct Visitor {
    /// The hub it works in (bookings, dashboards).
    hub: usize,
    /// Iterations so far.
    n: u64,
}

/// A step's future, borrowing its user.
type Step<'r> = Pin<Box<dyn Future<Output = TransactionResult> + Send + 'r>>;

/// A step of a scenario: one goose user's turn, with the shared state.
type StepFn = for<'r> fn(&'r mut GooseUser, Arc<Shared>) -> Step<'r>;

/// Pins the closure's signature to goose's (a higher-ranked borrow of the user).
fn hrtb<F>(f: F) -> F
where
    F: for<'r> Fn(&'r mut GooseUser) -> Step<'r> + Send + Sync + 'static,
{
    f
}

/// A named transaction running `f` with the shared state.
fn transaction(name: &str, shared: &Arc<Shared>, f: StepFn) -> Transaction {
    let shared = Arc::clone(shared);
    Transaction::new(Arc::new(hrtb(move |user| f(user, Arc::clone(&shared))))).set_name(name)
}

/// A response read whole.
struct Answer {
    status: u16,
    location: String,
    body: String,
}

/// What a request must answer.
struct Expect<'a> {
    /// Acceptable statuses, the usual one first.
    status: &'a [u16],
    /// Text the usual answer's page shows.
    page: Option<&'a str>,
    /// Text in the usual answer's redirect target.
    location: Option<&'a str>,
    /// Text the page of another acceptable status shows (why it was refused).
    otherwise: Option<&'a str>,
}

impl<'a> Expect<'a> {
    /// 200, showing `text`.
    fn page(text: &'a str) -> Self {
        Self {
            status: &[200],
            page: Some(text),
            location: None,
            otherwise: None,
        }
    }

    /// 303 to somewhere containing `to`.
    fn redirect(to: &'a str) -> Self {
        Self {
            status: &[303],
            page: None,
            location: Some(to),
            otherwise: None,
        }
    }
}

/// Sends `builder` as request `name` of `scenario`, reads the answer and
/// records it; an answer other than `expect` is marked a goose failure
/// (and fails the transaction).
async fn send(
    user: &mut GooseUser,
    shared: &Shared,
    scenario: &'static str,
    name: &str,
    builder: RequestBuilder,
    expect: Expect<'_>,
) -> Result<Answer, Box<TransactionError>> {
    let usual = expect.status[0];
    let request = GooseRequest::builder()
        .name(name)
        .set_request_builder(builder)
        .expect_status_code(usual)
        .build();
    let mut goose = user.request(request).await?;
    // goose times the request from past its throttle (`--rate`) to the
    // answer's headers, in ms; the body's reading is added.
    let headers_at = Instant::now();
    let answer = match goose.response {
        Ok(response) => {
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let body = response.text().await.unwrap_or_default();
            Some(Answer {
                status,
                location,
                body,
            })
        }
        Err(_) => None,
    };
    let micros = u32::try_from(
        u128::from(goose.request.response_time) * 1000 + headers_at.elapsed().as_micros(),
    )
    .unwrap_or(u32::MAX);
    let problem = match &answer {
        None => Some(format!("{name}: no answer")),
        Some(a) if !expect.status.contains(&a.status) => {
            Some(format!("{name}: status {}", a.status))
        }
        Some(a) if a.status != usual => match expect.otherwise {
            Some(text) if !a.body.contains(text) => {
                Some(format!("{name}: status {} without {text:?}", a.status))
            }
            _ => None,
        },
        Some(a) => match (expect.page, expect.location) {
            (Some(text), _) if !a.body.contains(text) => {
                Some(format!("{name}: no {text:?} on the page"))
            }
            (_, Some(to)) if !a.location.contains(to) => {
                Some(format!("{name}: sent to {:?}, not {to:?}", a.location))
            }
            _ => None,
        },
    };
    let taken = answer.as_ref().is_some_and(|a| a.status == 409);
    shared.tally.record(
        scenario,
        micros,
        problem.is_none(),
        taken && problem.is_none(),
    );
    match (problem, answer) {
        (None, Some(answer)) => {
            if answer.status != usual {
                user.set_success(&mut goose.request)?;
            }
            Ok(answer)
        }
        (problem, answer) => {
            let tag = problem.unwrap_or_default();
            let body = answer.map(|a| a.body);
            Err(user
                .set_failure(&tag, &mut goose.request, None, body.as_deref())
                .err()
                .unwrap_or_else(|| {
                    Box::new(TransactionError::RequestFailed {
                        raw_request: goose.request.clone(),
                    })
                }))
        }
    }
}

/// The value of the first `name="{field}" value="…"` on `page`.
fn value_of(page: &str, field: &str) -> String {
    let marker = format!("name=\"{field}\" value=\"");
    page.find(&marker)
        .and_then(|at| page[at + marker.len()..].split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// Every `name="start" value="…"` on a slot page.
fn starts_on(page: &str) -> Vec<String> {
    page.split("name=\"start\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

/// A cookie-keeping client that shows redirects instead of following them.
fn client() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
}

fn get(user: &GooseUser, path: &str) -> Result<RequestBuilder, Box<TransactionError>> {
    user.get_request_builder(&GooseMethod::Get, path)
}

fn post(
    user: &GooseUser,
    path: &str,
    fields: &[(&str, &str)],
) -> Result<RequestBuilder, Box<TransactionError>> {
    Ok(user
        .get_request_builder(&GooseMethod::Post, path)?
        .form(fields))
}

/// A random index below `n` (std's hasher keys are random per instance).
fn rand_index(n: usize) -> usize {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    usize::try_from(h.finish() % n.max(1) as u64).unwrap_or(0)
}

fn pick<T>(items: &[T]) -> &T {
    &items[rand_index(items.len())]
}

/// A week to book in, 2 to 30 weeks ahead (past any cancellation cutoff).
fn some_week() -> String {
    let weeks = 2 + i64::try_from(rand_index(29)).unwrap_or(0);
    (Utc::now().date_naive() + Span::weeks(weeks))
        .format("%Y-%m-%d")
        .to_string()
}

/// The user's hub and how many turns it has had (counting this one).
fn turn(user: &mut GooseUser) -> (usize, u64) {
    match user.get_session_data_mut::<Visitor>() {
        Some(v) => {
            v.n += 1;
            (v.hub, v.n)
        }
        None => (0, 0),
    }
}

/// Every user starts with its own client and a hub of its own.
fn start(user: &mut GooseUser, shared: Arc<Shared>) -> Step<'_> {
    Box::pin(async move {
        user.set_client_builder(client()).await?;
        let hub = user.weighted_users_index % shared.hubs.len();
        user.set_session_data(Visitor { hub, n: 0 });
        Ok(())
    })
}

/// Logs in as the hub's member `k`.
async fn login_as(
    user: &mut GooseUser,
    shared: &Shared,
    scenario: &'static str,
    hub: &Hub,
    k: usize,
) -> Result<(), Box<TransactionError>> {
    let base = format!("/h/{}", hub.slug);
    let login = format!("{base}/login");
    let page = send(
        user,
        shared,
        scenario,
        "login page",
        get(user, &login)?,
        Expect::page("name=\"csrf\""),
    )
    .await?;
    let csrf = value_of(&page.body, "csrf");
    let fields = [
        ("email", hub.members[k].as_str()),
        ("password", PASSWORD),
        ("csrf", &csrf),
    ];
    send(
        user,
        shared,
        scenario,
        "log in",
        post(user, &login, &fields)?,
        Expect::redirect("/"),
    )
    .await?;
    Ok(())
}

/// A visitor reads a hub's page, by its host name or by its path.
fn hub_page(user: &mut GooseUser, shared: Arc<Shared>) -> Step<'_> {
    Box::pin(async move {
        let (_, n) = turn(user);
        let hub = pick(&shared.hubs);
        let builder = if n % 2 == 0 {
            get(user, "/")?.header("host", format!("{}.hearth.localhost", hub.slug))
        } else {
            get(user, &format!("/h/{}/", hub.slug))?
        };
        send(
            user,
            &shared,
            SCENARIOS[0],
            "hub page",
            builder,
            Expect::page(&hub.name),
        )
        .await?;
        Ok(())
    })
}

/// A visitor reads a week of a professional's free slots (links to the
/// confirm step with `?start=`; their slashes are escaped in the HTML).
fn slot_page(user: &mut GooseUser, shared: Arc<Shared>) -> Step<'_> {
    Box::pin(async move {
        let hub = pick(&shared.hubs);
        let (pro, service) = pick(&hub.services);
        let path = format!("/h/{}/book/{pro}/{service}?week={}", hub.slug, some_week());
        send(
            user,
            &shared,
            SCENARIOS[1],
            "slot page",
            get(user, &path)?,
            Expect::page("?start="),
        )
        .await?;
        Ok(())
    })
}

fn booking_start(user: &mut GooseUser, shared: Arc<Shared>) -> Step<'_> {
    Box::pin(async move {
        let (hub, _) = turn(user);
        login_as(user, &shared, SCENARIOS[2], &shared.hubs[hub], 0).await
    })
}

/// A member books a free slot (CSRF token, idempotency key); one time in
/// ten sends the same confirm again, as a retry would, and must be sent to
/// the same appointment; then cancels it.
fn booking(user: &mut GooseUser, shared: Arc<Shared>) -> Step<'_> {
    Box::pin(async move {
        const S: &str = SCENARIOS[2];
        let (h, n) = turn(user);
        let hub = &shared.hubs[h];
        let base = format!("/h/{}", hub.slug);
        let (pro, service) = *pick(&hub.services);
        let slots = format!("{base}/book/{pro}/{service}?week={}", some_week());
        let page = send(
            user,
            &shared,
            S,
            "slot page (member)",
            get(user, &slots)?,
            Expect::page("name=\"start\""),
        )
        .await?;
        let csrf = value_of(&page.body, "csrf");
        let starts = starts_on(&page.body);
        let start = pick(&starts).clone();
        let key = format!("load-{}", Uuid::new_v4().simple());
        let confirm = format!("{base}/book/{pro}/{service}/confirm");
        let fields = [
            ("start", start.as_str()),
            ("key", key.as_str()),
            ("csrf", csrf.as_str()),
        ];
        // 409 is an answer only when the slot was just taken (not, say, for want of credits).
        let expect = Expect {
            status: &[303, 409],
            page: None,
            location: Some("/appointments/"),
            otherwise: Some("Someone else just booked this time."),
        };
        let booked = send(
            user,
            &shared,
            S,
            "confirm",
            post(user, &confirm, &fields)?,
            expect,
        )
        .await?;
        if booked.status == 409 {
            // Someone else took that slot a moment ago: an answer, not an error.
            return Ok(());
        }
        if n % 10 == 0 {
            let same = Expect::redirect(&booked.location);
            send(
                user,
                &shared,
                S,
                "confirm again (same key)",
                post(user, &confirm, &fields)?,
                same,
            )
            .await?;
        }
        let appointment = booked
            .location
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned();
        let page = send(
            user,
            &shared,
            S,
            "appointment page",
            get(user, &appointment)?,
            Expect::page("/cancel"),
        )
        .await?;
        let csrf = value_of(&page.body, "csrf");
        let cancel = post(user, &format!("{appointment}/cancel"), &[("csrf", &csrf)])?;
        send(
            user,
            &shared,
            S,
            "cancel",
            cancel,
            Expect::redirect("done=cancelled"),
        )
        .await?;
        Ok(())
    })
}

fn dashboard_start(user: &mut GooseUser, shared: Arc<Shared>) -> Step<'_> {
    Box::pin(async move {
        let (hub, _) = turn(user);
        login_as(user, &shared, SCENARIOS[3], &shared.hubs[hub], 1).await
    })
}

/// A member reads their dashboard.
fn dashboard(user: &mut GooseUser, shared: Arc<Shared>) -> Step<'_> {
    Box::pin(async move {
        let (hub, _) = turn(user);
        let path = format!("/h/{}/dashboard", shared.hubs[hub].slug);
        send(
            user,
            &shared,
            SCENARIOS[3],
            "dashboard",
            get(user, &path)?,
            Expect::page("/logout"),
        )
        .await?;
        Ok(())
    })
}

/// A member of some hub logs in from a new browser and sees their dashboard.
fn login(user: &mut GooseUser, shared: Arc<Shared>) -> Step<'_> {
    Box::pin(async move {
        user.set_client_builder(client()).await?;
        let hub = pick(&shared.hubs);
        login_as(user, &shared, SCENARIOS[4], hub, 2).await?;
        let path = format!("/h/{}/dashboard", hub.slug);
        send(
            user,
            &shared,
            SCENARIOS[4],
            "dashboard after login",
            get(user, &path)?,
            Expect::page("/logout"),
        )
        .await?;
        Ok(())
    })
}

/// Someone signs up on a hub, accepts the terms, enters the code emailed to
/// them (read from the outbox), joins the hub with its invite code and sees
/// their dashboard.
fn sign_up(user: &mut GooseUser, shared: Arc<Shared>) -> Step<'_> {
    Box::pin(async move {
        const S: &str = SCENARIOS[5];
        user.set_client_builder(client()).await?;
        let hub = pick(&shared.hubs);
        let base = format!("/h/{}", hub.slug);
        let number = shared.sign_ups.fetch_add(1, Ordering::Relaxed);
        let email = format!("s{number}-{}@load.test", Uuid::new_v4().simple());
        let csrf_form = Expect::page("name=\"csrf\"");
        let signup = format!("{base}/signup");
        let page = send(
            user,
            &shared,
            S,
            "sign-up page",
            get(user, &signup)?,
            csrf_form,
        )
        .await?;
        let fields = [
            ("name", "Load Tester"),
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("csrf", &value_of(&page.body, "csrf")),
        ];
        send(
            user,
            &shared,
            S,
            "sign up",
            post(user, &signup, &fields)?,
            Expect::redirect("/terms"),
        )
        .await?;
        let terms = format!("{base}/terms");
        let page = send(
            user,
            &shared,
            S,
            "terms page",
            get(user, &terms)?,
            Expect::page("name=\"csrf\""),
        )
        .await?;
        let csrf = value_of(&page.body, "csrf");
        send(
            user,
            &shared,
            S,
            "accept terms",
            post(user, &terms, &[("csrf", &csrf)])?,
            Expect::redirect("/verify"),
        )
        .await?;
        // The code is in the outbox once the sign-up committed; a missing one
        // fails the next step (a wrong code is refused with 422).
        let code = code_from_outbox(&shared.pool, &email)
            .await
            .unwrap_or_default();
        let verify = format!("{base}/verify");
        let page = send(
            user,
            &shared,
            S,
            "code page",
            get(user, &verify)?,
            Expect::page("name=\"csrf\""),
        )
        .await?;
        let csrf = value_of(&page.body, "csrf");
        send(
            user,
            &shared,
            S,
            "enter code",
            post(user, &verify, &[("code", &code), ("csrf", &csrf)])?,
            Expect::redirect("/claim"),
        )
        .await?;
        let claim = format!("{base}/claim");
        let page = send(
            user,
            &shared,
            S,
            "claim page",
            get(user, &claim)?,
            Expect::page("name=\"csrf\""),
        )
        .await?;
        let csrf = value_of(&page.body, "csrf");
        send(
            user,
            &shared,
            S,
            "claim with code",
            post(user, &claim, &[("code", &hub.code), ("csrf", &csrf)])?,
            Expect::redirect("/dashboard"),
        )
        .await?;
        send(
            user,
            &shared,
            S,
            "dashboard after sign-up",
            get(user, &format!("{base}/dashboard"))?,
            Expect::page("/logout"),
        )
        .await?;
        Ok(())
    })
}

/// The 6-digit code of the newest email to `email`, waiting up to 10 s for
/// the outbox to hold it.
async fn code_from_outbox(pool: &PgPool, email: &str) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text: Option<String> = sqlx::query_scalar(
            "SELECT text_body FROM email_outbox WHERE lower(to_address) = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(email)
        .fetch_optional(pool)
        .await
        .ok()
        .flatten();
        let code = text.as_deref().and_then(|t| {
            let at = t.find("code is ")? + 8;
            let code: String = t[at..].chars().take(6).collect();
            (code.len() == 6 && code.chars().all(|c| c.is_ascii_digit())).then_some(code)
        });
        if code.is_some() || Instant::now() > deadline {
            return code;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The scenarios, weighted (goose gives users to scenarios round robin by
/// weight, so the first six users cover all six): mostly people reading hub pages.
pub fn scenarios(shared: &Arc<Shared>) -> anyhow::Result<Vec<Scenario>> {
    let begun = |name: &str, weight: usize| -> anyhow::Result<Scenario> {
        Ok(Scenario::new(name)
            .set_weight(weight)?
            .register_transaction(
                transaction("start", shared, start)
                    .set_on_start()
                    .set_sequence(1),
            ))
    };
    let logged_in = |f: StepFn| {
        transaction("log in", shared, f)
            .set_on_start()
            .set_sequence(2)
    };
    Ok(vec![
        begun(SCENARIOS[0], 8)?.register_transaction(transaction("hub page", shared, hub_page)),
        begun(SCENARIOS[1], 3)?.register_transaction(transaction("slot page", shared, slot_page)),
        begun(SCENARIOS[2], 3)?
            .register_transaction(logged_in(booking_start))
            .register_transaction(transaction("book and cancel", shared, booking).set_sequence(3)),
        begun(SCENARIOS[3], 2)?
            .register_transaction(logged_in(dashboard_start))
            .register_transaction(transaction("dashboard", shared, dashboard).set_sequence(3)),
        begun(SCENARIOS[4], 1)?.register_transaction(
            transaction("log in and see the dashboard", shared, login).set_sequence(2),
        ),
        begun(SCENARIOS[5], 1)?
            .register_transaction(transaction("sign up", shared, sign_up).set_sequence(2)),
    ])
}
