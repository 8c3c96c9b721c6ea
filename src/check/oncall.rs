//! On-call rotations: `oncall-gap` (required coverage with nobody on call), `oncall-unqualified`
//! (a member on call without a required certification), `oncall-overload` (more than two
//! shifts in a row) and `oncall-unknown` (names of nothing), from the facts [`Site::oncall`]
//! works out over the horizon. Every finding about a rotation is at its line in the team data.

use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use crate::site::oncall::Unknown;
use crate::site::Site;

pub fn check(site: &Site) -> Vec<Diagnostic> {
    let team = &site.team;
    let oncall = site.oncall();
    let mut out = Vec::new();
    let who = |i: usize| {
        let p = &team.people[i];
        format!("{} (`{}`)", p.name, p.id)
    };
    for (r, facts) in team.rotations.iter().zip(&oncall.rotations) {
        let at = |rule: Rule, msg: String| {
            let d = match rule {
                Rule::OncallGap => Diagnostic::error(rule, &r.source.file, msg),
                _ => Diagnostic::warning(rule, &r.source.file, msg),
            };
            d.at(r.source.pos)
        };
        for gap in &facts.gaps {
            let causes: Vec<String> = gap.causes.iter().map(|h| h.words(team, true)).collect();
            out.push(at(
                Rule::OncallGap,
                format!(
                    "{} to {}: nobody on call for `{}` ({})",
                    gap.span.from,
                    gap.span.to,
                    r.id,
                    causes.join("; ")
                ),
            ));
        }
        for u in &facts.unqualified {
            let lacking = match u.expired {
                Some(on) => format!("whose {} expired on {on}", u.certification),
                None => format!("without {}", u.certification),
            };
            out.push(at(
                Rule::OncallUnqualified,
                format!(
                    "{} is on call for `{}` {lacking}, first from {} to {}",
                    who(u.person),
                    r.id,
                    u.first.from,
                    u.first.to
                ),
            ));
        }
        for o in &facts.overload {
            out.push(at(
                Rule::OncallOverload,
                format!(
                    "{} is on call for `{}` {} shifts in a row, from {} to {}",
                    who(o.person),
                    r.id,
                    o.shifts,
                    o.span.from,
                    o.span.to
                ),
            ));
        }
    }
    for unknown in &oncall.unknown {
        out.push(unknown_finding(site, unknown));
    }
    out
}

fn unknown_finding(site: &Site, unknown: &Unknown) -> Diagnostic {
    let team = &site.team;
    let people = || team.people.iter().map(|p| p.id.as_str());
    let mean = |name: &str, names: &mut dyn Iterator<Item = &str>| {
        crate::suggest::closest(name, names)
            .map_or(String::new(), |s| format!("; did you mean `{s}`?"))
    };
    // A rotation's field that names nothing: the message, and where it is written.
    let (r, message, at) = match unknown {
        Unknown::Member { rotation, name } => {
            let r = &team.rotations[*rotation];
            let msg = format!(
                "`{name}`, a member of `{}`, is not in the team data{}",
                r.id,
                mean(name, &mut people())
            );
            (r, msg, r.source.at("members"))
        }
        Unknown::Override { rotation, index } => {
            let r = &team.rotations[*rotation];
            let o = &r.overrides[*index];
            let msg = format!(
                "`{}`, on call in an override of `{}`, is not in the team data{}",
                o.person,
                r.id,
                mean(&o.person, &mut people())
            );
            (r, msg, o.pos)
        }
        Unknown::Team { rotation } => {
            let r = &team.rotations[*rotation];
            let t = r.team.as_deref().unwrap_or_default();
            let msg = format!(
                "`{t}`, the team of `{}`, is not in the team data{}",
                r.id,
                mean(t, &mut team.teams.iter().map(|t| t.id.as_str()))
            );
            (r, msg, r.source.at("team"))
        }
        Unknown::EscalatesTo { rotation } => {
            let r = &team.rotations[*rotation];
            let t = r.escalates_to.as_deref().unwrap_or_default();
            let msg = format!(
                "`{t}`, the next tier of `{}`, is no rotation{}",
                r.id,
                mean(t, &mut team.rotations.iter().map(|r| r.id.as_str()))
            );
            (r, msg, r.source.at("escalates_to"))
        }
        Unknown::Page { page } => {
            let doc = site.pages[*page].doc.as_ref();
            let doc = doc.expect("a page naming a rotation is a document");
            let named = doc.front.oncall.as_ref().expect("it names one");
            let msg = format!(
                "`{}` is no on-call rotation of the team data{}",
                named.value,
                mean(
                    &named.value,
                    &mut team.rotations.iter().map(|r| r.id.as_str())
                )
            );
            return Diagnostic::error(Rule::OncallUnknown, &doc.file, msg)
                .at(named.pos)
                .with_help("name a rotation by its `id` under `rotations:` in the team data");
        }
    };
    Diagnostic::error(Rule::OncallUnknown, &r.source.file, message).at(at)
}
