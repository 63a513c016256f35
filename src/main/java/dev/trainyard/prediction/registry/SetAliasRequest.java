package dev.trainyard.prediction.registry;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * @param version an existing version of the registered model
 */
public record SetAliasRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2") Integer version) {
}
