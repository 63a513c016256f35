package dev.trainyard.prediction.batch;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The batches scored on this instance. Stopping (shutdown, or a paused test context)
 * makes them give their batch back at the next chunk, for another instance to resume, and
 * waits for them to let go; new ones are then given back at once. It stops after the
 * training workers' lifecycle (one phase lower), which first pauses the scheduler, so
 * that a batch given back is not taken up again here.
 */
@Component
class BatchRuns implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchRuns.class);

    private final Map<UUID, BatchRun> running = new ConcurrentHashMap<>();

    private final Duration shutdownWait;

    private volatile boolean accepting;

    BatchRuns(@Value("${trainyard.worker.shutdown-wait:30s}") Duration shutdownWait) {
        this.shutdownWait = shutdownWait;
    }

    /** False while stopped: batches are then left to other instances. */
    boolean accepting() {
        return accepting;
    }

    void add(BatchRun run) {
        running.put(run.id, run);
    }

    void remove(BatchRun run) {
        running.remove(run.id, run);
    }

    @Override
    public void start() {
        accepting = true;
    }

    @Override
    public void stop() {
        accepting = false;
        running.values().forEach(BatchRun::shutdown);
        long deadline = System.nanoTime() + shutdownWait.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!running.isEmpty()) {
            log.warn("Batch predictions {} still running after {}", running.keySet(), shutdownWait);
        }
    }

    @Override
    public boolean isRunning() {
        return accepting;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }

}
