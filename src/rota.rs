//! On-call rota arithmetic, in the rota's local wall-clock time. Hand-offs come every shift from
//! the first (`1 week`, `12 hours`), at the same local time whatever daylight saving does, as a
//! rota on a wall calendar works; coverage is `24x7`, business hours or windows of days and
//! hours (`mon-fri 18:00-08:00` runs overnight); overrides and absences cut into turns. Times
//! are [`Wall`] seconds, the local clock read as if it were UTC: a shift of a week is then
//! always 604,800 of them, and the browser does the same sums on the same numbers. Only at the
//! edges (a calendar file, the minutes a shift really lasts) does a time become an instant,
//! through the zone's rules ([`Wall::instant`]).

use std::fmt;
use std::str::FromStr;

use jiff::civil::{DateTime, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A local wall-clock time, as seconds since 1970-01-01 00:00 of that clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Wall(pub i64);

impl Wall {
    pub fn from_civil(dt: DateTime) -> Option<Wall> {
        let at = dt.to_zoned(TimeZone::UTC).ok()?;
        Some(Wall(at.timestamp().as_second()))
    }

    /// The first moment of `day` on the clock.
    pub fn midnight(day: crate::dates::Day) -> Option<Wall> {
        Wall::from_civil(day.0.to_datetime(Time::midnight()))
    }

    pub fn civil(self) -> DateTime {
        let at = Timestamp::from_second(self.0).unwrap_or(Timestamp::UNIX_EPOCH);
        at.to_zoned(TimeZone::UTC).datetime()
    }

    /// The instant this wall-clock time is in `zone`: a time skipped when clocks go forward is
    /// read as after the change, a time that happens twice as its first (RFC 5545's rule).
    pub fn instant(self, zone: &TimeZone) -> Option<Timestamp> {
        let ambiguous = zone.to_ambiguous_zoned(self.civil());
        ambiguous.compatible().ok().map(|z| z.timestamp())
    }

    /// The wall-clock time in `zone` at an instant.
    pub fn at(instant: Timestamp, zone: &TimeZone) -> Option<Wall> {
        Wall::from_civil(instant.to_zoned(zone.clone()).datetime())
    }
}

impl serde::Serialize for Wall {
    /// As it is written in the team data: `2026-11-30 09:00`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Wall {
    /// `2026-11-30 09:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.civil();
        write!(
            f,
            "{} {:02}:{:02}",
            c.date(),
            c.time().hour(),
            c.time().minute()
        )
    }
}

/// How long one turn lasts, in wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    /// Wall seconds.
    pub seconds: i64,
    text: (u32, &'static str),
}

impl FromStr for Shift {
    type Err = String;

    /// `N unit` with unit hour(s), day(s) or week(s) (`12 hours`, `1 week`, `2weeks`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (count, unit) = crate::dates::count_and_unit(s);
        let unit = match unit.as_str() {
            "h" | "hour" | "hours" => Some(("hour", 3_600)),
            "d" | "day" | "days" => Some(("day", 86_400)),
            "w" | "week" | "weeks" => Some(("week", 604_800)),
            _ => None,
        };
        match (count, unit) {
            (Some(n), Some((name, each))) if (1..=520).contains(&n) => Ok(Shift {
                seconds: i64::from(n) * each,
                text: (n, name),
            }),
            _ => Err(format!(
                "`{}` is not a shift length; write e.g. `1 week`, `1 day` or `12 hours`",
                s.trim()
            )),
        }
    }
}

impl fmt::Display for Shift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, unit) = self.text;
        write!(f, "{n} {unit}{}", if n == 1 { "" } else { "s" })
    }
}

/// The turns of a rota: hand-off `k` at `start + k × shift`, member `k mod n` on call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turns {
    pub start: Wall,
    pub shift: Shift,
}

impl Turns {
    /// The time of hand-off `k` (0 is the first).
    pub fn handoff(self, k: i64) -> Wall {
        Wall(self.start.0 + k * self.shift.seconds)
    }

    /// The turn under way at `t`; `None` before the first hand-off.
    pub fn turn_at(self, t: Wall) -> Option<i64> {
        (t >= self.start).then(|| (t.0 - self.start.0).div_euclid(self.shift.seconds))
    }
}

/// A stretch of wall-clock time, `from` included, `to` not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub from: Wall,
    pub to: Wall,
}

