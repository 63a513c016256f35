package dev.trainyard.bench;

import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.loss.SoftmaxCrossEntropy;
import dev.trainyard.engine.nn.Layer;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.Sgd;
import dev.trainyard.engine.tensor.Tensor;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Where a training step's time goes: runs the step by hand (gather, zero grads, each
 * layer's forward, loss, each layer's backward, optimizer) with a clock around each part,
 * after a warm-up of the same length, and prints milliseconds per step and shares.
 */
final class StepProfile {

    private StepProfile() {
    }

    static void run(Sequential model, Dataset train, int batch, int steps, PrintStream err) {
        List<Layer> layers = model.layers();
        int parts = 2 * layers.size() + 4;
        long[] nanos = new long[parts];
        Sgd sgd = new Sgd(model.parameterData(), model.gradientData(), 0.05, 0.9f, false, 0f);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        int width = train.features().shape().sizeFrom(1);
        Tensor x = Tensor.zeros(train.featureShape().withBatch(batch));
        int[] labels = new int[batch];
        Tensor dOut = Tensor.zeros(model.outputShape().withBatch(batch));
        for (int round = 0; round < 2; round++) {
            java.util.Arrays.fill(nanos, 0);
            for (int s = 0; s < steps; s++) {
                int from = (s * batch) % (train.size() - batch);
                long t = System.nanoTime();
                System.arraycopy(train.features().data(), train.features().offset() + from * width, x.data(), 0,
                        batch * width);
                System.arraycopy(train.labels(), from, labels, 0, batch);
                model.zeroGrad();
                t = lap(nanos, 0, t);
                Tensor h = x;
                for (int i = 0; i < layers.size(); i++) {
                    h = layers.get(i).forward(h, true);
                    t = lap(nanos, 1 + i, t);
                }
                loss.compute(h, labels, 0, dOut);
                t = lap(nanos, 1 + layers.size(), t);
                Tensor g = dOut;
                for (int i = layers.size() - 1; i >= 0; i--) {
                    g = layers.get(i).backward(g);
                    t = lap(nanos, 2 + layers.size() + i, t);
                }
                sgd.step();
                lap(nanos, 2 + 2 * layers.size(), t);
            }
        }
        long total = 0;
        for (long n : nanos) {
            total += n;
        }
        err.printf(Locale.ROOT, "profile: %d steps of batch %d, %.3f ms per step (%.0f samples/s)%n", steps, batch,
                total / 1e6 / steps, steps * (double) batch / (total / 1e9));
        print(err, "gather + zero grads", nanos[0], total, steps);
        for (int i = 0; i < layers.size(); i++) {
            print(err, "forward  " + i + " " + layers.get(i).kind(), nanos[1 + i], total, steps);
        }
        print(err, "loss (softmax cross-entropy)", nanos[1 + layers.size()], total, steps);
        for (int i = layers.size() - 1; i >= 0; i--) {
            print(err, "backward " + i + " " + layers.get(i).kind(), nanos[2 + layers.size() + i], total, steps);
        }
        print(err, "optimizer (SGD momentum)", nanos[2 + 2 * layers.size()], total, steps);
    }

    private static long lap(long[] nanos, int part, long since) {
        long now = System.nanoTime();
        nanos[part] += now - since;
        return now;
    }

    private static void print(PrintStream err, String what, long nanos, long total, int steps) {
        err.printf(Locale.ROOT, "  %-32s %8.3f ms %5.1f%%%n", what, nanos / 1e6 / steps, 100.0 * nanos / total);
    }

}
