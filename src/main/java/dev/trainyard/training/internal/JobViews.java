package dev.trainyard.training.internal;

import dev.trainyard.model.ModelService;
import dev.trainyard.prediction.EnsembleService;
import dev.trainyard.training.JobStatus;
import dev.trainyard.training.JobView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns stored rows into the {@link JobView} clients see. A page of jobs costs the same
 * few queries as one job: members, metric aggregates and test accuracies are each read
 * for all of its jobs at once.
 */
@Component
public class JobViews {

    private final JobStore store;

    private final SpecJson json;

    private final ModelService models;

    private final EnsembleService ensembles;

    JobViews(JobStore store, SpecJson json, ModelService models, EnsembleService ensembles) {
        this.store = store;
        this.json = json;
        this.models = models;
        this.ensembles = ensembles;
    }

    public JobView view(JobRow job) {
        return views(List.of(job)).getFirst();
    }

    public JobView view(UUID jobId) {
        return view(store.find(jobId).orElseThrow());
    }

    /** Views of {@code jobs} (all of one tenant), in the same order. */
    public List<JobView> views(List<JobRow> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        UUID tenant = jobs.getFirst().tenantId();
        List<UUID> ids = jobs.stream().map(JobRow::id).toList();
        Map<UUID, List<MemberRow>> members = store.members(ids);
        Map<UUID, JobStore.MetricsSummary> metrics = store.metricsSummaries(ids);
        List<UUID> modelIds = new ArrayList<>();
        List<UUID> ensembleIds = new ArrayList<>();
        for (JobRow job : jobs) {
            if (job.status() != JobStatus.SUCCEEDED) {
                continue;
            }
            if (job.ensembleId() != null) {
                ensembleIds.add(job.ensembleId());
            }
            else {
                members.getOrDefault(job.id(), List.of())
                    .stream()
                    .map(MemberRow::modelId)
                    .filter(Objects::nonNull)
                    .forEach(modelIds::add);
            }
        }
        Map<UUID, Double> modelAccuracies = models.testAccuracies(tenant, modelIds);
        Map<UUID, Double> ensembleAccuracies = ensembles.testAccuracies(tenant, ensembleIds);
        Instant now = Instant.now();
        List<JobView> views = new ArrayList<>(jobs.size());
        for (JobRow job : jobs) {
            List<MemberRow> rows = members.getOrDefault(job.id(), List.of());
            Double testAccuracy = null;
            if (job.status() == JobStatus.SUCCEEDED) {
                testAccuracy = job.ensembleId() != null ? ensembleAccuracies.get(job.ensembleId())
                        : rows.size() == 1 ? modelAccuracies.get(rows.getFirst().modelId()) : null;
            }
            views.add(view(job, rows, metrics.get(job.id()), testAccuracy, now));
        }
        return views;
    }

    private JobView view(JobRow job, List<MemberRow> members, JobStore.MetricsSummary metrics, Double testAccuracy,
            Instant now) {
        JobView.Summary summary = new JobView.Summary(metrics == null ? null : metrics.bestValAccuracy(), testAccuracy,
                durationSeconds(job, now), metrics == null ? null : metrics.meanSamplesPerSecond());
        return new JobView(job.id(), job.name(), job.status(), json.read(job.spec()), progress(members), summary,
                members.stream().map(MemberRow::modelId).filter(Objects::nonNull).toList(), job.ensembleId(),
                job.errorType() == null ? null : new JobView.Error(job.errorType(), job.errorMessage()),
                job.createdAt(), job.startedAt(), job.finishedAt());
    }

    private static Double durationSeconds(JobRow job, Instant now) {
        if (job.startedAt() == null) {
            return null;
        }
        Instant end = job.finishedAt() != null ? job.finishedAt() : now;
        return Math.max(0, Duration.between(job.startedAt(), end).toMillis()) / 1000.0;
    }

    /**
     * The lowest-numbered member still training, else the first unfinished one, else the
     * last.
     */
    private static JobView.Progress progress(List<MemberRow> members) {
        MemberRow shown = members.stream()
            .filter(m -> m.status() == JobStatus.RUNNING)
            .findFirst()
            .orElseGet(
                    () -> members.stream().filter(m -> !m.status().finished()).findFirst().orElse(members.getLast()));
        return new JobView.Progress(shown.member(), members.size(), shown.epoch(), shown.epochs(), shown.batch(),
                shown.batches());
    }

}
