#!/usr/bin/env bash
# Catalog benchmark (issue 18): fill a SQLite catalog and a PostgreSQL one
# (a throwaway cluster, Debian's default settings) with synthetic 60 s clips
# (240 samples each) and time, at each size, lookups of a 240-sample query
# (a stored clip with 0-4 bits of every sample flipped, as a re-encode
# does), insert throughput, and a full scan of the stored fingerprints —
# the floor of what a lookup cost before the band index.
#
#   scripts/bench-index.sh [SIZES] [QUERIES]     (default 10000,100000,1000000 25)
#
# Needs ~8 GB of free disk under /tmp at a million clips per engine.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-10000,100000,1000000}"
queries="${2:-25}"
./scripts/setup.sh
cargo build --release --locked --example catalog_bench >/dev/null 2>&1 ||
  cargo build --release --locked --example catalog_bench
bench=target/release/examples/catalog_bench
work="$(mktemp -d /tmp/credits-bench-index.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# Lookup growth from the first size to the last, against the clips' growth.
growth() {
  awk -F'\t' 'NR == 2 { c0 = $2; l0 = $6 } NR > 1 { c = $2; l = $6 }
    END { if (c0) printf "# growth %s -> %s clips (x%.0f): median lookup x%.2f\n", c0, c, c / c0, l / l0 }'
}

echo "# SQLite: $work/catalog.db"
"$bench" "$work/catalog.db" "$sizes" "$queries" | tee "$work/sqlite.tsv"
growth < "$work/sqlite.tsv"
du -sh "$work/catalog.db" | sed 's/^/# size on disk: /'
rm -f "$work"/catalog.db*

echo "# PostgreSQL: throwaway cluster (scripts/with-postgres.sh)"
./scripts/with-postgres.sh bash -c '"$0" "$CREDITS_TEST_PG" "$1" "$2"' "$bench" "$sizes" "$queries" |
  tee "$work/pg.tsv"
growth < "$work/pg.tsv"
