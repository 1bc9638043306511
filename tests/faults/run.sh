#!/usr/bin/env bash
# The fault run: the Issuer and the Verifier as separate processes on loopback, against real PostgreSQL and RabbitMQ of
# their own (not the test servers, which other runs may be using), driven with a stream of mixed operations while, in
# turn, RabbitMQ is stopped and started, the Issuer is killed with SIGKILL and restarted, and PostgreSQL is stopped in
# immediate mode and started. Prints the counts, the time to recover after each fault, and exits non-zero when any
# check is off. What the operations are and what is checked: tests/faults/Driver/FaultRun.cs.
#
#   bash tests/faults/run.sh [--ops 10000] [--concurrency 12] [--fault-seconds 5] [--instances 2] [--keep]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

# Our own servers, on ports of their own, so that stopping them disturbs nothing else.
export PASSPORT_INFRA_DIR=${PASSPORT_FAULTS_INFRA_DIR:-/tmp/passport-faults-infra}
export PASSPORT_PG_PORT=56432 PASSPORT_AMQP_PORT=56672 PASSPORT_RABBIT_DIST_PORT=56673 PASSPORT_RABBIT_API_PORT=56674 PASSPORT_EPMD_PORT=56369
infra=$root/tests/infra/infra.sh
trap 'bash "$infra" stop >/dev/null 2>&1 || true' EXIT
bash "$infra" start
eval "$(bash "$infra" env)"

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_data=$PASSPORT_INFRA_DIR/pg/data
as_postgres() { if [[ $(id -u) == 0 ]]; then echo "runuser -u postgres --"; fi; }
# infra.sh trades durability for speed (fsync and synchronous_commit off); a crash test needs commits that survive a crash.
$(as_postgres) "$pg_bin/psql" -h "$PASSPORT_INFRA_DIR/pg" -p "$PASSPORT_PG_PORT" -d postgres -qtA \
    -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" -c "ALTER SYSTEM SET full_page_writes = on" \
    -c "SELECT pg_reload_conf()" >/dev/null

dotnet build -c Release tests/faults/Driver -v quiet -nologo >/dev/null
exec_driver=(dotnet tests/faults/Driver/bin/Release/net10.0/Passport.Faults.dll
    --issuer-dll src/Issuer/bin/Release/net10.0/Passport.Issuer.dll
    --verifier-dll src/Verifier/bin/Release/net10.0/Passport.Verifier.dll
    --faults Infra
    --rabbit-stop "bash '$infra' rabbitmqctl -q stop_app"
    --rabbit-start "bash '$infra' rabbitmqctl -q start_app && bash '$infra' rabbitmqctl -q await_startup"
    --postgres-stop "$(as_postgres) $pg_bin/pg_ctl -D $pg_data -m immediate -w stop"
    --postgres-start "$(as_postgres) $pg_bin/pg_ctl -D $pg_data -l $PASSPORT_INFRA_DIR/pg/server.log -o '-p $PASSPORT_PG_PORT' -w -t 60 start"
    "$@")
status=0
timeout 900 "${exec_driver[@]}" || status=$?
exit $status
