//! Rules over the team data: `team-data-invalid` for references that lead nowhere (teams and
//! roles only when the data defines any) and for management cycles (the file-level problems,
//! YAML and duplicate ids, are reported while loading), `certification-expired` and
//! `certification-missing`. A finding about one value (a manager, a team, an expiry date) is
//! reported where that value is written, from the positions the loader keeps in [`Source`].

use crate::dates::Day;
use crate::diagnostic::{Diagnostic, Pos};
use crate::rules::Rule;
use crate::suggest;
use crate::team::{Person, Source, TeamData};

pub fn check(team: &TeamData, as_of: Day) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    references(team, &mut out);
    cycles(team, &mut out);
    certifications(team, as_of, &mut out);
    out
}

fn unknown<'a>(
    source: &Source,
    at: Pos,
    what: String,
    id: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    list: &str,
) -> Diagnostic {
    let d = Diagnostic::error(Rule::TeamDataInvalid, &source.file, what).at(at);
    match suggest::closest(id, candidates) {
        Some(near) => d.with_help(format!("did you mean `{near}`?")),
        None => d.with_help(format!(
            "ids are the `id`s under `{list}:` in the data folder"
        )),
    }
}

fn references(team: &TeamData, out: &mut Vec<Diagnostic>) {
    let people = || team.people.iter().map(|p| p.id.as_str());
    for p in &team.people {
        if let Some(m) = p.manager.as_deref().filter(|m| team.person(m).is_none()) {
            out.push(unknown(
                &p.source,
                p.source.at("manager"),
                format!(
                    "{}'s manager `{m}` is not a person in the team data",
                    p.name
                ),
                m,
                people(),
                "people",
            ));
        }
        // A handbook that lists no teams (or roles) uses the field as a plain label.
        let no_such_team = |t: &&str| !team.teams.is_empty() && team.team(t).is_none();
        if let Some(t) = p.team.as_deref().filter(no_such_team) {
            out.push(unknown(
                &p.source,
                p.source.at("team"),
                format!("{}'s team `{t}` is not a team in the team data", p.name),
                t,
                team.teams.iter().map(|t| t.id.as_str()),
                "teams",
            ));
        }
        let no_such_role = |r: &&str| !team.roles.is_empty() && team.role(r).is_none();
        if let Some(r) = p.role.as_deref().filter(no_such_role) {
            out.push(unknown(
                &p.source,
                p.source.at("role"),
                format!("{}'s role `{r}` is not a role in the team data", p.name),
                r,
                team.roles.iter().map(|r| r.id.as_str()),
                "roles",
            ));
        }
    }
    for t in &team.teams {
        if let Some(l) = t.lead.as_deref().filter(|l| team.person(l).is_none()) {
            out.push(unknown(
                &t.source,
                t.source.at("lead"),
                format!(
                    "the lead of team `{}`, `{l}`, is not a person in the team data",
                    t.id
                ),
                l,
                people(),
                "people",
            ));
        }
    }
}

/// A management chain that comes back to where it started. Each cycle is reported once, at
/// the person of the cycle that comes first in the data.
fn cycles(team: &TeamData, out: &mut Vec<Diagnostic>) {
    // 0: not visited, 1: on the current chain, 2: done.
    let mut state = vec![0u8; team.people.len()];
    for start in 0..team.people.len() {
        let mut chain: Vec<usize> = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                2 => break,
                1 => {
                    let at = chain.iter().position(|&c| c == i).unwrap_or(0);
                    let cycle = &chain[at..];
                    let first = cycle.iter().copied().min().unwrap_or(i);
                    let names: Vec<&str> = cycle
                        .iter()
                        .chain(std::iter::once(&cycle[0]))
                        .map(|&c| team.people[c].id.as_str())
                        .collect();
                    let p: &Person = &team.people[first];
                    out.push(
                        Diagnostic::error(
                            Rule::TeamDataInvalid,
                            &p.source.file,
                            format!("management cycle: {}", names.join(" → ")),
                        )
                        .at(p.source.pos)
                        .with_help("someone in this chain must report outside it (or to nobody)"),
                    );
                    break;
                }
                _ => {
                    state[i] = 1;
                    chain.push(i);
                    cur = team.people[i]
                        .manager
                        .as_deref()
                        .and_then(|m| team.person_index(m));
                }
            }
        }
        for c in chain {
            state[c] = 2;
        }
    }
}

fn certifications(team: &TeamData, as_of: Day, out: &mut Vec<Diagnostic>) {
    for p in team.people.iter().filter(|p| p.departed(as_of).is_none()) {
        let Some(role) = p.role.as_deref().and_then(|r| team.role(r)) else {
            continue;
        };
        for required in &role.certifications {
            let held: Vec<_> = p
                .certifications
                .iter()
                .filter(|c| &c.name == required)
                .collect();
            if held.iter().any(|c| !c.expired(as_of)) {
                continue;
            }
            // The latest of its expiry dates, where that is written; else the person.
            let latest = held
                .iter()
                .filter(|c| c.expires.is_some())
                .max_by_key(|c| c.expires);
            let d = match latest.and_then(|c| Some((c.expires?, c.pos))) {
                Some((expired, at)) => Diagnostic::warning(
                    Rule::CertificationExpired,
                    &p.source.file,
                    format!(
                        "{}'s `{required}`, required for {}, expired on {expired}",
                        p.name, role.title
                    ),
                )
                .with_help("renew it and record the new `expires` date")
                .at(at),
                None => Diagnostic::warning(
                    Rule::CertificationMissing,
                    &p.source.file,
                    format!("{} lacks `{required}`, required for {}", p.name, role.title),
                )
                .with_help("plan the training, or record the certification under `certifications:`")
                .at(p.source.pos),
            };
            out.push(d);
        }
    }
}
