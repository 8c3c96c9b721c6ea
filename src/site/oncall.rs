//! On-call rotations over the horizon (`oncall_horizon` from the as-of day): who holds each
//! stretch, where nobody can (a member who has left, is away or is not in the team data; a
//! rotation without members; before its first hand-off), which of those holes fall in the
//! coverage the rotation promises (gaps), who is on a shift without a certification it
//! requires, and who is on call for more than two shifts in a row. Worked out once per model
//! ([`Site::oncall`]) for `check`, the pages and `report`; the arithmetic is [`crate::rota`]'s.

use std::collections::HashMap;

use crate::dates::Day;
use crate::rota::{holders, Holder, Span, Wall};
use crate::team::{Person, Rotation, TeamData};

use super::model::{PageId, Site};

/// Why nobody is on call through a stretch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hole {
    /// The rotation has no members.
    NoMembers,
    /// Before the first hand-off.
    NotStarted,
    /// Person `person` (index in the team data) left on `on`.
    Left { person: usize, on: Day },
    /// Person `person` is away (their `absences`).
    Away { person: usize },
    /// Person `person` joins on `on`.
    NotJoined { person: usize, on: Day },
    /// A member or override names nobody in the team data.
    Unknown { name: String },
}

impl Hole {
    /// Why nobody is on call, in words: people by name, with their id (`` (`dana`) ``) when
    /// `ids`.
    pub fn words(&self, team: &TeamData, ids: bool) -> String {
        let who = |i: &usize| {
            let p = &team.people[*i];
            match ids {
                true => format!("{} (`{}`)", p.name, p.id),
                false => p.name.clone(),
            }
        };
        match self {
            Hole::NoMembers => "the rotation has no members".into(),
            Hole::NotStarted => "before its first hand-off".into(),
            Hole::Left { person, on } => format!("{} left on {on}", who(person)),
            Hole::Away { person } => format!("{} is away", who(person)),
            Hole::NotJoined { person, on } => format!("{} joins on {on}", who(person)),
            Hole::Unknown { name } => match ids {
                true => format!("`{name}` is not in the team data"),
                false => format!("{name} is not in the team data"),
            },
        }
    }
}

/// A stretch of the rota and who holds it: a person (index in the team data) or a hole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    pub span: Span,
    pub holder: Holder,
    pub on_call: Result<usize, Hole>,
}

/// Required coverage with nobody on call, and why (each cause once, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub span: Span,
    pub causes: Vec<Hole>,
}

/// A member on call without a certification the rotation requires (missing, or expired
/// before the shift ends): the first such stretch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unqualified {
    pub person: usize,
    pub certification: String,
    /// When it expired; `None` when they never held it.
    pub expired: Option<Day>,
    pub first: Span,
}

/// One person on call for more than two shifts in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overload {
    pub person: usize,
    pub span: Span,
    /// Whole shifts' worth, rounded up.
    pub shifts: i64,
}

/// One rotation over the horizon.
#[derive(Debug, Clone, Default)]
pub struct RotaFacts {
    /// In order, through the horizon, from the hand-off of the turn under way as it opens to
    /// the end of the turn it closes in; empty when the rotation has no turns (no `start` or
    /// `shift`, reported as invalid team data).
    pub stretches: Vec<Stretch>,
    pub gaps: Vec<Gap>,
    pub unqualified: Vec<Unqualified>,
    pub overload: Vec<Overload>,
}

/// A name in a rotation or a page that names nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// Rotation `rotation`'s member `name`.
    Member { rotation: usize, name: String },
    /// Rotation `rotation`'s override `index`.
    Override { rotation: usize, index: usize },
    /// Rotation `rotation`'s team.
    Team { rotation: usize },
    /// Rotation `rotation`'s next tier.
    EscalatesTo { rotation: usize },
    /// A page's `oncall`.
    Page { page: PageId },
}

