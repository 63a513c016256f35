package dev.trainyard.engine.train;

/**
 * One finished step: epoch and batch are 1-based; {@code batches} is the epoch's number
 * of batches.
 */
public record BatchProgress(int epoch, int batch, int batches, float loss) {
}
