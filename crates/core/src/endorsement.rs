//! Endorsement of proposals by member organisations: the rules a coordinator sets per
//! kind of proposal, the answering window, and the outcome computed at closing.
//!
//! Endorsement is by organisation, not by person: each organisation has at most one
//! answer (support, object, abstain), which it may change until closing; the last answer
//! counts. The outcome:
//!
//! - **no quorum** when the organisations that answered (abstentions included) are fewer
//!   than `quorum` of the member organisations;
//! - otherwise **adopted** when support reaches the `threshold` among those that took a
//!   side (support + object; abstentions count for the quorum, not for the threshold),
//!   **rejected** otherwise — also when nobody took a side. With a "more than" threshold a
//!   tie is rejected; with "at least" it is adopted.

use crate::error::DomainError;
use crate::ids::OrgId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A share of a whole, kept exactly as a fraction (2/3 stays two thirds; 66.67 % is
/// 6,667/10,000), between 0 and 1.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Share {
    num: u64,
    den: u64,
}

impl PartialEq for Share {
    fn eq(&self, other: &Share) -> bool {
        self.num * other.den == other.num * self.den
    }
}
impl Eq for Share {}

impl Share {
    pub const ZERO: Share = Share { num: 0, den: 1 };
    pub const HALF: Share = Share { num: 1, den: 2 };
    pub const TWO_THIRDS: Share = Share { num: 2, den: 3 };
    pub const ALL: Share = Share { num: 1, den: 1 };

    /// `50`, `50%`, `66.67 %`, `٥٠٪`, or a fraction `2/3`; between 0 and 100 %.
    pub fn parse(s: &str) -> Result<Share, DomainError> {
        let t: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
                '٪' => '%',
                '٫' => '.',
                c => c,
            })
            .filter(|c| !c.is_whitespace())
            .collect();
        let bad = DomainError::ShareInvalid;
        if let Some((a, b)) = t.split_once('/') {
            let (a, b): (u64, u64) = (a.parse().map_err(|_| bad)?, b.parse().map_err(|_| bad)?);
            if b == 0 || a > b || b > 1_000_000 {
                return Err(bad);
            }
            return Ok(Share { num: a, den: b });
        }
        let bp = {
            let n = t.strip_suffix('%').unwrap_or(&t);
            let (whole, frac) = n.split_once('.').unwrap_or((n, ""));
            if whole.is_empty() || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad);
            }
            let whole: u64 = whole.parse().map_err(|_| bad)?;
            let frac: u64 = format!("{frac:0<2}").parse().unwrap_or(0);
            if whole > 100 {
                return Err(bad);
            }
            whole * 100 + frac
        };
        if bp > 10_000 {
            return Err(bad);
        }
        Ok(Share {
            num: bp,
            den: 10_000,
        })
    }

    /// The share in basis points (hundredths of a per cent), rounded.
    pub fn basis_points(self) -> u64 {
        (self.num * 10_000 + self.den / 2) / self.den
    }

    /// The share in per cent as people write it: `50`, `66.67`.
    pub fn percent(self) -> String {
        let bp = self.basis_points();
        if bp.is_multiple_of(100) {
            format!("{}", bp / 100)
        } else {
            format!("{}.{:02}", bp / 100, bp % 100)
        }
    }

    /// Is `part` of `whole` at least this share? (Exact: no floating point.)
    fn reached_by(self, part: u64, whole: u64) -> bool {
        part * self.den >= self.num * whole
    }

    /// Is `part` of `whole` more than this share?
    fn exceeded_by(self, part: u64, whole: u64) -> bool {
        part * self.den > self.num * whole
    }
}

/// How support is measured against the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// Support must be more than the share (a simple majority is `MoreThan(50 %)`).
    MoreThan(Share),
    /// Support must be at least the share (`AtLeast(2/3)`).
    AtLeast(Share),
}

/// The rules of a kind of proposal, set by a coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// Share of the member organisations that must answer.
    pub quorum: Share,
    pub threshold: Threshold,
    /// Whether organisations see each other's answers while the window is open (else
    /// only after closing).
    pub answers_visible_while_open: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            quorum: Share::HALF,
            threshold: Threshold::MoreThan(Share::HALF),
            answers_visible_while_open: false,
        }
    }
}

