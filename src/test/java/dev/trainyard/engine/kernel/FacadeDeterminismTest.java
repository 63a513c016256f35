package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.KernelFixtures.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Elementwise, Reduce and Softmax facades give bit-identical results with 1, 2 and 8
 * threads (sizes span several fixed chunks), NaN reaches their outputs, and empty tensors
 * cannot be made.
 */
class FacadeDeterminismTest {

    private static final int N = 3 * Elementwise.CHUNK + 123;

    @Test
    void elementwiseFacadesDoNotDependOnTheThreadCount() {
        Tensor x = Tensor.wrap(gaussian(1, N, 2, 0), N);
        Tensor dy = Tensor.wrap(gaussian(2, N, 1, 0), N);
        sameForEveryThreadCount(() -> {
            List<float[]> out = new ArrayList<>();
            Tensor y = Tensor.zeros(N);
            Tensor dx = Tensor.zeros(N);
            Elementwise.relu(x, y);
            Elementwise.reluBackward(x, dy, dx);
            out.add(y.data().clone());
            out.add(dx.data().clone());
            Elementwise.leakyRelu(x, y, 0.1f);
            Elementwise.leakyReluBackward(x, dy, dx, 0.1f);
            out.add(y.data().clone());
            out.add(dx.data().clone());
            Elementwise.tanh(x, y);
            Elementwise.tanhBackward(y, dy, dx);
            out.add(y.data().clone());
            out.add(dx.data().clone());
            Elementwise.sigmoid(x, y);
            Elementwise.sigmoidBackward(y, dy, dx);
            out.add(y.data().clone());
            out.add(dx.data().clone());
            Elementwise.axpy(0.3f, x, y);
            Elementwise.scale(1.7f, y);
            Elementwise.mul(x, y, dx);
            out.add(dx.data().clone());
            return out;
        });
    }

    @Test
    void reductionsAndSoftmaxDoNotDependOnTheThreadCount() {
        Tensor images = Tensor.wrap(gaussian(3, 37 * 19 * 7 * 9, 1, 0.5), 37, 19, 7, 9);
        Tensor rows = Tensor.wrap(gaussian(4, 301 * 150, 3, 0), 301, 150);
        sameForEveryThreadCount(() -> {
            List<float[]> out = new ArrayList<>();
            float[] m = new float[19];
            float[] v = new float[19];
            Reduce.channelMoments(images, m, v);
            out.add(m);
            out.add(v);
            float[] cm = new float[150];
            float[] cv = new float[150];
            Reduce.columnMoments(rows, cm, cv);
            out.add(cm);
            out.add(cv);
            Tensor sums = Tensor.zeros(19);
            Reduce.sumChannels(images, sums);
            out.add(sums.data());
            Tensor colSums = Tensor.zeros(150);
            Reduce.sumRows(rows, colSums);
            out.add(colSums.data());
            Tensor biased = Tensor.wrap(rows.data().clone(), rows.shape());
            Reduce.addBias(biased, Tensor.wrap(gaussian(5, 150, 1, 0), 150));
            out.add(biased.data());
            Tensor p = Tensor.zeros(rows.shape());
            Softmax.softmax(rows, p);
            out.add(p.data().clone());
            Softmax.logSoftmax(rows, p);
            out.add(p.data());
            return out;
        });
    }

    @Test
    void nanReachesTheOutputsOfActivationsMomentsAndSoftmax() {
        Tensor x = Tensor.wrap(gaussian(6, 4 * 3 * 5 * 5, 1, 0), 4, 3, 5, 5);
        x.set(Float.NaN, 2, 1, 3, 4);
        Tensor y = Tensor.zeros(x.shape());
        Elementwise.relu(x, y);
        assertThat(y.get(2, 1, 3, 4)).isNaN();
        Elementwise.sigmoid(x, y);
        assertThat(y.get(2, 1, 3, 4)).isNaN();
        float[] m = new float[3];
        float[] v = new float[3];
        Reduce.channelMoments(x, m, v);
        assertThat(m[1]).isNaN();
        assertThat(v[1]).isNaN();
        assertThat(m[0]).isNotNaN();
        Tensor logits = x.reshape(4, 75);
        Tensor p = Tensor.zeros(4, 75);
        Softmax.softmax(logits, p);
        assertThat(p.get(2, 0)).isNaN();
        assertThat(p.get(1, 0)).isNotNaN();
    }

    @Test
    void emptyTensorsCannotBeBuiltSoNoKernelSeesAZeroSize() {
        assertThatThrownBy(() -> Tensor.zeros(0, 3, 28, 28)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("positive");
    }

    private static void sameForEveryThreadCount(Supplier<List<float[]>> run) {
        List<float[]> first = null;
        for (int threads : new int[] { 1, 2, 8 }) {
            List<List<float[]>> box = new ArrayList<>();
            try (ComputePool pool = ComputePool.create(threads)) {
                ComputePool.runWith(pool, () -> box.add(run.get()));
            }
            List<float[]> out = box.getFirst();
            if (first == null) {
                first = out;
                continue;
            }
            for (int i = 0; i < out.size(); i++) {
                assertThat(out.get(i)).as("output %d with %d threads", i, threads).containsExactly(first.get(i));
            }
        }
    }

}
