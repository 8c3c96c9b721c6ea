#!/usr/bin/env bash
# Times `handbook check` on pages written to make a checker slow: cost must stay linear in
# the size of the input whatever its shape, in the JSON format and in the human one (each
# finding with its source line). Prints a Markdown table for BENCHMARKS.md.
#
#   bench/hostile.sh
#
# Each case is one small handbook under $WORK/hostile-<case>; installs hyperfine with apt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/handbook-bench}
RUNS=${RUNS:-5}
AS_OF=2026-11-23
mkdir -p "$WORK"
command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }

(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/handbook"

python3 - "$WORK" <<'PY'
import pathlib, sys
work = pathlib.Path(sys.argv[1])
def page(case, name, text):
    p = work / f"hostile-{case}" / "content" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
rows = "".join(
    f'<tr><td id="r{i}">{i}</td><td><a href="p.md">p</a></td><td><a href="#r{i}">self</a></td>'
    f'<td><img src="img/x{i % 3}.png"></td><td>lorem ipsum dolor sit amet</td></tr>'
    for i in range(25000))
page("one-line-table", "min.md", "# Minified\n\n<table>" + rows + "</table>\n")
page("one-line-table", "p.md", "# P\n")
page("fragments", "min.md", "# Minified\n\n<table>" + rows + "</table>\n")
page("fragments", "p.md", "# P\n\n" + "".join(f"[s](min.md#x{i}) " for i in range(25000)) + "\n")
page("links-on-one-line", "a.md", "# A\n\n" + "".join(f"[p](b.md) [s](#r{i}) ![i](img/y{i}.png) " for i in range(50000)) + "\n")
page("links-on-one-line", "b.md", "# B\n")
page("ignore-comments", "a.md", "# A\n\n" + "".join(
    f"[x](missing{i}.md) <!-- handbook-ignore-line link-broken -->\n\n" for i in range(20000)))
page("tags-across-lines", "b.md", "# B\n\n<p>" + "".join(
    f'<img\n  srcset="a{i}.png 1x,\n  b{i}.png 2x">\n' for i in range(20000)) + "</p>\n")
PY

echo "Measured $(date +%F) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)). Command: \`bench/hostile.sh\` (hyperfine, $RUNS runs after a warm-up)."
echo
echo "| case | input | findings | check, mean | check, human format |"
echo "|---|---|---:|---:|---:|"
describe() {
  case $1 in
    one-line-table) echo "4.4 MB table on one line, 75,000 links (25,000 broken)";;
    fragments) echo "25,000 broken fragments into a page of 25,000 ids (and its 25,000 broken images)";;
    links-on-one-line) echo "150,000 links on one line (100,000 broken)";;
    ignore-comments) echo "20,000 broken links, each silenced by a comment";;
    tags-across-lines) echo "20,000 raw tags over three lines each (40,000 broken)";;
  esac
}
for c in one-line-table fragments links-on-one-line ignore-comments tags-across-lines; do
  dir="$WORK/hostile-$c"
  hyperfine --style none --warmup 1 --runs "$RUNS" -i --export-json "$dir.json" \
    "$BIN check --root $dir --as-of $AS_OF --format json" >/dev/null 2>&1
  mean=$(python3 -c "import json; print('%.2f s' % json.load(open('$dir.json'))['results'][0]['mean'])")
  # The human format shows every finding with its source line: thousands on one line too.
  hyperfine --style none --warmup 1 --runs "$RUNS" -i --export-json "$dir-human.json" \
    "$BIN check --root $dir --as-of $AS_OF --format human" >/dev/null 2>&1
  human=$(python3 -c "import json; print('%.2f s' % json.load(open('$dir-human.json'))['results'][0]['mean'])")
  findings=$("$BIN" check --root "$dir" --as-of $AS_OF --format json | python3 -c "import json,sys; s=json.load(sys.stdin)['summary']; print(s['errors'] + s['warnings'])" || true)
  echo "| $c | $(describe $c) | $findings | $mean | $human |"
done
