package dev.trainyard.prediction.batch;

import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.ensemble.ClassProbabilities;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.kernel.Gemm;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.model.ModelView;

/**
 * A model's network built for one batch, and its stored preprocessing. A chunk is scored
 * as {@code POST /models/{id}/predictions} scores a request too large to be batched with
 * others: the preprocessing fitted on the model's training split, then one forward pass
 * in test mode over the shared compute pool, with the block-invariant GEMM. Every row
 * therefore gets the bits that a prediction of that row alone gets, whatever chunk it is
 * in. The network is the batch's own (a replica of the serving cache's would hold up
 * predictions while a chunk runs). One thread at a time.
 */
final class ScoringModel {

    private final Sequential network;

    private final PreprocessingStatistics preprocessing;

    private final Shape featureShape;

    private final int classes;

    ScoringModel(ModelView view, byte[] file) {
        int[] shape = view.featureShape().stream().mapToInt(Integer::intValue).toArray();
        this.featureShape = Shape.of(shape);
        this.preprocessing = view.preprocessing().toStatistics(shape);
        this.classes = view.classes().size();
        this.network = ModelFile.fromBytes(file).toModel();
        this.network.prepareInference();
    }

    int featureCount() {
        return featureShape.size();
    }

    /**
     * Class probabilities, {@code rows x classes} row-major, of {@code rows} raw examples
     * ({@code rows x featureCount} values, row-major).
     */
    float[] probabilities(float[] raw, int rows) {
        Tensor x = preprocessing.apply(Tensor.wrap(raw, featureShape.withBatch(rows)));
        Tensor[] p = new Tensor[1];
        Gemm.blockInvariant(() -> p[0] = ClassProbabilities.predict(network, x));
        float[] out = p[0].toArray();
        if (out.length != rows * classes) {
            throw new IllegalStateException("the model answers " + out.length / Math.max(rows, 1)
                    + " values per example but has " + classes + " classes");
        }
        return out;
    }

}
