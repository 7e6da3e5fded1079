# Shared set-up of the benchmark and interop scripts; source it after
# setting $credits (the binary under test).
#
#   bench_workdir NAME   cd into $WORK, or a temporary directory (removed
#                        on exit; scripts with more to stop set their own
#                        trap after this and remove "$work" in it)
#   bench_studio ORG NAME EMAIL
#                        a studio CA in ca/, one operator, trust.pem;
#                        sets $key and $chain (absolute paths)

bench_workdir() {
  if [ -n "${WORK:-}" ]; then
    mkdir -p "$WORK"
    work=$WORK
  else
    work=$(mktemp -d -t "credits-$1.XXXXXX")
    trap 'rm -rf "$work"' EXIT
  fi
  cd "$work"
}

bench_studio() {
  rm -rf ca
  "$credits" keys init --org "$1" --dir ca >/dev/null 2>&1
  "$credits" keys issue --dir ca --name "$2" --email "$3" >/dev/null 2>&1
  "$credits" keys trust --dir ca --out trust.pem 2>/dev/null
  key=$PWD/ca/$3.key
  chain=$PWD/ca/$3.chain.pem
}
