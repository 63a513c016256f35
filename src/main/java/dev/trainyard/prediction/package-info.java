/**
 * Predictions with models and ensembles: {@code POST /api/v1/models/{id}/predictions},
 * {@code /api/v1/ensembles} (create, describe, predict), Monte Carlo dropout, and the
 * bounded cache of loaded models. Serving by name: registered models with versions and
 * aliases ({@code /api/v1/registered-models}, package {@code registry}) and the Open
 * Inference Protocol v2 over them ({@code /v2}, package {@code inference}), both through
 * the same prediction path.
 *
 * <p>
 * Public API: {@link dev.trainyard.prediction.EnsembleService} (the training module
 * creates the ensemble of a job with K members through it). Depends on the model module's
 * registry, never on training.
 *
 * <p>
 * Persistence: plain SQL through {@code JdbcClient} (ensembles, registered models);
 * models are read through the model registry, and a model that an ensemble or a
 * registered model's version uses cannot be deleted ({@code ModelUsage}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Predictions")
package dev.trainyard.prediction;
