#!/usr/bin/env bash
# Screenshots of every kind of page of the example handbook, on a phone (390x844) and a laptop
# (1280x800), light and dark, for a reviewer to look at. Nothing here is committed: the pictures
# go to $OUT (default /tmp/handbook-screenshots), one PNG per page, width and scheme.
#
#   bench/screenshots.sh
#   OUT=/tmp/shots AS_OF=2026-12-01 bench/screenshots.sh
#
# Needs chromium (apt-get install chromium). The first screen only, as a reader first sees it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/handbook-screenshots}
AS_OF=${AS_OF:-2026-11-23}
command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

mkdir -p "$OUT"
SITE="$OUT/site"
rm -rf "$SITE"
(cd "$ROOT" && cargo run --quiet -- build --quiet --as-of "$AS_OF" --out "$SITE" 2>"$OUT/build.log") || { cat "$OUT/build.log"; exit 1; }

# name=page (with an optional ?q= query, which opens the search results)
PAGES=(
  home=index.html
  search=index.html?q=patching
  section=sops/index.html
  sop=sops/security-patching/index.html
  policy=policies/information-security/index.html
  role=roles/engineer/index.html
  documents=documents/index.html
  people=team/people/index.html
  person=team/people/mchen/index.html
  teams=team/teams/index.html
  team=team/teams/infrastructure/index.html
  roles=roles/index.html
  tags=tags/index.html
)

for entry in "${PAGES[@]}"; do
  name=${entry%%=*}
  page=${entry#*=}
  for size in 390,844 1280,800; do
    for scheme in light dark; do
      flags=()
      [ "$scheme" = dark ] && flags+=(--force-dark-mode)
      file="$OUT/${name}-${size%%,*}-${scheme}.png"
      # The search results appear after the script has loaded the index: give it a moment.
      chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
        --window-size="$size" --virtual-time-budget=3000 "${flags[@]}" \
        --screenshot="$file" "file://$SITE/$page" >/dev/null 2>&1
    done
  done
done
echo "screenshots of ${#PAGES[@]} pages in $OUT"
