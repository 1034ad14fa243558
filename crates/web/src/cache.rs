//! Short-lived, per-process caches of what changes rarely (sector and area names). Each
//! entry lives a few seconds, so a write made by another `minbar serve` process on the same
//! PostgreSQL shows up quickly; writes made here clear the cache at once.

use crate::pages::Labels;
use minbar_core::Lang;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(10);

type Counts = Arc<HashMap<String, i64>>;

/// 4W figures by the filter they answer (its `Debug` form), with when they were counted.
type Figures<T> = Mutex<HashMap<String, (Instant, Arc<T>)>>;

/// Every member organisation's round for a month: (id, acronym, state, comment).
pub type Rounds = Vec<(
    minbar_core::OrgId,
    String,
    minbar_core::RoundState,
    Option<String>,
)>;

/// The most filters whose figures are kept at once; past that the oldest go.
const MAX_FIGURES: usize = 256;

#[derive(Default)]
pub struct Cache {
    labels: Mutex<Vec<(Lang, Instant, Arc<Labels>)>>,
    members_per_area: Mutex<Option<(Instant, Counts)>>,
    coverage: Figures<Vec<minbar_core::CoverageCell>>,
    trend: Figures<Vec<(minbar_core::Period, i64, i64)>>,
    rounds: Figures<Rounds>,
    periods: Figures<Vec<minbar_core::Period>>,
    calendar: Figures<minbar_core::Calendar>,
}

fn get<T>(m: &Figures<T>, key: &str) -> Option<Arc<T>> {
    let c = m.lock().ok()?;
    c.get(key)
        .filter(|(at, _)| at.elapsed() < TTL)
        .map(|(_, v)| v.clone())
}

fn put<T>(m: &Figures<T>, key: String, v: Arc<T>) {
    if let Ok(mut c) = m.lock() {
        if c.len() >= MAX_FIGURES {
            c.retain(|_, (at, _)| at.elapsed() < TTL);
            if c.len() >= MAX_FIGURES {
                c.clear();
            }
        }
        c.insert(key, (Instant::now(), v));
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache")
    }
}

impl Cache {
    pub fn labels(&self, lang: Lang) -> Option<Arc<Labels>> {
        let c = self.labels.lock().ok()?;
        c.iter()
            .find(|(l, at, _)| *l == lang && at.elapsed() < TTL)
            .map(|(_, _, v)| v.clone())
    }

    pub fn put_labels(&self, lang: Lang, labels: Arc<Labels>) {
        if let Ok(mut c) = self.labels.lock() {
            c.retain(|(l, _, _)| *l != lang);
            c.push((lang, Instant::now(), labels));
        }
    }

    /// Member organisations per first-level area (for the map).
    pub fn members_per_area(&self) -> Option<Counts> {
        let c = self.members_per_area.lock().ok()?;
        c.as_ref()
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, v)| v.clone())
    }

    pub fn put_members_per_area(&self, counts: Counts) {
        if let Ok(mut c) = self.members_per_area.lock() {
            *c = Some((Instant::now(), counts));
        }
    }

    /// The coverage matrix for a filter (key: the filter's `Debug` form).
    pub fn coverage(&self, key: &str) -> Option<Arc<Vec<minbar_core::CoverageCell>>> {
        get(&self.coverage, key)
    }
    pub fn put_coverage(&self, key: String, v: Arc<Vec<minbar_core::CoverageCell>>) {
        put(&self.coverage, key, v)
    }
    pub fn trend(&self, key: &str) -> Option<Arc<Vec<(minbar_core::Period, i64, i64)>>> {
        get(&self.trend, key)
    }
    pub fn put_trend(&self, key: String, v: Arc<Vec<(minbar_core::Period, i64, i64)>>) {
        put(&self.trend, key, v)
    }
    /// Every member organisation's round state for a month.
    pub fn rounds(&self, key: &str) -> Option<Arc<Rounds>> {
        get(&self.rounds, key)
    }
    pub fn put_rounds(&self, key: String, v: Arc<Rounds>) {
        put(&self.rounds, key, v)
    }

    /// The months with 4W data, newest first.
    pub fn periods(&self) -> Option<Arc<Vec<minbar_core::Period>>> {
        get(&self.periods, "")
    }
    pub fn put_periods(&self, v: Arc<Vec<minbar_core::Period>>) {
        put(&self.periods, String::new(), v)
    }

    /// The network's reporting calendar.
    pub fn calendar(&self) -> Option<Arc<minbar_core::Calendar>> {
        get(&self.calendar, "")
    }
    pub fn put_calendar(&self, v: Arc<minbar_core::Calendar>) {
        put(&self.calendar, String::new(), v)
    }

    /// Forget everything (after the directory, sectors, areas or 4W data change).
    pub fn clear(&self) {
        if let Ok(mut c) = self.calendar.lock() {
            c.clear();
        }
        if let Ok(mut c) = self.periods.lock() {
            c.clear();
        }
        if let Ok(mut c) = self.coverage.lock() {
            c.clear();
        }
        if let Ok(mut c) = self.trend.lock() {
            c.clear();
        }
        if let Ok(mut c) = self.rounds.lock() {
            c.clear();
        }
        if let Ok(mut c) = self.labels.lock() {
            c.clear();
        }
        if let Ok(mut c) = self.members_per_area.lock() {
            *c = None;
        }
    }
}
