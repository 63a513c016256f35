package dev.trainyard.training.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * db-scheduler wired by hand (its Boot starter targets Boot 3). Its task here is
 * {@code train-member}, whose instances are job members; the scheduler also runs every
 * other db-scheduler {@link Task} bean of the application (a module that queues work of
 * its own declares its task as a bean and enqueues through the {@link SchedulerClient}
 * bean). Every instance can enqueue; only instances with {@code trainyard.worker.enabled}
 * run a {@link Scheduler} that claims them, with {@code trainyard.worker.concurrency}
 * threads shared by all tasks. A member whose worker stops heart-beating is revived and
 * claimed by another instance; a member let go on shutdown is rescheduled at once.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
class WorkerConfiguration {

    static final String TASK = "train-member";

    @Bean
    CustomTask<Void> trainMemberTask(MemberWorker worker) {
        return Tasks.custom(TASK, Void.class)
            .onDeadExecutionRevive()
            .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(10)))
            .execute((instance, context) -> {
                MemberWorker.Outcome outcome = worker.train(MemberRef.parse(instance.getId()));
                return outcome == MemberWorker.Outcome.RELEASED
                        ? (complete, operations) -> operations.reschedule(complete, Instant.now())
                        : new CompletionHandler.OnCompleteRemove<>();
            });
    }

    /**
     * The worker's scheduler when this instance trains, else a client that only enqueues.
     */
    @Bean
    SchedulerClient schedulerClient(DataSource dataSource, List<Task<?>> tasks, WorkerProperties properties,
            MemberClaims claims) {
        DataSource transactional = new TransactionAwareDataSourceProxy(dataSource);
        if (!properties.enabled()) {
            return SchedulerClient.Builder.create(transactional, tasks).build();
        }
        String name = properties.name() != null ? properties.name() : defaultName();
        claims.setOwnerName(name);
        return Scheduler.create(transactional, tasks)
            .schedulerName(new SchedulerName.Fixed(name))
            .threads(properties.concurrency())
            .pollingInterval(properties.pollingInterval())
            .heartbeatInterval(properties.heartbeatInterval())
            .missedHeartbeatsLimit(properties.missedHeartbeats())
            .enableImmediateExecution()
            .shutdownMaxWait(properties.shutdownWait())
            .build();
    }

    @Bean
    JobQueue jobQueue(SchedulerClient client, @Qualifier("trainMemberTask") CustomTask<Void> task) {
        return new JobQueue(client, task);
    }

    @Bean
    WorkerLifecycle workerLifecycle(SchedulerClient client, RunningMembers running, MemberClaims claims,
            WorkerProperties properties) {
        return new WorkerLifecycle(client instanceof Scheduler scheduler ? scheduler : null, running,
                claims.ownerName(), properties.shutdownWait());
    }

    private static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

}
