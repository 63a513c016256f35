package dev.trainyard.security.internal;

import io.github.bucket4j.Bucket;
import java.util.UUID;

/**
 * Where the token buckets of the {@link RateLimiter} live: in this instance's memory
 * ({@link LocalRateLimitBuckets}) or in the shared database
 * ({@link DatabaseRateLimitBuckets}).
 */
interface RateLimitBuckets {

    /**
     * A handle on the bucket of one key under one rule, full when first used; the caller
     * keeps it while the key is in use, since a handle may carry state of its own.
     */
    Bucket bucket(RateLimiter.Rule rule, UUID keyId);

}
