#!/usr/bin/env bash
# The project's test command: set up, then format, lint and test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo fmt --check
# Layers: no import cycle, no library module importing the binary, files
# and functions within their size (issue 11).
python3 scripts/check-layers.py
cargo clippy --all-targets --locked -- -D warnings
# The core must build without FFmpeg (the `video` feature off).
cargo check --locked --no-default-features
# The reference implementations the timeline and certificate tests
# check against (OpenTimelineIO, its CMX 3600 adapter, securesystemslib).
./scripts/otio-venv.sh >/dev/null
# The catalog tests run on SQLite and on a throwaway PostgreSQL cluster,
# started and stopped around the tests.
./scripts/with-postgres.sh cargo test --locked
# The README's examples, run as written against the binary just tested.
./scripts/with-postgres.sh python3 scripts/readme-examples.py target/debug/credits
# Another C2PA reader (c2pa-python from PyPI) must accept what we sign.
./scripts/interop.sh
# The rights sheet's human authorship evidence, rendered by headless
# Chromium to a picture (target/dossier/).
./scripts/dossier-shot.sh
