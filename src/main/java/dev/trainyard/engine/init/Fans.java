package dev.trainyard.engine.init;

import dev.trainyard.engine.tensor.Shape;

/**
 * Fan-in and fan-out of a weight tensor, computed as {@code torch.nn.init} does: for a
 * weight (out, in, k1, k2, ...) the receptive field k1*k2*... multiplies both, so a
 * convolution kernel (F, C, KH, KW) has fan_in = C*KH*KW and fan_out = F*KH*KW; a dense
 * weight (out, in) has fan_in = in and fan_out = out.
 */
public record Fans(int in, int out) {

    public Fans {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("fans must be positive, got in=" + in + " out=" + out);
        }
    }

    public static Fans of(Shape weight) {
        if (weight.rank() < 2) {
            // torch refuses fans for vectors; a bias or BN vector counts each value alone
            return new Fans(1, 1);
        }
        int receptive = weight.sizeFrom(2);
        return new Fans(weight.dim(1) * receptive, weight.dim(0) * receptive);
    }
}
