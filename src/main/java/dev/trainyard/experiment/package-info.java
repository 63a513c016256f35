/**
 * Experiments: sweeps over job specs (grid, random search, successive halving) with a
 * leaderboard, built on the training module.
 *
 * <p>
 * {@code POST /api/v1/experiments} expands a base spec and parameters (JSON Pointers into
 * the spec with values or distributions) into trials and validates every trial's spec
 * through {@link dev.trainyard.training.JobService#validate} before anything runs. Each
 * trial runs as one ordinary job per repeat (and per rung under successive halving),
 * submitted through {@link dev.trainyard.training.JobService} with an idempotency key
 * derived from the experiment, trial, rung and repeat, so quotas, cancellation, crash
 * resume and the jobs' events apply unchanged and a retried submission never duplicates a
 * job. The experiment reacts to {@link dev.trainyard.training.TrainingJobFinished} after
 * commit and also reconciles every unfinished experiment periodically under its row lock,
 * so any instance may advance any experiment and a lost event or a refused submission
 * (quota) only waits for the next round.
 *
 * <p>
 * Entry points: {@code /api/v1/experiments} and
 * {@link dev.trainyard.experiment.ExperimentService}. Persistence: plain SQL through
 * {@code JdbcClient}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Experiments")
package dev.trainyard.experiment;
