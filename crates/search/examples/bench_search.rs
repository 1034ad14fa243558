//! Search benchmark: minbar-search against SQLite FTS5 (`unicode61 remove_diacritics 2`)
//! on the same generated corpus, on the same machine, in the same run.
//!
//! `bench/search.sh` runs it in release mode: `cargo run --release -p minbar-search
//! --example bench_search -- [DOCS]` (default 100,000). It reports indexing time, index
//! size, query latency (p50/p95 over 1,000 queries) and recall on spelling-variant queries.

use minbar_core::{I18nText, Lang, Visibility};
use minbar_search::{SearchDoc, SearchIndex, SearchQuery};
use std::time::Instant;

/// xorshift64*: deterministic corpus.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

const AR_FILLER: &[&str] = &[
    "دعم",
    "الأسر",
    "النازحة",
    "في",
    "من",
    "على",
    "توزيع",
    "سلال",
    "غذائية",
    "مشروع",
    "برنامج",
    "تقديم",
    "خدمات",
    "الأطفال",
    "النساء",
    "المجتمع",
    "المحلي",
    "تدريب",
    "فرق",
    "ميدانية",
    "تقييم",
    "احتياجات",
    "شمال",
    "غرب",
    "سوريا",
    "المتضررين",
    "الزلزال",
    "الشتاء",
    "مواد",
    "غير",
    "غذائية",
    "مياه",
    "صرف",
    "صحي",
    "مراكز",
    "صحية",
    "عيادات",
    "متنقلة",
];
const TR_FILLER: &[&str] = &[
    "destek",
    "aileler",
    "için",
    "dağıtım",
    "proje",
    "eğitim",
    "çocuklar",
    "kadınlar",
    "sağlık",
    "hizmetleri",
    "göçmen",
    "mülteciler",
    "kış",
    "yardımı",
    "gıda",
    "kolileri",
    "saha",
    "ekipleri",
];
const EN_FILLER: &[&str] = &[
    "support",
    "families",
    "distribution",
    "food",
    "baskets",
    "project",
    "training",
    "children",
    "women",
    "health",
    "services",
    "camps",
    "winter",
    "assistance",
    "field",
    "teams",
    "needs",
    "assessment",
    "water",
    "sanitation",
];

/// (concept, spellings that may appear in documents, spellings people type in queries)
const VARIANTS: &[(&str, &[&str], &[&str])] = &[
    (
        "schools",
        &["المدارس", "بالمدارس", "والمدارس", "للمدارس", "وبالمدارس"],
        &["المدارس", "مدارس"],
    ),
    (
        "official",
        &["مسؤول", "المسؤول", "مسؤولة"],
        &["مسئول", "مسوول"],
    ),
    ("idlib", &["إدلب", "بإدلب", "وإدلب"], &["ادلب", "إدلب"]),
    ("fatima", &["فاطمة", "لفاطمة"], &["فاطمه", "فاطمة"]),
    (
        "camps",
        &["المخيمات", "مخيمات", "بالمخيمات", "للمخيمات"],
        &["مخيمات", "المخيم"],
    ),
    (
        "hospital",
        &["المستشفى", "مستشفى", "بالمستشفى"],
        &["مستشفي", "المستشفى"],
    ),
    (
        "abdullah",
        &["عبد الله", "عبدالله"],
        &["عبدالله", "عبد الله"],
    ),
    (
        "urfa",
        &["Şanlıurfa", "Şanlıurfa'da"],
        &["sanliurfa", "Sanliurfa"],
    ),
    ("igdir", &["Iğdır", "IĞDIR"], &["igdir", "Igdir"]),
    (
        "protection",
        &["الحماية", "بالحماية", "والحماية"],
        &["حمايه", "الحمايه"],
    ),
];

struct Doc {
    id: u64,
    title: String,
    body: String,
    concept: Option<usize>,
}