/// One organisation's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Support,
    Object,
    Abstain,
}

/// What an endorsement came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Adopted,
    Rejected,
    NoQuorum,
}

/// The answering window: answers are taken from `opens` (inclusive) to `closes`
/// (exclusive), Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    opens: i64,
    closes: i64,
}

impl Window {
    /// Refused when it closes before it opens, or opens and closes at once.
    pub fn new(opens: i64, closes: i64) -> Result<Window, DomainError> {
        if closes <= opens {
            return Err(DomainError::WindowInvalid);
        }
        Ok(Window { opens, closes })
    }
    pub fn opens(self) -> i64 {
        self.opens
    }
    pub fn closes(self) -> i64 {
        self.closes
    }
    /// May an answer be given (or changed) at `now`?
    pub fn accepts(self, now: i64) -> Result<(), DomainError> {
        if now < self.opens {
            Err(DomainError::EndorsementNotOpen)
        } else if now >= self.closes {
            Err(DomainError::EndorsementClosed)
        } else {
            Ok(())
        }
    }
    /// May answers be shown at `now` under `rules`?
    pub fn answers_visible(self, rules: &Rules, now: i64) -> bool {
        rules.answers_visible_while_open || now >= self.closes
    }
}

/// The answers of a proposal, one per organisation; later answers replace earlier ones,
/// and nothing is taken outside the window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ballot {
    answers: HashMap<OrgId, Answer>,
}

/// The counts behind an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub members: u32,
    pub support: u32,
    pub object: u32,
    pub abstain: u32,
}

impl Ballot {
    pub fn new() -> Ballot {
        Ballot::default()
    }

    /// Record `org`'s answer at `now`, replacing its earlier one; refused outside the
    /// window.
    pub fn answer(
        &mut self,
        window: Window,
        now: i64,
        org: OrgId,
        answer: Answer,
    ) -> Result<(), DomainError> {
        window.accepts(now)?;
        self.answers.insert(org, answer);
        Ok(())
    }

    pub fn answer_of(&self, org: OrgId) -> Option<Answer> {
        self.answers.get(&org).copied()
    }

    /// The counts, given how many member organisations may answer.
    pub fn tally(&self, members: u32) -> Tally {
        let count = |a: Answer| self.answers.values().filter(|x| **x == a).count() as u32;
        Tally {
            members,
            support: count(Answer::Support),
            object: count(Answer::Object),
            abstain: count(Answer::Abstain),
        }
    }
}

