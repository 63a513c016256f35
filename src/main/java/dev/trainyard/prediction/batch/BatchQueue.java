package dev.trainyard.prediction.batch;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Puts batches on db-scheduler's queue, the one the training workers claim from (the
 * application's {@link SchedulerClient}, which writes through a transaction-aware data
 * source, so the task row commits or rolls back with the batch's row); after the commit,
 * a local worker is told to look at once instead of at its next poll.
 */
@Component
class BatchQueue {

    private final SchedulerClient client;

    BatchQueue(SchedulerClient client) {
        this.client = client;
    }

    void enqueue(UUID batchId) {
        client.scheduleIfNotExists(new TaskInstance<Void>(BatchConfiguration.TASK, batchId.toString()), Instant.now());
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
