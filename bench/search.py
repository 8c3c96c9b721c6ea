#!/usr/bin/env python3
"""Search on synthetic handbooks of 1,000 and 10,000 pages: index size and files, the index's
share of the build time, wall and CPU (the same handbook built with `search: false`,
alternately, ROUNDS times, default 9: medians), and, in headless Chromium, the bytes a first
query loads and the time from a keystroke to its results.
Prints a Markdown report for BENCHMARKS.md.

    bench/search.py                  # sizes 1000 and 10000
    SIZES="1000" bench/search.py
    VERBOSE=1 bench/search.py        # and each query's files, to stderr

Needs ../shared/bench/gen_corpus.py, chromium and chromedriver (apt-get install chromium
chromium-driver). The built site is served by Python's http.server (no compression), so the
bytes counted are the files' own sizes; the gzip column is what a compressing host would send.
Each query is measured in a fresh browser profile's page (nothing cached), first as a link
(`?q=`) and then typed a key at a time.
"""
import gzip
import http.server
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared", "bench"))
WORK = os.environ.get("WORK", "/tmp/handbook-bench")
SIZES = [int(s) for s in os.environ.get("SIZES", "1000 10000").split()]
AS_OF = "2026-11-23"
ROUNDS = int(os.environ.get("ROUNDS", "9"))
QUERIES = ["escalation", "on-call escalation", "postgres backup", "firewall rule", "SOP-0"]
TYPED = "vulnerability triage"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    """Just enough WebDriver over HTTP to open pages and run scripts."""

    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["chromedriver", f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                self.session = self.call("POST", "/session", {
                    "capabilities": {"alwaysMatch": {"goog:chromeOptions": {"args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run",
                        "--disk-cache-size=1", "--incognito"]}}}})["sessionId"]
                break
            except OSError:
                time.sleep(0.1)

    def call(self, method, path, body=None):
        req = urllib.request.Request(
            self.base + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())["value"]

    def open(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def run(self, script, *args):
        return self.call("POST", f"/session/{self.session}/execute/async",
                         {"script": script, "args": list(args)})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.kill()


# Waits for the search panel to show results (or "No results") and resolves with the time it
# took since `since` (performance.now()).
WAIT = """
var since = arguments[0], done = arguments[arguments.length - 1];
var panel = document.getElementById('search-panel');
(function poll() {
  if (!panel.hidden && panel.getAttribute('data-state') === 'done') {
    done(performance.now() - since);
  } else {
    requestAnimationFrame(poll);
  }
})();
"""

# The bytes of search files loaded so far.
LOADED = """
var done = arguments[arguments.length - 1];
var files = performance.getEntriesByType('resource')
  .filter(function (e) { return e.name.indexOf('/search/') >= 0; })
  .map(function (e) { return [e.name.replace(/^.*\\/search\\//, ''), e.encodedBodySize]; });
done(files);
"""

TYPE = """
var ch = arguments[0], done = arguments[arguments.length - 1];
var input = document.getElementById('search-input');
var panel = document.getElementById('search-panel');
var t0 = performance.now();
input.value += ch;
panel.setAttribute('data-state', 'typing');
input.dispatchEvent(new Event('input'));
(function poll() {
  if (panel.getAttribute('data-state') === 'done') done(performance.now() - t0);
  else setTimeout(poll, 0);
})();
"""


def serve(folder):
    port = free_port()
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=folder, **k)
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


