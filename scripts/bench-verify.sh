#!/usr/bin/env bash
# Verification memory and speed for large clips (issue 16; run by hand, not
# in CI). Generates a 1 GB and a 4 GB H.264 MP4 (a 60 s 1080p clip looped
# by stream copy), stamps them (their media data bound by Merkle trees of
# 1 MiB leaves), and measures wall time and peak RSS, warm page cache,
# median of RUNS runs (default 3), of:
#   - one SHA-256 pass over the same bytes (the physical reference: the
#     sha2 crate, which the SDK hashes with, and `openssl dgst -sha256`);
#   - `credits verify`;
#   - `credits verify` built without FFmpeg (`--no-default-features`, what
#     an ingest machine that only verifies can install): no shared-library
#     floor;
#   - c2pa-python's Reader (PyPI c2pa-python 0.38.1, c2pa-rs 0.91.3), the peer;
#   - `credits audit` of 8 stamped 1 GB clips on this machine's cores.
#
#   ./scripts/bench-verify.sh [RUNS]
#
#   WORK=DIR     keep the generated media in DIR between invocations
#   SKIP_4G=1    leave out the 4 GB clip
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
./scripts/setup.sh
command -v /usr/bin/time >/dev/null 2>&1 ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
cargo build --release --locked --bin credits --example sha256 >&2
cargo build --release --locked --bin credits --no-default-features --target-dir target/verify-only >&2
credits="$PWD/target/release/credits"
lean="$PWD/target/verify-only/release/credits"
sha="$PWD/target/release/examples/sha256"
venv=$PWD/target/interop-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check c2pa-python==0.38.1
py="$venv/bin/python"

. "$PWD/scripts/bench-lib.sh"
bench_workdir verify
rm -rf out
mkdir -p media out
bench_studio "Bench Studio" "Bench Operator" bench@studio.test
cat > reader.py <<'PY'
import sys, c2pa
pem = open(sys.argv[1]).read()
ctx = c2pa.Context(settings=c2pa.Settings.from_dict({
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
    "trust": {"anchors": [{"trust_anchors": pem, "trust_kind": "manifest"},
                          {"trust_anchors": pem, "trust_kind": "cawg"}]}}))
for path in sys.argv[2:]:
    state = c2pa.Reader(path, context=ctx).get_validation_state()
    if state != "Trusted":
        sys.exit(f"{path}: {state}")
PY

# --- media -------------------------------------------------------------------
if [ ! -f media/base.mp4 ]; then
  echo "generating a 60 s 1080p H.264 base clip (~190 MB)…" >&2
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=24,noise=alls=12:allf=t" -t 60 \
    -c:v libx264 -preset ultrafast -b:v 25M -maxrate 25M -bufsize 50M -pix_fmt yuv420p media/base.mp4
fi
clip() { # name bytes
  [ -f "media/$1" ] || ffmpeg -loglevel error -stream_loop -1 -i media/base.mp4 -c copy -fs "$2" "media/$1"
}
clip clip1G.mp4 1000000000
clips=(clip1G.mp4)
if [ -z "${SKIP_4G:-}" ]; then
  clip clip4G.mp4 4000000000
  clips+=(clip4G.mp4)
fi
echo "stamping…" >&2
for c in "${clips[@]}"; do
  "$credits" stamp "media/$c" --out out --key "$key" --chain "$chain" --tool Bench --no-fingerprint >/dev/null 2>&1
done
for i in 1 2 3 4 5 6 7 8; do
  mkdir -p "out/reel/$i"
  "$credits" stamp media/clip1G.mp4 --out "out/reel/$i" --key "$key" --chain "$chain" --tool Bench \
    --no-fingerprint >/dev/null 2>&1
done

