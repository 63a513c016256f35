package dev.trainyard.engine.train;

/**
 * What one epoch measured. Training loss and accuracy are averaged over the epoch's
 * batches as they were trained (training mode, so with dropout); validation figures are
 * null without a validation set. {@code seconds} covers training and validation,
 * {@code samplesPerSecond} the training part only. {@code learningRate} is the rate of
 * the epoch's last step.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, Double validationLoss,
        Double validationAccuracy, double learningRate, double seconds, double trainSeconds, double samplesPerSecond) {
}
