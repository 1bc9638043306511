#!/usr/bin/env bash
# Real PostgreSQL and RabbitMQ for the tests: our own instances, on loopback and non-default ports,
# with all their state under one folder, so they neither need nor disturb the clusters that the
# Debian packages may have set up (postgres 15/main on 5432, rabbit@host on 5672).
#
#   bash tests/infra/infra.sh start|stop|status|env|rabbitmqctl ARGS...
set -euo pipefail

INFRA_DIR=${PASSPORT_INFRA_DIR:-/tmp/passport-infra}
PG_PORT=${PASSPORT_PG_PORT:-55432}
AMQP_PORT=${PASSPORT_AMQP_PORT:-55672}
RABBIT_DIST_PORT=${PASSPORT_RABBIT_DIST_PORT:-55673}
RABBIT_API_PORT=${PASSPORT_RABBIT_API_PORT:-55674}
CTL_DIST_PORT_MIN=55680 # rabbitmqctl's own Erlang distribution listener
EPMD_PORT=${PASSPORT_EPMD_PORT:-55369}
RABBIT_NODE=passport@localhost
# Test-only credentials for throwaway servers that listen on loopback alone.
USER_NAME=passport
PASSWORD=passport

PG_DIR=$INFRA_DIR/pg
PG_DATA=$PG_DIR/data
RABBIT_DIR=$INFRA_DIR/rabbitmq
RABBIT_BIN=/usr/lib/rabbitmq/bin

die() { echo "infra: $*" >&2; exit 1; }
say() { echo "infra: $*" >&2; }

is_root() { [[ $(id -u) == 0 ]]; }

# As root, each server runs as the system user its package created (PostgreSQL refuses root);
# otherwise everything runs as the caller.
as() {
    local user=$1; shift
    if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $dir ]] && echo "$dir"
}

