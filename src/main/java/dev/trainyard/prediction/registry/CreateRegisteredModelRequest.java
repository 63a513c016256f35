package dev.trainyard.prediction.registry;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * @param name 1 to 100 letters, digits, '.', '_' or '-', unique in the tenant
 * @param description free text, at most 2000 characters
 */
public record CreateRegisteredModelRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = RegistryNames.NAME_PATTERN,
                maxLength = RegistryNames.MAX_LENGTH, example = "fashion-classifier") String name,
        String description) {
}
