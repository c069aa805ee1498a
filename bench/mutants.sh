#!/usr/bin/env bash
# Mutation testing of the pure rule modules with cargo-mutants (run by hand, not in CI: it
# builds and tests once per mutant, about 15 s each on the 2-core machine).
#
#   bench/mutants.sh            # policy, calendar, workflow, rubric and panel
#   bench/mutants.sh --list     # only list the mutants
#
# Every mutant that changes logic must be caught by a unit test; survivors whose only effect is
# a message's wording are listed in mutants.out/missed.txt and judged by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo-mutants >/dev/null 2>&1; then
  cargo install --locked cargo-mutants
fi
exec cargo mutants \
  --file 'src/policy/*.rs' --file src/calendar.rs --file 'src/workflow/*.rs' \
  --file 'src/rubric/*.rs' --file src/panel.rs \
  --exclude src/policy/tests.rs \
  --test-tool cargo --jobs 1 --timeout 120 \
  "$@" -- --lib
