# syntax=docker/dockerfile:1

# Build with the Maven wrapper on JDK 25, with Spring AOT (profile aot: bean definitions generated at
# build time), and unpack the jar into the layout the AOT cache below is recorded for.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
RUN --mount=type=cache,target=/root/.m2/repository ./mvnw -q -B -DskipTests -Paot package \
    && java -Djarmode=tools -jar "$(ls target/trainyard-*.jar | grep -v -e plain -e client)" \
        extract --destination /build/app \
    && mv /build/app/trainyard-*.jar /build/app/trainyard.jar

# Run on the JRE as an unprivileged user.
FROM eclipse-temurin:25-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /app --uid 10001 trainyard
WORKDIR /app
COPY --from=build --chown=trainyard /build/app /app
USER trainyard
# JDK 25 AOT cache: one training start of the service (in-memory database; up, asked for its health
# so that the first request's classes are recorded too, then stopped) records the classes it loads
# and links, and every later start skips that work.
RUN java -XX:AOTCacheOutput=/app/trainyard.aot -Dspring.aot.enabled=true \
        --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
        -jar /app/trainyard.jar --spring.datasource.url="jdbc:h2:mem:aot;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE" \
        --server.port=18080 & \
    pid=$!; \
    until curl -fs http://localhost:18080/actuator/health > /dev/null; do sleep 0.2; done; \
    kill $pid; wait $pid; \
    test -s /app/trainyard.aot && rm -rf /app/data
EXPOSE 8080
# The Vector API module and native access (OpenBLAS through FFM) for the engine; Spring AOT and the
# AOT cache for a start-up of a few seconds (docs/operations.md).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-XX:AOTCache=/app/trainyard.aot", "--add-modules", "jdk.incubator.vector", \
    "--enable-native-access=ALL-UNNAMED", "-Dspring.aot.enabled=true", "-jar", "/app/trainyard.jar"]
