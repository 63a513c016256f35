package dev.trainyard.prediction.batch;

import java.util.UUID;

/** A batch this instance scores now: its attempt, and whether it was asked to stop. */
final class BatchRun {

    final UUID id;

    final int attempt;

    private volatile boolean shutdown;

    BatchRun(UUID id, int attempt) {
        this.id = id;
        this.attempt = attempt;
    }

    /** Asks the run to give the batch back at its next chunk. */
    void shutdown() {
        shutdown = true;
    }

    boolean shutdownRequested() {
        return shutdown;
    }

}
