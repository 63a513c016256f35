package dev.trainyard.prediction.registry;

import java.util.UUID;

/**
 * What a registered model's name with an alias or version number resolves to: one
 * version, served by its model or its ensemble (exactly one is set).
 */
public record ServingTarget(String name, int version, UUID modelId, UUID ensembleId) {

    public boolean isEnsemble() {
        return ensembleId != null;
    }

}
