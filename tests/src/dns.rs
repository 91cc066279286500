//! A real DNS server for the tests (`hickory-server`, UDP and TCP on a free
//! port), authoritative for the zones a test names, whose TXT records the
//! test changes while the application asks it with its production resolver.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;

use hickory_server::authority::{AuthorityObject, Catalog, ZoneType};
use hickory_server::proto::rr::rdata::{SOA, TXT};
use hickory_server::proto::rr::{LowerName, Name, RData, Record};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::store::in_memory::InMemoryAuthority;
use hickory_server::ServerFuture;
use tokio::net::{TcpListener, UdpSocket};
use tokio::sync::{Mutex, RwLock};

/// A running DNS server; stopped when dropped.
pub struct DnsServer {
    addr: SocketAddr,
    catalog: Arc<RwLock<Catalog>>,
    /// Each zone's TXT records: name → values.
    zones: Mutex<BTreeMap<String, BTreeMap<String, Vec<String>>>>,
    serial: std::sync::atomic::AtomicU32,
    task: tokio::task::JoinHandle<()>,
}

/// Answers from the catalog as it is at the time of the question.
struct Handler(Arc<RwLock<Catalog>>);

#[async_trait::async_trait]
impl RequestHandler for Handler {
    async fn handle_request<R: ResponseHandler>(
        &self,
        request: &Request,
        response_handle: R,
    ) -> ResponseInfo {
        self.0
            .read()
            .await
            .handle_request(request, response_handle)
            .await
    }
}

impl DnsServer {
    /// Starts a server on 127.0.0.1, authoritative for each of `zones`
    /// (e.g. `"acme.test"`), which start with no TXT records.
    pub async fn start(zones: &[&str]) -> Self {
        // A free UDP port whose TCP twin is free too (another test may hold
        // that one): try again with another port until both bind.
        let mut tries = 0;
        let (udp, tcp, addr) = loop {
            let udp = UdpSocket::bind("127.0.0.1:0").await.expect("udp socket");
            let addr = udp.local_addr().expect("udp address");
            match TcpListener::bind(addr).await {
                Ok(tcp) => break (udp, tcp, addr),
                Err(e) => {
                    tries += 1;
                    assert!(tries < 50, "no port free for both UDP and TCP: {e}");
                }
            }
        };
        let catalog = Arc::new(RwLock::new(Catalog::new()));
        let mut server = ServerFuture::new(Handler(Arc::clone(&catalog)));
        server.register_socket(udp);
        server.register_listener(tcp, std::time::Duration::from_secs(5));
        let task = tokio::spawn(async move {
            let _ = server.block_until_done().await;
        });
        let this = Self {
            addr,
            catalog,
            zones: Mutex::new(
                zones
                    .iter()
                    .map(|z| (z.to_ascii_lowercase(), BTreeMap::new()))
                    .collect(),
            ),
            serial: std::sync::atomic::AtomicU32::new(1),
            task,
        };
        for zone in zones {
            this.publish(zone, &BTreeMap::new()).await;
        }
        this
    }

    /// The address to ask (UDP and TCP).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Sets the TXT records at `name` (fully in one of the zones) to `values`;
    /// no values removes them.
    pub async fn set_txt(&self, name: &str, values: &[&str]) {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let mut zones = self.zones.lock().await;
        let (zone, records) = zones
            .iter_mut()
            .find(|(zone, _)| name == **zone || name.ends_with(&format!(".{zone}")))
            .expect("the name is in one of the server's zones");
        if values.is_empty() {
            records.remove(&name);
        } else {
            records.insert(name, values.iter().map(|v| (*v).to_owned()).collect());
        }
        let (zone, records) = (zone.clone(), records.clone());
        self.publish(&zone, &records).await;
    }

    /// Replaces `zone` in the catalog with one holding `records`.
    async fn publish(&self, zone: &str, records: &BTreeMap<String, Vec<String>>) {
        let serial = self
            .serial
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let origin = Name::from_str(&format!("{zone}.")).expect("zone name");
        let mut authority = InMemoryAuthority::empty(origin.clone(), ZoneType::Primary, false);
        let soa = SOA::new(
            Name::from_str(&format!("ns.{zone}.")).expect("ns name"),
            Name::from_str(&format!("hostmaster.{zone}.")).expect("rname"),
            serial,
            60,
            60,
            600,
            0,
        );
        authority.upsert_mut(
            Record::from_rdata(origin.clone(), 0, RData::SOA(soa)),
            serial,
        );
        for (name, values) in records {
            let name = Name::from_str(&format!("{name}.")).expect("record name");
            for value in values {
                let txt = RData::TXT(TXT::new(vec![value.clone()]));
                authority.upsert_mut(Record::from_rdata(name.clone(), 0, txt), serial);
            }
        }
        let authority: Arc<dyn AuthorityObject> = Arc::new(authority);
        self.catalog
            .write()
            .await
            .upsert(LowerName::new(&origin), vec![authority]);
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Proves `domain` (already given to a hub) through `dns`: publishes the TXT
/// record its token asks for, then looks for it as "Check now" does.
pub async fn prove_domain(pool: &sqlx::PgPool, dns: &DnsServer, domain: &str) {
    use hearth_core::domain_proof::{check_now, record_name, record_value, DomainChecker, Proof};
    let mut conn = pool.acquire().await.expect("connection");
    let token = hearth_tenants::registry::domain_token(&mut conn, domain)
        .await
        .expect("token query")
        .expect("the domain is a hub's");
    drop(conn);
    dns.set_txt(&record_name(domain), &[&record_value(&token)])
        .await;
    let checker = DomainChecker::new(&hearth_core::config::Config {
        dns_servers: vec![dns.addr()],
        ..hearth_core::config::Config::default()
    })
    .expect("resolver");
    assert_eq!(
        check_now(pool, &checker, domain).await.expect("check"),
        Some(Proof::Found)
    );
}
