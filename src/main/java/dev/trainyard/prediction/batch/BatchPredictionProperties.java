package dev.trainyard.prediction.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code trainyard.batch-predictions.*}.
 *
 * @param chunkRows examples scored as one forward pass and stored in one transaction
 * (fewer where an example has so many values, or the model so many classes, that a
 * chunk's inputs would pass 64 MiB or its probabilities 8 MiB); fixed for a batch when it
 * is submitted, so that a resumed batch cuts its chunks where the first attempt did
 */
@ConfigurationProperties("trainyard.batch-predictions")
record BatchPredictionProperties(@DefaultValue("4096") int chunkRows) {

    BatchPredictionProperties {
        if (chunkRows < 1) {
            throw new IllegalArgumentException(
                    "trainyard.batch-predictions.chunk-rows must be at least 1, got " + chunkRows);
        }
    }

}
