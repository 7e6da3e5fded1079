#!/usr/bin/env bash
# Throughput benchmark (run by hand, not in CI). Generates its media, then
# measures wall time and peak RSS of credits against the physical reference
# (one SHA-256 pass over the same bytes; plus a `cp` for signing, which
# writes a copy) and, when c2patool is on PATH, against c2patool with
# thumbnails off. Medians of RUNS runs (default 3), warm page cache.
#
#   ./scripts/bench-throughput.sh [RUNS]
#
#   WORK=DIR     keep the generated media in DIR between invocations
#   SKIP_BIG=1   leave out the 480 MB and 1.13 GB clips
#
# c2patool: `cargo install c2patool@0.27.22 --locked` (~16 min); it signs one
# file per process, so its frames figure is a serial loop.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
./scripts/setup.sh
command -v /usr/bin/time >/dev/null 2>&1 ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
cargo build --release --locked --bin credits --example sha256 >&2
credits="$PWD/target/release/credits"
sha="$PWD/target/release/examples/sha256"
c2patool=$(command -v c2patool || true)

. "$PWD/scripts/bench-lib.sh"
bench_workdir throughput
rm -rf out
mkdir -p media out

# --- keys: one studio CA and operator, used by both tools --------------------
bench_studio "Bench Studio" "Bench Operator" bench@studio.test
cat > c2patool.toml <<EOF
[builder.thumbnail]
enabled = false
[verify]
remote_manifest_fetch = false
ocsp_fetch = false
EOF
cat > manifest.json <<EOF
{"alg": "ed25519", "private_key": "$key", "sign_cert": "$chain",
 "claim_generator_info": [{"name": "bench", "version": "1"}],
 "assertions": [{"label": "c2pa.actions", "data": {"actions": [{"action": "c2pa.created",
   "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"}]}}]}
EOF

# --- media -------------------------------------------------------------------
if [ ! -f media/frames/f100.png ]; then
  echo "generating 100 1080p PNG frames (~3 MB each)…" >&2
  mkdir -p media/frames
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=24,noise=alls=6:allf=t" \
    -frames:v 100 media/frames/f%03d.png
fi
if [ ! -f media/base.mp4 ]; then
  echo "generating a 60 s 1080p H.264 base clip (~190 MB)…" >&2
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=24,noise=alls=12:allf=t" -t 60 \
    -c:v libx264 -preset ultrafast -b:v 25M -maxrate 25M -bufsize 50M -pix_fmt yuv420p media/base.mp4
fi
clip() { # name bytes: the base clip looped (stream copy) up to that size
  [ -f "media/$1" ] || ffmpeg -loglevel error -stream_loop -1 -i media/base.mp4 -c copy -fs "$2" "media/$1"
}
clip clip20M.mp4 20000000
clips=(clip20M.mp4)
if [ -z "${SKIP_BIG:-}" ]; then
  clip clip480M.mp4 480000000
  clip clip1130M.mp4 1130000000
  clips+=(clip480M.mp4 clip1130M.mp4)
fi

