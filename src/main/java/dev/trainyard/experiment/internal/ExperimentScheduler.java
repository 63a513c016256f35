package dev.trainyard.experiment.internal;

import dev.trainyard.training.TrainingJobFinished;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * When experiments advance: as soon as one of their jobs has finished
 * ({@link TrainingJobFinished}, after its transaction committed), and every
 * {@code trainyard.experiments.reconcile-interval} (default 2 s) for every unfinished
 * experiment, which notices started jobs, retries submissions the quota refused and
 * catches up after a restart. One thread per instance; instances exclude each other
 * through the experiment's row lock.
 */
@Component
class ExperimentScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExperimentScheduler.class);

    private final ExperimentStore store;

    private final ExperimentRunner runner;

    private final Duration interval;

    private ScheduledExecutorService executor;

    ExperimentScheduler(ExperimentStore store, ExperimentRunner runner,
            @Value("${trainyard.experiments.reconcile-interval:2s}") Duration interval) {
        this.store = store;
        this.runner = runner;
        this.interval = interval;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(TrainingJobFinished finished) {
        ScheduledExecutorService e = executor;
        if (e != null) {
            e.execute(() -> store.experimentOfJob(finished.jobId()).ifPresent(this::reconcile));
        }
    }

    private void reconcileAll() {
        try {
            store.unfinished().forEach(this::reconcile);
        }
        catch (RuntimeException e) {
            log.warn("Could not list unfinished experiments", e);
        }
    }

    private void reconcile(UUID id) {
        try {
            runner.reconcile(id);
        }
        catch (RuntimeException e) {
            log.warn("Could not advance experiment {}; the next round tries again", id, e);
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "experiments");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(this::reconcileAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

}
