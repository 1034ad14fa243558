//! 4W figures as pages and the API read them: from the store's kept coverage cells, and
//! kept here for a few seconds per filter (`cache`), so that a dashboard under load costs
//! a hash lookup. Writes made through this process clear them at once; another process's
//! writes show within the cache's ten seconds.

use crate::AppState;
use minbar_core::{Calendar, CoverageCell, Period};
use minbar_store::fourw::ActivityFilter;
use minbar_store::StoreError;
use std::sync::Arc;

/// One recount at a time: when the figures expire under load, the first request counts
/// and the others wait for its answer instead of all counting at once.
static RECOUNT: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn key(f: &ActivityFilter) -> String {
    format!(
        "{:?}",
        ActivityFilter {
            page: 0,
            per_page: 0,
            ..f.clone()
        }
    )
}

pub async fn coverage(
    st: &AppState,
    f: &ActivityFilter,
) -> Result<Arc<Vec<CoverageCell>>, StoreError> {
    let k = key(f);
    if let Some(v) = st.cache.coverage(&k) {
        return Ok(v);
    }
    let _one = RECOUNT.lock().await;
    if let Some(v) = st.cache.coverage(&k) {
        return Ok(v);
    }
    let v = Arc::new(st.store.coverage(f).await?);
    st.cache.put_coverage(k, v.clone());
    Ok(v)
}

pub async fn trend(
    st: &AppState,
    f: &ActivityFilter,
) -> Result<Arc<Vec<(Period, i64, i64)>>, StoreError> {
    let k = key(&ActivityFilter {
        period: None,
        ..f.clone()
    });
    if let Some(v) = st.cache.trend(&k) {
        return Ok(v);
    }
    let _one = RECOUNT.lock().await;
    if let Some(v) = st.cache.trend(&k) {
        return Ok(v);
    }
    let v = Arc::new(st.store.trend(f).await?);
    st.cache.put_trend(k, v.clone());
    Ok(v)
}

pub use crate::cache::Rounds;

pub async fn rounds(st: &AppState, period: Period) -> Result<Arc<Rounds>, StoreError> {
    let k = period.to_string();
    if let Some(v) = st.cache.rounds(&k) {
        return Ok(v);
    }
    let _one = RECOUNT.lock().await;
    if let Some(v) = st.cache.rounds(&k) {
        return Ok(v);
    }
    let v = Arc::new(st.store.rounds(period).await?);
    st.cache.put_rounds(k, v.clone());
    Ok(v)
}

/// The network's reporting calendar.
pub async fn calendar(st: &AppState) -> Result<Calendar, StoreError> {
    if let Some(c) = st.cache.calendar() {
        return Ok((*c).clone());
    }
    let c = st.store.calendar().await?;
    st.cache.put_calendar(Arc::new(c.clone()));
    Ok(c)
}

/// The months with activities or needs, newest first.
pub async fn periods(st: &AppState) -> Result<Arc<Vec<Period>>, StoreError> {
    if let Some(v) = st.cache.periods() {
        return Ok(v);
    }
    let _one = RECOUNT.lock().await;
    if let Some(v) = st.cache.periods() {
        return Ok(v);
    }
    let v = Arc::new(st.store.periods().await?);
    st.cache.put_periods(v.clone());
    Ok(v)
}
