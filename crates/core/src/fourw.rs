//! 4W (who does what, where, when) and needs: reporting periods, activities, needs, and
//! the coverage and gap figures computed from them.

use crate::error::{DomainError, FieldErrors};
use crate::ids::{ActivityId, NeedId, OrgId};
use crate::values::{AreaCode, Date, SectorCode};
use serde::{Deserialize, Serialize};

/// A reporting period, stored and written as the month it starts with (`YYYY-MM`). A network
/// that reports monthly has one per month; one that reports quarterly, half-yearly or
/// yearly stores each period under its first month (`2026-04` is the second quarter): see
/// [`Calendar`], which knows the cycle and prints labels such as `2026-Q2`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    year: u16,
    month: u8,
}

impl Period {
    /// `2026-03`, `2026/3`, `03/2026`, `2026-03-15` (the month of a date), Arabic digits too;
    /// also a quarter or a half year (`2026-Q2`, `Q2 2026`, `2026-H1`), as its first month.
    /// A bare year is not a period here (it is too easily a stray number); [`Calendar::parse`]
    /// takes one where the network reports yearly.
    pub fn parse(s: &str) -> Result<Period, DomainError> {
        match Period::parse_span(s)? {
            (_, 12) => Err(DomainError::PeriodInvalid),
            (p, _) => Ok(p),
        }
    }

    /// What [`Period::parse`] reads, with how many months the text spans: 1 for a month or
    /// a date, 3 for a quarter, 6 for a half year, 12 for a bare year (`2026`).
    pub fn parse_span(s: &str) -> Result<(Period, u8), DomainError> {
        if let Some(p) = Period::parse_plain(s) {
            return p.map(|p| (p, 1));
        }
        if let Some(r) = Period::parse_label(s) {
            return r;
        }
        Period::parse_month(s).map(|p| (p, 1))
    }

