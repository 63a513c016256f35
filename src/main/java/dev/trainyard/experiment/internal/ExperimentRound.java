package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.ExperimentRequest;
import dev.trainyard.experiment.TrialMetrics;
import dev.trainyard.experiment.TrialStatus;
import dev.trainyard.security.LimitExceededException;
import dev.trainyard.system.ApiException;
import dev.trainyard.training.JobService;
import dev.trainyard.training.JobStatus;
import dev.trainyard.training.JobView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * One pass over an experiment's rows under its lock, held in memory and written back at
 * the end with the events of what changed: see {@link ExperimentRunner} for what a pass
 * does.
 */
final class ExperimentRound {

    private static final Logger log = LoggerFactory.getLogger(ExperimentRound.class);

    private final ExperimentStore store;

    private final ExperimentJson json;

    private final ExperimentEvents events;

    private final RunOutcomes outcomes;

    private final JobService jobs;

    private final TransactionTemplate ownTx;

    private ExperimentRow experiment;

    private final ExperimentRow stored;

    private final ExperimentRequest request;

    private final Halving halving;

    private final List<TrialRow> trials;

    private final List<RunRow> runs;

    private final Set<Integer> changedTrials = new LinkedHashSet<>();

    private final Set<Integer> changedRuns = new LinkedHashSet<>();

    private final List<RunRow> newRuns = new ArrayList<>();

    ExperimentRound(ExperimentRow experiment, ExperimentRunner runner) {
        this.store = runner.store;
        this.json = runner.json;
        this.events = runner.events;
        this.outcomes = runner.outcomes;
        this.jobs = runner.jobs;
        this.ownTx = runner.ownTx;
        this.experiment = experiment;
        this.stored = experiment;
        this.request = json.readRequest(experiment.request());
        ExperimentRequest.Strategy s = request.strategy();
        this.halving = s.halving() ? new Halving(s.minEpochs(), s.maxEpochs(), s.reductionFactor()) : null;
        this.trials = new ArrayList<>(store.trials(experiment.id()));
        this.runs = new ArrayList<>(store.runs(experiment.id()));
    }

    void run() {
        JobStatus before = experiment.status();
        refresh();
        settle();
        if (halving != null) {
            decideRung();
        }
        submit();
        settle();
        if (experiment.status() == JobStatus.QUEUED && runs.stream().anyMatch(r -> r.status() != JobStatus.QUEUED)) {
            experiment = experiment.with(JobStatus.RUNNING, experiment.rung(), Instant.now(), null);
        }
        if (trials.stream().allMatch(t -> t.status().ended())) {
            experiment = experiment.with(finalStatus(), experiment.rung(),
                    experiment.startedAt() != null ? experiment.startedAt() : Instant.now(), Instant.now());
        }
        write(before);
    }

    void cancel() {
        JobStatus before = experiment.status();
        for (int i = 0; i < runs.size(); i++) {
            RunRow r = runs.get(i);
            if (r.active()) {
                try {
                    ownTx.executeWithoutResult(s -> jobs.cancel(experiment.tenantId(), r.jobId()));
                    setRun(i, withStatus(r, JobStatus.CANCELLED, "job " + r.jobId() + " was cancelled"));
                }
                catch (ApiException alreadyEnded) {
                    Optional<JobView> job = outcomes.job(experiment.tenantId(), r.jobId());
                    setRun(i,
                            job.filter(j -> j.status().finished())
                                .map(j -> outcomes.ended(experiment.tenantId(), r, j))
                                .orElse(withStatus(r, JobStatus.CANCELLED, null)));
                }
            }
            else if (!r.submitted() && r.status() == JobStatus.QUEUED) {
                setRun(i, withStatus(r, JobStatus.CANCELLED, null));
            }
        }
        for (int i = 0; i < trials.size(); i++) {
            TrialRow t = trials.get(i);
            if (!t.status().ended()) {
                setTrial(i, t.with(TrialStatus.CANCELLED, t.rung(), t.error(), t.metrics()));
            }
        }
        experiment = experiment.with(JobStatus.CANCELLED, experiment.rung(), experiment.startedAt(), Instant.now());
        write(before);
    }