impl Tally {
    /// The outcome under `rules`.
    pub fn outcome(&self, rules: &Rules) -> Outcome {
        let answered = u64::from(self.support + self.object + self.abstain);
        if self.members == 0 || !rules.quorum.reached_by(answered, u64::from(self.members)) {
            return Outcome::NoQuorum;
        }
        let sided = u64::from(self.support + self.object);
        let support = u64::from(self.support);
        if sided == 0 {
            return Outcome::Rejected;
        }
        let passes = match rules.threshold {
            Threshold::MoreThan(s) => s.exceeded_by(support, sided),
            Threshold::AtLeast(s) => s.reached_by(support, sided),
        };
        if passes {
            Outcome::Adopted
        } else {
            Outcome::Rejected
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(members: u32, support: u32, object: u32, abstain: u32) -> Tally {
        Tally {
            members,
            support,
            object,
            abstain,
        }
    }

    #[test]
    fn shares_are_read_the_ways_people_write_them() {
        assert_eq!(Share::parse("50").unwrap(), Share::HALF);
        assert_eq!(Share::parse("50 %").unwrap(), Share::HALF);
        assert_eq!(Share::parse("٥٠٪").unwrap(), Share::HALF);
        assert_eq!(Share::parse("2/3").unwrap(), Share::TWO_THIRDS);
        assert_eq!(Share::parse("66.67").unwrap().basis_points(), 6_667);
        assert_eq!(Share::TWO_THIRDS.basis_points(), 6_667);
        assert_eq!(Share::parse("100%").unwrap(), Share::ALL);
        for bad in ["101", "150%", "3/2", "1/0", "-5", "half", "", "50.123", "%"] {
            assert_eq!(Share::parse(bad), Err(DomainError::ShareInvalid), "{bad}");
        }
    }

    #[test]
    fn quorum_counts_abstentions_and_threshold_does_not() {
        let rules = Rules::default(); // quorum 50 %, more than 50 % support
                                      // 40 members: 19 answers is below half
        assert_eq!(tally(40, 19, 0, 0).outcome(&rules), Outcome::NoQuorum);
        // 20 answers reach it, abstentions included
        assert_eq!(tally(40, 3, 2, 15).outcome(&rules), Outcome::Adopted);
        assert_eq!(tally(40, 2, 3, 15).outcome(&rules), Outcome::Rejected);
        // nobody took a side
        assert_eq!(tally(40, 0, 0, 20).outcome(&rules), Outcome::Rejected);
        assert_eq!(tally(0, 0, 0, 0).outcome(&rules), Outcome::NoQuorum);
    }

    #[test]
    fn ties_follow_the_kind_of_threshold() {
        let more = Rules::default();
        let at_least = Rules {
            threshold: Threshold::AtLeast(Share::HALF),
            ..Rules::default()
        };
        assert_eq!(tally(10, 3, 3, 0).outcome(&more), Outcome::Rejected);
        assert_eq!(tally(10, 3, 3, 0).outcome(&at_least), Outcome::Adopted);
        // two thirds is exact: 2 of 3 and 20 of 30 reach it, 19 of 29 does not
        let two_thirds = Rules {
            threshold: Threshold::AtLeast(Share::TWO_THIRDS),
            quorum: Share::ZERO,
            ..Rules::default()
        };
        assert_eq!(tally(40, 2, 1, 0).outcome(&two_thirds), Outcome::Adopted);
        assert_eq!(tally(40, 20, 10, 0).outcome(&two_thirds), Outcome::Adopted);
        assert_eq!(tally(40, 19, 10, 0).outcome(&two_thirds), Outcome::Rejected);
        // written as 66.67 %, it is a hair above two thirds: 2 of 3 falls short
        let typed = Rules {
            threshold: Threshold::AtLeast(Share::parse("66.67").unwrap()),
            ..two_thirds
        };
        assert_eq!(tally(40, 2, 1, 0).outcome(&typed), Outcome::Rejected);
        // unanimity
        let all = Rules {
            threshold: Threshold::AtLeast(Share::ALL),
            ..Rules::default()
        };
        assert_eq!(tally(4, 3, 1, 0).outcome(&all), Outcome::Rejected);
        assert_eq!(tally(4, 3, 0, 1).outcome(&all), Outcome::Adopted);
    }

    #[test]
    fn answers_change_until_closing_and_late_ones_are_refused() {
        let w = Window::new(1_000, 2_000).unwrap();
        let mut b = Ballot::new();
        let (a, c) = (OrgId(1), OrgId(2));
        assert_eq!(
            b.answer(w, 999, a, Answer::Support),
            Err(DomainError::EndorsementNotOpen)
        );
        b.answer(w, 1_000, a, Answer::Object).unwrap();
        b.answer(w, 1_500, c, Answer::Support).unwrap();
        b.answer(w, 1_999, a, Answer::Support).unwrap(); // changed its mind: the last counts
        assert_eq!(
            b.answer(w, 2_000, a, Answer::Object),
            Err(DomainError::EndorsementClosed)
        );
        assert_eq!(b.answer_of(a), Some(Answer::Support));
        let t = b.tally(3);
        assert_eq!((t.support, t.object, t.abstain), (2, 0, 0));
        assert_eq!(t.outcome(&Rules::default()), Outcome::Adopted);
    }

    #[test]
    fn hidden_answers_show_after_closing_only() {
        let w = Window::new(1_000, 2_000).unwrap();
        let hidden = Rules::default();
        let open = Rules {
            answers_visible_while_open: true,
            ..Rules::default()
        };
        assert!(!w.answers_visible(&hidden, 1_500));
        assert!(w.answers_visible(&hidden, 2_000));
        assert!(w.answers_visible(&open, 1_500));
    }

    #[test]
    fn a_window_closes_after_it_opens() {
        assert_eq!(Window::new(2_000, 1_000), Err(DomainError::WindowInvalid));
        assert_eq!(Window::new(1_000, 1_000), Err(DomainError::WindowInvalid));
    }
}
