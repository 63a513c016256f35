package dev.trainyard.security.internal;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Buckets in this instance's memory (Bucket4j's local buckets): exact for the one
 * instance that the embedded H2 database allows, and without any database access.
 */
final class LocalRateLimitBuckets implements RateLimitBuckets {

    private final TimeMeter clock;

    /**
     * @param nanoClock a monotonic clock in nanoseconds, such as System::nanoTime
     */
    LocalRateLimitBuckets(LongSupplier nanoClock) {
        this.clock = new TimeMeter() {

            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }

        };
    }

    @Override
    public Bucket bucket(RateLimiter.Rule rule, UUID keyId) {
        return Bucket.builder().addLimit(rule.bandwidth()).withCustomTimePrecision(clock).build();
    }

}
