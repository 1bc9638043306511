#!/usr/bin/env bash
# Load run of the Verifier's direct verification (POST /api/verify) on loopback: the published Verifier as its own
# process on real PostgreSQL (a database of its own) and RabbitMQ (a virtual host of its own), and the load generator
# (tests/Load) hosting the stub issuer. Prints the report and writes it to $PASSPORT_LOAD_REPORT when set.
# Extra arguments go to the generator (--duration, --concurrency, --warmup, --staff, --raw-iterations).
# PASSPORT_LOAD_KEEP=1 keeps the logs (publish, migrate, Verifier) in /tmp/passport-load.*; a failed run always does.
# PASSPORT_LOAD_PROFILE=DIR also profiles the Verifier for PASSPORT_LOAD_PROFILE_SECONDS (default 30) from the start of
# the measured window: DIR/perf.data, a CPU profile (`perf record -g`; the Verifier writes its JIT symbols to
# /tmp/perf-PID.map, with W^X off so that perf can name JIT code), and
# DIR/counters.csv (dotnet-counters, a local tool: GC, allocation rate, working set). Read with
# `perf report -i DIR/perf.data --no-children --sort symbol` (or `--children` for inclusive time).
# PASSPORT_LOAD_READYTORUN=1 publishes the Verifier ReadyToRun (precompiled for this machine's runtime identifier, still
# framework-dependent), so that less of the window goes to the JIT; off by default, as the Verifier's image is published.
#
#   bash tests/Load/run.sh [--duration 60] [--concurrency 16]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
work=$(mktemp -d /tmp/passport-load.XXXXXX)
say() { echo "run.sh: $*" >&2; }

verifier_pid=""
database=""
vhost=""
cleanup() {
    local status=$?
    if [[ -n $verifier_pid ]] && kill -0 "$verifier_pid" 2>/dev/null; then
        kill "$verifier_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$verifier_pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$verifier_pid" 2>/dev/null || true
    fi
    if [[ -n $database ]]; then
        pg_sql "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null || say "could not drop database $database"
    fi
    if [[ -n $vhost ]]; then
        rabbit_api DELETE "api/vhosts/$vhost" || say "could not delete RabbitMQ vhost $vhost"
    fi
    if ((status == 0)) && [[ -z ${PASSPORT_LOAD_KEEP:-} ]]; then rm -rf "$work"; else say "logs kept in $work"; fi
}
trap cleanup EXIT

bash tests/infra/infra.sh start
eval "$(bash tests/infra/infra.sh env)"

# PASSPORT_TEST_POSTGRES is an Npgsql connection string: Host=...;Port=...;Database=...;Username=...;Password=...
pg_field() { tr ';' '\n' <<<"$PASSPORT_TEST_POSTGRES" | grep -i "^$1=" | head -n 1 | cut -d= -f2-; }
pg_sql() {
    PGPASSWORD=$(pg_field Password) psql -h "$(pg_field Host)" -p "$(pg_field Port)" -U "$(pg_field Username)" -d postgres \
        -v ON_ERROR_STOP=1 -qAtc "$1"
}
[[ $PASSPORT_TEST_RABBITMQ =~ ^amqp://([^:]+):([^@]+)@([^:/]+):([0-9]+)/?$ ]] || { say "cannot read PASSPORT_TEST_RABBITMQ"; exit 1; }
rabbit_user=${BASH_REMATCH[1]} rabbit_password=${BASH_REMATCH[2]} rabbit_host=${BASH_REMATCH[3]} rabbit_port=${BASH_REMATCH[4]}
rabbit_api() {
    curl -fsS -o /dev/null -u "$rabbit_user:$rabbit_password" -X "$1" -H 'content-type: application/json' \
        ${3:+--data "$3"} "${PASSPORT_TEST_RABBITMQ_API%/}/$2"
}

free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 20000))
        if ! ss -Htln "sport = :$port" | grep -q .; then echo "$port"; return; fi
    done
    say "no free port found"; exit 1
}

say "building (Release): the Verifier is published, the generator built"
publish_options=()
if [[ ${PASSPORT_LOAD_READYTORUN:-0} == 1 ]]; then
    case $(uname -m) in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) say "no ReadyToRun for $(uname -m)"; exit 1 ;; esac
    publish_options=(-r "$rid" --self-contained false -p:PublishReadyToRun=true)
    say "the Verifier is published ReadyToRun ($rid)"
fi
timeout 300 dotnet publish src/Verifier/Verifier.csproj -c Release "${publish_options[@]}" -o "$work/verifier" --nologo -v q >"$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; exit 1; }
timeout 300 dotnet build tests/Load/Load.csproj -c Release --nologo -v q >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
SECONDS=0

