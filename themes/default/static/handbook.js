/* handbook: collapsible navigation on narrow screens.
 * Classic script, no dependencies, safe on pages without the elements.
 * Without JavaScript the navigation simply stays visible above the content, and there is no
 * menu button: the script makes it (a theme's base.html may still carry one). */
(function () {
  "use strict";
  try {
    var doc = document;
    var root = doc.documentElement;
    var nav = doc.getElementById("site-nav");
    var header = doc.querySelector(".site-header");
    if (!root || !nav || !window.matchMedia) {
      return;
    }
    var button = doc.querySelector(".nav-toggle");
    if (!button && header) {
      button = doc.createElement("button");
      button.className = "nav-toggle";
      button.type = "button";
      button.setAttribute("aria-controls", "site-nav");
      button.setAttribute("aria-expanded", "false");
      button.hidden = true;
      button.textContent = "Menu";
      header.insertBefore(button, header.firstChild);
    }
    if (!button) {
      return;
    }

    /* Keep in step with the 900px (56.25rem) breakpoint in style.css. */
    var narrow = window.matchMedia("(max-width: 56.24rem)");

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        root.classList.add("nav-open");
      } else {
        root.classList.remove("nav-open");
      }
    }

    function update() {
      if (narrow.matches) {
        button.hidden = false;
        root.classList.add("js-nav");
        setOpen(root.classList.contains("nav-open"));
      } else {
        button.hidden = true;
        root.classList.remove("js-nav");
        setOpen(false);
      }
    }

    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });

    if (narrow.addEventListener) {
      narrow.addEventListener("change", update);
    } else if (narrow.addListener) {
      narrow.addListener(update);
    }

    update();
  } catch (e) {
    /* Never break the page; the nav stays visible if anything goes wrong. */
    try {
      document.documentElement.classList.remove("js-nav");
    } catch (ignored) {}
  }
})();

/* handbook: review status as of the reader's date. The build wrote each badge's status as of
 * the build date; a static site is read long after, so the badges and the overdue banner are
 * re-evaluated here against today's date, from the dates in the page. Without JavaScript the
 * build-time status stands. The rule matches the build's: overdue after the next review date,
 * due soon from the start of the due-soon window up to and including that date. */
