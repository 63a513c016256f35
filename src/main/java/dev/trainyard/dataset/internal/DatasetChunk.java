package dev.trainyard.dataset.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Up to 8 MiB of a dataset's features or labels. {@code bytea} on PostgreSQL and binary
 * varying on H2 (declared {@code BYTEA} in the migration for both), never a LOB, so the
 * same mapping validates on both. Immutable, so Hibernate keeps no 8 MiB snapshot for
 * dirty checking; {@link DatasetStore#insertChunk} detaches each chunk once written, so
 * the persistence context holds none of them either.
 */
@Entity
@Immutable
@Table(name = "dataset_chunks")
class DatasetChunk {

    static final String FEATURES = "features";
    static final String LABELS = "labels";

    @EmbeddedId
    private Key key;

    @JdbcTypeCode(SqlTypes.VARBINARY)
    @Column(name = "data", nullable = false)
    private byte[] data;

    protected DatasetChunk() {
    }

    DatasetChunk(UUID datasetId, String kind, int seq, byte[] data) {
        this.key = new Key(datasetId, kind, seq);
        this.data = data;
    }

    @Embeddable
    public record Key(@Column(name = "dataset_id") UUID datasetId, String kind, int seq) implements Serializable {
    }

}
