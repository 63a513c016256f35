package dev.trainyard.experiment;

import dev.trainyard.experiment.internal.ExperimentEvents;
import dev.trainyard.experiment.internal.ExperimentJson;
import dev.trainyard.experiment.internal.ExperimentPlanner;
import dev.trainyard.experiment.internal.ExperimentRow;
import dev.trainyard.experiment.internal.ExperimentRunner;
import dev.trainyard.experiment.internal.ExperimentStore;
import dev.trainyard.experiment.internal.ExperimentViews;
import dev.trainyard.experiment.internal.LecturePresets;
import dev.trainyard.experiment.internal.ResultsCsv;
import dev.trainyard.experiment.internal.RunRow;
import dev.trainyard.experiment.internal.TrialRow;
import dev.trainyard.dataset.DatasetService;
import dev.trainyard.dataset.DatasetView;
import dev.trainyard.security.CurrentTenant;
import dev.trainyard.system.ApiException;
import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The experiment module's API: plan (dry run) or start an experiment, read it and its
 * results, cancel it. Every call is scoped to the caller's tenant: another tenant's
 * experiment is not found.
 */
@Service
public class ExperimentService {

    private static final Logger log = LoggerFactory.getLogger(ExperimentService.class);

    static final int MAX_PAGE_SIZE = 100;

    private final ExperimentJson json;

    private final ExperimentPlanner planner;

    private final ExperimentStore store;

    private final ExperimentViews views;

    private final ExperimentEvents events;

    private final ExperimentRunner runner;

    private final TransactionTemplate tx;

    private final DatasetService datasets;

    private final JsonMapper mapper;

    ExperimentService(ExperimentJson json, ExperimentPlanner planner, ExperimentStore store, ExperimentViews views,
            ExperimentEvents events, ExperimentRunner runner, TransactionTemplate tx, DatasetService datasets,
            JsonMapper mapper) {
        this.json = json;
        this.planner = planner;
        this.store = store;
        this.views = views;
        this.events = events;
        this.runner = runner;
        this.tx = tx;
        this.datasets = datasets;
        this.mapper = mapper;
    }

    /**
     * The lecture's presets for the caller's dataset, their jobs tested on
     * {@code testDatasetId} when given; 404 for a dataset the caller does not have, 400
     * for a test dataset whose examples or classes differ from the dataset's.
     */
    public List<ExperimentPreset> presets(UUID datasetId, UUID testDatasetId) {
        UUID tenant = CurrentTenant.id();
        DatasetView dataset = datasets.get(tenant, datasetId);
        if (testDatasetId != null) {
            DatasetView test = datasets.get(tenant, testDatasetId);
            if (!test.featureShape().equals(dataset.featureShape()) || !test.classes().equals(dataset.classes())) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "Test dataset does not fit",
                        "The test dataset's examples " + test.featureShape() + " and classes " + test.classes()
                                + " must be the dataset's: " + dataset.featureShape() + " and " + dataset.classes()
                                + ".")
                    .with("datasetId", datasetId)
                    .with("testDatasetId", testDatasetId);
            }
        }
        return LecturePresets.of(mapper, dataset, testDatasetId);
    }

    /**
     * The trials the request describes and their cost, each spec validated; stores
     * nothing.
     */
    public ExperimentPlan dryRun(String body) {
        ExperimentRequest request = json.parse(body).withDefaults();
        return planner.describe(request, planner.plan(CurrentTenant.id(), request));
    }

    /**
     * Validates every trial, stores the experiment and submits the first trials' jobs.
     */
    public ExperimentView create(String body) {
        UUID tenant = CurrentTenant.id();
        ExperimentRequest request = json.parse(body).withDefaults();
        List<ExperimentPlanner.Planned> planned = planner.plan(tenant, request);
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        ExperimentRow experiment = new ExperimentRow(id, tenant, request.name(), JobStatus.QUEUED, json.write(request),
                request.strategy().type(), request.metric(), request.repeats(), request.maxConcurrentTrials(), 0, now,
                null, null);
        List<TrialRow> trials = new ArrayList<>();
        List<RunRow> runs = new ArrayList<>();
        for (ExperimentPlanner.Planned p : planned) {
            int index = p.trial().index();
            trials.add(new TrialRow(id, index, json.write(p.trial().parameters()), json.write(p.trial().spec()),
                    TrialStatus.QUEUED, 0, null, TrialMetrics.NONE));
            for (int rep = 0; rep < request.repeats(); rep++) {
                runs.add(new RunRow(id, index, 0, rep, p.epochs(), null, JobStatus.QUEUED, null, null, null, null));
            }
        }
        tx.executeWithoutResult(status -> {
            store.insert(experiment, trials, runs);
            events.status(id, JobStatus.QUEUED);
        });
        try {
            runner.reconcile(id);
        }
        catch (RuntimeException e) {
            log.warn("Could not submit the first jobs of experiment {}; the next round tries again", id, e);
        }
        return views.view(id);
    }

    public ExperimentView get(UUID id) {
        return views.view(owned(id).id());
    }

    public ExperimentPage list(int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid page",
                    "page must be 0 or more and size from 1 to " + MAX_PAGE_SIZE + ".")
                .with("page", page)
                .with("size", size);
        }
        UUID tenant = CurrentTenant.id();
        long total = store.count(tenant);
        return new ExperimentPage(store.page(tenant, page, size), page, size, total, (int) ((total + size - 1) / size));
    }

    /**
     * Cancels the queued and running trials' jobs and submits no more; 409 once it has
     * ended.
     */
    public ExperimentView cancel(UUID id) {
        runner.cancel(owned(id).id());
        return views.view(id);
    }

    /** One row per trial, in trial order; see {@link ResultsCsv}. */
    public String resultsCsv(UUID id) {
        ExperimentRow e = owned(id);
        return ResultsCsv.write(json.readRequest(e.request()), views.view(e, store.trials(id), store.runs(id)));
    }

    /** The caller's experiment, for the SSE stream; 404 otherwise. */
    public UUID requireOwned(UUID id) {
        return owned(id).id();
    }

    private ExperimentRow owned(UUID id) {
        UUID tenant = CurrentTenant.id();
        return store.find(id)
            .filter(e -> e.tenantId().equals(tenant))
            .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Experiment not found",
                    "There is no experiment " + id + ".")
                .with("experimentId", id));
    }

}