(function () {
  "use strict";
  try {
    var LABELS = {
      overdue: "Overdue",
      "due-soon": "Due soon",
      current: "Current",
      none: "No review date"
    };
    var now = new Date();
    function pad(n) {
      return (n < 10 ? "0" : "") + n;
    }
    /* The reader's local date as YYYY-MM-DD: such strings compare like dates. */
    var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());

    /* A date N days before a YYYY-MM-DD date, in the same form (counted in UTC, where every
     * day has 24 hours). */
    function daysBefore(date, n) {
      var t = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)));
      t.setUTCDate(t.getUTCDate() - n);
      return t.getUTCFullYear() + "-" + pad(t.getUTCMonth() + 1) + "-" + pad(t.getUTCDate());
    }

    function statusOf(el) {
      /* "NEXT DAYS": the next review, the days of its due-soon window (when there is one). */
      var facts = (el.getAttribute("data-review") || "").split(" ");
      var next = facts[0];
      if (!next) {
        return "none";
      }
      if (today > next) {
        return "overdue";
      }
      if (facts[1] && today >= daysBefore(next, +facts[1])) {
        return "due-soon";
      }
      return "current";
    }

    var badges = document.querySelectorAll(".review-badge[data-review]");
    var pageStatus = null;
    for (var i = 0; i < badges.length; i++) {
      var status = statusOf(badges[i]);
      for (var was in LABELS) {
        badges[i].classList.remove(was);
      }
      badges[i].classList.add(status);
      badges[i].textContent = LABELS[status];
      if (badges[i].closest && badges[i].closest(".doc-control")) {
        pageStatus = status;
      }
    }
    if (pageStatus) {
      var banners = document.querySelectorAll("[data-review-banner]");
      for (var j = 0; j < banners.length; j++) {
        banners[j].hidden = pageStatus !== "overdue";
      }
    }
    /* Overdue counts (the people and teams indexes, a team's page) from the next review
     * dates of the documents they count; a phrase (" · 2 overdue") hides at zero. */
    var counts = document.querySelectorAll("[data-overdue-dates]");
    for (var c = 0; c < counts.length; c++) {
      var dates = counts[c].getAttribute("data-overdue-dates").split(" ");
      var n = 0;
      for (var d = 0; d < dates.length; d++) {
        if (dates[d] && today > dates[d]) {
          n++;
        }
      }
      if (counts[c].classList.contains("overdue-phrase")) {
        counts[c].hidden = n === 0;
        var phrase = counts[c].querySelector(".is-overdue");
        if (phrase) {
          phrase.textContent = n + " overdue";
        }
      } else if (n > 0) {
        var strong = document.createElement("span");
        strong.className = "is-overdue";
        strong.textContent = String(n);
        counts[c].textContent = "";
        counts[c].appendChild(strong);
      } else {
        counts[c].textContent = "0";
      }
    }
    /* A certification is valid through its expiry date. */
    var certs = document.querySelectorAll("[data-expires]");
    for (var e = 0; e < certs.length; e++) {
      var expired = today > certs[e].getAttribute("data-expires");
      certs[e].classList.toggle("is-expired", expired);
      var word = certs[e].querySelector(".expiry-word");
      if (word) {
        word.textContent = expired ? "expired" : "expires";
      }
    }
    /* The figures above now stand as of today: the notes that dated them say so (when there
     * were figures to count again: a theme's note beside figures it keeps keeps its date). */
    var dated = counts.length || certs.length ? document.querySelectorAll("[data-as-of]") : [];
    for (var a = 0; a < dated.length; a++) {
      dated[a].setAttribute("datetime", today);
      dated[a].textContent = today;
    }
    var printed = document.querySelectorAll("[data-print-date]");
    for (var k = 0; k < printed.length; k++) {
      printed[k].setAttribute("datetime", today);
      printed[k].textContent = today;
    }
  } catch (e) {
    /* Leave the build-time status in place. */
  }
})();

/* handbook: required reading as of the reader's date. A reader's acknowledgement is due by a
 * day (data-due): past it, "due by" becomes "was due by". Acknowledgements that must be renewed
 * lapse on a known day: what shows until then (data-until) hides, what shows from then
 * (data-from) appears, and the counts of current readers (data-lapses: the days on which
 * theirs lapse) count them out. Without JavaScript the build-time status stands. */
(function () {
  "use strict";
  try {
    var now = new Date();
    function pad(n) {
      return (n < 10 ? "0" : "") + n;
    }
    var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    var i;
    /* Only in the markup the build wrote for required reading: a page's own HTML may use
     * the same attribute names. */
    function all(attribute) {
      return document.querySelectorAll(
        ".acknowledgements [" + attribute + "], .required-reading [" + attribute + "]"
      );
    }
    var until = all("data-until");
    for (i = 0; i < until.length; i++) {
      until[i].hidden = today >= until[i].getAttribute("data-until");
    }
    var from = all("data-from");
    for (i = 0; i < from.length; i++) {
      from[i].hidden = today < from[i].getAttribute("data-from");
    }
    var due = all("data-due");
    for (i = 0; i < due.length; i++) {
      var late = today > due[i].getAttribute("data-due");
      due[i].classList.toggle("is-late", late);
      var words = due[i].firstChild;
      if (words && words.nodeType === 3) {
        words.textContent = late ? "was due by " : "due by ";
      }
    }
    var counts = all("data-lapses");
    for (i = 0; i < counts.length; i++) {
      var n = parseInt(counts[i].textContent, 10);
      var days = counts[i].getAttribute("data-lapses").split(" ");
      for (var d = 0; d < days.length; d++) {
        if (days[d] && today >= days[d]) {
          n--;
        }
      }
      counts[i].textContent = String(n);
    }
  } catch (e) {
    /* Leave the build-time status in place. */
  }
})();

