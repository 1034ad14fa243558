//! The filters of the reference toolkit, on whole tables: select, cut, count, sort, clean,
//! rename, merge, append, add, dedup. Each takes a [`Table`] and returns a new one; they
//! chain by calling one on the result of another.

use crate::table::{Column, Row, Table};
use crate::tag::{Hashtag, TagPattern};
use crate::values::{
    format_number, normalise_date, normalise_space, normalise_string, parse_number,
};
use std::cmp::Ordering;
use std::collections::HashMap;

/// A filter's argument that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

fn err(s: impl Into<String>) -> FilterError {
    FilterError(s.into())
}

// ------------------------------------------------------------------ select

/// A comparison operator of a row query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `~`: the value matches a regular expression
    Re,
    /// `!~`: the value does not match a regular expression
    NotRe,
}

/// A row query such as `sector=WASH`, `targeted<200` or `org~^UN`.
#[derive(Debug, Clone)]
pub struct Query {
    /// the columns it tests (a row passes if any of them does)
    pub pattern: TagPattern,
    /// how it compares
    pub op: Op,
    value: String,
    number: Option<f64>,
    date: Option<String>,
    regex: Option<regex_lite::Regex>,
}

impl Query {
    /// Parse `TAG OP VALUE`. Like the reference, the whole query is normalised first
    /// (lower case, accents folded, whitespace collapsed).
    pub fn parse(q: &str) -> Result<Query, FilterError> {
        let q = normalise_string(q);
        let ops: [(&str, Op); 8] = [
            ("!~", Op::NotRe),
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("~", Op::Re),
            ("=", Op::Eq),
            ("<", Op::Lt),
            (">", Op::Gt),
        ];
        // the first operator position in the string wins; at a position, the longest
        let mut found: Option<(usize, &str, Op)> = None;
        for (s, op) in ops {
            if let Some(i) = q.find(s) {
                if found.is_none_or(|(j, fs, _)| i < j || (i == j && s.len() > fs.len())) {
                    found = Some((i, s, op));
                }
            }
        }
        let (i, s, op) = found
            .ok_or_else(|| err(format!("query {q:?} has no operator (= != < <= > >= ~ !~)")))?;
        let pattern = TagPattern::parse(&q[..i])
            .ok_or_else(|| err(format!("query {q:?}: {:?} is not a tag pattern", &q[..i])))?;
        let value = q[i + s.len()..].trim().to_string();
        let regex = match op {
            Op::Re | Op::NotRe => {
                Some(regex_lite::Regex::new(&value).map_err(|e| err(format!("query {q:?}: {e}")))?)
            }
            _ => None,
        };
        Ok(Query {
            date: if pattern.tag == "date" {
                normalise_date(&value)
            } else {
                None
            },
            number: parse_number(&value),
            pattern,
            op,
            value,
            regex,
        })
    }

    fn cmp_op(&self, o: Ordering) -> bool {
        match self.op {
            Op::Eq => o == Ordering::Equal,
            Op::Ne => o != Ordering::Equal,
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
            Op::Re | Op::NotRe => false,
        }
    }

    /// Does this cell match? As dates if the query is on `#date` and both are dates, else as
    /// numbers if both are numbers, else as normalised strings.
    pub fn matches_value(&self, raw: &str) -> bool {
        if let Some(re) = &self.regex {
            let found = re.is_match(&normalise_string(raw));
            return if self.op == Op::Re { found } else { !found };
        }
        // the cell is read as a date or a number only when the query is one
        if let Some(qd) = &self.date {
            if let Some(vd) = normalise_date(raw) {
                return self.cmp_op(vd.cmp(qd));
            }
        }
        if let Some(qn) = self.number {
            if let Some(o) = parse_number(raw).and_then(|vn| vn.partial_cmp(&qn)) {
                return self.cmp_op(o);
            }
        }
        // an ASCII cell without spaces normalises to itself in lower case, and UTF-8
        // bytes order as their characters do
        let space = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
        if raw.is_ascii() && !raw.as_bytes().iter().any(space) {
            let lower = raw.bytes().map(|b| b.to_ascii_lowercase());
            return self.cmp_op(lower.cmp(self.value.bytes()));
        }
        // compared as normalise_string(raw) would be, without building it
        self.cmp_op(normalised_chars(raw).cmp(self.value.chars()))
    }

