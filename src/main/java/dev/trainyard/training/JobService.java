package dev.trainyard.training;

import dev.trainyard.dataset.DatasetService;
import dev.trainyard.security.CurrentTenant;
import dev.trainyard.security.LimitExceededException;
import dev.trainyard.security.QuotaService;
import dev.trainyard.system.ApiException;
import dev.trainyard.training.internal.Downsampling;
import dev.trainyard.training.internal.EventLog;
import dev.trainyard.training.internal.JobQueue;
import dev.trainyard.training.internal.JobRow;
import dev.trainyard.training.internal.JobStore;
import dev.trainyard.training.internal.JobViews;
import dev.trainyard.training.internal.MemberRow;
import dev.trainyard.training.internal.RunningMembers;
import dev.trainyard.training.internal.SpecJson;
import dev.trainyard.training.internal.SpecResolver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The training module's API: submit (or dry-run) a job, read it, its metrics and
 * diagnostics, cancel it. Every call is scoped to the caller's tenant: another tenant's
 * job is not found. The methods that take a {@code tenantId} do the same for work that
 * runs outside a request (an experiment submitting its trials' jobs).
 */
@Service
public class JobService {

    static final int MAX_PAGE_SIZE = 100;

    /**
     * Bounds of {@code maxPoints}, the rows per member of a metrics or diagnostics
     * answer.
     */
    static final int MIN_POINTS = 10;

    static final int MAX_POINTS = 100_000;

    private final SpecJson json;

    private final SpecResolver resolver;

    private final JobStore store;

    private final JobViews views;

    private final JobQueue queue;

    private final EventLog events;

    private final DatasetService datasets;

    private final RunningMembers running;

    private final TransactionTemplate tx;

    private final QuotaService quotas;

    JobService(SpecJson json, SpecResolver resolver, JobStore store, JobViews views, JobQueue queue, EventLog events,
            DatasetService datasets, RunningMembers running, TransactionTemplate tx, QuotaService quotas) {
        this.json = json;
        this.resolver = resolver;
        this.store = store;
        this.views = views;
        this.queue = queue;
        this.events = events;
        this.datasets = datasets;
        this.running = running;
        this.tx = tx;
        this.quotas = quotas;
    }

    /** A new job, or the earlier one submitted with the same idempotency key. */
    public record Submission(JobView job, boolean created) {
    }

    /**
     * A valid spec with its defaults, the model it describes and the examples one epoch
     * trains on: the dataset's minus the validation split, which takes
     * {@code round(examples * validationFraction)} of them.
     */
    public record Validated(JobSpec spec, ModelSummary model, long trainingExamples) {
    }

    /**
     * Validates the spec against its data and returns the model it describes; queues
     * nothing.
     */
    public ModelSummary dryRun(String body) {
        return validate(CurrentTenant.id(), body).model();
    }

    /**
     * Validates the spec of {@code tenantId} as a submission would, queueing nothing; a
     * 400 problem whose {@code errors} point into the spec otherwise.
     */
    public Validated validate(UUID tenantId, String body) {
        SpecResolver.Resolved resolved = resolver.resolve(tenantId, json.parse(body));
        double fraction = resolved.spec().validationFraction();
        long examples = resolved.dataset().examples();
        return new Validated(resolved.spec(), resolved.summary(), examples - Math.round(examples * fraction));
    }

    public Submission submit(String body, String idempotencyKey) {
        return submit(CurrentTenant.id(), body, idempotencyKey);
    }

    /**
     * Submits a job for {@code tenantId}, with the quota and idempotency rules of
     * {@code POST /api/v1/jobs}.
     */
    public Submission submit(UUID tenant, String body, String idempotencyKey) {
        SpecResolver.Resolved resolved = resolver.resolve(tenant, json.parse(body));
        String spec = json.write(resolved.spec());
        String hash = sha256(spec);
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid Idempotency-Key",
                        "The Idempotency-Key header must have 1 to 200 characters.");
            }
            Optional<Submission> earlier = earlier(tenant, idempotencyKey, hash);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        try {
            JobView job = tx.execute(status -> insert(tenant, resolved, spec, idempotencyKey, hash));
            return new Submission(job, true);
        }
        catch (DuplicateKeyException | LimitExceededException lost) {
            // a submission with the same key committed first: its job is the answer, even
            // when it took the last place in the quota
            if (idempotencyKey == null) {
                throw lost;
            }
            return earlier(tenant, idempotencyKey, hash).orElseThrow(() -> lost);
        }
    }

    private JobView insert(UUID tenant, SpecResolver.Resolved resolved, String spec, String key, String hash) {
        JobSpec s = resolved.spec();
        // a queued job will run, so the quota counts queued and running jobs, under the
        // tenant's quota lock held until commit; refused inside the transaction, nothing
        // is stored
        quotas.checkRunningJobs(tenant, () -> store.countUnfinished(tenant));
        datasets.reserve(tenant, s.datasetId());
        if (s.testDatasetId() != null) {
            datasets.reserve(tenant, s.testDatasetId());
        }
        UUID id = UUID.randomUUID();
        int members = s.ensemble().members();
        JobRow job = new JobRow(id, tenant, s.name(), JobStatus.QUEUED, spec, s.datasetId(), s.testDatasetId(), members,
                false, null, null, null, key, hash, Instant.now(), null, null);
        List<MemberRow> rows = IntStream.range(0, members)
            .mapToObj(m -> new MemberRow(id, m, resolved.plan().seed(m), JobStatus.QUEUED, null, 0, 0,
                    s.forMember(m).training().epochs(), 0, 0, null, null, null))
            .toList();
        store.insert(job, rows);
        events.status(id, JobStatus.QUEUED, null);
        // a snapshot ensemble's members wait for the one before them: each is queued when
        // its predecessor succeeds (JobCompletion)
        queue.enqueue(id, s.ensemble().warmStart() ? 1 : members);
        return views.view(job);
    }

    private Optional<Submission> earlier(UUID tenant, String key, String hash) {
        return store.findByIdempotencyKey(tenant, key).map(job -> {
            if (!job.requestHash().equals(hash)) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused",
                        "Idempotency-Key '" + key + "' was used for job " + job.id()
                                + " with a different spec; use a new key for a new job.")
                    .with("jobId", job.id());
            }
            return new Submission(views.view(job), false);
        });
    }

    public JobView get(UUID id) {
        return views.view(owned(id));
    }

    public JobPage list(JobStatus status, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid page",
                    "page must be 0 or more and size from 1 to " + MAX_PAGE_SIZE + ".")
                .with("page", page)
                .with("size", size);
        }
        UUID tenant = CurrentTenant.id();
        long total = store.count(tenant, status);
        List<JobView> items = views.views(store.page(tenant, status, page, size));
        return new JobPage(items, page, size, total, (int) ((total + size - 1) / size));
    }

    /**
     * Per member and epoch: losses, accuracies, learning rate, time, throughput; members
     * with more than {@code maxPoints} epochs thinned M4-style
     * ({@link Downsampling#metrics}).
     */
    public Downsampling.Result<EpochRow> metrics(UUID id, int maxPoints) {
        checkMaxPoints(maxPoints);
        return Downsampling.metrics(store.metrics(owned(id).id()), maxPoints);
    }

    /** The job of {@code tenantId}, if it has one of that id. */
    public Optional<JobView> find(UUID tenantId, UUID id) {
        return store.find(id).filter(j -> j.tenantId().equals(tenantId)).map(views::view);
    }

    /** The metrics rows of a job of {@code tenantId}; 404 for another tenant's. */
    public List<EpochRow> metrics(UUID tenantId, UUID id) {
        return store.metrics(owned(tenantId, id).id());
    }

    /**
     * Per member and epoch: warnings, activation statistics per layer, gradient
     * statistics per tensor; members with more than {@code maxPoints} epochs thinned to
     * evenly spaced epochs, the first and last, and those with a warning
     * ({@link Downsampling#diagnostics}).
     */
    public Downsampling.Result<Map<String, Object>> diagnostics(UUID id, int maxPoints) {
        checkMaxPoints(maxPoints);
        List<Map<String, Object>> result = new ArrayList<>();
        for (String data : store.diagnostics(owned(id).id())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = json.read(data, Map.class);
            result.add(row);
        }
        return Downsampling.diagnostics(result, row -> ((Number) row.get("member")).intValue(),
                row -> row.get("warnings") instanceof List<?> warnings && !warnings.isEmpty(), maxPoints);
    }

    private static void checkMaxPoints(int maxPoints) {
        if (maxPoints < MIN_POINTS || maxPoints > MAX_POINTS) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid maxPoints",
                    "maxPoints must be from " + MIN_POINTS + " to " + MAX_POINTS + ".")
                .with("parameter", "maxPoints")
                .with("maxPoints", maxPoints);
        }
    }

    /**
     * A queued job never starts; a running one stops at its next batch boundary; a
     * finished one answers 409.
     */
    public JobView cancel(UUID id) {
        return cancel(CurrentTenant.id(), id);
    }

    /** {@link #cancel(UUID)} for a job of {@code tenant}. */
    public JobView cancel(UUID tenant, UUID id) {
        JobView view = tx.execute(status -> {
            JobRow job = store.lockJob(id).filter(j -> j.tenantId().equals(tenant)).orElseThrow(() -> notFound(id));
            if (job.status().finished()) {
                throw new ApiException(HttpStatus.CONFLICT, "Job already finished",
                        "Job " + id + " is " + job.status() + " and cannot be cancelled.")
                    .with("jobId", id)
                    .with("status", job.status());
            }
            store.requestCancel(id);
            if (job.status() == JobStatus.QUEUED) {
                Instant now = Instant.now();
                store.cancelUnfinishedMembers(id, now);
                store.updateStatus(id, JobStatus.CANCELLED, null, now);
                events.status(id, JobStatus.CANCELLED, null);
                events.completed(id);
            }
            return views.view(id);
        });
        running.cancelLocally(id);
        return view;
    }

    /** The caller's job, for the SSE stream; 404 otherwise. */
    public UUID requireOwned(UUID id) {
        return owned(id).id();
    }

    private JobRow owned(UUID id) {
        return owned(CurrentTenant.id(), id);
    }

    private JobRow owned(UUID tenant, UUID id) {
        return store.find(id).filter(j -> j.tenantId().equals(tenant)).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(UUID id) {
        return new ApiException(HttpStatus.NOT_FOUND, "Job not found", "There is no job " + id + ".").with("jobId", id);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
