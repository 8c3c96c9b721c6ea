/* handbook: collapsible navigation on narrow screens.
 * Classic script, no dependencies, safe on pages without the elements.
 * Without JavaScript the navigation simply stays visible above the content. */
(function () {
  "use strict";
  try {
    var doc = document;
    var root = doc.documentElement;
    var button = doc.querySelector(".nav-toggle");
    var nav = doc.getElementById("site-nav");
    if (!root || !button || !nav || !window.matchMedia) {
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

    function statusOf(el) {
      var next = el.getAttribute("data-next-review");
      var from = el.getAttribute("data-due-soon-from");
      if (!next) {
        return "none";
      }
      if (today > next) {
        return "overdue";
      }
      if (from && today >= from) {
        return "due-soon";
      }
      return "current";
    }

    var badges = document.querySelectorAll("[data-review-status][data-next-review]");
    var pageStatus = null;
    for (var i = 0; i < badges.length; i++) {
      var status = statusOf(badges[i]);
      badges[i].setAttribute("data-review-status", status);
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
    var printed = document.querySelectorAll("[data-print-date]");
    for (var k = 0; k < printed.length; k++) {
      printed[k].setAttribute("datetime", today);
      printed[k].textContent = today;
    }
  } catch (e) {
    /* Leave the build-time status in place. */
  }
})();

/* handbook: the search box. The search script and the index load on first use (focus, typing,
 * the `/` key, or a `?q=` in the page's URL, which opens the search with those words), as
 * classic scripts, so that search works from file:// too. Without JavaScript the box stays
 * hidden. */
(function () {
  "use strict";
  try {
    var box = document.querySelector(".search[data-search]");
    var input = document.getElementById("search-input");
    // The index's files are gzipped: a browser that cannot inflate them (before Chromium 80,
    // Firefox 113, Safari 16.4) keeps the box hidden, as without JavaScript.
    if (!box || !input || typeof DecompressionStream === "undefined") {
      return;
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
