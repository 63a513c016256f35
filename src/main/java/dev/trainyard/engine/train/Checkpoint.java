package dev.trainyard.engine.train;

import dev.trainyard.engine.optim.OptimizerState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link Trainer} carries from one batch to the next, so that a run restored
 * from it continues bit for bit; {@link TrainerState} writes and reads it. Arrays and
 * maps are copies, not views of the live run.
 *
 * @param epoch the epoch in progress, or the next one (1-based)
 * @param batch the next batch within {@code epoch} (0-based; 0 before it has drawn its
 * order)
 * @param finished how the run ended, null while it has epochs to go
 * @param parameters every model parameter, in {@code Sequential}'s one-buffer layout
 * @param modelState the model's running statistics (batch norm) by name
 * @param batchNormCounters the training batches each batch norm layer has seen, by the
 * name of PyTorch's {@code num_batches_tracked} ({@code Sequential#batchNormCounters})
 * @param modelRng the model's generator (dropout and DropBlock masks)
 * @param optimizer step count, learning rate and per-parameter buffers
 * @param shuffleRng the trainer's shuffling generator now
 * @param augmentationRng the trainer's augmentation generator now
 * @param epochRng the shuffling generator as it was before {@code epoch} drew its order,
 * to draw that order again; null before the first epoch
 * @param lossSum the current epoch's loss summed over its examples
 * @param correct the current epoch's correctly classified examples
 * @param seen the current epoch's examples so far
 * @param trainNanos the current epoch's training time so far
 * @param bestScore the best monitored score (early stopping), NaN before the first
 * @param bestEpoch the epoch that scored {@code bestScore}, 0 before the first
 * @param epochsWithoutImprovement epochs since {@code bestEpoch}
 * @param bestParameters the parameters after {@code bestEpoch}, null without early
 * stopping or before its first epoch
 * @param bestState the running statistics after {@code bestEpoch}, null with
 * {@code bestParameters}
 * @param emaParameters the exponential moving average of the parameters, in the same
 * layout; null without one
 * @param history the metrics of every finished epoch
 */
record Checkpoint(int epoch, int batch, TrainingResult.Status finished, float[] parameters,
        Map<String, float[]> modelState, Map<String, Long> batchNormCounters, long[] modelRng, OptimizerState optimizer,
        long[] shuffleRng, long[] augmentationRng, long[] epochRng, double lossSum, long correct, long seen,
        long trainNanos, double bestScore, int bestEpoch, int epochsWithoutImprovement, float[] bestParameters,
        Map<String, float[]> bestState, float[] emaParameters, List<EpochMetrics> history) {

    Checkpoint {
        // in the model's layer order, so that a checkpoint is written the same every time
        batchNormCounters = Collections.unmodifiableMap(new LinkedHashMap<>(batchNormCounters));
        history = List.copyOf(history);
    }

}
