#!/usr/bin/env bash
# Interop: files stamped by credits — every embeddable format we can make
# with ffmpeg, and a sidecar — must read as Valid with no trust anchors, and
# Trusted with our CA as the only anchor, in c2pa-python (PyPI; a newer
# c2pa-rs than ours, through its C API). The ISCC code credits signs must
# equal the reference: for each clip, the ffmpeg CLI's frame signatures
# through iscc-core (PyPI, ISCC's Python implementation); for each sound,
# Chromaprint's fpcalc through iscc-core. Part of scripts/test.sh.
#   CREDITS=path/to/credits ./scripts/interop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
credits=${CREDITS:-$PWD/target/debug/credits}
[ -x "$credits" ] || cargo build --locked --bin credits
venv=$PWD/target/interop-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check c2pa-python==0.38.1 iscc-core==1.5.0

. "$PWD/scripts/bench-lib.sh"
WORK= bench_workdir interop
bench_studio "Interop Studio" "Interop Operator" op@interop.test

src="testsrc2=size=320x180:rate=24"
for f in frame.png frame.jpg frame.webp frame.gif frame.tif frame.avif; do
  ffmpeg -loglevel error -f lavfi -i "$src" -frames:v 1 "$f"
done
for f in clip.mp4 clip.mov clip.mkv; do
  ffmpeg -loglevel error -f lavfi -i "$src" -f lavfi -i sine -t 1 -pix_fmt yuv420p -c:v libx264 "$f"
done
# Clips of ~24 MB (3 s of noise at 12 Mb/s, looped by stream copy): their
# media data is bound by Merkle trees of 1 MiB leaves.
ffmpeg -loglevel error -f lavfi -i "$src,noise=alls=40:allf=t" -f lavfi -i sine -t 3 \
  -pix_fmt yuv420p -c:v libx264 -b:v 12M -minrate 12M -maxrate 12M -bufsize 4M noise.mp4
for f in big.mp4 big.mov; do
  ffmpeg -loglevel error -stream_loop -1 -i noise.mp4 -c copy -fs 24000000 "$f"
done
for f in sound.wav sound.mp3; do
  # 6 s: Chromaprint needs a few seconds to say anything.
  ffmpeg -loglevel error -f lavfi -i "sine=frequency=440:duration=6" \
    -f lavfi -i "anoisesrc=duration=6:amplitude=0.1" -filter_complex amix=inputs=2 "$f"
done
mkdir out
"$credits" stamp frame.* clip.* sound.* --out out --key ca/op@interop.test.key \
  --chain ca/op@interop.test.chain.pem --tool "Interop Gen" --prompt "a test pattern" >/dev/null
"$venv/bin/python" "$OLDPWD/scripts/interop.py" trust.pem \
  out/frame.png out/frame.jpg out/frame.webp out/frame.gif out/frame.tif out/frame.avif \
  out/clip.mp4 out/clip.mov out/clip.mkv.c2pa out/sound.wav out/sound.mp3
# ComfyUI's clips, animations and sounds (fixtures/generators, issue 28),
# stamped with no tool or prompt flags: the generator's metadata removed
# (a sidecar for WebM) and each still Valid and Trusted.
gen="$OLDPWD/fixtures/generators"
mkdir out-gen
"$credits" stamp "$gen"/comfyui-savevideo.mp4 "$gen"/vhs.mp4 "$gen"/vhs-prores.mov \
  "$gen"/comfyui-animated.webp "$gen"/comfyui-animated.png "$gen"/comfyui-audio.mp3 \
  "$gen"/comfyui-audio.flac "$gen"/comfyui-audio.opus "$gen"/comfyui-savewebm.webm --out out-gen --key ca/op@interop.test.key \
  --chain ca/op@interop.test.chain.pem >/dev/null 2>&1
"$venv/bin/python" "$OLDPWD/scripts/interop.py" trust.pem \
  out-gen/comfyui-savevideo.mp4 out-gen/vhs.mp4 out-gen/vhs-prores.mov out-gen/comfyui-animated.webp \
  out-gen/comfyui-animated.png out-gen/comfyui-audio.mp3 out-gen/comfyui-audio.flac \
  out-gen/comfyui-audio.opus.c2pa out-gen/comfyui-savewebm.webm.c2pa
# One ComfyUI graph per model family (fixtures/generators/comfyui-graphs,
# issue 31), stamped with the images they load: each still Valid and
# Trusted, its control images ingredients.
graphs="$OLDPWD/fixtures/generators/comfyui-graphs"
mkdir out-graphs
"$credits" stamp "$graphs"/*.png --out out-graphs --key ca/op@interop.test.key \
  --chain ca/op@interop.test.chain.pem --controls-dir "$graphs/input" >/dev/null 2>&1
"$venv/bin/python" "$OLDPWD/scripts/interop.py" trust.pem out-graphs/*.png
mkdir out-merkle
"$credits" stamp big.mp4 big.mov --out out-merkle --key ca/op@interop.test.key \
  --chain ca/op@interop.test.chain.pem --tool "Interop Gen" --no-fingerprint >/dev/null
"$venv/bin/python" "$OLDPWD/scripts/interop.py" --merkle trust.pem out-merkle/big.mp4 out-merkle/big.mov
# One byte changed in a middle Merkle leaf of each clip's media data:
# Invalid, with the BMFF hash mismatch.
"$venv/bin/python" "$OLDPWD/scripts/interop.py" --tampered trust.pem out-merkle/big.mp4 out-merkle/big.mov
# Timestamped (RFC 3161, sigTst2) by a local TSA: still Valid and Trusted.
python3 "$OLDPWD/scripts/local-tsa.py" --dir tsa --port 0 2> tsa.log &
tsa_pid=$!
trap 'kill $tsa_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q 'local TSA at' tsa.log && break; sleep 0.1; done
tsa_url=$(sed -n 's/^local TSA at \(http[^ ]*\).*/\1/p' tsa.log)
mkdir out-tsa
"$credits" stamp frame.png clip.mp4 --out out-tsa --key ca/op@interop.test.key \
  --chain ca/op@interop.test.chain.pem --tool "Interop Gen" --tsa "$tsa_url" >/dev/null
