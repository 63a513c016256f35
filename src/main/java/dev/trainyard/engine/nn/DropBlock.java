package dev.trainyard.engine.nn;

import dev.trainyard.engine.kernel.Elementwise;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * DropBlock (Ghiasi, Lin and Le 2018) for (N, C, H, W): in training, block seeds are
 * drawn in the region where a whole block fits, each with probability gamma = rate /
 * blockSize^2 * (H * W) / ((H - blockSize + 1) * (W - blockSize + 1)), independently for
 * every (sample, channel) plane; each seed zeroes the blockSize x blockSize square below
 * and right of it. The output is rescaled by count / count_ones of the batch's mask, so
 * the expected activation is kept. The rate ramps linearly: rate * min(1, epoch /
 * rampEpochs) for epochs 1, 2, ... (constant when rampEpochs = 0). Identity at test time.
 * dx = dy * mask.
 */
public final class DropBlock extends Layer {

    private final int blockSize;

    private final float rate;

    private final int rampEpochs;

    private final int channels;

    private final int h;

    private final int w;

    private final Rng rng;

    private final Buffer output;

    private final Buffer mask;

    private final Buffer dInput;

    private float currentRate;

    private Tensor lastMask;

    private int n = -1;

    private boolean lastTraining;

    public DropBlock(LayerSpec.DropBlock spec, Shape inputShape, Rng rng) {
        super(spec, requireShape(inputShape, spec.blockSize()), inputShape);
        this.blockSize = spec.blockSize();
        this.rate = spec.rate();
        this.rampEpochs = spec.rampEpochs();
        this.channels = inputShape.dim(0);
        this.h = inputShape.dim(1);
        this.w = inputShape.dim(2);
        this.rng = rng;
        this.output = new Buffer(inputShape);
        this.mask = new Buffer(inputShape);
        this.dInput = new Buffer(inputShape);
        startEpoch(1);
    }

    private static Shape requireShape(Shape in, int blockSize) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException("drop_block needs (C, H, W) input, got " + in);
        }
        if (blockSize > in.dim(1) || blockSize > in.dim(2)) {
            throw new IllegalArgumentException("block size " + blockSize + " does not fit input " + in);
        }
        return in;
    }

    @Override
    public void startEpoch(int epoch) {
        currentRate = rampEpochs == 0 ? rate : rate * Math.min(1f, (float) epoch / rampEpochs);
    }

    /** The drop rate of the current epoch. */
    public float currentRate() {
        return currentRate;
    }

    /**
     * Seed probability per valid position for the current rate, from the paper's formula.
     */
    public double gamma() {
        double valid = (double) (h - blockSize + 1) * (w - blockSize + 1);
        return currentRate / ((double) blockSize * blockSize) * (h * (double) w) / valid;
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        n = batchOf(input);
        lastTraining = training && currentRate > 0f;
        if (!lastTraining) {
            return input;
        }
        Tensor m = mask.forBatch(n);
        long ones = sampleMask(m);
        float keepScale = ones == 0 ? 0f : (float) ((double) m.size() / ones);
        Elementwise.scale(keepScale, m);
        lastMask = m;
        Tensor y = output.forBatch(n);
        Elementwise.mul(input, m, y);
        return y;
    }

    /**
     * Fills m (N, C, H, W) with 1 for kept and 0 for dropped units; returns the count of
     * ones.
     */
    private long sampleMask(Tensor m) {
        float[] d = m.data();
        Arrays.fill(d, m.offset(), m.offset() + m.size(), 1f);
        long threshold = Masks.threshold(Math.min(1.0, gamma()));
        int validH = h - blockSize + 1;
        int validW = w - blockSize + 1;
        int seeds = validH * validW;
        int planes = n * channels;
        long zeros = 0;
        for (int p = 0; p < planes; p++) {
            int base = m.offset() + p * h * w;
            int s = 0;
            // two 32-bit draws per RNG call, in row-major seed order
            while (s < seeds) {
                long bits = rng.nextLong();
                for (int half = 0; half < 2 && s < seeds; half++, s++) {
                    long u = half == 0 ? bits & 0xFFFFFFFFL : bits >>> 32;
                    if (u < threshold) {
                        zeros += zeroBlock(d, base, s / validW, s % validW);
                    }
                }
            }
        }
        return m.size() - zeros;
    }

    /**
     * Zeroes the block with top-left corner (i, j); returns how many units became zero.
     */
    private int zeroBlock(float[] d, int base, int i, int j) {
        int newly = 0;
        for (int r = i; r < i + blockSize; r++) {
            int row = base + r * w;
            for (int c = j; c < j + blockSize; c++) {
                if (d[row + c] != 0f) {
                    d[row + c] = 0f;
                    newly++;
                }
            }
        }
        return newly;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (n < 0) {
            throw new IllegalStateException("drop_block backward called before forward");
        }
        requireOutputGradient(dy, n);
        if (!lastTraining) {
            return dy;
        }
        Tensor dx = dInput.forBatch(n);
        Elementwise.mul(dy, lastMask, dx);
        return dx;
    }

}
