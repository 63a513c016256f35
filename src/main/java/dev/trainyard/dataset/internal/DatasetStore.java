package dev.trainyard.dataset.internal;

import jakarta.persistence.EntityManager;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

/**
 * Every database access of the dataset module, in one place (so scoping by tenant later
 * touches this class only). Callers run inside a transaction.
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
     * Writes one chunk now and lets go of it, so an upload holds one chunk in memory at a
     * time.
     */
    void insertChunk(DatasetChunk chunk) {
        entityManager.persist(chunk);
        entityManager.flush();
        entityManager.detach(chunk);
    }

    public Optional<DatasetEntity> find(UUID id) {
        return datasets.findById(id);
    }

    public boolean exists(UUID id) {
        return datasets.existsById(id);
    }

    public Page<DatasetEntity> newestFirst(int page, int size) {
        return datasets.findAllBy(PageRequest.of(page, size, NEWEST_FIRST));
    }

    /** The dataset, locked against concurrent use until the transaction ends. */
    public Optional<DatasetEntity> lockForDeletion(UUID id) {
        return datasets.lockForUpdate(id);
    }

    /** The dataset, locked against deletion until the transaction ends. */
    public Optional<DatasetEntity> lockForUse(UUID id) {
        return datasets.lockForShare(id);
    }

    public int chunkCount(UUID id, String kind) {
        return datasets.chunkCount(id, kind);
    }

    public byte[] chunk(UUID id, String kind, int seq) {
        return datasets.chunk(id, kind, seq)
            .orElseThrow(() -> new IllegalStateException("dataset " + id + " lacks " + kind + " chunk " + seq));
    }

    public void delete(DatasetEntity dataset) {
        datasets.deleteChunks(dataset.id());
        datasets.delete(dataset);
        entityManager.flush();
    }

}
