package dev.trainyard.prediction.internal;

import dev.trainyard.model.ModelUsage;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** A model listed by an ensemble cannot be deleted. */
@Component
class EnsembleMembership implements ModelUsage {

    private final EnsembleStore store;

    EnsembleMembership(EnsembleStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> blockingUse(UUID tenantId, UUID modelId) {
        List<String> ensembles = store.ensemblesUsing(tenantId, modelId);
        return ensembles.isEmpty() ? Optional.empty()
                : Optional.of("ensemble " + String.join(", ", ensembles) + " uses it");
    }

}
