package dev.trainyard.prediction.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Prediction settings ({@code trainyard.prediction.*}).
 *
 * @param cacheBytes memory for loaded models (parsed weights and replicas), least
 * recently used evicted first
 * @param maxInstances most instances in one prediction request (more: 413)
 * @param maxMcDropoutSamples most Monte Carlo dropout samples in one request
 * @param replicas idle copies of a loaded model's network kept for concurrent requests
 */
@ConfigurationProperties("trainyard.prediction")
public record PredictionProperties(DataSize cacheBytes, Integer maxInstances, Integer maxMcDropoutSamples,
        Integer replicas) {

    public PredictionProperties {
        cacheBytes = cacheBytes == null ? DataSize.ofMegabytes(512) : cacheBytes;
        maxInstances = maxInstances == null ? 1000 : maxInstances;
        maxMcDropoutSamples = maxMcDropoutSamples == null ? 100 : maxMcDropoutSamples;
        replicas = replicas == null ? Runtime.getRuntime().availableProcessors() : replicas;
    }

}
