//! The small things pages show again and again (links, list items, people, tags, review
//! badges) and their building from the model: shared by the page contexts, the generated
//! pages and the HTML fragments.

use std::fmt::Write as _;

use serde::Serialize;

use crate::dates::Day;
use crate::load::front_matter::Owned;
use crate::site::review::Review;
use crate::site::PageId;

use super::escape::{escape_attribute, push_link};
use super::renderer::Renderer;

#[derive(Serialize)]
pub(super) struct Link {
    pub(super) title: String,
    pub(super) href: String,
}

#[derive(Serialize)]
pub(super) struct ListItem<'a> {
    pub(super) title: &'a str,
    pub(super) href: String,
    pub(super) description: Option<&'a str>,
    pub(super) kind: &'static str,
    pub(super) kind_label: &'static str,
    pub(super) doc_id: Option<&'a str>,
    pub(super) status: &'static str,
    pub(super) status_label: &'static str,
    pub(super) is_section: bool,
}

/// A person named by a document (owner, approver, reviewer) or by the team data.
#[derive(Serialize)]
pub(super) struct PersonRef<'a> {
    pub(super) id: &'a str,
    /// Their name, or the id when the team data does not know them.
    pub(super) name: &'a str,
    pub(super) known: bool,
    /// A chat channel that owns a document (`owner_channel`) rather than a person: `id` and
    /// `name` are the channel, and it has no page.
    pub(super) channel: bool,
    /// Their page.
    pub(super) href: Option<String>,
    /// The day they left, when on or before the as-of date.
    pub(super) departed: Option<Day>,
    /// All of the above as ready HTML: the name (linked), then "(left DATE)" or "(not in the
    /// team data)" when so. Built in Rust: a Tera macro call costs microseconds, and every
    /// document names an owner, an approver and reviewers.
    pub(super) html: String,
}

#[derive(Serialize)]
pub(super) struct ReviewCtx<'a> {
    #[serde(flatten)]
    pub(super) review: &'a Review,
    label: &'static str,
    /// The status badge as ready HTML, with what the reader's-date script needs
    /// (`data-review="NEXT DAYS"`: the next review and the days of its due-soon window).
    pub(super) badge: String,
}

impl<'a> ReviewCtx<'a> {
    pub(super) fn new(review: &'a Review) -> Self {
        let label = review.status.label();
        let mut badge = String::with_capacity(80);
        // The status as a class, the dates as one attribute with the window in days: every
        // list row carries a badge (45,000 at 10,000 pages), so each byte counts 45 KB.
        let _ = write!(
            badge,
            "<span class=\"review-badge {}\"",
            review.status.as_str()
        );
        if let Some(next) = review.next {
            let _ = write!(badge, " data-review=\"{next}");
            if let Some(from) = review.due_soon_from {
                let _ = write!(badge, " {}", from.days_until(next));
            }
            badge.push('"');
        }
        let _ = write!(badge, ">{label}</span>");
        ReviewCtx {
            review,
            label,
            badge,
        }
    }
}

/// How far a document is from its next review, in words, as HTML: "overdue by 12 days", "due
/// today", "due in 3 days"; `None` without a next review date. The date rides along
/// (`data-next-review`) so that a reader's browser can say it again on its own date.
pub(super) fn review_when_html(review: &Review) -> Option<String> {
    let next = review.next?;
    let days = review.days_left?;
    let n = days.unsigned_abs();
    let unit = if n == 1 { "day" } else { "days" };
    let words = match days {
        0 => "due today".to_string(),
        d if d < 0 => format!("overdue by {n} {unit}"),
        _ => format!("due in {n} {unit}"),
    };
    Some(format!(
        "<span class=\"review-when\" data-next-review=\"{next}\">{words}</span>"
    ))
}

#[derive(Serialize)]
pub(super) struct TagRef<'a> {
    pub(super) name: &'a str,
    pub(super) href: Option<String>,
}