fn corpus(n: usize) -> Vec<Doc> {
    let mut r = Rng(0x005E_A2C4_2026);
    (0..n as u64)
        .map(|id| {
            let words = 40 + (r.next() % 200) as usize;
            let mut body: Vec<String> = Vec::with_capacity(words);
            for _ in 0..words {
                let f = match r.next() % 10 {
                    0..=5 => r.pick(AR_FILLER),
                    6..=7 => r.pick(TR_FILLER),
                    _ => r.pick(EN_FILLER),
                };
                body.push(f.to_string());
            }
            // one document in five is about one concept, spelled one of its ways
            let concept = r
                .next()
                .is_multiple_of(5)
                .then(|| (r.next() % VARIANTS.len() as u64) as usize);
            if let Some(c) = concept {
                let at = (r.next() % body.len() as u64) as usize;
                body.insert(at, r.pick(VARIANTS[c].1).to_string());
            }
            let title = format!(
                "{} {} {}",
                r.pick(AR_FILLER),
                r.pick(AR_FILLER),
                r.pick(EN_FILLER)
            );
            Doc {
                id,
                title,
                body: body.join(" "),
                concept,
            }
        })
        .collect()
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    e.metadata()
                        .map(|m| {
                            if m.is_dir() {
                                dir_size(&e.path())
                            } else {
                                m.len()
                            }
                        })
                        .unwrap_or(0)
                })
                .sum()
        })
        .unwrap_or(0)
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let docs = corpus(n);
    let tmp = tempfile::tempdir().unwrap();
    println!(
        "corpus: {n} documents, {} MB of text",
        docs.iter()
            .map(|d| d.body.len() + d.title.len())
            .sum::<usize>()
            / 1_000_000
    );

    // --- minbar-search
    let t0 = Instant::now();
    let (idx, _) = SearchIndex::open_or_create(&tmp.path().join("tantivy")).unwrap();
    for chunk in docs.chunks(10_000) {
        let batch: Vec<SearchDoc> = chunk
            .iter()
            .map(|d| SearchDoc {
                kind: "document".into(),
                id: d.id.to_string(),
                title: I18nText {
                    ar: Some(d.title.clone()),
                    en: None,
                    tr: None,
                },
                names: d.title.clone(),
                body: d.body.clone(),
                sectors: vec![],
                areas: vec![],
                visibility: Visibility::Public,
            })
            .collect();
        idx.apply(&batch, &[]).unwrap();
    }
    let minbar_index_s = t0.elapsed().as_secs_f64();
    let minbar_size = dir_size(&tmp.path().join("tantivy"));

    // --- SQLite FTS5
    use sqlx::{Connection, Executor, Row};
    let db = tmp.path().join("fts.db");
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", db.display()))
        .await
        .unwrap();
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')").await.unwrap();
    let t0 = Instant::now();
    for chunk in docs.chunks(10_000) {
        let mut tx = conn.begin().await.unwrap();
        for d in chunk {
            sqlx::query("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)")
                .bind(d.id as i64)
                .bind(&d.title)
                .bind(&d.body)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let fts_index_s = t0.elapsed().as_secs_f64();
    let fts_size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);

    // --- latency over 1,000 queries of one or two words
    let mut r = Rng(42);
    let queries: Vec<String> = (0..1000)
        .map(|i| {
            if i % 2 == 0 {
                r.pick(AR_FILLER).to_string()
            } else {
                format!("{} {}", r.pick(AR_FILLER), r.pick(EN_FILLER))
            }
        })
        .collect();
    let q = |text: &str| SearchQuery {
        text: text.into(),
        kinds: vec![],
        sector: None,
        area: None,
        visible: vec![Visibility::Public],
        lang: Lang::Ar,
        page: 1,
        per_page: 20,
    };
    let mut lat_m = Vec::new();
    for text in &queries {
        let t = Instant::now();
        idx.search(&q(text)).unwrap();
        lat_m.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let fts_query = |text: &str| {
        text.split_whitespace()
            .map(|w| format!("\"{}\"", w.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut lat_f = Vec::new();
    for text in &queries {
        let t = Instant::now();
        let _ = sqlx::query("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20")
            .bind(fts_query(text))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        let _: i64 = sqlx::query("SELECT COUNT(*) FROM docs WHERE docs MATCH ?")
            .bind(fts_query(text))
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0);
        lat_f.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    // --- recall on spelling variants: every document about a concept should be found by
    // every way people type it
    let mut rows = Vec::new();
    let (mut found_m, mut found_f, mut wanted) = (0usize, 0usize, 0usize);
    for (c, (name, _, typed)) in VARIANTS.iter().enumerate() {
        let relevant: std::collections::HashSet<u64> = docs
            .iter()
            .filter(|d| d.concept == Some(c))
            .map(|d| d.id)
            .collect();
        for t in *typed {
            let mut m = q(t);
            m.per_page = 100;
            let mut got_m = std::collections::HashSet::new();
            for page in 1..=(relevant.len() / 100 + 2) {
                m.page = page;
                let res = idx.search(&m).unwrap();
                got_m.extend(res.items.iter().filter_map(|h| h.id.parse::<u64>().ok()));
                if res.items.len() < 100 {
                    break;
                }
            }
            let got_f: std::collections::HashSet<u64> =
                sqlx::query("SELECT rowid FROM docs WHERE docs MATCH ?")
                    .bind(fts_query(t))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<i64, _>(0) as u64)
                    .collect();
            let hm = relevant.iter().filter(|id| got_m.contains(id)).count();
            let hf = relevant.iter().filter(|id| got_f.contains(id)).count();
            found_m += hm;
            found_f += hf;
            wanted += relevant.len();
            rows.push(format!(
                "| {name} | `{t}` | {:.0}% | {:.0}% |",
                100.0 * hm as f64 / relevant.len().max(1) as f64,
                100.0 * hf as f64 / relevant.len().max(1) as f64
            ));
        }
    }
    println!();
    println!("| engine | indexing | index size | query p50 | query p95 | recall on variants |");
    println!("| --- | --- | --- | --- | --- | --- |");
    println!(
        "| minbar-search | {:.1} s | {:.0} MB | {:.2} ms | {:.2} ms | {:.1}% |",
        minbar_index_s,
        minbar_size as f64 / 1e6,
        percentile(&mut lat_m.clone(), 0.5),
        percentile(&mut lat_m, 0.95),
        100.0 * found_m as f64 / wanted.max(1) as f64
    );
    println!(
        "| SQLite FTS5 (unicode61 remove_diacritics 2) | {:.1} s | {:.0} MB | {:.2} ms | {:.2} ms | {:.1}% |",
        fts_index_s,
        fts_size as f64 / 1e6,
        percentile(&mut lat_f.clone(), 0.5),
        percentile(&mut lat_f, 0.95),
        100.0 * found_f as f64 / wanted.max(1) as f64
    );
    println!();
    println!("| concept | typed as | minbar-search | FTS5 |");
    println!("| --- | --- | --- | --- |");
    for r in rows {
        println!("{r}");
    }
}
