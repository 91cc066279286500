//! Video sessions (issue 13). Over the WebSocket itself (`tokio-tungstenite`,
//! two `hearth serve` nodes on one database): who may enter, what the socket
//! refuses, and that messages cross nodes whole and in order. In a real
//! headless Chromium with fake camera and microphone (`video_browser.rs`):
//! the device check, and two browsers really calling each other, directly
//! and through coturn.

use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use hearth_tests::browser::Browser;
use hearth_tests::fixtures::{browser_for, professional, session_token, user};
use hearth_tests::{TestApp, TestDb};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use uuid::Uuid;

/// A socket of the test.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A video appointment of `pro` with `client` starting `starts_in` from now
/// (negative: in the past), lasting 50 minutes, with `status`.
pub async fn video_appointment(
    pool: &PgPool,
    pro: Uuid,
    client: Uuid,
    starts_in: chrono::Duration,
    mode: &str,
    status: &str,
) -> Uuid {
    let id = Uuid::new_v4();
    let starts_at = chrono::Utc::now() + starts_in;
    sqlx::query(
        "INSERT INTO appointments (id, professional_id, client_id, service_name, mode, session_type, \
           starts_at, ends_at, blocked_until, status, cancelled_at, price_minor, currency) \
         VALUES ($1, $2, $3, 'Talk therapy', $4, 'individual', $5, $5 + interval '50 minutes', \
           $5 + interval '50 minutes', $6, CASE WHEN $6 = 'cancelled' THEN now() END, 12500, 'ISK')",
    )
    .bind(id)
    .bind(pro)
    .bind(client)
    .bind(mode)
    .bind(starts_at)
    .bind(status)
    .execute(pool)
    .await
    .expect("appointment");
    id
}

/// Opens appointment `id`'s socket on `app` with session `token` (none:
/// without a cookie) and `origin`; the HTTP status when refused.
pub async fn connect(
    app: &TestApp,
    id: Uuid,
    token: Option<&str>,
    origin: Option<&str>,
) -> Result<Socket, u16> {
    let url = format!(
        "{}/appointments/{id}/session/signal",
        app.address.replace("http://", "ws://")
    );
    let mut request = url.into_client_request().expect("request");
    if let Some(token) = token {
        request.headers_mut().insert(
            "cookie",
            format!("hearth_session={token}").parse().expect("cookie"),
        );
    }
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", origin.parse().expect("origin"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => Err(r.status().as_u16()),
        Err(e) => panic!("connecting: {e}"),
    }
}

