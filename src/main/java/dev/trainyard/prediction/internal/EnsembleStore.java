package dev.trainyard.prediction.internal;

import dev.trainyard.prediction.EnsembleView;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every database access for ensembles, with plain SQL. Callers run inside a transaction.
 */
@Component
public class EnsembleStore {

    private final JdbcClient jdbc;

    EnsembleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public EnsembleView insert(UUID tenantId, String name, List<UUID> modelIds, List<Double> weights,
            UUID testDatasetId, Double testAccuracy, List<Double> memberAccuracies) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("INSERT INTO ensembles (id, tenant_id, name, test_dataset_id, test_accuracy, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)")
            .params(id, tenantId, name, testDatasetId, testAccuracy, Timestamp.from(now))
            .update();
        for (int i = 0; i < modelIds.size(); i++) {
            jdbc.sql("INSERT INTO ensemble_members (ensemble_id, position, model_id, weight, test_accuracy) "
                    + "VALUES (?, ?, ?, ?, ?)")
                .params(id, i, modelIds.get(i), weights == null ? null : weights.get(i),
                        memberAccuracies == null ? null : memberAccuracies.get(i))
                .update();
        }
        return new EnsembleView(id, name, List.copyOf(modelIds), weights == null ? null : List.copyOf(weights),
                new EnsembleView.Metrics(testAccuracy, memberAccuracies), now);
    }

    public Optional<EnsembleView> find(UUID tenantId, UUID id) {
        record Head(String name, Double testAccuracy, Instant createdAt) {
        }
        Optional<Head> head = jdbc
            .sql("SELECT name, test_accuracy, created_at FROM ensembles WHERE tenant_id = ? AND id = ?")
            .params(tenantId, id)
            .query((rs, row) -> new Head(rs.getString(1), rs.getObject(2, Double.class),
                    rs.getTimestamp(3).toInstant()))
            .optional();
        if (head.isEmpty()) {
            return Optional.empty();
        }
        List<UUID> models = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        jdbc.sql("SELECT model_id, weight, test_accuracy FROM ensemble_members WHERE ensemble_id = ? ORDER BY position")
            .param(id)
            .query(rs -> {
                models.add(rs.getObject(1, UUID.class));
                weights.add(rs.getObject(2, Double.class));
                accuracies.add(rs.getObject(3, Double.class));
            });
        Head h = head.get();
        boolean weighted = weights.stream().allMatch(w -> w != null) && !weights.isEmpty();
        boolean evaluated = h.testAccuracy() != null;
        return Optional.of(new EnsembleView(id, h.name(), models, weighted ? weights : null,
                new EnsembleView.Metrics(h.testAccuracy(), evaluated ? accuracies : null), h.createdAt()));
    }

    /**
     * The test accuracy of each of the tenant's ensembles among {@code ids} that has one,
     * in one query.
     */
    public Map<UUID, Double> testAccuracies(UUID tenantId, Collection<UUID> ids) {
        Map<UUID, Double> accuracies = new HashMap<>();
        if (ids.isEmpty()) {
            return accuracies;
        }
        jdbc.sql("SELECT id, test_accuracy FROM ensembles WHERE tenant_id = :tenant AND id IN (:ids) "
                + "AND test_accuracy IS NOT NULL")
            .param("tenant", tenantId)
            .param("ids", List.copyOf(ids))
            .query(rs -> {
                accuracies.put(rs.getObject(1, UUID.class), rs.getDouble(2));
            });
        return accuracies;
    }

    /** Names of up to three of the tenant's ensembles that list the model. */
    public List<String> ensemblesUsing(UUID tenantId, UUID modelId) {
        return jdbc
            .sql("SELECT DISTINCT e.id FROM ensembles e JOIN ensemble_members m ON m.ensemble_id = e.id "
                    + "WHERE e.tenant_id = ? AND m.model_id = ?")
            .params(tenantId, modelId)
            .query(UUID.class)
            .list()
            .stream()
            .limit(3)
            .map(UUID::toString)
            .toList();
    }

}
