//! `minbar-search`: the search index. tantivy, with `minbar-text`'s analysers registered
//! (`minbar_name` for names, `minbar_text` for titles and bodies), kept in the data
//! directory. Documents carry the visibility of what they describe, and every query is
//! filtered by the visibilities the reader may see, so nothing hidden is findable.

mod analyzer;

pub use analyzer::{register, MinbarTokenizer};

use minbar_core::{I18nText, Lang, Visibility};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
}

/// One thing to find: an organisation, a person, a sector, an area (more kinds later).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    /// `organisation`, `person`, `sector`, `area`.
    pub kind: String,
    /// The record's id or code.
    pub id: String,
    pub title: I18nText,
    /// Names (of the record, and acronyms): analysed as names, never stemmed.
    pub names: String,
    /// Everything else readers may search: descriptions, titles, committees.
    pub body: String,
    pub sectors: Vec<String>,
    pub areas: Vec<String>,
    pub visibility: Visibility,
}

impl SearchDoc {
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind, self.id)
    }
}

/// What to look for, and who is looking.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub text: String,
    /// Only these kinds (all when empty).
    pub kinds: Vec<String>,
    pub sector: Option<String>,
    pub area: Option<String>,
    /// The visibilities the reader may see.
    pub visible: Vec<Visibility>,
    pub lang: Lang,
    pub page: usize,
    pub per_page: usize,
}

/// The deepest page a search answers (with at most 100 hits a page).
pub const MAX_PAGE: usize = 500;

/// One hit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    /// The title in the reader's language (falling back to another).
    pub title: String,
    /// An HTML fragment: escaped text with `<mark>` around the matches.
    pub snippet: String,
    #[serde(skip)]
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
    pub total: usize,
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    names: Field,
    body: Field,
    sector: Field,
    area: Field,
    visibility: Field,
    display: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored()
    };
    let f = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        names: b.add_text_field("names", text("minbar_name")),
        body: b.add_text_field("body", text("minbar_text")),
        sector: b.add_text_field("sector", STRING),
        area: b.add_text_field("area", STRING),
        visibility: b.add_text_field("visibility", STRING),
        display: b.add_text_field("display", STORED),
    };
    (b.build(), f)
}

/// The index, its reader and its one writer.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
    dir: Option<PathBuf>,
    cursor: Mutex<i64>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

const WRITER_HEAP: usize = 50_000_000;
const CURSOR_FILE: &str = "outbox-cursor";

impl SearchIndex {
    fn from_index(
        index: Index,
        f: Fields,
        dir: Option<PathBuf>,
    ) -> Result<SearchIndex, SearchError> {
        analyzer::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer(WRITER_HEAP)?;
        let cursor = dir
            .as_ref()
            .and_then(|d| std::fs::read_to_string(d.join(CURSOR_FILE)).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        Ok(SearchIndex {
            reader,
            writer: Mutex::new(writer),
            f,
            dir,
            cursor: Mutex::new(cursor),
        })
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, f) = schema();
        Self::from_index(Index::create_in_ram(schema), f, None)
    }

    /// Open the index in `dir`, or create it. A missing, unreadable or incompatible index is
    /// replaced by an empty one; the `bool` says so, and the caller rebuilds it.
    pub fn open_or_create(dir: &Path) -> Result<(SearchIndex, bool), SearchError> {
        let (schema, f) = schema();
        std::fs::create_dir_all(dir)?;
        let opened = Index::open_in_dir(dir)
            .ok()
            .filter(|i| i.schema() == schema);
        match opened {
            Some(index) => {
                // a reader that cannot load the segments means a damaged index
                match Self::from_index(index, f, Some(dir.to_path_buf())) {
                    Ok(s)
                        if s.reader
                            .searcher()
                            .segment_readers()
                            .iter()
                            .all(|r| r.num_docs() <= r.max_doc()) =>
                    {
                        Ok((s, false))
                    }
                    _ => Self::recreate(dir, schema, f),
                }
            }
            None => Self::recreate(dir, schema, f),
        }
    }

    fn recreate(dir: &Path, schema: Schema, f: Fields) -> Result<(SearchIndex, bool), SearchError> {
        let had_files = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        if had_files {
            tracing::warn!(dir = %dir.display(), "search index unreadable or outdated: rebuilding it");
        } else {
            tracing::info!(dir = %dir.display(), "creating the search index");
        }
        std::fs::remove_dir_all(dir)?;
        std::fs::create_dir_all(dir)?;
        let index = Index::create_in_dir(dir, schema)?;
        let s = Self::from_index(index, f, Some(dir.to_path_buf()))?;
        s.set_cursor(0)?;
        Ok((s, true))
    }

    /// The last outbox entry this index has applied.
    pub fn cursor(&self) -> i64 {
        self.cursor.lock().map(|c| *c).unwrap_or(0)
    }

