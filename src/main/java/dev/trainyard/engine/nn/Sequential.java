package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack of layers built from specs for a given per-example input shape.
 *
 * <p>
 * All parameters live in one {@code float[]} and all gradients in another, at the same
 * offsets; every {@link Parameter}'s value and grad are views into them, so an optimizer
 * walks one array. Names follow PyTorch's {@code state_dict} of the equivalent
 * {@code nn.Sequential}: {@code <index>.weight}, {@code <index>.bias},
 * {@code <index>.running_mean}, ...; a residual's tensors are named under its index as
 * PyTorch names a module with {@code body} and {@code shortcut} members
 * ({@code 3.body.0.weight}, {@code 3.shortcut.1.running_var}).
 *
 * <p>
 * Randomness: weights are drawn from stream 0 of {@code seed}, layer by layer in order (a
 * residual's body, then its shortcut); dropout and DropBlock masks from stream 1
 * ({@link #rng()}), sequentially in forward order, so results do not depend on the thread
 * count, and saving and restoring {@link Rng#state()} with the weights resumes training
 * bit for bit.
 */
public final class Sequential {

    private final Shape inputShape;

    private final List<LayerSpec> specs;

    private final List<Layer> layers;

    private final List<Parameter> parameters;

    private final float[] parameterData;

    private final float[] gradientData;

    private final Rng rng;

    private Sequential(Shape inputShape, List<LayerSpec> specs, Initializer defaultInit, long seed) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one layer");
        }
        this.inputShape = inputShape;
        this.specs = List.copyOf(specs);
        this.rng = Rng.forStream(seed, 1);
        List<Layer> built = new ArrayList<>();
        Shape shape = inputShape;
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec spec = specs.get(i);
            try {
                Layer layer = spec.type().layer(spec, shape, defaultInit, rng);
                built.add(layer);
                shape = layer.outputShape();
            }
            catch (IllegalArgumentException e) {
                throw InvalidLayerException.at(i, "layer " + i + " " + spec.kind() + ": ", e);
            }
        }
        built.getFirst().setInputGradientNeeded(false);
        this.layers = List.copyOf(built);

        List<Parameter> all = new ArrayList<>();
        long total = 0;
        for (Layer layer : layers) {
            for (Parameter p : layer.parameters()) {
                all.add(p);
                total += p.size();
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("model has " + total + " parameters, more than one array holds");
        }
        this.parameters = List.copyOf(all);
        this.parameterData = new float[(int) total];
        this.gradientData = new float[(int) total];
        Rng initRng = Rng.forStream(seed, 0);
        int at = 0;
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                p.bind(i + "." + p.localName(), parameterData, gradientData, at);
                p.initializer().fill(p.value(), p.fans(), initRng);
                at += p.size();
            }
        }
    }

    /**
     * Builds the model. {@code inputShape} is per example, e.g. (784) or (1, 28, 28);
     * {@code defaultInit} applies to every weight layer whose spec carries no init. A
     * layer that does not fit its input throws {@link InvalidLayerException} with its
     * index.
     */
    public static Sequential build(Shape inputShape, List<LayerSpec> specs, Initializer defaultInit, long seed) {
        return new Sequential(inputShape, specs, defaultInit, seed);
    }

    /**
     * y (N, ...outputShape) for x (N, ...inputShape); owned by the last layer, valid
     * until the next forward.
     */
    public Tensor forward(Tensor x, boolean training) {
        return Chain.forward(layers, x, training);
    }

    /**
     * For a model that only serves predictions from now on: see
     * {@link Layer#prepareInference()}.
     */
    public void prepareInference() {
        for (Layer layer : layers) {
            layer.prepareInference();
        }
    }

    /**
     * Monte Carlo dropout inference (Gal and Ghahramani 2016): y (N, ...outputShape) with
     * every {@link Layer#stochastic() stochastic} layer (dropout, DropBlock) in training
     * mode, drawing its masks from {@link #rng()}, and every other layer in test mode
     * (batch norm uses its running statistics, so an example's output does not depend on
     * the rest of the batch and the running statistics are left alone). Not for backward.
     */
    public Tensor forwardMonteCarlo(Tensor x) {
        Tensor t = x;
        for (Layer layer : layers) {
            t = layer.forwardMonteCarlo(t);
        }
        return t;
    }

    /**
     * Back-propagates dy (the loss gradient for the last forward's output), accumulating
     * every parameter gradient. Returns dInput when {@link #setInputGradientNeeded} asked
     * for it, else null.
     */
    public Tensor backward(Tensor dy) {
        return Chain.backward(layers, dy);
    }

    /**
     * Off by default: the first layer skips computing the gradient of the model's input.
     */
    public void setInputGradientNeeded(boolean needed) {
        layers.getFirst().setInputGradientNeeded(needed);
    }

    public void zeroGrad() {
        Arrays.fill(gradientData, 0f);
    }

    /**
     * Tells every layer an epoch (1-based) begins; call it also when resuming inside an
     * epoch.
     */
    public void startEpoch(int epoch) {
        for (Layer layer : layers) {
            layer.startEpoch(epoch);
        }
    }

    /** All parameters, in layer order, weight before bias. */
    public float[] parameterData() {
        return parameterData;
    }

    /** All gradients, at the same offsets as {@link #parameterData()}. */
    public float[] gradientData() {
        return gradientData;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** The parameter named e.g. {@code 0.weight}. */
    public Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameter " + name + "; the model has " + parameterNames());
    }

    public List<String> parameterNames() {
        return parameters.stream().map(Parameter::name).toList();
    }

    public long parameterCount() {
        return parameterData.length;
    }

    /**
     * Non-trainable state (e.g. {@code 1.running_mean}, {@code 1.running_var}) as live
     * tensors, in layer order: read them to save, {@link Tensor#copyFrom} into them to
     * restore.
     */
    public Map<String, Tensor> state() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Tensor> e : layers.get(i).state().entrySet()) {
                m.put(i + "." + e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * PyTorch's {@code num_batches_tracked} of every BatchNorm layer, e.g.
     * {@code 1.num_batches_tracked}: an integer counter, kept out of {@link #state()}
     * (float tensors).
     */
    public Map<String, Long> batchNormCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        batchNorms().forEach((name, bn) -> m.put(name, bn.batchesTracked()));
        return Collections.unmodifiableMap(m);
    }

    /** Restores a counter named as in {@link #batchNormCounters()}. */
    public void setBatchNormCounter(String name, long value) {
        BatchNorm bn = batchNorms().get(name);
        if (bn == null) {
            throw new IllegalArgumentException(
                    "no batch norm counter " + name + "; the model has " + batchNormCounters().keySet());
        }
        bn.setBatchesTracked(value);
    }

    /**
     * Every batch norm layer, nested ones included, by its counter's name:
     * {@code 1.num_batches_tracked}, {@code 3.body.1.num_batches_tracked}.
     */
    private Map<String, BatchNorm> batchNorms() {
        Map<String, BatchNorm> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, BatchNorm> e : layers.get(i).batchNorms().entrySet()) {
                String path = e.getKey().isEmpty() ? String.valueOf(i) : i + "." + e.getKey();
                m.put(path + ".num_batches_tracked", e.getValue());
            }
        }
        return m;
    }

    /**
     * The generator of dropout and DropBlock masks; its state belongs in a checkpoint.
     */
    public Rng rng() {
        return rng;
    }

    public List<Layer> layers() {
        return layers;
    }

    public Layer layer(int index) {
        return layers.get(index);
    }

    public List<LayerSpec> specs() {
        return specs;
    }

    public Shape inputShape() {
        return inputShape;
    }

    public Shape outputShape() {
        return layers.getLast().outputShape();
    }

    public Summary summary() {
        List<Summary.Row> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            rows.add(new Summary.Row(i, l.kind(), l.outputShape(), l.parameterCount()));
        }
        return new Summary(inputShape, rows, parameterCount());
    }

}
