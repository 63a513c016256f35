package dev.trainyard.engine.nn;

import dev.trainyard.engine.kernel.Elementwise;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * y = max(0, x); dx = dy where y > 0 (y > 0 exactly where x > 0, so the output is what is
 * cached).
 */
public final class ReLU extends Layer {

    private final Buffer output;

    private final Buffer dInput;

    private Tensor y; // cached output (N, ...)

    public ReLU(LayerSpec.Relu spec, Shape inputShape) {
        super(spec, inputShape, inputShape);
        this.output = new Buffer(inputShape);
        this.dInput = new Buffer(inputShape);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        Tensor out = output.forBatch(batchOf(input));
        Elementwise.relu(input, out);
        y = out;
        return out;
    }

    /**
     * Takes the output of a forward that a batch norm before this layer did for it
     * ({@link BatchNorm#forwardRelu}), so a later {@link #backward} sees it.
     */
    void adoptOutput(Tensor out) {
        y = out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int n = Activations.requireForward(y, this);
        requireOutputGradient(dy, n);
        Tensor dx = dInput.forBatch(n);
        Elementwise.reluBackward(y, dy, dx);
        return dx;
    }

}