# --- measuring ---------------------------------------------------------------
# run LABEL COMMAND…: one timed run; appends "wall_seconds rss_mib" to res/LABEL.
mkdir -p res; rm -f res/*
# Dirty pages of the previous step are flushed first (untimed), so that one
# step's writeback does not land in the next one's figure.
run() {
  local label=$1; shift
  local t0 t1
  sync
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o time.txt "$@" >/dev/null 2>err.txt ||
    { echo "bench: $label failed:" >&2; cat err.txt >&2; exit 1; }
  t1=$(date +%s%N)
  echo "$(( t1 - t0 )) $(cat time.txt)" | awk '{printf "%.4f %.1f\n", $1/1e9, $2/1024}' >> "res/$label"
}
# warm_run LABEL COMMAND…: one untimed run first (like hyperfine --warmup),
# then three timed ones. For verification: it is short, and its ~0.5 GiB of
# hash buffers otherwise lands on guest pages the VM has handed back to its
# host, which makes single samples noisy.
warm_run() {
  local label=$1; shift
  "$@" >/dev/null 2>&1 || true
  for _ in 1 2 3; do run "$label" "$@"; done
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { cut -d' ' -f1 "res/$1" | median; }
rss() { cut -d' ' -f2 "res/$1" | sort -n | tail -1; }
warm() { cat "$@" >/dev/null; }

c2p_stamp_loop() { # out_dir frames…
  local out=$1; shift
  for f in "$@"; do
    "$c2patool" --settings c2patool.toml "$f" -m manifest.json -o "$out/$(basename "$f")" -f >/dev/null
  done
}
c2p_verify_loop() {
  for f in "$@"; do "$c2patool" --settings c2patool.toml "$f" >/dev/null; done
}
export -f c2p_stamp_loop c2p_verify_loop
export c2patool

frames=(media/frames/*.png)
for i in $(seq "$runs"); do
  echo "run $i/$runs…" >&2
  warm "${frames[@]}"
  run frames.sha256 "$sha" "${frames[@]}"
  rm -rf out/f; mkdir -p out/f
  run frames.stamp "$credits" stamp media/frames --out out/f --key "$key" --chain "$chain" --tool Bench --no-fingerprint
  warm_run frames.verify "$credits" verify --trust trust.pem out/f/*.png
  rm -rf out/f; mkdir -p out/f
  run frames.stamp_fp "$credits" stamp media/frames --out out/f --key "$key" --chain "$chain" --tool Bench
  if [ -n "$c2patool" ]; then
    rm -rf out/c; mkdir -p out/c
    run frames.c2patool bash -c 'c2p_stamp_loop "$@"' _ out/c "${frames[@]}"
    warm_run frames.c2patool_verify bash -c 'c2p_verify_loop "$@"' _ out/c/*.png
  fi
  for c in "${clips[@]}"; do
    warm "media/$c"
    run "$c.sha256" "$sha" "media/$c"
    rm -f out/cp.mp4
    run "$c.cp" cp "media/$c" out/cp.mp4
    rm -f out/cp.mp4
    rm -rf out/v; mkdir -p out/v
    run "$c.stamp_nofp" "$credits" stamp "media/$c" --out out/v --key "$key" --chain "$chain" --tool Bench --no-fingerprint
    rm -rf out/v; mkdir -p out/v
    run "$c.stamp" "$credits" stamp "media/$c" --out out/v --key "$key" --chain "$chain" --tool Bench
    warm "out/v/$c"
    warm_run "$c.verify" "$credits" verify --trust trust.pem "out/v/$c"
    rm -rf out/v
    if [ -n "$c2patool" ]; then
      rm -rf out/c2; mkdir -p out/c2
      run "$c.c2patool" "$c2patool" --settings c2patool.toml "media/$c" -m manifest.json -o "out/c2/$c" -f
      warm "out/c2/$c"
      warm_run "$c.c2patool_verify" "$c2patool" --settings c2patool.toml "out/c2/$c"
      rm -rf out/c2
    fi
  done
done

# --- report ------------------------------------------------------------------
n=${#frames[@]}
fbytes=$(cat "${frames[@]}" | wc -c)
echo
printf 'credits %s · c2patool %s · %s · median of %s runs, warm cache\n' \
  "$("$credits" --version | awk '{print $2}')" \
  "$([ -n "$c2patool" ] && "$c2patool" --version | awk '{print $2}' || echo 'not on PATH')" \
  "$(nproc) cores" "$runs"
echo
printf '%d frames, 1080p PNG, %.0f MB in all\n' "$n" "$(echo "$fbytes" | awk '{print $1/1e6}')"
line() { # label key [reference-key]
  local w r; w=$(wall "$2"); r=$(rss "$2")
  if [ -n "${3:-}" ]; then
    printf '  %-44s %8.3f s  %7.1f frames/s  %7.1f MiB  %s\n' "$1" "$w" "$(echo "$n $w" | awk '{print $1/$2}')" "$r" \
      "$(echo "$w $(wall "$3")" | awk '{printf "%.1fx the SHA-256 pass", $1/$2}')"
  else
    printf '  %-44s %8.3f s  %7.1f frames/s  %7.1f MiB\n' "$1" "$w" "$(echo "$n $w" | awk '{print $1/$2}')" "$r"
  fi
}
line "SHA-256 pass (one process)" frames.sha256
line "credits stamp DIR --no-fingerprint" frames.stamp frames.sha256
line "credits stamp DIR (fingerprint: decodes)" frames.stamp_fp frames.sha256
line "credits verify (one process)" frames.verify frames.sha256
if [ -n "$c2patool" ]; then
  line "c2patool, one process per frame" frames.c2patool frames.sha256
  line "c2patool verify, one process per frame" frames.c2patool_verify frames.sha256
  awk -v a="$(wall frames.c2patool)" -v b="$(wall frames.stamp)" -v c="$(wall frames.stamp_fp)" \
    -v d="$(wall frames.c2patool_verify)" -v e="$(wall frames.verify)" 'BEGIN {
    printf "  stamp: credits %.1fx the frames/s of c2patool (%.1fx with the fingerprint); verify: %.1fx\n", a/b, a/c, d/e }'
fi
for c in "${clips[@]}"; do
  size=$(stat -c %s "media/$c")
  echo
  printf '%s, %.2f GB\n' "$c" "$(echo "$size" | awk '{print $1/1e9}')"
  s=$(wall "$c.sha256"); p=$(wall "$c.cp")
  cl() { printf '  %-44s %8.3f s  %7.1f MiB  %s\n' "$1" "$(wall "$2")" "$(rss "$2")" "${3:-}"; }
  cl "SHA-256 pass" "$c.sha256"
  cl "cp to a new file" "$c.cp"
  cl "credits stamp (default flags)" "$c.stamp" \
    "$(echo "$(wall "$c.stamp") $s $p" | awk '{printf "%.2fx (SHA-256 + cp)", $1/($2+$3)}')"
  cl "credits stamp --no-fingerprint" "$c.stamp_nofp" \
    "$(echo "$(wall "$c.stamp_nofp") $s $p" | awk '{printf "%.2fx (SHA-256 + cp)", $1/($2+$3)}')"
  cl "credits verify" "$c.verify" "$(echo "$(wall "$c.verify") $s" | awk '{printf "%.2fx SHA-256", $1/$2}')"
  if [ -n "$c2patool" ]; then
    cl "c2patool sign" "$c.c2patool" \
      "$(echo "$(wall "$c.c2patool") $(wall "$c.stamp_nofp")" | awk '{printf "%.1fx the time of credits --no-fingerprint (same work)", $1/$2}')"
    cl "c2patool verify" "$c.c2patool_verify" "$(echo "$(wall "$c.c2patool_verify") $s" | awk '{printf "%.2fx SHA-256", $1/$2}')"
  fi
done
echo
echo "(stamp of clips over 512 MiB signs no fingerprint by default; see --fingerprint)"
