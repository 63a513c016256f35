package dev.trainyard.model;

import java.util.UUID;

/** A model and its file were deleted (published inside the deleting transaction). */
public record ModelDeleted(UUID tenantId, UUID modelId) {
}
