/**
 * The model registry: every trained (or imported) model with its architecture,
 * preprocessing statistics, metrics and provenance, and its weights as an engine model
 * file.
 *
 * <p>
 * Public API: {@link dev.trainyard.model.ModelService} ({@code register} is what the
 * training module calls when a job succeeds; {@code find}, {@code file} and {@code list}
 * serve the HTTP API and the prediction module) and the records it takes and returns;
 * modules that depend on a model implement {@link dev.trainyard.model.ModelUsage} to
 * refuse its deletion, and hear of deletions through
 * {@link dev.trainyard.model.ModelDeleted}. Storage, export and import details live in
 * {@code internal}. Every read and write is scoped to a tenant.
 *
 * <p>
 * Entry points: {@code /api/v1/models} and {@link dev.trainyard.model.ModelService}.
 * Persistence: plain SQL through {@code JdbcClient}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Models")
package dev.trainyard.model;
