#!/usr/bin/env bash
# Benchmark (by hand): two credits binaries side by side — say a build of
# an earlier commit and of this one — stamping (with --prompt) and
# verifying the same 1080p PNG frame and ~20 MB MP4, median of RUNS runs,
# beside one SHA-256 pass (sha256sum) over the same file.
#   ./scripts/bench-compare.sh OLD_CREDITS NEW_CREDITS [RUNS]
# e.g. build the old one with `git worktree add /tmp/old REV` and
# `cargo build --bin credits` there.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 OLD_CREDITS NEW_CREDITS [RUNS]" >&2; exit 2; }
old=$(realpath "$1"); new=$(realpath "$2"); runs=${3:-5}
credits=$new
. "$PWD/scripts/bench-lib.sh"
bench_workdir bench-compare
bench_studio "Bench Studio" "Bench Operator" bench@studio.test
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080,noise=alls=25:allf=t" -frames:v 1 frame.png
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=24,noise=alls=12:allf=t" -t 8 \
  -c:v libx264 -b:v 20M -maxrate 20M -bufsize 40M -pix_fmt yuv420p clip.mp4
us() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )); }
median() { tr ' ' '\n' | sort -n | awk 'NF {a[++n]=$1} END {print a[int((n+1)/2)]}'; }
for f in frame.png clip.mp4; do
  cat "$f" >/dev/null  # warm the page cache
  s=""; for _ in $(seq "$runs"); do s="$s $(us sha256sum "$f")"; done; s=$(echo $s | median)
  for which in old new; do
    bin=$old; [ "$which" = new ] && bin=$new
    st=""; vt=""
    for _ in $(seq "$runs"); do
      st="$st $(us "$bin" stamp "$f" --key "$key" --chain "$chain" --tool Bench --prompt 'a lighthouse in a storm' --out "out-$which" --force)"
      vt="$vt $(us "$bin" verify --trust trust.pem "out-$which/$f")"
    done
    "$bin" verify --trust trust.pem "out-$which/$f" >/dev/null 2>&1 || { echo "bench: $which $f did not verify" >&2; exit 1; }
    st=$(echo $st | median); vt=$(echo $vt | median)
    awk -v f="$f" -v w="$which" -v s="$s" -v st="$st" -v vt="$vt" 'BEGIN {
      printf "%-9s %-3s sha256 %7.1f ms  stamp %7.1f ms (%.1fx)  verify %7.1f ms (%.1fx)\n",
        f, w, s / 1e3, st / 1e3, st / s, vt / 1e3, vt / s }'
  done
done
echo "(median of $runs runs, warm cache, each a separate process; ratios against the SHA-256 pass)"
