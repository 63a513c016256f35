package dev.trainyard.security.internal;

/**
 * A token bucket: holds up to {@code capacity} tokens, refills continuously at
 * {@code capacity} tokens per {@code periodNanos}, and a request takes one. A full bucket
 * therefore allows a burst of {@code capacity} requests, then one per
 * {@code periodNanos / capacity} on average.
 */
final class TokenBucket {

    private final long capacity;

    private final long periodNanos;

    // tokens scaled by periodNanos, so that refilling is exact integer arithmetic:
    // one token = periodNanos units, and each elapsed nanosecond adds capacity units
    private long units;

    private long updatedAt;

    TokenBucket(long capacity, long periodNanos, long now) {
        if (capacity <= 0 || periodNanos <= 0) {
            throw new IllegalArgumentException("capacity and period must be positive");
        }
        this.capacity = capacity;
        this.periodNanos = periodNanos;
        this.units = Math.multiplyExact(capacity, periodNanos);
        this.updatedAt = now;
    }

    /**
     * Takes a token if there is one.
     * @return 0 if the request may go ahead, else the nanoseconds until a token will be
     * there
     */
    synchronized long tryTake(long now) {
        long max = capacity * periodNanos;
        long elapsed = Math.max(0, now - updatedAt);
        // elapsed * capacity could overflow after a long pause; the bucket is full by
        // then anyway
        units = elapsed >= periodNanos ? max : Math.min(max, units + elapsed * capacity);
        updatedAt = now;
        if (units >= periodNanos) {
            units -= periodNanos;
            return 0;
        }
        long missing = periodNanos - units;
        return (missing + capacity - 1) / capacity;
    }

}
