package dev.trainyard.engine.kernel;

/**
 * Independent oracle for the convolution tests: direct loops over every output, tap and
 * channel, summed in double. Each result comes with the sum of the absolute values of its
 * terms, which bounds the float rounding error of any summation order.
 */
final class NaiveConv {

    /** Values and, per value, the sum of |term| that made it. */
    record Result(double[] value, double[] absSum) {
    }

    private NaiveConv() {
    }

    /** x (n, c, h, w), w (f, c, kh, kw), b (f) or null; returns y (n, f, oh, ow). */
    static Result forward(float[] x, int n, int c, int h, int w, float[] wt, int f, int kh, int kw, float[] b, int s,
            int p) {
        int oh = (h + 2 * p - kh) / s + 1;
        int ow = (w + 2 * p - kw) / s + 1;
        double[] y = new double[n * f * oh * ow];
        double[] abs = new double[y.length];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < f; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double acc = b == null ? 0 : b[o];
                        double mag = Math.abs(acc);
                        for (int ch = 0; ch < c; ch++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int yy = r * s - p + ki;
                                    int xx = q * s - p + kj;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
                                        continue;
                                    }
                                    double t = (double) x[((i * c + ch) * h + yy) * w + xx]
                                            * wt[((o * c + ch) * kh + ki) * kw + kj];
                                    acc += t;
                                    mag += Math.abs(t);
                                }
                            }
                        }
                        int at = ((i * f + o) * oh + r) * ow + q;
                        y[at] = acc;
                        abs[at] = mag;
                    }
                }
            }
        }
        return new Result(y, abs);
    }

    /**
     * dx (n, c, h, w) from dy (n, f, oh, ow): every output's gradient routed back through
     * its taps.
     */
    static Result backwardInput(float[] dy, int n, int c, int h, int w, float[] wt, int f, int kh, int kw, int s,
            int p) {
        int oh = (h + 2 * p - kh) / s + 1;
        int ow = (w + 2 * p - kw) / s + 1;
        double[] dx = new double[n * c * h * w];
        double[] abs = new double[dx.length];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < f; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double g = dy[((i * f + o) * oh + r) * ow + q];
                        for (int ch = 0; ch < c; ch++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int yy = r * s - p + ki;
                                    int xx = q * s - p + kj;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
                                        continue;
                                    }
                                    int at = ((i * c + ch) * h + yy) * w + xx;
                                    double t = g * wt[((o * c + ch) * kh + ki) * kw + kj];
                                    dx[at] += t;
                                    abs[at] += Math.abs(t);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Result(dx, abs);
    }

    /**
     * dw (f, c, kh, kw) = sum over images and outputs of dy * the input under the tap.
     */
    static Result backwardWeight(float[] x, float[] dy, int n, int c, int h, int w, int f, int kh, int kw, int s,
            int p) {
        int oh = (h + 2 * p - kh) / s + 1;
        int ow = (w + 2 * p - kw) / s + 1;
        double[] dw = new double[f * c * kh * kw];
        double[] abs = new double[dw.length];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < f; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double g = dy[((i * f + o) * oh + r) * ow + q];
                        for (int ch = 0; ch < c; ch++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int yy = r * s - p + ki;
                                    int xx = q * s - p + kj;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
                                        continue;
                                    }
                                    int at = ((o * c + ch) * kh + ki) * kw + kj;
                                    double t = g * x[((i * c + ch) * h + yy) * w + xx];
                                    dw[at] += t;
                                    abs[at] += Math.abs(t);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Result(dw, abs);
    }

}
