package dev.trainyard.dataset.internal;

import jakarta.persistence.EntityManager;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

/**
 * Every database access of the dataset module, in one place. Every dataset is looked up
 * within its tenant: another tenant's dataset is as absent as a missing one. Callers run
 * inside a transaction.
 */
@Component
public class DatasetStore {

    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

    private final DatasetRepository datasets;

    private final EntityManager entityManager;

    DatasetStore(DatasetRepository datasets, EntityManager entityManager) {
        this.datasets = datasets;
        this.entityManager = entityManager;
    }

    /**
     * Inserts the row of a dataset whose content is about to be written (see
     * {@link DatasetEntity#pending}).
     */
    public DatasetEntity insertPending(DatasetEntity dataset) {
        entityManager.persist(dataset);
        entityManager.flush();
        return dataset;
    }

    /**
     * Writes {@code length} bytes of {@code data} as one chunk, now, in the current
     * transaction, and detaches it: the persistence context keeps no chunk, and nothing
     * holds {@code data} when this returns.
     */
    void insertChunk(UUID datasetId, String kind, int seq, byte[] data, int length) {
        byte[] value = (length == data.length) ? data : Arrays.copyOf(data, length);
        DatasetChunk chunk = new DatasetChunk(datasetId, kind, seq, value);
        entityManager.persist(chunk);
        entityManager.flush();
        entityManager.detach(chunk);
    }

    public Optional<DatasetEntity> find(UUID tenantId, UUID id) {
        return datasets.findByIdAndTenantId(id, tenantId);
    }

    public boolean exists(UUID tenantId, UUID id) {
        return datasets.existsByIdAndTenantId(id, tenantId);
    }

    public Page<DatasetEntity> newestFirst(UUID tenantId, int page, int size) {
        return datasets.findByTenantId(tenantId, PageRequest.of(page, size, NEWEST_FIRST));
    }

    /** The bytes of content the tenant's datasets hold, for its quota. */
    public long storedBytes(UUID tenantId) {
        return datasets.storedBytes(tenantId);
    }

    /** The dataset, locked against concurrent use until the transaction ends. */
    public Optional<DatasetEntity> lockForDeletion(UUID tenantId, UUID id) {
        return datasets.lockForUpdate(tenantId, id);
    }

    /** The dataset, locked against deletion until the transaction ends. */
    public Optional<DatasetEntity> lockForUse(UUID tenantId, UUID id) {
        return datasets.lockForShare(tenantId, id);
    }

    public int chunkCount(UUID id, String kind) {
        return datasets.chunkCount(id, kind);
    }

    /**
     * The chunk's bytes, read with a query of its own: through a Spring Data method, an
     * {@code Optional<byte[]>} result is converted element by element, a thousand times
     * slower than the read.
     */
    public byte[] chunk(UUID id, String kind, int seq) {
        List<byte[]> data = entityManager
            .createQuery("select c.data from DatasetChunk c where c.key.datasetId = :id and c.key.kind = :kind "
                    + "and c.key.seq = :seq", byte[].class)
            .setParameter("id", id)
            .setParameter("kind", kind)
            .setParameter("seq", seq)
            .getResultList();
        if (data.isEmpty()) {
            throw new IllegalStateException("dataset " + id + " lacks " + kind + " chunk " + seq);
        }
        return data.getFirst();
    }

    /**
     * The size of the chunks of {@code kind} the dataset was written with: every chunk
     * but the last holds exactly that many bytes (see {@link ChunkWriter}), whatever the
     * chunk size configured now. Empty when there is no chunk.
     */
    public Optional<Integer> chunkSize(UUID id, String kind) {
        return datasets.chunkLength(id, kind, 0);
    }

    public void delete(DatasetEntity dataset) {
        datasets.deleteChunks(dataset.id());
        datasets.delete(dataset);
        entityManager.flush();
    }

}
