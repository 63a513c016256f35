package dev.trainyard.prediction.batch;

import dev.trainyard.dataset.DatasetUsage;
import dev.trainyard.model.ModelUsage;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The model and the dataset of a queued or running batch prediction cannot be deleted. A
 * batch records its use in the transaction that locks both ({@code ModelService} and
 * {@code DatasetService} {@code reserve}), so a deletion and a submission never
 * interleave; once the batch has finished, its results no longer need either.
 */
@Component
class BatchUsage implements DatasetUsage, ModelUsage {

    private final BatchStore store;

    BatchUsage(BatchStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> blockingUse(UUID datasetId) {
        return describe(store.unfinishedUsingDataset(datasetId));
    }

    @Override
    public Optional<String> blockingUse(UUID tenantId, UUID modelId) {
        return describe(store.unfinishedUsingModel(modelId));
    }

    private static Optional<String> describe(List<UUID> batches) {
        if (batches.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("batch prediction " + batches.getFirst() + (batches.size() > 1
                ? " and " + (batches.size() - 1) + " more are queued or running" : " is queued or running"));
    }

}
