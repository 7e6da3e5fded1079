#!/usr/bin/env bash
# Set up, build, and run the main job on a built-in demo: a throwaway studio
# CA and operator, a generated frame and clip, stamped, verified, tampered,
# and a prompt proved. Everything happens in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo build --release --locked
credits="$PWD/target/release/credits"
repo=$PWD

work=$(mktemp -d -t credits-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
expect() { # expect CODE command...: run, show, and check the exit status
  local want=$1; shift
  set +e; "$@"; local got=$?; set -e
  if [ "$got" -ne "$want" ]; then
    echo "demo: expected exit $want from '$*', got $got" >&2
    exit 1
  fi
  echo "(exit $got, as expected)"
}

step "1. A throwaway studio CA and one operator"
"$credits" keys init --org "Demo Studio" --dir ca
"$credits" keys issue --dir ca --name "Alice Chen" --email alice@demo.studio
"$credits" keys trust --dir ca --out trust.pem

step "2. Generate a 1080p frame and a 2-second clip (ffmpeg test sources)"
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080,noise=alls=20:allf=t" -frames:v 1 frame.png
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1280x720:rate=24,noise=alls=20:allf=t" -t 2 -pix_fmt yuv420p clip.mp4
cat > kling.toml <<'TOML'
role = "prompt_design"
[tool]
name = "Kling"
version = "2.1"
vendor = "Kuaishou"
model = "kling-v2-1-master"
[license]
id = "kling-pro-commercial"
commercial_use = true
TOML
ls -l frame.png clip.mp4

step "3. Stamp both right after generation (prompt committed, never embedded)"
mkdir signed
"$credits" stamp frame.png clip.mp4 --key ca/alice@demo.studio.key --chain ca/alice@demo.studio.chain.pem \
  --profile kling.toml --prompt "a red fox crossing a snowy road at dawn, 35mm" --seed 1234 \
  --control first_frame=frame.png --selection 1/48 --out signed --index studio.db \
  --reveal-dir private

step "4. Verify at ingest against the studio's trust bundle"
expect 0 "$credits" verify --trust trust.pem signed/frame.png signed/clip.mp4

step "5. Tamper with a copy: one flipped byte in the clip's media data"
cp signed/clip.mp4 tampered.mp4
python3 - <<'PY'
data = bytearray(open("tampered.mp4", "rb").read())
at = data.find(b"mdat") + 4096
data[at] ^= 0xFF
open("tampered.mp4", "wb").write(data)
PY
expect 1 "$credits" verify --trust trust.pem tampered.mp4

step "6. Prove the prompt with the private reveal file"
# The reveal files stay out of the delivery, under private/ (mode 0700).
expect 0 "$credits" prove signed/frame.png --reveal private/signed/frame.png.reveal.json --trust trust.pem
sed 's/red fox/grey wolf/' private/signed/frame.png.reveal.json > wrong.json
expect 1 "$credits" prove signed/frame.png --reveal wrong.json --trust trust.pem

step "7. A proxy made with ffmpeg, signed as a transcode of the signed clip"
mkdir proxies
ffmpeg -loglevel error -i signed/clip.mp4 -vf scale=-2:360 -b:v 600k proxies/clip.mp4
"$credits" derive proxies/clip.mp4 --from signed/clip.mp4 --action transcoded --tool "ffmpeg" --license LGPL-2.1 --commercial-use yes \
  --key ca/alice@demo.studio.key --chain ca/alice@demo.studio.chain.pem
expect 0 "$credits" verify --trust trust.pem proxies/clip.mp4

step "8. A re-encode that lost its manifest, recovered from the index by fingerprint"
ffmpeg -loglevel error -ss 0.5 -i signed/clip.mp4 -t 1 -b:v 400k reencoded.mp4
set +e; "$credits" verify --trust trust.pem --recover --index studio.db reencoded.mp4 > recover.txt; rc=$?; set -e
cat recover.txt
if [ "$rc" -ne 1 ] || ! grep -q '^RECOVERED' recover.txt; then
  echo "demo: expected a 'recovered' verdict (exit 1), got exit $rc" >&2
  exit 1
fi
echo "(recovered, exit 1: a lead for rights clearance, never a pass)"

step "9. Audit the whole delivery: coverage, human control, contributions"
"$credits" audit signed proxies --trust trust.pem
report="$repo/target/demo-audit.html"
"$credits" audit signed proxies --trust trust.pem --format html --out "$report"
echo "(HTML report kept at $report)"

printf '\ndemo: all steps behaved as expected\n'
