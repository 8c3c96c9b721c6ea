//! Dates and review intervals as they appear in front matter and team data.
//!
//! `review_every: 6 months` is a calendar interval: months and years keep the day of the month,
//! clamped to the month's length (2024-08-31 + 6 months = 2025-02-28), as GOV.UK's tech-docs and
//! most people's calendars do. Everything date-dependent takes the as-of date explicitly, so that
//! builds and tests are reproducible.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::{Serialize, Serializer};

/// A calendar date (no time, no zone), displayed and serialised as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub Date);

impl Day {
    pub fn new(year: i16, month: i8, day: i8) -> Option<Self> {
        Date::new(year, month, day).ok().map(Day)
    }

    /// Today's date in the machine's time zone.
    pub fn today() -> Self {
        Day(jiff::Zoned::now().date())
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Day) -> i64 {
        let span = self.0.until(other.0).unwrap_or_default();
        i64::from(span.get_days())
    }

    pub fn plus_days(self, days: i64) -> Option<Day> {
        self.0.checked_add(days.days()).ok().map(Day)
    }
}

impl FromStr for Day {
    type Err = String;

    /// Accepts exactly `YYYY-MM-DD`, the form YAML front matter uses; rejects impossible dates.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<i16>().unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        Date::new(y, m as i8, d as i8)
            .map(Day)
            .map_err(|_| format!("`{s}` is not a real date"))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The unit of a review interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

/// A calendar interval such as `90 days` or `6 months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    pub count: u32,
    pub unit: Unit,
}

impl Interval {
    pub const fn days(count: u32) -> Self {
        Interval {
            count,
            unit: Unit::Days,
        }
    }

    /// `date` moved forward by this interval; months and years clamp the day to the month's end.
    pub fn after(self, date: Day) -> Option<Day> {
        date.0.checked_add(self.span()).ok().map(Day)
    }

    /// The first day `d` from which `d` + this interval reaches `date`: where a window of this
    /// length ending at `date` starts. Exact at month ends, where `after` clamps.
    pub fn start_of_window(self, date: Day) -> Option<Day> {
        let reaches = |d: Day| self.after(d).is_some_and(|e| e >= date);
        let mut d = Day(date.0.checked_sub(self.span()).ok()?);
        // Clamping makes `after` many-to-one near month ends: step to the exact boundary.
        while let Some(prev) = d.plus_days(-1).filter(|&p| reaches(p)) {
            d = prev;
        }
        while !reaches(d) {
            d = d.plus_days(1)?;
        }
        Some(d)
    }

    fn span(self) -> Span {
        let n = i64::from(self.count);
        match self.unit {
            Unit::Days => n.days(),
            Unit::Weeks => n.weeks(),
            Unit::Months => n.months(),
            Unit::Years => n.years(),
        }
    }
}

/// `12 hours`, `6Months`: the count (when it is one) and the unit, lowercase, as written
/// after it; what intervals and shift lengths are written as.
pub fn count_and_unit(s: &str) -> (Option<u32>, String) {
    let t = s.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (count, unit) = t.split_at(split);
    (count.parse().ok(), unit.trim().to_string())
}

impl FromStr for Interval {
    type Err = String;

    /// Accepts `N unit` with unit day(s), week(s), month(s) or year(s), case-insensitive, with
    /// or without the space (`90 days`, `6 Months`, `1year`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (count, unit) = count_and_unit(s);
        let unit = match unit.as_str() {
            "d" | "day" | "days" => Some(Unit::Days),
            "w" | "week" | "weeks" => Some(Unit::Weeks),
            "m" | "month" | "months" => Some(Unit::Months),
            "y" | "year" | "years" => Some(Unit::Years),
            _ => None,
        };
        match (count, unit) {
            (Some(count), Some(unit)) if count > 0 && count <= 10_000 => {
                Ok(Interval { count, unit })
            }
            (Some(0), Some(_)) => Err(format!("`{}`: an interval must be at least 1", s.trim())),
            _ => Err(format!(
                "`{}` is not an interval; write e.g. `90 days`, `6 months` or `1 year`",
                s.trim()
            )),
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.count)
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn months_clamp_to_month_end() {
        let six: Interval = "6 months".parse().unwrap();
        assert_eq!(six.after(d("2024-08-31")), Some(d("2025-02-28")));
        let one: Interval = "1 month".parse().unwrap();
        assert_eq!(one.after(d("2024-01-31")), Some(d("2024-02-29")));
        let year: Interval = "1 year".parse().unwrap();
        assert_eq!(year.after(d("2024-02-29")), Some(d("2025-02-28")));
        assert_eq!(year.after(d("2023-03-15")), Some(d("2024-03-15")));
        let days: Interval = "90 days".parse().unwrap();
        assert_eq!(days.after(d("2024-01-01")), Some(d("2024-03-31")));
        let weeks: Interval = "2 weeks".parse().unwrap();
        assert_eq!(weeks.after(d("2024-12-25")), Some(d("2025-01-08")));
    }

    #[test]
    fn windows_start_where_the_interval_first_reaches_the_date() {
        let month: Interval = "1 month".parse().unwrap();
        // 2025-01-31 + 1 month = 2025-02-28 (clamped), and so do 01-28..01-31: the window
        // ending 2025-02-28 starts on 01-28.
        assert_eq!(
            month.start_of_window(d("2025-02-28")),
            Some(d("2025-01-28"))
        );
        // ...while nothing in February reaches 2025-03-31: 02-28 + 1 month is 03-28.
        assert_eq!(
            month.start_of_window(d("2025-03-31")),
            Some(d("2025-03-01"))
        );
        assert_eq!(
            month.start_of_window(d("2024-03-29")),
            Some(d("2024-02-29"))
        );
        let days = Interval::days(30);
        assert_eq!(days.start_of_window(d("2024-03-30")), Some(d("2024-02-29")));
        let year: Interval = "1 year".parse().unwrap();
        assert_eq!(year.start_of_window(d("2025-02-28")), Some(d("2024-02-28")));
        for (w, date) in [
            (month, "2025-02-28"),
            (year, "2025-03-01"),
            (days, "2024-03-01"),
        ] {
            let start = w.start_of_window(d(date)).unwrap();
            assert!(w.after(start).unwrap() >= d(date));
            assert!(w.after(start.plus_days(-1).unwrap()).unwrap() < d(date));
        }
    }

    #[test]
    fn parses_dates_strictly() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        assert!("2023-02-29".parse::<Day>().is_err());
        assert!("2024-13-01".parse::<Day>().is_err());
        assert!("2024-1-01".parse::<Day>().is_err());
        assert!("yesterday".parse::<Day>().is_err());
        assert!("".parse::<Day>().is_err());
    }

    #[test]
    fn parses_intervals() {
        assert_eq!(
            "6 Months".parse(),
            Ok(Interval {
                count: 6,
                unit: Unit::Months
            })
        );
        assert_eq!(
            "1year".parse(),
            Ok(Interval {
                count: 1,
                unit: Unit::Years
            })
        );
        assert!("0 days".parse::<Interval>().is_err());
        assert!("six months".parse::<Interval>().is_err());
        assert!("6 fortnights".parse::<Interval>().is_err());
        assert!("99999999999 days".parse::<Interval>().is_err());
        assert_eq!(Interval::days(1).to_string(), "1 day");
    }

    #[test]
    fn day_arithmetic() {
        assert_eq!(d("2024-02-28").days_until(d("2024-03-01")), 2);
        assert_eq!(d("2024-03-01").days_until(d("2024-02-28")), -2);
        assert_eq!(d("2024-02-28").plus_days(30), Some(d("2024-03-29")));
    }
}