"$venv/bin/python" "$OLDPWD/scripts/interop.py" trust.pem out-tsa/frame.png out-tsa/clip.mp4
# Timestamped later (`credits timestamp`: an update manifest with a
# c2pa.time-stamp assertion, C2PA 2.2): still Valid and Trusted.
mkdir out-later
cp out/frame.png out/clip.mp4 out-later/
"$credits" timestamp out-later --tsa "$tsa_url" --key ca/op@interop.test.key \
  --chain ca/op@interop.test.chain.pem --trust trust.pem >/dev/null
"$venv/bin/python" "$OLDPWD/scripts/interop.py" trust.pem out-later/frame.png out-later/clip.mp4
# The C2PA 2.4 AI disclosure (issue 32), derived from the evidence: no
# prompt (fully_autonomous), a prompt (prompt_guided), the chosen one of
# two sealed journal attempts (human_validated). c2pa-python reads the
# same level `credits verify` shows.
mkdir out-plain out-journal
"$credits" stamp frame.jpg --out out-plain --key ca/op@interop.test.key \
  --chain ca/op@interop.test.chain.pem --tool "Interop Gen" >/dev/null
ffmpeg -loglevel error -f lavfi -i "testsrc=size=320x180" -frames:v 1 other.png
"$credits" journal add --journal j.jsonl other.png frame.png --prompt "a test pattern" \
  --key ca/op@interop.test.key --chain ca/op@interop.test.chain.pem >/dev/null 2>&1
"$credits" stamp frame.png --journal j.jsonl --out out-journal --key ca/op@interop.test.key \
  --chain ca/op@interop.test.chain.pem --tool "Interop Gen" --prompt "a test pattern" >/dev/null
level() {
  "$credits" verify --trust trust.pem --json "$1" 2>/dev/null | "$venv/bin/python" -c \
    'import json,sys; print(json.load(sys.stdin)["files"][0]["ai_disclosure"]["human_oversight_level"])'
}
"$venv/bin/python" "$OLDPWD/scripts/interop.py" --disclosure \
  "out-plain/frame.jpg=$(level out-plain/frame.jpg)=fully_autonomous" \
  "out/frame.png=$(level out/frame.png)=prompt_guided" \
  "out-journal/frame.png=$(level out-journal/frame.png)=human_validated"
for clip in clip.mp4 clip.mov clip.mkv; do
  ffmpeg -loglevel error -i "$clip" -vf fps=fps=5,signature=format=xml:filename=sig.xml -f null -
  ours=$("$credits" verify --trust trust.pem --json "out/$clip" 2>/dev/null | "$venv/bin/python" -c \
    'import json,sys; print(json.load(sys.stdin)["files"][0]["soft_binding"]["iscc"])')
  theirs=$("$venv/bin/python" -c '
import re, iscc_core
xml = open("sig.xml").read()
sigs = [tuple(map(int, s.split())) for s in re.findall(r"<FrameSignature>(.*?)</FrameSignature>", xml, re.S)]
print(iscc_core.gen_video_code_v0(sigs, bits=64)["iscc"])')
  if [ "$ours" != "$theirs" ]; then
    echo "FAIL $clip ISCC Video-Code: credits $ours, iscc-core $theirs"; exit 1
  fi
  echo "ok   $clip ISCC Video-Code $ours = iscc-core over the ffmpeg CLI's signatures"
done
for sound in sound.wav sound.mp3; do
  ours=$("$credits" verify --trust trust.pem --json "out/$sound" 2>/dev/null | "$venv/bin/python" -c \
    'import json,sys; print(json.load(sys.stdin)["files"][0]["soft_binding"]["iscc"])')
  # fpcalc exits 3 at a file's end ("Error decoding audio frame (End of
  # file)") with the fingerprint printed; an empty one fails below.
  { fpcalc -raw -signed -length 0 "$sound" 2>/dev/null || true; } | sed -n 's/^FINGERPRINT=//p' > fp.txt
  theirs=$("$venv/bin/python" -c '
import iscc_core
values = [int(v) for v in open("fp.txt").read().strip().split(",")]
print(iscc_core.gen_audio_code_v0(values, bits=64)["iscc"])')
  if [ "$ours" != "$theirs" ]; then
    echo "FAIL $sound ISCC Audio-Code: credits $ours, iscc-core $theirs"; exit 1
  fi
  echo "ok   $sound ISCC Audio-Code $ours = iscc-core over fpcalc -raw -signed"
done
