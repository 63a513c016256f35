package dev.trainyard.engine.kernel;

/**
 * Reference implementation, no SIMD: each kernel written the obvious way, the yardstick
 * for tests.
 */
public final class ReferenceKernels implements KernelSupport {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void relu(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xo + i];
            y[yo + i] = v > 0f ? v : (v != v ? v : 0f);
        }
    }

    @Override
    public void reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxo + i] = x[xo + i] > 0f ? dy[dyo + i] : 0f;
        }
    }

    @Override
    public void leakyRelu(float[] x, int xo, float[] y, int yo, int n, float slope) {
        for (int i = 0; i < n; i++) {
            float v = x[xo + i];
            y[yo + i] = v > 0f ? v : slope * v;
        }
    }

    @Override
    public void leakyReluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float slope) {
        for (int i = 0; i < n; i++) {
            dx[dxo + i] = x[xo + i] > 0f ? dy[dyo + i] : slope * dy[dyo + i];
        }
    }

    @Override
    public void tanh(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = (float) StrictMath.tanh(x[xo + i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        for (int i = 0; i < n; i++) {
            float t = y[yo + i];
            dx[dxo + i] = dy[dyo + i] * (1f - t * t);
        }
    }

    @Override
    public void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = (float) (1.0 / (1.0 + StrictMath.exp(-x[xo + i])));
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        for (int i = 0; i < n; i++) {
            float s = y[yo + i];
            dx[dxo + i] = dy[dyo + i] * s * (1f - s);
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xo) {
        for (int i = 0; i < n; i++) {
            x[xo + i] *= alpha;
        }
    }

    @Override
    public void mul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = a[ao + i] * b[bo + i];
        }
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = a[ao + i] + b[bo + i];
        }
    }

    @Override
    public void addBias(float[] bias, int bo, float[] y, int yo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int row = yo + r * cols;
            for (int c = 0; c < cols; c++) {
                y[row + c] += bias[bo + c];
            }
        }
    }

    @Override
    public void sumRows(float[] x, int xo, int rows, int cols, float[] out, int oo) {
        for (int r = 0; r < rows; r++) {
            int row = xo + r * cols;
            for (int c = 0; c < cols; c++) {
                out[oo + c] += x[row + c];
            }
        }
    }

    @Override
    public void addRowDots(float[] a, int ao, int m, float[] b, int bo, int n, int k, float[] c, int co) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += a[ao + i * k + p] * b[bo + j * k + p];
                }
                c[co + i * n + j] += s;
            }
        }
    }

    @Override
    public float sum(float[] x, int xo, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xo + i];
        }
        return s;
    }

    @Override
    public void columnMoments(float[] x, int xo, int rows, int cols, int c0, int c1, float[] mean, float[] var) {
        for (int c = c0; c < c1; c++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += x[xo + r * cols + c];
            }
            double m = s / rows;
            double q = 0;
            for (int r = 0; r < rows; r++) {
                double d = x[xo + r * cols + c] - m;
                q += d * d;
            }
            mean[c] = (float) m;
            var[c] = (float) (q / rows);
        }
    }

    /** dy[i] where there is no gate or gate[k] > 0, else 0 (as the ReLU backward). */
    private static float gated(float[] dy, int i, float[] gate, int k) {
        return gate == null || gate[k] > 0f ? dy[i] : 0f;
    }

    /** Four partial sums per quantity per plane, which break the add latency chain. */
    @Override
    public void channelGradientSums(float[] dy, int dyo, float[] x, int xo, float[] gate, int gateOff, int n,
            int channels, int hw, int c, float mean, double[] sums) {
        double sDy = 0;
        double sDyXmu = 0;
        for (int i = 0; i < n; i++) {
            int o = xo + (i * channels + c) * hw;
            int go = dyo + (i * channels + c) * hw;
            int q = gateOff + (i * channels + c) * hw;
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            float b0 = 0f;
            float b1 = 0f;
            float b2 = 0f;
            float b3 = 0f;
            int j = 0;
            for (; j + 3 < hw; j += 4) {
                float v0 = gated(dy, go + j, gate, q + j);
                float v1 = gated(dy, go + j + 1, gate, q + j + 1);
                float v2 = gated(dy, go + j + 2, gate, q + j + 2);
                float v3 = gated(dy, go + j + 3, gate, q + j + 3);
                a0 += v0;
                a1 += v1;
                a2 += v2;
                a3 += v3;
                b0 += v0 * (x[o + j] - mean);
                b1 += v1 * (x[o + j + 1] - mean);
                b2 += v2 * (x[o + j + 2] - mean);
                b3 += v3 * (x[o + j + 3] - mean);
            }
            for (; j < hw; j++) {
                float v = gated(dy, go + j, gate, q + j);
                a0 += v;
                b0 += v * (x[o + j] - mean);
            }
            sDy += (a0 + a1) + (a2 + a3);
            sDyXmu += (b0 + b1) + (b2 + b3);
        }
        sums[0] = sDy;
        sums[1] = sDyXmu;
    }

    @Override
    public void channelMoments(float[] x, int xo, int n, int channels, int hw, int c0, int c1, float[] mean,
            float[] var) {
        for (int c = c0; c < c1; c++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                int base = xo + (i * channels + c) * hw;
                for (int j = 0; j < hw; j++) {
                    s += x[base + j];
                }
            }
            double m = s / ((double) n * hw);
            double q = 0;
            for (int i = 0; i < n; i++) {
                int base = xo + (i * channels + c) * hw;
                for (int j = 0; j < hw; j++) {
                    double d = x[base + j] - m;
                    q += d * d;
                }
            }
            mean[c] = (float) m;
            var[c] = (float) (q / ((double) n * hw));
        }
    }

    @Override
    public void channelAffine(float[] x, int xo, float[] y, int yo, int n, int channels, int hw, int c, float scale,
            float shift, boolean relu) {
        for (int i = 0; i < n; i++) {
            int plane = (i * channels + c) * hw;
            for (int j = 0; j < hw; j++) {
                float v = x[xo + plane + j] * scale + shift;
                y[yo + plane + j] = relu ? Math.max(v, 0f) : v;
            }
        }
    }

    @Override
    public void channelInputGradient(float[] dy, int dyo, float[] x, int xo, float[] gate, int gateOff, float[] dx,
            int dxo, int n, int channels, int hw, int c, float mean, float k, float meanDy, float q) {
        for (int i = 0; i < n; i++) {
            int plane = (i * channels + c) * hw;
            for (int j = 0; j < hw; j++) {
                float g = gated(dy, dyo + plane + j, gate, gateOff + plane + j);
                dx[dxo + plane + j] = k * (g - meanDy - (x[xo + plane + j] - mean) * q);
            }
        }
    }

    @Override
    public void softmax(float[] x, int xo, float[] y, int yo, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, x[xo + c]);
        }
        float sum = 0f;
        for (int c = 0; c < cols; c++) {
            float e = (float) StrictMath.exp(x[xo + c] - max);
            y[yo + c] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int c = 0; c < cols; c++) {
            y[yo + c] *= inv;
        }
    }

    @Override
    public void logSoftmax(float[] x, int xo, float[] y, int yo, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, x[xo + c]);
        }
        float sum = 0f;
        for (int c = 0; c < cols; c++) {
            sum += (float) StrictMath.exp(x[xo + c] - max);
        }
        float logSum = max + (float) StrictMath.log(sum);
        for (int c = 0; c < cols; c++) {
            y[yo + c] = x[xo + c] - logSum;
        }
    }

    @Override
    public void maxPool(float[] x, int xo, int h, int w, int k, int stride, float[] y, int yo, int oh, int ow,
            int[] argmax, int ao) {
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                int best = i * stride * w + j * stride;
                float bestVal = x[xo + best];
                for (int di = 0; di < k; di++) {
                    for (int dj = 0; dj < k; dj++) {
                        int idx = (i * stride + di) * w + j * stride + dj;
                        float v = x[xo + idx];
                        // NaN wins so that it propagates, as in PyTorch
                        if (v > bestVal || (v != v && bestVal == bestVal)) {
                            bestVal = v;
                            best = idx;
                        }
                    }
                }
                y[yo + i * ow + j] = bestVal;
                argmax[ao + i * ow + j] = best;
            }
        }
    }

    @Override
    public void maxPoolBackward(float[] dy, int dyo, int[] argmax, int ao, int count, float[] dx, int dxo) {
        for (int i = 0; i < count; i++) {
            dx[dxo + argmax[ao + i]] += dy[dyo + i];
        }
    }

    @Override
    public void avgPool(float[] x, int xo, int h, int w, int k, int stride, float[] y, int yo, int oh, int ow) {
        float inv = 1f / (k * k);
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                float s = 0f;
                for (int di = 0; di < k; di++) {
                    for (int dj = 0; dj < k; dj++) {
                        s += x[xo + (i * stride + di) * w + j * stride + dj];
                    }
                }
                y[yo + i * ow + j] = s * inv;
            }
        }
    }

    @Override
    public void avgPoolBackward(float[] dy, int dyo, int h, int w, int k, int stride, int oh, int ow, float[] dx,
            int dxo) {
        float inv = 1f / (k * k);
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                float g = dy[dyo + i * ow + j] * inv;
                for (int di = 0; di < k; di++) {
                    for (int dj = 0; dj < k; dj++) {
                        dx[dxo + (i * stride + di) * w + j * stride + dj] += g;
                    }
                }
            }
        }
    }

    @Override
    public void im2col(float[] x, int xo, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] col, int co, int ld) {
        for (int ch = 0; ch < c; ch++) {
            for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++) {
                    int row = (ch * kh + ki) * kw + kj;
                    for (int i = 0; i < oh; i++) {
                        int yIn = i * stride - pad + ki;
                        for (int j = 0; j < ow; j++) {
                            int xIn = j * stride - pad + kj;
                            boolean inside = yIn >= 0 && yIn < h && xIn >= 0 && xIn < w;
                            col[co + row * ld + i * ow + j] = inside ? x[xo + (ch * h + yIn) * w + xIn] : 0f;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void im2row(float[] x, int xo, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] xt, float[] rows, int ro) {
        for (int ch = 0; ch < c; ch++) {
            for (int q = 0; q < h * w; q++) {
                xt[q * c + ch] = x[xo + ch * h * w + q];
            }
        }
        int d = ro;
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int ki = 0; ki < kh; ki++) {
                    int yIn = i * stride - pad + ki;
                    for (int kj = 0; kj < kw; kj++) {
                        int xIn = j * stride - pad + kj;
                        boolean inside = yIn >= 0 && yIn < h && xIn >= 0 && xIn < w;
                        for (int ch = 0; ch < c; ch++) {
                            rows[d++] = inside ? xt[(yIn * w + xIn) * c + ch] : 0f;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void convSame(float[] x, int xo, int c, int h, int w, float[] weight, int wo, int f, int k, float[] y,
            int yo) {
        int pad = k / 2;
        for (int fo = 0; fo < f; fo++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    float acc = 0f;
                    for (int ch = 0; ch < c; ch++) {
                        for (int ki = 0; ki < k; ki++) {
                            int yIn = i + ki - pad;
                            for (int kj = 0; kj < k; kj++) {
                                int xIn = j + kj - pad;
                                float v = yIn >= 0 && yIn < h && xIn >= 0 && xIn < w ? x[xo + (ch * h + yIn) * w + xIn]
                                        : 0f;
                                acc = Math.fma(v, weight[wo + ((fo * c + ch) * k + ki) * k + kj], acc);
                            }
                        }
                    }
                    y[yo + (fo * h + i) * w + j] = acc;
                }
            }
        }
    }

    @Override
    public void convSameWeightGradient(float[] x, int xo, int n, int c, int h, int w, float[] dy, int dyo, int f, int k,
            float[] dweight, int dwo) {
        for (int image = 0; image < n; image++) {
            convSameWeightGradient(x, xo + image * c * h * w, c, h, w, dy, dyo + image * f * h * w, f, k, dweight, dwo);
        }
    }

    /** One image's weight gradient, each weight's sum added to dweight. */
    private static void convSameWeightGradient(float[] x, int xo, int c, int h, int w, float[] dy, int dyo, int f,
            int k, float[] dweight, int dwo) {
        int pad = k / 2;
        for (int fo = 0; fo < f; fo++) {
            for (int ch = 0; ch < c; ch++) {
                for (int ki = 0; ki < k; ki++) {
                    for (int kj = 0; kj < k; kj++) {
                        float sum = 0f;
                        for (int i = 0; i < h; i++) {
                            int yIn = i + ki - pad;
                            for (int j = 0; j < w; j++) {
                                int xIn = j + kj - pad;
                                float v = yIn >= 0 && yIn < h && xIn >= 0 && xIn < w ? x[xo + (ch * h + yIn) * w + xIn]
                                        : 0f;
                                sum += dy[dyo + (fo * h + i) * w + j] * v;
                            }
                        }
                        dweight[dwo + ((fo * c + ch) * k + ki) * k + kj] += sum;
                    }
                }
            }
        }
    }

    @Override
    public void col2im(float[] col, int co, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] dx, int dxo, int ld) {
        for (int ch = 0; ch < c; ch++) {
            for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++) {
                    int row = (ch * kh + ki) * kw + kj;
                    for (int i = 0; i < oh; i++) {
                        int yIn = i * stride - pad + ki;
                        if (yIn < 0 || yIn >= h) {
                            continue;
                        }
                        for (int j = 0; j < ow; j++) {
                            int xIn = j * stride - pad + kj;
                            if (xIn >= 0 && xIn < w) {
                                dx[dxo + (ch * h + yIn) * w + xIn] += col[co + row * ld + i * ow + j];
                            }
                        }
                    }
                }
            }
        }
    }

}
