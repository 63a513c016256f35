package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Fans;
import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * A trainable tensor of a layer: its value and its gradient are views into the model's
 * one parameter buffer and one gradient buffer (see {@link Sequential#parameterData()}),
 * at the same {@link #offset()} in both. Named as in PyTorch's {@code state_dict}:
 * {@code 0.weight}, {@code 1.bias}.
 */
public final class Parameter {

    private String localName;

    private final Shape shape;

    private final Initializer initializer;

    private final Fans fans;

    private String name;

    private int offset = -1;

    private Tensor value;

    private Tensor grad;

    Parameter(String localName, Shape shape, Initializer initializer, Fans fans) {
        this.localName = localName;
        this.shape = shape;
        this.initializer = initializer;
        this.fans = fans;
        this.name = localName;
    }

    /**
     * Full name, {@code <layer index>.<local name>}, e.g. {@code 3.running_mean}'s
     * sibling {@code 3.weight}.
     */
    public String name() {
        return name;
    }

    /**
     * Name within its layer: {@code weight} or {@code bias}; within a residual, with the
     * sub-layer's path, e.g. {@code body.0.weight}.
     */
    public String localName() {
        return localName;
    }

    /**
     * Puts this parameter of a sub-layer under its place in the enclosing layer, e.g.
     * {@code body.0}.
     */
    void nestUnder(String prefix) {
        this.localName = prefix + "." + localName;
        this.name = localName;
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return shape.size();
    }

    /** Offset of this parameter in the model's parameter and gradient buffers. */
    public int offset() {
        return offset;
    }

    /** The values, a view into the model's parameter buffer. */
    public Tensor value() {
        requireBound();
        return value;
    }

    /** The accumulated gradient dLoss/dvalue, a view into the model's gradient buffer. */
    public Tensor grad() {
        requireBound();
        return grad;
    }

    public Initializer initializer() {
        return initializer;
    }

    public Fans fans() {
        return fans;
    }

    void bind(String fullName, float[] values, float[] grads, int at) {
        this.name = fullName;
        this.offset = at;
        this.value = Tensor.view(values, at, shape);
        this.grad = Tensor.view(grads, at, shape);
    }

    private void requireBound() {
        if (value == null) {
            throw new IllegalStateException("parameter " + name + " is not bound to a model's buffers yet");
        }
    }

    @Override
    public String toString() {
        return name + shape;
    }

}
