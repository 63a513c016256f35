package dev.trainyard.training.internal;

import dev.trainyard.model.ModelService;
import dev.trainyard.prediction.EnsembleService;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Hands a finished member's model to the model registry and the models of a finished
 * ensemble job to the ensembles, in the caller's transaction.
 */
@Component
class ModelPublisher {

    private final ModelService registry;

    private final EnsembleService ensembles;

    ModelPublisher(ModelService registry, EnsembleService ensembles) {
        this.registry = registry;
        this.ensembles = ensembles;
    }

    UUID register(JobRow job, TrainedModel trained, byte[] modelFile) {
        return registry.register(trained.toNewModel(job.tenantId(), modelFile));
    }

    /**
     * An ensemble of the members' models with equal weights, evaluated on the job's test
     * data if any.
     */
    UUID createEnsemble(JobRow job, List<UUID> modelIds) {
        return ensembles.create(job.tenantId(), job.name(), modelIds, null, job.testDatasetId());
    }

}
