#!/usr/bin/env bash
# The reference implementations the timeline and certificate tests check
# against, from PyPI into a venv under target/ (made once, re-made when the
# pins change): OpenTimelineIO and its CMX 3600 adapter write the fixture
# cuts (scripts/make-cut.py); securesystemslib reads the DSSE envelopes
# `credits certify` writes. Prints the venv's python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/otio-venv
pins="opentimelineio==0.18.1 otio-cmx3600-adapter==1.0.0 securesystemslib[crypto]==1.6.0"
if [ "$(cat "$venv/pins" 2>/dev/null)" != "$pins" ]; then
  command -v python3 >/dev/null || { echo "otio-venv: python3 is missing (scripts/setup.sh installs it)" >&2; exit 1; }
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $pins >&2
  echo "$pins" > "$venv/pins"
fi
echo "$PWD/$venv/bin/python"