    /// `2026-Q2`, `2026 q2`, `Q2-2026`, `2026-H1`, `2026`: the span forms, or `None` when the
    /// text is none of them.
    fn parse_label(s: &str) -> Option<Result<(Period, u8), DomainError>> {
        let t = minbar_text::arabic::normalize(s.trim());
        let t = t.trim();
        let year = |y: &str| -> Option<u16> {
            (y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()))
                .then(|| y.parse().ok())
                .flatten()
        };
        let bad = Some(Err(DomainError::PeriodInvalid));
        if let Some(y) = year(t) {
            return Some(
                Period::new(y, 1)
                    .map(|p| (p, 12))
                    .ok_or(DomainError::PeriodInvalid),
            );
        }
        let parts: Vec<&str> = t
            .split(['-', '/', ' ', '.'])
            .filter(|p| !p.is_empty())
            .collect();
        let [a, b] = parts.as_slice() else {
            return None;
        };
        let (y, label) = match (year(a), year(b)) {
            (Some(y), None) => (y, *b),
            (None, Some(y)) => (y, *a),
            _ => return None,
        };
        let mut chars = label.chars();
        let (kind, n) = (chars.next()?, chars.as_str());
        let span = match kind {
            'Q' | 'q' => 3,
            'H' | 'h' => 6,
            _ => return None,
        };
        let Ok(n) = n.parse::<u8>() else {
            return bad;
        };
        if n == 0 || n > 12 / span {
            return bad;
        }
        Some(
            Period::new(y, (n - 1) * span + 1)
                .map(|p| (p, span))
                .ok_or(DomainError::PeriodInvalid),
        )
    }

    /// `YYYY-MM` as exports write it (every row of a large import), without allocating.
    fn parse_plain(s: &str) -> Option<Result<Period, DomainError>> {
        let b = s.trim().as_bytes();
        if b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
        {
            let y = (b[0] - b'0') as u16 * 1000
                + (b[1] - b'0') as u16 * 100
                + (b[2] - b'0') as u16 * 10
                + (b[3] - b'0') as u16;
            let m = (b[5] - b'0') * 10 + (b[6] - b'0');
            return Some(Period::new(y, m).ok_or(DomainError::PeriodInvalid));
        }
        None
    }

    fn parse_month(s: &str) -> Result<Period, DomainError> {
        let t = minbar_text::arabic::normalize(s.trim());
        let parts: Vec<&str> = t
            .split(['-', '/', '.'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let nums: Vec<u32> = parts
            .iter()
            .map(|p| p.parse::<u32>())
            .collect::<Result<_, _>>()
            .map_err(|_| DomainError::PeriodInvalid)?;
        let (y, m) = match (parts.as_slice(), nums.as_slice()) {
            ([a, _], [y, m]) if a.len() == 4 => (*y, *m),
            ([_, b], [m, y]) if b.len() == 4 => (*y, *m),
            ([a, _, _], [y, m, _]) if a.len() == 4 => (*y, *m),
            _ => return Err(DomainError::PeriodInvalid),
        };
        if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) {
            return Err(DomainError::PeriodInvalid);
        }
        Ok(Period {
            year: y as u16,
            month: m as u8,
        })
    }

    pub fn new(year: u16, month: u8) -> Option<Period> {
        ((2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Period { year, month })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    /// The month before (a calendar month: [`Calendar::previous`] steps by the cycle).
    pub fn previous(self) -> Period {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month after (a calendar month: [`Calendar::next`] steps by the cycle).
    pub fn next(self) -> Period {
        if self.month == 12 {
            Period {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Period {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month's first and last day ([`Calendar::last_day`] for a longer period's).
    pub fn first_day(self) -> String {
        format!("{:04}-{:02}-01", self.year, self.month)
    }
    pub fn last_day(self) -> String {
        let leap = (self.year.is_multiple_of(4) && !self.year.is_multiple_of(100))
            || self.year.is_multiple_of(400);
        let d = match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 31,
        };
        format!("{:04}-{:02}-{d:02}", self.year, self.month)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Period {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Period, DomainError> {
        Period::parse(&s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

/// How often a network reports: every month (the default), quarter, half year or year.
/// Periods follow the calendar: quarters start in January, April, July and October.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cycle {
    #[default]
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Cycle {
    pub const ALL: [Cycle; 4] = [
        Cycle::Monthly,
        Cycle::Quarterly,
        Cycle::HalfYearly,
        Cycle::Yearly,
    ];

    /// Months in one period.
    pub fn months(self) -> u8 {
        match self {
            Cycle::Monthly => 1,
            Cycle::Quarterly => 3,
            Cycle::HalfYearly => 6,
            Cycle::Yearly => 12,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Cycle::Monthly => "monthly",
            Cycle::Quarterly => "quarterly",
            Cycle::HalfYearly => "half-yearly",
            Cycle::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Result<Cycle, DomainError> {
        Cycle::ALL
            .into_iter()
            .find(|c| c.code() == s.trim())
            .ok_or(DomainError::CycleInvalid)
    }

    /// The first month of the period of this cycle that `month` falls in.
    pub fn start_of(self, month: Period) -> Period {
        let l = self.months();
        Period {
            year: month.year,
            month: (month.month - 1) / l * l + 1,
        }
    }

    /// The period's label: `2026-03`, `2026-Q1`, `2026-H2` or `2026`.
    pub fn label(self, p: Period) -> String {
        let p = self.start_of(p);
        match self {
            Cycle::Monthly => p.to_string(),
            Cycle::Quarterly => format!("{:04}-Q{}", p.year, (p.month - 1) / 3 + 1),
            Cycle::HalfYearly => format!("{:04}-H{}", p.year, (p.month - 1) / 6 + 1),
            Cycle::Yearly => format!("{:04}", p.year),
        }
    }
}

/// The network's reporting cycle over time: monthly until the first change, then each
/// change's cycle from the period it starts with. A change starts where a period of both
/// the old and the new cycle starts (monthly to quarterly in January, April, July or
/// October; anything to yearly in January), so no period straddles two cycles and the
/// history already reported keeps its meaning.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Calendar {
    /// (first month, cycle from then on), oldest first.
    changes: Vec<(Period, Cycle)>,
}

impl Calendar {
    /// Every period a month.
    pub fn monthly() -> Calendar {
        Calendar::default()
    }

    /// The calendar with these changes (as stored), whatever their order.
    pub fn new(changes: impl IntoIterator<Item = (Period, Cycle)>) -> Calendar {
        let mut changes: Vec<(Period, Cycle)> = changes.into_iter().collect();
        changes.sort_by_key(|(p, _)| *p);
        changes.dedup_by_key(|(p, _)| *p);
        Calendar { changes }
    }

    /// The changes, oldest first: (first month, cycle).
    pub fn changes(&self) -> &[(Period, Cycle)] {
        &self.changes
    }

    /// The cycle in force in `month`.
    pub fn cycle_at(&self, month: Period) -> Cycle {
        self.changes
            .iter()
            .rev()
            .find(|(s, _)| *s <= month)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }

    /// The period `month` falls in.
    pub fn period_of(&self, month: Period) -> Period {
        let start = self.cycle_at(month).start_of(month);
        // never before the change that set the cycle (only if a stored change is misaligned)
        match self.changes.iter().rev().find(|(s, _)| *s <= month) {
            Some((s, _)) if *s > start => *s,
            _ => start,
        }
    }

    /// Whether `p` is the first month of a period (what a stored period must be).
    pub fn is_start(&self, p: Period) -> bool {
        self.period_of(p) == p
    }

    /// The period after `p`'s.
    pub fn next(&self, p: Period) -> Period {
        let p = self.period_of(p);
        let mut n = p;
        for _ in 0..self.cycle_at(p).months() {
            n = n.next();
            if self.changes.iter().any(|(s, _)| *s == n) {
                break;
            }
        }
        self.period_of(n)
    }

    /// The period before `p`'s.
    pub fn previous(&self, p: Period) -> Period {
        self.period_of(self.period_of(p).previous())
    }

    /// The period's last month.
    pub fn last_month(&self, p: Period) -> Period {
        self.next(p).previous()
    }

    /// The period's first day (`YYYY-MM-DD`).
    pub fn first_day(&self, p: Period) -> String {
        self.period_of(p).first_day()
    }

    /// The period's last day (`YYYY-MM-DD`).
    pub fn last_day(&self, p: Period) -> String {
        self.last_month(p).last_day()
    }

    /// How people read the period: `2026-03`, `2026-Q1`, `2026-H2`, `2026`.
    pub fn label(&self, p: Period) -> String {
        let p = self.period_of(p);
        let c = self.cycle_at(p);
        if c.start_of(p) == p {
            c.label(p)
        } else {
            p.to_string()
        }
    }

    /// `n` periods ending with `p`'s, newest first.
    pub fn back_from(&self, p: Period, n: usize) -> Vec<Period> {
        let mut v = Vec::with_capacity(n);
        let mut p = self.period_of(p);
        for _ in 0..n {
            v.push(p);
            let q = self.previous(p);
            if q == p {
                break;
            }
            p = q;
        }
        v
    }

    /// Text as a period of this calendar: a month or a date inside a longer period is that
    /// period (`2026-05` is `2026-Q2` where the network reports quarterly); a span longer
    /// than the period in force (`2026-Q2` where it reports monthly) is refused with
    /// `period_not_in_cycle`, since it cannot be put into one period.
    pub fn parse(&self, s: &str) -> Result<Period, DomainError> {
        let (p, span) = Period::parse_span(s)?;
        if span > self.cycle_at(p).months() {
            return Err(DomainError::PeriodNotInCycle);
        }
        Ok(self.period_of(p))
    }

    /// This calendar with `cycle` from `start` on. `start` must begin a period of the cycle
    /// in force there and of the new one (`cycle_start_invalid` otherwise). Changes after
    /// `start` stay.
    pub fn with_change(&self, start: Period, cycle: Cycle) -> Result<Calendar, DomainError> {
        if !self.is_start(start) || cycle.start_of(start) != start {
            return Err(DomainError::CycleStartInvalid);
        }
        let mut changes = self.changes.clone();
        changes.retain(|(s, _)| *s != start);
        changes.push((start, cycle));
        Ok(Calendar::new(changes))
    }
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $err:ident { $($var:ident = $code:literal $(| $alt:literal)*),* $(,)? }) => {
        $(#[$m])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($var),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),*];
            /// The stable code stored and exchanged.
            pub fn code(self) -> &'static str {
                match self { $($name::$var => $code),* }
            }
            /// The code, or a common way of writing it in Arabic, English or Turkish.
            pub fn parse(s: &str) -> Result<$name, DomainError> {
                // the code itself, as exports write it: no text analysis needed
                let t = s.trim();
                $(
                    if t == $code {
                        return Ok($name::$var);
                    }
                )*
                // every spelling's key, computed once
                static KEYS: std::sync::OnceLock<Vec<(String, $name)>> = std::sync::OnceLock::new();
                let keys = KEYS.get_or_init(|| {
                    let key = |w: &str| minbar_text::name_key(w).replace([' ', '-'], "_");
                    vec![$(
                        ($code.to_string(), $name::$var),
                        $( (key($alt), $name::$var), )*
                    )*]
                });
                let k = minbar_text::name_key(t).replace([' ', '-'], "_");
                keys.iter()
                    .find(|(w, _)| *w == k)
                    .map(|(_, v)| *v)
                    .ok_or(DomainError::$err)
            }
        }
    };
}

code_enum!(
    /// Where an activity stands.
    ActivityStatus, ActivityStatusInvalid {
        Planned = "planned" | "مخطط" | "مخطط له" | "planlandı" | "planlanan",
        Ongoing = "ongoing" | "جاري" | "قيد التنفيذ" | "in progress" | "devam ediyor" | "süren",
        Completed = "completed" | "منجز" | "مكتمل" | "done" | "tamamlandı",
        Suspended = "suspended" | "متوقف" | "معلق" | "askıya alındı" | "durduruldu",
    }
);

code_enum!(
    /// How help reaches people.
    Modality, ModalityInvalid {
        InKind = "in_kind" | "عيني" | "in kind" | "ayni",
        Cash = "cash" | "نقدي" | "cash transfer" | "nakit",
        Service = "service" | "خدمة" | "خدمات" | "services" | "hizmet",
    }
);

/// A count of people, split into women, men, girls and boys, with a total. Parts may be
/// missing (not everyone disaggregates); when all four are given, the total is their sum.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    pub women: Option<i64>,
    pub men: Option<i64>,
    pub girls: Option<i64>,
    pub boys: Option<i64>,
    pub total: Option<i64>,
}

impl People {
    /// Check and complete: negative counts are refused; a missing total is the sum of the
    /// parts; a total below the sum of the parts given is refused (`total_mismatch`), and a
    /// total different from the sum of all four parts too.
    pub fn checked(mut self) -> Result<People, DomainError> {
        let parts = [self.women, self.men, self.girls, self.boys];
        if parts.iter().chain([&self.total]).flatten().any(|n| *n < 0) {
            return Err(DomainError::CountNegative);
        }
        let sum: i64 = parts.iter().flatten().sum();
        let all = parts.iter().all(Option::is_some);
        match self.total {
            None if parts.iter().any(Option::is_some) => self.total = Some(sum),
            Some(t) if (all && t != sum) || t < sum => return Err(DomainError::TotalMismatch),
            _ => {}
        }
        Ok(self)
    }

    pub fn total_or_zero(&self) -> i64 {
        self.total.unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.total.is_none()
    }
}

/// A whole number of people as people write it: `350`, `٣٥٠`, `1,250`, `1 250`, `1٬250`,
/// `1.250` (a Turkish thousands point, when followed by exactly three digits), `12.0`.
pub fn parse_count(s: &str) -> Result<Option<i64>, DomainError> {
    let s = s.trim();
    // the common case, plain ASCII digits: no normalisation
    if !s.is_empty() && s.len() < 16 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map(Some).map_err(|_| DomainError::CountInvalid);
    }
    let t = minbar_text::arabic::normalize(s);
    if t.is_empty() {
        return Ok(None);
    }
    let negative = t.starts_with('-');
    let body = t.trim_start_matches(['-', '+']);
    let cleaned: String = body
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}' | '\u{66c}' | '\''))
        .collect();
    let value = if let Ok(n) = cleaned.parse::<i64>() {
        n
    } else if cleaned
        .split('.')
        .skip(1)
        .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
        && cleaned.contains('.')
    {
        cleaned
            .replace('.', "")
            .parse::<i64>()
            .map_err(|_| DomainError::CountInvalid)?
    } else {
        match cleaned.parse::<f64>() {
            Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => f as i64,
            _ => return Err(DomainError::CountInvalid),
        }
    };
    if negative && value != 0 {
        return Err(DomainError::CountNegative);
    }
    Ok(Some(value))
}

/// How severe a need is, 1 (minimal) to 5 (catastrophic), as in the JIAF scale.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Severity(u8);

impl Severity {
    pub fn parse(s: &str) -> Result<Severity, DomainError> {
        match parse_count(s) {
            Ok(Some(n)) if (1..=5).contains(&n) => Ok(Severity(n as u8)),
            _ => Err(DomainError::SeverityInvalid),
        }
    }
    pub fn new(n: u8) -> Option<Severity> {
        (1..=5).contains(&n).then_some(Severity(n))
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

/// An activity, checked, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityDraft {
    pub org: OrgId,
    pub period: Period,
    pub sector: SectorCode,
    /// The activity type's code within the sector, free text where the sector has no list.
    pub activity_type: Option<String>,
    pub area: AreaCode,
    pub partners: Option<String>,
    pub donor: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub status: ActivityStatus,
    pub modality: Option<Modality>,
    pub targeted: People,
    pub reached: People,
    pub households: Option<i64>,
    pub notes: Option<String>,
}

/// What an activity looks like as typed into a form or a file cell: text everywhere, the
/// organisation already resolved.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityInput {
    pub period: String,
    pub sector: String,
    #[serde(default)]
    pub activity_type: String,
    pub area: String,
    #[serde(default)]
    pub partners: String,
    #[serde(default)]
    pub donor: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub modality: String,
    #[serde(default)]
    pub targeted: [String; 5],
    #[serde(default)]
    pub reached: [String; 5],
    #[serde(default)]
    pub households: String,
    #[serde(default)]
    pub notes: String,
}

/// One entry of a sector's list of activity types ("water trucking" under WASH).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityType {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "wash"))]
    pub sector: SectorCode,
    /// Short and stable, `[a-z0-9_-]`, unique within the sector: what activities store.
    pub code: String,
    pub name: crate::I18nText,
}

impl ActivityType {
    /// Check a type as typed into the sector's form: a code and at least one name.
    pub fn parse(
        sector: SectorCode,
        code: &str,
        name: &crate::I18nText,
    ) -> Result<ActivityType, FieldErrors> {
        let mut e = FieldErrors::default();
        let code = code.trim().to_ascii_lowercase();
        if code.is_empty()
            || code.len() > 40
            || !code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            e.push("code", DomainError::ActivityTypeCodeInvalid.code());
        }
        let mut out = crate::I18nText::default();
        for l in crate::Lang::ALL {
            let v = e
                .take(
                    &format!("name_{}", l.code()),
                    text(name.get_exact(l).unwrap_or(""), 120),
                )
                .flatten();
            match l {
                crate::Lang::Ar => out.ar = v,
                crate::Lang::En => out.en = v,
                crate::Lang::Tr => out.tr = v,
            }
        }
        if out.is_empty() && e.get("name_ar").is_none() {
            e.push("name_ar", DomainError::NameRequired.code());
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ActivityType {
            sector,
            code,
            name: out,
        })
    }
}

/// The network's lists of activity types, by sector. A sector with a list takes only its
/// types (by code or by a name in any language, Arabic-normalised); a sector without one
/// takes free text, as before lists existed.
#[derive(Debug, Clone, Default)]
pub struct ActivityTypes {
    list: Vec<ActivityType>,
    /// sector → code or name exactly as written → index: the common case, looked up
    /// without normalising or allocating (an import asks once per row)
    exact: std::collections::HashMap<String, std::collections::HashMap<String, usize>>,
    /// sector → name key → index
    keys: std::collections::HashMap<String, std::collections::HashMap<String, usize>>,
}

impl ActivityTypes {
    pub fn new(list: Vec<ActivityType>) -> ActivityTypes {
        let mut exact: std::collections::HashMap<_, std::collections::HashMap<_, _>> =
            Default::default();
        let mut keys: std::collections::HashMap<_, std::collections::HashMap<_, _>> =
            Default::default();
        for (i, t) in list.iter().enumerate() {
            let s = t.sector.as_str().to_string();
            let names = [
                t.name.ar.as_deref(),
                t.name.en.as_deref(),
                t.name.tr.as_deref(),
            ];
            for written in std::iter::once(t.code.as_str()).chain(names.into_iter().flatten()) {
                exact
                    .entry(s.clone())
                    .or_default()
                    .entry(written.to_string())
                    .or_insert(i);
                keys.entry(s.clone())
                    .or_default()
                    .entry(minbar_text::name_key(written))
                    .or_insert(i);
            }
        }
        ActivityTypes { list, exact, keys }
    }

    /// Every type of every sector, in the order given.
    pub fn all(&self) -> &[ActivityType] {
        &self.list
    }

    /// The types of one sector.
    pub fn of<'a>(&'a self, sector: &'a str) -> impl Iterator<Item = &'a ActivityType> + 'a {
        self.list
            .iter()
            .filter(move |t| t.sector.as_str() == sector)
    }

    /// Does this sector have a list (and so refuse anything else)?
    pub fn has_list(&self, sector: &str) -> bool {
        self.exact.contains_key(sector)
    }

    /// The sector's type written `text` (its code, or a name in any language).
    pub fn find(&self, sector: &str, text: &str) -> Option<&ActivityType> {
        let t = text.trim();
        let exact = self.exact.get(sector)?;
        exact
            .get(t)
            .or_else(|| self.keys.get(sector)?.get(&minbar_text::name_key(t)))
            .map(|i| &self.list[*i])
    }

    /// What a new type of `sector` would collide with on this list: its code taken
    /// (`code`), or a name another type already has (`name_ar`, `name_en`, `name_tr`),
    /// every collision at once.
    pub fn clashes(&self, sector: &str, code: &str, name: &crate::I18nText) -> FieldErrors {
        let mut e = FieldErrors::default();
        if self.of(sector).any(|o| o.code == code.trim()) {
            e.push("code", "activity_type_code_taken");
        }
        for (field, n) in [
            ("name_ar", &name.ar),
            ("name_en", &name.en),
            ("name_tr", &name.tr),
        ] {
            if n.as_deref()
                .is_some_and(|n| !n.trim().is_empty() && self.find(sector, n).is_some())
            {
                e.push(field, "activity_type_name_taken");
            }
        }
        e
    }

    /// What an activity of `sector` stores for the type written `text`: nothing when
    /// empty, the type's code when the sector has a list and it is on it, the text itself
    /// when the sector has no list; `activity_type_unknown` otherwise.
    pub fn resolve(&self, sector: &str, text: &str) -> Result<Option<String>, DomainError> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        if let Some(found) = self.find(sector, t) {
            return Ok(Some(found.code.clone()));
        }
        if self.has_list(sector) {
            return Err(DomainError::ActivityTypeUnknown);
        }
        Ok(Some(t.to_string()))
    }

    /// How to show a stored type: its name in `lang` when the sector lists it, else the
    /// stored text.
    pub fn label<'a>(&'a self, sector: &str, stored: &'a str, lang: crate::Lang) -> &'a str {
        match self
            .exact
            .get(sector)
            .and_then(|m| m.get(stored))
            .map(|i| &self.list[*i])
        {
            Some(t) if t.code == stored => t.name.get(lang),
            _ => stored,
        }
    }
}

