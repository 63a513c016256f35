package dev.trainyard.model;

import java.util.List;

/**
 * One page of models, newest first.
 *
 * @param page 0-based page number
 * @param size page size asked for
 * @param totalItems models in all (of the job, when filtered)
 * @param totalPages pages in all
 */
public record ModelPage(List<ModelView> items, int page, int size, long totalItems, int totalPages) {
}
