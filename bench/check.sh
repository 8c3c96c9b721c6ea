#!/usr/bin/env bash
# Times `handbook check` on the 10,000-page synthetic corpus and verifies that it reports exactly
# the broken links and unknown owners the generator planted (its manifest.json), no more, no
# fewer; times the default human format too. Prints a Markdown report to paste into
# BENCHMARKS.md.
#
#   bench/check.sh              # 10,000 pages, 10 timed runs after a warm-up
#   PAGES=1000 RUNS=5 bench/check.sh
#
# Needs ../shared/bench/gen_corpus.py; installs hyperfine with apt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/handbook-bench}
PAGES=${PAGES:-10000}
RUNS=${RUNS:-10}
AS_OF=2026-11-23
mkdir -p "$WORK"
command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }

(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/handbook"
corpus="$WORK/corpus-$PAGES"
[ -d "$corpus/content" ] || python3 "$SHARED/gen_corpus.py" "$corpus" --pages "$PAGES" --seed 42 >/dev/null

# `check` exits 1 on a handbook with errors, which this corpus has on purpose.
# Both the JSON report the findings are verified from and the default human format (the one a
# CI log shows): hyperfine runs all of one, then all of the other.
hyperfine --style none --warmup 1 --runs "$RUNS" -i --export-json "$WORK/check-$PAGES.json" \
  -n check "$BIN check --root $corpus --as-of $AS_OF --format json" \
  -n human "$BIN check --root $corpus --as-of $AS_OF" >/dev/null 2>&1
"$BIN" check --root "$corpus" --as-of "$AS_OF" --format json > "$WORK/check-$PAGES-out.json" || true
peak=$( (/usr/bin/time -f %M "$BIN" check --root "$corpus" --as-of "$AS_OF" --format json || true) 2>&1 >/dev/null | tail -1)

python3 - "$WORK" "$PAGES" "$corpus" "$peak" <<'PY'
import collections, datetime, json, re, statistics, subprocess, sys
work, pages, corpus, peak = sys.argv[1:5]
results = json.load(open(f"{work}/check-{pages}.json"))["results"]
times, human = results[0]["times"], results[1]["times"]
out = json.load(open(f"{work}/check-{pages}-out.json"))
manifest = json.load(open(f"{corpus}/manifest.json"))
diags = out["diagnostics"]

def link_key(d):
    src = d["file"].removeprefix("content/")
    if d["rule"] == "link-broken":
        return (src, re.match(r"broken (?:link|image) `([^`]*)`", d["message"]).group(1))
    m = re.match(r"`([^`]*)` has no heading with id `([^`]*)`", d["message"])
    return (src, f"{m.group(1)}#{m.group(2)}") if m else (src, None)

found = {link_key(d) for d in diags if d["rule"] in ("link-broken", "anchor-broken")}
planted = {(b["source"], b["href"]) for b in manifest["broken_links"]}
owners_found = {(d["file"].removeprefix("content/"), re.search(r"`([^`]*)`", d["message"]).group(1))
                for d in diags if d["rule"] == "owner-unknown"}
owners_planted = {(u["page"], u["owner"]) for u in manifest["unknown_owners"]}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"Measured {datetime.date.today()} on {subprocess.check_output(['nproc']).decode().strip()} cores ({cpu}). "
      f"Command: `bench/check.sh` (hyperfine, {len(times)} runs after a warm-up).\n")
print("| pages | check, median (json) | min - max | human format, median | peak RSS | broken links planted / found / missed / extra | unknown owners planted / found |")
print("|---:|---:|---:|---:|---:|---|---|")
print(f"| {int(pages):,} | {statistics.median(times):.2f} s | {min(times):.2f} - {max(times):.2f} s | {statistics.median(human):.2f} s | {int(peak) // 1024} MB | "
      f"{len(planted)} / {len(found)} / {len(planted - found)} / {len(found - planted)} | "
      f"{len(owners_planted)} / {len(owners_found & owners_planted)} (extra {len(owners_found - owners_planted)}) |")
print("\nAll diagnostics by rule: " + ", ".join(f"{r} {n}" for r, n in collections.Counter(d["rule"] for d in diags).most_common()) + ".")
ok = found == planted and owners_found == owners_planted
print("\n" + ("Exactly the planted broken links and unknown owners." if ok else "**MISMATCH with the manifest.**"))
sys.exit(0 if ok else 1)
PY
