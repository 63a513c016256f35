package dev.trainyard.model;

/**
 * How a model did: final training loss, validation accuracy, and on the job's test set
 * (when it had one) accuracy, loss and the confusion matrix (rows: true class, columns:
 * predicted class, in the order of the model's classes). Any part may be null when it was
 * not measured.
 */
public record ModelMetrics(Double trainLoss, Double valAccuracy, Double testAccuracy, Double testLoss,
        int[][] confusionMatrix) {

    public static final ModelMetrics NONE = new ModelMetrics(null, null, null, null, null);

}
