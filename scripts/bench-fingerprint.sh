#!/usr/bin/env bash
# Benchmark (run by hand, not in CI): fingerprinting a ~1 GB 1080p clip
# (per-sample hashes and the ISCC Video-Code in one decode), wall time and
# peak RSS, beside a plain `ffmpeg -i clip -f null -` decode of the same
# clip, the same decode through ISCC's signature filter chain (what the
# reference SDK runs) and a SHA-256 pass over it. CLIP=path reuses a clip.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
command -v /usr/bin/time >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
cargo build --release --locked --example fingerprint --example sha256 >&2
fp="$PWD/target/release/examples/fingerprint"
sha="$PWD/target/release/examples/sha256"
work=$(mktemp -d -t credits-fpbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
clip=${CLIP:-$work/clip1080p.mp4}
if [ ! -f "$clip" ]; then
  echo "generating a ~1 GB 1080p clip (takes a few minutes)…" >&2
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=24,noise=alls=12:allf=t" -t 330 \
    -c:v libx264 -preset ultrafast -b:v 25M -maxrate 25M -bufsize 50M -pix_fmt yuv420p "$clip"
fi
cat "$clip" > /dev/null
printf 'clip: %s, %.2f GB\n' "$clip" "$(stat -c %s "$clip" | awk '{print $1/1e9}')"

measure() { # label command…: wall seconds and peak RSS (MiB) from GNU time
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r wall rss < "$work/time"
  printf '%-34s wall %7.2f s   peak RSS %7.1f MiB\n' "$label" "$wall" "$(echo "$rss" | awk '{print $1/1024}')"
}
measure "sha256 pass" "$sha" "$clip"
measure "ffmpeg -i clip -f null - (decode)" ffmpeg -nostdin -loglevel error -i "$clip" -f null -
measure "ffmpeg decode, 1 thread" ffmpeg -nostdin -loglevel error -threads 1 -i "$clip" -f null -
measure "ffmpeg decode + ISCC signatures" ffmpeg -nostdin -loglevel error -i "$clip" \
  -vf "fps=fps=5,signature=format=xml:filename=$work/sig.xml" -f null -
measure "fingerprint, stamp (4/s)" "$fp" stamp "$clip"
measure "fingerprint, query (every frame)" "$fp" query "$clip"
