package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.TrialMetrics;
import dev.trainyard.experiment.TrialStatus;
import java.util.UUID;

/**
 * A trial as stored: its parameter values and spec (JSON), state, rung, error and the
 * metrics of its latest rung.
 */
public record TrialRow(UUID experimentId, int trial, String parameters, String spec, TrialStatus status, int rung,
        String error, TrialMetrics metrics) {

    public TrialRow with(TrialStatus newStatus, int newRung, String newError, TrialMetrics newMetrics) {
        return new TrialRow(experimentId, trial, parameters, spec, newStatus, newRung, newError, newMetrics);
    }

}
