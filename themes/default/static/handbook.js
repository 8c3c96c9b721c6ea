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