/// A warning that does not stop an activity from being saved.
pub const WARN_REACHED_ABOVE_TARGETED: &str = "reached_above_targeted";

/// The field names of a figure's five parts, by figure (no formatting per row: an
/// import checks a million rows).
pub fn people_fields(prefix: &str) -> [&'static str; 5] {
    match prefix {
        "targeted" => [
            "targeted.women",
            "targeted.men",
            "targeted.girls",
            "targeted.boys",
            "targeted.total",
        ],
        "reached" => [
            "reached.women",
            "reached.men",
            "reached.girls",
            "reached.boys",
            "reached.total",
        ],
        _ => [
            "in_need.women",
            "in_need.men",
            "in_need.girls",
            "in_need.boys",
            "in_need.total",
        ],
    }
}

fn people(fields: &[String; 5], prefix: &str, e: &mut FieldErrors) -> People {
    let names = people_fields(prefix);
    let mut v = [None; 5];
    for (i, f) in fields.iter().enumerate() {
        v[i] = e.take(names[i], parse_count(f)).flatten();
    }
    let p = People {
        women: v[0],
        men: v[1],
        girls: v[2],
        boys: v[3],
        total: v[4],
    };
    e.take(names[4], p.checked()).unwrap_or(p)
}

fn text(s: &str, max: usize) -> Result<Option<String>, DomainError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max {
        return Err(DomainError::TextTooLong);
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(DomainError::ControlChars);
    }
    Ok(Some(t.to_string()))
}

