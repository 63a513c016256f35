package dev.trainyard.prediction.registry;

import dev.trainyard.model.ModelUsage;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A model that a registered model's version serves cannot be deleted: clients call it by
 * name, and a version never changes what it points at.
 */
@Component
class RegisteredModelUsage implements ModelUsage {

    private final RegisteredModelStore store;

    RegisteredModelUsage(RegisteredModelStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> blockingUse(UUID tenantId, UUID modelId) {
        List<String> versions = store.versionsServing(tenantId, modelId);
        return versions.isEmpty() ? Optional.empty()
                : Optional.of("registered model " + String.join(", ", versions) + " serves it");
    }

}
