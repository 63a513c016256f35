package dev.trainyard.training;

/**
 * What one member measured in one epoch (both 1-based). Training loss and accuracy are
 * averages over the epoch's batches in training mode; validation figures are null without
 * a validation split; {@code seconds} covers training and validation,
 * {@code samplesPerSecond} training only.
 */
public record EpochRow(int member, int epoch, double trainLoss, double trainAccuracy, Double valLoss,
        Double valAccuracy, double learningRate, double seconds, double samplesPerSecond) {
}