impl ActivityInput {
    /// Check every field; all errors at once, by field. Warnings (reached above targeted)
    /// come back with the draft.
    ///
    /// The type is checked against the sector's list in `types` (and stored as the type's
    /// code) when the sector has one.
    pub fn parse(
        &self,
        org: OrgId,
        types: &ActivityTypes,
    ) -> Result<(ActivityDraft, Vec<String>), FieldErrors> {
        let mut e = FieldErrors::default();
        let period = e.take("period", Period::parse(&self.period));
        let sector = e.take("sector", SectorCode::parse(&self.sector));
        let area = e.take("area", AreaCode::parse(&self.area));
        let activity_type = e
            .take("activity_type", text(&self.activity_type, 120))
            .flatten()
            .and_then(|t| {
                let s = sector.as_ref()?;
                e.take("activity_type", types.resolve(s.as_str(), &t))
                    .flatten()
            });
        let partners = e.take("partners", text(&self.partners, 500)).flatten();
        let donor = e.take("donor", text(&self.donor, 200)).flatten();
        let start = e.take("start", parse_date_loose(&self.start)).flatten();
        let end = e.take("end", parse_date_loose(&self.end)).flatten();
        if let (Some(s), Some(en)) = (&start, &end) {
            if en < s {
                e.push("end", DomainError::EndBeforeStart.code());
            }
        }
        let status = if self.status.trim().is_empty() {
            Some(ActivityStatus::Ongoing)
        } else {
            e.take("status", ActivityStatus::parse(&self.status))
        };
        let modality = if self.modality.trim().is_empty() {
            None
        } else {
            e.take("modality", Modality::parse(&self.modality))
        };
        let targeted = people(&self.targeted, "targeted", &mut e);
        let reached = people(&self.reached, "reached", &mut e);
        let households = e
            .take("households", parse_count(&self.households))
            .flatten();
        let notes = e.take("notes", text(&self.notes, 4000)).flatten();
        if !e.is_empty() {
            return Err(e);
        }
        let mut warnings = Vec::new();
        if let (Some(t), Some(r)) = (targeted.total, reached.total) {
            if r > t {
                warnings.push(WARN_REACHED_ABOVE_TARGETED.to_string());
            }
        }
        Ok((
            ActivityDraft {
                org,
                period: period.expect("checked"),
                sector: sector.expect("checked"),
                activity_type,
                area: area.expect("checked"),
                partners,
                donor,
                start,
                end,
                status: status.expect("checked"),
                modality,
                targeted,
                reached,
                households,
                notes,
            },
            warnings,
        ))
    }
}

