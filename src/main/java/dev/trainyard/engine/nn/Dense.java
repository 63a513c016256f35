package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Fans;
import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.kernel.Gemm;
import dev.trainyard.engine.kernel.Reduce;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/** Fully connected layer, as torch.nn.Linear: y = x W^T + b with W (out, in), b (out). */
public final class Dense extends Layer {

    private final int in;

    private final int out;

    private final Parameter weight;

    private final Parameter bias;

    private final Buffer output;

    private final Buffer dInput;

    private Tensor x; // cached input (N, in)

    /**
     * W^T (in, out) for serving, from {@link #prepareInference()}: x W^T is then a
     * product with an untransposed B, which the GEMM reads in place for a few rows
     * instead of packing all of W on every call.
     */
    private Tensor inferenceWeight;

    public Dense(LayerSpec.Dense spec, Shape inputShape, Initializer weightInit) {
        super(spec, requireFeatures(inputShape), Shape.of(spec.units()));
        this.in = inputShape.dim(0);
        this.out = spec.units();
        Shape w = Shape.of(out, in);
        this.weight = addParameter("weight", w, weightInit, Fans.of(w));
        this.bias = addParameter("bias", Shape.of(out), new Zeros(), Fans.of(w));
        this.output = new Buffer(outputShape());
        this.dInput = new Buffer(inputShape);
    }

    private static Shape requireFeatures(Shape input) {
        if (input.rank() != 1) {
            throw new IllegalArgumentException(
                    "dense needs (F) input, got " + input + "; add a flatten layer before it");
        }
        return input;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public void prepareInference() {
        float[] w = weight.value().data();
        int wOff = weight.value().offset();
        float[] t = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w[wOff + o * in + i];
            }
        }
        inferenceWeight = Tensor.wrap(t, in, out);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        int n = batchOf(input);
        x = input;
        Tensor y = output.forBatch(n);
        if (training) {
            inferenceWeight = null;
        }
        // y (N, out) = x (N, in) * W^T (in, out) + b
        if (inferenceWeight != null) {
            Gemm.matmul(input, false, inferenceWeight, false, y, 1f, 0f);
        }
        else {
            Gemm.matmul(input, false, weight.value(), true, y, 1f, 0f);
        }
        Reduce.addBias(y, bias.value());
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (x == null) {
            throw new IllegalStateException("dense backward called before forward");
        }
        int n = x.dim(0);
        requireOutputGradient(dy, n);
        // dW (out, in) += dy^T (out, N) * x (N, in); db (out) += sum over N of dy
        Gemm.matmul(dy, true, x, false, weight.grad(), 1f, 1f);
        Reduce.sumRows(dy, bias.grad());
        if (!inputGradientNeeded()) {
            return null;
        }
        // dx (N, in) = dy (N, out) * W (out, in)
        Tensor dx = dInput.forBatch(n);
        Gemm.matmul(dy, false, weight.value(), false, dx, 1f, 0f);
        return dx;
    }

}
