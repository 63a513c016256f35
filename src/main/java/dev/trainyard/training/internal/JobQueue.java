package dev.trainyard.training.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import java.time.Instant;
import java.util.UUID;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Puts members on db-scheduler's queue. The client writes through a transaction-aware
 * data source, so the task rows commit or roll back with the job's rows; after the
 * commit, a local worker is told to look at once instead of at its next poll.
 */
public class JobQueue {

    private final SchedulerClient client;

    private final CustomTask<Void> task;

    JobQueue(SchedulerClient client, CustomTask<Void> task) {
        this.client = client;
        this.task = task;
    }

    /** Queues members {@code 0 .. members - 1} of the job. */
    public void enqueue(UUID jobId, int members) {
        enqueue(jobId, 0, members);
    }

    /** Queues members {@code from .. to - 1} of the job. */
    public void enqueue(UUID jobId, int from, int to) {
        for (int m = from; m < to; m++) {
            client.scheduleIfNotExists(new TaskInstance<Void>(task.getName(), new MemberRef(jobId, m).instanceId()),
                    Instant.now());
        }
        if (client instanceof Scheduler scheduler && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    scheduler.triggerCheckForDueExecutions();
                }
            });
        }
    }

}