/// Every rotation over the horizon, by its index in the team data, and what names nothing.
#[derive(Debug, Clone, Default)]
pub struct OnCall {
    pub horizon: Option<Span>,
    pub rotations: Vec<RotaFacts>,
    pub unknown: Vec<Unknown>,
}

impl Site {
    /// The rotations over the horizon, worked out once.
    pub fn oncall(&self) -> &OnCall {
        self.oncall.get_or_init(|| self.work_out_oncall())
    }

    /// The rotation page `page` names, if it names one that exists.
    pub fn oncall_of(&self, page: PageId) -> Option<usize> {
        let name = self.pages[page].doc.as_ref()?.front.oncall.as_ref()?;
        self.team.rotation_index(name.value.trim())
    }

    fn work_out_oncall(&self) -> OnCall {
        let team = &self.team;
        let as_of = self.options.as_of;
        let mut out = OnCall::default();
        let end = self.config.oncall_horizon.after(as_of);
        out.horizon = match (Wall::midnight(as_of), end.and_then(Wall::midnight)) {
            (Some(from), Some(to)) => Some(Span::new(from, to)),
            _ => None,
        };
        for (i, r) in team.rotations.iter().enumerate() {
            for name in &r.members {
                if team.person_index(name.trim()).is_none() {
                    out.unknown.push(Unknown::Member {
                        rotation: i,
                        name: name.clone(),
                    });
                }
            }
            for (index, o) in r.overrides.iter().enumerate() {
                if team.person_index(o.person.trim()).is_none() {
                    out.unknown.push(Unknown::Override { rotation: i, index });
                }
            }
            if r.team
                .as_deref()
                .is_some_and(|t| team.team_index(t.trim()).is_none())
            {
                out.unknown.push(Unknown::Team { rotation: i });
            }
            if (r.escalates_to.as_deref()).is_some_and(|t| team.rotation_index(t.trim()).is_none())
            {
                out.unknown.push(Unknown::EscalatesTo { rotation: i });
            }
        }
        for p in &self.pages {
            let named = p.doc.as_ref().and_then(|d| d.front.oncall.as_ref());
            if named.is_some_and(|n| team.rotation_index(n.value.trim()).is_none()) {
                out.unknown.push(Unknown::Page { page: p.id });
            }
        }
        out.rotations = match out.horizon {
            Some(horizon) => (team.rotations.iter())
                .map(|r| rota_facts(team, r, horizon))
                .collect(),
            None => vec![RotaFacts::default(); team.rotations.len()],
        };
        out
    }
}

/// Where person `p` (at `index` in the team data) cannot be on call, in wall-clock time:
/// before joining, away, after leaving (open ends at `Wall(i64::MIN)` and `Wall(i64::MAX)`).
pub fn unavailable(p: &Person, index: usize) -> Vec<(Span, Hole)> {
    let mut out = Vec::new();
    if let Some(on) = p.joined {
        if let Some(to) = Wall::midnight(on) {
            out.push((
                Span::new(Wall(i64::MIN), to),
                Hole::NotJoined { person: index, on },
            ));
        }
    }
    for a in &p.absences {
        let to = a.to.plus_days(1).and_then(Wall::midnight);
        if let (Some(from), Some(to)) = (Wall::midnight(a.from), to) {
            out.push((Span::new(from, to), Hole::Away { person: index }));
        }
    }
    if let Some(on) = p.left {
        if let Some(from) = Wall::midnight(on) {
            out.push((
                Span::new(from, Wall(i64::MAX)),
                Hole::Left { person: index, on },
            ));
        }
    }
    out
}

/// `away` in order and without overlaps (where two overlap, the earlier-starting one's cause
/// stands), so that [`cut`] finds what is under way by binary search.
fn disjoint(mut away: Vec<(Span, Hole)>) -> Vec<(Span, Hole)> {
    away.sort_by_key(|(s, _)| (s.from, s.to));
    let mut out: Vec<(Span, Hole)> = Vec::with_capacity(away.len());
    for (mut s, hole) in away {
        if let Some((last, _)) = out.last() {
            s.from = s.from.max(last.to);
        }
        if s.from < s.to {
            out.push((s, hole));
        }
    }
    out
}

