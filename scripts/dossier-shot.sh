#!/usr/bin/env bash
# The dossier's "human authorship evidence" looked at as a picture (issue
# 32): a shot made from a journal anchored at a local TSA (three sealed
# attempts, two prompts, a parameter change) with a first-frame control,
# stamped with a timestamp, and a second shot with a prompt only; the audit's
# HTML report and the rights sheet of a certificate over the same folder,
# each rendered by headless Chromium (Debian's, from scripts/setup.sh) to
# a PNG. Fails when a rendering is missing, blank, or lacks the section.
#   CREDITS=path/to/credits OUT=dir ./scripts/dossier-shot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
credits=${CREDITS:-$PWD/target/debug/credits}
out=${OUT:-$PWD/target/dossier}
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ -x "$credits" ] || cargo build --locked --bin credits
. "$repo/scripts/bench-lib.sh"
WORK= bench_workdir dossier
bench_studio "Northwind Pictures" "Alice Chen" alice@northwind.test
"$credits" keys issue --dir ca --role certifier --name "Rosa Lind" --email rosa@northwind.test >/dev/null 2>&1
python3 "$repo/scripts/local-tsa.py" --dir tsa --port 0 2> tsa.log &
tsa_pid=$!
trap 'kill $tsa_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q 'local TSA at' tsa.log && break; sleep 0.1; done
tsa=$(sed -n 's/^local TSA at \(http[^ ]*\).*/\1/p' tsa.log)

mkdir renders refs film
for i in 1 2 3; do
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=320x180,hue=h=$((i * 70))" -frames:v 1 "renders/lighthouse_$i.png"
done
ffmpeg -loglevel error -f lavfi -i "smptebars=size=320x180" -frames:v 1 refs/start.png
ffmpeg -loglevel error -f lavfi -i "mandelbrot=size=320x180" -frames:v 1 renders/harbour.png
sign=(--key "$key" --chain "$chain")
"$credits" journal add --journal shot12.journal renders/lighthouse_1.png --prompt "a lighthouse at dusk" \
  --param steps=30 "${sign[@]}" --tsa "$tsa" >/dev/null 2>&1
"$credits" journal add --journal shot12.journal renders/lighthouse_2.png renders/lighthouse_3.png \
  --prompt "a lighthouse at dusk, long lens" --param steps=40 "${sign[@]}" --tsa "$tsa" >/dev/null 2>&1
"$credits" stamp renders/lighthouse_2.png --journal shot12.journal --tool Kling --model kling-2.1 \
  --prompt "a lighthouse at dusk, long lens" --control first_frame=refs/start.png \
  --out film "${sign[@]}" --tsa "$tsa" >/dev/null 2>&1
"$credits" stamp renders/harbour.png --tool Runway --prompt "a harbour at night" --out film "${sign[@]}" >/dev/null 2>&1
audit=(--trust trust.pem --tsa-trust tsa/root.pem --journal shot12.journal)
"$credits" audit film "${audit[@]}" --format html > "$out/audit.html" || true
"$credits" certify film "${audit[@]}" --key ca/rosa@northwind.test.key --chain ca/rosa@northwind.test.chain.pem \
  --out film.intoto.json --allow-rejected >/dev/null 2>&1
"$credits" verify film.intoto.json --trust trust.pem --tsa-trust tsa/root.pem --format html > "$out/rights-sheet.html" || true

failed=0
for page in audit rights-sheet; do
  html="$out/$page.html"
  for want in "Human authorship evidence" contemporaneous self-asserted "salted commitment"; do
    grep -q "$want" "$html" || { echo "FAIL $page.html lacks \"$want\""; failed=1; }
  done
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/chromium-$page" --hide-scrollbars --window-size=1100,2600 \
    --screenshot="$out/$page.png" "file://$html" >/dev/null 2>&1 || true
  size=$(stat -c %s "$out/$page.png" 2>/dev/null || echo 0)
  # A blank page of this size compresses to a few kB; text and tables
  # take tens.
  if [ "$size" -lt 40000 ]; then
    echo "FAIL $page.png: $size bytes (missing or blank)"; failed=1
  else
    echo "ok   $page.png: $size bytes, with the human authorship evidence section"
  fi
done
exit $failed
