package dev.trainyard.training.internal;

import dev.trainyard.training.JobStatus;
import dev.trainyard.training.JobView;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Turns stored rows into the {@link JobView} clients see. */
@Component
public class JobViews {

    private final JobStore store;

    private final SpecJson json;

    JobViews(JobStore store, SpecJson json) {
        this.store = store;
        this.json = json;
    }

    public JobView view(JobRow job) {
        List<MemberRow> members = store.members(job.id());
        return new JobView(job.id(), job.name(), job.status(), json.read(job.spec()), progress(members),
                members.stream().map(MemberRow::modelId).filter(Objects::nonNull).toList(), job.ensembleId(),
                job.errorType() == null ? null : new JobView.Error(job.errorType(), job.errorMessage()),
                job.createdAt(), job.startedAt(), job.finishedAt());
    }

    public JobView view(UUID jobId) {
        return view(store.find(jobId).orElseThrow());
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