/* handbook: who is on call now, at the reader's time. Each "On call now" block carries its
 * rotation's rule (data-oncall): the zone, the first hand-off and the shift in wall-clock
 * seconds (the rotation's local clock read as if it were UTC, as the build counts them, so
 * that hand-offs keep their local time across daylight saving), coverage windows, members
 * and overrides as indexes into its people, and when each person cannot be on call. Each
 * local time becomes an instant in the rotation's zone as the build's calendar has it (a
 * time the clocks skip reads as after the change, a time they repeat as its first
 * occurrence), and the reader's instant is compared with those: the override under way (the
 * last listed wins), else the member whose turn it is. Without JavaScript the build's text
 * stands: who held the rotation as the build day began. */
(function () {
  "use strict";
  var blocks = document.querySelectorAll("[data-oncall]");
  if (!blocks.length) {
    return;
  }
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function wallText(w) {
    var d = new Date(w * 1000);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) +
      " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }
  /* A zone's clock: the wall time at an instant, and the instant of a wall time. */
  function clock(zone) {
    var format = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit"
    });
    function wallOf(t) {
      var parts = {};
      format.formatToParts(new Date(t * 1000)).forEach(function (p) {
        parts[p.type] = p.value;
      });
      return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24,
        +parts.minute, +parts.second) / 1000;
    }
    function instantOf(w) {
      if (w === null) {
        return null;
      }
      /* With the offset of the day before, then of the day after: the one that reads back
       * (the earlier when both do); when neither does the clocks skip it, and the offset
       * before the change puts it after. */
      var before = w - (wallOf(w - 86400) - (w - 86400));
      var after = w - (wallOf(w + 86400) - (w + 86400));
      var ok = [before, after].filter(function (t) { return wallOf(t) === w; });
      return ok.length ? Math.min.apply(null, ok) : before;
    }
    return { wallOf: wallOf, instantOf: instantOf };
  }
  /* Whether wall time w falls in a window [days mask (bit 0 Monday), from, to minutes]. */
  function covered(windows, w) {
    if (!windows) {
      return true;
    }
    var d = new Date(w * 1000);
    var day = (d.getUTCDay() + 6) % 7;
    var minute = d.getUTCHours() * 60 + d.getUTCMinutes();
    for (var i = 0; i < windows.length; i++) {
      var win = windows[i];
      var today = (win[0] >> day) & 1;
      var yesterday = (win[0] >> ((day + 6) % 7)) & 1;
      if (win[2] > win[1] ? today && minute >= win[1] && minute < win[2] :
        (today && minute >= win[1]) || (yesterday && minute < win[2])) {
        return true;
      }
    }
    return false;
  }
  function show(who, person, until) {
    var a = document.createElement(person.href ? "a" : "span");
    if (person.href) {
      a.href = person.href;
    }
    a.textContent = person.name;
    who.appendChild(a);
    if (person.phone) {
      var phone = document.createElement("a");
      phone.className = "oncall-phone";
      phone.href = "tel:" + person.phone.replace(/[^0-9+]/g, "");
      phone.textContent = person.phone;
      who.appendChild(document.createTextNode(" · "));
      who.appendChild(phone);
    }
    if (person.chat) {
      who.appendChild(document.createTextNode(" · " + person.chat));
    }
    if (until !== null) {
      who.appendChild(document.createTextNode(" · until " + until));
    }
  }
  function nobody(who, why) {
    var span = document.createElement("span");
    span.className = "oncall-nobody";
    span.textContent = "nobody (" + why + ")";
    who.appendChild(span);
  }
  /* Who holds `rule` at instant `now` (seconds): the person's index into rule.people (or
   * null), until when (an instant), why nobody does, and the wall time then. Also on
   * window.handbook, so that a test can ask about any instant. */
  function onCallAt(rule, now) {
    var c = clock(rule.zone);
    var wallNow = c.wallOf(now);
    var holder = null;
    var until = null;
    var o;
    for (o = 0; o < rule.overrides.length; o++) {
      var ov = rule.overrides[o];
      if (c.instantOf(ov[0]) <= now && now < c.instantOf(ov[1])) {
        holder = ov[2];
        until = c.instantOf(ov[1]);
      }
    }
    var started = rule.start !== null && rule.shift && now >= c.instantOf(rule.start);
    if (holder === null && started && rule.members.length) {
      var handoff = function (k) { return c.instantOf(rule.start + k * rule.shift); };
      var turn = Math.floor((wallNow - rule.start) / rule.shift);
      while (turn > 0 && handoff(turn) > now) {
        turn--;
      }
      while (handoff(turn + 1) <= now) {
        turn++;
      }
      holder = rule.members[turn % rule.members.length];
      until = handoff(turn + 1);
    }
    /* The holder's stretch ends where an override or their time away begins. */
    for (o = 0; o < rule.overrides.length; o++) {
      var begins = c.instantOf(rule.overrides[o][0]);
      if (begins > now && (until === null || begins < until)) {
        until = begins;
      }
    }
    var person = holder === null ? null : rule.people[holder];
    var away = null;
    if (person && person.away) {
      for (var a = 0; a < person.away.length; a++) {
        var span = person.away[a];
        var from = c.instantOf(span[0]);
        var to = c.instantOf(span[1]);
        if ((from === null || from <= now) && (to === null || now < to)) {
          away = span[2];
        } else if (from !== null && from > now && (until === null || from < until)) {
          until = from;
        }
      }
    }
    var why = null;
    if (!covered(rule.windows, wallNow)) {
      why = "outside";
    } else if (!rule.members.length && holder === null) {
      why = "uncovered: the rotation has no members";
    } else if (!started && holder === null) {
      why = "the rotation starts on " + wallText(rule.start);
    } else if (!person || person.unknown || away) {
      why = "uncovered" + (away ? ": " + away : person && person.unknown ?
        ": " + person.name + " is not in the team data" : "");
    }
    return {
      holder: why === null ? holder : null,
      until: why === null ? until : null,
      untilWall: why === null && until !== null ? wallText(c.wallOf(until)) : null,
      why: why,
      wall: wallText(wallNow)
    };
  }
  window.handbook = window.handbook || {};
  window.handbook.onCallAt = onCallAt;
  for (var b = 0; b < blocks.length; b++) {
    try {
      var rule = JSON.parse(blocks[b].getAttribute("data-oncall"));
      var now = Math.floor(Date.now() / 1000);
      var at = onCallAt(rule, now);
      var who = blocks[b].querySelector(".oncall-who");
      var when = blocks[b].querySelector(".oncall-when");
      var label = blocks[b].querySelector(".oncall-label");
      label.textContent = "On call now ";
      label.appendChild(when);
      label.appendChild(document.createTextNode(":"));
      when.setAttribute("datetime", new Date(now * 1000).toISOString().slice(0, 16) + "Z");
      when.textContent = "(" + at.wall.slice(11) + " " + rule.zone + ")";
      who.textContent = "";
      if (at.why === "outside") {
        who.textContent = "nobody needed (outside coverage hours)";
      } else if (at.why !== null) {
        nobody(who, at.why);
      } else {
        show(who, rule.people[at.holder], at.untilWall);
      }
      blocks[b].setAttribute("data-oncall-now", at.holder === null ? "" : String(at.holder));
    } catch (e) {
      /* Leave the build's text in place. */
    }
  }
})();

