package dev.trainyard.engine.nn;

import dev.trainyard.engine.kernel.Pool;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Mean over size x size windows of each (H, W) plane, as torch.nn.AvgPool2d; dy spreads
 * evenly over each window.
 */
public final class AvgPool2d extends Layer {

    private final int size;

    private final int stride;

    private final Buffer output;

    private final Buffer dInput;

    private int n = -1;

    public AvgPool2d(LayerSpec.AvgPool spec, Shape inputShape) {
        super(spec, inputShape, PoolShapes.output("avg_pool", inputShape, spec.size(), spec.stride()));
        this.size = spec.size();
        this.stride = spec.stride();
        this.output = new Buffer(outputShape());
        this.dInput = new Buffer(inputShape);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        n = batchOf(input);
        Tensor y = output.forBatch(n);
        Pool.avgPool(input, size, stride, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (n < 0) {
            throw new IllegalStateException("avg_pool backward called before forward");
        }
        requireOutputGradient(dy, n);
        Tensor dx = dInput.forBatch(n);
        Pool.avgPoolBackward(dy, size, stride, dx);
        return dx;
    }

}
