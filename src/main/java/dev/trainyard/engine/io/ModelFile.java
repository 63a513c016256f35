package dev.trainyard.engine.io;

import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.nn.Parameter;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.TreeSet;
import java.util.HashSet;
import java.util.Set;
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

    /**
     * A file for a trained model: its architecture ({@link Architecture}, with the
     * model's default initializer, which may be null), its parameters and batch-norm
     * statistics (copied now).
     */
    public static ModelFile of(Sequential model, Initializer defaultInit, Map<String, Object> preprocessing,
            Map<String, Object> provenance) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put(p.name(), p.value().copy());
        }
        model.state().forEach((name, t) -> tensors.put(name, t.copy()));
        Architecture arch = new Architecture(model.inputShape(), defaultInit, model.specs());
        return new ModelFile(arch.toJson(), preprocessing, provenance, tensors);
    }

    /** The architecture of this file. */
    public Architecture parsedArchitecture() {
        return Architecture.fromJson(architecture);
    }

    /**
     * Rebuilds the model and loads every tensor into it; a missing, unexpected or
     * mis-shaped tensor is an error naming it (and both shapes).
     */
    public Sequential toModel() {
        Architecture arch = parsedArchitecture();
        Sequential model = Sequential.build(arch.inputShape(), arch.layers(),
                arch.init() == null ? new Zeros() : arch.init(), 0);
        loadInto(model);
        return model;
    }

    /**
     * Copies every tensor into a model of the same architecture: its parameters and
     * batch-norm statistics; a missing, unexpected or mis-shaped tensor is an error
     * naming it (and both shapes), and then the model may be partly overwritten.
     */
    public void loadInto(Sequential model) {
        Set<String> used = new HashSet<>();
        for (Parameter p : model.parameters()) {
            load(p.name(), p.value());
            used.add(p.name());
        }
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            load(e.getKey(), e.getValue());
            used.add(e.getKey());
        }
        for (String name : tensors.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException(
                        "model file has a tensor " + name + " that the architecture does not use");
            }
        }
    }

    private void load(String name, Tensor target) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("model file lacks tensor " + name + " " + target.shape());
        }
        if (!t.shape().equals(target.shape())) {
            throw new IllegalArgumentException(
                    "tensor " + name + " has shape " + t.shape() + ", the architecture needs " + target.shape());
        }
        target.copyFrom(t);
    }

    /**
     * SHA-256 (lower-case hex) of the tensors alone, in name order: each one's UTF-8
     * name, a zero byte, its rank and dimensions and then its values, all as
     * little-endian 32-bit words (floats by their raw bits). Metadata such as the
     * provenance's dates does not enter it, so two files hash alike exactly when their
     * weights and running statistics are the same, bit for bit.
     */
    public String weightsSha256() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        for (String name : new TreeSet<>(tensors.keySet())) {
            Tensor t = tensors.get(name);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            int[] dims = t.shape().dims();
            ByteBuffer words = ByteBuffer.allocate(4 * (1 + dims.length + t.size())).order(ByteOrder.LITTLE_ENDIAN);
            words.putInt(dims.length);
            for (int d : dims) {
                words.putInt(d);
            }
            float[] data = t.data();
            for (int i = 0; i < t.size(); i++) {
                words.putInt(Float.floatToRawIntBits(data[t.offset() + i]));
            }
            digest.update(words.array());
        }
        return HexFormat.of().formatHex(digest.digest());
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