    /// Does any column matching the pattern hold a matching value?
    pub fn matches_row(&self, columns: &[Column], row: &Row) -> bool {
        columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.matches(&self.pattern))
            .any(|(i, _)| i < row.values.len() && self.matches_value(&row.values[i]))
    }
}

/// The characters of `normalise_string(s)`, one at a time.
fn normalised_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.split_whitespace().enumerate().flat_map(|(i, w)| {
        (i > 0).then_some(' ').into_iter().chain(
            w.chars()
                .flat_map(char::to_lowercase)
                .map(crate::values::fold),
        )
    })
}

/// Keep the rows matching any of the queries (or, with `reverse`, matching none).
pub fn select(t: Table, queries: &[Query], reverse: bool) -> Table {
    select_split(t, queries, reverse).0
}

/// [`select`], giving back the rows it leaves out as well, for a caller that disposes of
/// them its own way (the command line, about to exit, does not free a million cells one
/// by one).
pub fn select_split(mut t: Table, queries: &[Query], reverse: bool) -> (Table, Vec<Row>) {
    let cols = t.columns.clone();
    let (kept, left): (Vec<Row>, Vec<Row>) =
        std::mem::take(&mut t.rows).into_iter().partition(|r| {
            queries.is_empty() || queries.iter().any(|q| q.matches_row(&cols, r)) != reverse
        });
    t.rows = kept;
    (t, left)
}

// ------------------------------------------------------------------ cut

/// Keep the columns matching `include` (all when empty), then drop those matching `exclude`.
pub fn cut(mut t: Table, include: &[TagPattern], exclude: &[TagPattern]) -> Table {
    let keep: Vec<usize> = t
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| include.is_empty() || include.iter().any(|p| c.matches(p)))
        .filter(|(_, c)| !exclude.iter().any(|p| c.matches(p)))
        .map(|(i, _)| i)
        .collect();
    t.columns = keep.iter().map(|i| t.columns[*i].clone()).collect();
    for r in &mut t.rows {
        r.values = keep.iter().map(|i| r.get(*i).to_string()).collect();
    }
    t
}

// ------------------------------------------------------------------ sort

/// One value's sort key: a number (infinity for text) and the normalised text.
pub(crate) type SortKey = (f64, String);

/// A sort key for one value, as the reference builds it: numbers before text, in order;
/// `#date` columns compare as normalised dates where they are dates.
pub(crate) fn sort_value(tag: Option<&Hashtag>, v: &str) -> SortKey {
    let norm = normalise_string(v);
    if tag.is_some_and(|t| t.tag == "date") {
        return (f64::INFINITY, normalise_date(&norm).unwrap_or(norm));
    }
    match parse_number(&norm) {
        Some(n) if !n.is_nan() => (n, norm),
        _ => (f64::INFINITY, norm),
    }
}

pub(crate) fn cmp_keys(a: &[SortKey], b: &[SortKey]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = x.0.total_cmp(&y.0).then_with(|| x.1.cmp(&y.1));
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

/// Sort rows by the first column matching each pattern (all columns, left to right, when
/// none are given). Stable: equal rows keep their order, in reverse too.
pub fn sort(mut t: Table, patterns: &[TagPattern], reverse: bool) -> Table {
    let idx: Vec<usize> = if patterns.is_empty() {
        (0..t.columns.len()).collect()
    } else {
        patterns.iter().filter_map(|p| t.find(p)).collect()
    };
    let cols = t.columns.clone();
    let mut keyed: Vec<(Vec<SortKey>, Row)> = t
        .rows
        .drain(..)
        .map(|r| {
            let k = idx
                .iter()
                .map(|i| sort_value(cols.get(*i).and_then(|c| c.tag.as_ref()), r.get(*i)))
                .collect();
            (k, r)
        })
        .collect();
    keyed.sort_by(|a, b| {
        let o = cmp_keys(&a.0, &b.0);
        if reverse {
            o.reverse()
        } else {
            o
        }
    });
    t.rows = keyed.into_iter().map(|(_, r)| r).collect();
    t
}

// ------------------------------------------------------------------ count

/// An aggregate of `count`: `count()`, `sum(tag)`, `average(tag)`, `min(tag)`, `max(tag)`,
/// `concat(tag)`, optionally `as Header#tag+attrs` for the result column.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// `count`, `sum`, `average`, `min`, `max` or `concat`
    pub func: String,
    /// the column aggregated (none for `count()`)
    pub pattern: Option<TagPattern>,
    /// the result column's header
    pub header: String,
    /// the result column's hashtag
    pub tag: Hashtag,
}