    /** Reads the state of every submitted job that had not ended. */
    private void refresh() {
        for (int i = 0; i < runs.size(); i++) {
            RunRow r = runs.get(i);
            if (!r.active()) {
                continue;
            }
            Optional<JobView> job = outcomes.job(experiment.tenantId(), r.jobId());
            if (job.isEmpty()) {
                setRun(i, withStatus(r, JobStatus.FAILED, "job " + r.jobId() + " no longer exists"));
            }
            else if (job.get().status().finished()) {
                setRun(i, outcomes.ended(experiment.tenantId(), r, job.get()));
            }
            else if (job.get().status() != r.status()) {
                setRun(i, withStatus(r, job.get().status(), null));
            }
        }
    }

    /** Trials whose jobs of their current rung have all ended get their results. */
    private void settle() {
        for (int i = 0; i < trials.size(); i++) {
            TrialRow t = trials.get(i);
            if (t.status().ended()) {
                continue;
            }
            List<RunRow> rung = runsOf(t.trial(), t.rung());
            boolean started = runs.stream()
                .anyMatch(r -> r.trial() == t.trial() && r.submitted() && r.status() != JobStatus.QUEUED);
            TrialStatus status = started ? TrialStatus.RUNNING : t.status();
            TrialMetrics metrics = t.metrics();
            String error = t.error();
            if (rung.stream().allMatch(r -> r.status().finished())) {
                metrics = RunOutcomes.aggregate(rung.stream().filter(r -> r.status() == JobStatus.SUCCEEDED).toList());
                Optional<RunRow> failed = rung.stream().filter(r -> r.status() == JobStatus.FAILED).findFirst();
                if (failed.isPresent()) {
                    status = TrialStatus.FAILED;
                    error = "repeat " + failed.get().repeat() + ": " + failed.get().error();
                }
                else if (rung.stream().anyMatch(r -> r.status() == JobStatus.CANCELLED)) {
                    status = TrialStatus.CANCELLED;
                }
                else if (halving == null || t.rung() >= halving.lastRung()) {
                    status = TrialStatus.SUCCEEDED;
                }
                else {
                    status = TrialStatus.RUNNING;
                }
            }
            TrialRow settled = t.with(status, t.rung(), error, metrics);
            if (!settled.equals(t)) {
                setTrial(i, settled);
            }
        }
    }

    /**
     * Once every trial of the current rung has settled, promotes the best
     * {@code survivors} of those that succeeded to the next rung and stops the rest.
     */
    private void decideRung() {
        int k = experiment.rung();
        List<TrialRow> entered = trials.stream().filter(t -> t.rung() == k).toList();
        boolean decided = entered.stream()
            .allMatch(t -> t.status().ended() || runsOf(t.trial(), k).stream().allMatch(r -> r.status().finished()));
        if (!decided || k >= halving.lastRung()) {
            return;
        }
        List<TrialRow> candidates = entered.stream()
            .filter(t -> !t.status().ended())
            .sorted(Leaderboard.order(experiment.metric()))
            .toList();
        if (candidates.isEmpty()) {
            return;
        }
        int keep = Math.min(halving.survivors(entered.size()), candidates.size());
        int epochs = halving.epochs(k + 1);
        for (int c = 0; c < candidates.size(); c++) {
            TrialRow t = candidates.get(c);
            int i = indexOf(t.trial());
            if (c < keep) {
                setTrial(i, t.with(TrialStatus.RUNNING, k + 1, null, t.metrics()));
                for (int rep = 0; rep < experiment.repeats(); rep++) {
                    RunRow run = new RunRow(experiment.id(), t.trial(), k + 1, rep, epochs, null, JobStatus.QUEUED,
                            null, null, null, null);
                    newRuns.add(run);
                    runs.add(run);
                }
            }
            else {
                setTrial(i, t.with(TrialStatus.STOPPED, k, null, t.metrics()));
            }
        }
        experiment = experiment.with(experiment.status(), k + 1, experiment.startedAt(), experiment.finishedAt());
    }