impl<'s> Renderer<'s> {
    pub(super) fn list_item(&self, from: PageId, id: PageId) -> ListItem<'s> {
        let p = &self.site.pages[id];
        let doc = p.doc.as_ref();
        ListItem {
            title: &p.title,
            href: self.site.href(from, &p.url),
            description: doc.and_then(|d| d.front.description.as_deref()),
            kind: p.kind().as_str(),
            kind_label: p.kind().label(),
            doc_id: doc
                .and_then(|d| d.front.id.as_ref())
                .map(|s| s.value.as_str()),
            status: p.status().as_str(),
            status_label: p.status().label(),
            is_section: p.is_section(),
        }
    }

    /// Person `id` as named on page `from`, linked to their page.
    pub(super) fn person_ref(&self, from: PageId, id: &'s str) -> PersonRef<'s> {
        let site = self.site;
        let index = site.team.person_index(id);
        let person = index.map(|i| &site.team.people[i]);
        let mut r = PersonRef {
            id,
            name: person.map_or(id, |p| p.name.as_str()),
            known: person.is_some(),
            href: index
                .and_then(|i| site.registry.person_page[i])
                .map(|p| site.href(from, &site.pages[p].url)),
            departed: person.and_then(|p| p.departed(site.options.as_of)),
            channel: false,
            html: String::new(),
        };
        r.html = person_html(&r);
        r
    }

    /// A document's owner: the person, or the chat channel shown as one of its own kind.
    pub(super) fn owner_ref(&self, from: PageId, owner: Owned<'s>) -> PersonRef<'s> {
        match owner {
            Owned::Person(id) => self.person_ref(from, id),
            Owned::Channel(name) => {
                let mut r = PersonRef {
                    id: name,
                    name,
                    known: true,
                    channel: true,
                    href: None,
                    departed: None,
                    html: String::new(),
                };
                r.html = person_html(&r);
                r
            }
        }
    }

    pub(super) fn tag_ref(&self, from: PageId, name: &'s str) -> TagRef<'s> {
        let site = self.site;
        TagRef {
            name,
            href: site
                .registry
                .tag(name)
                .and_then(|t| t.page)
                .map(|p| site.href(from, &site.pages[p].url)),
        }
    }
}

/// A person's name, linked to their page when they have one, marked when they have left or
/// are not in the team data (see [`PersonRef::html`]).
pub(super) fn person_html(p: &PersonRef) -> String {
    let mut html = String::with_capacity(96);
    if p.channel {
        html.push_str("<span class=\"owner-channel\">");
        escape_attribute(&mut html, p.name);
        html.push_str("</span> (chat channel)");
        return html;
    }
    match &p.href {
        Some(href) => push_link(&mut html, href, p.name),
        None => escape_attribute(&mut html, p.name),
    }
    if let Some(left) = p.departed {
        let _ = write!(
            html,
            " <span class=\"departed\">(left <time>{left}</time>)</span>"
        );
    }
    if !p.known {
        html.push_str(" <span class=\"unknown-person\">(not in the team data)</span>");
    }
    html
}

/// ` name="d1 d2"` for the dates given, or nothing when there are none.
pub(super) fn dates_attribute(name: &str, dates: impl Iterator<Item = Day>) -> String {
    let dates: Vec<String> = dates.map(|d| d.to_string()).collect();
    match dates.is_empty() {
        true => String::new(),
        false => format!(" {name}=\"{}\"", dates.join(" ")),
    }
}

/// By when a reader must acknowledge (`data-due`, which the reader's browser turns from "due
/// by" to "was due by" once the day has passed), or "late" when nothing dates it.
pub(super) fn due_html(out: &mut String, d: &crate::site::reading::Duty) {
    use crate::site::reading::Standing;
    match d.due {
        Some(due) => {
            let what = match d.standing {
                Standing::Late => "was due by",
                _ => "due by",
            };
            let late = if d.standing == Standing::Late {
                " is-late"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<span class=\"acknowledgement-due{late}\" data-due=\"{due}\">{what} <time>{due}</time></span>"
            );
        }
        None => out.push_str("<span class=\"acknowledgement-due is-late\">late</span>"),
    }
}

impl Renderer<'_> {
    /// "Acknowledged by N of M required readers" for document `id`, with those who have not
    /// acknowledged its version in force, each linked to their page with the last day allowed
    /// (`data-due`, for the reader's date); empty when nobody must read it.
    pub(super) fn acknowledgements_html(&self, id: PageId) -> String {
        use crate::site::reading::Standing;
        let duties = self.site.reading().of_page(id);
        if duties.is_empty() {
            return String::new();
        }
        let site = self.site;
        let current = duties
            .iter()
            .filter(|d| d.standing == Standing::Current)
            .count();
        let version = (site.pages[id].doc.as_ref())
            .and_then(|d| d.front.version.as_deref())
            .map_or(String::new(), |v| {
                let mut s = String::from(" (version ");
                escape_attribute(&mut s, v);
                s.push(')');
                s
            });
        let mut out = String::with_capacity(256 + duties.len() * 120);
        // Acknowledgements that must be renewed lapse on a known day: the reader's browser
        // counts them out, and shows their readers as outstanding, from that day.
        let lapses = dates_attribute("data-lapses", duties.iter().filter_map(|d| d.lapses));
        let _ = write!(
            out,
            "<section class=\"acknowledgements\" aria-labelledby=\"acknowledgements-title\">\n<h2 id=\"acknowledgements-title\">Required reading</h2>\n<p>Acknowledged by <strong{lapses}>{current}</strong> of {} required readers{version}.</p>\n",
            duties.len()
        );
        let outstanding: Vec<_> = duties
            .iter()
            .filter(|d| d.standing != Standing::Current || d.lapses.is_some())
            .collect();
        if !outstanding.is_empty() {
            out.push_str("<ul class=\"acknowledgements-outstanding\">\n");
            for d in outstanding {
                let person = self.person_ref(id, &site.team.people[d.person].id);
                match d.lapses {
                    Some(lapses) => {
                        let _ = write!(out, "<li data-from=\"{lapses}\" hidden>");
                    }
                    None => out.push_str("<li>"),
                }
                out.push_str(&person.html);
                out.push(' ');
                due_html(&mut out, d);
                if let Some(v) = &d.read_version {
                    out.push_str(" <span class=\"acknowledgement-read\">read version ");
                    escape_attribute(&mut out, v);
                    out.push_str("</span>");
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::review::ReviewStatus;

    fn review(next: Option<&str>, days_left: Option<i64>) -> Review {
        Review {
            last_reviewed: None,
            interval: None,
            default_interval: false,
            next: next.map(|d| d.parse().unwrap()),
            due_soon_from: None,
            status: ReviewStatus::Current,
            days_left,
        }
    }

    #[test]
    fn how_far_from_its_review_in_words() {
        let words = |days: i64| {
            let html = review_when_html(&review(Some("2026-12-01"), Some(days))).unwrap();
            assert!(html.starts_with(r#"<span class="review-when" data-next-review="2026-12-01">"#));
            html[html.find('>').unwrap() + 1..html.len() - "</span>".len()].to_string()
        };
        assert_eq!(words(-12), "overdue by 12 days");
        assert_eq!(words(-1), "overdue by 1 day");
        assert_eq!(words(0), "due today");
        assert_eq!(words(1), "due in 1 day");
        assert_eq!(words(30), "due in 30 days");
        assert_eq!(review_when_html(&review(None, None)), None);
    }
}
