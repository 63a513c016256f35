/**
 * Training jobs: spec and validation, a durable queue shared by all instances, workers
 * that survive crashes, live progress.
 *
 * <p>
 * {@code POST /api/v1/jobs} checks a {@link dev.trainyard.training.JobSpec} against its
 * dataset and stores the job with one member per ensemble seed; each member is a task of
 * db-scheduler on the shared database, so whichever instance is free trains it. Workers
 * write metrics, diagnostics, a checkpoint and an event per epoch in one transaction; an
 * instance that dies stops heart-beating and another resumes its members from their last
 * checkpoint, bit for bit. Finished members go to the model registry; a job that ends
 * publishes {@link dev.trainyard.training.TrainingJobFinished}. The module implements the
 * datasets' {@code DatasetUsage} so that a dataset a queued or running job needs cannot
 * be deleted.
 *
 * <p>
 * Entry points: {@code /api/v1/jobs} and {@link dev.trainyard.training.JobService}.
 * Persistence: plain SQL through {@code JdbcClient}, plus db-scheduler's own JDBC on the
 * same data source for its task table.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Training")
package dev.trainyard.training;
