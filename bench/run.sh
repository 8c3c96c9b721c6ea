#!/usr/bin/env bash
# Times `handbook build` on synthetic handbooks of 1,000 and 10,000 pages beside two references
# measured in the same run: the copy floor (`cp -r` of the content folder) and Hugo on the same
# corpus. Prints a Markdown report to paste into BENCHMARKS.md.
#
#   bench/run.sh                 # sizes 1000 and 10000, 5 timed rounds after a warm-up round
#   SIZES="1000" RUNS=3 bench/run.sh
#
# Needs ../shared/bench (gen_corpus.py, adapt_corpus.py); installs hyperfine and hugo with apt.
#
# Each timed run starts with no output folder, but the previous run's output is moved aside
# rather than deleted: on this machine's ext4 (no journal), creating files right after deleting
# thousands makes the kernel scan the recently freed inodes, which slowed `cp -r` of 10,000
# files from 0.3 s to 3-20 s. The moved-aside outputs are deleted between sizes, followed by a
# pause that lets that window pass.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/handbook-bench}
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
AS_OF=2026-11-23
mkdir -p "$WORK"

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need hyperfine hyperfine
need hugo hugo
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null

(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/handbook"

# Peak resident memory (MB) of one run of a command.
peak_mb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }
# The bytes of a folder's files (not of its folders, which ext4 counts 4 KiB each), in MB.
size_mb() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.2f", s/1e6}'; }
files() { find "$1" -type f | wc -l; }

TRASH="$WORK/trash"
# Moves an output folder aside (prepare step of a timed run).
aside() { echo "mkdir -p $TRASH && if [ -e $1 ]; then mv $1 $TRASH/\$(date +%s%N); fi"; }
empty_trash() { rm -rf "$TRASH"; sync; sleep 45; }

for n in $SIZES; do
  corpus="$WORK/corpus-$n"
  [ -d "$corpus/content" ] || python3 "$SHARED/gen_corpus.py" "$corpus" --pages "$n" --seed 42 >/dev/null
  hugo_site="$WORK/hugo-$n"
  [ -d "$hugo_site" ] || python3 "$SHARED/adapt_corpus.py" "$corpus" "$hugo_site" --flavour hugo >/dev/null
  # The same corpus with every fenced code block made unique (a comment naming its file and
  # position), to show what highlighting costs when no block repeats: the generated corpus
  # repeats a dozen snippets, and handbook highlights each distinct block once.
  unique="$WORK/unique-$n"
  [ -d "$unique/content" ] || python3 - "$corpus" "$unique" <<'PY'
import pathlib, re, shutil, sys
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
shutil.copytree(src, dst)
for f in (dst / "content").rglob("*.md"):
    n = 0
    def mark(m):
        global n
        n += 1
        return f"{m.group(0)}# {f.name} block {n}\n"
    f.write_text(re.sub(r"^```(bash|python|yaml|sh)\n", mark, f.read_text(), flags=re.M))
PY
  out="$WORK/out-$n"
  mv_all() { for d in "$out" "$WORK/copy-$n" "$hugo_site/public"; do sh -c "$(aside "$d")"; done; }
  mv_all
  empty_trash
  # Every command once a round, in turns, after a warm-up round: on a shared host whose speed
  # drifts from one minute to the next, the medians then compare the commands over the same
  # minutes (hyperfine's runs of one command after another put each in a different minute).
  rm -f "$WORK/times-$n-"*.json
  for round in $(seq 0 "$RUNS"); do
    hyperfine --style none --runs 1 --export-json "$WORK/times-$n-$round.json" \
      --prepare "$(aside "$out")" -n handbook "$BIN build --root $corpus --out $out --as-of $AS_OF --quiet" \
      --prepare "$(aside "$out")" -n handbook-unique-code "$BIN build --root $unique --out $out --as-of $AS_OF --quiet" \
      --prepare "$(aside "$WORK/copy-$n")" -n copy "cp -r $corpus/content $WORK/copy-$n" \
      --prepare "$(aside "$hugo_site/public")" -n hugo "hugo --source $hugo_site --quiet" >/dev/null 2>&1
  done

  mv_all
  rss_handbook=$(peak_mb "$BIN" build --root "$corpus" --out "$out" --as-of "$AS_OF" --quiet)
  rss_copy=$(peak_mb cp -r "$corpus/content" "$WORK/copy-$n")
  rss_hugo=$(peak_mb hugo --source "$hugo_site" --quiet)
  printf '%s %s %s %s %s %s %s %s %s %s\n' "$n" "$rss_handbook" "$rss_copy" "$rss_hugo" \
    "$(size_mb "$out")" "$(files "$out")" "$(size_mb "$WORK/copy-$n")" "$(files "$WORK/copy-$n")" \
    "$(size_mb "$hugo_site/public")" "$(files "$hugo_site/public")" > "$WORK/sizes-$n.txt"
  mv_all
  empty_trash
done

python3 - "$WORK" $SIZES <<'PY'
import collections, glob, json, statistics, sys, platform, subprocess, datetime
work, sizes = sys.argv[1], sys.argv[2:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) // 1024 // 1024
hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
print(f"Measured {datetime.date.today()} on {subprocess.check_output(['nproc']).decode().strip()} cores ({cpu}), {mem} GiB, "
      f"{platform.system()} {platform.release()}; Hugo {hugo}. Command: `bench/run.sh` (medians of the timed rounds, each command once a round in turns, after a warm-up round).\n")
print("| pages | handbook | copy floor | Hugo | handbook / floor | handbook / Hugo | peak RSS handbook / Hugo | output (MB, files) handbook | Hugo | handbook, no repeated code blocks |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
rows = {}
for n in sizes:
    # Round 0 is the warm-up.
    runs = collections.defaultdict(list)
    for path in sorted(glob.glob(f"{work}/times-{n}-*.json")):
        if not path.endswith("-0.json"):
            for r in json.load(open(path))["results"]:
                runs[r["command"]].extend(r["times"])
    t = {c: statistics.median(ts) for c, ts in runs.items()}
    s = open(f"{work}/sizes-{n}.txt").read().split()
    rows[n] = s
    print(f"| {int(n):,} | {t['handbook']:.2f} s | {t['copy']:.2f} s | {t['hugo']:.2f} s | {t['handbook']/t['copy']:.2f}x | "
          f"{t['handbook']/t['hugo']:.3f}x | {s[1]} MB / {s[3]} MB | {s[4]} MB, {s[5]} | {s[8]} MB, {s[9]} | "
          f"{t['handbook-unique-code']:.2f} s ({t['handbook-unique-code']/t['copy']:.2f}x floor, {t['handbook-unique-code']/t['hugo']:.3f}x Hugo) |")
if "1000" in rows and "10000" in rows:
    a, b = float(rows["1000"][4]), float(rows["10000"][4])
    print(f"\nOutput growth 1,000 -> 10,000 pages: {b/a:.1f}x (target at most 11x).")
PY
