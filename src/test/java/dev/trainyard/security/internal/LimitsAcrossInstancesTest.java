package dev.trainyard.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.security.Role;
import dev.trainyard.system.AnotherInstance;
import dev.trainyard.system.PostgresTest;
import io.github.bucket4j.TimeMeter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Three instances on one PostgreSQL database (this test's context and two more): a key's
 * rate limit is one bucket for all of them, and a key revoked on one stops working on the
 * others within {@code trainyard.security.key-cache-ttl}. The buckets in the database are
 * also driven directly, as two instances' limiters over one table.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { LimitsAcrossInstancesTest.UPLOADS_PER_MINUTE, LimitsAcrossInstancesTest.UPLOAD_PATHS,
                LimitsAcrossInstancesTest.NO_WORKER })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsAcrossInstancesTest {

    static final String UPLOADS_PER_MINUTE = "trainyard.security.rate-limits.uploads-per-minute=5";

    /** A cheap request that a user key may make stands for an upload. */
    static final String UPLOAD_PATHS = "trainyard.security.rate-limits.upload-paths=GET /api/v1/datasets";

    static final String NO_WORKER = "trainyard.worker.enabled=false";

    @LocalServerPort
    int port;

    @Autowired
    JdbcConnectionDetails database;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KeyManagement management;

    @Autowired
    SecurityProperties properties;

    final List<AnotherInstance> others = new ArrayList<>();

    @BeforeAll
    void startTwoMoreInstances() {
        for (int i = 0; i < 2; i++) {
            others.add(AnotherInstance.start(database, UPLOADS_PER_MINUTE, UPLOAD_PATHS, NO_WORKER));
        }
    }

    @AfterAll
    void stopThem() {
        others.forEach(AnotherInstance::close);
    }

    @Test
    void threeInstancesTogetherAllowTheRateOfOne() {
        String key = userKey();
        List<TestHttp> instances = List.of(new TestHttp(port, key), new TestHttp(others.get(0).port(), key),
                new TestHttp(others.get(1).port(), key));
        long started = System.nanoTime();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            answers.add(instances.get(i % 3).get("/api/v1/datasets"));
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        // 5 per minute: a full bucket of 5, then one more every 12 s
        long passed = answers.stream().filter(a -> a.statusCode() == 200).count();
        assertThat(passed).as("requests let through by the three instances").isBetween(5L, 5 + seconds / 12);
        assertThat(answers).filteredOn(a -> a.statusCode() != 200).allSatisfy(refused -> {
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(TestHttp.contentType(refused)).startsWith("application/problem+json");
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 12L);
            JsonNode problem = TestHttp.json(refused);
            assertThat(problem.path("title").asString()).isEqualTo("Rate limit exceeded");
            assertThat(problem.path("limit").asInt()).isEqualTo(5);
            assertThat(problem.path("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
        });
        assertThat(instances.get(1).withKey(userKey()).get("/api/v1/datasets").statusCode()).as("another key")
            .isEqualTo(200);
    }

    @Test
    void aKeyRevokedOnOneInstanceStopsWorkingOnTheOthersWithinTheKeyCacheTtl() throws InterruptedException {
        KeyManagement.IssuedKey key = management.issueKey(SecurityTest.OPERATOR, tenant(), "revoked", Role.ADMIN);
        List<TestHttp> elsewhere = others.stream().map(other -> new TestHttp(other.port(), key.key())).toList();
        for (TestHttp other : elsewhere) {
            assertThat(other.get("/api/v1/keys").statusCode()).as("works there, and is cached there").isEqualTo(200);
        }
        long cachedBy = System.nanoTime();

        HttpResponse<String> revoked = new TestHttp(port)
            .send(new TestHttp(port).request("/api/v1/keys/" + key.stored().id()).DELETE().build());

        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(new TestHttp(port, key.key()).get("/api/v1/keys").statusCode()).as("here, at once").isEqualTo(401);
        SecurityTest.sleepUntil(cachedBy + properties.keyCacheTtl().toNanos());
        for (TestHttp other : elsewhere) {
            HttpResponse<String> refused = other.get("/api/v1/keys");
            assertThat(refused.statusCode()).as("elsewhere, %s after it was cached", properties.keyCacheTtl())
                .isEqualTo(401);
            assertThat(TestHttp.json(refused).path("detail").asString())
                .isEqualTo("The API key is unknown or revoked.");
        }
    }

    @Test
    void bucketsBelowOneHundredTokensAreExactAcrossInstances() {
        // 30 an hour: no token comes back while the test runs
        RateLimiter.Rule rule = rule(30, Duration.ofHours(1));
        List<RateLimiter> instances = List.of(limiter(rule), limiter(rule));
        UUID key = UUID.randomUUID();

        int passed = 0;
        List<RateLimiter.Refusal> refusals = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            Optional<RateLimiter.Refusal> refusal = instances.get(i % 2).tryAcquire(key, "POST", "/probe");
            refusal.ifPresentOrElse(refusals::add, () -> {
            });
            passed += refusal.isPresent() ? 0 : 1;
        }

        assertThat(passed).isEqualTo(30);
        assertThat(refusals).allSatisfy(refusal -> assertThat(refusal.retryAfter()).isBetween(Duration.ofSeconds(100),
                Duration.ofSeconds(120)));
        assertThat(jdbc.queryForObject("select count(*) from rate_limit_buckets where id = ?", Long.class,
                DatabaseRateLimitBuckets.id(rule, key)))
            .isEqualTo(1);
    }

    @Test
    void largerBucketsLetEachInstanceRunAheadByOnePercentAtMost() {
        RateLimiter.Rule rule = rule(1000, Duration.ofHours(1));
        List<RateLimiter> instances = List.of(limiter(rule), limiter(rule));
        UUID key = UUID.randomUUID();
        long started = System.nanoTime();

        int passed = 0;
        for (int i = 0; i < 3000; i++) {
            passed += instances.get(i % 2).tryAcquire(key, "POST", "/probe").isPresent() ? 0 : 1;
        }

        // 1000 an hour come back at one per 3.6 s
        long refilled = Duration.ofNanos(System.nanoTime() - started).toMillis() / 3600 + 1;
        assertThat(passed).isBetween(1000, 1000 + 2 * 10 + (int) refilled);
    }

    private RateLimiter limiter(RateLimiter.Rule rule) {
        return new RateLimiter(List.of(rule), new DatabaseRateLimitBuckets(dataSource, TimeMeter.SYSTEM_MILLISECONDS));
    }

    private static RateLimiter.Rule rule(int permits, Duration period) {
        return new RateLimiter.Rule("probe", permits, period, List.of(RateLimiter.Route.parse("POST /probe")));
    }

    private UUID tenant() {
        return management.createTenant(SecurityTest.OPERATOR, "t-" + UUID.randomUUID(), null, null).id();
    }

    private String userKey() {
        return management.issueKey(SecurityTest.OPERATOR, tenant(), "k", Role.USER).key();
    }

}
