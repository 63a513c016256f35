package dev.trainyard.model;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a model came from, enough to reproduce it: the dataset (id and content hash), the
 * job spec as submitted (JSON), the seed, the engine build and how it ran (Vector API on
 * or off, compute threads); and the SHA-256 of its weights, so that a model trained again
 * from the same spec can be compared with it bit for bit without downloading either.
 * Imported models have no dataset.
 *
 * @param weightsSha256 {@code engine.io.ModelFile#weightsSha256()} of the stored file:
 * the tensors (parameters and batch-norm statistics) without any metadata; set by
 * {@link ModelService#register}, absent from models registered before it existed
 */
public record Provenance(UUID datasetId, String datasetSha256, String spec, long seed, String engineVersion,
        String gitCommit, boolean simd, int threads, Instant createdAt, String weightsSha256) {

    /** This provenance with the hash of the weights it describes. */
    public Provenance withWeightsSha256(String sha256) {
        return new Provenance(datasetId, datasetSha256, spec, seed, engineVersion, gitCommit, simd, threads, createdAt,
                sha256);
    }

}
