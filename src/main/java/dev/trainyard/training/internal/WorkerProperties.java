package dev.trainyard.training.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code trainyard.worker.*}: whether this instance trains jobs, and how db-scheduler
 * finds work and dead workers.
 *
 * @param enabled whether this instance claims and trains queued members, and runs the
 * other tasks of the scheduler (batch predictions); it always accepts jobs
 * @param concurrency members (and other tasks) run at once on this instance; they share
 * the engine's compute pool
 * @param pollingInterval how often an idle worker looks for due members; a job submitted
 * to this instance is also looked for at once
 * @param heartbeatInterval how often a worker marks its running members alive
 * @param missedHeartbeats heartbeats a member may miss before another instance takes it
 * over (at least 4)
 * @param name this instance's name in {@code scheduled_tasks.picked_by}; default host,
 * process and a random suffix
 * @param shutdownWait how long a graceful shutdown waits for running members to
 * checkpoint and let go
 */
@ConfigurationProperties("trainyard.worker")
record WorkerProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1") int concurrency,
        @DefaultValue("500ms") Duration pollingInterval, @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("4") int missedHeartbeats, String name, @DefaultValue("30s") Duration shutdownWait) {

    public WorkerProperties {
        if (concurrency < 1) {
            throw new IllegalArgumentException("trainyard.worker.concurrency must be at least 1, got " + concurrency);
        }
        if (missedHeartbeats < 4) {
            throw new IllegalArgumentException(
                    "trainyard.worker.missed-heartbeats must be at least 4 (db-scheduler's minimum), got "
                            + missedHeartbeats);
        }
    }

}
