#!/usr/bin/env bash
# The test command: starts real PostgreSQL and RabbitMQ, runs every test assembly in Passport.sln,
# and closes with one line, "N passed, N failed[, N skipped]". Exits non-zero on any failure or
# when no test ran. PASSPORT_KEEP_INFRA=1 leaves the servers running afterwards.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
infra=$root/tests/infra/infra.sh
results=$root/TestResults/run

if [[ ${PASSPORT_KEEP_INFRA:-} != 1 ]]; then
    trap 'bash "$infra" stop' EXIT
fi
bash "$infra" start
eval "$(bash "$infra" env)"

if [[ -f tests/interop/package.json ]]; then
    (cd tests/interop && npm ci --no-audit --no-fund)
fi
if [[ -f tests/openapi/package.json ]]; then
    (cd tests/openapi && npm ci --no-audit --no-fund)
fi

rm -rf "$results"
status=0
dotnet test Passport.sln -c Release \
    --logger "console;verbosity=normal" --logger trx --results-directory "$results" || status=$?

# One TRX file per test assembly; sum their counters.
count() {
    local total=0 n
    for n in $(cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -oE " ($1)=\"[0-9]+\"" | grep -oE '[0-9]+'); do
        total=$((total + n))
    done
    echo "$total"
}
passed=$(count passed)
failed=$(count 'failed|error|timeout|aborted')
skipped=$(($(count total) - $(count executed))) # xunit's skips are left out of "executed", not counted as notExecuted

# Name every test that did not pass, with the first line of its message, so that the log's tail says what failed.
if ((failed > 0)); then
    echo "tests that did not pass:"
    for f in "$results"/*.trx; do
        [[ -f $f ]] || continue
        node -e '
            const xml = require("fs").readFileSync(process.argv[1], "utf8");
            for (const m of xml.matchAll(/<UnitTestResult [^>]*testName="([^"]*)"[^>]*outcome="(Failed|Error|Timeout|Aborted)"[^>]*>([\s\S]*?)<\/UnitTestResult>/g)) {
                const msg = (m[3].match(/<Message>([\s\S]*?)<\/Message>/) || [, ""])[1].split("\n")[0].slice(0, 300);
                console.log("  " + m[1] + " (" + m[2] + "): " + msg);
            }' "$f" 2>/dev/null || grep -o 'testName="[^"]*"[^>]*outcome="Failed"' "$f" || true
    done
fi

# Stopped here rather than by the trap so that the summary below is the last line printed.
if [[ ${PASSPORT_KEEP_INFRA:-} != 1 ]]; then
    trap - EXIT
    bash "$infra" stop
fi
if ((status != 0 && failed == 0)); then echo "dotnet test failed before all tests could run (see above)" >&2; fi
if ((passed + failed == 0)); then echo "no test ran" >&2; fi
echo "$passed passed, $failed failed, $skipped skipped"
((status == 0 && failed == 0 && passed > 0))
