package dev.trainyard.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    /** Two channels of 3 x 4: channel c, row y, column x holds 100 c + 10 y + x + 1. */
    private static float[] image() {
        float[] x = new float[2 * 3 * 4];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 3; y++) {
                for (int i = 0; i < 4; i++) {
                    x[(c * 3 + y) * 4 + i] = 100 * c + 10 * y + i + 1;
                }
            }
        }
        return x;
    }

    private static final Shape CHW = Shape.of(2, 3, 4);

    @Test
    void randomCropShiftsEveryChannelAlikeAndFillsThePaddingWithZero() {
        Set<String> offsets = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            float[] x = image();
            new Augmentation.RandomCrop(1).apply(x, 0, CHW, new Rng(seed), new float[12]);
            // the same draws, top then left, from a twin generator
            Rng twin = new Rng(seed);
            int top = twin.nextInt(3) - 1;
            int left = twin.nextInt(3) - 1;
            offsets.add(top + "," + left);
            float[] original = image();
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < 3; y++) {
                    for (int i = 0; i < 4; i++) {
                        int sy = y + top;
                        int sx = i + left;
                        float expected = sy < 0 || sy >= 3 || sx < 0 || sx >= 4 ? 0f : original[(c * 3 + sy) * 4 + sx];
                        assertThat(x[(c * 3 + y) * 4 + i]).as("seed %d, (%d, %d, %d)", seed, c, y, i)
                            .isEqualTo(expected);
                    }
                }
            }
        }
        assertThat(offsets).as("all nine windows of the image padded by 1").hasSize(9);
    }

    @Test
    void randomCropByADistanceBeyondTheImageCanLeaveOnlyPadding() {
        float[] x = image();
        // padding 5 on a 3 x 4 image: some windows miss the image entirely
        boolean sawEmpty = false;
        for (long seed = 0; seed < 100 && !sawEmpty; seed++) {
            x = image();
            new Augmentation.RandomCrop(5).apply(x, 0, CHW, new Rng(seed), new float[12]);
            sawEmpty = java.util.Arrays.equals(x, new float[24]);
        }
        assertThat(sawEmpty).isTrue();
    }

    @Test
    void horizontalFlipMirrorsEveryRowAlongTheWidth() {
        float[] x = image();
        new Augmentation.HorizontalFlip(1.0).apply(x, 0, CHW, new Rng(1), new float[12]);
        assertThat(java.util.Arrays.copyOfRange(x, 0, 4)).containsExactly(4, 3, 2, 1);
        assertThat(java.util.Arrays.copyOfRange(x, 20, 24)).containsExactly(124, 123, 122, 121);
        float[] kept = image();
        new Augmentation.HorizontalFlip(0.0).apply(kept, 0, CHW, new Rng(1), new float[12]);
        assertThat(kept).isEqualTo(image());
    }

    @Test
    void horizontalFlipHappensAboutAsOftenAsItsProbability() {
        Rng rng = new Rng(7);
        int flipped = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            float[] x = image();
            new Augmentation.HorizontalFlip(0.3).apply(x, 0, CHW, rng, new float[12]);
            flipped += x[0] == 4 ? 1 : 0;
        }
        // binomial standard deviation sqrt(0.3 * 0.7 / n) ~ 0.0032
        assertThat(flipped / (double) n).isBetween(0.3 - 0.015, 0.3 + 0.015);
    }

    @Test
    void randomErasingFillsOneRectangleOfTheDrawnAreaAndAspectInEveryChannel() {
        Shape chw = Shape.of(2, 20, 20);
        Augmentation.RandomErasing erasing = new Augmentation.RandomErasing(1.0, 0.1, 0.3, 0.5, -7f);
        for (long seed = 0; seed < 100; seed++) {
            float[] x = new float[800];
            java.util.Arrays.fill(x, 1f);
            erasing.apply(x, 0, chw, new Rng(seed), new float[400]);
            int top = 20;
            int bottom = -1;
            int left = 20;
            int right = -1;
            int erased = 0;
            for (int y = 0; y < 20; y++) {
                for (int i = 0; i < 20; i++) {
                    assertThat(x[y * 20 + i]).as("both channels alike").isEqualTo(x[400 + y * 20 + i]);
                    if (x[y * 20 + i] == -7f) {
                        erased++;
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                        left = Math.min(left, i);
                        right = Math.max(right, i);
                    }
                }
            }
            int h = bottom - top + 1;
            int w = right - left + 1;
            assertThat(erased).as("seed %d: a filled rectangle", seed).isEqualTo(h * w);
            // area 40 to 120 pixels before rounding each side; aspect in [0.5, 2]
            assertThat(erased).as("seed %d", seed).isBetween(30, 135);
            assertThat((double) h / w).as("seed %d", seed).isBetween(0.5 * 0.8, 2 / 0.8);
        }
    }

    @Test
    void randomErasingHappensAboutAsOftenAsItsProbability() {
        Rng rng = new Rng(3);
        Augmentation.RandomErasing erasing = new Augmentation.RandomErasing(0.5, 0.02, 0.33, 0.3, 0f);
        int erased = 0;
        int n = 10_000;
        for (int k = 0; k < n; k++) {
            float[] x = new float[64];
            java.util.Arrays.fill(x, 1f);
            erasing.apply(x, 0, Shape.of(1, 8, 8), rng, new float[64]);
            for (float v : x) {
                if (v == 0f) {
                    erased++;
                    break;
                }
            }
        }
        // every draw of size fits an 8 x 8 image within ten tries almost surely
        assertThat(erased / (double) n).isBetween(0.5 - 0.025, 0.5 + 0.025);
    }

    @Test
    void applyAllRunsTheStepsInOrderExampleByExample() {
        float[] batch = new float[48];
        System.arraycopy(image(), 0, batch, 0, 24);
        System.arraycopy(image(), 0, batch, 24, 24);
        List<Augmentation> steps = List.of(new Augmentation.RandomCrop(1), new Augmentation.HorizontalFlip(0.5));
        Augmentation.applyAll(steps, batch, 2, CHW, new Rng(5));

        Rng twin = new Rng(5);
        float[] expected = new float[48];
        for (int i = 0; i < 2; i++) {
            float[] one = image();
            for (Augmentation step : steps) {
                step.apply(one, 0, CHW, twin, new float[12]);
            }
            System.arraycopy(one, 0, expected, 24 * i, 24);
        }
        assertThat(batch).isEqualTo(expected);
    }

    @Test
    void invalidParametersAndFlatExamplesAreRejected() {
        assertThatThrownBy(() -> new Augmentation.RandomCrop(-1)).hasMessageContaining("padding");
        assertThatThrownBy(() -> new Augmentation.HorizontalFlip(1.5)).hasMessageContaining("probability");
        assertThatThrownBy(() -> new Augmentation.RandomErasing(0.5, 0.4, 0.2, 0.3, 0f))
            .hasMessageContaining("minArea");
        assertThatThrownBy(() -> new Augmentation.RandomErasing(0.5, 0.02, 0.33, 2, 0f))
            .hasMessageContaining("minAspect");
        assertThatThrownBy(() -> Augmentation.applyAll(List.of(new Augmentation.HorizontalFlip(0.5)), new float[8], 1,
                Shape.of(8), new Rng(1)))
            .hasMessageContaining("(C, H, W)");
    }

}
