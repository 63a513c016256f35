package dev.trainyard.prediction.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model as the API shows it.
 *
 * @param versions every version, oldest first
 * @param aliases alias name to version number, in alias order
 */
public record RegisteredModelView(String name, String description, List<RegisteredModelVersion> versions,
        Map<String, Integer> aliases, Instant createdAt) {
}
