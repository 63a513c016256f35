package dev.trainyard.engine.nn;

import dev.trainyard.engine.tensor.Shape;
import java.util.List;

/**
 * Per layer: index, kind, per-example output shape and parameter count; and the total.
 */
public record Summary(Shape inputShape, List<Row> rows, long totalParameters) {

    public record Row(int index, String kind, Shape outputShape, long parameters) {
    }

    /** A fixed-width table, one line per layer, then the total. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-5s %-12s %-20s %12s%n", "#", "layer", "output shape", "parameters"));
        sb.append(String.format("%-5s %-12s %-20s %12s%n", "", "input", inputShape, ""));
        for (Row r : rows) {
            sb.append(String.format("%-5d %-12s %-20s %,12d%n", r.index, r.kind, r.outputShape, r.parameters));
        }
        sb.append(String.format("total parameters: %,d%n", totalParameters));
        return sb.toString();
    }
}
