package dev.trainyard.dataset;

import dev.trainyard.dataset.internal.DatasetClass;
import dev.trainyard.dataset.internal.DatasetEntity;
import dev.trainyard.dataset.internal.DatasetImporter;
import dev.trainyard.dataset.internal.DatasetLoader;
import dev.trainyard.dataset.internal.DatasetStore;
import dev.trainyard.dataset.internal.ExampleReader;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.system.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dataset module's API: upload, list, describe, load, reserve and delete datasets.
 * Every method works within one tenant (the caller's: {@code CurrentTenant.id()} in a
 * request, the tenant stored with a job in a worker); another tenant's dataset answers
 * 404 like a missing one.
 */
@Service
public class DatasetService {

    static final int MAX_PAGE_SIZE = 100;

    static final int MAX_EXAMPLES = 100;

    private final DatasetImporter importer;

    private final DatasetLoader loader;

    private final DatasetStore store;

    private final ExampleReader examples;

    private final List<DatasetUsage> usages;

    DatasetService(DatasetImporter importer, DatasetLoader loader, DatasetStore store, ExampleReader examples,
            List<DatasetUsage> usages) {
        this.importer = importer;
        this.loader = loader;
        this.store = store;
        this.examples = examples;
        this.usages = usages;
    }

    /** Parses and stores an upload in one transaction. */
    @Transactional
    public DatasetView upload(UUID tenantId, DatasetUpload upload) {
        DatasetEntity dataset = importer.importDataset(tenantId, upload);
        return view(dataset);
    }

