package dev.trainyard.engine.nn;

import dev.trainyard.engine.tensor.Tensor;
import java.util.List;

/**
 * Runs a list of layers in order, forward and backward, as {@link Sequential} and a
 * {@link Residual}'s branches do: a batch norm whose output goes straight into a ReLU
 * runs with it as one pass ({@link BatchNorm#forwardRelu},
 * {@link BatchNorm#backwardRelu}), and with a max pool after the ReLU as well
 * ({@link BatchNorm#forwardReluPool}, {@link BatchNorm#backwardReluPool}), with the same
 * bits as the layers one by one.
 */
final class Chain {

    private Chain() {
    }

    /** y (N, ...) of the last layer for x (N, ...) of the first. */
    static Tensor forward(List<Layer> layers, Tensor x, boolean training) {
        Tensor t = x;
        for (int i = 0; i < layers.size(); i++) {
            if (fusedBatchNormReluPool(layers, i)) {
                t = ((BatchNorm) layers.get(i)).forwardReluPool(t, training, (MaxPool2d) layers.get(i + 2));
                i += 2;
                continue;
            }
            if (fusedBatchNormRelu(layers, i)) {
                t = ((BatchNorm) layers.get(i)).forwardRelu(t, training);
                ((ReLU) layers.get(++i)).adoptOutput(t);
                continue;
            }
            t = layers.get(i).forward(t, training);
        }
        return t;
    }

    /** dx of the first layer (or null) for dy of the last, after {@link #forward}. */
    static Tensor backward(List<Layer> layers, Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (i > 1 && fusedBatchNormReluPool(layers, i - 2)) {
                i -= 2;
                g = ((BatchNorm) layers.get(i)).backwardReluPool(g, (MaxPool2d) layers.get(i + 2));
                continue;
            }
            if (i > 0 && fusedBatchNormRelu(layers, i - 1)) {
                g = ((BatchNorm) layers.get(--i)).backwardRelu(g);
                continue;
            }
            g = layers.get(i).backward(g);
        }
        return g;
    }

    /**
     * Whether layer i is a batch norm of (C, H, W) planes whose output goes through a
     * ReLU straight into a max pool.
     */
    private static boolean fusedBatchNormReluPool(List<Layer> layers, int i) {
        return fusedBatchNormRelu(layers, i) && i + 2 < layers.size() && layers.get(i + 2) instanceof MaxPool2d
                && layers.get(i).inputShape().rank() == 3;
    }

    /** Whether layer i is a batch norm whose output goes straight into a ReLU. */
    private static boolean fusedBatchNormRelu(List<Layer> layers, int i) {
        return i + 1 < layers.size() && layers.get(i) instanceof BatchNorm && layers.get(i + 1) instanceof ReLU;
    }

}
