/**
 * Predictions with models and ensembles: {@code POST /api/v1/models/{id}/predictions},
 * {@code /api/v1/ensembles} (create, describe, predict), Monte Carlo dropout, and the
 * bounded cache of loaded models. Serving by name: registered models with versions and
 * aliases ({@code /api/v1/registered-models}, package {@code registry}) and the Open
 * Inference Protocol v2 over them ({@code /v2}, package {@code inference}), both through
 * the same prediction path. Batch predictions (package {@code batch}): a model over every
 * example of a stored dataset, queued as a task of the workers' db-scheduler (a task bean
 * of this module, enqueued through the application's {@code SchedulerClient}, so no type
 * of the training module is used) and scored in chunks, each stored with its progress in
 * one transaction; their results stream as CSV or JSON Lines.
 *
 * <p>
 * Public API: {@link dev.trainyard.prediction.EnsembleService} (the training module
 * creates the ensemble of a job with K members through it). Depends on the model module's
 * registry and the datasets, never on training.
 *
 * <p>
 * Persistence: plain SQL through {@code JdbcClient} (ensembles, registered models, batch
 * predictions); models are read through the model registry, and a model that an ensemble
 * or a registered model's version or a queued or running batch uses cannot be deleted
 * ({@code ModelUsage}), nor can a batch's dataset ({@code DatasetUsage}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Predictions")
package dev.trainyard.prediction;