    @Transactional(readOnly = true)
    public DatasetPage list(UUID tenantId, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid page",
                    "page must be 0 or more and size from 1 to " + MAX_PAGE_SIZE + ".")
                .with("page", page)
                .with("size", size);
        }
        Page<DatasetEntity> result = store.newestFirst(tenantId, page, size);
        return new DatasetPage(result.getContent().stream().map(DatasetService::view).toList(), page, size,
                result.getTotalElements(), result.getTotalPages());
    }

    @Transactional(readOnly = true)
    public Optional<DatasetView> find(UUID tenantId, UUID id) {
        return store.find(tenantId, id).map(DatasetService::view);
    }

    /** The dataset's description, or a 404 problem. */
    @Transactional(readOnly = true)
    public DatasetView get(UUID tenantId, UUID id) {
        return find(tenantId, id).orElseThrow(() -> notFound(id));
    }

    @Transactional(readOnly = true)
    public boolean exists(UUID tenantId, UUID id) {
        return store.exists(tenantId, id);
    }

    /**
     * The dataset in memory: features (N, ...featureShape) as raw float32 values (bytes
     * become 0..255), labels as indices into {@link DatasetView#classes()}. 404 if there
     * is none.
     */
    @Transactional(readOnly = true)
    public Dataset load(UUID tenantId, UUID id) {
        DatasetEntity dataset = store.find(tenantId, id).orElseThrow(() -> notFound(id));
        return whileStored(tenantId, id, () -> loader.load(dataset));
    }

    /**
     * The dataset's examples for reading a run at a time ({@link DatasetRows}), without
     * loading it whole; 404 if there is none. The reads run later, each in a transaction
     * of its own, so a dataset deleted meanwhile fails them: guard it with a
     * {@link DatasetUsage}.
     */
    @Transactional(readOnly = true)
    public DatasetRows rows(UUID tenantId, UUID id) {
        return examples.rows(store.find(tenantId, id).orElseThrow(() -> notFound(id)));
    }

    /**
     * Up to {@code limit} examples from {@code offset} (none when it is past the end),
     * with raw feature values and class names; reads only the chunks that hold them. 404
     * if there is no such dataset, 400 for a negative offset or a limit outside 1 to
     * {@value #MAX_EXAMPLES}.
     */
    @Transactional(readOnly = true)
    public DatasetExamples examples(UUID tenantId, UUID id, int offset, int limit) {
        if (offset < 0) {
            throw invalidParameter("offset", offset, "offset must be 0 or more.");
        }
        if (limit < 1 || limit > MAX_EXAMPLES) {
            throw invalidParameter("limit", limit, "limit must be from 1 to " + MAX_EXAMPLES + ".");
        }
        DatasetEntity dataset = store.find(tenantId, id).orElseThrow(() -> notFound(id));
        int from = Math.min(offset, dataset.examples());
        int count = Math.min(limit, dataset.examples() - from);
        ExampleReader.Rows rows = whileStored(tenantId, id, () -> examples.read(dataset, from, count));
        List<String> classes = dataset.classes().stream().map(DatasetClass::name).toList();
        List<DatasetExamples.Example> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int label = rows.labels()[i];
            items.add(new DatasetExamples.Example(from + i,
                    label >= 0 && label < classes.size() ? classes.get(label) : null,
                    values(rows.features()[i], rows.wholeNumbers())));
        }
        return new DatasetExamples(id, offset, limit, dataset.examples(),
                Arrays.stream(dataset.featureShape()).boxed().toList(), classes, items);
    }

    /**
     * Runs a read of the dataset's content. Its chunks are read one statement at a time,
     * so a deletion that commits meanwhile makes them vanish halfway: that answers 404,
     * as the dataset would a moment later. Content missing from a dataset that still
     * exists stays the fault it is.
     */
    private <T> T whileStored(UUID tenantId, UUID id, Supplier<T> read) {
        try {
            return read.get();
        }
        catch (IllegalStateException missing) {
            if (!store.exists(tenantId, id)) {
                throw notFound(id);
            }
            throw missing;
        }
    }

    /**
     * Whole numbers (uint8 storage) as integers, so that JSON carries {@code 255}, not
     * {@code 255.0}.
     */
    private static List<Number> values(float[] features, boolean wholeNumbers) {
        Number[] values = new Number[features.length];
        for (int j = 0; j < features.length; j++) {
            values[j] = wholeNumbers ? (Number) (int) features[j] : (Number) features[j];
        }
        return Arrays.asList(values);
    }

    /**
     * Checks that the dataset exists (404 otherwise) and locks it against deletion until
     * the caller's transaction ends; call it in the transaction that records a new use (a
     * job).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public DatasetView reserve(UUID tenantId, UUID id) {
        return view(store.lockForUse(tenantId, id).orElseThrow(() -> notFound(id)));
    }

    /**
     * Deletes the dataset and its content; 404 if there is none, 409 while a
     * {@link DatasetUsage} objects.
     */
    @Transactional
    public void delete(UUID tenantId, UUID id) {
        DatasetEntity dataset = store.lockForDeletion(tenantId, id).orElseThrow(() -> notFound(id));
        for (DatasetUsage usage : usages) {
            Optional<String> reason = usage.blockingUse(id);
            if (reason.isPresent()) {
                throw new ApiException(HttpStatus.CONFLICT, "Dataset in use",
                        "Dataset " + id + " cannot be deleted: " + reason.get() + ".")
                    .with("datasetId", id);
            }
        }
        store.delete(dataset);
    }

    private static ApiException invalidParameter(String name, int value, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid " + name, detail).with("parameter", name)
            .with(name, value);
    }

    private static ApiException notFound(UUID id) {
        return new ApiException(HttpStatus.NOT_FOUND, "Dataset not found", "There is no dataset " + id + ".")
            .with("datasetId", id);
    }

    private static DatasetView view(DatasetEntity d) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<DatasetClass> classes = d.classes();
        for (DatasetClass c : classes) {
            counts.put(c.name(), c.exampleCount());
        }
        return new DatasetView(d.id(), d.name(), d.format().id(), d.examples(),
                Arrays.stream(d.featureShape()).boxed().toList(), classes.stream().map(DatasetClass::name).toList(),
                counts, d.sha256(), d.sizeBytes(), d.createdAt());
    }

}
