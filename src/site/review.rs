//! Review status: when a document was last reviewed, when it must be reviewed next, and where
//! that leaves it on the as-of date. Computed once per document, in the model, for the pages
//! (the document-control panel), the home page's lists and `check` alike.

use serde::Serialize;

use crate::config::Config;
use crate::dates::{Day, Interval};
use crate::load::front_matter::FrontMatter;

/// Where a document stands against its next review date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    Overdue,
    DueSoon,
    Current,
    /// No next review date: neither `review_by` nor a last review with an interval.
    None,
}

impl ReviewStatus {
    /// The review badge's class (`review-badge overdue`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Overdue => "overdue",
            ReviewStatus::DueSoon => "due-soon",
            ReviewStatus::Current => "current",
            ReviewStatus::None => "none",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Overdue => "Overdue",
            ReviewStatus::DueSoon => "Due soon",
            ReviewStatus::Current => "Current",
            ReviewStatus::None => "No review date",
        }
    }
}

/// The review facts of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub last_reviewed: Option<Day>,
    /// The document's own interval, else its kind's default from handbook.yaml.
    pub interval: Option<Interval>,
    /// Whether `interval` is the kind's default.
    pub default_interval: bool,
    /// `review_by` if given, else `last_reviewed` + `interval`.
    pub next: Option<Day>,
    /// The first day the review counts as due soon (`next` minus the `due_soon` window), so
    /// that a reader's browser can re-evaluate the status by comparing dates alone.
    pub due_soon_from: Option<Day>,
    pub status: ReviewStatus,
    /// Days from the as-of date to `next`: negative when overdue.
    pub days_left: Option<i64>,
}

impl Review {
    pub fn of(front: &FrontMatter, config: &Config, as_of: Day) -> Review {
        let last_reviewed = front.last_reviewed.as_ref().map(|s| s.value);
        let own = front.review_every.as_ref().map(|s| s.value);
        let default = config.default_review.get(&front.kind).copied();
        let interval = own.or(default);
        let next = match &front.review_by {
            Some(by) => Some(by.value),
            None => last_reviewed.zip(interval).and_then(|(d, i)| i.after(d)),
        };
        let due_soon_from = next.and_then(|n| config.due_soon.start_of_window(n));
        Review {
            last_reviewed,
            interval,
            default_interval: own.is_none() && interval.is_some(),
            next,
            due_soon_from,
            status: status(next, due_soon_from, as_of),
            days_left: next.map(|n| as_of.days_until(n)),
        }
    }
}

/// The one rule, also written in the theme's script: overdue after the next review date, due
/// soon from the start of the window up to and including that date.
fn status(next: Option<Day>, due_soon_from: Option<Day>, as_of: Day) -> ReviewStatus {
    match next {
        None => ReviewStatus::None,
        Some(next) if as_of > next => ReviewStatus::Overdue,
        Some(_) if due_soon_from.is_some_and(|from| as_of >= from) => ReviewStatus::DueSoon,
        Some(_) => ReviewStatus::Current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;
    use crate::load::Spanned;
    use crate::model::Kind;

    fn d(s: &str) -> Day {
        s.parse().unwrap()
    }

    fn spanned<T>(value: T) -> Spanned<T> {
        Spanned {
            value,
            pos: Pos::default(),
        }
    }

    fn front(last: Option<&str>, every: Option<&str>, by: Option<&str>) -> FrontMatter {
        FrontMatter {
            kind: Kind::Sop,
            last_reviewed: last.map(|s| spanned(d(s))),
            review_every: every.map(|s| spanned(s.parse().unwrap())),
            review_by: by.map(|s| spanned(d(s))),
            ..FrontMatter::default()
        }
    }

    #[test]
    fn status_at_each_edge() {
        let config = Config::default(); // due soon: 30 days
        let f = front(Some("2026-05-31"), Some("6 months"), None);
        let at = |as_of| Review::of(&f, &config, d(as_of));
        assert_eq!(at("2026-05-31").next, Some(d("2026-11-30")));
        assert_eq!(at("2026-05-31").due_soon_from, Some(d("2026-10-31")));
        assert_eq!(at("2026-10-30").status, ReviewStatus::Current);
        assert_eq!(at("2026-10-31").status, ReviewStatus::DueSoon);
        assert_eq!(at("2026-11-30").status, ReviewStatus::DueSoon);
        assert_eq!(at("2026-11-30").days_left, Some(0));
        assert_eq!(at("2026-12-01").status, ReviewStatus::Overdue);
        assert_eq!(at("2026-12-01").days_left, Some(-1));
    }

    #[test]
    fn month_ends_and_leap_days() {
        let config = Config::default();
        let f = front(Some("2024-08-31"), Some("6 months"), None);
        assert_eq!(
            Review::of(&f, &config, d("2025-01-01")).next,
            Some(d("2025-02-28"))
        );
        let f = front(Some("2023-02-28"), Some("1 year"), None);
        assert_eq!(
            Review::of(&f, &config, d("2023-03-01")).next,
            Some(d("2024-02-28"))
        );
        let f = front(Some("2024-02-29"), Some("1 year"), None);
        assert_eq!(
            Review::of(&f, &config, d("2024-03-01")).next,
            Some(d("2025-02-28"))
        );
    }

    #[test]
    fn review_by_wins_and_defaults_fill_in() {
        let mut config = Config::default();
        let f = front(Some("2026-01-01"), Some("1 year"), Some("2026-03-01"));
        let r = Review::of(&f, &config, d("2026-06-01"));
        assert_eq!(
            (r.next, r.status),
            (Some(d("2026-03-01")), ReviewStatus::Overdue)
        );

        let f = front(Some("2026-01-01"), None, None);
        let r = Review::of(&f, &config, d("2026-06-01"));
        assert_eq!((r.next, r.status), (None, ReviewStatus::None));
        config
            .default_review
            .insert(Kind::Sop, "1 year".parse().unwrap());
        let r = Review::of(&f, &config, d("2026-06-01"));
        assert_eq!(r.next, Some(d("2027-01-01")));
        assert!(r.default_interval);
        assert_eq!(r.status, ReviewStatus::Current);

        // An interval but no review yet: no date to count from.
        let f = front(None, Some("1 year"), None);
        assert_eq!(
            Review::of(&f, &config, d("2026-06-01")).status,
            ReviewStatus::None
        );
    }
}
