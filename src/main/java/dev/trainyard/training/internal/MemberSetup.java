package dev.trainyard.training.internal;

import dev.trainyard.dataset.DatasetService;
import dev.trainyard.dataset.DatasetView;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.data.StratifiedSplit;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.train.Trainer;
import dev.trainyard.engine.train.TrainingResult;
import dev.trainyard.training.JobSpec;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Component;

/**
 * Rebuilds a claimed member's trainer from its job's stored spec, the same on every
 * instance and attempt: the dataset split and preprocessed as the spec says, the model
 * and optimizer seeded for the member (in a snapshot ensemble, a member after the first
 * then takes the weights its predecessor ended with), and the last checkpoint of an
 * earlier attempt restored. After training it assembles the model the registry keeps.
 */
@Component
class MemberSetup {

    private static final Logger log = LoggerFactory.getLogger(MemberSetup.class);

    private final JobStore store;

    private final DatasetService datasets;

    private final SpecJson json;

    private final String gitCommit;

    MemberSetup(JobStore store, DatasetService datasets, SpecJson json, ObjectProvider<GitProperties> git) {
        this.store = store;
        this.datasets = datasets;
        this.json = json;
        GitProperties gitProperties = git.getIfAvailable();
        this.gitCommit = gitProperties != null ? gitProperties.getCommitId() : null;
    }

    /** A claimed member ready to train: its trainer and what its model is made from. */
    record PreparedMember(JobRow job, JobPlan plan, long seed, DatasetView dataset, PreprocessingStatistics statistics,
            Sequential model, Trainer trainer) {
    }

    PreparedMember prepare(MemberRun run) {
        MemberRef ref = run.ref;
        JobRow job = store.find(ref.jobId()).orElseThrow();
        JobSpec spec = json.read(job.spec()).withDefaults().forMember(ref.member());
        JobPlan plan = JobPlan.of(spec);
        long seed = plan.seed(ref.member());

        DatasetView description = datasets.get(job.tenantId(), job.datasetId());
        Dataset all = datasets.load(job.tenantId(), job.datasetId());
        Dataset train = all;
        Dataset validation = null;
        if (spec.validationFraction() > 0) {
            StratifiedSplit split = StratifiedSplit.of(all, spec.validationFraction(), spec.seed());
            train = split.trainingOf(all);
            validation = split.validationOf(all);
        }
        PreprocessingStatistics statistics = PreprocessingStatistics.fit(plan.preprocessing(),
                spec.preprocessing().perChannel(), train);
        train = statistics.apply(train);
        validation = validation == null ? null : statistics.apply(validation);

        Sequential model = plan.model(train.featureShape(), seed);
        Optional<byte[]> checkpoint = store.readBlob(ref.jobId(), ref.member(), "checkpoint");
        if (checkpoint.isEmpty() && spec.ensemble().warmStart() && ref.member() > 0) {
            // queued only once the member before it succeeded, so its model is stored
            byte[] previous = store.readBlob(ref.jobId(), ref.member() - 1, ModelPublisher.MODEL)
                .orElseThrow(() -> new IllegalStateException(
                        ref + " starts from member " + (ref.member() - 1) + ", whose model is not stored"));
            ModelFile.fromBytes(previous).loadInto(model);
        }
        Trainer trainer = new Trainer(model, plan.optimizer(model), plan.loss(), plan.trainingConfig(seed), train,
                validation);
        checkpoint.ifPresent(trainer::restore);
        if (checkpoint.isPresent()) {
            log.info("Resuming {} (attempt {}) from its checkpoint", ref, run.attempt);
        }
        return new PreparedMember(job, plan, seed, description, statistics, model, trainer);
    }

    /**
     * The trained model with its metrics (test figures when the job names a test set).
     */
    TrainedModel trainedModel(MemberRef ref, PreparedMember member, TrainingResult result) {
        JobRow job = member.job();
        Dataset test = null;
        if (job.testDatasetId() != null) {
            test = member.statistics().apply(datasets.load(job.tenantId(), job.testDatasetId()));
        }
        return new TrainedModel(ref.jobId(), ref.member(), member.seed(), member.model(), member.plan().defaultInit(),
                member.statistics(), member.dataset().classes(),
                TrainedModel.metrics(result.history(), member.model(), member.plan().loss(), test), TrainedModel
                    .provenance(job.datasetId(), member.dataset().sha256(), job.spec(), member.seed(), gitCommit));
    }

}