suffix=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
database=passport_load_$suffix
pg_sql "CREATE DATABASE \"$database\""
connection="$(sed -E 's/(^|;)Database=[^;]*//I' <<<"$PASSPORT_TEST_POSTGRES");Database=$database"
vhost=passport-load-$suffix
rabbit_api PUT "api/vhosts/$vhost" '{}'
rabbit_api PUT "api/permissions/$vhost/$rabbit_user" '{"configure":".*","write":".*","read":".*"}'

verifier_port=$(free_port)
issuer_port=$(free_port)
while [[ $issuer_port == "$verifier_port" ]]; do issuer_port=$(free_port); done
verifier_url=http://127.0.0.1:$verifier_port/
issuer_url=http://127.0.0.1:$issuer_port/

generator=(dotnet run -c Release --no-build --project tests/Load --)
mapfile -t auth < <("${generator[@]}" auth-settings --token-key "$work/idp.pem")
# Everything the Verifier needs beyond its appsettings.json; request signing makes its own key in Development.
settings=(
    ${PASSPORT_LOAD_PROFILE:+DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0}
    ASPNETCORE_ENVIRONMENT=Development
    ASPNETCORE_URLS="$verifier_url"
    Verifier__PublicBaseUrl="$verifier_url"
    Verifier__Database__Provider=Postgres
    Verifier__Database__ConnectionString="$connection"
    Bus__Transport=RabbitMq
    Bus__RabbitMq="amqp://$rabbit_user:$rabbit_password@$rabbit_host:$rabbit_port/$vhost"
    Verifier__Trust__IssuerBaseUrl="$issuer_url"
    Verifier__Trust__AllowHttp=true
    Verifier__Trust__AllowPrivateNetworks=true
    "${auth[@]}"
)

say "migrating $database"
(cd "$work/verifier" && timeout 120 env "${settings[@]}" dotnet Passport.Verifier.dll migrate >"$work/migrate.log" 2>&1) \
    || { cat "$work/migrate.log" >&2; exit 1; }

say "starting the Verifier on $verifier_url"
(cd "$work/verifier" && exec env "${settings[@]}" dotnet Passport.Verifier.dll >"$work/verifier.log" 2>&1) &
verifier_pid=$!
for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "${verifier_url}health/ready" 2>/dev/null; then break; fi
    kill -0 "$verifier_pid" 2>/dev/null || { say "the Verifier stopped"; cat "$work/verifier.log" >&2; exit 1; }
    sleep 0.5
done
curl -fsS -o /dev/null "${verifier_url}health/ready" || { say "the Verifier is not ready after 60 s"; tail -n 50 "$work/verifier.log" >&2; exit 1; }

profile_pids=()
if [[ -n ${PASSPORT_LOAD_PROFILE:-} ]]; then
    mkdir -p "$PASSPORT_LOAD_PROFILE"
    profile_seconds=${PASSPORT_LOAD_PROFILE_SECONDS:-30}
    window_started() {
        for _ in $(seq 1 600); do grep -q 'load: measuring' "$work/generator.log" 2>/dev/null && return 0; sleep 0.5; done
        return 1
    }
    (window_started && exec perf record -F 499 -g -p "$verifier_pid" -o "$PASSPORT_LOAD_PROFILE/perf.data" \
        -- sleep "$profile_seconds" >"$work/perf.log" 2>&1) &
    profile_pids+=($!)
    (window_started && exec timeout $((profile_seconds + 30)) dotnet dotnet-counters collect -p "$verifier_pid" \
        --format csv -o "$PASSPORT_LOAD_PROFILE/counters.csv" --duration "$(printf '00:00:%02d' "$profile_seconds")" >"$work/counters.log" 2>&1) &
    profile_pids+=($!)
fi

say "OpenSSL $(openssl version 2>/dev/null | cut -d' ' -f2) ($(lscpu | sed -n 's/^Model name: *//p'))"
status=0
timeout --kill-after=10 270 "${generator[@]}" --url "$verifier_url" --issuer-url "$issuer_url" --token-key "$work/idp.pem" \
    --verifier-pid "$verifier_pid" --connection "$connection" --report "$work/report.md" "$@" 2> >(tee "$work/generator.log" >&2) || status=$?
for pid in "${profile_pids[@]}"; do wait "$pid" || say "profiling failed: see $work/perf.log and $work/counters.log"; done
if [[ -n ${PASSPORT_LOAD_REPORT:-} && -f $work/report.md ]]; then cp "$work/report.md" "$PASSPORT_LOAD_REPORT"; fi
if grep -qE '\b(fail|error|crit)' "$work/verifier.log"; then
    # Each error with the lines after it: a log entry's message is on the lines below its category.
    say "the Verifier logged errors (first 40 lines, each with what follows it):"; grep -E -A 6 '\b(fail|error|crit)' "$work/verifier.log" | head -n 40 >&2
fi
say "finished in ${SECONDS} s after the build"
exit "$status"
