#!/usr/bin/env bash
# What RFC 3161 timestamps cost (issue 14): stamp N frames without and
# with --tsa (scripts/local-tsa.py on 127.0.0.1: the TSA's own time is in
# the figure, as a studio's would be), then verify each set without and
# with --tsa-trust, and timestamp the untimestamped set later (`credits
# timestamp`: a token and an update manifest per file, each written file
# read back); beside one SHA-256 pass over the same files (the
# physical reference), and beside the peer: c2pa-python (PyPI) signing the
# same frames without and with the same TSA (scripts/peer-sign.py, one
# process). Medians of RUNS, wall seconds; sizes of one output.
#   CREDITS=target/release/credits N=200 RUNS=3 scripts/bench-tsa.sh
set -euo pipefail
cd "$(dirname "$0")/.."
credits=${CREDITS:-$PWD/target/release/credits}
[ -x "$credits" ] || cargo build --release --locked --bin credits
n=${N:-200}
runs=${RUNS:-3}
repo=$PWD
venv=$PWD/target/interop-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check c2pa-python==0.38.1
. "$repo/scripts/bench-lib.sh"
bench_workdir bench-tsa
python3 "$repo/scripts/local-tsa.py" --dir tsa --port 0 2> tsa.log &
tsa_pid=$!
trap 'kill $tsa_pid 2>/dev/null; rm -rf "$work"' EXIT
bench_studio Bench "Bench Op" op@bench.test
mkdir in
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=640x360:rate=24,noise=alls=20:allf=t" \
  -frames:v "$n" in/f%04d.png
for _ in $(seq 50); do grep -q 'local TSA at' tsa.log && break; sleep 0.1; done
url=$(sed -n 's/^local TSA at \([^ ]*\).*/\1/p' tsa.log)
sign=(--tool Bench --key ca/op@bench.test.key --chain ca/op@bench.test.chain.pem)

# median of RUNS wall times of "$@" (after `prep`, untimed)
median() {
  local prep=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    eval "$prep"
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "FAIL: $*" >&2; exit 1; }
    t1=$(date +%s.%N)
    times+=("$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

sha=$(median ":" sh -c 'cat in/*.png | sha256sum')
plain=$(median "rm -rf plain" "$credits" stamp in --out plain "${sign[@]}" --no-fingerprint)
stamped=$(median "rm -rf stamped" "$credits" stamp in --out stamped "${sign[@]}" --no-fingerprint --tsa "$url")
v_plain=$(median ":" "$credits" verify --trust trust.pem plain/*.png)
v_stamped=$(median ":" "$credits" verify --trust trust.pem --tsa-trust tsa/root.pem stamped/*.png)
later=$(median "rm -rf later; cp -r plain later" "$credits" timestamp later --tsa "$url" \
  --key ca/op@bench.test.key --chain ca/op@bench.test.chain.pem --trust trust.pem)
v_later=$(median ":" "$credits" verify --trust trust.pem --tsa-trust tsa/root.pem later/*.png)
peer=(ca/op@bench.test.key ca/op@bench.test.chain.pem in)
p_plain=$(median "rm -rf peer" "$venv/bin/python" "$repo/scripts/peer-sign.py" "${peer[@]}" peer)
p_stamped=$(median "rm -rf peer-tsa" "$venv/bin/python" "$repo/scripts/peer-sign.py" "${peer[@]}" peer-tsa "$url")
"$credits" verify --trust trust.pem --tsa-trust tsa/root.pem --json peer-tsa/f0001.png |
  grep -q '"trusted": true' || { echo "FAIL: the peer's output carries no trusted timestamp"; exit 1; }
"$credits" verify --trust trust.pem --tsa-trust tsa/root.pem --json later/f0001.png |
  grep -q '"added_later"' || { echo "FAIL: no timestamp added later"; exit 1; }
"$credits" verify --trust trust.pem --tsa-trust tsa/root.pem --json stamped/f0001.png |
  grep -q '"trusted": true' || { echo "FAIL: the timestamp is not trusted"; exit 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "$n frames 640x360 PNG, medians of $runs, $(nproc) cores"
echo "sha256 of the inputs          ${sha} s"
echo "stamp, no timestamp           ${plain} s  ($(ratio "$plain" "$sha")x sha256)"
echo "stamp --tsa (local TSA)       ${stamped} s  ($(ratio "$stamped" "$sha")x sha256, $(ratio "$stamped" "$plain")x untimestamped)"
echo "verify, no timestamp          ${v_plain} s  ($(ratio "$v_plain" "$sha")x sha256)"
echo "verify --tsa-trust, stamped   ${v_stamped} s  ($(ratio "$v_stamped" "$v_plain")x untimestamped)"
echo "timestamp later (update)      ${later} s  ($(ratio "$later" "$sha")x sha256, $(ratio "$later" "$plain")x stamping)"
echo "verify --tsa-trust, later     ${v_later} s  ($(ratio "$v_later" "$v_plain")x untimestamped)"
echo "c2pa-python, no timestamp     ${p_plain} s  ($(ratio "$p_plain" "$plain")x credits)"
echo "c2pa-python with the TSA      ${p_stamped} s  ($(ratio "$p_stamped" "$stamped")x credits --tsa, $(ratio "$p_stamped" "$p_plain")x untimestamped)"
echo "output size: $(stat -c %s plain/f0001.png) B untimestamped, $(stat -c %s stamped/f0001.png) B timestamped, $(stat -c %s later/f0001.png) B timestamped later"
