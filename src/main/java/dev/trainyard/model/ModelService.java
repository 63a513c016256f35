package dev.trainyard.model;

import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.model.internal.ModelStore;
import dev.trainyard.system.ApiException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The model module's API: register a model (training calls it when a job succeeds;
 * imports call it too), describe, list, read the file of and delete a tenant's models.
 * Every method takes the tenant explicitly, since it also runs on worker threads with no
 * request.
 */
@Service
public class ModelService {

    static final int MAX_PAGE_SIZE = 100;

    private final ModelStore store;

    private final List<ModelUsage> usages;

    private final ApplicationEventPublisher events;

    ModelService(ModelStore store, List<ModelUsage> usages, ApplicationEventPublisher events) {
        this.store = store;
        this.usages = usages;
        this.events = events;
    }

    /**
     * Stores the model's row and its file (in chunks of at most 8 MiB) in the caller's
     * transaction, or a new one when there is none, with the hash of the file's weights
     * in its provenance; returns the new model's id.
     */
    @Transactional
    public UUID register(NewModel model) {
        Provenance provenance = model.provenance();
        if (provenance == null) {
            return store.insert(model);
        }
        String weights = ModelFile.fromBytes(model.modelFile()).weightsSha256();
        return store.insert(model.withProvenance(provenance.withWeightsSha256(weights)));
    }

    @Transactional(readOnly = true)
    public Optional<ModelView> find(UUID tenantId, UUID id) {
        return store.find(tenantId, id);
    }

    /**
     * The test accuracy of each of the tenant's models among {@code ids} that was
     * measured on test data, read in one query; ids of other tenants are absent like
     * unknown ones.
     */
    @Transactional(readOnly = true)
    public Map<UUID, Double> testAccuracies(UUID tenantId, Collection<UUID> ids) {
        return store.testAccuracies(tenantId, ids);
    }

    /** The model's description, or a 404 problem (also for another tenant's model). */
    @Transactional(readOnly = true)
    public ModelView get(UUID tenantId, UUID id) {
        return find(tenantId, id).orElseThrow(() -> notFound(id));
    }

    /** The engine model file ({@code engine.io.ModelFile} bytes), or a 404 problem. */
    @Transactional(readOnly = true)
    public byte[] file(UUID tenantId, UUID id) {
        return store.file(tenantId, id).orElseThrow(() -> notFound(id));
    }

    /**
     * A page of the tenant's models, newest first, only those of {@code jobId} unless it
     * is null.
     */
    @Transactional(readOnly = true)
    public ModelPage list(UUID tenantId, UUID jobId, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid page",
                    "page must be 0 or more and size from 1 to " + MAX_PAGE_SIZE + ".")
                .with("page", page)
                .with("size", size);
        }
        long total = store.count(tenantId, jobId);
        List<ModelView> items = store.page(tenantId, jobId, page, size);
        return new ModelPage(items, page, size, total, (int) ((total + size - 1) / size));
    }

    /**
     * Those of {@code ids} that still exist, whatever their tenant: caches of loaded
     * models ask it to notice deletions made by other instances sharing the database.
     */
    @Transactional(readOnly = true)
    public Set<UUID> existing(Collection<UUID> ids) {
        return ids.isEmpty() ? Set.of() : store.existing(ids);
    }

    /**
     * Checks that the model exists (404 otherwise) and locks it against deletion until
     * the caller's transaction ends; call it in the transaction that records a new use (a
     * batch prediction), so that a deletion and a new use never interleave.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ModelView reserve(UUID tenantId, UUID id) {
        if (!store.lockForUse(tenantId, List.of(id)).contains(id)) {
            throw notFound(id);
        }
        return get(tenantId, id);
    }

    /**
     * Checks which of the tenant's models among {@code ids} exist and locks them against
     * deletion until the caller's transaction ends; returns those that exist. Call it in
     * the transaction that records a new use (an ensemble, a registered version), so that
     * a deletion and a new use never interleave: the deletion either waits and then finds
     * the use ({@link ModelUsage}, 409), or has committed and the model is absent.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Set<UUID> reserve(UUID tenantId, Collection<UUID> ids) {
        return ids.isEmpty() ? Set.of() : store.lockForUse(tenantId, ids);
    }

    /**
     * Deletes the model and its file; 404 if there is none, 409 while a
     * {@link ModelUsage} objects.
     */
    @Transactional
    public void delete(UUID tenantId, UUID id) {
        if (!store.lockForDeletion(tenantId, id)) {
            throw notFound(id);
        }
        for (ModelUsage usage : usages) {
            Optional<String> reason = usage.blockingUse(tenantId, id);
            if (reason.isPresent()) {
                throw new ApiException(HttpStatus.CONFLICT, "Model in use",
                        "Model " + id + " cannot be deleted: " + reason.get() + ".")
                    .with("modelId", id);
            }
        }
        store.delete(id);
        events.publishEvent(new ModelDeleted(tenantId, id));
    }

    public static ApiException notFound(UUID id) {
        return new ApiException(HttpStatus.NOT_FOUND, "Model not found", "There is no model " + id + ".")
            .with("modelId", id);
    }

}
