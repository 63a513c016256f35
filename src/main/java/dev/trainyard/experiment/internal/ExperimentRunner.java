package dev.trainyard.experiment.internal;

import dev.trainyard.system.ApiException;
import dev.trainyard.training.JobService;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Advances an experiment under its row lock, so that any instance may do it and two never
 * interleave: reads the state of its submitted jobs (and their results once they end),
 * settles trials whose jobs of the current rung have all ended, decides a successive
 * halving rung once every trial in it has settled, submits further trials' jobs while
 * fewer than {@code maxConcurrentTrials} trials have jobs queued or running, and finishes
 * the experiment once every trial has ended.
 *
 * <p>
 * Each job is submitted in a transaction of its own with the idempotency key
 * {@code experiment-<id>-trial-<t>-rung-<k>-repeat-<r>}: should the instance die after
 * the job was stored but before the run recorded it, the next round submits again and
 * gets the same job back. A submission refused by the running-jobs quota (429) leaves the
 * run waiting and ends the round's submissions; the next round (a job ending, or the
 * periodic one) tries again. Any other refusal (the dataset was deleted meanwhile) fails
 * the trial.
 */
@Component
public class ExperimentRunner {

    final ExperimentStore store;

    final ExperimentJson json;

    final ExperimentEvents events;

    final RunOutcomes outcomes;

    final JobService jobs;

    private final TransactionTemplate tx;

    final TransactionTemplate ownTx;

    ExperimentRunner(ExperimentStore store, ExperimentJson json, ExperimentEvents events, RunOutcomes outcomes,
            JobService jobs, PlatformTransactionManager transactions) {
        this.store = store;
        this.json = json;
        this.events = events;
        this.outcomes = outcomes;
        this.jobs = jobs;
        this.tx = new TransactionTemplate(transactions);
        this.ownTx = new TransactionTemplate(transactions);
        this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public void reconcile(UUID experimentId) {
        tx.executeWithoutResult(status -> store.lock(experimentId)
            .filter(e -> !e.status().finished())
            .ifPresent(e -> new ExperimentRound(e, this).run()));
    }

    /**
     * Cancels the experiment's queued and running jobs and its unfinished trials; the
     * caller checked that it belongs to the tenant and has not ended.
     */
    public void cancel(UUID experimentId) {
        tx.executeWithoutResult(status -> {
            ExperimentRow e = store.lock(experimentId).orElseThrow();
            if (e.status().finished()) {
                throw new ApiException(HttpStatus.CONFLICT, "Experiment already finished",
                        "Experiment " + experimentId + " is " + e.status() + " and cannot be cancelled.")
                    .with("experimentId", experimentId)
                    .with("status", e.status());
            }
            new ExperimentRound(e, this).cancel();
        });
    }

}
