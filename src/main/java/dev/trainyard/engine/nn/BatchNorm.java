package dev.trainyard.engine.nn;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.init.Constant;
import dev.trainyard.engine.init.Fans;
import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.kernel.NormPool;
import dev.trainyard.engine.kernel.Reduce;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Batch normalization (Ioffe and Szegedy 2015), as torch.nn.BatchNorm1d on (N, F) and
 * BatchNorm2d on (N, C, H, W), statistics per feature or per channel over m = N (or
 * N*H*W) values.
 *
 * <p>
 * Training: xhat = (x - mean) / sqrt(var + eps) with the batch mean and BIASED variance,
 * y = gamma * xhat + beta; running_mean and running_var move by {@code momentum} toward
 * the batch mean and the UNBIASED variance var * m / (m - 1). Test: the running estimates
 * only, so a sample's output does not depend on the rest of its batch. Backward (per
 * feature, sums over the batch): dbeta = sum dy, dgamma = sum dy * xhat, dx = gamma *
 * rstd * (dy - dbeta/m - xhat * dgamma/m).
 *
 * <p>
 * {@link Sequential} runs a batch norm followed by a ReLU as one layer
 * ({@link #forwardRelu}, {@link #backwardRelu}): the ReLU is applied in the affine pass
 * and its gradient (dy where the output is positive) read in the backward passes, the
 * same operations on the same values as the two layers one after the other, so the bits
 * are the same, without the two passes over the activations that the ReLU would add. A
 * max pool after that ReLU joins them too ({@link #forwardReluPool},
 * {@link #backwardReluPool}).
 */
public final class BatchNorm extends Layer {

    static final int COLUMN_CHUNK = 64;

    private final float momentum;

    private final float eps;

    private final int features; // F, or C

    private final int plane; // 1 for (N, F), H*W for (N, C, H, W)

    private final Parameter gamma;

    private final Parameter beta;

    private final float[] runningMean;

    private final float[] runningVar;

    private long batchesTracked;

    // per-feature scratch, reused every batch
    private final float[] mean;

    private final float[] var;

    private final float[] rstd;

    private final float[] scale;

    private final float[] shift;

    private final float[] sumDy;

    private final float[] sumDyXmu;

    private final Buffer output;

    private final Buffer dInput;

    private Tensor x; // cached input of the last training forward (N, F) or (N, C, H, W)

    private Tensor y; // output of the last forward, the ReLU's gate in backwardRelu

    public BatchNorm(LayerSpec.BatchNorm spec, Shape inputShape) {
        super(spec, requireShape(inputShape), inputShape);
        this.momentum = spec.momentum();
        this.eps = spec.eps();
        this.features = inputShape.dim(0);
        this.plane = inputShape.rank() == 3 ? inputShape.sizeFrom(1) : 1;
        Shape f = Shape.of(features);
        this.gamma = addParameter("weight", f, new Constant(1f), Fans.of(f));
        this.beta = addParameter("bias", f, new Zeros(), Fans.of(f));
        this.runningMean = new float[features];
        this.runningVar = new float[features];
        Arrays.fill(runningVar, 1f);
        this.mean = new float[features];
        this.var = new float[features];
        this.rstd = new float[features];
        this.scale = new float[features];
        this.shift = new float[features];
        this.sumDy = new float[features];
        this.sumDyXmu = new float[features];
        this.output = new Buffer(inputShape);
        this.dInput = new Buffer(inputShape);
    }

    private static Shape requireShape(Shape in) {
        if (in.rank() != 1 && in.rank() != 3) {
            throw new IllegalArgumentException("batch_norm needs (F) or (C, H, W) input, got " + in);
        }
        return in;
    }

    @Override
    public Map<String, Tensor> state() {
        return named("running_mean", Tensor.wrap(runningMean, features), "running_var",
                Tensor.wrap(runningVar, features));
    }

    @Override
    Map<String, BatchNorm> batchNorms() {
        return Map.of("", this);
    }

    /**
     * PyTorch's {@code num_batches_tracked}: training batches seen; informational
     * (momentum is fixed).
     */
    public long batchesTracked() {
        return batchesTracked;
    }

    public void setBatchesTracked(long n) {
        this.batchesTracked = n;
    }

    public Parameter gamma() {
        return gamma;
    }

    public Parameter beta() {
        return beta;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        return forward(input, training, false);
    }

    /** relu(forward(input)): this layer and the ReLU after it in one pass. */
    Tensor forwardRelu(Tensor input, boolean training) {
        return forward(input, training, true);
    }

    private Tensor forward(Tensor input, boolean training, boolean relu) {
        int n = batchOf(input);
        Tensor y = output.forBatch(n);
        if (training && plane > 1) {
            trainChannels(input, n, c -> affineChannel(input, y, c, relu));
        }
        else {
            coefficients(input, n, training);
            // y = x * scale + shift [then max(y, 0)], one pass
            if (plane == 1) {
                eachColumnChunk(n, (c0, c1) -> affineColumns(input, y, n, c0, c1, relu));
            }
            else {
                ComputePool.current().parallelFor(features, c -> affineChannel(input, y, c, relu));
            }
        }
        if (training) {
            this.y = y;
        }
        return y;
    }

    /**
     * pool(relu(forward(input))): this layer, the ReLU after it and the max pool after
     * that in one pass over the planes ({@link NormPool}), so neither this layer's output
     * nor the pool's input gradient is ever stored; the same bits as the three layers.
     */
    Tensor forwardReluPool(Tensor input, boolean training, MaxPool2d pool) {
        if (plane == 1) {
            throw new IllegalStateException("max_pool after a batch_norm of (N, F) rows");
        }
        int n = batchOf(input);
        Tensor pooled = pool.outputFor(n);
        int[] argmax = pool.argmax();
        if (training) {
            trainChannels(input, n, c -> NormPool.forwardChannel(input, c, scale[c], shift[c], pool.size(),
                    pool.stride(), pooled, argmax));
            this.y = null;
        }
        else {
            coefficients(input, n, false);
            ComputePool.current()
                .parallelFor(features, c -> NormPool.forwardChannel(input, c, scale[c], shift[c], pool.size(),
                        pool.stride(), pooled, argmax));
        }
        return pooled;
    }

    /**
     * A training forward of (N, C, H, W) input: each channel's statistics, coefficients
     * and then its output (written by {@code output}) in one task, on one thread, while
     * the channel's planes are likeliest still cached.
     */
    private void trainChannels(Tensor input, int n, IntConsumer output) {
        float unbias = trainingUnbias(input, n);
        ComputePool.current().parallelFor(features, c -> {
            Reduce.channelMoments(input, c, mean, var);
            trainingCoefficients(c, unbias);
            output.accept(c);
        });
        batchesTracked++;
        x = input;
    }

    /**
     * The training statistics of (N, F) rows (mean, var, rstd; running estimates updated;
     * planes go through {@link #trainChannels}) or the running estimates, and scale and
     * shift of the affine pass from them.
     */
    private void coefficients(Tensor input, int n, boolean training) {
        if (training) {
            float unbias = trainingUnbias(input, n);
            Reduce.columnMoments(input, mean, var);
            for (int c = 0; c < features; c++) {
                trainingCoefficients(c, unbias);
            }
            batchesTracked++;
            x = input;
        }
        else {
            float[] g = gamma.value().data();
            int go = gamma.value().offset();
            float[] b = beta.value().data();
            int bo = beta.value().offset();
            for (int c = 0; c < features; c++) {
                scale[c] = (float) (g[go + c] / Math.sqrt(runningVar[c] + eps));
                shift[c] = b[bo + c] - runningMean[c] * scale[c];
            }
        }
    }

    /**
     * m / (m - 1) for the m values per feature of a training batch, which needs m >= 2.
     */
    private float trainingUnbias(Tensor input, int n) {
        int m = n * plane;
        if (m < 2) {
            throw new IllegalArgumentException(
                    "batch_norm needs more than one value per feature in training, got input " + input.shape());
        }
        return (float) m / (m - 1);
    }

    /**
     * Feature c's rstd, scale and shift from its batch mean and var, and its running
     * estimates moved toward them.
     */
    private void trainingCoefficients(int c, float unbias) {
        float g = gamma.value().data()[gamma.value().offset() + c];
        float b = beta.value().data()[beta.value().offset() + c];
        rstd[c] = (float) (1.0 / Math.sqrt(var[c] + eps));
        scale[c] = g * rstd[c];
        shift[c] = b - mean[c] * scale[c];
        runningMean[c] = (1f - momentum) * runningMean[c] + momentum * mean[c];
        runningVar[c] = (1f - momentum) * runningVar[c] + momentum * var[c] * unbias;
    }

    @Override
    public Tensor backward(Tensor dy) {
        return backward(dy, null);
    }

    /**
     * The gradient through the ReLU after this layer and then this layer, given the
     * ReLU's output gradient; the ReLU's gate is this layer's last output (positive
     * exactly where the ReLU's output is, whether or not the forward was fused).
     */
    Tensor backwardRelu(Tensor dy) {
        if (y == null) {
            throw new IllegalStateException("batch_norm backward needs a training forward first");
        }
        return backward(dy, y);
    }

    private Tensor backward(Tensor dy, Tensor gate) {
        if (x == null) {
            throw new IllegalStateException("batch_norm backward needs a training forward first");
        }
        int n = x.dim(0);
        requireOutputGradient(dy, n);
        Tensor dx = dInput.forBatch(n);
        float m = n * plane;
        if (plane == 1) {
            eachColumnChunk(n, (c0, c1) -> backwardColumns(dy, gate, dx, n, c0, c1, m));
        }
        else {
            ComputePool.current().parallelFor(features, c -> backwardChannel(dy, gate, null, dx, c, m));
        }
        return inputGradientNeeded() ? dx : null;
    }

    /**
     * The gradient through the max pool and the ReLU after this layer and then this
     * layer, given the pool's output gradient, after {@link #forwardReluPool}.
     */
    Tensor backwardReluPool(Tensor dy, MaxPool2d pool) {
        if (x == null) {
            throw new IllegalStateException("batch_norm backward needs a training forward first");
        }
        int n = x.dim(0);
        pool.requireFusedGradient(dy, n);
        Tensor dx = dInput.forBatch(n);
        float m = n * plane;
        ComputePool.current().parallelFor(features, c -> backwardChannel(dy, null, pool, dx, c, m));
        return inputGradientNeeded() ? dx : null;
    }

    private interface ColumnRange {

        void run(int c0, int c1);

    }

    private void eachColumnChunk(int n, ColumnRange body) {
        ComputePool.current().parallelFor(ComputePool.chunks(features, COLUMN_CHUNK), k -> {
            int c0 = k * COLUMN_CHUNK;
            body.run(c0, Math.min(features, c0 + COLUMN_CHUNK));
        });
    }

    private void affineColumns(Tensor in, Tensor out, int n, int c0, int c1, boolean relu) {
        float[] xs = in.data();
        float[] ys = out.data();
        for (int r = 0; r < n; r++) {
            int xr = in.offset() + r * features;
            int yr = out.offset() + r * features;
            for (int c = c0; c < c1; c++) {
                ys[yr + c] = xs[xr + c] * scale[c] + shift[c];
            }
            if (relu) {
                relu(ys, yr + c0, c1 - c0);
            }
        }
    }

    /**
     * y = max(y, 0) in place, as the ReLU layer (Math.max: NaN stays NaN, -0 becomes +0).
     */
    private static void relu(float[] ys, int from, int len) {
        for (int j = from; j < from + len; j++) {
            ys[j] = Math.max(ys[j], 0f);
        }
    }

    private void affineChannel(Tensor in, Tensor out, int c, boolean relu) {
        Reduce.channelAffine(in, out, c, scale[c], shift[c], relu);
    }

    private void backwardColumns(Tensor dy, Tensor gate, Tensor dx, int n, int c0, int c1, float m) {
        float[] xs = x.data();
        float[] g = dy.data();
        float[] gs = gate == null ? null : gate.data();
        int gateOff = gate == null ? 0 : gate.offset();
        float[] d = dx.data();
        Arrays.fill(sumDy, c0, c1, 0f);
        Arrays.fill(sumDyXmu, c0, c1, 0f);
        for (int r = 0; r < n; r++) {
            int xr = x.offset() + r * features;
            int gr = dy.offset() + r * features;
            int qr = gateOff + r * features;
            for (int c = c0; c < c1; c++) {
                float v = gs == null || gs[qr + c] > 0f ? g[gr + c] : 0f;
                sumDy[c] += v;
                sumDyXmu[c] += v * (xs[xr + c] - mean[c]);
            }
        }
        float[] gammas = gamma.value().data();
        int go = gamma.value().offset();
        for (int c = c0; c < c1; c++) {
            float dgamma = sumDyXmu[c] * rstd[c];
            gamma.grad().data()[gamma.grad().offset() + c] += dgamma;
            beta.grad().data()[beta.grad().offset() + c] += sumDy[c];
            // reuse the scratch: scale <- gamma * rstd, shift <- dbeta / m, sumDyXmu <-
            // dgamma * rstd / m
            scale[c] = gammas[go + c] * rstd[c];
            shift[c] = sumDy[c] / m;
            sumDyXmu[c] = dgamma * rstd[c] / m;
        }
        if (!inputGradientNeeded()) {
            return;
        }
        for (int r = 0; r < n; r++) {
            int xr = x.offset() + r * features;
            int gr = dy.offset() + r * features;
            int dr = dx.offset() + r * features;
            int qr = gateOff + r * features;
            for (int c = c0; c < c1; c++) {
                float v = gs == null || gs[qr + c] > 0f ? g[gr + c] : 0f;
                d[dr + c] = scale[c] * (v - shift[c] - (xs[xr + c] - mean[c]) * sumDyXmu[c]);
            }
        }
    }

    /**
     * Channel c's parameter gradients and input gradient, for dy of this layer's output
     * (through the ReLU whose output is gate, when not null) or of the pool after the
     * ReLU after it (when pool is not null).
     */
    private void backwardChannel(Tensor dy, Tensor gate, MaxPool2d pool, Tensor dx, int c, float m) {
        float mu = mean[c];
        double[] sums = new double[2];
        float[] routed = null;
        if (pool == null) {
            Reduce.channelGradientSums(dy, x, gate, c, mu, sums);
        }
        else {
            routed = NormPool.routedGradient(dy, pool.lastOutput(), pool.argmax(), x, c);
            NormPool.gradientSums(routed, x, c, mu, sums);
        }
        double sDy = sums[0];
        double sDyXmu = sums[1];
        float dgamma = (float) sDyXmu * rstd[c];
        gamma.grad().data()[gamma.grad().offset() + c] += dgamma;
        beta.grad().data()[beta.grad().offset() + c] += (float) sDy;
        if (!inputGradientNeeded()) {
            return;
        }
        float k = gamma.value().data()[gamma.value().offset() + c] * rstd[c];
        if (pool == null) {
            Reduce.channelInputGradient(dy, x, gate, dx, c, mu, k, (float) (sDy / m), dgamma * rstd[c] / m);
        }
        else {
            NormPool.inputGradient(routed, x, dx, c, mu, k, (float) (sDy / m), dgamma * rstd[c] / m);
        }
    }

}
