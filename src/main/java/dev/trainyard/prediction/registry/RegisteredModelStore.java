package dev.trainyard.prediction.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every database access for registered models, with plain SQL. Callers run inside a
 * transaction.
 */
@Component
class RegisteredModelStore {

    /** A registered model's row. */
    record Head(UUID id, String name, String description, int latestVersion, Instant createdAt) {
    }

    private static final String VERSION_COLUMNS = "v.version, v.model_id, v.ensemble_id, v.created_at";

    private final JdbcClient jdbc;

    RegisteredModelStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts a registered model without versions; a name taken in the tenant fails on
     * the unique constraint.
     */
    Head insert(UUID tenantId, String name, String description) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("INSERT INTO registered_models (id, tenant_id, name, description, latest_version, created_at) "
                + "VALUES (?, ?, ?, ?, 0, ?)")
            .params(id, tenantId, name, description, Timestamp.from(now))
            .update();
        return new Head(id, name, description, 0, now);
    }

    Optional<Head> find(UUID tenantId, String name) {
        return jdbc
            .sql("SELECT id, name, description, latest_version, created_at FROM registered_models "
                    + "WHERE tenant_id = ? AND name = ?")
            .params(tenantId, name)
            .query(RegisteredModelStore::head)
            .optional();
    }

    /**
     * The registered model, its row locked until the transaction ends: changes to one
     * registered model's versions and aliases run one at a time on every instance.
     */
    Optional<Head> lock(UUID tenantId, String name) {
        return jdbc
            .sql("SELECT id, name, description, latest_version, created_at FROM registered_models "
                    + "WHERE tenant_id = ? AND name = ? FOR UPDATE")
            .params(tenantId, name)
            .query(RegisteredModelStore::head)
            .optional();
    }

    long count(UUID tenantId) {
        return jdbc.sql("SELECT COUNT(*) FROM registered_models WHERE tenant_id = ?")
            .param(tenantId)
            .query(Long.class)
            .single();
    }

    List<Head> page(UUID tenantId, int page, int size) {
        return jdbc
            .sql("SELECT id, name, description, latest_version, created_at FROM registered_models "
                    + "WHERE tenant_id = ? ORDER BY name LIMIT ? OFFSET ?")
            .params(tenantId, size, (long) page * size)
            .query(RegisteredModelStore::head)
            .list();
    }

    /**
     * Hands out the next version number of a registered model locked by {@link #lock};
     * rolled back with the transaction, so numbers have no gaps.
     */
    int nextVersion(UUID registeredModelId) {
        jdbc.sql("UPDATE registered_models SET latest_version = latest_version + 1 WHERE id = ?")
            .param(registeredModelId)
            .update();
        return jdbc.sql("SELECT latest_version FROM registered_models WHERE id = ?")
            .param(registeredModelId)
            .query(Integer.class)
            .single();
    }

    RegisteredModelVersion insertVersion(Head head, int version, UUID modelId, UUID ensembleId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("INSERT INTO registered_model_versions (registered_model_id, version, model_id, ensemble_id, "
                + "created_at) VALUES (?, ?, ?, ?, ?)")
            .params(head.id(), version, modelId, ensembleId, Timestamp.from(now))
            .update();
        return new RegisteredModelVersion(head.name(), version, modelId, ensembleId, now);
    }

    List<RegisteredModelVersion> versions(Head head) {
        return jdbc
            .sql("SELECT " + VERSION_COLUMNS + " FROM registered_model_versions v WHERE v.registered_model_id = ? "
                    + "ORDER BY v.version")
            .param(head.id())
            .query((rs, row) -> version(head.name(), rs))
            .list();
    }

    Optional<RegisteredModelVersion> version(Head head, int version) {
        return jdbc
            .sql("SELECT " + VERSION_COLUMNS + " FROM registered_model_versions v "
                    + "WHERE v.registered_model_id = ? AND v.version = ?")
            .params(head.id(), version)
            .query((rs, row) -> version(head.name(), rs))
            .optional();
    }

    /** Alias to version, by alias. */
    Map<String, Integer> aliases(Head head) {
        Map<String, Integer> aliases = new LinkedHashMap<>();
        jdbc.sql("SELECT alias, version FROM registered_model_aliases WHERE registered_model_id = ? ORDER BY alias")
            .param(head.id())
            .query(rs -> {
                aliases.put(rs.getString(1), rs.getInt(2));
            });
        return aliases;
    }

    /**
     * Points the alias at the version in one statement: readers see the old or the new.
     */
    void setAlias(Head head, String alias, int version) {
        int updated = jdbc
            .sql("UPDATE registered_model_aliases SET version = ? WHERE registered_model_id = ? AND alias = ?")
            .params(version, head.id(), alias)
            .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO registered_model_aliases (registered_model_id, alias, version) VALUES (?, ?, ?)")
                .params(head.id(), alias, version)
                .update();
        }
    }

    boolean deleteAlias(Head head, String alias) {
        return jdbc.sql("DELETE FROM registered_model_aliases WHERE registered_model_id = ? AND alias = ?")
            .params(head.id(), alias)
            .update() > 0;
    }

    /** The version the alias names, in one query. */
    Optional<ServingTarget> byAlias(UUID tenantId, String name, String alias) {
        return jdbc
            .sql("SELECT " + VERSION_COLUMNS + " FROM registered_models r "
                    + "JOIN registered_model_aliases a ON a.registered_model_id = r.id "
                    + "JOIN registered_model_versions v ON v.registered_model_id = r.id AND v.version = a.version "
                    + "WHERE r.tenant_id = ? AND r.name = ? AND a.alias = ?")
            .params(tenantId, name, alias)
            .query((rs, row) -> target(name, rs))
            .optional();
    }

    Optional<ServingTarget> byVersion(UUID tenantId, String name, int version) {
        return jdbc
            .sql("SELECT " + VERSION_COLUMNS + " FROM registered_models r "
                    + "JOIN registered_model_versions v ON v.registered_model_id = r.id "
                    + "WHERE r.tenant_id = ? AND r.name = ? AND v.version = ?")
            .params(tenantId, name, version)
            .query((rs, row) -> target(name, rs))
            .optional();
    }

    Optional<ServingTarget> latest(UUID tenantId, String name) {
        return jdbc
            .sql("SELECT " + VERSION_COLUMNS + " FROM registered_models r "
                    + "JOIN registered_model_versions v ON v.registered_model_id = r.id "
                    + "AND v.version = r.latest_version WHERE r.tenant_id = ? AND r.name = ?")
            .params(tenantId, name)
            .query((rs, row) -> target(name, rs))
            .optional();
    }

    /**
     * {@code name version n} for up to three versions of the tenant's that serve the
     * model.
     */
    List<String> versionsServing(UUID tenantId, UUID modelId) {
        return jdbc
            .sql("SELECT r.name, v.version FROM registered_models r "
                    + "JOIN registered_model_versions v ON v.registered_model_id = r.id "
                    + "WHERE r.tenant_id = ? AND v.model_id = ? ORDER BY r.name, v.version")
            .params(tenantId, modelId)
            .query((rs, row) -> rs.getString(1) + " version " + rs.getInt(2))
            .list()
            .stream()
            .limit(3)
            .toList();
    }

    private static Head head(ResultSet rs, int row) throws SQLException {
        return new Head(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
                rs.getTimestamp(5).toInstant());
    }

    private static RegisteredModelVersion version(String name, ResultSet rs) throws SQLException {
        return new RegisteredModelVersion(name, rs.getInt(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getTimestamp(4).toInstant());
    }

    private static ServingTarget target(String name, ResultSet rs) throws SQLException {
        return new ServingTarget(name, rs.getInt(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class));
    }

}