impl Aggregate {
    /// Read `sum(reached)` or `sum(reached) as Reached#reached+total`.
    pub fn parse(s: &str) -> Result<Aggregate, FilterError> {
        let s = s.trim();
        let (expr, spec) = match s.find(" as ") {
            Some(i) => (s[..i].trim(), Some(s[i + 4..].trim())),
            None => (s, None),
        };
        let open = expr
            .find('(')
            .ok_or_else(|| err(format!("aggregate {s:?}: expected func(tag)")))?;
        let func = expr[..open].trim().to_ascii_lowercase();
        let arg = expr[open + 1..].trim_end_matches(')').trim();
        if !matches!(
            func.as_str(),
            "count" | "sum" | "average" | "min" | "max" | "concat"
        ) {
            return Err(err(format!(
                "unknown aggregate {func:?} (count, sum, average, min, max, concat)"
            )));
        }
        let pattern = if arg.is_empty() {
            None
        } else {
            Some(
                TagPattern::parse(arg)
                    .ok_or_else(|| err(format!("aggregate {s:?}: {arg:?} is not a tag pattern")))?,
            )
        };
        if func != "count" && pattern.is_none() {
            return Err(err(format!("{func}() needs a tag pattern")));
        }
        let default_header = match func.as_str() {
            "count" => "Count",
            "sum" => "Sum",
            "average" => "Average",
            "min" => "Minimum",
            "max" => "Maximum",
            _ => "Concatenation",
        };
        let (header, tag) = match spec {
            Some(spec) => {
                let hash = spec.find('#').ok_or_else(|| {
                    err(format!("aggregate {s:?}: expected Header#tag after 'as'"))
                })?;
                let tag = Hashtag::parse(&spec[hash..])
                    .ok_or_else(|| err(format!("aggregate {s:?}: bad hashtag")))?;
                (spec[..hash].trim().to_string(), tag)
            }
            None => (
                default_header.to_string(),
                Hashtag::parse(&format!("#meta+{func}")).expect("valid"),
            ),
        };
        Ok(Aggregate {
            func,
            pattern,
            header,
            tag,
        })
    }
}

/// A sum of floating-point numbers kept exactly (Shewchuk's non-overlapping partials, as
/// Python's `math.fsum`) and rounded once at the end: the same whatever the order the
/// numbers come in, so that a file counted in blocks on several cores gives the same
/// figures as one counted row by row. For whole numbers it is the plain sum.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExactSum {
    partials: Vec<f64>,
    /// infinities and NaN, added as floats (they have no exact partials)
    special: f64,
}

impl ExactSum {
    pub(crate) fn add(&mut self, mut x: f64) {
        if !x.is_finite() {
            self.special += x;
            return;
        }
        let mut i = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            if !hi.is_finite() {
                // beyond f64: no exact answer; keep the overflow
                self.special += hi;
                self.partials.clear();
                return;
            }
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        self.partials.truncate(i);
        self.partials.push(x);
    }

    /// Add everything `other` holds.
    pub(crate) fn merge(&mut self, other: &ExactSum) {
        self.special += other.special;
        for p in &other.partials {
            self.add(*p);
        }
    }

    /// The exact sum, correctly rounded.
    pub(crate) fn value(&self) -> f64 {
        if self.special != 0.0 || self.special.is_nan() {
            return self.special;
        }
        let p = &self.partials;
        let mut n = p.len();
        if n == 0 {
            return 0.0;
        }
        n -= 1;
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // round half to even across the remaining partials, as fsum does
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }
}

/// One aggregate's running state for one group.
#[derive(Debug, Clone)]
enum Acc {
    Count(usize),
    /// sum, how many numbers
    Sum(ExactSum, usize),
    Min(Option<f64>),
    Max(Option<f64>),
    /// distinct non-empty values, in order of first appearance
    Concat(Vec<String>),
}

impl Acc {
    fn new(func: &str) -> Acc {
        match func {
            "count" => Acc::Count(0),
            "sum" | "average" => Acc::Sum(ExactSum::default(), 0),
            "min" => Acc::Min(None),
            "max" => Acc::Max(None),
            _ => Acc::Concat(Vec::new()),
        }
    }

