package dev.trainyard.engine.io;

import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors container (huggingface/safetensors): an 8-byte little-endian header
 * length, a JSON header mapping each tensor name to {@code dtype}, {@code shape} and
 * {@code data_offsets} (begin, end in bytes, relative to the data section) plus an
 * optional {@code __metadata__} string map, padded with spaces to a multiple of 8 bytes,
 * then the raw little-endian data. Only {@code F32} is written; reading also accepts
 * {@code I64} tensors (PyTorch's {@code num_batches_tracked} counters), kept apart as
 * integers. Reading checks every offset, size and overlap.
 */
public final class SafeTensors {

    static final String METADATA = "__metadata__";

    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /**
     * The F32 tensors (in file order), the I64 tensors (flattened) and the metadata of a
     * container.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, long[]> integers) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            integers = Collections.unmodifiableMap(new LinkedHashMap<>(integers));
        }

        public Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
            this(tensors, metadata, Map.of());
        }

        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor named " + name + "; present: " + tensors.keySet());
            }
            return t;
        }

        public String metadata(String key) {
            String v = metadata.get(key);
            if (v == null) {
                throw new IllegalArgumentException("no metadata entry " + key + "; present: " + metadata.keySet());
            }
            return v;
        }
    }

    /**
     * Writes the tensors in iteration order; names must not be empty or
     * {@code __metadata__}.
     */
    public static byte[] write(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(METADATA, new LinkedHashMap<String, Object>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("invalid tensor name \"" + name + "\"");
            }
            Tensor t = e.getValue();
            List<Object> shape = new ArrayList<>();
            for (int d : t.shape().dims()) {
                shape.add((long) d);
            }
            long bytes = 4L * t.size();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, offset + bytes));
            header.put(name, entry);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        long total = 8L + padded + offset;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensors too large for one container: " + total + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            buf.asFloatBuffer().put(t.data(), t.offset(), t.size());
            buf.position(buf.position() + 4 * t.size());
        }
        return buf.array();
    }

    /**
     * Reads a container written by any safetensors writer, as long as every tensor is
     * F32.
     */
    public static Contents read(byte[] bytes) {
        if (bytes.length < 8) {
            throw new IllegalArgumentException(
                    "not a safetensors container: " + bytes.length + " bytes, need at least 8");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
            throw new IllegalArgumentException(
                    "safetensors header length " + headerLength + " does not fit " + bytes.length + " bytes");
        }
        String headerText = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        Map<String, Object> header;
        try {
            header = Json.parseObject(headerText);
        }
        catch (JsonException e) {
            throw new IllegalArgumentException("safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, long[]> integers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals(METADATA)) {
                readMetadata(e.getValue(), metadata);
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException("tensor " + name + ": header entry is not an object");
            }
            Object dtype = entry.get("dtype");
            if (!"F32".equals(dtype) && !"I64".equals(dtype)) {
                throw new IllegalArgumentException(
                        "tensor " + name + ": dtype " + dtype + " is not supported, only F32 (and I64 counters)");
            }
            int[] dims = longs(name, "shape", entry.get("shape"));
            long[] offsets = toLongs(name, "data_offsets", entry.get("data_offsets"));
            if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength) {
                throw new IllegalArgumentException(
                        "tensor " + name + ": data_offsets outside the " + dataLength + " data bytes");
            }
            if ("I64".equals(dtype)) {
                long count = 1;
                for (int d : dims) {
                    count *= d;
                }
                if (offsets[1] - offsets[0] != 8L * count) {
                    throw new IllegalArgumentException("tensor " + name + ": I64 shape needs " + 8L * count
                            + " bytes but data_offsets span " + (offsets[1] - offsets[0]));
                }
                long[] values = new long[(int) count];
                ByteBuffer.wrap(bytes, dataStart + (int) offsets[0], 8 * values.length)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asLongBuffer()
                    .get(values);
                integers.put(name, values);
                ranges.add(offsets);
                continue;
            }
            if (dims.length == 0) {
                throw new IllegalArgumentException("tensor " + name + ": scalars (shape []) are not supported");
            }
            Shape shape = Shape.of(dims);
            if (offsets[1] - offsets[0] != 4L * shape.size()) {
                throw new IllegalArgumentException("tensor " + name + ": shape " + shape + " needs " + 4L * shape.size()
                        + " bytes but data_offsets span " + (offsets[1] - offsets[0]));
            }
            float[] data = new float[shape.size()];
            ByteBuffer.wrap(bytes, dataStart + (int) offsets[0], 4 * data.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(data);
            tensors.put(name, Tensor.wrap(data, shape));
            ranges.add(offsets);
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long end = 0;
        for (long[] r : ranges) {
            if (r[0] != end) {
                throw new IllegalArgumentException("safetensors data is not contiguous: a tensor starts at byte " + r[0]
                        + " where " + end + " was expected");
            }
            end = r[1];
        }
        if (end != dataLength) {
            throw new IllegalArgumentException("safetensors data has " + (dataLength - end) + " trailing bytes");
        }
        return new Contents(tensors, metadata, integers);
    }

    private static void readMetadata(Object value, Map<String, String> into) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("__metadata__ must be an object of strings");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new IllegalArgumentException("__metadata__ entry " + e.getKey() + " is not a string");
            }
            into.put((String) e.getKey(), s);
        }
    }

    private static int[] longs(String name, String field, Object value) {
        long[] l = toLongs(name, field, value);
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 1 || l[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor " + name + ": " + field + " has invalid dimension " + l[i]);
            }
            r[i] = (int) l[i];
        }
        return r;
    }

    private static long[] toLongs(String name, String field, Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("tensor " + name + ": " + field + " must be an array of integers");
        }
        long[] r = new long[list.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(list.get(i) instanceof Long l)) {
                throw new IllegalArgumentException("tensor " + name + ": " + field + " must be an array of integers");
            }
            r[i] = l;
        }
        return r;
    }

}
