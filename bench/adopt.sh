#!/usr/bin/env bash
# Other tools' handbooks as they are: the synthetic corpus laid out for Hugo, Zola and mdBook
# (../shared/bench/adapt_corpus.py), taken through `handbook init --from`, then `check` and
# `build` timed, and `check`'s findings held against what the generator planted (its
# manifest.json): every broken link and unknown owner found, nothing else reported as broken.
# Prints a Markdown report to paste into BENCHMARKS.md.
#
#   bench/adopt.sh              # 10,000 pages, 5 timed runs of each after a warm-up
#   PAGES=1000 RUNS=3 bench/adopt.sh
#
# Needs ../shared/bench/gen_corpus.py and adapt_corpus.py; installs hyperfine with apt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/handbook-bench}
PAGES=${PAGES:-10000}
RUNS=${RUNS:-5}
AS_OF=2026-12-02
mkdir -p "$WORK"
command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }

(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/handbook"
corpus="$WORK/corpus-$PAGES"
[ -d "$corpus/content" ] || python3 "$SHARED/gen_corpus.py" "$corpus" --pages "$PAGES" --seed 42 >/dev/null

for tool in hugo zola mdbook; do
  site="$WORK/adopt-$tool-$PAGES"
  python3 "$SHARED/adapt_corpus.py" "$corpus" "$site" --flavour "$tool" >/dev/null
  /usr/bin/time -f %e -o "$WORK/adopt-$tool-init.time" "$BIN" init --from "$site" > "$WORK/adopt-$tool-init.txt"
  # `check` exits 1 on a handbook with errors, which this corpus has on purpose.
  hyperfine --style none --warmup 1 --runs "$RUNS" -i --export-json "$WORK/adopt-$tool-times.json" \
    -n check "$BIN check --root $site --as-of $AS_OF --format json" \
    -n build "$BIN build --root $site --as-of $AS_OF --quiet" >/dev/null 2>&1
  "$BIN" check --root "$site" --as-of "$AS_OF" --format json > "$WORK/adopt-$tool-check.json" || true
done

python3 - "$WORK" "$PAGES" "$corpus" <<'PY'
import datetime, json, re, statistics, subprocess, sys
work, pages, corpus = sys.argv[1:4]
manifest = json.load(open(f"{corpus}/manifest.json"))
planted = sorted(b["source"] for b in manifest["broken_links"])
owners = sorted(u["page"] for u in manifest["unknown_owners"])
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"Measured {datetime.date.today()} on {subprocess.check_output(['nproc']).decode().strip()} cores ({cpu}). "
      f"Command: `bench/adopt.sh` (hyperfine, medians of the timed runs after a warm-up).\n")
print("| layout | tool found | content | init --from | check | build | broken links planted / found | unknown owners planted / found | other findings |")
print("|---|---|---|---:|---:|---:|---|---|---|")
ok = True
for tool, prefix in [("hugo", "content/"), ("zola", "content/"), ("mdbook", "src/")]:
    init = open(f"{work}/adopt-{tool}-init.txt").read()
    found_tool = re.search(r"tool +(.*)", init).group(1)
    content = re.search(r"content +(\S+)", init).group(1)
    t = {r["command"]: statistics.median(r["times"]) for r in json.load(open(f"{work}/adopt-{tool}-times.json"))["results"]}
    diags = json.load(open(f"{work}/adopt-{tool}-check.json"))["diagnostics"]
    links = sorted(d["file"].removeprefix(prefix) for d in diags if d["rule"] in ("link-broken", "anchor-broken"))
    own = sorted(d["file"].removeprefix(prefix) for d in diags if d["rule"] == "owner-unknown")
    # mdBook does not read front matter: the adapter strips it, owners with it.
    owners_expected = owners if tool != "mdbook" else []
    ok &= links == planted and own == owners_expected
    others = {}
    for d in diags:
        if d["rule"] not in ("link-broken", "anchor-broken", "owner-unknown"):
            others[d["rule"]] = others.get(d["rule"], 0) + 1
    print(f"| {tool} | {found_tool} | `{content}` | {float(open(f'{work}/adopt-{tool}-init.time').read()):.2f} s | "
          f"{t['check']:.2f} s | {t['build']:.2f} s | {len(planted)} / {len(links)}{'' if links == planted else ' MISMATCH'} | "
          f"{len(owners_expected)} / {len(own)}{'' if own == owners_expected else ' MISMATCH'} | "
          + ", ".join(f"{r} {n}" for r, n in sorted(others.items(), key=lambda x: -x[1])) + " |")
print("\n" + ("Each layout: exactly the planted broken links and unknown owners." if ok else "**MISMATCH with the manifest.**"))
sys.exit(0 if ok else 1)
PY
