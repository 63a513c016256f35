package dev.trainyard.training.internal;

import dev.trainyard.model.ModelService;
import dev.trainyard.prediction.EnsembleService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Keeps a finished member's model with the member, and hands the models of a succeeded
 * job to the model registry (and, for several members, to the ensembles), all in the
 * caller's transaction. Nothing of a job is published before it succeeds, so a job that
 * is cancelled or fails leaves no model behind, whichever of its members had finished.
 */
@Component
class ModelPublisher {

    static final String MODEL = "model";

    static final String DESCRIPTION = "model-info";

    private final JobStore store;

    private final SpecJson json;

    private final ModelService registry;

    private final EnsembleService ensembles;

    ModelPublisher(JobStore store, SpecJson json, ModelService registry, EnsembleService ensembles) {
        this.store = store;
        this.json = json;
        this.registry = registry;
        this.ensembles = ensembles;
    }

    /** Stores the member's model file and description until its job succeeds. */
    void keep(JobRow job, int member, byte[] modelFile, MemberModel description) {
        store.writeBlob(job.id(), member, MODEL, modelFile);
        store.writeBlob(job.id(), member, DESCRIPTION, json.write(description).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Registers the kept model of every member, in member order, records each on its
     * member and returns their ids.
     */
    List<UUID> publish(JobRow job, List<MemberRow> members) {
        List<UUID> ids = new ArrayList<>(members.size());
        for (MemberRow m : members) {
            byte[] file = store.readBlob(job.id(), m.member(), MODEL).orElseThrow(() -> missing(job, m, MODEL));
            MemberModel description = json.read(new String(
                    store.readBlob(job.id(), m.member(), DESCRIPTION).orElseThrow(() -> missing(job, m, DESCRIPTION)),
                    StandardCharsets.UTF_8), MemberModel.class);
            UUID id = registry.register(description.toNewModel(job.tenantId(), job.id(), m.member(), file));
            store.setMemberModel(job.id(), m.member(), id);
            ids.add(id);
        }
        return ids;
    }

    /**
     * An ensemble of the members' models with equal weights, evaluated on the job's test
     * data if any.
     */
    UUID createEnsemble(JobRow job, List<UUID> modelIds) {
        return ensembles.create(job.tenantId(), job.name(), modelIds, null, job.testDatasetId());
    }

    private static IllegalStateException missing(JobRow job, MemberRow member, String kind) {
        return new IllegalStateException(
                "job " + job.id() + " member " + member.member() + " succeeded without its " + kind + " blob");
    }

}