/* handbook: "On this page" marks the section being read (aria-current="location" on its link):
 * the last of its headings that has scrolled into the top quarter of the window below the
 * sticky header, or the first. */
(function () {
  "use strict";
  try {
    var links = document.querySelectorAll(".toc a[href^='#']");
    if (!links.length) {
      return;
    }
    var header = document.querySelector(".site-header");
    var headings = [];
    for (var i = 0; i < links.length; i++) {
      var id = decodeURIComponent(links[i].getAttribute("href").slice(1));
      var h = document.getElementById(id);
      if (h) {
        headings.push({ link: links[i], heading: h });
      }
    }
    if (!headings.length) {
      return;
    }
    var current = null;
    var queued = false;
    function mark() {
      queued = false;
      // A heading that a link has just scrolled to stops a little below the header (its
      // scroll margin): the line is a quarter of the way down what the header leaves.
      var top = header ? header.getBoundingClientRect().bottom : 0;
      var line = top + (window.innerHeight - top) / 4;
      var at = headings[0];
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].heading.getBoundingClientRect().top <= line) {
          at = headings[i];
        } else {
          break;
        }
      }
      if (at !== current) {
        if (current) {
          current.link.removeAttribute("aria-current");
        }
        at.link.setAttribute("aria-current", "location");
        current = at;
      }
    }
    function queue() {
      if (!queued) {
        queued = true;
        window.requestAnimationFrame(mark);
      }
    }
    window.addEventListener("scroll", queue, { passive: true });
    window.addEventListener("resize", queue);
    mark();
  } catch (e) {
    /* The contents stay unmarked. */
  }
})();

