package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.kernel.Elementwise;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A residual block (He et al. 2016): y = body(x) + shortcut(x), x (N, ...in), y (N,
 * ...out). The body is the spec's sub-layers in order; the shortcut is the identity when
 * out = in, else a projection for (C, H, W) input: a bias-less 1x1 convolution with the
 * stride s that takes H to H' (floor((H - 1) / s) + 1 = H', and likewise W), then batch
 * norm. Backward: dy reaches both branches unchanged, dx = dx_body + dx_shortcut (dy
 * itself for the identity). Parameters are the body's then the shortcut's, named
 * {@code body.<j>.<name>} and {@code shortcut.<j>.<name>} as PyTorch names a module with
 * two nn.Sequential members.
 */
public final class Residual extends Layer {

    private final List<Layer> body;

    private final List<Layer> shortcut; // empty: the identity

    private final Buffer output;

    private final Buffer dInput;

    private int batch = -1; // N of the last forward

    public Residual(LayerSpec.Residual spec, Shape inputShape, Initializer defaultInit, Rng rng) {
        this(spec, inputShape, body(spec, inputShape, defaultInit, rng), defaultInit);
    }

    private Residual(LayerSpec.Residual spec, Shape inputShape, List<Layer> body, Initializer defaultInit) {
        super(spec, inputShape, body.getLast().outputShape());
        this.body = body;
        this.shortcut = shortcut(inputShape, outputShape(), defaultInit);
        for (int j = 0; j < body.size(); j++) {
            adoptParameters("body." + j, body.get(j));
        }
        for (int j = 0; j < shortcut.size(); j++) {
            adoptParameters("shortcut." + j, shortcut.get(j));
        }
        this.output = new Buffer(outputShape());
        this.dInput = new Buffer(inputShape);
    }

    private static List<Layer> body(LayerSpec.Residual spec, Shape input, Initializer defaultInit, Rng rng) {
        List<Layer> layers = new ArrayList<>();
        Shape shape = input;
        for (int j = 0; j < spec.layers().size(); j++) {
            LayerSpec sub = spec.layers().get(j);
            try {
                Layer layer = sub.type().layer(sub, shape, defaultInit, rng);
                layers.add(layer);
                shape = layer.outputShape();
            }
            catch (IllegalArgumentException e) {
                throw InvalidLayerException.within("layers", j, e);
            }
        }
        return List.copyOf(layers);
    }

    /** The identity (no layers) where out = in, else the 1x1 conv and batch norm. */
    private static List<Layer> shortcut(Shape in, Shape out, Initializer defaultInit) {
        if (in.equals(out)) {
            return List.of();
        }
        if (in.rank() != 3 || out.rank() != 3) {
            throw new InvalidLayerException("layers", "the body turns " + in + " into " + out
                    + ", which only the identity (same shape) could add to; a projection needs (C, H, W) both ways");
        }
        int stride = projectionStride(in.dim(1), in.dim(2), out.dim(1), out.dim(2));
        if (stride == 0) {
            throw new InvalidLayerException("layers", "the body turns " + in + " into " + out
                    + ", which no strided 1x1 convolution of the input matches");
        }
        Conv2d conv = new Conv2d(new LayerSpec.Conv2d(out.dim(0), 1, stride, 0, false, null), in,
                LayerType.init(null, defaultInit));
        return List.of(conv, new BatchNorm(new LayerSpec.BatchNorm(), conv.outputShape()));
    }

    /**
     * The smallest stride s with floor((h - 1) / s) + 1 = oh and the same for the width
     * (a 1x1 kernel without padding), or 0 where there is none.
     */
    static int projectionStride(int h, int w, int oh, int ow) {
        for (int s = 1; s <= Math.max(h, w); s++) {
            if ((h - 1) / s + 1 == oh && (w - 1) / s + 1 == ow) {
                return s;
            }
        }
        return 0;
    }

    /** The body's layers, in order. */
    public List<Layer> body() {
        return body;
    }

    /** The projection's conv and batch norm; empty for the identity. */
    public List<Layer> shortcut() {
        return shortcut;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        return forward(input, training, false);
    }

    @Override
    public Tensor forwardMonteCarlo(Tensor input) {
        return forward(input, false, true);
    }

    private Tensor forward(Tensor input, boolean training, boolean monteCarlo) {
        int n = batchOf(input);
        Tensor b = monteCarlo ? forwardMonteCarlo(body, input) : Chain.forward(body, input, training);
        Tensor s = monteCarlo ? forwardMonteCarlo(shortcut, input) : Chain.forward(shortcut, input, training);
        // y (N, ...out) = body(x) + shortcut(x), written once into the block's own buffer
        Tensor y = output.forBatch(n);
        Elementwise.add(b, s, y);
        batch = n;
        return y;
    }

    private static Tensor forwardMonteCarlo(List<Layer> layers, Tensor x) {
        Tensor t = x;
        for (Layer layer : layers) {
            t = layer.forwardMonteCarlo(t);
        }
        return t;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (batch < 0) {
            throw new IllegalStateException("residual backward called before forward");
        }
        requireOutputGradient(dy, batch);
        Tensor db = Chain.backward(body, dy);
        Tensor ds = Chain.backward(shortcut, dy);
        if (!inputGradientNeeded()) {
            return null;
        }
        // dx (N, ...in) = dx_body + dx_shortcut
        Tensor dx = dInput.forBatch(batch);
        Elementwise.add(db, ds, dx);
        return dx;
    }

    /** The first layer of each branch computes dInput only when this block must. */
    @Override
    public void setInputGradientNeeded(boolean needed) {
        super.setInputGradientNeeded(needed);
        body.getFirst().setInputGradientNeeded(needed);
        if (!shortcut.isEmpty()) {
            shortcut.getFirst().setInputGradientNeeded(needed);
        }
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        each((path, layer) -> layer.state().forEach((name, t) -> m.put(path + "." + name, t)));
        return Collections.unmodifiableMap(m);
    }

    @Override
    Map<String, BatchNorm> batchNorms() {
        Map<String, BatchNorm> m = new LinkedHashMap<>();
        each((path, layer) -> layer.batchNorms()
            .forEach((inner, bn) -> m.put(inner.isEmpty() ? path : path + "." + inner, bn)));
        return m;
    }

    @Override
    public boolean stochastic() {
        return body.stream().anyMatch(Layer::stochastic);
    }

    @Override
    public void prepareInference() {
        each((path, layer) -> layer.prepareInference());
    }

    @Override
    public void startEpoch(int epoch) {
        each((path, layer) -> layer.startEpoch(epoch));
    }

    private interface SubLayer {

        void accept(String path, Layer layer);

    }

    /** Every sub-layer with its path: {@code body.0}, ..., {@code shortcut.1}. */
    private void each(SubLayer action) {
        for (int j = 0; j < body.size(); j++) {
            action.accept("body." + j, body.get(j));
        }
        for (int j = 0; j < shortcut.size(); j++) {
            action.accept("shortcut." + j, shortcut.get(j));
        }
    }

}