    fn add(&mut self, v: &str) {
        match self {
            Acc::Count(n) => *n += 1,
            Acc::Concat(seen) => {
                let v = v.trim();
                if !v.is_empty() && !seen.iter().any(|s| s == v) {
                    seen.push(v.to_string());
                }
            }
            Acc::Sum(s, n) => {
                if let Some(x) = parse_number(v) {
                    s.add(x);
                    *n += 1;
                }
            }
            Acc::Min(m) => {
                if let Some(x) = parse_number(v) {
                    *m = Some(m.map_or(x, |m| m.min(x)));
                }
            }
            Acc::Max(m) => {
                if let Some(x) = parse_number(v) {
                    *m = Some(m.map_or(x, |m| m.max(x)));
                }
            }
        }
    }

    /// Fold in the state of the same aggregate over later rows.
    fn merge(&mut self, other: &Acc) {
        match (self, other) {
            (Acc::Count(a), Acc::Count(b)) => *a += b,
            (Acc::Sum(a, n), Acc::Sum(b, m)) => {
                a.merge(b);
                *n += m;
            }
            (Acc::Min(a), Acc::Min(Some(y))) => *a = Some(a.map_or(*y, |x| x.min(*y))),
            (Acc::Max(a), Acc::Max(Some(y))) => *a = Some(a.map_or(*y, |x| x.max(*y))),
            (Acc::Min(_), Acc::Min(None)) | (Acc::Max(_), Acc::Max(None)) => {}
            (Acc::Concat(a), Acc::Concat(b)) => {
                for v in b {
                    if !a.contains(v) {
                        a.push(v.clone());
                    }
                }
            }
            _ => unreachable!("the same aggregate on both sides"),
        }
    }

    fn result(&self, func: &str) -> String {
        match self {
            Acc::Count(n) => n.to_string(),
            Acc::Concat(seen) => seen.join(" | "),
            Acc::Sum(_, 0) | Acc::Min(None) | Acc::Max(None) => String::new(),
            Acc::Sum(s, n) if func == "average" => format_number(s.value() / *n as f64),
            Acc::Sum(s, _) => format_number(s.value()),
            Acc::Min(Some(x)) | Acc::Max(Some(x)) => format_number(*x),
        }
    }
}

/// `count` as a fold: rows go in one at a time ([`Counter::add`]), groups and their
/// aggregates are kept, the table comes out at the end ([`Counter::finish`]). Memory
/// grows with the number of groups, not of rows, so it streams.
pub struct Counter {
    idx: Vec<usize>,
    key_columns: Vec<Column>,
    agg_columns: Vec<Option<usize>>,
    aggs: Vec<Aggregate>,
    /// (sort key, the first row's values of the key columns, accumulators)
    groups: Vec<(Vec<SortKey>, Vec<String>, Vec<Acc>)>,
    /// a group's key columns, normalised and joined ([`push_key`]) → its place in `groups`
    index: KeyMap<usize>,
    /// the row being added's key, reused from row to row
    key: String,
    scratch: String,
    warnings: Vec<String>,
}

/// Append one cell's normalised value to a composite key, length first so that no two
/// different tuples of cells make the same key.
pub(crate) fn push_key(key: &mut String, scratch: &mut String, cell: &str) {
    scratch.clear();
    crate::values::normalise_into(scratch, cell);
    let len = scratch.len();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    key.extend((0..8).map(|i| HEX[(len >> (28 - 4 * i)) & 0xf] as char));
    key.push_str(scratch);
}

/// FNV-1a: a fast hash for the short keys of groups and sort keys (the input is the
/// user's own file, so hash flooding is no concern here).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A map keyed by [`push_key`] keys.
pub(crate) type KeyMap<V> = HashMap<String, V, std::hash::BuildHasherDefault<Fnv>>;

impl Counter {
    /// Ready to count rows of a table with these `columns`.
    pub fn new(columns: &[Column], patterns: &[TagPattern], aggregates: &[Aggregate]) -> Counter {
        let find = |p: &TagPattern| columns.iter().position(|c| c.matches(p));
        let idx: Vec<usize> = patterns.iter().filter_map(find).collect();
        let aggs = if aggregates.is_empty() {
            vec![Aggregate::parse("count()").expect("valid")]
        } else {
            aggregates.to_vec()
        };
        Counter {
            key_columns: idx.iter().map(|i| columns[*i].clone()).collect(),
            agg_columns: aggs
                .iter()
                .map(|a| a.pattern.as_ref().and_then(find))
                .collect(),
            idx,
            aggs,
            groups: Vec::new(),
            index: KeyMap::default(),
            key: String::new(),
            scratch: String::new(),
            warnings: Vec::new(),
        }
    }

