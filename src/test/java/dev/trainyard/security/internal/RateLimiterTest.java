package dev.trainyard.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    private final RateLimiter limiter = RateLimiter.fromProperties(new SecurityProperties.RateLimits(3, 2,
            List.of("POST /api/v1/datasets"), List.of("POST /api/v1/models/*/predictions")),
            new LocalRateLimitBuckets(clock::get));

    private final UUID key = UUID.randomUUID();

    @Test
    void aFullBucketAllowsABurstThenRefusesWithTheTimeToTheNextToken() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire(key, "POST", "/api/v1/datasets")).isEmpty();
        }

        Optional<RateLimiter.Refusal> refusal = limiter.tryAcquire(key, "POST", "/api/v1/datasets");

        assertThat(refusal).isPresent();
        assertThat(refusal.get().rule().name()).isEqualTo("uploads");
        // 3 per minute: one token every 20 s
        assertThat(refusal.get().retryAfter()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void tokensComeBackAtTheConfiguredRate() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(key, "POST", "/api/v1/datasets");
        }
        clock.addAndGet(15 * SECOND);
        assertThat(limiter.tryAcquire(key, "POST", "/api/v1/datasets").orElseThrow().retryAfter())
            .isEqualTo(Duration.ofSeconds(5));

        clock.addAndGet(5 * SECOND);

        assertThat(limiter.tryAcquire(key, "POST", "/api/v1/datasets")).isEmpty();
        assertThat(limiter.tryAcquire(key, "POST", "/api/v1/datasets")).isPresent();
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(key, "POST", "/api/v1/datasets");
        }

        assertThat(limiter.tryAcquire(key, "POST", "/api/v1/datasets")).isPresent();
        assertThat(limiter.tryAcquire(UUID.randomUUID(), "POST", "/api/v1/datasets")).isEmpty();
    }

    @Test
    void onlyConfiguredRoutesCount() {
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire(key, "GET", "/api/v1/datasets")).isEmpty();
            assertThat(limiter.tryAcquire(key, "DELETE", "/api/v1/datasets/x")).isEmpty();
        }
    }

    @Test
    void predictionPathsMatchAnyModel() {
        UUID model = UUID.randomUUID();
        assertThat(limiter.tryAcquire(key, "POST", "/api/v1/models/" + model + "/predictions")).isEmpty();
        assertThat(limiter.tryAcquire(key, "POST", "/api/v1/models/other/predictions")).isEmpty();

        Optional<RateLimiter.Refusal> refusal = limiter.tryAcquire(key, "POST", "/api/v1/models/x/predictions");

        assertThat(refusal.orElseThrow().rule().name()).isEqualTo("predictions");
        assertThat(refusal.get().retryAfter()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void byDefaultPredictionsByNameAndInferenceShareThePredictionLimit() {
        SecurityProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("trainyard.security", SecurityProperties.class);
        RateLimiter limits = RateLimiter.fromProperties(defaults.rateLimits(), new LocalRateLimitBuckets(clock::get));
        List<String> paths = List.of("/api/v1/models/m/predictions", "/api/v1/ensembles/e/predictions",
                "/api/v1/registered-models/fashion@champion/predictions",
                "/api/v1/registered-models/fashion/versions/3/predictions", "/v2/models/fashion/infer",
                "/v2/models/fashion/versions/3/infer");

        for (int i = 0; i < 1000; i++) {
            assertThat(limits.tryAcquire(key, "POST", paths.get(i % paths.size()))).isEmpty();
        }

        for (String path : paths) {
            assertThat(limits.tryAcquire(key, "POST", path)).as(path).isPresent();
        }
        assertThat(limits.tryAcquire(key, "GET", "/v2/models/fashion")).isEmpty();
    }

    @Test
    void aRateOfZeroTurnsTheLimitOff() {
        RateLimiter off = RateLimiter.fromProperties(
                new SecurityProperties.RateLimits(0, 0, List.of("POST /api/v1/datasets"), List.of()),
                new LocalRateLimitBuckets(clock::get));

        assertThat(off.rules()).isEmpty();
        for (int i = 0; i < 100; i++) {
            assertThat(off.tryAcquire(key, "POST", "/api/v1/datasets")).isEmpty();
        }
    }

    @Test
    void requestsPassWhileTheBucketStoreFails() {
        DataSource unreachable = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none");
        RateLimiter limits = RateLimiter.fromProperties(
                new SecurityProperties.RateLimits(1, 0, List.of("POST /api/v1/datasets"), List.of()),
                new DatabaseRateLimitBuckets(unreachable, TimeMeter.SYSTEM_MILLISECONDS));

        for (int i = 0; i < 3; i++) {
            assertThat(limits.tryAcquire(key, "POST", "/api/v1/datasets")).isEmpty();
        }
    }

    @Test
    void aRouteWithoutMethodIsAConfigurationError() {
        assertThatThrownBy(() -> RateLimiter.Route.parse("/api/v1/datasets"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("METHOD /path/pattern");
    }

}
