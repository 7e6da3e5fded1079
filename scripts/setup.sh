#!/usr/bin/env bash
# Install what credits needs on a fresh Debian machine: FFmpeg (CLI for test
# media, dev libraries for the video features), libclang and pkg-config,
# Python's venv for the c2pa-python interop test, and Chromaprint's fpcalc
# (the reference the interop test checks ISCC Audio-Codes against), OpenSSL
# (the tests' local Time-Stamp Authority and token signer) and libfaketime
# (certificate expiry without waiting), and PostgreSQL (the shared catalog;
# the tests start a throwaway cluster with scripts/with-postgres.sh), and
# Chromium (headless: scripts/dossier-shot.sh renders the rights sheet).
# Idempotent: packages already present are not reinstalled.
set -euo pipefail

packages=(
  ffmpeg pkg-config libclang-dev python3 python3-venv
  libavcodec-dev libavformat-dev libavutil-dev libavfilter-dev
  libavdevice-dev libswscale-dev libswresample-dev libchromaprint-tools
  openssl faketime postgresql chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo is not on PATH" >&2
  echo "hint: install Rust 1.95 with rustup, then run this script again" >&2
  exit 2
fi
