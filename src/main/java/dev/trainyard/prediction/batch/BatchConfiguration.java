package dev.trainyard.prediction.batch;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task {@code score-batch}, one instance per batch (its id). Declared as
 * a bean, it runs on the application's scheduler beside the training members: only on
 * instances that are workers, on the same threads. A batch whose worker stops
 * heart-beating is revived and taken up by another instance; one given back on shutdown
 * is rescheduled at once.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BatchPredictionProperties.class)
class BatchConfiguration {

    static final String TASK = "score-batch";

    @Bean
    CustomTask<Void> scoreBatchTask(BatchWorker worker) {
        return Tasks.custom(TASK, Void.class)
            .onDeadExecutionRevive()
            .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(10)))
            .execute((instance, context) -> {
                BatchWorker.Outcome outcome = worker.score(UUID.fromString(instance.getId()));
                return outcome == BatchWorker.Outcome.RELEASED
                        ? (complete, operations) -> operations.reschedule(complete, Instant.now())
                        : new CompletionHandler.OnCompleteRemove<>();
            });
    }

}