impl Span {
    pub fn new(from: Wall, to: Wall) -> Span {
        Span { from, to }
    }

    pub fn contains(self, t: Wall) -> bool {
        self.from <= t && t < self.to
    }
}

/// Who holds a stretch of the rota, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// Member `i` (an index into the members), in their turn `k`.
    Turn { member: usize, turn: i64 },
    /// Override `i` (an index into the overrides).
    Override(usize),
    /// Before the first hand-off, or a rota without members.
    Nobody,
}

/// Who is on call through `within`: the turns cut where `overrides` (later ones winning)
/// begin and end, as consecutive stretches (one per change of holder). Linear in the turns
/// and overrides it crosses.
pub fn holders(
    turns: Turns,
    members: usize,
    overrides: &[Span],
    within: Span,
) -> Vec<(Span, Holder)> {
    let mut cuts: Vec<Wall> = vec![within.from, within.to];
    if members > 0 {
        let first = turns.turn_at(within.from).unwrap_or(0);
        let mut k = first;
        while turns.handoff(k) < within.to {
            if turns.handoff(k) > within.from {
                cuts.push(turns.handoff(k));
            }
            k += 1;
        }
    }
    for o in overrides {
        for t in [o.from, o.to] {
            if within.contains(t) {
                cuts.push(t);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    // The overrides under way, swept along the cuts: each begins and ends once.
    let mut edges: Vec<(Wall, bool, usize)> = Vec::with_capacity(overrides.len() * 2);
    for (i, o) in overrides.iter().enumerate().filter(|(_, o)| o.from < o.to) {
        edges.push((o.from, true, i));
        edges.push((o.to, false, i));
    }
    edges.sort_unstable();
    let mut edges = edges.into_iter().peekable();
    let mut active: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    let mut out: Vec<(Span, Holder)> = Vec::with_capacity(cuts.len());
    for pair in cuts.windows(2) {
        let piece = Span::new(pair[0], pair[1]);
        while let Some((_, starts, i)) = edges.next_if(|e| e.0 <= piece.from) {
            match starts {
                true => active.insert(i),
                false => active.remove(&i),
            };
        }
        let overriding = active.last().copied();
        let holder = match (overriding, turns.turn_at(piece.from)) {
            (Some(i), _) => Holder::Override(i),
            (None, Some(turn)) if members > 0 => Holder::Turn {
                member: turn.rem_euclid(members as i64) as usize,
                turn,
            },
            _ => Holder::Nobody,
        };
        match out.last_mut() {
            Some((last, h)) if *h == holder => last.to = piece.to,
            _ => out.push((piece, holder)),
        }
    }
    out
}

/// When a rota must have someone on call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Around the clock (`24x7`).
    Always,
    /// In these windows of the week (`business-hours` is Monday to Friday, 09:00 to 17:00).
    Windows(Vec<Window>),
}

/// Days of the week and a time of day from one to another: overnight when `to` is not after
/// `from` (18:00 to 08:00 ends the next morning; 00:00 to 00:00 is the whole day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Monday first.
    pub days: [bool; 7],
    pub from: Time,
    pub to: Time,
}

impl Coverage {
    pub fn business_hours() -> Coverage {
        Coverage::Windows(vec![Window {
            days: [true, true, true, true, true, false, false],
            from: Time::constant(9, 0, 0, 0),
            to: Time::constant(17, 0, 0, 0),
        }])
    }

    /// The stretches of `within` that need someone on call, in order, merged where they meet.
    pub fn required(&self, within: Span) -> Vec<Span> {
        let windows = match self {
            Coverage::Always => return vec![within],
            Coverage::Windows(w) => w,
        };
        let mut out: Vec<Span> = Vec::new();
        // From the day before (an overnight window reaches into the first day) to the last.
        let mut day = within.from.civil().date().yesterday().ok();
        let last = within.to.civil().date();
        while let Some(d) = day.filter(|d| *d <= last) {
            let weekday = d.weekday().to_monday_zero_offset() as usize;
            for w in windows.iter().filter(|w| w.days[weekday]) {
                let from = Wall::from_civil(d.to_datetime(w.from));
                let to_day = if w.to <= w.from {
                    d.tomorrow().ok()
                } else {
                    Some(d)
                };
                let to = to_day.and_then(|t| Wall::from_civil(t.to_datetime(w.to)));
                let (Some(from), Some(to)) = (from, to) else {
                    continue;
                };
                let span = Span::new(from.max(within.from), to.min(within.to));
                if span.from < span.to {
                    out.push(span);
                }
            }
            day = d.tomorrow().ok();
        }
        out.sort_unstable();
        let mut merged: Vec<Span> = Vec::with_capacity(out.len());
        for s in out {
            match merged.last_mut() {
                Some(last) if s.from <= last.to => last.to = last.to.max(s.to),
                _ => merged.push(s),
            }
        }
        merged
    }
}

impl FromStr for Window {
    type Err = String;

    /// `mon-fri 18:00-08:00`, `sat,sun 00:00-00:00`, `daily 09:00-17:00`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "`{}` is not a coverage window; write e.g. `mon-fri 09:00-17:00` or `sat,sun 00:00-00:00`",
                s.trim()
            )
        };
        let (days, hours) = s.trim().split_once(' ').ok_or_else(bad)?;
        let (from, to) = hours.trim().split_once('-').ok_or_else(bad)?;
        // `24:00` ends a day: midnight, which a window reads as the next day's.
        let time = |t: &str| match t.trim() {
            "24:00" => Some(Time::midnight()),
            t => t.parse::<Time>().ok(),
        };
        let (Some(from), Some(to)) = (time(from), time(to)) else {
            return Err(bad());
        };
        Ok(Window {
            days: parse_days(days).ok_or_else(bad)?,
            from,
            to,
        })
    }
}

