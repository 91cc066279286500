//! Video sessions in a real headless Chromium (two browsers: the client's
//! and the professional's) with Chromium's fake camera and microphone: the
//! device check, the waiting room, and the call itself, checked by what
//! WebRTC reports (`getStats()`: video frames decoded and audio energy
//! rising), directly on one node and through coturn across two nodes, and
//! after the client's page reloads mid-call.

use std::sync::Arc;
use std::time::Duration;

use fantoccini::{Client, Locator};
use hearth_admin::turn::Coturn;
use hearth_core::config::IcePolicy;
use hearth_tests::chrome::{
    assert_readable_at_phone_and_desktop, axe_source, chromedriver, describe, full_page_screenshot,
    media_browser, screenshot_dir, serious_violations, sign_in, wait_until, Driver, Media,
};
use hearth_tests::fixtures::{professional, user};
use hearth_tests::{TestApp, TestDb};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::video::video_appointment;
use hearth_tests::fixtures::session_token;

const WITHIN: Duration = Duration::from_secs(30);

/// A Chromium signed in as `user` on `app`, with `media`.
async fn signed_in(driver: &Driver, app: &TestApp, user: Uuid, media: Media) -> Client {
    let client = media_browser(driver, media).await;
    let token = session_token(&app.db.pool, user).await;
    sign_in(&client, &app.address, &token).await;
    client
}

/// Opens the room, waits for the device check to pass, and presses Join.
async fn check_and_join(client: &Client, app: &TestApp, id: Uuid, relay: bool) {
    client
        .goto(&format!("{}/appointments/{id}/session", app.address))
        .await
        .expect("the room");
    pass_check_and_join(client, relay).await;
}

/// On a room's page: waits for the device check to pass, and presses Join.
async fn pass_check_and_join(client: &Client, relay: bool) {
    for check in [
        "check-camera",
        "check-mic",
        "check-signalling",
        "check-network",
    ] {
        wait_until(
            client,
            &format!("document.getElementById('{check}').dataset.state === 'ok'"),
            WITHIN,
            check,
        )
        .await;
    }
    if relay {
        wait_until(
            client,
            "document.getElementById('check-relay').dataset.state === 'ok'",
            WITHIN,
            "a relay candidate from coturn",
        )
        .await;
    }
    client
        .find(Locator::Id("join"))
        .await
        .expect("Join session")
        .click()
        .await
        .expect("press Join session");
}

/// What the page's peer connection reports: frames decoded and audio energy
/// now and 1.5 s later, and the kind of local candidate in use.
async fn media_flowing(client: &Client) -> Value {
    client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const pc = [...window.hearthCall.peers.values()][0];
             const sample = async () => {
               const stats = await pc.getStats();
               let frames = 0, energy = 0, local = null;
               const byId = new Map(); stats.forEach(s => byId.set(s.id, s));
               stats.forEach(s => {
                 if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0;
                 if (s.type === 'inbound-rtp' && s.kind === 'audio') energy += s.totalAudioEnergy || 0;
                 if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && !local) {
                   const c = byId.get(s.localCandidateId); if (c) local = c.candidateType;
                 }
               });
               // The pair in use, as the transport names it (a re-check can
               // leave no pair both nominated and succeeded for a moment).
               stats.forEach(s => {
                 const pair = s.type === 'transport' && s.selectedCandidatePairId && byId.get(s.selectedCandidatePairId);
                 const c = pair && byId.get(pair.localCandidateId);
                 if (c) local = c.candidateType;
               });
               return { frames, energy, local };
             };
             sample().then(first => setTimeout(() => sample().then(second =>
               done({ first, second })), 1500)).catch(e => done({ error: String(e) }));",
            vec![],
        )
        .await
        .expect("getStats")
}

fn assert_flowing(who: &str, stats: &Value, candidate: Option<&str>) {
    let (f1, f2) = (
        stats["first"]["frames"].as_f64().unwrap_or(0.0),
        stats["second"]["frames"].as_f64().unwrap_or(0.0),
    );
    let (e1, e2) = (
        stats["first"]["energy"].as_f64().unwrap_or(0.0),
        stats["second"]["energy"].as_f64().unwrap_or(0.0),
    );
    assert!(
        f2 > f1 && f2 > 0.0,
        "{who} decodes the other's video: {stats}"
    );
    assert!(
        e2 > e1,
        "{who} hears the other (audio energy rises): {stats}"
    );
    if let Some(kind) = candidate {
        assert_eq!(stats["second"]["local"], kind, "{who}'s path: {stats}");
    }
}

async fn connected(client: &Client, who: &str) {
    wait_until(
        client,
        "document.body.dataset.callState === 'connected' && window.hearthCall && \
         [...window.hearthCall.peers.values()].some(pc => pc.connectionState === 'connected')",
        WITHIN,
        &format!("{who} connected"),
    )
    .await;
}

struct Call {
    db: Arc<TestDb>,
    pro: Uuid,
    client: Uuid,
    id: Uuid,
}

