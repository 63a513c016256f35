package dev.trainyard.security;

import dev.trainyard.security.internal.SecurityProperties;
import dev.trainyard.security.internal.TenantEntity;
import dev.trainyard.security.internal.TenantRepository;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-tenant quotas, checked by the modules that own what is counted (they know their own
 * rows):
 *
 * <ul>
 * <li>stored dataset bytes: the dataset module calls {@link #checkDatasetBytes} before it
 * commits an upload, under a per-tenant row lock that it holds until the commit, so that
 * concurrent uploads on any instance are checked one after another; a refusal is 409,
 * because waiting does not help (delete datasets first);
 * <li>training jobs running at once: the training module calls {@link #checkRunningJobs}
 * before it starts a job; a refusal is 429 with {@code Retry-After}, because running jobs
 * end.
 * </ul>
 *
 * A tenant's own quota (set when it was created) wins over
 * {@code trainyard.security.quota.*}. The refusals are {@link LimitExceededException}s,
 * so throwing them inside the transaction that would store the rows leaves nothing
 * behind.
 */
@Service
public class QuotaService {

    private final TenantRepository tenants;

    private final SecurityProperties.Quota defaults;

    QuotaService(TenantRepository tenants, SecurityProperties properties) {
        this.tenants = tenants;
        this.defaults = properties.quota();
    }

    /** The dataset bytes the tenant may store. */
    @Transactional(readOnly = true)
    public long datasetBytes(UUID tenantId) {
        return tenant(tenantId).map(TenantEntity::datasetBytesQuota).orElse(defaults.datasetBytes().toBytes());
    }

    /** How many of the tenant's training jobs may run at once. */
    @Transactional(readOnly = true)
    public int runningJobs(UUID tenantId) {
        return tenant(tenantId).map(TenantEntity::runningJobsQuota).orElse(defaults.runningJobs());
    }

    /**
     * Refuses with 409 when {@code storedBytes + incomingBytes} would pass the tenant's
     * quota.
     * @param storedBytes what the tenant stores now
     * @param incomingBytes what the upload would add
     */
    public void checkDatasetBytes(UUID tenantId, long storedBytes, long incomingBytes) {
        long limit = datasetBytes(tenantId);
        if (storedBytes + incomingBytes > limit) {
            throw LimitExceededException
                .conflict("Dataset storage quota exceeded",
                        "The tenant stores " + storedBytes + " bytes of datasets; this upload needs " + incomingBytes
                                + " more, and the quota is " + limit + " bytes. Delete datasets to make room.")
                .with("limit", limit)
                .with("used", storedBytes)
                .with("requested", incomingBytes);
        }
    }

    /**
     * Refuses with 429 and {@code Retry-After} when the tenant already runs its quota of
     * jobs.
     * @param runningJobs the tenant's jobs running now, not counting the one about to
     * start
     */
    public void checkRunningJobs(UUID tenantId, long runningJobs) {
        int limit = runningJobs(tenantId);
        if (runningJobs >= limit) {
            throw LimitExceededException
                .tooManyRequests("Running jobs quota reached",
                        "The tenant runs " + runningJobs + " training jobs and may run " + limit
                                + " at once. Try again when one has finished.",
                        defaults.runningJobsRetryAfter())
                .with("limit", limit)
                .with("used", runningJobs);
        }
    }

    private Optional<TenantEntity> tenant(UUID tenantId) {
        return tenants.findById(tenantId);
    }

}