    /// Record the last outbox entry applied (after a commit).
    pub fn set_cursor(&self, c: i64) -> Result<(), SearchError> {
        if let Ok(mut cur) = self.cursor.lock() {
            *cur = c;
        }
        if let Some(d) = &self.dir {
            let tmp = d.join(format!("{CURSOR_FILE}.tmp"));
            std::fs::write(&tmp, c.to_string())?;
            std::fs::rename(tmp, d.join(CURSOR_FILE))?;
        }
        Ok(())
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Add or replace documents, then remove the ones named in `deleted` (keys), and commit.
    pub fn apply(&self, docs: &[SearchDoc], deleted: &[String]) -> Result<(), SearchError> {
        let f = self.f;
        let mut w = self.writer();
        for d in docs {
            w.delete_term(Term::from_field_text(f.key, &d.key()));
            let mut doc = doc!(
                f.key => d.key(),
                f.kind => d.kind.clone(),
                f.id => d.id.clone(),
                f.names => d.names.clone(),
                f.body => d.body.clone(),
                f.visibility => d.visibility.code(),
                f.display => serde_json::to_string(&d.title).unwrap_or_default(),
            );
            for s in &d.sectors {
                doc.add_text(f.sector, s);
            }
            for a in &d.areas {
                doc.add_text(f.area, a);
            }
            w.add_document(doc)?;
        }
        for k in deleted {
            w.delete_term(Term::from_field_text(f.key, k));
        }
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Remove every document (before a full rebuild).
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut w = self.writer();
        w.delete_all_documents()?;
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn term_queries(&self, field: Field, tokens: &[String]) -> Vec<Box<dyn Query>> {
        tokens
            .iter()
            .map(|t| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                )) as Box<dyn Query>
            })
            .collect()
    }

    /// Search. Every word of the query must match, as a name or in the text, in any
    /// spelling the analysers bring together; results are ranked, filtered by kind,
    /// sector, area and by what the reader may see.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let f = self.f;
        // a query is at most 500 characters: enough for any search, cheap to analyse
        let text: String = q.text.chars().take(500).collect();
        let words = minbar_text::analyze::words(&text);
        let names: Vec<String> = minbar_text::analyze(&text, minbar_text::FieldKind::Name)
            .into_iter()
            .map(|t| t.text)
            .collect();
        let mut per_word: Vec<Box<dyn Query>> = Vec::new();
        let mut body_all: Vec<String> = Vec::new();
        for (s, e) in &words {
            let w = &text[*s..*e];
            let n: Vec<String> =
                minbar_text::analyze_with_variants(w, minbar_text::FieldKind::Name)
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
            let t: Vec<String> =
                minbar_text::analyze_with_variants(w, minbar_text::FieldKind::Text)
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
            body_all.extend(t.iter().cloned());
            let mut alts = self.term_queries(f.names, &n);
            alts.extend(self.term_queries(f.body, &t));
            // a stemmed word also finds a name without its article (للتعليم → التعليم)
            alts.extend(self.term_queries(f.names, &t));
            if !alts.is_empty() && !t.is_empty() {
                per_word.push(Box::new(BooleanQuery::union(alts)));
            } else if !alts.is_empty() && t.is_empty() {
                // a stop word: optional, it only helps the ranking
                continue;
            }
        }
        if per_word.is_empty() && names.is_empty() {
            return Ok(SearchResults {
                items: vec![],
                total: 0,
            });
        }
        let mut ways: Vec<Box<dyn Query>> = Vec::new();
        if !per_word.is_empty() {
            ways.push(Box::new(BooleanQuery::intersection(per_word)));
        }
        if !names.is_empty() {
            // the whole query as a name (compounds: عبد الله)
            ways.push(Box::new(BooleanQuery::intersection(
                self.term_queries(f.names, &names),
            )));
        }
        let whole_text: Vec<String> = minbar_text::analyze(&text, minbar_text::FieldKind::Text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        if !whole_text.is_empty() {
            // the whole query as text: compounds inside bodies
            ways.push(Box::new(BooleanQuery::intersection(
                self.term_queries(f.body, &whole_text),
            )));
        }
        let mut must: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::union(ways)))];
        let any_of = |field: Field, values: Vec<String>| -> Box<dyn Query> {
            Box::new(BooleanQuery::union(
                values
                    .iter()
                    .map(|v| {
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, v),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>
                    })
                    .collect(),
            ))
        };
        must.push((
            Occur::Must,
            any_of(
                f.visibility,
                q.visible.iter().map(|v| v.code().to_string()).collect(),
            ),
        ));
        if !q.kinds.is_empty() {
            must.push((Occur::Must, any_of(f.kind, q.kinds.clone())));
        }
        if let Some(s) = &q.sector {
            must.push((Occur::Must, any_of(f.sector, vec![s.clone()])));
        }
        if let Some(a) = &q.area {
            must.push((Occur::Must, any_of(f.area, vec![a.clone()])));
        }
        let query = BooleanQuery::new(must);
        let searcher = self.reader.searcher();
        // the collector allocates room for offset + limit hits up front: a page number
        // from a client is bounded before it becomes memory (schemathesis found
        // page=106479359 asking for 34 GB)
        let per = q.per_page.clamp(1, 100);
        let offset = q.page.clamp(1, MAX_PAGE).saturating_sub(1) * per;
        let (top, total) = searcher.search(
            &query,
            &(
                TopDocs::with_limit(per).and_offset(offset).order_by_score(),
                Count,
            ),
        )?;
        // highlight the text field's matches, else the names'
        let body_query = BooleanQuery::union(self.term_queries(f.body, &body_all));
        let mut body_snips = SnippetGenerator::create(&searcher, &body_query, f.body)?;
        body_snips.set_max_num_chars(180);
        let mut name_snips = SnippetGenerator::create(&searcher, &query, f.names)?;
        name_snips.set_max_num_chars(180);
        let mut items = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |fld: Field| {
                doc.get_first(fld)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let title: I18nText = serde_json::from_str(&get(f.display)).unwrap_or_default();
            let mut snip = body_snips.snippet_from_doc(&doc);
            if snip.is_empty() {
                snip = name_snips.snippet_from_doc(&doc);
            }
            snip.set_snippet_prefix_postfix("<mark>", "</mark>");
            items.push(SearchHit {
                kind: get(f.kind),
                id: get(f.id),
                title: title.get(q.lang).to_string(),
                snippet: snip.to_html(),
                score,
            });
        }
        Ok(SearchResults { items, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str, ar: &str, en: &str, body: &str, vis: Visibility) -> SearchDoc {
        SearchDoc {
            kind: "organisation".into(),
            id: id.into(),
            title: I18nText {
                ar: Some(ar.into()),
                en: Some(en.into()),
                tr: None,
            },
            names: format!("{ar} {en}"),
            body: body.into(),
            sectors: vec!["education".into()],
            areas: vec!["SY-ID".into()],
            visibility: vis,
        }
    }

    fn q(text: &str, visible: &[Visibility]) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            kinds: vec![],
            sector: None,
            area: None,
            visible: visible.to_vec(),
            lang: Lang::Ar,
            page: 1,
            per_page: 10,
        }
    }

    #[test]
    fn finds_arabic_however_it_is_spelled_and_respects_visibility() {
        let idx = SearchIndex::in_memory().unwrap();
        idx.apply(
            &[
                org(
                    "1",
                    "جمعية الأمل للتعليم",
                    "Hope Association",
                    "ندعم المدارس في إدلب وبالمدارس الريفية",
                    Visibility::Public,
                ),
                org(
                    "2",
                    "مؤسسة عبد الله",
                    "Abdullah Foundation",
                    "Relief for schools",
                    Visibility::Members,
                ),
            ],
            &[],
        )
        .unwrap();
        let public = [Visibility::Public];
        for text in ["الامل", "امل", "مدارس", "والمدارس", "hope", "ادلب", "إدلب"]
        {
            let r = idx.search(&q(text, &public)).unwrap();
            assert_eq!(r.total, 1, "{text}");
            assert_eq!(r.items[0].id, "1");
        }
        // members-only: not found by a visitor, found by a member, compound names meet
        assert_eq!(idx.search(&q("عبدالله", &public)).unwrap().total, 0);
        let member = [Visibility::Public, Visibility::Members];
        assert_eq!(idx.search(&q("عبدالله", &member)).unwrap().total, 1);
        assert_eq!(idx.search(&q("عبد الله", &member)).unwrap().total, 1);
        assert!(idx.search(&q("school", &member)).unwrap().items[0]
            .snippet
            .contains("<mark>schools</mark>"));
        // replaced and deleted
        idx.apply(&[], &["organisation:1".into()]).unwrap();
        assert_eq!(idx.search(&q("الامل", &public)).unwrap().total, 0);
    }

    #[test]
    fn odd_queries_do_not_fail() {
        let idx = SearchIndex::in_memory().unwrap();
        for text in [
            "",
            "   ",
            "!!!",
            "\"unbalanced",
            "a:b* ~x ^(",
            "\u{200f}\u{202b}",
            &"ع".repeat(10_000),
            "في من",
        ] {
            let r = idx.search(&q(text, &[Visibility::Public])).unwrap();
            assert_eq!(r.total, 0);
        }
        // a page number from a client does not become memory
        for page in [0, 501, 106_479_359, usize::MAX] {
            let mut query = q("hope", &[Visibility::Public]);
            query.page = page;
            query.per_page = usize::MAX;
            assert_eq!(idx.search(&query).unwrap().total, 0);
        }
    }

    #[test]
    fn a_damaged_index_is_recreated() {
        let dir = tempfile::tempdir().unwrap();
        let (i, fresh) = SearchIndex::open_or_create(dir.path()).unwrap();
        assert!(fresh);
        i.apply(&[org("1", "أ", "A", "", Visibility::Public)], &[])
            .unwrap();
        i.set_cursor(42).unwrap();
        drop(i);
        let (i, fresh) = SearchIndex::open_or_create(dir.path()).unwrap();
        assert!(!fresh);
        assert_eq!((i.num_docs(), i.cursor()), (1, 42));
        drop(i);
        std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
        let (i, fresh) = SearchIndex::open_or_create(dir.path()).unwrap();
        assert!(fresh, "detected and recreated");
        assert_eq!((i.num_docs(), i.cursor()), (0, 0));
    }
}
