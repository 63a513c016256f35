package dev.trainyard.model;

import java.util.Optional;
import java.util.UUID;

/**
 * Implemented (as a bean) by modules that depend on a model, such as ensembles: the
 * registry asks every implementation before deleting a model and answers 409 if one
 * objects. The dependency points from that module to this one, so there is no cycle.
 */
public interface ModelUsage {

    /**
     * Why the model must not be deleted now, for the 409 detail, or empty if this module
     * does not mind.
     */
    Optional<String> blockingUse(UUID tenantId, UUID modelId);

}
