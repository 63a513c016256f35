package dev.trainyard.engine.kernel;

/**
 * The non-GEMM kernels, each on a contiguous range and on one thread; the facades
 * ({@link Elementwise}, {@link Reduce}, {@link Softmax}, {@link Pool}, {@link Conv})
 * split work into fixed chunks and call these. Two implementations:
 * {@link ReferenceKernels} (scalar, the yardstick) and a Vector API one chosen by
 * {@link Kernels} when the module is present.
 *
 * <p>
 * Unless a method says it accumulates, it overwrites its output. Offsets are into the
 * arrays.
 */
public interface KernelSupport {

    String name();

    // ---- activations: y = f(x); backward writes dx = dy * f'(.)

    void relu(float[] x, int xo, float[] y, int yo, int n);

    /** dx = x > 0 ? dy : 0. */
    void reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n);

    void leakyRelu(float[] x, int xo, float[] y, int yo, int n, float slope);

    /** dx = x > 0 ? dy : slope * dy. */
    void leakyReluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float slope);

    void tanh(float[] x, int xo, float[] y, int yo, int n);

    /** From the forward output y: dx = dy * (1 - y^2). */
    void tanhBackward(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n);

    void sigmoid(float[] x, int xo, float[] y, int yo, int n);

    /** From the forward output y: dx = dy * y * (1 - y). */
    void sigmoidBackward(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n);

    // ---- BLAS-1 style

    /** y += alpha * x. */
    void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo);

    /** x *= alpha. */
    void scale(int n, float alpha, float[] x, int xo);

    /** y = a * b elementwise. */
    void mul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n);

    /** y = a + b elementwise. */
    void add(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n);

    // ---- bias and reductions; x is (rows, cols) row-major

    /** y[r, c] += bias[c] for every row r. */
    void addBias(float[] bias, int bo, float[] y, int yo, int rows, int cols);

    /** out[c] += sum over r of x[r, c], rows summed in order 0..rows-1. */
    void sumRows(float[] x, int xo, int rows, int cols, float[] out, int oo);

    /**
     * c (m, n) += a (m, k) times the transpose of b (n, k): each entry one dot product of
     * two rows of length k, summed in a fixed order. For products whose n is too small
     * for a GEMM to pay off (a weight gradient with one input channel).
     */
    void addRowDots(float[] a, int ao, int m, float[] b, int bo, int n, int k, float[] c, int co);

    /** Sum of x[0..n), in a fixed order. */
    float sum(float[] x, int xo, int n);

    /**
     * Mean and biased variance of columns {@code [c0, c1)} of x (rows, cols):
     * {@code mean[c] = sum_r x[r,c] / rows},
     * {@code var[c] = sum_r (x[r,c] - mean[c])^2 / rows}.
     */
    void columnMoments(float[] x, int xo, int rows, int cols, int c0, int c1, float[] mean, float[] var);

    /**
     * Mean and biased variance of channels {@code [c0, c1)} of x (n, channels, hw), each
     * over its n * hw values.
     */
    void channelMoments(float[] x, int xo, int n, int channels, int hw, int c0, int c1, float[] mean, float[] var);

    /**
     * Batch norm's backward sums for channel c of dy and x (n, channels, hw): sums[0] =
     * the sum of g, sums[1] = the sum of g * (x - mean), where g = dy, or with a gate
     * (same layout as x; null for none) g = dy where gate > 0 and 0 elsewhere, the
     * gradient through a ReLU whose output is the gate; each plane summed in float, the
     * planes added in double in image order.
     */
    void channelGradientSums(float[] dy, int dyo, float[] x, int xo, float[] gate, int gateOff, int n, int channels,
            int hw, int c, float mean, double[] sums);

    /**
     * Batch norm's output for channel c of x (n, channels, hw): y = x * scale + shift,
     * rounded after the product and after the sum (no fused multiply-add), then max(y, 0)
     * as {@link Math#max} when relu; y has x's layout and only channel c is written.
     */
    void channelAffine(float[] x, int xo, float[] y, int yo, int n, int channels, int hw, int c, float scale,
            float shift, boolean relu);

    /**
     * Batch norm's input gradient for channel c of x (n, channels, hw), from the
     * channel's {@link #channelGradientSums backward sums}: dx = k * ((g - meanDy) - (x -
     * mean) * q), g as there (dy, or dy gated by a ReLU's output); dx has x's layout and
     * is overwritten, products and differences rounded one by one (no fused
     * multiply-add), so every implementation gives the same bits.
     */
    void channelInputGradient(float[] dy, int dyo, float[] x, int xo, float[] gate, int gateOff, float[] dx, int dxo,
            int n, int channels, int hw, int c, float mean, float k, float meanDy, float q);

    // ---- softmax of one row of length cols, numerically stable (max subtracted)

    void softmax(float[] x, int xo, float[] y, int yo, int cols);

    void logSoftmax(float[] x, int xo, float[] y, int yo, int cols);

    // ---- pooling of one (h, w) plane into (oh, ow), window k, given stride, no padding

    /**
     * y = window maxima; argmax[i] = index within the input plane of the max (first on
     * ties).
     */
    void maxPool(float[] x, int xo, int h, int w, int k, int stride, float[] y, int yo, int oh, int ow, int[] argmax,
            int ao);

    /** dx[argmax[i]] += dy[i] for the plane's oh*ow outputs; dx is not cleared. */
    void maxPoolBackward(float[] dy, int dyo, int[] argmax, int ao, int count, float[] dx, int dxo);

    void avgPool(float[] x, int xo, int h, int w, int k, int stride, float[] y, int yo, int oh, int ow);

    /** dx += dy spread evenly over each window; dx is not cleared. */
    void avgPoolBackward(float[] dy, int dyo, int h, int w, int k, int stride, int oh, int ow, float[] dx, int dxo);

    // ---- convolution lowering for one image x (c, h, w); col is (c*kh*kw, ld), the
    // image's
    // columns [co, co + oh*ow) of each row: ld = oh*ow for one image, larger when several
    // images sit side by side in one matrix

    void im2col(float[] x, int xo, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] col, int co, int ld);

    /**
     * {@link #im2col(float[], int, int, int, int, int, int, int, int, int, int, float[], int, int)}
     * with ld = oh*ow.
     */
    default void im2col(float[] x, int xo, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] col, int co) {
        im2col(x, xo, c, h, w, kh, kw, stride, pad, oh, ow, col, co, oh * ow);
    }

    /**
     * The transposed lowering of one image x (c, h, w), channels last, for a weight
     * gradient: row (oy * ow + ox) of rows (oh*ow, kh*kw*c), at ro, holds the window
     * under that output position in the order (ki, kj, channel), zero where the window
     * overhangs the padding. Laid out this way a window row of kw pixels is one run of
     * kw*c floats of the image in (h, w, c) order, which xt (at least c*h*w floats,
     * scratch) receives first.
     */
    void im2row(float[] x, int xo, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow, float[] xt,
            float[] rows, int ro);

    /**
     * y (f, h, w) = the stride-1 convolution of one image x (c, h, w) by weight (f, c, k,
     * k) with "same" zero padding (k odd, (k - 1) / 2 on each side), y overwritten. Each
     * output is weight times input fused-multiply-added ({@link Math#fma}) onto 0 in the
     * order (channel, ki, kj), a tap over the padding adding weight times 0, so every
     * implementation gives the same bits and a NaN weight reaches every output of its
     * filter.
     */
    void convSame(float[] x, int xo, int c, int h, int w, float[] weight, int wo, int f, int k, float[] y, int yo);

    /**
     * dweight (f, c, k, k) += the weight gradient of {@link #convSame} for n consecutive
     * images x (n, c, h, w) and their output gradient dy (n, f, h, w): each weight's sum
     * over the images and output positions of dy times the input under its tap (zero over
     * the padding), in a fixed order of the implementation's own that depends on n
     * (implementations agree within float rounding). With a NaN or an infinity in x,
     * every weight the reference makes NaN is NaN, and an implementation may make more of
     * them NaN.
     */
    void convSameWeightGradient(float[] x, int xo, int n, int c, int h, int w, float[] dy, int dyo, int f, int k,
            float[] dweight, int dwo);

    /**
     * Scatters col back: dx (c, h, w) += the sum of every column entry that came from a
     * pixel. Entries of col that came from the zero padding belong to no pixel; an
     * implementation may overwrite them with zero (col is a scratch matrix), so col is
     * not preserved.
     */
    void col2im(float[] col, int co, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] dx, int dxo, int ld);

    /**
     * {@link #col2im(float[], int, int, int, int, int, int, int, int, int, int, float[], int, int)}
     * with ld = oh*ow.
     */
    default void col2im(float[] col, int co, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] dx, int dxo) {
        col2im(col, co, c, h, w, kh, kw, stride, pad, oh, ow, dx, dxo, oh * ow);
    }

}
