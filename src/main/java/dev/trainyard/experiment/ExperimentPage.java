package dev.trainyard.experiment;

import java.util.List;

/** One page of a tenant's experiments, newest first. */
public record ExperimentPage(List<ExperimentSummary> items, int page, int size, long totalItems, int totalPages) {
}
