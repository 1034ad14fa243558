//! Just enough of the W3C WebDriver protocol to drive Chromium through chromedriver.

use base64::Engine;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn call(method: &str, url: &str, body: Option<Value>) -> Value {
    let req = ureq::request(method, url).timeout(Duration::from_secs(60));
    let res = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    match res {
        Ok(r) => r.into_json().unwrap_or(Value::Null),
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            panic!("webdriver {method} {url}: {code} {text}")
        }
        Err(e) => panic!("webdriver {method} {url}: {e}"),
    }
}

impl Browser {
    pub fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver) must be installed");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                // a reader whose browser asks for Arabic, as most of Minbar's do
                "prefs": {"intl.accept_languages": "ar,en"},
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=1280,1400",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let v = call("POST", &format!("{base}/session"), Some(caps));
        let session = v["value"]["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        Browser {
            driver,
            base,
            session,
            _profile: profile,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.session, path)
    }

    pub fn goto(&self, url: &str) {
        call("POST", &self.url("/url"), Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = call(
            "POST",
            &self.url("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v["value"][ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    pub fn count(&self, css: &str) -> usize {
        let v = call(
            "POST",
            &self.url("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v["value"].as_array().map(Vec::len).unwrap_or(0)
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        call(
            "POST",
            &self.url(&format!("/element/{e}/click")),
            Some(json!({})),
        );
    }

    pub fn clear(&self, css: &str) {
        let e = self.find(css);
        call(
            "POST",
            &self.url(&format!("/element/{e}/clear")),
            Some(json!({})),
        );
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        call(
            "POST",
            &self.url(&format!("/element/{e}/value")),
            Some(json!({ "text": text })),
        );
    }

    /// Submit the form that holds the element.
    pub fn submit(&self, css: &str) {
        self.eval(&format!(
            "document.querySelector({css:?}).form.requestSubmit(); return ''"
        ));
    }

    pub fn text(&self, css: &str) -> String {
        let e = self.find(css);
        call("GET", &self.url(&format!("/element/{e}/text")), None)["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Run a script that returns a string.
    pub fn eval(&self, script: &str) -> String {
        let v = call(
            "POST",
            &self.url("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        );
        match &v["value"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// Wait until `script` returns `expected` (pages load after clicks).
    pub fn wait_for(&self, script: &str, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.eval(script)))
                .unwrap_or_default();
            if got == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {script:?} to be {expected:?}, last {got:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn screenshot(&self) -> Vec<u8> {
        let v = call("GET", &self.url("/screenshot"), None);
        base64::engine::general_purpose::STANDARD
            .decode(v["value"].as_str().unwrap_or_default())
            .unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
