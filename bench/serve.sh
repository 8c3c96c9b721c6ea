#!/usr/bin/env bash
# Times `handbook serve` from a file save to the reload event: the median over 20 edits of one
# document, on the example handbook and on the 10,000-page synthetic corpus, for three kinds of
# edit: its body (a line added) and its front matter (its title changed, the edit an SOP owner
# makes most after the body, and one that other pages show), and a file added then removed;
# and what the server holds in memory after them. Prints a Markdown report to paste into BENCHMARKS.md.
#
#   bench/serve.sh                 # both handbooks, 20 edits each
#   EDITS=10 bench/serve.sh
#   KINDS=front bench/serve.sh     # only the front matter edits
#
# Works on copies (under $WORK), never on the originals.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/handbook-bench}
EDITS=${EDITS:-20}
KINDS=${KINDS:-"body front add"}
mkdir -p "$WORK"
(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/handbook"

corpus="$WORK/corpus-10000"
[ -d "$corpus/content" ] || python3 "$SHARED/gen_corpus.py" "$corpus" --pages 10000 --seed 42 >/dev/null

measure() { # name, handbook folder, document to edit (relative), body|front|add
  local name=$1 src=$2 doc=$3 kind=$4 copy="$WORK/serve-$1"
  rm -rf "$copy" && mkdir -p "$copy"
  cp -r "$src/content" "$copy/" && cp -r "$src/data" "$copy/" 2>/dev/null || true
  [ -f "$src/handbook.yaml" ] && cp "$src/handbook.yaml" "$copy/"
  python3 - "$BIN" "$copy" "$doc" "$EDITS" "$name" "$kind" <<'PY'
import os, re, socket, statistics, subprocess, sys, time, urllib.parse
bin_, root, doc, edits, name, kind = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
proc = subprocess.Popen([bin_, "serve", "--port", "0", "--as-of", "2026-11-23"], cwd=root,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    started = time.time()
    while True:
        line = proc.stdout.readline()
        m = re.search(r"http://([0-9.]+):(\d+)", line)
        if m:
            break
    first_build = time.time() - started
    host, port = m.group(1), int(m.group(2))
    s = socket.create_connection((host, port))
    # Subscribed as the edited page is in the browser: its own errors, a count of the rest.
    page = urllib.parse.quote(re.sub(r"\.md$", "/", re.sub(r"^content/", "", doc)))
    s.sendall(f"GET /__handbook/events?page={page} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    buf = b""
    def wait_event(after):
        global buf
        while True:
            m = re.search(rb'"build":(\d+)', buf)
            if m and int(m.group(1)) > after:
                n = int(m.group(1))
                buf = buf[m.end():]
                return n
            if m:
                buf = buf[m.end():]
                continue
            chunk = s.recv(65536)
            if not chunk:
                raise SystemExit("stream closed")
            buf += chunk
    build = wait_event(0)
    path = os.path.join(root, doc)
    text = open(path, encoding="utf-8").read()
    times = []
    # A file added then removed, in turns; it links to the document (whose "Referenced by"
    # then lists it).
    new_file = os.path.join(os.path.dirname(path), "bench-added-page.md")
    for i in range(edits):
        time.sleep(0.3)
        t0 = time.time()
        if kind == "add":
            if i % 2 == 0:
                with open(new_file, "w", encoding="utf-8") as f:
                    f.write(f"---\ntitle: Added page {i}\n---\n\nA page added while serve runs, "
                            f"beside [the document]({os.path.basename(path)}).\n")
            else:
                os.remove(new_file)
            build = wait_event(build)
            times.append((time.time() - t0) * 1000)
            continue
        if kind == "body":
            edited = text + f"\nEdit {i}.\n"
        else:
            # The title in the front matter (added when the document has none).
            edited, n = re.subn(r"^title: *(.*)$", lambda m: f"title: {m.group(1)} (edit {i})", text, count=1, flags=re.M)
            if n == 0:
                edited = re.sub(r"^---\n", f"---\ntitle: Edit {i}\n", text, count=1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(edited)
        build = wait_event(build)
        times.append((time.time() - t0) * 1000)
    # What the server holds after the edits (the search index of the last one built too).
    time.sleep(1.5)
    rss = next(int(l.split()[1]) for l in open(f"/proc/{proc.pid}/status") if l.startswith("VmRSS:"))
    print(f"| {name} | {kind} | {statistics.median(times):.0f} ms | {min(times):.0f} - {max(times):.0f} ms | {first_build:.2f} s | {rss / 1024:.0f} MB |")
finally:
    proc.terminate()
    proc.wait()
PY
}

echo "Measured $(date -I) on $(nproc) cores. Command: \`bench/serve.sh\` ($EDITS edits of one document each, of its body or its front matter's title; \`add\`: a page that links to it added beside it then removed, in turns; from the write to the reload event on the stream)."
echo
echo "| handbook | edit | save to reload, median | min - max | first build | RSS after the edits |"
echo "|---|---|---:|---:|---:|---:|"
doc=$(cd "$corpus" && find content -name '*.md' ! -name '_index.md' | sort | head -1 || true)
for kind in $KINDS; do
  measure example "$ROOT" content/sops/security-patching.md "$kind"
  measure corpus-10000 "$corpus" "$doc" "$kind"
done
