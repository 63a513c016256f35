package dev.trainyard.training.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Starts claiming members once the application is up. Stopping (shutdown, or a paused
 * test context) stops claiming, lets running members checkpoint at their next batch and
 * go back to the queue for another instance, and waits for them to let go; starting again
 * resumes claiming. The scheduler itself ends with the context. Without a scheduler
 * (worker disabled) it does nothing.
 */
class WorkerLifecycle implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WorkerLifecycle.class);

    private final Scheduler scheduler;

    private final RunningMembers members;

    private final String name;

    private final Duration shutdownWait;

    private volatile boolean running;

    private boolean started;

    WorkerLifecycle(Scheduler scheduler, RunningMembers members, String name, Duration shutdownWait) {
        this.scheduler = scheduler;
        this.members = members;
        this.name = name;
        this.shutdownWait = shutdownWait;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            members.resumeWork();
            if (started) {
                scheduler.resume();
            }
            else {
                scheduler.start();
                started = true;
            }
            log.info("Training worker {} started", name);
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (scheduler != null && started) {
            // stop claiming first, so that a released member is not taken up again here
            scheduler.pause();
            members.beginShutdown();
            if (!members.awaitIdle(shutdownWait)) {
                log.warn("Training worker {}: members still running after {}", name, shutdownWait);
            }
            log.info("Training worker {} stopped", name);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void destroy() {
        if (scheduler != null && started) {
            scheduler.stop();
        }
    }

}