/// The next JSON message, within 10 s.
pub async fn next(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("the socket is open")
            .expect("a frame");
        match message {
            Message::Text(t) => return serde_json::from_str(t.as_str()).expect("JSON"),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

/// The next message of `kind`, skipping others.
pub async fn next_of(socket: &mut Socket, kind: &str) -> Value {
    loop {
        let m = next(socket).await;
        if m["type"] == kind {
            return m;
        }
    }
}

pub async fn send(socket: &mut Socket, value: Value) {
    socket
        .send(Message::Text(value.to_string().into()))
        .await
        .expect("send");
}

pub struct People {
    pub pro: Uuid,
    pub client: Uuid,
    pub stranger: Uuid,
    pub other_pro: Uuid,
}

pub async fn people(pool: &PgPool) -> People {
    People {
        pro: professional(pool, "ann@pro.test", "Ann Smith", "UTC", 0, &[]).await,
        client: user(pool, "kim@client.test", "Kim Lee", "UTC").await,
        stranger: user(pool, "sam@client.test", "Sam Roe", "UTC").await,
        other_pro: professional(pool, "bob@pro.test", "Bob Jones", "UTC", 0, &[]).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_the_two_parties_enter_inside_the_window() {
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let pool = db.pool.clone();
    let p = people(&pool).await;
    // (professional, client, start from now in minutes, mode, status)
    let mut ids = Vec::new();
    for (pro, client, minutes, mode, status) in [
        (p.pro, p.client, 5, "video", "confirmed"),
        (p.other_pro, p.stranger, 5, "video", "confirmed"),
        (p.pro, p.client, 180, "video", "confirmed"),
        (p.pro, p.client, -120, "video", "confirmed"),
        (p.pro, p.client, 360, "video", "cancelled"),
        (p.pro, p.client, 300, "in_person", "confirmed"),
        // Still open 10 minutes after the end.
        (p.pro, p.client, -60, "video", "confirmed"),
    ] {
        let at = chrono::Duration::minutes(minutes);
        ids.push(video_appointment(&pool, pro, client, at, mode, status).await);
    }
    let [now, theirs, early, ended, cancelled, in_person, overrun] = ids[..] else {
        unreachable!("seven appointments")
    };

    let client = browser_for(&pool, &app.address, p.client).await;
    let pro = browser_for(&pool, &app.address, p.pro).await;
    let stranger = browser_for(&pool, &app.address, p.stranger).await;
    let other_pro = browser_for(&pool, &app.address, p.other_pro).await;
    let room = |id: Uuid| format!("/appointments/{id}/session");

    // The two parties get the room, with its Join button and its socket.
    for (who, b) in [("client", &client), ("professional", &pro)] {
        let page = b.page(&room(now)).await.replace("&#x2F;", "/");
        assert!(page.contains("Join session"), "{who}: {page}");
        assert!(
            page.contains(&format!("/appointments/{now}/session/signal")),
            "{who}"
        );
    }
    let page = client.page(&room(overrun)).await;
    assert!(page.contains("Join session"), "10 minutes after the end");
    // The appointment page and the dashboard open the room.
    let page = client.page(&format!("/appointments/{now}")).await;
    assert!(
        page.contains(&format!("href=\"/appointments/{now}/session\"")),
        "{page}"
    );
    assert!(page.contains("Join video session"));
    let page = client.page("/dashboard").await.replace("&#x2F;", "/");
    assert!(
        page.contains(&format!("href=\"/appointments/{now}/session\"")),
        "dashboard: {page}"
    );

    // Anyone else: not found, and no socket.
    for (who, b, id) in [
        ("a stranger", &stranger, now),
        ("another professional", &other_pro, now),
        ("the client of another appointment", &client, theirs),
    ] {
        let r = b.get(&room(id)).await;
        assert_eq!(r.status(), 404, "{who}");
    }
    let anonymous = Browser::new(&app.address);
    let r = anonymous.get(&room(now)).await;
    assert_ne!(r.status(), 200, "not signed in");

    // Outside the window, or not a video call: a page that says so.
    let r = client.get(&room(early)).await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(text.contains("opens"), "{text}");
    assert!(!text.contains("Join session"), "{text}");
    for (id, words) in [
        (ended, "ended"),
        (cancelled, "cancelled"),
        (in_person, "video"),
    ] {
        let r = pro.get(&room(id)).await;
        assert_eq!(r.status(), 410, "{words}");
        let text = r.text().await.unwrap();
        assert!(text.contains(words), "{words}: {text}");
        assert!(!text.contains("Join session"), "{words}");
    }
    // In Icelandic too, for someone who reads Icelandic.
    sqlx::query("UPDATE users SET language = 'is' WHERE id = $1")
        .bind(p.client)
        .execute(&pool)
        .await
        .unwrap();
    let r = client.get(&room(ended)).await;
    assert_eq!(r.status(), 410);
    let text = r.text().await.unwrap();
    assert!(text.contains("lang=\"is\""), "{text}");
    assert!(text.contains("Þessum tíma er lokið."), "{text}");
    let text = client.page(&room(now)).await;
    assert!(
        text.contains("Tengjast tímanum"),
        "the Join button in Icelandic"
    );

    // The socket: refused before any upgrade.
    let origin = app.address.clone();
    let token = |u: Uuid| {
        let pool = pool.clone();
        async move { session_token(&pool, u).await }
    };
    let (c, s, o) = (
        token(p.client).await,
        token(p.stranger).await,
        token(p.other_pro).await,
    );
    assert_eq!(
        connect(&app, now, Some(&s), Some(&origin)).await.err(),
        Some(404),
        "a stranger"
    );
    assert_eq!(
        connect(&app, now, Some(&o), Some(&origin)).await.err(),
        Some(404),
        "another professional"
    );
    assert_eq!(
        connect(&app, theirs, Some(&c), Some(&origin)).await.err(),
        Some(404),
        "someone else's appointment"
    );
    for id in [early, ended, cancelled, in_person] {
        assert_eq!(
            connect(&app, id, Some(&c), Some(&origin)).await.err(),
            Some(404),
            "outside the window"
        );
    }
    assert!(
        connect(&app, now, None, Some(&origin)).await.is_err(),
        "no session"
    );
    assert_eq!(
        connect(&app, now, Some(&c), Some("http://evil.example"))
            .await
            .err(),
        Some(403),
        "a page of another site"
    );
    assert_eq!(
        connect(&app, now, Some(&c), None).await.err(),
        Some(403),
        "no Origin"
    );
    // Nobody entered: no attendance.
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM video_attendance")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    // The client may.
    let mut socket = connect(&app, now, Some(&c), Some(&origin))
        .await
        .expect("the client enters");
    let welcome = next(&mut socket).await;
    assert_eq!(welcome["type"], "welcome");
    assert_eq!(welcome["role"], "client");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signalling_crosses_nodes_whole_and_in_order_and_bad_messages_change_nothing() {
    let db = Arc::new(TestDb::new().await);
    let a = TestApp::spawn_on(Arc::clone(&db)).await;
    let b = TestApp::spawn_on(Arc::clone(&db)).await;
    a.listening().await;
    b.listening().await;
    let pool = db.pool.clone();
    let p = people(&pool).await;
    let id = video_appointment(
        &pool,
        p.pro,
        p.client,
        chrono::Duration::minutes(5),
        "video",
        "confirmed",
    )
    .await;
    let (ct, pt) = (
        session_token(&pool, p.client).await,
        session_token(&pool, p.pro).await,
    );

    // The client on node A first: alone in the room.
    let mut client = connect(&a, id, Some(&ct), Some(&a.address))
        .await
        .expect("client");
    let welcome = next(&mut client).await;
    assert_eq!(welcome["type"], "welcome");
    let client_peer: Uuid = welcome["peer"].as_str().unwrap().parse().unwrap();
    // Then the professional on node B: each learns of the other.
    let mut pro = connect(&b, id, Some(&pt), Some(&b.address))
        .await
        .expect("professional");
    let welcome = next(&mut pro).await;
    assert_eq!(welcome["role"], "professional");
    let pro_peer: Uuid = welcome["peer"].as_str().unwrap().parse().unwrap();
    let joined = next_of(&mut client, "joined").await;
    assert_eq!(joined["peer"], pro_peer.to_string());
    assert_eq!(joined["role"], "professional");
    assert_eq!(joined["name"], "Ann Smith");
    let present = next_of(&mut pro, "joined").await;
    assert_eq!(
        present["peer"],
        client_peer.to_string(),
        "the newcomer hears who is there"
    );
    assert_eq!(present["role"], "client");

    // An offer too large for a NOTIFY payload goes through the table, whole;
    // the candidates sent after it arrive after it.
    let sdp = format!("v=0\r\n{}", "a=x-filler:0123456789abcdef\r\n".repeat(600));
    assert!(sdp.len() > 8_000 && sdp.len() < 32 * 1024);
    send(
        &mut pro,
        json!({ "type": "offer", "to": client_peer, "sdp": sdp }),
    )
    .await;
    for i in 0..5 {
        send(
            &mut pro,
            json!({ "type": "candidate", "to": client_peer, "candidate": {
                "candidate": format!("candidate:{i} 1 udp 2122260223 127.0.0.1 {} typ host", 50000 + i),
                "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": "abcd" } }),
        )
        .await;
    }
    let offer = next(&mut client).await;
    assert_eq!(offer["type"], "offer");
    assert_eq!(
        offer["from"],
        pro_peer.to_string(),
        "the server says who sent it"
    );
    assert_eq!(offer["sdp"], sdp, "whole");
    for i in 0..5 {
        let c = next(&mut client).await;
        assert_eq!(c["type"], "candidate", "{c}");
        assert!(
            c["candidate"]["candidate"]
                .as_str()
                .unwrap()
                .starts_with(&format!("candidate:{i} ")),
            "in order: {c}"
        );
    }

    // Chat crosses too, and is never written down.
    send(
        &mut client,
        json!({ "type": "chat", "text": "Can you hear me? Þú heyrir í mér?" }),
    )
    .await;
    let chat = next_of(&mut pro, "chat").await;
    assert_eq!(chat["text"], "Can you hear me? Þú heyrir í mér?");
    assert_eq!(chat["name"], "Kim Lee");
    assert_eq!(chat["from"], client_peer.to_string());
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM video_signals WHERE body LIKE '%hear me%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, 0, "chat is relayed, not stored");

    // Bad messages: an error to the sender, nothing to the other side, and
    // the socket stays open.
    let huge = "x".repeat(40 * 1024);
    for (message, code) in [
        ("not json".to_owned(), "malformed"),
        (
            json!({ "type": "shout", "to": pro_peer }).to_string(),
            "malformed",
        ),
        (
            json!({ "type": "chat", "text": "hi", "admin": true }).to_string(),
            "malformed",
        ),
        (
            json!({ "type": "offer", "to": pro_peer, "sdp": "<script>" }).to_string(),
            "malformed",
        ),
        (
            json!({ "type": "chat", "text": "x".repeat(1001) }).to_string(),
            "malformed",
        ),
        (
            json!({ "type": "offer", "to": pro_peer, "sdp": format!("v=0{huge}") }).to_string(),
            "too_large",
        ),
    ] {
        client
            .send(Message::Text(message.clone().into()))
            .await
            .expect("send");
        // A presence message may still be on its way across the nodes (one
        // arrived here once, with four tests running at a time): the answer
        // to a bad message is the next error.
        let e = next_of(&mut client, "error").await;
        assert_eq!(e["code"], code, "{message:.60}");
    }
    // Too many at once: refused past the burst, and the rest still answered.
    for _ in 0..100 {
        send(&mut client, json!({ "type": "ping" })).await;
    }
    let (mut pongs, mut too_fast) = (0, 0);
    while pongs + too_fast < 100 {
        let m = next(&mut client).await;
        match m["type"].as_str() {
            Some("pong") => pongs += 1,
            Some("error") if m["code"] == "too_fast" => too_fast += 1,
            _ => panic!("{m}"),
        }
    }
    assert!(too_fast >= 30, "{pongs} answered, {too_fast} refused");
    assert!(pongs >= 50, "{pongs} answered, {too_fast} refused");
    // The call goes on: after a second, messages flow again.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    send(
        &mut client,
        json!({ "type": "media", "audio": false, "video": true, "screen": false }),
    )
    .await;
    let media = next_of(&mut pro, "media").await;
    assert_eq!(media["audio"], false);
    // None of the bad ones reached the professional.
    send(&mut client, json!({ "type": "chat", "text": "still here" })).await;
    let chat = next_of(&mut pro, "chat").await;
    assert_eq!(chat["text"], "still here", "nothing bad came before it");

    // Attendance: the professional joins the call too (the device check
    // alone opens the socket but is not attending); leaving closes the rows.
    send(
        &mut pro,
        json!({ "type": "media", "audio": true, "video": true, "screen": false }),
    )
    .await;
    next_of(&mut client, "media").await;
    client.close(None).await.expect("close");
    let left = next_of(&mut pro, "left").await;
    assert_eq!(left["peer"], client_peer.to_string());
    pro.close(None).await.expect("close");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let rows: Vec<(String, bool)> = sqlx::query_as(
            "SELECT role, left_at IS NOT NULL FROM video_attendance WHERE appointment_id = $1 ORDER BY joined_at",
        )
        .bind(id)
        .fetch_all(&pool)
        .await
        .unwrap();
        if rows
            == [
                ("client".to_owned(), true),
                ("professional".to_owned(), true),
            ]
        {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Once over, the professional's list says who came: this call was
    // attended; a video session nobody entered reads "Client did not join".
    sqlx::query(
        "UPDATE appointments SET starts_at = now() - interval '3 hours', \
           ends_at = now() - interval '2 hours 10 minutes', blocked_until = now() - interval '2 hours 10 minutes' \
         WHERE id = $1",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    video_appointment(
        &pool,
        p.pro,
        p.client,
        chrono::Duration::hours(-26),
        "video",
        "confirmed",
    )
    .await;
    let page = browser_for(&pool, &a.address, p.pro)
        .await
        .page("/pro")
        .await;
    assert!(page.contains("Attended"), "{page}");
    assert!(page.contains("Client did not join"), "{page}");
    let page = browser_for(&pool, &a.address, p.client)
        .await
        .page("/dashboard")
        .await;
    assert!(
        !page.contains("Client did not join"),
        "only the professional's list says it"
    );
}
