package dev.trainyard.dataset;

import java.util.UUID;

/** Published inside the transaction that stored a new dataset. */
public record DatasetUploaded(UUID datasetId, UUID tenantId, String name, String format, int examples, int classes) {
}
