#!/usr/bin/env bash
# Start-up time: seconds from launching the JVM until GET /actuator/health answers UP, for three
# ways of running the same build, measured alternately so that they share the machine's state:
#
#   jar        java -jar target/trainyard-*.jar (what `./mvnw package` gives)
#   aot-cache  the extracted jar with a JDK 25 AOT cache (-XX:AOTCache), classes loaded and linked
#              ahead of time by a training run of the service (started, asked for its health and
#              one API answer, stopped)
#   spring-aot the same with Spring AOT as well (built with -Paot, run with -Dspring.aot.enabled=true):
#              bean definitions generated at build time instead of scanning and parsing configuration
#   no-vector  spring-aot without --add-modules jdk.incubator.vector, its cache recorded so too: not a
#              way to run the service (the engine falls back to its scalar kernels), only the measure
#              of what the incubator module costs a start. A boot layer with an incubator module is
#              not archived, so the JVM loses the AOT cache's full module graph and with it the
#              ahead-of-time linked lambdas and archived heap objects (the cache's creation log says
#              "archivedBootLayer not available, disabling full module graph").
#
#   src/test/bench/startup.sh [runs per way, default 5]
#   DATABASE=existing src/test/bench/startup.sh ...   (default: DATABASE=empty)
#
# With DATABASE=empty each run starts on an empty in-memory H2 database (Flyway creates the schema
# and the service its first admin key, as on a first start). With DATABASE=existing each run starts
# on a fresh copy of an H2 file database that one earlier start migrated and gave its admin key:
# what a new instance of an autoscaled service meets (Flyway only validates; the key is there).
# Builds with -Paot on JDK 25 (JAVA_HOME is set for Maven; the plugin compiles generated code in
# Maven's own JVM), extracts the jar and records the cache under a temporary directory, as the
# Dockerfile does. Prints every time and the median per way, and keeps the log of the last Spring AOT
# start in target/startup-spring-aot.log.
set -euo pipefail
cd "$(dirname "$0")/../../.."
RUNS="${1:-5}"
JDK=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="$JDK/bin/java"
PORT="${PORT:-18180}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
H2_MODE="MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
DB="--spring.datasource.url=jdbc:h2:mem:startup;$H2_MODE;DB_CLOSE_DELAY=-1"
DATABASE="${DATABASE:-empty}"
case "$DATABASE" in
    empty) TIMED_DB="$DB" ;;
    existing) TIMED_DB="--spring.datasource.url=jdbc:h2:file:$WORK/db/trainyard;$H2_MODE" ;;
    *) echo "DATABASE must be empty or existing, not $DATABASE" >&2; exit 2 ;;
esac
KEY="--trainyard.security.bootstrap-api-key=ty_be9c000000000001_load-test-key-only-for-this-benchmark-00000"

JAVA_HOME="$JDK" ./mvnw -q -DskipTests -Paot package
JAR="$PWD/$(ls target/trainyard-*.jar | grep -v -e plain -e client | head -1)"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" > /dev/null
EXTRACTED="$WORK/app/$(basename "$JAR")"
# Records an AOT cache ($1) from one start of the service with the JVM arguments that follow: up,
# then a health check and an authenticated API call (so the first request's classes are in it too),
# then stopped; the JVM writes the cache as it exits.
record_cache() {
    local cache="$1" pid
    shift
    (cd "$WORK" && exec "$JAVA" -XX:AOTCacheOutput="$cache" "$@" "${FLAGS[@]}" -jar "$EXTRACTED" "$DB" "$KEY" \
        --server.port="$PORT" > "$WORK/record.log" 2>&1) &
    pid=$!
    until curl -fs "http://127.0.0.1:$PORT/actuator/health" > /dev/null 2>&1; do
        kill -0 "$pid" 2> /dev/null || { cat "$WORK/record.log" >&2; exit 1; }
        sleep 0.1
    done
    curl -fs -H "X-API-Key: ${KEY#*=}" "http://127.0.0.1:$PORT/api/v1/models" > /dev/null
    kill "$pid"
    wait "$pid" 2> /dev/null || true
    [ -s "$cache" ] || { cat "$WORK/record.log" >&2; exit 1; }
}
record_cache "$WORK/plain.aot"
record_cache "$WORK/spring.aot" -Dspring.aot.enabled=true
(FLAGS=(--enable-native-access=ALL-UNNAMED) && record_cache "$WORK/no-vector.aot" -Dspring.aot.enabled=true)

