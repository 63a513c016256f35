package dev.trainyard.model.internal;

import dev.trainyard.engine.io.Architecture;
import dev.trainyard.engine.io.Json;
import dev.trainyard.engine.nn.InvalidLayerException;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.model.PreprocessingInfo;
import dev.trainyard.system.ApiException;
import dev.trainyard.system.JsonPointers;
import dev.trainyard.system.NulCharacters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The {@code spec} part of an import: {@code layers} in the job spec's vocabulary
 * ({@link LayerSpec#types()}; omitted members take its defaults), {@code featureShape},
 * {@code classes} and optional {@code preprocessing} {@code {"method", "perChannel",
 * "statistics": {"mean": [...], ...}}}.
 */
record ImportSpec(Shape featureShape, List<LayerSpec> layers, List<String> classes, PreprocessingInfo preprocessing) {

    static ImportSpec parse(String text) {
        Map<String, Object> spec;
        try {
            spec = Json.parseObject(text);
        }
        catch (IllegalArgumentException e) {
            throw invalid("#", "spec is not a JSON object: " + e.getMessage());
        }
        for (String key : spec.keySet()) {
            if (!List.of("layers", "featureShape", "classes", "preprocessing").contains(key)) {
                throw invalid(JsonPointers.of(key), "spec has an unknown member " + key + ".");
            }
        }
        List<Object> shapeJson = list(spec.get("featureShape"), "#/featureShape");
        List<Object> classesJson = list(spec.get("classes"), "#/classes");
        List<Object> layersJson = list(spec.get("layers"), "#/layers");
        int[] dims = new int[shapeJson.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(shapeJson.get(i) instanceof Long d) || d < 1 || d > Integer.MAX_VALUE) {
                throw invalid(JsonPointers.of("featureShape", i), "featureShape must hold positive integers.");
            }
            dims[i] = (int) (long) d;
        }
        if (dims.length == 0) {
            throw invalid("#/featureShape", "featureShape must have at least one dimension.");
        }
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < classesJson.size(); i++) {
            if (!(classesJson.get(i) instanceof String c) || c.isEmpty() || classes.contains(c)) {
                throw invalid(JsonPointers.of("classes", i), "classes must be distinct non-empty strings.");
            }
            if (NulCharacters.contains(c)) {
                throw invalid(JsonPointers.of("classes", i),
                        "A class name may not contain the NUL character (U+0000).");
            }
            classes.add(c);
        }
        if (classes.size() < 2) {
            throw invalid("#/classes", "A classifier needs at least two classes.");
        }
        List<Object> resolved = new ArrayList<>();
        for (int i = 0; i < layersJson.size(); i++) {
            if (!(layersJson.get(i) instanceof Map<?, ?> m) || !(m.get("type") instanceof String)) {
                throw invalid(JsonPointers.of("layers", i), "Each layer must be an object with a type.");
            }
            // the only string parameters are choices, which an import may write in any
            // case
            Map<String, Object> layer = new LinkedHashMap<>();
            m.forEach((k, v) -> layer.put((String) k,
                    !k.equals("type") && v instanceof String choice ? choice.toLowerCase(Locale.ROOT) : v));
            resolved.add(layer);
        }
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("inputShape", new ArrayList<>(shapeJson));
        arch.put("init", null);
        arch.put("layers", resolved);
        Architecture architecture;
        try {
            architecture = Architecture.fromJson(arch);
        }
        catch (InvalidLayerException e) {
            List<Object> at = new ArrayList<>(List.of("layers", e.layerIndex()));
            at.addAll(e.path());
            throw invalid(JsonPointers.of(at.toArray()), "Invalid layer: " + e.getMessage() + ".");
        }
        catch (IllegalArgumentException e) {
            throw invalid("#/layers", "Invalid layer: " + e.getMessage() + ".");
        }
        return new ImportSpec(architecture.inputShape(), architecture.layers(), List.copyOf(classes),
                preprocessing(spec.get("preprocessing"), dims));
    }

    private static PreprocessingInfo preprocessing(Object json, int[] featureShape) {
        if (json == null) {
            return new PreprocessingInfo("none", false, Map.of());
        }
        if (!(json instanceof Map<?, ?> m) || !(m.get("method") instanceof String method)) {
            throw invalid("#/preprocessing", "preprocessing must be an object with a method.");
        }
        boolean perChannel = Boolean.TRUE.equals(m.get("perChannel"));
        Map<String, float[]> statistics = new LinkedHashMap<>();
        if (m.get("statistics") instanceof Map<?, ?> stats) {
            for (Map.Entry<?, ?> e : stats.entrySet()) {
                List<Object> values = list(e.getValue(), JsonPointers.of("preprocessing", "statistics", e.getKey()));
                float[] f = new float[values.size()];
                for (int i = 0; i < f.length; i++) {
                    if (!(values.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                        throw invalid(JsonPointers.of("preprocessing", "statistics", e.getKey(), i),
                                "Statistics are numbers.");
                    }
                    f[i] = n.floatValue();
                }
                statistics.put((String) e.getKey(), f);
            }
        }
        else if (m.get("statistics") != null) {
            throw invalid("#/preprocessing/statistics", "statistics must be an object of number arrays.");
        }
        PreprocessingInfo info = new PreprocessingInfo(method.toLowerCase(Locale.ROOT), perChannel, statistics);
        try {
            info.toStatistics(featureShape);
        }
        catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("#/preprocessing", "Invalid preprocessing: " + e.getMessage() + ".");
        }
        return info;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String pointer) {
        if (!(value instanceof List<?> l)) {
            throw invalid(pointer, pointer.substring(2) + " must be an array.");
        }
        return (List<Object>) l;
    }

    static ApiException invalid(String pointer, String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid model import", detail).with("pointer",
                pointer);
    }

}
