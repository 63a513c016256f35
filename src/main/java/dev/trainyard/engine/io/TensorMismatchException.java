package dev.trainyard.engine.io;

import dev.trainyard.engine.tensor.Shape;

/**
 * A weights file does not fit the architecture: a tensor is missing ({@link #actual()}
 * null), unexpected ({@link #expected()} null) or shaped differently. The message names
 * the tensor and both shapes.
 */
public final class TensorMismatchException extends IllegalArgumentException {

    private final String tensor;

    private final Shape expected;

    private final Shape actual;

    public TensorMismatchException(String tensor, Shape expected, Shape actual) {
        super(message(tensor, expected, actual));
        this.tensor = tensor;
        this.expected = expected;
        this.actual = actual;
    }

    private static String message(String tensor, Shape expected, Shape actual) {
        if (actual == null) {
            return "the weights lack tensor " + tensor + ", which the architecture needs with shape " + expected;
        }
        if (expected == null) {
            return "the weights have tensor " + tensor + " " + actual + ", which the architecture does not use";
        }
        return "tensor " + tensor + " has shape " + actual + ", the architecture needs " + expected;
    }

    public String tensor() {
        return tensor;
    }

    public Shape expected() {
        return expected;
    }

    public Shape actual() {
        return actual;
    }

}