/* handbook: a copy button on every code block. The clipboard API where the page may use it,
 * else a selected hidden text field and the copy command, so that it works from file:// too;
 * the button says "Copied" for two seconds. */
(function () {
  "use strict";
  try {
    function fallback(text) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      return ok;
    }
    function copy(text) {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        return navigator.clipboard.writeText(text).then(function () {
          return true;
        }, function () {
          return fallback(text);
        });
      }
      return Promise.resolve(fallback(text));
    }
    var blocks = document.querySelectorAll("main pre");
    for (var i = 0; i < blocks.length; i++) {
      (function (pre) {
        var wrap = document.createElement("div");
        wrap.className = "code-block";
        pre.parentNode.insertBefore(wrap, pre);
        wrap.appendChild(pre);
        var button = document.createElement("button");
        button.type = "button";
        button.className = "copy-code";
        button.textContent = "Copy";
        button.setAttribute("aria-live", "polite");
        var timer = null;
        button.addEventListener("click", function () {
          var code = pre.querySelector("code") || pre;
          copy(code.textContent).then(function (ok) {
            button.textContent = ok ? "Copied" : "Press Ctrl-C to copy";
            if (!ok) {
              var range = document.createRange();
              range.selectNodeContents(code);
              var selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
            }
            clearTimeout(timer);
            timer = setTimeout(function () {
              button.textContent = "Copy";
            }, 2000);
          });
        });
        wrap.appendChild(button);
      })(blocks[i]);
    }
  } catch (e) {
    /* Code blocks stay as they are. */
  }
})();

/* handbook: a code block or table wider than its column scrolls inside its own box; such a box
 * is made reachable from the keyboard (tabindex 0), so that arrow keys scroll it, and only
 * while it does overflow, so that narrow blocks add no tab stops. Checked again on resize. */
(function () {
  "use strict";
  try {
    var boxes = document.querySelectorAll("main pre, main table");
    if (!boxes.length) {
      return;
    }
    function update() {
      for (var i = 0; i < boxes.length; i++) {
        var box = boxes[i];
        if (box.scrollWidth > box.clientWidth + 1) {
          box.setAttribute("tabindex", "0");
        } else if (box.getAttribute("tabindex") === "0") {
          box.removeAttribute("tabindex");
        }
      }
    }
    var pending = null;
    function later() {
      clearTimeout(pending);
      pending = setTimeout(update, 100);
    }
    window.addEventListener("resize", later);
    /* A box inside a <details> has no width until it is opened. */
    document.addEventListener("toggle", later, true);
    update();
  } catch (e) {
    /* The boxes still scroll with a mouse or a finger. */
  }
})();

