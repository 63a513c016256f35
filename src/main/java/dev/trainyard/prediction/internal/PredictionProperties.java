package dev.trainyard.prediction.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Prediction settings ({@code trainyard.prediction.*}).
 *
 * @param cacheBytes memory for loaded models (parsed weights and replicas); beyond it
 * Caffeine evicts by recency and frequency (W-TinyLFU)
 * @param maxInstances most instances in one prediction request (more: 413)
 * @param maxMcDropoutSamples most Monte Carlo dropout samples in one request
 * @param replicas copies of a loaded model's network that serve requests at once (default
 * 1: while it is busy, requests queue and are then served as one batch, which reads the
 * weights once for all of them; measured faster than one replica per core for the mlp);
 * more suit compute-bound models on many cores
 * @param batchRows most rows that requests waiting for the same model are batched into
 * (one forward pass); a single larger request runs alone
 * @param cacheCheckInterval how often each instance asks the database which of its loaded
 * models still exist and drops the others (deleted by another instance); more than 0 and
 * at most 1 s, so that a deleted model stops serving on every instance within 2 s. The
 * instance that deletes a model drops it at once.
 */
@ConfigurationProperties("trainyard.prediction")
record PredictionProperties(DataSize cacheBytes, Integer maxInstances, Integer maxMcDropoutSamples, Integer replicas,
        Integer batchRows, Duration cacheCheckInterval) {

    public PredictionProperties {
        cacheBytes = cacheBytes == null ? DataSize.ofMegabytes(512) : cacheBytes;
        maxInstances = maxInstances == null ? 1000 : maxInstances;
        maxMcDropoutSamples = maxMcDropoutSamples == null ? 100 : maxMcDropoutSamples;
        replicas = replicas == null ? 1 : replicas;
        batchRows = batchRows == null ? 64 : batchRows;
        cacheCheckInterval = cacheCheckInterval == null ? Duration.ofMillis(500) : cacheCheckInterval;
        if (replicas < 1 || batchRows < 1 || maxInstances < 1) {
            throw new IllegalArgumentException(
                    "trainyard.prediction.replicas, batch-rows and max-instances must be at least 1");
        }
        if (!cacheCheckInterval.isPositive() || cacheCheckInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("trainyard.prediction.cache-check-interval must be more than 0 and at"
                    + " most 1s (a deleted model stops serving on every instance within 2 s), not "
                    + cacheCheckInterval);
        }
    }

}
