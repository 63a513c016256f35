package dev.trainyard.dataset;

import java.util.UUID;

/** Published inside the transaction that deleted a dataset. */
public record DatasetDeleted(UUID datasetId, UUID tenantId) {
}
