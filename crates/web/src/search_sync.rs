//! Keeping this process's search index current: documents built from the database, a full
//! rebuild, and catching up with the outbox. Every search first catches up, so a reader
//! always finds what was just saved, by this process or another on the same database.

use crate::AppState;
use minbar_core::{I18nText, Lang, OrgId, PersonId, Visibility};
use minbar_search::{SearchDoc, SearchIndex};
use minbar_store::directory::OrgFilter;
use minbar_store::{Store, StoreError};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long a gap in the outbox's numbers is watched for a late commit.
const GAP_WATCH: Duration = Duration::from_secs(300);

/// The index and what this process knows about its progress.
pub struct SearchState {
    pub index: SearchIndex,
    sync: tokio::sync::Mutex<SyncState>,
}

struct SyncState {
    built: bool,
    /// Outbox numbers skipped over (a transaction still open, or rolled back).
    gaps: BTreeMap<i64, Instant>,
}

impl std::fmt::Debug for SearchState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchState")
            .field("index", &self.index)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] minbar_search::SearchError),
}

impl SearchState {
    /// `needs_rebuild`: the index is new or was damaged, and must be built from the database.
    pub fn new(index: SearchIndex, needs_rebuild: bool) -> SearchState {
        SearchState {
            index,
            sync: tokio::sync::Mutex::new(SyncState {
                built: !needs_rebuild,
                gaps: BTreeMap::new(),
            }),
        }
    }

    /// Bring the index up to date: a full rebuild if it has never been built, else the
    /// outbox's changes since the cursor (and any gaps that have filled since).
    pub async fn catch_up(&self, store: &Store) -> Result<(), SyncError> {
        let mut st = self.sync.lock().await;
        if !st.built {
            rebuild(store, &self.index, |_, _| {}).await?;
            st.built = true;
            return Ok(());
        }
        loop {
            let cursor = self.index.cursor();
            let mut changes = store.changes_since(cursor, 500).await?;
            let gap_ids: Vec<i64> = st.gaps.keys().copied().collect();
            let filled = store.changes_by_seq(&gap_ids).await?;
            for c in &filled {
                st.gaps.remove(&c.seq);
            }
            st.gaps.retain(|_, seen| seen.elapsed() < GAP_WATCH);
            let fresh = changes.len();
            let mut expected = cursor + 1;
            for c in &changes {
                for missing in expected..c.seq {
                    st.gaps.insert(missing, Instant::now());
                }
                expected = c.seq + 1;
            }
            let last = changes.last().map(|c| c.seq);
            changes.extend(filled);
            if changes.is_empty() {
                return Ok(());
            }
            apply(
                store,
                &self.index,
                changes
                    .iter()
                    .map(|c| (c.entity.as_str(), c.entity_id.as_str())),
            )
            .await?;
            if let Some(l) = last {
                self.index.set_cursor(l)?;
            }
            if fresh < 500 {
                return Ok(());
            }
        }
    }
}

/// Index (or remove) the given entities as they are in the database now.
async fn apply<'a>(
    store: &Store,
    index: &SearchIndex,
    items: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<(), SyncError> {
    let mut unique: Vec<(String, String)> =
        items.map(|(e, i)| (e.to_string(), i.to_string())).collect();
    unique.sort();
    unique.dedup();
    let mut docs = Vec::new();
    let mut gone = Vec::new();
    for (entity, id) in unique {
        match doc_for(store, &entity, &id).await? {
            Some(d) => docs.push(d),
            None => gone.push(format!("{entity}:{id}")),
        }
    }
    index.apply(&docs, &gone)?;
    Ok(())
}

fn join(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" \n ")
}

fn names(t: &I18nText) -> String {
    join(&[t.ar.as_deref(), t.en.as_deref(), t.tr.as_deref()])
}

