package dev.trainyard.prediction.batch;

import java.util.List;

/** One page of a tenant's batch predictions, newest first. */
public record BatchPredictionPage(List<BatchPredictionView> items, int page, int size, long totalItems,
        int totalPages) {
}
