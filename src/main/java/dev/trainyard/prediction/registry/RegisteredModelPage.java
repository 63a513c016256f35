package dev.trainyard.prediction.registry;

import java.util.List;

/**
 * One page of registered models, by name.
 *
 * @param page 0-based page number
 * @param size page size asked for
 * @param totalItems registered models in all
 * @param totalPages pages in all
 */
public record RegisteredModelPage(List<RegisteredModelView> items, int page, int size, long totalItems,
        int totalPages) {
}
