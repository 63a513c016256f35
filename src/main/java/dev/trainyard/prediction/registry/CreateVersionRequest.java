package dev.trainyard.prediction.registry;

import java.util.UUID;

/**
 * A new version points at exactly one of the tenant's models or ensembles.
 */
public record CreateVersionRequest(UUID modelId, UUID ensembleId) {
}
