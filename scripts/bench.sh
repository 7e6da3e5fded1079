#!/usr/bin/env bash
# Benchmark (run by hand, not in CI): sign and verify wall time for a 1080p
# PNG frame and a ~20 MB MP4, beside one SHA-256 pass over the same file.
# Prints the median of RUNS runs (default 7) and the ratios.
#   ./scripts/bench.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
./scripts/setup.sh
cargo build --release --locked --bin credits --example sha256 >&2
credits="$PWD/target/release/credits"
sha="$PWD/target/release/examples/sha256"

. "$PWD/scripts/bench-lib.sh"
bench_workdir bench
bench_studio "Bench Studio" "Bench Operator" bench@studio.test

echo "generating media…" >&2
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080,noise=alls=25:allf=t" -frames:v 1 frame.png
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=24,noise=alls=12:allf=t" -t 8 \
  -c:v libx264 -b:v 20M -maxrate 20M -bufsize 40M -pix_fmt yuv420p clip.mp4

# us COMMAND…: wall microseconds of the command, output discarded.
us() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))
}
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for f in frame.png clip.mp4; do
  mkdir -p "out-$f"
  cat "$f" >/dev/null  # warm the page cache
  s=""; st=""; nf=""; v=""
  for _ in $(seq "$runs"); do
    s="$s $(us "$sha" "$f")"
    st="$st $(us "$credits" stamp "$f" --key $key --chain $chain --tool Bench --prompt p --out "out-$f" --force)"
    nf="$nf $(us "$credits" stamp "$f" --key $key --chain $chain --tool Bench --prompt p --out "out-$f" --force --no-fingerprint)"
    v="$v $(us "$credits" verify --trust trust.pem "out-$f/$f")"
  done
  "$credits" verify --trust trust.pem "out-$f/$f" >/dev/null 2>&1 || { echo "bench: $f did not verify" >&2; exit 1; }
  s=$(echo $s | median); st=$(echo $st | median); nf=$(echo $nf | median); v=$(echo $v | median)
  size=$(stat -c %s "$f")
  awk -v f="$f" -v size="$size" -v s="$s" -v st="$st" -v nf="$nf" -v v="$v" 'BEGIN {
    printf "%-10s %6.1f MB  sha256 %7.1f ms  stamp %7.1f ms (%.1fx)  stamp --no-fingerprint %7.1f ms (%.1fx)  verify %7.1f ms (%.1fx)\n",
      f, size / 1e6, s / 1e3, st / 1e3, st / s, nf / 1e3, nf / s, v / 1e3, v / s }'
done
echo "(median of $runs runs, warm cache, each a separate process; ratios against the SHA-256 pass)"
printf 'process start-up (credits --version): %s ms\n' "$(us "$credits" --version | awk '{printf "%.1f", $1/1e3}')"
