package dev.trainyard.experiment.internal;

import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Appends the events {@code GET /api/v1/experiments/{id}/events} streams, in the caller's
 * transaction: {@code status} (the experiment's new state), {@code trial} (a trial's new
 * state, as in the experiment view) and {@code completed} (the finished experiment).
 */
@Component
public class ExperimentEvents {

    private final ExperimentStore store;

    private final ExperimentJson json;

    private final ExperimentViews views;

    ExperimentEvents(ExperimentStore store, ExperimentJson json, ExperimentViews views) {
        this.store = store;
        this.json = json;
        this.views = views;
    }

    public void status(UUID experimentId, JobStatus status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("experimentId", experimentId);
        data.put("status", status);
        store.appendEvent(experimentId, "status", json.write(data), Instant.now());
    }

    void trial(UUID experimentId, boolean halving, TrialRow trial, List<RunRow> runs) {
        store.appendEvent(experimentId, "trial", json.write(views.trial(halving, trial, runs)), Instant.now());
    }

    void completed(UUID experimentId) {
        store.appendEvent(experimentId, "completed", json.write(views.view(experimentId)), Instant.now());
    }

}
