package dev.trainyard.dataset.internal;

import dev.trainyard.dataset.UploadPart;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * Builders of upload parts for parser tests: CSV text, IDX files, ZIPs of images, gzip.
 */
public final class TestData {

    private TestData() {
    }

    record Part(String name, String filename, byte[] bytes) implements UploadPart {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    static Part part(String name, byte[] bytes) {
        return new Part(name, name + ".bin", bytes);
    }

    static Part part(String name, String text) {
        return part(name, text.getBytes(StandardCharsets.UTF_8));
    }

    static PartSource source(Part part) {
        return source(part, DatasetProperties.defaults());
    }

    static PartSource source(Part part, DatasetProperties limits) {
        return new PartSource(part, sha256(), limits);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * IDX images (magic 0x803): n images of h x w, pixel (i, y, x) = (i * 7 + y * w + x)
     * mod 256.
     */
    public static byte[] idxImages(int n, int h, int w) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * h * w).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x803).putInt(n).putInt(h).putInt(w);
        for (int i = 0; i < n * h * w; i++) {
            b.put((byte) ((i / (h * w)) * 7 + i % (h * w)));
        }
        return b.array();
    }

    public static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x801).putInt(labels.length);
        for (int label : labels) {
            b.put((byte) label);
        }
        return b.array();
    }

    public static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A grayscale h x w image whose pixel (y, x) is base + y * w + x. */
    public static BufferedImage gray(int h, int w, int base) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.getRaster().setSample(x, y, 0, (base + y * w + x) & 0xff);
            }
        }
        return image;
    }

    /** An RGB image with R = base, G = y, B = x at (y, x). */
    public static BufferedImage rgb(int h, int w, int base) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (base & 0xff) << 16 | (y & 0xff) << 8 | (x & 0xff));
            }
        }
        return image;
    }

    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Map<String, byte[]> entries(Object... nameThenBytes) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            map.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return map;
    }

    /** Collects what a parser streams out. */
    static final class Sink implements FeatureSink {

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        float[] floats = new float[0];

        int floatCount;

        @Override
        public void writeBytes(byte[] values, int offset, int length) {
            bytes.write(values, offset, length);
        }

        @Override
        public void writeFloats(float[] values, int offset, int length) {
            if (floatCount + length > floats.length) {
                floats = Arrays.copyOf(floats, Math.max(16, 2 * (floatCount + length)));
            }
            System.arraycopy(values, offset, floats, floatCount, length);
            floatCount += length;
        }

        float[] floats() {
            return Arrays.copyOf(floats, floatCount);
        }

    }

}
