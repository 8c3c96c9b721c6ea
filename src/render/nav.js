// A section's sidebar, written in place while its page is parsed (a classic script, not
// deferred, so that the sidebar is there at the first paint). Called with `k`: the length of
// this script's own path from the site's root, to find the root from its `src`; `b`: the
// sidebar's markup, every href from the root, the innermost list marked `data-nav-items`;
// `w`: how many of that list's entries to show; `m` and `t`: the href and (escaped) title of
// the section, for the link to the rest. It must never break the page.
(function (k, b, w, m, t) {
  try {
    var s = document.currentScript;
    var src = s.getAttribute("src");
    var root = src.slice(0, src.length - k);
    s.insertAdjacentHTML("beforebegin", b);
    var nav = s.parentNode;
    // A page's address without its fragment, query or `index.html`.
    var bare = function (h) {
      return h.split("#")[0].split("?")[0].replace(/index\.html$/, "");
    };
    var here = bare(location.href);
    var links = nav.querySelectorAll("a");
    var current = null;
    for (var i = 0; i < links.length; i++) {
      links[i].setAttribute("href", root + links[i].getAttribute("href"));
      if (!current && bare(links[i].href) === here) current = links[i];
    }
    if (current) {
      current.setAttribute("aria-current", "page");
      current.parentNode.classList.add("open");
    }
    // The section's own list: a window around the current page, then a link to the rest.
    var list = nav.querySelector("[data-nav-items]");
    var items = list ? [].slice.call(list.children) : [];
    if (items.length > w) {
      var at = current ? items.indexOf(current.parentNode) : -1;
      var from = Math.min(Math.max(at - (w >> 1), 0), items.length - w);
      items.forEach(function (item, j) {
        if (j < from || j >= from + w) list.removeChild(item);
      });
      list.insertAdjacentHTML(
        "beforeend",
        '<li><a class="nav-more" href="' + root + m + '">' + (items.length - w) +
          " more in " + t + "\u2026</a></li>"
      );
    }
  } catch (e) {
    // The page reads as well without its sidebar.
  }
})
