#!/usr/bin/env python3
"""Search quality: the question set of tests/fixtures/search-questions.tsv (questions with the
page that answers each, written before any tuning) run through handbook's search and through
Pagefind over the same built site, in headless Chromium. Prints MRR@10 per kind of query as a
Markdown table for BENCHMARKS.md.

    bench/search_quality.py              # the example handbook
    VERBOSE=1 bench/search_quality.py    # and each query's rank in both, to stderr

Pagefind (the npm package, pinned below) is installed under target/npm when missing. It indexes
each page's `<main>` (`--root-selector main`: the page's own text, as handbook's index has it,
not the sidebar every page repeats). Needs chromium and chromedriver, as bench/search.py.
"""
import os
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from search import Driver, serve  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.environ.get("WORK", "/tmp/handbook-bench")
AS_OF = "2026-11-23"
PAGEFIND = "pagefind@1.6.0"
VERBOSE = bool(os.environ.get("VERBOSE"))

# Resolves with the result links handbook's search shows for the query in the page's `?q=`,
# once the panel shows the answer to those words.
HANDBOOK = """
var query = arguments[0], done = arguments[arguments.length - 1];
(function poll() {
  var panel = document.getElementById('search-panel');
  if (panel && panel.getAttribute('data-state') === 'done'
      && panel.getAttribute('data-query') === query) {
    done(Array.from(document.querySelectorAll('.search-result a')).map(function (a) {
      return a.href;
    }));
  } else {
    setTimeout(poll, 10);
  }
})();
"""

# Resolves with the URLs of Pagefind's first ten results, through its JavaScript API.
PAGEFIND_SEARCH = """
var query = arguments[0], done = arguments[arguments.length - 1];
import(new URL('pagefind/pagefind.js', document.baseURI).href).then(function (pf) {
  return pf.search(query);
}).then(function (r) {
  return Promise.all(r.results.slice(0, 10).map(function (x) { return x.data(); }));
}).then(function (pages) {
  done(pages.map(function (p) { return new URL(p.url, document.baseURI).href; }));
}).catch(function (e) { done(['error: ' + e]); });
"""


def questions():
    path = os.path.join(ROOT, "tests", "fixtures", "search-questions.tsv")
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            kind, query, page = line.split("\t")
            out.append((kind, query, page))
    return out


def pagefind_bin():
    prefix = os.path.join(ROOT, "target", "npm")
    binary = os.path.join(prefix, "node_modules", ".bin", "pagefind")
    if not os.path.exists(binary):
        subprocess.run(["npm", "install", "--silent", "--no-save", "--no-audit", "--no-fund",
                        "--prefix", prefix, PAGEFIND], check=True)
    return binary


def rank(urls, base, page):
    """1-based rank of `page` (a site URL such as `sops/x/`) among `urls`, else None."""
    for i, url in enumerate(urls[:10]):
        path = urllib.parse.urlsplit(url).path
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        if path == urllib.parse.urlsplit(base).path.rstrip("/") + "/" + page:
            return i + 1
    return None


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    site = os.path.join(WORK, "quality-example", "site")
    subprocess.run([os.path.join(ROOT, "target", "release", "handbook"), "build", "--root", ROOT,
                    "--out", site, "--as-of", AS_OF, "-q"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([pagefind_bin(), "--site", site, "--root-selector", "main",
                    "--output-subdir", "pagefind"], check=True, stdout=subprocess.DEVNULL)
    server, base = serve(site)
    driver = Driver()
    scores = {}
    try:
        driver.open(base + "/index.html")
        for kind, query, page in questions():
            driver.open(base + "/index.html?q=" + urllib.parse.quote(query))
            ours = rank(driver.run(HANDBOOK, query), base, page)
            theirs = rank(driver.run(PAGEFIND_SEARCH, query), base, page)
            for engine, r in (("handbook", ours), ("pagefind", theirs)):
                scores.setdefault((kind, engine), []).append(1 / r if r else 0.0)
                scores.setdefault(("all", engine), []).append(1 / r if r else 0.0)
            if VERBOSE:
                print(f"{kind:13} {query!r:50} handbook {ours or '-':>2}  pagefind {theirs or '-':>2}",
                      file=sys.stderr)
    finally:
        driver.close()
        server.shutdown()
    print(f"Question set `tests/fixtures/search-questions.tsv` over the example handbook; "
          f"`bench/search_quality.py`, {PAGEFIND} with `--root-selector main`.")
    print()
    print("| kind | queries | handbook MRR@10 | Pagefind MRR@10 |")
    print("|---|---:|---:|---:|")
    kinds = sorted({k for k, _ in scores if k != "all"}) + ["all"]
    for kind in kinds:
        h, p = scores[(kind, "handbook")], scores[(kind, "pagefind")]
        bold = "**" if kind == "all" else ""
        print(f"| {kind} | {len(h)} | {bold}{sum(h) / len(h):.3f}{bold} | "
              f"{bold}{sum(p) / len(p):.3f}{bold} |")


if __name__ == "__main__":
    main()
