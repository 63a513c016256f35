package dev.trainyard.training.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts claiming members once the application is up; on shutdown stops claiming, lets
 * running members checkpoint at their next batch and go back to the queue for another
 * instance, then stops the scheduler. Without a scheduler (worker disabled) it does
 * nothing.
 */
class WorkerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerLifecycle.class);

    private final Scheduler scheduler;

    private final MemberWorker worker;

    private volatile boolean running;

    WorkerLifecycle(Scheduler scheduler, MemberWorker worker) {
        this.scheduler = scheduler;
        this.worker = worker;
    }

    @Override
    public void start() {
        if (scheduler != null) {
            scheduler.start();
            log.info("Training worker {} started", worker.ownerName());
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (scheduler != null) {
            // stop claiming first, so that a released member is not taken up again here
            scheduler.pause();
            worker.beginShutdown();
            scheduler.stop();
            log.info("Training worker {} stopped", worker.ownerName());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

}
