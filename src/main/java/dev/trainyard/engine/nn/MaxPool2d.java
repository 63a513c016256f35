package dev.trainyard.engine.nn;

import dev.trainyard.engine.kernel.Pool;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Max over size x size windows of each (H, W) plane, as torch.nn.MaxPool2d; dy flows to
 * each window's maximum.
 */
public final class MaxPool2d extends Layer {

    private final int size;

    private final int stride;

    private final Buffer output;

    private final Buffer dInput;

    private int[] argmax = new int[0]; // per output value, the index of its maximum in
                                       // the input plane

    private int n = -1;

    private Tensor y; // output of the last forward

    public MaxPool2d(LayerSpec.MaxPool spec, Shape inputShape) {
        super(spec, inputShape, PoolShapes.output("max_pool", inputShape, spec.size(), spec.stride()));
        this.size = spec.size();
        this.stride = spec.stride();
        this.output = new Buffer(outputShape());
        this.dInput = new Buffer(inputShape);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        Tensor y = outputFor(batchOf(input));
        Pool.maxPool(input, size, stride, y, argmax);
        return y;
    }

    int size() {
        return size;
    }

    int stride() {
        return stride;
    }

    /**
     * The output for a batch of n, with room for its argmax, remembered for backward:
     * this layer's forward fills them, or a batch norm before it with the ReLU between
     * them ({@link BatchNorm#forwardReluPool}).
     */
    Tensor outputFor(int n) {
        this.n = n;
        y = output.forBatch(n);
        if (argmax.length < y.size()) {
            argmax = new int[y.size()];
        }
        return y;
    }

    /**
     * The output of the last forward: after a ReLU, positive exactly where the ReLU
     * passes a gradient on at the window's maximum.
     */
    Tensor lastOutput() {
        return y;
    }

    /** Per output value of the last forward, the index of its maximum in its plane. */
    int[] argmax() {
        return argmax;
    }

    /** Checks dy against the last forward, for a backward done by the batch norm. */
    void requireFusedGradient(Tensor dy, int batch) {
        if (n != batch) {
            throw new IllegalStateException("max_pool backward called before forward");
        }
        requireOutputGradient(dy, n);
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (n < 0) {
            throw new IllegalStateException("max_pool backward called before forward");
        }
        requireOutputGradient(dy, n);
        Tensor dx = dInput.forBatch(n);
        Pool.maxPoolBackward(dy, argmax, dx);
        return dx;
    }

}
