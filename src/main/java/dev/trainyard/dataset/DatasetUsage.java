package dev.trainyard.dataset;

import java.util.Optional;
import java.util.UUID;

/**
 * Implemented (as a bean) by modules whose work depends on a dataset, such as training
 * jobs: the dataset module asks every implementation before deleting a dataset and
 * answers 409 if one objects. The dependency points from that module to this one, so
 * there is no cycle.
 *
 * <p>
 * Deletion locks the dataset's row first ({@code SELECT ... FOR UPDATE}); a module that
 * starts using a dataset calls {@link DatasetService#reserve} in the same transaction, so
 * a deletion and a new use never interleave.
 */
public interface DatasetUsage {

    /**
     * Why the dataset must not be deleted now, for the 409 detail (e.g. "job 3f2a... is
     * RUNNING"), or empty if this module does not mind.
     */
    Optional<String> blockingUse(UUID datasetId);

}
