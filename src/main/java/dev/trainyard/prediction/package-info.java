/**
 * Predictions with models and ensembles: {@code POST /api/v1/models/{id}/predictions},
 * {@code /api/v1/ensembles} (create, describe, predict), Monte Carlo dropout, and the
 * bounded cache of loaded models.
 *
 * <p>
 * Public API: {@link dev.trainyard.prediction.EnsembleService} (the training module
 * creates the ensemble of a job with K members through it). Depends on the model module's
 * registry, never on training.
 *
 * <p>
 * Persistence: plain SQL through {@code JdbcClient} (ensembles); models are read through
 * the model registry.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Predictions")
package dev.trainyard.prediction;