def measure(size):
    corpus = os.path.join(WORK, f"corpus-{size}")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), corpus,
                        "--pages", str(size)], check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(WORK, f"search-site-{size}")
    if os.path.exists(out):
        shutil.rmtree(out)
    binary = os.path.join(ROOT, "target", "release", "handbook")
    # The same handbook with `search: false`, hard-linked, to time the build without the index.
    plain = corpus + "-nosearch"
    if not os.path.isdir(plain):
        subprocess.run(["cp", "-al", corpus, plain], check=True)
        # Not written through a link: the corpus's own file (if it had one) stays as it is.
        yaml = os.path.join(plain, "handbook.yaml")
        if os.path.exists(yaml):
            os.remove(yaml)
        with open(yaml, "w") as f:
            f.write("search: false\n")

    def build(root, dest):
        if os.path.exists(dest):
            os.rename(dest, dest + f".old{time.time_ns()}")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = subprocess.run([binary, "build", "--root", root, "--out", dest, "--as-of", AS_OF,
                            "--quiet", "--timings"], capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
        laps = dict((m.group(2), float(m.group(1))) for m in
                    re.finditer(r"^\s*([\d.]+) ms  (.+)$", r.stderr, re.M))
        return (sum(v for k, v in laps.items() if not k.startswith("(")),
                laps.get("(of which search index)", 0.0), cpu)

    # Alternated, so that the machine's moods fall on both alike.
    builds, without = [], []
    for _ in range(ROUNDS):
        builds.append(build(corpus, out))
        without.append(build(plain, out + "-nosearch"))
    for old in [p for p in os.listdir(WORK) if p.startswith(f"search-site-{size}.old")
                or p.startswith(f"search-site-{size}-nosearch")]:
        shutil.rmtree(os.path.join(WORK, old), ignore_errors=True)
    total = statistics.median(b[0] for b in builds)
    index = statistics.median(b[1] for b in builds)
    plain_total = statistics.median(w[0] for w in without)
    cpu = statistics.median(b[2] for b in builds)
    plain_cpu = statistics.median(w[2] for w in without)
    search = os.path.join(out, "search")
    names = sorted(os.listdir(search))
    index_bytes = sum(os.path.getsize(os.path.join(search, n)) for n in names)

    server, base = serve(out)
    rows = []
    typed = []
    try:
        for q in QUERIES:
            d = Driver()
            try:
                d.open(f"{base}/index.html?q={urllib.parse.quote(q)}")
                ms = d.run(WAIT, 0)
                files = d.run(LOADED)
                raw = sum(b for _, b in files)
                gz = sum(len(gzip.compress(open(os.path.join(search, n.split("?")[0]), "rb").read()))
                         for n, _ in files)
                rows.append((q, len(files), raw, gz, ms))
                if os.environ.get("VERBOSE"):
                    print(q, files, file=sys.stderr)
            finally:
                d.close()
        d = Driver()
        try:
            d.open(f"{base}/index.html")
            # Warm up: the script and meta load on focus, as for a reader.
            d.run("var done = arguments[0]; document.getElementById('search-input').focus();"
                  "setTimeout(done, 500);")
            for ch in TYPED:
                typed.append(d.run(TYPE, ch))
        finally:
            d.close()
    finally:
        server.shutdown()
    return {
        "size": size, "total": total, "index": index, "plain": plain_total,
        "cpu": cpu, "plain_cpu": plain_cpu,
        "files": len(names),
        "index_bytes": index_bytes, "rows": rows, "typed": typed,
    }


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    results = [measure(s) for s in SIZES]
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Machine: {os.cpu_count()} cores ({cpu}); {chromium}; date {time.strftime('%Y-%m-%d')}")
    print("Command: `bench/search.py`\n")
    print(f"| pages | index files | index size | build (median of {ROUNDS}) | without search "
          "| index's share | CPU time (user + system) | without search | index's share "
          "| search index alone (beside the pages) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        share = 100 * (r["total"] - r["plain"]) / r["total"]
        cpu_share = 100 * (r["cpu"] - r["plain_cpu"]) / r["cpu"]
        print(f"| {r['size']:,} | {r['files']} | {r['index_bytes'] / 1048576:.1f} MB "
              f"| {r['total'] / 1000:.2f} s | {r['plain'] / 1000:.2f} s | {share:.0f}% "
              f"| {r['cpu'] / 1000:.2f} s | {r['plain_cpu'] / 1000:.2f} s | {cpu_share:.0f}% "
              f"| {r['index'] / 1000:.2f} s |")
    print()
    print("| pages | first query | files loaded | bytes loaded | gzip | results shown after |")
    print("|---:|---|---:|---:|---:|---:|")
    for r in results:
        for q, n, raw, gz, ms in r["rows"]:
            print(f"| {r['size']:,} | `{q}` | {n} | {raw / 1024:.0f} KB | {gz / 1024:.0f} KB "
                  f"| {ms:.0f} ms |")
    print()
    print(f"Typing `{TYPED}` a key at a time (keystroke to results shown, index parts loading "
          "as needed):\n")
    print("| pages | median | 90th percentile | slowest |")
    print("|---:|---:|---:|---:|")
    for r in results:
        t = sorted(r["typed"])
        p90 = t[int(len(t) * 0.9) - 1]
        print(f"| {r['size']:,} | {statistics.median(t):.1f} ms | {p90:.1f} ms | {t[-1]:.1f} ms |")


if __name__ == "__main__":
    main()
