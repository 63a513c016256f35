package dev.trainyard.engine;

import dev.trainyard.engine.io.Json;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Reads the PyTorch reference files written by src/test/python/make_golden_training.py.
 */
public final class TrainingGolden {

    private TrainingGolden() {
    }

    public static Map<String, Object> load(String name) {
        String path = "/golden/training/" + name;
        try (InputStream in = TrainingGolden.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path + "; run make_golden_training.py");
            }
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {"shape": [...], "data": [...]} object as a tensor. */
    public static Tensor tensor(Object node) {
        Map<String, Object> m = map(node);
        List<?> shape = (List<?>) m.get("shape");
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = ((Number) shape.get(i)).intValue();
        }
        return Tensor.wrap(floats(m.get("data")), dims.length == 0 ? Shape.of(1) : Shape.of(dims));
    }

    public static float[] floats(Object node) {
        List<?> list = (List<?>) node;
        float[] r = new float[list.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ((Number) list.get(i)).floatValue();
        }
        return r;
    }

    public static int[] ints(Object node) {
        List<?> list = (List<?>) node;
        int[] r = new int[list.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ((Number) list.get(i)).intValue();
        }
        return r;
    }

    public static double number(Object node) {
        return ((Number) node).doubleValue();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object node) {
        return (List<Object>) node;
    }

    /**
     * Asserts |a - e| <= atol + rtol * |e| elementwise, naming the first index that
     * fails.
     */
    public static void assertClose(float[] actual, float[] expected, double rtol, double atol, String what) {
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < actual.length; i++) {
            double tol = atol + rtol * Math.abs(expected[i]);
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                throw new AssertionError(
                        what + "[" + i + "] = " + actual[i] + ", expected " + expected[i] + " ± " + tol);
            }
        }
    }

}
