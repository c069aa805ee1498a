#!/usr/bin/env bash
# Benchmark: `guantong check` on 10,000 profiles in one call, release build.
# Usage: bench/check.sh [N]   (target: under 1 second for N = 10000 on the 2-core machine)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
cargo build --release --quiet
input="$(mktemp --suffix=.json)"
trap 'rm -f "$input"' EXIT
python3 bench/gen_profiles.py "$n" > "$input"
bin="${CARGO_TARGET_DIR:-target}/release/guantong"
echo "profiles: $n ($(du -h "$input" | cut -f1) of JSON)"
"$bin" check "$input" > /dev/null   # warm the file cache
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs 10 "$bin check $input"
else
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e s elapsed, %M KiB max resident" "$bin" check "$input" > /dev/null
  done
fi
