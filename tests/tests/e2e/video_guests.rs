//! Guests of couples and family video sessions (issue 13): the client's
//! one-time links (three at most, also when made at once), a guest's name
//! form, and admission by the professional over the socket, with the guest
//! on one `hearth serve` node and the professional on another. A guest who
//! is not admitted hears nothing of the call and may send nothing but pings.

use std::sync::Arc;
use std::time::Duration;

use hearth_tests::browser::{csrf_of, location, Browser};
use hearth_tests::fixtures::{browser_for, session_token};
use hearth_tests::{TestApp, TestDb};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use uuid::Uuid;

use super::video::{connect, next, next_of, people, send, video_appointment, Socket};

/// A couples session of `pro` with `client` starting in five minutes.
async fn couples_session(pool: &PgPool, pro: Uuid, client: Uuid) -> Uuid {
    let id = video_appointment(
        pool,
        pro,
        client,
        chrono::Duration::minutes(5),
        "video",
        "confirmed",
    )
    .await;
    sqlx::query("UPDATE appointments SET session_type = 'couples' WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .expect("couples");
    id
}

/// The `/guest/<token>` path of the link a guests page shows.
fn link_in(page: &str) -> Option<String> {
    let page = page.replace("&#x2F;", "/");
    let at = page.find("/guest/")?;
    let token: String = page[at + 7..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (token.len() == 43).then(|| format!("/guest/{token}"))
}

/// The client makes a link from their guests page; its path.
pub async fn make_link(client: &Browser, id: Uuid) -> String {
    let guests = format!("/appointments/{id}/guests");
    let r = client.submit(&guests, &guests, &[]).await;
    assert_eq!(r.status(), 200, "{}", location(&r));
    link_in(&r.text().await.expect("body")).expect("the new link is shown")
}

/// A guest opens `link` in a fresh browser and gives `name`; their cookie.
async fn claim(app: &TestApp, link: &str, name: &str) -> (Browser, String) {
    let guest = Browser::new(&app.address);
    let page = guest.page(link).await;
    assert!(page.contains("Your name"), "{page}");
    let r = guest.post(link, &csrf_of(&page), &[("name", name)]).await;
    assert_eq!(r.status(), 303, "claimed");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("hearth_guest="))
        .expect("the guest's cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains(&format!("Path={link}")), "{cookie}");
    let value = cookie["hearth_guest=".len()..]
        .split(';')
        .next()
        .expect("value")
        .to_owned();
    (guest, value)
}

/// The guest's socket at `link` with cookie `secret` (none: without).
async fn connect_guest(app: &TestApp, link: &str, secret: Option<&str>) -> Result<Socket, u16> {
    let url = format!("{}{link}/signal", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().expect("request");
    if let Some(secret) = secret {
        request.headers_mut().insert(
            "cookie",
            format!("hearth_guest={secret}").parse().expect("cookie"),
        );
    }
    request
        .headers_mut()
        .insert("origin", app.address.parse().expect("origin"));
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => Err(r.status().as_u16()),
        Err(e) => panic!("connecting: {e}"),
    }
}

/// Nothing arrives on `socket` for `wait` (pongs aside).
async fn silent(socket: &mut Socket, wait: Duration) -> Result<(), Value> {
    match tokio::time::timeout(wait, next(socket)).await {
        Err(_) => Ok(()),
        Ok(m) => Err(m),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_client_makes_at_most_three_one_time_guest_links() {
    let db = Arc::new(TestDb::new().await);
    let app = TestApp::spawn_on(Arc::clone(&db)).await;
    let pool = db.pool.clone();
    let p = people(&pool).await;
    let id = couples_session(&pool, p.pro, p.client).await;
    let individual = video_appointment(
        &pool,
        p.pro,
        p.client,
        chrono::Duration::minutes(240),
        "video",
        "confirmed",
    )
    .await;
    let client = browser_for(&pool, &app.address, p.client).await;
    let pro = browser_for(&pool, &app.address, p.pro).await;
    let stranger = browser_for(&pool, &app.address, p.stranger).await;
    let guests = format!("/appointments/{id}/guests");

    // The appointment page leads there, for a couples session only.
    let page = client.page(&format!("/appointments/{id}")).await;
    assert!(page.contains("Invite guests to this session"), "{page}");
    assert!(page.contains(&format!("/appointments/{id}/guests")));
    let page = client.page(&format!("/appointments/{individual}")).await;
    assert!(!page.contains("Invite guests"), "an individual session");
    assert_eq!(
        client
            .get(&format!("/appointments/{individual}/guests"))
            .await
            .status(),
        404
    );
    // Only the appointment's parties see its guests; only the client invites.
    assert_eq!(stranger.get(&guests).await.status(), 404);
    let page = pro.page(&guests).await;
    assert!(!page.contains("Create a guest link"), "{page}");
    let r = pro.submit(&guests, &guests, &[]).await;
    assert_eq!(r.status(), 403, "the professional makes no links");
    let page = client.page(&guests).await;
    assert!(page.contains("Create a guest link"), "{page}");

    // Ten links asked for at once: three are made, the rest told it is full.
    let csrf = csrf_of(&page);
    let asks = (0..10).map(|_| {
        let (client, guests, csrf) = (client.clone(), guests.clone(), csrf.clone());
        tokio::spawn(async move {
            let r = client.post(&guests, &csrf, &[]).await;
            let status = r.status().as_u16();
            let (to, body) = (location(&r), r.text().await.expect("body"));
            (status, to, link_in(&body))
        })
    });
    let mut links = Vec::new();
    let mut full = 0;
    for answer in futures::future::join_all(asks).await {
        match answer.expect("task") {
            (200, _, Some(link)) => links.push(link),
            (303, to, None) if to.ends_with("?done=full") => full += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((links.len(), full), (3, 7));
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM video_guests WHERE appointment_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rows, 3);
    let stored: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT token_hash FROM video_guests WHERE appointment_id = $1")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
    for link in &links {
        let token = link.trim_start_matches("/guest/");
        assert!(
            stored.contains(&hearth_core::web::tokens::hash_token(token)),
            "only the token's hash is kept"
        );
    }
    let page = client.page(&guests).await;
    assert!(!page.contains("Create a guest link"), "{page}");
    assert!(page.contains("All 3 guest links are in use"), "{page}");

    // A guest names themselves; bad names are refused and keep the link.
    let guest = Browser::new(&app.address);
    let form = guest.page(&links[0]).await;
    assert!(form.contains("Ann Smith"), "who invites them: {form}");
    for bad in ["", "   ", "a\u{7}b", &"x".repeat(201)] {
        let r = guest
            .post(&links[0], &csrf_of(&form), &[("name", bad)])
            .await;
        assert_eq!(r.status(), 422, "{bad:?}");
    }
    let (guest, secret) = claim(&app, &links[0], "Alex <b>Roe</b>").await;
    let room = guest.page(&links[0]).await;
    assert!(room.contains("data-party=\"guest\""), "{room}");
    assert!(room.contains("Join session"));
    assert!(
        !room.contains("<b>Roe"),
        "the name is escaped wherever shown"
    );
    // The link worked once: anyone else who has it is told it is used.
    let other = Browser::new(&app.address);
    let r = other.get(&links[0]).await;
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("already been used"));
    let r = other
        .post(
            &links[0],
            &csrf_of(&other.page(&links[1]).await),
            &[("name", "Eve")],
        )
        .await;
    assert_eq!(r.status(), 410, "nor can they claim it");
    assert_eq!(
        connect_guest(&app, &links[0], None).await.err(),
        Some(404),
        "no socket without the cookie"
    );
    assert_eq!(
        connect_guest(&app, &links[1], Some(&secret)).await.err(),
        Some(404),
        "a cookie opens its own link only"
    );
    // The client sees the name and withdraws the link: it stops working,
    // and the place is free again.
    let page = client.page(&guests).await;
    assert!(page.contains("Alex &lt;b&gt;Roe&lt;&#x2F;b&gt;"), "{page}");
    let guest_id: Uuid =
        sqlx::query_scalar("SELECT id FROM video_guests WHERE name = 'Alex <b>Roe</b>'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let r = stranger
        .post(
            &format!("{guests}/{guest_id}/withdraw"),
            &csrf_of(&stranger.page("/dashboard").await),
            &[],
        )
        .await;
    assert_eq!(r.status(), 404, "not theirs to withdraw");
    let r = client
        .submit(&guests, &format!("{guests}/{guest_id}/withdraw"), &[])
        .await;
    assert!(
        location(&r).ends_with("?done=withdrawn"),
        "{}",
        location(&r)
    );
    assert_eq!(guest.get(&links[0]).await.status(), 404);
    let page = client.page(&guests).await;
    assert!(page.contains("Create a guest link"), "a place is free");

    // A link answers on its own site only: this private session's link
    // opens nothing under a hub.
    db.hub("acme", "Acme").await;
    let in_hub = Browser::new(format!("{}/h/acme", app.address));
    assert_eq!(in_hub.get(&links[1]).await.status(), 404);
    let client_in_hub = hearth_tests::browser::Browser::with_session(
        format!("{}/h/acme", app.address),
        &session_token(&pool, p.client).await,
    );
    assert_eq!(client_in_hub.get(&guests).await.status(), 404);

    // In Icelandic, for someone reading Icelandic.
    let icelandic = Browser::new(&app.address);
    let r = icelandic
        .client
        .get(format!("{}{}", app.address, links[1]))
        .header("accept-language", "is")
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    assert!(text.contains("Nafnið þitt"), "{text}");

    // Once the session is over, links open nothing.
    sqlx::query(
        "UPDATE appointments SET starts_at = now() - interval '3 hours', \
           ends_at = now() - interval '2 hours', blocked_until = now() - interval '2 hours' WHERE id = $1",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    let r = Browser::new(&app.address).get(&links[2]).await;
    assert_eq!(r.status(), 410);
    let csrf = csrf_of(&client.page("/dashboard").await);
    assert_eq!(client.post(&guests, &csrf, &[]).await.status(), 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_guest_hears_nothing_until_the_professional_admits_them_across_nodes() {
    let db = Arc::new(TestDb::new().await);
    let a = TestApp::spawn_on(Arc::clone(&db)).await;
    let b = TestApp::spawn_on(Arc::clone(&db)).await;
    a.listening().await;
    b.listening().await;
    let pool = db.pool.clone();
    let p = people(&pool).await;
    let id = couples_session(&pool, p.pro, p.client).await;
    // Another couples session of another professional, to admit from.
    let theirs = couples_session(&pool, p.other_pro, p.stranger).await;
    let client_browser = browser_for(&pool, &a.address, p.client).await;
    let link = make_link(&client_browser, id).await;
    let (_, secret) = claim(&a, &link, "Alex Roe").await;
    let guest_id: Uuid =
        sqlx::query_scalar("SELECT id FROM video_guests WHERE appointment_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let (ct, pt, ot) = (
        session_token(&pool, p.client).await,
        session_token(&pool, p.pro).await,
        session_token(&pool, p.other_pro).await,
    );

    // The professional on node A, the client and the guest on node B.
    let mut pro = connect(&a, id, Some(&pt), Some(&a.address))
        .await
        .expect("pro");
    let pro_peer = next(&mut pro).await["peer"].as_str().unwrap().to_owned();
    let mut client = connect(&b, id, Some(&ct), Some(&b.address))
        .await
        .expect("client");
    let client_peer = next(&mut client).await["peer"].as_str().unwrap().to_owned();
    next_of(&mut pro, "joined").await;
    next_of(&mut client, "joined").await;
    let mut guest = connect_guest(&b, &link, Some(&secret))
        .await
        .expect("guest");
    let welcome = next(&mut guest).await;
    assert_eq!(welcome["type"], "welcome");
    assert_eq!(welcome["role"], "guest");
    assert_eq!(welcome["admitted"], false);
    assert_eq!(welcome["guest"], guest_id.to_string());
    let guest_peer = welcome["peer"].as_str().unwrap().to_owned();
    // The room learns a guest waits; the guest learns nothing of the room.
    for socket in [&mut pro, &mut client] {
        // A participant's own arrival may be told twice across nodes (both
        // nodes' announcements can cross); the guest's is the one looked for.
        let waiting = loop {
            let joined = next_of(socket, "joined").await;
            if joined["peer"] == guest_peer {
                break joined;
            }
            assert!(
                joined["peer"] == client_peer || joined["peer"] == pro_peer,
                "only known participants join before the guest: {joined}"
            );
        };
        assert_eq!(waiting["peer"], guest_peer);
        assert_eq!(waiting["role"], "guest");
        assert_eq!(waiting["name"], "Alex Roe");
        assert_eq!(waiting["admitted"], false);
    }
    send(
        &mut client,
        json!({ "type": "chat", "text": "just us two" }),
    )
    .await;
    assert_eq!(next_of(&mut pro, "chat").await["text"], "just us two");
    send(
        &mut pro,
        json!({ "type": "offer", "to": guest_peer, "sdp": "v=0\r\n" }),
    )
    .await;
    assert_eq!(
        silent(&mut guest, Duration::from_millis(1500)).await,
        Ok(())
    );
    // Nor may the guest say anything but ping.
    for message in [
        json!({ "type": "chat", "text": "let me in" }),
        json!({ "type": "offer", "to": pro_peer, "sdp": "v=0\r\n" }),
        json!({ "type": "media", "audio": true, "video": true, "screen": false }),
        json!({ "type": "admit", "guest": guest_id }),
    ] {
        send(&mut guest, message).await;
        let e = next(&mut guest).await;
        assert_eq!(e["code"], "not_admitted", "{e}");
    }
    send(&mut guest, json!({ "type": "ping" })).await;
    assert_eq!(next(&mut guest).await["type"], "pong");
    assert_eq!(
        silent(&mut pro, Duration::from_millis(500)).await,
        Ok(()),
        "nothing reached the room"
    );

    // Only the professional of this appointment admits.
    send(&mut client, json!({ "type": "admit", "guest": guest_id })).await;
    assert_eq!(next_of(&mut client, "error").await["code"], "forbidden");
    let mut other = connect(&a, theirs, Some(&ot), Some(&a.address))
        .await
        .expect("other pro");
    next(&mut other).await;
    send(&mut other, json!({ "type": "admit", "guest": guest_id })).await;
    assert_eq!(next_of(&mut other, "error").await["code"], "malformed");
    assert_eq!(
        silent(&mut guest, Duration::from_millis(1000)).await,
        Ok(()),
        "still waiting"
    );

    // The professional admits: the guest's first news is that, then who is
    // in the room; the room hears the guest joined.
    send(&mut pro, json!({ "type": "admit", "guest": guest_id })).await;
    let first = next(&mut guest).await;
    assert_eq!(first["type"], "admitted", "{first}");
    assert_eq!(first["guest"], guest_id.to_string());
    let mut present = Vec::new();
    while present.len() < 2 {
        let m = next_of(&mut guest, "joined").await;
        present.push(m["peer"].as_str().unwrap().to_owned());
    }
    present.sort();
    let mut expected = vec![pro_peer.clone(), client_peer.clone()];
    expected.sort();
    assert_eq!(present, expected);
    let joined = next_of(&mut pro, "joined").await;
    assert_eq!(
        (joined["peer"].as_str(), joined["admitted"].as_bool()),
        (Some(guest_peer.as_str()), Some(true))
    );
    // Now the guest talks and is heard, and attends.
    send(&mut guest, json!({ "type": "chat", "text": "hello both" })).await;
    assert_eq!(next_of(&mut client, "chat").await["name"], "Alex Roe");
    send(
        &mut guest,
        json!({ "type": "media", "audio": true, "video": true, "screen": false }),
    )
    .await;
    assert_eq!(next_of(&mut pro, "media").await["from"], guest_peer);
    let attended: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM video_attendance WHERE appointment_id = $1 AND role = 'guest' AND guest_id = $2",
    )
    .bind(id)
    .bind(guest_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(attended, 1);
    // A reconnect finds them admitted still.
    guest.close(None).await.ok();
    let mut guest = connect_guest(&b, &link, Some(&secret))
        .await
        .expect("guest again");
    assert_eq!(next(&mut guest).await["admitted"], true);

    // The professional declines them after all: their socket closes, and
    // their link stops working.
    send(&mut pro, json!({ "type": "decline", "guest": guest_id })).await;
    let closed = next_of(&mut guest, "closed").await;
    assert_eq!(closed["reason"], "removed");
    assert_eq!(
        connect_guest(&b, &link, Some(&secret)).await.err(),
        Some(404)
    );
    let removed = next_of(&mut client, "removed").await;
    assert_eq!(removed["guest"], guest_id.to_string());
}
