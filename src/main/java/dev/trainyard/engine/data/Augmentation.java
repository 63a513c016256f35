package dev.trainyard.engine.data;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * One random transformation of a training example of shape (C, H, W), done in place on
 * the example's values in a batch buffer. Values are in preprocessed units (after
 * standardization, say), so a fill of 0 is the preprocessed zero: the mean pixel under
 * {@code standardize}. Every draw comes from the generator passed in, in a fixed order
 * per example, so the same generator state gives the same result.
 */
public sealed interface Augmentation {

    /**
     * Transforms the example at {@code x[offset ..]} of shape {@code chw} (C, H, W),
     * using {@code scratch} (at least H * W values) as it likes.
     */
    void apply(float[] x, int offset, Shape chw, Rng rng, float[] scratch);

    /**
     * Applies {@code steps} in order to each of the first {@code examples} examples of
     * {@code batch} (N, C, H, W), example by example in batch order, so the draws depend
     * on the generator and the batch alone.
     */
    static void applyAll(List<Augmentation> steps, float[] batch, int examples, Shape chw, Rng rng) {
        if (chw.rank() != 3) {
            throw new IllegalArgumentException("augmentation needs examples of shape (C, H, W), got " + chw);
        }
        float[] scratch = new float[chw.dim(1) * chw.dim(2)];
        int width = chw.size();
        for (int i = 0; i < examples; i++) {
            for (Augmentation step : steps) {
                step.apply(batch, i * width, chw, rng, scratch);
            }
        }
    }

    /**
     * A random H x W window of the example zero-padded by {@code padding} on every side
     * (torchvision's {@code RandomCrop(size, padding)}): the window's top and left are
     * drawn uniformly from {@code [0, 2 * padding]}, in that order, and the same for
     * every channel. The padding is the preprocessed zero, as the peer pads its
     * standardized images.
     */
    record RandomCrop(int padding) implements Augmentation {
        public RandomCrop {
            if (padding < 0) {
                throw new IllegalArgumentException("padding must be >= 0, got " + padding);
            }
        }

        @Override
        public void apply(float[] x, int offset, Shape chw, Rng rng, float[] scratch) {
            int top = rng.nextInt(2 * padding + 1) - padding;
            int left = rng.nextInt(2 * padding + 1) - padding;
            int h = chw.dim(1);
            int w = chw.dim(2);
            // output (y, x) reads input (y + top, x + left), 0 outside the image
            int fromX = Math.max(0, -left);
            int toX = Math.min(w, w - left);
            for (int c = 0; c < chw.dim(0); c++) {
                int plane = offset + c * h * w;
                System.arraycopy(x, plane, scratch, 0, h * w);
                for (int y = 0; y < h; y++) {
                    int row = plane + y * w;
                    int sy = y + top;
                    if (sy < 0 || sy >= h || fromX >= toX) {
                        Arrays.fill(x, row, row + w, 0f);
                        continue;
                    }
                    Arrays.fill(x, row, row + fromX, 0f);
                    System.arraycopy(scratch, sy * w + fromX + left, x, row + fromX, toX - fromX);
                    Arrays.fill(x, row + toX, row + w, 0f);
                }
            }
        }
    }

    /**
     * Mirrors the example left to right (along W) with {@code probability}: one uniform
     * draw, mirrored when below it.
     */
    record HorizontalFlip(double probability) implements Augmentation {
        public HorizontalFlip {
            requireProbability(probability);
        }

        @Override
        public void apply(float[] x, int offset, Shape chw, Rng rng, float[] scratch) {
            if (!(rng.nextDouble() < probability)) {
                return;
            }
            int w = chw.dim(2);
            int rows = chw.dim(0) * chw.dim(1);
            for (int r = 0; r < rows; r++) {
                int row = offset + r * w;
                for (int i = 0, j = w - 1; i < j; i++, j--) {
                    float t = x[row + i];
                    x[row + i] = x[row + j];
                    x[row + j] = t;
                }
            }
        }
    }

    /**
     * Random erasing (Zhong et al. 2017, "Random Erasing Data Augmentation"), with
     * {@code probability}: a rectangle of area {@code s * H * W}, {@code s} uniform in
     * [{@code minArea}, {@code maxArea}], and aspect ratio {@code r} (height / width)
     * log-uniform in [{@code minAspect}, 1 / {@code minAspect}], height
     * {@code round(sqrt(s H W r))} and width {@code round(sqrt(s H W / r))}, placed
     * uniformly where it fits, is filled with {@code value} in every channel. Up to 10
     * draws of size are tried until one fits inside the image (torchvision's
     * {@code RandomErasing} tries likewise); if none does, the example is unchanged.
     * Draws: the probability, then per try the area and the ratio, then the top and the
     * left.
     */
    record RandomErasing(double probability, double minArea, double maxArea, double minAspect,
            float value) implements Augmentation {

        static final int TRIES = 10;

        public RandomErasing {
            requireProbability(probability);
            if (!(minArea > 0 && minArea <= maxArea && maxArea <= 1)) {
                throw new IllegalArgumentException(
                        "erasing needs 0 < minArea <= maxArea <= 1, got " + minArea + ", " + maxArea);
            }
            if (!(minAspect > 0 && minAspect <= 1)) {
                throw new IllegalArgumentException("erasing needs minAspect in (0, 1], got " + minAspect);
            }
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("erasing needs a finite value, got " + value);
            }
        }

        @Override
        public void apply(float[] x, int offset, Shape chw, Rng rng, float[] scratch) {
            if (!(rng.nextDouble() < probability)) {
                return;
            }
            int h = chw.dim(1);
            int w = chw.dim(2);
            double logMin = StrictMath.log(minAspect);
            for (int t = 0; t < TRIES; t++) {
                double area = (minArea + (maxArea - minArea) * rng.nextDouble()) * h * w;
                double ratio = StrictMath.exp(logMin + (-2 * logMin) * rng.nextDouble());
                int eh = (int) Math.round(Math.sqrt(area * ratio));
                int ew = (int) Math.round(Math.sqrt(area / ratio));
                if (eh < 1 || ew < 1 || eh > h || ew > w) {
                    continue;
                }
                int top = rng.nextInt(h - eh + 1);
                int left = rng.nextInt(w - ew + 1);
                for (int c = 0; c < chw.dim(0); c++) {
                    for (int y = top; y < top + eh; y++) {
                        int row = offset + (c * h + y) * w;
                        Arrays.fill(x, row + left, row + left + ew, value);
                    }
                }
                return;
            }
        }
    }

    private static void requireProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must lie in [0, 1], got " + p);
        }
    }

}
