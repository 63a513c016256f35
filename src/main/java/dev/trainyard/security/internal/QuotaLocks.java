package dev.trainyard.security.internal;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-tenant, per-quota row locks in {@code quota_locks}, held until the caller's
 * transaction ends. Whoever adds to a quota takes its lock before counting, so that
 * concurrent additions on any instance sharing the database are checked one after
 * another, each counting what the ones before it committed.
 */
@Component
public class QuotaLocks {

    private final JdbcClient jdbc;

    QuotaLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Waits for the tenant's lock on {@code quota} and holds it until the current
     * transaction commits or rolls back; there must be one, or the lock would end at
     * once.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(UUID tenantId, String quota) {
        jdbc.sql("INSERT INTO quota_locks (tenant_id, quota) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .params(tenantId, quota)
            .update();
        jdbc.sql("SELECT 1 FROM quota_locks WHERE tenant_id = ? AND quota = ? FOR UPDATE")
            .params(tenantId, quota)
            .query(Integer.class)
            .single();
    }

}
