package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Fans;
import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.kernel.Conv;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation) as torch.nn.Conv2d: x (N, C, H, W), weight (F, C,
 * K, K), bias (F) or none, y (N, F, OH, OW) with OH = (H + 2 pad - K) / stride + 1.
 * Lowered to GEMM by {@link Conv}.
 */
public final class Conv2d extends Layer {

    private final int stride;

    private final int padding;

    private final Parameter weight;

    private final Parameter bias; // null without a bias

    private final Buffer output;

    private final Buffer dInput;

    private Tensor x; // cached input (N, C, H, W)

    public Conv2d(LayerSpec.Conv2d spec, Shape inputShape, Initializer weightInit) {
        super(spec, inputShape, outputShape(spec, inputShape));
        this.stride = spec.stride();
        this.padding = spec.padding();
        Shape w = Shape.of(spec.filters(), inputShape.dim(0), spec.kernel(), spec.kernel());
        this.weight = addParameter("weight", w, weightInit, Fans.of(w));
        this.bias = spec.bias() ? addParameter("bias", Shape.of(spec.filters()), new Zeros(), Fans.of(w)) : null;
        this.output = new Buffer(outputShape());
        this.dInput = new Buffer(inputShape);
    }

    private static Shape outputShape(LayerSpec.Conv2d spec, Shape in) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException("conv2d needs (C, H, W) input, got " + in);
        }
        int k = spec.kernel();
        if (in.dim(1) + 2 * spec.padding() < k || in.dim(2) + 2 * spec.padding() < k) {
            throw new IllegalArgumentException(
                    "kernel " + k + " with padding " + spec.padding() + " does not fit input " + in);
        }
        int oh = Conv.outputSize(in.dim(1), k, spec.stride(), spec.padding());
        int ow = Conv.outputSize(in.dim(2), k, spec.stride(), spec.padding());
        return Shape.of(spec.filters(), oh, ow);
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        int n = batchOf(input);
        x = input;
        Tensor y = output.forBatch(n);
        Conv.forward(input, weight.value(), bias == null ? null : bias.value(), stride, padding, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (x == null) {
            throw new IllegalStateException("conv2d backward called before forward");
        }
        int n = x.dim(0);
        requireOutputGradient(dy, n);
        // dW (F, C, K, K) += sum over images of dy_i * im2col(x_i)^T; db (F) += channel
        // sums of dy
        Conv.backwardWeight(x, dy, stride, padding, weight.grad(), bias == null ? null : bias.grad());
        if (!inputGradientNeeded()) {
            return null;
        }
        Tensor dx = dInput.forBatch(n);
        Conv.backwardInput(dy, weight.value(), stride, padding, dx);
        return dx;
    }

}
