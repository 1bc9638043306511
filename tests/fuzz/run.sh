#!/usr/bin/env bash
# The long fuzz run: every fuzz test of the Issuer and the Verifier with PASSPORT_FUZZ_INPUTS inputs each (default 15,000:
# 8 tests, 120,000 inputs), against PostgreSQL and RabbitMQ as the normal suite. Prints each target's counts (inputs,
# answers by status code, changed inputs accepted, refusals that stored something, 5xx) and the totals.
#   bash tests/fuzz/run.sh                      # servers already running (tests/infra/infra.sh start)
#   PASSPORT_FUZZ_INPUTS=30000 PASSPORT_FUZZ_SEED=7 bash tests/fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(bash tests/infra/infra.sh env)"
export PASSPORT_FUZZ_INPUTS="${PASSPORT_FUZZ_INPUTS:-15000}"
export PASSPORT_FUZZ_SEED="${PASSPORT_FUZZ_SEED:-20261206}"
export PASSPORT_FUZZ_REPORT="${PASSPORT_FUZZ_REPORT:-$(mktemp -t passport-fuzz.XXXXXX)}"
: > "$PASSPORT_FUZZ_REPORT"
echo "Fuzzing with $PASSPORT_FUZZ_INPUTS inputs per test, seed $PASSPORT_FUZZ_SEED"
status=0
for project in tests/Issuer.Tests tests/Verifier.Tests; do
  dotnet test "$project" --filter "FullyQualifiedName~.Fuzz." --logger "console;verbosity=minimal" | grep -E "Passed!|Failed!|^\s+Failed " || status=1
done
echo
cat "$PASSPORT_FUZZ_REPORT"
awk '
  /^[^ ].*: inputs=/ {
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^inputs=/) { split($i, a, "="); inputs += a[2] }
      if ($i ~ /^accepted_after_mutation=/) { split($i, a, "="); accepted += a[2] }
      if ($i ~ /^stored_by_refusal=/) { split($i, a, "="); stored += a[2] }
      if ($i ~ /^5xx=/) { split($i, a, "="); errors += a[2] }
    }
    match($0, /statuses=\[[^]]*\]/); s = substr($0, RSTART + 10, RLENGTH - 11); n = split(s, parts, ", ")
    for (i = 1; i <= n; i++) { split(parts[i], kv, ":"); codes[kv[1]] += kv[2] }
  }
  END {
    line = ""; for (c in codes) line = line " " c ":" codes[c]
    printf "TOTAL: inputs=%d statuses=[%s ] accepted_after_mutation=%d stored_by_refusal=%d 5xx=%d\n", inputs, line, accepted, stored, errors
  }' "$PASSPORT_FUZZ_REPORT"
exit $status
