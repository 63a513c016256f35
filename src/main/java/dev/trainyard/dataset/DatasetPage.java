package dev.trainyard.dataset;

import java.util.List;

/**
 * One page of datasets, newest first.
 *
 * @param page 0-based page number
 * @param size page size asked for
 * @param totalItems datasets in all
 * @param totalPages pages in all
 */
public record DatasetPage(List<DatasetView> items, int page, int size, long totalItems, int totalPages) {
}
