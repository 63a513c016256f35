package dev.trainyard.training.internal;

import dev.trainyard.dataset.DatasetUsage;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** A dataset that a queued or running job trains or tests on cannot be deleted. */
@Component
class JobDatasetUsage implements DatasetUsage {

    private final JobStore store;

    JobDatasetUsage(JobStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> blockingUse(UUID datasetId) {
        List<UUID> jobs = store.unfinishedJobsUsing(datasetId);
        return jobs.isEmpty() ? Optional.empty() : Optional.of("training job " + jobs.getFirst() + (jobs.size() > 1
                ? " and " + (jobs.size() - 1) + " more are queued or running" : " is queued or running"));
    }

}
