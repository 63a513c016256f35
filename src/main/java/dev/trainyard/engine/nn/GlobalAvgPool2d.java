package dev.trainyard.engine.nn;

import dev.trainyard.engine.kernel.Pool;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Mean over each channel's whole (H, W) plane, (N, C, H, W) to (N, C), as
 * torch.nn.AdaptiveAvgPool2d(1) then torch.nn.Flatten(); dy spreads evenly over the
 * plane. No parameters.
 */
public final class GlobalAvgPool2d extends Layer {

    private final Buffer output;

    private final Buffer dInput;

    private int n = -1;

    public GlobalAvgPool2d(LayerSpec.GlobalAvgPool spec, Shape inputShape) {
        super(spec, inputShape, outputShape(inputShape));
        this.output = new Buffer(outputShape());
        this.dInput = new Buffer(inputShape);
    }

    /** (C) for a (C, H, W) input. */
    private static Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException("global_avg_pool needs (C, H, W) input, got " + in);
        }
        return Shape.of(in.dim(0));
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        // input (N, C, H, W) -> y (N, C); backward needs only N and the shapes
        n = batchOf(input);
        Tensor y = output.forBatch(n);
        Pool.globalAvgPool(input, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (n < 0) {
            throw new IllegalStateException("global_avg_pool backward called before forward");
        }
        // dy (N, C) -> dx (N, C, H, W) = dy / (H * W) broadcast over each plane
        requireOutputGradient(dy, n);
        Tensor dx = dInput.forBatch(n);
        Pool.globalAvgPoolBackward(dy, dx);
        return dx;
    }

}