/// Cuts `span`, held by person `person`, where they cannot be on call (`away`: disjoint, in
/// order). Logarithmic in `away` per piece.
fn cut(span: Span, holder: Holder, person: usize, away: &[(Span, Hole)], out: &mut Vec<Stretch>) {
    let mut at = span.from;
    while at < span.to {
        // The first stretch away that has not ended by `at`: under way, or the next.
        let next = away.partition_point(|(s, _)| s.to <= at);
        let (to, on_call) = match away.get(next) {
            Some((s, hole)) if s.from <= at => (s.to.min(span.to), Err(hole.clone())),
            Some((s, _)) => (s.from.min(span.to), Ok(person)),
            None => (span.to, Ok(person)),
        };
        out.push(Stretch {
            span: Span::new(at, to),
            holder,
            on_call,
        });
        at = to;
    }
}

fn rota_facts(team: &TeamData, r: &Rotation, horizon: Span) -> RotaFacts {
    let Some(turns) = r.turns() else {
        return RotaFacts::default();
    };
    let spans: Vec<Span> = r
        .overrides
        .iter()
        .map(|o| Span::new(o.from, o.to))
        .collect();
    // Whole turns, the one under way as the horizon opens and the one it closes in: a shift
    // is shown from its hand-off to the next, not from the build day's midnight.
    let whole = match (
        turns.turn_at(horizon.from),
        turns.turn_at(Wall(horizon.to.0 - 1)),
    ) {
        (Some(first), Some(last)) if !r.members.is_empty() => {
            Span::new(turns.handoff(first), turns.handoff(last + 1))
        }
        _ => horizon,
    };
    let mut away_of: HashMap<usize, Vec<(Span, Hole)>> = HashMap::new();
    let mut stretches: Vec<Stretch> = Vec::new();
    for (span, holder) in holders(turns, r.members.len(), &spans, whole) {
        let name = match holder {
            Holder::Turn { member, .. } => Some(&r.members[member]),
            Holder::Override(i) => Some(&r.overrides[i].person),
            Holder::Nobody => None,
        };
        let hole = match (name, r.members.is_empty()) {
            (Some(name), _) => match team.person_index(name.trim()) {
                Some(person) => {
                    let away = (away_of.entry(person))
                        .or_insert_with(|| disjoint(unavailable(&team.people[person], person)));
                    cut(span, holder, person, away, &mut stretches);
                    continue;
                }
                None => Hole::Unknown { name: name.clone() },
            },
            (None, true) => Hole::NoMembers,
            (None, false) => Hole::NotStarted,
        };
        stretches.push(Stretch {
            span,
            holder,
            on_call: Err(hole),
        });
    }
    // Pieces of those turns wholly outside the horizon (cut there by an absence) say nothing.
    stretches.retain(|s| s.span.to > horizon.from && s.span.from < horizon.to);
    let gaps = gaps(r, &stretches, horizon);
    let unqualified = unqualified(team, r, &stretches);
    let overload = overload(turns.shift.seconds, &stretches);
    RotaFacts {
        stretches,
        gaps,
        unqualified,
        overload,
    }
}

/// The holes that fall in the coverage the rotation promises, merged where they meet.
fn gaps(r: &Rotation, stretches: &[Stretch], horizon: Span) -> Vec<Gap> {
    let required = r.coverage.required(horizon);
    let mut out: Vec<Gap> = Vec::new();
    let mut need = required.iter().peekable();
    for s in stretches {
        // A rotation that has not started yet promises nothing before it does.
        let Err(hole) = &s.on_call else { continue };
        if *hole == Hole::NotStarted {
            continue;
        }
        // The required stretches this hole overlaps (both lists are in order).
        while need.peek().is_some_and(|n| n.to <= s.span.from) {
            need.next();
        }
        for n in need.clone().take_while(|n| n.from < s.span.to) {
            let span = Span::new(n.from.max(s.span.from), n.to.min(s.span.to));
            match out.last_mut() {
                Some(last) if last.span.to == span.from => {
                    last.span.to = span.to;
                    if !last.causes.contains(hole) {
                        last.causes.push(hole.clone());
                    }
                }
                _ => out.push(Gap {
                    span,
                    causes: vec![hole.clone()],
                }),
            }
        }
    }
    out
}

