package dev.trainyard.engine.io;

import dev.trainyard.engine.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained model as one safetensors container (format {@code trainyard-model}, version
 * 1). The tensors carry PyTorch {@code state_dict} names ({@code 0.weight},
 * {@code 1.running_mean}, ...), so torch can load them; {@code __metadata__} holds, as
 * JSON strings, the {@code architecture} (layer specs), the {@code preprocessing} (e.g.
 * standardization statistics) and the {@code provenance} (dataset, seed, spec, engine
 * version).
 *
 * <p>
 * Saving and loading is exact: every float comes back with the same bits.
 */
public record ModelFile(Map<String, Object> architecture, Map<String, Object> preprocessing,
        Map<String, Object> provenance, Map<String, Tensor> tensors) {

    public static final String FORMAT = "trainyard-model";

    public static final int VERSION = 1;

    public ModelFile {
        architecture = Collections.unmodifiableMap(new LinkedHashMap<>(architecture));
        preprocessing = Collections.unmodifiableMap(new LinkedHashMap<>(preprocessing));
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public byte[] toBytes() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(VERSION));
        meta.put("architecture", Json.write(architecture));
        meta.put("preprocessing", Json.write(preprocessing));
        meta.put("provenance", Json.write(provenance));
        return SafeTensors.write(tensors, meta);
    }

    /**
     * Reads a model file; rejects other formats and newer versions with a message saying
     * which.
     */
    public static ModelFile fromBytes(byte[] bytes) {
        SafeTensors.Contents c = SafeTensors.read(bytes);
        requireFormat(c, FORMAT, VERSION);
        return new ModelFile(Json.parseObject(c.metadata("architecture")),
                Json.parseObject(c.metadata("preprocessing")), Json.parseObject(c.metadata("provenance")), c.tensors());
    }

    static void requireFormat(SafeTensors.Contents c, String format, int version) {
        String f = c.metadata().get("format");
        if (!format.equals(f)) {
            throw new IllegalArgumentException("not a " + format + " file (format: " + f + ")");
        }
        String v = c.metadata().get("format_version");
        int parsed;
        try {
            parsed = Integer.parseInt(v);
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(format + " file has an invalid format_version " + v);
        }
        if (parsed < 1 || parsed > version) {
            throw new IllegalArgumentException(
                    format + " version " + parsed + " is not supported (this engine reads up to " + version + ")");
        }
    }
}
