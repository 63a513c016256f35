package dev.trainyard.dataset;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestComponent;

/**
 * A stand-in for the training module: refuses deletion of the datasets it is told are in
 * use.
 */
@TestComponent
class BlockingUsage implements DatasetUsage {

    final Set<UUID> inUse = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<String> blockingUse(UUID datasetId) {
        return inUse.contains(datasetId) ? Optional.of("job 42 is RUNNING") : Optional.empty();
    }

}