/* handbook: a printed controlled document carries all its details: the folded part of its
 * panel is opened for printing (browsers without ::details-content would print it folded). */
(function () {
  "use strict";
  try {
    window.addEventListener("beforeprint", function () {
      var folded = document.querySelectorAll("details.doc-control-more:not([open])");
      for (var i = 0; i < folded.length; i++) {
        folded[i].open = true;
      }
    });
  } catch (e) {
    /* Printed as shown. */
  }
})();

/* handbook: the home page's health on the reader's date. The build embeds the review facts of
 * every document in force (#review-facts); when the reader's date is after the build's, the
 * counts and the overdue and due-soon lists are made again from them, in the build's markup
 * and order (next review, then title; owners with the most documents first, then the one
 * whose first document comes first; 12 owners and 5 documents each). Without JavaScript the build's figures stand, with the date they were
 * computed on. */
(function () {
  "use strict";
  try {
    var facts = document.getElementById("review-facts");
    var groups = document.querySelector("[data-review-groups]");
    if (!facts || !groups) {
      return;
    }
    var data = JSON.parse(facts.textContent);
    var now = new Date();
    function pad(n) {
      return (n < 10 ? "0" : "") + n;
    }
    var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    // Before the build's date (a clock behind, or a build dated ahead), the build's figures
    // stand: the facts leave out the titles of what was overdue then and cannot be shown later.
    if (today <= data.asOf) {
      return;
    }
    var LABELS = { overdue: "Overdue", "due-soon": "Due soon", current: "Current" };
    var OWNERS = 12;
    var DOCS = 5;
    function utc(day) {
      return Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10));
    }
    /* As the build escapes: the five special characters. */
    function escape(s) {
      return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    }
    /* Days from the build's date to the reader's, and the date `days` after the build's. */
    var elapsed = Math.round((utc(today) - utc(data.asOf)) / 86400000);
    function dayAfterBuild(days) {
      var d = new Date(utc(data.asOf) + days * 86400000);
      return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
    }
    function when(next) {
      var days = next - elapsed;
      var n = Math.abs(days);
      var unit = n === 1 ? "day" : "days";
      return days === 0 ? "due today" : days < 0 ? "overdue by " + n + " " + unit :
        "due in " + n + " " + unit;
    }
    var by = { overdue: [], "due-soon": [], current: [] };
    for (var i = 0; i < data.docs.length; i++) {
      var d = data.docs[i];
      by[elapsed > d[1] ? "overdue" : d[2] >= 0 && elapsed >= d[1] - d[2] ? "due-soon" :
        "current"].push(d);
    }
    for (var status in by) {
      var tile = document.querySelector('[data-review-count="' + status + '"]');
      if (!tile) {
        continue;
      }
      var n = by[status].length;
      var inner = '<span class="count">' + n + '</span> <span class="label">' + LABELS[status] +
        "</span>";
      tile.innerHTML = n && status !== "current" ? '<a href="#review-' + status + '">' + inner +
        "</a>" : inner;
    }
    var asOf = document.querySelector("[data-health-as-of]");
    if (asOf) {
      asOf.setAttribute("datetime", today);
      asOf.textContent = today;
    }
    function group(status, docs) {
      var owners = [];
      var of = {};
      for (var i = 0; i < docs.length; i++) {
        var key = docs[i][0];
        if (!(key in of)) {
          of[key] = owners.length;
          owners.push({ key: key, first: i, docs: [] });
        }
        owners[of[key]].docs.push(docs[i]);
      }
      owners.sort(function (a, b) {
        return b.docs.length - a.docs.length || a.first - b.first;
      });
      var html = '<h3 class="review-group-title review-' + status + '" id="review-' + status +
        '">' + LABELS[status] + ' <span class="count">(' + docs.length + ")</span></h3>" +
        '<ul class="owner-groups" data-review-group="' + status + '">';
      for (var o = 0; o < Math.min(owners.length, OWNERS); o++) {
        var owner = owners[o].key === -1 ? null : data.owners[owners[o].key];
        var mine = owners[o].docs;
        html += '<li class="owner-group"><p class="owner">' +
          (owner ? owner[0] : '<span class="missing">No owner</span>') +
          (owner && owner[1] ? ' <span class="owner-team">' + owner[1] + "</span>" : "") +
          ' <span class="count">' + mine.length + '</span></p><ul class="page-list">';
        for (var k = 0; k < Math.min(mine.length, DOCS); k++) {
          var doc = mine[k];
          var next = dayAfterBuild(doc[1]);
          html += "<li>" + (doc[3] ? '<span class="doc-id">' + escape(doc[3]) + "</span> " : "") +
            '<a href="' + escape(doc[5]) + '">' + escape(doc[4]) + "</a>" +
            ' <span class="review-when" data-next-review="' + next + '">' + when(doc[1]) +
            '</span> <span class="review-next">(review by <time>' + next +
            "</time>)</span></li>";
        }
        if (mine.length > DOCS) {
          var more = mine.length - DOCS + " more";
          html += '<li class="more">' + (owner && owner[2] ? '<a href="' + escape(owner[2]) +
            '">' + more + "</a>" : more) + "</li>";
        }
        html += "</ul></li>";
      }
      html += "</ul>";
      var hidden = owners.length - OWNERS;
      if (hidden > 0) {
        html += '<p class="more">And ' + hidden + " more " + (hidden === 1 ? "owner" : "owners") +
          "; every document's status is in the documents index.</p>";
      }
      return html;
    }
    var html = "";
    if (by.overdue.length) {
      html += group("overdue", by.overdue);
    }
    if (by["due-soon"].length) {
      html += group("due-soon", by["due-soon"]);
    }
    groups.innerHTML = html;
  } catch (e) {
    /* Leave the build's figures in place. */
  }
})();

