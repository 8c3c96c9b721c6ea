// handbook serve: reloads the page when a new build is in, keeping the scroll position, and
// shows the build's errors over the page. Added by `serve` only; never part of a built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = Number(script && script.getAttribute("data-handbook-build")) || 0;
  // Another server (restarted since the page loaded) numbers its builds afresh.
  var instance = script && script.getAttribute("data-handbook-instance");
  // The site path of this page ("sops/patching/"): it shows the errors of its own source.
  var page = script && script.getAttribute("data-handbook-page");
  var key = "handbook-scroll:" + location.pathname;
  // Asks the server for this page's errors only (the 404 page names the page asked for, whose
  // errors may be why it is missing; one without a name asks about a path no page has).
  var about = "?page=" + encodeURIComponent(page === null ? "404.html" : page);

  // Back where the reader was before the reload.
  try {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      window.addEventListener("load", function () { window.scrollTo(0, Number(saved) || 0); });
    }
  } catch (e) { /* storage off: the page starts at the top */ }

  function reload() {
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  }

  function overlay(state) {
    var old = document.getElementById("handbook-overlay");
    if (old) old.remove();
    // This page's errors, and those of no page (handbook.yaml, team data, the theme), which
    // can concern any page (the server sends only those); the rest are counted, with a link
    // to the list.
    var errors = (state && state.errors) || [];
    var elsewhere = (state && state.elsewhere) || 0;
    if (!errors.length && !elsewhere && !(state && state.failure)) return;
    var box = document.createElement("div");
    box.id = "handbook-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:50vh;overflow:auto;" +
      "z-index:2147483647;background:#2b1114;color:#ffd7d7;border:2px solid #e5484d;border-radius:6px;" +
      "padding:0.75rem 1rem;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap";
    var lines = [];
    if (state.failure) lines.push("The build failed: " + state.failure);
    errors.forEach(function (d) {
      lines.push(d.file + (d.line ? ":" + d.line + (d.column ? ":" + d.column : "") : "") +
        ": error[" + d.rule + "]: " + d.message);
    });
    box.textContent = lines.join("\n");
    if (elsewhere) {
      if (lines.length) box.appendChild(document.createTextNode("\n"));
      var more = document.createElement("a");
      more.href = "/__handbook/problems";
      more.style.color = "inherit";
      more.textContent = elsewhere + (elsewhere === 1 ? " error" : " errors") + " on other pages";
      box.appendChild(more);
    }
    if (!errors.length && !state.failure) {
      // Only others' errors: a quiet line, not an alarm over this page.
      box.setAttribute("role", "status");
      box.style.background = "#1d1f24";
      box.style.color = "#d8dde6";
      box.style.borderColor = "#5b6270";
      box.style.right = "auto";
    }
    document.body.appendChild(box);
  }

  function check(state) {
    if (state.instance !== instance || state.build > build) return reload();
    overlay(state);
  }

  function poll() {
    var req = new XMLHttpRequest();
    req.open("GET", "/__handbook/build" + about);
    req.onload = function () {
      try { check(JSON.parse(req.responseText)); } catch (e) { /* next time */ }
      setTimeout(poll, 1000);
    };
    req.onerror = function () { setTimeout(poll, 2000); };
    req.send();
  }

  if (!window.EventSource) return poll();
  var failures = 0;
  var source = new EventSource("/__handbook/events" + about);
  source.onmessage = function (e) {
    failures = 0;
    try { check(JSON.parse(e.data)); } catch (err) { /* ignore a garbled message */ }
  };
  // The browser reconnects by itself; when the stream keeps failing (a proxy that buffers it),
  // ask every second instead.
  source.onerror = function () {
    if (++failures >= 3) {
      source.close();
      poll();
    }
  };
})();