# The browser tests drive Debian's Chromium (Playwright's own browser download is not reachable from here).
install_if_missing() {
    local missing=()
    [[ -n $(pg_bin) ]] || missing+=(postgresql)
    [[ -x $RABBIT_BIN/rabbitmq-server ]] || missing+=(rabbitmq-server)
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    ((${#missing[@]} > 0)) || return 0
    is_root || die "${missing[*]} not installed; run as root so this script can apt-get install them."
    say "installing ${missing[*]} (apt)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# ---- PostgreSQL -----------------------------------------------------------------------------

pg() { as postgres "$(pg_bin)/$1" "${@:2}"; }
pg_user() { if is_root; then echo postgres; else id -un; fi; }
pg_running() { [[ -f $PG_DATA/PG_VERSION ]] && pg pg_ctl -D "$PG_DATA" status >/dev/null 2>&1; }
pg_superuser_sql() { pg psql -h "$PG_DIR" -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }

pg_start() {
    mkdir -p "$PG_DIR"
    if is_root; then chown postgres: "$PG_DIR"; fi
    chmod 700 "$PG_DIR"
    as postgres test -w "$PG_DIR" || die "user $(pg_user) cannot write $PG_DIR; set PASSPORT_INFRA_DIR to a folder it can reach."

    if [[ ! -f $PG_DATA/PG_VERSION ]]; then
        pg initdb -D "$PG_DATA" -E UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" \
            || die "initdb failed; see $PG_DIR/initdb.log"
        # Durability is worthless for throwaway test databases; speed is not.
        cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
unix_socket_permissions = 0700
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi

    if pg_running; then
        say "postgres already running on 127.0.0.1:$PG_PORT"
    else
        pg pg_ctl -D "$PG_DATA" -l "$PG_DIR/server.log" -o "-p $PG_PORT" -w -t 60 start >/dev/null \
            || die "PostgreSQL did not start; see $PG_DIR/server.log"
    fi

    pg pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 30 || die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"
    if [[ -z $(pg_superuser_sql "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'") ]]; then
        pg_superuser_sql "CREATE ROLE $USER_NAME LOGIN CREATEDB PASSWORD '$PASSWORD'"
    fi
    # Throwaway test cluster: DROP DATABASE ... WITH (FORCE) must be able to end any session, autovacuum's included.
    pg_superuser_sql "ALTER ROLE $USER_NAME SUPERUSER" >/dev/null
    # PASSPORT_PG_DURABLE=1: commits survive a crash, as in production (fsync, synchronous_commit and full-page writes on),
    # for benchmarks that must be measured as production runs (issue #14). Otherwise the cluster stays fast and throwaway.
    if [[ ${PASSPORT_PG_DURABLE:-} == 1 ]]; then
        pg_superuser_sql "ALTER SYSTEM SET fsync = on" >/dev/null
        pg_superuser_sql "ALTER SYSTEM SET synchronous_commit = on" >/dev/null
        pg_superuser_sql "ALTER SYSTEM SET full_page_writes = on" >/dev/null
        pg_superuser_sql "SELECT pg_reload_conf()" >/dev/null
        say "postgres: fsync, synchronous_commit and full_page_writes on (PASSPORT_PG_DURABLE=1)"
    fi
    PGPASSWORD=$PASSWORD "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$USER_NAME" -d postgres -qtAc 'SELECT 1' >/dev/null \
        || die "PostgreSQL is up but role $USER_NAME cannot log in over TCP"
    say "postgres ready on 127.0.0.1:$PG_PORT"
}

pg_stop() {
    pg_running || return 0
    pg pg_ctl -D "$PG_DATA" -w -t 20 -m fast stop >/dev/null \
        || pg pg_ctl -D "$PG_DATA" -w -t 10 -m immediate stop >/dev/null \
        || say "PostgreSQL did not stop"
}

# ---- RabbitMQ -------------------------------------------------------------------------------

# Every variable that would otherwise default to /etc/rabbitmq, /var/lib/rabbitmq or a shared port.
# HOME holds the Erlang cookie that the server and rabbitmqctl must share.
rabbit_env() {
    echo HOME="$RABBIT_DIR" \
        RABBITMQ_NODENAME="$RABBIT_NODE" \
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT="$AMQP_PORT" \
        RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" \
        RABBITMQ_CTL_DIST_PORT_MIN="$CTL_DIST_PORT_MIN" \
        RABBITMQ_CTL_DIST_PORT_MAX="$((CTL_DIST_PORT_MIN + 10))" \
        ERL_EPMD_ADDRESS=127.0.0.1 \
        ERL_EPMD_PORT="$EPMD_PORT" \
        RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf" \
        RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf" \
        RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins" \
        RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia" \
        RABBITMQ_LOG_BASE="$RABBIT_DIR/log"
}

# rabbit SECONDS TOOL ARGS...: every Erlang CLI call is bounded, so nothing here hangs for long.
rabbit() {
    local secs=$1 tool=$2; shift 2
    local env_vars erl_loopback="-kernel inet_dist_use_interface {127,0,0,1}"
    read -r -a env_vars <<<"$(rabbit_env)"
    as rabbitmq timeout "$secs" env "${env_vars[@]}" \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$erl_loopback" RABBITMQ_CTL_ERL_ARGS="$erl_loopback" \
        "$RABBIT_BIN/$tool" "$@"
}

# Asks our epmd first: any rabbitmqctl call starts an epmd, which would outlive a node that is down.
rabbit_running() {
    ERL_EPMD_PORT=$EPMD_PORT epmd -names 2>/dev/null | grep -q "^name ${RABBIT_NODE%@*} " \
        && rabbit 20 rabbitmqctl -q ping >/dev/null 2>&1
}

rabbit_start() {
    mkdir -p "$RABBIT_DIR/log" "$RABBIT_DIR/mnesia"
    : >"$RABBIT_DIR/rabbitmq-env.conf"
    echo '[].' >"$RABBIT_DIR/advanced.config"
    echo '[rabbitmq_management].' >"$RABBIT_DIR/enabled_plugins"
    cat >"$RABBIT_DIR/rabbitmq.conf" <<EOF
loopback_users = none
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBIT_API_PORT
EOF
    if [[ ! -f $RABBIT_DIR/.erlang.cookie ]]; then
        (umask 077 && od -An -N20 -tx1 /dev/urandom | tr -d ' \n' >"$RABBIT_DIR/.erlang.cookie")
    fi
    chmod 400 "$RABBIT_DIR/.erlang.cookie"
    if is_root; then chown -R rabbitmq: "$RABBIT_DIR"; fi

    if rabbit_running; then
        say "rabbitmq already running on 127.0.0.1:$AMQP_PORT"
    else
        rabbit 30 rabbitmq-server -detached >"$RABBIT_DIR/log/detached.out" 2>&1 \
            || die "rabbitmq-server did not launch; see $RABBIT_DIR/log/"
    fi
    # await_startup gives up at once while the node is not yet registered with epmd, hence the loop.
    local deadline=$((SECONDS + 120))
    until rabbit 30 rabbitmqctl -q await_startup --timeout 30 >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "RabbitMQ did not start within 120 s; see $RABBIT_DIR/log/"
        sleep 1
    done
    # -detached writes no pid file; stop needs one to wait on.
    rabbit 30 rabbitmqctl -q eval 'list_to_integer(os:getpid()).' >"$RABBIT_DIR/rabbit.pid"

    if ! rabbit 30 rabbitmqctl -q list_users | cut -f1 | grep -qx "$USER_NAME"; then
        rabbit 30 rabbitmqctl -q add_user "$USER_NAME" "$PASSWORD" >/dev/null
    fi
    # administrator: test fixtures create and delete a virtual host per test class through the HTTP API.
    rabbit 30 rabbitmqctl -q set_user_tags "$USER_NAME" administrator >/dev/null
    rabbit 30 rabbitmqctl -q set_permissions -p / "$USER_NAME" '.*' '.*' '.*' >/dev/null
    timeout 30 bash -c "until (exec 3<>/dev/tcp/127.0.0.1/$RABBIT_API_PORT) 2>/dev/null; do sleep 1; done" \
        || die "RabbitMQ management API does not answer on 127.0.0.1:$RABBIT_API_PORT"
    say "rabbitmq ready on 127.0.0.1:$AMQP_PORT (management API on $RABBIT_API_PORT)"
}

rabbit_stop() {
    if rabbit_running; then
        rabbit 60 rabbitmqctl -q stop "$RABBIT_DIR/rabbit.pid" >/dev/null 2>&1 || true
    fi
    if [[ -f $RABBIT_DIR/rabbit.pid ]]; then
        local pid
        pid=$(cat "$RABBIT_DIR/rabbit.pid")
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
            say "rabbitmq did not stop cleanly; killing pid $pid"
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$RABBIT_DIR/rabbit.pid"
    fi
    # Our epmd (on its own port) outlives the node.
    ERL_EPMD_PORT=$EPMD_PORT timeout 10 epmd -kill >/dev/null 2>&1 || true
}

# ---- commands -------------------------------------------------------------------------------

print_env() {
    echo "export PASSPORT_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Database=postgres;Username=$USER_NAME;Password=$PASSWORD'"
    echo "export PASSPORT_TEST_RABBITMQ='amqp://$USER_NAME:$PASSWORD@127.0.0.1:$AMQP_PORT/'"
    echo "export PASSPORT_TEST_RABBITMQ_API='http://127.0.0.1:$RABBIT_API_PORT/'"
}

case ${1:-} in
    start)
        install_if_missing
        mkdir -p "$INFRA_DIR"
        chmod 755 "$INFRA_DIR"
        pg_start
        rabbit_start
        ;;
    stop)
        pg_stop
        rabbit_stop
        say "stopped"
        ;;
    status)
        ok=0
        if pg_running; then echo "postgres: running on 127.0.0.1:$PG_PORT"; else echo "postgres: stopped"; ok=1; fi
        if rabbit_running; then echo "rabbitmq: running on 127.0.0.1:$AMQP_PORT"; else echo "rabbitmq: stopped"; ok=1; fi
        exit $ok
        ;;
    env) print_env ;;
    rabbitmqctl) shift; rabbit 60 rabbitmqctl "$@" ;;
    *) die "usage: $0 start|stop|status|env|rabbitmqctl ARGS..." ;;
esac
