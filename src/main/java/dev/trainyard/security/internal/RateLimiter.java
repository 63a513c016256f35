package dev.trainyard.security.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Per-key rate limits on groups of requests ("uploads", "predictions"), each a
 * {@link TokenBucket} per key and group. Buckets live in this instance's memory: with N
 * instances behind a load balancer a key may get up to N times the rate, which is the
 * accepted price of needing no shared store. A bucket unused for longer than its period
 * is full again, so it is dropped.
 */
class RateLimiter {

    /**
     * A group of requests that share one limit, e.g. every {@code POST /api/v1/datasets}.
     */
    record Rule(String name, int permits, Duration period, List<Route> routes) {

        boolean matches(String method, PathContainer path) {
            return routes.stream().anyMatch(route -> route.matches(method, path));
        }
    }

    /** {@code METHOD /path/pattern}, as in the configuration. */
    record Route(String method, PathPattern pattern) {

        static Route parse(String text) {
            String[] parts = text.strip().split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(
                        "A rate-limited route reads 'METHOD /path/pattern', not '" + text + "'");
            }
            return new Route(parts[0].toUpperCase(Locale.ROOT), PathPatternParser.defaultInstance.parse(parts[1]));
        }

        boolean matches(String requestMethod, PathContainer path) {
            return method.equals(requestMethod) && pattern.matches(path);
        }
    }

    /** A refusal: which limit, and how long until the next request would pass. */
    record Refusal(Rule rule, Duration retryAfter) {
    }

    private record BucketKey(String rule, UUID keyId) {
    }

    private final List<Rule> rules;

    private final LongSupplier nanoClock;

    private final Cache<BucketKey, TokenBucket> buckets;

    RateLimiter(List<Rule> rules, LongSupplier nanoClock) {
        this.rules = List.copyOf(rules);
        this.nanoClock = nanoClock;
        Duration longest = rules.stream().map(Rule::period).max(Duration::compareTo).orElse(Duration.ofMinutes(1));
        this.buckets = Caffeine.newBuilder().expireAfterAccess(longest).build();
    }

    static RateLimiter fromProperties(SecurityProperties.RateLimits limits, LongSupplier nanoClock) {
        List<Rule> rules = new ArrayList<>();
        if (limits.uploadsPerMinute() > 0) {
            rules.add(new Rule("uploads", limits.uploadsPerMinute(), Duration.ofMinutes(1),
                    limits.uploadPaths().stream().map(Route::parse).toList()));
        }
        if (limits.predictionsPerSecond() > 0) {
            rules.add(new Rule("predictions", limits.predictionsPerSecond(), Duration.ofSeconds(1),
                    limits.predictionPaths().stream().map(Route::parse).toList()));
        }
        return new RateLimiter(rules, nanoClock);
    }

    List<Rule> rules() {
        return rules;
    }

    /**
     * Takes a token from every limit the request falls under; empty if it may go ahead.
     */
    Optional<Refusal> tryAcquire(UUID keyId, String method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        for (Rule rule : rules) {
            if (!rule.matches(method, container)) {
                continue;
            }
            long now = nanoClock.getAsLong();
            TokenBucket bucket = buckets.get(new BucketKey(rule.name(), keyId),
                    k -> new TokenBucket(rule.permits(), rule.period().toNanos(), now));
            long waitNanos = bucket.tryTake(now);
            if (waitNanos > 0) {
                return Optional.of(new Refusal(rule, Duration.ofNanos(waitNanos)));
            }
        }
        return Optional.empty();
    }

}
