package dev.trainyard.security.internal;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Buckets in the shared PostgreSQL database, one row of {@code rate_limit_buckets} per
 * key and rule, so that every instance draws on the same bucket: Bucket4j's
 * {@code SELECT ... FOR UPDATE} proxy manager, which reads, updates and commits a row in
 * three statements of its own transaction (the advisory-lock variant needs a fourth). The
 * table is UNLOGGED: a bucket update writes no WAL and waits for no disk flush, and a
 * crash that empties the table only refills every bucket.
 *
 * <p>
 * Requests of one instance for the same bucket are merged into one transaction
 * (batching). A bucket of {@value #LOCAL_SHARE} tokens or more also lets each instance
 * take up to 1/{@value #LOCAL_SHARE} of it, for up to 1/{@value #LOCAL_SHARE} of its
 * period, before it settles with the database; the tokens so taken are charged to the
 * shared bucket then, even into debt, so the rate over time stays exact and a burst can
 * pass the bucket by at most that share per instance. Smaller buckets are exact.
 */
final class DatabaseRateLimitBuckets implements RateLimitBuckets {

    static final String TABLE = "rate_limit_buckets";

    static final int LOCAL_SHARE = 100;

    /**
     * Past this, a bucket's transaction gives up and the request is let through (getting
     * a connection waits as long as the pool lets it).
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final ProxyManager<String> buckets;

    /**
     * @param clock the instances' common time: the wall clock, which NTP keeps close on
     * every machine
     */
    DatabaseRateLimitBuckets(DataSource dataSource, TimeMeter clock) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table(TABLE)
            .clientClock(clock)
            .requestTimeout(REQUEST_TIMEOUT)
            .build();
    }

    @Override
    public Bucket bucket(RateLimiter.Rule rule, UUID keyId) {
        BucketConfiguration configuration = BucketConfiguration.builder().addLimit(rule.bandwidth()).build();
        return buckets.builder().withOptimization(optimization(rule)).build(id(rule, keyId), () -> configuration);
    }

    /**
     * The row of a key under a rule; with the rate in it, a changed rate starts a fresh
     * bucket instead of inheriting one of another size.
     */
    static String id(RateLimiter.Rule rule, UUID keyId) {
        return rule.name() + "/" + rule.permits() + "/" + keyId;
    }

    static Optimization optimization(RateLimiter.Rule rule) {
        long local = rule.permits() / LOCAL_SHARE;
        if (local == 0) {
            return Optimizations.batching();
        }
        return Optimizations.delaying(new DelayParameters(local, rule.period().dividedBy(LOCAL_SHARE)));
    }

}