# Spring AOT fixes the bean definitions at build time: check that the service so started documents
# the same API as the committed OpenAPI snapshot before timing anything.
(cd "$WORK" && exec "$JAVA" -XX:AOTCache="$WORK/spring.aot" -Dspring.aot.enabled=true "${FLAGS[@]}" -jar "$EXTRACTED" \
    "$DB" "$KEY" --server.port="$PORT" > "$WORK/check.log" 2>&1) &
CHECK=$!
until curl -fs "http://127.0.0.1:$PORT/actuator/health" > /dev/null 2>&1; do
    kill -0 "$CHECK" 2> /dev/null || { cat "$WORK/check.log" >&2; exit 1; }
    sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/v3/api-docs" | jq -S 'del(.servers)' > "$WORK/served.json"
kill "$CHECK" && wait "$CHECK" 2> /dev/null || true
if ! diff -q "$WORK/served.json" <(jq -S 'del(.servers)' src/test/resources/openapi/openapi.json) > /dev/null; then
    echo "with Spring AOT the service documents another API than src/test/resources/openapi/openapi.json" >&2
    exit 1
fi

if [ "$DATABASE" = existing ]; then
    # one start migrates the file database and creates the admin key; every timed start gets a copy
    (cd "$WORK" && exec "$JAVA" "${FLAGS[@]}" -jar "$EXTRACTED" "$TIMED_DB" "$KEY" --server.port="$PORT" \
        > "$WORK/migrate.log" 2>&1) &
    MIGRATE=$!
    until curl -fs "http://127.0.0.1:$PORT/actuator/health" > /dev/null 2>&1; do
        kill -0 "$MIGRATE" 2> /dev/null || { cat "$WORK/migrate.log" >&2; exit 1; }
        sleep 0.1
    done
    kill "$MIGRATE" && wait "$MIGRATE" 2> /dev/null || true
    mv "$WORK/db" "$WORK/db.migrated"
fi

# Prints the seconds from launch to health UP for one start of the jar $1 with the JVM arguments that
# follow (before the engine's flags and -jar, so that they are the JVM's and not the application's).
time_start() {
    local jar="$1" start now pid
    shift
    if [ "$DATABASE" = existing ]; then
        rm -rf "$WORK/db" && cp -r "$WORK/db.migrated" "$WORK/db"
    fi
    start="$(date +%s%N)"
    (cd "$WORK" && exec "$JAVA" "$@" "${FLAGS[@]}" -jar "$jar" "$TIMED_DB" "$KEY" --server.port="$PORT" \
        > "$WORK/run.log" 2>&1) &
    pid=$!
    until curl -fs "http://127.0.0.1:$PORT/actuator/health" 2> /dev/null | grep -q '"UP"'; do
        kill -0 "$pid" 2> /dev/null || { cat "$WORK/run.log" >&2; return 1; }
        sleep 0.02
    done
    now="$(date +%s%N)"
    if [ "${ALLOW_SCALAR:-}" != yes ] && grep -q "Vector API kernels off" "$WORK/run.log"; then
        echo "a start without the engine's Vector API kernels does not count: $*" >&2
        kill "$pid"
        return 1
    fi
    kill "$pid"
    wait "$pid" 2> /dev/null || true
    echo "scale=2; ($now - $start) / 1000000000" | bc
}

declare -A TIMES
for run in $(seq 1 "$RUNS"); do
    jar="$(time_start "$JAR")"
    cache="$(time_start "$EXTRACTED" -XX:AOTCache="$WORK/plain.aot")"
    spring="$(time_start "$EXTRACTED" -XX:AOTCache="$WORK/spring.aot" -Dspring.aot.enabled=true)"
    cp "$WORK/run.log" target/startup-spring-aot.log # the log of the latest Spring AOT start, to read
    novector="$(FLAGS=(--enable-native-access=ALL-UNNAMED) && ALLOW_SCALAR=yes \
        && time_start "$EXTRACTED" -XX:AOTCache="$WORK/no-vector.aot" -Dspring.aot.enabled=true)"
    TIMES[jar]+="$jar "
    TIMES[aot-cache]+="$cache "
    TIMES[spring-aot]+="$spring "
    TIMES[no-vector]+="$novector "
    echo "run $run: jar $jar s, aot-cache $cache s, spring-aot $spring s, no-vector $novector s"
done
echo "database: $DATABASE"
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for way in jar aot-cache spring-aot no-vector; do
    printf '%-11s median %s s  (%s)\n' "$way" \
        "$(echo "${TIMES[$way]}" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
        "$(echo "${TIMES[$way]}" | xargs)"
done