async fn call_setup() -> Call {
    let db = Arc::new(TestDb::new().await);
    let pool = db.pool.clone();
    let pro = professional(&pool, "ann@pro.test", "Ann Smith", "UTC", 0, &[]).await;
    let client = user(&pool, "kim@client.test", "Kim Lee", "UTC").await;
    let id = video_appointment(
        &pool,
        pro,
        client,
        chrono::Duration::minutes(5),
        "video",
        "confirmed",
    )
    .await;
    Call {
        db,
        pro,
        client,
        id,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_browsers_call_each_other_and_the_call_survives_a_reload() {
    let driver = chromedriver().await;
    let call = call_setup().await;
    let app = TestApp::spawn_on(Arc::clone(&call.db)).await;
    let client = signed_in(&driver, &app, call.client, Media::Fake).await;
    let pro = signed_in(&driver, &app, call.pro, Media::Fake).await;

    // The client comes first and waits.
    check_and_join(&client, &app, call.id, false).await;
    wait_until(
        &client,
        "document.body.dataset.callState === 'waiting'",
        WITHIN,
        "the waiting room",
    )
    .await;
    // Announced (after a moment, so screen readers hear the change).
    wait_until(
        &client,
        "document.getElementById('call-status').textContent.includes('Waiting for Ann Smith')",
        WITHIN,
        "the announcement that names who they wait for",
    )
    .await;
    // The device check named the fake camera (hidden now, so read its text).
    let camera = client
        .execute(
            "return document.getElementById('check-camera').textContent;",
            vec![],
        )
        .await
        .expect("the camera check");
    assert!(
        camera
            .as_str()
            .is_some_and(|t| t.to_lowercase().contains("fake")),
        "the camera check names the camera: {camera}"
    );

    check_and_join(&pro, &app, call.id, false).await;
    connected(&client, "the client").await;
    connected(&pro, "the professional").await;
    // The call page: no serious accessibility fault, at phone and desktop widths.
    assert_readable_at_phone_and_desktop(&pro, "video-call").await;
    assert_flowing("the client", &media_flowing(&client).await, Some("host"));
    assert_flowing("the professional", &media_flowing(&pro).await, Some("host"));

    // The client's page reloads mid-call; the professional does nothing.
    client.refresh().await.expect("reload");
    check_and_join(&client, &app, call.id, false).await;
    connected(&client, "the client after reloading").await;
    connected(&pro, "the professional after the client reloaded").await;
    assert_flowing(
        "the client after reloading",
        &media_flowing(&client).await,
        None,
    );
    assert_flowing(
        "the professional after the client reloaded",
        &media_flowing(&pro).await,
        None,
    );

    // Muting is seen on the other side; ending leaves the room.
    client
        .find(Locator::Id("mute"))
        .await
        .expect("the mute button")
        .click()
        .await
        .expect("mute");
    let pressed = client
        .find(Locator::Id("mute"))
        .await
        .expect("mute")
        .attr("aria-pressed")
        .await
        .expect("aria-pressed");
    assert_eq!(pressed.as_deref(), Some("true"));
    client
        .find(Locator::Id("end-call"))
        .await
        .expect("End call")
        .click()
        .await
        .expect("end the call");
    wait_until(
        &client,
        "document.body.dataset.callState === 'ended'",
        WITHIN,
        "ended",
    )
    .await;

    // Attendance: both came.
    let roles: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT role FROM video_attendance WHERE appointment_id = $1 ORDER BY role",
    )
    .bind(call.id)
    .fetch_all(&call.db.pool)
    .await
    .unwrap();
    assert_eq!(roles, ["client", "professional"]);
    client.close().await.ok();
    pro.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_call_between_two_nodes_goes_through_coturn_with_short_lived_credentials() {
    assert!(
        Coturn::available(),
        "turnserver not found: scripts/test installs Debian's coturn"
    );
    let dir = tempfile::tempdir().expect("a folder for coturn");
    let turn = Coturn::start(dir.path()).expect("coturn");
    let driver = chromedriver().await;
    let call = call_setup().await;
    let configure = |c: &mut hearth_core::config::Config| {
        c.turn_urls = turn.urls();
        c.turn_secret = Some(turn.secret.clone().into());
        c.ice_transport_policy = IcePolicy::Relay;
    };
    let pool = call.db.pool.clone();
    let a = TestApp::spawn_configured(Arc::clone(&call.db), pool.clone(), configure).await;
    let b = TestApp::spawn_configured(Arc::clone(&call.db), pool, configure).await;
    a.listening().await;
    b.listening().await;
    let client = signed_in(&driver, &a, call.client, Media::Fake).await;
    let pro = signed_in(&driver, &b, call.pro, Media::Fake).await;
    tokio::join!(
        check_and_join(&client, &a, call.id, true),
        check_and_join(&pro, &b, call.id, true)
    );
    connected(&client, "the client on node A").await;
    connected(&pro, "the professional on node B").await;
    assert_flowing("the client", &media_flowing(&client).await, Some("relay"));
    assert_flowing(
        "the professional",
        &media_flowing(&pro).await,
        Some("relay"),
    );
    // coturn saw the allocations made with the credentials hearth signed.
    let log = std::fs::read_to_string(&turn.log).unwrap_or_default();
    assert!(
        !log.contains("Cannot find credentials"),
        "coturn refused a credential:\n{log}"
    );
    client.close().await.ok();
    pro.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_blocked_camera_gets_guidance_not_a_blank_box() {
    let driver = chromedriver().await;
    let call = call_setup().await;
    let app = TestApp::spawn_on(Arc::clone(&call.db)).await;
    let client = signed_in(&driver, &app, call.client, Media::Denied).await;
    client
        .goto(&format!("{}/appointments/{}/session", app.address, call.id))
        .await
        .expect("the room");
    wait_until(
        &client,
        "document.getElementById('device-guidance').dataset.problem === 'denied'",
        WITHIN,
        "the guidance for a denied permission",
    )
    .await;
    let guidance = client
        .find(Locator::Id("device-guidance"))
        .await
        .expect("guidance")
        .text()
        .await
        .expect("text");
    assert!(guidance.len() > 40, "plain guidance: {guidance}");
    let disabled = client
        .find(Locator::Id("join"))
        .await
        .expect("Join session")
        .attr("disabled")
        .await
        .expect("attribute");
    assert!(
        disabled.is_some(),
        "no joining without camera or microphone"
    );
    client.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_guest_waits_until_the_professional_admits_them_then_joins_the_call() {
    let driver = chromedriver().await;
    let call = call_setup().await;
    let pool = call.db.pool.clone();
    sqlx::query("UPDATE appointments SET session_type = 'family' WHERE id = $1")
        .bind(call.id)
        .execute(&pool)
        .await
        .expect("a family session");
    let app = TestApp::spawn_on(Arc::clone(&call.db)).await;
    // The client makes a link and sends it; the guest opens it in Chromium.
    let client = hearth_tests::fixtures::browser_for(&pool, &app.address, call.client).await;
    let link = crate::video_guests::make_link(&client, call.id).await;
    let guest = media_browser(&driver, Media::Fake).await;
    guest
        .goto(&format!("{}{link}", app.address))
        .await
        .expect("the link");
    guest
        .find(Locator::Id("f-name"))
        .await
        .expect("the name field")
        .send_keys("Alex Roe")
        .await
        .expect("type a name");
    guest
        .find(Locator::Css("main form button[type=submit]"))
        .await
        .expect("Continue")
        .click()
        .await
        .expect("press Continue");
    // The room, where pressing Join means waiting to be let in.
    pass_check_and_join(&guest, false).await;
    wait_until(
        &guest,
        "document.body.dataset.callState === 'admission' && \
         document.getElementById('waiting-h').textContent.includes('Ann Smith')",
        WITHIN,
        "the guest waiting to be let in",
    )
    .await;

    // The professional joins and sees the guest waiting, by name.
    let pro = signed_in(&driver, &app, call.pro, Media::Fake).await;
    check_and_join(&pro, &app, call.id, false).await;
    wait_until(
        &pro,
        "!document.getElementById('guest-lobby').hidden && \
         document.querySelector('#guest-waiting li[data-guest] .vr-lobby-name').textContent === 'Alex Roe'",
        WITHIN,
        "the waiting list",
    )
    .await;
    assert_readable_at_phone_and_desktop(&pro, "video-guest-waiting").await;
    let axe = axe_source();
    full_page_screenshot(
        &guest,
        375,
        &screenshot_dir().join("video-guest-admission-375.png"),
    )
    .await;
    let violations = serious_violations(&guest, &axe).await;
    assert!(violations.is_empty(), "{}", describe(&violations));
    // No media before admission: the guest has no connection at all.
    let open = guest
        .execute("return window.hearthCall.peers.size;", vec![])
        .await
        .expect("peers");
    assert_eq!(open, json!(0), "no connection before admission");

    let admit = pro
        .find(Locator::Css("#guest-waiting button.admit"))
        .await
        .expect("Admit");
    let label = admit.attr("aria-label").await.expect("label");
    assert_eq!(label.as_deref(), Some("Admit Alex Roe"));
    admit.click().await.expect("press Admit");
    connected(&guest, "the guest").await;
    connected(&pro, "the professional").await;
    assert_flowing("the guest", &media_flowing(&guest).await, Some("host"));
    assert_flowing("the professional", &media_flowing(&pro).await, Some("host"));
    let admitted: Option<String> = sqlx::query_scalar(
        "SELECT name FROM video_guests WHERE appointment_id = $1 AND admitted_at IS NOT NULL",
    )
    .bind(call.id)
    .fetch_optional(&pool)
    .await
    .expect("guests");
    assert_eq!(admitted.as_deref(), Some("Alex Roe"));
}
