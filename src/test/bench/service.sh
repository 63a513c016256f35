# Sourced by the service benchmarks (predict_load.sh, fashion_ensemble.sh): builds the jar (unless
# NO_BUILD=1 and one exists) and starts the service on $PORT (default 18080) with an in-memory H2
# database, the bootstrap key $KEY, no prediction rate limit, otherwise the default settings, and
# any extra arguments given to start_service. Stops it (and removes $WORK) when the script exits.
# JAVA_OPTS (environment) adds JVM flags, e.g. JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/p.jfr
PORT="${PORT:-18080}"
KEY="ty_be9c000000000001_load-test-key-only-for-this-benchmark-00000"
HOST="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"

start_service() {
    if [ "${NO_BUILD:-}" != 1 ] || ! ls target/trainyard-*.jar > /dev/null 2>&1; then
        ./mvnw -q -DskipTests package
    fi
    local jar
    jar="$(ls target/trainyard-*.jar | grep -v plain | head -1)"
    "$JAVA" ${JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
        -jar "$jar" --server.port="$PORT" \
        "--spring.datasource.url=jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" \
        --trainyard.security.bootstrap-api-key="$KEY" \
        --trainyard.security.rate-limits.predictions-per-second=0 \
        "$@" > "$WORK/service.log" 2>&1 &
    SERVICE=$!
    trap 'kill $SERVICE 2> /dev/null && wait $SERVICE 2> /dev/null || true; rm -rf "$WORK"' EXIT
    for _ in $(seq 1 180); do
        curl -fs "$HOST/actuator/health" > /dev/null && return 0
        kill -0 "$SERVICE" 2> /dev/null || { cat "$WORK/service.log" >&2; return 1; }
        sleep 1
    done
    echo "the service did not come up; its log:" >&2
    cat "$WORK/service.log" >&2
    return 1
}