impl ActivityDraft {
    /// What makes two activities the same one, so that importing a file twice adds
    /// nothing: organisation, period, sector, type, area, modality and donor.
    pub fn natural_key(&self) -> String {
        self.natural_key_memo(&mut KeyMemo::default())
    }

    /// [`ActivityDraft::natural_key`], remembering the name keys of types and donors
    /// across calls (an import of a million rows has a few hundred distinct ones).
    pub fn natural_key_memo(&self, memo: &mut KeyMemo) -> String {
        use std::fmt::Write as _;
        // "org|period|sector|type|area|modality|donor", built in place (a million-row
        // import builds a million); stored keys depend on this exact text
        let mut k = String::with_capacity(80);
        let _ = write!(k, "{}|{}|", self.org.0, self.period);
        k.push_str(self.sector.as_str());
        k.push('|');
        if let Some(t) = &self.activity_type {
            memo.push_key(&mut k, t);
        }
        k.push('|');
        k.push_str(self.area.as_str());
        k.push('|');
        k.push_str(self.modality.map(|m| m.code()).unwrap_or(""));
        k.push('|');
        if let Some(d) = &self.donor {
            memo.push_key(&mut k, d);
        }
        k
    }
}

/// Name keys already computed, by the text they were computed from.
#[derive(Debug, Default)]
pub struct KeyMemo(std::collections::HashMap<String, String>);

impl KeyMemo {
    /// Append the name key of `s` to `out`.
    pub fn push_key(&mut self, out: &mut String, s: &str) {
        if let Some(k) = self.0.get(s) {
            out.push_str(k);
            return;
        }
        let k = self.key(s);
        out.push_str(&k);
    }

    pub fn key(&mut self, s: &str) -> String {
        if let Some(k) = self.0.get(s) {
            return k.clone();
        }
        let k = minbar_text::name_key(s);
        if self.0.len() < 100_000 {
            self.0.insert(s.to_string(), k.clone());
        }
        k
    }
}

/// A date as people and spreadsheets write it: `2026-03-01`, `01/03/2026` (day first, as
/// in Syria and Türkiye), `1.3.2026`, an Excel serial day number (`46082`), Arabic digits.
pub fn parse_date_loose(s: &str) -> Result<Option<Date>, DomainError> {
    let s = s.trim();
    if s.len() == 10 && s.is_ascii() {
        if let Ok(d) = Date::parse(s) {
            return Ok(Some(d));
        }
    }
    let t = minbar_text::arabic::normalize(s);
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(d) = Date::parse(&t) {
        return Ok(Some(d));
    }
    // an ISO date-time
    if t.len() > 10
        && t.as_bytes()
            .get(10)
            .is_some_and(|b| *b == b'T' || *b == b' ')
    {
        if let Ok(d) = Date::parse(&t[..10]) {
            return Ok(Some(d));
        }
    }
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    if let [d, m, y] = parts.as_slice() {
        if y.len() == 4 {
            return Date::parse(&format!("{y}-{m}-{d}")).map(Some);
        }
    }
    if let Ok(serial) = t.parse::<f64>() {
        // Excel: days since 1899-12-30; 1 Jan 2000 is 36526, 31 Dec 2100 is 73415
        if (36_526.0..=73_415.0).contains(&serial) {
            let days = serial.floor() as i64 - 25_569; // since 1970-01-01
            let z = days + 719_468;
            let era = z.div_euclid(146_097);
            let doe = z - era * 146_097;
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            let mp = (5 * doy + 2) / 153;
            let d = doy - (153 * mp + 2) / 5 + 1;
            let m = if mp < 10 { mp + 3 } else { mp - 9 };
            let y = yoe + era * 400 + i64::from(m <= 2);
            return Date::parse(&format!("{y:04}-{m:02}-{d:02}")).map(Some);
        }
    }
    Err(DomainError::DateInvalid)
}

