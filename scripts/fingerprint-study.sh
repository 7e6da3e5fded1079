#!/usr/bin/env bash
# Measure film.credits.phash.v1 score distributions (run by hand): three
# 1080p originals, each re-encoded at a low bitrate, scaled to 720p and
# trimmed to 2 s from the middle (same-clip pairs), against 20 unrelated
# generated clips (different-clip pairs). Prints a summary per class and
# leaves the full TSV in $OUT (default: a temp file).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo build --release --locked --example fingerprint_scores >&2
bin="$PWD/target/release/examples/fingerprint_scores"
work=$(mktemp -d -t credits-fp.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=${OUT:-$work/scores.tsv}
ff() { ffmpeg -loglevel error -y "$@"; }
enc=(-pix_fmt yuv420p -c:v libx264 -preset ultrafast)

originals=()
i=0
for src in "testsrc2=size=1920x1080:rate=24" "mandelbrot=size=1920x1080:rate=24" "life=size=1920x1080:rate=24:seed=7:mold=10"; do
  o="$work/orig$i.mp4"
  ff -f lavfi -i "$src,noise=alls=20:allf=t" -t 6 "${enc[@]}" "$o"
  ff -i "$o" -c:v libx264 -b:v 400k -preset ultrafast "$work/orig$i-lowbr.mp4"
  ff -i "$o" -vf scale=-2:720 -c:v libx264 -preset ultrafast "$work/orig$i-720p.mp4"
  ff -ss 2 -i "$o" -t 2 -c:v libx264 -preset ultrafast "$work/orig$i-trim.mp4"
  originals+=("$o")
  i=$((i + 1))
done
others=()
for s in 1 2 3 4 5 6 7 8; do others+=("gradients=size=320x180:rate=24:seed=$s:speed=0.05"); done
for s in 1 2 3 4; do others+=("life=size=320x180:rate=24:seed=$s:mold=10"); done
for r in 30 90 110 150; do others+=("cellauto=size=320x180:rate=24:rule=$r"); done
others+=("mandelbrot=size=320x180:rate=24:start_x=-0.74:start_y=0.12" "testsrc=size=320x180:rate=24"
         "sierpinski=size=320x180:rate=24" "smptehdbars=size=320x180:rate=24")
queries=("$work"/orig*-*.mp4)
for n in "${!others[@]}"; do
  q="$work/other$n.mp4"
  ff -f lavfi -i "${others[$n]},noise=alls=20:allf=t" -t 4 "${enc[@]}" "$q"
  queries+=("$q")
done

"$bin" "${originals[@]}" -- "${queries[@]}" > "$out"
awk -F'\t' 'NR > 1 {
  split($1, o, "/"); split($2, q, "/"); on = o[length(o)]; qn = q[length(q)];
  sub(/\.mp4$/, "", on);
  same = index(qn, on "-") == 1;
  cls = same ? "same-clip" : "different-clip";
  n[cls]++; s[cls] += $6; if (!(cls in lo) || $6 < lo[cls]) lo[cls] = $6; if ($6 > hi[cls]) hi[cls] = $6;
  sh[cls] += $5; if (!(cls in slo) || $5 < slo[cls]) slo[cls] = $5; if ($5 > shi[cls]) shi[cls] = $5;
  if ($8 == "true") m[cls]++;
} END {
  for (c in n) printf "%-15s pairs %3d  match share min %.3f mean %.3f max %.3f  similarity min %.3f mean %.3f max %.3f  judged match %d\n",
    c, n[c], slo[c], sh[c]/n[c], shi[c], lo[c], s[c]/n[c], hi[c], m[c] + 0
}' "$out"
echo "(full table: $out)"
