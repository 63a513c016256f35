package dev.trainyard.security;

import dev.trainyard.security.internal.QuotaLocks;
import dev.trainyard.security.internal.SecurityProperties;
import dev.trainyard.security.internal.TenantEntity;
import dev.trainyard.security.internal.TenantRepository;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-tenant quotas, checked by the modules that own what is counted (they count their
 * own rows):
 *
 * <ul>
 * <li>stored dataset bytes: the dataset module calls {@link #checkDatasetBytes} before it
 * commits an upload; a refusal is 409, because waiting does not help (delete datasets
 * first);
 * <li>training jobs running at once: the training module calls {@link #checkRunningJobs}
 * before it stores a job; a refusal is 429 with {@code Retry-After}, because running jobs
 * end.
 * </ul>
 *
 * Each check runs inside the transaction that stores what it admits. It first takes the
 * tenant's row lock on that quota (in {@code quota_locks}), held until that transaction
 * ends, and only then counts, so that concurrent additions on any instance sharing the
 * database pass the check one after another, each counting what the ones before it
 * committed. A tenant's own quota (set when it was created) wins over
 * {@code trainyard.security.quota.*}. The refusals are {@link LimitExceededException}s,
 * so the transaction that would have stored the rows rolls back and leaves nothing
 * behind.
 */
@Service
public class QuotaService {

    private static final String DATASET_BYTES = "dataset-bytes";

    private static final String RUNNING_JOBS = "running-jobs";

    private final TenantRepository tenants;

    private final QuotaLocks locks;

    private final SecurityProperties.Quota defaults;

    QuotaService(TenantRepository tenants, QuotaLocks locks, SecurityProperties properties) {
        this.tenants = tenants;
        this.locks = locks;
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
     * Locks the tenant's dataset quota until the current transaction ends, then refuses
     * with 409 when the stored bytes plus {@code incomingBytes} would pass it.
     * @param storedBytes counts what the tenant stores, called once the lock is held
     * @param incomingBytes what the upload would add
     */
    public void checkDatasetBytes(UUID tenantId, LongSupplier storedBytes, long incomingBytes) {
        locks.lock(tenantId, DATASET_BYTES);
        long stored = storedBytes.getAsLong();
        long limit = datasetBytes(tenantId);
        if (stored + incomingBytes > limit) {
            throw LimitExceededException
                .conflict("Dataset storage quota exceeded",
                        "The tenant stores " + stored + " bytes of datasets; this upload needs " + incomingBytes
                                + " more, and the quota is " + limit + " bytes. Delete datasets to make room.")
                .with("limit", limit)
                .with("used", stored)
                .with("requested", incomingBytes);
        }
    }

    /**
     * Locks the tenant's running-jobs quota until the current transaction ends, then
     * refuses with 429 and {@code Retry-After} when the tenant already runs its quota of
     * jobs.
     * @param runningJobs counts the tenant's jobs that run or will run, not the one about
     * to be stored; called once the lock is held
     */
    public void checkRunningJobs(UUID tenantId, LongSupplier runningJobs) {
        locks.lock(tenantId, RUNNING_JOBS);
        long running = runningJobs.getAsLong();
        int limit = runningJobs(tenantId);
        if (running >= limit) {
            throw LimitExceededException
                .tooManyRequests("Running jobs quota reached",
                        "The tenant runs " + running + " training jobs and may run " + limit
                                + " at once. Try again when one has finished.",
                        defaults.runningJobsRetryAfter())
                .with("limit", limit)
                .with("used", running);
        }
    }

    private Optional<TenantEntity> tenant(UUID tenantId) {
        return tenants.findById(tenantId);
    }

}
