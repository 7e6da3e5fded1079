#!/usr/bin/env bash
# The sealed journal at scale (issue 32): N attempts logged in one
# `journal add` (each entry signed, the last anchored at a local TSA), then
# `prove --journal` (every seal and token checked, duplicates sought).
# Prints wall time and peak RSS against the physical reference, a SHA-256
# pass over the same outputs and journal (sha256sum).
#   N=2000 ./scripts/bench-journal.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
credits=${CREDITS:-$PWD/target/release/credits}
[ -x "$credits" ] || cargo build --release --locked --bin credits
n=${N:-2000}
. "$repo/scripts/bench-lib.sh"
WORK= bench_workdir bench-journal
bench_studio "Bench Studio" "Bench Operator" op@bench.test
python3 "$repo/scripts/local-tsa.py" --dir tsa --port 0 2> tsa.log &
tsa_pid=$!
trap 'kill $tsa_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q 'local TSA at' tsa.log && break; sleep 0.1; done
tsa=$(sed -n 's/^local TSA at \(http[^ ]*\).*/\1/p' tsa.log)
mkdir renders
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=128x72:rate=25" -frames:v "$n" renders/f_%05d.png
measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
read -r add_s add_kb < <(measure "$credits" journal add --journal j.jsonl renders/*.png --prompt "a test" \
  --key "$key" --chain "$chain" --tsa "$tsa")
"$credits" stamp "renders/f_$(printf %05d "$n").png" --journal j.jsonl --tool Bench --out out \
  --key "$key" --chain "$chain" >/dev/null 2>&1
read -r prove_s prove_kb < <(measure "$credits" prove "out/f_$(printf %05d "$n").png" --journal j.jsonl \
  --trust trust.pem --tsa-trust tsa/root.pem)
read -r sha_s _ < <(measure sh -c 'sha256sum renders/*.png j.jsonl j.jsonl.private')
size=$(du -k j.jsonl | cut -f1)
echo "journal of $n sealed attempts: $size KiB"
awk -v n="$n" -v a="$add_s" -v ak="$add_kb" -v p="$prove_s" -v pk="$prove_kb" -v s="$sha_s" 'BEGIN {
  printf "journal add  %6.2f s  (%.2f ms/attempt, %d MiB peak)\n", a, 1000*a/n, ak/1024
  printf "prove        %6.2f s  (%.3f ms/attempt, %d MiB peak)\n", p, 1000*p/n, pk/1024
  printf "sha256sum    %6.2f s  (the physical reference)\n", s
  if (s > 0) printf "ratio        add %.0fx, prove %.0fx the SHA-256 pass\n", a/s, p/s
}'