# --- measuring ---------------------------------------------------------------
mkdir -p res; rm -f res/*
run() { # LABEL COMMAND…: appends "wall_seconds rss_mib" to res/LABEL
  local label=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o time.txt "$@" >/dev/null 2>err.txt ||
    { echo "bench: $label failed:" >&2; cat err.txt >&2; exit 1; }
  t1=$(date +%s%N)
  echo "$(( t1 - t0 )) $(cat time.txt)" | awk '{printf "%.4f %.1f\n", $1/1e9, $2/1024}' >> "res/$label"
}
# anon LABEL COMMAND…: one more (untimed) run, sampling the process's
# anonymous memory every 5 ms: its working memory, apart from the pages of
# the shared libraries every process maps (FFmpeg's ~160 of them: ~48 MiB
# of `credits`' peak RSS, `credits --version` included).
anon() {
  local label=$1; shift
  "$@" >/dev/null 2>&1 &
  local pid=$! peak=0 a
  while kill -0 "$pid" 2>/dev/null; do
    a=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ "${a:-0}" -gt "$peak" ] && peak=$a
    sleep 0.005
  done
  wait "$pid" || { echo "bench: $label failed" >&2; exit 1; }
  echo "$peak" | awk '{printf "%.1f\n", $1/1024}' > "res/$label.anon"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { cut -d' ' -f1 "res/$1" | median; }
rss() { cut -d' ' -f2 "res/$1" | sort -n | tail -1; }
for i in $(seq "$runs"); do
  echo "run $i/$runs…" >&2
  for c in "${clips[@]}"; do
    cat "out/$c" >/dev/null
    run "$c.sha256" "$sha" "out/$c"
    run "$c.openssl" openssl dgst -sha256 "out/$c"
    run "$c.verify" "$credits" verify --trust trust.pem "out/$c"
    run "$c.peer" "$py" reader.py trust.pem "out/$c"
    run "$c.lean" "$lean" verify --trust trust.pem "out/$c"
    anon "$c.verify" "$credits" verify --trust trust.pem "out/$c"
    anon "$c.lean" "$lean" verify --trust trust.pem "out/$c"
    anon "$c.peer" "$py" reader.py trust.pem "out/$c"
  done
  cat out/reel/*/clip1G.mp4 >/dev/null
  run reel.sha256 "$sha" out/reel/*/clip1G.mp4
  run reel.audit "$credits" audit out/reel --trust trust.pem
  run reel.verify "$credits" verify --trust trust.pem out/reel/*/clip1G.mp4
  anon reel.audit "$credits" audit out/reel --trust trust.pem
  anon reel.verify "$credits" verify --trust trust.pem out/reel/*/clip1G.mp4
  run reel.peer "$py" reader.py trust.pem out/reel/*/clip1G.mp4
done

# --- report ------------------------------------------------------------------
echo
printf 'credits %s · c2pa-python 0.38.1 (c2pa-rs 0.91.3) · %s cores · median of %s runs, warm cache\n' \
  "$("$credits" --version | awk '{print $2}')" "$(nproc)" "$runs"
line() { # label key reference-key
  local a=""
  [ -f "res/$2.anon" ] && a="$(cat "res/$2.anon") MiB anon"
  printf '  %-40s %8.3f s  %7.1f MiB peak RSS  %-15s %s\n' "$1" "$(wall "$2")" "$(rss "$2")" "$a" \
    "$(echo "$(wall "$2") $(wall "$3")" | awk '{printf "%.2fx the SHA-256 pass", $1/$2}')"
}
/usr/bin/time -f "%M" -o time.txt "$credits" --version >/dev/null
printf '  (%s MiB: the peak RSS of `credits --version`, its shared libraries mapped)\n' \
  "$(awk '{printf "%.1f", $1/1024}' time.txt)"
for c in "${clips[@]}"; do
  printf '\n%s, %.2f GB (stamped: media data in Merkle leaves)\n' "$c" \
    "$(stat -c %s "out/$c" | awk '{print $1/1e9}')"
  line "SHA-256 pass (sha2, as the SDK hashes)" "$c.sha256" "$c.sha256"
  line "openssl dgst -sha256" "$c.openssl" "$c.sha256"
  line "credits verify" "$c.verify" "$c.sha256"
  line "credits verify, built without FFmpeg" "$c.lean" "$c.sha256"
  line "c2pa-python Reader" "$c.peer" "$c.sha256"
done
printf '\n8 stamped 1 GB clips, %s cores\n' "$(nproc)"
line "SHA-256 pass over all 8 (one process)" reel.sha256 reel.sha256
line "credits audit (one worker per core)" reel.audit reel.sha256
line "credits verify of all 8 (one per core)" reel.verify reel.sha256
line "c2pa-python Reader, one after another" reel.peer reel.sha256
