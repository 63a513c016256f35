package dev.trainyard.prediction.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * One version of a registered model: exactly one of {@code modelId} and
 * {@code ensembleId}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisteredModelVersion(String name, int version, UUID modelId, UUID ensembleId, Instant createdAt) {
}