/// A need, checked: people in need in an area and sector, for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedDraft {
    pub area: AreaCode,
    pub sector: SectorCode,
    pub period: Period,
    pub in_need: People,
    pub severity: Severity,
    pub source: Option<String>,
}

/// A need as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NeedInput {
    pub area: String,
    pub sector: String,
    pub period: String,
    #[serde(default)]
    pub in_need: [String; 5],
    pub severity: String,
    #[serde(default)]
    pub source: String,
}

impl NeedInput {
    pub fn parse(&self) -> Result<NeedDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let area = e.take("area", AreaCode::parse(&self.area));
        let sector = e.take("sector", SectorCode::parse(&self.sector));
        let period = e.take("period", Period::parse(&self.period));
        let in_need = people(&self.in_need, "in_need", &mut e);
        if in_need.total.is_none() && e.get("in_need.total").is_none() {
            e.push("in_need.total", DomainError::CountRequired.code());
        }
        let severity = e.take("severity", Severity::parse(&self.severity));
        let source = e.take("source", text(&self.source, 300)).flatten();
        if !e.is_empty() {
            return Err(e);
        }
        Ok(NeedDraft {
            area: area.expect("checked"),
            sector: sector.expect("checked"),
            period: period.expect("checked"),
            in_need,
            severity: severity.expect("checked"),
            source,
        })
    }
}

/// Where a reporting round stands for one organisation and period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundState {
    NotStarted,
    Draft,
    Submitted,
    Validated,
    Returned,
}

impl RoundState {
    pub fn code(self) -> &'static str {
        match self {
            RoundState::NotStarted => "not_started",
            RoundState::Draft => "draft",
            RoundState::Submitted => "submitted",
            RoundState::Validated => "validated",
            RoundState::Returned => "returned",
        }
    }
    pub fn parse(s: &str) -> Option<RoundState> {
        [
            RoundState::NotStarted,
            RoundState::Draft,
            RoundState::Submitted,
            RoundState::Validated,
            RoundState::Returned,
        ]
        .into_iter()
        .find(|r| r.code() == s)
    }
    /// May a focal point change the organisation's activities for the period?
    pub fn editable(self) -> bool {
        matches!(
            self,
            RoundState::NotStarted | RoundState::Draft | RoundState::Returned
        )
    }
}

/// One cell of the 4W matrix: an area (first level) and a sector in a period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageCell {
    pub area: String,
    pub sector: String,
    pub organisations: i64,
    pub activities: i64,
    pub targeted: i64,
    pub reached: i64,
    pub people_in_need: Option<i64>,
    pub severity: Option<u8>,
}

impl CoverageCell {
    /// Reached as a share of people in need, in percent (None without a need figure).
    pub fn coverage(&self) -> Option<f64> {
        match self.people_in_need {
            Some(p) if p > 0 => Some(100.0 * self.reached as f64 / p as f64),
            _ => None,
        }
    }

    /// A gap: severity 4 or 5 and under half the people in need reached (or nobody
    /// working there at all).
    pub fn is_gap(&self) -> bool {
        self.severity.is_some_and(|s| s >= GAP_SEVERITY)
            && self.coverage().is_none_or(|c| c < GAP_COVERAGE)
    }
}

/// The severity from which an under-covered need is listed as a gap.
pub const GAP_SEVERITY: u8 = 4;
/// The coverage (percent) under which a severe need is listed as a gap.
pub const GAP_COVERAGE: f64 = 50.0;

/// A stored activity, as pages and the API show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    pub id: ActivityId,
    pub org: OrgId,
    pub org_acronym: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03"))]
    pub period: Period,
    pub sector: String,
    pub activity_type: Option<String>,
    pub area: String,
    /// The first-level area the activity falls in.
    pub adm1: String,
    pub partners: Option<String>,
    pub donor: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub status: ActivityStatus,
    pub modality: Option<Modality>,
    pub targeted: People,
    pub reached: People,
    pub households: Option<i64>,
    pub notes: Option<String>,
    pub version: i64,
    pub updated_at: i64,
}

impl Activity {
    /// The activity as a form shows it, to edit or to copy into another period.
    pub fn to_input(&self) -> ActivityInput {
        let n = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        let p = |x: &People| [n(x.women), n(x.men), n(x.girls), n(x.boys), n(x.total)];
        ActivityInput {
            period: self.period.to_string(),
            sector: self.sector.clone(),
            activity_type: self.activity_type.clone().unwrap_or_default(),
            area: self.area.clone(),
            partners: self.partners.clone().unwrap_or_default(),
            donor: self.donor.clone().unwrap_or_default(),
            start: self.start.clone().unwrap_or_default(),
            end: self.end.clone().unwrap_or_default(),
            status: self.status.code().to_string(),
            modality: self
                .modality
                .map(|m| m.code().to_string())
                .unwrap_or_default(),
            targeted: p(&self.targeted),
            reached: p(&self.reached),
            households: n(self.households),
            notes: self.notes.clone().unwrap_or_default(),
        }
    }
}