    private void submit() {
        Set<Integer> active = new LinkedHashSet<>();
        runs.stream().filter(RunRow::active).forEach(r -> active.add(r.trial()));
        for (TrialRow t : List.copyOf(trials)) {
            if (t.status().ended()) {
                continue;
            }
            List<RunRow> pending = runsOf(t.trial(), t.rung()).stream()
                .filter(r -> !r.submitted() && r.status() == JobStatus.QUEUED)
                .toList();
            if (pending.isEmpty()) {
                continue;
            }
            if (!active.contains(t.trial()) && active.size() >= experiment.maxConcurrent()) {
                return;
            }
            active.add(t.trial());
            for (RunRow r : pending) {
                if (!submit(t, r)) {
                    return;
                }
            }
        }
    }

    /** False when the quota refused the job: no more submissions this round. */
    private boolean submit(TrialRow t, RunRow r) {
        ObjectNode spec = TrialSpecs.job((ObjectNode) json.tree(t.spec()), experiment.name(), t.trial(),
                halving != null ? r.rung() : null, r.repeat(), halving != null ? r.epochs() : null);
        String key = "experiment-" + experiment.id() + "-trial-" + t.trial() + "-rung-" + r.rung() + "-repeat-"
                + r.repeat();
        int i = runs.indexOf(r);
        try {
            JobService.Submission submission = ownTx
                .execute(s -> jobs.submit(experiment.tenantId(), json.write(spec), key));
            setRun(i, new RunRow(r.experimentId(), r.trial(), r.rung(), r.repeat(), r.epochs(), submission.job().id(),
                    submission.job().status(), null, null, null, null));
            return true;
        }
        catch (LimitExceededException quota) {
            log.debug("experiment {} waits for the running-jobs quota: {}", experiment.id(), quota.getMessage());
            return false;
        }
        catch (ApiException refused) {
            setRun(i, withStatus(r, JobStatus.FAILED, "submission refused: " + refused.getMessage()));
            return true;
        }
    }

    private JobStatus finalStatus() {
        if (trials.stream().anyMatch(t -> t.status() == TrialStatus.SUCCEEDED || t.status() == TrialStatus.STOPPED)) {
            return JobStatus.SUCCEEDED;
        }
        return trials.stream().anyMatch(t -> t.status() == TrialStatus.FAILED) ? JobStatus.FAILED : JobStatus.CANCELLED;
    }

    private void write(JobStatus before) {
        for (RunRow r : newRuns) {
            store.insertRun(r);
        }
        for (int i : changedRuns) {
            if (!newRuns.contains(runs.get(i))) {
                store.update(runs.get(i));
            }
        }
        for (int i : changedTrials) {
            TrialRow t = trials.get(i);
            store.update(t);
            events.trial(experiment.id(), halving != null, t,
                    runs.stream().filter(r -> r.trial() == t.trial()).toList());
        }
        if (!experiment.equals(stored)) {
            store.update(experiment);
        }
        if (experiment.status() != before) {
            events.status(experiment.id(), experiment.status());
        }
        if (experiment.status().finished()) {
            events.completed(experiment.id());
        }
    }

    private List<RunRow> runsOf(int trial, int rung) {
        return runs.stream().filter(r -> r.trial() == trial && r.rung() == rung).toList();
    }

    private int indexOf(int trial) {
        for (int i = 0; i < trials.size(); i++) {
            if (trials.get(i).trial() == trial) {
                return i;
            }
        }
        throw new IllegalStateException("no trial " + trial);
    }

    private void setRun(int i, RunRow run) {
        RunRow old = runs.get(i);
        int fresh = newRuns.indexOf(old);
        if (fresh >= 0) {
            newRuns.set(fresh, run);
        }
        runs.set(i, run);
        changedRuns.add(i);
    }

    private void setTrial(int i, TrialRow trial) {
        trials.set(i, trial);
        changedTrials.add(i);
    }

    private static RunRow withStatus(RunRow r, JobStatus status, String error) {
        return new RunRow(r.experimentId(), r.trial(), r.rung(), r.repeat(), r.epochs(), r.jobId(), status,
                r.bestValAccuracy(), r.bestValLoss(), r.testAccuracy(), error != null ? error : r.error());
    }

}