/* handbook: the search box. The search script and the index load on first use (focus, typing,
 * the `/` key or Ctrl-K, or a `?q=` in the page's URL, which opens the search with those words), as
 * classic scripts, so that search works from file:// too. Without JavaScript there is no box:
 * the script makes it, in the header, when its own tag says the site has search (`data-search`,
 * which may name the search script; a theme's base.html may still carry a
 * `.search[data-search]` box of its own). */
(function () {
  "use strict";
  try {
    // The index's files are gzipped: a browser that cannot inflate them (before Chromium 80,
    // Firefox 113, Safari 16.4) shows no box, as without JavaScript.
    if (typeof DecompressionStream === "undefined") {
      return;
    }
    var box = document.querySelector(".search[data-search]");
    var me = document.currentScript;
    var header = document.querySelector(".site-header");
    // The search script: named by the tag, or at search/search.js beside this one's assets/
    // folder (every page carries the tag: a bare attribute saves 40 bytes a page).
    var own = (me && me.getAttribute("src")) || "";
    var beside = own.replace(/assets\/handbook\.js$/, "search/search.js");
    var src = me && me.hasAttribute("data-search") &&
      (me.getAttribute("data-search") || (beside !== own && beside));
    if (!box && src && header) {
      box = document.createElement("div");
      box.className = "search";
      box.setAttribute("role", "search");
      box.setAttribute("data-search", src);
      box.hidden = true;
      box.innerHTML = '<input id="search-input" class="search-input" type="search" ' +
        'placeholder="Search (press / or Ctrl K)" aria-label="Search the handbook" ' +
        'autocomplete="off" spellcheck="false" aria-controls="search-panel">';
      var title = header.querySelector(".site-title");
      header.insertBefore(box, title ? title.nextSibling : null);
    }
    var input = document.getElementById("search-input");
    if (!box || !input) {
      return;
    }
    // The results panel is the script's to show: made here rather than sent with every page
    // (a theme's own base.html may still carry one).
    if (!document.getElementById("search-panel")) {
      box.insertAdjacentHTML("beforeend",
        '<div id="search-panel" class="search-panel" hidden><div class="search-filters">' +
        '<select data-facet="kind" aria-label="Kind"><option value="">Any kind</option></select>' +
        '<select data-facet="team" aria-label="Team"><option value="">Any team</option></select>' +
        '<select data-facet="owner" aria-label="Owner"><option value="">Any owner</option></select>' +
        '<select data-facet="tag" aria-label="Tag"><option value="">Any tag</option></select>' +
        '<select data-facet="status" aria-label="Review status"><option value="">Any review status</option>' +
        '<option value="overdue">Overdue</option><option value="due-soon">Due soon</option>' +
        '<option value="current">Current</option><option value="none">No review date</option></select>' +
        '</div><p class="search-status" role="status" aria-live="polite"></p>' +
        '<ul id="search-results" class="search-results" aria-label="Search results"></ul>' +
        '<button type="button" class="search-more" hidden>More results</button></div>');
    }
    box.hidden = false;
    var started = false;
    function start() {
      if (started) {
        return;
      }
      started = true;
      var script = document.createElement("script");
      script.src = box.getAttribute("data-search");
      document.head.appendChild(script);
    }
    input.addEventListener("focus", start);
    input.addEventListener("input", start);
    document.addEventListener("keydown", function (e) {
      // Ctrl-K (Cmd-K on a Mac), as on most documentation sites: from anywhere, a text field
      // included.
      if ((e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        input.focus();
        input.select();
        return;
      }
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) {
        return;
      }
      var t = e.target;
      var tag = t && t.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) {
        return;
      }
      e.preventDefault();
      input.focus();
    });
    var q = window.URLSearchParams ? new URLSearchParams(window.location.search).get("q") : null;
    if (q) {
      input.value = q;
      start();
    }
  } catch (e) {
    /* Search stays unavailable; the page is unaffected. */
  }
})();

