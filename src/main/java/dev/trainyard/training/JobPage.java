package dev.trainyard.training;

import java.util.List;

/** One page of a tenant's jobs, newest first. */
public record JobPage(List<JobView> items, int page, int size, long totalItems, int totalPages) {
}
