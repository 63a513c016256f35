package dev.trainyard.engine.nn;

import dev.trainyard.engine.kernel.Pool;
import dev.trainyard.engine.tensor.Shape;

final class PoolShapes {

    private PoolShapes() {
    }

    /** (C, OH, OW) for a (C, H, W) input, OH = (H - size) / stride + 1. */
    static Shape output(String kind, Shape in, int size, int stride) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException(kind + " needs (C, H, W) input, got " + in);
        }
        if (in.dim(1) < size || in.dim(2) < size) {
            throw new IllegalArgumentException("window " + size + " does not fit input " + in);
        }
        return Shape.of(in.dim(0), Pool.outputSize(in.dim(1), size, stride), Pool.outputSize(in.dim(2), size, stride));
    }

}
