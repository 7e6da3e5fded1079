#!/usr/bin/env bash
# ISCC Video-Code distances (docs/fingerprint.md): one 6 s clip re-encoded
# twice (x264 CRF 30 at 320x180; x264 CRF 20 scaled to 640x360), against 20
# unrelated clips from FFmpeg's test sources and expressions. Exits 1 when
# the re-encodes are not closer to each other than to every unrelated clip.
#   ./scripts/iscc-distances.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --example iscc_distances >&2
bin="$PWD/target/release/examples/iscc_distances"
work=${1:-$(mktemp -d -t credits-iscc.XXXXXX)}
mkdir -p "$work"
make() { # NAME LAVFI-SOURCE
  [ -s "$work/$1.mp4" ] || ffmpeg -loglevel error -y -f lavfi -i "$2" -t 6 -r 24 \
    -pix_fmt yuv420p -c:v libx264 -crf 18 "$work/$1.mp4"
}
s=320x180
make base "mandelbrot=s=$s:rate=24"
[ -s "$work/reencode-a.mp4" ] || ffmpeg -loglevel error -y -i "$work/base.mp4" -c:v libx264 -crf 30 "$work/reencode-a.mp4"
[ -s "$work/reencode-b.mp4" ] || ffmpeg -loglevel error -y -i "$work/base.mp4" -vf scale=640:360 -c:v libx264 -crf 20 "$work/reencode-b.mp4"
sources=(
  "testsrc=s=$s" "testsrc2=s=$s" "smptebars=s=$s" "smptehdbars=s=$s" "rgbtestsrc=s=$s"
  "yuvtestsrc=s=$s" "life=s=$s:mold=10:ratio=0.5" "cellauto=s=$s:rule=110" "pal75bars=s=$s"
  "pal100bars=s=$s" "sierpinski=s=$s" "gradients=s=$s:speed=0.05"
  "nullsrc=s=$s,geq=lum='128+100*sin(X/9+T*3)':cb=128:cr=128"
  "nullsrc=s=$s,geq=lum='128+100*cos(Y/7-T*2)':cb=100:cr=160"
  "nullsrc=s=$s,geq=lum='mod(X*Y/50+T*40,255)':cb=128:cr=128"
  "nullsrc=s=$s,geq=lum='if(gt(hypot(X-160-60*sin(T),Y-90),40),30,220)':cb=128:cr=128"
  "color=c=navy:s=$s,noise=alls=60:allf=t"
  "nullsrc=s=$s,geq=lum='255*gt(mod(X+T*30,40),20)':cb=128:cr=128"
  "nullsrc=s=$s,geq=lum='random(1)*255':cb=128:cr=128"
  "mandelbrot=s=$s:rate=24:start_x=-0.75:start_y=0.1:start_scale=0.5"
)
unrelated=()
for i in "${!sources[@]}"; do
  make "unrelated-$i" "${sources[$i]}"
  unrelated+=("$work/unrelated-$i.mp4")
done
"$bin" "$work/reencode-a.mp4" "$work/reencode-b.mp4" "${unrelated[@]}"
