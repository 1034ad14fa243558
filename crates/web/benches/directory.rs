//! Server time of the directory page with 2,000 organisations (SQLite, in-process: the
//! router handles the request exactly as `minbar serve` does, minus the socket).
//!
//! `cargo bench -p minbar-web --bench directory`; results go to docs/PERFORMANCE.md.

use axum::body::Body;
use axum::http::Request;
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::BodyExt;
use minbar_core::OrgDraft;
use minbar_store::{demo, testing};
use minbar_web::{router, AppState};
use tower::ServiceExt;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (db, app) = rt.block_on(async {
        let db = testing::sqlite().await;
        demo::load(&db.store).await.unwrap();
        for input in demo::bulk_orgs(2_000 - 47) {
            db.store
                .create_org(&OrgDraft::parse(&input).unwrap())
                .await
                .unwrap();
        }
        let app = router(AppState::new(db.store.clone()));
        (db, app)
    });
    let mut g = c.benchmark_group("directory_2000_orgs");
    for (name, uri) in [
        ("page_1_ar", "/directory"),
        ("page_1_en", "/directory?lang=en"),
        (
            "name_filter_ar",
            "/directory?q=%D8%A7%D9%84%D8%A7%D9%85%D9%84",
        ),
        ("sector_and_area", "/directory?sector=health&area=SY-ID"),
        ("page_20", "/directory?page=20"),
        ("api_list_50", "/api/v1/organisations?per_page=50"),
    ] {
        g.bench_function(name, |b| {
            b.to_async(&rt).iter(|| async {
                let res = app
                    .clone()
                    .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                    .await
                    .unwrap();
                assert!(res.status().is_success());
                res.into_body().collect().await.unwrap().to_bytes().len()
            })
        });
    }
    g.finish();
    drop(app);
    rt.block_on(db.cleanup());
}

criterion_group!(benches, bench);
criterion_main!(benches);