/// Per member and required certification, the first stretch they hold without it.
fn unqualified(team: &TeamData, r: &Rotation, stretches: &[Stretch]) -> Vec<Unqualified> {
    let mut out: Vec<Unqualified> = Vec::new();
    for s in stretches {
        let Ok(person) = s.on_call else { continue };
        let p = &team.people[person];
        // The stretch's last day: it ends at `to`, not after it.
        let last_day = Day(Wall(s.span.to.0 - 1).civil().date());
        for name in &r.requires {
            let held = p
                .certifications
                .iter()
                .find(|c| c.name.trim() == name.trim());
            let lacking = match held {
                None => Some(None),
                Some(c) => c.expires.filter(|&e| e < last_day).map(Some),
            };
            let Some(expired) = lacking else { continue };
            if out
                .iter()
                .any(|u| u.person == person && u.certification == *name)
            {
                continue;
            }
            out.push(Unqualified {
                person,
                certification: name.clone(),
                expired,
                first: s.span,
            });
        }
    }
    out
}

/// Runs of one person on call longer than two shifts.
fn overload(shift: i64, stretches: &[Stretch]) -> Vec<Overload> {
    let mut out = Vec::new();
    let mut run: Option<(usize, Span)> = None;
    let close = |run: Option<(usize, Span)>, out: &mut Vec<Overload>| {
        if let Some((person, span)) = run {
            let length = span.to.0 - span.from.0;
            if length > 2 * shift {
                out.push(Overload {
                    person,
                    span,
                    shifts: (length + shift - 1) / shift,
                });
            }
        }
    };
    for s in stretches {
        match (s.on_call.as_ref().ok(), &mut run) {
            (Some(&p), Some((q, span))) if p == *q && span.to == s.span.from => {
                span.to = s.span.to;
            }
            (Some(&p), _) => {
                close(run.take(), &mut out);
                run = Some((p, s.span));
            }
            (None, _) => close(run.take(), &mut out),
        }
    }
    close(run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall(s: &str) -> Wall {
        Wall::from_civil(s.parse().unwrap()).unwrap()
    }

    #[test]
    fn overlapping_absences_cut_a_turn_once_each() {
        let away = disjoint(vec![
            (
                Span::new(wall("2026-12-03T00:00"), wall("2026-12-06T00:00")),
                Hole::Away { person: 0 },
            ),
            (
                Span::new(wall("2026-12-01T00:00"), wall("2026-12-04T00:00")),
                Hole::Away { person: 0 },
            ),
            (
                Span::new(wall("2026-12-10T00:00"), Wall(i64::MAX)),
                Hole::Left {
                    person: 0,
                    on: "2026-12-10".parse().unwrap(),
                },
            ),
        ]);
        let turn = Holder::Turn { member: 0, turn: 4 };
        let mut out = Vec::new();
        let span = Span::new(wall("2026-11-30T09:00"), wall("2026-12-14T09:00"));
        cut(span, turn, 7, &away, &mut out);
        let got: Vec<(String, bool)> = (out.iter())
            .map(|s| {
                (
                    format!("{} to {}", s.span.from, s.span.to),
                    s.on_call.is_ok(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("2026-11-30 09:00 to 2026-12-01 00:00".to_string(), true),
                ("2026-12-01 00:00 to 2026-12-04 00:00".to_string(), false),
                ("2026-12-04 00:00 to 2026-12-06 00:00".to_string(), false),
                ("2026-12-06 00:00 to 2026-12-10 00:00".to_string(), true),
                ("2026-12-10 00:00 to 2026-12-14 09:00".to_string(), false),
            ]
        );
    }
}
