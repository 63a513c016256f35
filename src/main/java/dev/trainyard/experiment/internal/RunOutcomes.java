package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.TrialMetrics;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.ModelView;
import dev.trainyard.training.EpochRow;
import dev.trainyard.training.JobService;
import dev.trainyard.training.JobView;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What a finished job measured, read once through the training and model modules' public
 * services when it ends: per member the best epoch's validation accuracy (highest) and
 * loss (lowest), averaged over the members, and the mean test accuracy of its models; and
 * the means and sample standard deviations of those over a trial's repeats.
 */
@Component
class RunOutcomes {

    private final JobService jobs;

    private final ModelService models;

    RunOutcomes(JobService jobs, ModelService models) {
        this.jobs = jobs;
        this.models = models;
    }

    RunRow ended(UUID tenantId, RunRow run, JobView job) {
        List<EpochRow> rows = jobs.metrics(tenantId, job.id());
        Map<Integer, List<EpochRow>> byMember = rows.stream().collect(Collectors.groupingBy(EpochRow::member));
        Double accuracy = mean(byMember.values()
            .stream()
            .map(r -> r.stream().map(EpochRow::valAccuracy).filter(Objects::nonNull).max(Double::compare).orElse(null))
            .toList());
        Double loss = mean(byMember.values()
            .stream()
            .map(r -> r.stream().map(EpochRow::valLoss).filter(Objects::nonNull).min(Double::compare).orElse(null))
            .toList());
        Double test = mean(job.modelIds()
            .stream()
            .map(id -> models.find(tenantId, id).map(ModelView::metrics).map(m -> m.testAccuracy()).orElse(null))
            .toList());
        String error = job.error() != null ? job.error().type() + ": " + job.error().message()
                : job.status() == dev.trainyard.training.JobStatus.CANCELLED ? "job " + job.id() + " was cancelled"
                        : null;
        return new RunRow(run.experimentId(), run.trial(), run.rung(), run.repeat(), run.epochs(), run.jobId(),
                job.status(), accuracy, loss, test, error);
    }

    /** The means over {@code runs} and, with two or more values, their sample std. */
    static TrialMetrics aggregate(List<RunRow> runs) {
        return new TrialMetrics(mean(values(runs, RunRow::bestValAccuracy)), mean(values(runs, RunRow::bestValLoss)),
                mean(values(runs, RunRow::testAccuracy)), std(values(runs, RunRow::bestValAccuracy)),
                std(values(runs, RunRow::bestValLoss)), std(values(runs, RunRow::testAccuracy)));
    }

    private static List<Double> values(List<RunRow> runs, Function<RunRow, Double> metric) {
        return runs.stream().map(metric).toList();
    }

    static Double mean(List<Double> values) {
        List<Double> present = present(values);
        return present.isEmpty() ? null : present.stream().mapToDouble(Double::doubleValue).sum() / present.size();
    }

    static Double std(List<Double> values) {
        List<Double> present = present(values);
        if (present.size() < 2) {
            return null;
        }
        double mean = mean(present);
        double squares = present.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (present.size() - 1));
    }

    private static List<Double> present(List<Double> values) {
        return values.stream().filter(Objects::nonNull).filter(v -> !v.isNaN()).toList();
    }

    Optional<JobView> job(UUID tenantId, UUID jobId) {
        return jobs.find(tenantId, jobId);
    }

}