/* handbook: a "#" link beside each heading of the text, to copy or share a link to that section
 * (shown on hover or focus, see style.css). Made here rather than sent with every heading of
 * every page; without JavaScript the contents list links the same headings. */
(function () {
  "use strict";
  try {
    var headings = document.querySelectorAll(
      ".doc-body h1[id], .doc-body h2[id], .doc-body h3[id], " +
      ".doc-body h4[id], .doc-body h5[id], .doc-body h6[id]");
    for (var i = 0; i < headings.length; i++) {
      var h = headings[i];
      if (h.querySelector(".heading-anchor")) {
        continue;
      }
      var a = document.createElement("a");
      a.className = "heading-anchor";
      a.href = "#" + encodeURIComponent(h.id);
      a.setAttribute("aria-hidden", "true");
      a.tabIndex = -1;
      a.textContent = "#";
      h.appendChild(a);
    }
  } catch (e) {
    /* The headings stay as they are. */
  }
})();

/* handbook: a #fragment written in another case than the heading's id (`#Setup` for
 * `## Setup`) still lands on the heading, as it does on GitHub; `check` accepts such links. */
(function () {
  "use strict";
  function land() {
    try {
      var hash = window.location.hash;
      if (!hash || hash.length < 2) {
        return;
      }
      var want = decodeURIComponent(hash.slice(1));
      if (document.getElementById(want)) {
        return;
      }
      if (document.getElementsByName(want).length) {
        return;
      }
      var lower = want.toLowerCase();
      var all = document.querySelectorAll("[id], a[name]");
      for (var i = 0; i < all.length; i++) {
        var name = all[i].id || all[i].getAttribute("name") || "";
        if (name.toLowerCase() === lower) {
          all[i].scrollIntoView();
          return;
        }
      }
    } catch (e) {
      /* A malformed fragment: stay at the top, as the browser would. */
    }
  }
  land();
  window.addEventListener("hashchange", land);
})();

/* handbook: every part above has run; a script of the handbook's own (or a test) can wait for
 * this mark rather than guess. */
document.documentElement.setAttribute("data-handbook", "ready");
