//! Browser tests: Minbar served on loopback, driven in headless Chromium through
//! chromedriver (W3C WebDriver). They run when MINBAR_TEST_BROWSER=1 (as `.ci/run` does);
//! otherwise they say so and pass. With MINBAR_SCREENSHOTS=1 they also refresh the
//! screenshots under docs/screenshots/.

mod webdriver;

use minbar_store::{demo, testing};
use minbar_web::{router, AppState};
use std::time::Duration;
use webdriver::Browser;

fn enabled() -> bool {
    if std::env::var("MINBAR_TEST_BROWSER").as_deref() == Ok("1") {
        true
    } else {
        eprintln!("MINBAR_TEST_BROWSER is not 1: browser tests skipped");
        false
    }
}

/// Serve a fresh database with the demo network on a free loopback port.
async fn serve() -> (String, testing::TestDb) {
    serve_on(testing::sqlite().await).await
}

/// Serve `db` (SQLite or PostgreSQL) with the demo network on a free loopback port.
async fn serve_on(db: testing::TestDb) -> (String, testing::TestDb) {
    demo::load(&db.store).await.unwrap();
    let app = router(AppState::new(db.store.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}"), db)
}

fn screenshot(b: &Browser, name: &str) {
    if std::env::var("MINBAR_SCREENSHOTS").as_deref() == Ok("1") {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/screenshots")
            .join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b.screenshot()).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_is_right_to_left_in_arabic_and_left_to_right_in_english() {
    if !enabled() {
        return;
    }
    let (base, _db) = serve().await;
    tokio::task::spawn_blocking(move || {
        let b = Browser::start();
        b.goto(&format!("{base}/directory"));
        assert_eq!(b.eval("return document.documentElement.dir"), "rtl");
        assert_eq!(b.eval("return getComputedStyle(document.querySelector('#org-list')).direction"), "rtl");
        // the list starts at the right edge: the first card's right side is near the page's
        let right_gap = b.eval("const r = document.querySelector('.org-card').getBoundingClientRect(); return String(Math.round(window.innerWidth - r.right))");
        let left_gap = b.eval("const r = document.querySelector('.org-card').getBoundingClientRect(); return String(Math.round(r.left))");
        assert!(right_gap.parse::<i64>().unwrap() < left_gap.parse::<i64>().unwrap(), "rtl layout: {right_gap} vs {left_gap}");
        // the Arabic font is the embedded one, and it loaded
        assert_eq!(b.eval("return document.fonts.check('16px \"IBM Plex Sans Arabic\"', 'منبر') ? 'yes' : 'no'"), "yes");
        screenshot(&b, "directory-ar.png");

        b.click("#lang-en");
        b.wait_for("return document.documentElement.lang", "en");
        assert_eq!(b.eval("return document.documentElement.dir"), "ltr");
        assert_eq!(b.eval("return getComputedStyle(document.querySelector('#org-list')).direction"), "ltr");
        assert!(b.text("h1").contains("Member directory"));
        screenshot(&b, "directory-en.png");
        // the choice sticks on the next page
        b.goto(&format!("{base}/sectors"));
        assert_eq!(b.eval("return document.documentElement.dir"), "ltr");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_creates_an_organisation_through_the_form() {
    if !enabled() {
        return;
    }
    let (base, _db) = serve().await;
    tokio::task::spawn_blocking(move || {
        let b = Browser::start();
        // a visitor cannot reach the edit form
        b.goto(&format!("{base}/organisations/1/edit"));
        assert_eq!(b.count("input[name=acronym]"), 0);
        assert_eq!(b.count("#sign-in-link"), 1);

        b.goto(&format!("{base}/sign-in"));
        b.type_into("#email", demo::COORDINATOR_EMAIL);
        b.type_into("#password", demo::COORDINATOR_PASSWORD);
        b.click("#sign-in-submit");
        b.wait_for("return location.pathname", "/directory");
        assert_eq!(b.count(".new-org"), 1, "a coordinator may create organisations");

        b.click(".new-org");
        b.wait_for("return location.pathname", "/organisations/new");
        // the areas picker narrows as one types, whatever the hamza and teh marbuta
        b.eval("const box = document.querySelector('#f-areas').previousElementSibling; box.value = 'اورفه'; box.dispatchEvent(new Event('input')); return ''");
        let visible = b.eval("return String([...document.querySelectorAll('#f-areas option')].filter(o => !o.hidden).map(o => o.value).join(','))");
        assert_eq!(visible, "TR-63");
        b.eval("const box = document.querySelector('#f-areas').previousElementSibling; box.value = ''; box.dispatchEvent(new Event('input')); return ''");
        b.type_into("#f-acronym", "BROWSER");
        b.type_into("#f-email", "not an address");
        b.click("#save");
        b.wait_for("return document.querySelectorAll('.field-error').length > 0 ? 'errors' : ''", "errors");
        assert_eq!(b.eval("return document.documentElement.dir"), "rtl");
        assert!(b.text("#e-email").contains("هذا ليس عنوان بريد إلكتروني صحيحاً"));
        assert!(b.text("#e-name_ar").contains("الاسم مطلوب"));
        screenshot(&b, "org-form-errors-ar.png");

        b.clear("#f-email");
        b.type_into("#f-email", "info@browser.example.org");
        b.type_into("#f-name_ar", "جمعية المتصفح للاختبار");
        b.click("#save");
        b.wait_for("return location.pathname.startsWith('/organisations/') && !location.pathname.endsWith('new') ? 'saved' : ''", "saved");
        assert!(b.text("h1").contains("جمعية المتصفح للاختبار"));

        b.goto(&format!("{base}/directory"));
        b.type_into("#filter-q", "المتصفح");
        b.submit("#filter-q");
        b.wait_for("return location.search.includes('q=') ? 'filtered' : ''", "filtered");
        assert!(b.text("#org-list").contains("جمعية المتصفح للاختبار"));
        assert!(b.text("#result-count").contains("منظمة واحدة"));
    })
    .await
    .unwrap();
    std::thread::sleep(Duration::from_millis(10));
}

/// The 4W round in Arabic in a real browser: a focal point copies last month forward,
/// adds an activity with the Arabic typeahead and Arabic digits, submits; the secretariat
/// validates; the dashboard's matrix and map show the new figure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_focal_point_reports_and_the_dashboard_changes() {
    if !enabled() {
        return;
    }
    // on SQLite, and on PostgreSQL when MINBAR_TEST_POSTGRES_URL is set
    for db in testing::all().await {
        let shots = db.name == "sqlite";
        let (base, _db) = serve_on(db).await;
        round_in_the_browser(base, shots).await;
    }
}

async fn round_in_the_browser(base: String, shots: bool) {
    let screenshot = move |b: &Browser, name: &str| {
        if shots {
            screenshot(b, name)
        }
    };
    tokio::task::spawn_blocking(move || {
        let b = Browser::start();
        b.goto(&format!("{base}/sign-in"));

        b.type_into("#email", demo::FOCAL_POINT_EMAIL);
        b.type_into("#password", demo::FOCAL_POINT_PASSWORD);
        b.click("#sign-in-submit");
        b.wait_for("return location.pathname", "/directory");
        b.goto(&format!("{base}/4w/report?period=2026-12"));
        assert_eq!(b.eval("return document.documentElement.dir"), "rtl");
        assert!(b.text("#round-state").contains("لم يبدأ"));
        b.click("#copy-forward");
        b.wait_for("return document.querySelector('#fw-notice') ? 'notice' : ''", "notice");
        let copied = b.count("#fw-activities tbody tr");
        assert!(copied >= 1, "November's activities copied");
        // the area picker narrows as one types: Raqqa without its article
        b.eval("document.querySelector('#f-sector').value = 'protection'; return ''");
        b.eval("const box = document.querySelector('#f-area').previousElementSibling; box.value = 'رقه'; box.dispatchEvent(new Event('input')); return ''");
        let visible = b.eval("return [...document.querySelectorAll('#f-area option')].filter(o => !o.hidden && o.value).map(o => o.value).join(',')");
        assert_eq!(visible, "SY-RA");
        b.eval("document.querySelector('#f-area').value = 'SY-RA'; return ''");
        b.type_into("#f-activity_type", "إدارة الحالات");
        b.type_into("#f-targeted-total", "400");
        b.type_into("#f-reached-total", "٣٥٠");
        b.click("#save-activity");
        b.wait_for("return document.querySelectorAll('#fw-activities tbody tr').length > 0 && location.search.includes('notice=saved') ? 'saved' : ''", "saved");
        assert_eq!(b.count("#fw-activities tbody tr"), copied + 1);
        assert!(b.text("#fw-activities").contains("إدارة الحالات"));
        screenshot(&b, "fourw-report-ar.png");
        b.click("#submit-round");
        b.wait_for("return location.search.includes('notice=submitted') ? 'sent' : ''", "sent");
        assert!(b.text("#round-state").contains("مُرسل"));
        assert_eq!(b.count("#save-activity"), 0, "a submitted month is locked");

        // the secretariat validates
        b.click(".account button");
        b.wait_for("return document.querySelector('#sign-in-link') ? 'out' : ''", "out");
        b.goto(&format!("{base}/sign-in"));
        b.type_into("#email", demo::COORDINATOR_EMAIL);
        b.type_into("#password", demo::COORDINATOR_PASSWORD);
        b.click("#sign-in-submit");
        b.wait_for("return location.pathname", "/directory");
        b.goto(&format!("{base}/4w/rounds?period=2026-12"));
        assert_eq!(b.count("tr.round-submitted"), 1);
        b.click("tr.round-submitted button.validate");
        b.wait_for("return document.querySelectorAll('tr.round-validated').length === 1 ? 'validated' : ''", "validated");

        // the dashboard for December: Raqqa protection reached 350, on the matrix and the map
        b.goto(&format!("{base}/4w?period=2026-12&sector=protection"));
        assert!(b.text("#fw-matrix").contains("350"));
        let title = b.eval("return document.querySelector('#fw-map path[data-code=\"SY-RA\"] title').textContent");
        assert!(title.contains("350"), "{title}");
        b.goto(&format!("{base}/4w?period=2026-11"));
        assert_eq!(b.eval("return document.documentElement.dir"), "rtl");
        screenshot(&b, "fourw-ar.png");
        b.goto(&format!("{base}/4w?period=2026-11&lang=en"));
        assert_eq!(b.eval("return document.documentElement.dir"), "ltr");
        screenshot(&b, "fourw-en.png");
    })
    .await
    .unwrap();
}

/// The XSS corpus (tests/fixtures/xss-payloads.txt) in every text field of organisations
/// and people, on every page that shows them, in Arabic and English: nothing it holds
/// runs (each payload would set `window.__xss`), no element carries an event handler or a
/// `javascript:` link, and the text is shown as text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_hostile_payload_runs_in_the_browser() {
    if !enabled() {
        return;
    }
    let corpus: Vec<String> = include_str!("../fixtures/xss-payloads.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect();
    let (base, db) = serve().await;
    let ids = testing::load_hostile_text(&db.store, &corpus).await;
    tokio::task::spawn_blocking(move || {
        let b = Browser::start();
        b.goto(&format!("{base}/sign-in"));
        b.type_into("#email", demo::COORDINATOR_EMAIL);
        b.type_into("#password", demo::COORDINATOR_PASSWORD);
        b.click("#sign-in-submit");
        b.wait_for("return location.pathname", "/directory");
        let inert = |what: &str| {
            assert_eq!(b.eval("return typeof window.__xss"), "undefined", "{what}: a payload ran");
            let handlers = b.eval(
                "return String([...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length)",
            );
            assert_eq!(handlers, "0", "{what}: an element has an event handler");
            let links = b.eval(
                "return String([...document.querySelectorAll('[href],[src],[action],[data],[formaction]')].filter(e => /^\\s*(javascript|data):/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('data') || '')).length)",
            );
            assert_eq!(links, "0", "{what}: a javascript: or data: link");
            assert_eq!(b.count("iframe, object, embed, base, meta[http-equiv]"), 0, "{what}");
        };
        let mut pages = vec![
            "/directory?q=XSS&lang=ar".to_string(),
            "/directory?q=Hostile&lang=en".to_string(),
            "/people?q=Hostile".to_string(),
            "/search?q=Hostile".to_string(),
            "/search?q=xss".to_string(),
        ];
        for (org, person) in &ids {
            pages.push(format!("/organisations/{org}"));
            pages.push(format!("/organisations/{org}/edit"));
            pages.push(format!("/people/{person}"));
            pages.push(format!("/people/{person}/edit"));
        }
        for p in &pages {
            b.goto(&format!("{base}{p}"));
            inert(p);
        }
        // shown as text: the page's text holds the payload itself
        let (org, _) = ids[0];
        b.goto(&format!("{base}/organisations/{org}"));
        let shown = b.eval("return document.querySelector('main').innerText");
        assert!(shown.contains(corpus[0].trim()), "{shown}");
        println!("{} payloads, {} pages, none ran", corpus.len(), pages.len());
    })
    .await
    .unwrap();
}
