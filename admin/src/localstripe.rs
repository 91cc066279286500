//! localstripe, the fake Stripe API of payments in development and in tests:
//! `tools/localstripe/hearth_localstripe.py` (localstripe, patched to answer
//! in the shape Stripe documents, which async-stripe needs) run by the Python
//! of the venv `./scripts/dev` and `./scripts/test` make
//! (`ensure_localstripe` in `scripts/lib.sh`), on loopback, stopped when
//! dropped.
//!
//! The wrapper binds the port it is given (0: one the system picks) and
//! prints `listening on 127.0.0.1:<port>` first thing; this waits for that
//! line, then until the API answers. It accepts any `sk_…` key as the secret
//! key and any `pk_…` key from Stripe.js; it signs the webhooks it sends to
//! the URL [`LocalStripe::configure_webhook`] gives it as Stripe does
//! (`Stripe-Signature: t=…,v1=…`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// The secret key Hearth uses with localstripe (any `sk_…` works there).
pub const SECRET_KEY: &str = "sk_test_hearth_localstripe";
/// The publishable key pages give its Stripe.js stand-in (any `pk_…` works).
pub const PUBLISHABLE_KEY: &str = "pk_test_hearth_localstripe";
/// The environment variable naming the Python to run the wrapper with,
/// instead of the venv's.
pub const PYTHON_VAR: &str = "HEARTH_LOCALSTRIPE_PYTHON";

/// A running localstripe.
pub struct LocalStripe {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its log (requests, webhook deliveries), when it has a file of its own.
    pub log: Option<PathBuf>,
}

impl Drop for LocalStripe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LocalStripe {
    /// The Python that runs the wrapper: `$HEARTH_LOCALSTRIPE_PYTHON`, else
    /// `.hearth/localstripe-venv/bin/python` in the working folder, else the
    /// one beside the sources.
    pub fn python() -> PathBuf {
        match std::env::var_os(PYTHON_VAR) {
            Some(python) if !python.is_empty() => PathBuf::from(python),
            _ => repo_file(".hearth/localstripe-venv/bin/python"),
        }
    }

    /// The wrapper script, in the working folder or beside the sources.
    pub fn wrapper() -> PathBuf {
        repo_file("tools/localstripe/hearth_localstripe.py")
    }

    /// Whether the venv's Python (or `$HEARTH_LOCALSTRIPE_PYTHON`) and the
    /// wrapper are there.
    pub fn available() -> bool {
        let python = Self::python();
        (python.is_file() || std::env::var_os(PYTHON_VAR).is_some_and(|p| !p.is_empty()))
            && Self::wrapper().is_file()
    }

    /// Starts localstripe on 127.0.0.1:`port` (0: a free port), its data in
    /// memory only and its log on this process's standard error; returns
    /// once its API answers.
    pub fn start(port: u16) -> anyhow::Result<Self> {
        Self::spawn(port, None)
    }

    /// Starts localstripe as [`LocalStripe::start`] does, keeping its data
    /// (`localstripe.pickle`, reloaded at the next start) and its log
    /// (`localstripe.log`) in `dir`.
    pub fn start_in(port: u16, dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        Self::spawn(port, Some(dir))
    }

