package dev.trainyard.security.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A tenant: the owner of datasets, jobs, models and ensembles, and of the keys that reach
 * them.
 */
@Entity
@Table(name = "tenants")
public class TenantEntity {

    @Id
    private UUID id;

    private String name;

    @Column(name = "dataset_bytes_quota")
    private Long datasetBytesQuota;

    @Column(name = "running_jobs_quota")
    private Integer runningJobsQuota;

    @Column(name = "created_at")
    private Instant createdAt;

    protected TenantEntity() {
    }

    TenantEntity(UUID id, String name, Long datasetBytesQuota, Integer runningJobsQuota, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.datasetBytesQuota = datasetBytesQuota;
        this.runningJobsQuota = runningJobsQuota;
        this.createdAt = createdAt;
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The tenant's own quota, or null for the configured default. */
    public Long datasetBytesQuota() {
        return datasetBytesQuota;
    }

    /** The tenant's own quota, or null for the configured default. */
    public Integer runningJobsQuota() {
        return runningJobsQuota;
    }

    public Instant createdAt() {
        return createdAt;
    }

}
