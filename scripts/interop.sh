#!/usr/bin/env bash
# Interop: files stamped by credits — every embeddable format we can make
# with ffmpeg, and a sidecar — must read as Valid with no trust anchors, and
# Trusted with our CA as the only anchor, in c2pa-python (PyPI; a newer
# c2pa-rs than ours, through its C API). Part of scripts/test.sh.
#   CREDITS=path/to/credits ./scripts/interop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
credits=${CREDITS:-$PWD/target/debug/credits}
[ -x "$credits" ] || cargo build --locked --bin credits
venv=$PWD/target/interop-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check c2pa-python==0.38.1

work=$(mktemp -d -t credits-interop.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$credits" keys init --org "Interop Studio" --dir ca >/dev/null 2>&1
"$credits" keys issue --dir ca --name "Interop Operator" --email op@interop.test >/dev/null 2>&1
"$credits" keys trust --dir ca --out trust.pem 2>/dev/null

src="testsrc2=size=320x180:rate=24"
for f in frame.png frame.jpg frame.webp frame.gif frame.tif frame.avif; do
  ffmpeg -loglevel error -f lavfi -i "$src" -frames:v 1 "$f"
done
for f in clip.mp4 clip.mov clip.mkv; do
  ffmpeg -loglevel error -f lavfi -i "$src" -f lavfi -i sine -t 1 -pix_fmt yuv420p -c:v libx264 "$f"
done
for f in sound.wav sound.mp3; do
  ffmpeg -loglevel error -f lavfi -i sine -t 1 "$f"
done
mkdir out
"$credits" stamp frame.* clip.* sound.* --out out --key ca/op@interop.test.key \
  --chain ca/op@interop.test.chain.pem --tool "Interop Gen" --prompt "a test pattern" >/dev/null
"$venv/bin/python" "$OLDPWD/scripts/interop.py" trust.pem \
  out/frame.png out/frame.jpg out/frame.webp out/frame.gif out/frame.tif out/frame.avif \
  out/clip.mp4 out/clip.mov out/clip.mkv.c2pa out/sound.wav out/sound.mp3