    /// The columns [`Counter::add`] reads: only these need to be valid text.
    pub fn columns_read(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.idx.to_vec();
        v.extend(self.agg_columns.iter().flatten().copied());
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Fold in one row, given a way to read its cells by column.
    pub fn add<'a>(&mut self, cell: impl Fn(usize) -> &'a str) {
        self.key.clear();
        for i in &self.idx {
            push_key(&mut self.key, &mut self.scratch, cell(*i));
        }
        let g = match self.index.get(self.key.as_str()) {
            Some(g) => *g,
            None => {
                let sk = self
                    .idx
                    .iter()
                    .zip(&self.key_columns)
                    .map(|(i, c)| sort_value(c.tag.as_ref(), cell(*i)))
                    .collect();
                let shown = self.idx.iter().map(|i| cell(*i).to_string()).collect();
                let accs = self.aggs.iter().map(|a| Acc::new(&a.func)).collect();
                self.index.insert(self.key.clone(), self.groups.len());
                self.groups.push((sk, shown, accs));
                self.groups.len() - 1
            }
        };
        let accs = &mut self.groups[g].2;
        for (acc, col) in accs.iter_mut().zip(&self.agg_columns) {
            acc.add(col.map(&cell).unwrap_or(""));
        }
    }

    /// A counter for the same columns and aggregates, with nothing counted yet: one per
    /// block of rows when a file is counted on several cores.
    pub fn fresh(&self) -> Counter {
        Counter {
            idx: self.idx.clone(),
            key_columns: self.key_columns.clone(),
            agg_columns: self.agg_columns.clone(),
            aggs: self.aggs.clone(),
            groups: Vec::new(),
            index: KeyMap::default(),
            key: String::new(),
            scratch: String::new(),
            warnings: Vec::new(),
        }
    }

    /// Fold in what `later` counted over the rows that follow this counter's rows: the
    /// result is what one counter would have counted over both, row by row.
    pub fn merge(&mut self, later: Counter) {
        // groups first seen in `later` come after ours, in the order `later` saw them
        let mut keys: Vec<String> = vec![String::new(); later.groups.len()];
        for (key, g) in later.index {
            keys[g] = key;
        }
        for ((sk, shown, accs), key) in later.groups.into_iter().zip(keys) {
            match self.index.get(key.as_str()) {
                Some(&mine) => {
                    for (acc, theirs) in self.groups[mine].2.iter_mut().zip(&accs) {
                        acc.merge(theirs);
                    }
                }
                None => {
                    self.index.insert(key, self.groups.len());
                    self.groups.push((sk, shown, accs));
                }
            }
        }
        self.warnings.extend(later.warnings);
    }

    /// The counted table: one row per group, groups sorted by their key values.
    pub fn finish(mut self) -> Table {
        self.groups.sort_by(|a, b| cmp_keys(&a.0, &b.0));
        let mut columns = self.key_columns.clone();
        for a in &self.aggs {
            columns.push(Column {
                header: Some(a.header.clone()),
                tag: Some(a.tag.clone()),
            });
        }
        let rows = self
            .groups
            .into_iter()
            .enumerate()
            .map(|(n, (_, mut values, accs))| {
                values.extend(
                    accs.iter()
                        .zip(&self.aggs)
                        .map(|(acc, a)| acc.result(&a.func)),
                );
                Row {
                    source_row: n + 1,
                    values,
                }
            })
            .collect();
        Table {
            preamble: vec![],
            columns,
            rows,
            warnings: self.warnings,
        }
    }
}

/// Group rows by the values of the columns matching `patterns` (compared normalised) and
/// compute the aggregates per group; groups come out sorted.
pub fn count(t: Table, patterns: &[TagPattern], aggregates: &[Aggregate]) -> Table {
    let mut c = Counter::new(&t.columns, patterns, aggregates);
    c.warnings = t.warnings.clone();
    for r in &t.rows {
        c.add(|i| r.get(i));
    }
    c.finish()
}

// ------------------------------------------------------------------ clean

