package dev.trainyard.dataset;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored dataset as clients and other modules see it.
 *
 * @param format {@code csv}, {@code idx} or {@code images}
 * @param examples number of examples
 * @param featureShape shape of one example: [features] for CSV, [C, H, W] for images and
 * IDX
 * @param classes class names; label i of the loaded dataset means {@code classes[i]}
 * @param classCounts examples per class, in class order
 * @param sha256 SHA-256 of the uploaded bytes as received (compressed if the upload was),
 * for IDX of the images part followed by the labels part
 * @param sizeBytes bytes stored: features (uint8 or float32) and labels (int32)
 */
public record DatasetView(UUID id, String name, String format, int examples, List<Integer> featureShape,
        List<String> classes, Map<String, Integer> classCounts, String sha256, long sizeBytes, Instant createdAt) {
}
