# syntax=docker/dockerfile:1

# Build with the Maven wrapper; Maven runs on this JDK 25, which the build's toolchain selects.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
RUN --mount=type=cache,target=/root/.m2/repository ./mvnw -q -B -DskipTests package \
    && cp target/trainyard-*.jar /build/trainyard.jar

# Run on the JRE as an unprivileged user.
FROM eclipse-temurin:25-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /app --uid 10001 trainyard
WORKDIR /app
COPY --from=build /build/trainyard.jar /app/trainyard.jar
USER trainyard
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health || exit 1
# The Vector API module and native access (OpenBLAS through FFM) for the engine.
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/trainyard.jar"]
