package dev.trainyard.security.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Per-key rate limits on groups of requests ("uploads", "predictions"), each a token
 * bucket per key and group (Bucket4j): it holds up to {@code permits} tokens, refills
 * continuously at {@code permits} per period, and a request takes one, so a full bucket
 * allows a burst of {@code permits} requests, then one per {@code period / permits}. The
 * buckets live where {@link RateLimitBuckets} keeps them: in memory on H2, in the shared
 * database on PostgreSQL, where N instances together allow the configured rate. Should
 * that store fail, requests pass (a WARN says so): a rate limit is not worth refusing
 * service for.
 */
class RateLimiter {

    /**
     * A group of requests that share one limit, e.g. every {@code POST /api/v1/datasets}.
     */
    record Rule(String name, int permits, Duration period, List<Route> routes) {

        boolean matches(String method, PathContainer path) {
            return routes.stream().anyMatch(route -> route.matches(method, path));
        }

        /** Bucket4j's form of the rule: {@code permits} per period, refilled greedily. */
        Bandwidth bandwidth() {
            return Bandwidth.builder().capacity(permits).refillGreedy(permits, period).build();
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

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    private final List<Rule> rules;

    private final RateLimitBuckets store;

    // handles on the buckets of the keys in use: a bucket unused for longer than its
    // period is full again, so its handle can go
    private final Cache<BucketKey, Bucket> buckets;

    private final AtomicBoolean storeFailing = new AtomicBoolean();

    RateLimiter(List<Rule> rules, RateLimitBuckets store) {
        this.rules = List.copyOf(rules);
        this.store = store;
        Duration longest = rules.stream().map(Rule::period).max(Duration::compareTo).orElse(Duration.ofMinutes(1));
        this.buckets = Caffeine.newBuilder().expireAfterAccess(longest).build();
    }

    static RateLimiter fromProperties(SecurityProperties.RateLimits limits, RateLimitBuckets store) {
        List<Rule> rules = new ArrayList<>();
        if (limits.uploadsPerMinute() > 0) {
            rules.add(new Rule("uploads", limits.uploadsPerMinute(), Duration.ofMinutes(1),
                    limits.uploadPaths().stream().map(Route::parse).toList()));
        }
        if (limits.predictionsPerSecond() > 0) {
            rules.add(new Rule("predictions", limits.predictionsPerSecond(), Duration.ofSeconds(1),
                    limits.predictionPaths().stream().map(Route::parse).toList()));
        }
        return new RateLimiter(rules, store);
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
            Bucket bucket = buckets.get(new BucketKey(rule.name(), keyId), k -> store.bucket(rule, keyId));
            ConsumptionProbe probe = take(bucket);
            if (probe != null && !probe.isConsumed()) {
                return Optional.of(new Refusal(rule, Duration.ofNanos(probe.getNanosToWaitForRefill())));
            }
        }
        return Optional.empty();
    }

    /** A token from the bucket, or null when its store failed. */
    private ConsumptionProbe take(Bucket bucket) {
        try {
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (storeFailing.compareAndSet(true, false)) {
                log.info("Rate limits apply again: their buckets answer");
            }
            return probe;
        }
        catch (RuntimeException ex) {
            if (storeFailing.compareAndSet(false, true)) {
                log.warn("Rate limits are not applied until their buckets answer again", ex);
            }
            return null;
        }
    }

}