/// What `clean` does, and to which columns (empty pattern lists: none).
#[derive(Debug, Clone, Default)]
pub struct CleanOptions {
    /// trim and collapse white space (`-w`)
    pub whitespace: Vec<TagPattern>,
    /// to upper case (`-u`)
    pub upper: Vec<TagPattern>,
    /// to lower case (`-l`)
    pub lower: Vec<TagPattern>,
    /// dates to ISO `YYYY-MM-DD` (`-d`)
    pub dates: Vec<TagPattern>,
    /// numbers to plain digits (`-n`)
    pub numbers: Vec<TagPattern>,
    /// write no header row (`--remove-headers`)
    pub remove_headers: bool,
}

/// `clean`: normalise the values of the columns each option names.
pub fn clean(mut t: Table, o: &CleanOptions) -> Table {
    let hit = |ps: &[TagPattern], c: &Column| ps.iter().any(|p| c.matches(p));
    let cols = t.columns.clone();
    for r in &mut t.rows {
        for (i, v) in r.values.iter_mut().enumerate() {
            let Some(c) = cols.get(i) else { continue };
            if hit(&o.whitespace, c) {
                *v = normalise_space(v);
            }
            if hit(&o.upper, c) {
                *v = v.to_uppercase();
            }
            if hit(&o.lower, c) {
                *v = v.to_lowercase();
            }
            if hit(&o.dates, c) {
                if let Some(d) = normalise_date(v) {
                    *v = d;
                }
            }
            if hit(&o.numbers, c) {
                if let Some(n) = parse_number(v) {
                    *v = format_number(n);
                }
            }
        }
    }
    if o.remove_headers {
        for c in &mut t.columns {
            c.header = None;
        }
    }
    t
}

// ------------------------------------------------------------------ rename, add

/// Parse `old:new` or `old:Header#new+attrs` for `rename`.
pub fn parse_rename(s: &str) -> Result<(TagPattern, Option<String>, Hashtag), FilterError> {
    let (old, new) = s
        .split_once(':')
        .ok_or_else(|| err(format!("rename {s:?}: expected old:new")))?;
    let old = TagPattern::parse(old).ok_or_else(|| err(format!("rename {s:?}: bad pattern")))?;
    let (header, tag) = match new.find('#') {
        Some(i) if i > 0 => (Some(new[..i].to_string()), &new[i..]),
        _ => (None, new),
    };
    let tag = if tag.starts_with('#') {
        tag.to_string()
    } else {
        format!("#{tag}")
    };
    let tag = Hashtag::parse(&tag).ok_or_else(|| err(format!("rename {s:?}: bad hashtag")))?;
    Ok((old, header, tag))
}

/// Retag (and perhaps re-head) every column matching each pattern.
pub fn rename(mut t: Table, specs: &[(TagPattern, Option<String>, Hashtag)]) -> Table {
    for c in &mut t.columns {
        if let Some((_, header, tag)) = specs.iter().find(|(p, _, _)| c.matches(p)) {
            c.tag = Some(tag.clone());
            if let Some(h) = header {
                c.header = Some(h.clone());
            }
        }
    }
    t
}

/// Parse `[Header]#tag+attrs=value` for `add`.
pub fn parse_add(s: &str) -> Result<(Option<String>, Hashtag, String), FilterError> {
    let (spec, value) = s
        .split_once('=')
        .ok_or_else(|| err(format!("add {s:?}: expected tag=value")))?;
    let (header, tag) = match spec.find('#') {
        Some(i) if i > 0 => (Some(spec[..i].to_string()), &spec[i..]),
        _ => (None, spec),
    };
    let tag = if tag.starts_with('#') {
        tag.to_string()
    } else {
        format!("#{tag}")
    };
    let tag = Hashtag::parse(&tag).ok_or_else(|| err(format!("add {s:?}: bad hashtag")))?;
    Ok((header, tag, value.to_string()))
}

/// Add constant columns, after the others or (with `before`) in front of them.
pub fn add(mut t: Table, specs: &[(Option<String>, Hashtag, String)], before: bool) -> Table {
    let new_cols: Vec<Column> = specs
        .iter()
        .map(|(h, tag, _)| Column {
            header: Some(h.clone().unwrap_or_default()),
            tag: Some(tag.clone()),
        })
        .collect();
    let width = t.columns.len();
    if before {
        let mut cols = new_cols;
        cols.append(&mut t.columns);
        t.columns = cols;
    } else {
        t.columns.extend(new_cols);
    }
    for r in &mut t.rows {
        let extra = specs.iter().map(|(_, _, v)| v.clone());
        if before {
            let mut values: Vec<String> = extra.collect();
            values.append(&mut r.values);
            r.values = values;
        } else {
            r.values.resize(width, String::new());
            r.values.extend(extra);
        }
    }
    t
}

