package dev.trainyard.model;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a model came from, enough to reproduce it: the dataset (id and content hash), the
 * job spec as submitted (JSON), the seed, the engine build and how it ran (Vector API on
 * or off, compute threads). Imported models have no dataset.
 */
public record Provenance(UUID datasetId, String datasetSha256, String spec, long seed, String engineVersion,
        String gitCommit, boolean simd, int threads, Instant createdAt) {
}
