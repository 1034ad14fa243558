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

#[derive(Default)]
pub struct Cache {
    labels: Mutex<Vec<(Lang, Instant, Arc<Labels>)>>,
    members_per_area: Mutex<Option<(Instant, Counts)>>,
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

    /// Forget everything (after the directory, sectors or areas change).
    pub fn clear(&self) {
        if let Ok(mut c) = self.labels.lock() {
            c.clear();
        }
        if let Ok(mut c) = self.members_per_area.lock() {
            *c = None;
        }
    }
}
