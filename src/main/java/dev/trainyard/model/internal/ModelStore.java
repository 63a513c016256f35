package dev.trainyard.model.internal;

import dev.trainyard.model.LayerInfo;
import dev.trainyard.model.ModelMetrics;
import dev.trainyard.model.ModelView;
import dev.trainyard.model.NewModel;
import dev.trainyard.model.PreprocessingInfo;
import dev.trainyard.model.Provenance;
import java.io.ByteArrayOutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every database access of the model module, with plain SQL: the descriptive parts are
 * JSON text, the file is split into chunks. Callers run inside a transaction.
 */
@Component
public class ModelStore {

    /** Largest chunk of a model file in one row. */
    public static final int CHUNK_BYTES = 8 << 20;

    /** Ids per existence query, well below any driver's limit on bind parameters. */
    private static final int EXISTENCE_CHUNK = 1000;

    private static final String COLUMNS = "id, job_id, member, seed, architecture, parameter_count, classes, "
            + "feature_shape, preprocessing, metrics, provenance, size_bytes, created_at";

    private static final TypeReference<List<LayerInfo>> LAYERS = new TypeReference<>() {
    };

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;

    private final JsonMapper json;

    ModelStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public UUID insert(NewModel m) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("INSERT INTO models (id, tenant_id, job_id, member, seed, architecture, parameter_count, classes, "
                + "feature_shape, preprocessing, metrics, provenance, size_bytes, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(id, m.tenantId(), m.jobId(), m.member(), m.seed(), json.writeValueAsString(m.architecture()),
                    m.parameterCount(), json.writeValueAsString(m.classes()), shape(m.featureShape()),
                    json.writeValueAsString(m.preprocessing()), json.writeValueAsString(m.metrics()),
                    m.provenance() == null ? null : json.writeValueAsString(m.provenance()),
                    (long) m.modelFile().length, Timestamp.from(now))
            .update();
        byte[] file = m.modelFile();
        for (int seq = 0, from = 0; from < file.length || seq == 0; seq++, from += CHUNK_BYTES) {
            byte[] chunk = Arrays.copyOfRange(file, from, Math.min(file.length, from + CHUNK_BYTES));
            jdbc.sql("INSERT INTO model_chunks (model_id, seq, data) VALUES (?, ?, ?)").params(id, seq, chunk).update();
        }
        return id;
    }

    public Optional<ModelView> find(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE tenant_id = ? AND id = ?")
            .params(tenantId, id)
            .query(this::view)
            .optional();
    }

    /**
     * The test accuracy of each of the tenant's models among {@code ids} that has one, in
     * one query.
     */
    public Map<UUID, Double> testAccuracies(UUID tenantId, Collection<UUID> ids) {
        Map<UUID, Double> accuracies = new HashMap<>();
        if (ids.isEmpty()) {
            return accuracies;
        }
        jdbc.sql("SELECT id, metrics FROM models WHERE tenant_id = :tenant AND id IN (:ids)")
            .param("tenant", tenantId)
            .param("ids", List.copyOf(ids))
            .query(rs -> {
                Double accuracy = json.readValue(rs.getString(2), ModelMetrics.class).testAccuracy();
                if (accuracy != null) {
                    accuracies.put(rs.getObject(1, UUID.class), accuracy);
                }
            });
        return accuracies;
    }

    /**
     * The model's file, read in one statement, so that a deletion committing meanwhile
     * gives all of it or nothing (every model has at least one chunk).
     */
    public Optional<byte[]> file(UUID tenantId, UUID id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] chunks = { 0 };
        jdbc.sql("SELECT c.data FROM model_chunks c JOIN models m ON m.id = c.model_id "
                + "WHERE m.tenant_id = ? AND c.model_id = ? ORDER BY c.seq")
            .params(tenantId, id)
            .query((ResultSet rs) -> {
                out.writeBytes(rs.getBytes(1));
                chunks[0]++;
            });
        return chunks[0] == 0 ? Optional.empty() : Optional.of(out.toByteArray());
    }

    public boolean exists(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM models WHERE tenant_id = ? AND id = ?")
            .params(tenantId, id)
            .query(Long.class)
            .single() > 0;
    }

    public long count(UUID tenantId, UUID jobId) {
        return (jobId == null ? jdbc.sql("SELECT COUNT(*) FROM models WHERE tenant_id = ?").param(tenantId)
                : jdbc.sql("SELECT COUNT(*) FROM models WHERE tenant_id = ? AND job_id = ?").params(tenantId, jobId))
            .query(Long.class)
            .single();
    }

    public List<ModelView> page(UUID tenantId, UUID jobId, int page, int size) {
        String order = " ORDER BY created_at DESC, member, id LIMIT ? OFFSET ?";
        long offset = (long) page * size;
        return (jobId == null
                ? jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE tenant_id = ?" + order)
                    .params(tenantId, size, offset)
                : jdbc.sql("SELECT " + COLUMNS + " FROM models WHERE tenant_id = ? AND job_id = ?" + order)
                    .params(tenantId, jobId, size, offset))
            .query(this::view)
            .list();
    }

    /**
     * Locks the model's row until the transaction ends; false if the tenant has no such
     * model.
     */
    public boolean lockForDeletion(UUID tenantId, UUID id) {
        return !jdbc.sql("SELECT id FROM models WHERE tenant_id = ? AND id = ? FOR UPDATE")
            .params(tenantId, id)
            .query(UUID.class)
            .list()
            .isEmpty();
    }

    /**
     * Locks the tenant's models among {@code ids} until the transaction ends, so that
     * none of them is deleted meanwhile; returns those found. Rows are locked in id
     * order, so two transactions reserving overlapping models do not deadlock.
     */
    public Set<UUID> lockForUse(UUID tenantId, Collection<UUID> ids) {
        return new HashSet<>(
                jdbc.sql("SELECT id FROM models WHERE tenant_id = :tenant AND id IN (:ids) ORDER BY id FOR UPDATE")
                    .param("tenant", tenantId)
                    .param("ids", List.copyOf(ids))
                    .query(UUID.class)
                    .list());
    }

    /**
     * Those of {@code ids} that are stored, whatever their tenant; one query per 1,000
     * ids.
     */
    public Set<UUID> existing(Collection<UUID> ids) {
        Set<UUID> found = new HashSet<>();
        List<UUID> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += EXISTENCE_CHUNK) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + EXISTENCE_CHUNK));
            found.addAll(
                    jdbc.sql("SELECT id FROM models WHERE id IN (:ids)").param("ids", chunk).query(UUID.class).list());
        }
        return found;
    }

    public void delete(UUID id) {
        jdbc.sql("DELETE FROM model_chunks WHERE model_id = ?").param(id).update();
        jdbc.sql("DELETE FROM models WHERE id = ?").param(id).update();
    }

    private ModelView view(ResultSet rs, int row) throws SQLException {
        String provenance = rs.getString("provenance");
        return new ModelView(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class), rs.getInt("member"),
                rs.getLong("seed"), json.readValue(rs.getString("architecture"), LAYERS), rs.getLong("parameter_count"),
                json.readValue(rs.getString("classes"), STRINGS), shape(rs.getString("feature_shape")),
                json.readValue(rs.getString("preprocessing"), PreprocessingInfo.class),
                json.readValue(rs.getString("metrics"), ModelMetrics.class),
                provenance == null ? null : json.readValue(provenance, Provenance.class), rs.getLong("size_bytes"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static String shape(List<Integer> dims) {
        return String.join(",", dims.stream().map(String::valueOf).toList());
    }

    private static List<Integer> shape(String dims) {
        return Arrays.stream(dims.split(",")).map(Integer::valueOf).toList();
    }

}