/// A stored need.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Need {
    pub id: NeedId,
    pub area: String,
    pub adm1: String,
    pub sector: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03"))]
    pub period: Period,
    pub in_need: People,
    #[cfg_attr(feature = "openapi", schema(value_type = u8, minimum = 1, maximum = 5))]
    pub severity: Severity,
    pub source: Option<String>,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_as_people_write_them() {
        for s in ["2026-03", "2026/3", "03/2026", "٢٠٢٦-٠٣", "2026-03-15"] {
            assert_eq!(Period::parse(s).unwrap().to_string(), "2026-03", "{s}");
        }
        for s in ["2026-13", "26-03", "march", "", "1999-01"] {
            assert!(Period::parse(s).is_err(), "{s}");
        }
        let p = Period::parse("2026-01").unwrap();
        assert_eq!(p.previous().to_string(), "2025-12");
        assert_eq!(p.previous().next(), p);
        assert_eq!(Period::parse("2024-02").unwrap().last_day(), "2024-02-29");
    }

    #[test]
    fn quarters_and_halves_are_read_as_their_first_month() {
        for (s, want) in [
            ("2026-Q1", "2026-01"),
            ("2026 q2", "2026-04"),
            ("Q3-2026", "2026-07"),
            ("Q4 2026", "2026-10"),
            ("٢٠٢٦-Q2", "2026-04"),
            ("2026-H2", "2026-07"),
        ] {
            assert_eq!(Period::parse(s).unwrap().to_string(), want, "{s}");
        }
        for s in ["2026-Q5", "2026-Q0", "2026-H3", "2026-Qx", "2026", "Q1"] {
            assert!(Period::parse(s).is_err(), "{s}");
        }
        assert_eq!(Period::parse_span("2026").unwrap().1, 12);
    }

    #[test]
    fn a_calendar_steps_labels_and_snaps_by_the_cycle_in_force() {
        let p = |s: &str| Period::parse(s).unwrap();
        // monthly through 2026, quarterly in 2027, yearly from 2028
        let cal = Calendar::monthly()
            .with_change(p("2027-01"), Cycle::Quarterly)
            .unwrap()
            .with_change(p("2028-01"), Cycle::Yearly)
            .unwrap();
        assert_eq!(cal.label(p("2026-11")), "2026-11");
        assert_eq!(cal.label(p("2027-05")), "2027-Q2");
        assert_eq!(cal.period_of(p("2027-05")), p("2027-04"));
        assert_eq!(cal.label(p("2028-09")), "2028");
        // stepping crosses the changes
        assert_eq!(cal.next(p("2026-12")), p("2027-01"));
        assert_eq!(cal.previous(p("2027-01")), p("2026-12"));
        assert_eq!(cal.next(p("2027-10")), p("2028-01"));
        assert_eq!(cal.previous(p("2028-01")), p("2027-10"));
        assert_eq!(cal.next(p("2028-01")), p("2029-01"));
        assert_eq!(cal.last_day(p("2027-04")), "2027-06-30");
        assert_eq!(cal.last_day(p("2028-01")), "2028-12-31");
        assert_eq!(
            cal.back_from(p("2027-05"), 4),
            vec![p("2027-04"), p("2027-01"), p("2026-12"), p("2026-11")]
        );
        // text: a month inside a quarter is the quarter; a quarter where months are
        // reported is refused; a year where years are reported is read
        assert_eq!(cal.parse("2027-05-17").unwrap(), p("2027-04"));
        assert_eq!(cal.parse("2027-Q3").unwrap(), p("2027-07"));
        assert_eq!(cal.parse("2026-Q3"), Err(DomainError::PeriodNotInCycle));
        assert_eq!(cal.parse("2028").unwrap(), p("2028-01"));
        assert_eq!(cal.parse("2027"), Err(DomainError::PeriodNotInCycle));
        // a change must start a period of both cycles
        assert_eq!(
            cal.with_change(p("2027-02"), Cycle::Monthly),
            Err(DomainError::CycleStartInvalid)
        );
        assert_eq!(
            cal.with_change(p("2027-04"), Cycle::HalfYearly),
            Err(DomainError::CycleStartInvalid)
        );
        assert!(cal.with_change(p("2027-07"), Cycle::HalfYearly).is_ok());
        // a calendar from stored rows whatever their order
        assert_eq!(Calendar::new(cal.changes().iter().rev().copied()), cal);
        for c in Cycle::ALL {
            assert_eq!(Cycle::parse(c.code()), Ok(c));
        }
    }

    #[test]
    fn every_month_of_a_period_belongs_to_it_and_stepping_round_trips() {
        let p = |s: &str| Period::parse(s).unwrap();
        for c in Cycle::ALL {
            let cal = Calendar::monthly().with_change(p("2025-01"), c).unwrap();
            let mut q = p("2025-01");
            for _ in 0..30 {
                let n = cal.next(q);
                assert_eq!(cal.previous(n), q, "{c:?} {q}");
                let mut m = q;
                while m < n {
                    assert_eq!(cal.period_of(m), q, "{c:?} {m}");
                    m = m.next();
                }
                q = n;
            }
        }
    }

    #[test]
    fn counts_in_arabic_digits_and_with_separators() {
        assert_eq!(parse_count("٣٥٠"), Ok(Some(350)));
        assert_eq!(parse_count("1,250"), Ok(Some(1250)));
        assert_eq!(parse_count("1 250"), Ok(Some(1250)));
        assert_eq!(parse_count("١٬٢٥٠"), Ok(Some(1250)));
        assert_eq!(parse_count("1.250"), Ok(Some(1250)));
        assert_eq!(parse_count("12.0"), Ok(Some(12)));
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count("-5"), Err(DomainError::CountNegative));
        assert_eq!(parse_count("12.5"), Err(DomainError::CountInvalid));
        assert_eq!(parse_count("many"), Err(DomainError::CountInvalid));
    }

    #[test]
    fn totals_must_agree_with_their_parts() {
        let p = People {
            women: Some(10),
            men: Some(5),
            ..Default::default()
        };
        assert_eq!(p.checked().unwrap().total, Some(15));
        let p = People {
            women: Some(10),
            men: Some(5),
            girls: Some(1),
            boys: Some(1),
            total: Some(20),
        };
        assert_eq!(p.checked(), Err(DomainError::TotalMismatch));
        let p = People {
            women: Some(10),
            total: Some(5),
            ..Default::default()
        };
        assert_eq!(p.checked(), Err(DomainError::TotalMismatch));
        let p = People {
            total: Some(5),
            ..Default::default()
        };
        assert_eq!(p.checked().unwrap().total, Some(5));
    }

    #[test]
    fn dates_as_excel_and_people_write_them() {
        let d = |s: &str| parse_date_loose(s).unwrap().unwrap().as_str().to_string();
        assert_eq!(d("2026-03-01"), "2026-03-01");
        assert_eq!(d("01/03/2026"), "2026-03-01");
        assert_eq!(d("1.3.2026"), "2026-03-01");
        assert_eq!(d("46082"), "2026-03-01");
        assert_eq!(d("٠١/٠٣/٢٠٢٦"), "2026-03-01");
        assert_eq!(d("2026-03-01T10:00:00"), "2026-03-01");
        assert!(parse_date_loose("31/02/2026").is_err());
        // the ASCII fast path checks the calendar too
        assert!(parse_date_loose("2026-02-30").is_err());
        assert!(parse_date_loose("2026-13-01").is_err());
        assert!(Date::parse("1700-01-01").is_err());
        assert_eq!(Date::parse(" 2028-02-29 ").unwrap().as_str(), "2028-02-29");
        assert!(parse_date_loose("soon").is_err());
    }

    #[test]
    fn an_activity_with_every_problem_reports_each_field() {
        let input = ActivityInput {
            period: "2026-13".into(),
            sector: "wash".into(),
            area: "SY-ID".into(),
            start: "2026-03-10".into(),
            end: "2026-03-01".into(),
            status: "sideways".into(),
            targeted: ["10".into(), "".into(), "".into(), "".into(), "5".into()],
            reached: ["-1".into(), "".into(), "".into(), "".into(), "".into()],
            ..Default::default()
        };
        let e = input
            .parse(OrgId(1), &ActivityTypes::default())
            .unwrap_err();
        for f in ["period", "end", "status", "targeted.total", "reached.women"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        assert_eq!(e.get("end"), Some("end_before_start"));
    }

    #[test]
    fn a_sector_with_a_list_takes_only_its_types_by_code_or_any_name() {
        let wash = SectorCode::parse("wash").unwrap();
        let name = |ar: &str, en: &str| crate::I18nText {
            ar: Some(ar.into()),
            en: Some(en.into()),
            tr: None,
        };
        let types = ActivityTypes::new(vec![
            ActivityType::parse(
                wash.clone(),
                " Trucking ",
                &name("نقل المياه بالصهاريج", "Water trucking"),
            )
            .unwrap(),
            ActivityType::parse(
                wash,
                "hygiene-kits",
                &name("توزيع سلال النظافة", "Hygiene kits"),
            )
            .unwrap(),
        ]);
        assert_eq!(types.of("wash").count(), 2);
        // by code, by name in either language, Arabic-normalised (ة/ه, hamza, spaces)
        for written in [
            "trucking",
            "Water Trucking",
            "نقل المياه بالصهاريج",
            " نقل  المياة بالصهاريج",
        ] {
            assert_eq!(
                types.resolve("wash", written),
                Ok(Some("trucking".into())),
                "{written}"
            );
        }
        assert_eq!(
            types.resolve("wash", "توزيع خيام"),
            Err(DomainError::ActivityTypeUnknown)
        );
        // a sector without a list takes free text; nothing stays nothing
        assert_eq!(
            types.resolve("health", "عيادة متنقلة"),
            Ok(Some("عيادة متنقلة".into()))
        );
        assert_eq!(types.resolve("wash", "  "), Ok(None));
        assert_eq!(
            types.label("wash", "trucking", crate::Lang::Ar),
            "نقل المياه بالصهاريج"
        );
        assert_eq!(
            types.label("health", "عيادة متنقلة", crate::Lang::En),
            "عيادة متنقلة"
        );
        // and an activity form on the list's sector refuses a type that is not on it
        let input = ActivityInput {
            period: "2026-03".into(),
            sector: "wash".into(),
            activity_type: "توزيع خيام".into(),
            area: "SY-ID".into(),
            ..Default::default()
        };
        let e = input.parse(OrgId(1), &types).unwrap_err();
        assert_eq!(e.get("activity_type"), Some("activity_type_unknown"));
        let bad = ActivityType::parse(
            SectorCode::parse("wash").unwrap(),
            "no spaces",
            &crate::I18nText::default(),
        )
        .unwrap_err();
        assert_eq!(bad.get("code"), Some("activity_type_code_invalid"));
        assert_eq!(bad.get("name_ar"), Some("name_required"));
    }

    #[test]
    fn the_natural_key_keeps_its_stored_form() {
        // stored key hashes depend on this text: it must not change
        let input = ActivityInput {
            period: "2026-03".into(),
            sector: "wash".into(),
            area: "SY-ID".into(),
            activity_type: "نقل المياه".into(),
            modality: "cash".into(),
            donor: " ECHO ".into(),
            ..Default::default()
        };
        let (d, _) = input.parse(OrgId(7), &ActivityTypes::default()).unwrap();
        let want = format!(
            "7|2026-03|wash|{}|SY-ID|cash|{}",
            minbar_text::name_key("نقل المياه"),
            minbar_text::name_key("ECHO")
        );
        assert_eq!(d.natural_key(), want);
        let mut memo = KeyMemo::default();
        assert_eq!(d.natural_key_memo(&mut memo), want);
        assert_eq!(d.natural_key_memo(&mut memo), want, "from the memo too");
        let bare = ActivityDraft {
            activity_type: None,
            donor: None,
            modality: None,
            ..d
        };
        assert_eq!(bare.natural_key(), "7|2026-03|wash||SY-ID||");
    }

    #[test]
    fn statuses_and_modalities_in_three_languages() {
        assert_eq!(
            ActivityStatus::parse("قيد التنفيذ"),
            Ok(ActivityStatus::Ongoing)
        );
        assert_eq!(
            ActivityStatus::parse("Completed"),
            Ok(ActivityStatus::Completed)
        );
        assert_eq!(Modality::parse("نقدي"), Ok(Modality::Cash));
        assert_eq!(Modality::parse("in-kind"), Ok(Modality::InKind));
        assert_eq!(Modality::parse("Nakit"), Ok(Modality::Cash));
    }

    #[test]
    fn reached_above_targeted_is_a_warning_and_gaps_need_severity() {
        let input = ActivityInput {
            period: "2026-03".into(),
            sector: "health".into(),
            area: "SY-ID".into(),
            targeted: ["".into(), "".into(), "".into(), "".into(), "100".into()],
            reached: ["".into(), "".into(), "".into(), "".into(), "150".into()],
            ..Default::default()
        };
        let (d, w) = input.parse(OrgId(1), &ActivityTypes::default()).unwrap();
        assert_eq!(w, vec![WARN_REACHED_ABOVE_TARGETED.to_string()]);
        assert_eq!(d.status, ActivityStatus::Ongoing);
        let mut c = CoverageCell {
            area: "SY-ID".into(),
            sector: "health".into(),
            organisations: 1,
            activities: 1,
            targeted: 100,
            reached: 150,
            people_in_need: Some(1000),
            severity: Some(4),
        };
        assert!(c.is_gap());
        c.reached = 600;
        assert!(!c.is_gap());
        c.severity = Some(3);
        c.reached = 0;
        assert!(!c.is_gap());
    }
}
