package dev.trainyard.prediction.inference;

/** The Open Inference Protocol's error body: {@code {"error": "..."}}. */
public record InferenceError(String error) {
}
