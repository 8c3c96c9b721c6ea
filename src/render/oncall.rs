//! On-call rotations in the site: "On call now" (on a rotation's page and near the top of every
//! page whose front matter names it), a rotation's page (its facts, the coming hand-offs, the
//! gaps), a person's coming shifts and a team's rotations. Who is on call now depends on the
//! reader's time, not the build's: the block carries the rotation's rule (`data-oncall`, in
//! wall-clock seconds as [`crate::rota`] counts them) and the page's script works it out in
//! the rotation's zone; the build's text (who held it as the build day began) stands without
//! the script.

use std::fmt::Write as _;

use serde_json::json;

use crate::rota::{Coverage, Holder, Wall};
use crate::site::oncall::{unavailable, Hole, Stretch};
use crate::site::PageId;

use super::escape::{escape_attr, escape_attribute, push_link};
use super::renderer::Renderer;

/// Hand-offs a rotation's page lists.
const HANDOFFS: usize = 12;
/// Shifts a person's page lists.
const SHIFTS: usize = 6;

impl Renderer<'_> {
    /// `text` linked to `page` from `from`, or just the text when there is no page to link.
    fn push_page_link(&self, out: &mut String, from: PageId, page: Option<PageId>, text: &str) {
        match page {
            Some(page) => push_link(out, &self.site.href(from, &self.site.pages[page].url), text),
            None => escape_attribute(out, text),
        }
    }

    /// "On call now" for rotation `r` as page `from` shows it; with the next tier linked.
    pub(super) fn oncall_now_html(&self, from: PageId, r: usize) -> String {
        let site = self.site;
        let rotation = &site.team.rotations[r];
        let facts = &site.oncall().rotations[r];
        let mut out = String::with_capacity(512);
        out.push_str("<section class=\"oncall-now\" aria-label=\"On call now\" data-oncall=\"");
        escape_attribute(&mut out, &self.oncall_rule(from, r).to_string());
        out.push_str("\">\n<p><strong class=\"oncall-label\">On call");
        // The build's own words: who held the rotation as its day began.
        let opening = site.oncall().horizon.map(|h| h.from);
        let first = opening.and_then(|at| facts.stretches.iter().find(|s| s.span.contains(at)));
        match (first, opening) {
            (Some(first), Some(at)) => {
                let _ = write!(
                    out,
                    " at <time class=\"oncall-when\" datetime=\"{}\">{at} ",
                    at.civil(),
                );
                escape_attribute(&mut out, &rotation.timezone);
                out.push_str("</time>:</strong> <span class=\"oncall-who\">");
                self.holder_html(&mut out, from, first);
                out.push_str("</span>");
            }
            _ => out.push_str(":</strong> <span class=\"oncall-who\">not known (the rotation has no first hand-off or shift)</span>"),
        }
        out.push_str("</p>\n<p class=\"oncall-rota\">");
        let own = site.registry.rotation_page[r].filter(|&p| p != from);
        self.push_page_link(&mut out, from, own, &rotation.name);
        if let Some(next) =
            (rotation.escalates_to.as_deref()).and_then(|n| site.team.rotation_index(n.trim()))
        {
            out.push_str(" · next tier: ");
            let name = &site.team.rotations[next].name;
            self.push_page_link(&mut out, from, site.registry.rotation_page[next], name);
        }
        out.push_str("</p>\n</section>\n");
        out
    }

    /// Who holds a stretch: the person linked with how to reach them, or nobody and why.
    fn holder_html(&self, out: &mut String, from: PageId, s: &Stretch) {
        let site = self.site;
        match &s.on_call {
            Ok(person) => {
                let p = &site.team.people[*person];
                out.push_str(&self.person_ref(from, &p.id).html);
                if let Some(phone) = &p.phone {
                    out.push_str(" · <a class=\"oncall-phone\" href=\"tel:");
                    let dial: String = phone
                        .chars()
                        .filter(|c| c.is_ascii_digit() || *c == '+')
                        .collect();
                    escape_attribute(out, &dial);
                    out.push_str("\">");
                    escape_attribute(out, phone);
                    out.push_str("</a>");
                }
                if let Some(chat) = &p.chat {
                    out.push_str(" · <span class=\"oncall-chat\">");
                    escape_attribute(out, chat);
                    out.push_str("</span>");
                }
            }
            Err(hole) => {
                out.push_str("<span class=\"oncall-nobody\">nobody (uncovered: ");
                escape_attribute(out, &self.hole_words(hole));
                out.push_str(")</span>");
            }
        }
    }

    fn hole_words(&self, hole: &Hole) -> String {
        hole.words(&self.site.team, false)
    }

    /// The rotation's rule for the page's script: zone, first hand-off and shift in wall
    /// seconds, coverage windows, members and overrides as indexes into `people`, each person
    /// with how to reach them and when they cannot be on call (`null`: open-ended).
    fn oncall_rule(&self, from: PageId, r: usize) -> serde_json::Value {
        let site = self.site;
        let team = &site.team;
        let rotation = &team.rotations[r];
        let opening = site.oncall().horizon.map(|h| h.from);
        let mut names: Vec<String> = Vec::new();
        let mut index = |name: &str| -> usize {
            let name = name.trim();
            match names.iter().position(|n| n == name) {
                Some(i) => i,
                None => {
                    names.push(name.to_string());
                    names.len() - 1
                }
            }
        };
        let members: Vec<usize> = rotation.members.iter().map(|m| index(m)).collect();
        let overrides: Vec<serde_json::Value> = (rotation.overrides.iter())
            .map(|o| json!([o.from.0, o.to.0, index(&o.person)]))
            .collect();
        let end = |w: Wall| match w.0 {
            i64::MIN | i64::MAX => serde_json::Value::Null,
            s => json!(s),
        };
        let people: Vec<serde_json::Value> = names
            .iter()
            .map(|name| match team.person_index(name) {
                Some(i) => {
                    let p = &team.people[i];
                    let person = self.person_ref(from, &p.id);
                    // Only what is still to come: a reader's clock is not before the build's
                    // day, and past absences are nobody's business.
                    let away: Vec<serde_json::Value> = (unavailable(p, i).iter())
                        .filter(|(s, _)| opening.is_none_or(|o| s.to > o))
                        .map(|(s, hole)| json!([end(s.from), end(s.to), self.hole_words(hole)]))
                        .collect();
                    json!({"name": p.name, "href": person.href, "phone": p.phone,
                           "chat": p.chat, "away": away})
                }
                None => json!({"name": name, "unknown": true}),
            })
            .collect();
        let windows = match &rotation.coverage {
            Coverage::Always => serde_json::Value::Null,
            Coverage::Windows(w) => w
                .iter()
                .map(|w| {
                    let mask: u32 = (w.days.iter().enumerate())
                        .map(|(i, &on)| u32::from(on) << i)
                        .sum();
                    let minutes =
                        |t: jiff::civil::Time| i32::from(t.hour()) * 60 + i32::from(t.minute());
                    json!([mask, minutes(w.from), minutes(w.to)])
                })
                .collect(),
        };
        json!({
            "zone": rotation.timezone,
            "start": rotation.start.map(|w| w.0),
            "shift": rotation.shift.map(|s| s.seconds),
            "windows": windows,
            "members": members,
            "overrides": overrides,
            "people": people,
        })
    }

    /// A rotation's page: its facts, on call now, the coming hand-offs and the gaps.
    pub(super) fn rotation_html(&self, from: PageId, r: usize) -> String {
        let site = self.site;
        let rotation = &site.team.rotations[r];
        let facts = &site.oncall().rotations[r];
        let mut out = String::with_capacity(4096);
        out.push_str(&self.oncall_now_html(from, r));
        out.push_str("<dl class=\"facts oncall-facts\">\n<dt>Coverage</dt><dd>");
        out.push_str(&coverage_words(&rotation.coverage));
        out.push_str("</dd>\n<dt>Time zone</dt><dd>");
        escape_attribute(&mut out, &rotation.timezone);
        out.push_str("</dd>\n<dt>Shift</dt><dd>");
        match (rotation.shift, rotation.start) {
            (Some(shift), Some(start)) => {
                let _ = write!(out, "{shift}, hand-offs from {start}");
            }
            _ => out.push_str("<span class=\"missing\">Not set</span>"),
        }
        out.push_str("</dd>\n");
        if let Some(t) = rotation
            .team
            .as_deref()
            .and_then(|t| site.team.team_index(t.trim()))
        {
            out.push_str("<dt>Team</dt><dd>");
            let name = &site.team.teams[t].name;
            self.push_page_link(&mut out, from, site.registry.team_page[t], name);
            out.push_str("</dd>\n");
        }
        out.push_str("<dt>Members, in turn</dt><dd>");
        if rotation.members.is_empty() {
            out.push_str("<span class=\"missing\">None</span>");
        }
        for (i, m) in rotation.members.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&self.person_ref(from, m.trim()).html);
        }
        out.push_str("</dd>\n");
        if !rotation.requires.is_empty() {
            out.push_str("<dt>Required certifications</dt><dd>");
            escape_attribute(&mut out, &rotation.requires.join(", "));
            out.push_str("</dd>\n");
        }
        out.push_str("</dl>\n");

        out.push_str("<section aria-labelledby=\"handoffs-title\">\n<h2 id=\"handoffs-title\">Coming hand-offs</h2>\n");
        if facts.stretches.is_empty() {
            out.push_str("<p class=\"missing\">None: the rotation needs a first hand-off (`start`) and a shift length.</p>\n");
        } else {
            let _ = writeln!(
                out,
                "<p class=\"list-note\">From the build date, <time>{}</time>, in {} time.</p>",
                site.options.as_of,
                escape_attr(&rotation.timezone)
            );
            out.push_str("<table class=\"oncall-handoffs\">\n<thead><tr><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">On call</th></tr></thead>\n<tbody>\n");
            for s in facts.stretches.iter().take(HANDOFFS) {
                // A hole is a gap only where coverage is required (`check`'s gaps).
                let gap = s.on_call.is_err()
                    && (facts.gaps.iter())
                        .any(|g| g.span.from < s.span.to && s.span.from < g.span.to);
                let _ = write!(
                    out,
                    "<tr{}><td><time datetime=\"{}\">{}</time></td><td><time datetime=\"{}\">{}</time></td><td>",
                    if gap { " class=\"oncall-gap\"" } else { "" },
                    s.span.from.civil(),
                    s.span.from,
                    s.span.to.civil(),
                    s.span.to
                );
                match (&s.on_call, gap) {
                    (Err(hole), false) => {
                        out.push_str("<span class=\"oncall-off\">nobody (");
                        escape_attribute(&mut out, &self.hole_words(hole));
                        out.push_str("; no cover required)</span>");
                    }
                    _ => self.holder_html(&mut out, from, s),
                }
                if matches!(s.holder, Holder::Override(_)) && s.on_call.is_ok() {
                    out.push_str(" <span class=\"oncall-override\">(override)</span>");
                }
                out.push_str("</td></tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
            let calendar = site.href(from, &super::oncall_calendar_file(&rotation.id));
            out.push_str("<p class=\"calendar-link\"><a href=\"");
            escape_attribute(&mut out, &calendar);
            out.push_str("\" type=\"text/calendar\" download>Shift calendar</a> (iCalendar): every shift over the next ");
            let _ = writeln!(
                out,
                "{}, to subscribe to in a calendar app.</p>",
                site.config.oncall_horizon
            );
        }
        out.push_str("</section>\n");
        if !facts.gaps.is_empty() {
            let horizon = site.config.oncall_horizon;
            let _ = writeln!(
                out,
                "<section aria-labelledby=\"gaps-title\">\n<h2 id=\"gaps-title\">Gaps in the next {horizon}</h2>\n<ul class=\"oncall-gaps\">"
            );
            for g in &facts.gaps {
                let why: Vec<String> = g.causes.iter().map(|h| self.hole_words(h)).collect();
                let _ = write!(out, "<li>{} to {}: ", g.span.from, g.span.to);
                escape_attribute(&mut out, &why.join("; "));
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n</section>\n");
        }
        out
    }

    /// Person `i`'s coming shifts on every rotation, soonest first (at most [`SHIFTS`]).
    pub(super) fn shifts_html(&self, from: PageId, i: usize) -> String {
        let site = self.site;
        let oncall = site.oncall();
        // Soonest first across zones: by the instant each begins.
        let mut shifts: Vec<(Option<jiff::Timestamp>, Wall, Wall, usize)> = Vec::new();
        for (r, facts) in oncall.rotations.iter().enumerate() {
            let zone = &site.team.rotations[r].zone;
            for s in facts.stretches.iter().filter(|s| s.on_call == Ok(i)) {
                shifts.push((s.span.from.instant(zone), s.span.from, s.span.to, r));
            }
        }
        if shifts.is_empty() {
            return String::new();
        }
        shifts.sort();
        let mut out = String::from("<ul class=\"oncall-shifts\">\n");
        for (_, from_t, to_t, r) in shifts.into_iter().take(SHIFTS) {
            let rotation = &site.team.rotations[r];
            let _ = write!(out, "<li>{from_t} to {to_t} (");
            escape_attribute(&mut out, &rotation.timezone);
            out.push_str("): ");
            self.push_page_link(
                &mut out,
                from,
                site.registry.rotation_page[r],
                &rotation.name,
            );
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
        out
    }

    /// Team `t`'s rotations, linked.
    pub(super) fn team_rotations_html(&self, from: PageId, t: usize) -> String {
        let site = self.site;
        let id = site.team.teams[t].id.as_str();
        let mut out = String::new();
        for (r, rotation) in site.team.rotations.iter().enumerate() {
            if rotation.team.as_deref().map(str::trim) != Some(id) {
                continue;
            }
            if out.is_empty() {
                out.push_str("<ul class=\"oncall-rotations\">\n");
            }
            out.push_str("<li>");
            self.push_page_link(
                &mut out,
                from,
                site.registry.rotation_page[r],
                &rotation.name,
            );
            out.push_str(" · ");
            out.push_str(&coverage_words(&rotation.coverage));
            out.push_str("</li>\n");
        }
        if !out.is_empty() {
            out.push_str("</ul>\n");
        }
        out
    }
}

/// Coverage in words: "24x7", "Monday to Friday, 09:00 to 17:00"...
fn coverage_words(c: &Coverage) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    match c {
        Coverage::Always => "24x7".into(),
        Coverage::Windows(windows) => windows
            .iter()
            .map(|w| {
                let days: Vec<&str> = (0..7).filter(|&i| w.days[i]).map(|i| DAYS[i]).collect();
                let hm = |t: jiff::civil::Time| format!("{:02}:{:02}", t.hour(), t.minute());
                format!("{} {} to {}", days.join(", "), hm(w.from), hm(w.to))
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}