/// `mon-fri`, `sat,sun`, `daily`, `weekdays`, `weekends`, or one day.
pub fn parse_days(s: &str) -> Option<[bool; 7]> {
    let day = |d: &str| -> Option<usize> {
        let d = d.trim().to_ascii_lowercase();
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        NAMES.iter().position(|n| d.starts_with(n) && d.len() <= 9)
    };
    let mut days = [false; 7];
    match s.trim().to_ascii_lowercase().as_str() {
        "daily" | "every day" | "all" => return Some([true; 7]),
        "weekdays" => return Some([true, true, true, true, true, false, false]),
        "weekends" => return Some([false, false, false, false, false, true, true]),
        _ => {}
    }
    for part in s.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                let mut d = a;
                loop {
                    days[d] = true;
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => days[day(part)?] = true,
        }
    }
    Some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall(s: &str) -> Wall {
        Wall::from_civil(s.parse().unwrap()).unwrap()
    }

    fn weekly(start: &str) -> Turns {
        Turns {
            start: wall(start),
            shift: "1 week".parse().unwrap(),
        }
    }

    #[test]
    fn shifts_parse_and_say_themselves() {
        let s: Shift = "12 hours".parse().unwrap();
        assert_eq!((s.seconds, s.to_string()), (43_200, "12 hours".to_string()));
        assert_eq!("1week".parse::<Shift>().unwrap().to_string(), "1 week");
        assert!("0 days".parse::<Shift>().is_err());
        assert!("1 fortnight".parse::<Shift>().is_err());
        assert!("1 month".parse::<Shift>().is_err());
    }

    #[test]
    fn hand_offs_keep_their_local_time_across_daylight_saving() {
        // London leaves summer time on 2026-10-25: the shift over it lasts 169 real hours,
        // and the next hand-off is still at 09:00 local.
        let london = TimeZone::get("Europe/London").unwrap();
        let turns = weekly("2026-10-19T09:00");
        let (a, b) = (turns.handoff(0), turns.handoff(1));
        assert_eq!(b.to_string(), "2026-10-26 09:00");
        let hours = |x: Wall, y: Wall| {
            (y.instant(&london).unwrap().as_second() - x.instant(&london).unwrap().as_second())
                / 3600
        };
        assert_eq!(hours(a, b), 169);
        assert_eq!(hours(b, turns.handoff(2)), 168);
        // Into summer time (2027-03-28): 167 hours.
        let spring = weekly("2027-03-22T09:00");
        assert_eq!(hours(spring.handoff(0), spring.handoff(1)), 167);
        // A hand-off at a time the clocks skip (01:30 on 2027-03-28) falls after the change.
        let skipped = wall("2027-03-28T01:30").instant(&london).unwrap();
        assert_eq!(
            Wall::at(skipped, &london).unwrap().to_string(),
            "2027-03-28 02:30"
        );
    }

    #[test]
    fn turns_run_through_month_ends_and_leap_days() {
        let daily = Turns {
            start: wall("2028-02-27T09:00"),
            shift: "1 day".parse().unwrap(),
        };
        // 2028 is a leap year: the third turn is 29 February's.
        assert_eq!(daily.handoff(2).to_string(), "2028-02-29 09:00");
        assert_eq!(daily.turn_at(wall("2028-03-01T08:59")), Some(2));
        assert_eq!(daily.turn_at(wall("2028-03-01T09:00")), Some(3));
        assert_eq!(daily.turn_at(wall("2028-02-27T08:59")), None);
        let weekly = weekly("2026-12-28T09:00");
        assert_eq!(weekly.handoff(1).to_string(), "2027-01-04 09:00");
    }

    #[test]
    fn an_override_splits_a_shift_and_the_turn_resumes_after_it() {
        let turns = weekly("2026-11-02T09:00");
        // Ben, Cleo, Dana in turn; Amara covers Wednesday to Friday of Cleo's week.
        let overrides = [Span::new(
            wall("2026-11-11T09:00"),
            wall("2026-11-13T09:00"),
        )];
        let within = Span::new(wall("2026-11-09T00:00"), wall("2026-11-17T00:00"));
        let got: Vec<(String, Holder)> = holders(turns, 3, &overrides, within)
            .into_iter()
            .map(|(s, h)| (format!("{} to {}", s.from, s.to), h))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "2026-11-09 00:00 to 2026-11-09 09:00".into(),
                    Holder::Turn { member: 0, turn: 0 }
                ),
                (
                    "2026-11-09 09:00 to 2026-11-11 09:00".into(),
                    Holder::Turn { member: 1, turn: 1 }
                ),
                (
                    "2026-11-11 09:00 to 2026-11-13 09:00".into(),
                    Holder::Override(0)
                ),
                (
                    "2026-11-13 09:00 to 2026-11-16 09:00".into(),
                    Holder::Turn { member: 1, turn: 1 }
                ),
                (
                    "2026-11-16 09:00 to 2026-11-17 00:00".into(),
                    Holder::Turn { member: 2, turn: 2 }
                ),
            ]
        );
        // Before the first hand-off, and without members, nobody.
        let early = Span::new(wall("2026-11-01T00:00"), wall("2026-11-02T09:00"));
        assert_eq!(holders(turns, 3, &[], early), [(early, Holder::Nobody)]);
        assert_eq!(holders(turns, 0, &[], within), [(within, Holder::Nobody)]);
    }

    #[test]
    fn business_hours_and_overnight_windows() {
        // Friday 2026-11-13 to Tuesday 2026-11-17.
        let within = Span::new(wall("2026-11-13T12:00"), wall("2026-11-17T00:00"));
        let spans = |c: &Coverage| -> Vec<String> {
            c.required(within)
                .iter()
                .map(|s| format!("{} to {}", s.from, s.to))
                .collect()
        };
        assert_eq!(
            spans(&Coverage::business_hours()),
            [
                "2026-11-13 12:00 to 2026-11-13 17:00",
                "2026-11-16 09:00 to 2026-11-16 17:00"
            ]
        );
        let nights = Coverage::Windows(vec!["mon-fri 18:00-08:00".parse().unwrap()]);
        assert_eq!(
            spans(&nights),
            [
                "2026-11-13 18:00 to 2026-11-14 08:00",
                "2026-11-16 18:00 to 2026-11-17 00:00"
            ]
        );
        // Weekends whole, meeting the weeknights: merged into one stretch.
        let both = Coverage::Windows(vec![
            "fri 18:00-00:00".parse().unwrap(),
            "sat,sun 00:00-00:00".parse().unwrap(),
        ]);
        assert_eq!(spans(&both), ["2026-11-13 18:00 to 2026-11-16 00:00"]);
        assert_eq!(
            spans(&Coverage::Always),
            ["2026-11-13 12:00 to 2026-11-17 00:00"]
        );
        assert!("mon-fri 9-5".parse::<Window>().is_err());
        let evenings = Coverage::Windows(vec!["fri 18:00-24:00".parse().unwrap()]);
        assert_eq!(spans(&evenings), ["2026-11-13 18:00 to 2026-11-14 00:00"]);
        assert_eq!(
            parse_days("fri-mon").unwrap(),
            [true, false, false, false, true, true, true]
        );
    }
}
