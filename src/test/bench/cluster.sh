#!/usr/bin/env bash
# N Trainyard instances sharing one fresh PostgreSQL database, as docs/operations.md ("Scaling out")
# describes: instance i (1..N) listens on BASE_PORT+i, trains under the worker name node-i and logs
# to $CLUSTER_WORK/node-i.log. Waits until every instance answers /actuator/health, then runs the
# command (with the variables below exported) or, without one, waits for Ctrl-C. On exit it stops
# every instance (SIGTERM, then SIGKILL after STOP_WAIT seconds) and keeps the logs only if KEEP_LOGS=1.
#
#   src/test/bench/cluster.sh N [command...]
#   src/test/bench/cluster.sh 3 curl -s http://127.0.0.1:18101/actuator/health
#
# Environment (defaults in brackets):
#   PGHOST [127.0.0.1], PGPORT [5432], PGUSER [postgres]  the server; trust authentication
#   CLUSTER_DB [trainyard_cluster]   dropped and created afresh
#   BASE_PORT [18100]                instance i serves on BASE_PORT+i
#   CLUSTER_ARGS                     extra application arguments for every instance
#   CLUSTER_KEY                      the bootstrap admin key (a fixed test key by default)
#   JAVA_OPTS                        extra JVM flags for every instance
#   NO_BUILD=1                       use the jar in target/ if there is one (else it is built)
#   START_TIMEOUT [240]              seconds all instances have to become healthy
#   CLUSTER_TIMEOUT [3600]           seconds after which the command (or the wait) is stopped
#   STOP_WAIT [45]                   seconds a stopping instance has before SIGKILL
#
# What the command sees: CLUSTER_URLS (space-separated base URLs), CLUSTER_WORK (a temporary
# directory), CLUSTER_KEY (the admin API key of tenant default), CLUSTER_PSQL (a psql command
# line for the database), CLUSTER_DB. $CLUSTER_WORK/start-i.sh starts instance i again (after a
# kill) and prints its pid; $CLUSTER_WORK/node-i.pid always holds the pid of its latest process,
# which is how the exit trap finds the instances to stop.
set -euo pipefail
cd "$(dirname "$0")/../../.."
N="${1:?usage: cluster.sh N [command...]}"
shift
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
CLUSTER_DB="${CLUSTER_DB:-trainyard_cluster}"
BASE_PORT="${BASE_PORT:-18100}"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
CLUSTER_KEY="${CLUSTER_KEY:-ty_c1a5000000000001_cluster-test-key-only-for-this-benchmark-00}"
CLUSTER_WORK="$(mktemp -d /tmp/trainyard-cluster.XXXXXX)"
CLUSTER_PSQL="psql -X -q -v ON_ERROR_STOP=1 -h $PGHOST -p $PGPORT -U $PGUSER -d $CLUSTER_DB"
export CLUSTER_WORK CLUSTER_KEY CLUSTER_PSQL CLUSTER_DB

stop_all() {
    local pids=() pid
    for f in "$CLUSTER_WORK"/node-*.pid; do
        [ -f "$f" ] || continue
        pid="$(cat "$f")"
        kill -0 "$pid" 2> /dev/null && kill -TERM "$pid" 2> /dev/null && pids+=("$pid")
    done
    for _ in $(seq 1 "$((${STOP_WAIT:-45} * 4))"); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.25
    done
    for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null && kill -KILL "$pid" 2> /dev/null; done
    if [ "${KEEP_LOGS:-}" = 1 ]; then
        echo "instance logs kept in $CLUSTER_WORK" >&2
    else
        rm -rf "$CLUSTER_WORK"
    fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

if [ "${NO_BUILD:-}" != 1 ] || ! ls target/trainyard-*.jar > /dev/null 2>&1; then
    ./mvnw -q -DskipTests package
fi
JAR="$(pwd)/$(ls target/trainyard-*.jar | grep -v -e plain -e client | head -1)"

PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres \
    -c "DROP DATABASE IF EXISTS $CLUSTER_DB WITH (FORCE)" -c "CREATE DATABASE $CLUSTER_DB" > /dev/null

URLS=()
for i in $(seq 1 "$N"); do
    port=$((BASE_PORT + i))
    URLS+=("http://127.0.0.1:$port")
    cat > "$CLUSTER_WORK/start-$i.sh" << EOF
#!/usr/bin/env bash
# Starts instance $i in the background (log appended), records and prints its pid.
"$JAVA" ${JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$JAR" \\
    --server.port=$port \\
    --spring.datasource.url=jdbc:postgresql://$PGHOST:$PGPORT/$CLUSTER_DB \\
    --spring.datasource.username=$PGUSER --spring.datasource.password= \\
    --trainyard.worker.name=node-$i \\
    --trainyard.security.bootstrap-api-key=$CLUSTER_KEY \\
    --trainyard.security.rate-limits.predictions-per-second=0 \\
    ${CLUSTER_ARGS:-} >> "$CLUSTER_WORK/node-$i.log" 2>&1 < /dev/null &
echo \$! > "$CLUSTER_WORK/node-$i.pid"
echo \$!
EOF
    chmod +x "$CLUSTER_WORK/start-$i.sh"
done
CLUSTER_URLS="${URLS[*]}"
export CLUSTER_URLS

# The first instance creates the schema (Flyway) and the bootstrap key; the others start once it is up,
# so that they do not race each other's migrations.
wait_healthy() {
    local i="$1" deadline=$((SECONDS + ${START_TIMEOUT:-240}))
    while [ "$SECONDS" -lt "$deadline" ]; do
        curl -fs -m 5 "${URLS[$((i - 1))]}/actuator/health" > /dev/null && return 0
        if ! kill -0 "$(cat "$CLUSTER_WORK/node-$i.pid")" 2> /dev/null; then
            echo "instance $i exited during start-up; its log:" >&2
            tail -50 "$CLUSTER_WORK/node-$i.log" >&2
            return 1
        fi
        sleep 0.5
    done
    echo "instance $i did not become healthy within ${START_TIMEOUT:-240} s; its log:" >&2
    tail -50 "$CLUSTER_WORK/node-$i.log" >&2
    return 1
}
"$CLUSTER_WORK/start-1.sh" > /dev/null
wait_healthy 1
for i in $(seq 2 "$N"); do "$CLUSTER_WORK/start-$i.sh" > /dev/null; done
for i in $(seq 2 "$N"); do wait_healthy "$i"; done
echo "$N instances healthy: $CLUSTER_URLS (database $CLUSTER_DB on $PGHOST:$PGPORT, logs in $CLUSTER_WORK)" >&2

if [ $# -gt 0 ]; then
    rc=0
    timeout -k 10 "${CLUSTER_TIMEOUT:-3600}" "$@" || rc=$?
    exit "$rc"
fi
echo "Ctrl-C stops them" >&2
sleep "${CLUSTER_TIMEOUT:-3600}"