/// The search document for one entity, or None if it no longer exists.
pub async fn doc_for(
    store: &Store,
    entity: &str,
    id: &str,
) -> Result<Option<SearchDoc>, StoreError> {
    let found = match entity {
        "organisation" => match id.parse::<i64>() {
            Ok(n) => match store.get_org(OrgId(n)).await {
                Ok(o) => {
                    // the sectors' and areas' names, so "الحماية" or "Idlib" find who works there
                    let mut body = vec![names(&o.description)];
                    let sectors = store.list_sectors().await?;
                    body.extend(
                        sectors
                            .iter()
                            .filter(|s| o.sectors.contains(&s.code))
                            .map(|s| names(&s.name)),
                    );
                    for a in &o.areas {
                        if let Ok(area) = store.get_area(a).await {
                            body.push(names(&area.name));
                        }
                    }
                    Ok(SearchDoc {
                        kind: entity.into(),
                        id: id.into(),
                        names: format!("{} \n {}", names(&o.name), o.acronym),
                        body: body.join(" \n "),
                        title: o.name,
                        sectors: o.sectors,
                        areas: o.areas,
                        visibility: Visibility::Public,
                    })
                }
                Err(e) => Err(e),
            },
            Err(_) => Err(StoreError::NotFound),
        },
        "person" => match id.parse::<i64>() {
            Ok(n) => store.get_person(PersonId(n)).await.map(|p| {
                // names, titles and committees only: contact details are never searchable
                let mut body: Vec<String> = p.committees.clone();
                for a in &p.affiliations {
                    body.push(names(&a.title));
                    body.push(a.org_acronym.clone());
                }
                SearchDoc {
                    kind: entity.into(),
                    id: id.into(),
                    names: names(&p.name),
                    body: body.join(" \n "),
                    title: p.name,
                    sectors: vec![],
                    areas: vec![],
                    visibility: Visibility::Public,
                }
            }),
            Err(_) => Err(StoreError::NotFound),
        },
        "sector" => {
            let sectors = store.list_sectors().await?;
            match sectors.into_iter().find(|s| s.code == id) {
                Some(s) => Ok(SearchDoc {
                    kind: entity.into(),
                    id: id.into(),
                    names: format!("{} \n {}", names(&s.name), s.code),
                    body: String::new(),
                    title: s.name,
                    sectors: vec![s.code],
                    areas: vec![],
                    visibility: Visibility::Public,
                }),
                None => Err(StoreError::NotFound),
            }
        }
        "area" => store.get_area(id).await.map(|a| SearchDoc {
            kind: entity.into(),
            id: a.code.clone(),
            names: format!("{} \n {}", names(&a.name), a.code),
            body: String::new(),
            title: a.name,
            sectors: vec![],
            areas: vec![a.code],
            visibility: Visibility::Public,
        }),
        "meeting" => match id.parse::<i64>() {
            Ok(n) => {
                let found = store.get_meeting(minbar_core::MeetingId(n)).await;
                // the text of the papers attached to its agenda items
                let mut papers = Vec::new();
                if let Ok(m) = &found {
                    for a in &m.agenda {
                        papers.extend(
                            store
                                .attachment_texts(minbar_store::documents::Owner::AgendaItem(a.id))
                                .await?,
                        );
                    }
                }
                found.map(|m| {
                    // the record of the meeting: agenda, minutes, decisions, the summary
                    let mut body: Vec<String> = m.agenda.iter().map(|a| a.title.clone()).collect();
                    body.push(m.minutes.clone());
                    body.extend(m.decisions.iter().map(|d| d.text.clone()));
                    body.push(names(&m.summary));
                    body.extend(papers);
                    let orgs: Vec<String> = m
                        .organisers
                        .iter()
                        .chain(m.invited.iter())
                        .map(|o| format!("{} \n {}", o.acronym, names(&o.name)))
                        .collect();
                    SearchDoc {
                        kind: entity.into(),
                        id: id.into(),
                        names: format!("{} \n {}", m.title, orgs.join(" \n ")),
                        body: body.join(" \n "),
                        title: I18nText {
                            ar: Some(m.title.clone()),
                            en: Some(m.title.clone()),
                            tr: Some(m.title.clone()),
                        },
                        sectors: vec![],
                        areas: vec![],
                        visibility: m.visibility,
                    }
                })
            }
            Err(_) => Err(StoreError::NotFound),
        },
        "proposal" => match id.parse::<i64>() {
            Ok(n) => {
                let papers = store
                    .attachment_texts(minbar_store::documents::Owner::Proposal(
                        minbar_core::ProposalId(n),
                    ))
                    .await?;
                store
                    .get_proposal(minbar_core::ProposalId(n))
                    .await
                    .map(|p| SearchDoc {
                        kind: entity.into(),
                        id: id.into(),
                        names: format!(
                            "{} \n {}",
                            p.title,
                            p.proposers
                                .iter()
                                .map(|o| o.acronym.clone())
                                .collect::<Vec<_>>()
                                .join(" ")
                        ),
                        body: format!("{} \n {}", p.body, papers.join(" \n ")),
                        title: I18nText {
                            ar: Some(p.title.clone()),
                            en: Some(p.title.clone()),
                            tr: Some(p.title.clone()),
                        },
                        sectors: vec![],
                        areas: vec![],
                        visibility: p.visibility,
                    })
            }
            Err(_) => Err(StoreError::NotFound),
        },
        "bulletin" => match id.parse::<i64>() {
            Ok(n) => store
                .get_bulletin(minbar_core::BulletinId(n))
                .await
                .map(|b| SearchDoc {
                    kind: entity.into(),
                    id: id.into(),
                    names: format!(
                        "{} \n {}",
                        b.title,
                        b.org.as_ref().map(|o| o.acronym.as_str()).unwrap_or("")
                    ),
                    body: b.body.clone(),
                    title: I18nText {
                        ar: Some(b.title.clone()),
                        en: Some(b.title.clone()),
                        tr: Some(b.title.clone()),
                    },
                    sectors: vec![],
                    areas: vec![],
                    visibility: b.visibility,
                }),
            Err(_) => Err(StoreError::NotFound),
        },
        "policy" => match id.parse::<i64>() {
            Ok(n) => match store.get_policy(minbar_core::PolicyId(n)).await {
                Ok(p) => {
                    let mut body = vec![names(&p.summary), p.analysis.clone()];
                    body.extend(p.advocacy.iter().flat_map(|a| {
                        [Some(a.raised_with.clone()), a.ask.clone(), a.answer.clone()]
                            .into_iter()
                            .flatten()
                    }));
                    body.extend(
                        store
                            .attachment_texts(minbar_store::documents::Owner::Policy(p.id))
                            .await?,
                    );
                    let authority = p
                        .authority
                        .as_ref()
                        .map(|a| format!("{} \n {}", a.acronym, names(&a.name)))
                        .unwrap_or_default();
                    Ok(SearchDoc {
                        kind: entity.into(),
                        id: id.into(),
                        names: format!(
                            "{} \n {} \n {}",
                            names(&p.title),
                            p.reference.clone().unwrap_or_default(),
                            authority
                        ),
                        body: body.join(" \n "),
                        title: p.title,
                        sectors: vec![],
                        areas: p.areas,
                        visibility: p.visibility,
                    })
                }
                Err(e) => Err(e),
            },
            Err(_) => Err(StoreError::NotFound),
        },
        "expertise" => match id.parse::<i64>() {
            Ok(n) => store
                .get_expertise(minbar_core::ExpertiseId(n))
                .await
                .map(|e| SearchDoc {
                    kind: entity.into(),
                    id: id.into(),
                    names: format!(
                        "{} \n {} \n {} \n {}",
                        e.title,
                        e.topics.join(" \n "),
                        e.org.acronym,
                        names(&e.org.name)
                    ),
                    body: e.description.clone(),
                    title: I18nText {
                        ar: Some(e.title.clone()),
                        en: Some(e.title.clone()),
                        tr: Some(e.title.clone()),
                    },
                    sectors: e.sector.clone().into_iter().collect(),
                    areas: e.areas.clone(),
                    visibility: e.visibility,
                }),
            Err(_) => Err(StoreError::NotFound),
        },
        "document" => match id.parse::<i64>() {
            Ok(n) => match store.get_document(minbar_core::DocumentId(n)).await {
                Ok(d) => {
                    // summaries, body and the text read from its PDFs
                    let mut body = vec![names(&d.summary), d.body.clone()];
                    body.extend(
                        store
                            .attachment_texts(minbar_store::documents::Owner::Document(d.id))
                            .await?,
                    );
                    body.extend(d.files.iter().map(|f| f.name.clone()));
                    Ok(SearchDoc {
                        kind: entity.into(),
                        id: id.into(),
                        names: format!(
                            "{} \n {} \n {}",
                            names(&d.title),
                            d.tags.join(" \n "),
                            d.org.as_ref().map(|o| o.acronym.as_str()).unwrap_or("")
                        ),
                        body: body.join(" \n "),
                        title: d.title,
                        sectors: d.sector.into_iter().collect(),
                        areas: d.area.into_iter().collect(),
                        visibility: d.visibility,
                    })
                }
                Err(e) => Err(e),
            },
            Err(_) => Err(StoreError::NotFound),
        },
        _ => Err(StoreError::NotFound),
    };
    match found {
        Ok(d) => Ok(Some(d)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Rebuild the whole index from the database, calling `progress(done, total)` as it goes.
/// Changes made meanwhile are caught up afterwards: the cursor is taken first.
pub async fn rebuild(
    store: &Store,
    index: &SearchIndex,
    mut progress: impl FnMut(usize, usize),
) -> Result<usize, SyncError> {
    let cursor = store.last_change().await?;
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut page = 1;
    loop {
        let p = store
            .list_orgs(&OrgFilter {
                page,
                per_page: OrgFilter::MAX_PER_PAGE,
                ..Default::default()
            })
            .await?;
        keys.extend(
            p.items
                .iter()
                .map(|o| ("organisation".to_string(), o.id.to_string())),
        );
        if p.page * p.per_page >= p.total {
            break;
        }
        page += 1;
    }
    page = 1;
    loop {
        let p = store.list_people(None, page, 200).await?;
        keys.extend(
            p.items
                .iter()
                .map(|x| ("person".to_string(), x.id.to_string())),
        );
        if p.page * p.per_page >= p.total {
            break;
        }
        page += 1;
    }
    keys.extend(
        store
            .list_sectors()
            .await?
            .into_iter()
            .map(|s| ("sector".to_string(), s.code)),
    );
    keys.extend(
        store
            .list_areas(None, None, None)
            .await?
            .into_iter()
            .map(|a| ("area".to_string(), a.code)),
    );
    keys.extend(
        store
            .list_meetings(&None, 10_000)
            .await?
            .into_iter()
            .map(|m| ("meeting".to_string(), m.id.to_string())),
    );
    keys.extend(
        store
            .list_proposals(&None, None)
            .await?
            .into_iter()
            .map(|p| ("proposal".to_string(), p.id.to_string())),
    );
    keys.extend(
        store
            .list_bulletins(&minbar_store::bulletins::BulletinFilter {
                expired: true,
                limit: 5000,
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|b| ("bulletin".to_string(), b.id.to_string())),
    );
    keys.extend(
        store
            .list_documents(&minbar_store::documents::DocumentFilter {
                limit: 5000,
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|d| ("document".to_string(), d.id.to_string())),
    );
    keys.extend(
        store
            .list_policies(&minbar_store::policy::PolicyFilter {
                limit: 5000,
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|p| ("policy".to_string(), p.id.to_string())),
    );
    keys.extend(
        store
            .list_expertise(&minbar_store::expertise::ExpertiseFilter {
                limit: 5000,
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|e| ("expertise".to_string(), e.id.to_string())),
    );
    let total = keys.len();
    index.clear()?;
    for (n, chunk) in keys.chunks(500).enumerate() {
        apply(
            store,
            index,
            chunk.iter().map(|(e, i)| (e.as_str(), i.as_str())),
        )
        .await?;
        progress((n * 500 + chunk.len()).min(total), total);
    }
    index.set_cursor(cursor)?;
    Ok(total)
}

/// What kinds a reader may filter by, and their labels' message keys.
pub const KINDS: &[&str] = &[
    "organisation",
    "person",
    "sector",
    "area",
    "meeting",
    "proposal",
    "bulletin",
    "document",
    "policy",
    "expertise",
];

/// The visibilities a reader may see: the fixed levels their role allows, their own
/// groups, and for the secretariat (who see what every group sees) all groups.
pub async fn visible_to(
    store: &Store,
    actor: &minbar_core::Actor,
) -> Result<Vec<Visibility>, StoreError> {
    let mut groups = actor.groups.clone();
    if actor.may(minbar_core::Action::CoordinatorContactsRead, None) {
        groups.extend(store.list_groups().await?.into_iter().map(|g| g.id));
    }
    Ok(Visibility::ALL
        .into_iter()
        .chain(groups.into_iter().map(Visibility::Group))
        .filter(|v| actor.may_see(*v))
        .collect())
}

/// Narrowing a search: by kind, sector and area.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub kind: Option<String>,
    pub sector: Option<String>,
    pub area: Option<String>,
}

/// The ids of the (at most 100) best matches of one kind, for a list page that narrows
/// by words and then by its own filters.
pub async fn search_ids(
    st: &AppState,
    actor: &minbar_core::Actor,
    text: &str,
    kind: &str,
    lang: Lang,
) -> Result<Vec<String>, SyncError> {
    st.search.catch_up(&st.store).await?;
    let q = minbar_search::SearchQuery {
        text: text.to_string(),
        kinds: vec![kind.to_string()],
        sector: None,
        area: None,
        visible: visible_to(&st.store, actor).await?,
        lang,
        page: 1,
        per_page: 100,
    };
    Ok(st
        .search
        .index
        .search(&q)?
        .items
        .into_iter()
        .map(|h| h.id)
        .collect())
}

/// Catch up, then search, for pages and the API alike.
pub async fn search(
    st: &AppState,
    actor: &minbar_core::Actor,
    text: &str,
    filters: &Filters,
    lang: Lang,
    page: usize,
) -> Result<minbar_search::SearchResults, SyncError> {
    st.search.catch_up(&st.store).await?;
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let q = minbar_search::SearchQuery {
        text: text.to_string(),
        kinds: filters
            .kind
            .as_deref()
            .filter(|k| KINDS.contains(k))
            .map(|k| vec![k.to_string()])
            .unwrap_or_default(),
        sector: nonempty(&filters.sector).map(|s| s.to_ascii_lowercase()),
        area: nonempty(&filters.area).map(|s| s.to_ascii_uppercase()),
        visible: visible_to(&st.store, actor).await?,
        lang,
        page: page.max(1),
        per_page: 20,
    };
    Ok(st.search.index.search(&q)?)
}
