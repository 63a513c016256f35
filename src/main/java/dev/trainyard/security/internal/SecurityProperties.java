package dev.trainyard.security.internal;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the security module ({@code trainyard.security.*}).
 *
 * @param bootstrapApiKey the admin key of the default tenant created at first start
 * ({@code TRAINYARD_BOOTSTRAP_API_KEY}); empty: a key is generated and logged once
 * @param keyPepper optional server secret mixed into every key hash; the same on every
 * instance, and never changed once keys exist (changing it invalidates them all)
 * @param keyCacheTtl how long an instance trusts what it read about a key; bounds how
 * late another instance sees a revocation (at most 5 s is the promise)
 * @param publicHealth {@code /actuator/health} answers without a key
 * @param publicDocs Swagger UI and {@code /v3/api-docs} answer without a key
 */
@ConfigurationProperties("trainyard.security")
public record SecurityProperties(@DefaultValue("") String bootstrapApiKey, @DefaultValue("") String keyPepper,
        @DefaultValue("2s") Duration keyCacheTtl, @DefaultValue("true") boolean publicHealth,
        @DefaultValue("true") boolean publicDocs, @DefaultValue RateLimits rateLimits, @DefaultValue Quota quota) {

    public SecurityProperties {
        if (keyCacheTtl.isNegative() || keyCacheTtl.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException(
                    "trainyard.security.key-cache-ttl must lie between 0 and 5s (revocations reach every"
                            + " instance within it), not " + keyCacheTtl);
        }
    }

    /**
     * Per-key token buckets, shared by every instance on PostgreSQL, in memory on H2. A
     * rate of 0 turns a limit off.
     *
     * @param uploadPaths requests ({@code METHOD /path/pattern}) that count as uploads
     * @param predictionPaths requests that count as predictions
     */
    public record RateLimits(@DefaultValue("30") int uploadsPerMinute, @DefaultValue("1000") int predictionsPerSecond,
            @DefaultValue("POST /api/v1/datasets") List<String> uploadPaths,

            @DefaultValue( {
                    "POST /api/v1/models/*/predictions", "POST /api/v1/ensembles/*/predictions",
                    "POST /api/v1/registered-models/*/predictions",
                    "POST /api/v1/registered-models/*/versions/*/predictions", "POST /v2/models/*/infer",
                    "POST /v2/models/*/versions/*/infer" }) List<String> predictionPaths){
    }

    /**
     * Per-tenant quotas; a tenant created with its own values overrides them.
     *
     * @param datasetBytes stored dataset bytes
     * @param runningJobs training jobs running at once
     * @param runningJobsRetryAfter the {@code Retry-After} of a refusal for running jobs
     */
    public record Quota(@DefaultValue("10GB") DataSize datasetBytes, @DefaultValue("4") int runningJobs,
            @DefaultValue("30s") Duration runningJobsRetryAfter) {
    }
}
