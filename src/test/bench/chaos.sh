#!/usr/bin/env bash
# The chaos scenario (docs/reliability.md): 3 instances on one PostgreSQL database train 6 ensemble
# jobs (3 members each) of a small Fashion-MNIST mlp while every instance serves predictions, reads
# and uploads; meanwhile a random instance is killed (kill -9) and restarted every 30-60 s, and early
# in the training PostgreSQL is restarted once and one instance is stopped with SIGTERM and
# restarted. Then it checks
# that every job succeeded with the same weights (SHA-256) as the same jobs trained undisturbed on a
# reference instance, that nothing is duplicated or left over in the database, and that while the
# database restarted every request got a 200 or a 503 problem with Retry-After and the instances were
# healthy again within 15 s. Prints a summary and writes it to $CHAOS_OUT/summary.json (default
# target/chaos), with the instances' logs beside it; exits non-zero when a check fails.
#
#   src/test/bench/chaos.sh            # the full scenario, under 10 minutes
#   src/test/bench/chaos.sh --quick    # 2 jobs, shorter training and gaps: checks that it all works
#   src/test/bench/chaos.sh --seed 7   # other driver options: python3 src/test/bench/chaos.py --help
#
# PostgreSQL: by default a private server (initdb in a temporary directory, port CHAOS_PGPORT=5433)
# that the scenario may restart without disturbing anyone else's database; its restart is
# `pg_ctl -m fast restart`, what `pg_ctlcluster <version> main restart` runs. CHAOS_PG=shared uses
# the server on 127.0.0.1:5432 instead and restarts it with pg_ctlcluster (version from
# pg_lsclusters): only where nothing else uses that server. Needs root or the postgres user for
# either, the Debian packages postgresql and dataset-fashion-mnist, and JDK 25. The jar is built
# unless NO_BUILD=1 and one exists; KEEP_LOGS=1 keeps the temporary directories.
set -euo pipefail
cd "$(dirname "$0")/../../.."
DRIVER_ARGS=()
if [ "${1:-}" = --quick ]; then
    shift
    DRIVER_ARGS=(--jobs 2 --epochs 6 --rows 12000 --first-event 10 --special-gap 10 --min-gap 30 --max-gap 40 --budget 300)
fi
DRIVER_ARGS+=("$@")
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
OUT="${CHAOS_OUT:-target/chaos}"
REF_PORT="${REF_PORT:-18199}"
export CLUSTER_KEY="ty_c4a0500000000001_chaos-test-key-only-for-this-scenario-00000"
WORK="$(mktemp -d /tmp/trainyard-chaos.XXXXXX)"
REFERENCE=""
PGBIN=""

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
    if [ -n "$REFERENCE" ]; then
        kill "$REFERENCE" 2> /dev/null && wait "$REFERENCE" 2> /dev/null || true
    fi
    if [ -n "$PGBIN" ] && [ -f "$WORK/postgres/data/postmaster.pid" ]; then
        as_postgres "$PGBIN/pg_ctl" -D "$WORK/postgres/data" -m immediate stop > /dev/null 2>&1 || true
    fi
    if [ "${KEEP_LOGS:-}" = 1 ]; then echo "scenario files kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${CHAOS_PG:-private}" = shared ]; then
    export PGPORT=5432
    read -r VERSION NAME < <(pg_lsclusters -h | awk '$3 == 5432 { print $1, $2; exit }')
    PG_RESTART="pg_ctlcluster $VERSION $NAME restart"
else
    export PGPORT="${CHAOS_PGPORT:-5433}"
    PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    mkdir -p "$WORK/postgres"
    if [ "$(id -u)" = 0 ]; then chmod 711 "$WORK" && chown postgres "$WORK/postgres"; fi
    as_postgres "$PGBIN/initdb" -D "$WORK/postgres/data" -U postgres --auth=trust -E UTF8 > /dev/null
    as_postgres "$PGBIN/pg_ctl" -D "$WORK/postgres/data" -l "$WORK/postgres/postgres.log" -w \
        -o "-p $PGPORT -k $WORK/postgres -c listen_addresses=127.0.0.1" start > /dev/null
    PG_RESTART="$( [ "$(id -u)" = 0 ] && echo runuser -u postgres -- ) $PGBIN/pg_ctl -D $WORK/postgres/data -l $WORK/postgres/postgres.log -m fast -w restart"
fi
echo "PostgreSQL on 127.0.0.1:$PGPORT; its restart: $PG_RESTART" >&2

if [ "${NO_BUILD:-}" != 1 ] || ! ls target/trainyard-*.jar > /dev/null 2>&1; then
    ./mvnw -q -DskipTests package
fi
JAR="$(ls target/trainyard-*.jar | grep -v -e plain -e client | head -1)"

# The reference: one instance with its own in-memory database, never disturbed, training as many
# members at once as the cluster does, at a lower priority so that it takes what CPU the cluster
# leaves (its results do not depend on its speed).
nice -n 10 "$JAVA" ${JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$JAR" \
    --server.port="$REF_PORT" \
    "--spring.datasource.url=jdbc:h2:mem:reference;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" \
    --trainyard.security.bootstrap-api-key="$CLUSTER_KEY" \
    --trainyard.security.rate-limits.predictions-per-second=0 \
    --trainyard.security.quota.running-jobs=100 \
    --trainyard.worker.concurrency=3 > "$WORK/reference.log" 2>&1 &
REFERENCE=$!

mkdir -p "$OUT"
rc=0
NO_BUILD=1 KEEP_LOGS=0 CLUSTER_DB=trainyard_chaos CLUSTER_TIMEOUT="${CHAOS_TIMEOUT:-600}" \
    CLUSTER_ARGS="--trainyard.security.quota.running-jobs=100 ${CLUSTER_ARGS:-}" \
    src/test/bench/cluster.sh 3 /usr/bin/python3 src/test/bench/chaos.py \
    --reference "http://127.0.0.1:$REF_PORT" --pg-restart "$PG_RESTART" --out "$OUT" "${DRIVER_ARGS[@]}" || rc=$?
cp "$WORK/reference.log" "$OUT/reference.log" 2> /dev/null || true
[ -n "$PGBIN" ] && cp "$WORK/postgres/postgres.log" "$OUT/postgres.log" 2> /dev/null || true
exit "$rc"
