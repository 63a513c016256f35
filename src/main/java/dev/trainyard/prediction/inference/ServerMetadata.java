package dev.trainyard.prediction.inference;

import java.util.List;

/** The Open Inference Protocol's server metadata; no extensions are supported. */
public record ServerMetadata(String name, String version, List<String> extensions) {
}