    fn spawn(port: u16, dir: Option<&Path>) -> anyhow::Result<Self> {
        let python = Self::python();
        let mut command = Command::new(&python);
        command
            .arg(Self::wrapper())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped());
        let mut log = None;
        match dir {
            Some(dir) => {
                let path = dir.join("localstripe.log");
                let file = std::fs::File::create(&path)
                    .with_context(|| format!("creating {}", path.display()))?;
                command
                    .arg("--state")
                    .arg(dir.join("localstripe.pickle"))
                    .stderr(file);
                log = Some(path);
            }
            None => {
                command.stderr(Stdio::inherit());
            }
        }
        let mut child = command.spawn().with_context(|| {
            format!(
                "starting {} (the venv ./scripts/test and ./scripts/dev make: ensure_localstripe in scripts/lib.sh)",
                python.display()
            )
        })?;
        // Its first line names its port; what follows (nothing, normally) is
        // read and dropped, so it never writes to a closed pipe.
        let stdout = child.stdout.take().context("localstripe's stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next());
            for _ in lines {}
        });
        let announced = rx.recv_timeout(Duration::from_secs(30));
        let line = match announced {
            Ok(Some(Ok(line))) => line,
            _ => {
                let _ = child.kill();
                let status = child.wait()?;
                bail!(
                    "localstripe did not start ({status}){}",
                    log.as_ref()
                        .map(|l| format!("; its log: {}", l.display()))
                        .unwrap_or_default()
                );
            }
        };
        let port = line
            .rsplit_once(':')
            .and_then(|(_, p)| p.trim().parse::<u16>().ok())
            .with_context(|| format!("localstripe's first line: {line:?}"))?;
        let localstripe = Self { child, port, log };
        localstripe.wait_ready()?;
        Ok(localstripe)
    }

    /// Waits (at most 15 s) until `GET /v1/customers` answers 200.
    fn wait_ready(&self) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            match self.request("GET", "/v1/customers?limit=1", None) {
                Ok((200, _)) => return Ok(()),
                Ok((status, body)) if started.elapsed() > Duration::from_secs(15) => {
                    bail!("localstripe answers {status}: {body}")
                }
                Err(e) if started.elapsed() > Duration::from_secs(15) => {
                    return Err(e.context("localstripe does not answer"))
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// The API's base URL (`stripe_api_base`), with a trailing slash.
    pub fn api_base(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The URL of its Stripe.js stand-in (`stripe_js_url`).
    pub fn js_url(&self) -> String {
        format!("http://127.0.0.1:{}/js.stripe.com/v3/", self.port)
    }

    /// Sends every event to `url`, signed with `secret` (`whsec_…`), from
    /// now on (webhook `hearth`: configuring it again replaces it).
    pub fn configure_webhook(&self, url: &str, secret: &str) -> anyhow::Result<()> {
        let body = format!("url={}&secret={}", form_encode(url), form_encode(secret));
        match self.request("POST", "/_config/webhooks/hearth", Some(&body))? {
            (200, _) => Ok(()),
            (status, body) => bail!("configuring localstripe's webhook: {status} {body}"),
        }
    }

    /// GET `path` (`/v1/…`) with the secret key: the JSON it answers, if
    /// the status is 2xx.
    pub fn get_json(&self, path: &str) -> anyhow::Result<serde_json::Value> {
        match self.request("GET", path, None)? {
            (200..=299, body) => {
                serde_json::from_str(&body).with_context(|| format!("GET {path}: {body}"))
            }
            (status, body) => bail!("GET {path}: {status} {body}"),
        }
    }

    /// One HTTP/1.0 request with the secret key (a form body if any): the
    /// status and the body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        form: Option<&str>,
    ) -> anyhow::Result<(u16, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.set_write_timeout(Some(Duration::from_secs(10)))?;
        let body = form.unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {SECRET_KEY}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        )?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        let (head, body) = response
            .split_once("\r\n\r\n")
            .context("an HTTP response from localstripe")?;
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("localstripe's status line: {head:?}"))?;
        Ok((status, body.to_owned()))
    }
}

/// `rel` in the working folder if it is there, else beside the sources.
fn repo_file(rel: &str) -> PathBuf {
    let local = PathBuf::from(rel);
    if local.exists() {
        if let Ok(cwd) = std::env::current_dir() {
            return cwd.join(local);
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding() {
        assert_eq!(
            form_encode("http://localhost:8080/webhooks/stripe?a=b c"),
            "http%3A%2F%2Flocalhost%3A8080%2Fwebhooks%2Fstripe%3Fa%3Db%20c"
        );
        assert_eq!(form_encode("whsec_0aF"), "whsec_0aF");
    }
}
