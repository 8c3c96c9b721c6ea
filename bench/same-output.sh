#!/usr/bin/env bash
# Compares what two builds of handbook produce, byte for byte, for the example handbook and every
# fixture handbook: `check` and `report` in every format, `build` into a fresh folder, and
# `init --from` of each other tool's fixture. A restructuring that changes no behaviour shows no
# difference.
#
#   bench/same-output.sh OLD_BINARY [NEW_BINARY]    # NEW defaults to target/debug/handbook
#
# To get OLD_BINARY for a commit: git worktree add /tmp/old REV && cargo build --manifest-path /tmp/old/Cargo.toml
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD=$(realpath "${1:?usage: bench/same-output.sh OLD_BINARY [NEW_BINARY]}")
NEW=$(realpath "${2:-$ROOT/target/debug/handbook}")
AS_OF=2026-11-23
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

handbooks=("$ROOT" "$ROOT"/tests/fixtures/basic "$ROOT"/tests/fixtures/links)
for d in "$ROOT"/tests/fixtures/sources/*/; do handbooks+=("${d%/}"); done

# Runs a command in a folder, keeping its output, errors and exit code under a name.
at() {
  local dir=$1 name=$2 rc=0
  shift 2
  (cd "$dir" && "$@") >"$name.out" 2>"$name.err" || rc=$?
  echo "$rc" >"$name.rc"
}

# Runs every command with one binary into $WORK/$1, each handbook copied so that nothing a
# command writes lands in the repository.
run_all() {
  local side=$1 bin=$2 n=0
  for hb in "${handbooks[@]}"; do
    n=$((n + 1))
    local copy="$WORK/src-$side-$n" out="$WORK/$side/$n"
    mkdir -p "$out"
    mkdir -p "$copy"
    (cd "$hb" && tar cf - --exclude=./target --exclude=./.git --exclude=./site .) | (cd "$copy" && tar xf -)
    at "$copy" "$out/check-json" "$bin" check --as-of "$AS_OF" --format json
    for format in human github junit sarif; do
      at "$copy" "$out/check-$format" "$bin" check --as-of "$AS_OF" --format "$format"
    done
    for format in markdown json ics csv; do
      at "$copy" "$out/report-$format" "$bin" report --as-of "$AS_OF" --format "$format"
    done
    at "$copy" "$out/build" "$bin" build --as-of "$AS_OF" --out "$out/site"
    case $hb in
      */sources/*)
        at "$copy" "$out/init" "$bin" init --from .
        if [ -f "$copy/handbook.yaml" ]; then cp "$copy/handbook.yaml" "$out/init-handbook.yaml"; fi ;;
    esac
  done
}

run_all old "$OLD"
run_all new "$NEW"
# The copies' and outputs' paths differ between the two sides, and so do timings: name them alike.
for f in $(grep -rlE "$WORK/|Built " "$WORK/old" "$WORK/new" --include='*.out' --include='*.err' || true); do
  sed -i -E -e "s#$WORK/src-(old|new)-#SRC-#g" -e "s#$WORK/(old|new)/#OUT/#g" \
    -e 's# in [0-9]+\.[0-9]+ s -> # in T s -> #' "$f"
done
if diff -r "$WORK/old" "$WORK/new"; then
  echo "same output: ${#handbooks[@]} handbooks; check in 5 formats, report in 4, build, init --from"
else
  echo "outputs differ" >&2
  exit 1
fi
