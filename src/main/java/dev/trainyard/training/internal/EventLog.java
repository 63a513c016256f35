package dev.trainyard.training.internal;

import dev.trainyard.training.EpochRow;
import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import dev.trainyard.training.JobView;
import dev.trainyard.training.TrainingJobFinished;

/**
 * Appends the events {@code GET /api/v1/jobs/{id}/events} streams, in the caller's
 * transaction: {@code status} (the job's or a member's new state), {@code epoch} (a
 * metrics row) and {@code completed} (the finished job). With {@code completed} it
 * publishes {@link TrainingJobFinished} in the same transaction.
 */
@Component
public class EventLog {

    private final JobStore store;

    private final SpecJson json;

    private final JobViews views;

    private final ApplicationEventPublisher publisher;

    EventLog(JobStore store, SpecJson json, JobViews views, ApplicationEventPublisher publisher) {
        this.store = store;
        this.json = json;
        this.views = views;
        this.publisher = publisher;
    }

    /** The job's status, or a member's when {@code member} is not null. */
    public void status(UUID jobId, JobStatus status, Integer member) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("jobId", jobId);
        data.put("status", status);
        if (member != null) {
            data.put("member", member);
        }
        store.appendEvent(jobId, "status", json.write(data), Instant.now());
    }

    public void epoch(UUID jobId, EpochRow row) {
        store.appendEvent(jobId, "epoch", json.write(row), Instant.now());
    }

    public void completed(UUID jobId) {
        JobRow job = store.find(jobId).orElseThrow();
        JobView view = views.view(job);
        store.appendEvent(jobId, "completed", json.write(view), Instant.now());
        publisher.publishEvent(new TrainingJobFinished(jobId, job.tenantId(), view.status()));
    }

}