// ------------------------------------------------------------------ merge, append, dedup

/// Options of `merge`.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Patterns of the key columns, in both tables.
    pub keys: Vec<TagPattern>,
    /// Patterns of the columns to bring over from the merge table.
    pub tags: Vec<TagPattern>,
    /// Fill existing matching columns instead of adding new ones.
    pub replace: bool,
    /// With `replace`, overwrite values that are already there.
    pub overwrite: bool,
}

/// `merge`: add (or, with `replace`, overwrite) columns of `other` to the rows of `t`
/// whose key columns match one of its rows.
pub fn merge(mut t: Table, other: &Table, o: &MergeOptions) -> Table {
    let key_of = |tab: &Table, r: &Row| -> Vec<String> {
        o.keys
            .iter()
            .map(|p| {
                tab.find(p)
                    .map(|i| normalise_string(r.get(i)))
                    .unwrap_or_default()
            })
            .collect()
    };
    // the merge table's columns to bring over, in its order
    let src: Vec<usize> = other
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| o.tags.iter().any(|p| c.matches(p)))
        .map(|(i, _)| i)
        .collect();
    let mut lookup: HashMap<Vec<String>, &Row> = HashMap::new();
    for r in &other.rows {
        lookup.entry(key_of(other, r)).or_insert(r);
    }
    // where each brought-over column goes: an existing column (replace) or a new one
    let mut targets: Vec<(usize, usize, bool)> = Vec::new(); // (src col, dest col, is_new)
    for &s in &src {
        let sc = &other.columns[s];
        let existing = if o.replace {
            t.columns
                .iter()
                .position(|c| c.tag.is_some() && c.tag == sc.tag)
        } else {
            None
        };
        match existing {
            Some(d) => targets.push((s, d, false)),
            None => {
                t.columns.push(sc.clone());
                targets.push((s, t.columns.len() - 1, true));
            }
        }
    }
    let width = t.columns.len();
    let me = t.clone();
    for r in &mut t.rows {
        let found = lookup.get(&key_of(&me, r)).copied();
        r.values.resize(width.max(r.values.len()), String::new());
        for &(s, d, is_new) in &targets {
            let Some(m) = found else { continue };
            let v = m.get(s).to_string();
            if is_new || o.overwrite || r.values[d].trim().is_empty() {
                r.values[d] = v;
            }
        }
    }
    t
}

/// Append the rows of `other`, matching its columns to ours by hashtag; its columns that
/// we do not have are dropped.
pub fn append(mut t: Table, other: &Table) -> Table {
    let map: Vec<Option<usize>> = t
        .columns
        .iter()
        .map(|c| {
            c.tag.as_ref().and_then(|tag| {
                other.columns.iter().position(|oc| {
                    oc.tag.as_ref().is_some_and(|o| {
                        o.tag == tag.tag && {
                            let mut a = o.attributes.clone();
                            let mut b = tag.attributes.clone();
                            a.sort();
                            b.sort();
                            a == b
                        }
                    })
                })
            })
        })
        .collect();
    let start = t.rows.len();
    for (n, r) in other.rows.iter().enumerate() {
        t.rows.push(Row {
            source_row: start + n + 1,
            values: map
                .iter()
                .map(|m| m.map(|i| r.get(i).to_string()).unwrap_or_default())
                .collect(),
        });
    }
    t
}

/// Drop rows that repeat an earlier row (on the columns matching `patterns`, or all).
pub fn dedup(mut t: Table, patterns: &[TagPattern]) -> Table {
    let idx: Vec<usize> = if patterns.is_empty() {
        (0..t.columns.len()).collect()
    } else {
        t.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| patterns.iter().any(|p| c.matches(p)))
            .map(|(i, _)| i)
            .collect()
    };
    let mut seen = std::collections::HashSet::new();
    t.rows.retain(|r| {
        seen.insert(
            idx.iter()
                .map(|i| normalise_string(r.get(*i)))
                .collect::<Vec<_>>(),
        )
    });
    t
}
